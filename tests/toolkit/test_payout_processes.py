"""Payouts as a bank's integrator runs them: `tenge payout` processes against an Anvil of their own, every
count read back from the chain. Two runs at once, a copied file, a moved file, a fresh journal, kill -9 and
resume, a reorg, a node that hangs, several payers at once: each pays every row exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from web3 import Web3

from tenge import Tenge
from tenge.abi import token_abi
from tenge.client import make_web3
from tenge.errors import EXIT_BAD_INPUT, EXIT_CHAIN
from toolkit.conftest import dev_key, run_cli
from toolkit.test_deploy import ROOT, free_port, started

ANVIL = str(ROOT / "node_modules/.bin/anvil")
PAYERS = (0, 1, 2, 3)  # dev accounts: 0 deployed the token (the admin), 2 is the minter
MINTER, KYC = 2, 13  # the accounts `tenge deploy` gives these roles on a development chain
FUNDING = Decimal("100000")


@dataclass
class Chain:
    """An Anvil of the test's own, with the token deployed and the payers funded."""

    url: str
    record: Path
    w3: Web3
    token: Any

    def rpc(self, method: str, *params: Any) -> Any:
        response = self.w3.provider.make_request(method, list(params))  # type: ignore[arg-type]
        assert "error" not in response, response
        return response.get("result")

    def balance(self, address: str) -> int:
        return int(self.token.functions.balanceOf(address).call())

    def nonce(self, payer: int) -> int:
        return int(self.w3.eth.get_transaction_count(dev_key(payer).address))


@pytest.fixture
def anvil(tmp_path: Path) -> Iterator[Callable[..., Chain]]:
    """`anvil(block_time=1)`: a fresh chain with the token, payers in tier 3, each funded; then blocks come
    every `block_time` seconds (else one a transaction) and hold `gas_limit` gas."""
    nodes: list[subprocess.Popen[bytes]] = []

    def start(block_time: int | None = None, gas_limit: int | None = None) -> Chain:
        port = free_port()
        nodes.append(started([ANVIL, "--port", str(port), "--quiet"], port))
        url = f"http://127.0.0.1:{port}"
        directory = tmp_path / f"deployment-{port}"
        deployed = run_cli(["--rpc", url, "deploy", "--dev-key", "--directory", str(directory)])
        assert deployed.exit_code == 0, deployed.output
        record = directory / "31337.json"
        kyc = Tenge.connect(url, record, signer=dev_key(KYC))
        minter = kyc.with_signer(dev_key(MINTER))
        for payer in PAYERS:
            address = dev_key(payer).address
            if payer != MINTER:  # the minter is a system account already (tier 3)
                kyc.set_tier(address, 3, "Institution: payroll account").wait()
            minter.mint(address, FUNDING).wait()
        w3 = make_web3(url)
        chain = Chain(url, record, w3, w3.eth.contract(address=kyc.address, abi=token_abi()))
        if gas_limit is not None:
            chain.rpc("evm_setBlockGasLimit", hex(gas_limit))
        if block_time is not None:
            chain.rpc("evm_setIntervalMining", block_time)
        return chain

    yield start
    for node in nodes:
        node.terminate()
        node.wait(timeout=10)


def payee(label: str, i: int) -> str:
    return str(to_checksum_address(keccak(text=f"{label} {i}")[-20:]))


def tiyn(i: int) -> int:
    return 100 + i  # 1.00 KZT and a tiyn a row more: every row's amount is its own


def write_rows(path: Path, label: str, count: int) -> Path:
    rows = [f"{payee(label, i)},{Decimal(tiyn(i)) / 100},{label} {i}" for i in range(count)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("address,amount,reference\n" + "\n".join(rows) + "\n")
    return path


def paid_exactly_once(chain: Chain, label: str, count: int) -> None:
    wrong = {
        i: chain.balance(payee(label, i)) for i in range(count) if chain.balance(payee(label, i)) != tiyn(i)
    }
    assert not wrong, f"rows not paid exactly once (row: tiyn held): {dict(list(wrong.items())[:10])}"


def command(chain: Chain, *args: str, rpc: str | None = None) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tenge",
        "--rpc",
        rpc or chain.url,
        "--deployment",
        str(chain.record),
        *args,
    ]


def environment(payer: int = 0, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TENGE_")}
    return env | {"TENGE_PRIVATE_KEY": "0x" + bytes(dev_key(payer).key).hex()} | extra


def run(
    chain: Chain, *args: str, payer: int = 0, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(chain, *args),
        env=environment(payer, **env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def spawn(chain: Chain, log: Path, *args: str, payer: int = 0, **env: str) -> subprocess.Popen[bytes]:
    with log.open("w") as output:  # a file, not a pipe: a full pipe would stall the run
        return subprocess.Popen(
            command(chain, *args), env=environment(payer, **env), stdout=output, stderr=output
        )


def summary_of(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def paid_rows(journal: Path) -> int:
    """Rows paid so far, read while the payout runs (read-only: never in the writer's way)."""
    try:
        with sqlite3.connect(f"file:{journal}?mode=ro", uri=True, timeout=0.2) as db:
            return int(db.execute("SELECT COUNT(*) FROM rows WHERE state = 'paid'").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created yet, or locked by the writer for a moment


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        assert process.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(0.05)


# Slow enough that a run lasts several seconds: 2,000,000 gas a block (five batches of 10), a block a second.
SLOW = {"block_time": 1, "gas_limit": 2_000_000}


# --- one payout, whatever the process, folder or journal ---------------------------------------------------


def test_two_runs_of_one_file_at_once_pay_every_row_once(anvil: Callable[..., Chain], tmp_path: Path) -> None:
    chain = anvil(**SLOW)
    path = write_rows(tmp_path / "payouts.csv", "together", 150)
    before = chain.nonce(0)
    runs = [
        spawn(chain, tmp_path / f"run-{n}.log", "--json", "payout", str(path), "--batch-rows", "10")
        for n in (1, 2)
    ]
    codes = sorted(process.wait(timeout=300) for process in runs)
    logs = [(tmp_path / f"run-{n}.log").read_text() for n in (1, 2)]
    assert codes == [0, EXIT_BAD_INPUT], logs
    assert any(
        "JournalBusy" in log and "journal" in log and "nothing sent by this run" in log for log in logs
    ), logs
    again = summary_of(run(chain, "--json", "payout", str(path)))
    assert (again["paid"], again["sent_this_run"]) == (150, 0)
    paid_exactly_once(chain, "together", 150)
    assert chain.nonce(0) - before == again["batches"] == 15


def test_two_copies_in_two_folders_at_once_pay_every_row_once(
    anvil: Callable[..., Chain], tmp_path: Path
) -> None:
    chain = anvil(**SLOW)
    first = write_rows(tmp_path / "a" / "payouts.csv", "copies", 100)
    second = tmp_path / "b" / "payouts.csv"
    second.parent.mkdir()
    second.write_bytes(first.read_bytes())
    runs = [
        spawn(chain, tmp_path / f"{p.parent.name}.log", "payout", str(p), "--batch-rows", "10")
        for p in (first, second)
    ]
    codes = sorted(process.wait(timeout=300) for process in runs)
    logs = [(tmp_path / name).read_text() for name in ("a.log", "b.log")]
    assert codes == [0, EXIT_BAD_INPUT], logs
    assert any("JournalBusy: payer" in log and "is in use by" in log for log in logs), logs
    paid_exactly_once(chain, "copies", 100)
    # The copy that was refused, run now: the chain shows every row paid, and it is refused again.
    for path in (first, second):
        rerun = run(chain, "payout", str(path))
        assert rerun.returncode in (0, EXIT_BAD_INPUT), rerun.stderr
    paid_exactly_once(chain, "copies", 100)


def test_a_copied_file_a_moved_file_and_a_fresh_journal_are_refused_after_a_run(
    anvil: Callable[..., Chain], tmp_path: Path
) -> None:
    chain = anvil()
    path = write_rows(tmp_path / "payouts.csv", "elsewhere", 60)
    assert summary_of(run(chain, "--json", "payout", str(path)))["paid"] == 60
    nonce = chain.nonce(0)
    copy = tmp_path / "copy" / "payouts.csv"
    copy.parent.mkdir()
    copy.write_bytes(path.read_bytes())
    moved = tmp_path / "moved" / "payouts.csv"
    moved.parent.mkdir()
    path.rename(moved)  # its journal stays behind
    for args in (
        ["payout", str(copy)],
        ["payout", str(moved)],
        ["payout", str(moved), "--journal", str(tmp_path / "new.sqlite")],
    ):
        refused = run(chain, *args)
        assert refused.returncode == EXIT_BAD_INPUT, refused.stderr
        assert "60 of the 60 rows of this payout are already paid on chain" in refused.stderr
        assert "Nothing sent" in refused.stderr
    # The moved file with the journal it left behind: nothing more to pay.
    resumed = summary_of(
        run(chain, "--json", "payout", str(moved), "--journal", str(tmp_path / "payouts.csv.journal.sqlite"))
    )
    assert (resumed["paid"], resumed["sent_this_run"]) == (60, 0)
    assert chain.nonce(0) == nonce
    paid_exactly_once(chain, "elsewhere", 60)


def test_killed_mid_run_then_resumed_pays_every_row_once(anvil: Callable[..., Chain], tmp_path: Path) -> None:
    chain = anvil(**SLOW)
    before = chain.nonce(0)
    path = write_rows(tmp_path / "payouts.csv", "killed", 200)
    journal = tmp_path / "payouts.csv.journal.sqlite"
    log = tmp_path / "first.log"
    first = spawn(chain, log, "payout", str(path), "--batch-rows", "10")
    # Plain progress lines reach a file as they happen: the kill comes after one, mid-run.
    wait_for(lambda: paid_rows(journal) >= 40 and "payout: paying" in log.read_text(), first, log)
    first.send_signal(signal.SIGKILL)
    assert first.wait() == -signal.SIGKILL
    with sqlite3.connect(journal) as db:  # read-write: rolls back a transaction the kill cut short
        at_kill = int(db.execute("SELECT COUNT(*) FROM rows WHERE state = 'paid'").fetchone()[0])
    assert 0 < at_kill < 200
    rerun = summary_of(run(chain, "--json", "payout", str(path)))
    assert (rerun["rows"], rerun["paid"], rerun["failed"]) == (200, 200, [])
    paid_exactly_once(chain, "killed", 200)
    # Each batch's transaction landed once (the rerun sizes its own batches to the 2M-gas blocks: 7 rows).
    assert chain.nonce(0) - before == rerun["batches"] >= 20


def test_killed_then_finished_from_another_machine_with_a_fresh_journal(
    anvil: Callable[..., Chain], tmp_path: Path
) -> None:
    chain = anvil(**SLOW)
    path = write_rows(tmp_path / "payouts.csv", "machines", 200)
    log = tmp_path / "first.log"
    first = spawn(chain, log, "payout", str(path), "--batch-rows", "10")
    wait_for(lambda: paid_rows(tmp_path / "payouts.csv.journal.sqlite") >= 30, first, log)
    first.send_signal(signal.SIGKILL)
    first.wait()
    other = tmp_path / "other-machine"
    other.mkdir()
    (other / "payouts.csv").write_bytes(path.read_bytes())
    for _ in range(30):  # another machine: its own folder, journal and locks
        done = run(
            chain,
            "--json",
            "payout",
            str(other / "payouts.csv"),
            "--resume-from-chain",
            TENGE_LOCK_DIR=str(other),
        )
        if done.returncode == 0:
            break
        assert done.returncode == EXIT_BAD_INPUT and "waiting in the node's pool" in done.stderr, done.stderr
        # The killed run's batches are still in the pool: wait until the chain shows what they paid.
        time.sleep(1)
    summary = summary_of(done)
    assert summary["paid"] == 200 and summary["found_on_chain"] > 0
    paid_exactly_once(chain, "machines", 200)


def test_two_machines_at_once_pay_every_row_once(anvil: Callable[..., Chain], tmp_path: Path) -> None:
    """Two machines (each its own folder, journal and locks: no lock can see the other) pay one file at
    once on a chain that mines each transaction at once. The token pays a reference once: a batch citing
    a row the other machine paid is refused whole, and its run counts the row as paid by the other."""
    chain = anvil()
    paths = [write_rows(tmp_path / name / "payouts.csv", "two machines", 200) for name in ("one", "two")]
    runs = [
        spawn(
            chain,
            p.parent / "run.log",
            "--json",
            "payout",
            str(p),
            "--batch-rows",
            "10",
            "--resume-from-chain",
            TENGE_LOCK_DIR=str(p.parent),
        )
        for p in paths
    ]
    codes = [process.wait(timeout=300) for process in runs]
    logs = [(p.parent / "run.log").read_text() for p in paths]
    assert all(code in (0, EXIT_BAD_INPUT) for code in codes), logs
    paid_exactly_once(chain, "two machines", 200)
    for p in paths:  # each machine, run again: the chain shows every row paid, nothing is sent
        again = summary_of(
            run(chain, "--json", "payout", str(p), "--resume-from-chain", TENGE_LOCK_DIR=str(p.parent))
        )
        assert (again["paid"], again["sent_this_run"]) == (200, 0)
    paid_exactly_once(chain, "two machines", 200)


def test_a_copied_mint_payout_mints_nothing_twice(anvil: Callable[..., Chain], tmp_path: Path) -> None:
    chain = anvil()
    supply = int(chain.token.functions.totalSupply().call())
    path = write_rows(tmp_path / "a" / "payouts.csv", "mint copy", 40)
    minting = run(chain, "--json", "payout", str(path), "--mint", "--batch-rows", "10", payer=MINTER)
    assert summary_of(minting)["paid"] == 40
    copy = tmp_path / "b" / "payouts.csv"
    copy.parent.mkdir()
    copy.write_bytes(path.read_bytes())
    refused = run(chain, "payout", str(copy), "--mint", payer=MINTER)
    assert refused.returncode == EXIT_BAD_INPUT, refused.stderr
    assert "40 of the 40 rows of this payout are already paid on chain" in refused.stderr
    resumed = summary_of(
        run(chain, "--json", "payout", str(copy), "--mint", "--resume-from-chain", payer=MINTER)
    )
    assert (resumed["paid"], resumed["sent_this_run"]) == (40, 0)
    paid_exactly_once(chain, "mint copy", 40)
    assert int(chain.token.functions.totalSupply().call()) - supply == sum(tiyn(i) for i in range(40))


def test_a_check_with_allow_repeat_commits_the_journal_to_nothing(
    anvil: Callable[..., Chain], tmp_path: Path
) -> None:
    chain = anvil()
    path = write_rows(tmp_path / "a" / "payouts.csv", "check repeat", 20)
    assert summary_of(run(chain, "--json", "payout", str(path)))["paid"] == 20
    copy = tmp_path / "b" / "payouts.csv"
    copy.parent.mkdir()
    copy.write_bytes(path.read_bytes())
    checked = run(chain, "payout", str(copy), "--check", "--allow-repeat")
    assert checked.returncode == 0, checked.stderr
    assert "20 row(s) already paid on chain; would pay again: line 2" in checked.stderr
    refused = run(chain, "payout", str(copy))  # the check decided nothing: paying again still needs the flag
    assert refused.returncode == EXIT_BAD_INPUT, refused.stderr
    assert "20 of the 20 rows of this payout are already paid on chain" in refused.stderr
    paid_exactly_once(chain, "check repeat", 20)


# --- the chain changes under a payout ----------------------------------------------------------------------


@pytest.mark.parametrize("how", ["anvil_rollback", "anvil_reorg"])
def test_a_batch_a_reorg_drops_is_paid_again_exactly_once(
    anvil: Callable[..., Chain], tmp_path: Path, how: str
) -> None:
    chain = anvil()
    path = write_rows(tmp_path / "payouts.csv", f"reorg {how}", 30)
    before = chain.nonce(0)
    first = summary_of(run(chain, "--json", "payout", str(path), "--batch-rows", "10"))
    assert first["batches"] == 3
    if how == "anvil_rollback":
        chain.rpc("anvil_rollback", 1)  # the last batch's block is gone
    else:
        chain.rpc("anvil_reorg", 1, [])  # the last block is replaced by another one without the batch
    assert sum(chain.balance(payee(f"reorg {how}", i)) == tiyn(i) for i in range(30)) == 20
    resumed = run(chain, "--json", "payout", str(path))
    assert "reorged: block" in resumed.stderr
    summary = summary_of(resumed)
    assert (summary["paid"], summary["unfinished"]) == (30, 0)
    paid_exactly_once(chain, f"reorg {how}", 30)
    assert chain.nonce(0) - before == 3  # the dropped batch went again as it was signed: same nonce


def test_a_rollback_below_the_reorg_window_is_paid_again_exactly_once(
    anvil: Callable[..., Chain], tmp_path: Path
) -> None:
    chain = anvil()
    path = write_rows(tmp_path / "payouts.csv", "deep", 30)
    snapshot = chain.rpc("evm_snapshot")
    assert summary_of(run(chain, "--json", "payout", str(path), "--batch-rows", "10"))["paid"] == 30
    chain.rpc("evm_revert", snapshot)  # the chain goes back to before the payout ...
    chain.rpc("anvil_mine", hex(400))  # ... and grows past it: the journal's blocks are far below the window
    assert sum(chain.balance(payee("deep", i)) for i in range(30)) == 0
    resumed = run(chain, "--json", "payout", str(path))
    assert "the chain does not show its payment" in resumed.stderr
    summary = summary_of(resumed)
    assert (summary["paid"], summary["sent_this_run"]) == (30, 30)
    paid_exactly_once(chain, "deep", 30)


def test_a_chain_with_a_small_block_gas_limit_gets_batches_that_fit_and_an_end_check_that_works(
    anvil: Callable[..., Chain], tmp_path: Path
) -> None:
    """Outside review: on a 2,000,000-gas chain, `--batch-rows 300` signed a batch above the block's gas
    limit (the margin on top of a fitting estimate), which no node mines; and asking `referenceUsed` about
    1,000 rows in one call ran out of the node's call gas."""
    chain = anvil(gas_limit=2_000_000)
    path = write_rows(tmp_path / "payouts.csv", "small blocks", 400)
    summary = summary_of(run(chain, "--json", "payout", str(path), "--batch-rows", "300"))
    assert (summary["paid"], summary["sent_this_run"]) == (400, 400)
    with sqlite3.connect(tmp_path / "payouts.csv.journal.sqlite") as db:
        gas = [int(g) for (g,) in db.execute("SELECT gas FROM batches")]
    assert max(gas) <= 2_000_000 and len(gas) >= 400 // 40
    paid_exactly_once(chain, "small blocks", 400)
    tenge = Tenge.connect(chain.url, chain.record)
    references = [keccak(text=f"not a payment {i}") for i in range(1_000)]
    assert tenge.references_used(dev_key(0).address, references) == [False] * 1_000


def test_rows_count_as_paid_once_they_have_their_confirmations(
    anvil: Callable[..., Chain], tmp_path: Path
) -> None:
    chain = anvil(block_time=1)
    path = write_rows(tmp_path / "payouts.csv", "confirmed", 40)
    summary = summary_of(
        run(chain, "--json", "payout", str(path), "--confirmations", "2", "--batch-rows", "10")
    )
    assert (summary["paid"], summary["confirmations"]) == (40, 2)
    with sqlite3.connect(tmp_path / "payouts.csv.journal.sqlite") as db:
        newest = int(db.execute("SELECT MAX(block) FROM rows").fetchone()[0])
    assert chain.w3.eth.block_number >= newest + 2
    paid_exactly_once(chain, "confirmed", 40)


class HangingProxy:
    """Passes JSON-RPC requests to the node until one has sent a transaction, then answers nothing more."""

    def __init__(self, target: str) -> None:
        self.hang = threading.Event()
        self.release = threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if proxy.hang.is_set():
                    proxy.release.wait(600)  # the node "hangs": no answer until the test ends
                    return
                request = urllib.request.Request(target, body, {"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=30) as answer:
                    data = answer.read()
                if b"eth_sendRawTransaction" in body:
                    proxy.hang.set()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()


def test_timeout_while_the_node_hangs_exits_3_and_a_rerun_resumes(
    anvil: Callable[..., Chain], tmp_path: Path
) -> None:
    chain = anvil(block_time=1)
    path = write_rows(tmp_path / "payouts.csv", "hang", 50)
    proxy = HangingProxy(chain.url)
    try:
        hung = subprocess.run(
            command(chain, "payout", str(path), "--batch-rows", "10", "--timeout", "5", rpc=proxy.url),
            env=environment(),
            capture_output=True,
            text=True,
            timeout=120,  # a run that ignored --timeout would hang here until this fails the test
        )
    finally:
        proxy.close()
    assert proxy.hang.is_set() and hung.returncode == EXIT_CHAIN, hung.stderr
    with sqlite3.connect(tmp_path / "payouts.csv.journal.sqlite") as db:
        assert int(db.execute("SELECT COUNT(*) FROM batches").fetchone()[0]) >= 1  # the journal is intact
    summary = summary_of(run(chain, "--json", "payout", str(path)))
    assert (summary["paid"], summary["unfinished"]) == (50, 0)
    paid_exactly_once(chain, "hang", 50)


# --- several payers at once ---------------------------------------------------------------------------------


def test_several_payers_at_once_no_nonce_clash_no_cross_talk(
    anvil: Callable[..., Chain], tmp_path: Path
) -> None:
    chain = anvil(block_time=1)
    before = {payer: chain.nonce(payer) for payer in PAYERS}
    files = {
        payer: write_rows(tmp_path / f"payer-{payer}" / "payouts.csv", f"payer {payer}", 80)
        for payer in PAYERS
    }
    runs = {
        payer: spawn(
            chain,
            tmp_path / f"payer-{payer}.log",
            "--json",
            "payout",
            str(files[payer]),
            "--batch-rows",
            "10",
            payer=payer,
        )
        for payer in PAYERS
    }
    for payer, process in runs.items():
        assert process.wait(timeout=300) == 0, (tmp_path / f"payer-{payer}.log").read_text()[-2000:]
    for payer in PAYERS:
        paid_exactly_once(chain, f"payer {payer}", 80)
        assert chain.nonce(payer) - before[payer] == 8  # its own batches, no other transaction
        spent = sum(tiyn(i) for i in range(80))
        assert chain.balance(dev_key(payer).address) == int(FUNDING * 100) - spent
