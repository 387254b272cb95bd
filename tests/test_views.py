"""The views that answer with the pipeline's own rules: canTransfer, checkTransfer, availableToSend."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import ZERO_ADDRESS
from conftest import REASON, reverts_with

T0_DAY = 50_000_00  # tier 0's default day outflow, in tiyn


@pytest.fixture(scope="module")
def views(policy_token: Any, minter: Any, kyc: Any, alice: Any) -> Any:
    """Policy on, default tiers; alice (tier 0) holds 1,000.00 KZT; the minter is a system account."""
    policy_token.setTier(minter, 3, REASON, {"from": kyc})
    policy_token.mint(alice, 100_000, {"from": minter})
    return policy_token


def test_can_transfer_answers_as_a_transfer_would(views: Any, alice: Any, bob: Any) -> None:
    assert views.canTransfer(alice, bob, 100_000)
    assert not views.canTransfer(alice, bob, 100_001)


def test_nothing_is_transferred_from_the_zero_address(views: Any, bob: Any) -> None:
    # A mint is not a transfer: `checkTransfer` with the minter as operator answers that.
    assert not views.canTransfer(ZERO_ADDRESS, bob, 1)


def test_check_transfer_says_where_the_money_goes(views: Any, alice: Any, bob: Any, minter: Any) -> None:
    for operator, payer in [(alice, alice), (minter, ZERO_ADDRESS)]:
        to_amount, linked = views.checkTransfer(operator, payer, bob, 1_000)
        assert (int(to_amount), str(linked)) == (1_000, ZERO_ADDRESS)


def test_check_transfer_refuses_the_zero_address_as_payee(views: Any, alice: Any) -> None:
    with reverts_with("ERC20InvalidReceiver", ZERO_ADDRESS):
        views.checkTransfer(alice, alice, ZERO_ADDRESS, 1)


def test_an_unlimited_tier_may_send_its_whole_balance(views: Any, minter: Any) -> None:
    views.mint(minter, T0_DAY * 3, {"from": minter})
    assert views.availableToSend(minter) == views.balanceOf(minter) == T0_DAY * 3


def test_a_limited_tier_may_send_up_to_its_day(views: Any, minter: Any, alice: Any) -> None:
    views.mint(alice, T0_DAY, {"from": minter})
    assert views.availableToSend(alice) == T0_DAY
