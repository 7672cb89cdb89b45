"""Test-suite wide fixtures.

Real builds share one cargo target directory for the whole test session (and across
sessions on one checkout), so the suite pays for the pyo3 compile once. Inner pytester
sessions inherit it through ``CARGO_TARGET_DIR``, which the plugin honours.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the expectations of golden tests instead of checking them",
    )


@pytest.fixture(scope="session")
def shared_target_dir() -> Path:
    """The cargo target directory every real build in the suite uses."""
    path = Path(os.environ.get("RUSTIFY_TEST_TARGET_DIR", REPO / ".rustify" / "test-target"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session", autouse=True)
def _cargo_target_dir(shared_target_dir: Path) -> Iterator[None]:
    old = os.environ.get("CARGO_TARGET_DIR")
    os.environ["CARGO_TARGET_DIR"] = str(shared_target_dir)
    yield
    if old is None:
        os.environ.pop("CARGO_TARGET_DIR", None)
    else:
        os.environ["CARGO_TARGET_DIR"] = old


@pytest.fixture(scope="session")
def toolchain_required() -> bool:
    """In CI (RUSTIFY_REQUIRE_TOOLCHAIN=1) a missing cargo/maturin fails instead of skipping."""
    return os.environ.get("RUSTIFY_REQUIRE_TOOLCHAIN", "") == "1"


@pytest.fixture(scope="session")
def toolchain(toolchain_required: bool) -> None:
    """Skip (locally) or fail (CI) when cargo or maturin is missing."""
    missing = [tool for tool in ("cargo", "rustc", "maturin") if shutil.which(tool) is None]
    if missing:
        msg = f"Rust toolchain incomplete, missing: {', '.join(missing)}"
        if toolchain_required:
            pytest.fail(msg + " (RUSTIFY_REQUIRE_TOOLCHAIN=1)")
        pytest.skip(msg)
