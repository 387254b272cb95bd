"""`build_report`: the transparency report, a static site written from the event index alone.

Every use of power over the money is listed where a citizen can read it: the supply and who issued it,
every intervention with its actor, account, amount and legal reason, who holds each power now, and the
wallet policy. The site opens from disk with no network (no scripts, no external fonts; charts are
inline SVG), in English, Kazakh and Russian, with the same tables as CSV and JSON and a manifest of
SHA-256 digests (report.json) so that anyone who rebuilds it from their own node can compare.

Memory stays bounded however long the history: the index is streamed (a few passes by event name),
figures are aggregated as they go, the open data is written row by row, restrictions' outcomes wait in a
temporary SQLite file, and the pages show the newest interventions only (the open data has them all).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader

from tenge.errors import InvalidInput
from tenge.events import CITED_EVENTS, INTERVENTION_EVENTS, UINT256_MAX, EventLog
from tenge.index import SEIZURE_RECORD_EVENTS, EventIndex, seizure_records
from tenge.references import reference_text
from tenge.report import charts
from tenge.report.labels import LABELS, LANGUAGES
from tenge.roles import ALL_ROLE_NAMES, role_name
from tenge.spreadsheet import csv_cell
from tenge.times import duration_text
from tenge.units import format_kzt

if TYPE_CHECKING:
    from tenge.client import Tenge

REPORT_SCHEMA_VERSION = 1
# The pages list the newest interventions; the open data lists every one.
PAGE_ROWS = 1_000
HISTORY_ROWS = 200  # role changes and upgrade steps shown on the pages (all of them in the open data)
CHART_POINTS = 2_000  # the supply chart's points: thinned by half whenever there are twice as many
ZERO = "0x" + "0" * 40

# What each intervention is, for the counts and the chart.
KINDS = {
    "freeze": ("Frozen", "Unfrozen"),
    "hold": ("HoldPlaced", "HoldReleased"),
    "blocklist": ("Blocked", "Unblocked"),
    "seizure": ("SeizureProposed", "SeizureApproved", "SeizureExecuted", "SeizureCancelled", "Seized"),
    "pause": ("PausedWithReason", "UnpausedWithReason"),
    "policy": ("TierSet", "TierLimitsSet", "LinkedAccountSet", "LinkedAccountProposed", "PolicyEnabledSet"),
    "roles": CITED_EVENTS,  # role changes and the admin's handover steps
    "upgrade": ("Upgraded", "UpgradeAnnounced", "UpgradeCancelled", "UpgradeExecuted"),
    "due_process": ("MaxRestrictionTermChanged", "NoticePeriodChanged"),
    "money": ("MinterConfigured", "MinterRemoved", "SupplyCapChanged", "Rescued"),
}
KIND_OF = {name: kind for kind, names in KINDS.items() for name in names}
# The power that allows each action (the contract's access checks).
POWER = {
    "Frozen": "FREEZER_ROLE",
    "Unfrozen": "FREEZER_ROLE",
    "HoldPlaced": "FREEZER_ROLE",
    "HoldReleased": "FREEZER_ROLE",
    "Blocked": "BLOCKLISTER_ROLE",
    "Unblocked": "BLOCKLISTER_ROLE",
    "SeizureProposed": "SEIZURE_PROPOSER_ROLE",
    "SeizureApproved": "SEIZURE_APPROVER_ROLE",
    "SeizureExecuted": "any account, once the notice has passed",
    "SeizureCancelled": "SEIZURE_PROPOSER_ROLE or SEIZURE_APPROVER_ROLE",
    "Seized": "the seizure controller, for an approved seizure",
    "PausedWithReason": "PAUSER_ROLE",
    "UnpausedWithReason": "PAUSER_ROLE",
    "TierSet": "KYC_ROLE",
    "LinkedAccountSet": "KYC_ROLE or the holder",
    "LinkedAccountProposed": "KYC_ROLE",
    "TierLimitsSet": "DEFAULT_ADMIN_ROLE",
    "PolicyEnabledSet": "DEFAULT_ADMIN_ROLE",
    "RoleGranted": "DEFAULT_ADMIN_ROLE",
    "RoleRevoked": "DEFAULT_ADMIN_ROLE",
    "DefaultAdminTransferScheduled": "DEFAULT_ADMIN_ROLE",
    "DefaultAdminTransferCanceled": "DEFAULT_ADMIN_ROLE",
    "DefaultAdminDelayChangeScheduled": "DEFAULT_ADMIN_ROLE",
    "DefaultAdminDelayChangeCanceled": "DEFAULT_ADMIN_ROLE",
    "Upgraded": "UPGRADER_ROLE",
    "UpgradeAnnounced": "UPGRADER_ROLE",
    "UpgradeExecuted": "UPGRADER_ROLE",
    "UpgradeCancelled": "DEFAULT_ADMIN_ROLE",
    "MaxRestrictionTermChanged": "DEFAULT_ADMIN_ROLE",
    "NoticePeriodChanged": "DEFAULT_ADMIN_ROLE",
    "MinterConfigured": "MINTER_ADMIN_ROLE",
    "MinterRemoved": "MINTER_ADMIN_ROLE",
    "SupplyCapChanged": "DEFAULT_ADMIN_ROLE",
    "Rescued": "RESCUER_ROLE",
    "PurposeCreated": "BUDGET_HOLDER_ROLE",
    "RecipientApproved": "the purpose's funder",
    "RecipientRemoved": "the purpose's funder",
    "Withdrawn": "the purpose's funder",
    "PurposeClosed": "any account, once the purpose has expired",
}
RESTRICTION_EVENTS = ("Frozen", "Unfrozen", "HoldPlaced", "HoldReleased")
INTERVENTION_COLUMNS = (
    "block",
    "log_index",
    "time",
    "tx_hash",
    "event",
    "kind",
    "actor",
    "actor_power",
    "account",
    "amount_kzt",
    "reason",
    "reason_text",
    "status",
    "details",
)
SUPPLY_COLUMNS = ("block", "log_index", "time", "tx_hash", "change", "amount_kzt", "supply_kzt")
ROLE_CHANGE_COLUMNS = ("block", "time", "tx_hash", "role", "change", "account", "actor")


@dataclass(frozen=True)
class ReportManifest:
    """What a report holds (report.json): the token, the blocks it covers, and each file's SHA-256."""

    chain_id: int
    token: str
    name: str
    symbol: str
    from_block: int
    to_block: int
    as_of: str  # the checkpoint block's time, ISO 8601 UTC: statuses are as of then
    generated_at: str
    files: dict[str, str]  # path relative to the report's folder -> SHA-256 hex digest
    index_html: Path = field(compare=False)
    schema: int = REPORT_SCHEMA_VERSION
    # Which chain: the hashes of the first and last blocks read (another chain at the same addresses,
    # a restarted dev chain or a fork, has other ones).
    start_hash: str = ""
    checkpoint_hash: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "chain_id": self.chain_id,
            "token": self.token,
            "name": self.name,
            "symbol": self.symbol,
            "from_block": self.from_block,
            "from_block_hash": self.start_hash,
            "to_block": self.to_block,
            "to_block_hash": self.checkpoint_hash,
            "as_of": self.as_of,
            "generated_at": self.generated_at,
            "pages": [filename for _code, filename, _name in LANGUAGES],
            "files": dict(sorted(self.files.items())),
        }


def build_report(
    tenge: Tenge, index: EventIndex, out: Path, *, generated_at: datetime | None = None
) -> ReportManifest:
    """Writes the transparency report of `index` into `out` (see the module doc) and returns its manifest
    (`manifest.index_html` is the English page)."""
    charts.pyplot()  # refused before anything is written when matplotlib is missing
    state = index.state()
    if state.checkpoint is None:
        raise InvalidInput(f"index {index.url} holds nothing yet: run `tenge index` first")
    checkpoint = state.checkpoint
    as_of = _block_time(index, checkpoint)
    # The same index gives the same files: "generated" is the checkpoint's time unless given.
    made = generated_at or datetime.fromtimestamp(as_of, UTC)
    made = made.replace(tzinfo=UTC) if made.tzinfo is None else made.astimezone(UTC)
    final = Path(out)
    _check_out(final)
    # Written into a folder beside `out`, then swapped in whole: a report stopped halfway leaves the
    # previous one as it was, and the manifest certifies only the files this build wrote.
    out = final.parent / f".{final.name}.building-{os.getpid()}"
    shutil.rmtree(out, ignore_errors=True)
    try:
        (out / "data").mkdir(parents=True)
    except OSError as exc:
        raise InvalidInput(f"cannot write the report beside {final}: {exc.strerror}") from None
    reader = tenge.events
    seizure_controller = str(tenge.seizures.address)
    reader.use_seizure_records(seizure_records(index.events(SEIZURE_RECORD_EVENTS, to_block=checkpoint)))
    reader.know_senders(index.senders(0, checkpoint))
    with tempfile.TemporaryDirectory(prefix="tenge-report-") as scratch:
        outcomes = _Outcomes(Path(scratch) / "outcomes.sqlite")
        try:
            _restrictions(index, checkpoint, as_of, seizure_controller, outcomes)
            facts = _Facts(tenge, as_of, checkpoint)
            with (
                _Table(out / "data", "interventions", INTERVENTION_COLUMNS) as interventions,
                _Table(out / "data", "supply", SUPPLY_COLUMNS) as supply,
                _Table(out / "data", "role_changes", ROLE_CHANGE_COLUMNS) as role_changes,
            ):
                facts.read(index, checkpoint, outcomes, interventions, supply, role_changes)
            restriction_stats = outcomes.stats()
        finally:
            outcomes.close()
    facts.write_tables(out / "data")
    context = {
        "name": tenge.name(),
        "symbol": tenge.symbol(),
        "token": tenge.address,
        "chain_id": tenge.chain_id,
        "from_block": state.start_block,
        "to_block": checkpoint,
        "as_of": _when(as_of),
        "generated": _when(int(made.timestamp())),
        "restrictions": restriction_stats,
    }
    supply_svg = charts.supply_chart(facts.chart_points(), "supply")
    environment = Environment(
        loader=PackageLoader("tenge.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    template = environment.get_template("page.html.j2")
    for code, filename, _own in LANGUAGES:
        labels = LABELS[code]
        months_svg = facts.months_svg(labels)
        page = template.render(
            lang=code,
            t=labels,
            languages=LANGUAGES,
            page=filename,
            supply_svg=supply_svg.replace('aria-label="supply"', f'aria-label="{labels["supply_chart"]}"'),
            months_svg=months_svg,
            **context,
            **facts.page(labels),
        )
        (out / filename).write_text(page, encoding="utf-8")
    files = {
        path.relative_to(out).as_posix(): _sha256(path)
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.relative_to(out).as_posix() != "report.json"
    }
    manifest = ReportManifest(
        chain_id=tenge.chain_id,
        token=tenge.address,
        name=str(context["name"]),
        symbol=str(context["symbol"]),
        from_block=state.start_block,
        to_block=checkpoint,
        as_of=_iso(as_of),
        generated_at=made.isoformat(timespec="seconds"),
        files=files,
        index_html=final / "index.html",
        start_hash=state.start_hash or "",
        checkpoint_hash=state.checkpoint_hash or "",
    )
    (out / "report.json").write_text(json.dumps(manifest.to_dict(), indent=2) + "\n", encoding="utf-8")
    _swap_in(out, final)
    return manifest


def _check_out(folder: Path) -> None:
    """`--out` is new, empty, or a previous report (its report.json): never a folder of other files."""
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"--out {folder} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / "report.json").is_file():
        raise InvalidInput(
            f"--out {folder} holds other files and no report (report.json): give a new or empty folder,"
            " or a previous report's, which is replaced"
        )


def _swap_in(built: Path, final: Path) -> None:
    """Puts the finished report in place of the previous one (two renames), then removes the old."""
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    try:
        if final.exists():
            final.rename(old)
        built.rename(final)
    except OSError as exc:
        raise InvalidInput(f"cannot put the report in {final}: {exc.strerror}") from None
    shutil.rmtree(old, ignore_errors=True)


# --- restrictions: how each freeze and hold ended -----------------------------------------------------


class _Outcomes:
    """Each freeze's and hold's outcome, keyed by the event that started it, in a scratch SQLite file."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        self.db.execute(
            "CREATE TABLE outcomes (block INTEGER, log_index INTEGER, kind TEXT, status TEXT, "
            "start INTEGER, ended INTEGER, PRIMARY KEY (block, log_index))"
        )
        self._pending: list[tuple[int, int, str, str, int, int | None]] = []

    def add(self, start: tuple[int, int, int], kind: str, status: str, ended: int | None) -> None:
        self._pending.append((start[0], start[1], kind, status, start[2], ended))
        if len(self._pending) >= 5_000:
            self.flush()

    def flush(self) -> None:
        self.db.executemany("INSERT OR REPLACE INTO outcomes VALUES (?, ?, ?, ?, ?, ?)", self._pending)
        self._pending.clear()

    def status(self, block: int, log_index: int) -> str:
        found = self.db.execute(
            "SELECT status FROM outcomes WHERE block = ? AND log_index = ?", (block, log_index)
        ).fetchone()
        return "" if found is None else str(found[0])

    def stats(self) -> list[dict[str, Any]]:
        """Per kind (freeze, hold): how many by status, and the median and longest length of ended ones."""
        self.flush()
        rows = []
        for kind in ("freeze", "hold"):
            counts = dict(
                self.db.execute(
                    "SELECT status, COUNT(*) FROM outcomes WHERE kind = ? GROUP BY status ORDER BY status",
                    (kind,),
                ).fetchall()
            )
            ended = "kind = ? AND ended IS NOT NULL"
            total_ended = self.db.execute(f"SELECT COUNT(*) FROM outcomes WHERE {ended}", (kind,)).fetchone()[
                0
            ]
            median = longest = None
            if total_ended:
                lengths = f"SELECT ended - start AS length FROM outcomes WHERE {ended} ORDER BY length"
                low = self.db.execute(
                    lengths + " LIMIT 1 OFFSET ?", (kind, (total_ended - 1) // 2)
                ).fetchone()
                high = self.db.execute(lengths + " LIMIT 1 OFFSET ?", (kind, total_ended // 2)).fetchone()
                median = (int(low[0]) + int(high[0])) // 2
                longest = int(
                    self.db.execute(
                        f"SELECT MAX(ended - start) FROM outcomes WHERE {ended}", (kind,)
                    ).fetchone()[0]
                )
            rows.append(
                {
                    "kind": kind,
                    "total": sum(counts.values()),
                    "counts": counts,
                    "ended": int(total_ended),
                    "lifted": int(counts.get("lifted", 0) + counts.get("released", 0)),
                    "median": None if median is None else duration_text(max(median, 0)),
                    "longest": None if longest is None else duration_text(max(longest, 0)),
                }
            )
        return rows

    def close(self) -> None:
        self.db.close()


def _restrictions(
    index: EventIndex, checkpoint: int, as_of: int, seizure_controller: str, outcomes: _Outcomes
) -> None:
    """Follows each freeze and hold to its end: lifted (Unfrozen) or released, seized (released by the
    seizure controller), lapsed (its expiry passed, by the report's `as of` time), replaced by a newer
    one, or still active. Only the restrictions open at a time are held in memory."""
    freezes: dict[str, tuple[tuple[int, int, int], int]] = {}  # account -> (start, expires at)
    holds: dict[tuple[str, str], tuple[tuple[int, int, int], int]] = {}  # (account, order) -> ...

    def replaced(kind: str, opened: tuple[tuple[int, int, int], int], now: int) -> None:
        start, expires = opened
        if expires <= now:
            outcomes.add(start, kind, "lapsed", expires)
        else:
            outcomes.add(start, kind, "replaced", now)

    for event in index.events(RESTRICTION_EVENTS, to_block=checkpoint):
        args, now = event.args, int(event.timestamp or 0)
        start = (event.block, event.log_index, now)
        if event.name == "Frozen":
            if args["account"] in freezes:
                replaced("freeze", freezes[args["account"]], now)
            freezes[args["account"]] = (start, int(args["expiresAt"]))
        elif event.name == "Unfrozen" and args["account"] in freezes:
            began, expires = freezes.pop(args["account"])
            if expires <= now:
                outcomes.add(began, "freeze", "lapsed", expires)
            else:
                outcomes.add(began, "freeze", "lifted", now)
        elif event.name == "HoldPlaced":
            key = (args["account"], args["order"])
            if key in holds:
                replaced("hold", holds[key], now)
            holds[key] = (start, int(args["expiresAt"]))
        elif event.name == "HoldReleased":
            key = (args["account"], args["order"])
            if key in holds and int(args["remaining"]) == 0:
                began, expires = holds.pop(key)
                if expires <= now:
                    outcomes.add(began, "hold", "lapsed", expires)
                else:
                    status = "seized" if args["actor"] == seizure_controller else "released"
                    outcomes.add(began, "hold", status, now)
    for kind, still in (("freeze", freezes.values()), ("hold", holds.values())):
        for began, expires in still:
            if expires <= as_of:
                outcomes.add(began, kind, "lapsed", expires)
            else:
                outcomes.add(began, kind, "active", None)
    outcomes.flush()


# --- the one pass over every event --------------------------------------------------------------------


class _Facts:
    """The figures of the report, aggregated from the events as they stream past."""

    def __init__(self, tenge: Tenge, as_of: int, checkpoint: int) -> None:
        self.tenge = tenge
        self.as_of = as_of
        self.reader = tenge.events
        self.audit_names = frozenset(self.reader.audit_names)
        self.seizure_controller = str(tenge.seizures.address)
        self.supply = 0
        self.points: list[tuple[int, int]] = []
        self.stride = 1
        self.seen_changes = 0
        self.minters: dict[str, dict[str, Any]] = {}
        self.cap: int | None = None
        self.holders: dict[str, dict[str, tuple[int, int]]] = {}  # role -> account -> (time, block)
        self.role_history: deque[dict[str, Any]] = deque(maxlen=HISTORY_ROWS)
        # The chain's own delay at the report's block (a deployment record is a local file).
        # (An index of made-up events, a benchmark's, may reach past the node's head: read at the head.)
        self.admin_delay = int(tenge.call("defaultAdminDelay", block=min(checkpoint, tenge.events.head())))
        self.pending_delay: tuple[int, int] | None = None  # (new delay, effective at)
        self.pending_admin: tuple[str, int] | None = None  # (new admin, may accept from)
        self.implementation = str(tenge.record.implementation)
        self.upgrades: deque[dict[str, Any]] = deque(maxlen=HISTORY_ROWS)
        self.tier_limits: dict[int, tuple[int, int]] = {}
        self.tier_accounts: dict[int, int] = {}
        self.counts: dict[str, int] = {}
        self.months: dict[str, dict[str, int]] = {}
        self.newest: deque[dict[str, Any]] = deque(maxlen=PAGE_ROWS)
        self.upgrade_steps: deque[dict[str, Any]] = deque(maxlen=HISTORY_ROWS)
        self.total = 0

    def read(
        self,
        index: EventIndex,
        checkpoint: int,
        outcomes: _Outcomes,
        interventions: _Table,
        supply: _Table,
        role_changes: _Table,
    ) -> None:
        for group in _transactions(index.events(to_block=checkpoint)):
            burned_by_seizure = {
                (e.args["from"], int(e.args["amount"]))
                for e in group
                if e.name == "Seized" and int(e.args["to"], 16) == 0
            }
            for event in group:
                self._money(event, burned_by_seizure, supply)
                self._powers(event, role_changes)
                self._policy(event)
            audited = [e for e in group if e.name in self.audit_names]
            if audited:
                self._interventions(audited, outcomes, interventions)
        self._settle_admin(self.as_of)

    # -- money --

    def _money(self, event: EventLog, burned_by_seizure: set[tuple[str, int]], supply: _Table) -> None:
        args = event.args
        if event.name == "Transfer":
            sender, recipient, value = args["from"], args["to"], int(args["value"])
            if int(sender, 16) == 0:
                change, self.supply = "mint", self.supply + value
            elif int(recipient, 16) == 0:
                seized = (sender, value) in burned_by_seizure
                change, self.supply = ("seizure burn" if seized else "burn"), self.supply - value
            else:
                return
            supply.write(
                {
                    "block": event.block,
                    "log_index": event.log_index,
                    "time": _iso(event.timestamp or 0),
                    "tx_hash": event.tx_hash,
                    "change": change,
                    "amount_kzt": _kzt(value),
                    "supply_kzt": _kzt(self.supply),
                }
            )
            self._point(int(event.timestamp or 0))
        elif event.name == "Minted":
            self._minter(args["minter"])["issued"] += int(args["amount"])
        elif event.name == "Burned":
            self._minter(args["minter"])["redeemed"] += int(args["amount"])
        elif event.name == "MinterConfigured":
            minter = self._minter(args["minter"])
            minter.update(
                allowance=int(args["allowance"]),
                capacity=int(args["capacity"]),
                refill=int(args["refillPerSecond"]),
                removed=False,
                configured=int(event.timestamp or 0),
            )
        elif event.name == "MinterRemoved":
            self._minter(args["minter"]).update(removed=True, configured=int(event.timestamp or 0))
        elif event.name == "SupplyCapChanged":
            self.cap = int(args["cap"])

    def _minter(self, address: str) -> dict[str, Any]:
        if address not in self.minters:
            self.minters[address] = {
                "issued": 0,
                "redeemed": 0,
                "allowance": None,
                "capacity": 0,
                "refill": 0,
                "removed": False,
                "configured": None,
            }
        return self.minters[address]

    def _point(self, when: int) -> None:
        """A point of the supply chart: every `stride`-th change, the stride doubling to stay bounded."""
        self.seen_changes += 1
        if (self.seen_changes - 1) % self.stride:
            if self.points:
                self.points[-1] = (when, self.supply)  # the newest value always shows
            return
        self.points.append((when, self.supply))
        if len(self.points) > 2 * CHART_POINTS:
            self.points = self.points[::2]
            self.stride *= 2

    def chart_points(self) -> list[tuple[int, int]]:
        if not self.points:
            return [(self.as_of, 0)]
        return [*self.points, (max(self.as_of, self.points[-1][0]), self.supply)]

    # -- powers --

    def _powers(self, event: EventLog, role_changes: _Table) -> None:
        args, now = event.args, int(event.timestamp or 0)
        if event.name in ("RoleGranted", "RoleRevoked"):
            role = role_name(bytes.fromhex(args["role"][2:]))
            held = self.holders.setdefault(role, {})
            granted = event.name == "RoleGranted"
            if granted:
                held.setdefault(args["account"], (now, event.block))
            else:
                held.pop(args["account"], None)
            row = {
                "block": event.block,
                "time": _iso(now),
                "tx_hash": event.tx_hash,
                "role": role,
                "change": "granted" if granted else "revoked",
                "account": args["account"],
                "actor": args["sender"],
            }
            role_changes.write(row)
            self.role_history.append({**row, "when": _when(now)})
            accepted = self.pending_admin is not None and self.pending_admin[0] == args["account"]
            if granted and role == "DEFAULT_ADMIN_ROLE" and accepted:
                self.pending_admin = None
        elif event.name == "DefaultAdminTransferScheduled":
            self.pending_admin = (args["newAdmin"], int(args["acceptSchedule"]))
        elif event.name == "DefaultAdminTransferCanceled":
            self.pending_admin = None
        elif event.name == "DefaultAdminDelayChangeScheduled":
            self._settle_admin(now)
            self.pending_delay = (int(args["newDelay"]), int(args["effectSchedule"]))
        elif event.name == "DefaultAdminDelayChangeCanceled":
            self._settle_admin(now)
            self.pending_delay = None
        elif event.name == "Upgraded":
            self.implementation = str(args["implementation"])

    def _settle_admin(self, now: int) -> None:
        """A scheduled change of the admin's delay takes effect by itself once its time has come."""
        if self.pending_delay is not None and 0 < self.pending_delay[1] <= now:
            self.admin_delay = self.pending_delay[0]
            self.pending_delay = None

    # -- policy --

    def _policy(self, event: EventLog) -> None:
        args = event.args
        if event.name == "TierLimitsSet":
            self.tier_limits[int(args["tier"])] = (int(args["maxBalance"]), int(args["dailyOutflow"]))
        elif event.name == "TierSet":
            old, new = int(args["oldTier"]), int(args["newTier"])
            if old != 0:
                self.tier_accounts[old] = self.tier_accounts.get(old, 0) - 1
            if new != 0:
                self.tier_accounts[new] = self.tier_accounts.get(new, 0) + 1

    # -- interventions --

    def _interventions(self, audited: Sequence[EventLog], outcomes: _Outcomes, table: _Table) -> None:
        entries = self.reader.audit_of(audited)
        # audit_of lists a seizure's release of its hold as part of the Seized, and reads reasons from
        # ReasonCited: the other events match its entries one to one.
        listed = [
            e
            for e in audited
            if e.name != "ReasonCited"
            and not (e.name == "HoldReleased" and e.args["actor"] == self.seizure_controller)
        ]
        for event, entry in zip(listed, entries, strict=True):
            kind = KIND_OF.get(event.name, "money")
            status = ""
            if event.name in ("Frozen", "HoldPlaced"):
                status = outcomes.status(event.block, event.log_index)
            amount = self._amount(event)
            reason = entry.reason or ""
            text = reference_text(reason) if reason else ""
            row = {
                "block": event.block,
                "log_index": event.log_index,
                "time": _iso(event.timestamp or 0),
                "tx_hash": event.tx_hash,
                "event": event.name,
                "kind": kind,
                "actor": entry.actor,
                "actor_power": self._power(event, entry.actor),
                "account": entry.account,
                "amount_kzt": "" if amount is None else _kzt(amount),
                "reason": reason,
                "reason_text": "" if text == reason else text,
                "status": status,
                "details": entry.details,
            }
            table.write(row)
            self.total += 1
            self.counts[event.name] = self.counts.get(event.name, 0) + 1
            month = datetime.fromtimestamp(event.timestamp or 0, UTC).strftime("%Y-%m")
            per_kind = self.months.setdefault(month, {})
            per_kind[kind] = per_kind.get(kind, 0) + 1
            shown = {**row, "when": _when(event.timestamp or 0), "amount": amount}
            self.newest.append(shown)
            if kind == "upgrade":
                self.upgrade_steps.append(shown)

    def _amount(self, event: EventLog) -> int | None:
        args = event.args
        if event.name in ("HoldPlaced", "HoldReleased", "Seized", "SeizureProposed"):
            return int(args["amount"])
        if event.name in ("SeizureApproved", "SeizureExecuted", "SeizureCancelled"):
            return int(self.reader.seizure_record(int(args["id"]), fresh=False)[3])
        if event.name == "MinterConfigured":
            return int(args["allowance"])
        if event.name == "SupplyCapChanged" and int(args["cap"]) != UINT256_MAX:
            return int(args["cap"])
        return None

    def _power(self, event: EventLog, actor: str) -> str:
        if event.name == "RoleRevoked" and event.args["account"] == actor:
            return "the holder itself (renounced)"
        if event.name == "MinterRemoved" and event.args["minter"] == actor:
            return "the minter itself (renounced)"
        return POWER.get(event.name, "")

    # -- what is written after the pass --

    def write_tables(self, folder: Path) -> None:
        with _Table(
            folder,
            "minters",
            (
                "minter",
                "issued_kzt",
                "redeemed_kzt",
                "configured_allowance_kzt",
                "capacity_kzt",
                "refill_kzt_per_second",
                "removed",
            ),
        ) as minters:
            for address, m in self.minters.items():
                minters.write(
                    {
                        "minter": address,
                        "issued_kzt": _kzt(m["issued"]),
                        "redeemed_kzt": _kzt(m["redeemed"]),
                        "configured_allowance_kzt": "" if m["allowance"] is None else _kzt(m["allowance"]),
                        "capacity_kzt": _kzt(m["capacity"]),
                        "refill_kzt_per_second": _kzt(m["refill"]),
                        "removed": bool(m["removed"]),
                    }
                )
        with _Table(folder, "roles", ("role", "account", "since", "since_block")) as roles:
            for role, account, since, block in self._holders():
                roles.write({"role": role, "account": account, "since": _iso(since), "since_block": block})
        with _Table(folder, "tiers", ("tier", "max_balance_kzt", "daily_outflow_kzt", "accounts")) as tiers:
            for tier, limits, accounts in self._tiers():
                tiers.write(
                    {
                        "tier": tier,
                        "max_balance_kzt": "" if limits is None else _limit(limits[0]),
                        "daily_outflow_kzt": "" if limits is None else _limit(limits[1]),
                        "accounts": "others" if tier == 0 else accounts,
                    }
                )
        with _Table(folder, "counts", ("event", "kind", "count")) as counts:
            for name, count in self._counts():
                counts.write({"event": name, "kind": KIND_OF.get(name, "money"), "count": count})
        with _Table(folder, "months", ("month", *KINDS)) as months:
            for month in sorted(self.months):
                months.write({"month": month, **{k: self.months[month].get(k, 0) for k in KINDS}})
        supply = {
            "supply_kzt": _kzt(self.supply),
            "supply_cap_kzt": None if self.cap is None or self.cap == UINT256_MAX else _kzt(self.cap),
            "as_of": _iso(self.as_of),
        }
        (folder / "summary.json").write_text(json.dumps(supply, indent=2) + "\n", encoding="utf-8")

    def _holders(self) -> list[tuple[str, str, int, int]]:
        order = {name: number for number, name in enumerate(ALL_ROLE_NAMES)}
        found = []
        for role in sorted(self.holders, key=lambda r: (order.get(r, len(order)), r)):
            for account, (since, block) in self.holders[role].items():
                found.append((role, account, since, block))
        return found

    def _tiers(self) -> list[tuple[int, tuple[int, int] | None, int]]:
        tiers = sorted({0, *self.tier_limits, *(t for t, n in self.tier_accounts.items() if n)})
        return [(t, self.tier_limits.get(t), self.tier_accounts.get(t, 0)) for t in tiers]

    def _counts(self) -> list[tuple[str, int]]:
        order = {name: number for number, name in enumerate(INTERVENTION_EVENTS)}
        return sorted(self.counts.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))

    def months_svg(self, labels: dict[str, str]) -> str:
        months = sorted(self.months)
        used = [k for k in KINDS if any(self.months[m].get(k) for m in months)]
        series = [(labels[f"kind_{k}"], [self.months[m].get(k, 0) for m in months]) for k in used]
        return charts.months_chart(months, series, labels["months_chart"])

    def page(self, t: dict[str, str]) -> dict[str, Any]:
        """What a page shows, in its language's words."""
        kinds: dict[str, int] = {}
        for name, count in self.counts.items():
            kinds[KIND_OF.get(name, "money")] = kinds.get(KIND_OF.get(name, "money"), 0) + count
        admins = self.holders.get("DEFAULT_ADMIN_ROLE", {})
        roles = []
        holders = self._holders()
        held = {role for role, *_ in holders}
        for role, account, since, block in holders:
            roles.append({"role": role, "account": account, "since": _when(since), "block": block})
        for role in ALL_ROLE_NAMES:
            if role not in held and role != "MINTER_ROLE":
                roles.append({"role": role, "account": None, "since": "", "block": ""})
        delay = duration_text(self.admin_delay)
        if self.pending_delay is not None:
            delay += (
                f" ({t['pending']}: {duration_text(self.pending_delay[0])}, {_when(self.pending_delay[1])})"
            )
        return {
            "supply_now": format_kzt(self.supply),
            "supply_cap": (
                t["not_set"]
                if self.cap is None
                else t["no_cap"]
                if self.cap == UINT256_MAX
                else format_kzt(self.cap)
            ),
            "minters": [
                {
                    "address": address,
                    "issued": format_kzt(m["issued"]),
                    "redeemed": format_kzt(m["redeemed"]),
                    "allowance": (
                        t["removed"]
                        if m["removed"]
                        else ""
                        if m["allowance"] is None
                        else format_kzt(m["allowance"])
                    ),
                    "refill": (
                        f"{format_kzt(m['refill'])} {t['per_second']} {format_kzt(m['capacity'])}"
                        if m["refill"] and not m["removed"]
                        else t["none"]
                    ),
                }
                for address, m in self.minters.items()
            ],
            "counts": [
                (name, count, t[f"kind_{KIND_OF.get(name, 'money')}"]) for name, count in self._counts()
            ],
            "kind_totals": [kinds.get(k, 0) for k in KINDS],
            "total": self.total,
            "months": [
                (m, [self.months[m].get(k, 0) for k in KINDS], sum(self.months[m].values()))
                for m in sorted(self.months)
            ],
            "kind_labels": [t[f"kind_{k}"] for k in KINDS],
            "rows": [
                {**row, "amount": "" if row["amount"] is None else format_kzt(row["amount"])}
                for row in reversed(self.newest)
            ],
            "shown": len(self.newest),
            "roles": roles,
            "role_history": list(reversed(self.role_history)),
            "admin": ", ".join(admins) or t["nobody"],
            "admin_delay": delay,
            "pending_admin": (
                None
                if self.pending_admin is None
                else f"{self.pending_admin[0]} ({_when(self.pending_admin[1])})"
            ),
            "implementation": self.implementation,
            "upgrades": list(reversed(self.upgrade_steps)),
            "tiers": [
                {
                    "tier": tier,
                    "max_balance": "" if limits is None else _limit_label(limits[0], t),
                    "daily_outflow": "" if limits is None else _limit_label(limits[1], t),
                    "accounts": t["others"] if tier == 0 else accounts,
                }
                for tier, limits, accounts in self._tiers()
            ],
        }


# --- writing ------------------------------------------------------------------------------------------


class _Table:
    """One table of the open data, written row by row as CSV (`name.csv`) and as a JSON list
    (`name.json`), so that no table is ever held whole in memory."""

    def __init__(self, folder: Path, name: str, columns: Sequence[str]) -> None:
        self.columns = tuple(columns)
        self._csv_file: IO[str] = (folder / f"{name}.csv").open("w", encoding="utf-8", newline="")
        self._json_file: IO[str] = (folder / f"{name}.json").open("w", encoding="utf-8", newline="\n")
        self._csv = csv.writer(self._csv_file, lineterminator="\n")
        self._csv.writerow(self.columns)
        self._json_file.write("[")
        self.rows = 0

    def write(self, row: dict[str, Any]) -> None:
        self._csv.writerow([_cell(row[c]) for c in self.columns])
        ordered = {c: row[c] for c in self.columns}
        self._json_file.write(("\n" if self.rows == 0 else ",\n") + json.dumps(ordered, ensure_ascii=False))
        self.rows += 1

    def __enter__(self) -> _Table:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._json_file.write("\n]\n" if self.rows else "]\n")
        self._csv_file.close()
        self._json_file.close()


def _transactions(events: Iterable[EventLog]) -> Iterator[list[EventLog]]:
    """The events, in chain order, a transaction at a time."""
    group: list[EventLog] = []
    for event in events:
        if group and event.tx_hash != group[-1].tx_hash:
            yield group
            group = []
        group.append(event)
    if group:
        yield group


def _block_time(index: EventIndex, number: int) -> int:
    found = index.block_time(number)
    if found is None:
        raise InvalidInput(f"index {index.url} does not know its checkpoint block {number}: index it again")
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for chunk in iter(lambda: data.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_cell(value)


def _kzt(tiyn: int) -> str:
    """KZT for machines: plain digits, two decimals (`1234.56`)."""
    sign = "-" if tiyn < 0 else ""
    whole, cents = divmod(abs(tiyn), 100)
    return f"{sign}{whole}.{cents:02d}"


def _limit(tiyn: int) -> str:
    return "unlimited" if tiyn == UINT256_MAX else _kzt(tiyn)


def _limit_label(tiyn: int, t: dict[str, str]) -> str:
    return t["unlimited"] if tiyn == UINT256_MAX else format_kzt(tiyn)


def _when(unix: int) -> str:
    """A time for people: `2026-12-08 14:03 UTC`."""
    return datetime.fromtimestamp(unix, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _iso(unix: int) -> str:
    return datetime.fromtimestamp(unix, UTC).isoformat(timespec="seconds")


__all__ = ["REPORT_SCHEMA_VERSION", "ReportManifest", "build_report"]
