"""Separation of duties: restricting (freezer, blocklister), proposing and approving a seizure are three
duties no account holds two of, and an administrator of minters is never a minter. Every grant is
checked, however it is sent; the refusal names the role already held."""

from typing import Any

import pytest
from brownie import web3
from conftest import REASON, reverts_with

# Not a role of the token: a minter is a record at the mint controller, whose refusals cite this id.
MINTER_ROLE = web3.keccak(text="MINTER_ROLE").to_0x_hex()
RESTRICTING = ("FREEZER_ROLE", "BLOCKLISTER_ROLE")
PROPOSING = "SEIZURE_PROPOSER_ROLE"
APPROVING = "SEIZURE_APPROVER_ROLE"
# (the role held, the role refused beside it): every pair of different duties, both ways round.
CONFLICTS = [
    *((held, PROPOSING) for held in RESTRICTING),
    *((held, APPROVING) for held in RESTRICTING),
    *((PROPOSING, refused) for refused in RESTRICTING),
    *((APPROVING, refused) for refused in RESTRICTING),
    (PROPOSING, APPROVING),
    (APPROVING, PROPOSING),
]


@pytest.mark.parametrize(("held", "refused"), CONFLICTS)
def test_a_second_duty_is_refused(token: Any, admin: Any, outsider: Any, held: str, refused: str) -> None:
    held_role, refused_role = getattr(token, held)(), getattr(token, refused)()
    token.grantRole(held_role, outsider, {"from": admin})
    with reverts_with("RoleConflict", outsider, refused_role, held_role):
        token.grantRole(refused_role, outsider, {"from": admin})
    assert not token.hasRole(refused_role, outsider)


def test_freezer_and_blocklister_are_one_duty(token: Any, admin: Any, outsider: Any) -> None:
    token.grantRole(token.FREEZER_ROLE(), outsider, {"from": admin})
    token.grantRole(token.BLOCKLISTER_ROLE(), outsider, {"from": admin})
    assert token.hasRole(token.BLOCKLISTER_ROLE(), outsider)


def test_roles_outside_the_duties_combine_freely(token: Any, admin: Any, proposer: Any) -> None:
    for name in ("PAUSER_ROLE", "KYC_ROLE", "RESCUER_ROLE", "UPGRADER_ROLE"):
        token.grantRole(getattr(token, name)(), proposer, {"from": admin})
        assert token.hasRole(getattr(token, name)(), proposer)


def test_a_duty_given_up_frees_the_account_for_another(token: Any, admin: Any, freezer: Any) -> None:
    token.renounceRole(token.FREEZER_ROLE(), freezer, {"from": freezer})
    token.grantRole(token.SEIZURE_APPROVER_ROLE(), freezer, {"from": admin})
    assert token.hasRole(token.SEIZURE_APPROVER_ROLE(), freezer)


def test_a_grant_inside_a_multicall_is_checked_too(token: Any, admin: Any, freezer: Any) -> None:
    grant = token.grantRole.encode_input(token.SEIZURE_PROPOSER_ROLE(), freezer)
    cite = token.citeReason.encode_input(REASON)
    with reverts_with("RoleConflict", freezer, token.SEIZURE_PROPOSER_ROLE(), token.FREEZER_ROLE()):
        token.multicall([cite, grant], {"from": admin})


def test_a_minter_is_not_made_a_minter_administrator(token: Any, admin: Any, minter: Any) -> None:
    role = token.MINTER_ADMIN_ROLE()
    with reverts_with("RoleConflict", minter, role, MINTER_ROLE):
        token.grantRole(role, minter, {"from": admin})


def test_a_minter_administrator_is_not_made_a_minter(controller: Any, token: Any, minter_admin: Any) -> None:
    minter_role, admin_role = MINTER_ROLE, token.MINTER_ADMIN_ROLE()
    with reverts_with("RoleConflict", minter_admin, minter_role, admin_role):
        controller.configureMinter(token, minter_admin, 1, REASON, {"from": minter_admin})
    with reverts_with("RoleConflict", minter_admin, minter_role, admin_role):
        controller.configureMinterWithRefill(token, minter_admin, 1, 10, 1, REASON, {"from": minter_admin})
    assert not controller.isMinter(token, minter_admin)


def test_a_removed_minter_may_administer_minters(
    controller: Any, token: Any, admin: Any, minter_admin: Any, minter: Any
) -> None:
    controller.removeMinter(token, minter, REASON, {"from": minter_admin})
    token.grantRole(token.MINTER_ADMIN_ROLE(), minter, {"from": admin})
    assert token.hasRole(token.MINTER_ADMIN_ROLE(), minter)
