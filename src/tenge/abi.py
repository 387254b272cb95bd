"""The token's and its controllers' ABIs, shipped as package data (refreshed from the build by
tools/export_abi.py)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from eth_utils.abi import abi_to_signature

ABI = list[dict[str, Any]]


@cache
def token_abi() -> ABI:
    """The Digital Tenge ABI: functions, events and every custom error the implementation can raise."""
    return _packaged("DigitalTenge")


@cache
def controller_abi() -> ABI:
    """The mint controller's ABI (TengeMintController): minters, their allowances and its errors."""
    return _packaged("TengeMintController")


@cache
def seizure_controller_abi() -> ABI:
    """The seizure controller's ABI (TengeSeizureController): seizures, their notice and its errors."""
    return _packaged("TengeSeizureController")


@cache
def earmarks_abi() -> ABI:
    """The earmark contract's ABI (TengeEarmarks): purposes, recipients, earmarked balances, its errors."""
    return _packaged("TengeEarmarks")


def _packaged(name: str) -> ABI:
    data = json.loads(resources.files("tenge").joinpath(f"abi/{name}.json").read_text())
    abi: ABI = data["abi"] if isinstance(data, dict) else data
    return abi


def entries(abi: ABI, kind: str) -> list[dict[str, Any]]:
    """The ABI entries of one kind ("function", "event", "error")."""
    return [entry for entry in abi if entry.get("type") == kind]


def signature(entry: dict[str, Any]) -> str:
    """`Name(type1,type2)`, the canonical form that selectors and topics hash (eth-utils computes it)."""
    return str(abi_to_signature(entry))  # type: ignore[arg-type]


def overloaded(abi: ABI) -> set[str]:
    """Names of the functions the ABI declares more than once: those are called by full signature."""
    names = [entry["name"] for entry in entries(abi, "function")]
    return {name for name in names if names.count(name) > 1}
