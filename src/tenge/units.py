"""KZT amounts: one parser for the command line, payout files and the library (1 KZT = 100 tiyn).

    parse_kzt("1234.56")              # 123456 tiyn; text as people write it, checked strictly
    to_tiyn(Decimal("12.50"))         # 1250
    to_tiyn(Tiyn(1250))               # 1250: tiyn, said so by the type
    to_tiyn(5)                        # InvalidAmount: a bare int is ambiguous (KZT or tiyn?)

Text is ASCII digits with at most 2 decimals: no sign, no exponent, no blanks around it, no other
script's digits (Arabic-Indic or fullwidth), no thousands separators. A `Decimal` must be finite, not
negative and a whole number of tiyn. Floats are refused (binary fractions are not exact). Where an
amount of zero would do nothing (a transfer, mint, burn, hold, seizure, payout row) it is refused too;
approving 0, which revokes an allowance, stays legal.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from tenge.errors import InvalidAmount

DECIMALS = 2
TIYN_PER_KZT = 10**DECIMALS
UINT256_LIMIT = 2**256
# Thin space would be typographically right; a plain space keeps terminals and CSV readers happy.
_GROUP_SEPARATOR = " "
_KZT_TEXT = re.compile(r"(?P<whole>[0-9]+)(?:\.(?P<fraction>[0-9]{1,2}))?", re.ASCII)
_TOO_FINE = re.compile(r"[0-9]*\.[0-9]{3,}", re.ASCII)
_HOW = "write KZT as digits with at most 2 decimals, e.g. '1234.56'"


class Tiyn(int):
    """An amount in tiyn, the token's smallest unit: `Tiyn(1250)` is 12.50 KZT.

    The library reads a bare `int` as neither KZT nor tiyn; wrapping it in `Tiyn` says which it is.
    """

    def __repr__(self) -> str:
        return f"Tiyn({int(self)})"


Amount = Decimal | str | Tiyn


def parse_kzt(text: str, *, nonzero: bool = False) -> int:
    """An amount of KZT as people write it, in tiyn; InvalidAmount says what is wrong and how to write it."""
    shown = repr(text)
    if text == "":
        raise InvalidAmount(f"amount {shown} is empty: {_HOW}")
    if text != text.strip():
        raise InvalidAmount(f"amount {shown} has blanks around it: write {text.strip()!r}")
    if not text.isascii():
        raise InvalidAmount(f"amount {shown} is not written in ASCII digits: use 0-9 and '.'")
    if text.startswith("-"):
        raise InvalidAmount(f"amount {shown} is negative")
    if "e" in text.lower() and _is_number(text):
        plain = _plain_number(text)
        how = f"as {plain!r}" if plain is not None else "in digits"
        raise InvalidAmount(f"amount {shown} has an exponent: write it out {how}")
    if _TOO_FINE.fullmatch(text):
        raise InvalidAmount(f"amount {shown} has more than {DECIMALS} decimals (1 tiyn = 0.01 KZT)")
    match = _KZT_TEXT.fullmatch(text)
    if match is None:
        raise InvalidAmount(f"amount {shown} is not a number: {_HOW}")
    fraction = (match["fraction"] or "").ljust(DECIMALS, "0")
    return _checked(int(match["whole"]) * TIYN_PER_KZT + int(fraction), shown, nonzero)


def to_tiyn(amount: Amount, *, nonzero: bool = False) -> int:
    """Any amount the library takes (KZT as `Decimal` or text, or `Tiyn`), in tiyn.

    With `nonzero`, zero is refused: the operation would move nothing.
    """
    if isinstance(amount, Tiyn):
        if amount < 0:
            raise InvalidAmount(f"amount {amount!r} is negative")
        return _checked(int(amount), repr(amount), nonzero)
    if isinstance(amount, str):
        return parse_kzt(amount, nonzero=nonzero)
    if isinstance(amount, Decimal):
        return _from_decimal(amount, nonzero)
    if isinstance(amount, bool):
        raise InvalidAmount(f"amount {amount!r} is a bool, not an amount")
    if isinstance(amount, float):
        raise InvalidAmount(
            f"amount {amount!r} is a float, which cannot hold tiyn exactly: write KZT as "
            f"Decimal({str(amount)!r}) or {str(amount)!r}, or tiyn as Tiyn(...)"
        )
    if isinstance(amount, int):
        raise InvalidAmount(
            f"amount {amount!r} is a bare int, which could be KZT or tiyn: write KZT as "
            f"Decimal('{amount}') or '{amount}', or tiyn as Tiyn({amount})"
        )
    raise InvalidAmount(f"amount {amount!r} is a {type(amount).__name__}: {_HOW}")


def kzt_to_tiyn(amount: Amount) -> int:
    """Converts a KZT amount to tiyn exactly (`to_tiyn`, zero allowed)."""
    return to_tiyn(amount)


def parse_limit(text: str) -> Decimal | None:
    """A tier limit as people write it: KZT, or "unlimited" (None, stored as `type(uint256).max`)."""
    if text.lower() in ("unlimited", "none"):
        return None
    return tiyn_to_kzt(parse_kzt(text))


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


def _from_decimal(amount: Decimal, nonzero: bool) -> int:
    shown = repr(amount)
    if not amount.is_finite():
        raise InvalidAmount(f"amount {shown} is not a number: {_HOW}")
    if amount.is_signed() and amount != 0:
        raise InvalidAmount(f"amount {shown} is negative")
    _, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)  # finite
    if len(digits) + exponent > 80:
        raise InvalidAmount(f"amount {shown} is too large for a uint256")
    # Exact: the digits shifted by the exponent, never a rounding.
    units = int("".join(map(str, digits)) or "0")
    shift = exponent + DECIMALS
    if -shift > len(digits):  # every digit below a tiyn (kept from computing 10**-shift for nothing)
        if units:
            raise InvalidAmount(f"amount {shown} has more than {DECIMALS} decimals (1 tiyn = 0.01 KZT)")
        return _checked(0, shown, nonzero)
    if shift >= 0:
        tiyn = units * 10**shift
    else:
        tiyn, rest = divmod(units, 10**-shift)
        if rest:
            raise InvalidAmount(f"amount {shown} has more than {DECIMALS} decimals (1 tiyn = 0.01 KZT)")
    return _checked(tiyn, shown, nonzero)


def _checked(tiyn: int, shown: str, nonzero: bool) -> int:
    if tiyn >= UINT256_LIMIT:
        raise InvalidAmount(f"amount {shown} is too large for a uint256")
    if nonzero and tiyn == 0:
        raise InvalidAmount(f"amount {shown} is zero: it would move nothing")
    return tiyn


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def _plain_number(text: str) -> str | None:
    """`1e2` written out (`100`), or None if the text is no number at all."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or not -80 < value.adjusted() < 80:
        return None
    return f"{value:f}"
