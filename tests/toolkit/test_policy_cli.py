"""The wallet policy from the toolkit: tiers, limits, links, the switch, payment references in history
and watch, and payouts checked against the limits before anything is sent. The policy is on, as in
production (`policy_token`); tier 4 is configured small so that amounts stay readable."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import brownie
import pytest
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from tenge import PayoutFileInvalid, Tenge, reference_bytes32, reference_text, run_payout
from tenge.errors import EXIT_BAD_INPUT, EXIT_REVERT
from tenge.payout import PayoutEvent
from tenge.payout_file import row_reference
from toolkit.conftest import run_cli as run

REASON = "KYC decision 42/2026"
REASON_HASH = "0x" + keccak(text=REASON).hex()
UNLIMITED = 2**256 - 1
SMALL_TIER = 4  # holds at most 1,000.00 KZT, sends at most 300.00 KZT a day
Args = Callable[..., list[str]]
Connect = Callable[..., Tenge]


@pytest.fixture(scope="module")
def world(policy_token: Any, admin: Any, minter: Any, alice: Any, bob: Any) -> Any:
    """Policy on; alice (tier 0) holds 5,000.00 KZT and bob 500.00; tier 4 is the small tier."""
    policy_token.mint(alice, 500_000, {"from": minter})
    policy_token.mint(bob, 50_000, {"from": minter})
    policy_token.setTierLimits(SMALL_TIER, 100_000, 30_000, REASON_HASH, {"from": admin})
    return policy_token


@pytest.fixture
def capped(world: Any, kyc: Any, carol: Any) -> Any:
    """Carol in the small tier with nothing yet: she can receive 1,000.00 KZT."""
    world.setTier(carol, SMALL_TIER, REASON_HASH, {"from": kyc})
    return carol


def sent(result: Any) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def events_named(report: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [event["args"] for event in report["events"] if event["event"] == name]


def nonce_of(address: str) -> int:
    return int(brownie.web3.eth.get_transaction_count(address))


def payee(i: int) -> str:
    return str(to_checksum_address(keccak(text=f"policy payee {i}")[-20:]))


def history(cli_env: Args, account: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(run(cli_env("--json", "history", account)).stdout)
    return rows


# --- tiers and limits -------------------------------------------------------------------------------------


def test_tier_set_emits_tier_set_and_get_shows_the_limits(
    cli_env: Args, world: Any, kyc: Any, carol: Any
) -> None:
    report = sent(run(cli_env("--json", "tier", "set", carol.address, "1", "--reason", REASON), actor="kyc"))
    assert events_named(report, "TierSet") == [
        {"account": carol.address, "oldTier": 0, "newTier": 1, "actor": kyc.address, "reason": REASON_HASH}
    ]
    assert world.tierOf(carol) == 1
    shown = json.loads(run(cli_env("--json", "tier", "get", carol.address)).stdout)
    assert shown == {
        "address": carol.address,
        "policy_enabled": True,
        "tier": 1,
        "max_balance": "1000000.00",
        "daily_outflow": "500000.00",
        "outflow_today": "0.00",
        "available_to_send": "0.00",
        "available_to_receive": "1000000.00",
        "linked_account": None,
    }
    (entry,) = [e for e in json.loads(run(cli_env("--json", "audit")).stdout) if e["event"] == "TierSet"]
    assert (entry["account"], entry["actor"], entry["reason"], entry["details"]) == (
        carol.address,
        kyc.address,
        REASON_HASH,
        "tier 0 -> 1",
    )


def test_tier_set_needs_the_kyc_role(cli_env: Args, world: Any, carol: Any) -> None:
    refused = run(cli_env("tier", "set", carol.address, "1", "--reason", REASON), actor="admin")
    assert refused.exit_code == EXIT_REVERT and "AccessControlUnauthorizedAccount" in refused.stderr
    assert "KYC_ROLE" in refused.stderr and world.tierOf(carol) == 0


def test_limits_table_lists_every_configured_tier(cli_env: Args, world: Any) -> None:
    shown = json.loads(run(cli_env("--json", "limits")).stdout)
    assert shown["policy_enabled"] is True
    assert shown["tiers"] == [
        {"tier": 0, "max_balance": "100000.00", "daily_outflow": "50000.00"},
        {"tier": 1, "max_balance": "1000000.00", "daily_outflow": "500000.00"},
        {"tier": 2, "max_balance": "10000000.00", "daily_outflow": "5000000.00"},
        {"tier": 3, "max_balance": None, "daily_outflow": None},
        {"tier": SMALL_TIER, "max_balance": "1000.00", "daily_outflow": "300.00"},
    ]
    one = json.loads(run(cli_env("--json", "limits", "2")).stdout)["tiers"]
    assert one == [{"tier": 2, "max_balance": "10000000.00", "daily_outflow": "5000000.00"}]
    table = run(cli_env("limits")).stdout
    assert "unlimited" in table and "100000.00" in table and "policy on" in table


def test_limits_set_with_unlimited(cli_env: Args, world: Any, admin: Any) -> None:
    args = [
        "limits",
        "set",
        "7",
        "--max-balance",
        "2500.50",
        "--daily-outflow",
        "unlimited",
        "--reason",
        "Rule 7",
    ]
    report = sent(run(cli_env("--json", *args), actor="admin"))
    assert events_named(report, "TierLimitsSet") == [
        {
            "tier": 7,
            "maxBalance": "2500.50",
            "dailyOutflow": "unlimited",
            "actor": admin.address,
            "reason": "0x" + keccak(text="Rule 7").hex(),
        }
    ]
    assert [int(x) for x in world.tierLimits(7)] == [250_050, UNLIMITED]
    assert {"tier": 7, "max_balance": "2500.50", "daily_outflow": None} in json.loads(
        run(cli_env("--json", "limits")).stdout
    )["tiers"]
    audit = [e for e in json.loads(run(cli_env("--json", "audit")).stdout) if e["event"] == "TierLimitsSet"]
    assert audit[-1]["details"] == "tier 7: holds at most 2500.50 KZT, sends at most unlimited a day"
    assert (audit[-1]["actor"], audit[-1]["reason"]) == (admin.address, "0x" + keccak(text="Rule 7").hex())


def test_balance_shows_tier_and_what_an_account_can_send_and_receive(
    cli_env: Args, world: Any, capped: Any, alice: Any
) -> None:
    world.transfer(capped, 20_000, {"from": alice})
    carol_row, alice_row = json.loads(run(cli_env("--json", "balance", capped.address, alice.address)).stdout)
    assert (carol_row["tier"], carol_row["balance"], carol_row["available"]) == (
        SMALL_TIER,
        "200.00",
        "200.00",
    )
    assert (carol_row["available_to_send"], carol_row["available_to_receive"]) == ("200.00", "800.00")
    assert (alice_row["tier"], alice_row["available_to_send"]) == (0, "4800.00")
    assert alice_row["available_to_receive"] == "95200.00"  # tier 0 holds at most 100,000.00
    table = run(cli_env("balance", capped.address)).stdout
    assert "can receive KZT" in table and "800.00" in table


# --- refusals, the waterfall, the switch ------------------------------------------------------------------


def test_transfer_over_the_holding_limit_is_refused_by_name_in_kzt(
    cli_env: Args, world: Any, capped: Any, alice: Any
) -> None:
    before = nonce_of(alice.address)
    refused = run(cli_env("transfer", capped.address, "1500"), actor="alice")
    assert refused.exit_code == EXIT_REVERT
    assert "HoldingLimitExceeded" in refused.stderr
    assert "(in KZT: balanceAfter=1500.00, limit=1000.00)" in refused.stderr
    as_json = json.loads(run(cli_env("--json", "transfer", capped.address, "1500"), actor="alice").stderr)
    assert as_json["error"] == "HoldingLimitExceeded"
    assert as_json["arguments"] == {"account": capped.address, "balanceAfter": 150_000, "limit": 100_000}
    assert as_json["arguments_kzt"] == {"balanceAfter": "1500.00", "limit": "1000.00"}
    assert nonce_of(alice.address) == before and world.balanceOf(capped) == 0


def test_daily_outflow_is_refused_by_name(cli_env: Args, world: Any, kyc: Any, alice: Any, bob: Any) -> None:
    world.setTier(alice, SMALL_TIER, REASON_HASH, {"from": kyc})
    assert run(cli_env("transfer", bob.address, "250"), actor="alice").exit_code == 0
    refused = run(cli_env("transfer", bob.address, "50.01"), actor="alice")
    assert refused.exit_code == EXIT_REVERT and "DailyOutflowExceeded" in refused.stderr
    assert "(in KZT: outflowAfter=300.01, limit=300.00)" in refused.stderr


def test_waterfall_with_a_reference_shows_both_legs_in_history(
    cli_env: Args, world: Any, capped: Any, kyc: Any, alice: Any, bob: Any
) -> None:
    proposed = sent(
        run(cli_env("--json", "link", capped.address, bob.address, "--reason", REASON), actor="kyc")
    )
    assert events_named(proposed, "LinkedAccountProposed") == [
        {"account": capped.address, "linked": bob.address, "actor": kyc.address, "reason": REASON_HASH}
    ]
    early = run(cli_env("transfer", capped.address, "1500"), actor="alice")  # proposed, not yet accepted
    assert early.exit_code == EXIT_REVERT and "HoldingLimitExceeded" in early.stderr
    linked = sent(run(cli_env("--json", "accept-link", bob.address), actor="carol"))
    assert events_named(linked, "LinkedAccountSet") == [
        {"account": capped.address, "linked": bob.address, "actor": capped.address, "reason": REASON_HASH}
    ]
    report = sent(
        run(cli_env("--json", "transfer", capped.address, "1500", "--reference", "INV-77"), actor="alice")
    )
    assert events_named(report, "Waterfall") == [
        {"account": capped.address, "linked": bob.address, "amount": "500.00"}
    ]
    assert (world.balanceOf(capped), world.balanceOf(bob)) == (100_000, 100_000)
    (kept,) = history(cli_env, capped.address)
    assert (kept["kind"], kept["direction"], kept["amount"], kept["reference"]) == (
        "transfer",
        "in",
        "1000.00",
        "INV-77",
    )
    excess = history(cli_env, bob.address)[-1]
    assert (excess["kind"], excess["from"], excess["amount"], excess["reference"]) == (
        "waterfall",
        alice.address,
        "500.00",
        "INV-77",
    )
    legs = [row for row in history(cli_env, alice.address) if row["direction"] == "out"]
    assert [(row["kind"], row["to"], row["amount"], row["reference"]) for row in legs] == [
        ("transfer", capped.address, "1000.00", "INV-77"),
        ("waterfall", bob.address, "500.00", "INV-77"),
    ]
    unlinked = sent(run(cli_env("--json", "unlink", capped.address, "--reason", REASON), actor="kyc"))
    assert events_named(unlinked, "LinkedAccountSet")[0]["linked"] == "0x" + "0" * 40
    refused = run(cli_env("transfer", capped.address, "0.01"), actor="alice")
    assert refused.exit_code == EXIT_REVERT and "HoldingLimitExceeded" in refused.stderr


def test_policy_off_and_on(cli_env: Args, world: Any, capped: Any, admin: Any) -> None:
    report = sent(run(cli_env("--json", "policy", "off", "--reason", "Migration night"), actor="admin"))
    assert events_named(report, "PolicyEnabledSet")[0]["enabled"] is False
    assert world.policyEnabled() is False
    assert run(cli_env("transfer", capped.address, "1500"), actor="alice").exit_code == 0
    assert (
        json.loads(run(cli_env("--json", "balance", capped.address)).stdout)[0]["available_to_receive"]
        is None
    )
    assert run(cli_env("policy", "on", "--reason", "Migration done"), actor="admin").exit_code == 0
    assert world.policyEnabled() is True
    audit = [
        e for e in json.loads(run(cli_env("--json", "audit")).stdout) if e["event"] == "PolicyEnabledSet"
    ]
    assert [(e["details"], e["actor"]) for e in audit[-2:]] == [
        ("policy off", admin.address),
        ("policy on", admin.address),
    ]
    assert audit[-1]["reason"] == "0x" + keccak(text="Migration done").hex()


# --- payment references -----------------------------------------------------------------------------------


def test_transfer_with_reference_in_history_csv_json_and_watch(
    cli_env: Args, world: Any, alice: Any, bob: Any
) -> None:
    start = brownie.chain.height + 1
    world.transfer(bob, 100, {"from": alice})  # a plain transfer first: it has no reference
    report = sent(
        run(cli_env("--json", "transfer", bob.address, "12.34", "--reference", "INV-123"), actor="alice")
    )
    assert events_named(report, "PaymentReference") == [
        {"from": alice.address, "to": bob.address, "amount": "12.34", "paymentReference": "INV-123"}
    ]
    rows = list(csv.DictReader(io.StringIO(run(cli_env("history", bob.address)).stdout)))
    assert [(r["amount"], r["reference"]) for r in rows[-2:]] == [("1.00", ""), ("12.34", "INV-123")]
    assert history(cli_env, bob.address)[-1]["reference"] == "INV-123"
    watched = run(
        cli_env(
            "--json", "watch", "--from-block", str(start), "--count", "3", "--poll", "0.1", "--timeout", "20"
        )
    )
    events = [json.loads(line) for line in watched.stdout.splitlines()]
    assert [(e["event"], e.get("reference")) for e in events] == [
        ("Transfer", None),
        ("Transfer", "INV-123"),
        ("PaymentReference", None),
    ]
    human = run(
        cli_env("watch", "--from-block", str(start), "--count", "2", "--poll", "0.1", "--timeout", "20")
    )
    assert "reference=INV-123" in human.stdout.splitlines()[1]


def test_a_hex_reference_stays_hex(cli_env: Args, world: Any, bob: Any) -> None:
    invoice_hash = "0x" + keccak(text="invoice 2026-000123").hex()
    sent(run(cli_env("--json", "transfer", bob.address, "1", "--reference", invoice_hash), actor="alice"))
    assert history(cli_env, bob.address)[-1]["reference"] == invoice_hash


def test_reference_encoding_round_trips() -> None:
    assert reference_bytes32("INV-123") == b"INV-123".ljust(32, b"\0")
    assert reference_text(reference_bytes32("Счёт 5/2026")) == "Счёт 5/2026"
    long_text = "Payroll March 2026, department of finance"
    assert reference_bytes32(long_text) == keccak(text=long_text)
    assert reference_text(reference_bytes32(long_text)) == "0x" + keccak(text=long_text).hex()


# --- payouts against the limits ---------------------------------------------------------------------------


def write_rows(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path.write_text("address,amount,reference\n" + "".join(f"{a},{m},{r}\n" for a, m, r in rows))
    return path


def test_payout_refuses_a_row_over_a_holding_limit_and_sends_nothing(
    cli_env: Args, world: Any, capped: Any, alice: Any, tmp_path: Path
) -> None:
    rows = [
        (payee(1), "10", "a"),
        (capped.address, "600", "b"),
        (payee(2), "5", "c"),
        (capped.address, "600", "d"),
    ]
    path = write_rows(tmp_path / "payouts.csv", rows)
    before = nonce_of(alice.address)
    refused = run(cli_env("payout", str(path)), actor="alice")
    assert refused.exit_code == EXIT_BAD_INPUT
    assert f"line 5: {capped.address} can receive at most 1 000.00 KZT (holding limit)" in refused.output
    assert "line 3" not in refused.output and "nothing sent" in refused.output
    assert nonce_of(alice.address) == before and world.balanceOf(capped) == 0
    # The corrected file pays, with the same (default) journal: a refused payout bound none.
    write_rows(path, rows[:3])
    paid = sent(run(cli_env("--json", "payout", str(path)), actor="alice"))
    assert paid["paid"] == 3 and world.balanceOf(capped) == 60_000


def test_payout_refuses_rows_over_the_senders_daily_outflow(
    connect: Connect, world: Any, kyc: Any, alice: Any, tmp_path: Path
) -> None:
    world.setTier(alice, SMALL_TIER, REASON_HASH, {"from": kyc})
    path = write_rows(
        tmp_path / "payouts.csv", [(payee(1), "100", ""), (payee(2), "150", ""), (payee(3), "100", "")]
    )
    before = nonce_of(alice.address)
    with pytest.raises(PayoutFileInvalid) as refused:
        run_payout(connect("alice"), path)
    (problem,) = refused.value.problems
    assert problem.line == 4
    assert "can send at most 300.00 KZT more today (daily outflow limit)" in problem.message
    assert "add up to 350.00 KZT" in problem.message
    assert nonce_of(alice.address) == before


def test_payout_rows_go_on_chain_with_references_derived_from_each_row(
    connect: Connect, world: Any, alice: Any, tmp_path: Path
) -> None:
    start = brownie.chain.height + 1
    path = write_rows(tmp_path / "payouts.csv", [(payee(1), "1.50", "salary 03/2026"), (payee(2), "2", "")])
    summary = run_payout(connect("alice"), path)
    assert summary.paid == 2
    references = list(connect().logs(["PaymentReference"], from_block=start))
    expected = [
        (payee(1), 150, row_reference(31337, world.address, alice.address, payee(1), 150, "salary 03/2026")),
        (payee(2), 200, row_reference(31337, world.address, alice.address, payee(2), 200, "")),
    ]
    assert [(e.args["to"], e.args["amount"], e.args["paymentReference"]) for e in references] == [
        (to, tiyn, "0x" + reference.hex()) for to, tiyn, reference in expected
    ]
    assert connect().history(payee(1))[-1].reference == "0x" + expected[0][2].hex()
    assert world.balanceOf(payee(2)) == 200


class Crash(Exception):
    """Stands for the process dying after the first row is paid."""


def test_a_resumed_payout_checks_only_the_rows_not_yet_paid(
    connect: Connect, world: Any, capped: Any, tmp_path: Path
) -> None:
    path = write_rows(tmp_path / "payouts.csv", [(capped.address, "600", "a"), (capped.address, "300", "b")])

    def crash_after_first(event: PayoutEvent) -> None:
        if event.kind == "sent":  # the first batch (one row) is sent; the second is not signed yet
            raise Crash

    with pytest.raises(Crash):
        run_payout(connect("alice"), path, batch_rows=1, on_event=crash_after_first)
    assert world.balanceOf(capped) == 60_000  # room left: 400.00; the two rows together would be 900.00
    summary = run_payout(connect("alice"), path)
    assert (summary.paid, summary.sent_this_run) == (2, 1)
    assert world.balanceOf(capped) == 90_000
