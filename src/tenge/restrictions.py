"""Freezes, holds and seizures as the library returns them: states are enums, results dataclasses.

A freeze and a hold lapse at their expiry by themselves; a hold is named by the order that placed it.
A seizure executes a hold: proposed by one person, approved by another, executed after the notice
(`TengeSeizureController`, found from the token's `seizureController()`). The controller also keeps the
two due-process settings, the longest term and the notice: a change that protects holders less waits for
the token's `defaultAdminDelay()`, a stricter one applies at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Any

from tenge.times import duration_text, utc_text


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


@dataclass(frozen=True)
class RevokedRole:
    """One who decided a seizure and no longer holds the role it was decided under: the controller
    refuses to approve or execute it (`SeizureRoleRevoked`)."""

    account: str
    role: str  # the role's name: SEIZURE_PROPOSER_ROLE or SEIZURE_APPROVER_ROLE

    def to_dict(self) -> dict[str, Any]:
        return {"account": self.account, "role": self.role}


class DueProcessSetting(StrEnum):
    """The settings of a token the seizure controller keeps under the admin's delay."""

    MAX_RESTRICTION_TERM = "max_restriction_term"  # MaxRestrictionTermChanged: longer waits
    NOTICE_PERIOD = "notice_period"  # NoticePeriodChanged: shorter waits


@dataclass(frozen=True)
class PendingSetting:
    """A setting set and still waiting for the admin's delay (`pendingMaxRestrictionTerm`,
    `pendingNoticePeriod`): what it will be, and from when."""

    seconds: int
    effective_at: int  # unix time; NEVER_AT when the admin's delay never ends

    def to_dict(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "term": duration_text(self.seconds),
            "effective_at": self.effective_at,
            "effective": utc_text(self.effective_at),
        }


@dataclass(frozen=True)
class SettingChange:
    """What a `set_max_restriction_term` or `set_seizure_notice_period` receipt did: the value set,
    and whether it applied at once (stricter) or waits for the admin's delay until `effective_at`."""

    setting: DueProcessSetting
    seconds: int
    effective_at: int  # unix time it applies from: the block's time when at once
    at_once: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "setting": self.setting.value,
            "seconds": self.seconds,
            "term": duration_text(self.seconds),
            "at_once": self.at_once,
            "effective_at": self.effective_at,
            "effective": utc_text(self.effective_at),
        }
