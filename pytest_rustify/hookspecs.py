"""Hooks pytest-rustify adds; implement them in a conftest.py or a plugin."""

from __future__ import annotations

from collections.abc import MutableMapping

import pytest


@pytest.hookspec
def pytest_rustify_crate_sources(config: pytest.Config, sources: MutableMapping[str, str]) -> None:
    """Called with the generated crate's sources (relative path -> text) before the build.

    Runs once per session, between the Python phase and the ``[rust]`` phase. An
    implementation may edit ``sources`` in place, for example to substitute a
    hand-written Rust port of a function; parity then checks that port against the
    Python original.
    """
