"""Tests for rustify_examples.vectors, checked against math.dist, numpy and closed forms.

The inputs are windows of one random series, so the references can work on numpy views
of it and the functions under test take most of each test's time.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import numpy as np
import pytest
from rustify_examples.vectors import dot_product, euclidean, l2_normalize

SIZE = 1000
STRIDE = 7


def _windows(seed: int, count: int) -> tuple[list[list[float]], np.ndarray]:
    """``count`` overlapping vectors of SIZE values in [-1, 1), and the whole series."""
    rng = random.Random(seed)
    series = [rng.random() * 2.0 - 1.0 for _ in range(SIZE + STRIDE * count)]
    vectors = [series[i * STRIDE : i * STRIDE + SIZE] for i in range(count)]
    return vectors, np.array(series)


@pytest.mark.rustify
def test_euclidean() -> None:
    pool, _ = _windows(1, 8)
    for i in range(len(pool)):
        for j in range(i + 1, len(pool)):
            a, b = pool[i], pool[j]
            assert euclidean(a, b) == pytest.approx(math.dist(a, b), rel=1e-12)
            assert euclidean(a, b) == euclidean(b, a)
        assert euclidean(pool[i], pool[i]) == 0.0
    assert euclidean([0.0, 0.0], [3.0, 4.0]) == 5.0
    assert euclidean([2.5], [-1.5]) == 4.0
    with pytest.raises(ValueError):
        euclidean([1.0, 2.0], [1.0])


@pytest.mark.rustify
def test_dot_product() -> None:
    pool, series = _windows(2, 8)
    rows = np.stack([series[i * STRIDE : i * STRIDE + SIZE] for i in range(len(pool))])
    gram = rows @ rows.T
    for i in range(len(pool)):
        for j in range(i, len(pool)):
            assert dot_product(pool[i], pool[j]) == pytest.approx(gram[i, j], rel=1e-9, abs=1e-12)
    exact = math.fsum(x * y for x, y in zip(pool[0], pool[1], strict=True))
    assert dot_product(pool[0], pool[1]) == pytest.approx(exact, rel=1e-12, abs=1e-13)
    ones = [1.0] * SIZE
    assert dot_product(ones, ones) == float(SIZE)
    assert dot_product([1.0, 0.0, -2.0], [0.0, 7.0, 0.0]) == 0.0
    assert dot_product([1.5, -2.0, 4.0], [2.0, 1.0, 0.25]) == 2.0  # 3 - 2 + 1
    with pytest.raises(ValueError):
        dot_product([1.0], [1.0, 2.0])


@pytest.mark.rustify
def test_l2_normalize(assert_close: Callable[..., None]) -> None:
    pool, series = _windows(3, 30)
    for i, xs in enumerate(pool):
        unit = np.array(l2_normalize(xs))
        view = series[i * STRIDE : i * STRIDE + SIZE]
        assert_close(unit, view / np.linalg.norm(view), rtol=1e-12, atol=1e-15)
        assert float(unit @ unit) == pytest.approx(1.0, rel=1e-12)
    assert l2_normalize([3.0, -4.0]) == pytest.approx([0.6, -0.8], rel=1e-15)
    assert l2_normalize([-7.0]) == [-1.0]
    with pytest.raises(ValueError):
        l2_normalize([0.0, 0.0, 0.0])
