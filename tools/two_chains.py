"""Runs `make test`'s suites on two chains at once, one per core, and fails if either side fails.

    tools/two_chains.py --here CMD [--here CMD ...] --beside CMD [--beside CMD ...]

The `--here` commands run in order in the foreground, with their output as it comes (the coverage pass on
brownie's `development` chain, then its gate). At the same time the `--beside` commands run in order in
the background (on the second chain: the contract suites behind the real proxy, then the toolkit); their
output goes to reports/beside.log and is printed once the foreground is done, so that the two never
interleave. On each side a command that fails stops the ones after it, as `make` would. The exit status is
the first non-zero one, foreground first.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "reports" / "beside.log"


def run_in_order(commands: list[str], out: IO[str] | None = None) -> int:
    """Runs each command after the last (output to `out`, or the terminal); stops at the first that fails."""
    for command in commands:
        print(f"$ {command}", file=out or sys.stdout, flush=True)
        code = subprocess.call(
            shlex.split(command), stdout=out, stderr=subprocess.STDOUT if out else None, cwd=ROOT
        )
        if code != 0:
            print(
                f"exit status {code}: the commands after it did not run", file=out or sys.stdout, flush=True
            )
            return code
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--here", action="append", default=[], required=True)
    parser.add_argument("--beside", action="append", default=[], required=True)
    options = parser.parse_args(argv)

    LOG.parent.mkdir(exist_ok=True)
    status: list[int] = []
    with LOG.open("w") as log:
        beside = threading.Thread(target=lambda: status.append(run_in_order(options.beside, log)))
        beside.start()
        print(f"Beside these, on the second chain ({LOG.relative_to(ROOT)}, printed at the end):", flush=True)
        for command in options.beside:
            print(f"  {command}", flush=True)
        code = run_in_order(options.here)
        if beside.is_alive():
            print("\nWaiting for the second chain's suites...", flush=True)
        beside.join()
    print(f"\n== the second chain's suites ({LOG.relative_to(ROOT)}) ==", flush=True)
    print(LOG.read_text(), end="", flush=True)
    return code or status[0]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
