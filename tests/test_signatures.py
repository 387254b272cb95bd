"""ERC-1271 wallets and the `bytes signature` forms of permit and EIP-3009, with USDC v2.2's semantics.

USDC v2.2 (circlefin/stablecoin-evm, contracts/v2/EIP2612.sol, EIP3009.sol, util/SignatureChecker.sol)
checks a signature with `SignatureChecker.isValidSignatureNow`: ECDSA (exactly 65 bytes) when the signer
has no code, its ERC-1271 `isValidSignature` answer (a full word holding the magic value) when it has.
Each form, (v, r, s) and bytes, from an EOA and from a wallet, is one story below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from brownie import ERC20Mock, ERC1271RefusingWalletMock, ERC1271WalletMock, chain, web3
from conftest import REASON, assert_event, chain_now, new_nonce, reverts_with, typed_data
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils.crypto import keccak

PERMIT = "Permit"
TRANSFER = "TransferWithAuthorization"
RECEIVE = "ReceiveWithAuthorization"
CANCEL = "CancelAuthorization"
AUTHORIZATIONS = (TRANSFER, RECEIVE)
FORMS = ("vrs", "bytes")
KINDS = ("eoa", "wallet")
# Each signed message type, the token function that takes it, and that function's two overloads.
METHODS = {
    PERMIT: "permit",
    TRANSFER: "transferWithAuthorization",
    RECEIVE: "receiveWithAuthorization",
    CANCEL: "cancelAuthorization",
}
_AUTHORIZATION_INPUTS = "address,address,uint256,uint256,uint256,bytes32"
OVERLOADS = {
    PERMIT: "address,address,uint256,uint256",
    TRANSFER: _AUTHORIZATION_INPUTS,
    RECEIVE: _AUTHORIZATION_INPUTS,
    CANCEL: "address,bytes32",
}
ZERO_ADDRESS = "0x" + "00" * 20
REFUSALS = ("reject", "revert", "short answer", "no ERC-1271")


@dataclass(frozen=True)
class Holder:
    """Who authorizes: an EOA signing with its own key, or a wallet contract its owner's key signs for."""

    account: Any
    key: Any

    @property
    def is_wallet(self) -> bool:
        return address_of(self.account) != address_of(self.key)


@dataclass(frozen=True)
class Signed:
    """A signed message and the call that submits it: `args` come before the signature."""

    primary_type: str
    message: dict[str, Any]
    args: tuple[Any, ...]
    signature: bytes


# --- Fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wallet(token: Any, admin: Any, minter: Any, signer: Any) -> Any:
    """A smart-contract wallet owned by `signer`'s key, with 1,000.00 KZT."""
    wallet = ERC1271WalletMock.deploy(signer, {"from": admin})
    token.mint(wallet, 100_000, {"from": minter})
    return wallet


@pytest.fixture(scope="module", params=KINDS)
def holder(request: Any, signer: Any, wallet: Any) -> Holder:
    """The authorizer, once an EOA (`signer`) and once a wallet (`wallet`, whose owner is `signer`)."""
    return Holder(signer if request.param == "eoa" else wallet, signer)


@pytest.fixture(scope="module")
def eoa(signer: Any) -> Holder:
    """`signer` as an authorizer of its own funds."""
    return Holder(signer, signer)


@pytest.fixture(scope="module")
def smart(wallet: Any, signer: Any) -> Holder:
    """`wallet` as an authorizer, its owner `signer` signing for it."""
    return Holder(wallet, signer)


@pytest.fixture(scope="module", params=REFUSALS)
def refusing(request: Any, token: Any, admin: Any, minter: Any, signer: Any) -> Holder:
    """A contract holding 1,000.00 KZT that approves no signature, in each way a contract can refuse."""
    if request.param == "no ERC-1271":
        contract = ERC20Mock.deploy({"from": admin})  # no isValidSignature, no fallback: every call reverts
    else:
        contract = ERC1271RefusingWalletMock.deploy(REFUSALS.index(request.param), {"from": admin})
    token.mint(contract, 100_000, {"from": minter})
    return Holder(contract, signer)


# --- Signing and submitting -----------------------------------------------------------------------


def digest(token: Any, primary_type: str, message: dict[str, Any]) -> bytes:
    """The EIP-712 digest the token checks: what an ECDSA key signs and an ERC-1271 wallet is asked about."""
    signable = encode_typed_data(full_message=typed_data(token, primary_type, message))
    return keccak(b"\x19" + signable.version + signable.header + signable.body)


def ecdsa(key: Any, token: Any, primary_type: str, message: dict[str, Any]) -> bytes:
    """`key`'s 65-byte signature (r, s, v) of the message, as USDC packs it."""
    full_message = typed_data(token, primary_type, message)
    return bytes(Account.sign_typed_data(key.private_key, full_message=full_message).signature)


def recovered(token: Any, primary_type: str, message: dict[str, Any], signature: bytes) -> str:
    """The address ECDSA recovers from `signature` over the message: what ERC2612InvalidSigner reports."""
    signable = encode_typed_data(full_message=typed_data(token, primary_type, message))
    return str(Account.recover_message(signable, signature=signature))


def address_of(value: Any) -> str:
    return str(value.address) if hasattr(value, "address") else str(value)


def signed_permit(
    token: Any, holder: Holder, spender: Any, value: int, deadline: int | None = None, key: Any = None
) -> Signed:
    """A permit of `holder`'s at its next nonce, signed by `key` (default: the holder's key)."""
    deadline = chain_now() + 3600 if deadline is None else deadline
    owner = address_of(holder.account)
    message = {
        "owner": owner,
        "spender": address_of(spender),
        "value": value,
        "nonce": token.nonces(owner),
        "deadline": deadline,
    }
    signature = ecdsa(key or holder.key, token, PERMIT, message)
    return Signed(PERMIT, message, (owner, address_of(spender), value, deadline), signature)


def signed_authorization(
    token: Any,
    primary_type: str,
    holder: Holder,
    to: Any,
    value: int,
    valid_after: int = 0,
    valid_before: int | None = None,
    nonce: bytes | None = None,
    key: Any = None,
) -> Signed:
    """A transfer or receive authorization from `holder`, signed by `key` (default: the holder's key)."""
    valid_before = chain_now() + 3600 if valid_before is None else valid_before
    nonce = new_nonce() if nonce is None else nonce
    payer = address_of(holder.account)
    message = {
        "from": payer,
        "to": address_of(to),
        "value": value,
        "validAfter": valid_after,
        "validBefore": valid_before,
        "nonce": nonce,
    }
    signature = ecdsa(key or holder.key, token, primary_type, message)
    args = (payer, address_of(to), value, valid_after, valid_before, nonce)
    return Signed(primary_type, message, args, signature)


def signed_cancellation(token: Any, holder: Holder, nonce: bytes, key: Any = None) -> Signed:
    """A cancellation of `holder`'s authorization `nonce`, signed by `key` (default: the holder's key)."""
    authorizer = address_of(holder.account)
    message = {"authorizer": authorizer, "nonce": nonce}
    return Signed(CANCEL, message, (authorizer, nonce), ecdsa(key or holder.key, token, CANCEL, message))


def method(token: Any, primary_type: str, form: str) -> Any:
    """The token function that takes `primary_type`, in `form`: (v, r, s) or `bytes signature`."""
    tail = "uint8,bytes32,bytes32" if form == "vrs" else "bytes"
    return getattr(token, METHODS[primary_type])[f"{OVERLOADS[primary_type]},{tail}"]


def call_args(signed: Signed, form: str, signature: bytes | None = None) -> tuple[Any, ...]:
    """The call's arguments: the 65 bytes split into (v, r, s), or the signature bytes as they are."""
    signature = signed.signature if signature is None else signature
    if form == "vrs":
        assert len(signature) == 65
        return (*signed.args, signature[64], signature[:32], signature[32:64])
    return (*signed.args, signature)


def submit(token: Any, signed: Signed, form: str, sender: Any, signature: bytes | None = None) -> Any:
    """Submits `signed` from `sender`, with its own signature or `signature`."""
    return method(token, signed.primary_type, form)(*call_args(signed, form, signature), {"from": sender})


def submit_as_wallet(token: Any, wallet: Any, signed: Signed, form: str = "bytes") -> Any:
    """Submits `signed` with the wallet as the caller (`execute`, by its owner)."""
    data = method(token, signed.primary_type, form).encode_input(*call_args(signed, form))
    return wallet.execute(token, data, {"from": wallet.OWNER()})


def approve_in_wallet(token: Any, wallet: Any, signed: Signed) -> None:
    """The wallet's owner approves the message's digest: any signature bytes are then the wallet's."""
    wallet.approveHash(digest(token, signed.primary_type, signed.message), {"from": wallet.OWNER()})


def next_block_at(timestamp: int) -> None:
    """The next transaction is mined at exactly `timestamp`."""
    response = web3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])
    assert "error" not in response, response


def event_names(tx: Any) -> list[str]:
    return [event.name for event in tx.events]


# --- Each form, from an EOA and from a wallet ------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_permit_sets_the_allowance(token: Any, holder: Holder, bob: Any, carol: Any, form: str) -> None:
    signed = signed_permit(token, holder, bob, 25_000)
    tx = submit(token, signed, form, carol)
    assert token.allowance(holder.account, bob) == 25_000
    assert token.nonces(holder.account) == 1
    assert_event(tx, "Approval", {"owner": holder.account, "spender": bob, "value": 25_000})


@pytest.mark.parametrize("form", FORMS)
def test_transfer_with_authorization_moves_the_funds(
    token: Any, holder: Holder, bob: Any, carol: Any, form: str
) -> None:
    signed = signed_authorization(token, TRANSFER, holder, bob, 30_000)
    tx = submit(token, signed, form, carol)
    assert (token.balanceOf(holder.account), token.balanceOf(bob)) == (70_000, 30_000)
    assert token.authorizationState(holder.account, signed.message["nonce"])
    assert event_names(tx)[-2:] == ["AuthorizationUsed", "Transfer"]  # USDC's order
    assert_event(tx, "AuthorizationUsed", {"authorizer": holder.account, "nonce": signed.message["nonce"]})
    assert_event(tx, "Transfer", {"from": holder.account, "to": bob, "value": 30_000})


@pytest.mark.parametrize("form", FORMS)
def test_receive_with_authorization_submitted_by_the_payee(
    token: Any, holder: Holder, bob: Any, form: str
) -> None:
    signed = signed_authorization(token, RECEIVE, holder, bob, 30_000)
    tx = submit(token, signed, form, bob)
    assert (token.balanceOf(holder.account), token.balanceOf(bob)) == (70_000, 30_000)
    assert_event(tx, "AuthorizationUsed", {"authorizer": holder.account, "nonce": signed.message["nonce"]})
    assert_event(tx, "Transfer", {"from": holder.account, "to": bob, "value": 30_000})


@pytest.mark.parametrize("form", FORMS)
def test_cancelled_authorization_is_spent(
    token: Any, holder: Holder, bob: Any, carol: Any, form: str
) -> None:
    authorization = signed_authorization(token, TRANSFER, holder, bob, 1_000)
    nonce = authorization.message["nonce"]
    tx = submit(token, signed_cancellation(token, holder, nonce), form, carol)
    assert token.authorizationState(holder.account, nonce)
    assert_event(tx, "AuthorizationCanceled", {"authorizer": holder.account, "nonce": nonce})
    with reverts_with("ERC3009UsedAuthorization", holder.account, nonce):
        submit(token, authorization, form, carol)
    assert token.balanceOf(bob) == 0


def test_wallet_payee_submits_its_receive_itself(token: Any, eoa: Holder, wallet: Any) -> None:
    signed = signed_authorization(token, RECEIVE, eoa, wallet, 30_000)
    submit_as_wallet(token, wallet, signed)
    assert (token.balanceOf(eoa.account), token.balanceOf(wallet)) == (70_000, 130_000)


# --- A wallet's own signatures: any length, once it approves them -----------------------------------


@pytest.mark.parametrize("length", [0, 64, 130])
@pytest.mark.parametrize("primary_type", [PERMIT, TRANSFER, RECEIVE, CANCEL])
def test_wallet_approved_message_accepts_a_signature_of_any_length(
    token: Any, smart: Holder, bob: Any, primary_type: str, length: int
) -> None:
    """A multisig's signature is not 65 bytes: 0 for an on-chain confirmation, 65 per owner."""
    if primary_type == PERMIT:
        signed = signed_permit(token, smart, bob, 25_000)
    elif primary_type == CANCEL:
        signed = signed_cancellation(token, smart, new_nonce())
    else:
        signed = signed_authorization(token, primary_type, smart, bob, 30_000)
    approve_in_wallet(token, smart.account, signed)
    long_signature = (signed.signature * 2)[:length]  # e.g. two owners' signatures, 130 bytes
    submit(token, signed, "bytes", bob, long_signature)
    if primary_type == PERMIT:
        assert token.allowance(smart.account, bob) == 25_000
    elif primary_type == CANCEL:
        assert token.authorizationState(smart.account, signed.message["nonce"])
    else:
        assert token.balanceOf(bob) == 30_000


def test_long_signature_refused_until_the_wallet_approves_it(token: Any, smart: Holder, bob: Any) -> None:
    signed = signed_authorization(token, TRANSFER, smart, bob, 30_000)
    two_owners = signed.signature * 2
    with reverts_with("ERC3009InvalidSignature"):
        submit(token, signed, "bytes", bob, two_owners)
    approve_in_wallet(token, smart.account, signed)
    submit(token, signed, "bytes", bob, two_owners)
    assert token.balanceOf(bob) == 30_000


def test_wallet_approval_of_another_permit_does_not_carry_over(token: Any, smart: Holder, bob: Any) -> None:
    """The approval is of one digest: the same empty signature for a larger value is refused."""
    approve_in_wallet(token, smart.account, signed_permit(token, smart, bob, 25_000))
    larger = signed_permit(token, smart, bob, 25_001)
    with reverts_with("ERC2612InvalidSigner", ZERO_ADDRESS, smart.account):
        submit(token, larger, "bytes", bob, b"")
    assert token.nonces(smart.account) == 0


@pytest.mark.parametrize("length", [0, 64, 66, 130])
@pytest.mark.parametrize("primary_type", AUTHORIZATIONS)
def test_eoa_signature_of_another_length_refused(
    token: Any, eoa: Holder, bob: Any, primary_type: str, length: int
) -> None:
    """Without code, only 65-byte ECDSA counts (USDC's ECRecover); no EIP-2098 64-byte form."""
    signed = signed_authorization(token, primary_type, eoa, bob, 30_000)
    r, s, v = signed.signature[:32], signed.signature[32:64], signed.signature[64]
    compact = r + ((v - 27) << 255 | int.from_bytes(s, "big")).to_bytes(32, "big")
    signature = {0: b"", 64: compact, 66: signed.signature + b"\x00", 130: signed.signature * 2}[length]
    with reverts_with("ERC3009InvalidSignature"):
        submit(token, signed, "bytes", bob, signature)
    assert not token.authorizationState(eoa.account, signed.message["nonce"])


def test_eoa_permit_signature_of_another_length_refused(token: Any, eoa: Holder, bob: Any) -> None:
    """A malformed signature reports no recovered signer (address zero), as the token documents."""
    signed = signed_permit(token, eoa, bob, 25_000)
    with reverts_with("ERC2612InvalidSigner", ZERO_ADDRESS, eoa.account):
        submit(token, signed, "bytes", bob, signed.signature * 2)


def test_malleable_high_s_signature_refused(token: Any, eoa: Holder, bob: Any) -> None:
    """(r, n - s, v ^ 1) recovers the same key; ECDSA as USDC and OpenZeppelin take it refuses it."""
    n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    signed = signed_authorization(token, TRANSFER, eoa, bob, 30_000)
    r, s, v = signed.signature[:32], int.from_bytes(signed.signature[32:64], "big"), signed.signature[64]
    twin = r + (n - s).to_bytes(32, "big") + bytes([55 - v])
    assert recovered(token, TRANSFER, signed.message, twin) == eoa.account.address
    with reverts_with("ERC3009InvalidSignature"):
        submit(token, signed, "bytes", bob, twin)


# --- Whose signature counts for whom ---------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_owner_authorization_of_its_own_funds_does_not_move_the_wallet_funds(
    token: Any, eoa: Holder, wallet: Any, bob: Any, carol: Any, form: str
) -> None:
    own = signed_authorization(token, TRANSFER, eoa, bob, 1_000)
    redirected = Signed(TRANSFER, own.message, (wallet.address, *own.args[1:]), own.signature)
    with reverts_with("ERC3009InvalidSignature"):
        submit(token, redirected, form, carol)
    assert token.balanceOf(wallet) == 100_000


@pytest.mark.parametrize("form", FORMS)
def test_other_eoa_signature_does_not_authorize_for_the_wallet(
    token: Any, smart: Holder, impostor: Any, bob: Any, carol: Any, form: str
) -> None:
    signed = signed_authorization(token, TRANSFER, smart, bob, 1_000, key=impostor)
    with reverts_with("ERC3009InvalidSignature"):
        submit(token, signed, form, carol)


def test_other_eoa_permit_for_the_wallet_names_the_recovered_signer(
    token: Any, smart: Holder, impostor: Any, bob: Any
) -> None:
    signed = signed_permit(token, smart, bob, 25_000, key=impostor)
    with reverts_with("ERC2612InvalidSigner", impostor, smart.account):
        submit(token, signed, "bytes", bob)


def test_wallet_signature_does_not_authorize_for_its_owner_eoa(
    token: Any, smart: Holder, signer: Any, bob: Any, carol: Any
) -> None:
    """The wallet's message names the wallet: the same signature for `from` = owner recovers another key."""
    walletish = signed_authorization(token, TRANSFER, smart, bob, 1_000)
    redirected = Signed(
        TRANSFER, walletish.message, (signer.address, *walletish.args[1:]), walletish.signature
    )
    with reverts_with("ERC3009InvalidSignature"):
        submit(token, redirected, "bytes", carol)
    assert token.balanceOf(signer) == 100_000


@pytest.mark.parametrize("primary_type", [PERMIT, TRANSFER])
def test_wallet_approval_does_not_authorize_for_an_eoa(
    token: Any, eoa: Holder, wallet: Any, bob: Any, primary_type: str
) -> None:
    """An EOA's authorization is its ECDSA signature: no wallet's approval of the digest stands in for it."""
    if primary_type == PERMIT:
        signed = signed_permit(token, eoa, bob, 25_000)
        expected = reverts_with("ERC2612InvalidSigner", ZERO_ADDRESS, eoa.account)
    else:
        signed = signed_authorization(token, TRANSFER, eoa, bob, 1_000)
        expected = reverts_with("ERC3009InvalidSignature")
    approve_in_wallet(token, wallet, signed)
    with expected:
        submit(token, signed, "bytes", bob, b"")


# --- Contracts that approve nothing ---------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_refusing_contract_permit_refused(token: Any, refusing: Holder, bob: Any, form: str) -> None:
    """The owner's key signed it, but the owner is the contract, which refuses: the recovered key is named."""
    signed = signed_permit(token, refusing, bob, 25_000)
    with reverts_with("ERC2612InvalidSigner", refusing.key, refusing.account):
        submit(token, signed, form, bob)
    assert token.nonces(refusing.account) == 0
    assert token.allowance(refusing.account, bob) == 0


def test_refusing_contract_permit_with_empty_signature_refused(
    token: Any, refusing: Holder, bob: Any
) -> None:
    signed = signed_permit(token, refusing, bob, 25_000)
    with reverts_with("ERC2612InvalidSigner", ZERO_ADDRESS, refusing.account):
        submit(token, signed, "bytes", bob, b"")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("primary_type", [TRANSFER, RECEIVE, CANCEL])
def test_refusing_contract_authorization_refused(
    token: Any, refusing: Holder, bob: Any, primary_type: str, form: str
) -> None:
    if primary_type == CANCEL:
        signed = signed_cancellation(token, refusing, new_nonce())
    else:
        signed = signed_authorization(token, primary_type, refusing, bob, 1_000)
    with reverts_with("ERC3009InvalidSignature"):
        submit(token, signed, form, bob)
    assert not token.authorizationState(refusing.account, signed.message["nonce"])
    assert token.balanceOf(refusing.account) == 100_000


# --- Replay, expiry, used and cancelled nonces, as USDC v2.2 --------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_replayed_permit_refused(token: Any, holder: Holder, bob: Any, form: str) -> None:
    """The nonce moved on: the same signature is now checked against the next nonce's digest."""
    signed = signed_permit(token, holder, bob, 25_000)
    submit(token, signed, form, bob)
    next_message = {**signed.message, "nonce": 1}
    with reverts_with(
        "ERC2612InvalidSigner", recovered(token, PERMIT, next_message, signed.signature), holder.account
    ):
        submit(token, signed, form, bob)
    assert token.nonces(holder.account) == 1


def test_replayed_wallet_approved_permit_refused(token: Any, smart: Holder, bob: Any) -> None:
    """The wallet approved the digest at nonce 0; at nonce 1 the empty signature approves nothing."""
    signed = signed_permit(token, smart, bob, 25_000)
    approve_in_wallet(token, smart.account, signed)
    submit(token, signed, "bytes", bob, b"")
    with reverts_with("ERC2612InvalidSigner", ZERO_ADDRESS, smart.account):
        submit(token, signed, "bytes", bob, b"")


def test_permits_spend_nonces_in_order(token: Any, holder: Holder, bob: Any, carol: Any) -> None:
    first = signed_permit(token, holder, bob, 1_000)
    submit(token, first, "bytes", carol)
    second = signed_permit(token, holder, carol, 2_000)
    assert second.message["nonce"] == 1
    submit(token, second, "vrs", bob)
    assert token.nonces(holder.account) == 2
    assert (token.allowance(holder.account, bob), token.allowance(holder.account, carol)) == (1_000, 2_000)


def test_refused_permit_spends_no_nonce(token: Any, holder: Holder, impostor: Any, bob: Any) -> None:
    signed = signed_permit(token, holder, bob, 25_000, key=impostor)
    with reverts_with("ERC2612InvalidSigner", impostor, holder.account):
        submit(token, signed, "bytes", bob)
    assert token.nonces(holder.account) == 0
    submit(token, signed_permit(token, holder, bob, 25_000), "bytes", bob)
    assert token.allowance(holder.account, bob) == 25_000


@pytest.mark.parametrize("form", FORMS)
def test_expired_permit_refused(token: Any, holder: Holder, bob: Any, form: str) -> None:
    deadline = chain_now() + 60
    signed = signed_permit(token, holder, bob, 25_000, deadline)
    chain.sleep(120)
    with reverts_with("ERC2612ExpiredSignature", deadline):
        submit(token, signed, form, bob)
    assert token.nonces(holder.account) == 0


def test_permit_valid_in_the_second_of_its_deadline(token: Any, holder: Holder, bob: Any) -> None:
    """USDC: `deadline >= now`; OpenZeppelin: refused only when `block.timestamp > deadline`."""
    deadline = chain_now() + 60
    signed = signed_permit(token, holder, bob, 25_000, deadline)
    next_block_at(deadline)
    tx = submit(token, signed, "bytes", bob)
    assert tx.timestamp == deadline
    assert token.allowance(holder.account, bob) == 25_000


def test_permit_refused_a_second_after_its_deadline(token: Any, holder: Holder, bob: Any) -> None:
    deadline = chain_now() + 60
    signed = signed_permit(token, holder, bob, 25_000, deadline)
    next_block_at(deadline + 1)
    with reverts_with("ERC2612ExpiredSignature", deadline):
        submit(token, signed, "bytes", bob)
    chain.mine()  # uses up the pinned timestamp whether or not the refused call reached a block


@pytest.mark.parametrize(
    "offset,accepted",
    [(-1, True), (0, False), (1, False)],
    ids=["second-after-validAfter", "at-validAfter", "before-validAfter"],
)
def test_authorization_valid_only_strictly_after_valid_after(
    token: Any, holder: Holder, bob: Any, carol: Any, offset: int, accepted: bool
) -> None:
    """USDC: `now > validAfter`."""
    valid_after = chain_now() + 60
    signed = signed_authorization(
        token, TRANSFER, holder, bob, 1_000, valid_after=valid_after, valid_before=valid_after + 3600
    )
    next_block_at(valid_after - offset)
    if accepted:
        tx = submit(token, signed, "bytes", carol)
        assert (tx.timestamp, token.balanceOf(bob)) == (valid_after - offset, 1_000)
        return
    with reverts_with("ERC3009InvalidAuthorizationTime", valid_after, valid_after + 3600):
        submit(token, signed, "bytes", carol)
    chain.mine()


@pytest.mark.parametrize(
    "offset,accepted",
    [(1, True), (0, False), (-1, False)],
    ids=["second-before-validBefore", "at-validBefore", "after-validBefore"],
)
def test_authorization_valid_only_strictly_before_valid_before(
    token: Any, holder: Holder, bob: Any, carol: Any, offset: int, accepted: bool
) -> None:
    """USDC: `now < validBefore`."""
    valid_before = chain_now() + 60
    signed = signed_authorization(token, RECEIVE, holder, bob, 1_000, valid_before=valid_before)
    next_block_at(valid_before - offset)
    if accepted:
        tx = submit(token, signed, "vrs", bob)
        assert (tx.timestamp, token.balanceOf(bob)) == (valid_before - offset, 1_000)
        return
    with reverts_with("ERC3009InvalidAuthorizationTime", 0, valid_before):
        submit(token, signed, "vrs", bob)
    chain.mine()


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("primary_type", AUTHORIZATIONS)
def test_replayed_authorization_refused(
    token: Any, holder: Holder, bob: Any, primary_type: str, form: str
) -> None:
    signed = signed_authorization(token, primary_type, holder, bob, 1_000)
    submit(token, signed, form, bob)
    with reverts_with("ERC3009UsedAuthorization", holder.account, signed.message["nonce"]):
        submit(token, signed, form, bob)
    assert token.balanceOf(bob) == 1_000


def test_nonce_used_by_a_transfer_is_spent_for_a_receive(token: Any, holder: Holder, bob: Any) -> None:
    """One nonce space per authorizer, for every kind of authorization (USDC's `_authorizationStates`)."""
    nonce = new_nonce()
    submit(token, signed_authorization(token, TRANSFER, holder, bob, 1_000, nonce=nonce), "bytes", bob)
    receive = signed_authorization(token, RECEIVE, holder, bob, 1_000, nonce=nonce)
    with reverts_with("ERC3009UsedAuthorization", holder.account, nonce):
        submit(token, receive, "bytes", bob)


def test_nonces_belong_to_their_authorizer(token: Any, eoa: Holder, smart: Holder, bob: Any) -> None:
    nonce = new_nonce()
    submit(token, signed_authorization(token, TRANSFER, eoa, bob, 1_000, nonce=nonce), "bytes", bob)
    submit(token, signed_authorization(token, TRANSFER, smart, bob, 2_000, nonce=nonce), "bytes", bob)
    assert token.balanceOf(bob) == 3_000


@pytest.mark.parametrize("primary_type", AUTHORIZATIONS)
def test_cancelled_nonce_refused(token: Any, holder: Holder, bob: Any, primary_type: str) -> None:
    signed = signed_authorization(token, primary_type, holder, bob, 1_000)
    nonce = signed.message["nonce"]
    submit(token, signed_cancellation(token, holder, nonce), "vrs", bob)
    with reverts_with("ERC3009UsedAuthorization", holder.account, nonce):
        submit(token, signed, "bytes", bob)


def test_cancellation_replayed_refused(token: Any, holder: Holder, carol: Any) -> None:
    cancellation = signed_cancellation(token, holder, new_nonce())
    submit(token, cancellation, "bytes", carol)
    with reverts_with("ERC3009UsedAuthorization", holder.account, cancellation.message["nonce"]):
        submit(token, cancellation, "bytes", carol)


def test_used_authorization_cannot_be_cancelled(token: Any, holder: Holder, bob: Any, carol: Any) -> None:
    signed = signed_authorization(token, TRANSFER, holder, bob, 1_000)
    submit(token, signed, "bytes", carol)
    nonce = signed.message["nonce"]
    with reverts_with("ERC3009UsedAuthorization", holder.account, nonce):
        submit(token, signed_cancellation(token, holder, nonce), "bytes", carol)


def test_refused_transfer_leaves_the_nonce_unused(token: Any, holder: Holder, bob: Any, carol: Any) -> None:
    signed = signed_authorization(token, TRANSFER, holder, bob, 100_001)
    with reverts_with("ERC20InsufficientBalance", holder.account, 100_000, 100_001):
        submit(token, signed, "bytes", carol)
    assert not token.authorizationState(holder.account, signed.message["nonce"])


# USDC v2.2 checks the window and the nonce first (`_requireValidAuthorization`,
# `_requireUnusedAuthorization`), then the signature: a stale authorization reads as stale whatever
# signature comes with it (a wallet's approval may since be withdrawn, a relayer's copy corrupted).


def test_used_nonce_reported_before_a_refused_signature_as_usdc(
    token: Any, smart: Holder, impostor: Any, bob: Any
) -> None:
    signed = signed_authorization(token, TRANSFER, smart, bob, 1_000)
    submit(token, signed, "bytes", bob)
    with reverts_with("ERC3009UsedAuthorization", smart.account, signed.message["nonce"]):
        submit(token, signed, "bytes", bob, ecdsa(impostor, token, TRANSFER, signed.message))


def test_expiry_reported_before_a_refused_signature_as_usdc(
    token: Any, smart: Holder, impostor: Any, bob: Any
) -> None:
    valid_before = chain_now() + 60
    signed = signed_authorization(token, TRANSFER, smart, bob, 1_000, valid_before=valid_before)
    chain.sleep(120)
    with reverts_with("ERC3009InvalidAuthorizationTime", 0, valid_before):
        submit(token, signed, "bytes", bob, ecdsa(impostor, token, TRANSFER, signed.message))


def test_cancelling_a_used_nonce_reported_before_a_refused_signature_as_usdc(
    token: Any, smart: Holder, impostor: Any, bob: Any
) -> None:
    signed = signed_authorization(token, TRANSFER, smart, bob, 1_000)
    submit(token, signed, "bytes", bob)
    nonce = signed.message["nonce"]
    with reverts_with("ERC3009UsedAuthorization", smart.account, nonce):
        submit(token, signed_cancellation(token, smart, nonce, key=impostor), "bytes", bob)


# --- receiveWithAuthorization: only the payee submits ------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_receive_submitted_by_someone_else_refused(
    token: Any, holder: Holder, bob: Any, carol: Any, form: str
) -> None:
    signed = signed_authorization(token, RECEIVE, holder, bob, 1_000)
    with reverts_with("ERC3009CallerMustBePayee", carol, bob):
        submit(token, signed, form, carol)
    assert not token.authorizationState(holder.account, signed.message["nonce"])


def test_receive_to_a_wallet_submitted_by_its_owner_refused(
    token: Any, eoa: Holder, wallet: Any, signer: Any
) -> None:
    """The wallet is the payee, not its owner's key: the owner submits through the wallet."""
    signed = signed_authorization(token, RECEIVE, eoa, wallet, 1_000)
    with reverts_with("ERC3009CallerMustBePayee", signer, wallet):
        submit(token, signed, "bytes", signer)


def test_receive_submitted_by_the_payer_refused(token: Any, holder: Holder, bob: Any) -> None:
    signed = signed_authorization(token, RECEIVE, holder, bob, 1_000)
    with reverts_with("ERC3009CallerMustBePayee", holder.account, bob):
        if holder.is_wallet:
            submit_as_wallet(token, holder.account, signed)
        else:
            submit(token, signed, "bytes", holder.account)


# --- The blocklist: relayer, submitter, wallet ------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_blocked_relayer_refused(
    token: Any, blocklister: Any, holder: Holder, bob: Any, carol: Any, form: str
) -> None:
    signed = signed_authorization(token, TRANSFER, holder, bob, 1_000)
    token.blockAccount(carol, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", carol):
        submit(token, signed, form, carol)
    assert not token.authorizationState(holder.account, signed.message["nonce"])


def test_blocked_wallet_as_relayer_refused(
    token: Any, blocklister: Any, eoa: Holder, wallet: Any, bob: Any
) -> None:
    signed = signed_authorization(token, TRANSFER, eoa, bob, 1_000)
    token.blockAccount(wallet, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", wallet):
        submit_as_wallet(token, wallet, signed)


def test_unblocked_wallet_relays(token: Any, eoa: Holder, wallet: Any, bob: Any) -> None:
    submit_as_wallet(token, wallet, signed_authorization(token, TRANSFER, eoa, bob, 1_000))
    assert token.balanceOf(bob) == 1_000


@pytest.mark.parametrize("primary_type", AUTHORIZATIONS)
def test_blocked_wallet_as_payer_refused(
    token: Any, blocklister: Any, smart: Holder, bob: Any, primary_type: str
) -> None:
    signed = signed_authorization(token, primary_type, smart, bob, 1_000)
    token.blockAccount(smart.account, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", smart.account):
        submit(token, signed, "bytes", bob)


def test_blocked_wallet_as_payee_refused(
    token: Any, blocklister: Any, eoa: Holder, wallet: Any, carol: Any
) -> None:
    signed = signed_authorization(token, TRANSFER, eoa, wallet, 1_000)
    token.blockAccount(wallet, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", wallet):
        submit(token, signed, "bytes", carol)


def test_blocked_wallet_as_submitter_of_its_receive_refused(
    token: Any, blocklister: Any, eoa: Holder, wallet: Any
) -> None:
    signed = signed_authorization(token, RECEIVE, eoa, wallet, 1_000)
    token.blockAccount(wallet, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", wallet):
        submit_as_wallet(token, wallet, signed)
    assert not token.authorizationState(eoa.account, signed.message["nonce"])


def test_blocked_payee_submitting_its_receive_refused(
    token: Any, blocklister: Any, holder: Holder, bob: Any
) -> None:
    signed = signed_authorization(token, RECEIVE, holder, bob, 1_000)
    token.blockAccount(bob, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", bob):
        submit(token, signed, "vrs", bob)


def test_blocked_wallet_permit_refused(token: Any, blocklister: Any, smart: Holder, bob: Any) -> None:
    signed = signed_permit(token, smart, bob, 25_000)
    token.blockAccount(smart.account, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", smart.account):
        submit(token, signed, "bytes", bob)


def test_permit_to_a_blocked_wallet_refused(
    token: Any, blocklister: Any, eoa: Holder, wallet: Any, bob: Any
) -> None:
    signed = signed_permit(token, eoa, wallet, 25_000)
    token.blockAccount(wallet, REASON, {"from": blocklister})
    with reverts_with("AccountBlocked", wallet):
        submit(token, signed, "bytes", bob)


def test_blocking_the_owner_key_does_not_block_its_wallet(
    token: Any, blocklister: Any, smart: Holder, signer: Any, bob: Any, carol: Any
) -> None:
    """The token knows the wallet, not who holds its keys: blocking a wallet means blocking the wallet."""
    signed = signed_authorization(token, TRANSFER, smart, bob, 1_000)
    token.blockAccount(signer, REASON, {"from": blocklister})
    submit(token, signed, "bytes", carol)
    assert token.balanceOf(bob) == 1_000
