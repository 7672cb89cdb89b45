"""Configuration for the bundled examples.

This file sits at the top of ``examples/`` (which has no ``__init__.py``), so pytest
puts ``examples/`` on ``sys.path`` and the tests can import ``rustify_examples``.

The tests are marked ``@pytest.mark.rustify``. The plugin registers that marker; when
it is not installed, the marker is registered here so the examples still run cleanly
as an ordinary test suite.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    # trylast: the plugin's own pytest_configure has run by now and registered the marker.
    lines = config.getini("markers")
    if "rustify" not in {re.split(r"[(:]", line, maxsplit=1)[0].strip() for line in lines}:
        config.addinivalue_line(
            "markers",
            "rustify: check this test's hot functions against their Rust translation "
            "(inert without the pytest-rustify plugin)",
        )


def _assert_close(
    actual: npt.ArrayLike, expected: npt.ArrayLike, *, rtol: float, atol: float
) -> None:
    # np.testing.assert_allclose costs more than most of the functions under test; this
    # keeps the same criterion, |actual - expected| <= atol + rtol * |expected|, cheap.
    got = np.asarray(actual, dtype=np.float64)
    want = np.asarray(expected, dtype=np.float64)
    assert got.shape == want.shape, f"shape {got.shape} != expected {want.shape}"
    if got.size == 0:
        return
    excess = np.abs(got - want) - (atol + rtol * np.abs(want))
    worst = np.unravel_index(int(np.argmax(excess)), excess.shape)
    assert excess[worst] <= 0.0, (
        f"at {tuple(int(i) for i in worst)}: {got[worst]!r} != {want[worst]!r} "
        f"(rtol={rtol}, atol={atol})"
    )


@pytest.fixture
def assert_close() -> Callable[..., None]:
    """``assert_close(actual, expected, rtol=..., atol=...)``: element-wise, NaN fails."""
    return _assert_close
