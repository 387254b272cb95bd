"""Batch payouts in the suite's chain: the file checked first, rows paid in multicall batches with references
derived from each row, the chain asked before anything is sent, crashes at each point resumed exactly once.
The real-process stories (concurrent runs, copies, kill -9, reorgs, timeouts): test_payout_processes.py."""

from __future__ import annotations

import json
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
from tenge.errors import PayoutAlreadyPaid
from tenge.journal import Journal, RowState, default_journal_path
from tenge.payout import EventKind, PayoutEvent, PayoutRunner, PayoutSummary
from tenge.payout_file import row_reference
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


def paid_once(token: Any, rows: range) -> bool:
    return all(balance(token, payee(i)) == int(amount(i) * 100) for i in rows)


class Crash(Exception):
    """Stands for the process dying at this point."""


def crash_at(kind: EventKind, nth: int = 1) -> Callable[[PayoutEvent], None]:
    seen = 0

    def hook(event: PayoutEvent) -> None:
        nonlocal seen
        if event.kind is kind:
            seen += 1
            if seen == nth:
                raise Crash(kind)

    return hook


def states(path: Path) -> dict[RowState, int]:
    with Journal(path) as journal:
        return {state: count for state, count in journal.counts().items() if count}


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


def test_a_cell_beyond_the_header_is_refused_never_dropped(
    connect: Connect, funded: Any, alice: Any, tmp_path: Path
) -> None:
    # An unquoted thousands separator splits 1,500 into "1" and "500": paid as 1.00 KZT with reference
    # "500" it would underpay, exit 0 (integrator review). A trailing empty cell is not a cell of data.
    path = tmp_path / "payouts.csv"
    rows = [f"{payee(1)},1,500", f"{payee(2)},3,250,extra", f'{payee(3)},"2,500"', f"{payee(4)},4,"]
    path.write_text("address,amount\n" + "\n".join(rows) + "\n")
    sent = brownie.web3.eth.get_transaction_count(alice.address)
    with pytest.raises(PayoutFileInvalid) as invalid:
        run_payout(connect("alice"), path)
    problems = {p.line: p.message for p in invalid.value.problems}
    assert sorted(problems) == [2, 3, 4]
    assert (
        problems[2] == "3 cells where the header has 2: '500' is beyond its columns (an amount is written "
        "without a thousands separator, or quoted)"
    )
    assert problems[3].startswith("4 cells where the header has 2: '250' is beyond its columns")
    assert "amount '2,500' is not a number" in problems[4]
    assert brownie.web3.eth.get_transaction_count(alice.address) == sent


def test_header_must_name_address_and_amount(connect: Connect, token: Any, tmp_path: Path) -> None:
    path = tmp_path / "payouts.csv"
    path.write_text(f"address,sum\n{payee(1)},1.00\n")
    with pytest.raises(PayoutFileInvalid, match="line 1: header lacks the column"):
        run_payout(connect("alice"), path)


# --- paying ------------------------------------------------------------------------------------------------


def test_rows_are_paid_in_batches_with_their_own_references_and_a_rerun_sends_nothing(
    connect: Connect, funded: Any, alice: Any, tmp_path: Path
) -> None:
    path = write_payouts(tmp_path / "payouts.csv", 40)
    nonce = brownie.web3.eth.get_transaction_count(alice.address)
    summary = run_payout(connect("alice"), path, batch_rows=8)
    assert (summary.rows, summary.paid, summary.failed, summary.sent_this_run) == (40, 40, [], 40)
    assert summary.batches == 5 and brownie.web3.eth.get_transaction_count(alice.address) == nonce + 5
    assert summary.paid_kzt == sum(amount(i) for i in range(40))
    assert paid_once(funded, range(40))
    # Each row's PaymentReference carries the reference derived from the row, as documented.
    logs = connect().logs(["PaymentReference"], from_block=brownie.chain.height - 4)
    on_chain = {(e.args["to"], e.args["amount"]): e.args["paymentReference"] for e in logs}
    for i in range(40):
        expected = row_reference(
            31337, funded.address, alice.address, payee(i), int(amount(i) * 100), f"salary {i}"
        )
        assert on_chain[(payee(i), int(amount(i) * 100))] == "0x" + expected.hex()
    again = run_payout(connect("alice"), path)
    assert (again.paid, again.sent_this_run) == (40, 0)
    assert brownie.web3.eth.get_transaction_count(alice.address) == nonce + 5
    assert balance(funded, alice.address) == 100_000 - sum(int(amount(i) * 100) for i in range(40))


def test_rows_another_machine_pays_after_the_check_are_counted_never_paid_twice(
    connect: Connect, funded: Any, alice: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race no lock can see: another machine (its own journal and locks) pays the same rows after
    this run asked the chain and before it sends. The token refuses the batch (PaymentReferenceUsed), and
    this run reads who paid the rows instead of paying them again."""
    path = write_payouts(tmp_path / "payouts.csv", 30, start=700)
    other = tmp_path / "other-machine"
    other.mkdir()
    (other / "payouts.csv").write_bytes(path.read_bytes())
    check_pool = PayoutRunner._check_pool
    raced: list[PayoutSummary] = []

    def other_machine_pays_first(runner: PayoutRunner) -> None:
        monkeypatch.setattr(PayoutRunner, "_check_pool", check_pool)  # once: the other run checks as usual
        with monkeypatch.context() as elsewhere:
            elsewhere.setenv("TENGE_LOCK_DIR", str(other))
            raced.append(run_payout(connect("alice"), other / "payouts.csv", batch_rows=10))
        check_pool(runner)

    monkeypatch.setattr(PayoutRunner, "_check_pool", other_machine_pays_first)
    nonce = brownie.web3.eth.get_transaction_count(alice.address)
    summary = run_payout(connect("alice"), path, batch_rows=10)
    assert raced[0].sent_this_run == 30
    assert (summary.paid, summary.sent_this_run, summary.found_on_chain) == (30, 0, 30)
    assert paid_once(funded, range(700, 730))
    assert brownie.web3.eth.get_transaction_count(alice.address) == nonce + 3  # the other machine's batches


def test_a_spender_citing_a_rows_reference_in_the_payers_name_neither_pays_nor_blocks_it(
    connect: Connect, funded: Any, alice: Any, bob: Any, tmp_path: Path
) -> None:
    """Outside review: bob, with any allowance of alice's, wrote PaymentReference(from=alice, ..., the
    row's reference) by a zero-amount transferFromWithReference. The reference is bob's own (the token
    keys references by sender), so alice's row is unpaid: the run pays it, and counts nothing as paid by
    another run."""
    path = write_payouts(tmp_path / "payouts.csv", 5, start=800)
    funded.approve(bob, 1, {"from": alice})
    row = 802  # line 4
    poisoned = row_reference(
        31337, funded.address, alice.address, payee(row), int(amount(row) * 100), f"salary {row}"
    )
    funded.transferFromWithReference(alice, bob, 0, poisoned, {"from": bob})
    assert funded.referenceUsed(bob, poisoned) and not funded.referenceUsed(alice, poisoned)
    summary = run_payout(connect("alice"), path)
    assert (summary.paid, summary.sent_this_run, summary.found_on_chain) == (5, 5, 0)
    assert paid_once(funded, range(800, 805))
    again = run_payout(connect("alice"), path)  # and the end-of-run check agrees with the scan
    assert (again.paid, again.sent_this_run) == (5, 0)


def test_a_row_in_a_batch_costs_less_gas_than_a_transfer_alone(
    connect: Connect, funded: Any, alice: Any, tmp_path: Path
) -> None:
    single = connect("alice").transfer(payee(999), Decimal("1"), reference="one alone").wait().gas_used
    summary = run_payout(connect("alice"), write_payouts(tmp_path / "payouts.csv", 50), batch_rows=50)
    assert summary.batches == 1 and summary.gas_per_row is not None
    assert summary.gas_per_row < single - 21_000  # the batch shares the transaction's base cost


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
    assert summary["batches"] == 1
    assert all(balance(token, payee(i)) == int(amount(i) * 100) for i in range(10))
    assert journal.exists() and not default_journal_path(path).exists()


def test_a_blocked_receiver_is_listed_before_anything_is_sent_and_paid_after_the_fix(
    cli_env: Callable[..., list[str]], connect: Connect, funded: Any, blocklister: Any, tmp_path: Path
) -> None:
    path = write_payouts(tmp_path / "payouts.csv", 5)
    funded.blockAccount(payee(2), REASON_HASH, {"from": blocklister})
    events: list[PayoutEvent] = []
    summary = run_payout(connect("alice"), path, on_event=events.append)
    kinds = [e.kind for e in events]
    assert kinds.index(EventKind.REFUSED) < kinds.index(EventKind.SIGNED)
    assert summary.paid == 4 and [f.to_dict() for f in summary.failed] == [
        {"line": 4, "address": payee(2), "amount": "0.03", "error": f"AccountBlocked(account={payee(2)})"}
    ]
    env = {"TENGE_PRIVATE_KEY": key_of("alice").key.hex()}
    again = CliRunner().invoke(cli, cli_env("--json", "payout", str(path)), env=env)
    assert again.exit_code == 4 and "line 4: refused, not sent: AccountBlocked" in again.stderr
    funded.unblockAccount(payee(2), REASON_HASH, {"from": blocklister})
    rerun = CliRunner().invoke(cli, cli_env("--json", "payout", str(path)), env=env)
    assert rerun.exit_code == 0, rerun.output
    assert json.loads(rerun.stdout)["sent_this_run"] == 1
    assert paid_once(funded, range(5))


def test_a_row_refused_after_the_preflight_does_not_sink_its_batch(
    connect: Connect, funded: Any, blocklister: Any, tmp_path: Path
) -> None:
    path = write_payouts(tmp_path / "payouts.csv", 12)

    def block_a_later_row(event: PayoutEvent) -> None:
        if event.kind is EventKind.SENT and event.batch == 1:
            funded.blockAccount(payee(9), REASON_HASH, {"from": blocklister})

    summary = run_payout(connect("alice"), path, batch_rows=6, on_event=block_a_later_row)
    assert summary.paid == 11 and [(f.line, f.error) for f in summary.failed] == [
        (11, f"AccountBlocked(account={payee(9)})")
    ]
    assert paid_once(funded, range(9)) and paid_once(funded, range(10, 12)) and balance(funded, payee(9)) == 0


def test_whole_payout_refused_when_the_balance_cannot_cover_it(
    connect: Connect, funded: Any, alice: Any, tmp_path: Path
) -> None:
    path = tmp_path / "payouts.csv"
    path.write_text(f"address,amount\n{payee(1)},600\n{payee(2)},600\n")
    sent = brownie.web3.eth.get_transaction_count(alice.address)
    with pytest.raises(ERC20InsufficientBalance) as refused:
        run_payout(connect("alice"), path)
    assert refused.value.arguments == {"sender": alice.address, "balance": 100_000, "needed": 120_000}
    assert brownie.web3.eth.get_transaction_count(alice.address) == sent
    assert not default_journal_path(path).exists()  # nothing sent: a corrected file starts afresh


def test_blocked_sender_refused_before_signing(
    connect: Connect, funded: Any, alice: Any, blocklister: Any, tmp_path: Path
) -> None:
    funded.blockAccount(alice, REASON_HASH, {"from": blocklister})
    with pytest.raises(AccountBlocked):
        run_payout(connect("alice"), write_payouts(tmp_path / "payouts.csv", 2))


# --- one payout, whatever the journal ----------------------------------------------------------------------


def test_a_fresh_journal_for_a_paid_payout_is_refused_and_sends_nothing(
    connect: Connect, funded: Any, alice: Any, tmp_path: Path
) -> None:
    path = write_payouts(tmp_path / "payouts.csv", 6)
    run_payout(connect("alice"), path)
    nonce = brownie.web3.eth.get_transaction_count(alice.address)
    with pytest.raises(PayoutAlreadyPaid, match="6 of the 6 rows of this payout are already paid on chain"):
        run_payout(connect("alice"), path, journal_path=tmp_path / "new.sqlite")
    assert not (tmp_path / "new.sqlite").exists()
    adopted = run_payout(connect("alice"), path, journal_path=tmp_path / "new.sqlite", resume_from_chain=True)
    assert (adopted.paid, adopted.sent_this_run, adopted.found_on_chain) == (6, 0, 6)
    assert brownie.web3.eth.get_transaction_count(alice.address) == nonce and paid_once(funded, range(6))


def test_allow_repeat_lists_the_rows_and_pays_each_exactly_once_more(
    connect: Connect, funded: Any, tmp_path: Path
) -> None:
    path = write_payouts(tmp_path / "payouts.csv", 4)
    run_payout(connect("alice"), path)
    events: list[PayoutEvent] = []
    again = run_payout(
        connect("alice"),
        path,
        journal_path=tmp_path / "again.sqlite",
        allow_repeat=True,
        on_event=events.append,
    )
    (repeat,) = [e for e in events if e.kind is EventKind.REPEAT]
    assert repeat.lines == (2, 3, 4, 5) and (again.repeated, again.sent_this_run) == (4, 4)
    assert all(balance(funded, payee(i)) == 2 * int(amount(i) * 100) for i in range(4))
    # The repeat is a payout of its own: its journal resumes it, a third fresh journal is refused again.
    assert run_payout(connect("alice"), path, journal_path=tmp_path / "again.sqlite").sent_this_run == 0
    with pytest.raises(PayoutAlreadyPaid):
        run_payout(connect("alice"), path, journal_path=tmp_path / "third.sqlite")


def test_an_edited_file_is_refused_and_the_advice_pays_only_the_new_row(
    connect: Connect, funded: Any, tmp_path: Path
) -> None:
    path = write_payouts(tmp_path / "payouts.csv", 3)
    run_payout(connect("alice"), path)
    write_payouts(path, 4)  # one row added after the run
    with pytest.raises(JournalError, match="is not the file journal") as refused:
        run_payout(connect("alice"), path)
    advice = str(refused.value)
    assert "--resume-from-chain" in advice and "Nothing sent" in advice
    # The advice as written: a journal of its own, --resume-from-chain.
    summary = run_payout(
        connect("alice"), path, journal_path=tmp_path / "edited.sqlite", resume_from_chain=True
    )
    assert (summary.paid, summary.found_on_chain, summary.sent_this_run) == (4, 3, 1)
    assert paid_once(funded, range(4))


# --- crashes at each point, resumed ---------------------------------------------------------------------


def test_crash_after_signing_before_sending_broadcasts_the_stored_batch(
    connect: Connect, funded: Any, tmp_path: Path
) -> None:
    path = write_payouts(tmp_path / "payouts.csv", 12)
    with pytest.raises(Crash):
        run_payout(connect("alice"), path, batch_rows=5, on_event=crash_at(EventKind.SIGNED))
    with Journal(default_journal_path(path)) as journal:
        (stored,) = journal.batches()
    assert states(default_journal_path(path)) == {RowState.PENDING: 7, RowState.SIGNED: 5}
    assert all(balance(funded, payee(i)) == 0 for i in range(12))
    summary = run_payout(connect("alice"), path, batch_rows=5)
    assert summary.paid == 12 and summary.batches == 3
    with Journal(default_journal_path(path)) as journal:
        assert journal.batches()[0].tx_hash == stored.tx_hash  # the same transaction, not a new one
    assert paid_once(funded, range(12))


def test_a_stored_batch_whose_nonce_was_used_elsewhere_is_released_and_paid_once(
    connect: Connect, funded: Any, alice: Any, tmp_path: Path
) -> None:
    path = write_payouts(tmp_path / "payouts.csv", 6)
    with pytest.raises(Crash):
        run_payout(connect("alice"), path, batch_rows=3, on_event=crash_at(EventKind.SIGNED))
    with Journal(default_journal_path(path)) as journal:
        (first,) = journal.batches()
    # Meanwhile the same key sent something else with that nonce: the stored batch can never land.
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
    summary = run_payout(connect("alice"), path, batch_rows=3, on_event=events.append)
    assert summary.paid == 6
    assert [e.lines for e in events if e.kind is EventKind.RELEASED] == [(2, 3, 4)]
    assert paid_once(funded, range(6))


def test_crash_with_batches_in_the_pool_and_some_dropped(
    connect: Connect, funded: Any, tmp_path: Path, manual_mining: Callable[[], None]
) -> None:
    path = write_payouts(tmp_path / "payouts.csv", 16)
    with pytest.raises(Crash):
        run_payout(connect("alice"), path, batch_rows=2, on_event=crash_at(EventKind.SENT, nth=8))
    with Journal(default_journal_path(path)) as journal:
        in_pool = journal.batches()
    assert len(in_pool) == 8
    for batch in in_pool[5:]:
        rpc("anvil_dropTransaction", batch.tx_hash)  # the node forgets the last three
    manual_mining()  # the first five are mined while nobody runs
    rpc("evm_setIntervalMining", 1)
    events: list[PayoutEvent] = []
    summary = run_payout(connect("alice"), path, batch_rows=2, on_event=events.append)
    assert summary.paid == 16 and summary.sent_this_run == 0
    assert sorted(e.batch or 0 for e in events if e.kind is EventKind.REBROADCAST) == [
        b.id for b in in_pool[5:]
    ]
    assert paid_once(funded, range(16))


def test_a_batch_that_reverts_on_chain_pays_nothing_and_its_other_rows_go_again(
    connect: Connect, funded: Any, blocklister: Any, tmp_path: Path, manual_mining: Callable[[], None]
) -> None:
    path = write_payouts(tmp_path / "payouts.csv", 6)
    with pytest.raises(Crash):  # both batches in the pool, nothing mined
        run_payout(connect("alice"), path, batch_rows=3, on_event=crash_at(EventKind.SENT, nth=2))
    # A blocklisting, paying more for gas, is mined before them: the first batch reverts on chain.
    block = key_of("blocklister").sign_transaction(
        {
            "to": funded.address,
            "data": funded.blockAccount.encode_input(payee(1), REASON_HASH),
            "gas": 200_000,
            "gasPrice": 10 * 10**9,
            "nonce": brownie.web3.eth.get_transaction_count(blocklister.address),
            "chainId": 31337,
        }
    )
    brownie.web3.eth.send_raw_transaction(block.raw_transaction)
    manual_mining()
    rpc("evm_setIntervalMining", 1)
    events: list[PayoutEvent] = []
    summary = run_payout(connect("alice"), path, batch_rows=3, on_event=events.append)
    assert [e.lines for e in events if e.kind is EventKind.REVERTED] == [(2, 3, 4)]
    assert summary.paid == 5 and [(f.line, f.error) for f in summary.failed] == [
        (3, f"AccountBlocked(account={payee(1)})")
    ]
    assert balance(funded, payee(1)) == 0 and paid_once(funded, range(2, 6)) and paid_once(funded, range(1))
