"""The `tenge` group: global options (node, deployment record, key, gas, output) and the entry point."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import click

from tenge.cli.shared import Session, TengeGroup, fail_usage
from tenge.client import NETWORKS, rpc_url_for
from tenge.errors import EXIT_BAD_INPUT, EXIT_CHAIN, EXIT_DEPLOYMENT, EXIT_KEY, EXIT_OK, EXIT_REVERT
from tenge.transactions import GasPolicy

EXIT_CODES_HELP = f"""\b
Exit codes:
  {EXIT_OK}  success
  {EXIT_BAD_INPUT}  bad input (usage, amount, address, reason, payout file); payout in use or paid
  {EXIT_CHAIN}  chain or connection error (node down, transaction not mined, --timeout)
  {EXIT_REVERT}  the contract refused (named custom error); payout rows failed
  {EXIT_DEPLOYMENT}  the deployment record does not match the chain
  {EXIT_KEY}  no key, unreadable keystore or wrong password
"""


# --- the group ------------------------------------------------------------------------------------------


@click.group(cls=TengeGroup, epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--rpc",
    default="http://127.0.0.1:8545",
    show_default=True,
    envvar="TENGE_RPC",
    help="JSON-RPC URL of a node.",
)
@click.option(
    "--network",
    type=click.Choice(sorted(NETWORKS)),
    envvar="TENGE_NETWORK",
    help="A known network instead of --rpc (its public endpoint).",
)
@click.option(
    "--deployment",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="TENGE_DEPLOYMENT",
    help="Deployment record [default: deployments/<chain id>.json].",
)
@click.option(
    "--keystore",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="TENGE_KEYSTORE",
    help="Encrypted keystore of the signer (password from TENGE_KEYSTORE_PASSWORD or a prompt). "
    "Without it, the key comes from TENGE_PRIVATE_KEY.",
)
@click.option(
    "--gas-price", type=Decimal, help="Legacy gas price in gwei [default: the node's eth_gasPrice]."
)
@click.option("--eip1559", is_flag=True, help="Send type-2 (EIP-1559) transactions instead of legacy ones.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")
@click.pass_context
def cli(
    ctx: click.Context,
    rpc: str,
    network: str | None,
    deployment: Path | None,
    keystore: Path | None,
    gas_price: Decimal | None,
    eip1559: bool,
    as_json: bool,
) -> None:
    """The Digital Tenge (DKZT): balances, transfers, issuance, interventions, batch payouts and audits.

    Amounts are KZT with at most 2 decimals (1 KZT = 100 tiyn). Reasons are text, hashed with
    keccak256, or a 0x-prefixed 32-byte hex value. Every write is simulated first: a refusal is
    reported by the contract's error name before anything is signed.
    """
    if network is not None:
        if ctx.get_parameter_source("rpc") not in (None, click.core.ParameterSource.DEFAULT):
            fail_usage("give --network or --rpc, not both")
        rpc = rpc_url_for(network)
    gas = GasPolicy(
        gas_price_wei=None if gas_price is None else int(gas_price * 10**9),
        eip1559=eip1559,
    )
    ctx.obj = Session(rpc=rpc, deployment=deployment, keystore=keystore, gas=gas, as_json=as_json)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="tenge")
