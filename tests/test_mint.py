"""Issuance: minter allowances at the mint controller (fixed and refilling), minting, redemption, and the
supply cap."""

from typing import Any

import pytest
from brownie import ZERO_ADDRESS, TengeMintController, accounts, chain
from conftest import REASON, UINT256_MAX, assert_event, expiry, reverts_with

from scripts.deploy import deploy_token

ALLOWANCE = 100_000_000  # what the `token` fixture gives `minter`: 1,000,000.00 KZT


def test_configure_minter_grants_role_and_allowance(
    controller: Any, token: Any, minter_admin: Any, carol: Any
) -> None:
    tx = controller.configureMinter(token, carol, 5_000_000, REASON, {"from": minter_admin})
    assert controller.isMinter(token, carol)
    assert controller.minterAllowance(token, carol) == 5_000_000
    assert tuple(controller.minterRefill(token, carol)) == (5_000_000, 0)
    assert_event(
        tx,
        "MinterConfigured",
        {
            "token": token,
            "minter": carol,
            "allowance": 5_000_000,
            "capacity": 5_000_000,
            "refillPerSecond": 0,
            "actor": minter_admin,
            "reason": REASON,
        },
    )


def test_reconfigure_replaces_allowance(controller: Any, token: Any, minter_admin: Any, minter: Any) -> None:
    token.mint(minter, 40_000_000, {"from": minter})
    controller.configureMinter(token, minter, 1_000, REASON, {"from": minter_admin})
    assert controller.minterAllowance(token, minter) == 1_000


def test_mint_spends_allowance_and_emits(controller: Any, token: Any, minter: Any, alice: Any) -> None:
    tx = token.mint(alice, 250_000, {"from": minter})
    assert token.balanceOf(alice) == 250_000
    assert token.totalSupply() == 250_000
    assert controller.minterAllowance(token, minter) == ALLOWANCE - 250_000
    assert_event(tx, "Minted", {"minter": minter, "to": alice, "amount": 250_000})
    assert_event(tx, "Transfer", {"from": ZERO_ADDRESS, "to": alice, "value": 250_000})


def test_mint_exactly_the_allowance(controller: Any, token: Any, minter: Any, alice: Any) -> None:
    token.mint(alice, ALLOWANCE, {"from": minter})
    assert controller.minterAllowance(token, minter) == 0
    with reverts_with("MinterAllowanceExceeded", minter, 0, 1):
        token.mint(alice, 1, {"from": minter})


def test_mint_one_tiyn_over_the_allowance_refused(
    controller: Any, token: Any, minter: Any, alice: Any
) -> None:
    with reverts_with("MinterAllowanceExceeded", minter, ALLOWANCE, ALLOWANCE + 1):
        token.mint(alice, ALLOWANCE + 1, {"from": minter})
    assert controller.minterAllowance(token, minter) == ALLOWANCE


def test_allowances_are_per_minter(
    controller: Any, token: Any, minter_admin: Any, minter: Any, carol: Any, alice: Any
) -> None:
    controller.configureMinter(token, carol, 1_000, REASON, {"from": minter_admin})
    token.mint(alice, 1_000, {"from": carol})
    assert controller.minterAllowance(token, minter) == ALLOWANCE
    with reverts_with("MinterAllowanceExceeded", carol, 0, 1):
        token.mint(alice, 1, {"from": carol})


def test_mint_to_zero_address_refused(token: Any, minter: Any) -> None:
    with reverts_with("ERC20InvalidReceiver", ZERO_ADDRESS):
        token.mint(ZERO_ADDRESS, 1, {"from": minter})


def allowance_at(controller: Any, token: Any, minter: Any, number: int) -> int:
    """`minterAllowance` as of block `number`, read once a later block exists."""
    chain.mine()
    return int(controller.minterAllowance(token, minter, block_identifier=number))


def assert_refilled(got: int, expected: int, per_second: int) -> None:
    """The view's refill matches the block's time, or one second more: under load Anvil was seen to run a
    call one second after the block it reads (2010 for 2000 twice in ~8 runs). A wrong rate, a refill
    past capacity or no refill still fails."""
    assert got in (expected, expected + per_second), (got, expected)


def test_refill_minter_reports_its_settings(
    controller: Any, token: Any, minter_admin: Any, carol: Any
) -> None:
    tx = controller.configureMinterWithRefill(token, carol, 1_000, 5_000, 10, REASON, {"from": minter_admin})
    assert tuple(controller.minterRefill(token, carol)) == (5_000, 10)
    assert controller.minterAllowance(token, carol) == 1_000
    assert_event(
        tx,
        "MinterConfigured",
        {
            "token": token,
            "minter": carol,
            "allowance": 1_000,
            "capacity": 5_000,
            "refillPerSecond": 10,
            "actor": minter_admin,
            "reason": REASON,
        },
    )


def test_allowance_refills_over_time(controller: Any, token: Any, minter_admin: Any, carol: Any) -> None:
    configured = controller.configureMinterWithRefill(
        token, carol, 1_000, 5_000, 10, REASON, {"from": minter_admin}
    )
    chain.sleep(100)
    chain.mine()
    block = chain[-1]
    elapsed = block.timestamp - configured.timestamp
    assert 100 <= elapsed < 400
    assert_refilled(allowance_at(controller, token, carol, block.number), 1_000 + 10 * elapsed, 10)


def test_refill_stops_at_capacity(
    controller: Any, token: Any, minter_admin: Any, carol: Any, alice: Any
) -> None:
    controller.configureMinterWithRefill(token, carol, 1_000, 5_000, 10, REASON, {"from": minter_admin})
    chain.sleep(3_600)
    chain.mine()
    assert controller.minterAllowance(token, carol) == 5_000
    with reverts_with("MinterAllowanceExceeded", carol, 5_000, 5_001):
        token.mint(alice, 5_001, {"from": carol})


def test_refilled_allowance_can_be_minted(
    controller: Any, token: Any, minter_admin: Any, carol: Any, alice: Any
) -> None:
    controller.configureMinterWithRefill(token, carol, 1_000, 5_000, 10, REASON, {"from": minter_admin})
    spent = token.mint(alice, 1_000, {"from": carol})
    chain.sleep(200)
    chain.mine()
    block = chain[-1]
    refilled = 10 * (block.timestamp - spent.timestamp)
    assert 2_000 <= refilled < 5_000
    assert_refilled(allowance_at(controller, token, carol, block.number), refilled, 10)
    # Spending restarts the clock: what is left keeps refilling from the mint's timestamp.
    again = token.mint(alice, 1_500, {"from": carol})
    left = 10 * (again.timestamp - spent.timestamp) - 1_500
    assert_refilled(allowance_at(controller, token, carol, again.block_number), left, 10)
    assert token.balanceOf(alice) == 2_500


def test_refill_rate_zero_is_a_fixed_allowance(
    controller: Any, token: Any, minter_admin: Any, carol: Any
) -> None:
    controller.configureMinterWithRefill(token, carol, 1_000, 5_000, 0, REASON, {"from": minter_admin})
    chain.sleep(3_600)
    chain.mine()
    assert controller.minterAllowance(token, carol) == 1_000
    assert tuple(controller.minterRefill(token, carol)) == (5_000, 0)


def test_capacity_below_allowance_refused(controller: Any, token: Any, minter_admin: Any, carol: Any) -> None:
    with reverts_with("InvalidMinterConfiguration", 5_000, 4_999, 0):
        controller.configureMinterWithRefill(token, carol, 5_000, 4_999, 0, REASON, {"from": minter_admin})


def test_refill_without_capacity_refused(controller: Any, token: Any, minter_admin: Any, carol: Any) -> None:
    with reverts_with("InvalidMinterConfiguration", 0, 0, 5):
        controller.configureMinterWithRefill(token, carol, 0, 0, 5, REASON, {"from": minter_admin})
    assert not controller.isMinter(token, carol)


def test_remove_minter_revokes_role_and_allowance(
    controller: Any, token: Any, minter_admin: Any, minter: Any, alice: Any, unauthorized: Any
) -> None:
    tx = controller.removeMinter(token, minter, REASON, {"from": minter_admin})
    assert not controller.isMinter(token, minter)
    assert controller.minterAllowance(token, minter) == 0
    assert tuple(controller.minterRefill(token, minter)) == (0, 0)
    assert_event(
        tx, "MinterRemoved", {"token": token, "minter": minter, "actor": minter_admin, "reason": REASON}
    )
    with unauthorized(minter, controller.MINTER_ROLE()):
        token.mint(alice, 1, {"from": minter})


def test_reappointed_minter_starts_from_its_new_allowance(
    controller: Any, token: Any, minter_admin: Any, minter: Any
) -> None:
    controller.removeMinter(token, minter, REASON, {"from": minter_admin})
    controller.configureMinter(token, minter, 7, REASON, {"from": minter_admin})
    assert controller.minterAllowance(token, minter) == 7


def test_burn_redeems_the_minters_own_tiyn(controller: Any, token: Any, minter: Any) -> None:
    token.mint(minter, 80_000, {"from": minter})
    tx = token.burn(30_000, {"from": minter})
    assert token.balanceOf(minter) == 50_000
    assert token.totalSupply() == 50_000
    # Redemption does not give issuance allowance back.
    assert controller.minterAllowance(token, minter) == ALLOWANCE - 80_000
    assert_event(tx, "Burned", {"minter": minter, "amount": 30_000})
    assert_event(tx, "Transfer", {"from": minter, "to": ZERO_ADDRESS, "value": 30_000})


def test_burn_more_than_held_refused(token: Any, minter: Any) -> None:
    token.mint(minter, 80_000, {"from": minter})
    with reverts_with("ERC20InsufficientBalance", minter, 80_000, 80_001):
        token.burn(80_001, {"from": minter})


def test_supply_is_uncapped_at_deployment(token: Any, admin: Any) -> None:
    assert token.supplyCap() == UINT256_MAX
    assert_event(
        token._proxy.tx, "SupplyCapChanged", {"cap": UINT256_MAX, "actor": admin, "reason": "0x" + "00" * 32}
    )


def test_admin_sets_supply_cap(token: Any, admin: Any) -> None:
    tx = token.setSupplyCap(1_000_000, REASON, {"from": admin})
    assert token.supplyCap() == 1_000_000
    assert_event(tx, "SupplyCapChanged", {"cap": 1_000_000, "actor": admin, "reason": REASON})


def test_mint_up_to_the_cap_then_refused(
    controller: Any, token: Any, admin: Any, minter: Any, alice: Any
) -> None:
    token.setSupplyCap(1_000_000, REASON, {"from": admin})
    token.mint(alice, 999_999, {"from": minter})
    token.mint(alice, 1, {"from": minter})
    with reverts_with("SupplyCapExceeded", 1_000_001, 1_000_000):
        token.mint(alice, 1, {"from": minter})
    # The refused mint spent no allowance.
    assert controller.minterAllowance(token, minter) == ALLOWANCE - 1_000_000


def test_cap_below_supply_refused(token: Any, admin: Any, minter: Any, alice: Any) -> None:
    token.mint(alice, 500_000, {"from": minter})
    with reverts_with("SupplyCapBelowSupply", 499_999, 500_000):
        token.setSupplyCap(499_999, REASON, {"from": admin})
    token.setSupplyCap(500_000, REASON, {"from": admin})
    assert token.supplyCap() == 500_000


def test_mint_to_blocked_account_refused(
    controller: Any, token: Any, blocklister: Any, minter: Any, alice: Any
) -> None:
    token.blockAccount(alice, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", alice):
        token.mint(alice, 1_000, {"from": minter})
    assert controller.minterAllowance(token, minter) == ALLOWANCE


def test_mint_to_frozen_account_allowed(token: Any, freezer: Any, minter: Any, alice: Any) -> None:
    token.freeze(alice, expiry(), REASON, {"from": freezer})
    tx = token.mint(alice, 1_000, {"from": minter})
    assert token.balanceOf(alice) == 1_000
    assert_event(tx, "Minted", {"minter": minter, "to": alice, "amount": 1_000})


def test_allowance_fits_the_packed_record(controller: Any, token: Any, minter_admin: Any, carol: Any) -> None:
    # The minter record keeps allowance and capacity in 88 bits each (one storage word per minter).
    controller.configureMinter(token, carol, 2**88 - 1, REASON, {"from": minter_admin})
    assert controller.minterAllowance(token, carol) == 2**88 - 1
    with reverts_with("SafeCastOverflowedUintDowncast", 88, 2**88):
        controller.configureMinter(token, carol, 2**88, REASON, {"from": minter_admin})


def test_refill_rate_fits_the_packed_record(
    controller: Any, token: Any, minter_admin: Any, carol: Any
) -> None:
    with reverts_with("SafeCastOverflowedUintDowncast", 32, 2**32):
        controller.configureMinterWithRefill(token, carol, 0, 1, 2**32, REASON, {"from": minter_admin})


def test_removing_a_non_minter_changes_nothing(
    controller: Any, token: Any, minter_admin: Any, outsider: Any
) -> None:
    tx = controller.removeMinter(token, outsider, REASON, {"from": minter_admin})
    assert "MinterRemoved" not in tx.events and not controller.isMinter(token, outsider)


def test_a_minter_renounces_itself(
    controller: Any, token: Any, minter: Any, alice: Any, unauthorized: Any
) -> None:
    tx = controller.renounceMinter(token, {"from": minter})
    assert not controller.isMinter(token, minter)
    assert (controller.minterAllowance(token, minter), tuple(controller.minterRefill(token, minter))) == (
        0,
        (0, 0),
    )
    assert_event(
        tx, "MinterRemoved", {"token": token, "minter": minter, "actor": minter, "reason": "0x" + "00" * 32}
    )
    with unauthorized(minter, controller.MINTER_ROLE()):
        token.mint(alice, 1, {"from": minter})
    with unauthorized(minter, controller.MINTER_ROLE()):
        token.burn(1, {"from": minter})


def test_renouncing_as_a_non_minter_changes_nothing(controller: Any, token: Any, outsider: Any) -> None:
    tx = controller.renounceMinter(token, {"from": outsider})
    assert "MinterRemoved" not in tx.events


def test_the_token_names_its_controller(controller: Any, token: Any) -> None:
    assert token.mintController() == controller
    assert token._implementation.mintController() == controller


def test_only_the_tokens_minter_admin_configures_its_minters(
    controller: Any, token: Any, admin: Any, minter: Any, carol: Any, unauthorized: Any
) -> None:
    # The default admin administers every role but does not configure minters itself.
    for account in (admin, minter, carol):
        with unauthorized(account, controller.MINTER_ADMIN_ROLE()):
            controller.configureMinter(token, carol, 1, REASON, {"from": account})
    assert not controller.isMinter(token, carol)


def test_a_minter_admin_granted_later_configures_minters(
    controller: Any, token: Any, admin: Any, carol: Any, bob: Any
) -> None:
    token.grantRole(token.MINTER_ADMIN_ROLE(), carol, {"from": admin})
    controller.configureMinter(token, bob, 9, REASON, {"from": carol})
    assert controller.minterAllowance(token, bob) == 9


@pytest.fixture(scope="module")
def second_token(controller: Any, admin: Any, minter_admin: Any) -> Any:
    """Another token served by the same controller, with its own minter admin (the same account)."""
    other = deploy_token(admin, controller=controller)
    other.grantRole(other.MINTER_ADMIN_ROLE(), minter_admin, {"from": admin})
    other.setPolicyEnabled(False, REASON, {"from": admin})
    return other


def test_one_controller_keeps_each_tokens_minters_apart(
    controller: Any, token: Any, second_token: Any, minter_admin: Any, minter: Any, alice: Any
) -> None:
    controller.configureMinter(second_token, minter, 5, REASON, {"from": minter_admin})
    second_token.mint(alice, 5, {"from": minter})
    # The same account's allowance of the first token is untouched, and the second's is spent.
    assert controller.minterAllowance(token, minter) == ALLOWANCE
    assert controller.minterAllowance(second_token, minter) == 0
    with reverts_with("MinterAllowanceExceeded", minter, 0, 1):
        second_token.mint(alice, 1, {"from": minter})
    token.mint(alice, 1, {"from": minter})


def test_a_tokens_minter_admin_cannot_configure_anothers_minters(
    controller: Any, second_token: Any, minter_admin: Any, admin: Any, carol: Any, unauthorized: Any
) -> None:
    second_token.revokeRole(second_token.MINTER_ADMIN_ROLE(), minter_admin, {"from": admin})
    with unauthorized(minter_admin, controller.MINTER_ADMIN_ROLE()):
        controller.configureMinter(second_token, carol, 1, REASON, {"from": minter_admin})


def test_a_caller_spends_only_allowances_kept_under_its_own_address(
    controller: Any, token: Any, minter: Any, unauthorized: Any
) -> None:
    # Anyone may call spendMintAllowance, but it spends the records keyed by the caller: an account
    # that is not the token finds no minters there.
    with unauthorized(minter, controller.MINTER_ROLE()):
        controller.spendMintAllowance(minter, 1, {"from": minter})
    assert controller.minterAllowance(token, minter) == ALLOWANCE


def test_a_controller_is_shared_by_deployment_not_by_binding(admin: Any, alice: Any) -> None:
    # A controller deployed first serves a token deployed after it, with no binding step.
    shared = TengeMintController.deploy({"from": admin})
    fresh = deploy_token(admin, controller=shared)
    assert fresh.mintController() == shared
    fresh.grantRole(fresh.MINTER_ADMIN_ROLE(), admin, {"from": admin})
    shared.configureMinter(fresh, accounts[14], 3, REASON, {"from": admin})
    assert shared.isMinter(fresh, accounts[14]) and not shared.isMinter(fresh, alice)
