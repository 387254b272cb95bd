"""The event index and the transparency report: `tenge index`, `tenge report`."""

from __future__ import annotations

from pathlib import Path

import click

from tenge.cli.app import cli
from tenge.cli.shared import Session, pass_session, print_pairs, stdout
from tenge.client import Tenge
from tenge.index import DEFAULT_PAGE_BLOCKS, EventIndex, SyncResult

db_option = click.option(
    "--db",
    "db_url",
    envvar="TENGE_INDEX_DB",
    help="Database of the index: an SQLAlchemy URL (sqlite:///file, postgresql+psycopg://user@host/db) "
    "[default: deployments/<chain id>-<token>.index.sqlite].",
)
confirmations_option = click.option(
    "--confirmations",
    type=click.IntRange(min=0),
    help="Index only blocks this deep [default: 0 on a dev chain, 15 on a live one].",
)
page_option = click.option(
    "--page-blocks",
    type=click.IntRange(min=1),
    default=DEFAULT_PAGE_BLOCKS,
    show_default=True,
    help="Blocks per eth_getLogs query.",
)


def synced(
    session: Session, db_url: str | None, confirmations: int | None, page_blocks: int, to_block: int | None
) -> tuple[Tenge, EventIndex, SyncResult]:
    """The index at `db_url`, brought up to the chain; progress on stderr, page by page."""
    tenge = session.tenge()
    index = tenge.open_index(db_url)

    def progress(start: int, end: int, count: int) -> None:
        if not session.as_json:
            click.echo(f"  blocks {start}..{end}: {count} events", err=True)

    result = tenge.sync_index(
        index, confirmations=confirmations, to_block=to_block, page_blocks=page_blocks, on_page=progress
    )
    return tenge, index, result


@cli.command("index")
@db_option
@confirmations_option
@page_option
@click.option("--to-block", type=click.IntRange(min=0), help="Stop at this block [default: the head].")
@pass_session
def index_command(
    session: Session, db_url: str | None, confirmations: int | None, page_blocks: int, to_block: int | None
) -> None:
    """Bring the event index up to the chain: resumable, confirmations deep, rolled back past a reorg.

    Every event of the token and of its controllers about it is kept once; `history --db`, `audit --db`
    and `report` read it instead of the node.
    """
    _, index, result = synced(session, db_url, confirmations, page_blocks, to_block)
    state = index.state()
    data = {"sync": result.to_dict(), "index": state.to_dict()}

    def human() -> None:
        if result.rolled_back_to is not None:
            stdout.print(f"[yellow]reorganisation[/]: rolled back to block {result.rolled_back_to}")
        print_pairs(
            {
                "index": state.url,
                "added": f"{result.events_added} events in {result.pages} pages",
                "blocks": f"{state.start_block}..{state.checkpoint}",
                "events": state.events,
            }
        )

    session.out(data, human)


@cli.command()
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder the site is written to (created; files in it are replaced).",
)
@db_option
@confirmations_option
@page_option
@click.option("--no-sync", is_flag=True, help="Build from the index as it is, without reading the chain.")
@pass_session
def report(
    session: Session,
    out: Path,
    db_url: str | None,
    confirmations: int | None,
    page_blocks: int,
    no_sync: bool,
) -> None:
    """Write the transparency report: a static site, from the chain's events alone, that opens from disk.

    Money, every intervention with its actor and reason, who holds which power, the wallet policy; the
    same tables as CSV and JSON beside it, and report.json with a SHA-256 of every file.
    """
    from tenge.report import build_report  # matplotlib is loaded only for a report

    if no_sync:
        tenge = session.tenge()
        index = tenge.read_index(db_url)
    else:
        tenge, index, _ = synced(session, db_url, confirmations, page_blocks, None)
    manifest = build_report(tenge, index, out)
    session.out(manifest.to_dict(), lambda: stdout.print(f"report written: {manifest.index_html}"))
