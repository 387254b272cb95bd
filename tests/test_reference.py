"""Payment references: a transfer that names the payee's invoice, for reconciliation."""

from __future__ import annotations

from typing import Any

from brownie import web3
from conftest import REASON, assert_event, reverts_with

INVOICE = web3.keccak(text="Invoice 2026-000123").to_0x_hex()


def test_transfer_with_reference_emits_both_events(funded: Any, alice: Any, bob: Any) -> None:
    # Through the proxy brownie cannot decode a transaction's return value: ask a call for it.
    assert funded.transferWithReference.call(bob, 12_345, INVOICE, {"from": alice}) is True
    tx = funded.transferWithReference(bob, 12_345, INVOICE, {"from": alice})
    assert funded.balanceOf(alice) == 100_000 - 12_345
    assert funded.balanceOf(bob) == 50_000 + 12_345
    assert_event(tx, "Transfer", {"from": alice, "to": bob, "value": 12_345})
    assert_event(
        tx, "PaymentReference", {"from": alice, "to": bob, "amount": 12_345, "paymentReference": INVOICE}
    )


def test_transfer_from_with_reference_spends_the_allowance(
    funded: Any, alice: Any, bob: Any, carol: Any
) -> None:
    funded.approve(bob, 20_000, {"from": alice})
    tx = funded.transferFromWithReference(alice, carol, 15_000, INVOICE, {"from": bob})
    assert funded.allowance(alice, bob) == 5_000
    assert funded.balanceOf(carol) == 15_000
    assert_event(tx, "Transfer", {"from": alice, "to": carol, "value": 15_000})
    assert_event(
        tx, "PaymentReference", {"from": alice, "to": carol, "amount": 15_000, "paymentReference": INVOICE}
    )


def test_transfer_from_with_reference_needs_an_allowance(
    funded: Any, alice: Any, bob: Any, carol: Any
) -> None:
    funded.approve(bob, 100, {"from": alice})
    with reverts_with("ERC20InsufficientAllowance", bob, 100, 101):
        funded.transferFromWithReference(alice, carol, 101, INVOICE, {"from": bob})


def test_reference_follows_the_freeze(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.freeze(alice, REASON, {"from": freezer})
    with reverts_with("AccountFrozen", alice):
        funded.transferWithReference(bob, 1, INVOICE, {"from": alice})


def test_reference_follows_the_policy(policy_token: Any, minter: Any, alice: Any, bob: Any) -> None:
    policy_token.mint(alice, 10_000_000 - policy_token.balanceOf(alice), {"from": minter})
    with reverts_with("DailyOutflowExceeded", alice, 5_000_001, 5_000_000):
        policy_token.transferWithReference(bob, 5_000_001, INVOICE, {"from": alice})
