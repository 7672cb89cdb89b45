"""A real ``--rustify`` session whose tests call the same functions with lists and with
NumPy arrays.

The functions are annotated for lists; the Python phase records both kinds of calls,
so each function gets a list path and an array path behind one dispatcher, and parity
holds on every recorded call of either kind without a fallback. A function whose array
path the translator refuses (it slices: a view of the array) keeps its list path; its
array calls fall back, counted, and the report says why.
"""

from __future__ import annotations

from typing import Any

import pytest

VECS = """
def dot(a: list[float], b: list[float]) -> float:
    if len(a) != len(b):
        raise ValueError("lengths differ")
    total = 0.0
    for i in range(len(a)):
        total += a[i] * b[i]
    return total


def centered(xs: list[float]) -> list[float]:
    mean = 0.0
    for x in xs:
        mean += x
    mean /= len(xs)
    return [x - mean for x in xs]


def tail_total(xs: list[float]) -> float:
    total = 0.0
    for x in xs[1:]:
        total += x
    return total
"""

TESTS = """
import numpy as np
import pytest
from vecs import centered, dot, tail_total

LIST = [float(i % 17) / 3.0 for i in range(4000)]
ARRAY = np.array(LIST)


@pytest.mark.rustify
def test_dot_both_ways():
    for _ in range(4):
        assert dot(LIST, LIST) == pytest.approx(float(ARRAY @ ARRAY))
        assert dot(ARRAY, ARRAY) == pytest.approx(float(ARRAY @ ARRAY))
    assert isinstance(dot(ARRAY, ARRAY), np.float64)
    with pytest.raises(ValueError):
        dot(ARRAY, ARRAY[:3])


@pytest.mark.rustify
def test_centered_both_ways():
    for _ in range(4):
        out = centered(ARRAY)
        assert type(out) is list and type(out[0]) is np.float64
        assert centered(LIST) == pytest.approx(out)


@pytest.mark.rustify
def test_tail_total_both_ways():
    for _ in range(4):
        assert tail_total(LIST) == pytest.approx(tail_total(ARRAY))
"""


def test_list_and_array_calls_get_both_paths_with_parity(
    pytester: pytest.Pytester, run_rustify: Any
) -> None:
    pytester.makepyfile(vecs=VECS, test_vecs=TESTS)
    result, report = run_rustify("--rustify-threshold=1", "-v")
    result.assert_outcomes(passed=6)
    functions = {f["target"].split(":")[1]: f for f in report["functions"]}
    assert set(functions) >= {"dot", "centered", "tail_total"}, result.stdout.str()
    dot, centered = functions["dot"], functions["centered"]
    assert dot["signature"] == (
        "fn dot(a: Vec<f64>, b: Vec<f64>) -> f64 | "
        "fn dot(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64"
    ), dot
    assert centered["signature"] == (
        "fn centered(xs: Vec<f64>) -> Vec<f64> | fn centered(xs: ArrayView1<f64>) -> Vec<f64>"
    ), centered
    for f in (dot, centered):
        assert f["status"] == "accelerated", f
        # Both kinds were recorded (each path comes from its calls) and replayed: the
        # session keeps a few calls of each shape per test (3), lists and arrays apart.
        assert f["parity"]["calls"] >= 6, f
        assert f["parity"]["mismatches"] == 0, f
        assert f["parity"]["fallbacks"] == 0, f

    tail = functions["tail_total"]
    assert tail["status"] == "accelerated", tail
    assert tail["signature"] == "fn tail_total(xs: Vec<f64>) -> f64"
    assert tail["parity"]["mismatches"] == 0
    assert tail["parity"]["fallbacks"] == tail["parity"]["calls"] // 2 > 0, tail
    out = result.stdout.str()
    assert "tail_total: the calls passing NumPy arrays for `xs` are not accelerated" in out, out
    assert "slicing an array makes a view" in out
