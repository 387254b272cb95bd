"""Deploying to any node: a default Anvil (base fee, EIP-1559) and Ganache under another network id, by
`tenge deploy` and `make deploy RPC=...`; the record it writes connects, and the deployer can mint."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from tenge import InvalidInput, KeyProblem, Tenge
from tenge.client import make_web3
from tenge.deploy import LOCAL_ROLE_ACCOUNTS, DeployPlan, deploy, dev_account, role_conflicts
from tenge.errors import EXIT_KEY
from toolkit.conftest import ACTORS, key_of, run_cli

ROOT = Path(__file__).resolve().parents[2]
MNEMONIC = "test test test test test test test test test test test junk"
# Extra chains of this suite stay off the ports the main suites use; a checkout that runs beside others
# gives its own range (TENGE_TEST_PORTS=8702-8719).
_FIRST, _LAST = (int(p) for p in os.environ.get("TENGE_TEST_PORTS", "8611-8619").split("-"))
PORTS = range(_FIRST, _LAST + 1)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {PORTS}")


def started(command: list[str], port: int) -> subprocess.Popen[bytes]:
    node = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return node
        time.sleep(0.2)
    node.kill()
    raise RuntimeError(f"{command[0]} did not open port {port}")


@pytest.fixture(scope="module")
def default_anvil() -> Iterator[str]:
    """Anvil as a user starts it: its own base fee (1 gwei) and chain id, on another port."""
    port = free_port()
    node = started([str(ROOT / "node_modules/.bin/anvil"), "--port", str(port), "--quiet"], port)
    yield f"http://127.0.0.1:{port}"
    node.terminate()
    node.wait(timeout=10)


@pytest.fixture(scope="module")
def ganache_4242() -> Iterator[str]:
    """Ganache 7.9 under network id 4242 (gas price `auto` was keyed on the network name `ganache`)."""
    port = free_port()
    command = [str(ROOT / "node_modules/.bin/ganache"), "--port", str(port), "--chain.networkId", "4242"]
    command += ["--wallet.mnemonic", MNEMONIC, "--chain.hardfork", "shanghai", "--logging.quiet"]
    node = started(command, port)
    yield f"http://127.0.0.1:{port}"
    node.terminate()
    node.wait(timeout=10)


def deployed_and_usable(rpc: str, directory: Path, chain_id: int) -> None:
    """Each role went to its own development account, the deployer is the admin and nothing else, the
    minter mints, and a seizure on a development chain waits no notice."""
    record = json.loads((directory / f"{chain_id}.json").read_text())
    assert {name: holders for name, holders in record["roles"].items() if holders} == {
        "DEFAULT_ADMIN_ROLE": [key_of("admin").address],
        **{name: [dev_account(index).address] for name, index in LOCAL_ROLE_ACCOUNTS.items()},
    }
    tenge = Tenge.connect(rpc, directory=directory, signer=key_of("minter"))  # checks the code hashes
    tenge.mint(key_of("alice").address, "12.50").wait()
    assert str(tenge.balance_of(key_of("alice").address)) == "12.50"
    assert tenge.tier_of(key_of("minter").address) == 3  # the minter is a system account
    assert tenge.seizure_notice_period() == 0
    assert tenge.roles_of(key_of("admin").address) == ["DEFAULT_ADMIN_ROLE"]
    # The earmark contract beside the token (schema 4), a system account; the budget holder opens purposes.
    assert (
        record["schema"] == 4 and tenge.earmarks is not None and record["earmarks"] == tenge.earmarks.address
    )
    assert tenge.tier_of(record["earmarks"]) == 3 and tenge.purposes() == []
    assert tenge.roles_of(key_of("budget_holder").address) == ["BUDGET_HOLDER_ROLE"]


def test_the_local_roles_are_the_test_actors() -> None:
    # scripts/deploy.py imports the same table.
    actors = {"MINTER_ADMIN_ROLE": "minter_admin", "SEIZURE_PROPOSER_ROLE": "proposer", "KYC_ROLE": "kyc"}
    actors |= {"SEIZURE_APPROVER_ROLE": "approver", "MINTER_ROLE": "minter"}
    for role, index in LOCAL_ROLE_ACCOUNTS.items():
        name = actors.get(role, role.removesuffix("_ROLE").lower())
        assert ACTORS[name] == index, role


def test_a_plan_with_conflicting_duties_is_refused_before_anything_is_sent(rpc_url: str) -> None:
    one, other = str(key_of("carol").address), str(key_of("bob").address)
    roles: dict[str, list[str]] = {
        "FREEZER_ROLE": [one],
        "SEIZURE_PROPOSER_ROLE": [one],
        "SEIZURE_APPROVER_ROLE": [other],
        "BLOCKLISTER_ROLE": [other],
        "MINTER_ADMIN_ROLE": [other],
        "MINTER_ROLE": [other],
    }
    assert role_conflicts(roles) == [
        f"{one} would hold FREEZER_ROLE and SEIZURE_PROPOSER_ROLE: duties kept apart",
        f"{other} would hold BLOCKLISTER_ROLE and SEIZURE_APPROVER_ROLE: duties kept apart",
        f"{other} would hold MINTER_ADMIN_ROLE and be a minter: duties kept apart",
    ]
    assert role_conflicts({"FREEZER_ROLE": [one], "BLOCKLISTER_ROLE": [one]}) == []  # one duty
    w3 = make_web3(rpc_url)
    before = w3.eth.get_transaction_count(key_of("outsider").address)
    with pytest.raises(InvalidInput, match="the token would refuse these role holders; nothing sent"):
        deploy(w3, key_of("outsider"), DeployPlan(roles=roles), directory=None)
    assert w3.eth.get_transaction_count(key_of("outsider").address) == before


@pytest.mark.parametrize("fees", [None, "legacy"])
def test_deploy_to_a_default_anvil(default_anvil: str, tmp_path: Path, fees: str | None) -> None:
    chain_id = make_web3(default_anvil).eth.chain_id
    args = ["--rpc", default_anvil, "--json", "deploy", "--dev-key", "--directory", str(tmp_path)]
    result = run_cli(args + ([] if fees is None else ["--fees", fees]))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["record_path"] == str(tmp_path / f"{chain_id}.json")
    deployed_and_usable(default_anvil, tmp_path, chain_id)


def test_a_second_token_reuses_the_chains_controllers(default_anvil: str, tmp_path: Path) -> None:
    chain_id = make_web3(default_anvil).eth.chain_id
    first, second = tmp_path / "first", tmp_path / "second"
    args = ["--rpc", default_anvil, "deploy", "--dev-key", "--directory"]
    assert run_cli([*args, str(first)]).exit_code == 0
    used = json.loads((first / f"{chain_id}.json").read_text())
    controller, seizures = used["mint_controller"], used["seizure_controller"]
    result = run_cli(
        [*args, str(second)], TENGE_MINT_CONTROLLER=controller, TENGE_SEIZURE_CONTROLLER=seizures
    )
    assert result.exit_code == 0, result.output
    record = json.loads((second / f"{chain_id}.json").read_text())
    assert (record["mint_controller"], record["seizure_controller"]) == (controller, seizures)
    assert not {"mint_controller", "seizure_controller"} & set(record["transactions"])
    deployed_and_usable(default_anvil, second, chain_id)
    # The first token's minter keeps its own allowance: the controller keeps the two tokens apart.
    tenge = Tenge.connect(default_anvil, directory=first)
    assert tenge.minter_allowance(key_of("minter").address) == Decimal("10000000000.00")


def test_deploy_to_ganache_under_another_network_id(ganache_4242: str, tmp_path: Path) -> None:
    result = run_cli(["--rpc", ganache_4242, "deploy", "--dev-key", "--directory", str(tmp_path)])
    assert result.exit_code == 0, result.output
    deployed_and_usable(ganache_4242, tmp_path, 1337)


def test_make_deploy_rpc(default_anvil: str, tmp_path: Path) -> None:
    args = f"--dev-key --directory {tmp_path}"
    done = subprocess.run(
        ["make", "--no-print-directory", "deploy", f"RPC={default_anvil}", f"DEPLOY_ARGS={args}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Deployment record:" in done.stdout
    deployed_and_usable(default_anvil, tmp_path, 31337)


def test_the_dev_key_only_on_a_development_chain(rpc_url: str, tmp_path: Path) -> None:
    from tenge.cli.deploy import _dev_signer

    with pytest.raises(KeyProblem, match="only on a development chain, and this node is chain id 56"):
        _dev_signer(56)
    result = run_cli(["--rpc", rpc_url, "deploy", "--directory", str(tmp_path)])  # no key at all
    assert result.exit_code == EXIT_KEY and "no signing key" in result.output
