"""Waterfall: what would lift a wallet above its holding limit goes on to its linked (bank) account."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import ZERO_ADDRESS
from conftest import OTHER_REASON, REASON, UINT256_MAX, assert_event, reverts_with

T0_MAX = 100_000_00
T2_MAX = 10_000_000_00


@pytest.fixture(scope="module")
def bank(carol: Any) -> Any:
    return carol


@pytest.fixture(scope="module")
def linked(
    controller: Any, policy_token: Any, minter: Any, minter_admin: Any, kyc: Any, alice: Any, bank: Any
) -> Any:
    """Policy on; alice (tier 0) holds 1,000 KZT below her limit and is linked to her bank (tier 2)."""
    policy_token.setTier(minter, 3, REASON, {"from": kyc})
    controller.configureMinter(policy_token, minter, 10_000_000_000, REASON, {"from": minter_admin})
    policy_token.setTier(bank, 2, REASON, {"from": kyc})
    policy_token.setLinkedAccount(alice, bank, REASON, {"from": kyc})
    policy_token.acceptLinkedAccount(bank, {"from": alice})
    policy_token.mint(alice, T0_MAX - 100_000, {"from": minter})
    return policy_token


def test_a_link_is_proposed_by_kyc_and_takes_effect_when_the_holder_accepts(
    policy_token: Any, kyc: Any, alice: Any, bank: Any
) -> None:
    proposed = policy_token.setLinkedAccount(alice, bank, REASON, {"from": kyc})
    assert_event(
        proposed, "LinkedAccountProposed", {"account": alice, "linked": bank, "actor": kyc, "reason": REASON}
    )
    assert policy_token.linkedAccount(alice) == ZERO_ADDRESS  # nothing is passed on yet
    assert tuple(policy_token.proposedLinkedAccount(alice)) == (bank, REASON)
    accepted = policy_token.acceptLinkedAccount(bank, {"from": alice})
    assert policy_token.linkedAccount(alice) == bank
    assert tuple(policy_token.proposedLinkedAccount(alice)) == (ZERO_ADDRESS, "0x" + "00" * 32)
    assert_event(
        accepted, "LinkedAccountSet", {"account": alice, "linked": bank, "actor": alice, "reason": REASON}
    )


def test_kyc_alone_cannot_redirect_a_holders_income(
    policy_token: Any, kyc: Any, minter: Any, alice: Any, bob: Any, outsider: Any
) -> None:
    """Issue 14's finding: KYC_ROLE set a tier-0 wallet's link to an address of its choosing, and the
    holder's payments went there. A proposal moves nothing; only the holder's own acceptance does, and
    only of the link proposed."""
    policy_token.mint(alice, T0_MAX, {"from": minter})
    policy_token.setLinkedAccount(alice, outsider, REASON, {"from": kyc})
    with reverts_with("HoldingLimitExceeded", alice, T0_MAX + 1_000, T0_MAX):
        policy_token.mint(alice, 1_000, {"from": minter})  # refused, not redirected
    with reverts_with("LinkedAccountNotProposed", alice, bob):
        policy_token.acceptLinkedAccount(bob, {"from": alice})
    with reverts_with("LinkedAccountNotProposed", outsider, outsider):
        policy_token.acceptLinkedAccount(outsider, {"from": outsider})  # only the holder accepts
    with reverts_with("LinkedAccountNotProposed", bob, ZERO_ADDRESS):
        policy_token.acceptLinkedAccount(ZERO_ADDRESS, {"from": bob})  # no proposal: nothing to accept
    assert policy_token.balanceOf(outsider) == 0 and policy_token.linkedAccount(alice) == ZERO_ADDRESS


def test_unlinking_needs_no_consent_and_drops_a_proposal(
    linked: Any, kyc: Any, alice: Any, bank: Any, bob: Any
) -> None:
    linked.setLinkedAccount(alice, bob, REASON, {"from": kyc})  # a new proposal beside the live link
    linked.setLinkedAccount(alice, ZERO_ADDRESS, OTHER_REASON, {"from": kyc})
    assert linked.linkedAccount(alice) == ZERO_ADDRESS
    with reverts_with("LinkedAccountNotProposed", alice, bob):
        linked.acceptLinkedAccount(bob, {"from": alice})


def test_transfer_splits_at_the_limit(linked: Any, minter: Any, alice: Any, bob: Any, bank: Any) -> None:
    linked.mint(bob, 500_000, {"from": minter})
    tx = linked.transfer(alice, 400_000, {"from": bob})
    assert linked.balanceOf(alice) == T0_MAX
    assert linked.balanceOf(bank) == 300_000
    assert_event(tx, "Transfer", {"from": bob, "to": alice, "value": 100_000}, 0)
    assert_event(tx, "Transfer", {"from": bob, "to": bank, "value": 300_000}, 1)
    assert_event(tx, "Waterfall", {"account": alice, "linked": bank, "amount": 300_000})
    assert linked.outflowToday(bob) == 400_000


def test_amount_within_the_limit_does_not_fall(
    linked: Any, minter: Any, alice: Any, bob: Any, bank: Any
) -> None:
    linked.mint(bob, 500_000, {"from": minter})
    tx = linked.transfer(alice, 100_000, {"from": bob})
    assert linked.balanceOf(alice) == T0_MAX
    assert linked.balanceOf(bank) == 0
    assert "Waterfall" not in tx.events


def test_mint_splits_at_the_limit(linked: Any, minter: Any, alice: Any, bank: Any) -> None:
    tx = linked.mint(alice, 100_001, {"from": minter})
    assert linked.balanceOf(alice) == T0_MAX
    assert linked.balanceOf(bank) == 1
    assert_event(tx, "Transfer", {"from": ZERO_ADDRESS, "to": alice, "value": 100_000}, 0)
    assert_event(tx, "Transfer", {"from": ZERO_ADDRESS, "to": bank, "value": 1}, 1)
    assert_event(tx, "Waterfall", {"account": alice, "linked": bank, "amount": 1})


def test_account_at_its_limit_passes_everything_on(linked: Any, minter: Any, alice: Any, bank: Any) -> None:
    linked.mint(alice, 100_000, {"from": minter})
    tx = linked.mint(alice, 7_000, {"from": minter})
    assert linked.balanceOf(alice) == T0_MAX
    assert linked.balanceOf(bank) == 7_000
    assert len(tx.events["Transfer"]) == 1
    assert_event(tx, "Waterfall", {"account": alice, "linked": bank, "amount": 7_000})


def test_linked_accounts_own_limit_applies(linked: Any, minter: Any, kyc: Any, alice: Any, bank: Any) -> None:
    linked.setTier(bank, 0, OTHER_REASON, {"from": kyc})
    linked.mint(bank, T0_MAX - 50, {"from": minter})
    linked.mint(alice, 100_050, {"from": minter})  # 50 fall, to the bank's limit exactly
    assert linked.balanceOf(bank) == T0_MAX
    with reverts_with("HoldingLimitExceeded", bank, T0_MAX + 1, T0_MAX):
        linked.mint(alice, 1, {"from": minter})


def test_one_hop_only(linked: Any, minter: Any, kyc: Any, alice: Any, bob: Any, bank: Any) -> None:
    linked.setTier(bank, 0, OTHER_REASON, {"from": kyc})
    linked.setLinkedAccount(bank, bob, REASON, {"from": kyc})
    linked.acceptLinkedAccount(bob, {"from": bank})
    linked.mint(bank, T0_MAX, {"from": minter})
    with reverts_with("HoldingLimitExceeded", bank, T0_MAX + 200_000, T0_MAX):
        linked.mint(alice, 300_000, {"from": minter})


def test_blocked_linked_account_refuses_the_excess(
    linked: Any, minter: Any, blocklister: Any, alice: Any, bank: Any
) -> None:
    linked.blockAccount(bank, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", bank):
        linked.mint(alice, 100_001, {"from": minter})


def test_unlinked_account_refuses_the_excess(linked: Any, minter: Any, kyc: Any, alice: Any) -> None:
    tx = linked.setLinkedAccount(alice, ZERO_ADDRESS, OTHER_REASON, {"from": kyc})
    assert_event(
        tx,
        "LinkedAccountSet",
        {"account": alice, "linked": ZERO_ADDRESS, "actor": kyc, "reason": OTHER_REASON},
    )
    with reverts_with("HoldingLimitExceeded", alice, T0_MAX + 1, T0_MAX):
        linked.mint(alice, 100_001, {"from": minter})


def test_linking_to_itself_or_from_zero_refused(policy_token: Any, kyc: Any, alice: Any) -> None:
    with reverts_with("InvalidLinkedAccount", alice, alice):
        policy_token.setLinkedAccount(alice, alice, REASON, {"from": kyc})
    with reverts_with("InvalidLinkedAccount", ZERO_ADDRESS, alice):
        policy_token.setLinkedAccount(ZERO_ADDRESS, alice, REASON, {"from": kyc})


def test_available_to_receive_includes_the_linked_room(
    linked: Any, kyc: Any, blocklister: Any, alice: Any, bank: Any
) -> None:
    assert linked.availableToReceive(alice) == 100_000 + T2_MAX
    linked.setTier(bank, 3, REASON, {"from": kyc})
    assert linked.availableToReceive(alice) == UINT256_MAX
    linked.blockAccount(bank, REASON, {"from": blocklister})
    assert linked.availableToReceive(alice) == 100_000
