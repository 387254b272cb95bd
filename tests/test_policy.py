"""Wallet policy: KYC tiers, holding limits, daily outflow limits, the exempt tier, the switch, the views."""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from brownie import ZERO_ADDRESS
from conftest import (
    OTHER_REASON,
    REASON,
    UINT256_MAX,
    assert_event,
    chain_now,
    expiry,
    move_to,
    new_nonce,
    reverts_with,
    seize,
    sign_authorization,
)

from scripts.deploy import deploy_token

DAY = 86_400
# The defaults of `initialize`, in tiyn (1 KZT = 100 tiyn).
DEFAULT_TIERS = {
    0: (100_000_00, 50_000_00),
    1: (1_000_000_00, 500_000_00),
    2: (10_000_000_00, 5_000_000_00),
    3: (UINT256_MAX, UINT256_MAX),
}
T0_MAX, T0_DAY = DEFAULT_TIERS[0]
T1_MAX, T1_DAY = DEFAULT_TIERS[1]


@pytest.fixture(scope="module")
def policy(controller: Any, policy_token: Any, minter: Any, minter_admin: Any, kyc: Any) -> Any:
    """Policy on; the minter is a system account in tier 3, allowed 100,000,000 KZT."""
    policy_token.setTier(minter, 3, REASON, {"from": kyc})
    controller.configureMinter(policy_token, minter, 10_000_000_000, REASON, {"from": minter_admin})
    return policy_token


def seconds_to_midnight() -> int:
    """Seconds from the chain's clock to the next UTC midnight."""
    now = chain_now()
    return (now // DAY + 1) * DAY - now


def limits(token: Any, tier: int) -> tuple[int, int]:
    max_balance, daily_outflow = token.tierLimits(tier)
    return int(max_balance), int(daily_outflow)


def next_midnight() -> int:
    return chain_now() + seconds_to_midnight()


# --- defaults and configuration ----------------------------------------------------------------------


def test_fresh_deployment_has_policy_on_and_default_tiers(admin: Any) -> None:
    token = deploy_token(admin)
    assert token.policyEnabled()
    for tier, expected in DEFAULT_TIERS.items():
        assert limits(token, tier) == expected
    assert limits(token, 4) == (0, 0)
    assert token.tierOf(admin) == 0


def test_initialize_records_default_tiers_and_switch(admin: Any) -> None:
    token = deploy_token(admin)
    tx = token._proxy.tx
    events = tx.events
    assert [e["tier"] for e in events["TierLimitsSet"]] == [0, 1, 2, 3]
    assert_event(
        tx,
        "TierLimitsSet",
        {
            "tier": 3,
            "maxBalance": UINT256_MAX,
            "dailyOutflow": UINT256_MAX,
            "actor": admin,
            "reason": "0x" + "00" * 32,
        },
        3,
    )
    assert_event(tx, "PolicyEnabledSet", {"enabled": True, "actor": admin, "reason": "0x" + "00" * 32})


def test_set_tier_emits_old_and_new_tier(policy: Any, kyc: Any, alice: Any) -> None:
    tx = policy.setTier(alice, 2, REASON, {"from": kyc})
    assert policy.tierOf(alice) == 2
    assert_event(
        tx, "TierSet", {"account": alice, "oldTier": 0, "newTier": 2, "actor": kyc, "reason": REASON}
    )
    tx = policy.setTier(alice, 1, OTHER_REASON, {"from": kyc})
    assert_event(
        tx, "TierSet", {"account": alice, "oldTier": 2, "newTier": 1, "actor": kyc, "reason": OTHER_REASON}
    )


def test_set_tier_refuses_an_unconfigured_tier(policy: Any, kyc: Any, alice: Any) -> None:
    with reverts_with("TierNotConfigured", 7):
        policy.setTier(alice, 7, REASON, {"from": kyc})


def test_a_tier_that_holds_nothing_is_still_configured(
    policy: Any, admin: Any, kyc: Any, minter: Any, alice: Any, bob: Any
) -> None:
    """A closing account's tier: it may send what it has but receive nothing more."""
    policy.mint(alice, 1_000, {"from": minter})
    policy.setTierLimits(6, 0, 5_000, REASON, {"from": admin})
    policy.setTier(alice, 6, REASON, {"from": kyc})
    assert policy.tierOf(alice) == 6
    policy.transfer(bob, 400, {"from": alice})
    with reverts_with("HoldingLimitExceeded", alice, 700, 0):
        policy.transfer(alice, 100, {"from": bob})
    assert policy.balanceOf(alice) == 600


def test_set_tier_limits_emits_and_applies(policy: Any, admin: Any) -> None:
    tx = policy.setTierLimits(7, 5_000, UINT256_MAX, REASON, {"from": admin})
    assert limits(policy, 7) == (5_000, UINT256_MAX)
    assert_event(
        tx,
        "TierLimitsSet",
        {"tier": 7, "maxBalance": 5_000, "dailyOutflow": UINT256_MAX, "actor": admin, "reason": REASON},
    )


def test_largest_finite_limit_is_kept(policy: Any, admin: Any) -> None:
    policy.setTierLimits(5, 2**96 - 2, 2**96 - 2, REASON, {"from": admin})
    assert limits(policy, 5) == (2**96 - 2, 2**96 - 2)


@pytest.mark.parametrize("limit", [2**96 - 1, 2**96, UINT256_MAX - 1])
def test_limit_at_or_above_the_sentinel_refused(policy: Any, admin: Any, limit: int) -> None:
    with reverts_with("TierLimitOutOfRange", limit):
        policy.setTierLimits(5, limit, 1, REASON, {"from": admin})
    with reverts_with("TierLimitOutOfRange", limit):
        policy.setTierLimits(5, 1, limit, REASON, {"from": admin})


def test_tier_0_limits_live_in_the_token_word_and_apply(
    policy: Any, admin: Any, minter: Any, alice: Any, bob: Any
) -> None:
    # Tier 0's limits are 40 bits each in the token's word: the widest finite one is kept, and applies.
    policy.setTierLimits(0, 2**40 - 2, 2**40 - 2, REASON, {"from": admin})
    assert limits(policy, 0) == (2**40 - 2, 2**40 - 2)
    policy.mint(alice, 100, {"from": minter})
    policy.setTierLimits(0, 50, UINT256_MAX, REASON, {"from": admin})
    assert policy.availableToReceive(bob) == 50 and policy.availableToReceive(alice) == 0
    with reverts_with("HoldingLimitExceeded", bob, 51, 50):
        policy.transfer(bob, 51, {"from": alice})
    assert policy.availableToSend(alice) == 100  # no daily limit: all of the balance
    policy.setTierLimits(0, UINT256_MAX, 5, REASON, {"from": admin})
    assert limits(policy, 0) == (UINT256_MAX, 5)
    assert policy.availableToSend(alice) == 5
    with reverts_with("DailyOutflowExceeded", alice, 6, 5):
        policy.transfer(bob, 6, {"from": alice})
    policy.transfer(bob, 5, {"from": alice})
    assert policy.balanceOf(bob) == 5 and policy.outflowToday(alice) == 5


@pytest.mark.parametrize("limit", [2**40 - 1, 2**40, 2**96 - 2])
def test_tier_0_limit_at_or_above_its_sentinel_refused(policy: Any, admin: Any, limit: int) -> None:
    with reverts_with("TierLimitOutOfRange", limit):
        policy.setTierLimits(0, limit, 1, REASON, {"from": admin})
    with reverts_with("TierLimitOutOfRange", limit):
        policy.setTierLimits(0, 1, limit, REASON, {"from": admin})


def test_role_gates(policy: Any, unauthorized: Any, outsider: Any, kyc: Any, admin: Any, alice: Any) -> None:
    kyc_role, admin_role = policy.KYC_ROLE(), policy.DEFAULT_ADMIN_ROLE()
    assert kyc_role == brownie.web3.keccak(text="KYC_ROLE").to_0x_hex()
    with unauthorized(outsider, kyc_role):
        policy.setTier(alice, 1, REASON, {"from": outsider})
    with unauthorized(admin, kyc_role):
        policy.setLinkedAccount(alice, outsider, REASON, {"from": admin})
    with unauthorized(kyc, admin_role):
        policy.setTierLimits(0, 1, 1, REASON, {"from": kyc})
    with unauthorized(kyc, admin_role):
        policy.setPolicyEnabled(False, REASON, {"from": kyc})


# --- holding limit -----------------------------------------------------------------------------------


def test_mint_up_to_the_holding_limit(policy: Any, minter: Any, alice: Any) -> None:
    policy.mint(alice, T0_MAX - 1, {"from": minter})
    policy.mint(alice, 1, {"from": minter})
    assert policy.balanceOf(alice) == T0_MAX


def test_mint_above_the_holding_limit_refused(policy: Any, minter: Any, alice: Any) -> None:
    policy.mint(alice, T0_MAX, {"from": minter})
    with reverts_with("HoldingLimitExceeded", alice, T0_MAX + 1, T0_MAX):
        policy.mint(alice, 1, {"from": minter})
    assert policy.balanceOf(alice) == T0_MAX


def test_transfer_up_to_the_receivers_limit(policy: Any, minter: Any, alice: Any, bob: Any) -> None:
    policy.mint(alice, T0_MAX - 1_000, {"from": minter})
    policy.mint(bob, 2_000, {"from": minter})
    policy.transfer(alice, 999, {"from": bob})  # just under
    policy.transfer(alice, 1, {"from": bob})  # at
    with reverts_with("HoldingLimitExceeded", alice, T0_MAX + 1, T0_MAX):
        policy.transfer(alice, 1, {"from": bob})  # just over
    assert policy.balanceOf(alice) == T0_MAX


def test_higher_tier_holds_more(policy: Any, minter: Any, kyc: Any, alice: Any) -> None:
    policy.setTier(alice, 1, REASON, {"from": kyc})
    policy.mint(alice, T1_MAX, {"from": minter})
    with reverts_with("HoldingLimitExceeded", alice, T1_MAX + 1, T1_MAX):
        policy.mint(alice, 1, {"from": minter})


def test_account_above_a_lowered_limit_keeps_its_balance_but_receives_nothing(
    policy: Any, minter: Any, kyc: Any, alice: Any, bob: Any
) -> None:
    policy.setTier(alice, 1, REASON, {"from": kyc})
    policy.mint(alice, T0_MAX + 500, {"from": minter})
    policy.setTier(alice, 0, OTHER_REASON, {"from": kyc})
    policy.transfer(bob, 400, {"from": alice})
    with reverts_with("HoldingLimitExceeded", alice, T0_MAX + 101, T0_MAX):
        policy.mint(alice, 1, {"from": minter})


def test_transfer_to_oneself_adds_no_holding_and_no_outflow(policy: Any, minter: Any, alice: Any) -> None:
    policy.mint(alice, T0_MAX, {"from": minter})
    policy.transfer(alice, 1_000, {"from": alice})
    assert policy.balanceOf(alice) == T0_MAX
    assert policy.outflowToday(alice) == 0


# --- daily outflow -----------------------------------------------------------------------------------


def test_outflow_up_to_the_daily_limit(policy: Any, minter: Any, alice: Any, bob: Any) -> None:
    if seconds_to_midnight() < 600:
        move_to(next_midnight() + 1)
    policy.mint(alice, T0_MAX, {"from": minter})
    policy.transfer(bob, T0_DAY - 1, {"from": alice})  # just under
    policy.transfer(bob, 1, {"from": alice})  # at
    assert policy.outflowToday(alice) == T0_DAY
    with reverts_with("DailyOutflowExceeded", alice, T0_DAY + 1, T0_DAY):
        policy.transfer(bob, 1, {"from": alice})  # just over


def test_outflow_resets_at_utc_midnight(policy: Any, minter: Any, alice: Any, bob: Any) -> None:
    midnight = next_midnight()
    if midnight - chain_now() < 600:
        midnight += DAY
    move_to(midnight - 300)
    policy.mint(alice, T0_MAX, {"from": minter})
    policy.transfer(bob, T0_DAY, {"from": alice})
    with reverts_with("DailyOutflowExceeded", alice, T0_DAY + 1, T0_DAY):
        policy.transfer(bob, 1, {"from": alice})
    move_to(midnight)
    assert policy.outflowToday(alice) == 0
    tx = policy.transfer(bob, T0_DAY, {"from": alice})
    assert brownie.chain[tx.block_number].timestamp // DAY == midnight // DAY
    assert policy.outflowToday(alice) == T0_DAY


def test_outflow_still_counted_just_before_midnight(policy: Any, minter: Any, alice: Any, bob: Any) -> None:
    midnight = next_midnight()
    if midnight - chain_now() < 7_200:
        midnight += DAY
    move_to(midnight - 7_200)
    policy.mint(alice, T0_MAX, {"from": minter})
    policy.transfer(bob, T0_DAY, {"from": alice})
    move_to(midnight - 60)
    with reverts_with("DailyOutflowExceeded", alice, T0_DAY + 1, T0_DAY):
        policy.transfer(bob, 1, {"from": alice})


def test_transfer_from_counts_the_owners_outflow(
    policy: Any, minter: Any, alice: Any, bob: Any, carol: Any
) -> None:
    policy.mint(alice, T0_MAX, {"from": minter})
    policy.approve(bob, UINT256_MAX, {"from": alice})
    policy.transferFrom(alice, carol, T0_DAY, {"from": bob})
    assert policy.outflowToday(alice) == T0_DAY
    assert policy.outflowToday(bob) == 0
    with reverts_with("DailyOutflowExceeded", alice, T0_DAY + 1, T0_DAY):
        policy.transferFrom(alice, carol, 1, {"from": bob})


def test_upgrade_mid_day_keeps_todays_outflow(
    policy: Any, minter: Any, kyc: Any, alice: Any, bob: Any
) -> None:
    if seconds_to_midnight() < 600:
        move_to(next_midnight() + 1)
    policy.setTier(bob, 2, REASON, {"from": kyc})
    policy.mint(alice, T0_MAX, {"from": minter})
    policy.transfer(bob, 4_000_000, {"from": alice})
    policy.setTier(alice, 1, REASON, {"from": kyc})
    policy.mint(alice, T1_DAY, {"from": minter})
    policy.transfer(bob, T1_DAY - 4_000_000, {"from": alice})
    with reverts_with("DailyOutflowExceeded", alice, T1_DAY + 1, T1_DAY):
        policy.transfer(bob, 1, {"from": alice})


def test_downgrade_mid_day_stops_outflow_above_the_new_limit(
    policy: Any, minter: Any, kyc: Any, alice: Any, carol: Any
) -> None:
    if seconds_to_midnight() < 600:
        move_to(next_midnight() + 1)
    policy.setTier(alice, 1, REASON, {"from": kyc})
    policy.setTier(carol, 1, REASON, {"from": kyc})
    policy.mint(alice, T1_MAX, {"from": minter})
    policy.transfer(carol, 6_000_000, {"from": alice})
    policy.setTier(alice, 0, OTHER_REASON, {"from": kyc})
    with reverts_with("DailyOutflowExceeded", alice, 6_000_001, T0_DAY):
        policy.transfer(carol, 1, {"from": alice})


def test_signed_transfer_is_limited(policy: Any, minter: Any, signer: Any, bob: Any) -> None:
    policy.mint(bob, T0_MAX - 100, {"from": minter})
    now = chain_now()
    nonce = new_nonce()
    v, r, s = sign_authorization(
        policy, "TransferWithAuthorization", signer, bob, 101, now - 1, now + 3600, nonce
    )
    with reverts_with("HoldingLimitExceeded", bob, T0_MAX + 1, T0_MAX):
        policy.transferWithAuthorization(signer, bob, 101, now - 1, now + 3600, nonce, v, r, s, {"from": bob})
    assert not policy.authorizationState(signer, nonce)


def test_signed_transfer_counts_outflow(policy: Any, minter: Any, admin: Any, signer: Any, bob: Any) -> None:
    policy.setTierLimits(0, T0_MAX, 50_000, REASON, {"from": admin})
    now = chain_now()
    nonce = new_nonce()
    v, r, s = sign_authorization(
        policy, "ReceiveWithAuthorization", signer, bob, 50_001, now - 1, now + 3600, nonce
    )
    with reverts_with("DailyOutflowExceeded", signer, 50_001, 50_000):
        policy.receiveWithAuthorization(
            signer, bob, 50_001, now - 1, now + 3600, nonce, v, r, s, {"from": bob}
        )


# --- exempt tier, the limit set mid-day, the switch ----------------------------------------------------


def test_tier_three_is_unlimited_and_not_counted(
    policy: Any, minter: Any, kyc: Any, carol: Any, bob: Any
) -> None:
    policy.setTier(carol, 3, REASON, {"from": kyc})
    policy.mint(carol, 50 * T0_MAX, {"from": minter})
    policy.transfer(bob, T0_DAY, {"from": carol})
    policy.transfer(bob, T0_DAY, {"from": carol})
    assert policy.balanceOf(carol) == 50 * T0_MAX - 2 * T0_DAY
    assert policy.outflowToday(carol) == 0
    assert policy.availableToReceive(carol) == UINT256_MAX


def test_a_limit_set_mid_day_counts_from_then_on(
    policy: Any, minter: Any, admin: Any, kyc: Any, carol: Any, bob: Any
) -> None:
    if seconds_to_midnight() < 600:
        move_to(next_midnight() + 1)
    policy.setTier(carol, 3, REASON, {"from": kyc})
    policy.mint(carol, T0_MAX, {"from": minter})
    policy.transfer(bob, 3_000, {"from": carol})
    policy.setTierLimits(3, UINT256_MAX, 2_000, REASON, {"from": admin})
    policy.transfer(bob, 2_000, {"from": carol})
    with reverts_with("DailyOutflowExceeded", carol, 2_001, 2_000):
        policy.transfer(bob, 1, {"from": carol})


def test_burn_is_not_limited(policy: Any, minter: Any, kyc: Any) -> None:
    policy.setTier(minter, 0, REASON, {"from": kyc})
    policy.mint(minter, T0_MAX, {"from": minter})
    policy.burn(T0_MAX, {"from": minter})
    assert policy.balanceOf(minter) == 0
    assert policy.outflowToday(minter) == 0


def test_seizure_is_not_limited(
    policy: Any, minter: Any, freezer: Any, proposer: Any, approver: Any, alice: Any, bob: Any
) -> None:
    policy.mint(alice, T0_MAX, {"from": minter})
    policy.mint(bob, T0_MAX, {"from": minter})
    policy.freeze(alice, expiry(), REASON, {"from": freezer})
    policy.placeHold(alice, T0_MAX, expiry(), REASON, {"from": freezer})
    seize(policy, proposer, approver, alice, bob, T0_MAX)
    assert policy.balanceOf(bob) == 2 * T0_MAX
    assert policy.outflowToday(alice) == 0


def test_policy_off_moves_tokens_unlimited(
    policy: Any, minter: Any, admin: Any, alice: Any, bob: Any
) -> None:
    tx = policy.setPolicyEnabled(False, OTHER_REASON, {"from": admin})
    assert_event(tx, "PolicyEnabledSet", {"enabled": False, "actor": admin, "reason": OTHER_REASON})
    assert not policy.policyEnabled()
    policy.mint(alice, 3 * T0_MAX, {"from": minter})
    policy.transfer(bob, 2 * T0_MAX, {"from": alice})
    assert policy.balanceOf(bob) == 2 * T0_MAX
    assert policy.outflowToday(alice) == 0
    assert policy.availableToReceive(bob) == UINT256_MAX


def test_policy_switched_back_on_applies_again(
    policy: Any, minter: Any, admin: Any, alice: Any, bob: Any
) -> None:
    policy.setPolicyEnabled(False, OTHER_REASON, {"from": admin})
    policy.mint(alice, 2 * T0_MAX, {"from": minter})
    policy.setPolicyEnabled(True, REASON, {"from": admin})
    with reverts_with("HoldingLimitExceeded", bob, T0_MAX + 1, T0_MAX):
        policy.transfer(bob, T0_MAX + 1, {"from": alice})
    policy.transfer(bob, T0_DAY, {"from": alice})


def test_other_rules_come_before_the_policy(
    policy: Any, minter: Any, blocklister: Any, alice: Any, bob: Any
) -> None:
    policy.mint(bob, T0_MAX, {"from": minter})
    policy.blockAccount(alice, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", alice):
        policy.transfer(bob, T0_DAY + 1, {"from": alice})
    policy.unblockAccount(alice, REASON, {"from": blocklister})
    with reverts_with("ERC20InsufficientBalance", alice, 0, T0_DAY + 1):
        policy.transfer(bob, T0_DAY + 1, {"from": alice})


# --- what a wallet shows before the user tries --------------------------------------------------------


def test_available_to_send_is_the_days_remainder(policy: Any, minter: Any, alice: Any, bob: Any) -> None:
    if seconds_to_midnight() < 600:
        move_to(next_midnight() + 1)
    policy.mint(alice, T0_MAX, {"from": minter})
    assert policy.availableToSend(alice) == T0_DAY
    policy.transfer(bob, 1_000_000, {"from": alice})
    assert policy.availableToSend(alice) == T0_DAY - 1_000_000
    policy.transfer(bob, policy.availableToSend(alice), {"from": alice})
    assert policy.availableToSend(alice) == 0


def test_available_to_send_is_the_spendable_balance(
    policy: Any, minter: Any, freezer: Any, blocklister: Any, pauser: Any, alice: Any
) -> None:
    policy.mint(alice, 30_000, {"from": minter})
    assert policy.availableToSend(alice) == 30_000
    held_until = expiry(3600)
    policy.placeHold(alice, 10_000, held_until, REASON, {"from": freezer})
    assert policy.availableToSend(alice) == 20_000
    policy.freeze(alice, expiry(), REASON, {"from": freezer})
    assert policy.availableToSend(alice) == 0
    policy.unfreeze(alice, REASON, {"from": freezer})
    assert policy.availableToSend(alice) == 20_000
    move_to(held_until)  # the hold lapses: its 10,000 are free again, with no transaction
    assert policy.availableToSend(alice) == 30_000
    policy.blockAccount(alice, REASON, {"from": blocklister})
    assert policy.availableToSend(alice) == 0
    policy.unblockAccount(alice, REASON, {"from": blocklister})
    policy.pause(REASON, {"from": pauser})
    assert policy.availableToSend(alice) == 0


def test_available_to_send_with_policy_off(policy: Any, minter: Any, admin: Any, alice: Any) -> None:
    policy.setPolicyEnabled(False, REASON, {"from": admin})
    policy.mint(alice, 2 * T0_MAX, {"from": minter})
    assert policy.availableToSend(alice) == 2 * T0_MAX


def test_available_to_receive_is_the_room_under_the_limit(
    policy: Any, minter: Any, blocklister: Any, pauser: Any, alice: Any
) -> None:
    assert policy.availableToReceive(alice) == T0_MAX
    policy.mint(alice, 123_456, {"from": minter})
    assert policy.availableToReceive(alice) == T0_MAX - 123_456
    policy.mint(alice, policy.availableToReceive(alice), {"from": minter})
    assert policy.availableToReceive(alice) == 0
    assert policy.availableToReceive(ZERO_ADDRESS) == T0_MAX
    policy.blockAccount(alice, REASON, {"from": blocklister})
    assert policy.availableToReceive(alice) == 0
    policy.pause(REASON, {"from": pauser})
    assert policy.availableToReceive(ZERO_ADDRESS) == 0
