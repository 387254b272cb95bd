"""Restrictions that end by themselves: freezes of whole accounts, holds of part of a balance under an
order, and the longest term either may have."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import click
from rich.table import Table

from tenge.cli.app import cli
from tenge.cli.shared import (
    ADDRESS,
    MOVED_KZT,
    ORDER,
    TERM,
    TIME,
    Session,
    accounts_argument,
    accounts_file_option,
    fail_usage,
    listed_accounts,
    listing,
    order_option,
    pass_session,
    pending_text,
    print_pairs,
    print_table,
    reason_option,
    setting_outcome,
)
from tenge.times import Expiry, duration_text, utc_text

until_option = click.option(
    "--until",
    type=TIME,
    help="When it lapses: a date or time in UTC (2026-12-31, 2026-12-31T18:00) or unix seconds.",
)
for_option = click.option(
    "--for", "term", type=TERM, help="How long it lasts from the chain's clock: 30d, 12h, 1d12h, 2w."
)


# The partial freeze of old: a hold is now a named order with its own expiry.
def _no_amount(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        fail_usage(
            "--amount is gone: a part of a balance is held under an order, "
            "`tenge hold place ACCOUNT AMOUNT --order ORDER --for 30d` (and `tenge hold release`)"
        )


no_amount_option = click.option("--amount", hidden=True, expose_value=False, callback=_no_amount)


def _expiry(until: int | None, term: int | None) -> Expiry:
    """The expiry given by --until or --for, exactly one of them."""
    if (until is None) == (term is None):
        fail_usage("give exactly one of --until TIME or --for TERM (e.g. --for 30d)")
    return timedelta(seconds=term) if term is not None else int(until or 0)


def _lasting(until: int | None, term: int | None) -> str:
    return f"until {utc_text(until)}" if until is not None else f"for {duration_text(term or 0)}"


# --- freezes: whole accounts --------------------------------------------------------------------------------


@cli.command()
@accounts_argument
@accounts_file_option
@until_option
@for_option
@reason_option
@no_amount_option
@pass_session
def freeze(
    session: Session,
    accounts: tuple[str, ...],
    accounts_file: Path | None,
    until: int | None,
    term: int | None,
    reason: bytes,
) -> None:
    """Freeze ACCOUNTS (all in one transaction) --until a time or --for a term, at most the longest term
    (`tenge restriction-term show`); the freeze lapses by itself. A frozen account is renewed, citing
    another reason (FREEZER_ROLE)."""
    listed = listed_accounts(accounts, accounts_file)
    expires_at = _expiry(until, term)
    session.send(
        f"freeze {listing(listed)} {_lasting(until, term)}",
        lambda tenge: tenge.freeze_many(listed, expires_at, reason),
    )


@cli.command()
@accounts_argument
@accounts_file_option
@reason_option
@no_amount_option
@pass_session
def unfreeze(session: Session, accounts: tuple[str, ...], accounts_file: Path | None, reason: bytes) -> None:
    """Lift the freeze of ACCOUNTS before it lapses, all in one transaction (FREEZER_ROLE)."""
    listed = listed_accounts(accounts, accounts_file)
    session.send(f"unfreeze {listing(listed)}", lambda tenge: tenge.unfreeze_many(listed, reason))


# --- holds: part of a balance, under an order ---------------------------------------------------------------


@cli.group()
def hold() -> None:
    """Holds: part of a balance kept for an order (a court's lien) until it lapses, released or seized
    (FREEZER_ROLE places and releases)."""


@hold.command(name="place")
@click.argument("account", type=ADDRESS)
@click.argument("amount", type=MOVED_KZT)
@order_option
@until_option
@for_option
@pass_session
def hold_place(
    session: Session, account: str, amount: Decimal, order: bytes, until: int | None, term: int | None
) -> None:
    """Hold AMOUNT KZT of ACCOUNT under --order (the hold's name and legal basis, used once per account)
    --until a time or --for a term; it may exceed the balance."""
    expires_at = _expiry(until, term)
    session.send(
        f"hold {amount} KZT of {account} {_lasting(until, term)}",
        lambda tenge: tenge.place_hold(account, amount, expires_at, order),
    )


@hold.command(name="release")
@click.argument("account", type=ADDRESS)
@click.argument("amount", type=MOVED_KZT)
@order_option
@reason_option
@pass_session
def hold_release(session: Session, account: str, amount: Decimal, order: bytes, reason: bytes) -> None:
    """Release AMOUNT KZT of ACCOUNT's hold --order, citing the decision (--reason)."""
    session.send(
        f"release {amount} KZT of {account}'s hold",
        lambda tenge: tenge.release_hold(account, order, amount, reason),
    )


@hold.command(name="show")
@click.argument("account", type=ADDRESS)
@click.option("--order", type=ORDER, help="This hold only [default: every hold placed on ACCOUNT].")
@click.option("--active", is_flag=True, help="Only the holds that keep something now.")
@pass_session
def hold_show(session: Session, account: str, order: bytes | None, active: bool) -> None:
    """ACCOUNT's holds as they stand now: order, amount, expiry, status; and all it holds together."""
    tenge = session.tenge()
    if order is not None:
        one = tenge.hold_of(account, order)
        session.out(one.to_dict(), lambda: print_pairs(one.to_dict()))
        return
    holds = tenge.holds(account, active_only=active)
    total = tenge.frozen_amount(account)

    def human() -> None:
        table = Table(
            "order", "KZT", "expires", "status", title=f"{account}: {total} KZT held", title_justify="left"
        )
        for h in holds:
            table.add_row(
                h.order,
                str(h.amount),
                "-" if h.expires_at is None else utc_text(h.expires_at),
                h.status.value,
            )
        print_table(table)

    session.out({"account": account, "held": str(total), "holds": [h.to_dict() for h in holds]}, human)


# --- the longest term ---------------------------------------------------------------------------------------


@cli.group(name="restriction-term")
def restriction_term() -> None:
    """The longest term of a new freeze or hold (90 days unless the admin set another)."""


@restriction_term.command(name="show")
@pass_session
def restriction_term_show(session: Session) -> None:
    """The longest term, in seconds and in days, and a longer one waiting for the admin's delay."""
    tenge = session.tenge()
    seconds, holds = tenge.max_restriction_term(), tenge.max_holds()
    pending = tenge.pending_max_restriction_term()
    data = {"max_restriction_term": seconds, "term": duration_text(seconds), "max_holds": holds}
    session.out(
        {**data, "pending": None if pending is None else pending.to_dict()},
        lambda: print_pairs({**data, "pending": pending_text(pending)}),
    )


@restriction_term.command(name="set")
@click.argument("term", type=TERM)
@reason_option
@pass_session
def restriction_term_set(session: Session, term: int, reason: bytes) -> None:
    """Set the longest term of a new freeze or hold to TERM (90d, 2w, or seconds): a shorter term applies
    at once, a longer one after the admin's delay; those placed before keep their expiry
    (DEFAULT_ADMIN_ROLE)."""
    session.send(
        f"longest term {duration_text(term)}",
        lambda tenge: tenge.set_max_restriction_term(term, reason),
        setting_outcome,
    )


# --- settling: what lapsed restricts nothing, but a debit still reads it ------------------------------


@cli.command()
@click.argument("account", type=ADDRESS)
@pass_session
def settle(session: Session, account: str) -> None:
    """Drop ACCOUNT's lapsed freeze and its lapsed or emptied holds (anyone may): nothing the views show
    changes, but its transfers read one ledger word again and cost less gas."""
    session.send(
        f"settle the lapsed restrictions of {account}", lambda tenge: tenge.settle_restrictions(account)
    )
