"""`make bench`: gas per operation and payout throughput in one run; writes results.json, RESULTS.md,
gas.png and gas-snapshot.json beside this file.

    make bench
    BENCH_ROWS=100,1000 make bench  # a shorter run

Gas is measured on the chain brownie is connected to. Throughput on two Anvils that the bench starts
on ports in 8700-8709 and stops: one mining each transaction as it arrives (automine), one mining a
block every second (BNB Chain mines one every 0.75-3 s).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

from benchmarks import capacity, gas, indexing, report, throughput
from tenge import Tenge

HERE = Path(__file__).resolve().parent
ROWS = tuple(int(n) for n in os.environ.get("BENCH_ROWS", "100,1000,5000").split(","))
BLOCK_TIME = 1
NAIVE_LIMIT = 20.0  # seconds: the naive way stops there and counts the rows it paid (keeps the run short)
NAIVE_INTERVAL_ROWS = 100  # with interval mining it pays one row a block: N=100 only


def main() -> None:
    started = time.perf_counter()
    results: dict[str, Any] = {"meta": meta()}
    print("gas per operation ...")
    table, cold = gas.measure()
    results["gas"] = {
        "table": table,
        "cold_sloads": cold,
        "states": {op.name: op.state for op in gas.OPS},
        "labels": gas.LABELS,
        "runtime_size": gas.runtime_sizes(),
    }
    gas.write_snapshot(table)
    print("throughput, automine ...")
    results["throughput"] = {"automine": payouts(None)}
    print(f"throughput, a block every {BLOCK_TIME} s ...")
    results["throughput"]["interval"] = payouts(BLOCK_TIME, naive_rows=NAIVE_INTERVAL_ROWS)
    print("payout capacity (issue 13) ...")
    results["capacity"] = capacity.measure()
    print("event index and transparency report (issue 15) ...")
    results["indexing"] = indexing.measure()
    results["meta"]["bench_seconds"] = round(time.perf_counter() - started, 1)
    results["meta"]["load_average_end"] = round(os.getloadavg()[0], 2)
    (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    (HERE / "RESULTS.md").write_text(report.markdown(results))
    report.chart(results, HERE / "gas.png")
    print(report.markdown(results))


def snapshot() -> None:
    """`make gas-snapshot`: the gas table only, written to gas-snapshot.json (seconds, not minutes)."""
    table, _cold = gas.measure()
    gas.write_snapshot(table)
    print(json.dumps(gas.snapshot_of(table), indent=1))


def payouts(block_time: int | None, naive_rows: int | None = None) -> dict[str, Any]:
    """Each N three ways (naive at `naive_rows` only, if given), each run on a fresh chain: Anvil slows
    down as its chain grows, which would tax whichever way runs last."""
    mode = "auto" if block_time is None else "interval"
    ceiling_window = throughput.AUTOMINE_CEILING_WINDOW if block_time is None else throughput.CEILING_WINDOW
    ways: list[tuple[str, Callable[[Tenge, int, str], throughput.Run]]] = [("toolkit", throughput.toolkit)]
    ways.append(("naive", partial(throughput.naive, time_limit=NAIVE_LIMIT)))
    ways.append(("ceiling", partial(throughput.ceiling, window=ceiling_window)))
    runs = []
    for n in ROWS:
        for way, measure in ways:
            if way == "naive" and naive_rows not in (None, n):
                continue
            with throughput.local_chain(block_time) as url:
                runs.append(measure(throughput.deploy(url), n, f"{way} {mode} {n}"))
        print(
            "  " + "  ".join(f"{r.way} {r.rows}: {r.rows_per_second:.0f}/s" for r in runs if r.requested == n)
        )
    return {
        "runs": [r.to_dict() for r in runs],
        "naive_skipped_rows": [] if naive_rows is None else [n for n in ROWS if n != naive_rows],
        "naive_time_limit_s": NAIVE_LIMIT,
        "block_time_s": block_time,
    }


def meta() -> dict[str, Any]:
    anvil = subprocess.run(["anvil", "--version"], capture_output=True, text=True, check=False).stdout
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "system": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(),
        },
        # Other programs on the machine slow the wall times (not the gas): the 1-minute load, at start.
        "load_average_start": round(os.getloadavg()[0], 2),
        "versions": {
            "solc": "0.8.28 (solcjs), evm shanghai, optimizer 200 runs",
            "anvil": anvil.strip().splitlines()[0] if anvil else "unknown",
            "web3": version("web3"),
            "eth-brownie": version("eth-brownie"),
            "openzeppelin": _npm_version("@openzeppelin/contracts"),
            "solady": _npm_version("solady"),
        },
        "rows": list(ROWS),
        # Recorded by hand (`make test` needs the development chain) and kept from run to run.
        "make_test_seconds": _previous().get("meta", {}).get("make_test_seconds"),
    }


def _previous() -> dict[str, Any]:
    path = HERE / "results.json"
    return dict(json.loads(path.read_text())) if path.exists() else {}


def _npm_version(package: str) -> str:
    manifest = HERE.parent / "node_modules" / package / "package.json"
    return str(json.loads(manifest.read_text())["version"])
