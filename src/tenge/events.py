"""Event queries: decoding, block-range paging for long histories, the audit trail, a live watch.

The token's events, its mint controller's (minters configured and removed) and its seizure
controller's (seizures proposed, approved, executed, cancelled; the notice) are read as one stream: a
controller may serve several tokens, so only its events about this token are kept (a seizure's later
steps name only its id: the seizure's own record at the controller says whose it is).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from hexbytes import HexBytes
from web3 import Web3
from web3.contract.contract import Contract, ContractEvent
from web3.exceptions import BlockNotFound, TransactionNotFound, Web3Exception

from tenge.errors import ChainError, InvalidInput
from tenge.node import RpcRefused, read_many, talking
from tenge.references import reference_text
from tenge.roles import role_name
from tenge.times import NEVER_AT, duration_text, utc_text
from tenge.units import tiyn_to_kzt

# Every intervention an auditor asks about: who did it, to whom, and on what legal basis.
INTERVENTION_EVENTS = (
    "Frozen",
    "Unfrozen",
    "HoldPlaced",
    "HoldReleased",
    "MaxRestrictionTermChanged",
    "Blocked",
    "Unblocked",
    "SeizureProposed",
    "SeizureApproved",
    "SeizureExecuted",
    "SeizureCancelled",
    "NoticePeriodChanged",
    "Seized",
    "PausedWithReason",
    "UnpausedWithReason",
    "RoleGranted",
    "RoleRevoked",
    "Upgraded",
    "UpgradeAnnounced",
    "UpgradeCancelled",
    "UpgradeExecuted",
    "TierSet",
    "TierLimitsSet",
    "LinkedAccountSet",
    "LinkedAccountProposed",
    "PolicyEnabledSet",
    "MinterConfigured",
    "MinterRemoved",
    "SupplyCapChanged",
    "Rescued",
    "DefaultAdminTransferScheduled",
    "DefaultAdminTransferCanceled",
    "DefaultAdminDelayChangeScheduled",
    "DefaultAdminDelayChangeCanceled",
    # The earmark contract's (TengeEarmarks): purposes opened and closed, recipients, withdrawals.
    "PurposeCreated",
    "RecipientApproved",
    "RecipientRemoved",
    "Withdrawn",
    "PurposeClosed",
)
# The earmark contract's events: the audited ones above, and the purpose's money moving.
EARMARK_AUDIT_EVENTS = (
    "PurposeCreated",
    "RecipientApproved",
    "RecipientRemoved",
    "Withdrawn",
    "PurposeClosed",
)
PURPOSE_MOVEMENT_EVENTS = ("Deposited", "EarmarkPaid")
EARMARK_EVENTS = (*EARMARK_AUDIT_EVENTS, *PURPOSE_MOVEMENT_EVENTS)
RECIPIENT_KINDS = ("none", "intermediate", "final")  # IEarmarks.RecipientKind
# OpenZeppelin's role and admin events carry no reason: the reason is the ReasonCited its actor sends
# after it in the same transaction (`citeReason`, with the call in one multicall).
CITED_EVENTS = (
    "RoleGranted",
    "RoleRevoked",
    "DefaultAdminTransferScheduled",
    "DefaultAdminTransferCanceled",
    "DefaultAdminDelayChangeScheduled",
    "DefaultAdminDelayChangeCanceled",
)
# The mint controller's events: who may mint this token, and how much.
MINTER_EVENTS = ("MinterConfigured", "MinterRemoved")
# The seizure controller's events that name their token; the others name a seizure by its id.
SEIZURE_TOKEN_EVENTS = ("SeizureProposed", "NoticePeriodChanged", "MaxRestrictionTermChanged")
SEIZURE_STEP_EVENTS = ("SeizureApproved", "SeizureExecuted", "SeizureCancelled")
FINAL_SEIZURE_STATUS = 3  # Executed and Cancelled (ISeizureController.Status): nothing changes after
TRANSFER_EVENTS = ("Transfer",)
# What a Transfer's reference is read from: the PaymentReference after it, and a waterfall's excess leg.
REFERENCE_EVENTS = ("PaymentReference", "Waterfall")
ISSUANCE_EVENTS = ("Minted", "Burned")
# What names a Transfer as a seizure (its parties are indexed as a Transfer's are).
SEIZURE_EVENTS = ("Seized",)
# Arguments that are role ids, shown by the role's name.
_ROLE_ARGS = {"role", "previousAdminRole", "newAdminRole", "neededRole"}
# Arguments that are amounts in tiyn, shown as KZT.
_AMOUNT_ARGS = {"value", "amount", "remaining", "allowance", "capacity", "refillPerSecond", "cap"}
# Tier limits: KZT, or "unlimited" for type(uint256).max.
_LIMIT_ARGS = {"maxBalance", "dailyOutflow"}
UINT256_MAX = 2**256 - 1
DEFAULT_PAGE_SIZE = 5_000
# Phrases providers use when a log query spans too many blocks or returns too many results.
_TOO_MUCH = ("more than", "too many", "limit", "range", "exceed", "too large", "timeout", "timed out")


@dataclass(frozen=True)
class EventLog:
    """One decoded event of the token."""

    name: str
    block: int
    tx_hash: str
    log_index: int
    args: dict[str, Any]
    timestamp: int | None = None
    reference: str | None = None  # a Transfer's payment reference (see `attach_references`)
    # The hash of the block the node said the log is in: an index checks it against the block's hash
    # read after the logs, so a reorganisation between the two reads is never stored.
    block_hash: str | None = field(default=None, compare=False)

    @property
    def time(self) -> str | None:
        """The block time, ISO 8601 in UTC."""
        if self.timestamp is None:
            return None
        return datetime.fromtimestamp(self.timestamp, UTC).isoformat(timespec="seconds")

    def to_dict(self) -> dict[str, Any]:
        data = {
            "event": self.name,
            "block": self.block,
            "time": self.time,
            "tx_hash": self.tx_hash,
            "log_index": self.log_index,
            "args": {key: _jsonable(key, value) for key, value in self.args.items()},
        }
        if self.name == "Transfer":
            data["reference"] = self.reference
        return data


@dataclass(frozen=True)
class AuditEntry:
    """One intervention: what happened, to whom, by whom, why, and when."""

    event: str
    block: int
    time: str | None
    tx_hash: str
    actor: str
    account: str
    reason: str
    details: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # every field is already plain JSON, under its own name


class MovementKind(StrEnum):
    """What moved a balance: each Transfer event of the token is one of these."""

    TRANSFER = "transfer"
    MINT = "mint"  # from the zero address: issuance
    BURN = "burn"  # to the zero address: redemption by a minter
    SEIZURE = "seizure"  # by the seizure controller (a Seized event names it), to an account or burned
    WATERFALL = "waterfall"  # the excess leg of a payment, to the receiver's linked account


class Direction(StrEnum):
    """Which way a movement went for the account whose history it is."""

    IN = "in"
    OUT = "out"
    SELF = "self"


@dataclass(frozen=True)
class HistoryEntry:
    """One balance movement of an account."""

    block: int
    time: str | None
    tx_hash: str
    log_index: int
    kind: MovementKind
    direction: Direction
    sender: str
    recipient: str
    amount: Decimal
    reference: str = ""  # the payment reference (text, or 0x-hex), "" when the transfer had none

    def to_dict(self) -> dict[str, Any]:
        return {
            "block": self.block,
            "time": self.time,
            "tx_hash": self.tx_hash,
            "log_index": self.log_index,
            "kind": self.kind.value,
            "direction": self.direction.value,
            "from": self.sender,
            "to": self.recipient,
            "amount": str(self.amount),
            "reference": self.reference,
        }


@dataclass
class PageStats:
    """How a query was split: one entry per `eth_getLogs` call, as (from block, to block)."""

    ranges: list[tuple[int, int]] = field(default_factory=list)


class EventReader:
    """Decodes and queries the token's events, and its controllers' about it, with web3.py's event
    objects (`contract.events.X`)."""

    def __init__(
        self,
        w3: Web3,
        contract: Contract,
        page_size: int = DEFAULT_PAGE_SIZE,
        controller: Contract | None = None,
        seizures: Contract | None = None,
        earmarks: Contract | None = None,
    ) -> None:
        self._w3 = w3
        self._contract = contract
        self._seizures = seizures
        self.address = str(contract.address)
        self.page_size = page_size
        self._types: dict[str, ContractEvent] = {}
        self._emitter: dict[str, str] = {}  # event name -> the (checksummed) address that emits it
        self._seizure_records: dict[int, tuple[Any, ...]] = {}  # id -> `seizure(id)`, once it is final
        for source in (contract, *(c for c in (controller, seizures, earmarks) if c is not None)):
            for event in source.all_events():
                self._types.setdefault(event.event_name, event)
                self._emitter.setdefault(event.event_name, str(source.address))
        self._by_topic = {HexBytes(e.topic): e for e in self._types.values()}
        self._timestamps: dict[int, int] = {}
        self._senders: dict[str, str] = {}  # tx hash -> its sender
        self._records_given = False  # seizure records come from an index (`use_seizure_records`)

    @property
    def event_names(self) -> list[str]:
        return sorted(self._types)

    def topic(self, name: str) -> str:
        if name not in self._types:
            raise InvalidInput(f"unknown event {name!r}; the token emits {', '.join(self.event_names)}")
        return str(self._types[name].topic)

    def decode(self, log: Any) -> EventLog | None:
        """The event of a log (as web3.py returns logs), or None if it is not one of the token's events."""
        topics = log.get("topics") or []
        kind = self._by_topic.get(HexBytes(topics[0])) if topics else None
        if kind is None or str(log.get("address", "")).lower() != self._emitter[kind.event_name].lower():
            return None
        try:
            decoded = kind.process_log(log)
        except Web3Exception:
            return None  # same signature, different indexing: not this contract's event
        name = kind.event_name
        if name in MINTER_EVENTS or name in SEIZURE_TOKEN_EVENTS:
            about = str(decoded["args"]["token"])
        elif name in SEIZURE_STEP_EVENTS:
            about = str(self.seizure_record(int(decoded["args"]["id"]), fresh=False)[0])
        else:
            about = self.address
        if about.lower() != self.address.lower():
            return None  # a controller's event about another token it serves
        return EventLog(
            name=str(decoded["event"]),
            block=int(decoded["blockNumber"]),
            tx_hash=HexBytes(decoded["transactionHash"]).to_0x_hex(),
            log_index=int(decoded["logIndex"]),
            # In the ABI's order (web3.py lists the indexed arguments first).
            args={key: _plain(decoded["args"][key]) for key in kind.argument_names},
            block_hash=HexBytes(log["blockHash"]).to_0x_hex() if log.get("blockHash") else None,
        )

    def seizure_record(self, seizure_id: int, *, fresh: bool = True) -> tuple[Any, ...]:
        """`seizure(id)` at the seizure controller: (token, from, to, amount, order, reason, proposer,
        approver, readyAt, status). Kept once executed or cancelled; before, read again unless `fresh` is
        False (the token, holder, amount, order and reason never change, the approval does)."""
        if self._seizures is None:
            raise InvalidInput("this reader knows no seizure controller")
        kept = self._seizure_records.get(seizure_id)
        if kept is not None and (not fresh or self._records_given or int(kept[9]) >= FINAL_SEIZURE_STATUS):
            return kept
        with talking("eth_call seizure"):
            found = tuple(self._seizures.functions.seizure(seizure_id).call())
        self._seizure_records[seizure_id] = found
        return found

    def use_seizure_records(self, records: dict[int, tuple[Any, ...]]) -> None:
        """Seizure records rebuilt from events (an index's), used instead of reading the controller."""
        self._seizure_records.update(records)
        self._records_given = True

    def from_logs(self, logs: Iterable[Any]) -> list[EventLog]:
        """The token's events among `logs` (a receipt's) and its controller's about it, in log order;
        other contracts' logs left out."""
        emitters = {address.lower() for address in self._emitter.values()}
        ours = [log for log in logs if str(log.get("address", "")).lower() in emitters]
        decoded = (self.decode(log) for log in ours)
        return [event for event in decoded if event is not None]

    def logs(
        self,
        names: Sequence[str],
        from_block: int,
        to_block: int,
        *,
        topics: Sequence[Any] = (),
        page_size: int | None = None,
        stats: PageStats | None = None,
        with_time: bool = False,
    ) -> Iterator[EventLog]:
        """The events named `names` between two blocks (inclusive), in chain order, fetched page by page.

        `topics` filters the indexed arguments after the event signature (None: any). A page that the node
        refuses as too large is halved and retried, down to a single block.
        """
        if from_block > to_block or not names:
            return
        topic0 = [self.topic(name) for name in names]
        query_topics: list[Any] = [topic0, *(_topic(t) for t in topics)]
        while query_topics and query_topics[-1] is None:
            query_topics.pop()
        size = max(1, page_size or self.page_size)
        emitters = sorted({self._emitter[name] for name in names})
        address: Any = emitters[0] if len(emitters) == 1 else emitters
        start = from_block
        while start <= to_block:
            end = min(start + size - 1, to_block)
            query: Any = {"address": address, "fromBlock": start, "toBlock": end, "topics": query_topics}
            try:
                with talking("eth_getLogs"):
                    raw = self._w3.eth.get_logs(query)
            except RpcRefused as refused:
                if end > start and refused.says(_TOO_MUCH):
                    size = max(1, (end - start + 1) // 2)
                    continue
                raise
            if stats is not None:
                stats.ranges.append((start, end))
            decoded = [e for e in (self.decode(log) for log in raw) if e is not None]
            decoded.sort(key=lambda e: (e.block, e.log_index))
            if with_time:
                self._fetch_timestamps({e.block for e in decoded})
            for event in decoded:
                yield self.with_time(event) if with_time else event
            start = end + 1

    def with_time(self, event: EventLog) -> EventLog:
        """The event with its block's timestamp (one lookup per block, cached)."""
        self._fetch_timestamps({event.block})
        return replace(event, timestamp=self._timestamps[event.block])

    def _fetch_timestamps(self, blocks: Iterable[int]) -> None:
        """The timestamps of the blocks not cached yet, in one batch of `eth_getBlockByNumber`."""
        missing = sorted(set(blocks) - set(self._timestamps))
        if missing:
            self._fetch_blocks(missing)

    def block_hashes(self, blocks: Iterable[int]) -> dict[int, tuple[str, int]]:
        """(hash, timestamp) of each block as the node sees it now (read fresh: a reorganisation changes
        it); a block the node does not have (past its head) is left out."""
        numbers = sorted(set(blocks))
        try:
            found = self._fetch_blocks(numbers)
        except BlockNotFound:
            found = []
            for number in numbers:
                try:
                    found.extend(self._fetch_blocks([number]))
                except BlockNotFound:
                    found.append(None)
        return {number: seen for number, seen in zip(numbers, found, strict=True) if seen is not None}

    def _fetch_blocks(self, numbers: Sequence[int]) -> list[tuple[str, int] | None]:
        """(hash, timestamp) of each block, in one batch; the timestamps are cached."""
        if not numbers:
            return []
        reads = [lambda n=n: self._w3.eth.get_block(n) for n in numbers]
        try:
            found = read_many(self._w3, reads, "eth_getBlockByNumber")
        except BlockNotFound:
            raise
        except Web3Exception as exc:
            raise ChainError(f"blocks {numbers[0]}..{numbers[-1]}: {exc}") from None
        result: list[tuple[str, int] | None] = []
        for number, block in zip(numbers, found, strict=True):
            self._timestamps[number] = int(block["timestamp"])
            result.append((HexBytes(block["hash"]).to_0x_hex(), int(block["timestamp"])))
        return result

    def head(self) -> int:
        with talking("eth_blockNumber"):
            return int(self._w3.eth.block_number)

    def watch(
        self,
        names: Sequence[str],
        *,
        from_block: int | None = None,
        poll_interval: float = 1.0,
        confirmations: int = 0,
        should_stop: Callable[[], bool] | None = None,
    ) -> Iterator[EventLog]:
        """New events as blocks arrive (from the next block unless `from_block`), until `should_stop()`.

        `confirmations` holds an event back until that many blocks are built on top of its own.
        """
        next_block = self.head() + 1 if from_block is None else from_block
        while should_stop is None or not should_stop():
            safe_head = self.head() - confirmations
            if safe_head >= next_block:
                # Whole blocks at a time, so a Transfer and its PaymentReference arrive together.
                yield from attach_references(list(self.logs(names, next_block, safe_head, with_time=True)))
                next_block = safe_head + 1
                continue
            time.sleep(poll_interval)

    def know_senders(self, senders: dict[str, str]) -> None:
        """Transactions' senders read elsewhere (an index keeps them), used instead of asking the node."""
        self._senders.update(senders)

    def transaction_sender(self, tx_hash: str) -> str:
        """Who sent a transaction (cached; "" for one the node does not know)."""
        if tx_hash not in self._senders:
            try:
                with talking("eth_getTransactionByHash"):
                    sender = str(self._w3.eth.get_transaction(tx_hash)["from"])  # type: ignore[arg-type]
            except TransactionNotFound:
                return ""
            self._senders[tx_hash] = sender
        return self._senders[tx_hash]

    def audit(self, from_block: int, to_block: int, page_size: int | None = None) -> list[AuditEntry]:
        """Every intervention between two blocks, with actor, account, reason, block and time. A role
        change or an admin-handover step takes the reason its actor cited in the same transaction
        (ReasonCited); one sent without is listed with no reason."""
        events = self.logs(self.audit_names, from_block, to_block, page_size=page_size, with_time=True)
        return self.audit_of(list(events))

    @property
    def audit_names(self) -> list[str]:
        """The events an audit reads: every intervention, and the reasons cited beside role changes."""
        return [name for name in (*INTERVENTION_EVENTS, "ReasonCited") if name in self._types]

    def audit_of(self, events: Sequence[EventLog], senders: dict[str, str] | None = None) -> list[AuditEntry]:
        """The audit entries of `events` (of `audit_names`, in chain order, with their times), from the
        chain or from an index. `senders` gives transactions' senders already known (an index keeps
        them): an event that names no actor (an upgrade, an admin handover step) takes its sender."""
        if senders:
            self.know_senders(senders)
        # `citeReason` follows its call in the same multicall: each role or admin event takes the first
        # ReasonCited of its actor after it in its transaction, so two changes in one multicall keep
        # their own reasons.
        citations: dict[tuple[str, str], list[EventLog]] = {}
        for e in events:
            if e.name == "ReasonCited":
                citations.setdefault((e.tx_hash, e.args["actor"]), []).append(e)
        executors = {e.tx_hash: e.args["executor"] for e in events if e.name == "SeizureExecuted"}
        seizures = self._seizures.address if self._seizures is not None else ""
        # A seizure shrinks its hold (HoldReleased, actor: the seizure controller) as part of the Seized:
        # one fact, listed once, as the Seized with what the hold keeps after it.
        by_seizure = {
            (e.tx_hash, e.args["account"], e.args["order"]): e
            for e in events
            if e.name == "HoldReleased" and e.args["actor"] == seizures
        }
        entries = []
        for event in events:
            by_the_seizure = event.name == "HoldReleased" and event.args["actor"] == seizures
            if event.name == "ReasonCited" or by_the_seizure:
                continue
            entry = self.audit_entry(event)
            if event.name in CITED_EVENTS and not entry.reason:
                entry = replace(entry, reason=_cited(citations, event, entry.actor))
            if event.name == "Seized":
                released = by_seizure.get((event.tx_hash, event.args["from"], event.args["order"]))
                remaining = None if released is None else tiyn_to_kzt(released.args["remaining"])
                keeps = "" if remaining is None else f", the hold keeps {remaining} KZT"
                executor = executors.get(event.tx_hash) or self.transaction_sender(event.tx_hash)
                entry = replace(entry, actor=executor, details=entry.details + keeps)
            entries.append(entry)
        return entries

    def audit_entry(self, event: EventLog) -> AuditEntry:
        args = event.args
        actor = args.get("actor") or args.get("sender") or ""
        account = args.get("account") or args.get("from") or ""
        reason = args.get("reason", "")
        details = ""
        if event.name in SEIZURE_STEP_EVENTS or event.name == "SeizureProposed":
            actor, account, reason, details = self._seizure_step(event)
        elif event.name in EARMARK_AUDIT_EVENTS:
            actor, account, reason, details = _earmark_step(event)
        elif event.name == "Frozen":
            details = f"frozen until {utc_text(args['expiresAt'])}"
        elif event.name == "HoldPlaced":
            reason = args["order"]  # the order is the hold's name and its legal basis
            details = f"holds {tiyn_to_kzt(args['amount'])} KZT until {utc_text(args['expiresAt'])}"
        elif event.name == "HoldReleased":
            released, remaining = tiyn_to_kzt(args["amount"]), tiyn_to_kzt(args["remaining"])
            details = f"released {released} KZT of hold {args['order']}, {remaining} KZT remain"
        elif event.name == "MaxRestrictionTermChanged":
            details = f"longest term of a freeze or hold: {duration_text(args['term'])}" + _from(args)
        elif event.name == "NoticePeriodChanged":
            details = f"seizures wait {duration_text(args['period'])} after approval" + _from(args)
        elif event.name == "TierSet":
            details = f"tier {args['oldTier']} -> {args['newTier']}"
        elif event.name == "TierLimitsSet":
            limits = (_limit_text(args["maxBalance"]), _limit_text(args["dailyOutflow"]))
            details = f"tier {args['tier']}: holds at most {limits[0]}, sends at most {limits[1]} a day"
        elif event.name == "LinkedAccountSet":
            linked = args["linked"]
            details = (
                "unlinked" if int(linked, 16) == 0 else f"excess goes to {linked} (accepted by the holder)"
            )
        elif event.name == "LinkedAccountProposed":
            details = f"proposed: excess to {args['linked']}, once the holder accepts"
        elif event.name == "PolicyEnabledSet":
            details = "policy on" if args["enabled"] else "policy off"
        elif event.name in ("RoleGranted", "RoleRevoked"):
            details = role_name(bytes.fromhex(args["role"][2:]))
        elif event.name == "Seized":
            details = f"{tiyn_to_kzt(args['amount'])} KZT {_target(args['to'])}, hold {args['order']}"
        elif event.name == "MinterConfigured":
            account = args["minter"]
            details = f"may mint {tiyn_to_kzt(args['allowance'])} KZT"
            if args["refillPerSecond"]:
                rate, capacity = tiyn_to_kzt(args["refillPerSecond"]), tiyn_to_kzt(args["capacity"])
                details += f", refilling {rate} KZT/s up to {capacity} KZT"
        elif event.name == "MinterRemoved":
            account = args["minter"]
            details = "renounced minting" if args["actor"] == args["minter"] else "minter removed"
        elif event.name == "Upgraded":
            account = args["implementation"]
            details = "implementation upgraded"
            actor = self.transaction_sender(event.tx_hash)  # Upgraded names no actor: the tx sender is one
        elif event.name == "SupplyCapChanged":
            details = "no cap" if args["cap"] == UINT256_MAX else f"cap {tiyn_to_kzt(args['cap'])} KZT"
        elif event.name == "Rescued":
            account = args["token"]
            details = f"{args['amount']} units to {args['to']}"
        elif event.name.startswith("DefaultAdmin"):
            # OpenZeppelin's handover events name no actor: the transaction's sender is the one.
            actor = self.transaction_sender(event.tx_hash)
            details = _admin_details(event.name, args)
        elif event.name == "UpgradeAnnounced":
            account = args["implementation"]
            ready = datetime.fromtimestamp(int(args["readyAt"]), UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            details = (
                f"upgrade announced: may run from {ready}, code hash {args['codeHash']}, "
                f"call hash {args['dataHash']}"
            )
        elif event.name in ("UpgradeCancelled", "UpgradeExecuted"):
            account = args["implementation"]
            details = (
                "announced upgrade cancelled" if event.name == "UpgradeCancelled" else "announced upgrade run"
            )
        return AuditEntry(
            event=event.name,
            block=event.block,
            time=event.time,
            tx_hash=event.tx_hash,
            actor=actor,
            account=account,
            reason=reason,
            details=details,
        )

    def _seizure_step(self, event: EventLog) -> tuple[str, str, str, str]:
        """(actor, account, reason, details) of a seizure controller's step, from the seizure's record."""
        args = event.args
        number = int(args["id"])
        _token, holder, to, amount, order, reason, proposer, approver, _ready, _status = self.seizure_record(
            number
        )
        what = f"{tiyn_to_kzt(int(amount))} KZT of hold 0x{bytes(order).hex()} {_target(str(to))}"
        cited = "0x" + bytes(reason).hex()
        if event.name == "SeizureProposed":
            return args["proposer"], str(holder), args["reason"], f"seizure #{number} proposed: {what}"
        if event.name == "SeizureApproved":
            ready = utc_text(args["readyAt"])
            return args["approver"], str(holder), args["reason"], f"seizure #{number} approved: from {ready}"
        if event.name == "SeizureExecuted":
            people = f"proposed by {proposer}, approved by {approver}"
            return args["executor"], str(holder), cited, f"seizure #{number} executed: {what} ({people})"
        return args["actor"], str(holder), args["reason"], f"seizure #{number} cancelled"

    def history(
        self, account: str, from_block: int, to_block: int, page_size: int | None = None
    ) -> list[HistoryEntry]:
        """Every Transfer into or out of `account`, in chain order, each named for what it is: a transfer,
        mint, burn, seizure or waterfall leg (MovementKind)."""
        padded = self._w3.codec.encode(["address"], [account])  # an indexed address's topic
        # PaymentReference(from, to), Waterfall(account, linked) and Seized(from, to) index the account
        # where Transfer does.
        names = TRANSFER_EVENTS + REFERENCE_EVENTS + SEIZURE_EVENTS
        outgoing = self.logs(
            names, from_block, to_block, topics=[padded], page_size=page_size, with_time=True
        )
        incoming = self.logs(
            names, from_block, to_block, topics=[None, padded], page_size=page_size, with_time=True
        )
        seen: dict[tuple[str, int], EventLog] = {}
        for event in _chain(outgoing, incoming):
            seen[(event.tx_hash, event.log_index)] = event
        ours = {e.tx_hash for e in seen.values()}
        # A payer's waterfall names the receiver and its linked account, not the payer: asked for apart
        # (waterfalls are rare), kept where the transaction is one of the account's.
        waterfalls = self.logs(("Waterfall",), from_block, to_block, page_size=page_size)
        referenced = {e.tx_hash for e in seen.values() if e.name in REFERENCE_EVENTS}
        referenced |= {e.tx_hash for e in waterfalls if e.tx_hash in ours}
        # A waterfall's legs and its reference name different accounts: read those transactions whole.
        for event in self.transaction_events(sorted(referenced)):
            seen.setdefault((event.tx_hash, event.log_index), event)
        return history_of(sorted(seen.values(), key=lambda e: (e.block, e.log_index)), account)

    def transaction_events(self, tx_hashes: Sequence[str]) -> list[EventLog]:
        """The token's events in these transactions, from their receipts (batched)."""
        reads = [lambda h=h: self._w3.eth.get_transaction_receipt(h) for h in tx_hashes]
        try:
            receipts = read_many(self._w3, reads, "eth_getTransactionReceipt")
        except TransactionNotFound as missing:
            raise ChainError(str(missing)) from None
        events = [event for receipt in receipts for event in self.from_logs(receipt["logs"])]
        self._fetch_timestamps({event.block for event in events})
        return [self.with_time(event) for event in events]


def history_of(events: Sequence[EventLog], account: str) -> list[HistoryEntry]:
    """`account`'s movements among `events`: whole transactions (every event of the token in each), in
    chain order, from the chain or from an index."""
    events = attach_references(events)
    kinds = _movement_kinds(events)
    return [
        _history_entry(event, account, kinds.get((event.tx_hash, event.log_index), MovementKind.TRANSFER))
        for event in events
        if event.name == "Transfer" and account in (event.args["from"], event.args["to"])
    ]


def attach_references(events: Sequence[EventLog]) -> list[EventLog]:
    """`events` (in chain order, whole transactions) with each Transfer's payment reference filled in.

    A PaymentReference follows the Transfer(s) of its payment: the direct one, or under the waterfall
    the leg to the receiver and the excess leg to its linked account. Each reference claims the
    unclaimed Transfers before it in its transaction (back to the previous reference) that come from
    its payer, go to its receiver or a linked account the transaction's Waterfall names, and add up to
    its amount; a multicall with several payments keeps them apart.
    """
    references: dict[tuple[str, int], str] = {}
    by_tx: dict[str, list[EventLog]] = {}
    for event in events:
        by_tx.setdefault(event.tx_hash, []).append(event)
    for tx_events in by_tx.values():
        links = {(e.args["account"], e.args["linked"]) for e in tx_events if e.name == "Waterfall"}
        unclaimed: list[EventLog] = []
        for event in tx_events:
            if event.name == "Transfer":
                unclaimed.append(event)
            elif event.name == "PaymentReference":
                text = reference_text(event.args["paymentReference"])
                payer, payee, remaining = event.args["from"], event.args["to"], event.args["amount"]
                for transfer in reversed(list(unclaimed)):
                    to, value = transfer.args["to"], transfer.args["value"]
                    if transfer.args["from"] != payer or value > remaining:
                        continue
                    if to != payee and (payee, to) not in links:
                        continue
                    references[(transfer.tx_hash, transfer.log_index)] = text
                    remaining -= value
                    if remaining == 0:
                        break
                unclaimed.clear()
    return [
        replace(event, reference=references[(event.tx_hash, event.log_index)])
        if (event.tx_hash, event.log_index) in references
        else event
        for event in events
    ]


def _cited(citations: dict[tuple[str, str], list[EventLog]], event: EventLog, actor: str) -> str:
    """The reason `actor` cited next after `event` in its transaction (claimed: a citation serves one)."""
    waiting = citations.get((event.tx_hash, actor), [])
    for n, citation in enumerate(waiting):
        if citation.log_index > event.log_index:
            del waiting[n]
            return str(citation.args["reason"])
    return ""


def _earmark_step(event: EventLog) -> tuple[str, str, str, str]:
    """(actor, account, reason, details) of an earmark contract's audited event."""
    args = event.args
    number = args["id"]
    if event.name == "PurposeCreated":
        name = reference_text(args["name"])
        return (
            args["funder"],
            args["funder"],
            args["reason"],
            f"purpose #{number} {name!r} opened until {utc_text(args['expiresAt'])}",
        )
    if event.name == "RecipientApproved":
        kind = (
            RECIPIENT_KINDS[int(args["kind"])] if int(args["kind"]) < len(RECIPIENT_KINDS) else args["kind"]
        )
        return args["actor"], args["recipient"], args["reason"], f"{kind} recipient of purpose #{number}"
    if event.name == "RecipientRemoved":
        return args["actor"], args["recipient"], args["reason"], f"removed from purpose #{number}"
    if event.name == "Withdrawn":
        amount = tiyn_to_kzt(args["amount"])
        return (
            args["funder"],
            args["funder"],
            args["reason"],
            f"{amount} KZT withdrawn from purpose #{number}",
        )
    amount = tiyn_to_kzt(args["amount"])
    return args["actor"], args["funder"], "", f"purpose #{number} closed: {amount} KZT back to its funder"


def _admin_details(name: str, args: dict[str, Any]) -> str:
    if name == "DefaultAdminTransferScheduled":
        return f"admin handover to {args['newAdmin']} from {args['acceptSchedule']}"
    if name == "DefaultAdminDelayChangeScheduled":
        return f"admin delay to {args['newDelay']} s from {args['effectSchedule']}"
    return (
        "admin handover cancelled"
        if name == "DefaultAdminTransferCanceled"
        else "admin delay change cancelled"
    )


def _target(to: str) -> str:
    return "burned" if int(to, 16) == 0 else f"to {to}"


def _from(args: dict[str, Any]) -> str:
    """When a due-process setting applies: at once, or after the admin's delay (a weakening)."""
    if int(args["effectiveAt"]) >= NEVER_AT:
        return ", never (the admin's delay does not end)"
    return f", from {utc_text(args['effectiveAt'])}"


def _limit_text(tiyn: int) -> str:
    return "unlimited" if tiyn == UINT256_MAX else f"{tiyn_to_kzt(tiyn)} KZT"


def _movement_kinds(events: Sequence[EventLog]) -> dict[tuple[str, int], MovementKind]:
    """The kind of each Transfer among `events` (whole transactions) that is not a plain transfer.

    A Seized(from, to, amount) claims the Transfer of its transaction with the same parties and amount
    (to the zero address when the seized funds were burned); a Waterfall(account, linked, amount) the
    Transfer of that amount to `linked`.
    """
    seizures = {
        (e.tx_hash, e.args["from"], e.args["to"], e.args["amount"]) for e in events if e.name == "Seized"
    }
    waterfalls = {(e.tx_hash, e.args["linked"], e.args["amount"]) for e in events if e.name == "Waterfall"}
    kinds: dict[tuple[str, int], MovementKind] = {}
    for event in events:
        if event.name != "Transfer":
            continue
        sender, recipient, value = event.args["from"], event.args["to"], event.args["value"]
        key = (event.tx_hash, event.log_index)
        if int(sender, 16) == 0:
            kinds[key] = MovementKind.MINT
        elif (event.tx_hash, sender, recipient, value) in seizures:
            kinds[key] = MovementKind.SEIZURE
        elif int(recipient, 16) == 0:
            kinds[key] = MovementKind.BURN
        elif (event.tx_hash, recipient, value) in waterfalls:
            kinds[key] = MovementKind.WATERFALL
    return kinds


def _history_entry(event: EventLog, account: str, kind: MovementKind) -> HistoryEntry:
    sender, recipient = event.args["from"], event.args["to"]
    if sender == recipient:
        direction = Direction.SELF
    elif recipient.lower() == account.lower():
        direction = Direction.IN
    else:
        direction = Direction.OUT
    return HistoryEntry(
        block=event.block,
        time=event.time,
        tx_hash=event.tx_hash,
        log_index=event.log_index,
        kind=kind,
        direction=direction,
        sender=sender,
        recipient=recipient,
        amount=tiyn_to_kzt(event.args["value"]),
        reference=event.reference or "",
    )


def _chain(*iterables: Iterable[EventLog]) -> Iterator[EventLog]:
    for iterable in iterables:
        yield from iterable


def _plain(value: Any) -> Any:
    """An argument as web3.py decodes it, with bytes as 0x-hex (addresses come checksummed)."""
    if isinstance(value, bytes):
        return HexBytes(value).to_0x_hex()
    return value


def _topic(value: Any) -> Any:
    """A topic filter as the node takes it: None (any), 0x-hex, or a list of either."""
    if isinstance(value, bytes):
        return HexBytes(value).to_0x_hex()
    if isinstance(value, list):
        return [_topic(v) for v in value]
    return value


def _jsonable(key: str, value: Any) -> Any:
    if key == "paymentReference" and isinstance(value, str):
        return reference_text(value)
    if key in _ROLE_ARGS and isinstance(value, str):
        return role_name(HexBytes(value))
    if key in _LIMIT_ARGS and isinstance(value, int):
        return "unlimited" if value == UINT256_MAX else str(tiyn_to_kzt(value))
    if key in _AMOUNT_ARGS and isinstance(value, int) and not isinstance(value, bool):
        return str(tiyn_to_kzt(value)) if value < 2**255 else str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value if abs(value) < 2**53 else str(value)
    return value
