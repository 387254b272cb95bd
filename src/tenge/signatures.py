"""Off-chain signatures a holder gives to a relayer: EIP-2612 permits and EIP-3009 authorizations.

Each signed message is a dataclass whose `to_dict()` is plain JSON tagged with its `type`;
`signed_from_dict` reads one back, checking every field, so a holder can sign on one machine
(`tenge authorize`) and a relayer submit it on another (`tenge relay`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar

from eth_account import Account
from eth_account.signers.local import LocalAccount

from tenge.errors import InvalidInput

EIP712_DOMAIN_TYPE = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]

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
# Every primary type the token verifies, by name.
PRIMARY_TYPES: dict[str, list[dict[str, str]]] = {
    **PERMIT_TYPES,
    **TRANSFER_AUTHORIZATION_TYPES,
    **RECEIVE_AUTHORIZATION_TYPES,
    **CANCEL_AUTHORIZATION_TYPES,
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

    type: ClassVar[str] = "permit"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}


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

    @property
    def type(self) -> str:
        return "receiveWithAuthorization" if self.receive else "transferWithAuthorization"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}


@dataclass(frozen=True)
class CancelAuthorization:
    """EIP-3009: `authorizer` cancels its unused authorization `nonce`."""

    authorizer: str
    nonce: str
    v: int
    r: str
    s: str

    type: ClassVar[str] = "cancelAuthorization"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}


Signed = PermitSignature | TransferAuthorization | CancelAuthorization
_SIGNED_TYPES: dict[str, type[PermitSignature] | type[TransferAuthorization] | type[CancelAuthorization]] = {
    "permit": PermitSignature,
    "transferWithAuthorization": TransferAuthorization,
    "receiveWithAuthorization": TransferAuthorization,
    "cancelAuthorization": CancelAuthorization,
}
_FIELD_TYPES = {"int": int, "str": str, "bool": bool}


def signed_from_dict(data: Mapping[str, Any]) -> Signed:
    """A signed permit or authorization from its `to_dict()` form; InvalidInput names what is wrong."""
    kind = data.get("type")
    if kind not in _SIGNED_TYPES:
        raise InvalidInput(f"type must be one of {', '.join(_SIGNED_TYPES)}, not {kind!r}")
    cls = _SIGNED_TYPES[kind]
    values = {key: value for key, value in data.items() if key != "type"}
    if cls is TransferAuthorization:
        values.setdefault("receive", kind == "receiveWithAuthorization")
    expected = {f.name: _FIELD_TYPES[str(f.type)] for f in fields(cls)}
    missing = sorted(set(expected) - set(values))
    unknown = sorted(set(values) - set(expected))
    if missing or unknown:
        raise InvalidInput(f"{kind}: missing field(s) {missing or '-'}, unknown field(s) {unknown or '-'}")
    for name, value in values.items():
        wanted = expected[name]
        if type(value) is not wanted:  # bool is an int to isinstance; be exact
            raise InvalidInput(f"{kind}: field {name} must be {wanted.__name__}, not {value!r}")
    signed = cls(**values)
    if isinstance(signed, TransferAuthorization) and signed.type != kind:
        raise InvalidInput(f"{kind}: receive={signed.receive} contradicts the type")
    return signed


def typed_data(domain: Domain, primary_type: str, message: Mapping[str, Any]) -> dict[str, Any]:
    """The full EIP-712 message a wallet is asked to sign (`eth_signTypedData_v4`)."""
    return {
        "types": {"EIP712Domain": EIP712_DOMAIN_TYPE, primary_type: PRIMARY_TYPES[primary_type]},
        "primaryType": primary_type,
        "domain": domain.as_dict(),
        "message": dict(message),
    }


def _sign(
    account: LocalAccount, domain: Domain, types: dict[str, Any], message: dict[str, Any]
) -> tuple[int, str, str]:
    (primary_type,) = types
    signed = Account.sign_typed_data(account.key, full_message=typed_data(domain, primary_type, message))
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
