"""EIP-2612 permit, signed by a wallet's key over the domain the token reports (EIP-5267)."""

from typing import Any

from brownie import chain
from conftest import REASON, assert_event, chain_now, reverts_with, sign_permit, typed_data
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils.crypto import keccak

DOMAIN_TYPEHASH = keccak(
    text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
)


def test_eip712_domain_names_the_token_behind_its_proxy(token: Any) -> None:
    fields, name, version, chain_id, verifying_contract, salt, extensions = token.eip712Domain()
    assert fields == "0x0f"  # name, version, chainId, verifyingContract
    assert (name, version) == ("Digital Tenge", "1")
    assert chain_id == chain.id
    assert verifying_contract == token.address
    assert salt == "0x" + "00" * 32
    assert extensions == ()


def test_domain_separator_matches_the_reported_domain(token: Any) -> None:
    encoded = (
        DOMAIN_TYPEHASH
        + keccak(text="Digital Tenge")
        + keccak(text="1")
        + chain.id.to_bytes(32, "big")
        + bytes(12)
        + bytes.fromhex(token.address[2:])
    )
    assert token.DOMAIN_SEPARATOR() == "0x" + keccak(encoded).hex()


def test_permit_sets_allowance_and_spends_a_nonce(token: Any, signer: Any, bob: Any) -> None:
    deadline = chain_now() + 3600
    v, r, s = sign_permit(token, signer, bob, 25_000, deadline)
    tx = token.permit(signer, bob, 25_000, deadline, v, r, s, {"from": bob})
    assert token.allowance(signer, bob) == 25_000
    assert token.nonces(signer) == 1
    assert_event(tx, "Approval", {"owner": signer, "spender": bob, "value": 25_000})


def test_permitted_spender_pulls_funds(token: Any, signer: Any, bob: Any, carol: Any) -> None:
    deadline = chain_now() + 3600
    token.permit(
        signer, bob, 25_000, deadline, *sign_permit(token, signer, bob, 25_000, deadline), {"from": carol}
    )
    token.transferFrom(signer, carol, 25_000, {"from": bob})
    assert token.balanceOf(carol) == 25_000
    assert token.allowance(signer, bob) == 0


def test_expired_permit_refused(token: Any, signer: Any, bob: Any) -> None:
    deadline = chain_now() + 60
    v, r, s = sign_permit(token, signer, bob, 25_000, deadline)
    chain.sleep(120)
    with reverts_with("ERC2612ExpiredSignature", deadline):
        token.permit(signer, bob, 25_000, deadline, v, r, s, {"from": bob})


def test_permit_signed_by_someone_else_refused(token: Any, signer: Any, impostor: Any, bob: Any) -> None:
    deadline = chain_now() + 3600
    message = {
        "owner": signer.address,
        "spender": bob.address,
        "value": 25_000,
        "nonce": 0,
        "deadline": deadline,
    }
    signed = Account.sign_typed_data(impostor.private_key, full_message=typed_data(token, "Permit", message))
    r, s = signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")
    with reverts_with("ERC2612InvalidSigner", impostor, signer):
        token.permit(signer, bob, 25_000, deadline, signed.v, r, s, {"from": bob})


def test_permit_with_altered_value_refused(token: Any, signer: Any, bob: Any) -> None:
    deadline = chain_now() + 3600
    v, r, s = sign_permit(token, signer, bob, 25_000, deadline)
    # The contract recovers some other address from the altered message: compute which, as it does.
    altered = {
        "owner": signer.address,
        "spender": bob.address,
        "value": 25_001,
        "nonce": 0,
        "deadline": deadline,
    }
    recovered = Account.recover_message(
        encode_typed_data(full_message=typed_data(token, "Permit", altered)), vrs=(v, r, s)
    )
    assert recovered != signer.address
    with reverts_with("ERC2612InvalidSigner", recovered, signer):
        token.permit(signer, bob, 25_001, deadline, v, r, s, {"from": bob})


def test_replayed_permit_refused(token: Any, signer: Any, bob: Any) -> None:
    deadline = chain_now() + 3600
    v, r, s = sign_permit(token, signer, bob, 25_000, deadline)
    token.permit(signer, bob, 25_000, deadline, v, r, s, {"from": bob})
    token.approve(bob, 0, {"from": signer})
    # The nonce moved on, so the same signature now recovers to some other address.
    replayed = {
        "owner": signer.address,
        "spender": bob.address,
        "value": 25_000,
        "nonce": 1,
        "deadline": deadline,
    }
    recovered = Account.recover_message(
        encode_typed_data(full_message=typed_data(token, "Permit", replayed)), vrs=(v, r, s)
    )
    with reverts_with("ERC2612InvalidSigner", recovered, signer):
        token.permit(signer, bob, 25_000, deadline, v, r, s, {"from": bob})
    assert token.allowance(signer, bob) == 0


def test_permit_to_blocked_spender_refused(token: Any, blocklister: Any, signer: Any, bob: Any) -> None:
    deadline = chain_now() + 3600
    v, r, s = sign_permit(token, signer, bob, 25_000, deadline)
    token.blockAccount(bob, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", bob):
        token.permit(signer, bob, 25_000, deadline, v, r, s, {"from": bob})


def test_permit_from_blocked_owner_refused(token: Any, blocklister: Any, signer: Any, bob: Any) -> None:
    deadline = chain_now() + 3600
    v, r, s = sign_permit(token, signer, bob, 25_000, deadline)
    token.blockAccount(signer, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", signer):
        token.permit(signer, bob, 25_000, deadline, v, r, s, {"from": bob})


def test_permit_works_while_paused(token: Any, pauser: Any, signer: Any, bob: Any) -> None:
    deadline = chain_now() + 3600
    v, r, s = sign_permit(token, signer, bob, 25_000, deadline)
    token.pause(REASON, {"from": pauser})
    token.permit(signer, bob, 25_000, deadline, v, r, s, {"from": bob})
    assert token.allowance(signer, bob) == 25_000
