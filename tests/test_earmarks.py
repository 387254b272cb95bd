"""Earmarked tenge (issue 16): a purpose, its approved recipients, deposits, earmarks down a supply chain,
release to final recipients as plain DKZT, the return at expiry; the token's controls reach it."""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from conftest import OTHER_REASON, REASON, chain_now, expiry, move_to, reverts_with, traced

NAME = "0x" + b"Railway section 7".ljust(32, b"\0").hex()
INTERMEDIATE, FINAL = 1, 2
DAY = 86_400
ZERO = "0x" + "0" * 40


def facts(earmarks: Any, number: int) -> tuple[Any, ...]:
    """`purpose(id)` as plain values: funder, expiresAt, closed, name, reason, pool, outstanding."""
    funder, ends, closed, name, reason, pool, outstanding = earmarks.purpose(number)
    return (str(funder), int(ends), bool(closed), str(name), str(reason), int(pool), int(outstanding))


@pytest.fixture(scope="module")
def budget() -> Any:
    """Holds BUDGET_HOLDER_ROLE: opens purposes and funds them."""
    return brownie.accounts[15]


@pytest.fixture(scope="module")
def contractor() -> Any:
    return brownie.accounts[16]


@pytest.fixture(scope="module")
def subcontractor() -> Any:
    return brownie.accounts[17]


@pytest.fixture(scope="module")
def supplier() -> Any:
    return brownie.accounts[18]


@pytest.fixture(scope="module")
def earmarks(token: Any, admin: Any, minter: Any, budget: Any) -> Any:
    """The earmark contract beside the token; the budget holder has 10,000.00 KZT and allowed it all."""
    contract = traced(brownie.TengeEarmarks.deploy(token, {"from": admin}))
    token.grantRole(contract.BUDGET_HOLDER_ROLE(), budget, {"from": admin})
    token.mint(budget, 1_000_000, {"from": minter})
    token.approve(contract, 2**256 - 1, {"from": budget})
    return contract


@pytest.fixture(scope="module")
def purpose(earmarks: Any, budget: Any, contractor: Any, subcontractor: Any, supplier: Any) -> int:
    """Purpose 1, for 30 days: the contractor and subcontractor intermediate, the supplier final; 5,000.00
    KZT deposited."""
    tx = earmarks.createPurpose(NAME, chain_now() + 30 * DAY, REASON, {"from": budget})
    number = int(tx.return_value)
    for who, kind in ((contractor, INTERMEDIATE), (subcontractor, INTERMEDIATE), (supplier, FINAL)):
        earmarks.approveRecipient(number, who, kind, REASON, {"from": budget})
    earmarks.deposit(number, 500_000, {"from": budget})
    return number


def test_a_purpose_is_opened_by_a_budget_holder_with_its_facts(
    earmarks: Any, budget: Any, outsider: Any, token: Any
) -> None:
    until = chain_now() + 10 * DAY
    with reverts_with("AccessControlUnauthorizedAccount", outsider, earmarks.BUDGET_HOLDER_ROLE()):
        earmarks.createPurpose(NAME, until, REASON, {"from": outsider})
    tx = earmarks.createPurpose(NAME, until, REASON, {"from": budget})
    number = tx.return_value
    assert tx.events["PurposeCreated"]["id"] == number == earmarks.purposeCount()
    assert dict(tx.events["PurposeCreated"]) == {
        "id": number,
        "funder": budget,
        "name": NAME,
        "expiresAt": until,
        "reason": REASON,
    }
    assert facts(earmarks, number) == (budget.address, until, False, NAME, REASON, 0, 0)
    assert earmarks.token() == token


def test_an_expiry_must_be_ahead(earmarks: Any, budget: Any) -> None:
    now = chain_now()
    brownie.web3.provider.make_request("evm_setNextBlockTimestamp", [now + 1])
    with reverts_with("PurposeExpiryInvalid", now + 1, now + 1):
        earmarks.createPurpose(NAME, now + 1, REASON, {"from": budget})
    brownie.web3.provider.make_request("evm_setNextBlockTimestamp", [now + 2])
    with reverts_with("PurposeExpiryInvalid", 2**48, now + 2):
        earmarks.createPurpose(NAME, 2**48, REASON, {"from": budget})


def test_recipients_are_approved_and_removed_by_the_funder_with_a_reason(
    earmarks: Any, purpose: int, budget: Any, outsider: Any, carol: Any
) -> None:
    with reverts_with("CallerNotFunder", purpose, outsider):
        earmarks.approveRecipient(purpose, carol, FINAL, REASON, {"from": outsider})
    tx = earmarks.approveRecipient(purpose, carol, FINAL, REASON, {"from": budget})
    assert dict(tx.events["RecipientApproved"]) == {
        "id": purpose,
        "recipient": carol,
        "kind": FINAL,
        "actor": budget,
        "reason": REASON,
    }
    assert earmarks.recipientKind(purpose, carol) == FINAL
    earmarks.approveRecipient(purpose, carol, INTERMEDIATE, REASON, {"from": budget})  # a new kind
    assert earmarks.recipientKind(purpose, carol) == INTERMEDIATE
    tx = earmarks.removeRecipient(purpose, carol, OTHER_REASON, {"from": budget})
    assert dict(tx.events["RecipientRemoved"]) == {
        "id": purpose,
        "recipient": carol,
        "actor": budget,
        "reason": OTHER_REASON,
    }
    assert earmarks.recipientKind(purpose, carol) == 0
    with reverts_with("RecipientNotApproved", purpose, carol):
        earmarks.removeRecipient(purpose, carol, REASON, {"from": budget})
    for bad, kind in ((carol, 0), (ZERO, FINAL), (earmarks, INTERMEDIATE)):
        with reverts_with("RecipientInvalid", purpose, bad):
            earmarks.approveRecipient(purpose, bad, kind, REASON, {"from": budget})
    with reverts_with("PurposeUnknown", 99):
        earmarks.approveRecipient(99, carol, FINAL, REASON, {"from": budget})


def test_deposits_and_withdrawals_move_dkzt_between_the_funder_and_the_pool(
    earmarks: Any, purpose: int, budget: Any, token: Any
) -> None:
    before = token.balanceOf(budget)
    tx = earmarks.deposit(purpose, 1_000, {"from": budget})
    assert dict(tx.events["Deposited"]) == {"id": purpose, "funder": budget, "amount": 1_000}
    assert token.balanceOf(budget) == before - 1_000
    assert token.balanceOf(earmarks) == 501_000 == facts(earmarks, purpose)[5] == earmarks.returnable(purpose)
    tx = earmarks.withdraw(purpose, 501_000, OTHER_REASON, {"from": budget})
    assert dict(tx.events["Withdrawn"]) == {
        "id": purpose,
        "funder": budget,
        "amount": 501_000,
        "reason": OTHER_REASON,
    }
    assert token.balanceOf(earmarks) == 0 and token.balanceOf(budget) == before + 500_000
    with reverts_with("EarmarkInsufficient", purpose, budget, 0, 1):
        earmarks.withdraw(purpose, 1, REASON, {"from": budget})
    for call in (earmarks.deposit, earmarks.withdraw):
        args = (purpose, 0, REASON) if call == earmarks.withdraw else (purpose, 0)
        with reverts_with("EarmarkAmountZero"):
            call(*args, {"from": budget})


def test_the_mark_follows_the_money_down_the_chain_and_drops_at_a_final_recipient(
    earmarks: Any, purpose: int, budget: Any, contractor: Any, subcontractor: Any, supplier: Any, token: Any
) -> None:
    line = "0x" + b"Budget line 7/1".ljust(32, b"\0").hex()
    tx = earmarks.earmark(purpose, contractor, 300_000, line, {"from": budget})
    assert dict(tx.events["EarmarkPaid"]) == {
        "id": purpose,
        "from": budget,
        "to": contractor,
        "amount": 300_000,
        "released": False,
        "disbursement": line,
    }
    assert "Transfer" not in tx.events  # the money stays in the contract, marked
    assert earmarks.balanceOf(purpose, contractor) == 300_000 and token.balanceOf(contractor) == 0
    earmarks.pay(purpose, subcontractor, 120_000, {"from": contractor})
    tx = earmarks.pay(purpose, supplier, 100_000, {"from": subcontractor})
    assert tx.events["EarmarkPaid"]["released"] is True
    assert dict(tx.events["Transfer"]) == {"from": earmarks, "to": supplier, "value": 100_000}
    assert token.balanceOf(supplier) == 100_000  # plain DKZT: the supplier spends it as any other
    token.transfer(contractor, 1, {"from": supplier})
    assert [earmarks.balanceOf(purpose, a) for a in (contractor, subcontractor, supplier)] == [
        180_000,
        20_000,
        0,
    ]
    record = facts(earmarks, purpose)
    assert (record[5], record[6]) == (200_000, 400_000)  # pool, outstanding
    assert token.balanceOf(earmarks) == record[6]
    # A disbursement pays once.
    with reverts_with("DisbursementUsed", budget, line):
        earmarks.earmark(purpose, contractor, 1, line, {"from": budget})
    assert earmarks.disbursementUsed(budget, line)
    # Without an id, as often as asked; to a final recipient, paid out at once.
    tx = earmarks.earmark(purpose, supplier, 5_000, "0x" + "00" * 32, {"from": budget})
    assert tx.events["EarmarkPaid"]["released"] and token.balanceOf(supplier) == 99_999 + 5_000


def test_nothing_earmarked_reaches_an_address_that_is_not_approved(
    earmarks: Any, purpose: int, budget: Any, contractor: Any, subcontractor: Any, carol: Any
) -> None:
    with reverts_with("RecipientNotApproved", purpose, carol):
        earmarks.earmark(purpose, carol, 1, "0x" + "00" * 32, {"from": budget})
    earmarks.earmark(purpose, contractor, 10_000, "0x" + "00" * 32, {"from": budget})
    with reverts_with("RecipientNotApproved", purpose, carol):
        earmarks.pay(purpose, carol, 1, {"from": contractor})
    # A removed recipient receives nothing more; what it holds it may still pay on.
    earmarks.pay(purpose, subcontractor, 4_000, {"from": contractor})
    earmarks.removeRecipient(purpose, subcontractor, REASON, {"from": budget})
    with reverts_with("RecipientNotApproved", purpose, subcontractor):
        earmarks.pay(purpose, subcontractor, 1, {"from": contractor})
    earmarks.pay(purpose, contractor, 4_000, {"from": subcontractor})
    assert earmarks.balanceOf(purpose, contractor) == 10_000


def test_only_what_is_there_is_paid(
    earmarks: Any, purpose: int, budget: Any, contractor: Any, subcontractor: Any, outsider: Any
) -> None:
    earmarks.earmark(purpose, contractor, 10_000, "0x" + "00" * 32, {"from": budget})
    with reverts_with("EarmarkInsufficient", purpose, contractor, 10_000, 10_001):
        earmarks.pay(purpose, subcontractor, 10_001, {"from": contractor})
    with reverts_with("EarmarkInsufficient", purpose, budget, 490_000, 490_001):
        earmarks.earmark(purpose, contractor, 490_001, "0x" + "00" * 32, {"from": budget})
    with reverts_with("EarmarkAmountZero"):
        earmarks.pay(purpose, subcontractor, 0, {"from": contractor})
    with reverts_with("EarmarkAmountZero"):
        earmarks.earmark(purpose, contractor, 0, "0x" + "00" * 32, {"from": budget})
    with reverts_with("CallerNotFunder", purpose, outsider):
        earmarks.earmark(purpose, contractor, 1, "0x" + "00" * 32, {"from": outsider})
    with reverts_with("PurposeUnknown", 0):
        earmarks.pay(0, subcontractor, 1, {"from": contractor})


def test_at_the_expiry_the_unspent_is_the_funders_and_anyone_returns_it(
    earmarks: Any,
    purpose: int,
    budget: Any,
    contractor: Any,
    subcontractor: Any,
    supplier: Any,
    outsider: Any,
    token: Any,
) -> None:
    earmarks.earmark(purpose, contractor, 300_000, "0x" + "00" * 32, {"from": budget})
    earmarks.pay(purpose, subcontractor, 50_000, {"from": contractor})
    earmarks.pay(purpose, supplier, 20_000, {"from": subcontractor})
    with reverts_with("PurposeNotExpired", purpose, facts(earmarks, purpose)[1]):
        earmarks.close(purpose, {"from": outsider})
    assert earmarks.returnable(purpose) == 200_000  # before the expiry: the pool only
    ends = facts(earmarks, purpose)[1]
    move_to(ends)
    # From the expiry on, the views show the unspent amount as the funder's, with no transaction.
    assert earmarks.balanceOf(purpose, contractor) == earmarks.balanceOf(purpose, subcontractor) == 0
    assert earmarks.returnable(purpose) == 480_000
    for call, args in (
        (earmarks.pay, (purpose, supplier, 1)),
        (earmarks.earmark, (purpose, supplier, 1, "0x" + "00" * 32)),
        (earmarks.deposit, (purpose, 1)),
        (earmarks.withdraw, (purpose, 1, REASON)),
        (earmarks.approveRecipient, (purpose, outsider, FINAL, REASON)),
    ):
        with reverts_with("PurposeExpired", purpose, ends):
            call(*args, {"from": contractor if call == earmarks.pay else budget})
    before = token.balanceOf(budget)
    tx = earmarks.close(purpose, {"from": outsider})
    assert tx.return_value == 480_000
    assert dict(tx.events["PurposeClosed"]) == {
        "id": purpose,
        "funder": budget,
        "amount": 480_000,
        "actor": outsider,
    }
    assert token.balanceOf(budget) == before + 480_000 and token.balanceOf(earmarks) == 0
    assert facts(earmarks, purpose)[2:] == (True, NAME, REASON, 0, 0)
    assert earmarks.returnable(purpose) == 0
    with reverts_with("PurposeClosedAlready", purpose):
        earmarks.close(purpose, {"from": outsider})


def test_an_empty_purpose_closes_with_nothing_to_return(earmarks: Any, budget: Any, outsider: Any) -> None:
    number = earmarks.createPurpose(NAME, chain_now() + DAY, REASON, {"from": budget}).return_value
    move_to(chain_now() + DAY)
    tx = earmarks.close(number, {"from": outsider})
    assert int(tx.return_value) == 0 and "Transfer" not in tx.events


def test_the_tokens_controls_reach_earmarked_money(
    earmarks: Any,
    purpose: int,
    budget: Any,
    contractor: Any,
    subcontractor: Any,
    supplier: Any,
    token: Any,
    freezer: Any,
    blocklister: Any,
    pauser: Any,
) -> None:
    earmarks.earmark(purpose, contractor, 10_000, "0x" + "00" * 32, {"from": budget})
    token.freeze(contractor, expiry(), REASON, {"from": freezer})
    with reverts_with("AccountFrozen", contractor):
        earmarks.pay(purpose, subcontractor, 1, {"from": contractor})
    token.unfreeze(contractor, REASON, {"from": freezer})
    token.blockAccount(subcontractor, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", subcontractor):
        earmarks.pay(purpose, subcontractor, 1, {"from": contractor})
    with reverts_with("AccountBlocked", subcontractor):
        earmarks.earmark(purpose, subcontractor, 1, "0x" + "00" * 32, {"from": budget})
    token.unblockAccount(subcontractor, REASON, {"from": blocklister})
    token.pause(REASON, {"from": pauser})
    with reverts_with("EnforcedPause"):
        earmarks.pay(purpose, supplier, 1, {"from": contractor})
    token.unpause(REASON, {"from": pauser})
    earmarks.pay(purpose, supplier, 1, {"from": contractor})


def test_a_funder_whose_role_is_revoked_manages_nothing_more(
    earmarks: Any, purpose: int, budget: Any, admin: Any, token: Any, supplier: Any, outsider: Any
) -> None:
    """Found by the outside audit: a revoked budget holder's key kept full control of its purposes."""
    token.revokeRole(earmarks.BUDGET_HOLDER_ROLE(), budget, {"from": admin})
    role = earmarks.BUDGET_HOLDER_ROLE()
    for call, args in (
        (earmarks.approveRecipient, (purpose, outsider, FINAL, REASON)),
        (earmarks.earmark, (purpose, supplier, 1, "0x" + "00" * 32)),
        (earmarks.withdraw, (purpose, 1, REASON)),
        (earmarks.deposit, (purpose, 1)),
        (earmarks.removeRecipient, (purpose, supplier, REASON)),
    ):
        with reverts_with("AccessControlUnauthorizedAccount", budget, role):
            call(*args, {"from": budget})


def test_the_funder_is_no_recipient_of_its_own_purpose(earmarks: Any, purpose: int, budget: Any) -> None:
    """Found by the outside audit: approved as final, the funder paid itself out with no reason."""
    with reverts_with("RecipientInvalid", purpose, budget):
        earmarks.approveRecipient(purpose, budget, FINAL, REASON, {"from": budget})


def test_a_release_falls_through_only_to_an_approved_linked_account(
    earmarks: Any,
    purpose: int,
    budget: Any,
    supplier: Any,
    outsider: Any,
    subcontractor: Any,
    token: Any,
    admin: Any,
    kyc: Any,
    minter: Any,
) -> None:
    """Found by the outside audit: at its holding limit, a final recipient's linked account received
    the excess of a release, though nobody approved it for the purpose."""
    token.setPolicyEnabled(True, REASON, {"from": admin})
    token.setTier(earmarks, 3, REASON, {"from": kyc})
    token.setTierLimits(4, 10_000, 2**256 - 1, REASON, {"from": admin})
    token.setTier(supplier, 4, REASON, {"from": kyc})
    token.mint(supplier, 9_900, {"from": minter})  # room for 100
    token.setLinkedAccount(supplier, outsider, REASON, {"from": kyc})
    token.acceptLinkedAccount(outsider, {"from": supplier})
    with reverts_with("RecipientNotApproved", purpose, outsider):
        earmarks.earmark(purpose, supplier, 1_000, "0x" + "00" * 32, {"from": budget})
    earmarks.earmark(purpose, supplier, 100, "0x" + "00" * 32, {"from": budget})  # within its room
    assert token.balanceOf(supplier) == 10_000 and token.balanceOf(outsider) == 0
    # Linked to an approved recipient, the excess goes on as the waterfall sends it.
    token.setLinkedAccount(supplier, subcontractor, REASON, {"from": kyc})
    token.acceptLinkedAccount(subcontractor, {"from": supplier})
    tx = earmarks.earmark(purpose, supplier, 1_000, "0x" + "00" * 32, {"from": budget})
    assert dict(tx.events["Waterfall"]) == {"account": supplier, "linked": subcontractor, "amount": 1_000}


def test_a_blocked_earmark_contract_moves_no_mark(
    earmarks: Any,
    purpose: int,
    budget: Any,
    contractor: Any,
    subcontractor: Any,
    token: Any,
    blocklister: Any,
) -> None:
    """Found by the outside audit: blocked on the token, the contract still carried marks between holders."""
    earmarks.earmark(purpose, contractor, 1_000, "0x" + "00" * 32, {"from": budget})
    token.blockAccount(earmarks, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", earmarks):
        earmarks.pay(purpose, subcontractor, 1, {"from": contractor})
