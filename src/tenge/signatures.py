"""Off-chain signatures a holder gives to a relayer: EIP-2612 permits and EIP-3009 authorizations."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount

PERMIT_TYPES = {
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}
_AUTHORIZATION_FIELDS = [
    {"name": "from", "type": "address"},
    {"name": "to", "type": "address"},
    {"name": "value", "type": "uint256"},
    {"name": "validAfter", "type": "uint256"},
    {"name": "validBefore", "type": "uint256"},
    {"name": "nonce", "type": "bytes32"},
]
TRANSFER_AUTHORIZATION_TYPES = {"TransferWithAuthorization": _AUTHORIZATION_FIELDS}
RECEIVE_AUTHORIZATION_TYPES = {"ReceiveWithAuthorization": _AUTHORIZATION_FIELDS}
CANCEL_AUTHORIZATION_TYPES = {
    "CancelAuthorization": [{"name": "authorizer", "type": "address"}, {"name": "nonce", "type": "bytes32"}]
}


@dataclass(frozen=True)
class Domain:
    """The token's EIP-712 domain, as `eip712Domain()` reports it."""

    name: str
    version: str
    chain_id: int
    verifying_contract: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "chainId": self.chain_id,
            "verifyingContract": self.verifying_contract,
        }


@dataclass(frozen=True)
class PermitSignature:
    """`owner` lets `spender` spend `value` tiyn until `deadline` (unix time); anyone may submit it."""

    owner: str
    spender: str
    value: int
    nonce: int
    deadline: int
    v: int
    r: str
    s: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TransferAuthorization:
    """EIP-3009: `sender` authorizes moving `value` tiyn to `recipient` between two times.

    `receive` marks a ReceiveWithAuthorization, which only `recipient` may submit.
    """

    sender: str
    recipient: str
    value: int
    valid_after: int
    valid_before: int
    nonce: str
    v: int
    r: str
    s: str
    receive: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CancelAuthorization:
    """EIP-3009: `authorizer` cancels its unused authorization `nonce`."""

    authorizer: str
    nonce: str
    v: int
    r: str
    s: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _sign(
    account: LocalAccount, domain: Domain, types: dict[str, Any], message: dict[str, Any]
) -> tuple[int, str, str]:
    signed = Account.sign_typed_data(account.key, domain.as_dict(), types, message)
    return signed.v, "0x" + signed.r.to_bytes(32, "big").hex(), "0x" + signed.s.to_bytes(32, "big").hex()


def sign_permit(
    account: LocalAccount, domain: Domain, spender: str, value: int, nonce: int, deadline: int
) -> PermitSignature:
    message = {
        "owner": account.address,
        "spender": spender,
        "value": value,
        "nonce": nonce,
        "deadline": deadline,
    }
    v, r, s = _sign(account, domain, PERMIT_TYPES, message)
    return PermitSignature(str(account.address), spender, value, nonce, deadline, v, r, s)


def sign_transfer_authorization(
    account: LocalAccount,
    domain: Domain,
    recipient: str,
    value: int,
    valid_after: int,
    valid_before: int,
    nonce: bytes,
    receive: bool = False,
) -> TransferAuthorization:
    message = {
        "from": account.address,
        "to": recipient,
        "value": value,
        "validAfter": valid_after,
        "validBefore": valid_before,
        "nonce": nonce,
    }
    types = RECEIVE_AUTHORIZATION_TYPES if receive else TRANSFER_AUTHORIZATION_TYPES
    v, r, s = _sign(account, domain, types, message)
    return TransferAuthorization(
        str(account.address),
        recipient,
        value,
        valid_after,
        valid_before,
        "0x" + nonce.hex(),
        v,
        r,
        s,
        receive,
    )


def sign_cancel_authorization(account: LocalAccount, domain: Domain, nonce: bytes) -> CancelAuthorization:
    message = {"authorizer": account.address, "nonce": nonce}
    v, r, s = _sign(account, domain, CANCEL_AUTHORIZATION_TYPES, message)
    return CancelAuthorization(str(account.address), "0x" + nonce.hex(), v, r, s)
