"""The seizure controller: one person proposes, a second approves, and only after the notice period,
during which the hold keeps the amount and anyone can read the proposal, is the seizure executed.
Either side may cancel it until then."""

from typing import Any

import brownie
import pytest
from brownie import ZERO_ADDRESS, PermissiveTokenMock, TengeSeizureController
from conftest import (
    OTHER_REASON,
    REASON,
    assert_event,
    chain_now,
    expiry,
    ints,
    move_to,
    next_block_at,
    propose,
    reverts_with,
)

from scripts.deploy import deploy_token

NONE, PROPOSED, APPROVED, EXECUTED, CANCELLED = range(5)
HOUR = 3600
CANCEL_REASON = brownie.web3.keccak(text="Appeal upheld 9-9/2026").to_0x_hex()


@pytest.fixture
def held(funded: Any, freezer: Any, alice: Any) -> Any:
    """Alice's 30,000 tiyn held under REASON for 30 days."""
    funded.placeHold(alice, 30_000, expiry(), REASON, {"from": freezer})
    return funded


# --- Proposal -----------------------------------------------------------------------------------------


def test_a_proposal_is_on_chain_for_the_holder_to_read(
    held: Any, seizures: Any, proposer: Any, alice: Any, carol: Any
) -> None:
    tx = seizures.proposeSeizure(held, alice, carol, 20_000, REASON, OTHER_REASON, {"from": proposer})
    assert_event(
        tx,
        "SeizureProposed",
        {
            "id": 1,
            "token": held,
            "from": alice,
            "to": carol,
            "amount": 20_000,
            "order": REASON,
            "proposer": proposer,
            "reason": OTHER_REASON,
        },
    )
    assert seizures.seizureCount() == 1
    record = seizures.seizure(1)
    assert (record["token"], record["from"], record["to"], record["amount"]) == (held, alice, carol, 20_000)
    assert (record["order"], record["reason"]) == (REASON, OTHER_REASON)
    assert (record["proposer"], record["approver"], record["readyAt"], record["status"]) == (
        proposer,
        ZERO_ADDRESS,
        0,
        PROPOSED,
    )
    # Nothing moved yet, and the hold still keeps the amount.
    assert held.balanceOf(alice) == 100_000 and held.holdOf(alice, REASON)[0] == 30_000


def test_only_a_proposer_proposes(held: Any, seizures: Any, approver: Any, freezer: Any, alice: Any) -> None:
    role = held.SEIZURE_PROPOSER_ROLE()
    for caller in (approver, freezer):
        with reverts_with("AccessControlUnauthorizedAccount", caller, role):
            seizures.proposeSeizure(held, alice, caller, 1, REASON, REASON, {"from": caller})


def test_a_proposal_of_nothing_or_to_the_holder_refused(
    held: Any, seizures: Any, proposer: Any, alice: Any, carol: Any
) -> None:
    with reverts_with("SeizureAmountZero", alice):
        seizures.proposeSeizure(held, alice, carol, 0, REASON, REASON, {"from": proposer})
    with reverts_with("SeizureToSameAccount", alice):
        seizures.proposeSeizure(held, alice, alice, 1, REASON, REASON, {"from": proposer})


def test_a_proposal_needs_a_hold_that_keeps_the_amount(
    held: Any, seizures: Any, proposer: Any, alice: Any, bob: Any, carol: Any
) -> None:
    with reverts_with("HoldNotActive", bob, REASON):
        seizures.proposeSeizure(held, bob, carol, 1, REASON, REASON, {"from": proposer})
    with reverts_with("HoldNotActive", alice, OTHER_REASON):
        seizures.proposeSeizure(held, alice, carol, 1, OTHER_REASON, REASON, {"from": proposer})
    with reverts_with("HoldExceeded", alice, REASON, 30_000, 30_001):
        seizures.proposeSeizure(held, alice, carol, 30_001, REASON, REASON, {"from": proposer})
    assert seizures.seizureCount() == 0


# --- Approval -----------------------------------------------------------------------------------------


def test_an_approval_by_a_second_person_starts_the_notice(
    held: Any, seizures: Any, admin: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    seizures.setNoticePeriod(held, 72 * HOUR, REASON, {"from": admin})
    seizure = propose(held, proposer, alice, carol, 20_000)
    at = chain_now() + 10
    next_block_at(at)
    tx = seizures.approveSeizure(seizure, OTHER_REASON, {"from": approver})
    assert_event(
        tx,
        "SeizureApproved",
        {"id": seizure, "approver": approver, "readyAt": at + 72 * HOUR, "reason": OTHER_REASON},
    )
    record = seizures.seizure(seizure)
    assert (record["approver"], record["readyAt"], record["status"]) == (approver, at + 72 * HOUR, APPROVED)


def test_only_an_approver_approves(
    held: Any, seizures: Any, proposer: Any, freezer: Any, alice: Any, carol: Any
) -> None:
    seizure = propose(held, proposer, alice, carol, 1)
    role = held.SEIZURE_APPROVER_ROLE()
    for caller in (proposer, freezer):
        with reverts_with("AccessControlUnauthorizedAccount", caller, role):
            seizures.approveSeizure(seizure, REASON, {"from": caller})


def test_the_proposer_never_approves_its_own_proposal(
    seizures: Any, alice: Any, bob: Any, carol: Any
) -> None:
    # A token that lets one account hold both roles: the controller still wants a second person.
    token = PermissiveTokenMock.deploy({"from": alice})
    token.setHold(10_000, chain_now() + 30 * 86400, {"from": alice})
    seizures.setNoticePeriod(token, 0, REASON, {"from": alice})
    tx = seizures.proposeSeizure(token, bob, carol, 10_000, REASON, REASON, {"from": alice})
    seizure = tx.events["SeizureProposed"]["id"]
    with reverts_with("ApproverIsProposer", seizure, alice):
        seizures.approveSeizure(seizure, REASON, {"from": alice})
    seizures.approveSeizure(seizure, REASON, {"from": bob})
    seizures.executeSeizure(seizure, {"from": carol})
    assert token.seizures() == 1


def test_an_approval_needs_the_hold_still_there(
    held: Any, seizures: Any, freezer: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    seizure = propose(held, proposer, alice, carol, 20_000)
    held.releaseHold(alice, REASON, 15_000, OTHER_REASON, {"from": freezer})
    with reverts_with("HoldExceeded", alice, REASON, 15_000, 20_000):
        seizures.approveSeizure(seizure, REASON, {"from": approver})


def test_an_approval_needs_the_hold_to_outlast_the_notice(
    funded: Any, seizures: Any, admin: Any, freezer: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    until = chain_now() + 72 * HOUR + 100
    funded.placeHold(alice, 30_000, until, REASON, {"from": freezer})
    seizures.setNoticePeriod(funded, 72 * HOUR, REASON, {"from": admin})
    seizure = propose(funded, proposer, alice, carol, 30_000)
    at = chain_now() + 100
    next_block_at(at)
    with reverts_with("HoldLapsesBeforeNotice", seizure, until, at + 72 * HOUR):
        seizures.approveSeizure(seizure, REASON, {"from": approver})


def test_an_approval_happens_once(
    held: Any, seizures: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    seizure = propose(held, proposer, alice, carol, 1)
    seizures.approveSeizure(seizure, REASON, {"from": approver})
    with reverts_with("SeizureNotPending", seizure, APPROVED):
        seizures.approveSeizure(seizure, REASON, {"from": approver})
    with reverts_with("SeizureNotPending", 99, NONE):
        seizures.approveSeizure(99, REASON, {"from": approver})


# --- Notice and execution -------------------------------------------------------------------------------


def test_execution_waits_for_the_notice_and_the_hold_keeps_the_amount_meanwhile(
    held: Any,
    seizures: Any,
    admin: Any,
    proposer: Any,
    approver: Any,
    outsider: Any,
    alice: Any,
    bob: Any,
    carol: Any,
) -> None:
    seizures.setNoticePeriod(held, HOUR, REASON, {"from": admin})
    seizure = propose(held, proposer, alice, carol, 30_000)
    tx = seizures.approveSeizure(seizure, REASON, {"from": approver})
    ready_at = tx.events["SeizureApproved"]["readyAt"]
    next_block_at(ready_at - 1)
    with reverts_with("SeizureNotReady", seizure, ready_at):
        seizures.executeSeizure(seizure, {"from": outsider})
    # The holder is on notice: what the hold keeps cannot leave meanwhile.
    with reverts_with("InsufficientUnfrozenBalance", alice, 70_000, 70_001):
        held.transfer(bob, 70_001, {"from": alice})
    next_block_at(ready_at)
    executed = seizures.executeSeizure(seizure, {"from": outsider})
    assert_event(executed, "SeizureExecuted", {"id": seizure, "executor": outsider})
    assert held.balanceOf(carol) == 30_000 and seizures.seizure(seizure)["status"] == EXECUTED


def test_the_defaults_are_a_72_hour_notice_and_a_90_day_term(admin: Any, alice: Any) -> None:
    fresh = deploy_token(admin)
    controller = TengeSeizureController.at(fresh.seizureController())
    assert controller.noticePeriod(fresh) == 72 * HOUR == controller.DEFAULT_NOTICE_PERIOD()
    assert controller.maxRestrictionTerm(fresh) == 90 * 86400 == controller.DEFAULT_MAX_RESTRICTION_TERM()
    assert (
        ints(controller.pendingNoticePeriod(fresh))
        == (0, 0)
        == ints(controller.pendingMaxRestrictionTerm(fresh))
    )


def test_a_longer_notice_applies_at_once_and_leaves_approved_seizures_their_time(
    held: Any, seizures: Any, admin: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    seizure = propose(held, proposer, alice, carol, 1)
    seizures.approveSeizure(seizure, REASON, {"from": approver})
    at = chain_now() + 10
    next_block_at(at)
    tx = seizures.setNoticePeriod(held, HOUR, OTHER_REASON, {"from": admin})
    assert_event(
        tx,
        "NoticePeriodChanged",
        {"token": held, "period": HOUR, "effectiveAt": at, "actor": admin, "reason": OTHER_REASON},
    )
    assert seizures.noticePeriod(held) == HOUR
    seizures.executeSeizure(seizure, {"from": approver})
    assert held.balanceOf(carol) == 1


def test_a_shorter_notice_waits_for_the_admins_delay(
    held: Any, seizures: Any, admin: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    # The outside audit: one admin key dropped a 72-hour notice to 0 and seized at once.
    seizures.setNoticePeriod(held, 72 * HOUR, REASON, {"from": admin})
    delay = held.defaultAdminDelay()
    at = chain_now() + 10
    next_block_at(at)
    tx = seizures.setNoticePeriod(held, 0, OTHER_REASON, {"from": admin})
    assert tx.events["NoticePeriodChanged"]["effectiveAt"] == at + delay
    assert seizures.noticePeriod(held) == 72 * HOUR
    assert ints(seizures.pendingNoticePeriod(held)) == (0, at + delay)
    seizure = propose(held, proposer, alice, carol, 1)
    ready_at = seizures.approveSeizure(seizure, REASON, {"from": approver}).events["SeizureApproved"][
        "readyAt"
    ]
    assert ready_at >= at + 72 * HOUR
    move_to(at + delay)
    assert seizures.noticePeriod(held) == 0 and ints(seizures.pendingNoticePeriod(held)) == (0, 0)
    with reverts_with("SeizureNotReady", seizure, ready_at):
        seizures.executeSeizure(seizure, {"from": approver})


def test_a_notice_change_waits_forever_behind_a_never_delay(held: Any, seizures: Any, admin: Any) -> None:
    held.changeDefaultAdminDelay(2**48 - 1, {"from": admin})
    move_to(chain_now() + 5 * 86400 + 1)  # OpenZeppelin applies an increase after at most 5 days
    tx = seizures.setNoticePeriod(held, 72 * HOUR, REASON, {"from": admin})
    assert tx.events["NoticePeriodChanged"]["effectiveAt"] == chain_now()
    tx = seizures.setNoticePeriod(held, HOUR, REASON, {"from": admin})
    assert tx.events["NoticePeriodChanged"]["effectiveAt"] == 2**48 - 1
    assert seizures.noticePeriod(held) == 72 * HOUR


def test_only_the_tokens_admin_sets_its_notice(held: Any, seizures: Any, proposer: Any) -> None:
    with reverts_with("AccessControlUnauthorizedAccount", proposer, "0x" + "00" * 32):
        seizures.setNoticePeriod(held, 0, REASON, {"from": proposer})


def test_a_notice_above_32_bits_refused(held: Any, seizures: Any, admin: Any) -> None:
    with reverts_with("NoticePeriodInvalid", 2**32):
        seizures.setNoticePeriod(held, 2**32, REASON, {"from": admin})


def test_a_hold_released_during_the_notice_stops_the_seizure(
    held: Any, seizures: Any, freezer: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    seizure = propose(held, proposer, alice, carol, 30_000)
    seizures.approveSeizure(seizure, REASON, {"from": approver})
    held.releaseHold(alice, REASON, 30_000, OTHER_REASON, {"from": freezer})
    with reverts_with("HoldNotActive", alice, REASON):
        seizures.executeSeizure(seizure, {"from": approver})
    assert seizures.seizure(seizure)["status"] == APPROVED and held.balanceOf(alice) == 100_000


def test_a_seizure_executes_once(
    held: Any, seizures: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    seizure = propose(held, proposer, alice, carol, 10_000)
    seizures.approveSeizure(seizure, REASON, {"from": approver})
    seizures.executeSeizure(seizure, {"from": approver})
    with reverts_with("SeizureNotPending", seizure, EXECUTED):
        seizures.executeSeizure(seizure, {"from": approver})
    assert held.balanceOf(carol) == 10_000


def test_an_unapproved_seizure_cannot_execute(
    held: Any, seizures: Any, proposer: Any, alice: Any, carol: Any
) -> None:
    seizure = propose(held, proposer, alice, carol, 10_000)
    with reverts_with("SeizureNotPending", seizure, PROPOSED):
        seizures.executeSeizure(seizure, {"from": proposer})


def test_a_revoked_proposers_seizure_cannot_be_approved(
    held: Any, seizures: Any, admin: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    seizure = propose(held, proposer, alice, carol, 1)
    role = held.SEIZURE_PROPOSER_ROLE()
    held.revokeRole(role, proposer, {"from": admin})
    with reverts_with("SeizureRoleRevoked", seizure, proposer, role):
        seizures.approveSeizure(seizure, REASON, {"from": approver})


@pytest.mark.parametrize("side", ["proposer", "approver"])
def test_a_seizure_decided_by_a_key_revoked_since_cannot_execute(
    held: Any, seizures: Any, admin: Any, proposer: Any, approver: Any, alice: Any, carol: Any, side: str
) -> None:
    seizure = propose(held, proposer, alice, carol, 1)
    seizures.approveSeizure(seizure, REASON, {"from": approver})
    account, role = {
        "proposer": (proposer, held.SEIZURE_PROPOSER_ROLE()),
        "approver": (approver, held.SEIZURE_APPROVER_ROLE()),
    }[side]
    held.revokeRole(role, account, {"from": admin})
    with reverts_with("SeizureRoleRevoked", seizure, account, role):
        seizures.executeSeizure(seizure, {"from": carol})
    assert held.balanceOf(carol) == 0


# --- Cancellation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("side", ["proposer", "approver"])
def test_either_side_cancels_with_a_reason(
    held: Any, seizures: Any, proposer: Any, approver: Any, alice: Any, carol: Any, side: str
) -> None:
    seizure = propose(held, proposer, alice, carol, 10_000)
    seizures.approveSeizure(seizure, REASON, {"from": approver})
    canceller = {"proposer": proposer, "approver": approver}[side]
    tx = seizures.cancelSeizure(seizure, CANCEL_REASON, {"from": canceller})
    assert_event(tx, "SeizureCancelled", {"id": seizure, "actor": canceller, "reason": CANCEL_REASON})
    with reverts_with("SeizureNotPending", seizure, CANCELLED):
        seizures.executeSeizure(seizure, {"from": approver})
    assert held.balanceOf(alice) == 100_000


def test_a_proposal_may_be_cancelled_before_approval(
    held: Any, seizures: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    seizure = propose(held, proposer, alice, carol, 10_000)
    seizures.cancelSeizure(seizure, CANCEL_REASON, {"from": proposer})
    with reverts_with("SeizureNotPending", seizure, CANCELLED):
        seizures.approveSeizure(seizure, REASON, {"from": approver})


def test_others_cannot_cancel(
    held: Any, seizures: Any, proposer: Any, freezer: Any, outsider: Any, alice: Any, carol: Any
) -> None:
    seizure = propose(held, proposer, alice, carol, 10_000)
    role = held.SEIZURE_APPROVER_ROLE()
    for caller in (freezer, outsider):
        with reverts_with("AccessControlUnauthorizedAccount", caller, role):
            seizures.cancelSeizure(seizure, CANCEL_REASON, {"from": caller})


def test_an_executed_or_unknown_seizure_cannot_be_cancelled(
    held: Any, seizures: Any, proposer: Any, approver: Any, alice: Any, carol: Any
) -> None:
    seizure = propose(held, proposer, alice, carol, 10_000)
    seizures.approveSeizure(seizure, REASON, {"from": approver})
    seizures.executeSeizure(seizure, {"from": approver})
    with reverts_with("SeizureNotPending", seizure, EXECUTED):
        seizures.cancelSeizure(seizure, CANCEL_REASON, {"from": proposer})
    with reverts_with("SeizureNotPending", 7, NONE):
        seizures.cancelSeizure(7, CANCEL_REASON, {"from": proposer})


# --- One controller, many tokens -------------------------------------------------------------------------


def test_a_tokens_roles_act_only_on_that_token(
    held: Any, seizures: Any, admin: Any, proposer: Any, alice: Any, carol: Any
) -> None:
    other = deploy_token(admin, controller=held._controller, seizure_controller=seizures)
    assert other.seizureController() == seizures.address
    with reverts_with("AccessControlUnauthorizedAccount", proposer, other.SEIZURE_PROPOSER_ROLE()):
        seizures.proposeSeizure(other, alice, carol, 1, REASON, REASON, {"from": proposer})
    # Notices are kept per token: the other token keeps the default.
    assert (seizures.noticePeriod(held), seizures.noticePeriod(other)) == (0, 72 * HOUR)
