"""Deploying the token to the node of --rpc: controllers, implementation, proxy, roles, the record."""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path

import click
from eth_account.signers.local import LocalAccount

from tenge.cli.app import cli
from tenge.cli.shared import ADDRESS, Session, pass_session, stdout
from tenge.client import make_web3
from tenge.deploy import (
    DEFAULT_BUILD,
    LOCAL_CHAIN_IDS,
    deploy,
    dev_account,
    dev_accounts,
    is_local_chain,
    local_plan,
)
from tenge.deployment import DEFAULT_DIRECTORY
from tenge.errors import ChainError, KeyProblem
from tenge.node import talking
from tenge.transactions import FeeMode


@cli.command(name="deploy")
@click.option(
    "--build",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_BUILD,
    show_default=True,
    help="Build artifacts (make compile).",
)
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DIRECTORY,
    show_default=True,
    help="Where the record <chain id>.json is written.",
)
@click.option("--admin", type=ADDRESS, help="The default admin [default: the deployer].")
@click.option(
    "--dev-key",
    is_flag=True,
    help="Sign with the first account of the development mnemonic (test test ... junk); only on a "
    f"development chain id ({', '.join(map(str, sorted(LOCAL_CHAIN_IDS)))}).",
)
@click.option(
    "--fees",
    type=click.Choice([mode.value for mode in FeeMode]),
    help="Transaction type [default: auto, EIP-1559 where the node's blocks have a base fee; legacy with "
    "--gas-price].",
)
@pass_session
def deploy_command(
    session: Session, build: Path, directory: Path, admin: str | None, dev_key: bool, fees: str | None
) -> None:
    """Deploy the token to the node of --rpc and write its deployment record.

    Role holders come from TENGE_ROLE_<NAME>=0xabc,0xdef; no account may hold two duties kept apart
    (FREEZER or BLOCKLISTER, SEIZURE_PROPOSER, SEIZURE_APPROVER; MINTER_ADMIN and a minter). On a
    development chain each role left unset goes to its own account of the development mnemonic (minter
    admin 1, minter 2, pauser 3, freezer 4, blocklister 5, proposer 6, rescuer 7, upgrader 8, KYC 13,
    approver 14, budget holder 15; the deployer is the admin), minters may issue 10,000,000,000 KZT
    (TENGE_MINTER_ALLOWANCE, in tiyn) and seizures wait no notice (TENGE_SEIZURE_NOTICE, seconds). The
    earmark contract (TengeEarmarks) is deployed beside the token, in the system tier 3. On a
    live chain a default-admin handover waits 3 days (TENGE_ADMIN_DELAY) and seizures 72 hours.
    TENGE_MINT_CONTROLLER and TENGE_SEIZURE_CONTROLLER reuse controllers already deployed. Gas is priced
    by the node.
    """
    w3 = make_web3(session.rpc)
    try:
        with talking("eth_chainId"):
            chain_id = int(w3.eth.chain_id)
    except ChainError as exc:
        raise ChainError(f"cannot reach a node at {session.rpc}: {exc}") from None
    signer = _dev_signer(chain_id) if dev_key else session.signer()
    gas = session.gas
    if fees is not None:
        gas = replace(gas, mode=FeeMode(fees))
    elif gas.gas_price_wei is None and not gas.eip1559:
        gas = replace(gas, mode=FeeMode.AUTO)
    plan = local_plan(signer.address, chain_id)
    if admin is not None:
        plan = replace(plan, admin=admin)
    helpers = dev_accounts() if is_local_chain(chain_id) else []
    done = deploy(w3, signer, plan, build=build, gas=gas, directory=directory, helpers=helpers)
    record = done.record

    def human() -> None:
        stdout.print(f"Digital Tenge proxy {record.address} (implementation {record.implementation})")
        stdout.print(
            f"mint controller {record.mint_controller}, seizure controller {record.seizure_controller}"
        )
        stdout.print(f"earmark contract {record.earmarks}")
        stdout.print(f"chain id {record.chain_id}, block {record.block}, admin {record.admin}")
        stdout.print(f"Deployment record: {done.path}")
        for note in done.notes:
            stdout.print(f"  to do: {note}")

    session.out({**asdict(record), "record_path": str(done.path), "notes": done.notes}, human)


def _dev_signer(chain_id: int) -> LocalAccount:
    if not is_local_chain(chain_id):
        raise KeyProblem(f"--dev-key signs only on a development chain, and this node is chain id {chain_id}")
    return dev_account(0)
