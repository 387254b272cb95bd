"""The event index: every event of the token and of its controllers about it, kept in a database.

`tenge index` reads the chain once, page by page (`eth_getLogs`), and the report, `history` and `audit`
read the index instead of the node. SQLite by default (one file), PostgreSQL for a bank or a public
mirror that outgrows it (`postgresql+psycopg://user@host/db`), both through SQLAlchemy Core.

- **Resumable**: each page commits its events with the block it reached (the checkpoint); a run that
  is stopped resumes after the last committed page and never stores an event twice (the key is the
  event's block and log index).
- **Reorg-safe**: only blocks `confirmations` deep are indexed; and before each run the checkpoint's
  hash, kept with it, is compared with the node's: when a reorganisation went deeper than that, the
  index steps back to the newest block it stored whose hash the node still has, drops what came after
  and reads it again.
- **One token per index**: the chain id and the token's address are written at creation; an index
  opened for another token is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.exc import ArgumentError, DatabaseError, IntegrityError, NoSuchModuleError, SQLAlchemyError

from tenge.errors import ChainError, IndexProblem, InvalidInput
from tenge.events import EventLog, EventReader
from tenge.restrictions import SeizureStatus

SCHEMA_VERSION = 1
DEFAULT_PAGE_BLOCKS = 5_000
# BNB Chain finalises in two to three blocks with fast finality; 15 keeps a margin. Dev chains: 0.
LIVE_CONFIRMATIONS = 15
DEV_CHAIN_IDS = frozenset({31337, 1337})
# Events whose actor is the transaction's sender (they name none): the index keeps the sender.
SENDER_EVENTS = frozenset(
    {
        "Upgraded",
        "Seized",
        "DefaultAdminTransferScheduled",
        "DefaultAdminTransferCanceled",
        "DefaultAdminDelayChangeScheduled",
        "DefaultAdminDelayChangeCanceled",
    }
)
_ROWS_PER_INSERT = 2_000
_PAGE_RETRIES = 5  # a page whose blocks change under it is read again, this many times at most


class _PageMoved(Exception):
    """A page's blocks changed between reading its logs and reading the blocks themselves."""

    def __init__(self, blocks: list[int]) -> None:
        super().__init__(blocks)
        self.blocks = blocks


metadata = MetaData()
index_info = Table(
    "index_info",
    metadata,
    Column("key", String(32), primary_key=True),
    Column("value", Text, nullable=False),
)
# Blocks the index has seen: every block with an event, and each checkpoint (for the reorg check).
blocks = Table(
    "blocks",
    metadata,
    Column("number", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", String(66), nullable=False),
    Column("timestamp", BigInteger, nullable=False),
)
events = Table(
    "events",
    metadata,
    Column("block", BigInteger, primary_key=True, autoincrement=False),
    Column("log_index", Integer, primary_key=True, autoincrement=False),
    Column("tx_hash", String(66), nullable=False),
    Column("name", String(40), nullable=False),
    # The first two arguments when they are addresses (a Transfer's from and to), lower case: what an
    # account's history selects on.
    Column("party_a", String(42)),
    Column("party_b", String(42)),
    Column("sender", String(42)),  # the transaction's sender, for SENDER_EVENTS only
    Column("args", Text, nullable=False),  # JSON, in the ABI's order; integers exact, bytes as 0x-hex
    Column("timestamp", BigInteger, nullable=False),
)
Index("events_by_name", events.c.name, events.c.block, events.c.log_index)
Index("events_by_party_a", events.c.party_a)
Index("events_by_party_b", events.c.party_b)
Index("events_by_tx", events.c.tx_hash)


@dataclass(frozen=True)
class IndexState:
    """Where an index stands."""

    url: str
    chain_id: int
    token: str
    start_block: int
    checkpoint: int | None  # the last block indexed, None before the first page
    events: int
    start_hash: str | None = None  # the start block's hash: which chain the index was read from
    checkpoint_hash: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "chain_id": self.chain_id,
            "token": self.token,
            "start_block": self.start_block,
            "checkpoint": self.checkpoint,
            "events": self.events,
            "start_hash": self.start_hash,
            "checkpoint_hash": self.checkpoint_hash,
        }


@dataclass(frozen=True)
class SyncResult:
    """What one `sync` did."""

    from_block: int
    to_block: int  # the new checkpoint (from_block - 1 when there was nothing new)
    events_added: int
    rolled_back_to: int | None  # the block a reorganisation was rolled back to, if one was found
    pages: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "from_block": self.from_block,
            "to_block": self.to_block,
            "events_added": self.events_added,
            "rolled_back_to": self.rolled_back_to,
            "pages": self.pages,
        }


def default_confirmations(chain_id: int) -> int:
    """How deep a block must be before it is indexed: none on a dev chain, LIVE_CONFIRMATIONS else."""
    return 0 if chain_id in DEV_CHAIN_IDS else LIVE_CONFIRMATIONS


def default_path(chain_id: int, token: str, directory: Path) -> Path:
    """An index's SQLite file beside the deployment records: `<dir>/<chain id>-<token>.index.sqlite`."""
    return directory / f"{chain_id}-{token.lower()[:10]}.index.sqlite"


def default_url(chain_id: int, token: str, directory: Path) -> str:
    return f"sqlite:///{default_path(chain_id, token, directory)}"


class EventIndex:
    """One token's events in a database (see the module doc)."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url

    @classmethod
    def open(
        cls, url: str, *, chain_id: int, token: str, start_block: int, create: bool = True
    ) -> EventIndex:
        """Opens the index at `url` for `token` on `chain_id`, from `start_block`; creates it when new,
        unless `create` is False (a read: an index that is not there is refused, and nothing is made)."""
        try:
            engine = create_engine(url)
        except (ArgumentError, NoSuchModuleError) as exc:
            raise InvalidInput(f"database URL {url!r}: {exc}") from None
        except ModuleNotFoundError as exc:
            raise InvalidInput(
                f"database URL {url!r} needs the driver {exc.name!r}: pip install 'tenge[postgres]'"
            ) from None
        if engine.dialect.name == "sqlite":
            # Many pages are written in a row; WAL lets a report read while an index run writes.
            event.listen(engine, "connect", _sqlite_pragmas)
        index = cls(engine, _shown(url))
        index._bind(chain_id, token, start_block, create)
        return index

    def _bind(self, chain_id: int, token: str, start_block: int, create: bool) -> None:
        wanted = {"schema": str(SCHEMA_VERSION), "chain_id": str(chain_id), "token": token.lower()}
        missing = IndexProblem(f"no event index at {self.url}: build one with `tenge index --db URL`")
        database = self.engine.url.database
        if not create and self.engine.dialect.name == "sqlite" and database and not Path(database).is_file():
            raise missing
        try:
            if not create and not inspect(self.engine).has_table(index_info.name):
                raise missing
            metadata.create_all(self.engine)
            with self.engine.begin() as db:
                found = dict(db.execute(select(index_info.c.key, index_info.c.value)).tuples().all())
                if not found:
                    rows = [*wanted.items(), ("start_block", str(start_block))]
                    db.execute(insert(index_info), [{"key": k, "value": v} for k, v in rows])
                    return
        except DatabaseError as exc:  # not there, not a database (a text file), a server that is down
            raise IndexProblem(f"index {self.url}: cannot open the database: {exc.orig}") from None
        for key, value in wanted.items():
            if found.get(key) != value:
                raise IndexProblem(
                    f"index {self.url} holds {key} {found.get(key)}, not {value}: "
                    "an index serves one token on one chain (give another database)"
                )

    # --- reading --------------------------------------------------------------------------------

    def state(self) -> IndexState:
        with self.engine.connect() as db:
            info = dict(db.execute(select(index_info.c.key, index_info.c.value)).tuples().all())
            count = db.execute(select(func.count()).select_from(events)).scalar_one()
            checkpoint = info.get("checkpoint")
            checkpoint_hash = None
            if checkpoint is not None:
                query = select(blocks.c.hash).where(blocks.c.number == int(checkpoint))
                checkpoint_hash = db.execute(query).scalar_one_or_none()
        return IndexState(
            url=self.url,
            chain_id=int(info["chain_id"]),
            token=info["token"],
            start_block=int(info["start_block"]),
            checkpoint=None if checkpoint is None else int(checkpoint),
            events=int(count),
            start_hash=info.get("start_hash"),
            checkpoint_hash=checkpoint_hash,
        )

    def check_chain(self, reader: EventReader, *, reading: bool = False) -> IndexState:
        """Refuses an index read from another chain (a restarted dev chain at the same addresses, a
        fork): its start block's hash must be the node's. `reading` (history, audit, a report from the
        index as it is): it must also have been indexed, and its checkpoint still be on the node's chain."""
        state = self.state()
        if reading and state.checkpoint is None:
            raise IndexProblem(f"index {self.url} holds nothing yet: run `tenge index` first")
        wanted = [state.start_block] + (
            [state.checkpoint] if reading and state.checkpoint is not None else []
        )
        now = reader.block_hashes(wanted)
        if state.start_hash is not None and now.get(state.start_block, ("",))[0] != state.start_hash:
            raise IndexProblem(
                f"index {self.url} was read from another chain (its block {state.start_block} is"
                f" {state.start_hash}, the node's is {now.get(state.start_block, ('none',))[0]}):"
                " give another database, or delete this one and index again"
            )
        checkpoint_moved = now.get(state.checkpoint or -1, ("",))[0] != state.checkpoint_hash
        if reading and state.checkpoint is not None and checkpoint_moved:
            raise IndexProblem(
                f"index {self.url}: block {state.checkpoint}, where it stops, is no longer on the node's"
                " chain (a reorganisation): run `tenge index` to roll it back and read on"
            )
        return state

    def events(
        self,
        names: Sequence[str] | None = None,
        *,
        from_block: int = 0,
        to_block: int | None = None,
        tx_hashes: Sequence[str] | None = None,
        batch: int = 5_000,
    ) -> Iterator[EventLog]:
        """The indexed events (of `names`, or all), in chain order, streamed in batches of `batch` rows:
        memory stays bounded however many there are."""
        query = (
            select(events).order_by(events.c.block, events.c.log_index).where(events.c.block >= from_block)
        )
        if names is not None:
            query = query.where(events.c.name.in_(list(names)))
        if to_block is not None:
            query = query.where(events.c.block <= to_block)
        if tx_hashes is not None:
            query = query.where(events.c.tx_hash.in_(list(tx_hashes)))
        with self.engine.connect() as db:
            rows = db.execution_options(stream_results=True, yield_per=batch).execute(query)
            for row in rows:
                yield _event(row)

    def block_time(self, number: int) -> int | None:
        """The timestamp of a block the index saw (one with events, or a checkpoint), else None."""
        with self.engine.connect() as db:
            found = db.execute(
                select(blocks.c.timestamp).where(blocks.c.number == number)
            ).scalar_one_or_none()
        return None if found is None else int(found)

    def senders(self, from_block: int = 0, to_block: int | None = None) -> dict[str, str]:
        """The senders the index kept (for SENDER_EVENTS), by transaction hash."""
        query = select(events.c.tx_hash, events.c.sender).where(
            events.c.sender.is_not(None), events.c.block >= from_block
        )
        if to_block is not None:
            query = query.where(events.c.block <= to_block)
        with self.engine.connect() as db:
            return dict(db.execute(query).tuples().all())

    def transactions_of(
        self, account: str, names: Sequence[str], from_block: int, to_block: int
    ) -> list[str]:
        """The transactions in which an event of `names` names `account` as one of its first two parties."""
        party = account.lower()
        query = (
            select(events.c.tx_hash)
            .where(
                events.c.name.in_(list(names)),
                (events.c.party_a == party) | (events.c.party_b == party),
                events.c.block.between(from_block, to_block),
            )
            .distinct()
        )
        with self.engine.connect() as db:
            return list(db.execute(query).scalars().all())

    # --- writing --------------------------------------------------------------------------------

    def sync(
        self,
        reader: EventReader,
        *,
        confirmations: int,
        to_block: int | None = None,
        page_blocks: int = DEFAULT_PAGE_BLOCKS,
        on_page: Callable[[int, int, int], None] | None = None,
    ) -> SyncResult:
        """Indexes what is new up to `to_block` (default: the head), never past `confirmations` from the
        head; `on_page(from, to, events)` after each committed page."""
        if confirmations < 0:
            raise InvalidInput(f"confirmations {confirmations}: a depth is 0 or more")
        safe = reader.head() - confirmations
        target = safe if to_block is None else min(to_block, safe)
        state = self.check_chain(reader)
        if state.start_hash is None:
            first = reader.block_hashes([state.start_block]).get(state.start_block)
            if first is None:
                raise IndexProblem(
                    f"index {self.url} starts at block {state.start_block}, past the node's head"
                )
            try:
                with self.engine.begin() as db:
                    self._set(db, "start_hash", first[0])
            except IntegrityError:
                self.check_chain(reader)  # another run beside this one set it first: it must agree
        rolled_back = self._check_reorg(reader)
        state = self.state()
        start = state.start_block if state.checkpoint is None else state.checkpoint + 1
        added = pages = retries = 0
        names = reader.event_names
        page_start = start
        while page_start <= target:
            page_end = min(page_start + page_blocks - 1, target)
            found = list(reader.logs(names, page_start, page_end, with_time=True))
            senders = {
                e.tx_hash: reader.transaction_sender(e.tx_hash) for e in found if e.name in SENDER_EVENTS
            }
            try:
                self._commit(reader, found, senders, page_end)
            except _PageMoved as moved:
                retries += 1
                if retries > _PAGE_RETRIES:
                    raise ChainError(
                        f"blocks {moved.blocks[0]}..{moved.blocks[-1]} changed {retries} times while read:"
                        " the chain is reorganising; index again later, or with more --confirmations"
                    ) from None
                continue
            except IntegrityError:
                # Another run beside this one committed these blocks first: go on after its checkpoint.
                page_start = (self.state().checkpoint or state.start_block - 1) + 1
                continue
            added += len(found)
            pages += 1
            if on_page is not None:
                on_page(page_start, page_end, len(found))
            page_start = page_end + 1
        return SyncResult(start, max(start - 1, target), added, rolled_back, pages)

    def add(
        self, found: Sequence[EventLog], checkpoint: tuple[int, str, int], senders: dict[str, str]
    ) -> None:
        """Stores events read elsewhere (a benchmark's, a copy's) with the checkpoint (number, hash,
        timestamp) they reach, in one transaction."""
        with self.engine.begin() as db:
            self._write(db, found, senders, [checkpoint])

    def _commit(
        self, reader: EventReader, found: Sequence[EventLog], senders: dict[str, str], end: int
    ) -> None:
        seen = reader.block_hashes({e.block for e in found} | {end})
        moved = sorted({e.block for e in found if e.block_hash not in (None, seen.get(e.block, ("",))[0])})
        if moved or end not in seen:
            # The chain reorganised between reading the logs and their blocks: read the page again.
            raise _PageMoved(moved or [end])
        with self.engine.begin() as db:
            self._write(db, found, senders, [(n, h, t) for n, (h, t) in sorted(seen.items())])

    def _write(
        self,
        db: Any,
        found: Sequence[EventLog],
        senders: dict[str, str],
        seen: Sequence[tuple[int, str, int]],
    ) -> None:
        rows = [event_row(e, senders.get(e.tx_hash) if e.name in SENDER_EVENTS else None) for e in found]
        for start in range(0, len(rows), _ROWS_PER_INSERT):
            db.execute(insert(events), rows[start : start + _ROWS_PER_INSERT])
        known = set(
            db.execute(select(blocks.c.number).where(blocks.c.number.in_([n for n, _, _ in seen]))).scalars()
        )
        fresh = [{"number": n, "hash": h, "timestamp": t} for n, h, t in seen if n not in known]
        if fresh:
            db.execute(insert(blocks), fresh)
        self._set(db, "checkpoint", str(max(n for n, _, _ in seen)))

    @staticmethod
    def _set(db: Any, key: str, value: str) -> None:
        done = db.execute(update(index_info).where(index_info.c.key == key).values(value=value))
        if done.rowcount == 0:
            db.execute(insert(index_info).values(key=key, value=value))

    def _check_reorg(self, reader: EventReader) -> int | None:
        """Rolls back past a reorganisation: the newest stored block the node still has is kept, what
        came after it goes. Returns the block rolled back to, or None when the checkpoint still stands."""
        state = self.state()
        if state.checkpoint is None:
            return None
        with self.engine.connect() as db:
            stored = db.execute(
                select(blocks.c.number, blocks.c.hash).order_by(blocks.c.number.desc())
            ).tuples()
            newest = next(iter(stored), None)
        if newest is not None and reader.block_hashes([newest[0]]).get(newest[0], ("",))[0] == newest[1]:
            return None
        keep = self._last_common_block(reader)
        with self.engine.begin() as db:
            cut = state.start_block - 1 if keep is None else keep
            db.execute(delete(events).where(events.c.block > cut))
            db.execute(delete(blocks).where(blocks.c.number > cut))
            if keep is None:
                db.execute(delete(index_info).where(index_info.c.key == "checkpoint"))
            else:
                self._set(db, "checkpoint", str(keep))
        return state.start_block - 1 if keep is None else keep

    def _last_common_block(self, reader: EventReader, step: int = 100) -> int | None:
        """The newest stored block whose hash the node still has, checked `step` blocks per batch."""
        with self.engine.connect() as db:
            stored: Iterable[tuple[int, str]] = (
                db.execute(select(blocks.c.number, blocks.c.hash).order_by(blocks.c.number.desc()))
                .tuples()
                .all()
            )
        chunk: list[tuple[int, str]] = []
        for pair in [*stored, (-1, "")]:
            if pair[0] >= 0:
                chunk.append(pair)
            if len(chunk) == step or (pair[0] < 0 and chunk):
                now = reader.block_hashes([n for n, _ in chunk])
                for number, block_hash in chunk:  # newest first
                    if now.get(number, ("",))[0] == block_hash:
                        return number
                chunk = []
        return None


def seizure_records(found: Iterable[EventLog]) -> dict[int, tuple[Any, ...]]:
    """Each seizure's record as the controller's `seizure(id)` returns it (token, from, to, amount, order,
    reason, proposer, approver, readyAt, status), rebuilt from its events."""
    records: dict[int, list[Any]] = {}
    for e in found:
        args = e.args
        if e.name == "SeizureProposed":
            records[int(args["id"])] = [
                args["token"],
                args["from"],
                args["to"],
                int(args["amount"]),
                bytes.fromhex(args["order"][2:]),
                bytes.fromhex(args["reason"][2:]),
                args["proposer"],
                "0x" + "0" * 40,
                0,
                SeizureStatus.PROPOSED,
            ]
        elif (
            e.name in ("SeizureApproved", "SeizureExecuted", "SeizureCancelled")
            and int(args["id"]) in records
        ):
            record = records[int(args["id"])]
            if e.name == "SeizureApproved":
                record[7], record[8], record[9] = (
                    args["approver"],
                    int(args["readyAt"]),
                    SeizureStatus.APPROVED,
                )
            else:
                record[9] = SeizureStatus.EXECUTED if e.name == "SeizureExecuted" else SeizureStatus.CANCELLED
    return {number: tuple(record) for number, record in records.items()}


SEIZURE_RECORD_EVENTS = ("SeizureProposed", "SeizureApproved", "SeizureExecuted", "SeizureCancelled")


def event_row(event_log: EventLog, sender: str | None) -> dict[str, Any]:
    """An event as the index stores it (one row of `events`)."""
    values = list(event_log.args.values())
    parties = [
        v.lower() if isinstance(v, str) and len(v) == 42 and v.startswith("0x") else None for v in values[:2]
    ]
    parties += [None] * (2 - len(parties))
    return {
        "block": event_log.block,
        "log_index": event_log.log_index,
        "tx_hash": event_log.tx_hash,
        "name": event_log.name,
        "party_a": parties[0],
        "party_b": parties[1],
        "sender": sender,
        "args": json.dumps(event_log.args, separators=(",", ":")),
        "timestamp": event_log.timestamp or 0,
    }


def _event(row: Any) -> EventLog:
    return EventLog(
        name=row.name,
        block=int(row.block),
        tx_hash=row.tx_hash,
        log_index=int(row.log_index),
        args=json.loads(row.args),
        timestamp=int(row.timestamp),
    )


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _shown(url: str) -> str:
    """A database URL as it may be printed: with any password masked."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, SQLAlchemyError):
        return url
