"""The wallet policy: KYC tiers, their limits, linked accounts (the waterfall), the switch."""

from __future__ import annotations

import click
from rich.table import Table

from tenge.cli.app import cli
from tenge.cli.shared import (
    ADDRESS,
    TIER,
    Session,
    TengeGroup,
    limit_text,
    pass_session,
    print_pairs,
    print_table,
    reason_option,
    session_of,
)
from tenge.client import TierLimits
from tenge.units import parse_limit

# --- the wallet policy: tiers, limits, links ---------------------------------------------------------------


@cli.group()
def tier() -> None:
    """KYC tiers: what an account may hold and send per day (set: KYC_ROLE)."""


@tier.command(name="get")
@click.argument("account", type=ADDRESS)
@pass_session
def tier_get(session: Session, account: str) -> None:
    """ACCOUNT's tier, its limits, today's outflow, what it can send and receive now, its linked account."""
    status = session.tenge().wallet_policy(account)
    data = status.to_dict()

    def human() -> None:
        print_pairs(
            data
            | {
                "max_balance": limit_text(status.limits.max_balance),
                "daily_outflow": limit_text(status.limits.daily_outflow),
                "available_to_receive": limit_text(status.available_to_receive),
            }
        )

    session.out(data, human)


@tier.command(name="set")
@click.argument("account", type=ADDRESS)
@click.argument("tier_number", metavar="TIER", type=TIER)
@reason_option
@pass_session
def tier_set(session: Session, account: str, tier_number: int, reason: bytes) -> None:
    """Put ACCOUNT in TIER (0-255), citing the KYC decision (KYC_ROLE)."""
    session.send(
        f"tier {tier_number} for {account}", lambda tenge: tenge.set_tier(account, tier_number, reason)
    )


class LimitsGroup(TengeGroup):
    """`tenge limits 2` shows one tier; `tenge limits set 2 ...` configures it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            ctx.meta["tenge.tier"] = TIER(args[0], None, ctx)
            args = args[1:]
        return super().parse_args(ctx, args)


@cli.group(cls=LimitsGroup, invoke_without_command=True, subcommand_metavar="[TIER] | set TIER ...")
@click.pass_context
def limits(ctx: click.Context) -> None:
    """The limits of every configured tier (or of TIER): max balance and daily outflow, in KZT."""
    if ctx.invoked_subcommand is not None:
        return
    session = session_of(ctx)
    tenge = session.tenge()
    chosen: int | None = ctx.meta.get("tenge.tier")
    tiers = tenge.all_tier_limits() if chosen is None else [tenge.tier_limits(chosen)]
    enabled = tenge.policy_enabled()

    def human() -> None:
        title = f"policy {'on' if enabled else 'off'}"
        table = Table("tier", "max balance KZT", "daily outflow KZT", title=title, title_justify="left")
        for limit in tiers:
            table.add_row(str(limit.tier), limit_text(limit.max_balance), limit_text(limit.daily_outflow))
        print_table(table)

    session.out({"policy_enabled": enabled, "tiers": [limit.to_dict() for limit in tiers]}, human)


@limits.command(name="set")
@click.argument("tier_number", metavar="TIER", type=TIER)
@click.option("--max-balance", required=True, metavar="KZT|unlimited", help="The most an account may hold.")
@click.option(
    "--daily-outflow", required=True, metavar="KZT|unlimited", help="The most it may send per UTC day."
)
@reason_option
@pass_session
def limits_set(
    session: Session, tier_number: int, max_balance: str, daily_outflow: str, reason: bytes
) -> None:
    """Set TIER's holding and daily outflow limits (DEFAULT_ADMIN_ROLE)."""
    wanted = TierLimits(tier_number, parse_limit(max_balance), parse_limit(daily_outflow))
    session.send(
        f"limits of tier {tier_number}: holds {limit_text(wanted.max_balance)}, "
        f"sends {limit_text(wanted.daily_outflow)} a day",
        lambda tenge: tenge.set_tier_limits(tier_number, wanted.max_balance, wanted.daily_outflow, reason),
    )


@cli.command()
@click.argument("account", type=ADDRESS)
@click.argument("linked", type=ADDRESS)
@reason_option
@pass_session
def link(session: Session, account: str, linked: str, reason: bytes) -> None:
    """Propose to pass what exceeds ACCOUNT's holding limit on to LINKED, its bank's account (KYC_ROLE);
    it takes effect when ACCOUNT's holder runs `accept-link LINKED`."""
    session.send(
        f"propose to link {account} to {linked}",
        lambda tenge: tenge.set_linked_account(account, linked, reason),
    )


@cli.command(name="accept-link")
@click.argument("linked", type=ADDRESS)
@pass_session
def accept_link(session: Session, linked: str) -> None:
    """Accept, as the holder, the link KYC proposed for the signer's account to LINKED."""
    session.send(f"accept the link to {linked}", lambda tenge: tenge.accept_linked_account(linked))


@cli.command()
@click.argument("account", type=ADDRESS)
@reason_option
@pass_session
def unlink(session: Session, account: str, reason: bytes) -> None:
    """Remove ACCOUNT's linked account: payments over its limit are refused again (KYC_ROLE)."""
    session.send(f"unlink {account}", lambda tenge: tenge.set_linked_account(account, None, reason))


@cli.command()
@click.argument("state", type=click.Choice(["on", "off"]))
@reason_option
@pass_session
def policy(session: Session, state: str, reason: bytes) -> None:
    """Switch the wallet policy (tiers, limits, waterfall) on or off as a whole (DEFAULT_ADMIN_ROLE)."""
    session.send(f"policy {state}", lambda tenge: tenge.set_policy_enabled(state == "on", reason))
