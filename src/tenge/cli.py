"""`tenge`: the Digital Tenge from the command line. Parses arguments, calls the library, formats results."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import click
from eth_account.signers.local import LocalAccount
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tenge.addresses import checked_address, read_account_list
from tenge.client import NETWORKS, Tenge, TierLimits, rpc_url_for
from tenge.deployment import DEFAULT_DIRECTORY
from tenge.errors import (
    EXIT_BAD_INPUT,
    EXIT_CHAIN,
    EXIT_DEPLOYMENT,
    EXIT_KEY,
    EXIT_OK,
    EXIT_REVERT,
    InvalidInput,
    TengeError,
)
from tenge.events import INTERVENTION_EVENTS, ISSUANCE_EVENTS, REFERENCE_EVENTS, TRANSFER_EVENTS, EventLog
from tenge.keys import load_signer
from tenge.payout import PayoutEvent, PayoutSummary, load_payout_file, run_payout
from tenge.reasons import reason_bytes32
from tenge.references import reference_bytes32
from tenge.reverts import ContractRevert
from tenge.roles import ALL_ROLE_NAMES, parse_role, role_name
from tenge.signatures import signed_from_dict
from tenge.transactions import GasPolicy, Pending
from tenge.units import parse_kzt, parse_limit, tiyn_to_kzt

EXIT_CODES_HELP = f"""\b
Exit codes:
  {EXIT_OK}  success
  {EXIT_BAD_INPUT}  bad input (usage, amount, address, reason, payout file)
  {EXIT_CHAIN}  chain or connection error (node down, transaction not mined)
  {EXIT_REVERT}  the contract refused (named custom error); payout rows failed
  {EXIT_DEPLOYMENT}  the deployment record does not match the chain
  {EXIT_KEY}  no key, unreadable keystore or wrong password
"""

EVENT_GROUPS: dict[str, tuple[str, ...]] = {
    "transfers": TRANSFER_EVENTS + REFERENCE_EVENTS,
    "issuance": ISSUANCE_EVENTS,
    "interventions": INTERVENTION_EVENTS,
}

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


# --- parameter types: parsing with the library's own checks --------------------------------------------


class KztType(click.ParamType[Decimal, Any]):
    """KZT as the library's one parser reads them; with `nonzero`, for operations that move the amount."""

    name = "KZT"

    def __init__(self, nonzero: bool = False) -> None:
        self.nonzero = nonzero

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Decimal:
        if isinstance(value, Decimal):
            return value
        try:
            return tiyn_to_kzt(parse_kzt(str(value), nonzero=self.nonzero))
        except InvalidInput as exc:
            self.fail(str(exc), param, ctx)


class AddressType(click.ParamType[str, Any]):
    name = "ADDRESS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return str(checked_address(str(value)))
        except InvalidInput as exc:
            self.fail(str(exc), param, ctx)


class Bytes32Type(click.ParamType[bytes, Any]):
    """A bytes32 argument read by the library's own parser (reasons, references, roles)."""

    def __init__(self, name: str, parse: Callable[[str], bytes]) -> None:
        self.name = name
        self._parse = parse

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> bytes:
        if isinstance(value, bytes):
            return value
        try:
            return self._parse(str(value))
        except InvalidInput as exc:
            self.fail(str(exc), param, ctx)


KZT = KztType()
MOVED_KZT = KztType(nonzero=True)  # an amount that is moved, held or seized: zero would do nothing
ADDRESS = AddressType()
REASON = Bytes32Type("REASON", reason_bytes32)
REFERENCE = Bytes32Type("REFERENCE", reference_bytes32)
ROLE = Bytes32Type("ROLE", parse_role)
TIER = click.IntRange(0, 255)
reason_option = click.option(
    "--reason",
    required=True,
    type=REASON,
    help="Legal basis: text (hashed with keccak256) or 0x + 64 hex digits.",
)


# --- the shared state of one invocation ---------------------------------------------------------------


@dataclass
class Session:
    rpc: str
    deployment: Path | None
    keystore: Path | None
    gas: GasPolicy
    as_json: bool
    _readers: dict[bool, Tenge] = field(default_factory=dict)

    def tenge(self, sign: bool = False) -> Tenge:
        """A checked connection; with `sign`, the signer is loaded first (a key problem fails fast)."""
        if sign in self._readers:
            return self._readers[sign]
        signer: LocalAccount | None = None
        if sign:
            signer = load_signer(self.keystore, prompt=_prompt_password)
        tenge = Tenge.connect(
            self.rpc, self.deployment, signer=signer, gas=self.gas, directory=DEFAULT_DIRECTORY
        )
        self._readers[sign] = tenge
        return tenge

    def out(self, data: Any, human: Callable[[], None]) -> None:
        if self.as_json:
            click.echo(json.dumps(data, indent=2, default=str))
        else:
            human()

    def send(self, what: str, write: Callable[[Tenge], Pending]) -> None:
        """Signs and sends `write`, waits for the receipt and reports it; a refusal raises its named error."""
        tenge = self.tenge(sign=True)
        pending = write(tenge)
        receipt = pending.wait()
        events = tenge.receipt_events(receipt)
        data = {
            "action": what,
            "tx_hash": receipt.hash,
            "block": receipt.block,
            "gas_used": receipt.gas_used,
            "nonce": pending.nonce,
            "events": [e.to_dict() for e in events],
        }

        def human() -> None:
            stdout.print(
                f"[green]ok[/] {what}: block {receipt.block}, gas {receipt.gas_used}, tx {receipt.hash}"
            )
            for event in events:
                stdout.print(f"  {_event_line(event)}")

        self.out(data, human)


pass_session = click.make_pass_decorator(Session)


def _prompt_password(message: str) -> str:
    value: str = click.prompt(message, hide_input=True, err=True)
    return value


_NEGATIVE_NUMBER = re.compile(r"^-\.?\d")


class TengeCommand(click.Command):
    """Reads `tenge transfer BOB -5` as a refused negative amount, not as an unknown option `-5`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)  # the parser consumes its list
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            negative = [arg for arg in given if _NEGATIVE_NUMBER.match(arg)]
            if negative and negative[0].startswith(exc.option_name):
                raise click.UsageError(f"amount {negative[0]!r} is negative", ctx) from None
            raise


class TengeGroup(click.Group):
    """Turns the library's exceptions into a message and the exit code of their family."""

    command_class = TengeCommand
    group_class = type  # subgroups are TengeGroups too

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TengeError as exc:
            _report(ctx, exc)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            ctx.exit(130)


def _report(ctx: click.Context, exc: TengeError) -> None:
    session = ctx.find_object(Session)
    if session is not None and session.as_json:
        payload: dict[str, Any] = {
            "error": type(exc).__name__,
            "message": str(exc),
            "exit_code": exc.exit_code,
        }
        if isinstance(exc, ContractRevert):
            payload["arguments"] = exc.arguments
            if exc.kzt_arguments():
                payload["arguments_kzt"] = {key: str(value) for key, value in exc.kzt_arguments().items()}
        click.echo(json.dumps(payload, default=str), err=True)
        return
    label = "Contract refused" if isinstance(exc, ContractRevert) else type(exc).__name__
    stderr.print(f"[bold red]{label}:[/] {escape(str(exc))}")
    if isinstance(exc, ContractRevert):
        amounts = [f"{key}={value}" for key, value in exc.kzt_arguments().items()]
        if amounts:
            stderr.print(f"  (in KZT: {', '.join(amounts)})")
    if isinstance(exc, ContractRevert) and "neededRole" in exc.arguments:
        stderr.print(f"  (the role is {role_name(bytes.fromhex(str(exc.arguments['neededRole'])[2:]))})")


def _session(ctx: click.Context) -> Session:
    session = ctx.find_object(Session)
    if session is None:
        raise click.UsageError("run commands through the tenge group")
    return session


def _fail_usage(message: str) -> NoReturn:
    raise click.UsageError(message)


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
            _fail_usage("give --network or --rpc, not both")
        rpc = rpc_url_for(network)
    gas = GasPolicy(
        gas_price_wei=None if gas_price is None else int(gas_price * 10**9),
        eip1559=eip1559,
    )
    ctx.obj = Session(rpc=rpc, deployment=deployment, keystore=keystore, gas=gas, as_json=as_json)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="tenge")


# --- reads -----------------------------------------------------------------------------------------------


@cli.command()
@pass_session
def info(session: Session) -> None:
    """The token: address, implementation, supply, cap, pause state, admin."""
    token = session.tenge().info()

    session.out(token.to_dict(), lambda: _print_pairs(token.to_dict()))


@cli.command()
@click.argument("accounts", nargs=-1, required=True, type=ADDRESS)
@pass_session
def balance(session: Session, accounts: tuple[str, ...]) -> None:
    """Balance, spendable amount, freeze and blocklist state, tier, and what ACCOUNTS can send and receive."""
    tenge = session.tenge()
    statuses = [tenge.status(account) for account in accounts]

    def human() -> None:
        table = Table(
            "account",
            "balance KZT",
            "available KZT",
            "held KZT",
            "frozen",
            "blocked",
            "tier",
            "can send KZT",
            "can receive KZT",
        )
        for s in statuses:
            table.add_row(
                s.address,
                str(s.balance),
                str(s.available),
                str(s.frozen_amount),
                _yes(s.frozen),
                _yes(s.blocked),
                str(s.tier),
                str(s.available_to_send),
                _limit(s.available_to_receive),
            )
        _print_table(table)

    session.out([s.to_dict() for s in statuses], human)


@cli.command()
@click.argument("owner", type=ADDRESS)
@click.argument("spender", type=ADDRESS)
@pass_session
def allowance(session: Session, owner: str, spender: str) -> None:
    """How much SPENDER may still move from OWNER."""
    amount = session.tenge().allowance(owner, spender)
    session.out(
        {"owner": owner, "spender": spender, "allowance": str(amount)}, lambda: stdout.print(f"{amount} KZT")
    )


# --- writes ----------------------------------------------------------------------------------------------


@cli.command()
@click.argument("to", type=ADDRESS)
@click.argument("amount", type=MOVED_KZT)
@click.option(
    "--reference",
    type=REFERENCE,
    help="Payment reference (invoice id): text up to 32 bytes, kept readable, or 0x + 64 hex digits.",
)
@pass_session
def transfer(session: Session, to: str, amount: Decimal, reference: bytes | None) -> None:
    """Send AMOUNT KZT to TO, with --reference by transferWithReference (a PaymentReference event)."""
    session.send(
        f"transfer {amount} KZT to {to}", lambda tenge: tenge.transfer(to, amount, reference=reference)
    )


@cli.command()
@click.argument("spender", type=ADDRESS)
@click.argument("amount", type=KZT)
@pass_session
def approve(session: Session, spender: str, amount: Decimal) -> None:
    """Let SPENDER move up to AMOUNT KZT of the signer's balance."""
    session.send(f"approve {spender} for {amount} KZT", lambda tenge: tenge.approve(spender, amount))


@cli.command()
@click.argument("to", type=ADDRESS)
@click.argument("amount", type=MOVED_KZT)
@pass_session
def mint(session: Session, to: str, amount: Decimal) -> None:
    """Issue AMOUNT KZT to TO (MINTER_ROLE, within the minter allowance)."""
    session.send(f"mint {amount} KZT to {to}", lambda tenge: tenge.mint(to, amount))


@cli.command()
@click.argument("amount", type=MOVED_KZT)
@pass_session
def burn(session: Session, amount: Decimal) -> None:
    """Redeem AMOUNT KZT of the signer's own balance (MINTER_ROLE)."""
    session.send(f"burn {amount} KZT", lambda tenge: tenge.burn(amount))


# --- interventions: one account, or many in one transaction -------------------------------------------------

accounts_argument = click.argument("accounts", nargs=-1, type=ADDRESS)
accounts_file_option = click.option(
    "--file",
    "accounts_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also the accounts in this file, one a line; all are changed in one transaction.",
)


def _accounts(accounts: tuple[str, ...], accounts_file: Path | None) -> list[str]:
    listed = list(accounts) + ([] if accounts_file is None else read_account_list(accounts_file))
    if not listed:
        _fail_usage("give at least one ACCOUNT, or --file")
    return listed


@cli.command()
@accounts_argument
@accounts_file_option
@reason_option
@click.option(
    "--amount", type=MOVED_KZT, help="Hold this much (a partial freeze, or lien) instead of freezing all."
)
@pass_session
def freeze(
    session: Session,
    accounts: tuple[str, ...],
    accounts_file: Path | None,
    reason: bytes,
    amount: Decimal | None,
) -> None:
    """Freeze ACCOUNTS (all in one transaction), or hold --amount KZT of one (FREEZER_ROLE)."""
    listed = _accounts(accounts, accounts_file)
    if amount is None:
        session.send(f"freeze {_listing(listed)}", lambda tenge: tenge.freeze_many(listed, reason))
        return
    (account,) = _one(listed, "--amount")
    session.send(
        f"hold {amount} KZT of {account}", lambda tenge: tenge.freeze_amount(account, amount, reason)
    )


@cli.command()
@accounts_argument
@accounts_file_option
@reason_option
@click.option("--amount", type=MOVED_KZT, help="Release this much of one account's hold instead.")
@pass_session
def unfreeze(
    session: Session,
    accounts: tuple[str, ...],
    accounts_file: Path | None,
    reason: bytes,
    amount: Decimal | None,
) -> None:
    """Lift the freeze of ACCOUNTS, or release --amount KZT of one account's hold (FREEZER_ROLE)."""
    listed = _accounts(accounts, accounts_file)
    if amount is None:
        session.send(f"unfreeze {_listing(listed)}", lambda tenge: tenge.unfreeze_many(listed, reason))
        return
    (account,) = _one(listed, "--amount")
    session.send(
        f"release {amount} KZT of {account}", lambda tenge: tenge.unfreeze_amount(account, amount, reason)
    )


@cli.command(name="block")
@accounts_argument
@accounts_file_option
@reason_option
@pass_session
def block_account(
    session: Session, accounts: tuple[str, ...], accounts_file: Path | None, reason: bytes
) -> None:
    """Blocklist ACCOUNTS (all in one transaction): they can neither send nor receive (BLOCKLISTER_ROLE)."""
    listed = _accounts(accounts, accounts_file)
    session.send(f"block {_listing(listed)}", lambda tenge: tenge.block_many(listed, reason))


@cli.command()
@accounts_argument
@accounts_file_option
@reason_option
@pass_session
def unblock(session: Session, accounts: tuple[str, ...], accounts_file: Path | None, reason: bytes) -> None:
    """Take ACCOUNTS off the blocklist, all in one transaction (BLOCKLISTER_ROLE)."""
    listed = _accounts(accounts, accounts_file)
    session.send(f"unblock {_listing(listed)}", lambda tenge: tenge.unblock_many(listed, reason))


def _listing(accounts: list[str]) -> str:
    return accounts[0] if len(accounts) == 1 else f"{len(accounts)} accounts"


def _one(accounts: list[str], option: str) -> list[str]:
    if len(accounts) != 1:
        _fail_usage(f"{option} applies to exactly one account, not {len(accounts)}")
    return accounts


@cli.command()
@click.argument("account", type=ADDRESS)
@click.argument("amount", type=MOVED_KZT)
@reason_option
@click.option("--to", "to", type=ADDRESS, help="Where the seized funds go.")
@click.option("--burn", "burn_it", is_flag=True, help="Burn the seized funds instead.")
@pass_session
def seize(
    session: Session, account: str, amount: Decimal, reason: bytes, to: str | None, burn_it: bool
) -> None:
    """Seize AMOUNT KZT from a blocked or frozen ACCOUNT, --to an address or --burn (SEIZER_ROLE)."""
    if (to is None) == (not burn_it):
        _fail_usage("give exactly one of --to ADDRESS or --burn")
    target = "burned" if to is None else f"to {to}"
    session.send(
        f"seize {amount} KZT from {account}, {target}",
        lambda tenge: tenge.seize(account, to, amount, reason),
    )


@cli.command()
@reason_option
@pass_session
def pause(session: Session, reason: bytes) -> None:
    """Stop every transfer, mint and burn (PAUSER_ROLE)."""
    session.send("pause", lambda tenge: tenge.pause(reason))


@cli.command()
@reason_option
@pass_session
def unpause(session: Session, reason: bytes) -> None:
    """Resume transfers (PAUSER_ROLE)."""
    session.send("unpause", lambda tenge: tenge.unpause(reason))


@cli.command()
@click.argument("token", type=ADDRESS)
@click.argument("to", type=ADDRESS)
@click.argument("amount", type=click.IntRange(min=1))
@pass_session
def rescue(session: Session, token: str, to: str, amount: int) -> None:
    """Send AMOUNT (in TOKEN's smallest units) of another TOKEN stuck in the contract to TO (RESCUER_ROLE)."""
    session.send(f"rescue {amount} units of {token} to {to}", lambda tenge: tenge.rescue(token, to, amount))


# --- the wallet policy: tiers, limits, links ---------------------------------------------------------------


@cli.group()
def tier() -> None:
    """KYC tiers: what an account may hold and send per day (set: KYC_ROLE)."""


@tier.command(name="get")
@click.argument("account", type=ADDRESS)
@pass_session
def tier_get(session: Session, account: str) -> None:
    """ACCOUNT's tier, its limits, today's outflow, what it can send and receive now, its linked account."""
    status = session.tenge().wallet_policy(account)
    data = status.to_dict()

    def human() -> None:
        _print_pairs(
            data
            | {
                "max_balance": _limit(status.limits.max_balance),
                "daily_outflow": _limit(status.limits.daily_outflow),
                "available_to_receive": _limit(status.available_to_receive),
            }
        )

    session.out(data, human)


@tier.command(name="set")
@click.argument("account", type=ADDRESS)
@click.argument("tier_number", metavar="TIER", type=TIER)
@reason_option
@pass_session
def tier_set(session: Session, account: str, tier_number: int, reason: bytes) -> None:
    """Put ACCOUNT in TIER (0-255), citing the KYC decision (KYC_ROLE)."""
    session.send(
        f"tier {tier_number} for {account}", lambda tenge: tenge.set_tier(account, tier_number, reason)
    )


class LimitsGroup(TengeGroup):
    """`tenge limits 2` shows one tier; `tenge limits set 2 ...` configures it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            ctx.meta["tenge.tier"] = TIER(args[0], None, ctx)
            args = args[1:]
        return super().parse_args(ctx, args)


@cli.group(cls=LimitsGroup, invoke_without_command=True, subcommand_metavar="[TIER] | set TIER ...")
@click.pass_context
def limits(ctx: click.Context) -> None:
    """The limits of every configured tier (or of TIER): max balance and daily outflow, in KZT."""
    if ctx.invoked_subcommand is not None:
        return
    session = _session(ctx)
    tenge = session.tenge()
    chosen: int | None = ctx.meta.get("tenge.tier")
    tiers = tenge.all_tier_limits() if chosen is None else [tenge.tier_limits(chosen)]
    enabled = tenge.policy_enabled()

    def human() -> None:
        title = f"policy {'on' if enabled else 'off'}"
        table = Table("tier", "max balance KZT", "daily outflow KZT", title=title, title_justify="left")
        for limit in tiers:
            table.add_row(str(limit.tier), _limit(limit.max_balance), _limit(limit.daily_outflow))
        _print_table(table)

    session.out({"policy_enabled": enabled, "tiers": [limit.to_dict() for limit in tiers]}, human)


@limits.command(name="set")
@click.argument("tier_number", metavar="TIER", type=TIER)
@click.option("--max-balance", required=True, metavar="KZT|unlimited", help="The most an account may hold.")
@click.option(
    "--daily-outflow", required=True, metavar="KZT|unlimited", help="The most it may send per UTC day."
)
@pass_session
def limits_set(session: Session, tier_number: int, max_balance: str, daily_outflow: str) -> None:
    """Set TIER's holding and daily outflow limits (DEFAULT_ADMIN_ROLE)."""
    wanted = TierLimits(tier_number, parse_limit(max_balance), parse_limit(daily_outflow))
    session.send(
        f"limits of tier {tier_number}: holds {_limit(wanted.max_balance)}, "
        f"sends {_limit(wanted.daily_outflow)} a day",
        lambda tenge: tenge.set_tier_limits(tier_number, wanted.max_balance, wanted.daily_outflow),
    )


@cli.command()
@click.argument("account", type=ADDRESS)
@click.argument("linked", type=ADDRESS)
@reason_option
@pass_session
def link(session: Session, account: str, linked: str, reason: bytes) -> None:
    """Pass what exceeds ACCOUNT's holding limit on to LINKED, its bank's account (KYC_ROLE)."""
    session.send(
        f"link {account} to {linked}", lambda tenge: tenge.set_linked_account(account, linked, reason)
    )


@cli.command()
@click.argument("account", type=ADDRESS)
@reason_option
@pass_session
def unlink(session: Session, account: str, reason: bytes) -> None:
    """Remove ACCOUNT's linked account: payments over its limit are refused again (KYC_ROLE)."""
    session.send(f"unlink {account}", lambda tenge: tenge.set_linked_account(account, None, reason))


@cli.command()
@click.argument("state", type=click.Choice(["on", "off"]))
@reason_option
@pass_session
def policy(session: Session, state: str, reason: bytes) -> None:
    """Switch the wallet policy (tiers, limits, waterfall) on or off as a whole (DEFAULT_ADMIN_ROLE)."""
    session.send(f"policy {state}", lambda tenge: tenge.set_policy_enabled(state == "on", reason))


# --- issuance controls: minters and the supply cap ----------------------------------------------------------


@cli.group()
def minter() -> None:
    """Minter allowances: show, configure, remove (MINTER_ADMIN_ROLE)."""


@minter.command(name="show")
@click.argument("account", type=ADDRESS)
@pass_session
def minter_show(session: Session, account: str) -> None:
    """ACCOUNT's minter role, allowance now, and refill (capacity and KZT per second)."""
    status = session.tenge().minter_status(account)
    session.out(status.to_dict(), lambda: _print_pairs(status.to_dict()))


@minter.command(name="configure")
@click.argument("account", type=ADDRESS)
@click.argument("amount", type=KZT)
@click.option("--capacity", type=KZT, help="With a refill: the most the allowance grows back to.")
@click.option("--refill-per-second", type=KZT, help="KZT the allowance grows back by each second.")
@pass_session
def minter_configure(
    session: Session,
    account: str,
    amount: Decimal,
    capacity: Decimal | None,
    refill_per_second: Decimal | None,
) -> None:
    """Make ACCOUNT a minter allowed AMOUNT KZT, optionally refilling up to --capacity."""
    if (capacity is None) != (refill_per_second is None):
        _fail_usage("--capacity and --refill-per-second go together")
    refill = "" if capacity is None else f", refilling {refill_per_second} KZT/s up to {capacity} KZT"
    session.send(
        f"configure minter {account}: {amount} KZT{refill}",
        lambda tenge: tenge.configure_minter(
            account,
            amount,
            capacity=capacity,
            refill_per_second=Decimal(0) if refill_per_second is None else refill_per_second,
        ),
    )


@minter.command(name="remove")
@click.argument("account", type=ADDRESS)
@pass_session
def minter_remove(session: Session, account: str) -> None:
    """Take ACCOUNT's minter role and allowance away."""
    session.send(f"remove minter {account}", lambda tenge: tenge.remove_minter(account))


@cli.group(name="supply-cap")
def supply_cap() -> None:
    """The cap on total supply: show, set, lift (DEFAULT_ADMIN_ROLE)."""


@supply_cap.command(name="show")
@pass_session
def supply_cap_show(session: Session) -> None:
    """The cap and the total supply, in KZT."""
    tenge = session.tenge()
    cap, supply = tenge.supply_cap(), tenge.total_supply()
    data = {"supply_cap": None if cap is None else str(cap), "total_supply": str(supply)}
    session.out(data, lambda: _print_pairs({"supply cap": cap or "none", "total supply": supply}))


@supply_cap.command(name="set")
@click.argument("amount", type=KZT)
@pass_session
def supply_cap_set(session: Session, amount: Decimal) -> None:
    """Cap total supply at AMOUNT KZT."""
    session.send(f"cap supply at {amount} KZT", lambda tenge: tenge.set_supply_cap(amount))


@supply_cap.command(name="lift")
@pass_session
def supply_cap_lift(session: Session) -> None:
    """Remove the cap."""
    session.send("lift the supply cap", lambda tenge: tenge.set_supply_cap(None))


# --- roles and the default admin --------------------------------------------------------------------------


@cli.group(invoke_without_command=True)
@click.option("--account", type=ADDRESS, help="Show the roles of this account only.")
@click.pass_context
def roles(ctx: click.Context, account: str | None) -> None:
    """Who holds which role; `roles grant` and `roles revoke` change them (role admin)."""
    if ctx.invoked_subcommand is not None:
        return
    session = _session(ctx)
    tenge = session.tenge()
    if account is not None:
        held = tenge.roles_of(account)
        session.out(
            {"account": account, "roles": held},
            lambda: stdout.print(f"{account}: {', '.join(held) or 'no roles'}"),
        )
        return
    holders = {name: tenge.role_members(name) for name in ALL_ROLE_NAMES}

    def human() -> None:
        table = Table("role", "holders")
        for name, members in holders.items():
            table.add_row(name, "\n".join(members) or "-")
        _print_table(table)

    session.out(holders, human)


@roles.command()
@click.argument("role", type=ROLE)
@click.argument("account", type=ADDRESS)
@pass_session
def grant(session: Session, role: bytes, account: str) -> None:
    """Grant ROLE (e.g. FREEZER_ROLE or FREEZER) to ACCOUNT."""
    session.send(f"grant {role_name(role)} to {account}", lambda tenge: tenge.grant_role(role, account))


@roles.command()
@click.argument("role", type=ROLE)
@click.argument("account", type=ADDRESS)
@pass_session
def revoke(session: Session, role: bytes, account: str) -> None:
    """Revoke ROLE from ACCOUNT."""
    session.send(f"revoke {role_name(role)} from {account}", lambda tenge: tenge.revoke_role(role, account))


@cli.group()
def admin() -> None:
    """The default admin and its two-step handover: begin (admin), wait the delay, accept (new admin)."""


@admin.command(name="show")
@pass_session
def admin_show(session: Session) -> None:
    """The admin, a handover in progress (who, from when) and the handover delay."""
    status = session.tenge().admin_status()
    session.out(status.to_dict(), lambda: _print_pairs(status.to_dict()))


@admin.command(name="begin")
@click.argument("new_admin", type=ADDRESS)
@pass_session
def admin_begin(session: Session, new_admin: str) -> None:
    """Offer the admin role to NEW_ADMIN; it may accept once the delay has passed (the admin)."""
    session.send(
        f"begin admin handover to {new_admin}", lambda tenge: tenge.begin_default_admin_transfer(new_admin)
    )


@admin.command(name="accept")
@pass_session
def admin_accept(session: Session) -> None:
    """Accept the admin role offered to the signer, after the delay."""
    session.send("accept the admin role", lambda tenge: tenge.accept_default_admin_transfer())


@admin.command(name="cancel")
@pass_session
def admin_cancel(session: Session) -> None:
    """Withdraw a handover in progress (the admin)."""
    session.send("cancel the admin handover", lambda tenge: tenge.cancel_default_admin_transfer())


# --- signed transfers: a holder signs off-line, a relayer submits -------------------------------------------


output_option = click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file [default: stdout]."
)
valid_for_option = click.option(
    "--valid-for", default=3600, show_default=True, type=click.IntRange(min=1), help="Seconds it stays valid."
)


@cli.command()
@click.argument("spender", type=ADDRESS)
@click.argument("amount", type=KZT)
@valid_for_option
@output_option
@pass_session
def permit(session: Session, spender: str, amount: Decimal, valid_for: int, output: Path | None) -> None:
    """Sign an EIP-2612 permit letting SPENDER move AMOUNT KZT (JSON; nothing is sent, see `relay`)."""
    signed = session.tenge(sign=True).sign_permit(spender, amount, deadline=int(time.time()) + valid_for)
    _write(json.dumps(signed.to_dict(), indent=2) + "\n", output)


@cli.command()
@click.argument("to", type=ADDRESS)
@click.argument("amount", type=MOVED_KZT)
@valid_for_option
@click.option("--receive", is_flag=True, help="A receiveWithAuthorization: only TO may submit it.")
@output_option
@pass_session
def authorize(
    session: Session, to: str, amount: Decimal, valid_for: int, receive: bool, output: Path | None
) -> None:
    """Sign an EIP-3009 authorization to send AMOUNT KZT to TO (JSON; nothing is sent, see `relay`)."""
    signed = session.tenge(sign=True).sign_transfer_authorization(
        to, amount, valid_before=int(time.time()) + valid_for, receive=receive
    )
    _write(json.dumps(signed.to_dict(), indent=2) + "\n", output)


@cli.command(name="cancel-authorization")
@click.argument("nonce")
@output_option
@pass_session
def cancel_authorization(session: Session, nonce: str, output: Path | None) -> None:
    """Sign the cancellation of the signer's unused authorization NONCE (JSON; submit it with `relay`)."""
    signed = session.tenge(sign=True).sign_cancel_authorization(nonce)
    _write(json.dumps(signed.to_dict(), indent=2) + "\n", output)


@cli.command()
@click.argument("file", type=click.File("r"))
@pass_session
def relay(session: Session, file: io.TextIOWrapper) -> None:
    """Submit a signed permit or authorization from FILE (- for stdin); the signer pays the gas."""
    try:
        signed = signed_from_dict(json.load(file))
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{file.name}: not JSON ({exc})") from None
    except AttributeError:
        raise InvalidInput(f"{file.name}: expected a JSON object, as `tenge authorize` writes") from None
    session.send(f"relay {signed.type}", lambda tenge: tenge.relay(signed))


# --- payout ----------------------------------------------------------------------------------------------


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--journal",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite journal [default: FILE.journal.sqlite next to the file].",
)
@click.option(
    "--mint", "as_mint", is_flag=True, help="Mint each amount (MINTER_ROLE) instead of transferring it."
)
@click.option(
    "--window", default=64, show_default=True, type=click.IntRange(1, 1024), help="Transactions in flight."
)
@click.option(
    "--timeout", default=300.0, show_default=True, type=float, help="Seconds to wait without progress."
)
@click.pass_context
def payout(
    ctx: click.Context, file: Path, journal: Path | None, as_mint: bool, window: int, timeout: float
) -> None:
    """Pay every row of FILE (CSV with a header: address,amount[,reference]) exactly once.

    A row's reference goes on chain with the payment (transferWithReference; mints carry none). The
    whole file is checked first, and with the wallet policy on, each receiver's holding limit and the
    sender's daily outflow too; if any row is bad, every bad row is listed by line number and nothing
    is sent. Each transaction is recorded in the journal before it is sent: if the run is
    interrupted, run the same command again and it resumes without paying any row twice.
    """
    session = _session(ctx)
    payout_file = load_payout_file(file)  # every bad row is reported before any key or node is touched
    tenge = session.tenge(sign=True)
    progress = Progress(
        TextColumn("payout"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        console=stderr,
        disable=session.as_json,
    )
    task = progress.add_task("payout", total=None, status="")
    failed = 0

    def on_start(rows: int, already_paid: int) -> None:
        progress.update(task, total=rows, completed=already_paid, status="")

    def on_event(event: PayoutEvent) -> None:
        nonlocal failed
        if event.kind == "paid":
            progress.advance(task)
        elif event.kind in ("failed", "refused"):
            failed += 1
            progress.update(task, status=f"[red]{failed} failed")

    with progress:
        summary = run_payout(
            tenge,
            payout_file,
            journal_path=journal,
            mint=as_mint,
            window=window,
            on_event=on_event,
            on_start=on_start,
            timeout=timeout,
        )
    session.out(summary.to_dict(), lambda: _print_summary(summary))
    if summary.failed:
        ctx.exit(EXIT_REVERT)


def _print_summary(summary: PayoutSummary) -> None:
    table = Table(show_header=False, box=None, title="Payout summary", title_justify="left")
    table.add_row("rows", str(summary.rows))
    table.add_row("paid", f"{summary.paid} ({summary.sent_this_run} sent in this run)")
    table.add_row("total paid", f"{summary.paid_kzt} KZT")
    table.add_row("failed", str(len(summary.failed)))
    table.add_row("unfinished", str(summary.unfinished))
    table.add_row("gas used", str(summary.gas_used))
    table.add_row("journal", summary.journal)
    _print_table(table)
    if summary.failed:
        failures = Table("line", "address", "amount KZT", "reason", title="Failed rows", title_justify="left")
        for row in summary.failed:
            failures.add_row(str(row.line), row.address, str(row.amount), row.error)
        _print_table(failures)


# --- history, watch, audit ---------------------------------------------------------------------------------


@cli.command()
@click.argument("account", type=ADDRESS)
@click.option("--from-block", type=click.IntRange(min=0), help="[default: the deployment block]")
@click.option("--to-block", type=click.IntRange(min=0), help="[default: the latest block]")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file [default: stdout]."
)
@click.option("--page-size", type=click.IntRange(min=1), help="Blocks per eth_getLogs query.")
@pass_session
def history(
    session: Session,
    account: str,
    from_block: int | None,
    to_block: int | None,
    fmt: str,
    output: Path | None,
    page_size: int | None,
) -> None:
    """Every movement into or out of ACCOUNT (transfers, mints, burns, seizures), as CSV or JSON.

    A payment sent with a reference shows it (its text, or 0x-hex when it is not text).
    """
    entries = session.tenge().history(account, from_block, to_block, page_size=page_size)
    rows = [entry.to_dict() for entry in entries]
    if session.as_json or fmt == "json":
        text = json.dumps(rows, indent=2) + "\n"
    else:
        columns = [
            "block",
            "time",
            "tx_hash",
            "log_index",
            "kind",
            "direction",
            "from",
            "to",
            "amount",
            "reference",
        ]
        text = _csv(columns, rows)
    _write(text, output)


@cli.command()
@click.option(
    "--events",
    "selection",
    default="transfers,issuance,interventions",
    show_default=True,
    help="Comma-separated groups (transfers, issuance, interventions) or event names.",
)
@click.option("--from-block", type=click.IntRange(min=0), help="Start here [default: the next block].")
@click.option("--count", type=click.IntRange(min=1), help="Stop after this many events.")
@click.option("--timeout", type=float, help="Stop after this many seconds.")
@click.option("--poll", default=1.0, show_default=True, type=float, help="Seconds between polls.")
@click.option("--confirmations", default=0, show_default=True, type=click.IntRange(min=0))
@pass_session
def watch(
    session: Session,
    selection: str,
    from_block: int | None,
    count: int | None,
    timeout: float | None,
    poll: float,
    confirmations: int,
) -> None:
    """Print the token's events as they happen (Ctrl-C to stop)."""
    tenge = session.tenge()
    names = _event_names(tenge, selection)
    deadline = None if timeout is None else time.monotonic() + timeout
    stream: Iterator[EventLog] = tenge.watch(
        names,
        from_block=from_block,
        poll_interval=poll,
        confirmations=confirmations,
        should_stop=lambda: deadline is not None and time.monotonic() > deadline,
    )
    for seen, event in enumerate(stream, start=1):
        if session.as_json:
            click.echo(json.dumps(event.to_dict(), default=str))
        else:
            stdout.print(f"{event.time} block {event.block} {_event_line(event)}")
        sys.stdout.flush()
        if count is not None and seen >= count:
            break


@cli.command()
@click.option("--from-block", type=click.IntRange(min=0), help="[default: the deployment block]")
@click.option("--to-block", type=click.IntRange(min=0), help="[default: the latest block]")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True
)
@click.option("--csv", "fmt", flag_value="csv", help="Short for --format csv.")
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file [default: stdout]."
)
@click.option("--page-size", type=click.IntRange(min=1), help="Blocks per eth_getLogs query.")
@pass_session
def audit(
    session: Session,
    from_block: int | None,
    to_block: int | None,
    fmt: str,
    output: Path | None,
    page_size: int | None,
) -> None:
    """Every intervention (freeze, hold, block, seizure, pause, role change, upgrade): reason, actor, time."""
    entries = session.tenge().audit(from_block, to_block, page_size=page_size)
    rows = [entry.to_dict() for entry in entries]
    if session.as_json or fmt == "json":
        _write(json.dumps(rows, indent=2) + "\n", output)
    elif fmt == "csv":
        columns = ["block", "time", "event", "account", "actor", "reason", "details", "tx_hash"]
        _write(_csv(columns, rows), output)
    else:
        table = Table("block", "time", "event", "account", "actor", "reason", "details")
        for row in rows:
            table.add_row(
                str(row["block"]),
                str(row["time"]),
                row["event"],
                row["account"],
                row["actor"],
                row["reason"],
                row["details"],
            )
        if output is None:
            Console(width=320, highlight=False).print(table)
        else:
            with output.open("w") as handle:
                Console(file=handle, width=320, highlight=False).print(table)


# --- formatting helpers -------------------------------------------------------------------------------------


def _event_names(tenge: Tenge, selection: str) -> list[str]:
    names: list[str] = []
    for item in (part.strip() for part in selection.split(",")):
        if not item:
            continue
        if item in EVENT_GROUPS:
            names.extend(EVENT_GROUPS[item])
        else:
            tenge.events.topic(item)  # refuses unknown names
            names.append(item)
    if not names:
        _fail_usage("--events selects no events")
    return list(dict.fromkeys(names))


def _event_line(event: EventLog) -> str:
    args = event.to_dict()["args"]
    rendered = ", ".join(f"{key}={value}" for key, value in args.items())
    suffix = f" reference={event.reference}" if event.reference else ""
    return f"{event.name}({rendered}){suffix}"


def _csv(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text)


def _print_table(table: Table) -> None:
    """A table as wide as the terminal; into a pipe or file, wide enough that no address or amount folds."""
    Console(highlight=False, width=None if sys.stdout.isatty() else 200).print(table)


def _print_pairs(pairs: dict[str, Any]) -> None:
    table = Table(show_header=False, box=None)
    for key, value in pairs.items():
        table.add_row(key, "-" if value is None else str(value))
    _print_table(table)


def _limit(amount: Decimal | None) -> str:
    return "unlimited" if amount is None else str(amount)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_CHAIN",
    "EXIT_DEPLOYMENT",
    "EXIT_KEY",
    "EXIT_OK",
    "EXIT_REVERT",
    "cli",
    "main",
]
