"""RESULTS.md and gas.png from the results of one bench run (a dict as results.json holds it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks import capacity, indexing
from benchmarks.gas import BARE, EARMARK_OPS, INTERVENTIONS, KINDS, OURS, SIZE_LIMIT, SOLADY

TRANSFER = "transfer, existing holders"
# Issue 12's targets, as ratios to bare OpenZeppelin ERC20 on the same work (None: to its transfer).
RATIO_TARGETS = {
    "transfer, existing holders": (TRANSFER, 1.30),
    "transfer, policy off": (TRANSFER, 1.22),
    "transfer, first of the day": (TRANSFER, 1.35),
    "transferFrom": ("transferFrom", 1.35),
    "mint": ("mint", 1.35),
    "approve": ("approve", 1.15),
}
INTERVENTION_TARGET = 50_000
SIZE_TARGET = 21_500  # bytes of runtime code: 3 KB under EIP-170's 24,576 for what comes next
SPEEDUP_TARGET = 5.0
CEILING_TARGET = 0.5  # toolkit rows/s at least half the ceiling's


def _ratio(ours: int | None, base: int | None) -> str:
    return "n/a" if ours is None or base is None else f"{ours / base:.2f}x"


def _gas(value: int | None) -> str:
    return "n/a" if value is None else f"{value:,}"


def gas_tables(results: dict[str, Any]) -> list[str]:
    table: dict[str, dict[str, int | None]] = results["gas"]["table"]
    states: dict[str, str] = results["gas"]["states"]
    lines = [
        "| operation | state before | Digital Tenge | OZ 5 ERC20 | ours/OZ | Solady ERC20 | ours/Solady |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in table.items():
        state = states.get(name, "implementation + proxy (with initialize) vs one contract")
        ours, bare, solady = row[OURS], row[BARE], row[SOLADY]
        lines.append(
            f"| {name} | {state} | {_gas(ours)} | {_gas(bare)} | {_ratio(ours, bare)} "
            f"| {_gas(solady)} | {_ratio(ours, solady)} |"
        )
    return lines


def target_lines(results: dict[str, Any]) -> list[str]:
    table = results["gas"]["table"]
    lines = []
    for name, (baseline, target) in RATIO_TARGETS.items():
        ours, bare = table[name][OURS], table[baseline][BARE]
        ratio = ours / bare
        verdict = "met" if ratio <= target else f"missed by {ours - int(target * bare):,} gas"
        lines.append(
            f"- {name}: {ours:,} gas, **{ratio:.2f}x** bare OZ's {baseline} (target <= {target}x: {verdict})."
        )
    for name in INTERVENTIONS:
        value = table[name][OURS]
        verdict = (
            "met" if value < INTERVENTION_TARGET else f"missed by {value - INTERVENTION_TARGET + 1:,} gas"
        )
        lines.append(f"- {name}: {value:,} gas (target < {INTERVENTION_TARGET:,}: {verdict}).")
    sizes = results["gas"].get("runtime_size")
    if sizes:
        ours = sizes[OURS]
        verdict = "met" if ours <= SIZE_TARGET else f"missed by {ours - SIZE_TARGET:,} bytes"
        lines.append(
            f"- runtime size: {ours:,} bytes of the {SIZE_LIMIT:,} EIP-170 allows (bare OZ {sizes[BARE]:,},"
            f" Solady {sizes[SOLADY]:,}; target <= {SIZE_TARGET:,}: {verdict})."
        )
    # Issue 16: earmarked money, each operation against our own plain transfer (target <= 2x), and
    # against the transfer in the same state (a receiver that held nothing before pays for its slot).
    plain, fresh = table["transfer, existing holders"][OURS], table["transfer, new holder"][OURS]
    for name in EARMARK_OPS:
        value = table.get(name, {}).get(OURS)
        if value is None:
            continue
        like = fresh if name in ("earmark to a holder", "earmark pay, intermediate") else plain
        verdict = "met" if value <= 2 * plain else f"missed by {value - 2 * plain:,} gas"
        lines.append(
            f"- {name}: {value:,} gas, **{value / plain:.2f}x** our transfer between holders (target <= 2x:"
            f" {verdict}); {value / like:.2f}x our transfer in the same state."
        )
    cold = results["gas"]["cold_sloads"]
    lines.append(
        f"- Cold storage reads in a transfer between existing holders: ours {cold[OURS]},"
        f" bare OZ {cold[BARE]}"
        " (opcode trace): the ERC-1967 implementation slot, the token's word (pause, policy switch), each"
        " party's ledger word, and their tier's limits; the delegatecall to a cold implementation adds 2,600."
    )
    return lines


def throughput_lines(results: dict[str, Any], mode: str) -> list[str]:
    data = results["throughput"][mode]
    runs: dict[tuple[str, int], dict[str, Any]] = {(r["way"], r["requested"]): r for r in data["runs"]}
    ways = list(dict.fromkeys(way for way, _ in runs))
    sizes = sorted({n for _, n in runs})
    lines = [
        "| N | " + " | ".join(f"{way} rows/s" for way in ways) + " | toolkit/naive | toolkit/ceiling |",
        "| ---: |" + " ---: |" * (len(ways) + 2),
    ]
    for n in sizes:
        cells = [_speed(runs.get((way, n))) for way in ways]
        tool, naive, top = (runs.get((way, n)) for way in ("toolkit", "naive", "ceiling"))
        cells.append(_over(tool, naive, "{:.1f}x"))
        cells.append(_over(tool, top, "{:.2f}x"))
        lines.append(f"| {n:,} | " + " | ".join(cells) + " |")
    lines.append("")
    first, last = sizes[0], sizes[-1]
    for way in ways:
        a, b = runs.get((way, first)), runs.get((way, last))
        if a is None or b is None or first == last:
            continue
        lines.append(
            f"- {way}: {a['ms_per_row']:.2f} ms/row at N={first:,}, {b['ms_per_row']:.2f} at N={last:,}"
            f" (x{b['ms_per_row'] / a['ms_per_row']:.2f})."
        )
    partial = [r for r in data["runs"] if r["rows"] != r["requested"]]
    if partial:
        stopped = ", ".join(
            f"N={r['requested']:,}: {r['rows']:,} rows in {r['seconds']:.0f} s" for r in partial
        )
        lines.append(
            f"- naive: stopped after {data['naive_time_limit_s']:.0f} s ({stopped}); rows/s over those."
        )
    if data.get("naive_skipped_rows"):
        skipped = ", ".join(f"{n:,}" for n in data["naive_skipped_rows"])
        lines.append(f"- naive: not run at N={skipped} (one row a block).")
    return lines


def _speed(run: dict[str, Any] | None) -> str:
    if run is None:
        return "not run"
    partial = "*" if run["rows"] != run["requested"] else ""
    return f"{run['rows_per_s']:,.1f}{partial}"


def _over(a: dict[str, Any] | None, b: dict[str, Any] | None, form: str) -> str:
    return "" if a is None or b is None else form.format(a["rows_per_s"] / b["rows_per_s"])


INTRO_GAS = """\
Receipts' `gasUsed` on a fresh chain. Each operation is one transaction from the same funded state, so
every slot it touches is cold; *state before* says which slots already hold a value. Same accounts and
amounts for every contract; permit and authorization signatures are picked without zero bytes, so
calldata costs the same everywhere. n/a: the baseline has no such function. Deploy counts the proxy's
constructor arguments as if the implementation address had no zero byte (it depends on the nonce)."""

INTRO_THROUGHPUT = """\
N transfers of 1.00 KZT to N distinct new holders from one payer, each run on a fresh Anvil that the
bench starts (the suite's settings without steps tracing): Anvil slows down as its chain grows, most
under automine, where every row is a block.
*toolkit*: `tenge.run_payout` on a CSV file (validated and journaled in SQLite, the chain asked which
rows are paid, every row put to `checkTransfer`, then `multicall` batches of a quarter block each,
three blocks' worth in flight; `benchmarks/capacity.py` measures it against the chain's capacity);
*naive*: web3.py's build (estimates gas), sign, send, `wait_for_transaction_receipt`, row by row;
*ceiling*: the same transfers pre-signed before the clock starts, sent in JSON-RPC batches of 100,
timed to the last receipt, with at most 512 in flight under interval mining (more than a block holds)
and 64 under automine (a deeper pool only slows Anvil: 16 tx/s with 512 pending).
Rows/s is rows over wall time; `*`: the run stopped at its time limit."""


INTRO_CAPACITY = """\
`benchmarks/capacity.py`: one `tenge payout` process a payer on a fresh Anvil with interval mining,
fresh payees (each row a first transfer to a new holder), timed from the first start to the last exit
(process start-up, validation, the chain check, the views' preflight, sending and receipts included).
Capacity is block gas limit / gas per row in a batch / block time; share is rows/s over capacity.
Memory: the peak resident size of `tenge payout --check` (streamed into the journal, the chain and
the token's views asked for every row, nothing sent)."""

INTRO_INDEXING = """Synthetic events (95% transfers, mints and interventions) written into an SQLite index
through `EventIndex.add`, as `tenge index` writes pages, against the same rows by `sqlite3.executemany` in one
transaction in the same process; then `build_report` over the index, with the growth of the peak
resident size while it runs (the 1,000,000-event build streams its events)."""


def markdown(results: dict[str, Any]) -> str:
    meta = results["meta"]
    machine, versions = meta["machine"], meta["versions"]
    make_test = meta.get("make_test_seconds")
    block_time = results["throughput"]["interval"]["block_time_s"]
    lines = [
        "# Benchmarks",
        "",
        f"Run of {meta['date']} by `make bench` on {machine['cpus']} CPUs ({machine['processor']},"
        f" {machine['system']}, Python {machine['python']}): {meta['bench_seconds']:.0f} s wall time;"
        f" load average {meta['load_average_start']} at the start, {meta['load_average_end']} at the end"
        " (other work on the machine slows wall times, never gas).",
        f"`make test` wall time: {'not recorded yet' if make_test is None else f'{make_test:.0f} s'}.",
        f"solc {versions['solc']}; OpenZeppelin {versions['openzeppelin']}, Solady {versions['solady']};"
        f" {versions['anvil']}; web3.py {versions['web3']}.",
        "",
        "## Gas per operation",
        "",
        INTRO_GAS,
        "",
        *gas_tables(results),
        "",
        "### Against the targets",
        "",
        *target_lines(results),
        "",
        "## Payout throughput",
        "",
        INTRO_THROUGHPUT,
        "",
        "### Automine: every transaction mined on arrival (flatters the naive way)",
        "",
        *throughput_lines(results, "automine"),
        "",
        f"### Interval mining: a block every {block_time} s (BNB Chain: 0.75-3 s)",
        "",
        *throughput_lines(results, "interval"),
        "",
    ]
    if "capacity" in results:
        lines += ["## Payouts against the chain's capacity (issue 13)", "", INTRO_CAPACITY, ""]
        lines.append(capacity.markdown(results["capacity"]))
    if "indexing" in results:
        lines += ["## The event index and the transparency report (issue 15)", "", INTRO_INDEXING, ""]
        lines.append(indexing.markdown(results["indexing"]))
    return "\n".join(lines)


def chart(results: dict[str, Any], path: Path) -> None:
    """Grouped bars: gas of each operation for ours and both baselines; deploy on its own axis."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table: dict[str, dict[str, int | None]] = results["gas"]["table"]
    labels: dict[str, str] = results["gas"]["labels"]
    ops = [name for name in table if name != "deploy"]
    figure, (left, right) = plt.subplots(1, 2, figsize=(14, 5.5), gridspec_kw={"width_ratios": [6, 1]})
    width = 0.27
    for i, kind in enumerate(KINDS):
        offsets = [x + (i - 1) * width for x in range(len(ops))]
        left.bar(offsets, [table[op][kind] or 0 for op in ops], width, label=labels[kind])
        right.bar([(i - 1) * width], [table["deploy"][kind] or 0], width)
    left.set_xticks(range(len(ops)), ops, rotation=30, ha="right")
    left.axhline(INTERVENTION_TARGET, color="grey", linestyle=":", linewidth=1, label="intervention target")
    left.set_ylabel("gas used")
    left.set_title("Gas per operation (0: the baseline has no such function)")
    left.legend()
    right.set_xticks([0], ["deploy"])
    right.set_title("Deploy")
    for axis in (left, right):
        axis.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
