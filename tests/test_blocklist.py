"""Blocklist (sanctions): a blocked account takes no part in any transfer or approval, on either side."""

from typing import Any

from brownie import ZERO_ADDRESS
from conftest import OTHER_REASON, REASON, UINT256_MAX, assert_event, reverts_with


def test_block_emits_actor_and_reason(funded: Any, blocklister: Any, alice: Any) -> None:
    tx = funded.blockAccount(alice, REASON, {"from": blocklister})
    assert funded.isBlocked(alice)
    assert_event(tx, "Blocked", {"account": alice, "actor": blocklister, "reason": REASON})


def test_blocked_account_cannot_send(funded: Any, blocklister: Any, alice: Any, bob: Any) -> None:
    funded.blockAccount(alice, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", alice):
        funded.transfer(bob, 1, {"from": alice})


def test_blocked_account_cannot_receive(funded: Any, blocklister: Any, alice: Any, bob: Any) -> None:
    funded.blockAccount(alice, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", alice):
        funded.transfer(alice, 1, {"from": bob})
    assert funded.balanceOf(alice) == 100_000


def test_blocked_account_cannot_approve(funded: Any, blocklister: Any, alice: Any, bob: Any) -> None:
    funded.blockAccount(alice, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", alice):
        funded.approve(bob, 1, {"from": alice})


def test_blocked_account_cannot_be_approved(funded: Any, blocklister: Any, alice: Any, bob: Any) -> None:
    funded.blockAccount(alice, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", alice):
        funded.approve(alice, 1, {"from": bob})


def test_blocked_spender_cannot_spend_an_allowance(
    funded: Any, blocklister: Any, alice: Any, bob: Any, carol: Any
) -> None:
    funded.approve(bob, 30_000, {"from": alice})
    funded.blockAccount(bob, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", bob):
        funded.transferFrom(alice, carol, 1, {"from": bob})
    assert funded.balanceOf(alice) == 100_000


def test_blocked_spender_cannot_spend_an_infinite_allowance(
    funded: Any, blocklister: Any, alice: Any, bob: Any, carol: Any
) -> None:
    # An infinite allowance is never written back, so the spender must be checked on its own.
    funded.approve(bob, UINT256_MAX, {"from": alice})
    funded.blockAccount(bob, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", bob):
        funded.transferFrom(alice, carol, 1, {"from": bob})
    assert funded.balanceOf(alice) == 100_000


def test_blocked_owners_funds_cannot_be_pulled(
    funded: Any, blocklister: Any, alice: Any, bob: Any, carol: Any
) -> None:
    funded.approve(bob, UINT256_MAX, {"from": alice})
    funded.blockAccount(alice, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", alice):
        funded.transferFrom(alice, carol, 1, {"from": bob})


def test_allowance_cannot_pay_a_blocked_receiver(
    funded: Any, blocklister: Any, alice: Any, bob: Any, carol: Any
) -> None:
    funded.approve(bob, UINT256_MAX, {"from": alice})
    funded.blockAccount(carol, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", carol):
        funded.transferFrom(alice, carol, 1, {"from": bob})


def test_blocked_account_cannot_be_minted_to(token: Any, blocklister: Any, minter: Any, carol: Any) -> None:
    supply = token.totalSupply()
    token.blockAccount(carol, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", carol):
        token.mint(carol, 1, {"from": minter})
    assert token.totalSupply() == supply


def test_blocking_twice_refused(funded: Any, blocklister: Any, alice: Any) -> None:
    funded.blockAccount(alice, REASON, {"from": blocklister})
    with reverts_with("BlocklistUnchanged", alice, True):
        funded.blockAccount(alice, OTHER_REASON, {"from": blocklister})


def test_unblocking_an_unblocked_account_refused(funded: Any, blocklister: Any, alice: Any) -> None:
    with reverts_with("BlocklistUnchanged", alice, False):
        funded.unblockAccount(alice, REASON, {"from": blocklister})


def test_unblock_emits_and_restores_transfers(funded: Any, blocklister: Any, alice: Any, bob: Any) -> None:
    funded.blockAccount(alice, REASON, {"from": blocklister})
    tx = funded.unblockAccount(alice, OTHER_REASON, {"from": blocklister})
    assert not funded.isBlocked(alice)
    assert_event(tx, "Unblocked", {"account": alice, "actor": blocklister, "reason": OTHER_REASON})
    funded.transfer(bob, 100_000, {"from": alice})
    funded.transfer(alice, 1, {"from": bob})
    assert funded.balanceOf(alice) == 1


def test_zero_address_cannot_be_blocked(token: Any, blocklister: Any, minter: Any, alice: Any) -> None:
    with reverts_with("ZeroAddressCannotBeBlocked"):
        token.blockAccount(ZERO_ADDRESS, REASON, {"from": blocklister})
    token.mint(alice, 1, {"from": minter})  # mint, whose sender is the zero address, still works
