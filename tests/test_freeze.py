"""Freezes: a full freeze stops every debit of an account; a partial freeze (a hold) keeps part of it."""

from typing import Any

from brownie import ZERO_ADDRESS
from conftest import OTHER_REASON, REASON, UINT256_MAX, assert_event, chain_now, reverts_with, sign_permit


def test_freeze_emits_actor_and_reason(funded: Any, freezer: Any, alice: Any) -> None:
    tx = funded.freeze(alice, REASON, {"from": freezer})
    assert funded.isFrozen(alice)
    assert_event(tx, "Frozen", {"account": alice, "actor": freezer, "reason": REASON})


def test_frozen_account_cannot_send(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.freeze(alice, REASON, {"from": freezer})
    with reverts_with("AccountFrozen", alice):
        funded.transfer(bob, 1, {"from": alice})
    assert funded.balanceOf(alice) == 100_000


def test_frozen_account_cannot_approve(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.freeze(alice, REASON, {"from": freezer})
    with reverts_with("AccountFrozen", alice):
        funded.approve(bob, 1, {"from": alice})


def test_frozen_account_cannot_permit(token: Any, freezer: Any, signer: Any, bob: Any) -> None:
    deadline = chain_now() + 3600
    v, r, s = sign_permit(token, signer, bob, 5_000, deadline)
    token.freeze(signer, REASON, {"from": freezer})
    with reverts_with("AccountFrozen", signer):
        token.permit(signer, bob, 5_000, deadline, v, r, s, {"from": bob})
    assert token.allowance(signer, bob) == 0


def test_frozen_accounts_funds_cannot_be_pulled(
    funded: Any, freezer: Any, alice: Any, bob: Any, carol: Any
) -> None:
    funded.approve(bob, 30_000, {"from": alice})
    funded.freeze(alice, REASON, {"from": freezer})
    with reverts_with("AccountFrozen", alice):
        funded.transferFrom(alice, carol, 1, {"from": bob})
    assert funded.allowance(alice, bob) == 30_000


def test_frozen_accounts_funds_cannot_be_pulled_with_infinite_allowance(
    funded: Any, freezer: Any, alice: Any, bob: Any, carol: Any
) -> None:
    funded.approve(bob, UINT256_MAX, {"from": alice})
    funded.freeze(alice, REASON, {"from": freezer})
    with reverts_with("AccountFrozen", alice):
        funded.transferFrom(alice, carol, 1, {"from": bob})


def test_frozen_account_can_receive(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.freeze(alice, REASON, {"from": freezer})
    funded.transfer(alice, 20_000, {"from": bob})
    assert funded.balanceOf(alice) == 120_000


def test_freezing_twice_refused(funded: Any, freezer: Any, alice: Any) -> None:
    funded.freeze(alice, REASON, {"from": freezer})
    with reverts_with("FreezeUnchanged", alice, True):
        funded.freeze(alice, OTHER_REASON, {"from": freezer})


def test_unfreezing_an_unfrozen_account_refused(funded: Any, freezer: Any, alice: Any) -> None:
    with reverts_with("FreezeUnchanged", alice, False):
        funded.unfreeze(alice, REASON, {"from": freezer})


def test_unfreeze_emits_and_restores_transfers(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.freeze(alice, REASON, {"from": freezer})
    tx = funded.unfreeze(alice, OTHER_REASON, {"from": freezer})
    assert not funded.isFrozen(alice)
    assert_event(tx, "Unfrozen", {"account": alice, "actor": freezer, "reason": OTHER_REASON})
    funded.transfer(bob, 100_000, {"from": alice})
    assert funded.balanceOf(bob) == 150_000


def test_freeze_amount_holds_part_of_the_balance(funded: Any, freezer: Any, alice: Any) -> None:
    tx = funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    assert funded.frozenAmount(alice) == 30_000
    assert not funded.isFrozen(alice)
    assert_event(
        tx,
        "FrozenAmountChanged",
        {"account": alice, "frozenAmount": 30_000, "actor": freezer, "reason": REASON},
    )


def test_partially_frozen_account_spends_only_the_free_part(
    funded: Any, freezer: Any, alice: Any, bob: Any
) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    funded.transfer(bob, 70_000, {"from": alice})
    assert funded.balanceOf(alice) == 30_000
    with reverts_with("InsufficientUnfrozenBalance", alice, 0, 1):
        funded.transfer(bob, 1, {"from": alice})


def test_partial_freeze_one_tiyn_over_the_free_part_refused(
    funded: Any, freezer: Any, alice: Any, bob: Any
) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    with reverts_with("InsufficientUnfrozenBalance", alice, 70_000, 70_001):
        funded.transfer(bob, 70_001, {"from": alice})


def test_partial_freeze_applies_to_transfer_from(
    funded: Any, freezer: Any, alice: Any, bob: Any, carol: Any
) -> None:
    funded.approve(bob, UINT256_MAX, {"from": alice})
    funded.freezeAmount(alice, 90_000, REASON, {"from": freezer})
    with reverts_with("InsufficientUnfrozenBalance", alice, 10_000, 10_001):
        funded.transferFrom(alice, carol, 10_001, {"from": bob})
    funded.transferFrom(alice, carol, 10_000, {"from": bob})
    assert funded.balanceOf(carol) == 10_000


def test_partially_frozen_account_may_still_approve(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    funded.approve(bob, 50_000, {"from": alice})
    assert funded.allowance(alice, bob) == 50_000


def test_freeze_amounts_add_up(funded: Any, freezer: Any, alice: Any) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    tx = funded.freezeAmount(alice, 20_000, OTHER_REASON, {"from": freezer})
    assert funded.frozenAmount(alice) == 50_000
    assert_event(
        tx,
        "FrozenAmountChanged",
        {"account": alice, "frozenAmount": 50_000, "actor": freezer, "reason": OTHER_REASON},
    )


def test_hold_above_balance_also_holds_incoming_funds(
    funded: Any, freezer: Any, alice: Any, bob: Any
) -> None:
    funded.freezeAmount(alice, 150_000, REASON, {"from": freezer})
    with reverts_with("InsufficientUnfrozenBalance", alice, 0, 1):
        funded.transfer(bob, 1, {"from": alice})
    funded.transfer(alice, 50_000, {"from": bob})
    with reverts_with("InsufficientUnfrozenBalance", alice, 0, 1):
        funded.transfer(bob, 1, {"from": alice})


def test_unfreeze_amount_releases_part_of_the_hold(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    tx = funded.unfreezeAmount(alice, 10_000, REASON, {"from": freezer})
    assert (funded.frozenAmount(alice), funded.heldAmount(alice, REASON)) == (20_000, 20_000)
    assert_event(
        tx,
        "FrozenAmountChanged",
        {"account": alice, "frozenAmount": 20_000, "actor": freezer, "reason": REASON},
    )
    funded.transfer(bob, 80_000, {"from": alice})
    assert funded.balanceOf(alice) == 20_000


def test_holds_are_kept_per_order(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    funded.freezeAmount(alice, 20_000, OTHER_REASON, {"from": freezer})
    assert funded.frozenAmount(alice) == 50_000
    assert (funded.heldAmount(alice, REASON), funded.heldAmount(alice, OTHER_REASON)) == (30_000, 20_000)
    funded.transfer(bob, 50_000, {"from": alice})
    with reverts_with("InsufficientUnfrozenBalance", alice, 0, 1):
        funded.transfer(bob, 1, {"from": alice})


def test_an_order_cannot_release_another_orders_hold(funded: Any, freezer: Any, alice: Any) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    with reverts_with("UnfreezeExceedsFrozen", alice, 0, 1):
        funded.unfreezeAmount(alice, 1, OTHER_REASON, {"from": freezer})
    assert funded.heldAmount(alice, REASON) == 30_000


def test_unfreeze_more_than_held_refused(funded: Any, freezer: Any, alice: Any) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    with reverts_with("UnfreezeExceedsFrozen", alice, 30_000, 30_001):
        funded.unfreezeAmount(alice, 30_001, REASON, {"from": freezer})
    assert funded.frozenAmount(alice) == 30_000


def test_full_freeze_overrides_free_part_of_a_hold(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    funded.freeze(alice, REASON, {"from": freezer})
    with reverts_with("AccountFrozen", alice):
        funded.transfer(bob, 1, {"from": alice})


def test_unfreeze_leaves_the_hold_in_place(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    funded.freeze(alice, REASON, {"from": freezer})
    funded.unfreeze(alice, OTHER_REASON, {"from": freezer})
    assert funded.frozenAmount(alice) == 30_000
    with reverts_with("InsufficientUnfrozenBalance", alice, 70_000, 70_001):
        funded.transfer(bob, 70_001, {"from": alice})


def test_zero_address_cannot_be_frozen_or_held(token: Any, freezer: Any) -> None:
    with reverts_with("ZeroAddressCannotBeFrozen"):
        token.freeze(ZERO_ADDRESS, REASON, {"from": freezer})
    with reverts_with("ZeroAddressCannotBeFrozen"):
        token.freezeAmount(ZERO_ADDRESS, 1, REASON, {"from": freezer})
