"""`brownie run` for a checkout at any path: runs a project script's function on a brownie network.

    .venv/bin/python tools/brownie_run.py scripts/deploy.py --network bsc-test
    .venv/bin/python tools/brownie_run.py scripts/bench.py gas_snapshot --network development --silent

Brownie 1.22's `brownie run` imports a script under a module name made of every folder of its absolute
path joined with dots (`_import_from_path` in brownie/project/scripts.py: `/home/aigerim.n/tenge.v2/
scripts/deploy.py` becomes `home.aigerim.n.tenge.v2.scripts.deploy`), so from a path with a dot in it
every script fails with `ModuleNotFoundError: No module named 'home.aigerim'`. This does what
brownie/_cli/run.py does, in the same order, but imports the script by its name inside the project
(`scripts.deploy`, the name `scripts/demo.py` already imports it by). Of `brownie run`'s options it
keeps those the Makefile uses: --network and --silent.
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module
from pathlib import Path

from brownie import network, project
from brownie._config import CONFIG
from brownie.project.scripts import _get_path
from brownie.utils import color

ROOT = Path(__file__).resolve().parent.parent


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tools/brownie_run.py", description=__doc__.split("\n")[0])
    parser.add_argument("script", help="the script: scripts/deploy.py (or deploy, as brownie takes it)")
    parser.add_argument("function", nargs="?", default="main", help="the function to call (main)")
    parser.add_argument("args", nargs="*", help="arguments passed to the function, as strings")
    parser.add_argument("--network", help="a brownie network id (brownie's default: development)")
    parser.add_argument("--silent", action="store_true", help="no output for each transaction")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    # What brownie's CLI leaves in CONFIG.argv for the code it runs (`silent` quiets each transaction).
    CONFIG.argv.update(cli="run", network=args.network, silent=args.silent)
    try:
        run(args.script, args.function, args.args, args.network)
    except Exception as exc:
        # As `brownie run`: the traceback as brownie formats it, and exit code 1.
        print(color.format_tb(exc))
        return 1
    return 0


def run(script: str, function_name: str, args: list[str], network_id: str | None) -> None:
    active = project.load(ROOT)  # compiles what changed and puts ROOT on sys.path
    active.load_config()
    print(f"{active._name} is the active project.")
    network.connect(network_id)
    import_module("scripts.brownie_fixes").patient_receipts(network.web3)
    try:
        path, _ = _get_path(script)  # resolved as brownie resolves it, inside the project
        module_name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        # What `brownie run` does for the script: `from brownie import DigitalTenge` must work in it.
        active._add_to_main_namespace()
        function = getattr(import_module(module_name), function_name)
        print(f"\nRunning '{module_name}.{function_name}' on {network.show_active()}...")
        function(*args)
    finally:
        network.disconnect()  # stops the chain brownie launched for a development network


if __name__ == "__main__":
    sys.exit(main())
