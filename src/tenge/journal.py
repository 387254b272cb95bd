"""The payout journal: a SQLite file that makes a batch payout resumable and pays each row exactly once.

Every row moves through `pending -> signed -> sent -> paid` (or `failed`). A row's signed transaction
(raw bytes and hash) is committed *before* it is broadcast, so after a crash at any moment the journal
knows every transaction that might land, and a rerun follows that transaction instead of signing a new
one. Only a row whose transaction can no longer land (its nonce was consumed by another transaction,
or it reverted) is ever signed again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tenge.errors import JournalError

PENDING = "pending"
SIGNED = "signed"
SENT = "sent"
PAID = "paid"
FAILED = "failed"
STATES = (PENDING, SIGNED, SENT, PAID, FAILED)
# States in which a row's transaction exists and might still land: never sign a new one for it.
IN_FLIGHT = (SIGNED, SENT)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rows (
    line INTEGER PRIMARY KEY,
    address TEXT NOT NULL,
    tiyn TEXT NOT NULL,
    reference TEXT NOT NULL,
    state TEXT NOT NULL,
    nonce INTEGER,
    tx_hash TEXT,
    raw_tx BLOB,
    gas INTEGER,
    block INTEGER,
    gas_used INTEGER,
    gas_price TEXT,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rows_state ON rows (state);
"""


@dataclass(frozen=True)
class JournalRow:
    """A payout row as the journal knows it."""

    line: int
    address: str
    tiyn: int
    reference: str
    state: str
    nonce: int | None
    tx_hash: str | None
    raw_tx: bytes | None
    gas: int | None
    block: int | None
    gas_used: int | None
    gas_price: int | None
    error: str | None
    attempts: int


@dataclass(frozen=True)
class SignedRow:
    """What `mark_signed` stores for one row."""

    line: int
    nonce: int
    tx_hash: str
    raw_tx: bytes
    gas: int


class Journal:
    """One payout run's state on disk. Each `mark_*` call is one durable transaction."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
        # WAL: someone reading the journal while a payout runs never blocks (or crashes) the payout.
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before we go on to broadcast what it records.
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- binding to one file, chain, token and sender -----------------------------------------------

    def meta(self) -> dict[str, str]:
        return {key: value for key, value in self._db.execute("SELECT key, value FROM meta")}

    def bind(self, meta: Mapping[str, str]) -> None:
        """Records what this journal is for, or refuses if it was started for something else."""
        existing = self.meta()
        if not existing:
            with self._tx():
                self._db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", sorted(meta.items()))
                self._db.execute("INSERT INTO meta (key, value) VALUES ('created_at', ?)", (_now(),))
            return
        for key, value in meta.items():
            if existing.get(key) != value:
                raise JournalError(
                    f"journal {self.path} belongs to another payout ({key} was {existing.get(key)!r}, now "
                    f"{value!r}); pass --journal with a new path to start a separate payout"
                )

    def add_rows(self, rows: Iterable[tuple[int, str, int, str]]) -> None:
        """Adds rows (line, address, tiyn, reference) not yet in the journal, all in one transaction."""
        now = _now()
        with self._tx():
            self._db.executemany(
                "INSERT OR IGNORE INTO rows (line, address, tiyn, reference, state, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (line, address, str(tiyn), reference, PENDING, now)
                    for line, address, tiyn, reference in rows
                ],
            )

    # --- reading -----------------------------------------------------------------------------------------

    def rows(self, states: Sequence[str] | None = None) -> list[JournalRow]:
        query = "SELECT line, address, tiyn, reference, state, nonce, tx_hash, raw_tx, gas, block, gas_used, "
        query += "gas_price, error, attempts FROM rows"
        params: list[str] = []
        if states is not None:
            query += f" WHERE state IN ({', '.join('?' for _ in states)})"
            params = list(states)
        query += " ORDER BY line"
        return [
            JournalRow(
                line=r[0],
                address=r[1],
                tiyn=int(r[2]),
                reference=r[3],
                state=r[4],
                nonce=r[5],
                tx_hash=r[6],
                raw_tx=r[7],
                gas=r[8],
                block=r[9],
                gas_used=r[10],
                gas_price=None if r[11] is None else int(r[11]),
                error=r[12],
                attempts=r[13],
            )
            for r in self._db.execute(query, params)
        ]

    def counts(self) -> dict[str, int]:
        found = dict(self._db.execute("SELECT state, COUNT(*) FROM rows GROUP BY state").fetchall())
        return {state: int(found.get(state, 0)) for state in STATES}

    # --- state changes -----------------------------------------------------------------------------------

    def mark_signed(self, signed: Sequence[SignedRow]) -> None:
        """Stores the signed transactions of rows, durably, before any of them is broadcast."""
        now = _now()
        with self._tx():
            self._db.executemany(
                "UPDATE rows SET state = ?, nonce = ?, tx_hash = ?, raw_tx = ?, gas = ?, error = NULL, "
                "attempts = attempts + 1, updated_at = ? WHERE line = ? AND state IN (?, ?)",
                [(SIGNED, s.nonce, s.tx_hash, s.raw_tx, s.gas, now, s.line, PENDING, FAILED) for s in signed],
            )

    def mark_sent(self, lines: Sequence[int]) -> None:
        now = _now()
        with self._tx():
            self._db.executemany(
                "UPDATE rows SET state = ?, updated_at = ? WHERE line = ? AND state = ?",
                [(SENT, now, line, SIGNED) for line in lines],
            )

    def mark_mined(self, results: Sequence[tuple[int, bool, int, int, int, str | None]]) -> None:
        """Records receipts: (line, succeeded, block, gas used, gas price, error if failed)."""
        now = _now()
        with self._tx():
            self._db.executemany(
                "UPDATE rows SET state = ?, block = ?, gas_used = ?, gas_price = ?, error = ?, "
                "updated_at = ? WHERE line = ?",
                [
                    (PAID if ok else FAILED, block, gas_used, str(price), error, now, line)
                    for line, ok, block, gas_used, price, error in results
                ],
            )

    def mark_refused(self, line: int, error: str) -> None:
        """A row refused before signing (its simulation reverted): failed, with no transaction."""
        with self._tx():
            self._db.execute(
                "UPDATE rows SET state = ?, error = ?, updated_at = ? WHERE line = ? AND state IN (?, ?)",
                (FAILED, error, _now(), line, PENDING, FAILED),
            )

    def release(self, line: int, why: str) -> None:
        """Back to pending: the row's transaction can never land (its nonce went to another transaction)."""
        with self._tx():
            self._db.execute(
                "UPDATE rows SET state = ?, nonce = NULL, tx_hash = NULL, raw_tx = NULL, gas = NULL, "
                "error = ?, updated_at = ? WHERE line = ? AND state IN (?, ?)",
                (PENDING, why, _now(), line, SIGNED, SENT),
            )

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


def default_journal_path(csv_path: Path | str) -> Path:
    """`payouts.csv` -> `payouts.csv.journal.sqlite`, next to the file."""
    path = Path(csv_path)
    return path.with_name(path.name + ".journal.sqlite")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
