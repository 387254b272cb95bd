"""BEP-20 surface: metadata, owner, transfers and approvals between unrestricted holders."""

from typing import Any

from brownie import ZERO_ADDRESS
from conftest import UINT256_MAX, assert_event, assert_no_event, reverts_with


def test_metadata(token: Any) -> None:
    assert token.name() == "Digital Tenge"
    assert token.symbol() == "DKZT"
    assert token.decimals() == 2
    assert token.totalSupply() == 0


def test_get_owner_is_default_admin(token: Any, admin: Any) -> None:
    assert token.getOwner() == admin
    assert token.defaultAdmin() == admin


def test_transfer_moves_tiyn_and_emits(funded: Any, alice: Any, bob: Any) -> None:
    tx = funded.transfer(bob, 12_345, {"from": alice})
    assert funded.balanceOf(alice) == 100_000 - 12_345
    assert funded.balanceOf(bob) == 50_000 + 12_345
    assert_event(tx, "Transfer", {"from": alice, "to": bob, "value": 12_345})


def test_transfer_more_than_balance(funded: Any, alice: Any, bob: Any) -> None:
    with reverts_with("ERC20InsufficientBalance", alice, 100_000, 100_001):
        funded.transfer(bob, 100_001, {"from": alice})


def test_transfer_to_zero_address_refused(funded: Any, alice: Any) -> None:
    with reverts_with("ERC20InvalidReceiver", ZERO_ADDRESS):
        funded.transfer(ZERO_ADDRESS, 1, {"from": alice})


def test_approve_sets_allowance_and_emits(funded: Any, alice: Any, bob: Any) -> None:
    tx = funded.approve(bob, 25_000, {"from": alice})
    assert funded.allowance(alice, bob) == 25_000
    assert_event(tx, "Approval", {"owner": alice, "spender": bob, "value": 25_000})


def test_approve_overwrites_previous_allowance(funded: Any, alice: Any, bob: Any) -> None:
    funded.approve(bob, 25_000, {"from": alice})
    tx = funded.approve(bob, 7, {"from": alice})
    assert funded.allowance(alice, bob) == 7
    assert_event(tx, "Approval", {"owner": alice, "spender": bob, "value": 7})


def test_approve_zero_address_spender_refused(funded: Any, alice: Any) -> None:
    with reverts_with("ERC20InvalidSpender", ZERO_ADDRESS):
        funded.approve(ZERO_ADDRESS, 1, {"from": alice})


def test_transfer_from_moves_tiyn_and_spends_allowance(funded: Any, alice: Any, bob: Any, carol: Any) -> None:
    funded.approve(bob, 30_000, {"from": alice})
    tx = funded.transferFrom(alice, carol, 10_000, {"from": bob})
    assert funded.balanceOf(alice) == 90_000
    assert funded.balanceOf(carol) == 10_000
    assert funded.balanceOf(bob) == 50_000
    assert funded.allowance(alice, bob) == 20_000
    assert_event(tx, "Transfer", {"from": alice, "to": carol, "value": 10_000})
    # OpenZeppelin 5 does not re-emit Approval when an allowance is spent.
    assert_no_event(tx, "Approval")


def test_transfer_from_beyond_allowance_refused(funded: Any, alice: Any, bob: Any, carol: Any) -> None:
    funded.approve(bob, 30_000, {"from": alice})
    with reverts_with("ERC20InsufficientAllowance", bob, 30_000, 30_001):
        funded.transferFrom(alice, carol, 30_001, {"from": bob})


def test_transfer_from_without_allowance_refused(funded: Any, alice: Any, bob: Any) -> None:
    with reverts_with("ERC20InsufficientAllowance", bob, 0, 1):
        funded.transferFrom(alice, bob, 1, {"from": bob})


def test_transfer_from_beyond_balance_refused(funded: Any, alice: Any, bob: Any, carol: Any) -> None:
    funded.approve(bob, UINT256_MAX, {"from": alice})
    with reverts_with("ERC20InsufficientBalance", alice, 100_000, 100_001):
        funded.transferFrom(alice, carol, 100_001, {"from": bob})


def test_transfer_from_to_zero_address_refused(funded: Any, alice: Any, bob: Any) -> None:
    funded.approve(bob, 30_000, {"from": alice})
    with reverts_with("ERC20InvalidReceiver", ZERO_ADDRESS):
        funded.transferFrom(alice, ZERO_ADDRESS, 1, {"from": bob})


def test_infinite_allowance_is_not_spent(funded: Any, alice: Any, bob: Any, carol: Any) -> None:
    funded.approve(bob, UINT256_MAX, {"from": alice})
    funded.transferFrom(alice, carol, 40_000, {"from": bob})
    assert funded.allowance(alice, bob) == UINT256_MAX
    assert funded.balanceOf(carol) == 40_000


def test_spent_allowance_cannot_be_reused(funded: Any, alice: Any, bob: Any, carol: Any) -> None:
    funded.approve(bob, 10_000, {"from": alice})
    funded.transferFrom(alice, carol, 10_000, {"from": bob})
    with reverts_with("ERC20InsufficientAllowance", bob, 0, 1):
        funded.transferFrom(alice, carol, 1, {"from": bob})


def test_zero_value_transfer_emits(funded: Any, carol: Any, bob: Any) -> None:
    tx = funded.transfer(bob, 0, {"from": carol})
    assert_event(tx, "Transfer", {"from": carol, "to": bob, "value": 0})
    assert funded.balanceOf(bob) == 50_000
