"""Freezes and holds: a freeze stops every debit of an account, a hold keeps part of it under one order;
both carry an expiry and lapse at it by themselves, with no transaction, in views and pipeline alike."""

from typing import Any

import brownie
from brownie import ZERO_ADDRESS
from conftest import (
    OTHER_REASON,
    REASON,
    UINT256_MAX,
    assert_event,
    chain_now,
    expiry,
    ints,
    move_to,
    next_block_at,
    reverts_with,
    sign_permit,
)

DAY = 86400
MAX_TERM = 90 * DAY
THIRD_ORDER = brownie.web3.keccak(text="Court order 2-2000/2026").to_0x_hex()


def order(n: int) -> str:
    """The n-th of a series of distinct court orders."""
    return brownie.web3.keccak(text=f"Court order 3-{n}/2026").to_0x_hex()


def hold(token: Any, account: Any, name: str) -> tuple[int, int]:
    """`holdOf` as plain ints: what the hold keeps now, and its expiry."""
    amount, expires_at = token.holdOf(account, name)
    return int(amount), int(expires_at)


# --- Freezes ------------------------------------------------------------------------------------------


def test_freeze_emits_actor_reason_and_expiry(funded: Any, freezer: Any, alice: Any) -> None:
    until = expiry()
    tx = funded.freeze(alice, until, REASON, {"from": freezer})
    assert funded.isFrozen(alice) and funded.frozenUntil(alice) == until
    assert_event(tx, "Frozen", {"account": alice, "actor": freezer, "reason": REASON, "expiresAt": until})


def test_frozen_account_cannot_send(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.freeze(alice, expiry(), REASON, {"from": freezer})
    with reverts_with("AccountFrozen", alice):
        funded.transfer(bob, 1, {"from": alice})
    assert funded.balanceOf(alice) == 100_000


def test_frozen_account_cannot_approve(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.freeze(alice, expiry(), REASON, {"from": freezer})
    with reverts_with("AccountFrozen", alice):
        funded.approve(bob, 1, {"from": alice})


def test_frozen_account_cannot_permit(token: Any, freezer: Any, signer: Any, bob: Any) -> None:
    deadline = chain_now() + 3600
    v, r, s = sign_permit(token, signer, bob, 5_000, deadline)
    token.freeze(signer, expiry(), REASON, {"from": freezer})
    with reverts_with("AccountFrozen", signer):
        token.permit(signer, bob, 5_000, deadline, v, r, s, {"from": bob})
    assert token.allowance(signer, bob) == 0


def test_frozen_accounts_funds_cannot_be_pulled(
    funded: Any, freezer: Any, alice: Any, bob: Any, carol: Any
) -> None:
    funded.approve(bob, 30_000, {"from": alice})
    funded.freeze(alice, expiry(), REASON, {"from": freezer})
    with reverts_with("AccountFrozen", alice):
        funded.transferFrom(alice, carol, 1, {"from": bob})
    assert funded.allowance(alice, bob) == 30_000


def test_frozen_accounts_funds_cannot_be_pulled_with_infinite_allowance(
    funded: Any, freezer: Any, alice: Any, bob: Any, carol: Any
) -> None:
    funded.approve(bob, UINT256_MAX, {"from": alice})
    funded.freeze(alice, expiry(), REASON, {"from": freezer})
    with reverts_with("AccountFrozen", alice):
        funded.transferFrom(alice, carol, 1, {"from": bob})


def test_frozen_account_can_receive(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.freeze(alice, expiry(), REASON, {"from": freezer})
    funded.transfer(alice, 20_000, {"from": bob})
    assert funded.balanceOf(alice) == 120_000


def test_a_freeze_lapses_at_its_expiry_without_a_transaction(
    funded: Any, freezer: Any, alice: Any, bob: Any
) -> None:
    until = expiry()
    funded.freeze(alice, until, REASON, {"from": freezer})
    move_to(until - 1)
    assert funded.isFrozen(alice) and funded.availableToSend(alice) == 0
    with reverts_with("AccountFrozen", alice):
        funded.checkTransfer(alice, alice, bob, 1)
    move_to(until)
    assert not funded.isFrozen(alice) and funded.frozenUntil(alice) == 0
    assert funded.availableToSend(alice) == 100_000 and funded.canTransfer(alice, bob, 100_000)
    funded.transfer(bob, 100_000, {"from": alice})
    assert funded.balanceOf(bob) == 150_000


def test_a_lapsed_freeze_no_longer_stops_an_approval(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    until = expiry()
    funded.freeze(alice, until, REASON, {"from": freezer})
    move_to(until)
    funded.approve(bob, 5_000, {"from": alice})
    assert funded.allowance(alice, bob) == 5_000


def test_a_renewal_cites_a_new_order_and_moves_the_expiry(funded: Any, freezer: Any, alice: Any) -> None:
    funded.freeze(alice, expiry(), REASON, {"from": freezer})
    later = expiry(60 * DAY)
    tx = funded.freeze(alice, later, OTHER_REASON, {"from": freezer})
    assert funded.frozenUntil(alice) == later
    assert_event(
        tx, "Frozen", {"account": alice, "actor": freezer, "reason": OTHER_REASON, "expiresAt": later}
    )


def test_a_renewal_under_the_same_order_refused(funded: Any, freezer: Any, alice: Any) -> None:
    until = expiry()
    funded.freeze(alice, until, REASON, {"from": freezer})
    with reverts_with("OrderAlreadyUsed", alice, REASON):
        funded.freeze(alice, expiry(60 * DAY), REASON, {"from": freezer})
    # Lapsed, it is renewed the same way: by a new order.
    move_to(until)
    with reverts_with("OrderAlreadyUsed", alice, REASON):
        funded.freeze(alice, expiry(), REASON, {"from": freezer})
    funded.freeze(alice, expiry(), OTHER_REASON, {"from": freezer})
    assert funded.isFrozen(alice)


def test_an_order_freezes_an_account_once_even_lifted_in_between(
    funded: Any, freezer: Any, alice: Any
) -> None:
    # The outside audit's renewal: unfreeze and freeze again under the same order, in one multicall,
    # would have kept the account frozen for good, 90 days at a time.
    funded.freeze(alice, expiry(), REASON, {"from": freezer})
    renew = [
        funded.unfreeze.encode_input(alice, OTHER_REASON),
        funded.freeze.encode_input(alice, expiry(60 * DAY), REASON),
    ]
    with reverts_with("OrderAlreadyUsed", alice, REASON):
        funded.multicall(renew, {"from": freezer})
    funded.unfreeze(alice, OTHER_REASON, {"from": freezer})
    with reverts_with("OrderAlreadyUsed", alice, REASON):
        funded.freeze(alice, expiry(), REASON, {"from": freezer})
    assert not funded.isFrozen(alice)


def test_an_order_used_before_another_cannot_come_back(funded: Any, freezer: Any, alice: Any) -> None:
    funded.freeze(alice, expiry(), REASON, {"from": freezer})
    funded.freeze(alice, expiry(), OTHER_REASON, {"from": freezer})
    with reverts_with("OrderAlreadyUsed", alice, REASON):
        funded.freeze(alice, expiry(), REASON, {"from": freezer})


def test_an_order_that_froze_one_account_may_freeze_another(
    funded: Any, freezer: Any, alice: Any, bob: Any
) -> None:
    funded.freeze(alice, expiry(), REASON, {"from": freezer})
    funded.freeze(bob, expiry(), REASON, {"from": freezer})
    assert funded.isFrozen(bob)


def test_unfreezing_an_unfrozen_account_refused(funded: Any, freezer: Any, alice: Any) -> None:
    with reverts_with("FreezeUnchanged", alice, False):
        funded.unfreeze(alice, REASON, {"from": freezer})


def test_unfreezing_a_lapsed_freeze_refused(funded: Any, freezer: Any, alice: Any) -> None:
    until = expiry()
    funded.freeze(alice, until, REASON, {"from": freezer})
    move_to(until)
    with reverts_with("FreezeUnchanged", alice, False):
        funded.unfreeze(alice, OTHER_REASON, {"from": freezer})


def test_anyone_settles_a_lapsed_freeze_and_debits_read_one_word_again(
    funded: Any, freezer: Any, outsider: Any, alice: Any, bob: Any
) -> None:
    until = expiry()
    funded.freeze(alice, until, REASON, {"from": freezer})
    move_to(until)
    before = funded.transfer(bob, 1, {"from": alice}).gas_used
    funded.settleRestrictions(alice, {"from": outsider})
    after = funded.transfer(bob, 1, {"from": alice}).gas_used
    assert not funded.isFrozen(alice) and after <= before - 2_100, (before, after)
    # Settled, the lapsed freeze's order still never freezes the account again.
    with reverts_with("OrderAlreadyUsed", alice, REASON):
        funded.freeze(alice, expiry(), REASON, {"from": freezer})


def test_unfreeze_emits_and_restores_transfers(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.freeze(alice, expiry(), REASON, {"from": freezer})
    tx = funded.unfreeze(alice, OTHER_REASON, {"from": freezer})
    assert not funded.isFrozen(alice) and funded.frozenUntil(alice) == 0
    assert_event(tx, "Unfrozen", {"account": alice, "actor": freezer, "reason": OTHER_REASON})
    funded.transfer(bob, 100_000, {"from": alice})
    assert funded.balanceOf(bob) == 150_000


# --- Terms ----------------------------------------------------------------------------------------------


def test_an_expiry_now_or_past_refused(funded: Any, freezer: Any, alice: Any) -> None:
    at = chain_now() + 100
    next_block_at(at)
    with reverts_with("RestrictionExpiryInvalid", at, at + MAX_TERM):
        funded.freeze(alice, at, REASON, {"from": freezer})
    next_block_at(at + 1)
    with reverts_with("RestrictionExpiryInvalid", at, at + 1 + MAX_TERM):
        funded.placeHold(alice, 1, at, REASON, {"from": freezer})


def test_an_expiry_beyond_the_longest_term_refused(funded: Any, freezer: Any, alice: Any) -> None:
    at = chain_now() + 100
    next_block_at(at)
    with reverts_with("RestrictionExpiryInvalid", at + MAX_TERM + 1, at + MAX_TERM):
        funded.freeze(alice, at + MAX_TERM + 1, REASON, {"from": freezer})
    next_block_at(at + 1)
    with reverts_with("RestrictionExpiryInvalid", at + MAX_TERM + 2, at + 1 + MAX_TERM):
        funded.placeHold(alice, 1, at + MAX_TERM + 2, REASON, {"from": freezer})


def test_the_longest_term_itself_is_allowed(funded: Any, freezer: Any, alice: Any) -> None:
    assert funded._seizure_controller.maxRestrictionTerm(funded) == MAX_TERM
    at = chain_now() + 100
    next_block_at(at)
    funded.freeze(alice, at + MAX_TERM, REASON, {"from": freezer})
    assert funded.frozenUntil(alice) == at + MAX_TERM


def test_the_admin_shortens_the_longest_term_at_once(
    funded: Any, seizures: Any, admin: Any, freezer: Any, alice: Any
) -> None:
    at = chain_now() + 100
    next_block_at(at)
    tx = seizures.setMaxRestrictionTerm(funded, 7 * DAY, REASON, {"from": admin})
    assert seizures.maxRestrictionTerm(funded) == 7 * DAY
    assert_event(
        tx,
        "MaxRestrictionTermChanged",
        {"token": funded, "term": 7 * DAY, "effectiveAt": at, "actor": admin, "reason": REASON},
    )
    next_block_at(at + 1)
    with reverts_with("RestrictionExpiryInvalid", at + 8 * DAY, at + 1 + 7 * DAY):
        funded.placeHold(alice, 1, at + 8 * DAY, REASON, {"from": freezer})


def test_a_longer_term_waits_for_the_admins_delay(
    funded: Any, seizures: Any, admin: Any, freezer: Any, alice: Any
) -> None:
    # The outside audit: one admin key set a 136-year term and froze an account for it at once.
    delay = funded.defaultAdminDelay()
    at = chain_now() + 100
    next_block_at(at)
    tx = seizures.setMaxRestrictionTerm(funded, 2**32 - 1, REASON, {"from": admin})
    assert tx.events["MaxRestrictionTermChanged"]["effectiveAt"] == at + delay
    assert seizures.maxRestrictionTerm(funded) == MAX_TERM
    assert ints(seizures.pendingMaxRestrictionTerm(funded)) == (2**32 - 1, at + delay)
    next_block_at(at + 1)
    with reverts_with("RestrictionExpiryInvalid", at + 1 + MAX_TERM + 1, at + 1 + MAX_TERM):
        funded.freeze(alice, at + 1 + MAX_TERM + 1, REASON, {"from": freezer})
    move_to(at + delay)
    assert seizures.maxRestrictionTerm(funded) == 2**32 - 1
    assert ints(seizures.pendingMaxRestrictionTerm(funded)) == (0, 0)
    funded.freeze(alice, expiry(365 * DAY), REASON, {"from": freezer})
    assert funded.isFrozen(alice)


def test_a_shorter_setting_replaces_a_longer_one_still_waiting(
    funded: Any, seizures: Any, admin: Any
) -> None:
    seizures.setMaxRestrictionTerm(funded, 365 * DAY, REASON, {"from": admin})
    seizures.setMaxRestrictionTerm(funded, 30 * DAY, OTHER_REASON, {"from": admin})
    assert ints(seizures.pendingMaxRestrictionTerm(funded)) == (0, 0)
    move_to(chain_now() + funded.defaultAdminDelay())
    assert seizures.maxRestrictionTerm(funded) == 30 * DAY


def test_a_shorter_longest_term_leaves_earlier_restrictions_alone(
    funded: Any, seizures: Any, admin: Any, freezer: Any, alice: Any
) -> None:
    until = expiry(80 * DAY)
    funded.freeze(alice, until, REASON, {"from": freezer})
    seizures.setMaxRestrictionTerm(funded, DAY, REASON, {"from": admin})
    move_to(until - 1)
    assert funded.isFrozen(alice) and funded.frozenUntil(alice) == until


def test_a_longest_term_of_zero_or_above_32_bits_refused(funded: Any, seizures: Any, admin: Any) -> None:
    with reverts_with("MaxRestrictionTermInvalid", 0):
        seizures.setMaxRestrictionTerm(funded, 0, REASON, {"from": admin})
    with reverts_with("MaxRestrictionTermInvalid", 2**32):
        seizures.setMaxRestrictionTerm(funded, 2**32, REASON, {"from": admin})


def test_only_the_admin_sets_the_longest_term(funded: Any, seizures: Any, freezer: Any) -> None:
    with reverts_with("AccessControlUnauthorizedAccount", freezer, "0x" + "00" * 32):
        seizures.setMaxRestrictionTerm(funded, DAY, REASON, {"from": freezer})


# --- Holds ----------------------------------------------------------------------------------------------


def test_a_hold_keeps_part_of_the_balance(funded: Any, freezer: Any, alice: Any) -> None:
    until = expiry()
    tx = funded.placeHold(alice, 30_000, until, REASON, {"from": freezer})
    assert funded.frozenAmount(alice) == 30_000 and hold(funded, alice, REASON) == (30_000, until)
    assert not funded.isFrozen(alice)
    assert_event(
        tx,
        "HoldPlaced",
        {"account": alice, "order": REASON, "amount": 30_000, "expiresAt": until, "actor": freezer},
    )


def test_a_held_account_spends_only_the_free_part(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    funded.transfer(bob, 70_000, {"from": alice})
    assert funded.balanceOf(alice) == 30_000
    with reverts_with("InsufficientUnfrozenBalance", alice, 0, 1):
        funded.transfer(bob, 1, {"from": alice})


def test_one_tiyn_over_the_free_part_refused(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    with reverts_with("InsufficientUnfrozenBalance", alice, 70_000, 70_001):
        funded.transfer(bob, 70_001, {"from": alice})


def test_a_hold_applies_to_transfer_from(funded: Any, freezer: Any, alice: Any, bob: Any, carol: Any) -> None:
    funded.approve(bob, UINT256_MAX, {"from": alice})
    funded.placeHold(alice, 90_000, expiry(), REASON, {"from": freezer})
    with reverts_with("InsufficientUnfrozenBalance", alice, 10_000, 10_001):
        funded.transferFrom(alice, carol, 10_001, {"from": bob})
    funded.transferFrom(alice, carol, 10_000, {"from": bob})
    assert funded.balanceOf(carol) == 10_000


def test_a_held_account_may_still_approve(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    funded.approve(bob, 50_000, {"from": alice})
    assert funded.allowance(alice, bob) == 50_000


def test_holds_are_kept_per_order(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    funded.placeHold(alice, 20_000, expiry(), OTHER_REASON, {"from": freezer})
    assert funded.frozenAmount(alice) == 50_000
    assert (funded.holdOf(alice, REASON)[0], funded.holdOf(alice, OTHER_REASON)[0]) == (30_000, 20_000)
    funded.transfer(bob, 50_000, {"from": alice})
    with reverts_with("InsufficientUnfrozenBalance", alice, 0, 1):
        funded.transfer(bob, 1, {"from": alice})


def test_a_hold_above_the_balance_also_holds_incoming_funds(
    funded: Any, freezer: Any, alice: Any, bob: Any
) -> None:
    funded.placeHold(alice, 150_000, expiry(), REASON, {"from": freezer})
    with reverts_with("InsufficientUnfrozenBalance", alice, 0, 1):
        funded.transfer(bob, 1, {"from": alice})
    funded.transfer(alice, 50_000, {"from": bob})
    with reverts_with("InsufficientUnfrozenBalance", alice, 0, 1):
        funded.transfer(bob, 1, {"from": alice})


def test_each_hold_lapses_at_its_own_expiry(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    first, second = expiry(10 * DAY), expiry(20 * DAY)
    funded.placeHold(alice, 30_000, first, REASON, {"from": freezer})
    funded.placeHold(alice, 20_000, second, OTHER_REASON, {"from": freezer})
    move_to(first - 1)
    assert funded.frozenAmount(alice) == 50_000 and funded.availableToSend(alice) == 50_000
    move_to(first)
    assert funded.frozenAmount(alice) == 20_000 and funded.availableToSend(alice) == 80_000
    assert hold(funded, alice, REASON) == (0, first) and hold(funded, alice, OTHER_REASON) == (20_000, second)
    with reverts_with("InsufficientUnfrozenBalance", alice, 80_000, 80_001):
        funded.transfer(bob, 80_001, {"from": alice})
    move_to(second)
    assert funded.frozenAmount(alice) == 0
    funded.transfer(bob, 100_000, {"from": alice})
    assert funded.balanceOf(alice) == 0


def test_a_hold_lapses_exactly_when_the_pipeline_says(
    funded: Any, freezer: Any, alice: Any, bob: Any
) -> None:
    until = expiry()
    funded.placeHold(alice, 100_000, until, REASON, {"from": freezer})
    next_block_at(until - 1)
    with reverts_with("InsufficientUnfrozenBalance", alice, 0, 1):
        funded.transfer(bob, 1, {"from": alice})
    next_block_at(until)
    funded.transfer(bob, 1, {"from": alice})
    assert funded.balanceOf(bob) == 50_001


def test_past_every_hold_an_overdraft_is_openzeppelins_error(
    funded: Any, freezer: Any, alice: Any, bob: Any
) -> None:
    # The has-hold flag outlives the last hold's lapse (until settled); the error does not.
    until = expiry()
    funded.placeHold(alice, 30_000, until, REASON, {"from": freezer})
    move_to(until)
    with reverts_with("ERC20InsufficientBalance", alice, 100_000, 100_001):
        funded.transfer(bob, 100_001, {"from": alice})
    with reverts_with("ERC20InsufficientBalance", alice, 100_000, 100_001):
        funded.checkTransfer(alice, alice, bob, 100_001)


def test_a_release_shrinks_only_its_hold(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    funded.placeHold(alice, 20_000, expiry(), OTHER_REASON, {"from": freezer})
    tx = funded.releaseHold(alice, REASON, 10_000, THIRD_ORDER, {"from": freezer})
    assert (funded.holdOf(alice, REASON)[0], funded.holdOf(alice, OTHER_REASON)[0]) == (20_000, 20_000)
    assert funded.frozenAmount(alice) == 40_000
    assert_event(
        tx,
        "HoldReleased",
        {
            "account": alice,
            "order": REASON,
            "amount": 10_000,
            "remaining": 20_000,
            "actor": freezer,
            "reason": THIRD_ORDER,
        },
    )
    funded.transfer(bob, 60_000, {"from": alice})
    assert funded.balanceOf(alice) == 40_000


def test_a_full_release_ends_the_hold(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    until = expiry()
    funded.placeHold(alice, 30_000, until, REASON, {"from": freezer})
    funded.releaseHold(alice, REASON, 30_000, OTHER_REASON, {"from": freezer})
    assert hold(funded, alice, REASON) == (0, until) and funded.frozenAmount(alice) == 0
    funded.transfer(bob, 100_000, {"from": alice})
    assert funded.balanceOf(alice) == 0


def test_a_release_under_another_order_refused(funded: Any, freezer: Any, alice: Any) -> None:
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    with reverts_with("HoldNotActive", alice, OTHER_REASON):
        funded.releaseHold(alice, OTHER_REASON, 1, REASON, {"from": freezer})
    assert funded.holdOf(alice, REASON)[0] == 30_000


def test_a_release_above_the_hold_refused(funded: Any, freezer: Any, alice: Any) -> None:
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    with reverts_with("HoldExceeded", alice, REASON, 30_000, 30_001):
        funded.releaseHold(alice, REASON, 30_001, OTHER_REASON, {"from": freezer})
    assert funded.frozenAmount(alice) == 30_000


def test_a_release_of_a_lapsed_hold_refused(funded: Any, freezer: Any, alice: Any) -> None:
    until = expiry()
    funded.placeHold(alice, 30_000, until, REASON, {"from": freezer})
    move_to(until)
    with reverts_with("HoldNotActive", alice, REASON):
        funded.releaseHold(alice, REASON, 1, OTHER_REASON, {"from": freezer})


def test_a_release_of_nothing_refused(funded: Any, freezer: Any, alice: Any) -> None:
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    with reverts_with("HoldAmountInvalid", 0):
        funded.releaseHold(alice, REASON, 0, OTHER_REASON, {"from": freezer})


def test_an_order_holds_once_per_account(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    until = expiry()
    funded.placeHold(alice, 30_000, until, REASON, {"from": freezer})
    with reverts_with("OrderAlreadyUsed", alice, REASON):
        funded.placeHold(alice, 1, expiry(), REASON, {"from": freezer})
    funded.releaseHold(alice, REASON, 30_000, OTHER_REASON, {"from": freezer})
    with reverts_with("OrderAlreadyUsed", alice, REASON):
        funded.placeHold(alice, 1, expiry(), REASON, {"from": freezer})
    # The same order may hold another account.
    funded.placeHold(bob, 1, expiry(), REASON, {"from": freezer})
    assert funded.holdOf(bob, REASON)[0] == 1


def test_a_lapsed_holds_order_cannot_renew_it(funded: Any, freezer: Any, alice: Any) -> None:
    until = expiry()
    funded.placeHold(alice, 30_000, until, REASON, {"from": freezer})
    move_to(until)
    with reverts_with("OrderAlreadyUsed", alice, REASON):
        funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    funded.placeHold(alice, 30_000, expiry(), OTHER_REASON, {"from": freezer})
    assert funded.frozenAmount(alice) == 30_000


def test_an_account_carries_at_most_eight_holds(funded: Any, freezer: Any, alice: Any) -> None:
    assert funded.MAX_HOLDS() == 8
    for n in range(8):
        funded.placeHold(alice, 1_000, expiry(), order(n), {"from": freezer})
    assert funded.frozenAmount(alice) == 8_000
    with reverts_with("TooManyHolds", alice, 8):
        funded.placeHold(alice, 1_000, expiry(), order(8), {"from": freezer})


def test_lapsed_and_released_holds_make_room(funded: Any, freezer: Any, alice: Any) -> None:
    soon = expiry(DAY)
    funded.placeHold(alice, 1_000, soon, order(0), {"from": freezer})
    for n in range(1, 8):
        funded.placeHold(alice, 1_000, expiry(), order(n), {"from": freezer})
    funded.releaseHold(alice, order(1), 1_000, REASON, {"from": freezer})
    funded.placeHold(alice, 2_000, expiry(), order(8), {"from": freezer})
    move_to(soon)
    funded.placeHold(alice, 3_000, expiry(), order(9), {"from": freezer})
    assert funded.frozenAmount(alice) == 6 * 1_000 + 2_000 + 3_000


def test_anyone_settles_lapsed_holds_and_debits_read_one_word_again(
    funded: Any, freezer: Any, outsider: Any, alice: Any, bob: Any
) -> None:
    until = expiry()
    for n in range(8):
        funded.placeHold(alice, 1_000, until, order(n), {"from": freezer})
    move_to(until)
    # Lapsed: nothing is held, but each debit still reads the eight holds to learn it.
    assert funded.frozenAmount(alice) == 0
    before = funded.transfer(bob, 1, {"from": alice}).gas_used
    funded.settleRestrictions(alice, {"from": outsider})
    after = funded.transfer(bob, 1, {"from": alice}).gas_used
    assert funded.frozenAmount(alice) == 0 and hold(funded, alice, order(0)) == (0, until)
    assert after < before - 8 * 2_100, (before, after)
    # Their orders stay used.
    with reverts_with("OrderAlreadyUsed", alice, order(0)):
        funded.placeHold(alice, 1, expiry(), order(0), {"from": freezer})


def test_a_hold_of_nothing_or_above_any_balance_refused(funded: Any, freezer: Any, alice: Any) -> None:
    with reverts_with("HoldAmountInvalid", 0):
        funded.placeHold(alice, 0, expiry(), REASON, {"from": freezer})
    with reverts_with("HoldAmountInvalid", 2**96):
        funded.placeHold(alice, 2**96, expiry(), REASON, {"from": freezer})
    funded.placeHold(alice, 2**96 - 1, expiry(), REASON, {"from": freezer})
    assert funded.frozenAmount(alice) == 2**96 - 1


def test_a_freeze_stops_even_the_free_part_of_a_hold(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    funded.freeze(alice, expiry(), REASON, {"from": freezer})
    with reverts_with("AccountFrozen", alice):
        funded.transfer(bob, 1, {"from": alice})


def test_unfreeze_leaves_the_hold_in_place(funded: Any, freezer: Any, alice: Any, bob: Any) -> None:
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    funded.freeze(alice, expiry(), REASON, {"from": freezer})
    funded.unfreeze(alice, OTHER_REASON, {"from": freezer})
    assert funded.frozenAmount(alice) == 30_000
    with reverts_with("InsufficientUnfrozenBalance", alice, 70_000, 70_001):
        funded.transfer(bob, 70_001, {"from": alice})


def test_zero_address_cannot_be_frozen_or_held(token: Any, freezer: Any) -> None:
    with reverts_with("ZeroAddressCannotBeFrozen"):
        token.freeze(ZERO_ADDRESS, expiry(), REASON, {"from": freezer})
    with reverts_with("ZeroAddressCannotBeFrozen"):
        token.placeHold(ZERO_ADDRESS, 1, expiry(), REASON, {"from": freezer})


def test_only_the_freezer_freezes_holds_and_releases(funded: Any, outsider: Any, alice: Any) -> None:
    role = funded.FREEZER_ROLE()
    with reverts_with("AccessControlUnauthorizedAccount", outsider, role):
        funded.freeze(alice, expiry(), REASON, {"from": outsider})
    with reverts_with("AccessControlUnauthorizedAccount", outsider, role):
        funded.unfreeze(alice, REASON, {"from": outsider})
    with reverts_with("AccessControlUnauthorizedAccount", outsider, role):
        funded.placeHold(alice, 1, expiry(), REASON, {"from": outsider})
    with reverts_with("AccessControlUnauthorizedAccount", outsider, role):
        funded.releaseHold(alice, REASON, 1, REASON, {"from": outsider})
