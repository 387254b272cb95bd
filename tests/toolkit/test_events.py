"""Event queries: paging block ranges, a node that refuses large ranges, history, the audit trail, watch."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import brownie
import pytest
from conftest import expiry, seize
from eth_utils.crypto import keccak
from web3.middleware import Web3Middleware

from tenge import Tenge
from tenge.events import INTERVENTION_EVENTS, PageStats

REASON = "Court order 2-1234/2026"
REASON_HASH = "0x" + keccak(text=REASON).hex()
Connect = Callable[..., Tenge]


def test_paging_covers_the_range_in_pages_and_loses_nothing(
    connect: Connect, funded: Any, alice: Any, bob: Any
) -> None:
    start = brownie.chain.height + 1
    for _ in range(12):
        funded.transfer(bob, 100, {"from": alice})  # one block each
    end = brownie.chain.height
    tenge = connect()
    stats = PageStats()
    paged = list(tenge.logs(["Transfer"], start, end, page_size=5, stats=stats))
    whole = list(tenge.logs(["Transfer"], start, end, page_size=10_000))
    assert len(paged) == 12 and paged == whole
    assert stats.ranges == [(start, start + 4), (start + 5, start + 9), (start + 10, end)]
    assert [e.block for e in paged] == sorted(e.block for e in paged)


def test_a_page_the_node_refuses_is_halved(connect: Connect, funded: Any, alice: Any, bob: Any) -> None:
    start = brownie.chain.height + 1
    for _ in range(8):
        funded.transfer(bob, 100, {"from": alice})
    end = brownie.chain.height
    tenge = connect()

    class Picky(Web3Middleware):
        """As public BSC endpoints do: refuse log queries over more than 2 blocks."""

        def wrap_make_request(self, make_request: Any) -> Any:
            def request(method: Any, params: Any) -> Any:
                query = params[0] if method == "eth_getLogs" else None
                if query and int(query["toBlock"], 16) - int(query["fromBlock"], 16) >= 2:
                    return {
                        "jsonrpc": "2.0",
                        "id": 1,
                        "error": {"code": -32005, "message": "block range too large"},
                    }
                return make_request(method, params)

            return request

    tenge.w3.middleware_onion.inject(Picky, layer=0)  # as the node answers: through web3.py's middleware
    stats = PageStats()
    events = list(tenge.logs(["Transfer"], start, end, page_size=100, stats=stats))
    assert len(events) == 8
    assert all(last - first < 2 for first, last in stats.ranges)
    assert stats.ranges[0][0] == start and stats.ranges[-1][1] == end


def test_history_of_an_account(connect: Connect, funded: Any, alice: Any, bob: Any, minter: Any) -> None:
    funded.transfer(bob, 1_000, {"from": alice})
    funded.transfer(alice, 250, {"from": bob})
    history = connect().history(alice.address)
    assert [(h.kind, h.direction, str(h.amount)) for h in history] == [
        ("mint", "in", "1000.00"),
        ("transfer", "out", "10.00"),
        ("transfer", "in", "2.50"),
    ]
    assert all(h.time is not None for h in history)


def test_history_names_mints_burns_seizures_and_transfers(
    connect: Connect,
    funded: Any,
    alice: Any,
    carol: Any,
    minter: Any,
    freezer: Any,
    proposer: Any,
    approver: Any,
) -> None:
    funded.transfer(minter, 300, {"from": alice})
    funded.burn(100, {"from": minter})
    funded.placeHold(alice, 250, expiry(), REASON_HASH, {"from": freezer})
    seize(funded, proposer, approver, alice, carol, 200)
    seize(funded, proposer, approver, alice, "0x" + "0" * 40, 50)
    assert [(h.kind, h.direction, str(h.amount)) for h in connect().history(alice.address)] == [
        ("mint", "in", "1000.00"),
        ("transfer", "out", "3.00"),
        ("seizure", "out", "2.00"),
        ("seizure", "out", "0.50"),
    ]
    assert [(h.kind, h.direction) for h in connect().history(minter.address)] == [
        ("transfer", "in"),
        ("burn", "out"),
    ]
    assert [(h.kind, h.sender) for h in connect().history(carol.address)] == [("seizure", alice.address)]


def test_watch_and_events_name_roles(connect: Connect, token: Any, admin: Any, carol: Any) -> None:
    start = brownie.chain.height + 1
    token.grantRole(token.PAUSER_ROLE(), carol, {"from": admin})
    (granted,) = connect().logs(["RoleGranted"], start)
    assert granted.to_dict()["args"]["role"] == "PAUSER_ROLE"


def test_audit_lists_every_intervention_with_reason_actor_and_time(
    connect: Connect,
    funded: Any,
    alice: Any,
    bob: Any,
    carol: Any,
    admin: Any,
    freezer: Any,
    blocklister: Any,
    proposer: Any,
    approver: Any,
    pauser: Any,
) -> None:
    start = brownie.chain.height + 1
    until = expiry()
    funded.freeze(alice, until, REASON_HASH, {"from": freezer})
    funded.unfreeze(alice, REASON_HASH, {"from": freezer})
    funded.placeHold(bob, 5_000, until, REASON_HASH, {"from": freezer})
    funded.blockAccount(bob, REASON_HASH, {"from": blocklister})
    seize(funded, proposer, approver, bob, carol, 1_000)
    funded.unblockAccount(bob, REASON_HASH, {"from": blocklister})
    funded.pause(REASON_HASH, {"from": pauser})
    funded.unpause(REASON_HASH, {"from": pauser})
    funded.grantRole(funded.PAUSER_ROLE(), carol, {"from": admin})
    funded.revokeRole(funded.PAUSER_ROLE(), carol, {"from": admin})
    audit = connect().audit(from_block=start)
    assert [(a.event, a.account, a.actor) for a in audit] == [
        ("Frozen", alice.address, freezer.address),
        ("Unfrozen", alice.address, freezer.address),
        ("HoldPlaced", bob.address, freezer.address),
        ("Blocked", bob.address, blocklister.address),
        ("SeizureProposed", bob.address, proposer.address),
        ("SeizureApproved", bob.address, approver.address),
        ("SeizureExecuted", bob.address, approver.address),
        ("Seized", bob.address, approver.address),  # the seizure's HoldReleased is part of it, not listed
        ("Unblocked", bob.address, blocklister.address),
        ("PausedWithReason", "", pauser.address),
        ("UnpausedWithReason", "", pauser.address),
        ("RoleGranted", carol.address, admin.address),
        ("RoleRevoked", carol.address, admin.address),
    ]
    assert all(a.reason == REASON_HASH for a in audit[:11])
    ends = datetime.fromtimestamp(until, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    assert audit[0].details == f"frozen until {ends}"
    assert audit[2].details == f"holds 50.00 KZT until {ends}"
    assert audit[4].details == f"seizure #1 proposed: 10.00 KZT of hold {REASON_HASH} to {carol.address}"
    assert audit[6].details == (
        f"seizure #1 executed: 10.00 KZT of hold {REASON_HASH} to {carol.address} "
        f"(proposed by {proposer.address}, approved by {approver.address})"
    )
    assert audit[7].details == f"10.00 KZT to {carol.address}, hold {REASON_HASH}, the hold keeps 40.00 KZT"
    assert audit[11].details == "PAUSER_ROLE"
    assert all(a.time and a.block >= start for a in audit)


def test_audit_from_deployment_includes_setup_and_upgrades(connect: Connect, token: Any, admin: Any) -> None:
    audit = connect().audit()
    events = {a.event for a in audit}
    assert {"Upgraded", "RoleGranted"} <= events
    upgraded = next(a for a in audit if a.event == "Upgraded")
    assert upgraded.account == token._implementation.address
    assert upgraded.actor == admin.address  # Upgraded names no actor: the deploying transaction's sender
    assert set(events) <= set(INTERVENTION_EVENTS)


def test_watch_yields_new_events_as_they_are_mined(
    connect: Connect, funded: Any, alice: Any, bob: Any
) -> None:
    tenge = connect()
    deadline = time.monotonic() + 20
    stream = tenge.watch(
        ["Transfer", "Frozen"], poll_interval=0.1, should_stop=lambda: time.monotonic() > deadline
    )
    seen: list[Any] = []

    def follow() -> None:
        for event in stream:
            seen.append(event)
            if len(seen) == 2:
                return

    follower = threading.Thread(target=follow)
    follower.start()
    time.sleep(0.5)  # the watch starts at the next block
    funded.transfer(bob, 111, {"from": alice})
    funded.transfer(bob, 222, {"from": alice})
    follower.join(timeout=20)
    assert [e.args["value"] for e in seen] == [111, 222]
    assert all(e.time for e in seen)


def test_unknown_event_name_refused(connect: Connect, token: Any) -> None:
    with pytest.raises(ValueError, match="unknown event"):
        list(connect().logs(["Minted", "Teleported"]))


def test_every_privileged_call_appears_in_the_audit_once_with_its_actor_and_reason(
    connect: Connect, funded: Any, admin: Any, alice: Any, bob: Any, carol: Any
) -> None:
    """Issue 14: each privileged function driven once through the library, and the audit lists each,
    one to one, in order, with the account that did it and the reason it cited."""
    stray = brownie.ERC20Mock.deploy({"from": admin})
    stray.mint(funded, 1_000, {"from": admin})
    v2 = brownie.DigitalTengeV2Mock.deploy(
        funded.mintController(), funded.seizureController(), {"from": admin}
    )
    start = brownie.chain.height + 1
    first = funded._seizure_controller.seizureCount() + 1  # the id of the first seizure proposed below
    term = timedelta(days=30)
    # A hold is placed under an order ("Decision 4/2026"), which its seizures name; a seizure's
    # execution cites no reason of its own: both its records (the controller's, the token's) show the
    # proposal's ("Decision 7/2026"), and name the executor.
    calls: list[tuple[str, str | tuple[str, ...], Callable[[Tenge, str], Any]]] = [
        ("pauser", "PausedWithReason", lambda t, r: t.pause(r)),
        ("pauser", "UnpausedWithReason", lambda t, r: t.unpause(r)),
        ("freezer", "Frozen", lambda t, r: t.freeze(alice.address, term, r)),
        ("freezer", "Unfrozen", lambda t, r: t.unfreeze(alice.address, r)),
        ("freezer", "HoldPlaced", lambda t, r: t.place_hold(bob.address, "5", term, r)),
        ("freezer", "HoldReleased", lambda t, r: t.release_hold(bob.address, "Decision 4/2026", "1", r)),
        ("admin", "MaxRestrictionTermChanged", lambda t, r: t.set_max_restriction_term(60 * 86400, r)),
        (
            "proposer",
            "SeizureProposed",
            lambda t, r: t.propose_seizure(bob.address, carol.address, "1", "Decision 4/2026", r),
        ),
        ("approver", "SeizureApproved", lambda t, r: t.approve_seizure(first, r)),
        ("outsider", ("SeizureExecuted", "Seized"), lambda t, r: t.execute_seizure(first)),
        (
            "proposer",
            "SeizureProposed",
            lambda t, r: t.propose_seizure(bob.address, None, "1", "Decision 4/2026", r),
        ),
        ("approver", "SeizureCancelled", lambda t, r: t.cancel_seizure(first + 1, r)),
        ("admin", "NoticePeriodChanged", lambda t, r: t.set_seizure_notice_period(3600, r)),
        ("blocklister", "Blocked", lambda t, r: t.block(bob.address, r)),
        ("blocklister", "Unblocked", lambda t, r: t.unblock(bob.address, r)),
        ("kyc", "TierSet", lambda t, r: t.set_tier(alice.address, 1, r)),
        ("kyc", "LinkedAccountProposed", lambda t, r: t.set_linked_account(alice.address, carol.address, r)),
        ("alice", "LinkedAccountSet", lambda t, r: t.accept_linked_account(carol.address)),
        ("admin", "TierLimitsSet", lambda t, r: t.set_tier_limits(5, "100", "10", r)),
        ("admin", "PolicyEnabledSet", lambda t, r: t.set_policy_enabled(True, r)),
        ("admin", "SupplyCapChanged", lambda t, r: t.set_supply_cap("100000000", r)),
        ("minter_admin", "MinterConfigured", lambda t, r: t.configure_minter(carol.address, "5", reason=r)),
        (
            "minter_admin",
            "MinterConfigured",
            lambda t, r: t.configure_minter(
                carol.address, "5", capacity="9", refill_per_second="1", reason=r
            ),
        ),
        ("minter_admin", "MinterRemoved", lambda t, r: t.remove_minter(carol.address, r)),
        ("rescuer", "Rescued", lambda t, r: t.rescue(stray.address, carol.address, 1_000, r)),
        ("admin", "RoleGranted", lambda t, r: t.grant_role("PAUSER_ROLE", carol.address, r)),
        ("admin", "RoleRevoked", lambda t, r: t.revoke_role("PAUSER_ROLE", carol.address, r)),
        (
            "admin",
            "DefaultAdminTransferScheduled",
            lambda t, r: t.begin_default_admin_transfer(bob.address, r),
        ),
        ("admin", "DefaultAdminTransferCanceled", lambda t, r: t.cancel_default_admin_transfer(r)),
        ("admin", "DefaultAdminDelayChangeScheduled", lambda t, r: t.change_default_admin_delay(7200, r)),
        ("admin", "DefaultAdminDelayChangeCanceled", lambda t, r: t.rollback_default_admin_delay(r)),
        ("upgrader", "UpgradeAnnounced", lambda t, r: t.announce_upgrade(v2.address, reason=r)),
        ("admin", "UpgradeCancelled", lambda t, r: t.cancel_upgrade(r)),
    ]
    expected = []
    for n, (actor, events, call) in enumerate(calls):
        tenge = connect(actor)
        reason = f"Decision {n}/2026"
        call(tenge, reason).wait()
        # An execution cites its proposal's reason, an accepted link the link's proposal's.
        shown = {9: "Decision 7/2026", 17: "Decision 16/2026"}.get(n, reason)
        for event in (events,) if isinstance(events, str) else events:
            expected.append((event, tenge.sender.address, "0x" + keccak(text=shown).hex()))
    audit = connect().audit(from_block=start)
    assert [(a.event, a.actor, a.reason) for a in audit] == expected
    assert all(a.time for a in audit)


def test_a_role_change_without_a_reason_shows_in_the_audit_as_such(
    connect: Connect, token: Any, admin: Any, carol: Any
) -> None:
    """The plain two-argument grantRole, as other tools send it: the audit lists it with no reason."""
    start = brownie.chain.height + 1
    token.grantRole(token.PAUSER_ROLE(), carol, {"from": admin})
    connect("admin").revoke_role("PAUSER_ROLE", carol.address, "Decision 99").wait()
    (granted, revoked) = connect().audit(from_block=start)
    assert (granted.event, granted.actor, granted.reason) == ("RoleGranted", admin.address, "")
    assert (revoked.event, revoked.reason) == ("RoleRevoked", "0x" + keccak(text="Decision 99").hex())
