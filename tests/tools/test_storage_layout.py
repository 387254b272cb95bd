"""The token's storage layout stays compatible with the one recorded at the last release."""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from eth_utils.crypto import keccak

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("storage_layout", ROOT / "tools" / "storage_layout.py")
assert _spec and _spec.loader
storage_layout = importlib.util.module_from_spec(_spec)
sys.modules["storage_layout"] = storage_layout
_spec.loader.exec_module(storage_layout)

TENGE = "erc7201:tenge.storage."


@pytest.fixture(scope="module")
def layout() -> Any:
    """The current implementation's layout, compiled once for the module."""
    return storage_layout.current_layout()


@pytest.fixture
def recorded(layout: Any) -> Any:
    """A copy of the current layout, to be treated as the release record and modified by a test."""
    return copy.deepcopy(layout)


def problems(old: Any, new: Any) -> list[str]:
    return list(storage_layout.compare(old, new))


def namespace(layout: Any, name: str) -> Any:
    return layout["namespaces"][TENGE + name]


# --- the release record ----------------------------------------------------------------------------


def test_the_implementation_keeps_the_recorded_release_layout(layout: Any) -> None:
    """Fails on an unsafe change; after a release, `python tools/storage_layout.py --update` records it."""
    assert storage_layout.SNAPSHOT.exists(), (
        "no record: run `.venv/bin/python tools/storage_layout.py --update`"
    )
    release = json.loads(storage_layout.SNAPSHOT.read_text())

    assert problems(release, layout) == []


def test_every_annotated_struct_is_recorded(layout: Any) -> None:
    """Each `@custom:storage-location` in contracts/ (read as text) is a namespace of the record."""
    annotated = set()
    for source in (ROOT / "contracts").rglob("*.sol"):
        if "mocks" in source.parts:
            continue
        annotated |= {
            f"erc7201:{name}"
            for name in re.findall(r"@custom:storage-location\s+erc7201:([\w.]+)", source.read_text())
        }

    assert annotated and annotated <= set(layout["namespaces"])
    assert "erc7201:openzeppelin.storage.ERC20" in layout["namespaces"]


def test_each_namespace_lives_at_its_erc7201_slot(layout: Any) -> None:
    """The slot constant written in each declaring source is keccak256(id - 1) & ~0xff (ERC-7201)."""
    for name, recorded in layout["namespaces"].items():
        inner = int.from_bytes(keccak(text=name.removeprefix("erc7201:")), "big") - 1
        slot = int.from_bytes(keccak(inner.to_bytes(32, "big")), "big") & ~0xFF
        source = (ROOT / recorded["source"]).read_text().lower()

        assert f"0x{slot:064x}" in source, f"{name}: slot constant missing or wrong in {recorded['source']}"


def test_the_token_has_no_plain_state_variables(layout: Any) -> None:
    """All state is namespaced: a plain variable in an upgradeable base would shift nothing, but says a
    contract forgot the convention."""
    assert layout["storage"] == []


# --- the check can fail ----------------------------------------------------------------------------


def test_removing_a_namespace_member_is_unsafe(recorded: Any, layout: Any) -> None:
    namespace(recorded, "Freezable")["members"].append(
        {"label": "frozenUntil", "slot": 2, "offset": 0, "type": "mapping(address => uint256)"}
    )

    assert problems(recorded, layout) == [
        f"{TENGE}Freezable.frozenUntil: removed (was mapping(address => uint256) at slot 2)"
    ]


def test_retyping_a_namespace_member_is_unsafe(recorded: Any, layout: Any) -> None:
    namespace(recorded, "Ledger")["members"][0]["type"] = "uint128"

    assert problems(recorded, layout) == [f"{TENGE}Ledger.config: retyped from uint128 to ConfigWord"]


def test_reordering_namespace_members_is_unsafe(recorded: Any, layout: Any) -> None:
    members = namespace(recorded, "Freezable")["members"]
    members[0]["label"], members[1]["label"] = members[1]["label"], members[0]["label"]

    found = problems(recorded, layout)

    assert len(found) == 2 and all("moved to slot" in problem for problem in found)


def test_removing_a_namespace_is_unsafe(recorded: Any, layout: Any) -> None:
    current = copy.deepcopy(layout)
    del current["namespaces"][TENGE + "TieredPolicy"]

    assert problems(recorded, current) == [
        f"{TENGE}TieredPolicy: namespace removed (struct TieredPolicyStorage.Layout)"
    ]


def test_appending_a_member_to_a_namespace_is_safe(recorded: Any, layout: Any) -> None:
    current = copy.deepcopy(layout)
    namespace(current, "Ledger")["members"].append(
        {"label": "issuanceCeiling", "slot": 2, "offset": 0, "type": "uint256"}
    )

    assert problems(recorded, current) == []


def test_reordering_a_struct_inside_a_mapping_is_unsafe(recorded: Any, layout: Any) -> None:
    """A role's record (a struct reached through a mapping) is checked member by member too."""
    current = copy.deepcopy(layout)
    role = current["types"]["struct AccessControlUpgradeable.RoleData"]["members"]
    role[0]["label"], role[1]["label"] = role[1]["label"], role[0]["label"]

    found = problems(recorded, current)

    prefix = "erc7201:openzeppelin.storage.AccessControl._roles[value]."
    assert found and all(problem.startswith(prefix) for problem in found), found


def test_growing_a_struct_inside_a_mapping_is_safe(recorded: Any, layout: Any) -> None:
    current = copy.deepcopy(layout)
    role = current["types"]["struct AccessControlUpgradeable.RoleData"]
    role["members"].append({"label": "grantedAt", "slot": 2, "offset": 0, "type": "uint256"})
    role["numberOfBytes"] += 32

    assert problems(recorded, current) == []


# --- the rules, on small layouts -------------------------------------------------------------------


def plain(*variables: tuple[str, int, int, str], types: dict[str, Any] | None = None) -> Any:
    storage = [
        {"label": label, "slot": slot, "offset": offset, "type": kind}
        for label, slot, offset, kind in variables
    ]
    return {"contract": "T.sol:T", "storage": storage, "namespaces": {}, "types": types or {}}


OWNER = ("owner", 0, 0, "address")
PAUSED = ("paused", 0, 20, "bool")


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ([OWNER, PAUSED, ("cap", 1, 0, "uint256")], []),
        (
            [("cap", 0, 0, "uint256"), ("owner", 1, 0, "address"), ("paused", 1, 20, "bool")],
            [
                "storage.owner: moved to slot 1; cap now at its place",
                "storage.paused: moved to slot 1; owner now at its place",
            ],
        ),
        (
            [OWNER, ("paused", 1, 0, "bool")],
            ["storage.paused: moved from slot 0 offset 20 to slot 1 offset 0"],
        ),
        ([OWNER], ["storage.paused: removed (was bool at slot 0)"]),
        ([OWNER, ("paused", 0, 20, "uint8")], ["storage.paused: retyped from bool to uint8"]),
    ],
    ids=["appended", "inserted", "repacked", "removed", "retyped"],
)
def test_plain_variables_may_only_be_appended(variables: list[Any], expected: list[str]) -> None:
    assert problems(plain(OWNER, PAUSED), plain(*variables)) == expected


def test_a_growing_array_element_is_unsafe() -> None:
    def with_point(size: int) -> Any:
        members = [{"label": "x", "slot": 0, "offset": 0, "type": "uint256"}]
        if size == 64:
            members.append({"label": "y", "slot": 1, "offset": 0, "type": "uint256"})
        types = {
            "struct T.Point[]": {"encoding": "dynamic_array", "numberOfBytes": 32, "base": "struct T.Point"},
            "struct T.Point": {"encoding": "inplace", "numberOfBytes": size, "members": members},
            "uint256": {"encoding": "inplace", "numberOfBytes": 32},
        }
        return plain(("points", 0, 0, "struct T.Point[]"), types=types)

    assert problems(with_point(32), with_point(64)) == [
        "storage.points: element struct T.Point resized from 32 to 64 bytes"
    ]


# --- the command line ------------------------------------------------------------------------------


def test_update_records_and_the_check_passes_then_fails(
    layout: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(storage_layout, "current_layout", lambda: layout)
    snapshot = tmp_path / "DigitalTenge.json"

    assert storage_layout.main(["--snapshot", str(snapshot)]) == 2  # nothing recorded yet
    assert storage_layout.main(["--snapshot", str(snapshot), "--update"]) == 0
    assert json.loads(snapshot.read_text()) == layout
    assert storage_layout.main(["--snapshot", str(snapshot)]) == 0

    release = json.loads(snapshot.read_text())
    namespace(release, "Ledger")["members"][0]["label"] = "cap"
    snapshot.write_text(json.dumps(release))

    assert storage_layout.main(["--snapshot", str(snapshot)]) == 1
    assert f"unsafe storage change: {TENGE}Ledger.cap: removed or renamed" in capsys.readouterr().err
