"""The payout journal: a SQLite file that holds a payout's rows, its batches and what the chain showed.

Rows are written as the file streams by (duplicates are found by a unique index, on disk), so memory
stays flat in the number of rows. A row moves `pending -> signed -> mined -> paid` (or `failed`, retried
by the next run). A batch is one `multicall` transaction paying many rows; its signed bytes are
committed *before* it is broadcast, so after a crash at any moment the journal knows every transaction
that might land, and a rerun follows it instead of signing a new one. A row is signed again only when
its batch can no longer land (its nonce went to another transaction, or it reverted, or a reorg dropped
it and the node refuses it) *and* the chain shows no payment with the row's reference.

A journal is used by one process at a time (`JournalLock`); readers (`sqlite3 ... mode=ro`) never block it.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from tenge.errors import JournalBusy, JournalError

FORMAT = "2"


class RowState(StrEnum):
    PENDING = "pending"  # not paid; nothing signed that could pay it
    SIGNED = "signed"  # in a batch that is signed (and maybe broadcast), not yet mined
    MINED = "mined"  # paid in a block that has fewer confirmations than asked for
    PAID = "paid"  # paid, with the confirmations asked for
    FAILED = "failed"  # refused by the contract's views or by simulation; the next run tries again


class BatchState(StrEnum):
    SIGNED = "signed"  # committed before its broadcast
    SENT = "sent"  # broadcast
    MINED = "mined"  # has a receipt (succeeded)
    REVERTED = "reverted"  # mined and reverted: paid nothing
    RELEASED = "released"  # can never land (its nonce went to another transaction)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rows (
    idx INTEGER PRIMARY KEY,
    line INTEGER NOT NULL,
    address TEXT NOT NULL,
    tiyn TEXT NOT NULL,
    reference TEXT NOT NULL,
    chain_ref BLOB,
    repeat INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    batch INTEGER,
    tx_hash TEXT,
    block INTEGER,
    block_hash TEXT,
    error TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS rows_content ON rows (address, tiyn, reference);
CREATE INDEX IF NOT EXISTS rows_state ON rows (state);
CREATE INDEX IF NOT EXISTS rows_batch ON rows (batch);
CREATE TABLE IF NOT EXISTS batches (
    id INTEGER PRIMARY KEY,
    nonce INTEGER NOT NULL,
    tx_hash TEXT NOT NULL,
    raw_tx BLOB NOT NULL,
    gas INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    state TEXT NOT NULL,
    block INTEGER,
    block_hash TEXT,
    gas_used INTEGER,
    gas_price TEXT,
    error TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS batches_state ON batches (state);
CREATE TABLE IF NOT EXISTS seen (
    chain_ref BLOB PRIMARY KEY,
    tx_hash TEXT NOT NULL,
    block INTEGER NOT NULL,
    block_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS seen_block ON seen (block);
"""
# Created once the payout id is known (the references derive from it): the chain's answers match on it.
_REF_INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS rows_ref ON rows (chain_ref)"


@dataclass(frozen=True)
class JournalRow:
    """A payout row as the journal knows it."""

    index: int
    line: int
    address: str
    tiyn: int
    reference: str
    chain_ref: bytes
    state: RowState
    batch: int | None
    tx_hash: str | None
    block: int | None
    error: str | None
    repeat: int = 0


@dataclass(frozen=True)
class Batch:
    """One multicall transaction of the journal."""

    id: int
    nonce: int
    tx_hash: str
    raw_tx: bytes
    gas: int
    rows: int
    state: BatchState
    block: int | None
    block_hash: str | None
    gas_used: int | None


_ROW_COLUMNS = "idx, line, address, tiyn, reference, chain_ref, state, batch, tx_hash, block, error, repeat"


def _row(r: Sequence[Any]) -> JournalRow:
    return JournalRow(
        index=r[0],
        line=r[1],
        address=r[2],
        tiyn=int(r[3]),
        reference=r[4],
        chain_ref=bytes(r[5] or b""),
        state=RowState(r[6]),
        batch=r[7],
        tx_hash=r[8],
        block=r[9],
        error=r[10],
        repeat=r[11],
    )


class Journal:
    """One payout's state on disk. Each state change is one durable SQLite transaction."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
        # WAL: someone reading the journal while a payout runs never blocks (or crashes) the payout.
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before we go on to broadcast what it records.
        self._db.execute("PRAGMA synchronous=FULL")
        existing = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "rows" in existing and "batches" not in existing:
            self._db.close()
            raise JournalError(
                f"journal {self.path} was written by an earlier tenge (one transaction a row, the file's "
                "own references on chain); finish that payout with the version that started it"
            )
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- what the journal is for ---------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        return {key: value for key, value in self._db.execute("SELECT key, value FROM meta")}

    def set_meta(self, values: Mapping[str, str]) -> None:
        with self._tx():
            self._db.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                sorted(values.items()),
            )

    @property
    def loaded(self) -> bool:
        """Whether every row of the file is in (a run killed while loading left a partial journal)."""
        return self.meta().get("loaded") == "1"

    def reset(self) -> None:
        """Empties a journal that never sent anything, for another file."""
        with self._tx():
            for table in ("rows", "meta", "seen"):
                self._db.execute(f"DELETE FROM {table}")

    def clear_rows(self) -> None:
        with self._tx():
            self._db.execute("DELETE FROM rows")

    def insert_rows(self, rows: Iterable[tuple[int, int, str, int, str]]) -> Iterator[tuple[int, int]]:
        """Adds rows (index, line, address, tiyn, reference) in one transaction; yields each duplicate as
        (its line, the line it repeats): the same address, amount and reference twice in a file."""
        with self._tx():
            for index, line, address, tiyn, reference in rows:
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO rows (idx, line, address, tiyn, reference, state) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (index, line, address, str(tiyn), reference, RowState.PENDING),
                )
                if cursor.rowcount == 0:
                    (first,) = self._db.execute(
                        "SELECT line FROM rows WHERE address = ? AND tiyn = ? AND reference = ?",
                        (address, str(tiyn), reference),
                    ).fetchone()
                    yield line, int(first)

    def set_references(self, references: Iterable[tuple[bytes, int, int]]) -> None:
        """Stores rows' on-chain references (reference, repeat, index)."""
        with self._tx():
            self._db.executemany("UPDATE rows SET chain_ref = ?, repeat = ? WHERE idx = ?", references)

    def index_references(self) -> list[tuple[int, int]]:
        """Indexes the rows' references, which the chain's answers are matched on; returns instead the rows
        (line, the line it repeats) whose reference another row has: the same address and amount, and
        references that differ as text but not as `bytes32` ("INV-1" and its hex)."""
        try:
            with self._tx():
                self._db.execute(_REF_INDEX)
            return []
        except sqlite3.IntegrityError:
            pass  # not unique: say which rows, as the file's own duplicates are said
        query = (
            "SELECT MAX(line), MIN(line) FROM rows GROUP BY chain_ref HAVING COUNT(*) > 1 "
            "ORDER BY MIN(line) LIMIT 1000"
        )
        return [(int(line), int(first)) for line, first in self._db.execute(query)]

    # --- reading -------------------------------------------------------------------------------------

    def rows(
        self, states: Sequence[RowState] | None = None, *, after: int = -1, limit: int | None = None
    ) -> list[JournalRow]:
        """Rows in file order, `after` an index, at most `limit` of them: page through a large payout."""
        query = f"SELECT {_ROW_COLUMNS} FROM rows WHERE idx > ?"
        params: list[Any] = [after]
        if states is not None:
            query += f" AND state IN ({', '.join('?' for _ in states)})"
            params += [str(s) for s in states]
        query += " ORDER BY idx"
        if limit is not None:
            query += " LIMIT ?"
            params.append(limit)
        return [_row(r) for r in self._db.execute(query, params)]

    def iter_rows(self, states: Sequence[RowState] | None = None, page: int = 10_000) -> Iterator[JournalRow]:
        after = -1
        while True:
            chunk = self.rows(states, after=after, limit=page)
            if not chunk:
                return
            yield from chunk
            after = chunk[-1].index

    def rows_by_references(self, chain_refs: Sequence[bytes]) -> dict[bytes, JournalRow]:
        """The rows whose on-chain reference is one of `chain_refs`, by reference."""
        found: dict[bytes, JournalRow] = {}
        for start in range(0, len(chain_refs), 500):
            chunk = list(chain_refs[start : start + 500])
            marks = ", ".join("?" for _ in chunk)
            query = f"SELECT {_ROW_COLUMNS} FROM rows WHERE chain_ref IN ({marks})"
            found.update((bytes(r[5]), _row(r)) for r in self._db.execute(query, chunk))
        return found

    def row_by_reference(self, chain_ref: bytes) -> JournalRow | None:
        found = self._db.execute(
            f"SELECT {_ROW_COLUMNS} FROM rows WHERE chain_ref = ?", (chain_ref,)
        ).fetchone()
        return None if found is None else _row(found)

    def counts(self) -> dict[RowState, int]:
        found = dict(self._db.execute("SELECT state, COUNT(*) FROM rows GROUP BY state").fetchall())
        return {state: int(found.get(str(state), 0)) for state in RowState}

    def tiyn_in(self, states: Sequence[RowState]) -> int:
        marks = ", ".join("?" for _ in states)
        total = 0
        for (tiyn,) in self._db.execute(
            f"SELECT tiyn FROM rows WHERE state IN ({marks})", [str(s) for s in states]
        ):
            total += int(tiyn)
        return total

    def sums_by_receiver(self, states: Sequence[RowState]) -> Iterator[tuple[str, int, int]]:
        """(address, tiyn to it, its first line) for the rows in `states`, one receiver at a time."""
        marks = ", ".join("?" for _ in states)
        query = (
            f"SELECT address, GROUP_CONCAT(tiyn), MIN(line) FROM rows WHERE state IN ({marks}) "
            "GROUP BY address "
            "ORDER BY MIN(line)"
        )
        for address, amounts, line in self._db.execute(query, [str(s) for s in states]):
            yield address, sum(int(a) for a in amounts.split(",")), int(line)

    def rows_by_receiver(
        self, states: Sequence[RowState], *, shared_only: bool = True
    ) -> Iterator[tuple[str, int, int]]:
        """(address, line, tiyn) of the rows in `states` by receiver, then line; with `shared_only`, only
        receivers of more than one row (a single row is `checkTransfer`'s to judge)."""
        marks = ", ".join("?" for _ in states)
        where = f"state IN ({marks})"
        query = f"SELECT address, line, tiyn FROM rows WHERE {where}"
        params = [str(s) for s in states]
        if shared_only:
            shared = f"SELECT address FROM rows WHERE {where} GROUP BY address HAVING COUNT(*) > 1"
            query += f" AND address IN ({shared})"
            params += params
        for address, line, tiyn in self._db.execute(query + " ORDER BY address, line", params):
            yield address, int(line), int(tiyn)

    # --- what the chain showed ---------------------------------------------------------------------

    def forget_seen(self, from_block: int) -> None:
        """Drops what a scan saw from `from_block` on: the next scan reads those blocks again (reorgs)."""
        with self._tx():
            self._db.execute("DELETE FROM seen WHERE block >= ?", (from_block,))

    def add_seen(self, logs: Sequence[tuple[bytes, str, int, str]]) -> None:
        """The payer's PaymentReference events: (reference, tx hash, block, block hash)."""
        if not logs:
            return
        with self._tx():
            self._db.executemany(
                "INSERT OR REPLACE INTO seen (chain_ref, tx_hash, block, block_hash) VALUES (?, ?, ?, ?)",
                logs,
            )

    def seen_rows(self, limit: int = 1_000) -> list[JournalRow]:
        """Rows whose reference the chain shows paid (at most `limit`), in file order, each with the
        transaction that paid it."""
        columns = ", ".join("rows." + c.strip() for c in _ROW_COLUMNS.split(","))
        query = (
            f"SELECT {columns}, seen.tx_hash FROM rows JOIN seen ON seen.chain_ref = rows.chain_ref "
            "ORDER BY rows.idx LIMIT ?"
        )
        found = []
        for r in self._db.execute(query, (limit,)):
            row = _row(r[:-1])
            found.append(JournalRow(**{**row.__dict__, "tx_hash": r[-1]}))
        return found

    def repeated(self) -> int:
        (count,) = self._db.execute("SELECT COUNT(*) FROM rows WHERE repeat > 0").fetchone()
        return int(count)

    def count_seen(self) -> int:
        (count,) = self._db.execute(
            "SELECT COUNT(*) FROM rows JOIN seen ON seen.chain_ref = rows.chain_ref"
        ).fetchone()
        return int(count)

    def any_seen(self, references: Iterable[bytes]) -> bool:
        for chunk in _chunks(references, 500):
            marks = ", ".join("?" for _ in chunk)
            if self._db.execute(f"SELECT 1 FROM seen WHERE chain_ref IN ({marks}) LIMIT 1", chunk).fetchone():
                return True
        return False

    def adopt_seen(self, final_block: int) -> int:
        """Rows not counted as paid whose reference the chain shows paid: mined (paid once `final_block`
        covers them). Returns how many rows changed."""
        query = (
            "UPDATE rows SET state = CASE WHEN seen.block <= ? THEN ? ELSE ? END, tx_hash = seen.tx_hash, "
            "block = seen.block, block_hash = seen.block_hash, error = NULL FROM seen "
            "WHERE seen.chain_ref = rows.chain_ref AND (rows.state IN (?, ?) "
            "OR (rows.state = ? AND rows.batch IS NULL "
            "AND seen.block <= ?))"
        )
        with self._tx():
            cursor = self._db.execute(
                query,
                (
                    final_block,
                    RowState.PAID,
                    RowState.MINED,
                    RowState.PENDING,
                    RowState.FAILED,
                    RowState.MINED,
                    final_block,
                ),
            )
        return cursor.rowcount

    def batches(self, states: Sequence[BatchState] | None = None) -> list[Batch]:
        query = (
            "SELECT id, nonce, tx_hash, raw_tx, gas, rows, state, block, block_hash, gas_used FROM batches"
        )
        params: list[str] = []
        if states is not None:
            query += f" WHERE state IN ({', '.join('?' for _ in states)})"
            params = [str(s) for s in states]
        query += " ORDER BY nonce, id"
        return [
            Batch(r[0], r[1], r[2], bytes(r[3]), r[4], r[5], BatchState(r[6]), r[7], r[8], r[9])
            for r in self._db.execute(query, params)
        ]

    def batch_rows(self, batch: int) -> list[JournalRow]:
        return [
            _row(r)
            for r in self._db.execute(
                f"SELECT {_ROW_COLUMNS} FROM rows WHERE batch = ? ORDER BY idx", (batch,)
            )
        ]

    def mined_blocks(self, since: int) -> list[tuple[int, str]]:
        """The (block, hash) pairs rows were paid in, from block `since` on: what a reorg could undo."""
        query = (
            "SELECT DISTINCT block, block_hash FROM rows WHERE state IN (?, ?) AND block >= ? "
            "AND block_hash IS NOT NULL ORDER BY block"
        )
        return [(int(b), str(h)) for b, h in self._db.execute(query, (RowState.MINED, RowState.PAID, since))]

    def gas_totals(self) -> tuple[int, int, int]:
        """(gas used, fee in wei, rows) of the journal's mined batches."""
        gas = fee = rows = 0
        query = "SELECT gas_used, gas_price, rows FROM batches WHERE state = ?"
        for used, price, count in self._db.execute(query, (BatchState.MINED,)):
            gas += int(used or 0)
            fee += int(used or 0) * int(price or 0)
            rows += int(count)
        return gas, fee, rows

    # --- state changes -------------------------------------------------------------------------------

    def add_batch(self, nonce: int, tx_hash: str, raw_tx: bytes, gas: int, indexes: Sequence[int]) -> int:
        """Stores a signed batch and moves its rows to `signed`, durably, before it is broadcast."""
        with self._tx():
            cursor = self._db.execute(
                "INSERT INTO batches (nonce, tx_hash, raw_tx, gas, rows, state, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (nonce, tx_hash, raw_tx, gas, len(indexes), BatchState.SIGNED, _now()),
            )
            batch = int(cursor.lastrowid or 0)
            self._db.executemany(
                "UPDATE rows SET state = ?, batch = ?, tx_hash = ?, error = NULL, block = NULL, "
                "block_hash = NULL "
                "WHERE idx = ? AND state IN (?, ?)",
                [(RowState.SIGNED, batch, tx_hash, i, RowState.PENDING, RowState.FAILED) for i in indexes],
            )
        return batch

    def batch_sent(self, batch: int) -> None:
        with self._tx():
            self._db.execute(
                "UPDATE batches SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
                (BatchState.SENT, _now(), batch, BatchState.SIGNED),
            )

    def batch_mined(
        self, batch: int, block: int, block_hash: str, gas_used: int, gas_price: int, final: bool
    ) -> None:
        with self._tx():
            self._db.execute(
                "UPDATE batches SET state = ?, block = ?, block_hash = ?, gas_used = ?, gas_price = ?, "
                "updated_at = ? WHERE id = ?",
                (BatchState.MINED, block, block_hash, gas_used, str(gas_price), _now(), batch),
            )
            self._db.execute(
                "UPDATE rows SET state = ?, block = ?, block_hash = ? WHERE batch = ?",
                (RowState.PAID if final else RowState.MINED, block, block_hash, batch),
            )

    def batch_unmined(self, batch: int) -> None:
        """A reorg took the batch's block: it is a sent transaction again, to be followed."""
        with self._tx():
            self._db.execute(
                "UPDATE batches SET state = ?, block = NULL, block_hash = NULL, updated_at = ? WHERE id = ?",
                (BatchState.SENT, _now(), batch),
            )
            self._db.execute(
                "UPDATE rows SET state = ?, block = NULL, block_hash = NULL WHERE batch = ?",
                (RowState.SIGNED, batch),
            )

    def batch_void(self, batch: int, state: BatchState, error: str) -> None:
        """The batch can never pay (reverted, or its nonce went elsewhere): its rows are pending again."""
        with self._tx():
            self._db.execute(
                "UPDATE batches SET state = ?, error = ?, updated_at = ? WHERE id = ?",
                (state, error, _now(), batch),
            )
            self._db.execute(
                "UPDATE rows SET state = ?, batch = NULL, tx_hash = NULL, error = ? "
                "WHERE batch = ? AND state = ?",
                (RowState.PENDING, error, batch, RowState.SIGNED),
            )

    def confirm(self, up_to_block: int) -> int:
        """Rows mined at or below `up_to_block` (their block checked canonical) count as paid."""
        with self._tx():
            cursor = self._db.execute(
                "UPDATE rows SET state = ? WHERE state = ? AND block <= ?",
                (RowState.PAID, RowState.MINED, up_to_block),
            )
        return cursor.rowcount

    def reorged(self, block: int, block_hash: str) -> list[int]:
        """A block the chain no longer has: rows paid in it are not paid. Returns the batches it held."""
        with self._tx():
            batches = [
                int(b)
                for (b,) in self._db.execute(
                    "SELECT DISTINCT batch FROM rows "
                    "WHERE block = ? AND block_hash = ? AND batch IS NOT NULL",
                    (block, block_hash),
                )
            ]
            self._db.execute(
                "UPDATE rows SET state = ?, tx_hash = NULL, block = NULL, block_hash = NULL "
                "WHERE block = ? AND block_hash = ? AND batch IS NULL",
                (RowState.PENDING, block, block_hash),
            )
        for batch in batches:
            self.batch_unmined(batch)
        return batches

    def pending_among(self, indexes: Iterable[int]) -> set[int]:
        """Those of the rows `indexes` still pending."""
        found: set[int] = set()
        ordered = sorted(indexes)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            query = f"SELECT idx FROM rows WHERE state = ? AND idx IN ({marks})"
            found.update(int(i) for (i,) in self._db.execute(query, [RowState.PENDING, *chunk]))
        return found

    def unpay(self, indexes: Sequence[int], error: str) -> None:
        """Rows counted as paid that the chain does not show paid: pending again, with why."""
        with self._tx():
            self._db.executemany(
                "UPDATE rows SET state = ?, batch = NULL, tx_hash = NULL, block = NULL, block_hash = NULL, "
                "error = ? WHERE idx = ? AND state = ?",
                [(RowState.PENDING, error, i, RowState.PAID) for i in indexes],
            )

    def refuse(self, refused: Sequence[tuple[int, str]]) -> None:
        """Rows (index, error) that the contract would refuse now: failed, nothing signed for them."""
        with self._tx():
            self._db.executemany(
                "UPDATE rows SET state = ?, error = ? WHERE idx = ? AND state IN (?, ?)",
                [(RowState.FAILED, error, i, RowState.PENDING, RowState.FAILED) for i, error in refused],
            )

    def retry_failed(self) -> int:
        """Failed rows are pending again: each run asks the contract anew (a block may have been lifted)."""
        with self._tx():
            cursor = self._db.execute(
                "UPDATE rows SET state = ? WHERE state = ?", (RowState.PENDING, RowState.FAILED)
            )
        return cursor.rowcount

    def _tx(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("ROLLBACK" if exc_type is not None else "COMMIT")


class FileLock:
    """An exclusive `flock` on a file, held by this process until `release` (or its death: the kernel
    drops the lock of a killed process, so a `kill -9` never leaves a stale lock behind)."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(self._fd, 200, 0).decode(errors="replace").strip() or "another process"
            os.close(self._fd)
            raise JournalBusy(
                f"{what} is in use by {holder}; nothing sent by this run. Wait for it to end"
            ) from None
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, f"pid {os.getpid()}".encode(), 0)

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def journal_lock(journal_path: Path) -> FileLock:
    """The lock of one journal: a second run of the same payout is refused while the first runs."""
    journal_path.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(journal_path.with_name(journal_path.name + ".lock"), f"journal {journal_path}")


def payer_lock(chain: str, token: str, payer: str) -> FileLock:
    """The lock of one payer on this machine: one payout at a time per payer (one nonce sequence), so
    that a copy of a payout in another folder, or another payout of the same payer, never runs beside it.
    `chain` names the chain (its id and genesis hash: two local Anvils are two chains)."""
    folder = Path(os.environ.get("TENGE_LOCK_DIR") or tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"tenge-payer-{chain}-{token.lower()}-{payer.lower()}.lock"
    return FileLock(path, f"payer {payer} (lock {path})")


def default_journal_path(csv_path: Path | str) -> Path:
    """`payouts.csv` -> `payouts.csv.journal.sqlite`, next to the file."""
    path = Path(csv_path)
    return path.with_name(path.name + ".journal.sqlite")


def _chunks(items: Iterable[bytes], size: int) -> Iterator[list[bytes]]:
    chunk: list[bytes] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
