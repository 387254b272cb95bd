"""The short summary `make test` prints at its end: tests, coverage and static-analysis findings.

Reads the reports the run wrote under reports/ (pytest's JUnit XML, brownie's contract coverage,
coverage.py's JSON for the toolkit, slither's merged report, solhint's output); a report that is missing
is shown as "not run" rather than guessed.

`--min-branches PCT` is the coverage gate instead: it exits 1 when a deployable contract (a file
contracts/*.sol; not mocks or benchmark baselines) has less branch coverage than PCT, or no report.
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"


def _load_json(name: str) -> Any:
    path = REPORTS / name
    return json.loads(path.read_text()) if path.exists() else None


def tests_line() -> str:
    """Sums the JUnit reports of the run's pytest sessions (reports/junit-*.xml)."""
    paths = sorted(REPORTS.glob("junit-*.xml"))
    if not paths:
        return "not run"
    counts = dict.fromkeys(("tests", "failures", "errors", "skipped", "time"), 0.0)
    for path in paths:
        root = ElementTree.parse(path).getroot()
        for suite in [root] if root.tag == "testsuite" else root.iter("testsuite"):
            for key in counts:
                counts[key] += float(suite.get(key, "0"))
    failed, errors, skipped = int(counts["failures"]), int(counts["errors"]), int(counts["skipped"])
    passed = int(counts["tests"]) - failed - errors - skipped
    return (
        f"{passed} passed, {failed} failed, {errors} errors, {skipped} skipped "
        f"in {counts['time']:.0f} s ({len(paths)} sessions)"
    )


def our_contracts() -> set[str]:
    """Names of the contracts this project writes (contracts/**/*.sol), as against inherited ones."""
    return {path.stem for path in (ROOT / "contracts").rglob("*.sol")}


def deployables() -> list[str]:
    """Names of the contracts the project deploys (contracts/*.sol; not mocks or benchmark baselines)."""
    return sorted(path.stem for path in (ROOT / "contracts").glob("*.sol"))


def branch_totals(report: dict[str, Any], ours: bool) -> tuple[int, int, int]:
    """(taken, not taken, branches) over a contract's functions written here (ours) or inherited.

    Brownie keys each function as "DefiningContract.function" with [taken, not taken, branches]."""
    names = our_contracts()
    taken = not_taken = branches = 0
    for function, (t, n, b) in report["branches"].items():
        if (function.split(".")[0] in names) == ours:
            taken, not_taken, branches = taken + t, not_taken + n, branches + b
    return taken, not_taken, branches


def branch_coverage(totals: tuple[int, int, int]) -> float | None:
    """Brownie's branch figure: each branch counts twice (taken and not taken)."""
    taken, not_taken, branches = totals
    return None if branches == 0 else 100.0 * (taken + not_taken) / (2 * branches)


def contract_coverage_lines() -> list[str]:
    report = _load_json("coverage.json")
    if report is None:
        return ["not run"]
    lines = []
    for name in deployables():
        data = report["coverage"].get(name)
        if data is None:
            continue
        ours, inherited = branch_totals(data, ours=True), branch_totals(data, ours=False)
        if ours[2] + inherited[2] == 0:
            continue
        lines.append(
            f"{name}: {_pct(branch_coverage(ours))} of {ours[2]} branches in our code, "
            f"{_pct(branch_coverage(inherited))} of {inherited[2]} inherited from OpenZeppelin"
        )
    return lines or ["no contract executed"]


def python_coverage_line() -> str:
    report = _load_json("python-coverage.json")
    if report is None:
        return "not run"
    totals = report["totals"]
    return f"{totals['percent_covered']:.1f}% of {totals['num_statements']} lines (tenge package)"


def slither_line() -> str:
    report = _load_json("slither.json")
    if report is None:
        return "not run"
    return ", ".join(f"{count} {severity.lower()}" for severity, count in report["counts"].items())


def solhint_line() -> str:
    path = REPORTS / "solhint.txt"
    if not path.exists():
        return "not run"
    text = path.read_text()
    return f"{text.count('[Error/')} errors, {text.count('[Warning/')} warnings"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}%"


def check_branch_coverage(minimum: float) -> int:
    """Gates the branch coverage of our own code in each deployable contract (contracts/*.sol)."""
    report = _load_json("coverage.json")
    if report is None:
        print(f"coverage gate: no {REPORTS / 'coverage.json'}; run the contract tests with --coverage")
        return 1
    status = 0
    for name in deployables():
        data = report["coverage"].get(name)
        branches = None if data is None else branch_coverage(branch_totals(data, ours=True))
        if data is None or (branches is not None and branches < minimum):
            print(f"coverage gate: {name} has {_pct(branches)} branch coverage, below {minimum:.0f}%")
            status = 1
        else:
            print(f"coverage gate: {name} {_pct(branches)} branch coverage (minimum {minimum:.0f}%)")
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-branches", type=float, metavar="PCT", help="gate contract branch coverage")
    args = parser.parse_args()
    if args.min_branches is not None:
        return check_branch_coverage(args.min_branches)
    rows: list[tuple[str, list[str]]] = [
        ("tests", [tests_line()]),
        ("contract coverage", contract_coverage_lines()),
        ("toolkit coverage", [python_coverage_line()]),
        ("slither", [slither_line()]),
        ("solhint", [solhint_line()]),
    ]
    width = max(len(label) for label, _ in rows)
    print("\n== make test summary ==")
    for label, lines in rows:
        for i, line in enumerate(lines):
            print(f"{(label if i == 0 else ''):<{width}}  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
