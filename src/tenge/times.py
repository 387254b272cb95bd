"""Times and terms: when a freeze or hold lapses, how long a term or notice lasts, as people write them.

    parse_expiry("2026-12-31")              # Expiry(at=1798675200): midnight UTC, unix seconds
    parse_expiry("2026-12-31T18:00")        # a time of day, UTC (or with its own offset, "+05:00")
    parse_expiry("1798675200")              # unix seconds as they are
    parse_duration("30d")                   # 2592000 seconds; "12h", "90m", "2w", "1d12h", "3600" too

The contract counts in unix seconds of its own clock (the block time): a relative term (`timedelta`, or
`--for 30d`) is added to the chain's latest block time, not to this machine's clock.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tenge.errors import InvalidInput

UINT32_MAX = 2**32 - 1
# The time a change waits for when the admin's delay never ends: the controller saturates at uint48.
NEVER_AT = 2**48 - 1
_UNITS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION = re.compile(r"^(?:[0-9]+[wdhms])+$", re.ASCII)
_PART = re.compile(r"([0-9]+)([wdhms])", re.ASCII)
_HOW_DURATION = "write a term as digits with a unit (s, m, h, d, w), e.g. '30d', '12h', '1d12h', or seconds"
_HOW_TIME = (
    "write a date or time in UTC ('2026-12-31', '2026-12-31T18:00', '2026-12-31 18:00:00+05:00') "
    "or unix seconds"
)

Expiry = int | datetime | timedelta


def parse_duration(text: str, *, allow_zero: bool = False) -> int:
    """A term as people write it ("30d", "12h", "1d12h", "3600"), in seconds; at least one second
    unless `allow_zero` (a notice period may be none)."""
    value = text.strip().lower()
    if value.isascii() and value.isdigit():
        seconds = int(value)
    elif _DURATION.match(value):
        seconds = sum(int(n) * _UNITS[unit] for n, unit in _PART.findall(value))
    else:
        raise InvalidInput(f"term {text!r} is not a term: {_HOW_DURATION}")
    if seconds == 0 and not allow_zero:
        raise InvalidInput(f"term {text!r} is zero: a restriction must last at least a second")
    return seconds


def parse_time(text: str) -> int:
    """A point in time as people write it (ISO 8601, UTC unless it says otherwise, or unix seconds)."""
    value = text.strip()
    if value.isascii() and value.isdigit():
        return int(value)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"time {text!r} is not a time: {_HOW_TIME}") from None
    return unix_time(moment)


def unix_time(moment: datetime) -> int:
    """Unix seconds of `moment`; a naive datetime is read as UTC (the chain's clock has no zone)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return int(aware.timestamp())


def resolve_expiry(expires_at: Expiry, now: int) -> int:
    """An expiry as the contract takes it: unix seconds as given, a datetime, or `now` plus a timedelta."""
    if isinstance(expires_at, bool):
        raise InvalidInput(f"expiry {expires_at!r}: give unix seconds, a datetime or a timedelta")
    if isinstance(expires_at, timedelta):
        seconds = int(expires_at.total_seconds())
        if seconds <= 0:
            raise InvalidInput(f"term {expires_at} is not in the future: a restriction must last a second")
        return now + seconds
    if isinstance(expires_at, datetime):
        return unix_time(expires_at)
    if isinstance(expires_at, int):
        if expires_at < 0:
            raise InvalidInput(f"expiry {expires_at} is negative: give unix seconds")
        return expires_at
    raise InvalidInput(f"expiry {expires_at!r}: give unix seconds (int), a datetime or a timedelta")


def utc_text(unix: int) -> str:
    """Unix seconds as people read them: `2026-12-31 18:00:00 UTC`; "never" from NEVER_AT on."""
    if unix >= NEVER_AT:
        return "never"
    try:
        return datetime.fromtimestamp(unix, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (OverflowError, OSError, ValueError):  # past the year 9999: no calendar date
        return f"unix time {unix}"


def duration_text(seconds: int) -> str:
    """Seconds as people read a term: `30 days`, `1 day 12 hours`, `90 minutes` as `1 hour 30 minutes`."""
    if seconds == 0:
        return "0 seconds"
    parts = []
    rest = seconds
    for name, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count} {name}{'' if count == 1 else 's'}")
    return " ".join(parts)
