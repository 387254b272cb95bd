"""Issuance: mint and burn, minter allowances, the supply cap."""

from __future__ import annotations

from decimal import Decimal

import click

from tenge.cli.app import cli
from tenge.cli.shared import (
    ADDRESS,
    KZT,
    MOVED_KZT,
    Session,
    fail_usage,
    pass_session,
    print_pairs,
    reason_option,
)


@cli.command()
@click.argument("to", type=ADDRESS)
@click.argument("amount", type=MOVED_KZT)
@pass_session
def mint(session: Session, to: str, amount: Decimal) -> None:
    """Issue AMOUNT KZT to TO (a minter, within its allowance at the mint controller)."""
    session.send(f"mint {amount} KZT to {to}", lambda tenge: tenge.mint(to, amount))


@cli.command()
@click.argument("amount", type=MOVED_KZT)
@pass_session
def burn(session: Session, amount: Decimal) -> None:
    """Redeem AMOUNT KZT of the signer's own balance (MINTER_ROLE)."""
    session.send(f"burn {amount} KZT", lambda tenge: tenge.burn(amount))


# --- issuance controls: minters and the supply cap ----------------------------------------------------------


@cli.group()
def minter() -> None:
    """Minter allowances at the token's mint controller: show, configure, remove (MINTER_ADMIN_ROLE)."""


@minter.command(name="show")
@click.argument("account", type=ADDRESS)
@pass_session
def minter_show(session: Session, account: str) -> None:
    """ACCOUNT's minter role, allowance now, and refill (capacity and KZT per second)."""
    status = session.tenge().minter_status(account)
    session.out(status.to_dict(), lambda: print_pairs(status.to_dict()))


@minter.command(name="configure")
@click.argument("account", type=ADDRESS)
@click.argument("amount", type=KZT)
@click.option("--capacity", type=KZT, help="With a refill: the most the allowance grows back to.")
@click.option("--refill-per-second", type=KZT, help="KZT the allowance grows back by each second.")
@reason_option
@pass_session
def minter_configure(
    session: Session,
    account: str,
    amount: Decimal,
    capacity: Decimal | None,
    refill_per_second: Decimal | None,
    reason: bytes,
) -> None:
    """Make ACCOUNT a minter allowed AMOUNT KZT, optionally refilling up to --capacity."""
    if (capacity is None) != (refill_per_second is None):
        fail_usage("--capacity and --refill-per-second go together")
    refill = "" if capacity is None else f", refilling {refill_per_second} KZT/s up to {capacity} KZT"
    session.send(
        f"configure minter {account}: {amount} KZT{refill}",
        lambda tenge: tenge.configure_minter(
            account,
            amount,
            capacity=capacity,
            refill_per_second=Decimal(0) if refill_per_second is None else refill_per_second,
            reason=reason,
        ),
    )


@minter.command(name="remove")
@click.argument("account", type=ADDRESS)
@reason_option
@pass_session
def minter_remove(session: Session, account: str, reason: bytes) -> None:
    """Take ACCOUNT's minting and allowance away."""
    session.send(f"remove minter {account}", lambda tenge: tenge.remove_minter(account, reason))


@cli.group(name="supply-cap")
def supply_cap() -> None:
    """The cap on total supply: show, set, lift (DEFAULT_ADMIN_ROLE)."""


@supply_cap.command(name="show")
@pass_session
def supply_cap_show(session: Session) -> None:
    """The cap and the total supply, in KZT."""
    tenge = session.tenge()
    cap, supply = tenge.supply_cap(), tenge.total_supply()
    data = {"supply_cap": None if cap is None else str(cap), "total_supply": str(supply)}
    session.out(data, lambda: print_pairs({"supply cap": cap or "none", "total supply": supply}))


@supply_cap.command(name="set")
@click.argument("amount", type=KZT)
@reason_option
@pass_session
def supply_cap_set(session: Session, amount: Decimal, reason: bytes) -> None:
    """Cap total supply at AMOUNT KZT."""
    session.send(f"cap supply at {amount} KZT", lambda tenge: tenge.set_supply_cap(amount, reason))


@supply_cap.command(name="lift")
@reason_option
@pass_session
def supply_cap_lift(session: Session, reason: bytes) -> None:
    """Remove the cap."""
    session.send("lift the supply cap", lambda tenge: tenge.set_supply_cap(None, reason))
