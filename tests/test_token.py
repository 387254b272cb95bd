"""BEP-20 surface: metadata, owner, transfers and approvals between unrestricted holders."""

from typing import Any

from conftest import assert_event, reverts_with


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
