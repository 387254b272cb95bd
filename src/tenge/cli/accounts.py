"""Accounts and transfers: token info, balances, allowances, transfers, approvals, signed permits and
EIP-3009 authorizations and their relay."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import click
from rich.table import Table

from tenge.cli.app import cli
from tenge.cli.shared import (
    ADDRESS,
    KZT,
    MOVED_KZT,
    REFERENCE,
    Session,
    limit_text,
    output_option,
    pass_session,
    print_pairs,
    print_table,
    stdout,
    valid_for_option,
    write_output,
    yes_no,
)
from tenge.errors import InvalidInput
from tenge.signatures import signed_from_dict
from tenge.times import utc_text

# --- reads -----------------------------------------------------------------------------------------------


@cli.command()
@pass_session
def info(session: Session) -> None:
    """The token: address, implementation, supply, cap, pause state, admin."""
    token = session.tenge().info()

    session.out(token.to_dict(), lambda: print_pairs(token.to_dict()))


@cli.command()
@click.argument("accounts", nargs=-1, required=True, type=ADDRESS)
@pass_session
def balance(session: Session, accounts: tuple[str, ...]) -> None:
    """Balance, spendable amount, freeze and blocklist state, tier, and what ACCOUNTS can send and receive."""
    tenge = session.tenge()
    statuses = [tenge.status(account) for account in accounts]

    def human() -> None:
        table = Table(
            "account",
            "balance KZT",
            "available KZT",
            "held KZT",
            "frozen",
            "blocked",
            "tier",
            "can send KZT",
            "can receive KZT",
        )
        for s in statuses:
            table.add_row(
                s.address,
                str(s.balance),
                str(s.available),
                str(s.frozen_amount),
                "no" if s.frozen_until is None else f"until {utc_text(s.frozen_until)}",
                yes_no(s.blocked),
                str(s.tier),
                str(s.available_to_send),
                limit_text(s.available_to_receive),
            )
        print_table(table)

    session.out([s.to_dict() for s in statuses], human)


@cli.command()
@click.argument("owner", type=ADDRESS)
@click.argument("spender", type=ADDRESS)
@pass_session
def allowance(session: Session, owner: str, spender: str) -> None:
    """How much SPENDER may still move from OWNER."""
    amount = session.tenge().allowance(owner, spender)
    session.out(
        {"owner": owner, "spender": spender, "allowance": str(amount)}, lambda: stdout.print(f"{amount} KZT")
    )


# --- writes ----------------------------------------------------------------------------------------------


@cli.command()
@click.argument("to", type=ADDRESS)
@click.argument("amount", type=MOVED_KZT)
@click.option(
    "--reference",
    type=REFERENCE,
    help="Payment reference (invoice id): text up to 32 bytes, kept readable, or 0x + 64 hex digits.",
)
@pass_session
def transfer(session: Session, to: str, amount: Decimal, reference: bytes | None) -> None:
    """Send AMOUNT KZT to TO, with --reference by transferWithReference (a PaymentReference event)."""
    session.send(
        f"transfer {amount} KZT to {to}", lambda tenge: tenge.transfer(to, amount, reference=reference)
    )


@cli.command()
@click.argument("spender", type=ADDRESS)
@click.argument("amount", type=KZT)
@pass_session
def approve(session: Session, spender: str, amount: Decimal) -> None:
    """Let SPENDER move up to AMOUNT KZT of the signer's balance."""
    session.send(f"approve {spender} for {amount} KZT", lambda tenge: tenge.approve(spender, amount))


@cli.command()
@click.argument("spender", type=ADDRESS)
@click.argument("amount", type=KZT)
@valid_for_option
@output_option
@pass_session
def permit(session: Session, spender: str, amount: Decimal, valid_for: int, output: Path | None) -> None:
    """Sign an EIP-2612 permit letting SPENDER move AMOUNT KZT (JSON; nothing is sent, see `relay`)."""
    tenge = session.tenge(sign=True)
    # Counted on the chain's clock, which judges the deadline (as expiries are), not this machine's.
    signed = tenge.sign_permit(spender, amount, deadline=tenge.chain_time() + valid_for)
    write_output(json.dumps(signed.to_dict(), indent=2) + "\n", output)


@cli.command()
@click.argument("to", type=ADDRESS)
@click.argument("amount", type=MOVED_KZT)
@valid_for_option
@click.option("--receive", is_flag=True, help="A receiveWithAuthorization: only TO may submit it.")
@output_option
@pass_session
def authorize(
    session: Session, to: str, amount: Decimal, valid_for: int, receive: bool, output: Path | None
) -> None:
    """Sign an EIP-3009 authorization to send AMOUNT KZT to TO (JSON; nothing is sent, see `relay`)."""
    tenge = session.tenge(sign=True)
    signed = tenge.sign_transfer_authorization(
        to, amount, valid_before=tenge.chain_time() + valid_for, receive=receive
    )
    write_output(json.dumps(signed.to_dict(), indent=2) + "\n", output)


@cli.command(name="cancel-authorization")
@click.argument("nonce")
@output_option
@pass_session
def cancel_authorization(session: Session, nonce: str, output: Path | None) -> None:
    """Sign the cancellation of the signer's unused authorization NONCE (JSON; submit it with `relay`)."""
    signed = session.tenge(sign=True).sign_cancel_authorization(nonce)
    write_output(json.dumps(signed.to_dict(), indent=2) + "\n", output)


@cli.command()
@click.argument("file", type=click.File("r"))
@pass_session
def relay(session: Session, file: io.TextIOWrapper) -> None:
    """Submit a signed permit or authorization from FILE (- for stdin); the signer pays the gas."""
    try:
        signed = signed_from_dict(json.load(file))
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{file.name}: not JSON ({exc})") from None
    except AttributeError:
        raise InvalidInput(f"{file.name}: expected a JSON object, as `tenge authorize` writes") from None
    session.send(f"relay {signed.type}", lambda tenge: tenge.relay(signed))
