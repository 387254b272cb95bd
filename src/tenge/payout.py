"""Batch payouts (payroll, social benefits) from a CSV file: exactly once against the chain, batched.

    summary = run_payout(tenge, "payouts.csv")      # tenge has a signer; rerun after a crash resumes

What makes a row paid exactly once is the chain, not the journal. A payout has an id derived from its
content (rows, payer, token, chain; tenge.payout_file) and every row an on-chain reference derived from
the row, sent with the payment (`transferWithReference`). The token pays a reference once per sender
(`PaymentReferenceUsed` for a second payment citing it, `referenceUsed(sender, reference)` to ask): two
runs at once, a copied journal, a rebroadcast batch or a transaction queued behind a nonce gap can
never pay a row twice, whatever any journal says. On top of that guarantee, a run asks the chain
(`eth_getLogs` on the payer's `PaymentReference` events, page by page) which of the payout's references
the payer has already paid, whatever journal, folder or machine paid them, and pays only the rest:

- a journal is used by one process, and a payer by one payout at a time on one machine (file locks): a
  second run beside the first is refused (`JournalBusy`, exit 2) and sends nothing;
- a fresh journal (a copy of the file, the file moved, `--journal new.sqlite`) for a payout the chain
  shows paid, in whole or in part, is refused (`PayoutAlreadyPaid`, exit 2) unless told what to do:
  `resume_from_chain` pays only the rows the chain does not show, `allow_repeat` pays every row again
  under new references (a deliberate second payment, listed before it is sent);
- a file changed after its journal started is refused, and the advice never leads to a second payment.

Rows are paid in batches: one `multicall` of `transferWithReference` per transaction (all or nothing per
batch), as many rows a batch as a quarter of the block's gas limit holds, 3 blocks' worth in flight. Each
batch is simulated (`eth_estimateGas`) before it is signed; a batch that would revert is split, and the
rows the contract refuses (`checkTransfer`, the token's own rules) are reported and left out, never
sinking the others. Before anything is sent, the contract's views answer for every row (`checkTransfer`,
`availableToReceive`, `availableToSend`): a blocked receiver is listed first. A batch's signed bytes are
in the journal before it is broadcast; a run killed at any moment is resumed by running it again.

A row counts as paid once its block has `confirmations` blocks on top (0 on a local chain, 3 on BNB
Chain) and is still the chain's block at that height; a batch a reorg drops is noticed by the next run,
broadcast again (the same signed bytes, so it can land only once) or, if its nonce went to another
transaction, released and paid again only if the chain shows no payment with its rows' references.

A run ends by asking the token's `referenceUsed` about every row it counts as paid: a row the chain does
not show paid (a rollback deeper than the reorg window, a chain reset) is paid again, once.

Mints (`mint=True`) are paid the same way: each batch mints its total to the payer (a minter) and pays
the rows with their references in the same transaction, so a row's reference, used once, makes its mint
happen once too.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from hexbytes import HexBytes
from web3.exceptions import BlockNotFound

from tenge.addresses import ZERO_ADDRESS
from tenge.client import Tenge
from tenge.errors import (
    ChainError,
    InvalidInput,
    JournalBusy,
    JournalError,
    PayoutAlreadyPaid,
    PayoutFileInvalid,
    RowProblem,
    TengeError,
)
from tenge.events import _TOO_MUCH
from tenge.journal import (
    FORMAT,
    Batch,
    BatchState,
    FileLock,
    Journal,
    JournalRow,
    RowState,
    default_journal_path,
    journal_lock,
    payer_lock,
)
from tenge.node import RpcRefused, read_many, talking
from tenge.payout_file import PayoutId, PayoutRow, file_sha256, read_rows, row_reference
from tenge.reverts import ContractRevert, revert_class
from tenge.roles import role_id
from tenge.transactions import SignedTx, TxState
from tenge.units import format_kzt, tiyn_to_kzt, to_tiyn

__all__ = [
    "FailedRow",
    "PayoutEvent",
    "PayoutFileInvalid",
    "PayoutProgress",
    "PayoutRow",
    "PayoutSummary",
    "policy_problems",
    "read_payout_file",
    "run_payout",
]

# A batch takes at most this share of a block's gas, so several batches fill a block and a block is
# never left mostly empty for want of room for one more big batch.
BATCH_SHARE_OF_BLOCK = 4
# EIP-7825's cap on one transaction's gas (Osaka): a batch stays under it on every chain.
TX_GAS_CAP = 16_777_216
# Calldata of a row is about 200 bytes; nodes refuse transactions over 128 KiB (geth's and BSC's pools).
MAX_BATCH_ROWS = 500
# Gas in flight: this many blocks' worth of batches wait in the pool, so every block is filled.
BLOCKS_IN_FLIGHT = 3
GAS_MARGIN = Decimal("1.02")  # a batch's gas is deterministic; a wide margin would leave blocks unfilled
GAS_EXTRA = 20_000
# Blocks read again on every scan of the chain (a reorg deeper than this is not a BNB Chain event).
RESCAN_DEPTH = 64
# Paid rows in blocks this recent are checked against the chain's blocks again by each run.
REORG_WINDOW = 256
LOG_PAGE_BLOCKS = 5_000
# The reference topics of one log query, when few rows are left to look for (else: the payer's logs).
MAX_REFERENCE_TOPICS = 100
CHECK_CHUNK = 100  # rows per JSON-RPC batch of checkTransfer calls
PREFLIGHT_CHUNK = 500  # rows per eth_call of multicall(checkTransfer...): well under a node's call gas cap
REFERENCES_CHUNK = 10_000  # paid rows read from the journal at a time to ask the chain about
MAX_PROBLEMS = 1_000  # bad rows listed; the rest are counted
LOAD_CHUNK = 20_000
MAX_ROUNDS = 5
LOCAL_CHAINS = (31337, 1337)
BNB_CHAINS = (56, 97)


def default_confirmations(chain_id: int) -> int:
    """Blocks on top of a payment before it counts: 0 on a local chain, 3 elsewhere (BNB Chain's fast
    finality makes 2 to 3 enough)."""
    return 0 if chain_id in LOCAL_CHAINS else 3


class EventKind(StrEnum):
    REFUSED = "refused"  # the contract's views (or the batch's simulation) refuse the row: not sent
    SIGNED = "signed"  # a batch is signed and journaled, not yet broadcast
    SENT = "sent"  # broadcast
    MINED = "mined"  # in a block, not yet confirmed
    PAID = "paid"  # confirmed
    REVERTED = "reverted"  # mined and reverted: its rows are pending again
    RELEASED = "released"  # its nonce went to another transaction: its rows are pending again
    REBROADCAST = "rebroadcast"  # the node had forgotten it; the same bytes sent again
    REORGED = "reorged"  # a reorg took its block
    FOUND = "found"  # rows the chain shows paid that this journal had not counted
    REPEAT = "repeat"  # allow_repeat: rows already paid that this run pays again


@dataclass(frozen=True)
class PayoutEvent:
    """What happened to a batch (or to rows): its lines in the file, its transaction, why it failed."""

    kind: EventKind
    lines: tuple[int, ...] = ()
    batch: int | None = None
    tx_hash: str | None = None
    error: str | None = None

    @property
    def line(self) -> int:
        return self.lines[0] if self.lines else 0


@dataclass(frozen=True)
class PayoutProgress:
    """Where a run stands: `phase` (reading, checking, paying, confirming), rows done of `total`."""

    phase: str
    done: int
    total: int
    failed: int = 0


@dataclass(frozen=True)
class FailedRow:
    line: int
    address: str
    amount: Decimal
    error: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "address": self.address, "amount": str(self.amount), "error": self.error}


@dataclass
class PayoutSummary:
    """Where a payout stands after a run, counting every earlier run and what the chain shows."""

    journal: str
    payout_id: str
    repeated: int
    rows: int
    paid: int
    paid_tiyn: int
    failed: list[FailedRow] = field(default_factory=list)
    failed_count: int = 0
    unfinished: int = 0
    batches: int = 0
    gas_used: int = 0
    fee_wei: int = 0
    sent_this_run: int = 0
    found_on_chain: int = 0
    confirmations: int = 0

    @property
    def paid_kzt(self) -> Decimal:
        return tiyn_to_kzt(self.paid_tiyn)

    @property
    def complete(self) -> bool:
        return self.paid == self.rows

    @property
    def gas_per_row(self) -> int | None:
        batched = self.batched_rows
        return None if not batched else round(self.gas_used / batched)

    batched_rows: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "journal": self.journal,
            "payout_id": self.payout_id,
            "repeated": self.repeated,
            "rows": self.rows,
            "paid": self.paid,
            "paid_kzt": str(self.paid_kzt),
            "failed": [f.to_dict() for f in self.failed],
            "failed_count": self.failed_count,
            "unfinished": self.unfinished,
            "batches": self.batches,
            "gas_used": self.gas_used,
            "gas_per_row": self.gas_per_row,
            "fee_wei": self.fee_wei,
            "sent_this_run": self.sent_this_run,
            "found_on_chain": self.found_on_chain,
            "confirmations": self.confirmations,
        }


def read_payout_file(path: Path | str) -> list[PayoutRow]:
    """Every row of a (small) file in memory, or PayoutFileInvalid; `run_payout` streams instead."""
    rows: list[PayoutRow] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, int, str], int] = {}
    for item in read_rows(path):
        if isinstance(item, RowProblem):
            problems.append(item)
            continue
        key = (item.address, item.tiyn, item.reference)
        if key in seen:
            problems.append(
                RowProblem(item.line, f"duplicate of line {seen[key]} (same address, amount and reference)")
            )
            continue
        seen[key] = item.line
        rows.append(item)
    if problems:
        raise PayoutFileInvalid(str(path), sorted(problems, key=lambda p: p.line))
    return rows


# --- the wallet policy, from the contract's views ---------------------------------------------------------


def policy_problems(
    tenge: Tenge, sender: str, rows: Iterable[tuple[int, str, int]], *, mint: bool = False
) -> list[RowProblem]:
    """The rows (line, address, tiyn) the wallet policy would refuse, in file order; [] when it is off.

    Rows to one receiver add up against what it can receive now (`availableToReceive`: the room under
    its holding limit and its linked account's); for transfers, all rows add up against what is left of
    the sender's daily outflow. Blocked receivers and the pause are left to `checkTransfer`.
    """
    listed = sorted(rows, key=lambda r: (r[1], r[0]))
    problems = list(_receiver_problems(tenge, sender, ((a, line, t) for line, a, t in listed), mint=mint))
    if not mint and tenge.policy_enabled():
        problems += _outflow_problems(tenge, sender, ((line, t) for line, _, t in sorted(listed)))
    return sorted(problems, key=lambda p: p.line)


def _receiver_problems(
    tenge: Tenge, sender: str, by_receiver: Iterable[tuple[str, int, int]], *, mint: bool
) -> Iterator[RowProblem]:
    """`by_receiver`: (address, line, tiyn) sorted by address, then line; one receiver in memory at a time."""
    if not tenge.policy_enabled() or tenge.paused():
        return
    for chunk in _chunks_by_receiver(by_receiver, CHECK_CHUNK):
        addresses = [address for address, _ in chunk]
        rooms = tenge.call_many([("availableToReceive", a) for a in addresses])
        blocked = tenge.call_many([("isBlocked", a) for a in addresses if True])
        for (address, rows), room, is_blocked in zip(chunk, rooms, blocked, strict=True):
            if (address == sender and not mint) or (int(room) == 0 and is_blocked):
                continue  # to oneself adds no holding; a blocked receiver is checkTransfer's to name
            received = 0
            for line, tiyn in rows:
                received += tiyn
                if received > int(room):
                    yield RowProblem(
                        line,
                        f"{address} can receive at most {format_kzt(int(room))} (holding limit); rows to it "
                        f"add up to {format_kzt(received)}",
                    )


def _chunks_by_receiver(
    by_receiver: Iterable[tuple[str, int, int]], size: int
) -> Iterator[list[tuple[str, list[tuple[int, int]]]]]:
    chunk: list[tuple[str, list[tuple[int, int]]]] = []
    for address, group in itertools.groupby(by_receiver, key=lambda r: r[0]):
        chunk.append((address, [(line, tiyn) for _, line, tiyn in group]))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _outflow_problems(tenge: Tenge, sender: str, rows: Iterable[tuple[int, int]]) -> Iterator[RowProblem]:
    left = tenge.outflow_left_today(sender)
    if left is None:
        return
    left_tiyn, sent = to_tiyn(left), 0
    for line, tiyn in rows:
        sent += tiyn
        if sent > left_tiyn:
            yield RowProblem(
                line,
                f"the sender {sender} can send at most {format_kzt(left_tiyn)} more today (daily "
                f"outflow limit); rows up to this one add up to {format_kzt(sent)}",
            )


# --- the run ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PayoutOptions:
    """How a payout runs: `run_payout`'s keyword arguments, checked once."""

    mint: bool = False
    confirmations: int | None = None  # None: default_confirmations(chain id)
    allow_repeat: bool = False
    resume_from_chain: bool = False
    batch_rows: int | None = None  # None: a quarter of the block's gas limit
    timeout: float = 300.0
    check_only: bool = False
    check_every: float = 2.0

    def __post_init__(self) -> None:
        if self.batch_rows is not None and not 1 <= self.batch_rows <= MAX_BATCH_ROWS:
            raise InvalidInput(f"rows per batch must be from 1 to {MAX_BATCH_ROWS}, not {self.batch_rows}")
        if self.confirmations is not None and self.confirmations < 0:
            raise InvalidInput("confirmations cannot be negative")
        if self.allow_repeat and self.resume_from_chain:
            raise InvalidInput(
                "give --allow-repeat (pay again) or --resume-from-chain (pay the rest), not both"
            )


def run_payout(
    tenge: Tenge,
    source: Path | str,
    *,
    journal_path: Path | str | None = None,
    mint: bool = False,
    confirmations: int | None = None,
    allow_repeat: bool = False,
    resume_from_chain: bool = False,
    batch_rows: int | None = None,
    timeout: float = 300.0,
    check_only: bool = False,
    on_event: Callable[[PayoutEvent], None] | None = None,
    on_progress: Callable[[PayoutProgress], None] | None = None,
) -> PayoutSummary:
    """Validates the file as it streams into the journal, then pays every row exactly once (module doc).
    With `check_only`, stops before signing: the file journaled, the chain asked, refusals listed."""
    options = PayoutOptions(
        mint, confirmations, allow_repeat, resume_from_chain, batch_rows, timeout, check_only
    )
    path = Path(source)
    journal_file = Path(journal_path) if journal_path is not None else default_journal_path(path)
    lock = journal_lock(journal_file)
    try:
        fresh = not journal_file.exists()
        journal = Journal(journal_file)
        try:
            runner = PayoutRunner(tenge, journal, options, on_event=on_event, on_progress=on_progress)
            try:
                runner.load(path)
                held = runner.lock_payer()
                try:
                    runner.run()
                finally:
                    held.release()
            except TengeError as refused:
                if (fresh or not isinstance(refused, JournalError)) and not journal.batches():
                    journal.close()
                    _remove_journal(journal_file)  # nothing was ever sent: a corrected file starts afresh
                raise
            return runner.summary()
        finally:
            journal.close()
    finally:
        lock.release()


def _remove_journal(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


class PayoutRunner:
    """Pays the rows of one journal: the file in, the chain asked, batches sent, followed and confirmed."""

    def __init__(
        self,
        tenge: Tenge,
        journal: Journal,
        options: PayoutOptions | None = None,
        *,
        on_event: Callable[[PayoutEvent], None] | None = None,
        on_progress: Callable[[PayoutProgress], None] | None = None,
    ) -> None:
        self.options = options = options or PayoutOptions()
        self.tenge = tenge
        self.sender = tenge.sender
        self.payer = self.sender.address
        self.journal = journal
        self.mint = options.mint
        self.mode = "mint" if options.mint else "transfer"
        chosen = options.confirmations
        self.confirmations = default_confirmations(tenge.chain_id) if chosen is None else chosen
        self._on_event = on_event
        self._on_progress = on_progress
        self._sent_rows = 0
        self._found = 0
        self._payout_id = ""
        self._rows = 0
        self._last_progress = 0.0
        self._in_flight: dict[int, Batch] = {}
        self._fees: dict[str, int] | None = None
        self._last_change = time.monotonic()
        self._last_check = 0.0
        self._encoders: dict[str, Callable[..., bytes]] = {}

    # --- the file ------------------------------------------------------------------------------------

    def load(self, path: Path) -> None:
        """Streams the file into a new journal, or checks it is the file of the journal's payout."""
        meta = self.journal.meta()
        if self.journal.loaded:
            self._check_binding(meta)
            digest = file_sha256(path)
            if digest != meta["file_sha256"]:
                payout_id = self._stream(path, insert=False)
                if payout_id != meta["payout_id"] and not self.journal.batches():
                    # Nothing was ever sent from this journal (the chain check is to come): start afresh.
                    self.journal.reset()
                    return self.load(path)
                if payout_id != meta["payout_id"]:
                    raise JournalError(self._changed_file_advice(path, meta, payout_id))
                self.journal.set_meta({"file_sha256": digest})  # only blank lines or line endings changed
            self._payout_id, self._rows = meta["payout_id"], int(meta["rows"])
            return
        self.journal.clear_rows()  # a run killed while loading left part of the rows: start again
        payout_id = self._stream(path, insert=True)
        self._payout_id, self._rows = payout_id, self.journal.counts()[RowState.PENDING]
        self._store_references()
        self.journal.set_meta(
            {
                "format": FORMAT,
                "payout_id": payout_id,
                "file_sha256": file_sha256(path),
                "file": str(path),
                "chain_id": str(self.tenge.chain_id),
                "token": self.tenge.address,
                "payer": self.payer,
                "mode": self.mode,
                "rows": str(self._rows),
                "scanned_to": str(self.tenge.record.block - 1),
                "loaded": "1",
            }
        )

    def _check_binding(self, meta: dict[str, str]) -> None:
        ours = {
            "chain_id": str(self.tenge.chain_id),
            "token": self.tenge.address,
            "payer": self.payer,
            "mode": self.mode,
        }
        for key, value in ours.items():
            if meta.get(key) != value:
                raise JournalError(
                    f"journal {self.journal.path} belongs to another payout ({key} was {meta.get(key)!r}, "
                    f"now {value!r}); nothing sent. Use the journal's own {key}, or another --journal for "
                    "this one (a payout with another payer, token, chain or mode has its own references)"
                )

    def _changed_file_advice(self, path: Path, meta: dict[str, str], payout_id: str) -> str:
        counts = self.journal.counts()
        paid = counts[RowState.PAID] + counts[RowState.MINED]
        return (
            f"{path} is not the file journal {self.journal.path} was started for: that payout "
            f"({meta['payout_id'][:18]}…) has {paid} of {meta['rows']} rows paid; the file now is another "
            f"payout ({payout_id[:18]}…). Nothing sent. To finish the first payout, put its file back and "
            "run again. To pay the edited file, give it a journal of its own with --resume-from-chain: its "
            "rows the chain shows paid (the same address, amount and reference) are skipped and only the "
            "others are paid; a row whose amount you changed after it was paid counts as a new row and is "
            "paid in full"
        )

    def _stream(self, path: Path, *, insert: bool) -> str:
        """Validates every row (journals it with `insert`); returns the payout id, or raises the problems."""
        identity = PayoutId(self.tenge.chain_id, self.tenge.address, self.payer, self.mode)
        problems: list[RowProblem] = []
        more = 0
        rows = 0

        def note(problem: RowProblem) -> None:
            nonlocal more
            if len(problems) < MAX_PROBLEMS:
                problems.append(problem)
            else:
                more += 1

        def good_rows() -> Iterator[PayoutRow]:
            nonlocal rows
            for item in read_rows(path):
                if isinstance(item, RowProblem):
                    note(item)
                    continue
                identity.add(item)
                rows += 1
                if rows % LOAD_CHUNK == 0:
                    self._progress("reading", rows, 0)
                yield item

        for chunk in _batched(good_rows(), LOAD_CHUNK):
            if insert:
                for line, first in list(
                    self.journal.insert_rows((r.index, r.line, r.address, r.tiyn, r.reference) for r in chunk)
                ):
                    note(RowProblem(line, f"duplicate of line {first} (same address, amount and reference)"))
        self._progress("reading", rows, 0, force=True)
        if problems:
            problems.sort(key=lambda p: p.line)
            if more:
                problems.append(RowProblem(problems[-1].line, f"and {more} more bad rows"))
            raise PayoutFileInvalid(str(path), problems)
        return identity.hexdigest()

    def _reference(self, row: JournalRow, repeat: int) -> bytes:
        return row_reference(
            self.tenge.chain_id,
            self.tenge.address,
            self.payer,
            row.address,
            row.tiyn,
            row.reference,
            repeat,
            codec=self.tenge.w3.codec,
        )

    def _store_references(self) -> None:
        def references() -> Iterator[tuple[bytes, int, int]]:
            for row in self.journal.iter_rows():
                yield self._reference(row, 0), 0, row.index

        for chunk in _batched(references(), LOAD_CHUNK):
            self.journal.set_references(chunk)
        repeated = self.journal.index_references()
        if repeated:
            raise PayoutFileInvalid(
                str(self.journal.meta().get("file", "payouts")),
                [
                    RowProblem(
                        line,
                        f"duplicate of line {first} (same address and amount, and the same "
                        "reference as bytes32: text and its hex, or text and its hash)",
                    )
                    for line, first in repeated
                ],
            )

    def lock_payer(self) -> FileLock:
        with talking("eth_getBlockByNumber"):
            genesis = HexBytes(self.tenge.w3.eth.get_block(0)["hash"]).to_0x_hex()
        return payer_lock(f"{self.tenge.chain_id}-{genesis[2:14]}", self.tenge.address, self.payer)

    # --- the run -------------------------------------------------------------------------------------

    def run(self) -> None:
        meta = self.journal.meta()
        if meta.get("started") != "1":
            self._first_look()
            if not self.options.check_only:
                self.journal.set_meta({"started": "1"})
        checked = False
        for _ in range(MAX_ROUNDS):
            self._read_block_gas()
            self._check_blocks()  # first: a batch a reorg dropped is in flight again
            self._verify_paid()  # then what no block hash can tell: a rollback deeper than the window
            self._in_flight = {b.id: b for b in self.journal.batches([BatchState.SIGNED, BatchState.SENT])}
            self._follow_in_flight(recover=True)
            self._wait(until_empty=True)
            self.journal.retry_failed()
            for _ in range(MAX_ROUNDS):
                self._scan()
                if not self.journal.counts()[RowState.PENDING]:
                    break
                if not checked:
                    self._preflight()
                    checked = True
                    if self.options.check_only or not self.journal.counts()[RowState.PENDING]:
                        break
                self._check_pool()
                self._send_pending()
            self._wait(until_empty=True)
            self._wait_confirmations()
            if self.options.check_only or not self._verify_paid():
                return

    def _verify_paid(self) -> int:
        """Rows the journal counts as paid whose reference the chain does not show used (`referenceUsed`,
        asked at the head): the journal's record is not the chain's (a rollback deeper than the reorg
        window, a chain reset), so they are pending again. Returns how many."""
        lost: list[JournalRow] = []
        for chunk in _batched(self.journal.iter_rows([RowState.PAID]), REFERENCES_CHUNK):
            used = self.tenge.references_used(self.payer, [r.chain_ref for r in chunk])
            lost += [row for row, paid in zip(chunk, used, strict=True) if not paid]
        if lost:
            why = "the chain does not show its payment (rolled back below the reorg window?): paid again"
            self.journal.unpay([row.index for row in lost], why)
            self._emit(PayoutEvent(EventKind.REORGED, tuple(r.line for r in lost), error=why))
        return len(lost)

    def _first_look(self) -> None:
        """A journal's first run: is this payout (by its id) already paid, in part, by another run?"""
        self._scan(from_block=self.tenge.record.block, adopt=False)
        found = self.journal.seen_rows()
        if not found:
            return
        first, paid = found[0], self.journal.count_seen()
        shown = ", ".join(f"line {r.line}" for r in found[:10]) + (" …" if len(found) > 10 else "")
        if self.options.resume_from_chain:
            return  # the scan below counts those rows as paid
        if not self.options.allow_repeat:
            raise PayoutAlreadyPaid(
                f"{paid} of the {self._rows} rows of this payout are already paid on chain by the payer "
                f"{self.payer} ({shown}; the first in transaction {first.tx_hash}), by a run with another "
                "journal: a copy of the file, the file moved, --journal, or another file with the same rows "
                "(address, amount and reference). Nothing sent. To pay only the rows not yet paid: run "
                "with the journal that paid them, or with --resume-from-chain. To pay those rows a second "
                "time, deliberately: --allow-repeat"
            )
        # Each row the chain shows paid takes the next repeat whose reference the chain does not show yet.
        lines = tuple(r.line for r in found)
        if self.options.check_only:
            # A check commits the journal to nothing: the run that pays decides on --allow-repeat again.
            self._emit(PayoutEvent(EventKind.REPEAT, lines, error=f"would pay again: {shown}"))
            return
        self._emit(PayoutEvent(EventKind.REPEAT, lines, error=f"paid again: {shown}"))
        while found:
            moved = [(self._reference(r, r.repeat + 1), r.repeat + 1, r.index) for r in found]
            self.journal.set_references(moved)
            found = self.journal.seen_rows()

    # --- the chain's record -------------------------------------------------------------------------

    def _scan(self, from_block: int | None = None, *, adopt: bool = True) -> None:
        """Reads the payer's PaymentReference events since the last scan into the journal; with `adopt`,
        rows they pay count as paid (mined, until confirmed)."""
        head = self._head()
        meta = self.journal.meta()
        start = from_block if from_block is not None else int(meta["scanned_to"]) + 1 - RESCAN_DEPTH
        start = max(start, self.tenge.record.block)
        left = self.journal.counts()[RowState.PENDING] + self.journal.counts()[RowState.FAILED]
        references: list[bytes] | None = None
        if adopt and left <= MAX_REFERENCE_TOPICS:
            if not left:
                self.journal.set_meta({"scanned_to": str(head)})
                return
            references = [r.chain_ref for r in self.journal.rows([RowState.PENDING, RowState.FAILED])]
        self.journal.forget_seen(start)
        for logs in self._payment_logs(start, head, references):
            self.journal.add_seen(self._paid_by_payer(logs))
        self.journal.set_meta({"scanned_to": str(head)})
        if adopt:
            found = self.journal.adopt_seen(head - self.confirmations)
            if found:
                self._found += found
                self._emit(PayoutEvent(EventKind.FOUND, (), error=f"{found} row(s) paid by another run"))
                self._touch()

    def _paid_by_payer(self, logs: Sequence[PaymentLog]) -> list[tuple[bytes, str, int, str]]:
        """The logs that pay a row of this journal, as the journal's `seen` keeps them. A PaymentReference
        names the payer as `from`, but a spender of the payer's allowance writes one too, citing its own
        references: a log counts only with the row's receiver and amount, and with the token's record that
        the payer itself used the reference (`referenceUsed`), the one rule every check of a row uses."""
        rows = self.journal.rows_by_references([log.reference for log in logs])
        candidates = [
            log
            for log in logs
            if (row := rows.get(log.reference)) is not None
            and (row.address, row.tiyn) == (log.to, log.amount)
        ]
        if not candidates:
            return []
        used = self.tenge.references_used(self.payer, [log.reference for log in candidates])
        return [
            (log.reference, log.tx_hash, log.block, log.block_hash)
            for log, paid in zip(candidates, used, strict=True)
            if paid
        ]

    def _payment_logs(
        self, start: int, end: int, references: Sequence[bytes] | None
    ) -> Iterator[list[PaymentLog]]:
        """The payer's PaymentReference events, page by page (halved when the node says too many)."""
        event = self.tenge.contract.events.PaymentReference()
        filters: dict[str, Any] = {"from": self.payer}
        if references is not None:
            filters["paymentReference"] = list(references)
        size = LOG_PAGE_BLOCKS
        while start <= end:
            stop = min(start + size - 1, end)
            try:
                with talking("eth_getLogs"):
                    logs = event.get_logs(argument_filters=filters, from_block=start, to_block=stop)
            except RpcRefused as refused:
                if stop > start and refused.says(_TOO_MUCH):
                    size = max(1, (stop - start + 1) // 2)
                    continue
                raise
            yield [
                PaymentLog(
                    bytes(log["args"]["paymentReference"]),
                    str(log["args"]["to"]),
                    int(log["args"]["amount"]),
                    HexBytes(log["transactionHash"]).to_0x_hex(),
                    int(log["blockNumber"]),
                    HexBytes(log["blockHash"]).to_0x_hex(),
                )
                for log in logs
            ]
            start = stop + 1

    def _check_blocks(self) -> None:
        """Rows paid in recent blocks: each block must still be the chain's, or a reorg undid them."""
        head = self._head()
        blocks = self.journal.mined_blocks(head - REORG_WINDOW)
        if not blocks:
            return
        reads = [lambda n=n: self.tenge.w3.eth.get_block(n) for n, _ in blocks]
        try:
            found = read_many(self.tenge.w3, reads, "eth_getBlockByNumber")
        except BlockNotFound:
            found = [self._block_or_none(n) for n, _ in blocks]
        lowest: int | None = None
        for (number, stored), block in zip(blocks, found, strict=True):
            if block is not None and HexBytes(block["hash"]).to_0x_hex() == stored:
                continue
            for batch_id in self.journal.reorged(number, stored):
                self._emit(
                    PayoutEvent(EventKind.REORGED, batch=batch_id, error=f"block {number} left the chain")
                )
            lowest = number if lowest is None else min(lowest, number)
        if lowest is not None:
            scanned = int(self.journal.meta()["scanned_to"])
            self.journal.set_meta({"scanned_to": str(min(scanned, lowest - 1))})

    def _block_or_none(self, number: int) -> Any:
        try:
            with talking("eth_getBlockByNumber"):
                return self.tenge.w3.eth.get_block(number)
        except BlockNotFound:
            return None

    # --- before anything is sent -------------------------------------------------------------------

    def _preflight(self) -> None:
        """Asks the contract's views about every pending row; refused rows are listed and left out, and a
        payout that cannot be paid as a whole (balance, limits, the pause) is refused before anything is
        sent."""
        pending = (RowState.PENDING,)
        needed = self.journal.tiyn_in(pending)
        if self.mint:
            self._check_minter(needed)
            # The minted tiyn go on from the payer: it must be able to send (the pause, a block, a freeze).
            self.tenge.call("checkTransfer", self.payer, self.payer, self.payer, 0)
        problems = list(
            _receiver_problems(self.tenge, self.payer, self.journal.rows_by_receiver(pending), mint=self.mint)
        )
        if self.tenge.policy_enabled():
            problems += _outflow_problems(
                self.tenge, self.payer, ((r.line, r.tiyn) for r in self.journal.iter_rows(pending))
            )
        if problems:
            raise PayoutFileInvalid(
                str(self.journal.meta().get("file", "payouts")), sorted(problems, key=lambda p: p.line)
            )
        if not self.mint:
            available = int(self.tenge.call("availableToSend", self.payer))
            if available < needed:
                first = self.journal.rows(pending, limit=1)[0]
                # The exact error the contract gives for the whole amount (the pause, a block, the balance).
                self.tenge.call("checkTransfer", self.payer, self.payer, first.address, needed)
        done = 0
        for chunk in _batched(self.journal.iter_rows(pending), PREFLIGHT_CHUNK):
            refused = self._refused(chunk)
            if refused:
                self.journal.refuse([(row.index, error) for row, error in refused])
                for row, error in refused:
                    self._emit(PayoutEvent(EventKind.REFUSED, (row.line,), error=error))
            done += len(chunk)
            self._progress("checking", done, len(refused))

    def _check_minter(self, needed: int) -> None:
        tenge, account = self.tenge, self.payer
        if not tenge.is_minter(account):  # the mint controller's record, as the token's mint asks
            raise revert_class("AccessControlUnauthorizedAccount")(
                {"account": account, "neededRole": "0x" + role_id("MINTER_ROLE").hex()}
            )
        allowance = to_tiyn(tenge.minter_allowance(account))
        if allowance < needed:
            raise revert_class("MinterAllowanceExceeded")(
                {"minter": account, "allowance": allowance, "needed": needed}
            )

    def _refused(self, rows: Sequence[JournalRow]) -> list[tuple[JournalRow, str]]:
        """The rows `checkTransfer` refuses now, each with the contract's exact error."""
        source = ZERO_ADDRESS if self.mint else self.payer
        calls = [("checkTransfer", self.payer, source, row.address, row.tiyn) for row in rows]
        check = self._encoder("checkTransfer")
        encoded = [check(*call[1:]) for call in calls]
        try:
            # One eth_call for all of them: the token's multicall runs each view in turn, and passes.
            self.sender.call(self.tenge.address, self._multicall(encoded))
            return []
        except ContractRevert:
            pass  # some row is refused: each alone (in JSON-RPC batches) says which, with its error
        refused = []
        for chunk_rows, chunk in zip(_batched(rows, CHECK_CHUNK), _batched(calls, CHECK_CHUNK), strict=True):
            try:
                self.tenge.call_many(chunk)
                continue
            except ContractRevert:
                pass
            for row, call in zip(chunk_rows, chunk, strict=True):
                try:
                    self.tenge.call(*call)
                except ContractRevert as error:
                    refused.append((row, str(error)))
        return refused

    def _check_pool(self) -> None:
        """Refuses to send beside transactions of the payer that this journal did not sign (another run)."""
        latest = self.sender.nonces.chain_nonce("latest")
        pending = self.sender.nonces.chain_nonce("pending")
        ours = sum(1 for b in self._in_flight.values() if b.nonce >= latest)
        if pending - latest > ours:
            raise JournalBusy(
                f"the payer {self.payer} has {pending - latest - ours} transaction(s) waiting in the node's "
                "pool "
                "that this journal did not sign (another payout of this payer on another machine?); nothing "
                "sent by this run. Run again once they are mined: the chain then shows what they paid"
            )

    # --- sending -------------------------------------------------------------------------------------

    def _calls(self, rows: Sequence[JournalRow]) -> list[bytes]:
        pay = self._encoder("transferWithReference")
        calls = [pay(r.address, r.tiyn, r.chain_ref) for r in rows]
        if self.mint:
            # The batch's total is minted to the payer and paid on in the same transaction: a row's
            # reference, used once, lets its mint happen once.
            calls.insert(0, self._encoder("mint")(self.payer, sum(r.tiyn for r in rows)))
        return calls

    def _encoder(self, function: str) -> Callable[..., bytes]:
        if function not in self._encoders:
            self._encoders[function] = self.tenge.encoder(function)
        return self._encoders[function]

    def _multicall(self, calls: Sequence[bytes]) -> str:
        return "0x" + self._encoder("multicall")(list(calls)).hex()

    def _estimate(self, rows: Sequence[JournalRow]) -> int:
        """The batch's gas (simulated against the pending state), or the ContractRevert it would raise."""
        return self.sender.simulate(self.tenge.address, self._multicall(self._calls(rows)))

    def _read_block_gas(self) -> int:
        """The gas a block holds: the least of the latest block's and the pending one's (a limit just
        lowered shows in the pending block first)."""
        with talking("eth_getBlockByNumber"):
            limits = [int(self.tenge.w3.eth.get_block("latest")["gasLimit"])]
            with contextlib.suppress(BlockNotFound, RpcRefused):  # no pending block: the latest says it
                limits.append(int(self.tenge.w3.eth.get_block("pending")["gasLimit"]))
        self._block_gas = min(limits)
        return self._block_gas

    def _rows_per_batch(self, sample: Sequence[JournalRow]) -> int:
        if self.options.batch_rows is not None:
            return self.options.batch_rows
        block_gas = self._block_gas
        try:
            per_row = self._estimate(sample) / len(sample)
        except ContractRevert:
            per_row = 60_000  # the batch is sorted out by `_send_batch`; a transfer's gas is a fair guess
        budget = min(block_gas // BATCH_SHARE_OF_BLOCK, TX_GAS_CAP) - GAS_EXTRA
        return max(1, min(MAX_BATCH_ROWS, int(budget / float(GAS_MARGIN) / per_row)))

    _block_gas = 30_000_000

    def _send_pending(self) -> None:
        """Sends every pending row in batches, keeping a few blocks' worth of gas in flight."""
        first = self.journal.rows([RowState.PENDING], limit=20)
        if not first:
            return
        self._read_block_gas()
        size = self._rows_per_batch(first)
        self.sender.nonces.resync()
        self._fees = self.sender.gas.fee_fields(self.tenge.w3)
        window = BLOCKS_IN_FLIGHT * self._block_gas
        queue = self.journal.iter_rows([RowState.PENDING], page=max(size * 8, 1_000))
        rows = list(itertools.islice(queue, size))
        self._touch()
        while rows or self._in_flight:
            if rows and sum(b.gas for b in self._in_flight.values()) < window:
                rest = self._send_batch(rows)
                rows = rest + list(itertools.islice(queue, size - len(rest)))
                continue
            self._step()

    def _send_batch(self, rows: list[JournalRow]) -> list[JournalRow]:
        """Simulates, signs, journals and broadcasts one batch; returns rows to send again (a split batch)."""
        data = self._multicall(self._calls(rows))
        try:
            estimate = self.sender.simulate(self.tenge.address, data)
        except ContractRevert as error:
            if error.error_name == "PaymentReferenceUsed":
                return self._paid_elsewhere(rows)
            refused = self._refused(rows) if len(rows) > 1 else [(rows[0], str(error))]
            if refused:
                self.journal.refuse([(row.index, why) for row, why in refused])
                for row, why in refused:
                    self._emit(PayoutEvent(EventKind.REFUSED, (row.line,), error=why))
                gone = {row.index for row, _ in refused}
                return [row for row in rows if row.index not in gone]
            # Each row passes alone but not together (limits that add up): send the first half alone.
            half = max(1, len(rows) // 2)
            return self._send_batch(rows[:half]) + rows[half:]
        if estimate > self._block_gas and len(rows) > 1:
            # More than a block holds (--batch-rows too many for this chain): it could never be mined.
            half = len(rows) // 2
            return self._send_batch(rows[:half]) + rows[half:]
        gas = int((Decimal(estimate) * GAS_MARGIN).to_integral_value(rounding=ROUND_CEILING)) + GAS_EXTRA
        gas = min(gas, self._block_gas)  # the margin never makes a batch bigger than a block
        nonce = self.sender.nonces.next()
        tx = self.sender.sign(
            self.tenge.address, data, gas=gas, nonce=nonce, fees=self._fees, description="payout batch"
        )
        batch_id = self.journal.add_batch(nonce, tx.hash, tx.raw, gas, [r.index for r in rows])
        lines = tuple(r.line for r in rows)
        self._emit(PayoutEvent(EventKind.SIGNED, lines, batch=batch_id, tx_hash=tx.hash))
        batch = Batch(batch_id, nonce, tx.hash, tx.raw, gas, len(rows), BatchState.SIGNED, None, None, None)
        self._in_flight[batch_id] = batch
        try:
            self.sender.broadcast(tx)
        except RpcRefused as refused:
            # Not taken: follow it as any stored batch (the journal holds it); `_step` settles it.
            self._emit(
                PayoutEvent(EventKind.SENT, lines, batch=batch_id, tx_hash=tx.hash, error=refused.message)
            )
            self.sender.nonces.resync()
            self._follow_in_flight(recover=True, only=[batch])
            return []
        self.journal.batch_sent(batch_id)
        self._in_flight[batch_id] = _with_state(batch, BatchState.SENT)
        self._sent_rows += len(rows)
        self._emit(PayoutEvent(EventKind.SENT, lines, batch=batch_id, tx_hash=tx.hash))
        self._touch()
        return []

    def _paid_elsewhere(self, rows: list[JournalRow]) -> list[JournalRow]:
        """A batch cites references the token says the payer already used: another run paid those rows
        since the last scan. Their payments are read from the chain (the rows count as paid); the rows
        still to pay are returned."""
        # Asked of the pending state, as the simulation was: a batch of another run may still be waiting.
        used = self.tenge.references_used(self.payer, [r.chain_ref for r in rows], block="pending")
        taken = {row.index for row, paid in zip(rows, used, strict=True) if paid}
        if not taken:
            raise ChainError(
                "the token refused a batch for a reference it says is unused (PaymentReferenceUsed); nothing "
                "sent by this batch. Run again: the journal is intact"
            )
        self._scan()
        left = self.journal.pending_among(taken)
        if left:
            self._scan(from_block=self.tenge.record.block)  # paid before the last scan's window
            left = self.journal.pending_among(taken)
        if left:
            # Paid by a transaction still in the node's pool, or used by the payer as a spender: not ours.
            why = (
                f"another transaction of the payer {self.payer} cites this row's reference (waiting in the "
                "node's pool?): left to it; run again once it is mined and the chain shows what it paid"
            )
            self.journal.refuse([(index, why) for index in sorted(left)])
            for row in rows:
                if row.index in left:
                    self._emit(PayoutEvent(EventKind.REFUSED, (row.line,), error=why))
        return [row for row in rows if row.index not in taken]

    # --- following ------------------------------------------------------------------------------------

    def _step(self) -> None:
        """One look at the batches in flight: receipts, then (now and then) a batch the node forgot."""
        if self._collect():
            self._touch()
            return
        now = time.monotonic()
        if now - self._last_change > self.options.timeout:
            raise ChainError(
                f"{len(self._in_flight)} payout batch(es) not mined for {self.options.timeout:.0f} s; the "
                "journal is intact: run again to resume"
            )
        if now - self._last_check > self.options.check_every:
            self._last_check = now
            oldest = min(self._in_flight.values(), key=lambda b: b.nonce)
            self._follow_in_flight(recover=False, only=[oldest])
        time.sleep(self.sender.poll_interval)

    def _collect(self) -> bool:
        """Receipts of the batches in flight; True if any batch was settled."""
        # The payer's mined nonce says which batches can have a receipt: one cheap read a poll.
        mined = self.sender.nonces.chain_nonce("latest")
        batches = sorted((b for b in self._in_flight.values() if b.nonce < mined), key=lambda b: b.nonce)
        if not batches:
            return False
        receipts = [self.sender.receipt_without_logs(b.tx_hash) for b in batches]
        settled = False
        for batch, receipt in zip(batches, receipts, strict=True):
            if receipt is None:
                continue
            settled = True
            self._settle(batch, receipt)
        return settled

    def _settle(self, batch: Batch, receipt: Any) -> None:
        del self._in_flight[batch.id]
        lines = tuple(r.line for r in self.journal.batch_rows(batch.id))
        if receipt.succeeded:
            final = self.confirmations == 0
            self.journal.batch_mined(
                batch.id, receipt.block, receipt.block_hash or "", receipt.gas_used, receipt.gas_price, final
            )
            kind = EventKind.PAID if final else EventKind.MINED
            self._emit(PayoutEvent(kind, lines, batch=batch.id, tx_hash=batch.tx_hash))
            self._progress("paying", self._done(), 0)
            return
        tx = self._signed(batch)
        error = str(self.sender.failure(tx, receipt))
        self.journal.batch_void(batch.id, BatchState.REVERTED, error)
        self._emit(PayoutEvent(EventKind.REVERTED, lines, batch=batch.id, tx_hash=batch.tx_hash, error=error))

    def _follow_in_flight(self, *, recover: bool, only: Sequence[Batch] | None = None) -> None:
        """Settles batches an earlier run (or this one) signed: mined, pending, forgotten, or replaced."""
        batches = sorted(only if only is not None else list(self._in_flight.values()), key=lambda b: b.nonce)
        for batch in batches:
            if batch.id not in self._in_flight:
                continue
            state, receipt = self.sender.reconcile(self._signed(batch))
            if state is TxState.MINED and receipt is not None:
                self._settle(batch, receipt)
            elif state is TxState.REPLACED:
                del self._in_flight[batch.id]
                lines = tuple(r.line for r in self.journal.batch_rows(batch.id))
                why = f"nonce {batch.nonce} was used by another transaction"
                self.journal.batch_void(batch.id, BatchState.RELEASED, why)
                self._emit(
                    PayoutEvent(EventKind.RELEASED, lines, batch=batch.id, tx_hash=batch.tx_hash, error=why)
                )
            else:
                if state is TxState.REBROADCAST:
                    self._emit(PayoutEvent(EventKind.REBROADCAST, batch=batch.id, tx_hash=batch.tx_hash))
                if batch.state is BatchState.SIGNED:
                    self.journal.batch_sent(batch.id)
                    self._in_flight[batch.id] = _with_state(batch, BatchState.SENT)

    def _wait(self, *, until_empty: bool) -> None:
        self._touch()
        while until_empty and self._in_flight:
            self._step()

    def _wait_confirmations(self) -> None:
        """Until every mined row has its confirmations, checking that its block is still the chain's."""
        self._touch()
        last_head = -1
        while self.journal.counts()[RowState.MINED]:
            head = self._head()
            self._check_blocks()
            confirmed = self.journal.confirm(head - self.confirmations)
            if confirmed:
                self._emit(PayoutEvent(EventKind.PAID, (), error=f"{confirmed} row(s) confirmed"))
                self._progress("confirming", self._done(), 0)
            if self._in_flight or self.journal.counts()[RowState.SIGNED]:
                # A reorg sent batches back: follow them again.
                self._in_flight = {
                    b.id: b for b in self.journal.batches([BatchState.SIGNED, BatchState.SENT])
                }
                self._follow_in_flight(recover=True)
                self._wait(until_empty=True)
            if head != last_head:
                last_head = head
                self._touch()
            elif time.monotonic() - self._last_change > self.options.timeout:
                raise ChainError(
                    f"no new block for {self.options.timeout:.0f} s while waiting for {self.confirmations} "
                    "confirmations; "
                    "the journal is intact: run again to resume"
                )
            time.sleep(max(self.sender.poll_interval, 0.2))

    # --- helpers ------------------------------------------------------------------------------------

    def _signed(self, batch: Batch) -> SignedTx:
        return SignedTx(
            hash=batch.tx_hash,
            nonce=batch.nonce,
            raw=batch.raw_tx,
            sender=self.payer,
            to=self.tenge.address,
            data=self._batch_data(batch),
            gas=batch.gas,
            description=f"payout batch {batch.id}",
        )

    def _batch_data(self, batch: Batch) -> str:
        return self._multicall(self._calls(self.journal.batch_rows(batch.id)))

    def _head(self) -> int:
        with talking("eth_blockNumber"):
            return int(self.tenge.w3.eth.block_number)

    def _touch(self) -> None:
        self._last_change = time.monotonic()

    def _done(self) -> int:
        counts = self.journal.counts()
        return counts[RowState.PAID] + counts[RowState.MINED]

    def _emit(self, event: PayoutEvent) -> None:
        if self._on_event is not None:
            self._on_event(event)

    def _progress(self, phase: str, done: int, failed: int, force: bool = False) -> None:
        if self._on_progress is None:
            return
        now = time.monotonic()
        if force or now - self._last_progress >= 1.0:
            self._last_progress = now
            total = self._rows or done
            self._on_progress(PayoutProgress(phase, done, total, failed))

    def summary(self) -> PayoutSummary:
        counts = self.journal.counts()
        paid = counts[RowState.PAID]
        failed = self.journal.rows([RowState.FAILED], limit=MAX_PROBLEMS)
        gas, fee, batched = self.journal.gas_totals()
        return PayoutSummary(
            journal=str(self.journal.path),
            payout_id=self._payout_id,
            repeated=self.journal.repeated(),
            rows=sum(counts.values()),
            paid=paid,
            paid_tiyn=self.journal.tiyn_in((RowState.PAID,)),
            failed=[FailedRow(r.line, r.address, tiyn_to_kzt(r.tiyn), r.error or "") for r in failed],
            failed_count=counts[RowState.FAILED],
            unfinished=sum(counts.values()) - paid - counts[RowState.FAILED],
            batches=len(self.journal.batches([BatchState.MINED])),
            gas_used=gas,
            fee_wei=fee,
            sent_this_run=self._sent_rows,
            found_on_chain=self._found,
            confirmations=self.confirmations,
            batched_rows=batched,
        )


@dataclass(frozen=True)
class PaymentLog:
    """A PaymentReference event of the payer's, as a scan reads it."""

    reference: bytes
    to: str
    amount: int
    tx_hash: str
    block: int
    block_hash: str


def _with_state(batch: Batch, state: BatchState) -> Batch:
    return Batch(
        batch.id, batch.nonce, batch.tx_hash, batch.raw_tx, batch.gas, batch.rows, state, None, None, None
    )


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
