"""Account addresses: checked and checksummed before anything is signed."""

from __future__ import annotations

import re

from eth_typing import ChecksumAddress, HexAddress, HexStr
from eth_utils.address import to_checksum_address

from tenge.errors import InvalidAddress

ZERO_ADDRESS = ChecksumAddress(HexAddress(HexStr("0x0000000000000000000000000000000000000000")))
_HEX_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")


def checked_address(value: object, *, allow_zero: bool = False, what: str = "address") -> ChecksumAddress:
    """Returns `value` checksummed (EIP-55).

    Refuses anything that is not 0x and 40 hex digits, a mixed-case address whose checksum is wrong
    (a typo), and the zero address unless `allow_zero`. All-lower or all-upper case carries no
    checksum and is accepted.
    """
    if not isinstance(value, str):
        raise InvalidAddress(f"{what} {value!r} is not a string")
    text = value.strip()
    if not _HEX_ADDRESS.match(text):
        raise InvalidAddress(f"{what} {value!r} is not an address (0x and 40 hex digits)")
    checksummed = ChecksumAddress(to_checksum_address(text))
    digits = text[2:]
    if digits != digits.lower() and digits != digits.upper() and text != checksummed:
        raise InvalidAddress(f"{what} {value!r} has a bad checksum (a typo?); expected {checksummed}")
    if checksummed == ZERO_ADDRESS and not allow_zero:
        raise InvalidAddress(f"{what} is the zero address")
    return checksummed
