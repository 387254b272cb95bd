"""Batch payouts: the whole file checked first, a journal that makes every row paid exactly once, resume."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import brownie
import pytest
from click.testing import CliRunner
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from tenge import JournalError, PayoutFileInvalid, Tenge, run_payout
from tenge.cli import cli
from tenge.journal import Journal, default_journal_path
from tenge.payout import PayoutEvent
from tenge.reverts import AccountBlocked, ERC20InsufficientBalance
from toolkit.conftest import key_of, rpc

Connect = Callable[..., Tenge]
REASON_HASH = "0x" + keccak(text="Sanctions list 7/2026").hex()


def payee(i: int) -> str:
    """A fresh address nobody holds a key for: its balance is exactly what the payout sent it."""
    return str(to_checksum_address(keccak(text=f"payee {i}")[-20:]))


def bad_checksum(address: str) -> str:
    """The address with the case of one letter flipped: a typo that EIP-55 catches."""
    index = next(i for i, c in enumerate(address) if i > 1 and c.isalpha())
    return address[:index] + address[index].swapcase() + address[index + 1 :]


def amount(i: int) -> Decimal:
    return Decimal(i + 1) / 100


def write_payouts(path: Path, count: int, start: int = 0) -> Path:
    lines = ["address,amount,reference"]
    lines += [f"{payee(i)},{amount(i)},salary {i}" for i in range(start, start + count)]
    path.write_text("\n".join(lines) + "\n")
    return path


def balance(token: Any, address: str) -> int:
    return int(token.balanceOf(address))


class Crash(Exception):
    """Stands for the process dying at this point."""


def crash_at(kind: str, nth: int = 1) -> Callable[[PayoutEvent], None]:
    seen = 0

    def hook(event: PayoutEvent) -> None:
        nonlocal seen
        if event.kind == kind:
            seen += 1
            if seen == nth:
                raise Crash(kind)

    return hook


# --- the file ----------------------------------------------------------------------------------------------

BAD_FILE = """address,amount,reference
{ok},1.00,fine
0x0000000000000000000000000000000000000000,1.00,zero address
{badsum},1.00,bad checksum
0x1234,1.00,short
{ok},1.001,three decimals
{ok},-5,negative
{ok},ten,not a number
{ok},,no amount
{ok2},2.50,first
{ok2},2.50,first
{ok},0,zero amount
"""


def test_every_bad_row_reported_by_line_and_nothing_sent(
    connect: Connect, funded: Any, alice: Any, tmp_path: Path
) -> None:
    path = tmp_path / "payouts.csv"
    ok = payee(1)
    path.write_text(BAD_FILE.format(ok=ok, ok2=payee(2), badsum=bad_checksum(ok)))
    sent = brownie.web3.eth.get_transaction_count(alice.address)
    with pytest.raises(PayoutFileInvalid) as invalid:
        run_payout(connect("alice"), path)
    problems = {p.line: p.message for p in invalid.value.problems}
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 9, 11, 12]
    assert "zero address" in problems[3]
    assert "checksum" in problems[4]
    assert "not an address" in problems[5]
    assert "more than 2 decimals" in problems[6]
    assert "negative" in problems[7]
    assert "not a number" in problems[8]
    assert "no amount" in problems[9]
    assert "duplicate of line 10" in problems[11]
    assert "zero" in problems[12]
    assert brownie.web3.eth.get_transaction_count(alice.address) == sent
    assert not default_journal_path(path).exists()


def test_bad_file_through_the_cli_exits_2_listing_lines(
    cli_env: Callable[..., list[str]], tmp_path: Path
) -> None:
    path = tmp_path / "payouts.csv"
    path.write_text(f"{payee(1)},1.00\n{payee(2)},0.005\nnot-an-address,1\n")
    result = CliRunner().invoke(
        cli, cli_env("payout", str(path)), env={"TENGE_PRIVATE_KEY": key_of("alice").key.hex()}
    )
    assert result.exit_code == 2
    assert "line 1: missing header" in result.stderr
    assert "line 2: amount '0.005' has more than 2 decimals" in result.stderr
    assert "line 3: address 'not-an-address' is not an address" in result.stderr
    assert not default_journal_path(path).exists()


def test_header_must_name_address_and_amount(connect: Connect, token: Any, tmp_path: Path) -> None:
    path = tmp_path / "payouts.csv"
    path.write_text(f"address,sum\n{payee(1)},1.00\n")
    with pytest.raises(PayoutFileInvalid, match="line 1: header lacks the column"):
        run_payout(connect("alice"), path)


# --- paying ------------------------------------------------------------------------------------------------


def test_payout_pays_every_row_once_and_a_rerun_sends_nothing(
    connect: Connect, funded: Any, alice: Any, tmp_path: Path
) -> None:
    path = write_payouts(tmp_path / "payouts.csv", 40)
    summary = run_payout(connect("alice"), path, window=8)
    assert (summary.rows, summary.paid, summary.failed, summary.sent_this_run) == (40, 40, [], 40)
    assert summary.paid_kzt == sum(amount(i) for i in range(40))
    assert summary.gas_used > 40 * 21_000
    assert all(balance(funded, payee(i)) == int(amount(i) * 100) for i in range(40))
    with Journal(default_journal_path(path)) as journal:
        rows = journal.rows()
    assert {r.state for r in rows} == {"paid"} and len({r.tx_hash for r in rows}) == 40
    again = run_payout(connect("alice"), path, window=8)
    assert (again.paid, again.sent_this_run) == (40, 0)
    assert balance(funded, alice.address) == 100_000 - sum(int(amount(i) * 100) for i in range(40))


def test_mint_payout_through_the_cli(cli_env: Callable[..., list[str]], token: Any, tmp_path: Path) -> None:
    path = write_payouts(tmp_path / "benefits.csv", 10)
    journal = tmp_path / "elsewhere.sqlite"
    result = CliRunner().invoke(
        cli,
        cli_env("--json", "payout", str(path), "--mint", "--journal", str(journal)),
        env={"TENGE_PRIVATE_KEY": key_of("minter").key.hex()},
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["paid"], summary["paid_kzt"], summary["journal"]) == (10, "0.55", str(journal))
    assert all(balance(token, payee(i)) == int(amount(i) * 100) for i in range(10))
    assert journal.exists() and not default_journal_path(path).exists()


def test_refused_row_fails_with_its_reason_and_is_paid_after_the_fix(
    cli_env: Callable[..., list[str]], funded: Any, blocklister: Any, tmp_path: Path
) -> None:
    path = write_payouts(tmp_path / "payouts.csv", 5)
    funded.blockAccount(payee(2), REASON_HASH, {"from": blocklister})
    env = {"TENGE_PRIVATE_KEY": key_of("alice").key.hex()}
    result = CliRunner().invoke(cli, cli_env("--json", "payout", str(path)), env=env)
    assert result.exit_code == 4
    summary = json.loads(result.stdout)
    assert summary["paid"] == 4
    assert summary["failed"] == [
        {"line": 4, "address": payee(2), "amount": "0.03", "error": f"AccountBlocked(account={payee(2)})"}
    ]
    funded.unblockAccount(payee(2), REASON_HASH, {"from": blocklister})
    rerun = CliRunner().invoke(cli, cli_env("--json", "payout", str(path)), env=env)
    assert rerun.exit_code == 0
    assert json.loads(rerun.stdout)["sent_this_run"] == 1
    assert all(balance(funded, payee(i)) == int(amount(i) * 100) for i in range(5))


def test_whole_batch_refused_when_the_balance_cannot_cover_it(
    connect: Connect, funded: Any, alice: Any, tmp_path: Path
) -> None:
    path = tmp_path / "payouts.csv"
    path.write_text(f"address,amount\n{payee(1)},600\n{payee(2)},600\n")
    sent = brownie.web3.eth.get_transaction_count(alice.address)
    with pytest.raises(ERC20InsufficientBalance) as refused:
        run_payout(connect("alice"), path)
    assert refused.value.arguments == {"sender": alice.address, "balance": 100_000, "needed": 120_000}
    assert brownie.web3.eth.get_transaction_count(alice.address) == sent


def test_journal_of_another_file_refused(connect: Connect, funded: Any, tmp_path: Path) -> None:
    path = write_payouts(tmp_path / "payouts.csv", 3)
    run_payout(connect("alice"), path)
    write_payouts(path, 4)  # edited after a run: its journal must not be reused
    with pytest.raises(JournalError, match="belongs to another payout"):
        run_payout(connect("alice"), path)


def test_blocked_sender_refused_before_signing(
    connect: Connect, funded: Any, alice: Any, blocklister: Any, tmp_path: Path
) -> None:
    funded.blockAccount(alice, REASON_HASH, {"from": blocklister})
    with pytest.raises(AccountBlocked):
        run_payout(connect("alice"), write_payouts(tmp_path / "payouts.csv", 2))


# --- crashes at each point, resumed ---------------------------------------------------------------------


def test_crash_after_signing_before_sending_broadcasts_the_stored_transactions(
    connect: Connect, funded: Any, tmp_path: Path
) -> None:
    path = write_payouts(tmp_path / "payouts.csv", 12)
    with pytest.raises(Crash):
        run_payout(connect("alice"), path, window=5, on_event=crash_at("signed"))
    with Journal(default_journal_path(path)) as journal:
        stored = {r.line: r.tx_hash for r in journal.rows(["signed"])}
    assert len(stored) == 5 and all(balance(funded, payee(i)) == 0 for i in range(12))
    summary = run_payout(connect("alice"), path, window=5)
    assert summary.paid == 12
    with Journal(default_journal_path(path)) as journal:
        paid = {r.line: r.tx_hash for r in journal.rows(["paid"])}
    assert all(
        paid[line] == tx_hash for line, tx_hash in stored.items()
    )  # the same transactions, not new ones
    assert all(balance(funded, payee(i)) == int(amount(i) * 100) for i in range(12))


def test_stored_transaction_whose_nonce_was_used_elsewhere_is_signed_again(
    connect: Connect, funded: Any, alice: Any, tmp_path: Path
) -> None:
    path = write_payouts(tmp_path / "payouts.csv", 6)
    with pytest.raises(Crash):
        run_payout(connect("alice"), path, window=3, on_event=crash_at("signed"))
    with Journal(default_journal_path(path)) as journal:
        first = min(journal.rows(["signed"]), key=lambda r: r.nonce or 0)
    assert first.nonce is not None
    # Meanwhile the same key sent something else with that nonce: the stored transaction can never land.
    other = key_of("alice").sign_transaction(
        {
            "to": alice.address,
            "value": 1,
            "gas": 21_000,
            "gasPrice": 10**9,
            "nonce": first.nonce,
            "chainId": 31337,
        }
    )
    brownie.web3.eth.send_raw_transaction(other.raw_transaction)
    events: list[PayoutEvent] = []
    summary = run_payout(connect("alice"), path, window=3, on_event=events.append)
    assert summary.paid == 6
    assert [e.line for e in events if e.kind == "released"] == [first.line]
    assert all(balance(funded, payee(i)) == int(amount(i) * 100) for i in range(6))


def test_crash_with_transactions_in_the_pool_and_some_dropped(
    connect: Connect, funded: Any, tmp_path: Path, manual_mining: Callable[[], None]
) -> None:
    path = write_payouts(tmp_path / "payouts.csv", 8)
    with pytest.raises(Crash):
        run_payout(connect("alice"), path, window=8, on_event=crash_at("sent", nth=8))
    with Journal(default_journal_path(path)) as journal:
        in_pool = sorted(journal.rows(["signed", "sent"]), key=lambda r: r.nonce or 0)
    assert len(in_pool) == 8
    for row in in_pool[5:]:
        rpc("anvil_dropTransaction", row.tx_hash)  # the node forgets the last three
    manual_mining()  # the first five are mined while nobody runs
    rpc("evm_setIntervalMining", 1)
    events: list[PayoutEvent] = []
    summary = run_payout(connect("alice"), path, window=8, on_event=events.append)
    assert summary.paid == 8 and summary.sent_this_run == 0
    assert sorted(e.line for e in events if e.kind == "rebroadcast") == [r.line for r in in_pool[5:]]
    assert all(balance(funded, payee(i)) == int(amount(i) * 100) for i in range(8))


def _paid_rows(journal: Path) -> int:
    """Rows paid so far, read while the payout runs (read-only: never in the writer's way)."""
    try:
        with sqlite3.connect(f"file:{journal}?mode=ro", uri=True, timeout=0.2) as db:
            return int(db.execute("SELECT COUNT(*) FROM rows WHERE state = 'paid'").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created yet, or locked by the writer for a moment


@pytest.mark.parametrize("mining", ["automine", "one block per second"])
def test_killed_payout_resumes_and_pays_each_row_exactly_once(
    rpc_url: str,
    record_path: Path,
    funded: Any,
    alice: Any,
    tmp_path: Path,
    manual_mining: Callable[[], None],
    mining: str,
) -> None:
    rows = 300
    if mining == "automine":
        rpc("evm_setAutomine", True)
    else:
        rpc("evm_setIntervalMining", 1)  # many transactions are in the pool when the kill comes
    path = write_payouts(tmp_path / "payouts.csv", rows)
    journal = default_journal_path(path)
    command = [sys.executable, "-m", "tenge", "--rpc", rpc_url, "--deployment", str(record_path)]
    env = {**os.environ, "TENGE_PRIVATE_KEY": key_of("alice").key.hex()}
    log = tmp_path / "first-run.log"  # a file, not a pipe: a full pipe would stall the run
    with log.open("w") as output:
        first = subprocess.Popen(
            [*command, "payout", str(path), "--window", "64"], env=env, stdout=output, stderr=output
        )
    deadline = time.monotonic() + 120
    while _paid_rows(journal) < 64 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert first.returncode == -signal.SIGKILL, log.read_text()
    with Journal(journal) as after_kill:  # read-write: rolls back a transaction the kill cut short
        paid_at_kill = after_kill.counts()["paid"]
    assert 0 < paid_at_kill < rows  # killed midway

    rerun = subprocess.run(
        [*command, "--json", "payout", str(path), "--window", "64"],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert (summary["rows"], summary["paid"], summary["failed"]) == (rows, rows, [])
    assert summary["sent_this_run"] <= rows - paid_at_kill
    total = sum(int(amount(i) * 100) for i in range(rows))
    assert all(balance(funded, payee(i)) == int(amount(i) * 100) for i in range(rows))
    assert balance(funded, alice.address) == 100_000 - total
    with Journal(journal) as done:
        assert done.counts()["paid"] == rows and len({r.tx_hash for r in done.rows()}) == rows
