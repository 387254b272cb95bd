"""Multicall: many interventions in one transaction, all or nothing, each by the caller's own roles."""

from typing import Any

from conftest import REASON, assert_event, reverts_with


def test_freeze_many_accounts_in_one_transaction(
    token: Any, freezer: Any, alice: Any, bob: Any, carol: Any
) -> None:
    targets = [alice, bob, carol]
    calls = [token.freeze.encode_input(account, REASON) for account in targets]
    tx = token.multicall(calls, {"from": freezer})
    assert all(token.isFrozen(account) for account in targets)
    assert len(tx.events["Frozen"]) == 3
    for index, account in enumerate(targets):
        assert_event(tx, "Frozen", {"account": account, "actor": freezer, "reason": REASON}, index=index)


def test_failing_call_reverts_the_whole_batch(token: Any, freezer: Any, alice: Any, bob: Any) -> None:
    calls = [
        token.freeze.encode_input(alice, REASON),
        token.freeze.encode_input(bob, REASON),
        token.freeze.encode_input(alice, REASON),
    ]
    with reverts_with("FreezeUnchanged", alice, True):
        token.multicall(calls, {"from": freezer})
    assert not token.isFrozen(alice)
    assert not token.isFrozen(bob)


def test_batch_runs_with_the_callers_roles_only(
    token: Any, freezer: Any, alice: Any, bob: Any, unauthorized: Any
) -> None:
    calls = [token.freeze.encode_input(alice, REASON), token.blockAccount.encode_input(bob, REASON)]
    with unauthorized(freezer, token.BLOCKLISTER_ROLE()):
        token.multicall(calls, {"from": freezer})
    assert not token.isFrozen(alice)
