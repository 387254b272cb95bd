"""Payment references: the `bytes32` an invoice id travels as in `transferWithReference`.

    reference_bytes32("INV-123")      # b"INV-123" + 25 zero bytes, as Solidity's bytes32("INV-123")
    reference_text(b"INV-123" + ...)  # "INV-123"

Parsed as reasons are (a 0x-prefixed 32-byte hex value is taken as is, other hex-looking text is
refused), but text is kept readable: up to 32 bytes of UTF-8 are stored as they are, right-padded with
zero bytes, so that history and watch show the invoice id again. Longer text is hashed with keccak256,
as a reason is, and shows as that hash (match it by hashing the id).
"""

from __future__ import annotations

import re

from eth_utils.crypto import keccak

from tenge.errors import InvalidInput, InvalidReference
from tenge.reasons import reason_bytes32

_HEX = re.compile(r"^0[xX][0-9a-fA-F]*$")


def reference_bytes32(reference: str | bytes) -> bytes:
    """A payment reference as the contract carries it (see the module doc)."""
    if isinstance(reference, bytes):
        if len(reference) != 32:
            raise InvalidReference(f"a reference given as bytes must be 32 bytes, not {len(reference)}")
        return reference
    text = reference.strip()
    if not text:
        raise InvalidReference("a payment reference cannot be empty")
    if _HEX.match(text):
        try:
            return reason_bytes32(text)
        except InvalidInput as exc:
            raise InvalidReference(str(exc).replace("reason", "reference")) from None
    raw = text.encode()
    return raw.ljust(32, b"\0") if len(raw) <= 32 else keccak(raw)


def reference_text(value: bytes | str) -> str:
    """A `bytes32` reference for people: its text if printable UTF-8 padded with zeros, else 0x-hex."""
    raw = value if isinstance(value, bytes) else bytes.fromhex(value.removeprefix("0x"))
    text = raw.rstrip(b"\0")
    try:
        decoded = text.decode()
    except UnicodeDecodeError:
        decoded = ""
    if decoded and decoded.isprintable() and decoded == decoded.strip():
        return decoded
    return "0x" + raw.hex()
