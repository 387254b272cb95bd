# ruff: noqa: RUF001 (Kazakh and Russian labels are Cyrillic)
"""The transparency report: built from the index alone, it shows what the chain holds (supply, each
minter's issuance, every intervention with its reason and status), its open data matches its manifest,
a rebuild is byte-identical, and the pages read in a browser from disk, in each language."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
import tracemalloc
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import chain_now, expiry, move_to, seize
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from PIL import Image
from servers import open_page
from sqlalchemy import create_engine, text

from tenge import Tenge
from tenge.errors import InvalidInput
from tenge.events import INTERVENTION_EVENTS, EventLog
from tenge.report import ReportManifest, build_report
from tenge.units import format_kzt
from toolkit.conftest import run_cli

Connect = Callable[..., Tenge]
REPO = Path(__file__).resolve().parents[2]
LIFT = "0x" + keccak(text="Lifted by ruling 2-1300/2026").hex()
FREEZE = "0x" + keccak(text="Court order 2-1234/2026").hex()
STILL = "0x" + keccak(text="Court order 2-1500/2026").hex()
LAPSE = "0x" + keccak(text="Prosecutor's order 77/2026").hex()
BLOCK = "0x" + keccak(text="Sanctions list entry 12").hex()
PAUSE = "0x" + keccak(text="Incident 2026-12-01").hex()
ROLE = "0x" + keccak(text="Board decision 5/2026").hex()
TIERS = "0x" + keccak(text="Regulation 42 of the National Bank").hex()
SEIZED_ORDER = "0x" + b"ORDER-7/2026".ljust(32, b"\0").hex()  # short text, shown as text
OPEN_ORDER = "0x" + b"ORDER-8/2026".ljust(32, b"\0").hex()
ZERO = "0x" + "0" * 40
GENERATED = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)


def story(token: Any, actors: dict[str, Any]) -> None:
    """Money and every kind of intervention: a freeze lifted, one that lapses, one still active; a hold
    seized (burned) and one still active; a blocklisting lifted; a pause; a role granted; tiers."""
    a = actors
    token.transfer(a["bob"], 12_345, {"from": a["alice"]})
    token.freeze(a["carol"], expiry(), FREEZE, {"from": a["freezer"]})
    token.unfreeze(a["carol"], LIFT, {"from": a["freezer"]})
    token.freeze(a["bob"], chain_now() + 3_600, LAPSE, {"from": a["freezer"]})
    move_to(chain_now() + 7_200)  # bob's freeze lapses
    token.placeHold(a["alice"], 30_000, expiry(), SEIZED_ORDER, {"from": a["freezer"]})
    seize(token, a["proposer"], a["approver"], a["alice"], ZERO, 30_000, order=SEIZED_ORDER, reason=FREEZE)
    token.placeHold(a["bob"], 2_000, expiry(), OPEN_ORDER, {"from": a["freezer"]})
    token.freeze(a["carol"], expiry(), STILL, {"from": a["freezer"]})  # still active
    token.blockAccount(a["outsider"], BLOCK, {"from": a["blocklister"]})
    token.unblockAccount(a["outsider"], LIFT, {"from": a["blocklister"]})
    token.pause(PAUSE, {"from": a["pauser"]})
    token.unpause(PAUSE, {"from": a["pauser"]})
    token.grantRole(token.PAUSER_ROLE(), a["carol"], {"from": a["admin"]})
    token.setTierLimits(2, 5_000_000, 1_000_000, TIERS, {"from": a["admin"]})
    token.setTier(a["alice"], 2, TIERS, {"from": a["kyc"]})


@pytest.fixture
def actors(
    alice: Any,
    bob: Any,
    carol: Any,
    outsider: Any,
    freezer: Any,
    blocklister: Any,
    pauser: Any,
    admin: Any,
    kyc: Any,
    proposer: Any,
    approver: Any,
    minter: Any,
) -> dict[str, Any]:
    return dict(locals())


def built(connect: Connect, token: Any, actors: dict[str, Any], tmp_path: Path) -> tuple[Tenge, Any, Path]:
    story(token, actors)
    tenge = connect()
    index = tenge.open_index(f"sqlite:///{tmp_path}/i.sqlite")
    tenge.sync_index(index)
    out = tmp_path / "site"
    manifest = build_report(tenge, index, out, generated_at=GENERATED)
    assert isinstance(manifest, ReportManifest)
    assert manifest.index_html == out / "index.html"
    return tenge, index, out


def rows(out: Path, name: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads((out / "data" / f"{name}.json").read_text())
    return found


def test_the_report_shows_what_the_chain_holds(
    connect: Connect, funded: Any, actors: dict[str, Any], tmp_path: Path
) -> None:
    tenge, index, out = built(connect, funded, actors, tmp_path)
    page = (out / "index.html").read_text()
    # Money: the supply (after a seizure burned 300 KZT) and the minter's issuance, as the chain says.
    supply = format_kzt(int(funded.totalSupply()))
    assert supply == "1 200.00 KZT"
    assert f'id="supply-now">{supply}<' in page
    assert rows(out, "minters")[0] == {
        "minter": actors["minter"].address,
        "issued_kzt": "1500.00",
        "redeemed_kzt": "0.00",
        "configured_allowance_kzt": "1000000.00",
        "capacity_kzt": "1000000.00",
        "refill_kzt_per_second": "0.00",
        "removed": False,
    }
    assert format_kzt(150_000) in page
    assert rows(out, "supply")[-1]["supply_kzt"] == "1200.00"
    assert rows(out, "supply")[-1]["change"] == "seizure burn"
    # Interventions: one row per audit entry, counted per kind as the audit counts them.
    audit = tenge.audit_from_index(index)
    listed = rows(out, "interventions")
    with (out / "data" / "interventions.csv").open(newline="") as table:
        csv_rows = list(csv.DictReader(table))
    assert len(listed) == len(csv_rows) == len(audit)
    assert [(r["event"], r["tx_hash"], r["reason"], r["details"]) for r in listed] == [
        (e.event, e.tx_hash, e.reason, e.details) for e in audit
    ]
    counts = {r["event"]: r["count"] for r in rows(out, "counts")}
    assert counts == dict(Counter(e.event for e in audit))
    # ... and as the index holds them: a seizure's release of its hold is listed as part of the Seized.
    held = Counter(e.name for e in index.events(INTERVENTION_EVENTS))
    assert held.pop("HoldReleased") == 1 and counts == dict(held)
    for event, count in counts.items():
        assert f'data-event="{event}">{count}<' in page
    # Every intervention of the story, with its reason, and the restrictions' statuses.
    a = actors

    def find(event: str, account: Any, reason: str) -> list[dict[str, Any]]:
        return [
            r for r in listed if (r["event"], r["account"], r["reason"]) == (event, account.address, reason)
        ]

    assert [r["status"] for r in find("Frozen", a["carol"], FREEZE)] == ["lifted"]
    assert [r["status"] for r in find("Frozen", a["carol"], STILL)] == ["active"]
    assert [r["status"] for r in find("Frozen", a["bob"], LAPSE)] == ["lapsed"]
    assert len(find("Unfrozen", a["carol"], LIFT)) == 1
    (seized_hold,) = find("HoldPlaced", a["alice"], SEIZED_ORDER)
    assert (seized_hold["status"], seized_hold["reason_text"], seized_hold["amount_kzt"]) == (
        "seized",
        "ORDER-7/2026",
        "300.00",
    )
    assert seized_hold["actor"] == a["freezer"].address and seized_hold["actor_power"] == "FREEZER_ROLE"
    assert [r["status"] for r in find("HoldPlaced", a["bob"], OPEN_ORDER)] == ["active"]
    (burned,) = [r for r in listed if r["event"] == "Seized"]
    assert (burned["account"], burned["amount_kzt"]) == (a["alice"].address, "300.00")
    for event in ("SeizureProposed", "SeizureApproved", "SeizureExecuted"):
        assert [r["amount_kzt"] for r in listed if r["event"] == event] == ["300.00"]
    assert len(find("Blocked", a["outsider"], BLOCK)) == len(find("Unblocked", a["outsider"], LIFT)) == 1
    assert [r["reason"] for r in listed if r["event"] in ("PausedWithReason", "UnpausedWithReason")][-2:] == [
        PAUSE,
        PAUSE,
    ]
    assert find("TierSet", a["alice"], TIERS) and any(r["event"] == "TierLimitsSet" for r in listed)
    for reason in (FREEZE, STILL, LIFT, LAPSE, BLOCK, PAUSE, TIERS):
        assert reason in page
    assert "ORDER-7/2026" in page
    (freezes, holds) = json.loads(json.dumps(_restrictions(page)))
    assert freezes and holds
    # Powers and policy.
    pausers = [r["account"] for r in rows(out, "roles") if r["role"] == "PAUSER_ROLE"]
    assert pausers == [a["pauser"].address, a["carol"].address]
    assert {"role": "PAUSER_ROLE", "change": "granted", "account": a["carol"].address} in [
        {k: r[k] for k in ("role", "change", "account")} for r in rows(out, "role_changes")
    ]
    tiers = {r["tier"]: r for r in rows(out, "tiers")}
    assert tiers[2] == {
        "tier": 2,
        "max_balance_kzt": "50000.00",
        "daily_outflow_kzt": "10000.00",
        "accounts": 1,
    }
    assert tiers[0]["accounts"] == "others"
    # The manifest: every other file with its SHA-256.
    manifest = json.loads((out / "report.json").read_text())
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert sorted(manifest["files"]) == [p for p in written if p != "report.json"]
    for path, digest in manifest["files"].items():
        assert hashlib.sha256((out / path).read_bytes()).hexdigest() == digest
    state = index.state()
    assert (manifest["chain_id"], manifest["token"]) == (tenge.chain_id, tenge.address)
    assert (manifest["from_block"], manifest["to_block"]) == (state.start_block, state.checkpoint)
    assert (manifest["name"], manifest["symbol"]) == (tenge.name(), tenge.symbol())
    assert manifest["generated_at"] == "2026-12-08T12:00:00+00:00"
    # Three pages, each linking to the others; no script, nothing fetched from elsewhere.
    for name in ("index.html", "kk.html", "ru.html"):
        html = (out / name).read_text()
        assert all(f'href="{other}"' in html for other in ("index.html", "kk.html", "ru.html"))
        assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
        assert "https://" not in html and "<?xml" not in html
    assert "Ашықтық есебі" in (out / "kk.html").read_text()
    assert "Отчёт о прозрачности" in (out / "ru.html").read_text()
    # The same index and time: the same bytes.
    again = tmp_path / "again"
    build_report(tenge, index, again, generated_at=GENERATED)
    for path in written:
        assert (again / path).read_bytes() == (out / path).read_bytes(), path


def _restrictions(page: str) -> tuple[str, str]:
    """The rows of the restrictions table (freezes, holds), as text."""
    table = page.split('id="restrictions"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    freezes, holds = body.split("</tr>")[:2]
    return freezes, holds


def test_the_report_reads_in_a_browser_from_disk(
    connect: Connect, funded: Any, actors: dict[str, Any], tmp_path: Path, chromium: Any
) -> None:
    _tenge, _index, out = built(connect, funded, actors, tmp_path)
    page, errors = open_page(chromium, out / "index.html")
    try:
        page.set_viewport_size({"width": 1200, "height": 900})
        assert page.locator("#supply-now").inner_text() == format_kzt(int(funded.totalSupply()))
        entry = page.locator('#intervention-list tbody[data-event="Unblocked"]')
        assert entry.count() == 1 and entry.locator(".reason").is_visible()
        assert LIFT in entry.locator(".reason").inner_text()
        assert "ORDER-7/2026" in page.locator("#intervention-list").inner_text()
        tables = page.locator("table")
        assert tables.count() >= 8
        for number in range(tables.count()):
            assert tables.nth(number).locator("caption").count() == 1
        assert page.locator("h1").count() == 1
        assert page.locator("h2").count() >= 5
        # The README's picture is renewed on demand (REPORT_SCREENSHOT=docs/report.png): the chain's times
        # change with every run, and a test run should leave the checkout as it found it.
        shot = Path(os.environ.get("REPORT_SCREENSHOT") or tmp_path / "report.png")
        shot = shot if shot.is_absolute() else REPO / shot
        shot.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        # A palette of 32 colours keeps the README's picture small and the text sharp.
        palette = Image.open(shot).convert("RGB").quantize(colors=32, method=Image.Quantize.MAXCOVERAGE)
        palette.save(shot, optimize=True)
        assert shot.stat().st_size < 400_000
        page.get_by_role("link", name="Қазақша").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/kk.html")
        assert page.locator("html").get_attribute("lang") == "kk"
        assert "Ашықтық есебі" in page.locator("h1").inner_text()
        assert page.get_by_role("heading", name="Ақша", exact=True).count() == 1
        assert errors == []
    finally:
        page.close()


def synthetic_index(tenge: Tenge, url: str, transactions: int) -> Any:
    """An index of `transactions` made-up transactions (a mint, then a freeze or its lifting), as a long
    history would fill one; no chain behind them but the token's name and symbol."""
    index = tenge.open_index(url)
    minter, freezer = tenge.address, to_checksum_address("0x" + "f" * 40)
    holders = [to_checksum_address(f"0x{n + 4096:040x}") for n in range(50)]
    start, base = tenge.record.block + 1, 1_796_000_000
    found: list[EventLog] = []
    for number in range(transactions):
        block, when, holder = start + number, base + 600 * number, holders[number % len(holders)]
        tx = "0x" + hashlib.sha256(number.to_bytes(8, "big")).hexdigest()
        found.append(EventLog("Transfer", block, tx, 0, {"from": ZERO, "to": holder, "value": 100}, when))
        found.append(EventLog("Minted", block, tx, 1, {"minter": minter, "to": holder, "amount": 100}, when))
        frozen = (number // len(holders)) % 2 == 0
        args: dict[str, Any] = {"account": holder, "actor": freezer, "reason": FREEZE if frozen else LIFT}
        if frozen:
            args["expiresAt"] = when + 86_400
        found.append(EventLog("Frozen" if frozen else "Unfrozen", block, tx, 2, args, when))
        if len(found) >= 6_000:
            index.add(found, (block, "0x" + "ab" * 32, when), {})
            found = []
    last = start + transactions - 1
    index.add(found, (last, "0x" + "ab" * 32, base + 600 * (transactions - 1)), {})
    return index


def test_a_long_history_is_reported_in_bounded_memory(connect: Connect, token: Any, tmp_path: Path) -> None:
    tenge = connect()
    peaks = {}
    for transactions in (4_000, 16_000):
        index = synthetic_index(tenge, f"sqlite:///{tmp_path}/{transactions}.sqlite", transactions)
        out = tmp_path / str(transactions)
        tracemalloc.start()
        try:
            build_report(tenge, index, out, generated_at=GENERATED)
            peaks[transactions] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        with (out / "data" / "interventions.csv").open(newline="") as table:
            assert sum(1 for _ in csv.DictReader(table)) == transactions
        assert len(rows(out, "interventions")) == transactions
        page = (out / "index.html").read_text()
        assert page.count('<tbody class="entry"') == 1_000
        assert f"the newest 1000 of {transactions} interventions" in page
        assert f'id="supply-now">{format_kzt(100 * transactions)}<' in page
    # Four times the history, about the same memory: nothing grows with the number of events.
    assert peaks[16_000] < 1.5 * peaks[4_000], peaks


def test_without_matplotlib_or_before_indexing_nothing_is_written(
    connect: Connect, token: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenge = connect()
    index = tenge.open_index(f"sqlite:///{tmp_path}/i.sqlite")
    with pytest.raises(InvalidInput, match="index"):
        build_report(tenge, index, tmp_path / "empty")
    tenge.sync_index(index)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as where the extra is not installed
    with pytest.raises(InvalidInput, match=r"pip install 'tenge\[report\]'"):
        build_report(tenge, index, tmp_path / "site")
    assert not (tmp_path / "empty").exists() and not (tmp_path / "site").exists()


def test_each_restriction_ends_as_its_events_say(connect: Connect, token: Any, tmp_path: Path) -> None:
    """Released by the freezer, replaced by a newer freeze, lifted only after it had lapsed anyway, and
    lapsed by the report's time: read from made-up events (the chain refuses some of these orders)."""
    tenge = connect()
    index = tenge.open_index(f"sqlite:///{tmp_path}/i.sqlite")
    freezer, seizures = to_checksum_address("0x" + "f" * 40), str(tenge.seizures.address)
    one, two, three = (to_checksum_address(f"0x{n:040x}") for n in (4097, 4098, 4099))
    base, block = 1_796_000_000, tenge.record.block + 1
    order = "0x" + b"ORDER-9".ljust(32, b"\0").hex()

    def at(step: int, name: str, **args: Any) -> EventLog:
        tx = "0x" + hashlib.sha256(step.to_bytes(8, "big")).hexdigest()
        return EventLog(name, block + step, tx, 0, args, base + 100 * step)

    hold = {"account": one, "order": order, "actor": freezer}
    found = [
        at(0, "HoldPlaced", **hold, amount=500, expiresAt=base + 10_000),
        at(1, "HoldReleased", **hold, amount=200, remaining=300, reason=LIFT),
        at(2, "HoldReleased", **hold, amount=300, remaining=0, reason=LIFT),  # released after 200 s
        at(3, "Frozen", account=two, actor=freezer, reason=FREEZE, expiresAt=base + 10_000),
        at(4, "Frozen", account=two, actor=freezer, reason=STILL, expiresAt=base + 20_000),
        at(5, "Frozen", account=three, actor=freezer, reason=LAPSE, expiresAt=base + 550),
        at(6, "Unfrozen", account=three, actor=freezer, reason=LIFT),  # at base + 600: it had lapsed
        at(7, "HoldPlaced", **{**hold, "account": three}, amount=100, expiresAt=base + 800),
        at(8, "HoldPlaced", **{**hold, "account": two}, amount=100, expiresAt=base + 90_000),
        at(
            9,
            "HoldReleased",
            **{**hold, "account": two, "actor": seizures},
            amount=40,
            remaining=60,
            reason=LIFT,
        ),
    ]
    index.add(found, (block + 20, "0x" + "ab" * 32, base + 5_000), {})
    build_report(tenge, index, tmp_path / "site", generated_at=GENERATED)
    listed = rows(tmp_path / "site", "interventions")
    statuses = [
        (r["event"], r["account"], r["status"]) for r in listed if r["event"] in ("Frozen", "HoldPlaced")
    ]
    assert statuses == [
        ("HoldPlaced", one, "released"),
        ("Frozen", two, "replaced"),
        ("Frozen", two, "active"),
        ("Frozen", three, "lapsed"),
        ("HoldPlaced", three, "lapsed"),  # its expiry passed before the report's time
        ("HoldPlaced", two, "active"),  # partly seized, the rest still held
    ]
    page = (tmp_path / "site" / "index.html").read_text()
    freezes, holds = _restrictions(page)
    # Freezes: replaced after 100 s, lapsed after 50 s; holds: released after 200 s, lapsed after 100 s.
    assert "<td>1 minute 15 seconds</td><td>1 minute 40 seconds</td>" in freezes
    assert "<td>2 minutes 30 seconds</td><td>3 minutes 20 seconds</td>" in holds


def test_a_report_from_postgresql_is_the_report_from_sqlite(
    connect: Connect, funded: Any, actors: dict[str, Any], tmp_path: Path, postgres_url: str
) -> None:
    """The same chain indexed into PostgreSQL (a real server) builds a report identical to the byte."""
    tenge, _index, out = built(connect, funded, actors, tmp_path)
    database = f"report_{os.getpid()}_{abs(hash(tmp_path)) % 10**6}"
    with create_engine(postgres_url, isolation_level="AUTOCOMMIT").connect() as db:
        db.execute(text(f"CREATE DATABASE {database}"))
    mirror = tenge.open_index(postgres_url.rsplit("/", 1)[0] + "/" + database)
    tenge.sync_index(mirror)
    again = build_report(connect(), mirror, tmp_path / "from-postgresql", generated_at=GENERATED)
    ours, theirs = files_of(out), files_of(again.index_html.parent)
    assert ours.keys() == theirs.keys() and len(ours) > 10
    assert [name for name in ours if ours[name] != theirs[name]] == []


def files_of(folder: Path) -> dict[Path, bytes]:
    return {path.relative_to(folder): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_the_command_line_indexes_then_writes_the_report(
    connect: Connect, funded: Any, actors: dict[str, Any], tmp_path: Path, cli_env: Callable[..., list[str]]
) -> None:
    story(funded, actors)
    url, out = f"sqlite:///{tmp_path / 'cli.sqlite'}", tmp_path / "site"
    done = run_cli(["--json", *cli_env("report", "--out", str(out), "--db", url)])
    assert done.exit_code == 0, done.output
    manifest = json.loads(done.stdout)
    assert manifest["to_block"] == connect().events.head()
    assert manifest["files"]["index.html"] == hashlib.sha256((out / "index.html").read_bytes()).hexdigest()
    assert json.loads((out / "report.json").read_text()) == manifest
    # From the index as it is, without the chain's newer blocks: the same report.
    funded.transfer(actors["bob"], 1, {"from": actors["alice"]})
    again = run_cli(
        ["--json", *cli_env("report", "--out", str(tmp_path / "again"), "--db", url, "--no-sync")]
    )
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["to_block"] == manifest["to_block"]
    before = run_cli(
        cli_env("report", "--out", str(tmp_path / "none"), "--db", f"sqlite:///{tmp_path}/e.sq", "--no-sync")
    )
    assert before.exit_code == 2
    assert "no event index at" in before.output
