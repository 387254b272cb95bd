"""Payment references: a transfer that names the payee's invoice, for reconciliation."""

from __future__ import annotations

from typing import Any

from brownie import web3
from conftest import REASON, assert_event, expiry, move_to, reverts_with

INVOICE = web3.keccak(text="Invoice 2026-000123").to_0x_hex()
INVOICE_ID = bytes.fromhex(INVOICE[2:])  # as brownie renders it in an error


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
    funded.freeze(alice, expiry(), REASON, {"from": freezer})
    with reverts_with("AccountFrozen", alice):
        funded.transferWithReference(bob, 1, INVOICE, {"from": alice})


def test_reference_follows_the_policy(policy_token: Any, minter: Any, alice: Any, bob: Any) -> None:
    policy_token.mint(alice, 10_000_000 - policy_token.balanceOf(alice), {"from": minter})
    with reverts_with("DailyOutflowExceeded", alice, 5_000_001, 5_000_000):
        policy_token.transferWithReference(bob, 5_000_001, INVOICE, {"from": alice})


def test_a_reference_pays_once(funded: Any, alice: Any, bob: Any) -> None:
    assert funded.referenceUsed(alice, INVOICE) is False
    funded.transferWithReference(bob, 100, INVOICE, {"from": alice})
    assert funded.referenceUsed(alice, INVOICE) is True
    with reverts_with("PaymentReferenceUsed", alice, INVOICE_ID):
        funded.transferWithReference(bob, 100, INVOICE, {"from": alice})
    assert funded.balanceOf(bob) == 50_000 + 100


def test_a_reference_is_its_senders_own(funded: Any, alice: Any, bob: Any, carol: Any) -> None:
    # Another sender's payment with the same reference is another payment.
    funded.transferWithReference(carol, 100, INVOICE, {"from": alice})
    funded.transferWithReference(carol, 200, INVOICE, {"from": bob})
    assert funded.referenceUsed(bob, INVOICE) is True
    assert funded.balanceOf(carol) == 300


def test_a_spender_uses_its_own_references_not_its_owners(
    funded: Any, alice: Any, bob: Any, carol: Any
) -> None:
    funded.approve(bob, 1_000, {"from": alice})
    funded.transferFromWithReference(alice, carol, 100, INVOICE, {"from": bob})
    assert funded.referenceUsed(bob, INVOICE) is True
    assert funded.referenceUsed(alice, INVOICE) is False  # the owner's references stay its own
    with reverts_with("PaymentReferenceUsed", bob, INVOICE_ID):
        funded.transferFromWithReference(alice, carol, 100, INVOICE, {"from": bob})
    with reverts_with("PaymentReferenceUsed", bob, INVOICE_ID):
        funded.transferWithReference(carol, 1, INVOICE, {"from": bob})
    assert funded.allowance(alice, bob) == 900


def test_a_refused_payment_leaves_its_reference_unused(
    funded: Any, freezer: Any, alice: Any, bob: Any
) -> None:
    frozen_until = expiry()
    funded.freeze(alice, frozen_until, REASON, {"from": freezer})
    with reverts_with("AccountFrozen", alice):
        funded.transferWithReference(bob, 1, INVOICE, {"from": alice})
    assert funded.referenceUsed(alice, INVOICE) is False
    move_to(frozen_until)  # the freeze lapses by itself
    funded.transferWithReference(bob, 1, INVOICE, {"from": alice})
    assert funded.referenceUsed(alice, INVOICE) is True


def test_a_batch_citing_a_reference_twice_pays_nothing(funded: Any, alice: Any, bob: Any, carol: Any) -> None:
    calls = [
        funded.transferWithReference.encode_input(bob, 100, INVOICE),
        funded.transferWithReference.encode_input(carol, 100, INVOICE),
    ]
    with reverts_with("PaymentReferenceUsed", alice, INVOICE_ID):
        funded.multicall(calls, {"from": alice})
    assert funded.balanceOf(bob) == 50_000
    assert funded.referenceUsed(alice, INVOICE) is False
