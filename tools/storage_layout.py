"""The token's storage layout, recorded at each release and checked for unsafe changes.

    .venv/bin/python tools/storage_layout.py            # compare with storage-layout/DigitalTenge.json
    .venv/bin/python tools/storage_layout.py --update   # record the current layout (at a release)

The token keeps its state in ERC-7201 namespaced structs (`/// @custom:storage-location erc7201:NAME`),
which solc's `storageLayout` output does not show: it lists only plain state variables. So the record
has both: the plain variables (label, slot, offset, type), and each namespace of the contract and of
every contract it inherits (OpenZeppelin's included), and the proxy's own (the upgrade notice, in the
same storage), with its struct's members in order. The
members' slots and offsets come from solc itself: each namespaced struct is compiled once more as the
only state variable of a generated contract, so its layout starts at slot 0.

A change is safe when every recorded variable and member keeps its slot, offset, name and type (and
a struct's members keep theirs, recursively); appending a member to a namespaced struct or a variable
after the last one is safe. Removing, retyping, renaming or reordering anything is not.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent
SHIM = ROOT / "tools" / "solc" / "solc"
SOURCE = "contracts/DigitalTenge.sol"
CONTRACT = "DigitalTenge"
PROXY_SOURCE = "contracts/DigitalTengeProxy.sol"
PROXY = "DigitalTengeProxy"
SNAPSHOT = ROOT / "storage-layout" / f"{CONTRACT}.json"
LOCATION_TAG = "@custom:storage-location erc7201:"

Layout = dict[str, Any]


def compiler_settings(root: Path = ROOT) -> dict[str, Any]:
    """Remappings, EVM version and optimizer as brownie compiles the contracts."""
    config = yaml.safe_load((root / "brownie-config.yaml").read_text())["compiler"]
    optimizer = config["solc"].get("optimizer", {})
    return {
        "remappings": config["solc"].get("remappings", []),
        "evmVersion": config["evm_version"],
        "optimizer": {"enabled": optimizer.get("enabled", False), "runs": optimizer.get("runs", 200)},
    }


def compile_standard(sources: dict[str, Any], selection: dict[str, Any], root: Path = ROOT) -> Any:
    """Runs the solcjs shim in standard-JSON mode from `root`; raises on any compile error."""
    request = {
        "language": "Solidity",
        "sources": sources,
        "settings": {**compiler_settings(root), "outputSelection": selection},
    }
    result = subprocess.run(
        [str(SHIM), "--standard-json"],
        input=json.dumps(request),
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    output = json.loads(result.stdout)
    failures = [e["formattedMessage"] for e in output.get("errors", []) if e["severity"] == "error"]
    if failures:
        raise RuntimeError("compilation failed:\n" + "\n".join(failures))
    return output


def _nodes(node: Any, node_type: str) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("nodeType") == node_type:
            yield node
        for value in node.values():
            yield from _nodes(value, node_type)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value, node_type)


def namespaced_structs(output: Any, source: str, contract: str) -> list[dict[str, Any]]:
    """Each ERC-7201 struct declared in `contract` or a contract it inherits, most base first, then in a
    library it compiles with (a library holds a namespace that two contracts share, e.g. the ledger's)."""
    contracts = {
        node["id"]: (path, node)
        for path, unit in output["sources"].items()
        for node in _nodes(unit["ast"], "ContractDefinition")
    }
    main = next(node for path, node in contracts.values() if path == source and node["name"] == contract)
    libraries = sorted(
        (node["name"], node["id"]) for _, node in contracts.values() if node["contractKind"] == "library"
    )
    found = []
    for contract_id in [*reversed(main["linearizedBaseContracts"]), *(i for _, i in libraries)]:
        path, node = contracts[contract_id]
        for struct in _nodes(node, "StructDefinition"):
            text = (struct.get("documentation") or {}).get("text", "")
            if LOCATION_TAG not in text:
                continue
            namespace = "erc7201:" + text.split(LOCATION_TAG, 1)[1].split()[0]
            found.append(
                {
                    "namespace": namespace,
                    "contract": node["name"],
                    "struct": struct["canonicalName"],
                    "source": path,
                    "members": [(m["name"], m["typeDescriptions"]["typeString"]) for m in struct["members"]],
                }
            )
    return found


def normalise(storage_layout: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """solc's storageLayout with type ids (which carry AST ids) replaced by type labels."""
    types = storage_layout.get("types") or {}

    def label(type_id: str) -> str:
        return str(types[type_id]["label"])

    def variable(entry: Any) -> dict[str, Any]:
        return {
            "label": entry["label"],
            "slot": int(entry["slot"]),
            "offset": entry["offset"],
            "type": label(entry["type"]),
        }

    described: dict[str, Any] = {}

    def describe(type_id: str) -> None:
        name = label(type_id)
        if name in described:
            return
        info = types[type_id]
        entry: dict[str, Any] = {"encoding": info["encoding"], "numberOfBytes": int(info["numberOfBytes"])}
        described[name] = entry
        if "members" in info:
            entry["members"] = [variable(m) for m in info["members"]]
            for member in info["members"]:
                describe(member["type"])
        for key in ("key", "value", "base"):
            if key in info:
                entry[key] = label(info[key])
                describe(info[key])

    for entry in storage_layout.get("storage", []):
        describe(entry["type"])
    return [variable(e) for e in storage_layout.get("storage", [])], described


def current_layout(root: Path = ROOT, source: str = SOURCE, contract: str = CONTRACT) -> Layout:
    """Compiles `contract` and its namespaced structs and returns the normalised layout."""
    # The proxy's own namespace (the upgrade notice) lives in the same storage as the token's.
    sources = {source: {"urls": [source]}, PROXY_SOURCE: {"urls": [PROXY_SOURCE]}}
    first = compile_standard(sources, {source: {contract: ["storageLayout"]}, "*": {"": ["ast"]}}, root)
    storage, types = normalise(first["contracts"][source][contract]["storageLayout"])
    structs = namespaced_structs(first, source, contract)
    known = {struct["namespace"] for struct in structs}
    structs += [s for s in namespaced_structs(first, PROXY_SOURCE, PROXY) if s["namespace"] not in known]

    # One generated contract per namespace, its struct as the only state variable, so slots start at 0.
    lines = ["// SPDX-License-Identifier: MIT", "pragma solidity >=0.8.0;"]
    for i, struct in enumerate(structs):
        lines.append(f'import {{{struct["contract"]} as C{i}}} from "{struct["source"]}";')
    for i, struct in enumerate(structs):
        member = struct["struct"].split(".", 1)[1]
        lines.append(f"contract NamespaceLayout{i} {{ C{i}.{member} internal namespace; }}")
    generated = "storage-layout/NamespaceLayouts.sol"
    second = compile_standard(
        {generated: {"content": "\n".join(lines) + "\n"}}, {generated: {"*": ["storageLayout"]}}, root
    )
    namespaces = {}
    for i, struct in enumerate(structs):
        layout = second["contracts"][generated][f"NamespaceLayout{i}"]["storageLayout"]
        _, struct_types = normalise(layout)
        types.update(struct_types)
        members = struct_types[f"struct {struct['struct']}"]["members"]
        # The AST and solc's layout must agree on the members, name and type, in order.
        assert [(m["label"], m["type"]) for m in members] == struct["members"], struct["struct"]
        namespaces[struct["namespace"]] = {
            "struct": struct["struct"],
            "source": struct["source"],
            "members": members,
        }
    for struct in structs:  # listed under "namespaces" already
        types.pop(f"struct {struct['struct']}", None)
    return {
        "contract": f"{source}:{contract}",
        "storage": storage,
        "namespaces": namespaces,
        "types": dict(sorted(types.items())),
    }


def compare(old: Layout, new: Layout) -> list[str]:
    """The unsafe differences from the recorded layout `old` to `new`; empty when the upgrade is safe."""
    problems: list[str] = []
    problems += _compare_variables("storage", old["storage"], new["storage"], old, new)
    for namespace, recorded in old["namespaces"].items():
        current = new["namespaces"].get(namespace)
        if current is None:
            problems.append(f"{namespace}: namespace removed (struct {recorded['struct']})")
            continue
        problems += _compare_variables(namespace, recorded["members"], current["members"], old, new)
    return problems


def _compare_variables(
    where: str,
    old_vars: list[Any],
    new_vars: list[Any],
    old: Layout,
    new: Layout,
    seen: frozenset[str] = frozenset(),
) -> list[str]:
    """Every old variable must still be the same at the same position; new ones may follow them."""
    problems = []
    for i, recorded in enumerate(old_vars):
        name = f"{where}.{recorded['label']}"
        if i >= len(new_vars):
            problems.append(f"{name}: removed (was {recorded['type']} at slot {recorded['slot']})")
            continue
        current = new_vars[i]
        if current["label"] != recorded["label"]:
            moved = next((v for v in new_vars if v["label"] == recorded["label"]), None)
            what = f"moved to slot {moved['slot']}" if moved else "removed or renamed"
            problems.append(f"{name}: {what}; {current['label']} now at its place")
        elif (current["slot"], current["offset"]) != (recorded["slot"], recorded["offset"]):
            problems.append(
                f"{name}: moved from slot {recorded['slot']} offset {recorded['offset']} "
                f"to slot {current['slot']} offset {current['offset']}"
            )
        elif current["type"] != recorded["type"]:
            problems.append(f"{name}: retyped from {recorded['type']} to {current['type']}")
        else:
            problems += _compare_type(name, recorded["type"], old, new, seen)
    return problems


def _compare_type(where: str, label: str, old: Layout, new: Layout, seen: frozenset[str]) -> list[str]:
    """A type with the same label must still lay out its old content the same way."""
    if label in seen:
        return []
    seen = seen | {label}
    recorded, current = old["types"].get(label), new["types"].get(label)
    if recorded is None or current is None:
        return []
    problems = []
    if recorded["encoding"] != current["encoding"]:
        problems.append(f"{where}: {label} stored as {current['encoding']} instead of {recorded['encoding']}")
    if "members" in recorded:
        problems += _compare_variables(where, recorded["members"], current.get("members", []), old, new, seen)
    for key in ("key", "value", "base"):
        if key in recorded:
            problems += _compare_type(f"{where}[{key}]", recorded[key], old, new, seen)
    if "base" in recorded:
        # Array elements sit side by side: an element that grows shifts every element after the first.
        before = old["types"].get(recorded["base"], {}).get("numberOfBytes")
        after = new["types"].get(recorded["base"], {}).get("numberOfBytes")
        if before != after:
            problems.append(f"{where}: element {recorded['base']} resized from {before} to {after} bytes")
    return problems


def to_json(value: Any, indent: str = "") -> str:
    """JSON with one line per variable, member or type: short enough to review in a diff."""
    flat = not isinstance(value, (dict, list)) or all(
        not isinstance(v, (dict, list)) for v in (value.values() if isinstance(value, dict) else value)
    )
    if flat or (
        isinstance(value, dict)
        and all(k != "members" and k != "namespaces" for k in value)
        and all(not isinstance(v, dict) for v in value.values())
    ):
        return json.dumps(value)
    inner = indent + "  "
    if isinstance(value, list):
        return "[\n" + ",\n".join(inner + to_json(v, inner) for v in value) + "\n" + indent + "]"
    items = (f"{inner}{json.dumps(k)}: {to_json(v, inner)}" for k, v in value.items())
    return "{\n" + ",\n".join(items) + "\n" + indent + "}"


def write_snapshot(layout: Layout, path: Path = SNAPSHOT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_json(layout) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--update", action="store_true", help="record the current layout (do it at a release)"
    )
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT, help=f"the record (default {SNAPSHOT})")
    args = parser.parse_args(argv)

    layout = current_layout()
    if args.update:
        write_snapshot(layout, args.snapshot)
        print(f"storage layout recorded in {args.snapshot}")
        return 0
    if not args.snapshot.exists():
        print(f"no recorded layout at {args.snapshot}: run with --update at a release", file=sys.stderr)
        return 2
    problems = compare(json.loads(args.snapshot.read_text()), layout)
    for problem in problems:
        print(f"unsafe storage change: {problem}", file=sys.stderr)
    if problems:
        return 1
    recorded = json.loads(args.snapshot.read_text())
    note = "identical to" if recorded == layout else "a safe extension of"
    print(f"storage layout of {layout['contract']}: {note} {args.snapshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
