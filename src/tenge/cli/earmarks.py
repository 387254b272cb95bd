"""Earmarked (purpose-bound) tenge at the earmark contract: purposes (`tenge purpose`) and the money
earmarked to them (`tenge earmark`), a budget disbursement file earmarked exactly once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from tenge.cli.app import cli
from tenge.cli.restrictions import for_option, until_option
from tenge.cli.shared import (
    ADDRESS,
    MOVED_KZT,
    Session,
    fail_usage,
    pass_session,
    print_pairs,
    print_table,
    reason_option,
    stdout,
)
from tenge.client import Tenge
from tenge.earmarks import (
    FUND_BATCH_ROWS,
    MAX_FUND_BATCH_ROWS,
    FundRow,
    Purpose,
    purpose_name_bytes32,
    run_fund,
)
from tenge.errors import InvalidInput
from tenge.references import reference_text
from tenge.times import Expiry, utc_text
from tenge.transactions import Receipt

PURPOSE_ID = click.IntRange(min=1)


def _expiry(until: int | None, term: int | None) -> Expiry:
    if (until is None) == (term is None):
        fail_usage("give exactly one of --until TIME or --for TERM (e.g. --for 365d)")
    return timedelta(seconds=term) if term is not None else int(until or 0)


def _purpose_pairs(found: Purpose) -> dict[str, Any]:
    return {
        **found.to_dict(),
        "expires_at": f"{utc_text(found.expires_at)} ({found.expires_at})",
    }


# --- purposes ----------------------------------------------------------------------------------------


@cli.group()
def purpose() -> None:
    """Purposes of earmarked tenge: opened by a budget holder (BUDGET_HOLDER_ROLE) with a name, legal basis
    and expiry; recipients approved intermediate (the mark follows) or final (plain DKZT)."""


def _created(tenge: Tenge, receipt: Receipt) -> tuple[dict[str, Any], str]:
    number = tenge.created_purpose_id(receipt)
    return {"purpose": number}, f"purpose #{number} opened"


@purpose.command(name="create")
@click.argument("name")
@until_option
@for_option
@reason_option
@pass_session
def purpose_create(session: Session, name: str, until: int | None, term: int | None, reason: bytes) -> None:
    """Open purpose NAME (text up to 32 bytes stays readable, longer is hashed) --until a time or --for a
    term, citing the budget decision (BUDGET_HOLDER_ROLE); the signer is its funder."""
    expiry = _expiry(until, term)
    try:
        label = reference_text(purpose_name_bytes32(name))
    except InvalidInput as exc:
        fail_usage(str(exc))
    session.send(f"open purpose {label}", lambda tenge: tenge.create_purpose(name, expiry, reason), _created)


@purpose.command(name="approve")
@click.argument("purpose_id", metavar="PURPOSE", type=PURPOSE_ID)
@click.argument("account", type=ADDRESS)
@click.option("--intermediate", "kind", flag_value="intermediate", help="The mark follows the money on.")
@click.option("--final", "kind", flag_value="final", help="The mark drops: it receives plain DKZT.")
@reason_option
@pass_session
def purpose_approve(session: Session, purpose_id: int, account: str, kind: str | None, reason: bytes) -> None:
    """Approve ACCOUNT as a recipient of PURPOSE, --intermediate or --final (the purpose's funder);
    approving again changes its kind."""
    if kind is None:
        fail_usage("give --intermediate or --final")
    session.send(
        f"approve {account} as {kind} recipient of purpose #{purpose_id}",
        lambda tenge: tenge.approve_recipient(purpose_id, account, kind, reason),
    )


@purpose.command(name="remove")
@click.argument("purpose_id", metavar="PURPOSE", type=PURPOSE_ID)
@click.argument("account", type=ADDRESS)
@reason_option
@pass_session
def purpose_remove(session: Session, purpose_id: int, account: str, reason: bytes) -> None:
    """Remove ACCOUNT from PURPOSE's recipients: it receives nothing more (the funder)."""
    session.send(
        f"remove {account} from purpose #{purpose_id}",
        lambda tenge: tenge.remove_recipient(purpose_id, account, reason),
    )


@purpose.command(name="show")
@click.argument("purpose_id", metavar="PURPOSE", type=PURPOSE_ID)
@pass_session
def purpose_show(session: Session, purpose_id: int) -> None:
    """PURPOSE: funder, name, legal basis, expiry, pool, outstanding, what its funder gets back, status."""
    found = session.tenge().purpose(purpose_id)
    session.out(found.to_dict(), lambda: print_pairs(_purpose_pairs(found)))


@purpose.command(name="list")
@pass_session
def purpose_list(session: Session) -> None:
    """Every purpose at the earmark contract and where each stands."""
    found = session.tenge().purposes()

    def human() -> None:
        table = Table("id", "name", "status", "until", "pool KZT", "outstanding KZT", "funder")
        for p in found:
            table.add_row(
                str(p.id),
                p.name,
                p.status.value,
                utc_text(p.expires_at),
                str(p.pool),
                str(p.outstanding),
                p.funder,
            )
        print_table(table)

    session.out([p.to_dict() for p in found], human)


# --- earmarked money ---------------------------------------------------------------------------------


@cli.group()
def earmark() -> None:
    """Earmarked money: deposit into a purpose's pool, earmark it to approved holders (one at a time or a
    disbursement file), pay it on, return the unspent at the expiry."""


@earmark.command(name="deposit")
@click.argument("purpose_id", metavar="PURPOSE", type=PURPOSE_ID)
@click.argument("amount", type=MOVED_KZT)
@pass_session
def earmark_deposit(session: Session, purpose_id: int, amount: Decimal) -> None:
    """Deposit AMOUNT KZT of the signer's into PURPOSE's pool (its funder); approves the earmark contract
    first if the allowance is short."""
    session.send(
        f"deposit {amount} KZT into purpose #{purpose_id}", lambda tenge: tenge.deposit(purpose_id, amount)
    )


@earmark.command(name="withdraw")
@click.argument("purpose_id", metavar="PURPOSE", type=PURPOSE_ID)
@click.argument("amount", type=MOVED_KZT)
@reason_option
@pass_session
def earmark_withdraw(session: Session, purpose_id: int, amount: Decimal, reason: bytes) -> None:
    """Take AMOUNT KZT of PURPOSE's pool (deposited, not earmarked) back (its funder)."""
    session.send(
        f"withdraw {amount} KZT from purpose #{purpose_id}",
        lambda tenge: tenge.withdraw(purpose_id, amount, reason=reason),
    )


@earmark.command(name="to")
@click.argument("purpose_id", metavar="PURPOSE", type=PURPOSE_ID)
@click.argument("to", type=ADDRESS)
@click.argument("amount", type=MOVED_KZT)
@click.option("--disbursement", help="The disbursement's id (text kept or hashed): it pays once.")
@pass_session
def earmark_to(session: Session, purpose_id: int, to: str, amount: Decimal, disbursement: str | None) -> None:
    """Earmark AMOUNT KZT of PURPOSE's pool to the approved recipient TO (its funder)."""
    session.send(
        f"earmark {amount} KZT of purpose #{purpose_id} to {to}",
        lambda tenge: tenge.earmark(purpose_id, to, amount, disbursement=disbursement),
    )


@earmark.command(name="fund")
@click.argument("purpose_id", metavar="PURPOSE", type=PURPOSE_ID)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--batch-rows",
    default=FUND_BATCH_ROWS,
    show_default=True,
    type=click.IntRange(1, MAX_FUND_BATCH_ROWS),
    help="Rows per multicall transaction (37,000 to 67,000 gas a row).",
)
@pass_session
def earmark_fund(session: Session, purpose_id: int, file: Path, batch_rows: int) -> None:
    """Earmark every row of FILE (address,amount[,reference]) from PURPOSE's pool, exactly once against
    the chain: each row's disbursement id is derived from the purpose, the row's reference (or the file's
    SHA-256) and its place; rows the chain shows earmarked are skipped, so a rerun resumes. Every row is
    checked first (address, amount, recipient approved): a bad file is refused whole, nothing sent."""
    tenge = session.tenge(sign=True)

    def progress(rows: list[FundRow], tx_hash: str) -> None:
        if not session.as_json:
            stdout.print(
                f"  earmarked {len(rows)} rows (lines {rows[0].row.line}-{rows[-1].row.line}): {tx_hash}"
            )

    summary = run_fund(tenge, purpose_id, file, batch_rows=batch_rows, on_batch=progress)

    def human() -> None:
        stdout.print(
            f"[green]ok[/] purpose #{purpose_id}: {summary.rows} rows, {summary.total} KZT; "
            f"{summary.earmarked} earmarked now, {summary.already} were already"
        )

    session.out(summary.to_dict(), human)


@earmark.command(name="pay")
@click.argument("purpose_id", metavar="PURPOSE", type=PURPOSE_ID)
@click.argument("to", type=ADDRESS)
@click.argument("amount", type=MOVED_KZT)
@pass_session
def earmark_pay(session: Session, purpose_id: int, to: str, amount: Decimal) -> None:
    """Pay AMOUNT KZT of the signer's earmarked balance of PURPOSE to the approved recipient TO: earmarked
    still to an intermediate one, plain DKZT to a final one."""
    session.send(
        f"pay {amount} KZT of purpose #{purpose_id} to {to}",
        lambda tenge: tenge.pay_earmarked(purpose_id, to, amount),
    )


@earmark.command(name="balance")
@click.argument("account", type=ADDRESS)
@click.option("--purpose", "purpose_id", type=PURPOSE_ID, help="Only this purpose.")
@pass_session
def earmark_balance(session: Session, account: str, purpose_id: int | None) -> None:
    """ACCOUNT's earmarked KZT, per purpose (and its kind as a recipient there)."""
    tenge = session.tenge()
    if purpose_id is not None:
        balances = {purpose_id: tenge.earmarked_balance(purpose_id, account)}
    else:
        balances = tenge.earmarked_balances(account)
    kinds = {n: tenge.recipient_kind(n, account) for n in balances}
    rows = [
        {"purpose": n, "balance": str(amount), "recipient_kind": kinds[n].label}
        for n, amount in sorted(balances.items())
    ]
    data = {"account": account, "balances": rows, "total": str(sum(balances.values(), Decimal("0.00")))}

    def human() -> None:
        table = Table("purpose", "earmarked KZT", "recipient")
        for row in rows:
            table.add_row(str(row["purpose"]), str(row["balance"]), str(row["recipient_kind"]))
        print_table(table)
        stdout.print(f"total {data['total']} KZT earmarked to {account}")

    session.out(data, human)


@earmark.command(name="expire")
@click.argument("purpose_id", metavar="PURPOSE", type=PURPOSE_ID)
@pass_session
def earmark_expire(session: Session, purpose_id: int) -> None:
    """Close expired PURPOSE: everything unspent goes back to its funder (anyone may)."""
    session.send(f"close purpose #{purpose_id}", lambda tenge: tenge.close_purpose(purpose_id))


__all__ = ["earmark", "purpose"]
