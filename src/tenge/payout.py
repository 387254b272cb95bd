"""Batch payouts (payroll, social benefits) from a CSV file: validated whole, journaled, pipelined, resumable.

    summary = run_payout(tenge, "payouts.csv")      # tenge has a signer; rerun after a crash resumes

The file has a header naming the columns `address`, `amount` (KZT, at most 2 decimals) and optionally
`reference`, sent on chain with the payment (`transferWithReference`, see tenge.references; mints carry
none). Every bad row is reported with its line number and nothing is sent if any row is bad; with the
wallet policy on, so is every row that would take its receiver over its holding limit or the sender over
its daily outflow (rows already paid by an earlier run of the same file are not checked again).
Each row's transaction is signed and recorded in the journal before it is broadcast, so a run killed at
any moment can be run again with the same file: rows already paid are skipped, transactions that might
still land are followed (and broadcast again if the node forgot them), and each row is paid exactly once.
"""

from __future__ import annotations

import csv
import hashlib
import io
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from tenge.addresses import checked_address
from tenge.client import Tenge
from tenge.errors import (
    ChainError,
    InvalidAddress,
    InvalidAmount,
    InvalidInput,
    PayoutFileInvalid,
    RowProblem,
)
from tenge.journal import FAILED, IN_FLIGHT, PENDING, Journal, JournalRow, SignedRow, default_journal_path
from tenge.references import reference_bytes32
from tenge.reverts import ContractRevert, revert_class
from tenge.roles import role_id
from tenge.transactions import SignedTx, TxState
from tenge.units import format_kzt, parse_kzt, tiyn_to_kzt, to_tiyn

COLUMNS = ("address", "amount", "reference")
DEFAULT_WINDOW = 64


@dataclass(frozen=True)
class PayoutRow:
    """One valid row of a payout file."""

    line: int
    address: str
    tiyn: int
    reference: str = ""

    @property
    def amount(self) -> Decimal:
        return tiyn_to_kzt(self.tiyn)


@dataclass(frozen=True)
class PayoutEvent:
    """Progress of one row: signed, sent, paid, failed, refused (by simulation), released, rebroadcast."""

    kind: str
    line: int
    tx_hash: str | None = None
    error: str | None = None


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
    """Where a payout stands after a run (counting earlier runs recorded in the same journal)."""

    journal: str
    rows: int
    paid: int
    paid_tiyn: int
    failed: list[FailedRow] = field(default_factory=list)
    unfinished: int = 0
    gas_used: int = 0
    fee_wei: int = 0
    sent_this_run: int = 0

    @property
    def paid_kzt(self) -> Decimal:
        return tiyn_to_kzt(self.paid_tiyn)

    @property
    def complete(self) -> bool:
        return self.paid == self.rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "journal": self.journal,
            "rows": self.rows,
            "paid": self.paid,
            "paid_kzt": str(self.paid_kzt),
            "failed": [f.to_dict() for f in self.failed],
            "unfinished": self.unfinished,
            "gas_used": self.gas_used,
            "fee_wei": self.fee_wei,
            "sent_this_run": self.sent_this_run,
        }


# --- the file --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PayoutFile:
    """A validated payout file: its rows and the digest of the bytes they were read from."""

    path: Path
    rows: list[PayoutRow]
    sha256: str

    @property
    def total_tiyn(self) -> int:
        return sum(row.tiyn for row in self.rows)


def load_payout_file(path: Path | str) -> PayoutFile:
    """Reads and validates a payout file; PayoutFileInvalid lists every bad row by line number."""
    try:
        content = Path(path).read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read it ({type(exc).__name__})") from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not UTF-8 text") from None
    rows = parse_payout_text(text, source=str(path))
    return PayoutFile(Path(path), rows, hashlib.sha256(content).hexdigest())


def read_payout_file(path: Path | str) -> list[PayoutRow]:
    """Every row of the file, or PayoutFileInvalid listing every bad row by line number."""
    return load_payout_file(path).rows


def parse_payout_text(text: str, source: str = "payouts") -> list[PayoutRow]:
    """As `read_payout_file`, from the text of a file."""
    reader = csv.reader(io.StringIO(text))
    problems: list[RowProblem] = []
    rows: list[PayoutRow] = []
    columns: dict[str, int] | None = None
    seen: dict[tuple[str, int, str], int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if columns is None:
            names = [cell.strip().lower() for cell in record]
            if any(name in COLUMNS for name in names):
                missing = [name for name in COLUMNS[:2] if name not in names]
                if missing:
                    problems.append(RowProblem(line, f"header lacks the column(s) {', '.join(missing)}"))
                columns = {name: names.index(name) for name in COLUMNS if name in names}
                columns.setdefault("address", 0)
                columns.setdefault("amount", 1)
                continue
            problems.append(
                RowProblem(line, "missing header: the first line must be address,amount[,reference]")
            )
            # Still check every row, in the usual column order, so that one run reports everything.
            columns = {"address": 0, "amount": 1, "reference": 2}
        row = _parse_row(record, line, columns, problems)
        if row is None:
            continue
        key = (row.address, row.tiyn, row.reference)
        if key in seen:
            problems.append(
                RowProblem(line, f"duplicate of line {seen[key]} (same address, amount and reference)")
            )
            continue
        seen[key] = line
        rows.append(row)
    if columns is None:
        problems.append(RowProblem(1, "empty file: expected a header address,amount[,reference] and rows"))
    elif not rows and not problems:
        problems.append(RowProblem(reader.line_num or 1, "no rows to pay"))
    if problems:
        raise PayoutFileInvalid(source, sorted(problems, key=lambda p: p.line))
    return rows


def _parse_row(
    record: list[str], line: int, columns: dict[str, int], problems: list[RowProblem]
) -> PayoutRow | None:
    def cell(name: str, strip: bool = True) -> str | None:
        index = columns.get(name)
        if index is None or index >= len(record):
            return None
        return record[index].strip() if strip else record[index]

    before = len(problems)
    # The amount as written: the one parser refuses blanks around it, as on the command line.
    address_text, amount_text = cell("address"), cell("amount", strip=False)
    address = ""
    tiyn = 0
    if not address_text:
        problems.append(RowProblem(line, "no address"))
    else:
        try:
            address = checked_address(address_text)
        except InvalidAddress as exc:
            problems.append(RowProblem(line, str(exc)))
    if not amount_text:
        problems.append(RowProblem(line, "no amount"))
    else:
        try:
            tiyn = parse_kzt(amount_text, nonzero=True)
        except InvalidAmount as exc:
            problems.append(RowProblem(line, str(exc)))
    reference = cell("reference") or ""
    if reference:
        try:
            reference_bytes32(reference)
        except InvalidInput as exc:
            problems.append(RowProblem(line, str(exc)))
    if len(problems) > before:
        return None
    return PayoutRow(line=line, address=address, tiyn=tiyn, reference=reference)


# --- the wallet policy -----------------------------------------------------------------------------------


def policy_problems(
    tenge: Tenge, sender: str, rows: Iterable[tuple[int, str, int]], *, mint: bool = False
) -> list[RowProblem]:
    """The rows (line, address, tiyn) the wallet policy would refuse, in file order; [] when it is off.

    Rows to one receiver add up against what it can receive now (`availableToReceive`: the room under
    its holding limit and its linked account's); for transfers, all rows add up against what is left of
    the sender's daily outflow. Blocked receivers and the pause are left to their own checks.
    """
    if not tenge.policy_enabled() or tenge.paused():
        return []
    rows = list(rows)
    problems: list[RowProblem] = []
    rooms: dict[str, int | None] = {}
    received: dict[str, int] = {}
    for line, address, tiyn in rows:
        if address == sender and not mint:
            continue  # a transfer to oneself adds no holding
        if address not in rooms:
            room = tenge.available_to_receive(address)
            if room == 0 and tenge.is_blocked(address):
                room = None  # refused by the blocklist, row by row, not by a limit
            rooms[address] = None if room is None else to_tiyn(room)
        room_tiyn = rooms[address]
        received[address] = received.get(address, 0) + tiyn
        if room_tiyn is not None and received[address] > room_tiyn:
            problems.append(
                RowProblem(
                    line,
                    f"{address} can receive at most {format_kzt(room_tiyn)} (holding limit); rows to it "
                    f"add up to {format_kzt(received[address])}",
                )
            )
    if not mint:
        left = tenge.outflow_left_today(sender)
        if left is not None:
            left_tiyn, sent = to_tiyn(left), 0
            for line, _, tiyn in rows:
                sent += tiyn
                if sent > left_tiyn:
                    problems.append(
                        RowProblem(
                            line,
                            f"the sender {sender} can send at most {format_kzt(left_tiyn)} more today (daily "
                            f"outflow limit); rows up to this one add up to {format_kzt(sent)}",
                        )
                    )
    return sorted(problems, key=lambda p: p.line)


# --- the run ---------------------------------------------------------------------------------------------


def run_payout(
    tenge: Tenge,
    source: PayoutFile | Path | str,
    *,
    journal_path: Path | str | None = None,
    mint: bool = False,
    window: int = DEFAULT_WINDOW,
    on_event: Callable[[PayoutEvent], None] | None = None,
    on_start: Callable[[int, int], None] | None = None,
    timeout: float = 300.0,
) -> PayoutSummary:
    """Validates the file, then pays (or with `mint`, mints) every row exactly once; see the module doc."""
    payout_file = source if isinstance(source, PayoutFile) else load_payout_file(source)
    path = Path(journal_path) if journal_path is not None else default_journal_path(payout_file.path)
    with Journal(path) as journal:
        runner = PayoutRunner(
            tenge,
            journal,
            mint=mint,
            window=window,
            on_event=on_event,
            timeout=timeout,
            source=str(payout_file.path),
        )
        runner.prepare(payout_file.rows, payout_file.sha256)
        if on_start is not None:
            counts = journal.counts()
            on_start(len(payout_file.rows), counts["paid"])
        runner.run()
        return runner.summary()


class PayoutRunner:
    """Pays the rows of one journal: recovery of earlier runs, then pipelined sends."""

    def __init__(
        self,
        tenge: Tenge,
        journal: Journal,
        *,
        mint: bool = False,
        window: int = DEFAULT_WINDOW,
        on_event: Callable[[PayoutEvent], None] | None = None,
        timeout: float = 300.0,
        check_every: float = 2.0,
        source: str = "payouts",
    ) -> None:
        if window < 1:
            raise InvalidInput("the window of transactions in flight must be at least 1")
        self.tenge = tenge
        self.sender = tenge.sender
        self.journal = journal
        self.mint = mint
        self.window = window
        self.timeout = timeout
        self.check_every = check_every
        self._on_event = on_event
        self.source = source
        self._in_flight: dict[int, tuple[JournalRow, SignedTx]] = {}
        self._sent = 0
        self._limits_checked = False

    def prepare(self, rows: list[PayoutRow], digest: str) -> None:
        if not self.journal.meta():
            # A new payout: refused before the journal is bound, so that a corrected file starts afresh.
            self._check_limits((row.line, row.address, row.tiyn) for row in rows)
        self.journal.bind(
            {
                "file_sha256": digest,
                "chain_id": str(self.tenge.chain_id),
                "token": self.tenge.address,
                "sender": self.sender.address,
                "mode": "mint" if self.mint else "transfer",
            }
        )
        self.journal.add_rows((r.line, r.address, r.tiyn, r.reference) for r in rows)

    def run(self) -> None:
        self._recover()
        self._drain()
        todo = self.journal.rows((PENDING, FAILED))
        if todo:
            if not self._limits_checked:
                # A resumed payout: only the rows not yet paid, once the earlier run's transactions landed.
                self._check_limits((row.line, row.address, row.tiyn) for row in todo)
            self._preflight(sum(row.tiyn for row in todo))
            self._send(deque(todo))

    # --- phases ---------------------------------------------------------------------------------------

    def _recover(self) -> None:
        """Follows every transaction an earlier run signed: mined, still pending, forgotten, or replaced."""
        stored = sorted(self.journal.rows(IN_FLIGHT), key=lambda r: r.nonce or 0)
        for row in stored:
            tx = self._stored_tx(row)
            state, receipt = self.sender.reconcile(tx)
            if state is TxState.MINED and receipt is not None:
                self._record_mined([(row, tx, receipt)])
            elif state is TxState.REPLACED:
                self.journal.release(row.line, f"nonce {tx.nonce} was used by another transaction")
                self._emit(PayoutEvent("released", row.line, tx.hash))
            else:
                if state is TxState.REBROADCAST:
                    self._emit(PayoutEvent("rebroadcast", row.line, tx.hash))
                self._in_flight[tx.nonce] = (row, tx)
        if self._in_flight:
            self.journal.mark_sent([row.line for row, _ in self._in_flight.values()])

    def _drain(self) -> None:
        """Waits until every transaction in flight is mined (or released as replaced)."""
        self._wait_loop(deque(), fill=False)

    def _preflight(self, needed: int) -> None:
        """Refuses the whole batch, before anything is signed, if the contract would refuse it anyway."""
        tenge = self.tenge
        account = self.sender.address
        if tenge.paused():
            raise revert_class("EnforcedPause")({})
        if self.mint:
            if not tenge.is_minter(account):  # the mint controller's record, as the token's mint asks
                raise revert_class("AccessControlUnauthorizedAccount")(
                    {"account": account, "neededRole": "0x" + role_id("MINTER_ROLE").hex()}
                )
            allowance = to_tiyn(tenge.minter_allowance(account))
            if allowance < needed:
                raise revert_class("MinterAllowanceExceeded")(
                    {"minter": account, "allowance": allowance, "needed": needed}
                )
            return
        if tenge.is_blocked(account):
            raise revert_class("AccountBlocked")({"account": account})
        if tenge.is_frozen(account):
            raise revert_class("AccountFrozen")({"account": account})
        balance = tenge.balance_of_tiyn(account)
        held = to_tiyn(tenge.frozen_amount(account))
        if balance < needed:
            raise revert_class("ERC20InsufficientBalance")(
                {"sender": account, "balance": balance, "needed": needed}
            )
        if balance - held < needed:
            raise revert_class("InsufficientUnfrozenBalance")(
                {"account": account, "available": balance - held, "needed": needed}
            )

    def _check_limits(self, rows: Iterable[tuple[int, str, int]]) -> None:
        problems = policy_problems(self.tenge, self.sender.address, rows, mint=self.mint)
        self._limits_checked = True
        if problems:
            raise PayoutFileInvalid(self.source, problems)

    def _send(self, queue: deque[JournalRow]) -> None:
        """Signs and broadcasts up to `window` rows ahead of their receipts."""
        self.sender.nonces.resync()
        self._wait_loop(queue, fill=True)

    def _wait_loop(self, queue: deque[JournalRow], *, fill: bool) -> None:
        last_progress = last_check = time.monotonic()
        while (fill and queue) or self._in_flight:
            if fill and queue and len(self._in_flight) < self.window:
                self._send_batch(queue, self.window - len(self._in_flight))
                last_progress = time.monotonic()
            if self._collect(queue if fill else None):
                last_progress = time.monotonic()
                continue
            if fill and queue and len(self._in_flight) < self.window:
                continue
            now = time.monotonic()
            if now - last_check > self.check_every:
                # The oldest transaction holds up the rest: broadcast it again if the node forgot it.
                self._reconcile_oldest(queue if fill else None)
                last_check = now
            if now - last_progress > self.timeout:
                raise ChainError(
                    f"{len(self._in_flight)} payout transaction(s) not mined for {self.timeout:.0f} s; "
                    "run again to resume"
                )
            time.sleep(self.sender.poll_interval)

    def _send_batch(self, queue: deque[JournalRow], room: int) -> None:
        """Simulates, signs, journals and broadcasts up to `room` rows, a few round trips for all of them."""
        rows = [queue.popleft() for _ in range(min(room, len(queue)))]
        calls = [(self.tenge.address, self._calldata(row)) for row in rows]
        estimates = self.sender.simulate_many(calls)
        fees = self.sender.gas.fee_fields(self.tenge.w3)
        batch: list[tuple[JournalRow, SignedTx]] = []
        for row, (to, data), estimate in zip(rows, calls, estimates, strict=True):
            if isinstance(estimate, ContractRevert):
                self.journal.mark_refused(row.line, str(estimate))
                self._emit(PayoutEvent("refused", row.line, None, str(estimate)))
                continue
            tx = self.sender.sign(
                to,
                data,
                gas=self.sender.gas.gas_limit(estimate),
                nonce=self.sender.nonces.next(),
                fees=fees,
                description=f"payout line {row.line}",
            )
            batch.append((row, tx))
        if not batch:
            return
        # Durable before broadcast: after a crash from here on, the rerun follows these transactions.
        self.journal.mark_signed([SignedRow(r.line, tx.nonce, tx.hash, tx.raw, tx.gas) for r, tx in batch])
        for row, tx in batch:
            self._emit(PayoutEvent("signed", row.line, tx.hash))
        outcomes = self.sender.broadcast_many([tx for _, tx in batch])
        sent = [(row, tx) for (row, tx), refused in zip(batch, outcomes, strict=True) if refused is None]
        for row, tx in sent:
            self._in_flight[tx.nonce] = (row, tx)
            self._sent += 1
        if sent:
            self.journal.mark_sent([row.line for row, _ in sent])
        for row, tx in sent:
            self._emit(PayoutEvent("sent", row.line, tx.hash))
        refusals = [refused for refused in outcomes if refused is not None]
        if refusals:
            # Rows not broadcast stay `signed`: the next run broadcasts exactly those bytes, or releases them.
            raise refusals[0]

    def _collect(self, queue: deque[JournalRow] | None = None) -> bool:
        """Records every in-flight transaction whose nonce the chain has consumed; True if any."""
        if not self._in_flight:
            return False
        consumed = self.sender.nonces.chain_nonce("latest")
        done = sorted(n for n in self._in_flight if n < consumed)
        if not done:
            return False
        receipts = self.sender.receipts([self._in_flight[n][1].hash for n in done])
        mined = []
        for nonce, receipt in zip(done, receipts, strict=True):
            # No receipt yet for a consumed nonce: receipts can lag the state; `_reconcile_oldest` decides.
            if receipt is not None:
                row, tx = self._in_flight.pop(nonce)
                mined.append((row, tx, receipt))
        self._record_mined(mined)
        return bool(mined)

    def _reconcile_oldest(self, queue: deque[JournalRow] | None = None) -> None:
        if not self._in_flight:
            return
        nonce = min(self._in_flight)
        row, tx = self._in_flight[nonce]
        state, receipt = self.sender.reconcile(tx)
        if state is TxState.REBROADCAST:
            self._emit(PayoutEvent("rebroadcast", row.line, tx.hash))
        elif state is TxState.REPLACED:
            del self._in_flight[nonce]
            self._release(row, tx, queue)
        elif state is TxState.MINED and receipt is not None:
            del self._in_flight[nonce]
            self._record_mined([(row, tx, receipt)])

    def _release(self, row: JournalRow, tx: SignedTx, queue: deque[JournalRow] | None) -> None:
        self.journal.release(row.line, f"nonce {tx.nonce} was used by another transaction")
        self._emit(PayoutEvent("released", row.line, tx.hash))
        if queue is not None:
            queue.appendleft(row)

    def _record_mined(self, mined: list[tuple[JournalRow, SignedTx, Any]]) -> None:
        if not mined:
            return
        results = []
        for row, tx, receipt in mined:
            error = None if receipt.succeeded else str(self.sender.failure(tx, receipt))
            results.append(
                (row.line, receipt.succeeded, receipt.block, receipt.gas_used, receipt.gas_price, error)
            )
        self.journal.mark_mined(results)
        for (row, tx, receipt), result in zip(mined, results, strict=True):
            self._emit(PayoutEvent("paid" if receipt.succeeded else "failed", row.line, tx.hash, result[5]))

    # --- helpers --------------------------------------------------------------------------------------

    def _calldata(self, row: JournalRow) -> str:
        if self.mint:
            return self.tenge.encode("mint", row.address, row.tiyn)
        if row.reference:
            reference = reference_bytes32(row.reference)
            return self.tenge.encode("transferWithReference", row.address, row.tiyn, reference)
        return self.tenge.encode("transfer", row.address, row.tiyn)

    def _stored_tx(self, row: JournalRow) -> SignedTx:
        if row.tx_hash is None or row.raw_tx is None or row.nonce is None:
            raise ChainError(f"journal line {row.line}: state {row.state} without a stored transaction")
        return SignedTx(
            hash=row.tx_hash,
            nonce=row.nonce,
            raw=bytes(row.raw_tx),
            sender=self.sender.address,
            to=self.tenge.address,
            data=self._calldata(row),
            gas=row.gas or 0,
            description=f"payout line {row.line}",
        )

    def _emit(self, event: PayoutEvent) -> None:
        if self._on_event is not None:
            self._on_event(event)

    def summary(self) -> PayoutSummary:
        rows = self.journal.rows()
        paid = [r for r in rows if r.state == "paid"]
        failed = [r for r in rows if r.state == FAILED]
        return PayoutSummary(
            journal=str(self.journal.path),
            rows=len(rows),
            paid=len(paid),
            paid_tiyn=sum(r.tiyn for r in paid),
            failed=[FailedRow(r.line, r.address, tiyn_to_kzt(r.tiyn), r.error or "") for r in failed],
            unfinished=len(rows) - len(paid) - len(failed),
            gas_used=sum(r.gas_used or 0 for r in rows),
            fee_wei=sum((r.gas_used or 0) * (r.gas_price or 0) for r in rows),
            sent_this_run=self._sent,
        )
