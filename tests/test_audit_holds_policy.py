"""Outside audit of core v2 (2026-12): attacks that FAILED, wallet policy on. Each `test_holds_...`
passes because the promise held."""

from __future__ import annotations

from typing import Any

import brownie
import pytest
from brownie import accounts
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
)

DAY = 86_400
T0_MAX, T0_OUT = 100_000_00, 50_000_00
LEDGER_MAX = 2**96 - 1  # a stored limit's widest value, "no limit"
SUPPLY_MAX = 2**80 - 1  # the ledger's ceiling for the supply
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


def raw(token: Any, account: Any) -> int:
    """The packed ledger word of `account` (ERC-7201 namespace tenge.storage.Ledger, mapping at +1)."""
    base = 0x167143318E371C4113B17B8F0CCAE6B042F69EEDEC9DD01D144A09E5DD0FCC00
    slot = brownie.web3.keccak(
        bytes.fromhex(account.address[2:].rjust(64, "0")) + (base + 1).to_bytes(32, "big")
    )
    return int.from_bytes(brownie.web3.eth.get_storage_at(token.address, slot), "big")


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


def signed_transfer(
    token: Any, signer: Any, to: Any, value: int, kind: str = "TransferWithAuthorization"
) -> tuple[Any, ...]:
    before = chain_now() + 3600
    nonce = new_nonce()
    v, r, s = sign_authorization(token, kind, signer, to, value, 0, before, nonce)
    return (signer, to, value, 0, before, nonce, v, r, s)


def test_holds_self_transfers_by_every_path_leave_the_word_unchanged(
    world: Any, freezer: Any, kyc: Any, alice: Any, outsider: Any, signer: Any
) -> None:
    world.setTier(signer, 1, REASON, {"from": kyc})
    world.placeHold(signer, 10_000, expiry(), REASON, {"from": freezer})
    world.transfer(outsider, 5_000, {"from": signer})  # some outflow today
    world.approve(outsider, UINT256_MAX, {"from": signer})
    before = raw(world, signer)
    world.transfer(signer, 85_000, {"from": signer})
    world.transferWithReference(signer, 85_000, REF, {"from": signer})
    world.transferFrom(signer, signer, 85_000, {"from": outsider})
    world.transferFromWithReference(signer, signer, 85_000, REF, {"from": outsider})
    world.transferWithAuthorization(*signed_transfer(world, signer, signer, 85_000), {"from": outsider})
    world.receiveWithAuthorization(
        *signed_transfer(world, signer, signer, 85_000, "ReceiveWithAuthorization"), {"from": signer}
    )
    assert raw(world, signer) == before
    with reverts_with("InsufficientUnfrozenBalance", signer, 85_000, 85_001):
        world.transfer(signer, 85_001, {"from": signer})


@pytest.mark.parametrize("restrict", ["freeze", "blockAccount"])
def test_holds_self_transfer_of_a_restricted_account_refused(
    world: Any, freezer: Any, blocklister: Any, alice: Any, restrict: str
) -> None:
    if restrict == "freeze":
        world.freeze(alice, expiry(), REASON, {"from": freezer})
    else:
        world.blockAccount(alice, REASON, {"from": blocklister})
    expected = ("AccountFrozen", alice) if restrict == "freeze" else ("AccountBlocked", alice)
    with reverts_with(*expected):
        world.transfer(alice, 1, {"from": alice})


def test_holds_multicall_cannot_exceed_the_daily_outflow(world: Any, alice: Any, outsider: Any) -> None:
    call = world.transfer.encode_input(outsider, 30_000_00)
    with reverts_with("DailyOutflowExceeded", alice, 60_000_00, T0_OUT):
        world.multicall([call, call], {"from": alice})
    world.multicall([world.transfer.encode_input(outsider, 25_000_00)] * 2, {"from": alice})
    assert world.outflowToday(alice) == T0_OUT
    with reverts_with("DailyOutflowExceeded", alice, T0_OUT + 1, T0_OUT):
        world.transfer(outsider, 1, {"from": alice})


def test_holds_multicall_cannot_exceed_the_holding_limit(
    world: Any, minter: Any, kyc: Any, outsider: Any
) -> None:
    call = world.mint.encode_input(outsider, 60_000_00)
    with reverts_with("HoldingLimitExceeded", outsider, 120_000_00, T0_MAX):
        world.multicall([call, call], {"from": minter})
    assert world.balanceOf(outsider) == 0


def test_holds_blocked_account_in_any_role_of_a_move_refused(
    controller: Any,
    world: Any,
    blocklister: Any,
    minter: Any,
    minter_admin: Any,
    alice: Any,
    bob: Any,
    carol: Any,
    outsider: Any,
    signer: Any,
) -> None:
    world.approve(outsider, UINT256_MAX, {"from": alice})
    world.blockAccount(outsider, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", outsider):  # spender
        world.transferFrom(alice, carol, 1, {"from": outsider})
    with reverts_with("AccountBlocked", outsider):  # spender pulling to itself
        world.transferFrom(alice, outsider, 1, {"from": outsider})
    with reverts_with("AccountBlocked", outsider):  # relayer
        world.transferWithAuthorization(*signed_transfer(world, signer, carol, 1), {"from": outsider})
    with reverts_with("AccountBlocked", outsider):  # raising an allowance to a blocked spender
        world.approve(outsider, 1, {"from": carol})
    controller.configureMinter(world, outsider, 1_000, REASON, {"from": minter_admin})
    with reverts_with("AccountBlocked", outsider):  # blocked minter minting to itself
        world.mint(outsider, 1, {"from": outsider})
    with reverts_with("AccountBlocked", outsider):
        world.mint(carol, 1, {"from": outsider})
    # The waterfall never routes through a blocked link (bob is at his limit, linked to carol).
    world.blockAccount(carol, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", carol):
        world.transfer(bob, 1, {"from": alice})
    with reverts_with("AccountBlocked", carol):
        world.mint(bob, 1, {"from": minter})
    assert world.availableToReceive(bob) == 0
    assert world.canTransfer(alice, bob, 1) is False


def test_holds_seizure_never_pays_a_blocked_account(
    world: Any,
    seizures: Any,
    freezer: Any,
    blocklister: Any,
    proposer: Any,
    approver: Any,
    alice: Any,
    carol: Any,
) -> None:
    world.placeHold(alice, 1, expiry(), REASON, {"from": freezer})
    world.blockAccount(alice, REASON, {"from": blocklister})
    world.blockAccount(carol, REASON, {"from": blocklister})
    # Proposed and approved, the seizure still pays no blocked account: the token refuses it at execution.
    with reverts_with("AccountBlocked", carol):
        seize(world, proposer, approver, alice, carol, 1)
    with reverts_with("SeizureToSameAccount", alice):
        seizures.proposeSeizure(world, alice, alice, 1, REASON, REASON, {"from": proposer})
    assert world.holdOf(alice, REASON)[0] == 1


def test_holds_frozen_funds_move_by_no_path_but_seizure(
    world: Any, freezer: Any, minter: Any, minter_admin: Any, alice: Any, bob: Any, outsider: Any, signer: Any
) -> None:
    world.approve(outsider, UINT256_MAX, {"from": signer})
    world.freeze(signer, expiry(), REASON, {"from": freezer})
    for call in (
        lambda: world.transfer(outsider, 1, {"from": signer}),
        lambda: world.transferWithReference(outsider, 1, REF, {"from": signer}),
        lambda: world.transferFrom(signer, outsider, 1, {"from": outsider}),
        lambda: world.transferFromWithReference(signer, outsider, 1, REF, {"from": outsider}),
        lambda: world.transferWithAuthorization(
            *signed_transfer(world, signer, outsider, 1), {"from": outsider}
        ),
        lambda: world.receiveWithAuthorization(
            *signed_transfer(world, signer, outsider, 1, "ReceiveWithAuthorization"), {"from": outsider}
        ),
    ):
        with reverts_with("AccountFrozen", signer):
            call()  # type: ignore[no-untyped-call]  # lambdas in a tuple literal
    assert world.availableToSend(signer) == 0
    # A frozen minter cannot burn.
    world.freeze(minter, expiry(), REASON, {"from": freezer})
    with reverts_with("AccountFrozen", minter):
        world.burn(1, {"from": minter})


def test_holds_held_part_moves_by_no_path(
    world: Any, seizures: Any, freezer: Any, proposer: Any, approver: Any, alice: Any, outsider: Any
) -> None:
    held_until = expiry()
    world.placeHold(alice, 89_000_00, held_until, REASON, {"from": freezer})
    world.placeHold(alice, 500_00, expiry(), OTHER_REASON, {"from": freezer})
    world.approve(outsider, UINT256_MAX, {"from": alice})
    assert world.availableToSend(alice) == 500_00
    with reverts_with("InsufficientUnfrozenBalance", alice, 500_00, 500_01):
        world.transferFrom(alice, outsider, 500_01, {"from": outsider})
    # A seizure is bounded by its own order's hold, from its proposal on.
    with reverts_with("HoldExceeded", alice, OTHER_REASON, 500_00, 500_01):
        seizures.proposeSeizure(world, alice, outsider, 500_01, OTHER_REASON, REASON, {"from": proposer})
    seize(world, proposer, approver, alice, outsider, 500_00, order=OTHER_REASON)
    assert tuple(world.holdOf(alice, REASON)) == (89_000_00, held_until)
    assert world.holdOf(alice, OTHER_REASON)[0] == 0
    with reverts_with("HoldNotActive", alice, OTHER_REASON):
        world.releaseHold(alice, OTHER_REASON, 1, REASON, {"from": freezer})


def test_holds_waterfall_mint_spends_the_whole_amount(
    controller: Any, world: Any, minter: Any, minter_admin: Any, bob: Any, carol: Any, outsider: Any
) -> None:
    controller.configureMinter(world, outsider, 1_000, REASON, {"from": minter_admin})
    world.mint(bob, 1_000, {"from": outsider})  # all of it goes on to carol
    assert controller.minterAllowance(world, outsider) == 0 and world.balanceOf(carol) == 1_000
    with reverts_with("MinterAllowanceExceeded", outsider, 0, 1):
        world.mint(bob, 1, {"from": outsider})


def test_holds_outflow_at_a_huge_limit_does_not_spill_into_the_day(
    controller: Any,
    policy_token: Any,
    admin: Any,
    minter: Any,
    minter_admin: Any,
    kyc: Any,
    alice: Any,
    bob: Any,
) -> None:
    token = policy_token
    token.setTierLimits(4, LEDGER_MAX - 1, LEDGER_MAX - 1, REASON, {"from": admin})
    token.setTier(alice, 4, REASON, {"from": kyc})
    token.setTier(bob, 4, REASON, {"from": kyc})
    token.setTier(minter, 3, REASON, {"from": kyc})
    huge = SUPPLY_MAX - token.totalSupply()  # all the ledger can still issue
    controller.configureMinter(token, minter, huge, REASON, {"from": minter_admin})
    token.mint(alice, huge, {"from": minter})
    token.transfer(bob, huge, {"from": alice})
    word = raw(token, alice)
    assert word >> 160 == huge and (word >> 128) & 0xFFFFFFFF == chain_now() // DAY
    assert token.outflowToday(alice) == huge and token.tierOf(alice) == 4


def test_holds_daily_outflow_by_every_path_and_across_tier_changes(
    world: Any, kyc: Any, alice: Any, outsider: Any, signer: Any
) -> None:
    world.approve(outsider, UINT256_MAX, {"from": signer})
    world.transfer(outsider, 10_000, {"from": signer})
    world.transferWithReference(outsider, 10_000, REF, {"from": signer})
    world.transferFrom(signer, outsider, 10_000, {"from": outsider})
    world.transferWithAuthorization(*signed_transfer(world, signer, outsider, 10_000), {"from": outsider})
    assert world.outflowToday(signer) == 40_000
    world.setTierLimits(0, T0_MAX, 45_000, REASON, {"from": world.defaultAdmin()})
    assert world.availableToSend(signer) == 5_000
    with reverts_with("DailyOutflowExceeded", signer, 45_001, 45_000):
        world.transferFromWithReference(signer, outsider, 5_001, REF, {"from": outsider})
    world.setTierLimits(
        0, T0_MAX, 30_000, REASON, {"from": world.defaultAdmin()}
    )  # a downgrade below today's
    assert world.availableToSend(signer) == 0
    with reverts_with("DailyOutflowExceeded", signer, 40_001, 30_000):
        world.transfer(outsider, 1, {"from": signer})


def test_holds_outflow_resets_only_at_utc_midnight(world: Any, alice: Any, outsider: Any) -> None:
    now = chain_now()
    midnight = (now // DAY + 1) * DAY
    if midnight - now < 60:
        move_to(midnight + 1)
        midnight += DAY
    world.transfer(outsider, T0_OUT, {"from": alice})
    move_to(midnight - 5)
    assert world.availableToSend(alice) == 0
    with reverts_with("DailyOutflowExceeded", alice, T0_OUT + 1, T0_OUT):
        world.transfer(outsider, 1, {"from": alice})
    move_to(midnight)
    assert world.availableToSend(alice) == min(world.balanceOf(alice), T0_OUT)


def test_holds_available_to_send_is_exactly_what_a_transfer_moves(
    world: Any, freezer: Any, alice: Any, carol: Any
) -> None:
    world.placeHold(alice, 60_000_00, expiry(), REASON, {"from": freezer})
    world.transfer(carol, 20_000_00, {"from": alice})
    available = world.availableToSend(alice)  # min(90k - 20k - 60k held = 10k, 50k - 20k = 30k)
    assert available == 10_000_00
    assert world.canTransfer(alice, carol, available + 1) is False
    with reverts_with("InsufficientUnfrozenBalance", alice, available, available + 1):
        world.transfer(carol, available + 1, {"from": alice})
    assert world.canTransfer(alice, carol, available) is True
    world.transfer(carol, available, {"from": alice})
    assert world.availableToSend(alice) == 0


def test_holds_available_to_receive_is_exactly_what_a_waterfall_takes(
    world: Any, minter: Any, alice: Any, bob: Any, carol: Any
) -> None:
    world.transfer(bob, 0, {"from": alice})
    room = world.availableToReceive(bob)  # bob full; carol (tier 1) has 1,000,000 KZT of room
    assert room == 1_000_000_00
    with reverts_with("HoldingLimitExceeded", carol, room + 1, room):
        world.checkTransfer(minter, ZERO, bob, room + 1)
    with reverts_with("HoldingLimitExceeded", carol, room + 1, room):
        world.mint(bob, room + 1, {"from": minter})
    to_amount, linked = world.checkTransfer(minter, ZERO, bob, room)
    assert (int(to_amount), str(linked)) == (0, str(carol))
    world.mint(bob, room, {"from": minter})
    assert (world.balanceOf(bob), world.balanceOf(carol)) == (T0_MAX, room)
    assert world.availableToReceive(bob) == 0


def test_holds_check_transfer_matches_the_move_over_a_grid(
    world: Any, freezer: Any, blocklister: Any, kyc: Any, alice: Any, bob: Any, carol: Any, outsider: Any
) -> None:
    world.placeHold(carol, 1, expiry(), REASON, {"from": freezer})
    world.transfer(carol, 1_000, {"from": alice})
    world.approve(outsider, UINT256_MAX, {"from": alice})
    world.blockAccount(accounts[14], REASON, {"from": blocklister})
    world.setLinkedAccount(outsider, alice, REASON, {"from": kyc})
    world.acceptLinkedAccount(alice, {"from": outsider})
    parties = [alice, bob, carol, outsider, accounts[14]]
    amounts = [0, 1, 1_000, 50_000_00, 90_000_00]
    for operator in (alice, outsider, accounts[14]):
        for src in (alice, carol, bob):
            for dst in parties:
                for amount in amounts:
                    try:
                        world.checkTransfer.call(operator, src, dst, amount)
                        expected = None
                    except brownie.exceptions.VirtualMachineError as err:
                        expected = err.revert_msg
                    # The real move, simulated with .call from `operator` (transfer if it is the payer).
                    try:
                        if operator == src:
                            world.transfer.call(dst, amount, {"from": src})
                        elif operator == outsider and src == alice:
                            world.transferFrom.call(src, dst, amount, {"from": operator})
                        else:
                            continue
                        actual = None
                    except brownie.exceptions.VirtualMachineError as err:
                        actual = err.revert_msg
                    assert actual == expected, (operator, src, dst, amount)
