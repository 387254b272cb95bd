"""Reading the record: an account's history, the live watch, the audit trail of interventions."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from tenge.cli.app import cli
from tenge.cli.shared import (
    ADDRESS,
    Session,
    event_line,
    fail_usage,
    pass_session,
    stdout,
    to_csv,
    write_output,
)
from tenge.client import Tenge
from tenge.events import INTERVENTION_EVENTS, ISSUANCE_EVENTS, REFERENCE_EVENTS, TRANSFER_EVENTS, EventLog

# Read from the event index (`tenge index`) instead of the node: as far as the index reaches.
index_option = click.option(
    "--db",
    "db_url",
    help="Read from the event index in this database (an SQLAlchemy URL, see `tenge index`), not the node.",
)

EVENT_GROUPS: dict[str, tuple[str, ...]] = {
    "transfers": TRANSFER_EVENTS + REFERENCE_EVENTS,
    "issuance": ISSUANCE_EVENTS,
    "interventions": INTERVENTION_EVENTS,
}

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
@index_option
@pass_session
def history(
    session: Session,
    account: str,
    from_block: int | None,
    to_block: int | None,
    fmt: str,
    output: Path | None,
    page_size: int | None,
    db_url: str | None,
) -> None:
    """Every movement into or out of ACCOUNT (transfers, mints, burns, seizures), as CSV or JSON.

    A payment sent with a reference shows it (its text, or 0x-hex when it is not text).
    """
    tenge = session.tenge()
    if db_url is not None:
        entries = tenge.history_from_index(tenge.read_index(db_url), account, from_block, to_block)
    else:
        entries = tenge.history(account, from_block, to_block, page_size=page_size)
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
        text = to_csv(columns, rows)
    write_output(text, output)


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
            stdout.print(f"{event.time} block {event.block} {event_line(event)}")
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
@index_option
@pass_session
def audit(
    session: Session,
    from_block: int | None,
    to_block: int | None,
    fmt: str,
    output: Path | None,
    page_size: int | None,
    db_url: str | None,
) -> None:
    """Every intervention (freeze, hold, block, seizure, pause, role change, upgrade): reason, actor, time."""
    tenge = session.tenge()
    if db_url is not None:
        entries = tenge.audit_from_index(tenge.read_index(db_url), from_block, to_block)
    else:
        entries = tenge.audit(from_block, to_block, page_size=page_size)
    rows = [entry.to_dict() for entry in entries]
    if session.as_json or fmt == "json":
        write_output(json.dumps(rows, indent=2) + "\n", output)
    elif fmt == "csv":
        columns = ["block", "time", "event", "account", "actor", "reason", "details", "tx_hash"]
        write_output(to_csv(columns, rows), output)
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
        fail_usage("--events selects no events")
    return list(dict.fromkeys(names))
