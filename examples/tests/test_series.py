"""Tests for rustify_examples.series, checked against numpy and itertools.

The inputs are windows of one random series, so the references can work on numpy views
of it and the functions under test take most of each test's time.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view
from rustify_examples.series import convolve1d, cumsum, diff, moving_average, running_mean

SIZE = 1000
STRIDE = 7
WINDOW = 10


def _windows(seed: int, count: int) -> tuple[list[list[float]], list[np.ndarray]]:
    """``count`` overlapping series of SIZE values in [-1, 1), as lists and as arrays."""
    rng = random.Random(seed)
    series = [rng.random() * 2.0 - 1.0 for _ in range(SIZE + STRIDE * count)]
    array = np.array(series)
    starts = range(0, STRIDE * count, STRIDE)
    return [series[s : s + SIZE] for s in starts], [array[s : s + SIZE] for s in starts]


@pytest.mark.rustify
def test_running_mean(assert_close: Callable[..., None]) -> None:
    counts = np.minimum(np.arange(1, SIZE + 1), WINDOW)
    for xs, arr in zip(*_windows(20, 30), strict=True):
        means = np.array(running_mean(xs, WINDOW))
        # Zero-padding the front makes every trailing window full; divide by the real count.
        padded = np.concatenate([np.zeros(WINDOW - 1), arr])
        sums = sliding_window_view(padded, WINDOW).sum(axis=1)
        # The incremental sum drifts by a few ulps of the running total.
        assert_close(means, sums / counts, rtol=1e-9, atol=1e-12)
    assert running_mean([1.0, 2.0, 3.0], 5) == [1.0, 1.5, 2.0]
    assert running_mean([4.0], 3) == [4.0]
    assert running_mean([1.0, 3.0, 5.0, 7.0], 2) == [1.0, 2.0, 4.0, 6.0]
    assert running_mean([0.5, -2.0, 8.0], 1) == [0.5, -2.0, 8.0]
    with pytest.raises(ValueError):
        running_mean([1.0], 0)


@pytest.mark.rustify
def test_moving_average(assert_close: Callable[..., None]) -> None:
    box = np.full(WINDOW, 1.0 / WINDOW)
    for xs, arr in zip(*_windows(21, 30), strict=True):
        averages = np.array(moving_average(xs, WINDOW))
        assert averages.shape == (SIZE - WINDOW + 1,)
        expected = np.convolve(arr, box, mode="valid")
        assert_close(averages, expected, rtol=1e-9, atol=1e-12)
    assert moving_average([1.0, 2.0, 3.0, 4.0], 2) == [1.5, 2.5, 3.5]
    assert moving_average([1.0, 2.0, 6.0], 3) == [3.0]
    assert moving_average([1.0, 2.0], 5) == []
    with pytest.raises(ValueError):
        moving_average([1.0, 2.0], 0)


@pytest.mark.rustify
def test_diff() -> None:
    rng = random.Random(22)
    series = [rng.random() * 2.0 - 1.0 for _ in range(SIZE + STRIDE * 40)]
    # One rounded subtraction per element in both, so the differences of a window are
    # exactly the matching slice of numpy's differences of the whole series.
    steps = np.diff(series).tolist()
    for start in range(0, STRIDE * 40, STRIDE):
        assert diff(series[start : start + SIZE]) == steps[start : start + SIZE - 1]
    assert diff([1.0, 4.0, 9.0, 16.0]) == [3.0, 5.0, 7.0]
    assert diff([2.5, 2.5]) == [0.0]
    assert diff([7.0]) == []


@pytest.mark.rustify
def test_cumsum() -> None:
    lists, _ = _windows(23, 40)
    for k, xs in enumerate(lists):
        totals = cumsum(xs)
        assert len(totals) == SIZE
        # Checking every element costs nearly as much as the call, so every fourth call
        # is checked in full and the others by their total.
        if k % 4 == 0:
            # The same left-to-right additions as itertools.accumulate: exact agreement.
            assert totals == list(itertools.accumulate(xs))
        else:
            # Partial sums stay below 40 in size: 1000 roundings cost at most ~1e-11.
            assert abs(totals[-1] - math.fsum(xs)) < 1e-10
    assert cumsum([1.0, 2.0, 3.0, 4.0]) == [1.0, 3.0, 6.0, 10.0]
    assert cumsum([0.1, 0.2, 0.3]) == [0.1, 0.1 + 0.2, (0.1 + 0.2) + 0.3]
    assert cumsum([-2.5]) == [-2.5]


@pytest.mark.rustify
def test_convolve1d(assert_close: Callable[..., None]) -> None:
    rng = random.Random(24)
    for signal, arr in zip(*_windows(25, 30), strict=True):
        kernel = [rng.random() for _ in range(5)]
        out = np.array(convolve1d(signal, kernel))
        assert out.shape == (SIZE - 5 + 1,)
        expected = np.convolve(arr, kernel, mode="valid")
        assert_close(out, expected, rtol=1e-9, atol=1e-12)
    # The kernel is flipped: [1, -1] takes forward differences, as numpy.convolve does.
    assert convolve1d([1.0, 4.0, 9.0], [1.0, -1.0]) == [3.0, 5.0]
    assert np.convolve([1.0, 4.0, 9.0], [1.0, -1.0], mode="valid").tolist() == [3.0, 5.0]
    assert convolve1d([1.0, 2.0, 3.0], [0.0, 0.0, 1.0]) == [1.0]
    assert convolve1d([0.5, -1.5, 2.0], [2.0]) == [1.0, -3.0, 4.0]
    with pytest.raises(ValueError):
        convolve1d([1.0, 2.0], [1.0, 1.0, 1.0])
    with pytest.raises(ValueError):
        convolve1d([1.0, 2.0], [])
