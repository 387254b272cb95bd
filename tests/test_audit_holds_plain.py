"""Outside audit of core v2 (2026-12): attacks that FAILED, wallet policy off (as tests/conftest.py
leaves it). Each `test_holds_...` passes because the promise held."""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from brownie import ERC20Mock
from conftest import (
    OTHER_REASON,
    REASON,
    UINT256_MAX,
    chain_now,
    expiry,
    move_to,
    new_nonce,
    reverts_with,
    seize,
    sign_authorization,
    upgrade_after_notice,
)
from eth_utils.crypto import keccak

from scripts.deploy import deploy_token

DAY = 86_400
T0_MAX, T0_OUT = 100_000_00, 50_000_00
LEDGER_MAX = 2**96 - 1  # a stored limit's widest value, "no limit"
SUPPLY_MAX = 2**80 - 1  # the ledger's ceiling for the supply (and the cap)
REF = "0x" + "ab" * 32
ZERO = brownie.ZERO_ADDRESS

WALLET_SOURCE = """
// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
interface IToken {
    function transfer(address to, uint256 amount) external returns (bool);
    function approve(address spender, uint256 amount) external returns (bool);
}
/// An ERC-1271 wallet that approves every signature and, while doing so, tries to move the token.
contract ReenteringWallet {
    address public token;
    address public target;
    bool public tried;
    constructor(address token_) { token = token_; }
    function arm(address target_) external { target = target_; }
    function execute(address to, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory out) = to.call(data);
        require(ok, "call failed");
        return out;
    }
    function isValidSignature(bytes32, bytes calldata) external returns (bytes4) {
        if (target != address(0)) {
            // Under the token's staticcall any state change reverts; swallow it and still approve.
            try IToken(token).transfer(target, 1) returns (bool) { tried = true; } catch {}
            try IToken(token).approve(target, type(uint256).max) returns (bool) { tried = true; } catch {}
        }
        return 0x1626ba7e;
    }
}
"""


LEDGER = 0x167143318E371C4113B17B8F0CCAE6B042F69EEDEC9DD01D144A09E5DD0FCC00  # tenge.storage.Ledger


def account_slot(account: Any) -> int:
    """Where the ledger word of `account` lives (the accounts mapping is at the namespace + 1)."""
    key = bytes.fromhex(account.address[2:].rjust(64, "0")) + (LEDGER + 1).to_bytes(32, "big")
    return int.from_bytes(brownie.web3.keccak(key), "big")


def raw_at(token: Any, slot: int) -> int:
    return int.from_bytes(brownie.web3.eth.get_storage_at(token.address, slot), "big")


def raw(token: Any, account: Any) -> int:
    """The packed ledger word of `account`."""
    return raw_at(token, account_slot(account))


def set_word(token: Any, slot: int, value: int) -> None:
    """Writes a storage word of the token (Anvil's anvil_setStorageAt)."""
    response = brownie.web3.provider.make_request(
        "anvil_setStorageAt", [token.address, hex(slot), "0x" + value.to_bytes(32, "big").hex()]
    )
    assert "error" not in response, response


def flags(token: Any, account: Any) -> tuple[int, int]:
    """Everything in the word but the balance and the outflow day/amount: blocked, frozen, held, tier."""
    word = raw(token, account)
    return (word >> 96) & ((1 << 32) - 1), word >> 128


@pytest.fixture(scope="module")
def world(
    controller: Any,
    policy_token: Any,
    minter: Any,
    minter_admin: Any,
    kyc: Any,
    alice: Any,
    bob: Any,
    carol: Any,
) -> Any:
    """Policy on, default tiers. alice (tier 0) holds 90,000 KZT; bob (tier 0) is at his limit and is
    linked to carol (tier 1); the minter is a system account."""
    token = policy_token
    controller.configureMinter(token, minter, 10_000_000_000, REASON, {"from": minter_admin})
    token.setTier(minter, 3, REASON, {"from": kyc})
    token.setTier(carol, 1, REASON, {"from": kyc})
    token.mint(alice, 90_000_00, {"from": minter})
    token.mint(bob, T0_MAX, {"from": minter})
    token.setLinkedAccount(bob, carol, REASON, {"from": kyc})
    token.acceptLinkedAccount(carol, {"from": bob})
    return token


@pytest.fixture(scope="module")
def wallet(token: Any, admin: Any) -> Any:
    project = brownie.compile_source(WALLET_SOURCE, evm_version="shanghai")
    return project.ReenteringWallet.deploy(token, {"from": admin})


@pytest.fixture(scope="module")
def proxied(
    admin: Any,
    upgrader: Any,
    freezer: Any,
    minter_admin: Any,
    minter: Any,
    alice: Any,
    bob: Any,
) -> Any:
    """A token behind its real proxy even under `--coverage` (the suite's `token` runs without one there):
    the upgrade is the proxy's own function."""
    token = deploy_token(admin, admin_delay=86400)
    for role, holder in [
        ("UPGRADER_ROLE", upgrader),
        ("FREEZER_ROLE", freezer),
        ("MINTER_ADMIN_ROLE", minter_admin),
    ]:
        token.grantRole(getattr(token, role)(), holder, {"from": admin})
    token.setPolicyEnabled(False, REASON, {"from": admin})
    token._controller.configureMinter(token, minter, 1_000_000, REASON, {"from": minter_admin})
    token.mint(alice, 100_000, {"from": minter})
    token.mint(bob, 50_000, {"from": minter})
    return token


def signed_transfer(
    token: Any, signer: Any, to: Any, value: int, kind: str = "TransferWithAuthorization"
) -> tuple[Any, ...]:
    before = chain_now() + 3600
    nonce = new_nonce()
    v, r, s = sign_authorization(token, kind, signer, to, value, 0, before, nonce)
    return (signer, to, value, 0, before, nonce, v, r, s)


def test_holds_multicall_cannot_reach_the_proxy_upgrade_without_the_role(
    proxied: Any, outsider: Any, upgrader: Any
) -> None:
    token = proxied
    implementation = token._implementation
    call = token.upgradeToAndCall.encode_input(implementation, b"")
    with reverts_with("AccessControlUnauthorizedAccount", outsider, token.UPGRADER_ROLE()):
        token.multicall([call], {"from": outsider})
    # With the role, through multicall, the proxy's own upgrade is reached (msg.sender is kept), and asks
    # for its notice as a direct call would: announced in the same batch, it is not ready yet.
    announce = token.announceUpgrade.encode_input(implementation, keccak(b""), REASON)
    with brownie.reverts(revert_pattern=r"UpgradeNotReady: \d+"):
        token.multicall([announce, call], {"from": upgrader})
    upgrade_after_notice(token, implementation, b"", upgrader)  # announced, waited for: nothing new
    assert token.version() == "1"


def test_holds_upgrade_cannot_reinitialize_or_reach_an_eoa(
    proxied: Any, upgrader: Any, outsider: Any
) -> None:
    token = proxied
    implementation, initializer = token._implementation, token._initializer
    init = initializer.initialize.encode_input(outsider, 0)
    # The set-up is no implementation (it answers no proxiableUUID), and the token has no `initialize`.
    with reverts_with("ERC1967InvalidImplementation", initializer):
        token.announceUpgrade(initializer, keccak(hexstr=init), REASON, {"from": upgrader})
    with reverts_with("FailedCall"):
        upgrade_after_notice(token, implementation, init, upgrader)
    with reverts_with("ERC1967InvalidImplementation", outsider):
        token.announceUpgrade(outsider, keccak(b""), REASON, {"from": upgrader})
    token.announceUpgrade(implementation, keccak(b""), REASON, {"from": upgrader})
    move_to(chain_now() + int(token.defaultAdminDelay()))
    with reverts_with("ERC1967NonPayable"):
        token.upgradeToAndCall(implementation, b"", {"from": upgrader, "value": 1})
    assert not token.hasRole(token.DEFAULT_ADMIN_ROLE(), outsider)


def test_holds_upgrade_keeps_the_ledger_words(
    proxied: Any, upgrader: Any, freezer: Any, alice: Any, bob: Any
) -> None:
    token = proxied
    token.placeHold(alice, 7, expiry(), REASON, {"from": freezer})
    token.freeze(bob, expiry(), REASON, {"from": freezer})
    words = (raw(token, alice), raw(token, bob))
    v2 = brownie.DigitalTengeV2Mock.deploy(
        token.mintController(), token.seizureController(), {"from": upgrader}
    )
    upgrade_after_notice(token, v2, v2.initializeV2.encode_input(42), upgrader)
    assert (raw(token, alice), raw(token, bob)) == words
    with reverts_with("AccountFrozen", bob):
        token.transfer(alice, 1, {"from": bob})


def test_holds_erc1271_wallet_cannot_move_value_while_its_signature_is_checked(
    token: Any, wallet: Any, minter: Any, alice: Any, bob: Any
) -> None:
    token.mint(wallet, 10_000, {"from": minter})
    wallet.arm(alice, {"from": alice})
    bob_before, alice_before = token.balanceOf(bob), token.balanceOf(alice)
    deadline = chain_now() + 3600
    token.permit["address,address,uint256,uint256,bytes"](
        wallet, bob, 5_000, deadline, b"\x01", {"from": bob}
    )
    before = chain_now() + 3600
    token.transferWithAuthorization["address,address,uint256,uint256,uint256,bytes32,bytes"](
        wallet, bob, 1_000, 0, before, new_nonce(), b"\x01", {"from": bob}
    )
    assert token.balanceOf(wallet) == 9_000
    assert (token.balanceOf(bob) - bob_before, token.balanceOf(alice) - alice_before) == (1_000, 0)
    assert token.allowance(wallet, alice) == 0 and token.allowance(wallet, bob) == 5_000
    assert wallet.tried() is False


def test_holds_erc1271_wallet_that_is_frozen_cannot_permit_or_sign_transfers(
    token: Any, wallet: Any, minter: Any, freezer: Any, bob: Any
) -> None:
    token.mint(wallet, 10_000, {"from": minter})
    token.freeze(wallet, expiry(), REASON, {"from": freezer})
    deadline = chain_now() + 3600
    with reverts_with("AccountFrozen", wallet):
        token.permit["address,address,uint256,uint256,bytes"](
            wallet, bob, 5_000, deadline, b"", {"from": bob}
        )
    with reverts_with("AccountFrozen", wallet):
        token.transferWithAuthorization["address,address,uint256,uint256,uint256,bytes32,bytes"](
            wallet, bob, 1, 0, deadline, new_nonce(), b"", {"from": bob}
        )


def test_holds_pause_stops_every_path_but_seizure(
    funded: Any,
    pauser: Any,
    freezer: Any,
    proposer: Any,
    approver: Any,
    minter: Any,
    alice: Any,
    bob: Any,
    outsider: Any,
    signer: Any,
) -> None:
    token = funded
    token.approve(outsider, UINT256_MAX, {"from": alice})
    token.mint(minter, 1_000, {"from": minter})
    token.pause(REASON, {"from": pauser})
    for call in (
        lambda: token.transfer(bob, 1, {"from": alice}),
        lambda: token.transferWithReference(bob, 1, REF, {"from": alice}),
        lambda: token.transferFrom(alice, bob, 1, {"from": outsider}),
        lambda: token.transferFromWithReference(alice, bob, 1, REF, {"from": outsider}),
        lambda: token.transferWithAuthorization(*signed_transfer(token, signer, bob, 1), {"from": outsider}),
        lambda: token.receiveWithAuthorization(
            *signed_transfer(token, signer, bob, 1, "ReceiveWithAuthorization"), {"from": bob}
        ),
        lambda: token.mint(bob, 1, {"from": minter}),
        lambda: token.burn(1, {"from": minter}),
        lambda: token.multicall([token.transfer.encode_input(bob, 1)], {"from": alice}),
        lambda: token.transfer(alice, 1, {"from": alice}),
    ):
        with reverts_with("EnforcedPause"):
            call()  # type: ignore[no-untyped-call]  # lambdas in a tuple literal
    assert token.availableToSend(alice) == 0 and token.availableToReceive(bob) == 0
    token.freeze(alice, expiry(), REASON, {"from": freezer})
    token.placeHold(alice, 1, expiry(), REASON, {"from": freezer})
    bob_before = token.balanceOf(bob)
    seize(token, proposer, approver, alice, bob, 1)  # the one documented bypass
    assert token.balanceOf(bob) == bob_before + 1


def test_holds_refilling_minter_is_bounded_by_capacity_plus_refill(
    controller: Any, token: Any, minter_admin: Any, carol: Any, bob: Any
) -> None:
    controller.configureMinterWithRefill(token, carol, 1_000, 1_000, 10, REASON, {"from": minter_admin})
    token.mint(bob, 1_000, {"from": carol})
    start = chain_now()
    move_to(start + 50)
    assert controller.minterAllowance(token, carol) <= 510  # 50 s at 10 tiyn/s, at most a second more
    # The mint runs a block or two after the read: its allowance is 500 to 520, never 521.
    with brownie.reverts(revert_pattern=r"MinterAllowanceExceeded: .*, 5[0-2]\d, 521"):
        token.mint(bob, 521, {"from": carol})
    move_to(start + 10_000)
    assert controller.minterAllowance(token, carol) == 1_000  # never above capacity
    # Reconfigure to no refill: the old refill does not linger.
    controller.configureMinter(token, carol, 5, REASON, {"from": minter_admin})
    move_to(chain_now() + 1_000)
    assert controller.minterAllowance(token, carol) == 5


@pytest.mark.parametrize("route", ["removeMinter", "renounceMinter"])
def test_holds_no_minting_without_the_controllers_record(
    controller: Any, token: Any, admin: Any, minter_admin: Any, minter: Any, bob: Any, route: str
) -> None:
    role = controller.MINTER_ROLE()
    if route == "removeMinter":
        controller.removeMinter(token, minter, REASON, {"from": minter_admin})
    else:
        controller.renounceMinter(token, {"from": minter})
    with reverts_with("AccessControlUnauthorizedAccount", minter, role):
        token.mint(bob, 1, {"from": minter})
    # MINTER_ROLE in the token's AccessControl is no way back in: only the controller makes minters.
    token.grantRole(role, minter, {"from": admin})
    with reverts_with("AccessControlUnauthorizedAccount", minter, role):
        token.mint(bob, 1, {"from": minter})
    with reverts_with("AccessControlUnauthorizedAccount", bob, token.MINTER_ADMIN_ROLE()):
        controller.configureMinter(token, bob, 1, REASON, {"from": bob})


def test_holds_supply_at_the_ledger_ceiling_keeps_every_flag(
    controller: Any,
    token: Any,
    admin: Any,
    minter_admin: Any,
    minter: Any,
    freezer: Any,
    kyc: Any,
    blocklister: Any,
    alice: Any,
    bob: Any,
    carol: Any,
) -> None:
    # The ledger brought to 10 tiyn under its ceiling by writing its words (256 mints of 2**88 - 1 would
    # trace gigabytes under coverage), then minted to the ceiling through the token.
    token.grantRole(token.MINTER_ADMIN_ROLE(), minter_admin, {"from": admin})
    token.placeHold(alice, 12_345, expiry(), REASON, {"from": freezer})
    token.freeze(alice, expiry(), REASON, {"from": freezer})
    token.setTier(alice, 3, REASON, {"from": kyc})
    alice_flags = flags(token, alice)
    alice_before = token.balanceOf(alice)
    grown = SUPPLY_MAX - 10 - token.totalSupply()
    set_word(token, LEDGER, raw_at(token, LEDGER) + (grown << 16))  # total supply: bits 16-95
    set_word(token, account_slot(alice), raw(token, alice) + grown)  # balance: bits 0-95
    # The minter admin is no minter (separation of duties, issue 14): the minter mints the last 10.
    controller.configureMinter(token, minter, 10, REASON, {"from": minter_admin})
    token.mint(alice, 10, {"from": minter})
    assert token.totalSupply() == SUPPLY_MAX
    assert token.balanceOf(alice) == alice_before + grown + 10
    assert flags(token, alice) == alice_flags
    controller.configureMinter(token, minter, 1, REASON, {"from": minter_admin})
    with reverts_with("SupplyCapExceeded", SUPPLY_MAX + 1, UINT256_MAX):
        token.mint(bob, 1, {"from": minter})
    # Move the whole ledger into an account with flags: its flags survive (alice frozen, so unfreeze).
    token.unfreeze(alice, REASON, {"from": freezer})
    token.setTier(bob, 3, REASON, {"from": kyc})
    token.placeHold(bob, 1, expiry(), OTHER_REASON, {"from": freezer})
    token.freeze(bob, expiry(), OTHER_REASON, {"from": freezer})
    bob_flags = flags(token, bob)
    moved = token.balanceOf(alice) - 12_345
    bob_before = token.balanceOf(bob)
    token.transfer(bob, moved, {"from": alice})
    assert flags(token, bob) == bob_flags and token.balanceOf(bob) == bob_before + moved
    assert token.isFrozen(bob) and not token.isBlocked(bob) and token.tierOf(bob) == 3
    assert token.supplyCap() == UINT256_MAX
    with reverts_with("SupplyCapBelowSupply", SUPPLY_MAX - 1, SUPPLY_MAX):
        token.setSupplyCap(SUPPLY_MAX - 1, REASON, {"from": admin})


def test_holds_limits_cannot_reach_the_no_limit_marker(token: Any, admin: Any) -> None:
    for bad in (LEDGER_MAX, 2**96, UINT256_MAX - 1):
        with reverts_with("TierLimitOutOfRange", bad):
            token.setTierLimits(4, bad, 1, REASON, {"from": admin})
        with reverts_with("TierLimitOutOfRange", bad):
            token.setTierLimits(4, 1, bad, REASON, {"from": admin})
    token.setTierLimits(4, LEDGER_MAX - 1, LEDGER_MAX - 1, REASON, {"from": admin})
    assert tuple(token.tierLimits(4)) == (LEDGER_MAX - 1, LEDGER_MAX - 1)


def test_holds_plain_erc20_edges_match_openzeppelin(
    funded: Any, admin: Any, alice: Any, bob: Any, outsider: Any
) -> None:
    token = funded
    oz = ERC20Mock.deploy({"from": admin})
    oz.mint(alice, 100_000, {"from": admin})
    oz.mint(bob, 50_000, {"from": admin})

    def outcome(contract: Any, fn: str, args: tuple[Any, ...], sender: Any) -> Any:
        try:
            returned = getattr(contract, fn).call(*args, {"from": sender})
            tx = getattr(contract, fn)(*args, {"from": sender})
        except brownie.exceptions.VirtualMachineError as err:
            return ("revert", err.revert_msg.replace(str(contract.address).lower(), "TOKEN"))
        events = [(e.name, {k: str(v) for k, v in e.items()}) for e in tx.events]
        return ("ok", returned, events)

    cases = [
        ("transfer", (bob, 100_001), alice),
        ("transfer", (ZERO, 1), alice),
        ("transfer", (alice, 100_000), alice),
        ("transfer", (alice, 100_001), alice),
        ("transfer", (bob, 0), outsider),
        ("approve", (ZERO, 1), alice),
        ("approve", (outsider, UINT256_MAX), alice),
        ("transferFrom", (alice, bob, 1), outsider),
        ("transferFrom", (alice, ZERO, 1), outsider),
        ("transferFrom", (bob, alice, 1), outsider),
        ("transferFrom", (bob, alice, 0), outsider),
        ("transferFrom", (ZERO, alice, 0), outsider),
        ("transferFrom", (alice, alice, 100_000), outsider),
        ("approve", (outsider, 5), alice),
        ("transferFrom", (alice, bob, 6), outsider),
        ("transferFrom", (alice, bob, 5), outsider),
    ]
    for fn, args, sender in cases:
        assert outcome(token, fn, args, sender) == outcome(oz, fn, args, sender), (fn, args)
    for holder in (alice, bob, outsider):
        assert token.balanceOf(holder) == oz.balanceOf(holder)
        assert token.allowance(alice, holder) == oz.allowance(alice, holder)
