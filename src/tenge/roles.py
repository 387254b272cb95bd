"""The token's roles, by name, as the contract hashes them."""

from __future__ import annotations

from eth_utils.crypto import keccak

DEFAULT_ADMIN_ROLE = b"\x00" * 32

ROLE_NAMES = (
    "MINTER_ADMIN_ROLE",
    "MINTER_ROLE",
    "PAUSER_ROLE",
    "FREEZER_ROLE",
    "BLOCKLISTER_ROLE",
    "SEIZER_ROLE",
    "RESCUER_ROLE",
    "UPGRADER_ROLE",
)


def role_id(name: str) -> bytes:
    """`keccak256(name)`, or 32 zero bytes for DEFAULT_ADMIN_ROLE; refuses names the token does not have."""
    if name == "DEFAULT_ADMIN_ROLE":
        return DEFAULT_ADMIN_ROLE
    if name not in ROLE_NAMES:
        known = ", ".join(("DEFAULT_ADMIN_ROLE", *ROLE_NAMES))
        raise ValueError(f"unknown role {name!r}; the token's roles are {known}")
    return keccak(text=name)
