"""Cells of the CSV files the toolkit writes, safe to open in a spreadsheet.

Anyone can put text on chain that reaches a CSV (a payment reference, a reason's text): a cell that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel, LibreOffice and Google
Sheets (OWASP's "CSV injection"). Such a cell is written with a leading apostrophe, which spreadsheets
show as text and never run; a plain number (`-5.00`) stays as it is. JSON is never changed.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def csv_cell(value: Any) -> Any:
    """`value` as a CSV cell a spreadsheet shows and never evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value
