"""Proof of power: does the fuzz machine find each known bug of the token, and how soon?

    .venv/bin/python tools/mutation_check.py                     # all, seeds 1-3, at most 20,000 steps each
    .venv/bin/python tools/mutation_check.py --only 5 --seeds 1,2,3 --steps 5000
    .venv/bin/python tools/mutation_check.py --anchors-only            # do the patches still apply?

For each mutation of tools/mutations.py (the seven findings of the core v2 issue), in turn: copy the
project to a temporary directory, apply the patch to the copy's contracts (a missing anchor stops the
check: it is an error, never a pass), compile, and run tests/stateful/test_stateful_fuzz.py against it
with shrinking off, for at most --steps steps. The machine's report gives the step at which the first
failing example failed. A control run of the unpatched copy, as long as the longest search, must pass,
so that a "found" is the mutation's doing. The table goes to benchmarks/MUTATIONS.md (and .json).

Each run gets its own Anvil (brownie network `dev-fuzz-mutant`, port 8661, no code-size limit; added
if missing; MUTATION_NETWORK and MUTATION_PORT name another). Runs are sequential: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.mutations import MUTATIONS, AnchorNotFound, Mutation

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# MUTATION_NETWORK and MUTATION_PORT move the runs off the default chain (two checks on one machine).
NETWORK = os.environ.get("MUTATION_NETWORK", "dev-fuzz-mutant")
PORT = int(os.environ.get("MUTATION_PORT", "8661"))
COPIED = ["contracts", "tests", "scripts", "brownie-config.yaml", "pyproject.toml", "package.json", "build"]
MACHINE = "tests/stateful/test_stateful_fuzz.py"


@dataclass
class Run:
    mutation: str
    seed: int
    found_at: int | None  # the step at which the first failing example failed; None: not found
    steps: int
    seconds: float
    caught_by: str  # the first line of the failure, as pytest printed it


def main() -> int:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--steps", type=int, default=20_000, help="budget per run (make fuzz's)")
    parser.add_argument("--seeds", default="1,2,3", help="comma-separated seeds, one run per seed")
    parser.add_argument("--seed", type=int, help="a single seed (overrides --seeds)")
    parser.add_argument("--only", default="", help="comma-separated mutation numbers, e.g. 1,5")
    parser.add_argument("--no-control", action="store_true", help="skip the unpatched control run")
    parser.add_argument("--anchors-only", action="store_true", help="only check that every patch applies")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "MUTATIONS.md"))
    args = parser.parse_args()
    seeds = [args.seed] if args.seed is not None else [int(s) for s in args.seeds.split(",")]
    chosen = [m for m in MUTATIONS if not args.only or m.id.split("-")[0] in args.only.split(",")]
    ensure_network()
    # Every anchor is checked before anything runs: a stale patch fails the whole check at once.
    with tempfile.TemporaryDirectory(prefix="tenge-anchors-") as scratch:
        for mutation in chosen:
            copy = make_copy(Path(scratch) / mutation.id, with_build=False)
            mutation.apply(copy)
    print(f"anchors: all {len(chosen)} mutations apply", flush=True)
    if args.anchors_only:
        return 0
    runs: list[Run] = []
    for mutation in chosen:
        runs += run_mutant(mutation, seeds, args.steps)
    control = None
    if not args.no_control:
        longest = max((r.found_at or args.steps for r in runs), default=args.steps)
        (control,) = run_mutant(None, seeds[:1], longest)
    write_report(Path(args.output), chosen, runs, control, args.steps)
    missed = [r for r in runs if r.found_at is None]
    control_failed = control is not None and control.found_at is not None
    return 1 if missed or control_failed else 0


def ensure_network() -> None:
    """Adds the mutation runs' network to brownie's config unless it is there (idempotent)."""
    listed = subprocess.run([str(BIN / "brownie"), "networks", "list"], capture_output=True, text=True).stdout
    if NETWORK in listed:
        return
    subprocess.run(
        [
            str(BIN / "brownie"),
            "networks",
            "add",
            "Development",
            NETWORK,
            "name=Anvil fuzz mutants",
            "cmd=anvil --disable-code-size-limit",
            "host=http://127.0.0.1",
            f"port={PORT}",
            "gas_limit=30000000",
            "accounts=20",
            "base_fee=0",
        ],
        check=True,
        capture_output=True,
    )


def solc_version() -> str:
    """The compiler release the project pins (package.json's `solc`, as the Makefile reads it)."""
    return str(json.loads((ROOT / "package.json").read_text())["dependencies"]["solc"])


def make_copy(target: Path, with_build: bool = True) -> Path:
    """The project's contracts, tests and build under `target`, node_modules linked, not copied."""
    target.mkdir(parents=True)
    for name in COPIED:
        source = ROOT / name
        if (name == "build" and not with_build) or not source.exists():
            continue
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "regressions", ".hypothesis")
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    (target / "node_modules").symlink_to((ROOT / "node_modules").resolve())
    return target


def run_mutant(mutation: Mutation | None, seeds: list[int], steps: int) -> list[Run]:
    """Compiles a patched copy (or an unpatched one: the control) once, and runs the machine on it
    with each seed."""
    name = mutation.id if mutation else "control"
    runs = []
    with tempfile.TemporaryDirectory(prefix=f"tenge-mutant-{name}-") as scratch:
        copy = make_copy(Path(scratch) / "project")
        if mutation:
            mutation.apply(copy)
        env = {**os.environ, "PATH": f"{copy / 'node_modules' / '.bin'}:{BIN}:{os.environ['PATH']}"}
        # The compiler shim of this checkout, in a folder of the run's own: py-solc-x's shared one
        # (~/.solcx) points at whichever checkout ran `make install` last.
        solcx = Path(scratch) / "solcx"
        solcx.mkdir()
        (solcx / f"solc-v{solc_version()}").symlink_to(ROOT / "tools" / "solc" / "solc")
        env["SOLCX_BINARY_PATH"] = str(solcx)
        started = time.monotonic()
        compiled = subprocess.run(
            [str(BIN / "brownie"), "compile"], cwd=copy, env=env, capture_output=True, text=True
        )
        if compiled.returncode != 0:
            output = compiled.stdout + compiled.stderr
            raise SystemExit(f"{name}: the patched contracts do not compile:\n{output}")
        compile_seconds = time.monotonic() - started
        for seed in seeds:
            started = time.monotonic()
            report = Path(scratch) / f"report-{seed}.json"
            env.update(
                FUZZ_STEPS=str(steps),
                FUZZ_SEED=str(seed),
                FUZZ_SHRINK="0",
                FUZZ_REPORT=str(report),
                PYTHONWARNINGS="ignore::FutureWarning",
            )
            command = [str(BIN / "brownie"), "test", MACHINE, "--network", NETWORK, "--no-cov"]
            command += ["-p", "no:cacheprovider", "-o", "timeout=0", "-x", "-q"]
            result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True)
            if not report.exists():
                output = result.stdout[-4000:] + result.stderr[-2000:]
                raise SystemExit(f"{name}: the machine wrote no report:\n{output}")
            record = json.loads(report.read_text())
            elapsed = time.monotonic() - started + compile_seconds / len(seeds)
            caught = " ".join((record.get("first_error") or caught_by(result.stdout)).split())[:300]
            runs.append(Run(name, seed, record["first_failure"], record["steps"], elapsed, caught))
            found = f"found at step {record['first_failure']}" if record["first_failure"] else "NOT FOUND"
            print(f"{name} seed {seed}: {found} ({elapsed:.0f} s): {caught[:160]}", flush=True)
    return runs


def caught_by(output: str) -> str:
    """The failure as pytest printed it: the last exception line (a chain ends with the one that
    failed the test), with the line after it when the message goes on there."""
    lines = [line[1:].strip() for line in output.splitlines() if line.startswith("E ")]
    starts = [i for i, line in enumerate(lines) if re.match(r"^[\w.]+(Error|Exception|Refused)\b", line)]
    if not starts:
        return lines[0][:200] if lines else ""
    first = starts[-1]
    text = lines[first]
    if text.endswith(":") and first + 1 < len(lines):
        text += " " + lines[first + 1]
    return text[:200]


def write_report(
    path: Path, chosen: list[Mutation], runs: list[Run], control: Run | None, budget: int
) -> None:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    seeds = sorted({r.seed for r in runs})
    lines = [
        "# Mutation check: the fuzz machine against the seven findings of issue 12",
        "",
        f"Run {when} by `tools/mutation_check.py` (`make mutation-check`): each finding put back into a "
        "copy of the contracts (`tools/mutations.py`), then `tests/stateful/test_stateful_fuzz.py` run "
        f"against it with shrinking off, for at most {budget:,} steps (`make fuzz` runs 20,000), once per "
        f"seed ({', '.join(map(str, seeds))}). Steps to find: every step of every example until the first "
        "failing one failed. Seconds: the runs' time, the copy's compilation included. Caught by: the "
        f"first failure of seed {seeds[0]}, as the machine reported it.",
        "",
        "| Mutation | Finding put back | Steps to find, by seed | Median | Seconds | Caught by |",
        "|---|---|---|---:|---:|---|",
    ]
    for mutation in chosen:
        mine = [r for r in runs if r.mutation == mutation.id]
        steps = " / ".join(f"{r.found_at:,}" if r.found_at else f"not in {r.steps:,}" for r in mine)
        found = [r.found_at for r in mine if r.found_at]
        median = f"{statistics.median(found):,.0f}" if len(found) == len(mine) else "-"
        seconds = f"{sum(r.seconds for r in mine):.0f}"
        caught = mine[0].caught_by.replace("|", "\\|")
        lines.append(f"| {mutation.id} | {mutation.finding} | {steps} | {median} | {seconds} | `{caught}` |")
    found_runs = [r.found_at for r in runs if r.found_at]
    distinct = {r.mutation for r in runs if r.found_at}
    lines += [
        "",
        f"Found: {len(distinct)} of {len(chosen)} mutations; {len(found_runs)} of {len(runs)} runs.",
    ]
    if found_runs:
        median_all = statistics.median(found_runs)
        lines.append(f"Steps to find, all runs: median {median_all:,.0f}, most {max(found_runs):,}.")
    if control:
        outcome = "passed" if control.found_at is None else f"FAILED at step {control.found_at}"
        lines.append(
            f"Control (no mutation, seed {control.seed}, {control.steps:,} steps, as long as the longest "
            f"search): {outcome}."
        )
    path.write_text("\n".join(lines) + "\n")
    record = {"budget": budget, "runs": [asdict(r) for r in runs], "control": control and asdict(control)}
    path.with_suffix(".json").write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AnchorNotFound as error:
        print(f"anchor not found: {error}", file=sys.stderr)
        sys.exit(2)
