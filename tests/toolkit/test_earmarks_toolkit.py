"""Earmarked tenge from the integrator's side: the library's purpose and earmark calls and views, each
`tenge purpose` and `tenge earmark` command against the chain, and `tenge earmark fund` exactly once
(rerun, killed mid-file and resumed, two processes at once, a copy of the file: the chain decides)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import brownie
import pytest
from conftest import chain_now, move_to
from eth_utils.crypto import keccak

from tenge import Tenge
from tenge.deployment import DeploymentRecord, write_record
from tenge.earmarks import PurposeStatus, RecipientKind, fund_rows, run_fund
from tenge.errors import ChainError, DeploymentError, InvalidInput, PayoutFileInvalid
from tenge.reverts import ContractRevert
from toolkit.conftest import key_of
from toolkit.conftest import run_cli as run

DAY = 86400
BASIS = "Budget law 2026/14, article 7"
Args = Callable[..., list[str]]
Connect = Callable[..., Tenge]


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def nonce_of(address: str) -> int:
    return int(brownie.web3.eth.get_transaction_count(address))


@pytest.fixture(scope="module")
def budget() -> Any:
    return brownie.accounts[15]


@pytest.fixture(scope="module")
def world(token: Any, earmarks: Any, admin: Any, kyc: Any, minter: Any, budget: Any) -> Any:
    """The token with BUDGET_HOLDER_ROLE on the budget holder, who has 10,000.00 KZT, and the earmark
    contract in the system tier 3, as deploys put it."""
    token.setTier(earmarks, 3, "0x" + "e" * 64, {"from": kyc})
    token.grantRole(earmarks.BUDGET_HOLDER_ROLE(), budget, {"from": admin})
    token.mint(budget, 1_000_000, {"from": minter})
    return token


@pytest.fixture
def opened(world: Any, connect: Connect, alice: Any, bob: Any, carol: Any) -> int:
    """Purpose 'Railway km 12-40' for 30 days: alice and bob intermediate, carol final, 5,000 KZT pooled."""
    tenge = connect("budget_holder")
    number = tenge.created_purpose_id(
        tenge.create_purpose("Railway km 12-40", timedelta(days=30), BASIS).wait()
    )
    for account, kind in ((alice, RecipientKind.INTERMEDIATE), (bob, "intermediate"), (carol, "final")):
        tenge.approve_recipient(number, account.address, kind, "KYB check").wait()
    tenge.deposit(number, Decimal("5000")).wait()
    return number


# --- the library -------------------------------------------------------------------------------------


def test_the_mark_follows_the_money_and_drops_at_a_final_recipient(
    opened: int, connect: Connect, world: Any, earmarks: Any, budget: Any, alice: Any, bob: Any, carol: Any
) -> None:
    funder, contractor = connect("budget_holder"), connect("alice")
    funder.earmark(opened, alice.address, Decimal("1200"), disbursement="Line 1").wait()
    contractor.pay_earmarked(opened, bob.address, Decimal("700")).wait()  # intermediate: still earmarked
    before = world.balanceOf(carol)
    connect("bob").pay_earmarked(opened, carol.address, Decimal("650.25")).wait()  # final: plain DKZT
    assert world.balanceOf(carol) - before == 65_025
    assert funder.earmarked_balance(opened, alice.address) == Decimal("500.00")
    assert funder.earmarked_balances(bob.address) == {opened: Decimal("49.75")}
    assert funder.recipient_kind(opened, carol.address) is RecipientKind.FINAL
    found = funder.purpose(opened)
    assert found.name == "Railway km 12-40" and found.funder == budget.address
    assert found.reason == "0x" + keccak(text=BASIS).hex()
    assert (found.pool, found.outstanding, found.returnable) == (
        Decimal("3800.00"),
        Decimal("4349.75"),
        Decimal("3800.00"),
    )
    assert found.status is PurposeStatus.OPEN and world.balanceOf(earmarks) == 434_975
    assert [p.id for p in funder.purposes()] == list(range(1, funder.purpose_count() + 1))


def test_a_refusal_is_the_contracts_named_error_and_nothing_is_sent(
    opened: int, connect: Connect, outsider: Any, alice: Any, budget: Any
) -> None:
    funder = connect("budget_holder")
    funder.earmark(opened, alice.address, Decimal("10")).wait()
    before = nonce_of(alice.address)
    with pytest.raises(ContractRevert) as refused:
        connect("alice").pay_earmarked(opened, outsider.address, Decimal("5"))
    assert refused.value.error_name == "RecipientNotApproved"
    assert refused.value.arguments["recipient"] == outsider.address
    assert nonce_of(alice.address) == before
    with pytest.raises(ContractRevert, match="DisbursementUsed"):
        funder.earmark(opened, alice.address, Decimal("1"), disbursement="Line 9").wait()
        funder.earmark(opened, alice.address, Decimal("1"), disbursement="Line 9")
    with pytest.raises(ContractRevert, match="AccessControlUnauthorizedAccount"):
        connect("alice").create_purpose("Not a budget", timedelta(days=1), BASIS)
    with pytest.raises(ContractRevert, match=r"runs until .* \(in (29|30) days"):
        connect("outsider").close_purpose(opened)


def test_at_the_expiry_the_unspent_returns_to_the_funder(
    opened: int, connect: Connect, world: Any, budget: Any, alice: Any
) -> None:
    funder = connect("budget_holder")
    funder.earmark(opened, alice.address, Decimal("1000")).wait()
    funder.withdraw(opened, Decimal("500"), reason="Budget amendment").wait()
    before = world.balanceOf(budget)
    move_to(funder.purpose(opened).expires_at + 1)
    expired = funder.purpose(opened)
    assert expired.status is PurposeStatus.EXPIRED and expired.returnable == Decimal("4500.00")
    assert funder.earmarked_balance(opened, alice.address) == 0
    connect("outsider").close_purpose(opened).wait()
    assert world.balanceOf(budget) - before == 450_000
    assert funder.purpose(opened).status is PurposeStatus.CLOSED


def test_a_long_name_is_hashed(world: Any, connect: Connect) -> None:
    tenge = connect("budget_holder")
    name = "Almaty-Kapshagay railway, section 3, km 12 to km 40 (2026)"
    number = tenge.created_purpose_id(tenge.create_purpose(name, timedelta(days=3), BASIS).wait())
    assert tenge.purpose(number).name == "0x" + keccak(text=name).hex()


def test_the_audit_and_the_reader_know_the_earmark_events(
    opened: int, connect: Connect, alice: Any, budget: Any
) -> None:
    tenge = connect("budget_holder")
    tenge.earmark(opened, alice.address, Decimal("100")).wait()
    tenge.remove_recipient(opened, alice.address, "Contract terminated").wait()
    audit = [
        e for e in tenge.audit() if e.event in ("PurposeCreated", "RecipientApproved", "RecipientRemoved")
    ]
    created = next(e for e in audit if e.event == "PurposeCreated")
    assert created.actor == budget.address and created.reason == "0x" + keccak(text=BASIS).hex()
    assert "'Railway km 12-40' opened until" in created.details
    removed = audit[-1]
    assert (removed.event, removed.account, removed.details) == (
        "RecipientRemoved",
        alice.address,
        f"removed from purpose #{opened}",
    )
    moved = list(tenge.logs(["Deposited", "EarmarkPaid"]))
    assert {"Deposited", "EarmarkPaid"} <= {e.name for e in moved}
    assert moved[-1].args["to"] == alice.address and moved[-1].args["released"] is False


# --- the command line --------------------------------------------------------------------------------


def test_the_purpose_commands(cli_env: Args, world: Any, alice: Any, carol: Any, budget: Any) -> None:
    created = ok(
        run(
            cli_env("--json", "purpose", "create", "School 114", "--for", "30d", "--reason", BASIS),
            "budget_holder",
        )
    )
    number = created["purpose"]
    assert created["events"][0]["event"] == "PurposeCreated"
    ok(
        run(
            cli_env(
                "--json",
                "purpose",
                "approve",
                str(number),
                alice.address,
                "--intermediate",
                "--reason",
                "KYB",
            ),
            "budget_holder",
        )
    )
    ok(
        run(
            cli_env("--json", "purpose", "approve", str(number), carol.address, "--final", "--reason", "KYB"),
            "budget_holder",
        )
    )
    shown = ok(run(cli_env("--json", "purpose", "show", str(number))))
    assert shown["name"] == "School 114" and shown["status"] == "open" and shown["funder"] == budget.address
    listed = ok(run(cli_env("--json", "purpose", "list")))
    assert any(p["id"] == number for p in listed)
    assert "School 114" in run(cli_env("purpose", "show", str(number))).stdout
    ok(
        run(
            cli_env("--json", "purpose", "remove", str(number), carol.address, "--reason", "Fraud"),
            "budget_holder",
        )
    )
    no_kind = run(cli_env("purpose", "approve", str(number), carol.address, "--reason", "x"), "budget_holder")
    assert no_kind.exit_code == 2 and "give --intermediate or --final" in no_kind.output


def test_the_earmark_commands(
    cli_env: Args, opened: int, world: Any, alice: Any, bob: Any, carol: Any, outsider: Any, budget: Any
) -> None:
    p = str(opened)
    ok(run(cli_env("--json", "earmark", "deposit", p, "100"), "budget_holder"))
    ok(
        run(
            cli_env("--json", "earmark", "to", p, alice.address, "300", "--disbursement", "L-1"),
            "budget_holder",
        )
    )
    paid = ok(run(cli_env("--json", "earmark", "pay", p, carol.address, "120.50"), "alice"))
    (released,) = [e for e in paid["events"] if e["event"] == "EarmarkPaid"]
    assert released["args"]["released"] is True and paid["events"][-1]["event"] == "Transfer"
    balance = ok(run(cli_env("--json", "earmark", "balance", alice.address)))
    assert balance["balances"] == [{"purpose": opened, "balance": "179.50", "recipient_kind": "intermediate"}]
    assert ok(run(cli_env("--json", "earmark", "balance", bob.address, "--purpose", p)))["total"] == "0.00"
    refused = run(cli_env("earmark", "pay", p, outsider.address, "1"), "alice")
    assert refused.exit_code == 4 and "RecipientNotApproved" in refused.stderr
    early = run(cli_env("earmark", "expire", p), "outsider")
    assert early.exit_code == 4 and "PurposeNotExpired" in early.stderr
    ok(run(cli_env("--json", "earmark", "withdraw", p, "50", "--reason", "Amendment"), "budget_holder"))
    move_to(chain_now() + 31 * DAY)
    before = world.balanceOf(budget)
    closed = ok(run(cli_env("--json", "earmark", "expire", p), "outsider"))
    assert [e["event"] for e in closed["events"]] == ["PurposeClosed", "Transfer"]
    assert world.balanceOf(budget) - before == 5_000_00 + 100_00 - 300_00 - 50_00 + 179_50


# --- earmark fund: a disbursement file, exactly once ---------------------------------------------------


def disbursement(tmp_path: Path, rows: list[str], name: str = "lines.csv") -> Path:
    path = tmp_path / name
    path.write_text("address,amount,reference\n" + "".join(f"{row}\n" for row in rows))
    return path


def five_rows(alice: Any, bob: Any, carol: Any) -> list[str]:
    return [
        f"{alice.address},100.00,",
        f"{bob.address},200.50,",
        f"{carol.address},300,",
        f"{alice.address},100.00,",  # the same payment again, another row: a second disbursement
        f"{bob.address},0.01,BL-2026-0005",
    ]


def earmarked(earmarks: Any, number: int, *accounts: Any) -> list[int]:
    return [earmarks.balanceOf(number, a) for a in accounts]


def test_fund_earmarks_every_row_once_and_a_rerun_pays_nothing(
    cli_env: Args,
    opened: int,
    tmp_path: Path,
    world: Any,
    earmarks: Any,
    alice: Any,
    bob: Any,
    carol: Any,
    budget: Any,
) -> None:
    path = disbursement(tmp_path, five_rows(alice, bob, carol))
    carol_before = world.balanceOf(carol)
    first = ok(
        run(
            cli_env("--json", "earmark", "fund", str(opened), str(path), "--batch-rows", "2"), "budget_holder"
        )
    )
    assert (first["rows"], first["earmarked"], first["already_earmarked"], len(first["transactions"])) == (
        5,
        5,
        0,
        3,
    )
    assert first["total"] == "700.51" and first["complete"]
    assert earmarked(earmarks, opened, alice, bob) == [20_000, 20_051]
    assert world.balanceOf(carol) - carol_before == 30_000  # final: plain DKZT
    nonce = nonce_of(budget.address)
    again = ok(run(cli_env("--json", "earmark", "fund", str(opened), str(path)), "budget_holder"))
    assert (again["earmarked"], again["already_earmarked"], again["transactions"]) == (0, 5, [])
    assert nonce_of(budget.address) == nonce
    copy = tmp_path / "elsewhere" / "copy.csv"
    copy.parent.mkdir()
    shutil.copy(path, copy)  # the same bytes anywhere: the same disbursements
    assert (
        ok(run(cli_env("--json", "earmark", "fund", str(opened), str(copy)), "budget_holder"))["earmarked"]
        == 0
    )
    assert earmarked(earmarks, opened, alice, bob) == [20_000, 20_051]


def test_a_row_with_a_reference_is_recognised_in_another_file(
    connect: Connect, opened: int, tmp_path: Path, earmarks: Any, alice: Any, bob: Any
) -> None:
    tenge = connect("budget_holder")
    run_fund(tenge, opened, disbursement(tmp_path, [f"{alice.address},10,BL-1", f"{bob.address},20,BL-2"]))
    # The rows in another file, a new row before them: a row with a reference is known anywhere.
    edited = disbursement(
        tmp_path, [f"{bob.address},5,BL-3", f"{alice.address},10,BL-1", f"{bob.address},20,BL-2"], "v2.csv"
    )
    summary = run_fund(tenge, opened, edited)
    assert (summary.already, summary.earmarked) == (2, 1)
    assert earmarks.balanceOf(opened, bob) == 2_500


def test_fund_killed_after_its_first_batch_resumes_where_the_chain_stands(
    connect: Connect, opened: int, tmp_path: Path, world: Any, earmarks: Any, alice: Any, bob: Any, carol: Any
) -> None:
    path = disbursement(tmp_path, five_rows(alice, bob, carol))
    tenge = connect("budget_holder")

    def crash(rows: Any, tx_hash: str) -> None:
        raise KeyboardInterrupt("killed")

    with pytest.raises(KeyboardInterrupt):
        run_fund(tenge, opened, path, batch_rows=2, on_batch=crash)
    assert earmarked(earmarks, opened, alice, bob) == [10_000, 20_050]
    resumed = run_fund(connect("budget_holder"), opened, path, batch_rows=2)
    assert (resumed.already, resumed.earmarked) == (2, 3)
    assert earmarked(earmarks, opened, alice, bob) == [20_000, 20_051]


def test_fund_against_a_node_that_refuses_after_some_rows(
    connect: Connect,
    opened: int,
    tmp_path: Path,
    earmarks: Any,
    alice: Any,
    bob: Any,
    carol: Any,
    monkeypatch: Any,
) -> None:
    """A node that stops answering mid-file (a broadcast refused after the second batch): a rerun pays
    the rest, once."""

    path = disbursement(tmp_path, five_rows(alice, bob, carol))
    tenge = connect("budget_holder")
    real = tenge.earmarks_multicall
    sent: list[int] = []

    def refusing(calls: Any, description: str = "") -> Any:
        if len(sent) == 2:
            raise ChainError("node refused: connection reset")
        sent.append(len(calls))
        return real(calls, description)

    monkeypatch.setattr(tenge, "earmarks_multicall", refusing)
    with pytest.raises(ChainError):
        run_fund(tenge, opened, path, batch_rows=2)
    again = run_fund(connect("budget_holder"), opened, path, batch_rows=2)
    assert (again.already, again.earmarked) == (4, 1)
    assert earmarked(earmarks, opened, alice, bob) == [20_000, 20_051]


def test_three_processes_on_one_file_earmark_each_row_once(
    connect: Connect,
    rpc_url: str,
    record_path: Path,
    opened: int,
    tmp_path: Path,
    world: Any,
    earmarks: Any,
    alice: Any,
    bob: Any,
    carol: Any,
) -> None:
    rows = [f"{[alice, bob][i % 2].address},{1 + i}.00,R-{i}" for i in range(30)]
    path = disbursement(tmp_path, rows)
    env = {**os.environ, "TENGE_PRIVATE_KEY": key_of("budget_holder").key.hex()}
    command = [sys.executable, "-m", "tenge", "--rpc", rpc_url, "--deployment", str(record_path), "--json"]
    command += ["earmark", "fund", str(opened), str(path), "--batch-rows", "3"]
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert all(p.returncode == 0 for p in processes), [err.decode()[-600:] for _out, err in outputs]
    summaries = [json.loads(out) for out, _err in outputs]
    assert all(s["complete"] for s in summaries)
    # On chain, each row's disbursement once: two processes that sign the same batch with the same key
    # and nonce make the same transaction (the same bytes), which lands once and both see land.
    paid = [e for e in connect().logs(["EarmarkPaid"]) if e.args["id"] == opened]
    ids = [e.args["disbursement"] for e in paid]
    assert len(ids) == len(set(ids)) == 30
    expected_alice = sum(1 + i for i in range(0, 30, 2)) * 100
    expected_bob = sum(1 + i for i in range(1, 30, 2)) * 100
    assert earmarked(earmarks, opened, alice, bob) == [expected_alice, expected_bob]


def test_bad_rows_are_refused_all_listed_and_nothing_sent(
    cli_env: Args, connect: Connect, opened: int, tmp_path: Path, alice: Any, outsider: Any, budget: Any
) -> None:
    path = disbursement(
        tmp_path,
        [
            f"{alice.address},10.00,",
            "0x1234,5,",
            f"{alice.address},1.005,",
            f"{outsider.address},7,",
            f"{alice.address},-3,",
            f"{alice.address},2,BL-7",
            f"{alice.address},3,BL-7",
        ],
    )
    nonce = nonce_of(budget.address)
    result = run(cli_env("earmark", "fund", str(opened), str(path)), "budget_holder")
    assert result.exit_code == 2
    text = " ".join(result.stderr.split())
    for line in (3, 4, 5, 6, 8):
        assert f"line {line}:" in text, text
    assert "reference 'BL-7' is line 7's already" in text
    assert f"{outsider.address} is not an approved recipient of purpose {opened}" in text
    assert "5 bad row(s), nothing sent" in text
    assert nonce_of(budget.address) == nonce
    with pytest.raises(PayoutFileInvalid) as refused:
        fund_rows(connect("budget_holder"), opened, path)
    assert [p.line for p in refused.value.problems] == [3, 4, 5, 6, 8]


def test_a_pool_too_small_is_refused_before_anything_is_sent(
    connect: Connect, opened: int, tmp_path: Path, alice: Any, budget: Any
) -> None:
    path = disbursement(tmp_path, [f"{alice.address},4000,", f"{alice.address},1500,"])
    nonce = nonce_of(budget.address)
    with pytest.raises(InvalidInput, match=r"deposit 500\.00 KZT more first"):
        run_fund(connect("budget_holder"), opened, path)
    assert nonce_of(budget.address) == nonce


# --- records ---------------------------------------------------------------------------------------


def test_a_schema_3_record_loads_and_earmark_commands_say_why_they_cannot_run(
    record: DeploymentRecord, rpc_url: str, tmp_path: Path
) -> None:
    data = json.loads(record.to_json())
    del data["earmarks"], data["earmarks_code_hash"], data["earmarks_abi"]
    data["schema"] = 3
    path = tmp_path / "old" / f"{record.chain_id}.json"
    path.parent.mkdir()
    path.write_text(json.dumps(data))
    tenge = Tenge.connect(rpc_url, path)
    assert tenge.earmarks is None and tenge.balance_of(record.admin) >= 0
    with pytest.raises(DeploymentError, match="names no earmark contract"):
        tenge.purposes()
    result = run(["--rpc", rpc_url, "--deployment", str(path), "purpose", "list"])
    assert result.exit_code == 5
    assert "names no earmark contract" in " ".join(result.stderr.split())


def test_verify_checks_the_earmark_contracts_code(
    record: DeploymentRecord, rpc_url: str, tmp_path: Path
) -> None:
    from dataclasses import replace

    wrong = replace(record, earmarks_code_hash="0x" + "00" * 32)
    with pytest.raises(DeploymentError, match=r"earmark contract at .* has code hash"):
        Tenge.connect(rpc_url, write_record(wrong, tmp_path))
