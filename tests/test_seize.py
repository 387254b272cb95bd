"""Seizure as the token executes it: only the seizure controller may, and only a named hold, which
shrinks by what is taken; other holds keep their funds; a pause or a freeze does not stop it."""

from typing import Any

import brownie
from brownie import ZERO_ADDRESS, DigitalTenge
from conftest import OTHER_REASON, REASON, assert_event, expiry, move_to, reverts_with, seize

SEIZURE_REASON = brownie.web3.keccak(text="Enforcement order 7-77/2026").to_0x_hex()


def test_a_seizure_moves_the_amount_and_shrinks_its_hold(
    funded: Any, freezer: Any, proposer: Any, approver: Any, seizures: Any, alice: Any, carol: Any
) -> None:
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    tx = seize(funded, proposer, approver, alice, carol, 20_000, REASON, SEIZURE_REASON)
    assert (funded.balanceOf(alice), funded.balanceOf(carol)) == (80_000, 20_000)
    assert funded.holdOf(alice, REASON)[0] == 10_000 and funded.frozenAmount(alice) == 10_000
    assert_event(
        tx,
        "HoldReleased",
        {
            "account": alice,
            "order": REASON,
            "amount": 20_000,
            "remaining": 10_000,
            "actor": seizures,
            "reason": SEIZURE_REASON,
        },
    )
    assert_event(tx, "Transfer", {"from": alice, "to": carol, "value": 20_000})
    assert_event(
        tx,
        "Seized",
        {"from": alice, "to": carol, "amount": 20_000, "order": REASON, "reason": SEIZURE_REASON},
    )
    assert_event(tx, "SeizureExecuted", {"id": 1, "executor": approver})


def test_seizing_the_whole_hold_ends_it(
    funded: Any, freezer: Any, proposer: Any, approver: Any, alice: Any, bob: Any, carol: Any
) -> None:
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    seize(funded, proposer, approver, alice, carol, 30_000)
    assert funded.frozenAmount(alice) == 0
    funded.transfer(bob, 70_000, {"from": alice})
    assert funded.balanceOf(alice) == 0


def test_a_seizure_executes_against_a_frozen_account(
    funded: Any, freezer: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    funded.placeHold(alice, 100_000, expiry(), REASON, {"from": freezer})
    funded.freeze(alice, expiry(), REASON, {"from": freezer})
    seize(funded, proposer, approver, alice, carol, 100_000)
    assert (funded.balanceOf(alice), funded.balanceOf(carol)) == (0, 100_000)
    assert funded.isFrozen(alice)


def test_a_seizure_executes_against_a_blocked_account(
    funded: Any, freezer: Any, blocklister: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    funded.placeHold(alice, 40_000, expiry(), REASON, {"from": freezer})
    funded.blockAccount(alice, REASON, {"from": blocklister})
    seize(funded, proposer, approver, alice, carol, 40_000)
    assert funded.balanceOf(carol) == 40_000


def test_a_seizure_never_takes_what_another_hold_keeps(
    funded: Any, freezer: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    funded.placeHold(alice, 80_000, expiry(), OTHER_REASON, {"from": freezer})
    with reverts_with("InsufficientUnfrozenBalance", alice, 20_000, 30_000):
        seize(funded, proposer, approver, alice, carol, 30_000)
    seize(funded, proposer, approver, alice, carol, 20_000)
    assert funded.holdOf(alice, OTHER_REASON)[0] == 80_000 and funded.holdOf(alice, REASON)[0] == 10_000
    assert funded.balanceOf(alice) == 80_000


def test_a_lapsed_hold_beside_it_keeps_nothing_back(
    funded: Any, freezer: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    soon = expiry(86400)
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    funded.placeHold(alice, 80_000, soon, OTHER_REASON, {"from": freezer})
    move_to(soon)
    seize(funded, proposer, approver, alice, carol, 30_000)
    assert funded.balanceOf(carol) == 30_000 and funded.frozenAmount(alice) == 0


def test_a_seizure_above_the_balance_refused(
    funded: Any, freezer: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    funded.placeHold(alice, 150_000, expiry(), REASON, {"from": freezer})
    with reverts_with("InsufficientUnfrozenBalance", alice, 100_000, 100_001):
        seize(funded, proposer, approver, alice, carol, 100_001)


def test_a_seizure_never_credits_a_blocked_account(
    funded: Any, freezer: Any, blocklister: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    funded.blockAccount(carol, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", carol):
        seize(funded, proposer, approver, alice, carol, 10_000)
    assert funded.balanceOf(alice) == 100_000


def test_a_seizure_to_the_zero_address_burns(
    funded: Any, freezer: Any, proposer: Any, approver: Any, alice: Any
) -> None:
    supply = funded.totalSupply()
    funded.placeHold(alice, 25_000, expiry(), REASON, {"from": freezer})
    tx = seize(funded, proposer, approver, alice, ZERO_ADDRESS, 25_000)
    assert funded.totalSupply() == supply - 25_000 and funded.balanceOf(alice) == 75_000
    assert_event(tx, "Transfer", {"from": alice, "to": ZERO_ADDRESS, "value": 25_000})


def test_a_seizure_executes_while_paused(
    funded: Any, pauser: Any, freezer: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    funded.placeHold(alice, 10_000, expiry(), REASON, {"from": freezer})
    funded.pause(REASON, {"from": pauser})
    seize(funded, proposer, approver, alice, carol, 10_000)
    assert funded.balanceOf(carol) == 10_000 and funded.paused()


def test_a_seizure_may_credit_a_frozen_account(
    funded: Any, freezer: Any, proposer: Any, approver: Any, alice: Any, bob: Any
) -> None:
    funded.placeHold(alice, 10_000, expiry(), REASON, {"from": freezer})
    funded.freeze(bob, expiry(), REASON, {"from": freezer})
    seize(funded, proposer, approver, alice, bob, 10_000)
    assert funded.balanceOf(bob) == 60_000


def test_only_the_seizure_controller_seizes(
    funded: Any, admin: Any, freezer: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    for caller in (admin, proposer, approver, freezer):
        with reverts_with("CallerNotSeizureController", caller):
            funded.seize(alice, carol, 1, REASON, REASON, {"from": caller})
    assert funded.balanceOf(alice) == 100_000


def test_the_token_names_its_seizure_controller(funded: Any, seizures: Any) -> None:
    assert funded.seizureController() == seizures.address


def test_an_implementation_needs_both_controllers(token: Any, admin: Any) -> None:
    for mint_controller, seizure_controller in (
        (token.mintController(), ZERO_ADDRESS),
        (ZERO_ADDRESS, token.seizureController()),
    ):
        with reverts_with("ControllerMissing"):
            DigitalTenge.deploy(mint_controller, seizure_controller, {"from": admin})
