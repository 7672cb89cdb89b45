"""A real ``--rustify`` session on code that calls its own helpers, recurses, and sorts
its argument in place: the caller's list holds the result in ``[rust]`` too, and the
replay compares the arguments after each call."""

from __future__ import annotations

from typing import Any

import pytest

SORTS = """
def _swap(xs, i, j):
    xs[i], xs[j] = xs[j], xs[i]


def _sift_down(xs, start, end):
    root = start
    while 2 * root + 1 <= end:
        child = 2 * root + 1
        if child + 1 <= end and xs[child] < xs[child + 1]:
            child += 1
        if xs[root] < xs[child]:
            _swap(xs, root, child)
            root = child
        else:
            return


def heapsort(xs):
    n = len(xs)
    for start in range((n - 2) // 2, -1, -1):
        _sift_down(xs, start, n - 1)
    for end in range(n - 1, 0, -1):
        _swap(xs, 0, end)
        _sift_down(xs, 0, end - 1)


def depth(n):
    if n <= 0:
        return 0
    return 1 + depth(n // 2)
"""

TEST_SORTS = """
import random

import pytest

import sorts


@pytest.mark.rustify
def test_heapsort_sorts_in_place():
    rng = random.Random(7)
    for n in (0, 1, 5, 200, 201):
        xs = [rng.randint(-1000, 1000) for _ in range(n)]
        alias = xs
        assert sorts.heapsort(xs) is None
        assert alias is xs and xs == sorted(alias)


@pytest.mark.rustify
def test_depth():
    assert [sorts.depth(n) for n in (0, 1, 2, 1024)] == [0, 1, 2, 11]
    for _ in range(300):
        sorts.depth(10**12)
"""


def test_helpers_recursion_and_in_place_sorting(
    pytester: pytest.Pytester, run_rustify: Any
) -> None:
    pytester.makepyfile(sorts=SORTS, test_sorts=TEST_SORTS)
    result, report = run_rustify("--rustify-threshold=0")
    result.assert_outcomes(passed=4)
    funcs = {f["target"]: f for f in report["functions"]}
    heap = funcs["sorts:heapsort"]
    assert heap["status"] == "accelerated", heap
    assert heap["signature"] == "fn heapsort(xs: &mut Vec<i64>) -> ()"
    assert heap["parity"]["calls"] > 0
    assert heap["parity"]["mismatches"] == 0 and heap["parity"]["fallbacks"] == 0
    rec = funcs["sorts:depth"]
    assert rec["status"] == "accelerated", rec
    assert rec["parity"]["mismatches"] == 0
