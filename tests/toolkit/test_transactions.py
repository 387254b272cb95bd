"""Nonces: pipelined sends, a dropped transaction, a replaced one, a key shared with another program."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import brownie
import pytest

from tenge import GasPolicy, Tenge, TransactionReplaced
from tenge.reverts import ERC20InsufficientBalance
from tenge.transactions import TxState, collect
from toolkit.conftest import key_of, rpc

Connect = Callable[..., Tenge]


def pool_size() -> int:
    status = rpc("txpool_status")
    return int(status["pending"], 16) + int(status["queued"], 16)


def test_pipelined_transfers_take_consecutive_nonces_without_waiting(
    connect: Connect, funded: Any, alice: Any, bob: Any, manual_mining: Callable[[], None]
) -> None:
    holder = connect("alice")
    first = brownie.web3.eth.get_transaction_count(alice.address)
    pendings = [holder.transfer(bob.address, "1") for _ in range(20)]
    assert [p.nonce for p in pendings] == list(range(first, first + 20))
    assert pool_size() == 20  # all in flight at once, none mined
    manual_mining()
    receipts = collect(pendings, timeout=10)
    assert all(r.succeeded for r in receipts)
    assert len({r.block for r in receipts}) == 1
    assert funded.balanceOf(bob) == 50_000 + 20 * 100


def test_pipelined_simulation_sees_the_transactions_before_it(
    connect: Connect, funded: Any, bob: Any, manual_mining: Callable[[], None]
) -> None:
    holder = connect("alice")
    holder.transfer(bob.address, "600")
    # Estimated against the pending state: the second 600 no longer fits in 1,000.
    with pytest.raises(ERC20InsufficientBalance):
        holder.transfer(bob.address, "600")
    manual_mining()


def test_dropped_transaction_is_broadcast_again(
    connect: Connect, funded: Any, bob: Any, manual_mining: Callable[[], None]
) -> None:
    holder = connect("alice")
    pendings = [holder.transfer(bob.address, "1") for _ in range(3)]
    dropped = pendings[1].tx
    rpc("anvil_dropTransaction", dropped.hash)
    assert not holder.sender.is_known(dropped.hash)
    states = [state for state, _ in holder.sender.reconcile_all(p.tx for p in pendings)]
    assert states[0] is TxState.PENDING
    assert states[1] is TxState.REBROADCAST
    assert all(holder.sender.is_known(p.hash) for p in pendings)
    manual_mining()
    assert all(r.succeeded for r in collect(pendings, timeout=10))
    assert funded.balanceOf(bob) == 50_000 + 300


def test_wait_survives_a_drop(
    connect: Connect, funded: Any, bob: Any, manual_mining: Callable[[], None]
) -> None:
    holder = connect("alice")
    pending = holder.transfer(bob.address, "2")
    rpc("anvil_dropTransaction", pending.hash)
    rpc("evm_setIntervalMining", 1)  # blocks keep coming; only a rebroadcast gets the transfer into one
    receipt = holder.sender.wait(pending.tx, timeout=20, check_every=0.3)
    assert receipt.succeeded
    assert funded.balanceOf(bob) == 50_000 + 200


def test_replaced_transaction_is_reported_not_awaited_forever(
    connect: Connect, funded: Any, alice: Any, bob: Any, manual_mining: Callable[[], None]
) -> None:
    holder = connect("alice")
    pending = holder.transfer(bob.address, "3")
    rpc("anvil_dropTransaction", pending.hash)
    # Another program signs a different transaction with the same nonce, and it is mined.
    other = key_of("alice").sign_transaction(
        {
            "to": alice.address,
            "value": 1,
            "gas": 21_000,
            "gasPrice": 10**9,
            "nonce": pending.nonce,
            "chainId": 31337,
        }
    )
    brownie.web3.eth.send_raw_transaction(other.raw_transaction)
    manual_mining()
    assert holder.sender.reconcile(pending.tx) == (TxState.REPLACED, None)
    with pytest.raises(TransactionReplaced) as replaced:
        holder.sender.wait(pending.tx, timeout=5, check_every=0)
    assert replaced.value.nonce == pending.nonce
    assert funded.balanceOf(bob) == 50_000


def test_nonce_used_by_another_program_is_skipped(
    connect: Connect, funded: Any, alice: Any, bob: Any
) -> None:
    holder = connect("alice")
    first = holder.transfer(bob.address, "1")
    first.wait()
    # The same key sends from elsewhere: the client's next nonce is now taken.
    elsewhere = key_of("alice").sign_transaction(
        {
            "to": alice.address,
            "value": 1,
            "gas": 21_000,
            "gasPrice": 10**9,
            "nonce": first.nonce + 1,
            "chainId": 31337,
        }
    )
    brownie.web3.eth.send_raw_transaction(elsewhere.raw_transaction)
    second = holder.transfer(bob.address, "1")
    assert second.nonce == first.nonce + 2
    assert second.wait().succeeded
    assert funded.balanceOf(bob) == 50_000 + 200


def test_legacy_gas_price_by_default_eip1559_on_request(connect: Connect, funded: Any, bob: Any) -> None:
    legacy = connect("alice").transfer(bob.address, "1")
    legacy.wait()
    assert brownie.web3.eth.get_transaction(legacy.hash)["type"] == 0
    dynamic = connect("alice", gas=GasPolicy(eip1559=True)).transfer(bob.address, "1")
    dynamic.wait()
    assert brownie.web3.eth.get_transaction(dynamic.hash)["type"] == 2
    fixed = connect("alice", gas=GasPolicy(gas_price_wei=3 * 10**9)).transfer(bob.address, "1")
    fixed.wait()
    assert brownie.web3.eth.get_transaction(fixed.hash)["gasPrice"] == 3 * 10**9
