"""The event index and the transparency report at scale (issue 15): synthetic events, 10,000 and
1,000,000, written into an index and built into a report, on a token deployed to an Anvil of its own.

- **Indexing**: events/s through `EventIndex.add` (SQLAlchemy Core, the rows `tenge index` writes, in
  pages of 5,000 events), against a baseline in the same process: the same rows into the same SQLite
  schema by the standard library's `sqlite3.executemany` in one transaction (the floor of what SQLite
  takes). The ratio is what the index's layer costs over the floor.
- **Report**: the seconds `build_report` takes over the index, and the growth of the process's peak
  resident size while it runs (bounded memory: the 1,000,000-event build must not hold its events).

    python -m benchmarks.indexing                   # BENCH_INDEX_EVENTS=10000,1000000
"""

from __future__ import annotations

import json
import os
import random
import resource
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eth_utils.address import to_checksum_address

from benchmarks import throughput
from tenge import Tenge
from tenge.events import EventLog
from tenge.index import EventIndex, event_row, events, metadata

SIZES = tuple(int(n) for n in os.environ.get("BENCH_INDEX_EVENTS", "10000,1000000").split(","))
PAGE = 5_000
START = 1_767_225_600  # 2026-01-01 00:00 UTC: a year of blocks, one every 3 s
ZERO = "0x" + "0" * 40
# The mix of a busy token's year: mostly payments, a few mints, and interventions now and then.
NAMES = ("Transfer", "Minted", "Frozen", "Unfrozen", "Blocked")
WEIGHTS = (0.95, 0.02, 0.01, 0.006, 0.004)


def synthetic(count: int, seed: int = 15) -> Iterator[EventLog]:
    """`count` events of 5,000 holders, a Transfer beside each Minted as the token emits them."""
    rng = random.Random(seed)
    holders = [to_checksum_address(f"0x{n:040x}") for n in range(1, 5_001)]
    actor, reason = holders[0], "0x" + "ab" * 32
    block = log_index = 0
    for n in range(count):
        if n % 4 == 0:
            block, log_index = block + 1, 0
        name = rng.choices(NAMES, WEIGHTS)[0]
        a, b = rng.sample(holders, 2)
        args: dict[str, Any]
        if name == "Transfer":
            args = {"from": a, "to": b, "value": rng.randrange(1, 10**8)}
        elif name == "Minted":
            args = {"minter": actor, "to": b, "amount": rng.randrange(1, 10**10)}
        elif name == "Frozen":
            args = {"account": a, "actor": actor, "reason": reason, "expiresAt": START + block * 3 + 86_400}
        else:
            args = {"account": a, "actor": actor, "reason": reason}
        yield EventLog(name, block, f"0x{n:064x}", log_index, args, START + block * 3)
        log_index += 1


def pages(count: int) -> Iterator[list[EventLog]]:
    page: list[EventLog] = []
    for event in synthetic(count):
        page.append(event)
        if len(page) == PAGE:
            yield page
            page = []
    if page:
        yield page


def index_rate(tenge: Tenge, count: int, work: Path) -> tuple[EventIndex, float]:
    index = tenge.open_index(f"sqlite:///{work / f'index-{count}.sqlite'}")
    started = time.perf_counter()
    for page in pages(count):
        last = page[-1]
        index.add(page, (last.block, f"0x{last.block:064x}", last.timestamp or 0), {})
    return index, count / (time.perf_counter() - started)


def baseline_rate(count: int, work: Path) -> float:
    """The same rows into the same schema by sqlite3 alone, in one transaction."""
    path = work / f"baseline-{count}.sqlite"
    metadata.create_all(EventIndex.open(f"sqlite:///{path}", chain_id=0, token=ZERO, start_block=0).engine)
    columns = [c.name for c in events.columns]
    sql = f"INSERT INTO events ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        started = time.perf_counter()
        for page in pages(count):
            db.executemany(sql, ([event_row(e, None)[c] for c in columns] for e in page))
        db.commit()
        return count / (time.perf_counter() - started)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(tenge: Tenge, index: EventIndex, work: Path, count: int) -> dict[str, Any]:
    from tenge.report import build_report

    before = peak_rss_mib()
    started = time.perf_counter()
    build_report(tenge, index, work / f"report-{count}")
    seconds = time.perf_counter() - started
    return {"build_s": round(seconds, 2), "peak_rss_growth_mib": round(peak_rss_mib() - before, 1)}


def measure() -> dict[str, Any]:
    results: dict[str, Any] = {"sizes": []}
    with throughput.local_chain() as url, tempfile.TemporaryDirectory() as folder:
        tenge = throughput.deploy(url)
        work = Path(folder)
        for count in SIZES:
            index, rate = index_rate(tenge, count, work)
            base = baseline_rate(count, work)
            row: dict[str, Any] = {"events": count, "index_events_per_s": round(rate)}
            row |= {"baseline_events_per_s": round(base), "ratio": round(base / rate, 2)}
            row.update(build(tenge, index, work, count))
            print(row)
            results["sizes"].append(row)
    return results


def markdown(results: dict[str, Any]) -> str:
    lines = [
        "| events | index, events/s | sqlite3 baseline, events/s | index time / baseline | report build |"
        " peak RSS growth |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["sizes"]:
        lines.append(
            f"| {row['events']:,} | {row['index_events_per_s']:,} | {row['baseline_events_per_s']:,} |"
            f" {row['ratio']:.2f}x | {row['build_s']:.1f} s | {row['peak_rss_growth_mib']:.0f} MiB |"
        )
    return "\n".join(lines)


def main() -> None:
    results = measure()
    print(json.dumps(results, indent=1))
    print(markdown(results))


if __name__ == "__main__":
    main()
