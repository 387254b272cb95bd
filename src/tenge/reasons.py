"""Intervention reasons: the `bytes32` every freeze, blocklisting, seizure and pause cites."""

from __future__ import annotations

import re

from eth_utils.crypto import keccak

from tenge.errors import InvalidReason

_BYTES32_HEX = re.compile(r"^0[xX][0-9a-fA-F]{64}$")  # "0X..." too: never hashed as text


def reason_bytes32(reason: str | bytes) -> bytes:
    """A reason as the contract stores it.

    A 0x-prefixed 32-byte hex value is taken as is (already a hash or an id); any other text, such as
    "Court order 2-1234/2026", is hashed with keccak256 so that the document can be matched later.
    """
    if isinstance(reason, bytes):
        if len(reason) != 32:
            raise InvalidReason(f"a reason given as bytes must be 32 bytes, not {len(reason)}")
        return reason
    text = reason.strip()
    if not text:
        raise InvalidReason("a reason is required (text, or a 0x-prefixed 32-byte hex value)")
    if _BYTES32_HEX.match(text):
        return bytes.fromhex(text[2:])
    if re.fullmatch(r"0[xX][0-9a-fA-F]*", text):
        raise InvalidReason(f"reason {text!r} looks like hex but is not 32 bytes (64 hex digits)")
    return keccak(text=text)


def reason_hex(reason: bytes) -> str:
    """A `bytes32` reason as 0x-prefixed lower-case hex, as events and reports show it."""
    return "0x" + reason.hex()
