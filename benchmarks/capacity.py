"""Payout throughput against the chain's capacity (issue 13): `tenge payout` processes on an Anvil with
interval mining (`anvil --block-time`), rows/s beside what the chain can hold.

    capacity (rows/s) = block gas limit / gas per row in a batch / block time

Each run is a fresh chain (the token deployed, payers in tier 3 and funded), fresh payees (every row is a
first transfer to a new holder, the dearest kind), one `tenge payout` process per payer started at once,
timed from the first start to the last exit (process start-up, validation, the chain check, the views'
preflight, sending and receipts all included). Each payer's balance is checked to have fallen by exactly
its rows. The pre-signed ceiling (benchmarks.throughput.ceiling: one transfer a transaction, signed before
the clock starts) runs on the same chain settings. Memory: the peak resident size of `tenge payout
--check` (file streamed into the journal, chain asked, views checked, nothing sent) for large files.

    python -m benchmarks.capacity                  # BENCH_CAPACITY_ROWS=1000,10000 BENCH_MEMORY_ROWS=...
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks import dev_key, throughput
from tenge import Tenge, Tiyn, write_record

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PAYERS = (13, 14, 15, 16)
ROW_TIYN = throughput.ROW_TIYN
CHAINS = {"1 s blocks, 30M gas": (30_000_000, 1.0), "BNB Chain, 35M gas, 0.75 s": (35_000_000, 0.75)}
ROWS = tuple(int(n) for n in os.environ.get("BENCH_CAPACITY_ROWS", "1000,10000").split(","))
MEMORY_ROWS = tuple(
    int(n) for n in os.environ.get("BENCH_MEMORY_ROWS", "10000,100000,1000000").split(",") if n
)
CEILING_ROWS = tuple(int(n) for n in os.environ.get("BENCH_CEILING_ROWS", "1000,5000").split(",") if n)


@dataclass(frozen=True)
class CapacityRun:
    chain: str
    rows: int
    payers: int
    seconds: float
    gas_per_row: int
    gas_limit: int
    block_time: float
    batches: int

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds

    @property
    def capacity(self) -> float:
        return self.gas_limit / self.gas_per_row / self.block_time

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {
            "rows_per_s": round(self.rows_per_second, 1),
            "capacity_rows_per_s": round(self.capacity, 1),
            "share_of_capacity": round(self.rows_per_second / self.capacity, 3),
            "ms_per_row": round(1000 * self.seconds / self.rows, 3),
        }


def funded(url: str, payers: tuple[int, ...]) -> tuple[Tenge, Path]:
    """The token deployed and each payer in tier 3 with funds; the admin's client and a record file."""
    payer0 = throughput.deploy(url)
    admin = payer0.with_signer(dev_key(throughput.ADMIN_INDEX))
    admin.configure_minter(
        admin.signer or "", Tiyn(throughput.FUNDING * len(payers)), reason="Benchmark issuance"
    ).wait()
    for index in payers:
        if index != throughput.PAYER_INDEX:
            admin.set_tier(dev_key(index).address, 3, "bench: payer is an institution").wait()
            admin.mint(dev_key(index).address, tiyn=throughput.FUNDING).wait()
    record = write_record(admin.record, Path(tempfile.mkdtemp(prefix="tenge-bench-")))
    return admin, record


def pay(
    url: str, rows: int, payers: tuple[int, ...], label: str, gas_limit: int, block_time: float, name: str
) -> CapacityRun:
    admin, record = funded(url, payers)
    share = rows // len(payers)
    with tempfile.TemporaryDirectory() as work:
        files = []
        for index in payers:
            path = Path(work) / f"payer-{index}.csv"
            payees = throughput.payees(f"{label} payer {index}", share)
            path.write_text("address,amount\n" + "".join(f"{a},1.00\n" for a in payees))
            files.append((index, path))
        before = {index: admin.balance_of_tiyn(dev_key(index).address) for index in payers}
        start = time.perf_counter()
        processes = [
            subprocess.Popen(
                tenge_command(url, record, "payout", str(path)),
                env=signing_as(index),
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            for index, path in files
        ]
        outputs = [process.communicate(timeout=3600)[0] for process in processes]
        seconds = time.perf_counter() - start
    summaries = []
    for process, output in zip(processes, outputs, strict=True):
        if process.returncode != 0:
            raise RuntimeError(f"payout exited {process.returncode}: {output[-2000:]}")
        summaries.append(json.loads(output))
    for index in payers:
        spent = before[index] - admin.balance_of_tiyn(dev_key(index).address)
        if spent != share * ROW_TIYN:
            raise RuntimeError(f"payer {index} spent {spent} tiyn for {share} rows of {ROW_TIYN}")
    gas = sum(s["gas_used"] for s in summaries)
    return CapacityRun(
        name,
        share * len(payers),
        len(payers),
        seconds,
        round(gas / (share * len(payers))),
        gas_limit,
        block_time,
        sum(s["batches"] for s in summaries),
    )


def tenge_command(url: str, record: Path, *args: str) -> list[str]:
    """`tenge --json ARGS` against the bench's chain and record, by this Python."""
    return [sys.executable, "-m", "tenge", "--rpc", url, "--deployment", str(record), "--json", *args]


def signing_as(index: int) -> dict[str, str]:
    return {**os.environ, "TENGE_PRIVATE_KEY": "0x" + bytes(dev_key(index).key).hex()}


def single_transfer_gas(url: str) -> int:
    """A transferWithReference to a new holder, alone in its transaction."""
    admin, _ = funded(url, (throughput.PAYER_INDEX,))
    payer = admin.with_signer(dev_key(throughput.PAYER_INDEX))
    receipt = payer.transfer(throughput.payees("single", 1)[0], tiyn=ROW_TIYN, reference="single").wait()
    return receipt.gas_used


def ceiling(url: str, rows: int) -> float:
    payer = throughput.deploy(url)
    return throughput.ceiling(payer, rows, f"ceiling {rows}").rows_per_second


def memory(url: str, rows: int) -> dict[str, Any]:
    """Peak memory of `tenge payout --check` on a file of `rows` rows (nothing is sent)."""
    _, record = funded(url, (throughput.PAYER_INDEX,))
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "big.csv"
        with path.open("w") as out:
            out.write("address,amount,reference\n")
            for i, address in enumerate(throughput.payees(f"memory {rows}", rows)):
                out.write(f"{address},1.00,row {i}\n")
        size = path.stat().st_size
        start = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-v", *tenge_command(url, record, "payout", str(path), "--check")],
            env=signing_as(throughput.PAYER_INDEX),
            capture_output=True,
            text=True,
            timeout=7200,
        )
        seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"payout --check exited {done.returncode}: {done.stderr[-2000:]}")
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))  # type: ignore[union-attr]
    progress = [line for line in done.stderr.splitlines() if line.startswith("payout: ")]
    return {
        "rows": rows,
        "file_mb": round(size / 2**20, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "seconds": round(seconds, 1),
        "progress_lines": len(progress),
        "pending": json.loads(done.stdout)["unfinished"],
    }


def measure() -> dict[str, Any]:
    """Every run of the module doc; the results as `capacity.json` holds them."""
    results: dict[str, Any] = {"runs": [], "ceiling": [], "memory": []}
    started = time.perf_counter()
    with throughput.local_chain(None) as url:
        results["single_transfer_gas"] = single_transfer_gas(url)
    print(f"single transferWithReference to a new holder: {results['single_transfer_gas']} gas", flush=True)
    for name, (gas_limit, block_time) in CHAINS.items():
        for rows in ROWS:
            for payers in (PAYERS[:1], PAYERS):
                # Interval mining from the start (Anvil's evm_setIntervalMining takes whole seconds only).
                with throughput.local_chain(block_time, gas_limit=gas_limit) as url:
                    run = pay(url, rows, payers, f"{name} {rows} {len(payers)}", gas_limit, block_time, name)
                results["runs"].append(run.to_dict())
                print(json.dumps(run.to_dict()), flush=True)
    for rows in CEILING_ROWS:
        with throughput.local_chain(1.0) as url:
            per_second = ceiling(url, rows)
        results["ceiling"].append({"rows": rows, "rows_per_s": round(per_second, 1), "block_time": 1.0})
        print(json.dumps(results["ceiling"][-1]), flush=True)
    for rows in MEMORY_ROWS:
        with throughput.local_chain(None) as url:
            results["memory"].append(memory(url, rows))
        print(json.dumps(results["memory"][-1]), flush=True)
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["load_average_end"] = round(os.getloadavg()[0], 2)
    return results


def main() -> None:
    results = measure()
    (HERE / "capacity.json").write_text(json.dumps(results, indent=1) + "\n")
    print(markdown(results))


def markdown(results: dict[str, Any]) -> str:
    lines = [
        "| chain | rows | payers | rows/s | capacity rows/s | share | gas a row (batch) | batches |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results["runs"]:
        lines.append(
            f"| {r['chain']} | {r['rows']:,} | {r['payers']} | {r['rows_per_s']:.0f} "
            f"| {r['capacity_rows_per_s']:.0f} | {r['share_of_capacity']:.2f}x | {r['gas_per_row']:,} "
            f"| {r['batches']} |"
        )
    single = results["single_transfer_gas"]
    lines += ["", f"A transferWithReference to a new holder alone in its transaction: {single:,} gas."]
    for c in results["ceiling"]:
        lines.append(
            f"Pre-signed ceiling, one transfer a transaction, 1 s blocks, N = {c['rows']:,}: "
            f"{c['rows_per_s']:.0f} rows/s."
        )
    if results["memory"]:
        lines += [
            "",
            "| rows (`--check`) | file MB | peak RSS MB | seconds | progress lines |",
            "| ---: | ---: | ---: | ---: | ---: |",
        ]
        for m in results["memory"]:
            cells = (f"{m['rows']:,}", m["file_mb"], m["peak_rss_mb"], m["seconds"], m["progress_lines"])
            lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
