"""A real ``--rustify`` session whose hot functions take NumPy arrays.

The array types come from the calls the Python phase records (one function has no
annotations, one only says ``np.ndarray``); the ``[rust]`` items run with the builds
swapped in, their in-place writes are seen by the test, and parity holds on every
recorded call with no fallback.
"""

from __future__ import annotations

from typing import Any

import pytest

KERNEL = """
import numpy as np


def blur_into(image, out):
    rows, cols = image.shape
    for i in range(1, rows - 1):
        for j in range(1, cols - 1):
            total = 0.0
            for di in range(-1, 2):
                for dj in range(-1, 2):
                    total += image[i + di, j + dj]
            out[i, j] = total / 9.0


def row_norms(m: np.ndarray) -> np.ndarray:
    out = np.zeros(m.shape[0])
    for i in range(m.shape[0]):
        s = 0.0
        for j in range(m.shape[1]):
            s += m[i, j] * m[i, j]
        out[i] = s ** 0.5
    return out
"""

TESTS = """
import numpy as np
import pytest
from imaging import blur_into, row_norms


@pytest.mark.rustify
def test_blur():
    image = np.arange(48 * 48, dtype=np.float64).reshape(48, 48) % 7.0
    for _ in range(6):
        out = np.zeros_like(image)
        blur_into(image, out)
        assert out[0, 0] == 0.0
        assert abs(out[1, 1] - image[0:3, 0:3].mean()) < 1e-12


@pytest.mark.rustify
def test_norms():
    m = np.arange(60 * 40, dtype=np.float64).reshape(60, 40) / 100.0
    for _ in range(6):
        norms = row_norms(m)
        assert isinstance(norms, np.ndarray) and norms.dtype == np.float64
        assert abs(norms[1] - float(np.sqrt((m[1] ** 2).sum()))) < 1e-9
"""


def test_array_functions_are_accelerated_with_parity(
    pytester: pytest.Pytester, run_rustify: Any
) -> None:
    pytester.makepyfile(imaging=KERNEL, test_imaging=TESTS)
    result, report = run_rustify()
    result.assert_outcomes(passed=4)
    functions = {f["target"].split(":")[1]: f for f in report["functions"]}
    assert set(functions) >= {"blur_into", "row_norms"}, result.stdout.str()
    blur = functions["blur_into"]
    assert blur["status"] == "accelerated", blur
    assert blur["signature"] == (
        "fn blur_into(image: ArrayView2<f64>, out: ArrayViewMut2<f64>) -> ()"
    )
    norms = functions["row_norms"]
    assert norms["status"] == "accelerated", norms
    assert norms["signature"] == "fn row_norms(m: ArrayView2<f64>) -> Array1<f64>"
    for f in (blur, norms):
        assert f["parity"]["calls"] > 0
        assert f["parity"]["mismatches"] == 0
        assert f["parity"]["fallbacks"] == 0
        assert f["speedup"]["median"] > 0
