"""Tests for rustify_examples.scaling, checked against numpy and statistics.

The inputs are windows of one random series, so the references can work on numpy views
of it and the functions under test take most of each test's time.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable

import numpy as np
import pytest
from rustify_examples import scaling

SIZE = 1000
STRIDE = 7


def _windows(seed: int, count: int) -> tuple[list[list[float]], list[np.ndarray]]:
    """``count`` overlapping series of SIZE values in [-50, 150), as lists and as arrays."""
    rng = random.Random(seed)
    series = [rng.random() * 200.0 - 50.0 for _ in range(SIZE + STRIDE * count)]
    array = np.array(series)
    starts = range(0, STRIDE * count, STRIDE)
    return [series[s : s + SIZE] for s in starts], [array[s : s + SIZE] for s in starts]


@pytest.mark.rustify
def test_normalize_pixels() -> None:
    rng = random.Random(10)
    raw = rng.randbytes(SIZE * 40)
    # True division is correctly rounded in both, so the results agree exactly.
    expected = np.frombuffer(raw, dtype=np.uint8) / 255.0
    for start in range(0, len(raw), SIZE):
        scaled = scaling.normalize_pixels(list(raw[start : start + SIZE]))
        assert np.array_equal(np.array(scaled), expected[start : start + SIZE])
    assert scaling.normalize_pixels([0, 51, 255]) == [0.0, 0.2, 1.0]
    assert scaling.normalize_pixels([102]) == [0.4]


@pytest.mark.rustify
def test_standard_scale(assert_close: Callable[..., None]) -> None:
    lists, arrays = _windows(11, 30)
    for xs, arr in zip(lists, arrays, strict=True):
        scaled = np.array(scaling.standard_scale(xs))
        expected = (arr - arr.mean()) / arr.std()  # numpy's std is the population one
        assert_close(scaled, expected, rtol=1e-9, atol=1e-12)
    small = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]  # mean 5, population std 2
    assert statistics.pstdev(small) == 2.0
    assert scaling.standard_scale(small) == [-1.5, -0.5, -0.5, -0.5, 0.0, 0.0, 1.0, 2.0]
    assert scaling.standard_scale([1.0, 3.0]) == [-1.0, 1.0]
    assert scaling.standard_scale([4.25, 4.25, 4.25]) == [0.0, 0.0, 0.0]
    assert scaling.standard_scale([9.0]) == [0.0]


@pytest.mark.rustify
def test_min_max_scale() -> None:
    lists, arrays = _windows(12, 30)
    for xs, arr in zip(lists, arrays, strict=True):
        scaled = scaling.min_max_scale(xs)
        lo, hi = arr.min(), arr.max()
        # The same two IEEE operations per element as numpy's: exact agreement.
        assert scaled == ((arr - lo) / (hi - lo)).tolist()
        assert scaled[int(arr.argmin())] == 0.0
        assert scaled[int(arr.argmax())] == 1.0
    assert scaling.min_max_scale([2.0, 4.0, 3.0]) == [0.0, 1.0, 0.5]
    assert scaling.min_max_scale([-1.0, -3.0]) == [1.0, 0.0]
    assert scaling.min_max_scale([6.5, 6.5]) == [0.0, 0.0]
    assert scaling.min_max_scale([6.5]) == [0.0]
