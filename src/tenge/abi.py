"""The token's ABI, shipped as package data (refreshed from the build by tools/export_abi.py)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

ABI = list[dict[str, Any]]


@cache
def token_abi() -> ABI:
    """The Digital Tenge ABI: functions, events and every custom error the implementation can raise."""
    text = resources.files("tenge").joinpath("abi/DigitalTenge.json").read_text()
    data = json.loads(text)
    abi: ABI = data["abi"] if isinstance(data, dict) else data
    return abi


def entries(abi: ABI, kind: str) -> list[dict[str, Any]]:
    """The ABI entries of one kind ("function", "event", "error")."""
    return [entry for entry in abi if entry.get("type") == kind]


def signature(entry: dict[str, Any]) -> str:
    """`Name(type1,type2)`, the canonical form that selectors and topics hash."""
    return f"{entry['name']}({','.join(_canonical_type(i) for i in entry.get('inputs', []))})"


def _canonical_type(param: dict[str, Any]) -> str:
    kind: str = param["type"]
    if kind.startswith("tuple"):
        inner = ",".join(_canonical_type(c) for c in param.get("components", []))
        return f"({inner}){kind[len('tuple') :]}"
    return kind
