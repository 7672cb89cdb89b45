"""Fixtures of the reporter tests: golden files under ``golden/``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with ``golden/<name>`` exactly, or rewrite it under ``--update-golden``."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="\n")
            return
        assert path.exists(), f"{path.name} is missing; run pytest with --update-golden"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"{path.name} differs; review and rerun with --update-golden"

    return check
