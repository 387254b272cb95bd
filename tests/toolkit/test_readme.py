"""The README's quickstart works as written: its `quickstart` code blocks, taken from the README, run
against a fresh Anvil (the only change: the port, 8546 in the README, is one of this suite's)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from toolkit.test_deploy import ROOT, free_port, started

README = ROOT / "README.md"
BLOCK = re.compile(r"^```(sh|python) quickstart\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def quickstart_script() -> str:
    """The shell blocks in order, each Python block run by the venv's python in the same shell."""
    parts = []
    for language, body in BLOCK.findall(README.read_text()):
        parts.append(body if language == "sh" else f"python - <<'PYTHON'\n{body}PYTHON\n")
    assert len(parts) == 3, "the README's quickstart has two shell blocks and a Python one"
    return "set -euo pipefail\n" + "\n".join(parts)


def test_the_readme_quickstart_runs_as_written(tmp_path: Path) -> None:
    port = free_port()
    anvil = started([str(ROOT / "node_modules/.bin/anvil"), "--port", str(port), "--quiet"], port)
    try:
        script = quickstart_script().replace("127.0.0.1:8546", f"127.0.0.1:{port}")
        environment = {k: v for k, v in os.environ.items() if not k.startswith("TENGE_")}
        environment |= {"HOME": str(tmp_path), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
        done = subprocess.run(
            ["bash", "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600
        )
    finally:
        anvil.terminate()
        anvil.wait(timeout=10)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert (tmp_path / "tenge" / "31337.json").exists()
    assert "ok mint 1000.00 KZT to 0xa0Ee7A142d267C1f36714E4a8F75612F20a79720" in out
    assert "PaymentReference" in out and "INV-123" in out
    assert "Court order" not in done.stderr
    lines = out.splitlines()
    assert "1000.00" in lines and "2 350.50 0" in lines and "True" in lines
