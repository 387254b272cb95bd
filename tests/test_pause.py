"""Pause: stops every balance change (transfers, mints, burns); approvals and interventions go on."""

from collections.abc import Callable
from typing import Any

import pytest
from conftest import OTHER_REASON, REASON, TERM, assert_event, chain_now, expiry, next_block_at, reverts_with


@pytest.fixture
def paused(funded: Any, pauser: Any, minter: Any, alice: Any, bob: Any) -> Any:
    """The funded token with an allowance alice -> bob and minter holding 100.00 KZT, then paused."""
    funded.approve(bob, 50_000, {"from": alice})
    funded.mint(minter, 10_000, {"from": minter})
    funded.pause(REASON, {"from": pauser})
    return funded


def test_pause_emits_actor_and_reason(funded: Any, pauser: Any) -> None:
    tx = funded.pause(REASON, {"from": pauser})
    assert funded.paused()
    assert_event(tx, "PausedWithReason", {"actor": pauser, "reason": REASON})
    assert_event(tx, "Paused", {"account": pauser})


def test_paused_transfer_refused(paused: Any, alice: Any, bob: Any) -> None:
    with reverts_with("EnforcedPause"):
        paused.transfer(bob, 1, {"from": alice})
    assert paused.balanceOf(alice) == 100_000


def test_paused_transfer_from_refused(paused: Any, alice: Any, bob: Any, carol: Any) -> None:
    with reverts_with("EnforcedPause"):
        paused.transferFrom(alice, carol, 1, {"from": bob})
    assert paused.allowance(alice, bob) == 50_000


def test_paused_mint_refused(controller: Any, paused: Any, minter: Any, alice: Any) -> None:
    allowance = controller.minterAllowance(paused, minter)
    with reverts_with("EnforcedPause"):
        paused.mint(alice, 1, {"from": minter})
    assert controller.minterAllowance(paused, minter) == allowance


def test_paused_burn_refused(paused: Any, minter: Any) -> None:
    with reverts_with("EnforcedPause"):
        paused.burn(1, {"from": minter})
    assert paused.balanceOf(minter) == 10_000


def test_approve_works_while_paused(paused: Any, alice: Any, carol: Any) -> None:
    tx = paused.approve(carol, 1_234, {"from": alice})
    assert paused.allowance(alice, carol) == 1_234
    assert_event(tx, "Approval", {"owner": alice, "spender": carol, "value": 1_234})


# Interventions and administration that keep working while transfers are stopped:
# (name, the call given the token and the actors, the event it emits, that event's arguments).
Call = Callable[[Any, dict[str, Any]], Any]
Expected = Callable[[Any, dict[str, Any]], dict[str, Any]]
WHILE_PAUSED: list[tuple[str, Call, str, Expected]] = [
    (
        "freeze",
        lambda t, a: t.freeze(a["alice"], a["until"], REASON, {"from": a["freezer"]}),
        "Frozen",
        lambda t, a: {
            "account": a["alice"],
            "actor": a["freezer"],
            "reason": REASON,
            "expiresAt": a["until"],
        },
    ),
    (
        "placeHold",
        lambda t, a: t.placeHold(a["alice"], 1, a["until"], REASON, {"from": a["freezer"]}),
        "HoldPlaced",
        lambda t, a: {
            "account": a["alice"],
            "order": REASON,
            "amount": 1,
            "expiresAt": a["until"],
            "actor": a["freezer"],
        },
    ),
    (
        "setMaxRestrictionTerm",
        lambda t, a: t._seizure_controller.setMaxRestrictionTerm(t, TERM, REASON, {"from": a["admin"]}),
        "MaxRestrictionTermChanged",
        # A shorter term applies at once: from the transaction's own time.
        lambda t, a: {
            "token": t,
            "term": TERM,
            "effectiveAt": a["now"],
            "actor": a["admin"],
            "reason": REASON,
        },
    ),
    (
        "blockAccount",
        lambda t, a: t.blockAccount(a["alice"], REASON, {"from": a["blocklister"]}),
        "Blocked",
        lambda t, a: {"account": a["alice"], "actor": a["blocklister"], "reason": REASON},
    ),
    (
        "configureMinter",
        lambda t, a: t._controller.configureMinter(t, a["carol"], 1, REASON, {"from": a["minter_admin"]}),
        "MinterConfigured",
        lambda t, a: {
            "token": t,
            "minter": a["carol"],
            "allowance": 1,
            "capacity": 1,
            "refillPerSecond": 0,
            "actor": a["minter_admin"],
            "reason": REASON,
        },
    ),
    (
        "removeMinter",
        lambda t, a: t._controller.removeMinter(t, a["minter"], REASON, {"from": a["minter_admin"]}),
        "MinterRemoved",
        lambda t, a: {"token": t, "minter": a["minter"], "actor": a["minter_admin"], "reason": REASON},
    ),
    (
        "setSupplyCap",
        lambda t, a: t.setSupplyCap(10**9, REASON, {"from": a["admin"]}),
        "SupplyCapChanged",
        lambda t, a: {"cap": 10**9, "actor": a["admin"], "reason": REASON},
    ),
    (
        "grantRole",
        lambda t, a: t.grantRole(t.PAUSER_ROLE(), a["carol"], {"from": a["admin"]}),
        "RoleGranted",
        lambda t, a: {"role": t.PAUSER_ROLE(), "account": a["carol"], "sender": a["admin"]},
    ),
]
ACTORS = ["admin", "minter_admin", "minter", "freezer", "blocklister", "alice", "carol"]


@pytest.mark.parametrize("name,call,event,expected", WHILE_PAUSED, ids=[w[0] for w in WHILE_PAUSED])
def test_interventions_work_while_paused(
    request: Any, paused: Any, name: str, call: Call, event: str, expected: Expected
) -> None:
    actors = {n: request.getfixturevalue(n) for n in ACTORS}
    actors["until"] = expiry()  # a freeze's or hold's expiry
    actors["now"] = chain_now() + 5
    next_block_at(actors["now"])
    tx = call(paused, actors)
    assert_event(tx, event, expected(paused, actors))
    assert paused.paused()


def test_unpause_emits_and_resumes_transfers(paused: Any, pauser: Any, alice: Any, bob: Any) -> None:
    tx = paused.unpause(OTHER_REASON, {"from": pauser})
    assert not paused.paused()
    assert_event(tx, "UnpausedWithReason", {"actor": pauser, "reason": OTHER_REASON})
    assert_event(tx, "Unpaused", {"account": pauser})
    paused.transfer(bob, 1_000, {"from": alice})
    assert paused.balanceOf(bob) == 51_000


def test_pausing_twice_refused(paused: Any, pauser: Any) -> None:
    with reverts_with("EnforcedPause"):
        paused.pause(OTHER_REASON, {"from": pauser})


def test_unpausing_when_not_paused_refused(funded: Any, pauser: Any) -> None:
    with reverts_with("ExpectedPause"):
        funded.unpause(REASON, {"from": pauser})
