"""Turns the shrunk example hypothesis reports into a regression test file that replays it.

Hypothesis prints the minimal failing program as `state = ...`, one `state.rule_x(a=1, b=2)` line per
step, then `state.teardown()`. `write` parses those lines (arguments are literals) and writes
tests/stateful/regressions/test_found_<seed>.py, which replays the steps with every invariant checked
after each (`test_stateful_fuzz.replay`): it fails until the bug is fixed, and guards it afterwards.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REGRESSIONS = Path(__file__).resolve().parent / "regressions"
STEP = re.compile(r"^state\.((?:rule|initialize)_\w+)\((.*)\)$")

TEMPLATE = '''"""Found by `make fuzz` (seed {seed}, {date}): the shrunk example, replayed step by step.

Each step runs one rule of tests/stateful/test_stateful_fuzz.py, then every invariant.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_stateful_fuzz import fuzz_world, replay  # noqa: E402, F401

STEPS: list[tuple[str, dict[str, Any]]] = [
{steps}]


def test_found_{seed}(fuzz_world: Any) -> None:  # noqa: F811
    replay(fuzz_world, STEPS)
'''


def parse(lines: list[str]) -> list[tuple[str, dict[str, Any]]] | None:
    """The steps of the last program hypothesis printed, or None if it printed none."""
    starts = [i for i, line in enumerate(lines) if line.startswith("state = ")]
    if not starts:
        return None
    steps = []
    for line in lines[starts[-1] + 1 :]:
        match = STEP.match(line.strip())
        if not match:
            continue
        call = ast.parse(f"f({match.group(2)})", mode="eval").body
        assert isinstance(call, ast.Call)
        arguments = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}
        steps.append((match.group(1), arguments))
    return steps


def render(seed: int, steps: list[tuple[str, dict[str, Any]]]) -> str:
    # The arguments are ints, bools and lists of tuples of ints: their repr is Python; quote as ruff does.
    lines = []
    for rule, arguments in steps:
        pairs = ", ".join(f'"{key}": {value!r}' for key, value in arguments.items())
        lines.append(f'    ("{rule}", {{{pairs}}}),\n')
    body = "".join(lines)
    return TEMPLATE.format(seed=seed, date=datetime.now(UTC).date().isoformat(), steps=body)


def write(seed: int, lines: list[str]) -> Path | None:
    """Writes the regression test for the example in `lines`; returns its path (None if none printed)."""
    steps = parse(lines)
    if steps is None:
        return None
    REGRESSIONS.mkdir(exist_ok=True)
    path = REGRESSIONS / f"test_found_{seed}.py"
    path.write_text(render(seed, steps))
    # Formatted as the house formats Python, when ruff sits beside this interpreter.
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff:
        subprocess.run([ruff, "format", "--quiet", str(path)], check=False)
    return path
