"""Tests for rustify_examples.matrix, checked against numpy and hand-worked products."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import numpy as np
import pytest
from rustify_examples.matrix import matmul


def _matrix(rng: random.Random, rows: int, cols: int) -> list[list[float]]:
    return [[rng.random() * 2.0 - 1.0 for _ in range(cols)] for _ in range(rows)]


@pytest.mark.rustify
def test_matmul(assert_close: Callable[..., None]) -> None:
    rng = random.Random(40)
    shapes = [(20, 20, 20)] * 24 + [(20, 15, 25), (25, 15, 20), (1, 20, 20), (20, 20, 1)]
    for n, k, m in shapes:
        a = _matrix(rng, n, k)
        b = _matrix(rng, k, m)
        product = matmul(a, b)
        assert len(product) == n
        assert all(len(row) == m for row in product)
        assert_close(product, np.asarray(a) @ np.asarray(b), rtol=1e-9, atol=1e-12)
        # One cell by exact summation, as a second, numpy-free formulation.
        i, j = rng.randrange(n), rng.randrange(m)
        cell = math.fsum(a[i][p] * b[p][j] for p in range(k))
        assert product[i][j] == pytest.approx(cell, rel=1e-9, abs=1e-12)

    a = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    b = [[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]]
    assert matmul(a, b) == [[58.0, 64.0], [139.0, 154.0]]
    eye = [[1.0 if i == j else 0.0 for j in range(3)] for i in range(3)]
    square = [[0.5, -1.0, 2.0], [3.0, 0.25, -4.0], [1.5, 6.0, -0.75]]
    assert matmul(square, eye) == square
    assert matmul(eye, square) == square
    assert matmul([[3.0]], [[-2.5]]) == [[-7.5]]
    assert matmul([[1.0], [2.0]], [[3.0, 4.0]]) == [[3.0, 4.0], [6.0, 8.0]]
    with pytest.raises(ValueError):
        matmul(a, a)
