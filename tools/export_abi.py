"""Copies the compiled ABIs of the token and its controllers into the integrator package
(src/tenge/abi/), sorted and stable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The token's address answers the implementation's ABI and the upgrade its proxy handles (ITengeUpgrades).
CONTRACTS = {
    "DigitalTenge": ("DigitalTenge", "DigitalTengeProxy"),
    # The minters and their allowances, at their own address (`DigitalTenge.mintController()`).
    "TengeMintController": ("TengeMintController",),
    # Seizures under the two-person rule and the separation of duties (`DigitalTenge.seizureController()`).
    "TengeSeizureController": ("TengeSeizureController",),
    # Earmarked (purpose-bound) money beside the token (issue 16).
    "TengeEarmarks": ("TengeEarmarks",),
}
NOT_AT_THE_ADDRESS = ("constructor", "fallback", "receive")


def main() -> None:
    target = ROOT / "src" / "tenge" / "abi"
    target.mkdir(parents=True, exist_ok=True)
    for name, parts in CONTRACTS.items():
        entries: list[dict[str, Any]] = []
        for part in parts:
            answered = [e for e in _build(part)["abi"] if e["type"] not in NOT_AT_THE_ADDRESS]
            entries += [e for e in answered if e not in entries]
        abi = sorted(entries, key=lambda e: (e["type"], e.get("name", ""), json.dumps(e)))
        text = json.dumps(abi, indent=1, sort_keys=True) + "\n"
        path = target / f"{name}.json"
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            print(f"updated {path.relative_to(ROOT)}")


def _build(name: str) -> dict[str, Any]:
    build: dict[str, Any] = json.loads((ROOT / "build" / "contracts" / f"{name}.json").read_text())
    return build


if __name__ == "__main__":
    main()
