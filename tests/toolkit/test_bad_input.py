"""Bad input, tried as a new user would: each mistake gets the exit code of its family, a message naming
what is wrong, and nothing is sent (the sender's nonce is unchanged).

Exit codes (tenge.errors): 2 bad input, 3 chain down, 4 contract refused, 5 deployment mismatch, 6 key.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import brownie
import pytest
from eth_account import Account

from tenge.deployment import DeploymentRecord, write_record
from tenge.errors import EXIT_BAD_INPUT, EXIT_CHAIN, EXIT_DEPLOYMENT, EXIT_KEY, EXIT_REVERT
from toolkit.conftest import key_of, run_cli

BOB = key_of("bob").address
ALICE = key_of("alice").address
PASSWORD = "correct horse"


@dataclass(frozen=True)
class Case:
    """`tenge <target options> <key options> args`, alice's key given as `key` says."""

    args: list[str]  # "{tmp}" is the test's temporary folder, where `files` are written
    exit_code: int
    phrase: str
    target: str = "chain"  # which --rpc/--deployment pair: chain, down, wrong_chain, no_contract
    key: str = "env"  # how alice's key is given: env, keystore, missing_keystore, wrong_password
    files: dict[str, str] = field(default_factory=dict)  # name -> content, written to tmp_path


PAYOUT_HEADER = "address,amount,reference\n"
CASES = {
    "malformed address": Case(["transfer", "0xB0B", "1"], EXIT_BAD_INPUT, "'0xB0B' is not an address"),
    "bad checksum": Case(["transfer", BOB.lower()[:-1] + "F", "1"], EXIT_BAD_INPUT, "bad checksum"),
    "zero address": Case(["transfer", "0x" + "0" * 40, "1"], EXIT_BAD_INPUT, "is the zero address"),
    "3 decimals": Case(["transfer", BOB, "1.001"], EXIT_BAD_INPUT, "more than 2 decimals"),
    "negative amount": Case(["transfer", BOB, "-1"], EXIT_BAD_INPUT, "amount '-1' is negative"),
    "not a number": Case(["transfer", BOB, "ten"], EXIT_BAD_INPUT, "not a number"),
    "beyond uint256": Case(["transfer", BOB, "1e80"], EXIT_BAD_INPUT, "too large for a uint256"),
    "beyond balance": Case(
        ["transfer", BOB, "1000000"],
        EXIT_REVERT,
        "(in KZT: balance=1000.00, needed=1000000.00)",
        key="keystore",
    ),
    "reason not 32 bytes": Case(["freeze", BOB, "--reason", "0x1234"], EXIT_BAD_INPUT, "is not 32 bytes"),
    "reason missing": Case(["freeze", BOB], EXIT_BAD_INPUT, "Missing option '--reason'"),
    "unknown role": Case(["roles", "grant", "KING", BOB], EXIT_BAD_INPUT, "unknown role 'KING_ROLE'"),
    "unknown export format": Case(["history", BOB, "--format", "xml"], EXIT_BAD_INPUT, "'xml' is not one of"),
    "missing keystore": Case(["transfer", BOB, "1"], EXIT_KEY, "no such file", key="missing_keystore"),
    "wrong keystore password": Case(["transfer", BOB, "1"], EXIT_KEY, "wrong password", key="wrong_password"),
    "no key at all": Case(["transfer", BOB, "1"], EXIT_KEY, "no signing key", key="none"),
    "chain down": Case(["transfer", BOB, "1"], EXIT_CHAIN, "cannot reach a node", target="down"),
    "wrong chain id": Case(
        ["transfer", BOB, "1"], EXIT_DEPLOYMENT, "record is for chain id 97", target="wrong_chain"
    ),
    "no contract at the address": Case(
        ["balance", BOB], EXIT_DEPLOYMENT, "no contract at", target="no_contract"
    ),
    "payout with a bad row": Case(
        ["payout", "{tmp}/payouts.csv"],
        EXIT_BAD_INPUT,
        "line 3:",
        files={"payouts.csv": PAYOUT_HEADER + f"{BOB},1.00,a\n{BOB},1.001,b\n{ALICE.lower()},2,c\n"},
    ),
    "payout without a header": Case(
        ["payout", "{tmp}/payouts.csv"],
        EXIT_BAD_INPUT,
        "missing header",
        files={"payouts.csv": f"{BOB},1.00,a\n"},
    ),
    "payout with a duplicate row": Case(
        ["payout", "{tmp}/payouts.csv"],
        EXIT_BAD_INPUT,
        "line 3: duplicate of line 2",
        files={"payouts.csv": PAYOUT_HEADER + f"{BOB},1.00,rent\n{BOB},1.00,rent\n"},
    ),
    "payout file missing": Case(["payout", "{tmp}/nowhere.csv"], EXIT_BAD_INPUT, "no such file"),
    "payout with a bad reference": Case(
        ["payout", "{tmp}/payouts.csv"],
        EXIT_BAD_INPUT,
        "line 2: reference '0x12' looks like hex but is not 32 bytes",
        files={"payouts.csv": PAYOUT_HEADER + f"{BOB},1.00,0x12\n"},
    ),
    "reference not 32 bytes": Case(
        ["transfer", BOB, "1", "--reference", "0x1234"], EXIT_BAD_INPUT, "is not 32 bytes"
    ),
    "tier out of range": Case(
        ["tier", "set", BOB, "256", "--reason", "KYC 1"], EXIT_BAD_INPUT, "256 is not in the range 0<=x<=255"
    ),
    "limits of a tier that is no number": Case(
        ["limits", "two"], EXIT_BAD_INPUT, "'two' is not a valid integer"
    ),
    "limit that is no amount": Case(
        ["limits", "set", "1", "--max-balance", "lots", "--daily-outflow", "1"],
        EXIT_BAD_INPUT,
        "not a number",
    ),
}


def unused_port() -> int:
    """A local port nothing listens on: a chain that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def world(rpc_url: str, record: DeploymentRecord, record_path: Path, tmp_path: Path) -> dict[str, Any]:
    """The --rpc/--deployment pairs of each target, and alice's key as each kind of key source."""
    keystore = tmp_path / "alice.json"
    keystore.write_text(
        json.dumps(Account.encrypt(key_of("alice").key, PASSWORD, kdf="pbkdf2", iterations=2))
    )
    stranger = "0x" + "5e" * 20
    return {
        "targets": {
            "chain": [rpc_url, record_path],
            "down": [f"http://127.0.0.1:{unused_port()}", record_path],
            "wrong_chain": [rpc_url, write_record(dataclasses.replace(record, chain_id=97), tmp_path / "97")],
            "no_contract": [
                rpc_url,
                write_record(dataclasses.replace(record, address=stranger), tmp_path / "x"),
            ],
        },
        "keys": {
            "env": ([], {"TENGE_PRIVATE_KEY": key_of("alice").key.hex()}),
            "keystore": (["--keystore", str(keystore)], {"TENGE_KEYSTORE_PASSWORD": PASSWORD}),
            "missing_keystore": (
                ["--keystore", str(tmp_path / "nope.json")],
                {"TENGE_KEYSTORE_PASSWORD": PASSWORD},
            ),
            "wrong_password": (["--keystore", str(keystore)], {"TENGE_KEYSTORE_PASSWORD": "guess"}),
            "none": ([], {}),
        },
        "tmp": tmp_path,
    }


def command_line(case: Case, world: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    rpc, deployment = world["targets"][case.target]
    key_args, key_env = world["keys"][case.key]
    tmp: Path = world["tmp"]
    for name, content in case.files.items():
        (tmp / name).write_text(content)
    args = [arg.format(tmp=tmp) for arg in case.args]
    return ["--rpc", rpc, "--deployment", str(deployment), *key_args, *args], key_env


def nonce_of(address: str) -> int:
    return int(brownie.web3.eth.get_transaction_count(address))


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input_exit_code_message_and_nothing_sent(case: Case, world: dict[str, Any], funded: Any) -> None:
    args, env = command_line(case, world)
    before = nonce_of(ALICE)
    result = run_cli(args, **env)
    assert result.exit_code == case.exit_code, result.output
    assert case.phrase in result.output
    assert nonce_of(ALICE) == before


def test_exit_codes_are_distinct_per_family() -> None:
    families = {EXIT_BAD_INPUT, EXIT_CHAIN, EXIT_REVERT, EXIT_DEPLOYMENT, EXIT_KEY}
    assert len(families) == 5 and 0 not in families and 1 not in families
    assert {case.exit_code for case in CASES.values()} == families


def test_the_json_error_report_carries_the_exit_code(world: dict[str, Any], funded: Any) -> None:
    args, env = command_line(CASES["beyond balance"], world)
    result = run_cli(["--json", *args], **env)
    report = json.loads(result.stderr)
    assert (report["error"], report["exit_code"]) == ("ERC20InsufficientBalance", EXIT_REVERT)
    assert report["arguments"]["needed"] == 100_000_000


@pytest.mark.parametrize(
    "name", ["malformed address", "chain down", "wrong chain id", "payout with a bad row"]
)
def test_the_installed_console_script(name: str, world: dict[str, Any], funded: Any) -> None:
    """As a new user runs it: the `tenge` script in a fresh process, nothing but the environment shared."""
    case = CASES[name]
    args, env = command_line(case, world)
    script = Path(sys.executable).with_name("tenge")
    before = nonce_of(ALICE)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TENGE_")} | env
    done = subprocess.run([script, *args], capture_output=True, text=True, env=environment, timeout=60)
    assert done.returncode == case.exit_code, done.stderr
    assert case.phrase in done.stderr
    assert nonce_of(ALICE) == before
