"""Payout throughput: N transfers to distinct new holders, three ways, on one chain (web3.py only).

- toolkit: `tenge.run_payout` on a CSV file, as integrators run it (validated, journaled, the chain asked,
  multicall batches);
- naive: web3.py's usual loop: build (estimates gas), sign, send, wait for the receipt, one row at a time;
- ceiling: the same transfers pre-signed before the clock starts, sent as fast as the node takes them,
  timed until the last receipt: what the node itself allows, with no bookkeeping.

Each way pays its own fresh addresses, from the same funded payer, so every row is a first transfer to a
new holder. Times are wall-clock; each run checks that the payer paid exactly N rows.
"""

from __future__ import annotations

import json
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from web3 import Web3

from benchmarks import dev_key
from tenge import DeploymentRecord, Tenge, Tiyn, run_payout
from tenge.client import make_web3
from tenge.deployment import code_hash
from tenge.transactions import GasPolicy

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "contracts"
# The admin, the minter administrator and the minter are three accounts: the token keeps those duties apart.
ADMIN_INDEX, MINTER_ADMIN_INDEX, MINTER_INDEX, PAYER_INDEX = 0, 1, 2, 13
ROW_TIYN = 100  # 1.00 KZT a row
FUNDING = 10**9  # tiyn minted to the payer: far more than all runs pay
ANVIL_PORTS = range(8700, 8710)  # ports an extra chain of the bench may use
# The ceiling's transactions in flight. With interval mining, more than a 30M-gas block holds (~70k gas a
# row), so no block is left short. With automine a deep pool only slows Anvil down (it mined 16 tx/s with
# 512 pending, and stalled for minutes with 5,000), so there it keeps the toolkit's window.
CEILING_WINDOW = 512
AUTOMINE_CEILING_WINDOW = 64
BATCH = 100  # transactions per JSON-RPC batch, as the toolkit sends them


@dataclass(frozen=True)
class Run:
    """One measured payout."""

    way: str
    requested: int
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds

    def to_dict(self) -> dict[str, Any]:
        return {
            "way": self.way,
            "requested": self.requested,
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "rows_per_s": round(self.rows_per_second, 1),
            "ms_per_row": round(1000 * self.seconds / self.rows, 2),
        }


def payees(label: str, count: int) -> list[str]:
    """`count` addresses nobody holds a key for, distinct for each label."""
    return [str(to_checksum_address(keccak(text=f"{label} {i}")[-20:])) for i in range(count)]


# --- the chain -----------------------------------------------------------------------------------------


def deploy(rpc_url: str) -> Tenge:
    """Deploys the token (mint and seizure controllers, implementation, proxy) from dev account 0 and
    funds the payer; its client."""
    w3 = make_web3(rpc_url)
    admin = dev_key(ADMIN_INDEX)
    artifacts = {
        name: json.loads((BUILD / f"{name}.json").read_text())
        for name in (
            "TengeMintController",
            "TengeSeizureController",
            "DigitalTenge",
            "DigitalTengeInitializer",
            "DigitalTengeProxy",
        )
    }
    controller = _deploy(w3, admin, artifacts["TengeMintController"], [])
    seizures = _deploy(w3, admin, artifacts["TengeSeizureController"], [])
    implementation = _deploy(w3, admin, artifacts["DigitalTenge"], [controller, seizures])
    initializer = _deploy(w3, admin, artifacts["DigitalTengeInitializer"], [])
    init_abi = artifacts["DigitalTengeInitializer"]["abi"]
    init = w3.eth.contract(abi=init_abi).encode_abi("initialize", [admin.address, 0])
    proxy = _deploy(w3, admin, artifacts["DigitalTengeProxy"], [implementation, initializer, init])
    record = DeploymentRecord(
        network="bench",
        chain_id=w3.eth.chain_id,
        address=proxy,
        implementation=implementation,
        block=w3.eth.block_number,
        deployer=admin.address,
        admin=admin.address,
        admin_transfer_delay=0,
        proxy_code_hash=code_hash(bytes(w3.eth.get_code(proxy))),
        implementation_code_hash=code_hash(bytes(w3.eth.get_code(implementation))),
        mint_controller=controller,
        mint_controller_code_hash=code_hash(bytes(w3.eth.get_code(controller))),
        seizure_controller=seizures,
        seizure_controller_code_hash=code_hash(bytes(w3.eth.get_code(seizures))),
        deployed_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    tenge = Tenge.connect(rpc_url, record, signer=admin)
    minter_admin, minter = dev_key(MINTER_ADMIN_INDEX), dev_key(MINTER_INDEX)
    tenge.grant_role("MINTER_ADMIN_ROLE", minter_admin.address, "Benchmark").wait()
    tenge.with_signer(minter_admin).configure_minter(minter.address, Tiyn(FUNDING), reason="Benchmark").wait()
    # The payer (a payroll provider or a bank) is an institution: tier 3, no holding or daily limit.
    tenge.grant_role("KYC_ROLE", admin.address, "Benchmark").wait()
    tenge.set_tier(dev_key(PAYER_INDEX).address, 3, "bench: payer is an institution").wait()
    tenge.with_signer(minter).mint(dev_key(PAYER_INDEX).address, tiyn=FUNDING).wait()
    return tenge.with_signer(dev_key(PAYER_INDEX))


def _deploy(w3: Web3, key: LocalAccount, artifact: dict[str, Any], args: list[Any]) -> ChecksumAddress:
    contract = w3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
    tx = contract.constructor(*args).build_transaction({"from": key.address, "nonce": _nonce(w3, key)})
    receipt = w3.eth.wait_for_transaction_receipt(
        w3.eth.send_raw_transaction(key.sign_transaction(tx).raw_transaction)
    )
    return cast(ChecksumAddress, str(receipt["contractAddress"]))


def _nonce(w3: Web3, key: LocalAccount) -> int:
    return int(w3.eth.get_transaction_count(key.address, "pending"))


@contextmanager
def local_chain(block_time: float | None = None, gas_limit: int = 30_000_000) -> Iterator[str]:
    """An Anvil of its own, as the suite's (20 accounts, base fee 0, 30M gas) but without steps tracing,
    mining each transaction on arrival or, with `block_time`, a block every `block_time` s; its URL.

    Steps tracing (the suite's, for coverage) records every opcode of every transaction; it and the state
    Anvil keeps for every block (one a transaction under automine) slow it down as the chain grows.
    (`--prune-history` would not: "latest" then races the pruning and nonce reads fail.)
    """
    port = next((p for p in ANVIL_PORTS if _free(p)), None)
    if port is None:
        raise RuntimeError(f"no free port in {ANVIL_PORTS.start}-{ANVIL_PORTS.stop - 1} for a bench chain")
    command = ["anvil", "--port", str(port), "--accounts", "20", "--block-base-fee-per-gas", "0"]
    command += ["--gas-limit", str(gas_limit)]
    if block_time is not None:
        command += ["--block-time", str(block_time)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"anvil did not start on port {port}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _answers(url: str) -> bool:
    try:
        return Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 1})).is_connected()
    except Exception:
        return False


# --- the three ways ------------------------------------------------------------------------------------


def toolkit(tenge: Tenge, count: int, label: str) -> Run:
    """`run_payout` on a fresh CSV file and journal: the time includes validation, journaling, the chain
    check and the views' preflight; rows go in multicall batches (benchmarks.capacity has the details)."""
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "payouts.csv"
        lines = [
            "address,amount,reference",
            *(f"{a},1.00,row {i}" for i, a in enumerate(payees(label, count))),
        ]
        path.write_text("\n".join(lines) + "\n")
        with _paying(tenge, count):
            start = time.perf_counter()
            summary = run_payout(tenge, path, journal_path=Path(work) / "journal.sqlite")
            seconds = time.perf_counter() - start
    if not summary.complete:
        raise RuntimeError(f"toolkit payout incomplete: {summary.to_dict()}")
    return Run("toolkit", count, count, seconds)


def naive(tenge: Tenge, count: int, label: str, time_limit: float | None = None) -> Run:
    """One row at a time with web3.py's defaults; stops early after `time_limit` s (rows done are counted)."""
    w3 = Web3(Web3.HTTPProvider(tenge.w3.provider.endpoint_uri))  # type: ignore[attr-defined]
    key = dev_key(PAYER_INDEX)
    contract = w3.eth.contract(address=tenge.address, abi=tenge.abi)
    targets = payees(label, count)
    done = 0
    with _paying(tenge, None) as paid:
        start = time.perf_counter()
        for address in targets:
            nonce = w3.eth.get_transaction_count(key.address)
            tx = contract.functions.transfer(address, ROW_TIYN).build_transaction(
                {"from": key.address, "nonce": nonce}
            )
            tx_hash = w3.eth.send_raw_transaction(
                key.sign_transaction(cast(dict[str, Any], tx)).raw_transaction
            )
            if w3.eth.wait_for_transaction_receipt(tx_hash)["status"] != 1:
                raise RuntimeError(f"naive payout: transfer to {address} failed")
            done += 1
            if time_limit is not None and time.perf_counter() - start > time_limit:
                break
        seconds = time.perf_counter() - start
        paid.append(done)
    return Run("naive", count, done, seconds)


def ceiling(tenge: Tenge, count: int, label: str, window: int = CEILING_WINDOW) -> Run:
    """Pre-signed transfers (the toolkit's gas limit and price), sent in batches as fast as the node
    takes them, at most `window` in flight, timed until the last receipt."""
    sender = tenge.sender
    probe = tenge.encode("transfer", payees("probe", 1)[0], ROW_TIYN)
    gas = GasPolicy().gas_limit(sender.simulate(tenge.address, probe))
    fees = GasPolicy().fee_fields(tenge.w3)
    first = sender.nonces.chain_nonce("pending")
    signed = [
        sender.sign(
            tenge.address, tenge.encode("transfer", to, ROW_TIYN), gas=gas, nonce=first + i, fees=fees
        )
        for i, to in enumerate(payees(label, count))
    ]
    with _paying(tenge, count):
        start = time.perf_counter()
        sent = 0
        while sent < count:
            room = window - (first + sent - sender.nonces.chain_nonce("latest"))
            if room <= 0:
                time.sleep(0.005)
                continue
            chunk = signed[sent : sent + min(room, BATCH)]
            refused = [r for r in sender.broadcast_many(chunk) if r is not None]
            if refused:
                raise refused[0]
            sent += len(chunk)
        while (receipt := sender.receipt(signed[-1].hash)) is None:
            time.sleep(0.005)
        seconds = time.perf_counter() - start
    if not receipt.succeeded:
        raise RuntimeError("ceiling payout: the last transfer failed")
    return Run("ceiling", count, count, seconds)


@contextmanager
def _paying(tenge: Tenge, count: int | None) -> Iterator[list[int]]:
    """Checks that the payer's balance fell by exactly the rows paid (`count`, or what the body appends)."""
    payer = tenge.sender.address
    before = tenge.balance_of_tiyn(payer)
    paid: list[int] = [] if count is None else [count]
    yield paid
    spent = before - tenge.balance_of_tiyn(payer)
    if spent != ROW_TIYN * paid[0]:
        raise RuntimeError(f"the payer spent {spent} tiyn for {paid[0]} rows of {ROW_TIYN}")
