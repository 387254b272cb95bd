"""The outside audit of due process (issue 14: restrictions that end, two-person seizures, separation
of duties), each attack as it ends now. The audit's findings were fixed: an order freezes an account
once (its renewal in one multicall, and an order brought back after another, are refused in
test_freeze.py); a shorter notice or a longer term waits for the admin's delay (the one-key stories
below); a seizure decided by a key revoked since stops (test_seizure_controller.py). The rest held.
"""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from brownie import ZERO_ADDRESS, PermissiveTokenMock
from conftest import (
    OTHER_REASON,
    REASON,
    chain_now,
    expiry,
    ints,
    move_to,
    next_block_at,
    propose,
    reverts_with,
    seize,
)

DAY = 86_400
HOUR = 3_600
YEAR = 365 * DAY
NONE, PROPOSED, APPROVED, EXECUTED, CANCELLED = range(5)
ORDER_A = brownie.web3.keccak(text="Court order A").to_0x_hex()
ORDER_B = brownie.web3.keccak(text="Court order B").to_0x_hex()
U48 = 2**48 - 1
U32 = 2**32 - 1


@pytest.fixture
def held_token(funded: Any, freezer: Any, alice: Any) -> Any:
    """Alice's 30,000 tiyn (of 100,000) held under REASON for 30 days."""
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    return funded


def _order(i: int) -> str:
    return str(brownie.web3.keccak(text=f"order {i}").to_0x_hex())


def _cannot_send(token: Any, holder: Any, to: Any) -> bool:
    return token.availableToSend(holder) == 0 and not token.canTransfer(holder, to, 1)


def test_holds_one_admin_key_cannot_drop_the_notice_and_seize_at_once(
    funded: Any, seizures: Any, admin: Any, outsider: Any, carol: Any, alice: Any
) -> None:
    """The audit's one-key seizure: the admin (its own key and two fresh keys it controls) drops a
    72-hour notice to 0, holds the whole balance and has it proposed and approved. The shorter notice
    waits for the admin's delay, so the seizure approved meanwhile keeps its 72 hours."""
    seizures.setNoticePeriod(funded, 72 * HOUR, REASON, {"from": admin})  # as on a live chain
    k_proposer, k_approver = outsider, carol  # keys the admin controls
    funded.grantRole(funded.FREEZER_ROLE(), admin, {"from": admin})
    funded.grantRole(funded.SEIZURE_PROPOSER_ROLE(), k_proposer, {"from": admin})
    funded.grantRole(funded.SEIZURE_APPROVER_ROLE(), k_approver, {"from": admin})
    shortened = seizures.setNoticePeriod(funded, 0, REASON, {"from": admin})
    assert shortened.events["NoticePeriodChanged"]["effectiveAt"] == shortened.timestamp + DAY
    funded.placeHold(alice, 100_000, expiry(4 * DAY), REASON, {"from": admin})
    sid = propose(funded, k_proposer, alice, k_proposer, 100_000)
    approved = seizures.approveSeizure(sid, REASON, {"from": k_approver})
    ready_at = approved.events["SeizureApproved"]["readyAt"]
    assert ready_at == approved.timestamp + 72 * HOUR
    with reverts_with("SeizureNotReady", sid, ready_at):
        seizures.executeSeizure(sid, {"from": k_proposer})
    assert funded.balanceOf(alice) == 100_000


def test_holds_one_admin_key_cannot_freeze_for_136_years_at_once(
    funded: Any, seizures: Any, admin: Any, alice: Any
) -> None:
    """The audit's 136-year freeze: the longer term waits for the admin's delay, in public."""
    funded.grantRole(funded.FREEZER_ROLE(), admin, {"from": admin})
    seizures.setMaxRestrictionTerm(funded, 2**32 - 1, REASON, {"from": admin})
    at = chain_now() + 10
    brownie.web3.provider.make_request("evm_setNextBlockTimestamp", [at])
    with reverts_with("RestrictionExpiryInvalid", at + 2**32 - 10, at + 90 * DAY):
        funded.freeze(alice, at + 2**32 - 10, REASON, {"from": admin})
    assert not funded.isFrozen(alice)


def test_holds_views_and_pipeline_agree_around_each_expiry(
    funded: Any, freezer: Any, alice: Any, bob: Any
) -> None:
    """Two holds and a freeze, each expiring a second apart: at every second the views and the
    pipeline (checkTransfer) agree on what alice may send (test_freeze.py sends real transfers at
    the second of an expiry)."""
    base = chain_now() + 100
    funded.placeHold(alice, 30_000, base + 2, ORDER_A, {"from": freezer})
    funded.placeHold(alice, 20_000, base + 4, ORDER_B, {"from": freezer})
    funded.freeze(alice, base + 1, REASON, {"from": freezer})
    expected = {0: (True, 50_000), 1: (False, 50_000), 2: (False, 20_000), 3: (False, 20_000), 4: (False, 0)}
    for dt in range(5):
        move_to(base + dt)  # the views and the pipeline are asked of the block at exactly base + dt
        frozen, held = expected[dt]
        if frozen:
            with reverts_with("AccountFrozen", alice):
                funded.checkTransfer(alice, alice, bob, 1)
            continue
        balance = funded.balanceOf(alice)
        free = balance - held
        # While a hold applies it is what refuses; past the last, OpenZeppelin's error (the balance).
        refusal = (
            ("InsufficientUnfrozenBalance", alice, free, free + 1)
            if held
            else ("ERC20InsufficientBalance", alice, balance, balance + 1)
        )
        with reverts_with(*refusal):
            funded.checkTransfer(alice, alice, bob, free + 1)
        assert funded.checkTransfer(alice, alice, bob, free)[0] == free
        assert funded.frozenAmount(alice) == held and funded.availableToSend(alice) == free
        assert not funded.isFrozen(alice) and funded.frozenUntil(alice) == 0
        assert funded.holdOf(alice, ORDER_A)[0] == (30_000 if dt < 2 else 0)
        assert funded.holdOf(alice, ORDER_B)[0] == (20_000 if dt < 4 else 0)


def test_holds_no_restriction_beyond_the_longest_term(
    funded: Any, admin: Any, freezer: Any, alice: Any
) -> None:
    latest = chain_now() + 1 + 90 * DAY
    brownie.web3.provider.make_request("evm_setNextBlockTimestamp", [latest - 90 * DAY])
    with reverts_with("RestrictionExpiryInvalid", latest + 1, latest):
        funded.placeHold(alice, 1, latest + 1, REASON, {"from": freezer})
    for bad in (0, 2**32):
        with reverts_with("MaxRestrictionTermInvalid", bad):
            funded._seizure_controller.setMaxRestrictionTerm(funded, bad, REASON, {"from": admin})
    # The widest uint: no wrap-around through the uint48 cast.
    with brownie.reverts():
        funded.freeze(alice, 2**48 + chain_now() + 10, REASON, {"from": freezer})
    with brownie.reverts():
        funded.placeHold(alice, 2**96, expiry(), ORDER_A, {"from": freezer})


def test_holds_lapsed_holds_never_count_against_max_holds(funded: Any, freezer: Any, alice: Any) -> None:
    now = chain_now()
    for i in range(8):
        funded.placeHold(alice, 1, now + 1_000, _order(i), {"from": freezer})
    with reverts_with("TooManyHolds", alice, 8):
        funded.placeHold(alice, 1, expiry(), _order(8), {"from": freezer})
    move_to(now + 1_000)
    for i in range(8, 16):
        funded.placeHold(alice, 1, expiry(), _order(i), {"from": freezer})
    assert funded.frozenAmount(alice) == 8
    # A lapsed order is still used: no re-placing a hold under it.
    with reverts_with("OrderAlreadyUsed", alice, _order(0)):
        funded.placeHold(alice, 1, expiry(), _order(0), {"from": freezer})


def test_holds_a_released_order_cannot_be_placed_again_to_refill_an_approved_seizure(
    held_token: Any, seizures: Any, freezer: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    sid = propose(held_token, proposer, alice, carol, 30_000)
    seizures.approveSeizure(sid, REASON, {"from": approver})
    held_token.releaseHold(alice, REASON, 30_000, OTHER_REASON, {"from": freezer})
    with reverts_with("OrderAlreadyUsed", alice, REASON):
        held_token.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    with reverts_with("HoldNotActive", alice, REASON):
        seizures.executeSeizure(sid, {"from": approver})


def test_holds_overlapping_seizures_never_take_more_than_the_hold(
    held_token: Any, seizures: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    one = propose(held_token, proposer, alice, carol, 20_000)
    two = propose(held_token, proposer, alice, carol, 20_000)
    seizures.approveSeizure(one, REASON, {"from": approver})
    seizures.approveSeizure(two, REASON, {"from": approver})
    seizures.executeSeizure(one, {"from": approver})
    with reverts_with("HoldExceeded", alice, REASON, 10_000, 20_000):
        seizures.executeSeizure(two, {"from": approver})
    assert held_token.balanceOf(carol) == 20_000 and held_token.frozenAmount(alice) == 10_000


def test_holds_a_seizure_never_takes_what_overlapping_holds_above_the_balance_keep(
    funded: Any, freezer: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    funded.placeHold(alice, 100_000, expiry(), ORDER_A, {"from": freezer})
    funded.placeHold(alice, 60_000, expiry(), ORDER_B, {"from": freezer})
    with reverts_with("InsufficientUnfrozenBalance", alice, 40_000, 40_001):
        seize(funded, proposer, approver, alice, carol, 40_001, order=ORDER_A)
    seize(funded, proposer, approver, alice, carol, 40_000, order=ORDER_A)
    assert funded.balanceOf(alice) == 60_000 and funded.holdOf(alice, ORDER_B)[0] == 60_000
    # A's rest (60,000) and B (60,000) now keep the same 60,000: neither can take it from the other.
    with reverts_with("InsufficientUnfrozenBalance", alice, 0, 1):
        seize(funded, proposer, approver, alice, carol, 1, order=ORDER_B)
    funded.releaseHold(alice, ORDER_A, 60_000, OTHER_REASON, {"from": freezer})
    # Burn: the supply shrinks by exactly the amount.
    supply = funded.totalSupply()
    seize(funded, proposer, approver, alice, ZERO_ADDRESS, 60_000, order=ORDER_B)
    assert funded.totalSupply() == supply - 60_000 and funded.balanceOf(alice) == 0


def test_holds_notice_edges(
    held_token: Any,
    seizures: Any,
    admin: Any,
    freezer: Any,
    proposer: Any,
    approver: Any,
    alice: Any,
    carol: Any,
) -> None:
    """readyAt exactly now executes; one second before does not; a hold lapsing at readyAt refused."""
    seizures.setNoticePeriod(held_token, HOUR, REASON, {"from": admin})
    sid = propose(held_token, proposer, alice, carol, 30_000)
    approved = seizures.approveSeizure(sid, REASON, {"from": approver})
    ready = approved.events["SeizureApproved"]["readyAt"]
    assert ready == approved.timestamp + HOUR
    seizures.setNoticePeriod(held_token, 0, REASON, {"from": admin})  # after approval: no effect
    brownie.web3.provider.make_request("evm_setNextBlockTimestamp", [ready - 1])
    with reverts_with("SeizureNotReady", sid, ready):
        seizures.executeSeizure(sid, {"from": carol})
    brownie.web3.provider.make_request("evm_setNextBlockTimestamp", [ready])
    seizures.executeSeizure(sid, {"from": carol})
    # A hold that lapses exactly at readyAt cannot be approved.
    seizures.setNoticePeriod(held_token, HOUR, REASON, {"from": admin})
    now = chain_now()
    held_token.placeHold(alice, 1, now + 2 + HOUR, ORDER_A, {"from": freezer})
    sid2 = propose(held_token, proposer, alice, carol, 1, order=ORDER_A)
    brownie.web3.provider.make_request("evm_setNextBlockTimestamp", [now + 2])
    with reverts_with("HoldLapsesBeforeNotice", sid2, now + 2 + HOUR, now + 2 + HOUR):
        seizures.approveSeizure(sid2, REASON, {"from": approver})


def test_holds_the_proposer_never_approves_even_after_a_role_swap(
    held_token: Any, seizures: Any, admin: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    sid = propose(held_token, proposer, alice, carol, 30_000)
    held_token.renounceRole(held_token.SEIZURE_PROPOSER_ROLE(), proposer, {"from": proposer})
    held_token.grantRole(held_token.SEIZURE_APPROVER_ROLE(), proposer, {"from": admin})
    with reverts_with("ApproverIsProposer", sid, proposer):
        seizures.approveSeizure(sid, REASON, {"from": proposer})


def test_holds_duties_checked_on_every_grant_path(
    token: Any, admin: Any, controller: Any, minter_admin: Any, minter: Any, freezer: Any, outsider: Any
) -> None:
    """grantRole, multicall, the default-admin handover (not in the table), both minter paths."""
    p, a, f = token.SEIZURE_PROPOSER_ROLE(), token.SEIZURE_APPROVER_ROLE(), token.FREEZER_ROLE()
    with reverts_with("RoleConflict", freezer, p, f):
        token.multicall([token.grantRole.encode_input(p, freezer)], {"from": admin})
    # The admin handover to a proposer, then the new admin's grants: still checked.
    token.grantRole(p, outsider, {"from": admin})
    token.beginDefaultAdminTransfer(outsider, {"from": admin})
    move_to(chain_now() + int(token.defaultAdminDelay()) + 1)
    token.acceptDefaultAdminTransfer({"from": outsider})
    with reverts_with("RoleConflict", outsider, a, p):
        token.grantRole(a, outsider, {"from": outsider})
    with reverts_with("RoleConflict", outsider, f, p):
        token.grantRole(f, outsider, {"from": outsider})
    # Minter versus minter admin, both controller paths and both orders.
    minter_role, admin_role = controller.MINTER_ROLE(), token.MINTER_ADMIN_ROLE()
    with reverts_with("RoleConflict", minter_admin, minter_role, admin_role):
        controller.configureMinter(token, minter_admin, 1, REASON, {"from": minter_admin})
    with reverts_with("RoleConflict", minter_admin, minter_role, admin_role):
        controller.configureMinterWithRefill(token, minter_admin, 1, 1, 1, REASON, {"from": minter_admin})
    with reverts_with("RoleConflict", minter, token.MINTER_ADMIN_ROLE(), controller.MINTER_ROLE()):
        token.grantRole(token.MINTER_ADMIN_ROLE(), minter, {"from": outsider})


def test_holds_a_malicious_token_cannot_reach_a_real_token(
    held_token: Any, seizures: Any, proposer: Any, outsider: Any, alice: Any, carol: Any
) -> None:
    """A token that says yes to everything makes records of its own: their execution calls only it,
    and its roles cancel nothing of the real token's."""
    fake = PermissiveTokenMock.deploy({"from": outsider})
    fake.setHold(2**200, chain_now() + 10 * DAY, {"from": outsider})
    seizures.setNoticePeriod(fake, 0, REASON, {"from": outsider})
    sid = seizures.proposeSeizure(fake, alice, carol, 2**96 - 1, REASON, REASON, {"from": outsider}).events[
        "SeizureProposed"
    ]["id"]
    seizures.approveSeizure(sid, REASON, {"from": carol})
    seizures.executeSeizure(sid, {"from": outsider})
    assert fake.seizures() == 1 and held_token.balanceOf(carol) == 0
    real = propose(held_token, proposer, alice, carol, 1)
    with reverts_with("AccessControlUnauthorizedAccount", outsider, held_token.SEIZURE_APPROVER_ROLE()):
        seizures.cancelSeizure(real, REASON, {"from": outsider})
    with reverts_with("CallerNotSeizureController", outsider):
        held_token.seize(alice, carol, 1, REASON, REASON, {"from": outsider})


# --- The second look, at the fixes: each attack on them refused -----------------------------------


def test_holds_stricter_then_weaker_and_replacing_a_pending_change(
    funded: Any, seizures: Any, admin: Any
) -> None:
    seizures.setNoticePeriod(funded, 72 * HOUR, REASON, {"from": admin})
    first = seizures.setNoticePeriod(funded, HOUR, REASON, {"from": admin})
    assert first.events["NoticePeriodChanged"]["effectiveAt"] == first.timestamp + DAY
    move_to(first.timestamp + DAY // 2)
    # Replacing the pending change by another weaker one restarts the wait.
    second = seizures.setNoticePeriod(funded, 0, REASON, {"from": admin})
    assert second.events["NoticePeriodChanged"]["effectiveAt"] == second.timestamp + DAY
    move_to(first.timestamp + DAY + 1)
    assert seizures.noticePeriod(funded) == 72 * HOUR
    # Stricter (or equal) applies at once and cancels what waits; a weaker one after it waits again.
    strict = seizures.setNoticePeriod(funded, 80 * HOUR, REASON, {"from": admin})
    assert strict.events["NoticePeriodChanged"]["effectiveAt"] == strict.timestamp
    assert ints(seizures.pendingNoticePeriod(funded)) == (0, 0)
    weak = seizures.setNoticePeriod(funded, 0, REASON, {"from": admin})
    assert weak.events["NoticePeriodChanged"]["effectiveAt"] == weak.timestamp + DAY
    move_to(second.timestamp + DAY + 1)
    assert seizures.noticePeriod(funded) == 80 * HOUR
    # Same game on the term.
    t1 = seizures.setMaxRestrictionTerm(funded, 10 * DAY, REASON, {"from": admin})  # shorter: at once
    assert t1.events["MaxRestrictionTermChanged"]["effectiveAt"] == t1.timestamp
    t2 = seizures.setMaxRestrictionTerm(funded, U32, REASON, {"from": admin})
    assert t2.events["MaxRestrictionTermChanged"]["effectiveAt"] == t2.timestamp + DAY
    assert seizures.maxRestrictionTerm(funded) == 10 * DAY


def test_holds_pending_values_apply_exactly_at_effective_at(
    funded: Any, seizures: Any, admin: Any, freezer: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    seizures.setNoticePeriod(funded, 72 * HOUR, REASON, {"from": admin})
    shorter = seizures.setNoticePeriod(funded, HOUR, REASON, {"from": admin})
    eff = int(shorter.events["NoticePeriodChanged"]["effectiveAt"])
    funded.placeHold(alice, 50_000, expiry(10 * DAY), ORDER_A, {"from": freezer})
    funded.placeHold(alice, 50_000, expiry(10 * DAY), ORDER_B, {"from": freezer})
    sid_a = propose(funded, proposer, alice, carol, 50_000, ORDER_A)
    sid_b = propose(funded, proposer, alice, carol, 50_000, ORDER_B)
    next_block_at(eff - 1)
    a = seizures.approveSeizure(sid_a, REASON, {"from": approver})
    assert a.timestamp == eff - 1
    assert a.events["SeizureApproved"]["readyAt"] == eff - 1 + 72 * HOUR
    assert ints(seizures.pendingNoticePeriod(funded, block_identifier=a.block_number)) == (HOUR, eff)
    next_block_at(eff)
    b = seizures.approveSeizure(sid_b, REASON, {"from": approver})
    assert b.events["SeizureApproved"]["readyAt"] == eff + HOUR
    assert ints(seizures.pendingNoticePeriod(funded, block_identifier=b.block_number)) == (0, 0)
    # The seizure approved a second early keeps its 72 hours; the other is ready after one.
    move_to(eff + HOUR)
    seizures.executeSeizure(sid_b, {"from": carol})
    with reverts_with("SeizureNotReady", sid_a, eff - 1 + 72 * HOUR):
        seizures.executeSeizure(sid_a, {"from": carol})


def test_holds_pending_term_applies_exactly_at_effective_at(
    funded: Any, seizures: Any, admin: Any, freezer: Any, alice: Any
) -> None:
    longer = seizures.setMaxRestrictionTerm(funded, 200 * DAY, REASON, {"from": admin})
    eff = int(longer.events["MaxRestrictionTermChanged"]["effectiveAt"])
    assert eff == longer.timestamp + DAY
    assert ints(seizures.pendingMaxRestrictionTerm(funded)) == (200 * DAY, eff)
    next_block_at(eff - 1)
    with reverts_with("RestrictionExpiryInvalid", eff - 1 + 200 * DAY, eff - 1 + 90 * DAY):
        funded.freeze(alice, eff - 1 + 200 * DAY, ORDER_A, {"from": freezer})
    next_block_at(eff - 1)
    funded.freeze(alice, eff - 1 + 90 * DAY, ORDER_B, {"from": freezer})
    next_block_at(eff)
    f = funded.freeze(alice, eff + 200 * DAY, ORDER_A, {"from": freezer})
    assert f.timestamp == eff
    assert funded.frozenUntil(alice) == eff + 200 * DAY
    assert ints(seizures.pendingMaxRestrictionTerm(funded)) == (0, 0)


def test_holds_a_huge_admin_delay_saturates_and_never_applies(funded: Any, seizures: Any, admin: Any) -> None:
    """The uint48 end of _schedule: a delay of 2**48 - 1 (an increase waits 5 days) makes every
    weakening wait until uint48's end, shown as such; stricter values still apply at once."""
    seizures.setNoticePeriod(funded, 72 * HOUR, REASON, {"from": admin})
    raised = funded.changeDefaultAdminDelay(U48, {"from": admin})
    move_to(raised.timestamp + 5 * DAY + 1)
    assert funded.defaultAdminDelay() == U48
    tx = seizures.setNoticePeriod(funded, 1, REASON, {"from": admin})
    assert tx.events["NoticePeriodChanged"]["effectiveAt"] == U48
    assert ints(seizures.pendingNoticePeriod(funded)) == (1, U48)
    assert seizures.noticePeriod(funded) == 72 * HOUR
    tx = seizures.setMaxRestrictionTerm(funded, U32, REASON, {"from": admin})
    assert tx.events["MaxRestrictionTermChanged"]["effectiveAt"] == U48
    assert seizures.maxRestrictionTerm(funded) == 90 * DAY
    move_to(chain_now() + 50 * 365 * DAY)
    assert seizures.maxRestrictionTerm(funded) == 90 * DAY
    assert (
        seizures.setMaxRestrictionTerm(funded, DAY, REASON, {"from": admin}).events[
            "MaxRestrictionTermChanged"
        ]["effectiveAt"]
        == chain_now()
    )
    assert ints(seizures.pendingMaxRestrictionTerm(funded)) == (0, 0)
    assert seizures.maxRestrictionTerm(funded) == DAY


def test_holds_settle_restrictions_never_clears_what_still_applies(
    funded: Any,
    seizures: Any,
    freezer: Any,
    proposer: Any,
    approver: Any,
    outsider: Any,
    alice: Any,
    bob: Any,
    carol: Any,
) -> None:
    base = chain_now() + 100
    funded.freeze(alice, base + 5, ORDER_A, {"from": freezer})
    funded.placeHold(alice, 30_000, base + 10, ORDER_A, {"from": freezer})
    funded.placeHold(alice, 20_000, base + 2_000, ORDER_B, {"from": freezer})
    for _ in range(3):
        funded.settleRestrictions(alice, {"from": outsider})
    next_block_at(base + 4)
    s = funded.settleRestrictions(alice, {"from": outsider})
    blk = s.block_number
    assert funded.isFrozen(alice, block_identifier=blk)
    assert funded.frozenUntil(alice, block_identifier=blk) == base + 5
    assert funded.frozenAmount(alice, block_identifier=blk) == 50_000
    assert not funded.canTransfer(alice, bob, 1, block_identifier=blk)
    # Exactly at the hold's expiry: A has lapsed, B still applies, the freeze is gone.
    move_to(base + 9)
    next_block_at(base + 10)
    s = funded.settleRestrictions(alice, {"from": outsider})
    assert funded.frozenAmount(alice, block_identifier=s.block_number) == 20_000
    with reverts_with("InsufficientUnfrozenBalance", alice, 80_000, 80_001):
        funded.transfer(bob, 80_001, {"from": alice})
    # The settled-away order stays used; B can still be seized after settling.
    with reverts_with("OrderAlreadyUsed", alice, ORDER_A):
        funded.placeHold(alice, 1, expiry(), ORDER_A, {"from": freezer})
    seize(funded, proposer, approver, alice, carol, 20_000, order=ORDER_B)
    assert funded.frozenAmount(alice) == 0
    with reverts_with("ERC20InsufficientBalance", alice, 80_000, 80_001):
        funded.transfer(bob, 80_001, {"from": alice})
    # Settling an account with nothing is a no-op.
    funded.settleRestrictions(bob, {"from": outsider})
    assert funded.availableToSend(bob) == funded.balanceOf(bob)
