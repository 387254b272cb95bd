"""The library against the token: reads, every write, reverts raised as named exceptions before sending."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import brownie
import pytest
from brownie import DigitalTengeV2Mock, ERC20Mock
from conftest import expiry
from eth_utils.crypto import keccak

from tenge import ContractRevert, DeploymentError, InvalidAddress, InvalidInput, KeyProblem, Tenge
from tenge.reverts import (
    AccessControlUnauthorizedAccount,
    AccountFrozen,
    EnforcedPause,
    ERC20InsufficientBalance,
    ERC2612InvalidSigner,
    ERC3009CallerMustBePayee,
    ERC3009UsedAuthorization,
    HoldNotActive,
)
from tenge.roles import role_id

REASON = "Court order 2-1234/2026"
REASON_HASH = "0x" + keccak(text=REASON).hex()

Connect = Callable[..., Tenge]


def nonce_of(address: str) -> int:
    return int(brownie.web3.eth.get_transaction_count(address))


# --- reads ------------------------------------------------------------------------------------------------


def test_reads(connect: Connect, funded: Any, alice: Any, bob: Any, minter: Any, freezer: Any) -> None:
    tenge = connect()
    assert tenge.balance_of(alice.address) == Decimal("1000.00")
    assert tenge.balance_of(bob.address) == Decimal("500.00")
    assert tenge.total_supply() == Decimal("1500.00")
    assert tenge.supply_cap() is None
    assert tenge.allowance(alice.address, bob.address) == Decimal("0.00")
    assert tenge.minter_allowance(minter.address) == Decimal("1000000.00") - Decimal("1500.00")
    assert tenge.minter_refill(minter.address)[1] == Decimal("0.00")  # a fixed allowance: no refill
    assert tenge.roles_of(freezer.address) == ["FREEZER_ROLE"]
    assert tenge.roles_of(minter.address) == ["MINTER_ROLE"]
    assert tenge.role_members("FREEZER_ROLE") == [freezer.address]
    assert not tenge.is_frozen(alice.address) and not tenge.is_blocked(alice.address)
    assert tenge.frozen_amount(alice.address) == Decimal("0.00")
    assert tenge.paused() is False
    info = tenge.info()
    assert (info.symbol, info.decimals, info.version, info.total_supply) == (
        "DKZT",
        2,
        "1",
        Decimal("1500.00"),
    )


def test_status_of_a_partly_held_account(connect: Connect, funded: Any, alice: Any, freezer: Any) -> None:
    funded.placeHold(alice, 30_000, expiry(), REASON_HASH, {"from": freezer})
    status = connect().status(alice.address)
    assert (status.balance, status.frozen_amount, status.available) == (
        Decimal("1000.00"),
        Decimal("300.00"),
        Decimal("700.00"),
    )


# --- writes: holders --------------------------------------------------------------------------------------


def test_transfer(connect: Connect, funded: Any, alice: Any, bob: Any) -> None:
    receipt = connect("alice").transfer(bob.address, Decimal("12.34")).wait()
    assert receipt.succeeded
    assert funded.balanceOf(alice) == 100_000 - 1234
    assert funded.balanceOf(bob) == 50_000 + 1234
    events = connect().receipt_events(receipt)
    assert [(e.name, e.args["value"]) for e in events] == [("Transfer", 1234)]


def test_approve_then_transfer_from(connect: Connect, funded: Any, alice: Any, bob: Any, carol: Any) -> None:
    connect("alice").approve(bob.address, "25").wait()
    assert connect().allowance(alice.address, bob.address) == Decimal("25.00")
    connect("bob").transfer_from(alice.address, carol.address, "20.5").wait()
    assert funded.balanceOf(carol) == 2050
    assert funded.allowance(alice, bob) == 450


def test_permit_signed_by_holder_submitted_by_relayer(
    connect: Connect, funded: Any, alice: Any, bob: Any
) -> None:
    permit = connect("alice").sign_permit(bob.address, "10")
    connect("carol").permit(permit).wait()
    assert funded.allowance(alice, bob) == 1000
    assert funded.nonces(alice) == 1


def test_a_replayed_permit_says_its_nonce_is_spent(
    connect: Connect, funded: Any, alice: Any, bob: Any
) -> None:
    permit = connect("alice").sign_permit(bob.address, "10")
    connect("carol").permit(permit).wait()
    with pytest.raises(ERC2612InvalidSigner) as refused:
        connect("carol").permit(permit)
    assert str(refused.value).startswith("permit already used: nonce 0 is spent (the owner's next is 1) (")
    assert refused.value.arguments["owner"] == alice.address  # the contract's own facts are kept


def test_transfer_with_authorization_relayed(connect: Connect, funded: Any, alice: Any, bob: Any) -> None:
    authorization = connect("alice").sign_transfer_authorization(bob.address, "5")
    connect("carol").submit_authorization(authorization).wait()
    assert funded.balanceOf(bob) == 50_000 + 500
    assert connect().authorization_state(alice.address, authorization.nonce)


def test_receive_with_authorization_only_by_the_receiver(
    connect: Connect, funded: Any, alice: Any, bob: Any
) -> None:
    authorization = connect("alice").sign_transfer_authorization(bob.address, "3", receive=True)
    with pytest.raises(ERC3009CallerMustBePayee) as refused:
        connect("carol").submit_authorization(authorization)
    carol = connect("carol").signer
    assert refused.value.arguments == {"caller": carol, "payee": bob.address}
    assert str(refused.value).startswith(
        f"only the receiver may submit receiveWithAuthorization: it pays {bob.address}, "
        f"and {carol} submitted it"
    )
    connect("bob").submit_authorization(authorization).wait()
    assert funded.balanceOf(bob) == 50_000 + 300


def test_cancelled_authorization_cannot_be_used(connect: Connect, funded: Any, alice: Any, bob: Any) -> None:
    holder = connect("alice")
    authorization = holder.sign_transfer_authorization(bob.address, "5")
    connect("carol").cancel_authorization(holder.sign_cancel_authorization(authorization.nonce)).wait()
    with pytest.raises(ERC3009UsedAuthorization) as refused:
        connect("carol").submit_authorization(authorization)
    assert refused.value.arguments == {"authorizer": alice.address, "nonce": authorization.nonce}
    assert str(refused.value).startswith(
        f"authorization already used or cancelled: nonce {authorization.nonce} is spent ("
    )


# --- writes: issuance -------------------------------------------------------------------------------------


def test_mint_and_burn(connect: Connect, token: Any, minter: Any, carol: Any) -> None:
    supply_before = token.totalSupply()
    issuer = connect("minter")
    issuer.mint(carol.address, "7.77").wait()
    issuer.mint(minter.address, "2").wait()
    issuer.burn("1.5").wait()
    assert token.balanceOf(carol) == 777
    assert token.balanceOf(minter) == 50
    assert token.totalSupply() == supply_before + 827


def test_configure_and_remove_minter(controller: Any, connect: Connect, token: Any, carol: Any) -> None:
    admin = connect("minter_admin")
    admin.configure_minter(
        carol.address, "100", capacity="500", refill_per_second="0.01", reason="Issuance mandate 2/2026"
    ).wait()
    assert connect().minter_allowance(carol.address) >= Decimal("100.00")
    assert connect().minter_refill(carol.address) == (Decimal("500.00"), Decimal("0.01"))
    assert connect().is_minter(carol.address) and connect().has_role("MINTER_ROLE", carol.address)
    assert carol.address in connect().role_members("MINTER_ROLE")
    admin.remove_minter(carol.address, "Mandate ended").wait()
    assert not controller.isMinter(token, carol)
    assert carol.address not in connect().role_members("MINTER_ROLE")


def test_minters_are_configured_not_granted(connect: Connect, carol: Any) -> None:
    with pytest.raises(InvalidInput, match="configured with its allowance at the mint controller"):
        connect("admin").grant_role("MINTER_ROLE", carol.address, "Board decision 4/2026")


def test_revoking_or_renouncing_minter_role_removes_the_minter(
    controller: Any, connect: Connect, token: Any, minter: Any, carol: Any
) -> None:
    admin = connect("minter_admin")
    admin.configure_minter(carol.address, "1", reason="Issuance mandate 3/2026").wait()
    admin.revoke_role("MINTER_ROLE", carol.address, "Mandate ended").wait()
    assert not controller.isMinter(token, carol)
    receipt = connect("minter").renounce_role("MINTER_ROLE").wait()
    assert [e.name for e in connect().receipt_events(receipt)] == ["MinterRemoved"]
    assert connect().roles_of(minter.address) == []


def test_supply_cap(connect: Connect, funded: Any) -> None:
    connect("admin").set_supply_cap("2000", "Board decision 4/2026").wait()
    assert connect().supply_cap() == Decimal("2000.00")
    connect("admin").set_supply_cap(None, "Board decision 4/2026").wait()
    assert connect().supply_cap() is None


# --- writes: interventions --------------------------------------------------------------------------------


def test_freeze_and_unfreeze(connect: Connect, funded: Any, alice: Any) -> None:
    receipt = connect("freezer").freeze(alice.address, timedelta(days=30), REASON).wait()
    assert funded.isFrozen(alice)
    (event,) = connect().receipt_events(receipt)
    assert (event.name, event.args["reason"]) == ("Frozen", REASON_HASH)
    assert event.args["expiresAt"] == connect().frozen_until(alice.address) == funded.frozenUntil(alice)
    connect("freezer").unfreeze(alice.address, REASON_HASH).wait()
    assert not funded.isFrozen(alice) and connect().frozen_until(alice.address) is None


def test_hold_and_release(connect: Connect, funded: Any, alice: Any) -> None:
    connect("freezer").place_hold(alice.address, "300", timedelta(days=30), REASON).wait()
    connect("freezer").release_hold(alice.address, REASON, "100", "Ruling 2-1300/2026").wait()
    assert funded.frozenAmount(alice) == 20_000
    assert funded.holdOf(alice, REASON_HASH)[0] == 20_000


def test_block_and_unblock(connect: Connect, funded: Any, bob: Any) -> None:
    connect("blocklister").block(bob.address, REASON).wait()
    assert funded.isBlocked(bob)
    connect("blocklister").unblock(bob.address, REASON).wait()
    assert not funded.isBlocked(bob)


def test_seize_to_an_account_and_by_burning(connect: Connect, funded: Any, alice: Any, carol: Any) -> None:
    connect("freezer").place_hold(alice.address, "150", timedelta(days=30), REASON).wait()
    for to, amount in ((carol.address, "100"), (None, "50")):
        proposed = connect("proposer").propose_seizure(alice.address, to, amount, REASON, REASON).wait()
        number = connect().proposed_seizure_id(proposed)
        connect("approver").approve_seizure(number, REASON).wait()
        connect("outsider").execute_seizure(number).wait()  # anyone executes, once the notice (0) passed
    assert funded.balanceOf(carol) == 10_000
    assert funded.balanceOf(alice) == 100_000 - 15_000
    assert funded.totalSupply() == 150_000 - 5_000


def test_pause_and_unpause(connect: Connect, funded: Any, bob: Any) -> None:
    connect("pauser").pause(REASON).wait()
    with pytest.raises(EnforcedPause):
        connect("alice").transfer(bob.address, "1")
    connect("pauser").unpause(REASON).wait()
    connect("alice").transfer(bob.address, "1").wait()


def test_rescue(connect: Connect, token: Any, admin: Any, carol: Any) -> None:
    stray = ERC20Mock.deploy({"from": admin})
    stray.mint(token.address, 12345, {"from": admin})
    connect("rescuer").rescue(stray.address, carol.address, 12345, "Sender's claim 9").wait()
    assert stray.balanceOf(carol) == 12345


def test_multicall_is_all_or_nothing(connect: Connect, funded: Any, alice: Any, bob: Any, carol: Any) -> None:
    holder = connect("alice")
    holder.multicall(
        holder.encode("transfer", bob.address, 100), holder.encode("transfer", carol.address, 200)
    ).wait()
    assert (funded.balanceOf(bob), funded.balanceOf(carol)) == (50_100, 200)
    with pytest.raises(ERC20InsufficientBalance):
        holder.multicall(
            holder.encode("transfer", bob.address, 100), holder.encode("transfer", carol.address, 10**9)
        )


# --- writes: roles, admin, upgrade ------------------------------------------------------------------------


def test_grant_revoke_renounce(connect: Connect, token: Any, carol: Any, pauser: Any) -> None:
    connect("admin").grant_role("BLOCKLISTER_ROLE", carol.address, "Board decision 4/2026").wait()
    assert connect().has_role("BLOCKLISTER", carol.address)
    connect("admin").revoke_role("BLOCKLISTER_ROLE", carol.address, "Board decision 4/2026").wait()
    assert not token.hasRole(role_id("BLOCKLISTER_ROLE"), carol)
    connect("pauser").renounce_role("PAUSER_ROLE").wait()
    assert not token.hasRole(role_id("PAUSER_ROLE"), pauser)


def test_default_admin_handover_and_delay(connect: Connect, token: Any, bob: Any) -> None:
    admin = connect("admin")
    admin.begin_default_admin_transfer(bob.address, "Board decision 4/2026").wait()
    assert token.pendingDefaultAdmin()[0] == bob.address
    admin.cancel_default_admin_transfer("Board decision 4/2026").wait()
    assert token.pendingDefaultAdmin()[0] == "0x" + "0" * 40
    admin.change_default_admin_delay(3600, "Board decision 4/2026").wait()
    assert token.pendingDefaultAdminDelay()[0] == 3600
    admin.rollback_default_admin_delay("Board decision 4/2026").wait()
    assert token.pendingDefaultAdminDelay()[0] == 0


def test_upgrade_and_the_record_no_longer_matches(
    connect: Connect, token: Any, admin: Any, rpc_url: str, record: Any
) -> None:
    v2 = DigitalTengeV2Mock.deploy(token.mintController(), token.seizureController(), {"from": admin})
    data = bytes.fromhex(v2.initializeV2.encode_input(42)[2:])
    upgrader = connect("upgrader")
    upgrader.announce_upgrade(v2.address, data, reason="Release 2").wait()
    pending = upgrader.pending_upgrade()
    assert pending is not None and (pending.implementation, pending.data_hash) == (
        v2.address,
        "0x" + keccak(data).hex(),
    )
    with pytest.raises(ContractRevert, match=f"UpgradeNotReady\\(readyAt={pending.ready_at}\\)"):
        upgrader.upgrade_to_and_call(v2.address, data)
    brownie.chain.sleep(pending.ready_at - brownie.chain[-1].timestamp)
    brownie.chain.mine()
    upgrader.upgrade_to_and_call(v2.address, data).wait()
    assert token.version() == "2" and upgrader.pending_upgrade() is None
    with pytest.raises(DeploymentError, match="upgraded since the record"):
        Tenge.connect(rpc_url, record)


# --- refusals before anything is signed ---------------------------------------------------------------------


def test_revert_named_with_arguments_and_nothing_sent(
    connect: Connect, funded: Any, alice: Any, bob: Any, freezer: Any
) -> None:
    funded.freeze(alice, expiry(), REASON_HASH, {"from": freezer})
    sent_before = nonce_of(alice.address)
    with pytest.raises(AccountFrozen) as refused:
        connect("alice").transfer(bob.address, "1")
    assert str(refused.value) == f"AccountFrozen(account={alice.address})"
    assert refused.value.arguments == {"account": alice.address}
    assert nonce_of(alice.address) == sent_before


def test_missing_role_named_with_the_role(connect: Connect, token: Any, outsider: Any) -> None:
    with pytest.raises(AccessControlUnauthorizedAccount) as refused:
        connect("outsider").mint(outsider.address, "1")
    assert refused.value.arguments == {
        "account": outsider.address,
        "neededRole": "0x" + role_id("MINTER_ROLE").hex(),
    }


def test_insufficient_balance_named_with_the_facts(
    connect: Connect, funded: Any, alice: Any, bob: Any
) -> None:
    with pytest.raises(ERC20InsufficientBalance) as refused:
        connect("alice").transfer(bob.address, "1000.01")
    assert refused.value.arguments == {"sender": alice.address, "balance": 100_000, "needed": 100_001}


def test_seizure_of_an_account_without_a_hold_refused(
    connect: Connect, funded: Any, alice: Any, carol: Any
) -> None:
    with pytest.raises(HoldNotActive) as refused:
        connect("proposer").propose_seizure(alice.address, carol.address, "1", REASON, REASON)
    assert refused.value.arguments == {"account": alice.address, "order": REASON_HASH}


def bad_checksum(address: str) -> str:
    """The address with the case of one letter flipped: a typo that EIP-55 catches."""
    index = next(i for i, c in enumerate(address) if i > 1 and c.isalpha())
    return address[:index] + address[index].swapcase() + address[index + 1 :]


def test_bad_address_refused_before_signing(connect: Connect, funded: Any, alice: Any, bob: Any) -> None:
    sent_before = nonce_of(alice.address)
    with pytest.raises(InvalidAddress, match="zero address"):
        connect("alice").transfer("0x" + "0" * 40, "1")
    with pytest.raises(InvalidAddress, match="bad checksum"):
        connect("alice").transfer(bad_checksum(bob.address), "1")
    assert nonce_of(alice.address) == sent_before


def test_writes_need_a_signer(connect: Connect, funded: Any, bob: Any) -> None:
    with pytest.raises(KeyProblem):
        connect().transfer(bob.address, "1")


def test_failure_after_simulation_is_decoded_from_the_receipt(
    connect: Connect, funded: Any, alice: Any, bob: Any, manual_mining: Callable[[], None]
) -> None:
    holder = connect("alice")
    sender = holder.sender
    data = holder.encode("transfer", bob.address, 100)
    gas = sender.gas.gas_limit(sender.simulate(holder.address, data))
    # The freeze lands first in the same block: the transfer was fine when simulated, fails when mined.
    connect("freezer").freeze(alice.address, timedelta(days=1), REASON)
    tx = sender.sign(holder.address, data, gas=gas, nonce=sender.nonces.next(), fees={"gasPrice": 1})
    sender.broadcast(tx)
    manual_mining()
    with pytest.raises(ContractRevert) as refused:
        sender.wait(tx, timeout=10)
    assert isinstance(refused.value, AccountFrozen)
    assert sender.receipt(tx.hash) is not None
