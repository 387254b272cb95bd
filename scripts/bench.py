"""`make bench`: gas per operation against two baselines, and payout throughput three ways.

make bench           # tools/brownie_run.py scripts/bench.py: benchmarks/results.json, RESULTS.md, gas.png
make gas-snapshot    # tools/brownie_run.py scripts/bench.py gas_snapshot: benchmarks/gas-snapshot.json only
"""

from benchmarks import run


def main() -> None:
    run.main()


def gas_snapshot() -> None:
    run.snapshot()
