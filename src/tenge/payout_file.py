"""Payout files read as a stream, and the identity of a payout: its id and each row's on-chain reference.

    for item in read_rows("payouts.csv"):       # a PayoutRow or a RowProblem, one line at a time
        ...

A payout file is CSV with a header naming `address`, `amount` (KZT, at most 2 decimals) and optionally
`reference`. Rows are read one at a time (memory does not grow with the file); duplicates are found by
the journal, which holds every row on disk (tenge.journal).

The payout id is derived from what the payout does, never from where its file lies:

    payout_id = sha256("tenge-payout-v2" | chain id | token | payer | mode | row_0 | row_1 | ...)

each row normalized as `checksummed address, tiyn, reference as bytes32 hex (or empty)`, in file order
(blank lines, the CSV's quoting and the file's name do not count). A copy of the file, the same file in
another folder or with another journal is the same payout; the journal is bound to it.

Each row is paid with an on-chain reference derived from the payout's context and the row itself:

    reference = keccak256(abi.encode(uint256 chainId, address token, address payer, address to,
                                     uint256 tiyn, bytes32 rowReference, uint256 repeat))

`rowReference` is the row's own `reference` as `bytes32` (tenge.references; zero without one) and
`repeat` is 0, or n for the n-th deliberate repeat of the same row (`--allow-repeat`). A row is thus
recognised on chain whichever file carries it: a copy, the file moved, an edited file (its unchanged
rows) or a file split in two. Within a file no two rows share a reference (duplicates are refused). The
row's reference text stays in the journal and the summary, for people; the chain carries the derived
one, which commits to it (`PaymentReference` has one bytes32, and exactly-once needs the derived one).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from eth_utils.crypto import keccak
from web3 import Web3

from tenge.addresses import checked_address
from tenge.errors import InvalidAddress, InvalidAmount, InvalidInput, RowProblem
from tenge.references import reference_bytes32
from tenge.units import parse_kzt, tiyn_to_kzt

COLUMNS = ("address", "amount", "reference")
ID_DOMAIN = b"tenge-payout-v2\n"


@dataclass(frozen=True)
class PayoutRow:
    """One valid row of a payout file: `index` is its place among the rows (0-based), `line` in the file."""

    index: int
    line: int
    address: str
    tiyn: int
    reference: str = ""

    @property
    def amount(self) -> Decimal:
        return tiyn_to_kzt(self.tiyn)

    def canonical(self) -> bytes:
        """The row as the payout id hashes it."""
        reference = "0x" + reference_bytes32(self.reference).hex() if self.reference else ""
        return f"{self.address},{self.tiyn},{reference}\n".encode()


class PayoutId:
    """The payout id, hashed as rows stream by: `add(row)` each row, then `hexdigest()`."""

    def __init__(self, chain_id: int, token: str, payer: str, mode: str) -> None:
        self._hash = hashlib.sha256(ID_DOMAIN)
        self._hash.update(f"{chain_id}\n{token}\n{payer}\n{mode}\n".encode())

    def add(self, row: PayoutRow) -> None:
        self._hash.update(row.canonical())

    def hexdigest(self) -> str:
        return "0x" + self._hash.hexdigest()


ROW_REFERENCE_TYPES = ["uint256", "address", "address", "address", "uint256", "bytes32", "uint256"]


def row_reference(
    chain_id: int,
    token: str,
    payer: str,
    address: str,
    tiyn: int,
    reference: str,
    repeat: int = 0,
    *,
    codec: Any = None,
) -> bytes:
    """The on-chain reference of a payout row (see the module doc); `codec`: a Web3's `w3.codec`."""
    own = reference_bytes32(reference) if reference else bytes(32)
    values = [chain_id, token, payer, address, tiyn, own, repeat]
    return keccak((codec or _codec()).encode(ROW_REFERENCE_TYPES, values))


@cache
def _codec() -> Any:
    return Web3().codec  # no provider is asked anything: only its ABI codec is used


def file_sha256(path: Path | str) -> str:
    """The digest of the file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open_payout_file(path, binary=True) as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def open_payout_file(path: Path | str, *, binary: bool = False):  # type: ignore[no-untyped-def]
    try:
        if binary:
            return Path(path).open("rb")
        return Path(path).open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read it ({type(exc).__name__})") from None


def read_rows(path: Path | str) -> Iterator[PayoutRow | RowProblem]:
    """Every row of the file in order, each a PayoutRow or the RowProblem that refuses its line."""
    with open_payout_file(path) as stream:
        try:
            yield from _rows(csv.reader(stream))
        except UnicodeDecodeError:
            raise InvalidInput(f"{path}: not UTF-8 text") from None


def _rows(reader: csv.Reader) -> Iterator[PayoutRow | RowProblem]:  # type: ignore[name-defined]
    columns: dict[str, int] | None = None
    width = 0  # the header's cells, trailing empty ones left out
    index = 0
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if columns is None:
            names = [cell.strip().lower() for cell in record]
            if any(name in COLUMNS for name in names):
                missing = [name for name in COLUMNS[:2] if name not in names]
                if missing:
                    yield RowProblem(line, f"header lacks the column(s) {', '.join(missing)}")
                columns = {name: names.index(name) for name in COLUMNS if name in names}
                columns.setdefault("address", 0)
                columns.setdefault("amount", 1)
                width = max(i + 1 for i, name in enumerate(names) if name)
                continue
            yield RowProblem(line, "missing header: the first line must be address,amount[,reference]")
            # Still check every row, in the usual column order, so that one run reports everything.
            columns = {"address": 0, "amount": 1, "reference": 2}
            width = len(COLUMNS)
        beyond = [cell for cell in record[width:] if cell.strip()]
        if beyond:
            # An unquoted thousands separator (1,500) splits an amount into two cells: never drop one.
            yield RowProblem(
                line,
                f"{len(record)} cells where the header has {width}: {beyond[0].strip()!r} is beyond its "
                "columns (an amount is written without a thousands separator, or quoted)",
            )
            continue
        problems: list[RowProblem] = []
        row = _parse_row(record, index, line, columns, problems)
        yield from problems
        if row is not None:
            index += 1
            yield row
    if columns is None:
        yield RowProblem(1, "empty file: expected a header address,amount[,reference] and rows")
    elif index == 0:
        yield RowProblem(reader.line_num or 1, "no rows to pay")


def _parse_row(
    record: list[str], index: int, line: int, columns: dict[str, int], problems: list[RowProblem]
) -> PayoutRow | None:
    def cell(name: str, strip: bool = True) -> str | None:
        position = columns.get(name)
        if position is None or position >= len(record):
            return None
        return record[position].strip() if strip else record[position]

    # The amount as written: the one parser refuses blanks around it, as on the command line.
    address_text, amount_text = cell("address"), cell("amount", strip=False)
    address = ""
    tiyn = 0
    if not address_text:
        problems.append(RowProblem(line, "no address"))
    else:
        try:
            address = checked_address(address_text)
        except InvalidAddress as exc:
            problems.append(RowProblem(line, str(exc)))
    if not amount_text:
        problems.append(RowProblem(line, "no amount"))
    else:
        try:
            tiyn = parse_kzt(amount_text, nonzero=True)
        except InvalidAmount as exc:
            problems.append(RowProblem(line, str(exc)))
    reference = cell("reference") or ""
    if reference:
        try:
            reference_bytes32(reference)
        except InvalidInput as exc:
            problems.append(RowProblem(line, str(exc)))
    if problems:
        return None
    return PayoutRow(index=index, line=line, address=address, tiyn=tiyn, reference=reference)
