"""Tests for rustify_examples.simulation: Mandelbrot escape times and the fma recurrence."""

from __future__ import annotations

import random

import pytest
from rustify_examples import simulation


def _escape_times_real(width: int, height: int, max_iter: int) -> list[int]:
    """The same grid in real arithmetic: |z| <= 2 as zr^2 + zi^2 <= 4.

    z*z + c rounds identically in both forms (2*zr*zi is exact doubling); the two
    escape tests could only disagree for |z| within an ulp of 2, which happens on
    none of the grids used here.
    """
    out = []
    for py in range(height):
        ci = -1.5 + 3.0 * (py + 0.5) / height
        for px in range(width):
            cr = -2.0 + 3.0 * (px + 0.5) / width
            zr = zi = 0.0
            n = 0
            while zr * zr + zi * zi <= 4.0 and n < max_iter:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                n += 1
            out.append(n)
    return out


@pytest.mark.rustify
def test_mandelbrot() -> None:
    width, height, max_iter = 24, 16, 50
    grid = simulation.mandelbrot(width, height, max_iter)
    assert len(grid) == width * height
    # Cell (16, 8) spans [0, 0.125) x [0, 0.1875): it holds 0+0j, inside the set.
    assert grid[8 * width + 16] == max_iter
    # Corner centres: -1.94-1.41j has |c| > 2 (one step); 0.94-1.41j escapes on step 2.
    assert grid[0] == 1
    assert grid[width - 1] == 2
    assert grid[(height - 1) * width] == 1
    assert grid[height * width - 1] == 2
    assert grid == _escape_times_real(width, height, max_iter)

    for w, h in [(20, 12), (30, 20), (16, 16)]:
        assert simulation.mandelbrot(w, h, 40) == _escape_times_real(w, h, 40)

    # Escape times only grow with the iteration cap, and clip at it.
    for cap in range(5, 50, 3):
        capped = simulation.mandelbrot(width, height, cap)
        assert capped == [min(n, cap) for n in grid]

    assert simulation.mandelbrot(1, 1, 30) == [30]  # centre -0.5+0j is in the set
    assert simulation.mandelbrot(3, 2, 0) == [0] * 6


@pytest.mark.rustify
def test_fma_loop() -> None:
    rng = random.Random(50)
    n = 1000
    for _ in range(40):
        x = rng.uniform(0.9, 1.002)
        y = rng.uniform(-1.0, 1.0)
        z = rng.uniform(-1.0, 1.0)
        # acc_n = z x^n + y (x^n - 1) / (x - 1), the closed form of the recurrence.
        xn = x**n
        expected = z * xn + y * (xn - 1.0) / (x - 1.0)
        assert simulation.fma_loop(x, y, z, n) == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert simulation.fma_loop(0.5, 1.0, 0.0, n) == 2.0  # converges to the fixed point
    assert simulation.fma_loop(1.0, 0.5, 0.25, n) == 500.25
    assert simulation.fma_loop(0.0, 3.0, 7.0, 5) == 3.0
    assert simulation.fma_loop(2.0, 1.0, 0.0, 10) == 1023.0
    assert simulation.fma_loop(1.7, 2.0, -4.5, 0) == -4.5
