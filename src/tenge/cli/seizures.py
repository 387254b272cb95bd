"""Seizures under the two-person rule: proposed by one person, approved by another, executed after the
notice, at the token's seizure controller."""

from __future__ import annotations

from decimal import Decimal

import click
from rich.table import Table

from tenge.cli.app import cli
from tenge.cli.shared import (
    ADDRESS,
    MOVED_KZT,
    NOTICE,
    Session,
    fail_usage,
    order_option,
    pass_session,
    pending_text,
    print_pairs,
    print_table,
    reason_option,
    setting_outcome,
)
from tenge.restrictions import SeizureStatus
from tenge.times import duration_text, utc_text

SEIZURE_ID = click.IntRange(min=1)
STATUSES = [status.label for status in SeizureStatus if status is not SeizureStatus.NONE]


@cli.group()
def seizure() -> None:
    """Seizures of a hold: propose (SEIZURE_PROPOSER_ROLE), approve (SEIZURE_APPROVER_ROLE, another
    person), execute (anyone, once the notice has passed); either side may cancel before."""


@seizure.command(name="propose")
@click.argument("account", type=ADDRESS)
@click.argument("amount", type=MOVED_KZT)
@order_option
@click.option("--to", "to", type=ADDRESS, help="The receiver the order names.")
@click.option("--burn", "burn_it", is_flag=True, help="Burn the seized funds instead.")
@reason_option
@pass_session
def seizure_propose(
    session: Session,
    account: str,
    amount: Decimal,
    order: bytes,
    to: str | None,
    burn_it: bool,
    reason: bytes,
) -> None:
    """Propose to seize AMOUNT KZT of ACCOUNT's hold --order, --to an address or --burn; the receipt's
    SeizureProposed names its id."""
    if (to is None) == (not burn_it):
        fail_usage("give exactly one of --to ADDRESS or --burn")
    target = "burned" if to is None else f"to {to}"
    session.send(
        f"propose to seize {amount} KZT of {account}, {target}",
        lambda tenge: tenge.propose_seizure(account, to, amount, order, reason),
    )


@seizure.command(name="approve")
@click.argument("seizure_id", metavar="ID", type=SEIZURE_ID)
@reason_option
@pass_session
def seizure_approve(session: Session, seizure_id: int, reason: bytes) -> None:
    """Approve seizure ID, proposed by another; its notice starts now."""
    session.send(f"approve seizure #{seizure_id}", lambda tenge: tenge.approve_seizure(seizure_id, reason))


@seizure.command(name="execute")
@click.argument("seizure_id", metavar="ID", type=SEIZURE_ID)
@pass_session
def seizure_execute(session: Session, seizure_id: int) -> None:
    """Execute approved seizure ID once its notice has passed (anyone may)."""
    session.send(f"execute seizure #{seizure_id}", lambda tenge: tenge.execute_seizure(seizure_id))


@seizure.command(name="cancel")
@click.argument("seizure_id", metavar="ID", type=SEIZURE_ID)
@reason_option
@pass_session
def seizure_cancel(session: Session, seizure_id: int, reason: bytes) -> None:
    """Cancel proposed or approved seizure ID (its proposer's or approver's role)."""
    session.send(f"cancel seizure #{seizure_id}", lambda tenge: tenge.cancel_seizure(seizure_id, reason))


@seizure.command(name="show")
@click.argument("seizure_id", metavar="ID", type=SEIZURE_ID)
@pass_session
def seizure_show(session: Session, seizure_id: int) -> None:
    """Seizure ID: holder, receiver, amount, order, reason, who proposed and approved it, when it is ready;
    and whether it can still go ahead (whoever decided it must still hold the role)."""
    tenge = session.tenge()
    found = tenge.seizure(seizure_id)
    revoked = tenge.roles_revoked(found)
    blocked = [f"{r.account} no longer holds {r.role}" for r in revoked]
    session.out(
        {**found.to_dict(), "roles_revoked": [r.to_dict() for r in revoked]},
        lambda: print_pairs(
            {
                **found.to_dict(),
                "cannot go ahead": "; ".join(blocked) + ": cancel it and propose again" if blocked else None,
            }
        ),
    )


@seizure.command(name="list")
@click.option("--status", type=click.Choice(STATUSES), help="Only the seizures in this state.")
@pass_session
def seizure_list(session: Session, status: str | None) -> None:
    """This token's seizures and where each stands."""
    wanted = None if status is None else SeizureStatus[status.upper()]
    found = session.tenge().seizures_of_token(status=wanted)

    def human() -> None:
        table = Table("id", "status", "account", "KZT", "to", "ready")
        for s in found:
            ready = "-" if s.ready_at is None else utc_text(s.ready_at)
            table.add_row(str(s.id), s.status.label, s.account, str(s.amount), s.to or "burned", ready)
        print_table(table)

    session.out([s.to_dict() for s in found], human)


@seizure.group(name="notice")
def seizure_notice() -> None:
    """How long this token's seizures wait after approval (72 hours unless the admin set another)."""


@seizure_notice.command(name="show")
@pass_session
def seizure_notice_show(session: Session) -> None:
    """The notice period, in seconds and as a term, and a shorter one waiting for the admin's delay."""
    tenge = session.tenge()
    seconds, pending = tenge.seizure_notice_period(), tenge.pending_seizure_notice_period()
    data = {"notice_period": seconds, "notice": duration_text(seconds)}
    session.out(
        {**data, "pending": None if pending is None else pending.to_dict()},
        lambda: print_pairs({**data, "pending": pending_text(pending)}),
    )


@seizure_notice.command(name="set")
@click.argument("term", metavar="TERM", type=NOTICE)
@reason_option
@pass_session
def seizure_notice_set(session: Session, term: int, reason: bytes) -> None:
    """Set the notice to TERM (72h, 3d, 0, or seconds): a longer notice applies at once, a shorter one
    after the admin's delay; seizures approved before keep theirs (DEFAULT_ADMIN_ROLE)."""
    session.send(
        f"seizure notice {duration_text(term)}",
        lambda tenge: tenge.set_seizure_notice_period(term, reason),
        setting_outcome,
    )
