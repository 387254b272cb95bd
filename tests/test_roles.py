"""Roles: narrow, role-gated functions, the minter admin (its gate at the mint controller), and the
two-step default-admin handover."""

from collections.abc import Callable
from typing import Any

import pytest
from brownie import chain
from conftest import REASON, assert_event, reverts_with
from eth_utils.crypto import keccak

from scripts.deploy import deploy_token

# The token's roles; MINTER_ROLE is not one of them: a minter is a record at the mint controller.
ROLE_NAMES = [
    "MINTER_ADMIN_ROLE",
    "PAUSER_ROLE",
    "FREEZER_ROLE",
    "BLOCKLISTER_ROLE",
    "SEIZURE_PROPOSER_ROLE",
    "SEIZURE_APPROVER_ROLE",
    "RESCUER_ROLE",
    "UPGRADER_ROLE",
]
DEFAULT_ADMIN_ROLE = "0x" + "00" * 32
ADMIN_DELAY = 86400  # what the `token` fixture deploys with

# Every gated function: (name, the role it requires, its arguments given the token and a target account).
Args = Callable[[Any, Any], tuple[Any, ...]]
GATED: list[tuple[str, str, Args]] = [
    ("mint", "MINTER_ROLE", lambda t, a: (a, 1)),
    ("burn", "MINTER_ROLE", lambda t, a: (1,)),
    ("configureMinter", "MINTER_ADMIN_ROLE", lambda t, a: (t, a, 1, REASON)),
    ("configureMinterWithRefill", "MINTER_ADMIN_ROLE", lambda t, a: (t, a, 1, 2, 1, REASON)),
    ("removeMinter", "MINTER_ADMIN_ROLE", lambda t, a: (t, a, REASON)),
    ("pause", "PAUSER_ROLE", lambda t, a: (REASON,)),
    ("unpause", "PAUSER_ROLE", lambda t, a: (REASON,)),
    ("freeze", "FREEZER_ROLE", lambda t, a: (a, 1, REASON)),
    ("unfreeze", "FREEZER_ROLE", lambda t, a: (a, REASON)),
    ("placeHold", "FREEZER_ROLE", lambda t, a: (a, 1, 1, REASON)),
    ("releaseHold", "FREEZER_ROLE", lambda t, a: (a, REASON, 1, REASON)),
    ("setMaxRestrictionTerm", "DEFAULT_ADMIN_ROLE", lambda t, a: (t, 1, REASON)),
    ("blockAccount", "BLOCKLISTER_ROLE", lambda t, a: (a, REASON)),
    ("unblockAccount", "BLOCKLISTER_ROLE", lambda t, a: (a, REASON)),
    ("proposeSeizure", "SEIZURE_PROPOSER_ROLE", lambda t, a: (t, a, t, 1, REASON, REASON)),
    ("setNoticePeriod", "DEFAULT_ADMIN_ROLE", lambda t, a: (t, 0, REASON)),
    ("rescue", "RESCUER_ROLE", lambda t, a: (t, a, 1, REASON)),
    ("setSupplyCap", "DEFAULT_ADMIN_ROLE", lambda t, a: (1, REASON)),
    ("setTierLimits", "DEFAULT_ADMIN_ROLE", lambda t, a: (1, 1, 1, REASON)),
    ("upgradeToAndCall", "UPGRADER_ROLE", lambda t, a: (t._implementation, b"")),
    ("announceUpgrade", "UPGRADER_ROLE", lambda t, a: (t._implementation, keccak(b""), REASON)),
    ("cancelUpgrade", "DEFAULT_ADMIN_ROLE", lambda t, a: (REASON,)),
    ("grantRole", "DEFAULT_ADMIN_ROLE", lambda t, a: (t.PAUSER_ROLE(), a)),
    ("revokeRole", "DEFAULT_ADMIN_ROLE", lambda t, a: (t.PAUSER_ROLE(), a)),
    ("beginDefaultAdminTransfer", "DEFAULT_ADMIN_ROLE", lambda t, a: (a,)),
]

# Each role holder fixture and the one role it holds.
HOLDERS = {
    "admin": "DEFAULT_ADMIN_ROLE",
    "minter_admin": "MINTER_ADMIN_ROLE",
    "minter": "MINTER_ROLE",
    "pauser": "PAUSER_ROLE",
    "freezer": "FREEZER_ROLE",
    "blocklister": "BLOCKLISTER_ROLE",
    "proposer": "SEIZURE_PROPOSER_ROLE",
    "approver": "SEIZURE_APPROVER_ROLE",
    "rescuer": "RESCUER_ROLE",
    "upgrader": "UPGRADER_ROLE",
}


def role_id(token: Any, name: str) -> Any:
    # MINTER_ROLE is the mint controller's constant (its errors name it), not the token's.
    return "0x" + keccak(text=name).hex() if name == "MINTER_ROLE" else getattr(token, name)()


# The proxy answers upgradeToAndCall itself; under `--coverage` the suite's `token` runs without one.
ANSWERED_BY_THE_PROXY = {"upgradeToAndCall", "announceUpgrade", "cancelUpgrade"}
# Minter administration is the mint controller's, gated by the token's MINTER_ADMIN_ROLE.
ANSWERED_BY_THE_CONTROLLER = {"configureMinter", "configureMinterWithRefill", "removeMinter"}
# Seizures are the seizure controller's, gated by the token's own roles.
ANSWERED_BY_THE_SEIZURE_CONTROLLER = {"proposeSeizure", "setNoticePeriod", "setMaxRestrictionTerm"}


@pytest.fixture(scope="module")
def proxied(request: Any, admin: Any) -> Any:
    """A token behind its real proxy, each role held by the same account as on the `token` fixture."""
    token = deploy_token(admin, admin_delay=ADMIN_DELAY)
    for holder_name, role in HOLDERS.items():
        if role not in ("DEFAULT_ADMIN_ROLE", "MINTER_ROLE"):
            token.grantRole(role_id(token, role), request.getfixturevalue(holder_name), {"from": admin})
    token._controller.configureMinter(
        token, request.getfixturevalue("minter"), 1, REASON, {"from": request.getfixturevalue("minter_admin")}
    )
    return token


def target(token: Any, proxied: Any, function: str) -> Any:
    """The contract that answers `function`: the proxy, a controller, or the token."""
    if function in ANSWERED_BY_THE_CONTROLLER:
        return token._controller
    if function in ANSWERED_BY_THE_SEIZURE_CONTROLLER:
        return token._seizure_controller
    return proxied if function in ANSWERED_BY_THE_PROXY else token


@pytest.mark.parametrize("name", ROLE_NAMES)
def test_role_constant_is_keccak_of_its_name(token: Any, name: str) -> None:
    assert role_id(token, name) == "0x" + keccak(text=name).hex()


def test_default_admin_role_is_zero(token: Any) -> None:
    assert token.DEFAULT_ADMIN_ROLE() == DEFAULT_ADMIN_ROLE


@pytest.mark.parametrize("function,role,args", GATED, ids=[g[0] for g in GATED])
def test_gated_function_refuses_non_holder(
    token: Any,
    proxied: Any,
    outsider: Any,
    alice: Any,
    unauthorized: Any,
    function: str,
    role: str,
    args: Args,
) -> None:
    gated = target(token, proxied, function)
    subject = proxied if function in ANSWERED_BY_THE_PROXY else token
    with unauthorized(outsider, role_id(token, role)):
        getattr(gated, function)(*args(subject, alice), {"from": outsider})


@pytest.mark.parametrize("holder_name", list(HOLDERS))
def test_role_holder_can_call_nothing_gated_by_another_role(
    request: Any, token: Any, proxied: Any, alice: Any, unauthorized: Any, holder_name: str
) -> None:
    holder = request.getfixturevalue(holder_name)
    others = [g for g in GATED if g[1] != HOLDERS[holder_name]]
    assert len(others) >= len(GATED) - 8  # the default admin gates eight
    for function, role, args in others:
        # A call, not a transaction: the gate is the same and the matrix stays fast.
        gated = target(token, proxied, function)
        subject = proxied if function in ANSWERED_BY_THE_PROXY else token
        with unauthorized(holder, role_id(token, role)):
            getattr(gated, function).call(*args(subject, alice), {"from": holder})


def test_each_role_has_exactly_its_holder(controller: Any, token: Any, request: Any, outsider: Any) -> None:
    for holder_name, role in HOLDERS.items():
        holder = request.getfixturevalue(holder_name)
        held = [
            name
            for name in ["DEFAULT_ADMIN_ROLE", *ROLE_NAMES]
            if token.hasRole(role_id(token, name), holder)
        ]
        held += ["MINTER_ROLE"] if controller.isMinter(token, holder) else []
        assert held == [role], holder_name
    assert not any(token.hasRole(role_id(token, name), outsider) for name in ROLE_NAMES)
    assert not controller.isMinter(token, outsider)


@pytest.mark.parametrize("holder_name", list(HOLDERS))
def test_only_the_seizure_controller_seizes(
    request: Any, token: Any, alice: Any, bob: Any, holder_name: str
) -> None:
    # No role seizes, not even the two that decide a seizure: only the controller executing one.
    holder = request.getfixturevalue(holder_name)
    with reverts_with("CallerNotSeizureController", holder):
        token.seize.call(alice, bob, 1, REASON, REASON, {"from": holder})


def test_the_controller_names_the_roles_it_checks(controller: Any, token: Any) -> None:
    assert controller.MINTER_ROLE() == "0x" + keccak(text="MINTER_ROLE").hex()
    assert controller.MINTER_ADMIN_ROLE() == token.MINTER_ADMIN_ROLE()


def test_every_token_role_is_administered_by_the_default_admin(token: Any) -> None:
    for name in ROLE_NAMES:
        assert token.getRoleAdmin(role_id(token, name)) == DEFAULT_ADMIN_ROLE, name


def test_minters_are_the_controllers_records_not_token_roles(
    controller: Any, token: Any, admin: Any, minter: Any, alice: Any, unauthorized: Any
) -> None:
    assert controller.isMinter(token, minter) and not token.hasRole(role_id(token, "MINTER_ROLE"), minter)
    # MINTER_ROLE granted in the token's AccessControl appoints nobody: the controller has no record.
    token.grantRole(role_id(token, "MINTER_ROLE"), alice, {"from": admin})
    assert not controller.isMinter(token, alice)
    with unauthorized(alice, role_id(token, "MINTER_ROLE")):
        token.mint(alice, 1, {"from": alice})


def test_default_admin_cannot_appoint_a_minter(
    controller: Any, token: Any, admin: Any, alice: Any, unauthorized: Any
) -> None:
    with unauthorized(admin, token.MINTER_ADMIN_ROLE()):
        controller.configureMinter(token, alice, 1, REASON, {"from": admin})


def test_default_admin_grants_and_revokes_an_operational_role(token: Any, admin: Any, alice: Any) -> None:
    token.grantRole(token.PAUSER_ROLE(), alice, {"from": admin})
    tx = token.revokeRole(token.PAUSER_ROLE(), alice, {"from": admin})
    assert not token.hasRole(token.PAUSER_ROLE(), alice)
    assert_event(tx, "RoleRevoked", {"role": token.PAUSER_ROLE(), "account": alice, "sender": admin})


def test_default_admin_role_cannot_be_granted_directly(token: Any, admin: Any, alice: Any) -> None:
    with reverts_with("AccessControlEnforcedDefaultAdminRules"):
        token.grantRole(DEFAULT_ADMIN_ROLE, alice, {"from": admin})


def test_default_admin_handover_takes_two_steps_and_the_delay(token: Any, admin: Any, alice: Any) -> None:
    begin = token.beginDefaultAdminTransfer(alice, {"from": admin})
    schedule = begin.timestamp + ADMIN_DELAY
    assert_event(begin, "DefaultAdminTransferScheduled", {"newAdmin": alice, "acceptSchedule": schedule})
    pending_admin, accept_schedule = token.pendingDefaultAdmin()
    assert (pending_admin, accept_schedule) == (alice, schedule)
    chain.sleep(ADMIN_DELAY + 1)

    accept = token.acceptDefaultAdminTransfer({"from": alice})

    assert token.defaultAdmin() == alice
    assert token.getOwner() == alice
    assert token.hasRole(DEFAULT_ADMIN_ROLE, alice)
    assert not token.hasRole(DEFAULT_ADMIN_ROLE, admin)
    assert_event(accept, "RoleRevoked", {"role": DEFAULT_ADMIN_ROLE, "account": admin, "sender": alice})
    assert_event(accept, "RoleGranted", {"role": DEFAULT_ADMIN_ROLE, "account": alice, "sender": alice})


def test_default_admin_handover_refused_before_the_delay(token: Any, admin: Any, alice: Any) -> None:
    begin = token.beginDefaultAdminTransfer(alice, {"from": admin})
    chain.sleep(ADMIN_DELAY // 2)
    with reverts_with("AccessControlEnforcedDefaultAdminDelay", begin.timestamp + ADMIN_DELAY):
        token.acceptDefaultAdminTransfer({"from": alice})
    assert token.getOwner() == admin


def test_default_admin_handover_accepted_only_by_the_pending_admin(
    token: Any, admin: Any, alice: Any, bob: Any
) -> None:
    token.beginDefaultAdminTransfer(alice, {"from": admin})
    chain.sleep(ADMIN_DELAY + 1)
    with reverts_with("AccessControlInvalidDefaultAdmin", bob):
        token.acceptDefaultAdminTransfer({"from": bob})


def test_new_default_admin_rules_and_old_one_does_not(
    token: Any, admin: Any, alice: Any, bob: Any, unauthorized: Any
) -> None:
    token.beginDefaultAdminTransfer(alice, {"from": admin})
    chain.sleep(ADMIN_DELAY + 1)
    token.acceptDefaultAdminTransfer({"from": alice})

    token.grantRole(token.PAUSER_ROLE(), bob, {"from": alice})
    assert token.hasRole(token.PAUSER_ROLE(), bob)
    with unauthorized(admin, DEFAULT_ADMIN_ROLE):
        token.setSupplyCap(1, REASON, {"from": admin})


def test_cancelled_handover_cannot_be_accepted(token: Any, admin: Any, alice: Any) -> None:
    token.beginDefaultAdminTransfer(alice, {"from": admin})
    tx = token.cancelDefaultAdminTransfer({"from": admin})
    chain.sleep(ADMIN_DELAY + 1)
    assert "DefaultAdminTransferCanceled" in tx.events
    with reverts_with("AccessControlInvalidDefaultAdmin", alice):
        token.acceptDefaultAdminTransfer({"from": alice})
    assert token.getOwner() == admin
