"""Freezes, holds and seizures as the library returns them: states are enums, results dataclasses.

A freeze and a hold lapse at their expiry by themselves; a hold is named by the order that placed it.
A seizure executes a hold: proposed by one person, approved by another, executed after the notice
(`TengeSeizureController`, found from the token's `seizureController()`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Any

from tenge.times import utc_text


class HoldStatus(StrEnum):
    """Where a hold stands now."""

    NONE = "none"  # never placed on this account under this order
    ACTIVE = "active"  # keeps `amount` until `expires_at`
    RELEASED = "released"  # emptied before its expiry: released or seized in full
    LAPSED = "lapsed"  # its expiry has passed: it keeps nothing


@dataclass(frozen=True)
class Hold:
    """The hold `order` keeps on `account` (`holdOf`), at the chain's time `as_of`."""

    account: str
    order: str  # 0x-hex bytes32: the order's hash or id
    amount: Decimal  # KZT held now: 0 unless active
    expires_at: int | None  # unix time; None if never placed
    status: HoldStatus

    def to_dict(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "order": self.order,
            "amount": str(self.amount),
            "expires_at": self.expires_at,
            "expires": None if self.expires_at is None else utc_text(self.expires_at),
            "status": self.status.value,
        }


def hold_status(amount: int, expires_at: int, now: int) -> HoldStatus:
    """The status of a hold from `holdOf`'s answer (amount, expiry) at the chain's time `now`."""
    if expires_at == 0:
        return HoldStatus.NONE
    if amount > 0:
        return HoldStatus.ACTIVE
    return HoldStatus.LAPSED if now >= expires_at else HoldStatus.RELEASED


class SeizureStatus(IntEnum):
    """`ISeizureController.Status`, in the contract's order."""

    NONE = 0
    PROPOSED = 1
    APPROVED = 2
    EXECUTED = 3
    CANCELLED = 4

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Seizure:
    """One seizure at the seizure controller (`seizure(id)`)."""

    id: int
    token: str
    account: str  # the holder seized from
    to: str | None  # the receiver named by the order; None: the funds are burned
    amount: Decimal
    order: str  # the hold it executes (0x-hex)
    reason: str  # the legal basis (0x-hex)
    proposer: str
    approver: str | None  # None until approved
    ready_at: int | None  # unix time from which it may be executed; None until approved
    status: SeizureStatus

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "token": self.token,
            "account": self.account,
            "to": self.to,
            "amount": str(self.amount),
            "order": self.order,
            "reason": self.reason,
            "proposer": self.proposer,
            "approver": self.approver,
            "ready_at": self.ready_at,
            "ready": None if self.ready_at is None else utc_text(self.ready_at),
            "status": self.status.label,
        }
