"""EIP-3009: transfers by signed authorization, relayed by anyone (or only the receiver), under every rule."""

from typing import Any

import pytest
from brownie import chain
from conftest import (
    REASON,
    assert_event,
    chain_now,
    expiry,
    new_nonce,
    reverts_with,
    sign,
    sign_authorization,
)
from eth_utils.crypto import keccak

TRANSFER = "TransferWithAuthorization"
RECEIVE = "ReceiveWithAuthorization"
AUTHORIZATION_FIELDS = (
    "(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
)


def authorization(
    token: Any,
    signer: Any,
    to: Any,
    value: int,
    kind: str = TRANSFER,
    valid_after: int = 0,
    valid_before: int | None = None,
    nonce: bytes | None = None,
    authorizer: Any = None,
) -> tuple[Any, ...]:
    """The arguments of transfer/receiveWithAuthorization for an authorization `signer` signed."""
    valid_before = chain_now() + 3600 if valid_before is None else valid_before
    nonce = new_nonce() if nonce is None else nonce
    v, r, s = sign_authorization(token, kind, signer, to, value, valid_after, valid_before, nonce, authorizer)
    return (authorizer or signer, to, value, valid_after, valid_before, nonce, v, r, s)


def cancellation(token: Any, signer: Any, nonce: bytes, authorizer: Any = None) -> tuple[Any, ...]:
    """The arguments of cancelAuthorization for `nonce`, signed by `signer`."""
    authorizer = authorizer or signer
    v, r, s = sign(signer, token, "CancelAuthorization", {"authorizer": authorizer.address, "nonce": nonce})
    return (authorizer, nonce, v, r, s)


@pytest.mark.parametrize(
    "constant,type_string",
    [
        ("TRANSFER_WITH_AUTHORIZATION_TYPEHASH", TRANSFER + AUTHORIZATION_FIELDS),
        ("RECEIVE_WITH_AUTHORIZATION_TYPEHASH", RECEIVE + AUTHORIZATION_FIELDS),
        ("CANCEL_AUTHORIZATION_TYPEHASH", "CancelAuthorization(address authorizer,bytes32 nonce)"),
    ],
)
def test_typehash_is_the_eip3009_type(token: Any, constant: str, type_string: str) -> None:
    assert getattr(token, constant)() == "0x" + keccak(text=type_string).hex()


def test_relayer_submits_a_signed_transfer(token: Any, signer: Any, bob: Any, carol: Any) -> None:
    args = authorization(token, signer, bob, 30_000)
    nonce = args[5]
    tx = token.transferWithAuthorization(*args, {"from": carol})
    assert token.balanceOf(signer) == 70_000
    assert token.balanceOf(bob) == 30_000
    assert token.authorizationState(signer, nonce)
    assert_event(tx, "AuthorizationUsed", {"authorizer": signer, "nonce": nonce})
    assert_event(tx, "Transfer", {"from": signer, "to": bob, "value": 30_000})


def test_authorizations_may_be_used_in_any_order(token: Any, signer: Any, bob: Any, carol: Any) -> None:
    first = authorization(token, signer, bob, 1_000)
    second = authorization(token, signer, carol, 2_000)
    token.transferWithAuthorization(*second, {"from": bob})
    token.transferWithAuthorization(*first, {"from": bob})
    assert (token.balanceOf(bob), token.balanceOf(carol)) == (1_000, 2_000)


def test_receiver_submits_a_signed_receive(token: Any, signer: Any, bob: Any) -> None:
    args = authorization(token, signer, bob, 30_000, kind=RECEIVE)
    tx = token.receiveWithAuthorization(*args, {"from": bob})
    assert token.balanceOf(bob) == 30_000
    assert_event(tx, "AuthorizationUsed", {"authorizer": signer, "nonce": args[5]})


def test_receive_submitted_by_anyone_but_the_receiver_refused(
    token: Any, signer: Any, bob: Any, carol: Any
) -> None:
    args = authorization(token, signer, bob, 30_000, kind=RECEIVE)
    with reverts_with("ERC3009CallerMustBePayee", carol, bob):
        token.receiveWithAuthorization(*args, {"from": carol})
    assert not token.authorizationState(signer, args[5])


def test_transfer_signature_does_not_authorize_a_receive(token: Any, signer: Any, bob: Any) -> None:
    args = authorization(token, signer, bob, 30_000, kind=TRANSFER)
    with reverts_with("ERC3009InvalidSignature"):
        token.receiveWithAuthorization(*args, {"from": bob})


def test_not_yet_valid_authorization_refused(token: Any, signer: Any, bob: Any, carol: Any) -> None:
    valid_after = chain_now() + 3600
    valid_before = valid_after + 3600
    args = authorization(token, signer, bob, 1_000, valid_after=valid_after, valid_before=valid_before)
    with reverts_with("ERC3009InvalidAuthorizationTime", valid_after, valid_before):
        token.transferWithAuthorization(*args, {"from": carol})


def test_authorization_becomes_valid_after_valid_after(token: Any, signer: Any, bob: Any, carol: Any) -> None:
    valid_after = chain_now() + 3600
    args = authorization(token, signer, bob, 1_000, valid_after=valid_after, valid_before=valid_after + 3600)
    chain.sleep(3601)
    token.transferWithAuthorization(*args, {"from": carol})
    assert token.balanceOf(bob) == 1_000


def test_expired_authorization_refused(token: Any, signer: Any, bob: Any, carol: Any) -> None:
    valid_before = chain_now() + 60
    args = authorization(token, signer, bob, 1_000, valid_before=valid_before)
    chain.sleep(120)
    with reverts_with("ERC3009InvalidAuthorizationTime", 0, valid_before):
        token.transferWithAuthorization(*args, {"from": carol})


def test_replayed_authorization_refused(token: Any, signer: Any, bob: Any, carol: Any) -> None:
    args = authorization(token, signer, bob, 1_000)
    token.transferWithAuthorization(*args, {"from": carol})
    with reverts_with("ERC3009UsedAuthorization", signer, args[5]):
        token.transferWithAuthorization(*args, {"from": carol})
    assert token.balanceOf(bob) == 1_000


def test_authorization_signed_by_someone_else_refused(
    token: Any, signer: Any, impostor: Any, bob: Any, carol: Any
) -> None:
    args = authorization(token, impostor, bob, 1_000, authorizer=signer)
    with reverts_with("ERC3009InvalidSignature"):
        token.transferWithAuthorization(*args, {"from": carol})


def test_altered_authorization_refused(token: Any, signer: Any, bob: Any, carol: Any) -> None:
    owner, to, _value, *rest = authorization(token, signer, bob, 1_000)
    with reverts_with("ERC3009InvalidSignature"):
        token.transferWithAuthorization(owner, to, 99_000, *rest, {"from": carol})


@pytest.mark.parametrize("v", [0, 29])
def test_malformed_signature_refused(token: Any, signer: Any, bob: Any, carol: Any, v: int) -> None:
    """A recovery byte that is neither 27 nor 28 makes ECDSA fail: refused as an invalid signature."""
    owner, to, value, after, before, nonce, _v, r, s = authorization(token, signer, bob, 1_000)
    with reverts_with("ERC3009InvalidSignature"):
        token.transferWithAuthorization(owner, to, value, after, before, nonce, v, r, s, {"from": carol})
    assert not token.authorizationState(signer, nonce)


def test_cancelled_authorization_cannot_be_used(token: Any, signer: Any, bob: Any, carol: Any) -> None:
    args = authorization(token, signer, bob, 1_000)
    nonce = args[5]
    tx = token.cancelAuthorization(*cancellation(token, signer, nonce), {"from": carol})
    assert token.authorizationState(signer, nonce)
    assert_event(tx, "AuthorizationCanceled", {"authorizer": signer, "nonce": nonce})
    with reverts_with("ERC3009UsedAuthorization", signer, nonce):
        token.transferWithAuthorization(*args, {"from": carol})


def test_cancellation_signed_by_someone_else_refused(
    token: Any, signer: Any, impostor: Any, carol: Any
) -> None:
    nonce = new_nonce()
    with reverts_with("ERC3009InvalidSignature"):
        token.cancelAuthorization(*cancellation(token, impostor, nonce, authorizer=signer), {"from": carol})
    assert not token.authorizationState(signer, nonce)


def test_used_authorization_cannot_be_cancelled(token: Any, signer: Any, bob: Any, carol: Any) -> None:
    args = authorization(token, signer, bob, 1_000)
    token.transferWithAuthorization(*args, {"from": carol})
    with reverts_with("ERC3009UsedAuthorization", signer, args[5]):
        token.cancelAuthorization(*cancellation(token, signer, args[5]), {"from": carol})


def test_signed_transfer_beyond_balance_refused(token: Any, signer: Any, bob: Any, carol: Any) -> None:
    args = authorization(token, signer, bob, 100_001)
    with reverts_with("ERC20InsufficientBalance", signer, 100_000, 100_001):
        token.transferWithAuthorization(*args, {"from": carol})


def test_signed_transfer_from_frozen_account_refused(
    token: Any, freezer: Any, signer: Any, bob: Any, carol: Any
) -> None:
    args = authorization(token, signer, bob, 1_000)
    token.freeze(signer, expiry(), REASON, {"from": freezer})
    with reverts_with("AccountFrozen", signer):
        token.transferWithAuthorization(*args, {"from": carol})
    assert not token.authorizationState(signer, args[5])


def test_signed_transfer_respects_a_hold(token: Any, freezer: Any, signer: Any, bob: Any, carol: Any) -> None:
    args = authorization(token, signer, bob, 60_000)
    token.placeHold(signer, 50_000, expiry(), REASON, {"from": freezer})
    with reverts_with("InsufficientUnfrozenBalance", signer, 50_000, 60_000):
        token.transferWithAuthorization(*args, {"from": carol})


def test_signed_transfer_from_blocked_account_refused(
    token: Any, blocklister: Any, signer: Any, bob: Any, carol: Any
) -> None:
    args = authorization(token, signer, bob, 1_000)
    token.blockAccount(signer, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", signer):
        token.transferWithAuthorization(*args, {"from": carol})


def test_signed_transfer_to_blocked_account_refused(
    token: Any, blocklister: Any, signer: Any, bob: Any, carol: Any
) -> None:
    args = authorization(token, signer, bob, 1_000)
    token.blockAccount(bob, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", bob):
        token.transferWithAuthorization(*args, {"from": carol})


def test_signed_receive_by_blocked_receiver_refused(
    token: Any, blocklister: Any, signer: Any, bob: Any
) -> None:
    args = authorization(token, signer, bob, 1_000, kind=RECEIVE)
    token.blockAccount(bob, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", bob):
        token.receiveWithAuthorization(*args, {"from": bob})


def test_signed_transfer_while_paused_refused(
    token: Any, pauser: Any, signer: Any, bob: Any, carol: Any
) -> None:
    args = authorization(token, signer, bob, 1_000)
    token.pause(REASON, {"from": pauser})
    with reverts_with("EnforcedPause"):
        token.transferWithAuthorization(*args, {"from": carol})


def test_blocked_relayer_cannot_submit(
    token: Any, blocklister: Any, signer: Any, bob: Any, carol: Any
) -> None:
    args = authorization(token, signer, bob, 1_000)
    token.blockAccount(carol, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", carol):
        token.transferWithAuthorization(*args, {"from": carol})
    token.transferWithAuthorization(*args, {"from": bob})
    assert token.balanceOf(bob) == 1_000


def test_signed_transfer_to_frozen_account_allowed(
    token: Any, freezer: Any, signer: Any, bob: Any, carol: Any
) -> None:
    args = authorization(token, signer, bob, 1_000)
    token.freeze(bob, expiry(), REASON, {"from": freezer})
    token.transferWithAuthorization(*args, {"from": carol})
    assert token.balanceOf(bob) == 1_000
