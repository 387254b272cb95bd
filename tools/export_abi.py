"""Copies the compiled ABI of the token into the integrator package (src/tenge/abi/), sorted and stable."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ("DigitalTenge",)


def main() -> None:
    target = ROOT / "src" / "tenge" / "abi"
    target.mkdir(parents=True, exist_ok=True)
    for name in CONTRACTS:
        build = json.loads((ROOT / "build" / "contracts" / f"{name}.json").read_text())
        abi = sorted(build["abi"], key=lambda e: (e["type"], e.get("name", ""), json.dumps(e)))
        text = json.dumps(abi, indent=1, sort_keys=True) + "\n"
        path = target / f"{name}.json"
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            print(f"updated {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
