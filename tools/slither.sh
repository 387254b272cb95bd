#!/usr/bin/env bash
# Slither on each deployable contract (contracts/*.sol; not mocks/, which only tests deploy), compiled
# by the solcjs shim with the settings of slither.config.json (those of brownie-config.yaml).
# Prints the findings and their count by severity, writes reports/slither.json, and exits 1 on any
# High or Medium finding. A deliberate Low/Informational one is suppressed in the source with
# `// slither-disable-next-line DETECTOR reason`.
#
# Why not `slither .`: its brownie mode fails on brownie's build folder. Why the PATH dance: installing
# slither puts solc-select's `solc` in .venv/bin, which tries to download a compiler; the only `solc`
# reachable here is the shim.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SLITHER="${SLITHER:-$ROOT/.venv/bin/slither}"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
REPORT="${SLITHER_REPORT:-reports/slither.json}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
ln -s "$ROOT/tools/solc/solc" "$work/bin/solc"
export PATH="$work/bin:$ROOT/node_modules/.bin:$PATH"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(contracts/*.sol)
fi

# One slither process per contract, in parallel (each spends most of its time in solcjs).
pids=()
for i in "${!targets[@]}"; do
  "$SLITHER" "${targets[$i]}" --config-file slither.config.json --solc "$ROOT/tools/solc/solc" \
    --json "$work/$i.json" >"$work/$i.log" 2>&1 &
  pids+=($!)
done
status=0
for i in "${!targets[@]}"; do
  wait "${pids[$i]}" || true
  if [ ! -s "$work/$i.json" ]; then
    echo "slither failed on ${targets[$i]}:" >&2
    cat "$work/$i.log" >&2
    status=2
  fi
done
[ "$status" -eq 0 ] || exit "$status"

mkdir -p "$(dirname "$REPORT")"
"$PYTHON" - "$REPORT" "$work" "${targets[@]}" <<'PY'
"""Merges the per-contract reports, prints findings and counts, exits 1 on High or Medium."""
import json
import sys
from pathlib import Path

report, work, targets = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
severities = ["High", "Medium", "Low", "Informational", "Optimization"]
findings: dict[str, dict] = {}
for i, target in enumerate(targets):
    data = json.loads((work / f"{i}.json").read_text())
    if not data.get("success"):
        sys.exit(f"slither failed on {target}: {data.get('error')}")
    for finding in data.get("results", {}).get("detectors", []):
        findings.setdefault(finding["id"], finding)  # a shared file's finding is reported once

ordered = sorted(findings.values(), key=lambda f: (severities.index(f["impact"]), f["check"]))
counts = {s: sum(f["impact"] == s for f in ordered) for s in severities}
report.write_text(json.dumps({"targets": targets, "counts": counts, "detectors": ordered}, indent=1) + "\n")
for f in ordered:
    print(f"[{f['impact']}] {f['check']}: {f['description'].strip().splitlines()[0]}")
print("slither: " + ", ".join(f"{counts[s]} {s.lower()}" for s in severities) + f" (report: {report})")
sys.exit(1 if counts["High"] or counts["Medium"] else 0)
PY
