"""KZT amounts: exact conversion between decimal KZT and integer tiyn (1 KZT = 100 tiyn)."""

from __future__ import annotations

from decimal import Decimal, Inexact, InvalidOperation, localcontext

from tenge.errors import InvalidAmount

DECIMALS = 2
TIYN_PER_KZT = 10**DECIMALS
# Thin space would be typographically right; a plain space keeps terminals and CSV readers happy.
_GROUP_SEPARATOR = " "


def kzt_to_tiyn(amount: Decimal | int | str) -> int:
    """Converts a KZT amount to tiyn exactly.

    Refuses floats (binary fractions are not exact), negatives, non-numbers, and anything finer than
    one tiyn, before anything is signed.
    """
    if isinstance(amount, (bool, float)):
        raise InvalidAmount(f"amount {amount!r}: pass a Decimal, int or str, not {type(amount).__name__}")
    try:
        value = Decimal(amount)
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidAmount(f"amount {amount!r} is not a number") from None
    if not value.is_finite():
        raise InvalidAmount(f"amount {amount!r} is not a finite number")
    if value < 0:
        raise InvalidAmount(f"amount {amount!r} is negative")
    # Exact arithmetic: enough digits for any uint256, and an error rather than a silent rounding.
    with localcontext() as context:
        context.prec = 100
        context.traps[Inexact] = True
        try:
            tiyn = value * TIYN_PER_KZT
        except Inexact:
            raise InvalidAmount(f"amount {amount!r} has too many digits") from None
    if tiyn != tiyn.to_integral_value():
        raise InvalidAmount(f"amount {amount!r} has more than {DECIMALS} decimals (1 tiyn = 0.01 KZT)")
    if tiyn >= 2**256:
        raise InvalidAmount(f"amount {amount!r} is too large for a uint256")
    return int(tiyn)


def parse_limit(text: str) -> Decimal | None:
    """A tier limit as people write it: KZT, or "unlimited" (None, stored as `type(uint256).max`)."""
    if text.strip().lower() in ("unlimited", "none"):
        return None
    return tiyn_to_kzt(kzt_to_tiyn(text.strip()))


def tiyn_to_kzt(tiyn: int) -> Decimal:
    """Converts tiyn to KZT, exact, with two decimals."""
    # Built from its digits, so that even a uint256 converts without rounding.
    digits = tuple(int(d) for d in str(abs(tiyn)))
    return Decimal((1 if tiyn < 0 else 0, digits, -DECIMALS))


def format_kzt(tiyn: int) -> str:
    """Formats tiyn as KZT for people: `123456` -> `1 234.56 KZT`."""
    sign = "-" if tiyn < 0 else ""
    whole, cents = divmod(abs(tiyn), TIYN_PER_KZT)
    return f"{sign}{whole:,}".replace(",", _GROUP_SEPARATOR) + f".{cents:02d} KZT"
