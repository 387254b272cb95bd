"""Account addresses: checked and checksummed before anything is signed."""

from __future__ import annotations

import re
from pathlib import Path

from eth_typing import ChecksumAddress, HexAddress, HexStr
from eth_utils.address import to_checksum_address

from tenge.errors import InvalidAddress, InvalidInput, RowProblem

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


def read_account_list(path: Path | str) -> list[ChecksumAddress]:
    """The addresses of a file, one a line (blank lines and `#` comments skipped), every one checked.

    InvalidInput lists every bad line by number, so a list with a typo is mended in one go.
    """
    try:
        lines = Path(path).read_text().splitlines()
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read it ({type(exc).__name__})") from None
    accounts: list[ChecksumAddress] = []
    problems: list[RowProblem] = []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            accounts.append(checked_address(text))
        except InvalidAddress as exc:
            problems.append(RowProblem(number, str(exc)))
    if problems:
        listing = "\n".join(f"  {p}" for p in problems)
        raise InvalidInput(f"{path}: {len(problems)} bad line(s), nothing sent:\n{listing}")
    if not accounts:
        raise InvalidInput(f"{path}: no addresses in it")
    return accounts
