"""Seizure: executing an order against a blocked, frozen or held account, even while paused."""

from typing import Any

from brownie import ZERO_ADDRESS
from conftest import OTHER_REASON, REASON, assert_event, assert_no_event, reverts_with


def test_seize_from_blocked_account(
    funded: Any, blocklister: Any, seizer: Any, alice: Any, carol: Any
) -> None:
    funded.blockAccount(alice, REASON, {"from": blocklister})
    tx = funded.seize(alice, carol, 40_000, OTHER_REASON, {"from": seizer})
    assert funded.balanceOf(alice) == 60_000
    assert funded.balanceOf(carol) == 40_000
    assert_event(
        tx, "Seized", {"from": alice, "to": carol, "amount": 40_000, "actor": seizer, "reason": OTHER_REASON}
    )
    assert_event(tx, "Transfer", {"from": alice, "to": carol, "value": 40_000})
    assert_no_event(tx, "FrozenAmountChanged")


def test_seize_from_frozen_account(funded: Any, freezer: Any, seizer: Any, alice: Any, carol: Any) -> None:
    funded.freeze(alice, REASON, {"from": freezer})
    tx = funded.seize(alice, carol, 100_000, REASON, {"from": seizer})
    assert funded.balanceOf(alice) == 0
    assert funded.balanceOf(carol) == 100_000
    assert funded.isFrozen(alice)
    assert_event(
        tx, "Seized", {"from": alice, "to": carol, "amount": 100_000, "actor": seizer, "reason": REASON}
    )


def test_seize_up_to_the_held_amount_shrinks_the_hold(
    funded: Any, freezer: Any, seizer: Any, alice: Any, carol: Any
) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    tx = funded.seize(alice, carol, 20_000, REASON, {"from": seizer})
    assert funded.balanceOf(alice) == 80_000
    assert (funded.frozenAmount(alice), funded.heldAmount(alice, REASON)) == (10_000, 10_000)
    assert_event(
        tx,
        "FrozenAmountChanged",
        {"account": alice, "frozenAmount": 10_000, "actor": seizer, "reason": REASON},
    )
    seized = {"from": alice, "to": carol, "amount": 20_000, "actor": seizer, "reason": REASON}
    assert_event(tx, "Seized", seized)


def test_seizure_under_another_order_cannot_take_a_hold(
    funded: Any, freezer: Any, seizer: Any, alice: Any, carol: Any
) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    with reverts_with("SeizureNotAllowed", alice, 20_000):
        funded.seize(alice, carol, 20_000, OTHER_REASON, {"from": seizer})
    assert funded.heldAmount(alice, REASON) == 30_000


def test_seizure_shrinks_only_the_hold_of_its_own_order(
    funded: Any, freezer: Any, seizer: Any, alice: Any, carol: Any
) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    funded.freezeAmount(alice, 40_000, OTHER_REASON, {"from": freezer})
    funded.freeze(alice, REASON, {"from": freezer})
    funded.seize(alice, carol, 50_000, REASON, {"from": seizer})
    assert (funded.heldAmount(alice, REASON), funded.heldAmount(alice, OTHER_REASON)) == (0, 40_000)
    assert funded.frozenAmount(alice) == 40_000


def test_seizure_to_the_same_account_refused(funded: Any, freezer: Any, seizer: Any, alice: Any) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    with reverts_with("SeizureToSameAccount", alice):
        funded.seize(alice, alice, 30_000, REASON, {"from": seizer})
    assert funded.heldAmount(alice, REASON) == 30_000


def test_seize_the_whole_hold_releases_it(
    funded: Any, freezer: Any, seizer: Any, alice: Any, bob: Any
) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    funded.seize(alice, ZERO_ADDRESS, 30_000, REASON, {"from": seizer})
    assert funded.frozenAmount(alice) == 0
    funded.transfer(bob, 70_000, {"from": alice})
    assert funded.balanceOf(alice) == 0


def test_seize_beyond_the_held_amount_refused(
    funded: Any, freezer: Any, seizer: Any, alice: Any, carol: Any
) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    with reverts_with("SeizureNotAllowed", alice, 30_001):
        funded.seize(alice, carol, 30_001, REASON, {"from": seizer})
    assert funded.frozenAmount(alice) == 30_000


def test_seize_from_clean_account_refused(funded: Any, seizer: Any, alice: Any, carol: Any) -> None:
    with reverts_with("SeizureNotAllowed", alice, 1):
        funded.seize(alice, carol, 1, REASON, {"from": seizer})
    assert funded.balanceOf(alice) == 100_000


def test_seize_to_blocked_receiver_refused(
    funded: Any, blocklister: Any, seizer: Any, alice: Any, carol: Any
) -> None:
    funded.blockAccount(alice, REASON, {"from": blocklister})
    funded.blockAccount(carol, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", carol):
        funded.seize(alice, carol, 1, REASON, {"from": seizer})


def test_seize_to_zero_address_burns(funded: Any, blocklister: Any, seizer: Any, alice: Any) -> None:
    supply = funded.totalSupply()
    funded.blockAccount(alice, REASON, {"from": blocklister})
    tx = funded.seize(alice, ZERO_ADDRESS, 25_000, REASON, {"from": seizer})
    assert funded.totalSupply() == supply - 25_000
    assert funded.balanceOf(alice) == 75_000
    assert_event(
        tx, "Seized", {"from": alice, "to": ZERO_ADDRESS, "amount": 25_000, "actor": seizer, "reason": REASON}
    )
    assert_event(tx, "Transfer", {"from": alice, "to": ZERO_ADDRESS, "value": 25_000})


def test_seize_works_while_paused(
    funded: Any, pauser: Any, freezer: Any, seizer: Any, alice: Any, carol: Any
) -> None:
    funded.freeze(alice, REASON, {"from": freezer})
    funded.pause(REASON, {"from": pauser})
    tx = funded.seize(alice, carol, 10_000, REASON, {"from": seizer})
    assert funded.balanceOf(carol) == 10_000
    assert funded.paused()
    assert_event(
        tx, "Seized", {"from": alice, "to": carol, "amount": 10_000, "actor": seizer, "reason": REASON}
    )


def test_seize_to_frozen_receiver_allowed(
    funded: Any, freezer: Any, seizer: Any, alice: Any, bob: Any
) -> None:
    funded.freeze(alice, REASON, {"from": freezer})
    funded.freeze(bob, REASON, {"from": freezer})
    funded.seize(alice, bob, 10_000, REASON, {"from": seizer})
    assert funded.balanceOf(bob) == 60_000


def test_seize_more_than_balance_refused(
    funded: Any, blocklister: Any, seizer: Any, alice: Any, carol: Any
) -> None:
    funded.blockAccount(alice, REASON, {"from": blocklister})
    with reverts_with("ERC20InsufficientBalance", alice, 100_000, 100_001):
        funded.seize(alice, carol, 100_001, REASON, {"from": seizer})


def test_seize_from_blocked_account_beyond_its_hold_clears_the_hold(
    funded: Any, freezer: Any, blocklister: Any, seizer: Any, alice: Any, carol: Any
) -> None:
    funded.freezeAmount(alice, 30_000, REASON, {"from": freezer})
    funded.blockAccount(alice, REASON, {"from": blocklister})
    tx = funded.seize(alice, carol, 50_000, REASON, {"from": seizer})
    assert funded.frozenAmount(alice) == 0
    assert_event(
        tx,
        "FrozenAmountChanged",
        {"account": alice, "frozenAmount": 0, "actor": seizer, "reason": REASON},
    )


def test_seizure_of_zero_refused(funded: Any, seizer: Any, alice: Any, carol: Any) -> None:
    with reverts_with("SeizureAmountZero", alice):
        funded.seize(alice, carol, 0, REASON, {"from": seizer})
