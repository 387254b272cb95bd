"""The token's roles, by name, as the contract hashes them.

MINTER_ROLE is not a role of the token's AccessControl: a minter is a record at the mint controller. The
name stays here as the one the refusal of a non-minter cites, and as how tools list minters beside roles.
"""

from __future__ import annotations

from eth_utils.crypto import keccak

from tenge.errors import InvalidInput

DEFAULT_ADMIN_ROLE = b"\x00" * 32

ROLE_NAMES = (
    "MINTER_ADMIN_ROLE",
    "MINTER_ROLE",
    "PAUSER_ROLE",
    "FREEZER_ROLE",
    "BLOCKLISTER_ROLE",
    "SEIZURE_PROPOSER_ROLE",
    "SEIZURE_APPROVER_ROLE",
    "RESCUER_ROLE",
    "UPGRADER_ROLE",
    "KYC_ROLE",
    # Not used by the token itself: the earmark contract (TengeEarmarks) asks the token whether a funder
    # holds it.
    "BUDGET_HOLDER_ROLE",
)


def role_id(name: str) -> bytes:
    """`keccak256(name)`, or 32 zero bytes for DEFAULT_ADMIN_ROLE; refuses names the token does not have."""
    if name == "DEFAULT_ADMIN_ROLE":
        return DEFAULT_ADMIN_ROLE
    if name not in ROLE_NAMES:
        raise InvalidInput(
            f"unknown role {name!r}; the token's roles are DEFAULT_ADMIN_ROLE, {', '.join(ROLE_NAMES)}"
        )
    return keccak(text=name)


ALL_ROLE_NAMES = ("DEFAULT_ADMIN_ROLE", *ROLE_NAMES)
MINTER_ROLE = keccak(text="MINTER_ROLE")


def role_name(role: bytes) -> str:
    """The name of a role id, or its hex if the token does not define it."""
    for name in ALL_ROLE_NAMES:
        if role_id(name) == role:
            return name
    return "0x" + role.hex()


def parse_role(value: str) -> bytes:
    """A role by name (`MINTER_ROLE`; any case, `_ROLE` optional) or as 0x-prefixed 32-byte hex."""
    text = value.strip()
    if text.startswith("0x") and len(text) == 66:
        try:
            return bytes.fromhex(text[2:])
        except ValueError:
            pass
    name = text.upper()
    if not name.endswith("_ROLE"):
        name += "_ROLE"
    if name == "ADMIN_ROLE":
        name = "DEFAULT_ADMIN_ROLE"
    return role_id(name)
