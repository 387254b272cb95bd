"""What every command shares: parameter types read by the library's parsers, the session of one
invocation (connection, signer, output mode), error reporting with exit codes, and output helpers."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import click
from eth_account.signers.local import LocalAccount
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tenge.addresses import checked_address, read_account_list
from tenge.client import Tenge
from tenge.deployment import DEFAULT_DIRECTORY
from tenge.errors import InvalidInput, KeyProblem, TengeError
from tenge.events import EventLog
from tenge.keys import load_signer
from tenge.reasons import reason_bytes32
from tenge.references import reference_bytes32
from tenge.restrictions import DueProcessSetting, PendingSetting
from tenge.reverts import ContractRevert
from tenge.roles import parse_role, role_name
from tenge.spreadsheet import csv_cell
from tenge.times import duration_text, parse_duration, parse_time, utc_text
from tenge.transactions import GasPolicy, Pending, Receipt
from tenge.units import parse_kzt, tiyn_to_kzt

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


class SecondsType(click.ParamType[int, Any]):
    """A time or a term read by the library's parsers (tenge.times), in seconds."""

    def __init__(self, name: str, parse: Callable[[str], int]) -> None:
        self.name = name
        self._parse = parse

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
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
ORDER = Bytes32Type("ORDER", reason_bytes32)  # an order (a hold's name): text is hashed, as reasons are
TIME = SecondsType("TIME", parse_time)  # unix seconds of an ISO date/time (UTC) or unix seconds
TERM = SecondsType("TERM", parse_duration)  # "30d", "12h", "1d12h" or seconds; at least one
NOTICE = SecondsType("TERM", lambda text: parse_duration(text, allow_zero=True))  # zero allowed
TIER = click.IntRange(0, 255)
reason_option = click.option(
    "--reason",
    required=True,
    type=REASON,
    help="Legal basis: text (hashed with keccak256) or 0x + 64 hex digits.",
)
order_option = click.option(
    "--order",
    required=True,
    type=ORDER,
    help="The order that names the hold: its text (hashed with keccak256) or 0x + 64 hex digits.",
)
accounts_argument = click.argument("accounts", nargs=-1, type=ADDRESS)
accounts_file_option = click.option(
    "--file",
    "accounts_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also the accounts in this file, one a line; all are changed in one transaction.",
)


def listed_accounts(accounts: tuple[str, ...], accounts_file: Path | None) -> list[str]:
    """The ACCOUNTS given, then those of --file; at least one."""
    listed = list(accounts) + ([] if accounts_file is None else read_account_list(accounts_file))
    if not listed:
        fail_usage("give at least one ACCOUNT, or --file")
    return listed


def listing(accounts: list[str]) -> str:
    return accounts[0] if len(accounts) == 1 else f"{len(accounts)} accounts"


# --- the shared state of one invocation ---------------------------------------------------------------


@dataclass
class Session:
    rpc: str
    deployment: Path | None
    keystore: Path | None
    gas: GasPolicy
    as_json: bool
    _readers: dict[bool, Tenge] = field(default_factory=dict)

    def tenge(self, sign: bool = False, timeout: float | None = None) -> Tenge:
        """A checked connection; with `sign`, the signer is loaded first (a key problem fails fast).
        `timeout`: seconds a request to the node may take (30 unless given)."""
        if sign in self._readers:
            return self._readers[sign]
        signer: LocalAccount | None = None
        if sign:
            signer = self.signer()
        tenge = Tenge.connect(
            self.rpc,
            self.deployment,
            signer=signer,
            gas=self.gas,
            directory=DEFAULT_DIRECTORY,
            timeout=30.0 if timeout is None else timeout,
        )
        self._readers[sign] = tenge
        return tenge

    def signer(self) -> LocalAccount:
        """The signing key: --keystore (password from the environment or a prompt), else TENGE_PRIVATE_KEY."""
        return load_signer(self.keystore, prompt=_prompt_password)

    def out(self, data: Any, human: Callable[[], None]) -> None:
        if self.as_json:
            click.echo(json.dumps(data, indent=2, default=str))
        else:
            human()

    def send(
        self,
        what: str,
        write: Callable[[Tenge], Pending],
        outcome: Callable[[Tenge, Receipt], tuple[dict[str, Any], str]] | None = None,
    ) -> None:
        """Signs and sends `write`, waits for the receipt and reports it; a refusal raises its named error.
        `outcome` reads what the receipt did: keys added to the JSON, and a line after the events."""
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
        extra, line = outcome(tenge, receipt) if outcome is not None else ({}, "")
        data.update(extra)

        def human() -> None:
            stdout.print(
                f"[green]ok[/] {what}: block {receipt.block}, gas {receipt.gas_used}, tx {receipt.hash}"
            )
            for event in events:
                stdout.print(f"  {event_line(event)}")
            if line:
                stdout.print(escape(line))

        self.out(data, human)


pass_session = click.make_pass_decorator(Session)


def _prompt_password(message: str) -> str:
    # An empty password is a password (it is checked, and refused as wrong); no input at all is no key.
    try:
        value: str = click.prompt(message, hide_input=True, err=True, default="", show_default=False)
    except click.Abort:
        raise KeyProblem(f"{message}: no password given") from None
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


def session_of(ctx: click.Context) -> Session:
    session = ctx.find_object(Session)
    if session is None:
        raise click.UsageError("run commands through the tenge group")
    return session


def fail_usage(message: str) -> NoReturn:
    raise click.UsageError(message)


# --- signed transfers: a holder signs off-line, a relayer submits -------------------------------------------


output_option = click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file [default: stdout]."
)
valid_for_option = click.option(
    "--valid-for", default=3600, show_default=True, type=click.IntRange(min=1), help="Seconds it stays valid."
)


def event_line(event: EventLog) -> str:
    args = event.to_dict()["args"]
    rendered = ", ".join(f"{key}={value}" for key, value in args.items())
    suffix = f" reference={event.reference}" if event.reference else ""
    return f"{event.name}({rendered}){suffix}"


def to_csv(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text)


def print_table(table: Table) -> None:
    """A table as wide as the terminal; into a pipe or file, wide enough that no address or amount folds."""
    Console(highlight=False, width=None if sys.stdout.isatty() else 200).print(table)


def print_pairs(pairs: dict[str, Any]) -> None:
    table = Table(show_header=False, box=None)
    for key, value in pairs.items():
        table.add_row(key, "-" if value is None else str(value))
    print_table(table)


def pending_text(pending: PendingSetting | None) -> str:
    """A setting waiting for the admin's delay, as the `show` commands print it."""
    if pending is None:
        return "none"
    return f"{duration_text(pending.seconds)} from {utc_text(pending.effective_at)} (the admin's delay)"


def setting_outcome(tenge: Tenge, receipt: Receipt) -> tuple[dict[str, Any], str]:
    """What a `set` of the longest term or the notice did: at once, or from when (for `Session.send`)."""
    change = tenge.setting_change(receipt)
    name = SETTING_NAMES[change.setting]
    if change.at_once:
        line = f"applies at once: the {name} is {duration_text(change.seconds)}"
    else:
        line = (
            f"waits for the admin's delay: the {name} becomes {duration_text(change.seconds)} "
            f"from {utc_text(change.effective_at)}"
        )
    return {"applies": change.to_dict()}, line


SETTING_NAMES = {
    DueProcessSetting.MAX_RESTRICTION_TERM: "longest term",
    DueProcessSetting.NOTICE_PERIOD: "seizure notice",
}


def limit_text(amount: Decimal | None) -> str:
    return "unlimited" if amount is None else str(amount)


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"
