"""The toolchain's own tests (solc shim, storage layout): plain pytest, no chain needed."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolation() -> None:
    """Replaces the suite's per-test chain snapshot: nothing here touches a chain."""
