"""Multicall: many interventions in one transaction, all or nothing, each by the caller's own roles."""

from typing import Any

from conftest import OTHER_REASON, REASON, assert_event, expiry, reverts_with


def test_freeze_many_accounts_in_one_transaction(
    token: Any, freezer: Any, alice: Any, bob: Any, carol: Any
) -> None:
    targets = [alice, bob, carol]
    until = expiry()
    calls = [token.freeze.encode_input(account, until, REASON) for account in targets]
    tx = token.multicall(calls, {"from": freezer})
    assert all(token.isFrozen(account) for account in targets)
    assert all(token.frozenUntil(account) == until for account in targets)
    assert len(tx.events["Frozen"]) == 3
    for index, account in enumerate(targets):
        expected = {"account": account, "actor": freezer, "reason": REASON, "expiresAt": until}
        assert_event(tx, "Frozen", expected, index=index)


def test_holds_under_several_orders_in_one_transaction(funded: Any, freezer: Any, alice: Any) -> None:
    until = expiry()
    orders = [REASON, OTHER_REASON, "0x" + "0c" * 32]
    calls = [funded.placeHold.encode_input(alice, 10_000, until, order) for order in orders]
    tx = funded.multicall(calls, {"from": freezer})
    assert len(tx.events["HoldPlaced"]) == 3
    assert [tuple(funded.holdOf(alice, order)) for order in orders] == [(10_000, until)] * 3
    assert funded.frozenAmount(alice) == 30_000
    assert funded.availableToSend(alice) == 70_000


def test_failing_call_reverts_the_whole_batch(token: Any, freezer: Any, alice: Any, bob: Any) -> None:
    until = expiry()
    calls = [
        token.freeze.encode_input(alice, until, REASON),
        token.freeze.encode_input(bob, until, REASON),
        token.freeze.encode_input(alice, until, REASON),  # a renewal must cite a new order
    ]
    with reverts_with("OrderAlreadyUsed", alice, REASON):
        token.multicall(calls, {"from": freezer})
    assert not token.isFrozen(alice)
    assert not token.isFrozen(bob)


def test_batch_runs_with_the_callers_roles_only(
    token: Any, freezer: Any, alice: Any, bob: Any, unauthorized: Any
) -> None:
    calls = [token.freeze.encode_input(alice, expiry(), REASON), token.blockAccount.encode_input(bob, REASON)]
    with unauthorized(freezer, token.BLOCKLISTER_ROLE()):
        token.multicall(calls, {"from": freezer})
    assert not token.isFrozen(alice)
