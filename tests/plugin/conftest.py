"""Fixtures for plugin tests: inner pytest sessions on small projects.

Sessions that build Rust run in a subprocess (``runpytest_subprocess``): a PyO3
extension is initialised once per process, and a user runs pytest in a fresh process
anyway. They share one build cache, so identical crates are built once per suite, and
one cargo target directory (``CARGO_TARGET_DIR``, set in tests/conftest.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def run_rustify(pytester: pytest.Pytester, rustify_cache: Path, toolchain: None) -> Any:
    """Run an inner session with --rustify in a subprocess; returns (result, report)."""

    def run(*args: str, profiler: str = "cprofile") -> tuple[pytest.RunResult, dict[str, Any]]:
        report = pytester.path / "rustify.json"
        if report.exists():
            report.unlink()
        result = pytester.runpytest_subprocess(
            "--rustify",
            f"--rustify-profiler={profiler}",
            f"--rustify-cache-dir={rustify_cache}",
            f"--rustify-json={report}",
            "--rustify-measure-seconds=0.1",
            "-p",
            "no:randomly",
            *args,
        )
        data = json.loads(report.read_text()) if report.exists() else {}
        return result, data

    return run


# A windowed mean: a loop that accelerates well and whose calls all convert.
KERNEL = """
def smooth(xs: list[float], window: int) -> list[float]:
    out = []
    for i in range(len(xs) - window + 1):
        s = 0.0
        for j in range(i, i + window):
            s += xs[j]
        out.append(s / window)
    return out
"""


@pytest.fixture
def kernel(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project with ``kernel.smooth``; tests add their own test modules."""
    pytester.makepyfile(kernel=KERNEL)
    return pytester
