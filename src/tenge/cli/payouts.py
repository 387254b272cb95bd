"""Batch payouts from a CSV file, journaled and resumable."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tenge.cli.app import cli
from tenge.cli.shared import print_table, session_of, stderr
from tenge.errors import EXIT_REVERT
from tenge.payout import PayoutEvent, PayoutSummary, load_payout_file, run_payout

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
    session = session_of(ctx)
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
    print_table(table)
    if summary.failed:
        failures = Table("line", "address", "amount KZT", "reason", title="Failed rows", title_justify="left")
        for row in summary.failed:
            failures.add_row(str(row.line), row.address, str(row.amount), row.error)
        print_table(failures)
