"""Batch payouts from a CSV file: exactly once against the chain, batched, resumable."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tenge.cli.app import cli
from tenge.cli.shared import print_table, session_of, stderr
from tenge.errors import EXIT_CHAIN, EXIT_REVERT
from tenge.payout import MAX_BATCH_ROWS, EventKind, PayoutEvent, PayoutProgress, PayoutSummary, run_payout

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
    "--confirmations",
    type=click.IntRange(0, 1000),
    help="Blocks on top of a payment before it counts [default: 0 on a local chain, 3 elsewhere].",
)
@click.option(
    "--allow-repeat", is_flag=True, help="Pay again, in full, a payout the chain shows paid (lists the rows)."
)
@click.option(
    "--resume-from-chain",
    is_flag=True,
    help="With a new journal, pay only the rows of this payout the chain does not show paid.",
)
@click.option(
    "--batch-rows",
    type=click.IntRange(1, MAX_BATCH_ROWS),
    help="Rows per multicall transaction [default: a quarter of the block's gas limit].",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Stop before signing: rows journaled, chain asked, refusals listed.",
)
@click.option(
    "--timeout",
    default=300.0,
    show_default=True,
    type=click.FloatRange(1, None),
    help="Seconds to wait without progress (also the limit of one request to the node).",
)
@click.pass_context
def payout(
    ctx: click.Context,
    file: Path,
    journal: Path | None,
    as_mint: bool,
    confirmations: int | None,
    allow_repeat: bool,
    resume_from_chain: bool,
    batch_rows: int | None,
    check_only: bool,
    timeout: float,
) -> None:
    """Pay every row of FILE (CSV with a header: address,amount[,reference]) exactly once.

    Each row is paid with an on-chain reference derived from the payout's content (rows, payer, token,
    chain), and before anything is sent the chain is asked which of them the payer has paid already,
    whatever journal, folder or machine paid them: only the rest are paid. Rows go in batches (the
    token's multicall). Every row is checked first, by the contract's own views: bad rows are listed by
    line and nothing is sent; rows the token would refuse (a blocked receiver) are listed before
    anything is sent, and the others are paid. If the run is interrupted, run the same command again.
    """
    session = session_of(ctx)
    tenge = session.tenge(sign=True, timeout=min(30.0, timeout))
    report = _Report(quiet=session.as_json)
    with report:
        summary = run_payout(
            tenge,
            file,
            journal_path=journal,
            mint=as_mint,
            confirmations=confirmations,
            allow_repeat=allow_repeat,
            resume_from_chain=resume_from_chain,
            batch_rows=batch_rows,
            timeout=timeout,
            check_only=check_only,
            on_event=report.event,
            on_progress=report.progress,
        )
    session.out(summary.to_dict(), lambda: _print_summary(summary))
    if summary.failed_count:
        ctx.exit(EXIT_REVERT)
    if summary.unfinished and not check_only:
        ctx.exit(EXIT_CHAIN)  # batches still in flight: run again to follow them


class _Report:
    """Progress on stderr: a bar on a terminal, plain lines (at most one a second) anywhere else."""

    def __init__(self, quiet: bool) -> None:
        self.terminal = sys.stderr.isatty()
        self._bar = Progress(
            TextColumn("payout {task.fields[phase]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            console=stderr,
            disable=not self.terminal,
        )
        self._task = self._bar.add_task("payout", total=None, phase="", status="")
        self._failed = 0
        self._started = time.monotonic()

    def __enter__(self) -> _Report:
        self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(None, None, None)

    def progress(self, progress: PayoutProgress) -> None:
        if self.terminal:
            self._bar.update(self._task, total=progress.total, completed=progress.done, phase=progress.phase)
            return
        seconds = time.monotonic() - self._started
        click.echo(
            f"payout: {progress.phase} {progress.done}/{progress.total} rows, {self._failed} refused "
            f"({seconds:.0f} s)",
            err=True,
        )

    def event(self, event: PayoutEvent) -> None:
        if event.kind is EventKind.REFUSED:
            self._failed += 1
            self._say(f"line {event.line}: refused, not sent: {event.error}")
            self._bar.update(self._task, status=f"[red]{self._failed} refused")
        elif event.kind is EventKind.REPEAT:
            self._say(f"--allow-repeat: {len(event.lines)} row(s) already paid on chain; {event.error}")
        elif event.kind in (EventKind.FOUND, EventKind.REORGED, EventKind.RELEASED, EventKind.REVERTED):
            self._say(f"{event.kind}: {event.error or ''} {event.tx_hash or ''}".rstrip())

    def _say(self, text: str) -> None:
        if self.terminal:
            self._bar.console.print(text, markup=False, highlight=False)
        else:
            click.echo(f"payout: {text}", err=True)


def _print_summary(summary: PayoutSummary) -> None:
    table = Table(show_header=False, box=None, title="Payout summary", title_justify="left")
    table.add_row("payout id", summary.payout_id)
    if summary.repeated:
        table.add_row("repeated", f"{summary.repeated} row(s) paid again (--allow-repeat)")
    table.add_row("rows", str(summary.rows))
    table.add_row("paid", f"{summary.paid} ({summary.sent_this_run} sent in this run)")
    if summary.found_on_chain:
        table.add_row("found on chain", f"{summary.found_on_chain} paid by another run")
    table.add_row("total paid", f"{summary.paid_kzt} KZT")
    table.add_row("failed", str(summary.failed_count))
    table.add_row("unfinished", str(summary.unfinished))
    table.add_row("batches", str(summary.batches))
    table.add_row("gas used", f"{summary.gas_used} ({summary.gas_per_row or 0} a row)")
    table.add_row("journal", summary.journal)
    print_table(table)
    if summary.failed:
        failures = Table("line", "address", "amount KZT", "reason", title="Failed rows", title_justify="left")
        for row in summary.failed:
            failures.add_row(str(row.line), row.address, str(row.amount), row.error)
        print_table(failures)
