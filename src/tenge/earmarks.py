"""Earmarked (purpose-bound) tenge: purposes as they stand, and budget disbursements from a CSV file.

    tenge.create_purpose("Railway Almaty-Kapshagay km 12-40", timedelta(days=365), "Budget law 2026/14")
    tenge.purpose(1)                           # Purpose(funder, name, pool, outstanding, status, ...)
    run_fund(tenge, 1, "disbursement.csv")     # earmarks each row once, against the chain

A purpose's name is a `bytes32` kept readable as payment references are (tenge.references): text up to
32 bytes is stored as it is, longer text is hashed.

A disbursement file has the payout file's form (tenge.payout_file: a header naming `address`, `amount`
in KZT with at most 2 decimals, optionally `reference`), read by the same parser. Each row is earmarked
under a disbursement id that the earmark contract pays once per funder (`disbursementUsed`):

    disbursement = keccak256(abi.encode("tenge-earmark-v1", uint256 chainId, address earmarks,
                                        uint256 purpose, bytes32 source, uint256 row))

`source` is the SHA-256 of the file's bytes and `row` the row's place among the rows (0-based); a row
with its own reference (a budget line's id) has that reference as `bytes32` for `source` and 0 for
`row`, so that it is recognised in any file, at any place (an edited file, rows inserted before it), and
no two rows of a file may share a reference. The chain is the only state: a run asks
`disbursementUsed` for every row and sends only the rest, so a rerun, a second process beside the
first, a copy of the file or a copied journal of any kind can never earmark a row twice; the contract
refuses a used id (`DisbursementUsed`) even to a batch that raced another. Rows go in batches of
`earmark` calls through the contract's `multicall` (all or none per batch); a batch refused because
another process earmarked some of its rows first is asked about again and sent without them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eth_utils.crypto import keccak

from tenge.errors import InvalidInput, PayoutFileInvalid, RowProblem
from tenge.node import RpcRefused
from tenge.payout_file import PayoutRow, file_sha256, read_rows
from tenge.references import reference_bytes32, reference_text
from tenge.reverts import ContractRevert
from tenge.transactions import NONCE_TOO_LOW
from tenge.units import tiyn_to_kzt

if TYPE_CHECKING:
    from tenge.client import Tenge

DISBURSEMENT_DOMAIN = "tenge-earmark-v1"
DISBURSEMENT_TYPES = ["string", "uint256", "address", "uint256", "bytes32", "uint256"]
# `earmark` calls per multicall: ~2,000,000 gas a batch.
FUND_BATCH_ROWS = 50
# Measured on Anvil: 37,000 to 41,000 gas a row to holders already holding some of the purpose, 62,000 to
# a new intermediate holder, 67,000 to a new final recipient (a token transfer): 200 rows stay under
# EIP-7825's 16,777,216 gas a transaction (13.4 million at worst).
MAX_FUND_BATCH_ROWS = 200
# `disbursementUsed` views per eth_call of multicall.
USED_PER_CALL = 500
# Times a run asks the chain again after a race with another process on the same file and key.
MAX_ROUNDS = 20
# What a node says of a transaction whose nonce another one of the same key has, mined or pending.
NONCE_TAKEN = (*NONCE_TOO_LOW, "replacement transaction underpriced", "already known", "known transaction")


class RecipientKind(IntEnum):
    """IEarmarks.RecipientKind: how an approved recipient takes earmarked money."""

    NONE = 0  # not approved
    INTERMEDIATE = 1  # the mark follows the money
    FINAL = 2  # the mark drops: plain DKZT

    @property
    def label(self) -> str:
        return self.name.lower()


class PurposeStatus(StrEnum):
    OPEN = "open"  # before its expiry: money is earmarked and paid
    EXPIRED = "expired"  # past its expiry, the unspent not yet returned (`close` it)
    CLOSED = "closed"  # the unspent went back to the funder


@dataclass(frozen=True)
class Purpose:
    """A purpose as it stands: amounts in KZT; `returnable` is what its funder gets back now (the pool
    before the expiry, everything unspent after)."""

    id: int
    funder: str
    name: str  # the name's text, or 0x-hex of a hashed one
    reason: str  # 0x-hex
    expires_at: int
    closed: bool
    pool: Decimal
    outstanding: Decimal
    returnable: Decimal
    status: PurposeStatus

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "funder": self.funder,
            "name": self.name,
            "reason": self.reason,
            "expires_at": self.expires_at,
            "closed": self.closed,
            "pool": str(self.pool),
            "outstanding": str(self.outstanding),
            "returnable": str(self.returnable),
            "status": self.status.value,
        }


def purpose_name_bytes32(name: str | bytes) -> bytes:
    """A purpose's name as the contract stores it: text up to 32 bytes readable, longer hashed."""
    try:
        return reference_bytes32(name)
    except InvalidInput as exc:
        raise InvalidInput(str(exc).replace("payment reference", "purpose name")) from None


def purpose_name_text(value: bytes | str) -> str:
    return reference_text(value)


def purpose_status(closed: bool, expires_at: int, now: int) -> PurposeStatus:
    if closed:
        return PurposeStatus.CLOSED
    return PurposeStatus.OPEN if now < expires_at else PurposeStatus.EXPIRED


def purpose_id(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(f"purpose id {value!r}: ids are whole numbers from 1")
    return value


def disbursement_id(
    chain_id: int, earmarks: str, purpose: int, source: bytes, row: int, *, codec: Any
) -> bytes:
    """The disbursement id of one row (see the module doc)."""
    values = [DISBURSEMENT_DOMAIN, chain_id, earmarks, purpose, source, row]
    return keccak(codec.encode(DISBURSEMENT_TYPES, values))


@dataclass(frozen=True)
class FundRow:
    """A valid row of a disbursement file and its disbursement id."""

    row: PayoutRow
    disbursement: bytes

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.row.line,
            "address": self.row.address,
            "amount": str(self.row.amount),
            "reference": self.row.reference,
            "disbursement": "0x" + self.disbursement.hex(),
        }


@dataclass
class FundSummary:
    """What a run of `run_fund` found and did."""

    purpose: int
    file_sha256: str
    rows: int
    total: Decimal
    already: int = 0  # rows the chain showed earmarked before this run
    # Rows of batches this run sent that landed. Two runs signing the same batch with the same key and
    # nonce make one transaction (the same bytes): it lands once, and both count it.
    earmarked: int = 0
    transactions: list[str] = field(default_factory=list)
    gas_used: int = 0

    @property
    def complete(self) -> bool:
        return self.already + self.earmarked == self.rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "purpose": self.purpose,
            "file_sha256": self.file_sha256,
            "rows": self.rows,
            "total": str(self.total),
            "already_earmarked": self.already,
            "earmarked": self.earmarked,
            "complete": self.complete,
            "transactions": self.transactions,
            "gas_used": self.gas_used,
            "gas_per_row": self.gas_used // self.earmarked if self.earmarked else None,
        }


def fund_rows(tenge: Tenge, purpose: int, path: Path | str) -> list[FundRow]:
    """Every row of the file with its disbursement id, each row checked first (address, amount, the
    recipient approved for the purpose, the purpose open and its pool enough, the signer its funder):
    PayoutFileInvalid lists every problem, and nothing is sent."""
    purpose = purpose_id(purpose)
    digest = bytes.fromhex(file_sha256(path))
    problems: list[RowProblem] = []
    rows: list[PayoutRow] = []
    for item in read_rows(path):
        if isinstance(item, RowProblem):
            problems.append(item)
        else:
            rows.append(item)
    earmarks = tenge.earmarks_contract().address
    codec = tenge.w3.codec
    found = [
        FundRow(
            row,
            disbursement_id(
                tenge.chain_id,
                earmarks,
                purpose,
                reference_bytes32(row.reference) if row.reference else digest,
                0 if row.reference else row.index,
                codec=codec,
            ),
        )
        for row in rows
    ]
    seen: dict[bytes, int] = {}
    for fund_row in found:
        first = seen.setdefault(fund_row.disbursement, fund_row.row.line)
        if first != fund_row.row.line:
            problems.append(
                RowProblem(
                    fund_row.row.line, f"reference {fund_row.row.reference!r} is line {first}'s already"
                )
            )
    if rows:
        kinds = tenge.call_many(
            [("earmarks.recipientKind", purpose, address) for address in sorted({r.address for r in rows})]
        )
        kind_of = dict(zip(sorted({r.address for r in rows}), kinds, strict=True))
        for row in rows:
            if int(kind_of[row.address]) == RecipientKind.NONE:
                problems.append(
                    RowProblem(row.line, f"{row.address} is not an approved recipient of purpose {purpose}")
                )
    problems.sort(key=lambda p: p.line)
    if problems:
        raise PayoutFileInvalid(str(path), problems)
    return found


def run_fund(
    tenge: Tenge,
    purpose: int,
    path: Path | str,
    *,
    batch_rows: int = FUND_BATCH_ROWS,
    on_batch: Callable[[list[FundRow], str], None] | None = None,
    timeout: float = 120.0,
) -> FundSummary:
    """Earmarks every row of the disbursement file that the chain does not show earmarked, in batches
    through the earmark contract's `multicall` (see the module doc). `on_batch(rows, tx_hash)` is called
    after each mined batch. Safe to run again, at any moment, from any machine."""
    rows = fund_rows(tenge, purpose, path)
    summary = FundSummary(
        purpose=purpose,
        file_sha256="0x" + file_sha256(path),
        rows=len(rows),
        total=tiyn_to_kzt(sum(r.row.tiyn for r in rows)),
    )
    funder = tenge.sender.address
    used = tenge.disbursements_used(funder, [r.disbursement for r in rows])
    summary.already = sum(used)
    left = [r for r, done in zip(rows, used, strict=True) if not done]
    _check_funds(tenge, purpose, funder, left)
    earmark = tenge.earmarks_encoder("earmark")
    rounds = 0
    while left:
        batch = left[:batch_rows]
        calls = [earmark(purpose, r.row.address, r.row.tiyn, r.disbursement) for r in batch]
        try:
            receipt = tenge.earmarks_multicall(calls, f"earmark {len(batch)} rows of purpose {purpose}").wait(
                timeout=timeout
            )
        except RpcRefused as refused:
            # Another process signing with the same key took the nonce (twice over: the sender retries
            # once), or holds another transaction with it in the pool: this one was never accepted, so
            # nothing of it can land. Ask the chain again and re-sign (the contract refuses a used id).
            if not refused.says(NONCE_TAKEN) or rounds >= MAX_ROUNDS:
                raise
            rounds += 1
            tenge.sender.nonces.resync()
            still = tenge.disbursements_used(funder, [r.disbursement for r in left])
            summary.already += sum(still)
            left = [r for r, done in zip(left, still, strict=True) if not done]
            continue
        except ContractRevert:
            # Refused in its simulation or mined and reverted: another process (or a rerun beside this
            # one) may have earmarked some of these rows first. The chain says which; none: a real refusal.
            still = tenge.disbursements_used(funder, [r.disbursement for r in left])
            if not any(still[: len(batch)]) or rounds >= MAX_ROUNDS:
                raise
            rounds += 1
            summary.already += sum(still)
            left = [r for r, done in zip(left, still, strict=True) if not done]
            continue
        summary.earmarked += len(batch)
        summary.transactions.append(receipt.hash)
        summary.gas_used += receipt.gas_used
        left = left[len(batch) :]
        if on_batch is not None:
            on_batch(batch, receipt.hash)
    return summary


def _check_funds(tenge: Tenge, purpose: int, funder: str, rows: Sequence[FundRow]) -> None:
    """The signer funds the purpose, which is open and whose pool holds what the rows need."""
    found = tenge.purpose(purpose)
    if found.funder != funder:
        raise InvalidInput(f"purpose {purpose} is funded by {found.funder}, not by the signer {funder}")
    if found.status is not PurposeStatus.OPEN:
        raise InvalidInput(
            f"purpose {purpose} is {found.status.value}: nothing is earmarked from it any more"
        )
    needed = tiyn_to_kzt(sum(r.row.tiyn for r in rows))
    if needed > found.pool:
        raise InvalidInput(
            f"the rows left need {needed} KZT, purpose {purpose}'s pool holds {found.pool} KZT: "
            f"deposit {needed - found.pool} KZT more first (tenge earmark deposit)"
        )
