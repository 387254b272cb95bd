"""A checkout whose path has dots in it deploys and runs the demo (issue 17).

`brownie run` imports a script by its absolute path joined with dots, so it fails from
`/home/aigerim.n/tenge.v2` or `mktemp -d`'s `/tmp/tmp.XXXX`; the Makefile runs scripts through
tools/brownie_run.py instead. These tests clone the repository at HEAD (commit first to test a change)
into `<tmp>/aigerim.n/tenge.v2` and run `make deploy` and `make demo` there, as a user with that home.
The clone borrows this checkout's .venv and node_modules (symlinks) and build (a copy), so nothing
installs, and runs on its own Anvil on a free port in PORTS: the suite's chain is on 8545.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(8620, 8640)
NETWORK = "dotted-path-anvil"
CHAIN_ID = 31337  # Anvil's default


@dataclass(frozen=True)
class Checkout:
    path: Path
    env: dict[str, str]


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {PORTS}")


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Checkout:
    home = tmp_path_factory.mktemp("dotted") / "aigerim.n"
    path = home / "tenge.v2"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(path)], check=True)
    for installed in (".venv", "node_modules"):
        (path / installed).symlink_to(ROOT / installed)
    if (ROOT / "build").is_dir():  # brownie recompiles only what differs from HEAD's sources
        shutil.copytree(ROOT / "build", path / "build")
    # Installed already (the links above) or done below in the home: make skips these steps. Missing or
    # stale stamps would reinstall through the links: `pip install -e` the clone into this checkout's
    # venv, `npm ci` empty its node_modules.
    stamps = path / ".stamps"
    stamps.mkdir()
    for stamp in ("venv", "npm", "networks"):
        (stamps / stamp).touch()
    # The clone's home, so that `make` links the compiler into its own ~/.solcx (the real one stays
    # pointed at a checkout that outlives this test) and brownie reads only this network
    # (~/.brownie/network-config.yaml; JSON is YAML).
    (home / ".brownie").mkdir()
    anvil = {"port": free_port(), "gas_limit": 30_000_000, "accounts": 20, "base_fee": 0}
    network = dict(id=NETWORK, name="Anvil", cmd="anvil", host="http://127.0.0.1", cmd_settings=anvil)
    (home / ".brownie" / "network-config.yaml").write_text(json.dumps({"development": [network], "live": []}))
    # A shell of that user: no MAKEFLAGS from the `make test` that may be running this.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return Checkout(path, {**env, "HOME": str(home)})


def make(checkout: Checkout, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", *command],
        cwd=checkout.path,
        env=checkout.env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_make_deploy_writes_the_deployment_record(checkout: Checkout) -> None:
    result = make(checkout, "deploy", f"NETWORK={NETWORK}")

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Deployment record: deployments/{CHAIN_ID}.json" in result.stdout
    record = json.loads((checkout.path / "deployments" / f"{CHAIN_ID}.json").read_text())
    assert record["network"] == NETWORK
    assert f"Digital Tenge proxy {record['address']}" in result.stdout


def test_make_demo_runs_to_the_last_step(checkout: Checkout) -> None:
    result = make(checkout, "demo", f"NETWORK={NETWORK}")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "[13] Final balances" in result.stdout
    assert " Seized " in result.stdout  # the last intervention on record (the seizure), printed last


def test_brownie_run_itself_still_fails_there(checkout: Checkout) -> None:
    """The clone reproduces issue 17. Once `brownie run` works from a dotted path, the runner can go."""
    path = f"{checkout.path}/node_modules/.bin:{checkout.env['PATH']}"  # anvil, as the Makefile finds it

    result = subprocess.run(
        [".venv/bin/brownie", "run", "scripts/deploy.py", "--network", NETWORK],
        cwd=checkout.path,
        env={**checkout.env, "PATH": path},
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert result.returncode != 0
    assert "No module named" in result.stdout + result.stderr
