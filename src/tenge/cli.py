"""`tenge`: the Digital Tenge from the command line. Parses arguments, calls the library, formats results."""

from __future__ import annotations

import csv
import io
import json
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

from tenge.addresses import checked_address
from tenge.client import NETWORKS, Tenge, rpc_url_for
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
from tenge.events import INTERVENTION_EVENTS, ISSUANCE_EVENTS, TRANSFER_EVENTS, EventLog
from tenge.keys import load_signer
from tenge.payout import PayoutEvent, PayoutSummary, load_payout_file, run_payout
from tenge.reasons import reason_bytes32
from tenge.reverts import ContractRevert
from tenge.roles import ALL_ROLE_NAMES, parse_role, role_name
from tenge.transactions import GasPolicy, Pending
from tenge.units import kzt_to_tiyn, tiyn_to_kzt

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
    "transfers": TRANSFER_EVENTS,
    "issuance": ISSUANCE_EVENTS,
    "interventions": INTERVENTION_EVENTS,
}

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


# --- parameter types: parsing with the library's own checks --------------------------------------------


class KztType(click.ParamType[Decimal, Any]):
    name = "KZT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Decimal:
        try:
            return tiyn_to_kzt(kzt_to_tiyn(str(value)))
        except InvalidInput as exc:
            self.fail(str(exc), param, ctx)


class AddressType(click.ParamType[str, Any]):
    name = "ADDRESS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return str(checked_address(str(value)))
        except InvalidInput as exc:
            self.fail(str(exc), param, ctx)


class ReasonType(click.ParamType[bytes, Any]):
    name = "REASON"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> bytes:
        if isinstance(value, bytes):
            return value
        try:
            return reason_bytes32(str(value))
        except InvalidInput as exc:
            self.fail(str(exc), param, ctx)


class RoleType(click.ParamType[bytes, Any]):
    name = "ROLE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> bytes:
        if isinstance(value, bytes):
            return value
        try:
            return parse_role(str(value))
        except InvalidInput as exc:
            self.fail(str(exc), param, ctx)


KZT = KztType()
ADDRESS = AddressType()
REASON = ReasonType()
ROLE = RoleType()
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


def _prompt_password(message: str) -> str:
    value: str = click.prompt(message, hide_input=True, err=True)
    return value


class TengeGroup(click.Group):
    """Turns the library's exceptions into a message and the exit code of their family."""

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
        click.echo(json.dumps(payload, default=str), err=True)
        return
    label = "Contract refused" if isinstance(exc, ContractRevert) else type(exc).__name__
    stderr.print(f"[bold red]{label}:[/] {escape(str(exc))}")
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
@click.pass_context
def info(ctx: click.Context) -> None:
    """The token: address, implementation, supply, cap, pause state, admin."""
    session = _session(ctx)
    token = session.tenge().info()

    def human() -> None:
        table = Table(show_header=False, box=None)
        for key, value in token.to_dict().items():
            table.add_row(key, str(value))
        stdout.print(table)

    session.out(token.to_dict(), human)


@cli.command()
@click.argument("accounts", nargs=-1, required=True, type=ADDRESS)
@click.pass_context
def balance(ctx: click.Context, accounts: tuple[str, ...]) -> None:
    """Balance, spendable amount, freeze and blocklist state of ACCOUNTS."""
    session = _session(ctx)
    tenge = session.tenge()
    statuses = [tenge.status(account) for account in accounts]

    def human() -> None:
        table = Table("account", "balance KZT", "available KZT", "held KZT", "frozen", "blocked")
        for s in statuses:
            table.add_row(
                s.address,
                str(s.balance),
                str(s.available),
                str(s.frozen_amount),
                _yes(s.frozen),
                _yes(s.blocked),
            )
        stdout.print(table)

    session.out([s.to_dict() for s in statuses], human)


@cli.command()
@click.argument("owner", type=ADDRESS)
@click.argument("spender", type=ADDRESS)
@click.pass_context
def allowance(ctx: click.Context, owner: str, spender: str) -> None:
    """How much SPENDER may still move from OWNER."""
    session = _session(ctx)
    amount = session.tenge().allowance(owner, spender)
    session.out(
        {"owner": owner, "spender": spender, "allowance": str(amount)}, lambda: stdout.print(f"{amount} KZT")
    )


# --- writes ----------------------------------------------------------------------------------------------


def _finish(ctx: click.Context, tenge: Tenge, pending: Pending, what: str) -> None:
    """Waits for the receipt and reports it (a failed transaction raises its named revert)."""
    session = _session(ctx)
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
        stdout.print(f"[green]ok[/] {what}: block {receipt.block}, gas {receipt.gas_used}, tx {receipt.hash}")
        for event in events:
            stdout.print(f"  {_event_line(event)}")

    session.out(data, human)


@cli.command()
@click.argument("to", type=ADDRESS)
@click.argument("amount", type=KZT)
@click.pass_context
def transfer(ctx: click.Context, to: str, amount: Decimal) -> None:
    """Send AMOUNT KZT to TO."""
    tenge = _session(ctx).tenge(sign=True)
    _finish(ctx, tenge, tenge.transfer(to, amount), f"transfer {amount} KZT to {to}")


@cli.command()
@click.argument("spender", type=ADDRESS)
@click.argument("amount", type=KZT)
@click.pass_context
def approve(ctx: click.Context, spender: str, amount: Decimal) -> None:
    """Let SPENDER move up to AMOUNT KZT of the signer's balance."""
    tenge = _session(ctx).tenge(sign=True)
    _finish(ctx, tenge, tenge.approve(spender, amount), f"approve {spender} for {amount} KZT")


@cli.command()
@click.argument("to", type=ADDRESS)
@click.argument("amount", type=KZT)
@click.pass_context
def mint(ctx: click.Context, to: str, amount: Decimal) -> None:
    """Issue AMOUNT KZT to TO (MINTER_ROLE, within the minter allowance)."""
    tenge = _session(ctx).tenge(sign=True)
    _finish(ctx, tenge, tenge.mint(to, amount), f"mint {amount} KZT to {to}")


@cli.command()
@click.argument("amount", type=KZT)
@click.pass_context
def burn(ctx: click.Context, amount: Decimal) -> None:
    """Redeem AMOUNT KZT of the signer's own balance (MINTER_ROLE)."""
    tenge = _session(ctx).tenge(sign=True)
    _finish(ctx, tenge, tenge.burn(amount), f"burn {amount} KZT")


@cli.command()
@click.argument("account", type=ADDRESS)
@reason_option
@click.option(
    "--amount", type=KZT, help="Hold this much (a partial freeze, or lien) instead of freezing all."
)
@click.pass_context
def freeze(ctx: click.Context, account: str, reason: bytes, amount: Decimal | None) -> None:
    """Freeze ACCOUNT, or hold --amount KZT of it (FREEZER_ROLE)."""
    tenge = _session(ctx).tenge(sign=True)
    if amount is None:
        _finish(ctx, tenge, tenge.freeze(account, reason), f"freeze {account}")
    else:
        _finish(ctx, tenge, tenge.freeze_amount(account, amount, reason), f"hold {amount} KZT of {account}")


@cli.command()
@click.argument("account", type=ADDRESS)
@reason_option
@click.option("--amount", type=KZT, help="Release this much of a hold instead of lifting a full freeze.")
@click.pass_context
def unfreeze(ctx: click.Context, account: str, reason: bytes, amount: Decimal | None) -> None:
    """Lift the freeze of ACCOUNT, or release --amount KZT of its hold (FREEZER_ROLE)."""
    tenge = _session(ctx).tenge(sign=True)
    if amount is None:
        _finish(ctx, tenge, tenge.unfreeze(account, reason), f"unfreeze {account}")
    else:
        _finish(
            ctx, tenge, tenge.unfreeze_amount(account, amount, reason), f"release {amount} KZT of {account}"
        )


@cli.command(name="block")
@click.argument("account", type=ADDRESS)
@reason_option
@click.pass_context
def block_account(ctx: click.Context, account: str, reason: bytes) -> None:
    """Blocklist ACCOUNT: it can neither send nor receive (BLOCKLISTER_ROLE)."""
    tenge = _session(ctx).tenge(sign=True)
    _finish(ctx, tenge, tenge.block(account, reason), f"block {account}")


@cli.command()
@click.argument("account", type=ADDRESS)
@reason_option
@click.pass_context
def unblock(ctx: click.Context, account: str, reason: bytes) -> None:
    """Take ACCOUNT off the blocklist (BLOCKLISTER_ROLE)."""
    tenge = _session(ctx).tenge(sign=True)
    _finish(ctx, tenge, tenge.unblock(account, reason), f"unblock {account}")


@cli.command()
@click.argument("account", type=ADDRESS)
@click.argument("amount", type=KZT)
@reason_option
@click.option("--to", "to", type=ADDRESS, help="Where the seized funds go.")
@click.option("--burn", "burn_it", is_flag=True, help="Burn the seized funds instead.")
@click.pass_context
def seize(
    ctx: click.Context, account: str, amount: Decimal, reason: bytes, to: str | None, burn_it: bool
) -> None:
    """Seize AMOUNT KZT from a blocked or frozen ACCOUNT, --to an address or --burn (SEIZER_ROLE)."""
    if (to is None) == (not burn_it):
        _fail_usage("give exactly one of --to ADDRESS or --burn")
    tenge = _session(ctx).tenge(sign=True)
    target = "burned" if to is None else f"to {to}"
    _finish(
        ctx, tenge, tenge.seize(account, to, amount, reason), f"seize {amount} KZT from {account}, {target}"
    )


@cli.command()
@reason_option
@click.pass_context
def pause(ctx: click.Context, reason: bytes) -> None:
    """Stop every transfer, mint and burn (PAUSER_ROLE)."""
    tenge = _session(ctx).tenge(sign=True)
    _finish(ctx, tenge, tenge.pause(reason), "pause")


@cli.command()
@reason_option
@click.pass_context
def unpause(ctx: click.Context, reason: bytes) -> None:
    """Resume transfers (PAUSER_ROLE)."""
    tenge = _session(ctx).tenge(sign=True)
    _finish(ctx, tenge, tenge.unpause(reason), "unpause")


# --- roles -----------------------------------------------------------------------------------------------


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
        stdout.print(table)

    session.out(holders, human)


@roles.command()
@click.argument("role", type=ROLE)
@click.argument("account", type=ADDRESS)
@click.pass_context
def grant(ctx: click.Context, role: bytes, account: str) -> None:
    """Grant ROLE (e.g. FREEZER_ROLE or FREEZER) to ACCOUNT."""
    tenge = _session(ctx).tenge(sign=True)
    _finish(ctx, tenge, tenge.grant_role(role, account), f"grant {role_name(role)} to {account}")


@roles.command()
@click.argument("role", type=ROLE)
@click.argument("account", type=ADDRESS)
@click.pass_context
def revoke(ctx: click.Context, role: bytes, account: str) -> None:
    """Revoke ROLE from ACCOUNT."""
    tenge = _session(ctx).tenge(sign=True)
    _finish(ctx, tenge, tenge.revoke_role(role, account), f"revoke {role_name(role)} from {account}")


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

    The whole file is checked first; if any row is bad, every bad row is listed by line number and
    nothing is sent. Each transaction is recorded in the journal before it is sent: if the run is
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
    stdout.print(table)
    if summary.failed:
        failures = Table("line", "address", "amount KZT", "reason", title="Failed rows", title_justify="left")
        for row in summary.failed:
            failures.add_row(str(row.line), row.address, str(row.amount), row.error)
        stdout.print(failures)


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
@click.pass_context
def history(
    ctx: click.Context,
    account: str,
    from_block: int | None,
    to_block: int | None,
    fmt: str,
    output: Path | None,
    page_size: int | None,
) -> None:
    """Every movement into or out of ACCOUNT (transfers, mints, burns, seizures), as CSV or JSON."""
    session = _session(ctx)
    entries = session.tenge().history(account, from_block, to_block, page_size=page_size)
    rows = [entry.to_dict() for entry in entries]
    if session.as_json or fmt == "json":
        text = json.dumps(rows, indent=2) + "\n"
    else:
        columns = ["block", "time", "tx_hash", "log_index", "kind", "direction", "from", "to", "amount"]
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
@click.pass_context
def watch(
    ctx: click.Context,
    selection: str,
    from_block: int | None,
    count: int | None,
    timeout: float | None,
    poll: float,
    confirmations: int,
) -> None:
    """Print the token's events as they happen (Ctrl-C to stop)."""
    session = _session(ctx)
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
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file [default: stdout]."
)
@click.option("--page-size", type=click.IntRange(min=1), help="Blocks per eth_getLogs query.")
@click.pass_context
def audit(
    ctx: click.Context,
    from_block: int | None,
    to_block: int | None,
    fmt: str,
    output: Path | None,
    page_size: int | None,
) -> None:
    """Every intervention (freeze, hold, block, seizure, pause, role change, upgrade): reason, actor, time."""
    session = _session(ctx)
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
    return f"{event.name}({rendered})"


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
