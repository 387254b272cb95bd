"""The library's freezes, holds and seizures against the token and its seizure controller: expiries that
lapse by themselves, holds named by their orders, the two-person seizure under its notice, and every
refusal named, explained, and raised before anything is signed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import brownie
import pytest
from conftest import chain_now, move_to
from eth_utils.crypto import keccak

from tenge import DeploymentError, InvalidInput, Tenge
from tenge.deployment import DeploymentRecord
from tenge.restrictions import (
    DueProcessSetting,
    Hold,
    HoldStatus,
    PendingSetting,
    RevokedRole,
    SeizureStatus,
    SettingChange,
)
from tenge.reverts import (
    ApproverIsProposer,
    HoldExceeded,
    HoldLapsesBeforeNotice,
    OrderAlreadyUsed,
    RestrictionExpiryInvalid,
    RoleConflict,
    SeizureNotPending,
    SeizureNotReady,
    SeizureRoleRevoked,
)
from tenge.roles import role_id
from tenge.times import NEVER_AT, parse_duration, parse_time, utc_text

ORDER = "Court order 2-1234/2026"
ORDER_HASH = "0x" + keccak(text=ORDER).hex()
RULING = "Ruling 2-1300/2026"
RULING_HASH = "0x" + keccak(text=RULING).hex()
DAY = 86400
Connect = Callable[..., Tenge]


def nonce_of(address: str) -> int:
    return int(brownie.web3.eth.get_transaction_count(address))


def proposed(connect: Connect, holder: Any, to: Any, amount: str, order: str = ORDER) -> int:
    """A seizure proposed by the proposer; its id."""
    receipt = connect("proposer").propose_seizure(holder.address, to and to.address, amount, order, RULING)
    return connect().proposed_seizure_id(receipt.wait())


# --- freezes ------------------------------------------------------------------------------------------------


def test_a_freeze_lapses_at_its_expiry_by_itself(connect: Connect, funded: Any, alice: Any, bob: Any) -> None:
    connect("freezer").freeze(alice.address, timedelta(hours=1), ORDER).wait()
    until = chain_now() + 3600 - 1  # counted from the latest block's clock when it was signed
    status = connect().status(alice.address)
    assert (status.frozen, status.frozen_until) == (True, funded.frozenUntil(alice))
    assert status.frozen_until is not None and abs(status.frozen_until - until) <= 1
    move_to(status.frozen_until)
    assert connect().frozen_until(alice.address) is None and not connect().is_frozen(alice.address)
    connect("alice").transfer(bob.address, "1").wait()  # no transaction lifted it


def test_an_expiry_is_unix_seconds_a_datetime_or_a_term(connect: Connect, funded: Any, alice: Any) -> None:
    at = chain_now() + 10 * DAY
    connect("freezer").freeze(alice.address, at, ORDER).wait()
    assert connect().frozen_until(alice.address) == at
    # A renewal cites another reason (a renewal is a new order); a datetime is read in UTC.
    moment = datetime.fromtimestamp(at + DAY, UTC).replace(tzinfo=None)
    connect("freezer").freeze(alice.address, moment, RULING).wait()
    assert connect().frozen_until(alice.address) == at + DAY


def test_an_expiry_beyond_the_longest_term_is_refused_before_signing(
    connect: Connect, funded: Any, alice: Any, freezer: Any
) -> None:
    wanted = chain_now() + 91 * DAY
    before = nonce_of(freezer.address)
    with pytest.raises(RestrictionExpiryInvalid) as refused:
        connect("freezer").freeze(alice.address, wanted, ORDER)
    latest = refused.value.arguments["latest"]
    assert refused.value.arguments["expiresAt"] == wanted and latest < wanted
    assert str(refused.value).startswith(
        f"expiry {utc_text(wanted)} is beyond the longest term: a freeze or hold placed now may last "
        f"until {utc_text(latest)} at the latest (maxRestrictionTerm) "
        f"(RestrictionExpiryInvalid(expiresAt={wanted}, "
    )
    with pytest.raises(RestrictionExpiryInvalid, match="is not in the future: a freeze or hold must end"):
        connect("freezer").freeze(alice.address, chain_now() - 1, ORDER)
    assert nonce_of(freezer.address) == before


def test_the_admin_sets_the_longest_term(connect: Connect, funded: Any, alice: Any) -> None:
    assert connect().max_restriction_term() == 90 * DAY and connect().max_holds() == 8
    connect("admin").set_max_restriction_term(7 * DAY, "Board decision 9/2026").wait()
    assert connect().max_restriction_term() == 7 * DAY
    with pytest.raises(RestrictionExpiryInvalid):
        connect("freezer").place_hold(alice.address, "1", timedelta(days=8), ORDER)
    with pytest.raises(InvalidInput, match="longest term 0: give whole seconds from 1 to 4294967295"):
        connect("admin").set_max_restriction_term(0, "Board decision 9/2026")


def test_a_longer_term_waits_for_the_admins_delay(connect: Connect, funded: Any, alice: Any) -> None:
    # The fixture token's defaultAdminDelay() is a day: a term that lets restrictions last longer waits it.
    receipt = connect("admin").set_max_restriction_term(180 * DAY, "Board decision 9/2026").wait()
    set_at = chain_now()
    assert connect().setting_change(receipt) == SettingChange(
        setting=DueProcessSetting.MAX_RESTRICTION_TERM,
        seconds=180 * DAY,
        effective_at=set_at + DAY,
        at_once=False,
    )
    assert connect().max_restriction_term() == 90 * DAY
    assert connect().pending_max_restriction_term() == PendingSetting(
        seconds=180 * DAY, effective_at=set_at + DAY
    )
    with pytest.raises(RestrictionExpiryInvalid):
        connect("freezer").place_hold(alice.address, "1", timedelta(days=100), ORDER)
    move_to(set_at + DAY)
    assert (connect().max_restriction_term(), connect().pending_max_restriction_term()) == (180 * DAY, None)
    connect("freezer").place_hold(alice.address, "1", timedelta(days=100), ORDER).wait()


def test_a_shorter_term_applies_at_once_and_drops_a_longer_one_waiting(connect: Connect, funded: Any) -> None:
    admin = connect("admin")
    admin.set_max_restriction_term(180 * DAY, "Board decision 9/2026").wait()
    receipt = admin.set_max_restriction_term(30 * DAY, "Board decision 10/2026").wait()
    assert connect().setting_change(receipt) == SettingChange(
        setting=DueProcessSetting.MAX_RESTRICTION_TERM,
        seconds=30 * DAY,
        effective_at=chain_now(),
        at_once=True,
    )
    assert (connect().max_restriction_term(), connect().pending_max_restriction_term()) == (30 * DAY, None)


def test_a_shorter_notice_waits_for_the_admins_delay(connect: Connect, funded: Any) -> None:
    admin = connect("admin")
    longer = admin.set_seizure_notice_period(2 * 3600, "Board decision 9/2026").wait()
    assert connect().setting_change(longer).at_once and connect().seizure_notice_period() == 2 * 3600
    shorter = admin.set_seizure_notice_period(3600, "Board decision 10/2026").wait()
    set_at = chain_now()
    assert connect().setting_change(shorter) == SettingChange(
        setting=DueProcessSetting.NOTICE_PERIOD, seconds=3600, effective_at=set_at + DAY, at_once=False
    )
    assert connect().seizure_notice_period() == 2 * 3600
    assert connect().pending_seizure_notice_period() == PendingSetting(
        seconds=3600, effective_at=set_at + DAY
    )
    move_to(set_at + DAY - 1)
    assert connect().seizure_notice_period() == 2 * 3600
    move_to(set_at + DAY)
    assert (connect().seizure_notice_period(), connect().pending_seizure_notice_period()) == (3600, None)


def test_a_change_behind_an_endless_delay_applies_never(connect: Connect, token: Any, admin: Any) -> None:
    token.changeDefaultAdminDelay(NEVER_AT, {"from": admin})
    move_to(chain_now() + 5 * DAY + 1)  # OpenZeppelin applies an increase of the delay after 5 days
    connect("admin").set_seizure_notice_period(3600, "Board decision 9/2026").wait()
    receipt = connect("admin").set_seizure_notice_period(0, "Board decision 10/2026").wait()
    change = connect().setting_change(receipt)
    assert (change.effective_at, change.at_once, change.to_dict()["effective"]) == (NEVER_AT, False, "never")
    (entry,) = connect().audit(from_block=receipt.block)
    assert entry.details == "seizures wait 0 seconds after approval, never (the admin's delay does not end)"


def test_a_receipt_that_set_no_setting_is_refused(connect: Connect, funded: Any, bob: Any) -> None:
    receipt = connect("alice").transfer(bob.address, "1").wait()
    with pytest.raises(InvalidInput) as refused:
        connect().setting_change(receipt)
    assert str(refused.value) == f"transaction {receipt.hash} set neither the longest term nor the notice"


# --- holds --------------------------------------------------------------------------------------------------


def test_a_hold_by_its_order_placed_released_and_shown(connect: Connect, funded: Any, alice: Any) -> None:
    freezer = connect("freezer")
    freezer.place_hold(alice.address, "300", timedelta(days=30), ORDER).wait()
    freezer.place_hold(alice.address, "50", timedelta(days=1), "Court order 2-1299/2026").wait()
    until = funded.holdOf(alice, ORDER_HASH)[1]
    assert connect().hold_of(alice.address, ORDER) == Hold(
        alice.address, ORDER_HASH, Decimal("300.00"), until, HoldStatus.ACTIVE
    )
    freezer.release_hold(alice.address, ORDER_HASH, "100", RULING).wait()
    assert connect().hold_of(alice.address, ORDER).amount == Decimal("200.00")
    assert connect().status(alice.address).available == Decimal("750.00")  # 1000 - 200 - 50
    freezer.release_hold(alice.address, ORDER, "200", RULING).wait()
    move_to(chain_now() + DAY)
    assert [(h.amount, h.status) for h in connect().holds(alice.address)] == [
        (Decimal("0.00"), HoldStatus.RELEASED),
        (Decimal("0.00"), HoldStatus.LAPSED),
    ]
    assert connect().holds(alice.address, active_only=True) == []
    assert connect().hold_of(alice.address, "Never placed").status is HoldStatus.NONE


def test_an_order_names_one_hold_once(connect: Connect, funded: Any, alice: Any) -> None:
    freezer = connect("freezer")
    freezer.place_hold(alice.address, "10", timedelta(days=30), ORDER).wait()
    freezer.release_hold(alice.address, ORDER, "10", RULING).wait()
    with pytest.raises(OrderAlreadyUsed) as refused:
        freezer.place_hold(alice.address, "10", timedelta(days=30), ORDER)
    assert str(refused.value) == (
        f"order {ORDER_HASH} was used on {alice.address} already (a hold under it, or a freeze, lifted or "
        f"not): a renewal is a new order (OrderAlreadyUsed(account={alice.address}, order={ORDER_HASH}))"
    )


def test_a_release_beyond_the_hold_says_what_it_keeps(connect: Connect, funded: Any, alice: Any) -> None:
    connect("freezer").place_hold(alice.address, "10", timedelta(days=30), ORDER).wait()
    with pytest.raises(HoldExceeded) as refused:
        connect("freezer").release_hold(alice.address, ORDER, "10.01", RULING)
    assert refused.value.arguments == {
        "account": alice.address,
        "order": ORDER_HASH,
        "held": 1000,
        "requested": 1001,
    }
    assert str(refused.value).startswith(
        f"the hold {ORDER_HASH} on {alice.address} keeps 10.00 KZT, less than the 10.01 KZT asked ("
    )
    assert refused.value.kzt_arguments() == {"held": Decimal("10.00"), "requested": Decimal("10.01")}


# --- seizures -----------------------------------------------------------------------------------------------


def test_a_seizure_proposed_approved_and_executed_by_three_people(
    connect: Connect, funded: Any, alice: Any, carol: Any, proposer: Any, approver: Any
) -> None:
    connect("freezer").place_hold(alice.address, "300", timedelta(days=30), ORDER).wait()
    number = proposed(connect, alice, carol, "120")
    found = connect().seizure(number)
    assert (found.status, found.account, found.to, found.amount) == (
        SeizureStatus.PROPOSED,
        alice.address,
        carol.address,
        Decimal("120.00"),
    )
    assert (found.order, found.reason, found.proposer, found.approver, found.ready_at) == (
        ORDER_HASH,
        RULING_HASH,
        proposer.address,
        None,
        None,
    )
    connect("approver").approve_seizure(number, "Approved: ruling checked").wait()
    approved = connect().seizure(number)
    assert (approved.status, approved.approver, approved.ready_at) == (
        SeizureStatus.APPROVED,
        approver.address,
        chain_now(),  # the test token's notice is 0
    )
    connect("outsider").execute_seizure(number).wait()
    assert connect().seizure(number).status is SeizureStatus.EXECUTED
    assert (funded.balanceOf(carol), funded.balanceOf(alice)) == (12_000, 88_000)
    assert connect().hold_of(alice.address, ORDER).amount == Decimal("180.00")
    assert connect().seizures_of_token(status=SeizureStatus.EXECUTED) == [connect().seizure(number)]


def test_a_seizure_waits_for_its_notice_and_says_until_when(
    connect: Connect, funded: Any, alice: Any, carol: Any
) -> None:
    connect("admin").set_seizure_notice_period(3600, "Board decision 9/2026").wait()
    assert connect().seizure_notice_period() == 3600
    connect("freezer").place_hold(alice.address, "50", timedelta(days=30), ORDER).wait()
    number = proposed(connect, alice, None, "50")
    connect("approver").approve_seizure(number, RULING).wait()
    ready_at = chain_now() + 3600
    with pytest.raises(SeizureNotReady) as refused:
        connect("outsider").execute_seizure(number)
    assert str(refused.value) == (
        f"seizure #{number} is not ready: its notice ends at {utc_text(ready_at)}, and it may be executed "
        f"from then on (in 1 hour) (SeizureNotReady(id={number}, readyAt={ready_at}))"
    )
    move_to(ready_at)
    connect("outsider").execute_seizure(number).wait()
    assert funded.totalSupply() == 150_000 - 5_000  # burned


def test_a_hold_that_lapses_before_the_notice_ends_cannot_be_approved(
    connect: Connect, funded: Any, alice: Any, carol: Any
) -> None:
    connect("admin").set_seizure_notice_period(2 * 3600, "Board decision 9/2026").wait()
    connect("freezer").place_hold(alice.address, "50", timedelta(hours=1), ORDER).wait()
    number = proposed(connect, alice, carol, "50")
    with pytest.raises(
        HoldLapsesBeforeNotice, match=f"the hold of seizure #{number} lapses at .*, before the"
    ):
        connect("approver").approve_seizure(number, RULING)


def test_a_proposer_never_approves_its_own_seizure(
    connect: Connect, token: Any, funded: Any, alice: Any, carol: Any, admin: Any, proposer: Any
) -> None:
    connect("freezer").place_hold(alice.address, "50", timedelta(days=30), ORDER).wait()
    number = proposed(connect, alice, carol, "50")
    token.revokeRole(role_id("SEIZURE_PROPOSER_ROLE"), proposer, {"from": admin})
    token.grantRole(role_id("SEIZURE_APPROVER_ROLE"), proposer, {"from": admin})
    with pytest.raises(ApproverIsProposer) as refused:
        connect("proposer").approve_seizure(number, RULING)
    assert str(refused.value).startswith(
        f"{proposer.address} proposed seizure #{number}: another person, a SEIZURE_APPROVER_ROLE holder, "
        "must approve it"
    )


def test_a_seizure_whose_proposer_lost_the_role_cannot_go_ahead(
    connect: Connect, token: Any, funded: Any, alice: Any, carol: Any, admin: Any, proposer: Any
) -> None:
    connect("freezer").place_hold(alice.address, "50", timedelta(days=30), ORDER).wait()
    number = proposed(connect, alice, carol, "50")
    connect("approver").approve_seizure(number, RULING).wait()
    assert connect().roles_revoked(connect().seizure(number)) == []
    token.revokeRole(role_id("SEIZURE_PROPOSER_ROLE"), proposer, {"from": admin})
    assert connect().roles_revoked(connect().seizure(number)) == [
        RevokedRole(account=proposer.address, role="SEIZURE_PROPOSER_ROLE")
    ]
    with pytest.raises(SeizureRoleRevoked) as refused:
        connect("outsider").execute_seizure(number)
    role = "0x" + role_id("SEIZURE_PROPOSER_ROLE").hex()
    assert str(refused.value) == (
        f"{proposer.address}, who decided seizure #{number}, no longer holds SEIZURE_PROPOSER_ROLE: the "
        "seizure cannot go ahead on its decision; cancel it and propose again "
        f"(SeizureRoleRevoked(id={number}, account={proposer.address}, role={role}))"
    )
    connect("approver").cancel_seizure(number, "Proposer's key compromised").wait()
    assert connect().roles_revoked(connect().seizure(number)) == []  # cancelled: nothing goes ahead


def test_a_cancelled_seizure_is_never_executed(connect: Connect, funded: Any, alice: Any, carol: Any) -> None:
    connect("freezer").place_hold(alice.address, "50", timedelta(days=30), ORDER).wait()
    number = proposed(connect, alice, carol, "50")
    connect("approver").approve_seizure(number, RULING).wait()
    connect("proposer").cancel_seizure(number, "Order withdrawn").wait()
    assert connect().seizure(number).status is SeizureStatus.CANCELLED
    with pytest.raises(SeizureNotPending) as refused:
        connect("outsider").execute_seizure(number)
    assert refused.value.arguments == {"id": number, "status": 4}
    assert str(refused.value).startswith(
        f"seizure #{number} is cancelled: approval needs a proposed seizure,"
    )


def test_an_unknown_seizure_id_is_refused_by_number(connect: Connect, funded: Any, alice: Any) -> None:
    count = connect().seizure_count()
    seizures = connect().seizures.address
    with pytest.raises(InvalidInput) as refused:
        connect("approver").approve_seizure(count + 7, RULING)
    known = f"its ids run from 1 to {count}" if count else "no seizure has been proposed there yet"
    assert (
        str(refused.value) == f"unknown seizure id {count + 7}: at the seizure controller {seizures}, {known}"
    )
    with pytest.raises(InvalidInput, match="seizure id 0: ids are whole numbers from 1"):
        connect().seizure(0)


def test_one_account_is_never_given_two_duties(connect: Connect, token: Any, freezer: Any) -> None:
    with pytest.raises(RoleConflict) as refused:
        connect("admin").grant_role("SEIZURE_PROPOSER_ROLE", freezer.address, "Board decision 9/2026")
    assert str(refused.value).startswith(
        f"{freezer.address} holds FREEZER_ROLE, a duty kept apart from SEIZURE_PROPOSER_ROLE: no one account "
        "both restricts and seizes,"
    )
    assert not token.hasRole(role_id("SEIZURE_PROPOSER_ROLE"), freezer)


# --- the record ---------------------------------------------------------------------------------------------


def test_the_seizure_controller_is_the_one_the_token_names_and_the_record_holds(
    rpc_url: str, record: DeploymentRecord, token: Any, admin: Any
) -> None:
    other = brownie.TengeSeizureController.deploy({"from": admin})
    with pytest.raises(DeploymentError) as refused:
        Tenge.connect(rpc_url, replace(record, seizure_controller=other.address))
    assert str(refused.value) == (
        f"the token names seizure controller {token.seizureController()}, the record says {other.address}: "
        "the token was upgraded to another controller since the record was written"
    )
    with pytest.raises(DeploymentError, match="not the recorded seizure controller"):
        Tenge.connect(rpc_url, replace(record, seizure_controller_code_hash="0x" + "00" * 32))


# --- times as people write them -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30d", 30 * DAY),
        ("12h", 43200),
        ("1d12h", 1.5 * DAY),
        ("2w", 14 * DAY),
        ("90m", 5400),
        ("3600", 3600),
    ],
)
def test_terms(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "message"),
    [("30x", "is not a term"), ("-5d", "is not a term"), ("0d", "is zero"), ("", "is not a term")],
)
def test_terms_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_duration(text)


def test_times() -> None:
    assert parse_time("2026-12-31") == 1798675200
    assert parse_time("2026-12-31T18:00") == 1798675200 + 18 * 3600
    assert parse_time("2026-12-31T18:00+05:00") == 1798675200 + 13 * 3600
    assert parse_time("2026-12-31T18:00:00Z") == 1798675200 + 18 * 3600
    assert parse_time("1798675200") == 1798675200
    with pytest.raises(InvalidInput, match=r"'31\.12\.2026' is not a time: write a date or time in UTC"):
        parse_time("31.12.2026")
