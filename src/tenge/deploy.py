"""Deploying the token to any node with web3.py alone: mint controller (unless one is reused: one serves
every token on a chain), implementation, ERC-1967 proxy, roles and minters, the record.

    w3 = make_web3("http://127.0.0.1:8546")
    done = deploy(w3, signer, local_plan(signer.address, chain_id=31337))
    done.record.address, done.path          # the proxy, deployments/31337.json

The bytecode comes from the build artifacts (`build/contracts/<name>.json`, as `brownie compile`
writes them; `make compile` refreshes them). Gas is priced by the node (`FeeMode.AUTO`: EIP-1559 where
its blocks carry a base fee, legacy where not), so the same call deploys to Anvil with its defaults,
Ganache under any network id, and BSC testnet. `scripts/deploy.py` does the same under `brownie run`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3

from tenge.abi import ABI
from tenge.addresses import checked_address
from tenge.client import Tenge
from tenge.deployment import DEFAULT_DIRECTORY, DeploymentRecord, code_hash, write_record
from tenge.errors import ChainError, DeploymentError, InvalidInput
from tenge.node import talking
from tenge.reverts import RevertDecoder
from tenge.roles import ROLE_NAMES
from tenge.transactions import FeeMode, GasPolicy, Pending, Receipt, TransactionSender, collect
from tenge.units import Tiyn

DEFAULT_BUILD = Path("build/contracts")
TOKEN, PROXY, CONTROLLER = "DigitalTenge", "DigitalTengeProxy", "TengeMintController"
INITIALIZER = "DigitalTengeInitializer"
# Chains whose ids say "a development node" (Anvil, Hardhat: 31337; Ganache: 1337).
LOCAL_CHAIN_IDS = frozenset({31337, 1337})
# A default-admin handover waits this long on live chains (two steps, as AccessControlDefaultAdminRules).
LIVE_ADMIN_DELAY = 3 * 24 * 3600
# The wallet-policy tier of institutions and system accounts (no limits), and the reason cited for it.
SYSTEM_TIER = 3
SYSTEM_ACCOUNT_REASON = "System account: minter"
# What the deployment cites for the roles it grants and the minters it configures.
DEPLOYMENT_REASON = "Deployment: initial role holders and minters"
LOCAL_MINTER_ALLOWANCE = 10**12  # tiyn: 10,000,000,000 KZT


@dataclass(frozen=True)
class Artifact:
    """A compiled contract: its ABI and creation bytecode."""

    name: str
    abi: ABI
    bytecode: str

    @classmethod
    def load(cls, name: str, build: Path = DEFAULT_BUILD) -> Artifact:
        path = Path(build) / f"{name}.json"
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            raise DeploymentError(f"{path}: no build artifact (run `make compile`)") from None
        except (OSError, ValueError) as exc:
            raise DeploymentError(f"{path}: unreadable build artifact ({exc})") from None
        bytecode = str(data.get("bytecode") or "")
        if not bytecode:
            raise DeploymentError(f"{path}: the artifact has no bytecode")
        return cls(name, data["abi"], bytecode if bytecode.startswith("0x") else "0x" + bytecode)


@dataclass(frozen=True)
class DeployPlan:
    """Who gets what: the admin and its handover delay, role holders, the minters' allowance."""

    admin: str | None = None  # None: the deployer
    admin_delay: int = 0  # seconds a default-admin handover waits
    roles: Mapping[str, list[str]] = field(default_factory=dict)  # role name -> holders
    minter_allowance: int = 0  # tiyn each minter (the MINTER_ROLE list) may issue, at the mint controller
    network: str = "rpc"  # the record's network name
    mint_controller: str | None = None  # a controller already on the chain to reuse; None: deploy one


@dataclass(frozen=True)
class Deployment:
    """What a deploy did: the record, where it was written, and what is left to others (role notes)."""

    record: DeploymentRecord
    path: Path | None
    notes: list[str] = field(default_factory=list)


def is_local_chain(chain_id: int) -> bool:
    return chain_id in LOCAL_CHAIN_IDS


def role_holders(environ: Mapping[str, str], default: str | None = None) -> dict[str, list[str]]:
    """TENGE_ROLE_<NAME>=0xabc,0xdef for each role; roles left unset go to `default` if given."""
    holders: dict[str, list[str]] = {}
    for name in ROLE_NAMES:
        listed = [a.strip() for a in environ.get(f"TENGE_ROLE_{name}", "").split(",") if a.strip()]
        addresses: list[str] = [checked_address(a, what=f"TENGE_ROLE_{name}") for a in listed]
        if not addresses and default:
            addresses = [default]
        if addresses:
            holders[name] = addresses
    return holders


def local_plan(deployer: str, chain_id: int, environ: Mapping[str, str] | None = None) -> DeployPlan:
    """The plan `make deploy` follows: on a local chain every unset role goes to the deployer and
    minters may issue 10,000,000,000 KZT; on a live chain only the listed roles are granted, and a
    default-admin handover waits 3 days (TENGE_ADMIN_DELAY overrides). TENGE_MINT_CONTROLLER names a mint
    controller already deployed on the chain to reuse (one serves every token)."""
    env = os.environ if environ is None else environ
    local = is_local_chain(chain_id)
    delay = _whole_number(env, "TENGE_ADMIN_DELAY", 0 if local else LIVE_ADMIN_DELAY, "seconds")
    allowance = _whole_number(env, "TENGE_MINTER_ALLOWANCE", LOCAL_MINTER_ALLOWANCE if local else 0, "tiyn")
    reused = env.get("TENGE_MINT_CONTROLLER", "").strip()
    return DeployPlan(
        admin_delay=delay,
        roles=role_holders(env, deployer if local else None),
        minter_allowance=allowance,
        mint_controller=checked_address(reused, what="TENGE_MINT_CONTROLLER") if reused else None,
    )


def _whole_number(env: Mapping[str, str], name: str, default: int, unit: str) -> int:
    """`env[name]` as a whole number of `unit`, checked before anything is sent; `default` if unset."""
    text = env.get(name, "")
    if text == "":
        return default
    if not (text.isascii() and text.isdigit()):
        raise InvalidInput(f"{name}={text!r}: write a whole number of {unit} in ASCII digits, e.g. {default}")
    return int(text)


def deploy(
    w3: Web3,
    deployer: LocalAccount,
    plan: DeployPlan | None = None,
    *,
    build: Path = DEFAULT_BUILD,
    gas: GasPolicy | None = None,
    directory: Path | None = DEFAULT_DIRECTORY,
    timeout: float = 300.0,
) -> Deployment:
    """Deploys the mint controller (unless the plan reuses one), the implementation that names it and the
    proxy, grants the plan's roles, configures its minters and writes `directory/<chain id>.json` (unless
    `directory` is None)."""
    plan = plan or DeployPlan()
    gas = gas or GasPolicy(mode=FeeMode.AUTO)
    token_artifact, proxy_artifact = Artifact.load(TOKEN, build), Artifact.load(PROXY, build)
    controller_artifact = Artifact.load(CONTROLLER, build)
    initializer_artifact = Artifact.load(INITIALIZER, build)
    with talking("eth_chainId"):
        chain_id = int(w3.eth.chain_id)
    decoder = RevertDecoder([*token_artifact.abi, *controller_artifact.abi], w3.codec)
    sender = TransactionSender(w3, deployer, chain_id, decoder, gas)
    admin = checked_address(plan.admin or deployer.address, what="admin")

    transactions: dict[str, str] = {}
    if plan.mint_controller is None:
        controller_tx = _create(sender, w3, controller_artifact, (), timeout)
        controller = _created(controller_tx, CONTROLLER)
        transactions["mint_controller"] = controller_tx.hash
    else:
        controller = plan.mint_controller
        with talking("eth_getCode"):
            if not w3.eth.get_code(controller):  # type: ignore[arg-type]
                raise DeploymentError(
                    f"TENGE_MINT_CONTROLLER {controller}: no contract there on chain {chain_id}"
                )
    implementation_tx = _create(sender, w3, token_artifact, (controller,), timeout)
    implementation = _created(implementation_tx, TOKEN)
    # The set-up runs once, in the proxy's constructor; the token itself has no `initialize`.
    initializer_tx = _create(sender, w3, initializer_artifact, (), timeout)
    initializer = _created(initializer_tx, INITIALIZER)
    initializer_factory = w3.eth.contract(abi=initializer_artifact.abi)
    init_data = initializer_factory.encode_abi("initialize", args=[admin, plan.admin_delay])
    proxy_tx = _create(sender, w3, proxy_artifact, (implementation, initializer, init_data), timeout)
    proxy = _created(proxy_tx, PROXY)

    record = DeploymentRecord(
        network=plan.network,
        chain_id=chain_id,
        address=proxy,
        implementation=implementation,
        block=proxy_tx.block,
        deployer=deployer.address,
        admin=admin,
        admin_transfer_delay=plan.admin_delay,
        proxy_code_hash=code_hash(bytes(w3.eth.get_code(proxy))),  # type: ignore[arg-type]
        implementation_code_hash=code_hash(bytes(w3.eth.get_code(implementation))),  # type: ignore[arg-type]
        mint_controller=controller,
        mint_controller_code_hash=code_hash(bytes(w3.eth.get_code(controller))),  # type: ignore[arg-type]
        deployed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        transactions={
            **transactions,
            "implementation": implementation_tx.hash,
            "initializer": initializer_tx.hash,
            "proxy": proxy_tx.hash,
        },
    )
    tenge = Tenge(w3, record, signer=deployer, gas=gas, abi=token_artifact.abi, chain_id=chain_id)
    tenge.verify()
    notes = grant(tenge, plan, timeout)
    members = {name: tenge.role_members(name) for name in ("DEFAULT_ADMIN_ROLE", *ROLE_NAMES)}
    record = replace(record, roles=members)
    path = write_record(record, directory) if directory is not None else None
    return Deployment(record, path, notes)


def grant(tenge: Tenge, plan: DeployPlan, timeout: float = 300.0) -> list[str]:
    """Grants each role to its holders, then configures each minter (the MINTER_ROLE list): its allowance
    at the mint controller (when the signer is a minter admin) and the unlimited system tier (when the
    signer holds KYC_ROLE). Returns what is left for another role holder to do."""
    signer = tenge.signer or ""
    sent: list[Pending] = []
    for name, addresses in plan.roles.items():
        for address in addresses:
            if name != "MINTER_ROLE" and not tenge.has_role(name, address):
                sent.append(tenge.grant_role(name, address, DEPLOYMENT_REASON))
    collect(sent, timeout=timeout)
    minters = plan.roles.get("MINTER_ROLE", [])
    missing = []
    sent = []
    for minter in minters:
        if tenge.has_role("MINTER_ADMIN_ROLE", signer):
            sent.append(tenge.configure_minter(minter, Tiyn(plan.minter_allowance), reason=DEPLOYMENT_REASON))
        else:
            missing.append(f"minter {minter}: a MINTER_ADMIN_ROLE holder must run configureMinter")
        if tenge.has_role("KYC_ROLE", signer):
            sent.append(tenge.set_tier(minter, SYSTEM_TIER, SYSTEM_ACCOUNT_REASON))
        else:
            missing.append(f"minter {minter}: a KYC_ROLE holder must put it in tier {SYSTEM_TIER}")
    collect(sent, timeout=timeout)
    return missing


def _create(
    sender: TransactionSender, w3: Web3, artifact: Artifact, args: tuple[Any, ...], timeout: float
) -> Receipt:
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    pending = sender.send_function(factory.constructor(*args), description=f"deploy {artifact.name}")
    return pending.wait(timeout=timeout)


def _created(receipt: Receipt, name: str) -> str:
    if receipt.contract_address is None:
        raise ChainError(f"the {name} creation {receipt.hash} left no contract address")
    return receipt.contract_address


__all__ = ["Artifact", "DeployPlan", "Deployment", "deploy", "grant", "is_local_chain", "local_plan"]
