"""Upgrades only after a public notice (issue 14): announced by UPGRADER_ROLE with the implementation, the
hash of its call and a reason; cancellable by the default admin; run no earlier than the default admin's
delay after the announcement, whoever holds UPGRADER_ROLE and however it got it."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import (
    DigitalTengeV2Mock,
    EvilImplementationMock,
    KillableImplementationMock,
    MetamorphicUpgraderMock,
    accounts,
    web3,
)
from brownie.network.contract import Contract
from conftest import OTHER_REASON, REASON, assert_event, chain_now, move_to, reverts_with
from eth_abi.abi import encode
from eth_account import Account
from eth_utils.crypto import keccak

from scripts.deploy import deploy_token

DELAY = 3 * 24 * 3600  # a live deployment's default-admin delay (tenge.deploy.LIVE_ADMIN_DELAY)
NOTHING = keccak(b"")  # the hash of an upgrade's empty call


@pytest.fixture(scope="module")
def token(admin: Any, upgrader: Any) -> Any:
    """A real proxy (even under --coverage), deployed with a live chain's delay."""
    token = deploy_token(admin, admin_delay=DELAY)
    token.grantRole(token.UPGRADER_ROLE(), upgrader, {"from": admin})
    return token


@pytest.fixture(scope="module")
def v2(token: Any, upgrader: Any) -> Any:
    return DigitalTengeV2Mock.deploy(token.mintController(), token.seizureController(), {"from": upgrader})


def initialize_v2(v2: Any, answer: int = 42) -> tuple[str, bytes]:
    data = v2.initializeV2.encode_input(answer)
    return data, keccak(hexstr=data)


def test_an_unannounced_upgrade_is_refused(token: Any, v2: Any, upgrader: Any) -> None:
    data, data_hash = initialize_v2(v2)
    with reverts_with("UpgradeNotAnnounced", v2, data_hash):
        token.upgradeToAndCall(v2, data, {"from": upgrader})
    assert token.version() == "1"


def test_an_announced_upgrade_waits_the_admin_delay_then_runs(token: Any, v2: Any, upgrader: Any) -> None:
    data, data_hash = initialize_v2(v2)
    announced = token.announceUpgrade(v2, data_hash, REASON, {"from": upgrader})
    ready_at = announced.timestamp + DELAY
    code_hash = web3.keccak(web3.eth.get_code(v2.address))
    assert_event(
        announced,
        "UpgradeAnnounced",
        {
            "implementation": v2,
            "dataHash": data_hash,
            "codeHash": code_hash,
            "readyAt": ready_at,
            "actor": upgrader,
            "reason": REASON,
        },
    )
    pending = (v2.address, "0x" + data_hash.hex(), code_hash.to_0x_hex(), ready_at, REASON)
    assert tuple(token.pendingUpgrade()) == pending
    with reverts_with("UpgradeNotReady", ready_at):
        token.upgradeToAndCall(v2, data, {"from": upgrader})
    move_to(ready_at - 60)  # a minute before its time
    with reverts_with("UpgradeNotReady", ready_at):
        token.upgradeToAndCall(v2, data, {"from": upgrader})
    move_to(ready_at)
    tx = token.upgradeToAndCall(v2, data, {"from": upgrader})
    assert tx.timestamp >= ready_at
    assert_event(tx, "UpgradeExecuted", {"implementation": v2, "actor": upgrader, "reason": REASON})
    assert_event(tx, "Upgraded", {"implementation": v2})
    assert Contract.from_abi("V2", token.address, DigitalTengeV2Mock.abi).answer() == 42
    Contract.from_abi("DigitalTenge", token.address, token.abi)  # brownie decodes the address's events again
    zero = "0x" + "00" * 32
    assert tuple(token.pendingUpgrade()) == ("0x" + "00" * 20, zero, zero, 0, zero)


def test_only_the_announced_implementation_and_call_run(token: Any, v2: Any, upgrader: Any) -> None:
    data, data_hash = initialize_v2(v2, 42)
    token.announceUpgrade(v2, data_hash, REASON, {"from": upgrader})
    move_to(chain_now() + DELAY)
    other_data, other_hash = initialize_v2(v2, 666)
    with reverts_with("UpgradeNotAnnounced", v2, other_hash):
        token.upgradeToAndCall(v2, other_data, {"from": upgrader})
    other = DigitalTengeV2Mock.deploy(token.mintController(), token.seizureController(), {"from": upgrader})
    with reverts_with("UpgradeNotAnnounced", other, data_hash):
        token.upgradeToAndCall(other, data, {"from": upgrader})
    with reverts_with("UpgradeNotAnnounced", v2, NOTHING):
        token.upgradeToAndCall(v2, b"", {"from": upgrader})
    token.upgradeToAndCall(v2, data, {"from": upgrader})


def test_the_admin_cancels_an_announced_upgrade(token: Any, v2: Any, admin: Any, upgrader: Any) -> None:
    data, data_hash = initialize_v2(v2)
    token.announceUpgrade(v2, data_hash, REASON, {"from": upgrader})
    with reverts_with("AccessControlUnauthorizedAccount", upgrader, "0x" + "00" * 32):
        token.cancelUpgrade(OTHER_REASON, {"from": upgrader})
    cancelled = token.cancelUpgrade(OTHER_REASON, {"from": admin})
    assert_event(
        cancelled, "UpgradeCancelled", {"implementation": v2, "actor": admin, "reason": OTHER_REASON}
    )
    move_to(chain_now() + DELAY)
    with reverts_with("UpgradeNotAnnounced", v2, data_hash):
        token.upgradeToAndCall(v2, data, {"from": upgrader})
    with reverts_with("NoUpgradeAnnounced"):
        token.cancelUpgrade(OTHER_REASON, {"from": admin})


def test_a_new_announcement_replaces_the_last_and_restarts_the_clock(
    token: Any, v2: Any, upgrader: Any
) -> None:
    data, data_hash = initialize_v2(v2)
    first = token.announceUpgrade(v2, NOTHING, REASON, {"from": upgrader})
    move_to(first.timestamp + DELAY // 2)
    second = token.announceUpgrade(v2, data_hash, OTHER_REASON, {"from": upgrader})
    move_to(first.timestamp + DELAY)
    with reverts_with("UpgradeNotAnnounced", v2, NOTHING):
        token.upgradeToAndCall(v2, b"", {"from": upgrader})
    with reverts_with("UpgradeNotReady", second.timestamp + DELAY):
        token.upgradeToAndCall(v2, data, {"from": upgrader})


def test_an_upgrade_that_could_seize_the_admin_seat_waits_in_public(
    token: Any, admin: Any, upgrader: Any
) -> None:
    """Issue 14's finding: UPGRADER_ROLE upgraded to code that made it default admin at once, around the
    admin's two-step, delayed handover. Now the same upgrade waits as long as that handover would, in
    public, and the admin cancels it."""
    v2 = DigitalTengeV2Mock.deploy(token.mintController(), token.seizureController(), {"from": upgrader})
    # An implementation whose set-up call grants the caller the admin seat: any code could.
    seize_admin = v2.initializeV2.encode_input(1)
    with reverts_with("UpgradeNotAnnounced", v2, keccak(hexstr=seize_admin)):
        token.upgradeToAndCall(v2, seize_admin, {"from": upgrader})
    announced = token.announceUpgrade(v2, keccak(hexstr=seize_admin), REASON, {"from": upgrader})
    assert announced.events["UpgradeAnnounced"]["readyAt"] == announced.timestamp + token.defaultAdminDelay()
    token.cancelUpgrade(OTHER_REASON, {"from": admin})
    assert token.version() == "1" and token.defaultAdmin() == admin


def test_a_fresh_upgrader_waits_too(token: Any, v2: Any, admin: Any) -> None:
    """The admin grants UPGRADER_ROLE to itself (no delay on grants): its upgrade still needs the notice."""
    token.grantRole(token.UPGRADER_ROLE(), admin, {"from": admin})
    with reverts_with("UpgradeNotAnnounced", v2, NOTHING):
        token.upgradeToAndCall(v2, b"", {"from": admin})
    announced = token.announceUpgrade(v2, NOTHING, REASON, {"from": admin})
    with reverts_with("UpgradeNotReady", announced.timestamp + DELAY):
        token.upgradeToAndCall(v2, b"", {"from": admin})


def test_the_notice_lives_in_its_own_namespace(token: Any, v2: Any, upgrader: Any) -> None:
    """tenge.storage.UpgradeNotice, the proxy's: implementation and readyAt in one word, then the call's
    hash, the reason and the implementation's code hash."""
    announced = token.announceUpgrade(v2, NOTHING, REASON, {"from": upgrader})
    inner = int.from_bytes(keccak(text="tenge.storage.UpgradeNotice"), "big") - 1
    slot = int.from_bytes(keccak(encode(["uint256"], [inner])), "big") & ~0xFF

    def word(n: int) -> int:
        return int.from_bytes(web3.eth.get_storage_at(token.address, slot + n), "big")

    assert word(0) == int(v2.address, 16) | (announced.timestamp + DELAY) << 160
    assert word(1) == int.from_bytes(NOTHING, "big")
    assert word(2) == int(REASON, 16)
    assert word(3) == int.from_bytes(web3.keccak(web3.eth.get_code(v2.address)), "big")


# --- the outside review's attacks (helper audit of the notice, 2026-12-01) ------------------------------


def delegate(authority: Any, target: str, sponsor: Any) -> None:
    """An EIP-7702 (type 4) transaction: `authority` (an EOA key) delegates its code to `target`."""
    nonce = web3.eth.get_transaction_count(authority.address)
    auth = Account.sign_authorization(
        {"chainId": web3.eth.chain_id, "address": target, "nonce": nonce}, authority.key
    )
    tx = {
        "type": 4,
        "chainId": web3.eth.chain_id,
        "nonce": web3.eth.get_transaction_count(sponsor.address),
        "to": sponsor.address,
        "value": 0,
        "data": b"",
        "gas": 100_000,
        "maxFeePerGas": 10**9,
        "maxPriorityFeePerGas": 0,
        "authorizationList": [auth],
    }
    sent = web3.eth.send_raw_transaction(sponsor.sign_transaction(tx).raw_transaction)
    assert web3.eth.wait_for_transaction_receipt(sent).status == 1


def test_an_eip7702_delegated_account_is_never_an_implementation(token: Any, v2: Any, upgrader: Any) -> None:
    """Its code (0xef0100 || target) answers as V2 today, and its key re-points it tomorrow, past any
    notice: refused as it is announced."""
    eoa, sponsor = Account.create(), Account.create()
    accounts[0].transfer(sponsor.address, "1 ether")
    delegate(eoa, v2.address, sponsor)
    assert web3.eth.get_code(eoa.address).hex() == "ef0100" + v2.address[2:].lower()
    with reverts_with("ERC1967InvalidImplementation", eoa.address):
        token.announceUpgrade(eoa.address, NOTHING, REASON, {"from": upgrader})


def test_code_that_changed_at_the_announced_address_is_refused(token: Any, admin: Any, upgrader: Any) -> None:
    """A contract upgrader creates a harmless implementation by CREATE2, announces it and destroys it in one
    transaction (EIP-6780 allows that), then after the notice puts other code at the same address."""
    executor = MetamorphicUpgraderMock.deploy({"from": upgrader})
    token.grantRole(token.UPGRADER_ROLE(), executor, {"from": admin})
    innocent = KillableImplementationMock.deploy({"from": upgrader})
    evil = EvilImplementationMock.deploy({"from": upgrader})
    salt = "0x" + "11" * 32
    address = executor.predict(salt)
    announced = executor.announceEphemeral(token, salt, innocent, NOTHING, REASON, {"from": upgrader})
    assert web3.eth.get_code(address) == b""
    move_to(announced.timestamp + DELAY)
    executor.deploy(salt, evil, {"from": upgrader})
    announced_hash = web3.keccak(web3.eth.get_code(innocent.address))
    evil_hash = web3.keccak(web3.eth.get_code(evil.address))
    with reverts_with("UpgradeCodeChanged", address, announced_hash, evil_hash):
        executor.upgrade(token, address, b"", {"from": upgrader})
    assert token.version() == "1"


def test_a_never_delay_gives_a_notice_that_never_matures_and_nothing_reverts(
    token: Any, v2: Any, admin: Any, upgrader: Any
) -> None:
    """A default-admin delay past uint48's end ("never hand over the seat") saturates the notice's time
    instead of overflowing, which would have blocked every announcement for good."""
    token.changeDefaultAdminDelay(2**48 - 1, {"from": admin})
    move_to(chain_now() + 5 * 86400 + 1)  # OpenZeppelin applies an increase after at most 5 days
    assert token.defaultAdminDelay() == 2**48 - 1
    announced = token.announceUpgrade(v2, NOTHING, REASON, {"from": upgrader})
    assert announced.events["UpgradeAnnounced"]["readyAt"] == 2**48 - 1
    with reverts_with("UpgradeNotReady", 2**48 - 1):
        token.upgradeToAndCall(v2, b"", {"from": upgrader})


def test_code_of_a_delegations_length_is_judged_as_any_code(token: Any, upgrader: Any) -> None:
    """23 bytes that are not an EIP-7702 designator (no 0xef0100 prefix) are plain code: asked for
    proxiableUUID like any other, and refused here because they answer nothing."""
    address = "0x" + "7e" * 20
    response = web3.provider.make_request("anvil_setCode", [address, "0x" + "00" * 23])  # 23 STOPs
    assert "error" not in response, response
    with reverts_with("ERC1967InvalidImplementation", address):
        token.announceUpgrade(address, NOTHING, REASON, {"from": upgrader})
