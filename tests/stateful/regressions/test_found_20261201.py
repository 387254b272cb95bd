"""Found by `make fuzz` (seed 20261201, 2026-12-01): the shrunk example, replayed step by step.

Each step runs one rule of tests/stateful/test_stateful_fuzz.py, then every invariant.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_stateful_fuzz import fuzz_world, replay  # noqa: E402, F401

STEPS: list[tuple[str, dict[str, Any]]] = [
    (
        "initialize_world",
        {
            "blocked": 9,
            "frozen": 1,
            "held": 1,
            "linked": 1,
            "link": 4,
            "tier": 0,
            "max_balance": 1,
            "daily": 4,
            "amount": 1104,
        },
    ),
    ("rule_batch", {"calls": [(0, 2, 6, 1286, 7)], "sender": 4}),
    ("rule_mint", {"amount": 375, "minter": 4, "pick": 0, "receiver": 1}),
    ("rule_burn", {"amount": 26433, "minter": 0, "pick": 1}),
    ("rule_link", {"receiver": 7, "who": 0}),
    ("rule_policy", {"toggle": 0}),
    ("rule_set_supply_cap", {"amount": 10929, "pick": 5}),
    (
        "rule_permit",
        {"amount": 21006, "owner": 2, "packed": False, "pick": 2, "spender": 2, "submitter": 4, "window": 2},
    ),
    ("rule_batch", {"calls": [(1, 3, 4, 1662, 1)], "sender": 4}),
    ("rule_transfer", {"amount": 274, "pick": 0, "receiver": 2, "reference": True, "sender": 2}),
    ("rule_block", {"which": 7, "who": 2}),
    ("rule_freeze", {"toggle": 0, "who": 2}),
    ("rule_release", {"amount": 9136, "pick": 1, "reason": 0, "who": 4}),
    (
        "rule_permit",
        {"amount": 4614, "owner": 3, "packed": False, "pick": 0, "spender": 2, "submitter": 1, "window": 1},
    ),
    ("rule_block", {"which": 0, "who": 0}),
    ("rule_pause", {"which": 0}),
]


def test_found_20261201(fuzz_world: Any) -> None:  # noqa: F811
    replay(fuzz_world, STEPS)
