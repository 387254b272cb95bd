"""`make bench`: gas per operation against two baselines, and payout throughput three ways.

brownie run scripts/bench.py --network dev-b      # writes benchmarks/results.json, RESULTS.md, gas.png
brownie run scripts/bench.py gas_snapshot --network dev-b      # benchmarks/gas-snapshot.json only
"""

from benchmarks import run


def main() -> None:
    run.main()


def gas_snapshot() -> None:
    run.snapshot()
