"""Test-suite wide fixtures.

Real builds share one cargo target directory for the whole test session (and across
sessions on one checkout), so the suite pays for the pyo3 compile once. Inner pytester
sessions inherit it through ``CARGO_TARGET_DIR``, which the plugin honours.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from process_log import ProcessLog

REPO = Path(__file__).resolve().parent.parent


_HYPOTHESIS_HOME = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis keeps caches (constants read from the sources, Unicode tables) under
    ``.hypothesis/`` in the working directory even without an example database, and its
    pytest plugin fills them at collection, before any fixture: point it at a temporary
    directory here, so that a test run writes nothing into the checkout."""
    if os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        return  # the developer chose a place
    try:
        from hypothesis.configuration import set_hypothesis_home_dir
    except ImportError:
        return
    home = Path(tempfile.mkdtemp(prefix="rustify-tests-hypothesis-"))
    config.stash[_HYPOTHESIS_HOME] = home
    set_hypothesis_home_dir(home)


def pytest_unconfigure(config: pytest.Config) -> None:
    home = config.stash.get(_HYPOTHESIS_HOME, None)
    if home is not None:
        from hypothesis.configuration import set_hypothesis_home_dir

        set_hypothesis_home_dir(None)
        shutil.rmtree(home, ignore_errors=True)


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
def _cargo_environment(shared_target_dir: Path) -> Iterator[None]:
    """Share the target dir, and pin rustup's and cargo's homes: pytester points HOME at
    a temporary directory, where rustup would find no toolchain."""
    home = Path.home()
    wanted = {
        "CARGO_TARGET_DIR": str(shared_target_dir),
        "RUSTUP_HOME": os.environ.get("RUSTUP_HOME", str(home / ".rustup")),
        "CARGO_HOME": os.environ.get("CARGO_HOME", str(home / ".cargo")),
    }
    old = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    yield
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def rustify_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build cache for the inner sessions of the whole suite: identical crates are
    built once."""
    return tmp_path_factory.mktemp("rustify-cache")


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


@pytest.fixture(scope="session")
def process_log() -> ProcessLog:
    """Counts the processes a block of code starts; installed once (audit hooks stay)."""
    log = ProcessLog()
    sys.addaudithook(log.hook)
    return log
