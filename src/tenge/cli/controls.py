"""Controls: the blocklist, pause, rescue, roles, the default admin and upgrades (freezes and holds are in
`restrictions`, seizures in `seizures`)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from tenge.cli.app import cli
from tenge.cli.shared import (
    ADDRESS,
    ROLE,
    Session,
    accounts_argument,
    accounts_file_option,
    fail_usage,
    listed_accounts,
    listing,
    pass_session,
    print_pairs,
    print_table,
    reason_option,
    session_of,
    stdout,
)
from tenge.roles import ALL_ROLE_NAMES, role_name

# --- the blocklist: one account, or many in one transaction -------------------------------------------------


@cli.command(name="block")
@accounts_argument
@accounts_file_option
@reason_option
@pass_session
def block_account(
    session: Session, accounts: tuple[str, ...], accounts_file: Path | None, reason: bytes
) -> None:
    """Blocklist ACCOUNTS (all in one transaction): they can neither send nor receive (BLOCKLISTER_ROLE)."""
    listed = listed_accounts(accounts, accounts_file)
    session.send(f"block {listing(listed)}", lambda tenge: tenge.block_many(listed, reason))


@cli.command()
@accounts_argument
@accounts_file_option
@reason_option
@pass_session
def unblock(session: Session, accounts: tuple[str, ...], accounts_file: Path | None, reason: bytes) -> None:
    """Take ACCOUNTS off the blocklist, all in one transaction (BLOCKLISTER_ROLE)."""
    listed = listed_accounts(accounts, accounts_file)
    session.send(f"unblock {listing(listed)}", lambda tenge: tenge.unblock_many(listed, reason))


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
@reason_option
@pass_session
def rescue(session: Session, token: str, to: str, amount: int, reason: bytes) -> None:
    """Send AMOUNT (in TOKEN's smallest units) of another TOKEN stuck in the contract to TO (RESCUER_ROLE)."""
    session.send(
        f"rescue {amount} units of {token} to {to}", lambda tenge: tenge.rescue(token, to, amount, reason)
    )


# --- roles and the default admin --------------------------------------------------------------------------


@cli.group(invoke_without_command=True)
@click.option("--account", type=ADDRESS, help="Show the roles of this account only.")
@click.pass_context
def roles(ctx: click.Context, account: str | None) -> None:
    """Who holds which role; `roles grant` and `roles revoke` change them (role admin)."""
    if ctx.invoked_subcommand is not None:
        return
    session = session_of(ctx)
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
        print_table(table)

    session.out(holders, human)


@roles.command()
@click.argument("role", type=ROLE)
@click.argument("account", type=ADDRESS)
@reason_option
@pass_session
def grant(session: Session, role: bytes, account: str, reason: bytes) -> None:
    """Grant ROLE (e.g. FREEZER_ROLE or FREEZER) to ACCOUNT, citing the decision."""
    session.send(
        f"grant {role_name(role)} to {account}", lambda tenge: tenge.grant_role(role, account, reason)
    )


@roles.command()
@click.argument("role", type=ROLE)
@click.argument("account", type=ADDRESS)
@reason_option
@pass_session
def revoke(session: Session, role: bytes, account: str, reason: bytes) -> None:
    """Revoke ROLE from ACCOUNT, citing the decision."""
    session.send(
        f"revoke {role_name(role)} from {account}", lambda tenge: tenge.revoke_role(role, account, reason)
    )


@cli.group()
def admin() -> None:
    """The default admin and its two-step handover: begin (admin), wait the delay, accept (new admin)."""


@admin.command(name="show")
@pass_session
def admin_show(session: Session) -> None:
    """The admin, a handover in progress (who, from when) and the handover delay."""
    status = session.tenge().admin_status()
    session.out(status.to_dict(), lambda: print_pairs(status.to_dict()))


@admin.command(name="begin")
@click.argument("new_admin", type=ADDRESS)
@reason_option
@pass_session
def admin_begin(session: Session, new_admin: str, reason: bytes) -> None:
    """Offer the admin role to NEW_ADMIN; it may accept once the delay has passed (the admin)."""
    session.send(
        f"begin admin handover to {new_admin}",
        lambda tenge: tenge.begin_default_admin_transfer(new_admin, reason),
    )


@admin.command(name="accept")
@reason_option
@pass_session
def admin_accept(session: Session, reason: bytes) -> None:
    """Accept the admin role offered to the signer, after the delay."""
    session.send("accept the admin role", lambda tenge: tenge.accept_default_admin_transfer(reason))


@admin.command(name="cancel")
@reason_option
@pass_session
def admin_cancel(session: Session, reason: bytes) -> None:
    """Withdraw a handover in progress (the admin)."""
    session.send("cancel the admin handover", lambda tenge: tenge.cancel_default_admin_transfer(reason))


# --- upgrades: announced, then run after the admin's delay ------------------------------------------------


def _calldata(text: str) -> bytes:
    try:
        return bytes.fromhex(text.removeprefix("0x"))
    except ValueError:
        fail_usage(f"--call {text!r} is not hex calldata (0x followed by pairs of hex digits)")


call_option = click.option(
    "--call", "call", default="", help="Hex calldata the new implementation runs (e.g. a reinitializer)."
)


@cli.group()
def upgrade() -> None:
    """Upgrades after a public notice: announce (upgrader), wait the admin's delay, run (upgrader); the
    admin may cancel in between."""


@upgrade.command(name="show")
@pass_session
def upgrade_show(session: Session) -> None:
    """The announced upgrade, if any: implementation, call hash, earliest time, reason."""
    pending = session.tenge().pending_upgrade()
    found = None if pending is None else pending.to_dict()
    session.out({"pending_upgrade": found}, lambda: print_pairs(found or {"pending upgrade": "none"}))


@upgrade.command(name="announce")
@click.argument("implementation", type=ADDRESS)
@call_option
@reason_option
@pass_session
def upgrade_announce(session: Session, implementation: str, call: str, reason: bytes) -> None:
    """Announce an upgrade to IMPLEMENTATION (UPGRADER_ROLE); it may run after the admin's delay."""
    data = _calldata(call)
    session.send(
        f"announce an upgrade to {implementation}",
        lambda tenge: tenge.announce_upgrade(implementation, data, reason=reason),
    )


@upgrade.command(name="cancel")
@reason_option
@pass_session
def upgrade_cancel(session: Session, reason: bytes) -> None:
    """Cancel the announced upgrade (the admin)."""
    session.send("cancel the announced upgrade", lambda tenge: tenge.cancel_upgrade(reason))


@upgrade.command(name="run")
@click.argument("implementation", type=ADDRESS)
@call_option
@pass_session
def upgrade_run(session: Session, implementation: str, call: str) -> None:
    """Run the announced upgrade to IMPLEMENTATION with its announced --call, once its time has come."""
    data = _calldata(call)
    session.send(
        f"upgrade to {implementation}", lambda tenge: tenge.upgrade_to_and_call(implementation, data)
    )
