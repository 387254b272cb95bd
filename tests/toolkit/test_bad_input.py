"""Bad input, tried as a new user would: each mistake gets the exit code of its family, a message naming
what is wrong, and nothing is sent (the sender's nonce is unchanged).

Exit codes (tenge.errors): 2 bad input, 3 chain down, 4 contract refused, 5 deployment mismatch, 6 key.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import brownie
import pytest
from eth_account import Account

from tenge import InvalidAmount, Tenge, Tiyn
from tenge.deploy import local_plan
from tenge.deployment import DeploymentRecord, write_record
from tenge.errors import EXIT_BAD_INPUT, EXIT_CHAIN, EXIT_DEPLOYMENT, EXIT_KEY, EXIT_REVERT, InvalidInput
from tenge.units import parse_kzt
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
    "beyond balance": Case(
        ["transfer", BOB, "1000000"],
        EXIT_REVERT,
        "(in KZT: balance=1000.00, needed=1000000.00)",
        key="keystore",
    ),
    "reason not 32 bytes": Case(["freeze", BOB, "--reason", "0x1234"], EXIT_BAD_INPUT, "is not 32 bytes"),
    "reason missing": Case(["freeze", BOB], EXIT_BAD_INPUT, "Missing option '--reason'"),
    "unknown role": Case(
        ["roles", "grant", "KING", BOB, "--reason", "x"], EXIT_BAD_INPUT, "unknown role 'KING_ROLE'"
    ),
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
    "payout with a reference twice, as text and as its hex": Case(
        ["payout", "{tmp}/payouts.csv"],
        EXIT_BAD_INPUT,
        "line 3: duplicate of line 2 (same address and amount, and the same reference as bytes32",
        files={
            "payouts.csv": PAYOUT_HEADER
            + f"{BOB},1.00,INV-1\n{BOB},1.00,0x{b'INV-1'.ljust(32, bytes(1)).hex()}\n"
        },
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
        ["limits", "set", "1", "--max-balance", "lots", "--daily-outflow", "1", "--reason", "Rule 1"],
        EXIT_BAD_INPUT,
        "amount 'lots' is not a number",
    ),
}

HOW = "write KZT as digits with at most 2 decimals, e.g. '1234.56'"
DECIMALS = "has more than 2 decimals (1 tiyn = 0.01 KZT)"
# Every bad way to write an amount, as typed (CLI argument or payout cell), and the one parser's answer.
TEXT_AMOUNTS: dict[str, tuple[str, str]] = {
    "Arabic-Indic digits": (
        "\u0661\u0662",
        "amount '\u0661\u0662' is not written in ASCII digits: use 0-9 and '.'",
    ),
    "fullwidth digits": (
        "\uff11\uff12",
        "amount '\uff11\uff12' is not written in ASCII digits: use 0-9 and '.'",
    ),
    "exponent": ("1e2", "amount '1e2' has an exponent: write it out as '100'"),
    "exponent beyond uint256": ("1e80", "amount '1e80' has an exponent: write it out in digits"),
    "blanks around": (" 5.00 ", "amount ' 5.00 ' has blanks around it: write '5.00'"),
    "a blank before": (" 5", "amount ' 5' has blanks around it: write '5'"),
    "zero": ("0", "amount '0' is zero: it would move nothing"),
    "zero with decimals": ("0.00", "amount '0.00' is zero: it would move nothing"),
    "3 decimals": ("1.001", f"amount '1.001' {DECIMALS}"),
    "below a tiyn": ("0.001", f"amount '0.001' {DECIMALS}"),
    "negative": ("-1", "amount '-1' is negative"),
    "not a number": ("ten", f"amount 'ten' is not a number: {HOW}"),
    "decimal comma": ("1,5", f"amount '1,5' is not a number: {HOW}"),
    "thousands separator": ("1 000", f"amount '1 000' is not a number: {HOW}"),
    "plus sign": ("+5", f"amount '+5' is not a number: {HOW}"),
    "no digits before the point": (".5", f"amount '.5' is not a number: {HOW}"),
    "no digits after the point": ("5.", f"amount '5.' is not a number: {HOW}"),
    "NaN": ("NaN", f"amount 'NaN' is not a number: {HOW}"),
    "Infinity": ("Infinity", f"amount 'Infinity' is not a number: {HOW}"),
    "empty": ("", f"amount '' is empty: {HOW}"),
    "beyond uint256": (str(2**256), f"amount '{2**256}' is too large for a uint256"),
}
# What only the library can be given: Python values that are not KZT text.
LIBRARY_AMOUNTS: dict[str, tuple[Any, str]] = {
    **TEXT_AMOUNTS,
    "float": (
        1.5,
        "amount 1.5 is a float, which cannot hold tiyn exactly: write KZT as Decimal('1.5') or '1.5', "
        "or tiyn as Tiyn(...)",
    ),
    "bare int": (
        5,
        "amount 5 is a bare int, which could be KZT or tiyn: write KZT as Decimal('5') or '5', "
        "or tiyn as Tiyn(5)",
    ),
    "bool": (True, "amount True is a bool, not an amount"),
    "Decimal NaN": (Decimal("NaN"), f"amount Decimal('NaN') is not a number: {HOW}"),
    "negative Decimal": (Decimal("-0.01"), "amount Decimal('-0.01') is negative"),
    "Decimal below a tiyn": (Decimal("0.001"), f"amount Decimal('0.001') {DECIMALS}"),
    "zero Decimal": (Decimal("0"), "amount Decimal('0') is zero: it would move nothing"),
    "zero tiyn": (Tiyn(0), "amount Tiyn(0) is zero: it would move nothing"),
    "tiyn beyond uint256": (Tiyn(2**256), f"amount Tiyn({2**256}) is too large for a uint256"),
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


@pytest.mark.parametrize(("text", "message"), TEXT_AMOUNTS.values(), ids=TEXT_AMOUNTS.keys())
def test_bad_amount_on_the_command_line(text: str, message: str, world: dict[str, Any], funded: Any) -> None:
    args, env = command_line(Case(["transfer", BOB, text], EXIT_BAD_INPUT, message), world)
    before = nonce_of(ALICE)
    result = run_cli(args, **env)
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert message in result.output
    assert nonce_of(ALICE) == before


@pytest.mark.parametrize(("text", "message"), TEXT_AMOUNTS.values(), ids=TEXT_AMOUNTS.keys())
def test_bad_amount_in_a_payout_row(text: str, message: str, world: dict[str, Any], funded: Any) -> None:
    rows = io.StringIO()
    csv.writer(rows, lineterminator="\n").writerows([["address", "amount"], [BOB, "1.00"], [ALICE, text]])
    case = Case(
        ["payout", "{tmp}/payouts.csv"], EXIT_BAD_INPUT, message, files={"payouts.csv": rows.getvalue()}
    )
    args, env = command_line(case, world)
    before = nonce_of(ALICE)
    result = run_cli(args, **env)
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    expected = "line 3: no amount" if text == "" else f"line 3: {message}"
    assert expected in result.output
    assert nonce_of(ALICE) == before


@pytest.mark.parametrize(("amount", "message"), LIBRARY_AMOUNTS.values(), ids=LIBRARY_AMOUNTS.keys())
def test_bad_amount_given_to_the_library(
    amount: Any, message: str, rpc_url: str, record: DeploymentRecord, funded: Any
) -> None:
    holder = Tenge.connect(rpc_url, record, signer=key_of("alice"))
    before = nonce_of(ALICE)
    for write in (
        lambda: holder.transfer(BOB, amount),
        lambda: holder.mint(BOB, amount),
        lambda: holder.burn(amount),
        lambda: holder.transfer(BOB, amount, reference="INV-1"),
    ):
        with pytest.raises(InvalidAmount) as refused:
            write()
        assert str(refused.value) == message
    assert nonce_of(ALICE) == before


def test_tiyn_are_named_by_the_keyword_or_the_type(
    rpc_url: str, record: DeploymentRecord, funded: Any
) -> None:
    holder = Tenge.connect(rpc_url, record, signer=key_of("alice"))
    holder.transfer(BOB, tiyn=150).wait()
    holder.transfer(BOB, Tiyn(150)).wait()
    holder.approve(BOB, "0").wait()  # revoking an allowance: zero means something here
    with pytest.raises(InvalidAmount, match="exactly one of them"):
        holder.transfer(BOB, "1.50", tiyn=150)
    with pytest.raises(InvalidAmount, match=r"tiyn=1.5: tiyn are a whole number \(int\)"):
        holder.transfer(BOB, tiyn=1.5)  # type: ignore[arg-type]


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


@pytest.mark.parametrize(("typed", "phrase"), [("\n", "wrong password"), ("", "no password given")])
def test_an_empty_or_missing_password_at_the_prompt_is_a_key_problem(
    typed: str, phrase: str, world: dict[str, Any], funded: Any
) -> None:
    args, _ = command_line(Case(["transfer", BOB, "1"], EXIT_KEY, phrase, key="keystore"), world)
    before = nonce_of(ALICE)
    result = run_cli(args, input=typed)  # no TENGE_KEYSTORE_PASSWORD: the password is asked for
    assert result.exit_code == EXIT_KEY, result.output
    assert phrase in result.output
    assert nonce_of(ALICE) == before


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0.29 * 100, "Tiyn(28.999999999999996): tiyn are a whole number, an int"),
        (Decimal("1.99"), "Tiyn(Decimal('1.99')): tiyn are a whole number, an int"),
        (True, "Tiyn(True): tiyn are a whole number, an int"),
        ("\u0661\u0660\u0660", "Tiyn('\u0661\u0660\u0660'): tiyn are a whole number, an int"),
        ("100", "Tiyn('100'): tiyn are a whole number, an int"),
        (-1, "Tiyn(-1) is negative"),
    ],
    ids=["float", "Decimal with a fraction", "bool", "Arabic-Indic digits", "text", "negative"],
)
def test_tiyn_refuses_what_int_would_truncate_or_misread(value: object, message: str) -> None:
    # int() would make 28 of 28.999..., 1 of Decimal('1.99') and of True, and 100 of Arabic-Indic digits.
    with pytest.raises(InvalidAmount) as refused:
        Tiyn(value)  # type: ignore[arg-type]
    assert str(refused.value).startswith(message)


def test_an_amount_too_long_for_any_uint256_is_refused_by_its_length() -> None:
    with pytest.raises(InvalidAmount, match="has 5000 digits: too large for a uint256"):
        parse_kzt("1" * 5000)


@pytest.mark.parametrize("variable", ["TENGE_MINTER_ALLOWANCE", "TENGE_ADMIN_DELAY", "TENGE_SEIZURE_NOTICE"])
@pytest.mark.parametrize("text", ["-1", "1e5", "abc", "\u0661"])
def test_deploy_settings_are_checked_before_anything_is_sent(variable: str, text: str) -> None:
    with pytest.raises(InvalidInput, match=f"{variable}=.*: write a whole number"):
        local_plan("0x" + "11" * 20, 31337, {variable: text})
