"""Rescue: tokens sent to the Digital Tenge's address by mistake go back out, by RESCUER_ROLE only."""

from typing import Any

import pytest
from brownie import ERC20Mock
from conftest import REASON, assert_event, reverts_with


@pytest.fixture(scope="module")
def stray(token: Any, admin: Any, alice: Any) -> Any:
    """Another token, 7,000 units of which alice sent to the Digital Tenge's address by mistake."""
    mock = ERC20Mock.deploy({"from": admin})
    mock.mint(alice, 10_000, {"from": admin})
    mock.transfer(token, 7_000, {"from": alice})
    return mock


def test_rescue_returns_stray_tokens(token: Any, stray: Any, rescuer: Any, alice: Any) -> None:
    tx = token.rescue(stray, alice, 7_000, REASON, {"from": rescuer})
    assert stray.balanceOf(token) == 0
    assert stray.balanceOf(alice) == 10_000
    assert_event(
        tx, "Rescued", {"token": stray, "to": alice, "amount": 7_000, "actor": rescuer, "reason": REASON}
    )
    assert_event(tx, "Transfer", {"from": token, "to": alice, "value": 7_000})


def test_rescue_part_to_another_account(token: Any, stray: Any, rescuer: Any, bob: Any) -> None:
    token.rescue(stray, bob, 2_500, REASON, {"from": rescuer})
    assert stray.balanceOf(token) == 4_500
    assert stray.balanceOf(bob) == 2_500


def test_rescue_more_than_held_refused(token: Any, stray: Any, rescuer: Any, alice: Any) -> None:
    with reverts_with("ERC20InsufficientBalance", token, 7_000, 7_001):
        token.rescue(stray, alice, 7_001, REASON, {"from": rescuer})


def test_rescue_refused_to_anyone_else(
    token: Any, stray: Any, admin: Any, alice: Any, unauthorized: Any
) -> None:
    with unauthorized(admin, token.RESCUER_ROLE()):
        token.rescue(stray, alice, 7_000, REASON, {"from": admin})


def test_rescue_returns_tiyn_sent_to_the_token_itself(funded: Any, rescuer: Any, alice: Any) -> None:
    funded.transfer(funded, 5_000, {"from": alice})
    tx = funded.rescue(funded, alice, 5_000, REASON, {"from": rescuer})
    assert funded.balanceOf(funded) == 0
    assert funded.balanceOf(alice) == 100_000
    assert_event(
        tx, "Rescued", {"token": funded, "to": alice, "amount": 5_000, "actor": rescuer, "reason": REASON}
    )


def test_rescued_tiyn_cannot_reach_a_blocked_account(
    funded: Any, blocklister: Any, rescuer: Any, alice: Any, bob: Any
) -> None:
    funded.transfer(funded, 5_000, {"from": alice})
    funded.blockAccount(bob, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", bob):
        funded.rescue(funded, bob, 5_000, REASON, {"from": rescuer})
