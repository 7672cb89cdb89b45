"""Calls between functions of one module, recursion, and arguments changed in place.

``corpus/helpers.py``: a helper is translated with its caller, for the argument types
of the call; a function calling itself is bounded in depth (deeper calls fall back to
Python); a list or dict argument changed in place holds the change afterwards, also
when the function raises, and a call where another argument reaches the changed one
falls back to Python, which sees the change through both.
"""

from __future__ import annotations

import math
import sys
from typing import TYPE_CHECKING

import pytest

from pytest_rustify.errors import Refusal
from pytest_rustify.translate import ir

if TYPE_CHECKING:
    from conftest import CheckSame, Corpus

I64_MAX = 2**63 - 1


def test_a_helper_is_translated_with_its_caller(corpus: Corpus, check_same: CheckSame) -> None:
    fn = corpus.translated["nearest_index"]
    assert [h.target.rsplit(":", 1)[1] for h in fn.helpers] == ["_sq_dist"]
    assert "_sq_dist" not in corpus.translated  # a helper is no target of its own
    pts = [[0.0, 0.0], [1.0, 1.0], [-2.0, 0.5]]
    for q in ([0.9, 1.2], [-3.0, 0.0], [math.nan, 0.0], [math.inf, 0.0]):
        check_same("nearest_index", pts, q)
    check_same("nearest_index", [], [1.0])
    # zip() stops at the shorter list, in the helper as in Python
    check_same("nearest_index", [[1.0, 2.0, 3.0]], [1.0])


def test_keyword_and_default_arguments_of_a_helper(check_same: CheckSame) -> None:
    check_same("clamp_each", [-0.5, 0.25, 0.75, 2.0, math.nan])
    check_same("clamp_each", [])


@pytest.mark.parametrize("n", [0, 1, 2, 10, 20])
def test_recursion(check_same: CheckSame, n: int) -> None:
    check_same("fib_rec", n)


@pytest.mark.parametrize(("a", "b"), [(12, 18), (-12, 18), (0, 0), (7, 0), (I64_MAX, 2)])
def test_tail_recursion(check_same: CheckSame, a: int, b: int) -> None:
    check_same("gcd_rec", a, b)


def test_recursion_past_the_rust_bound_falls_back(check_same: CheckSame) -> None:
    check_same("depth_sum", list(range(100)), 0)  # within the bound: Rust computes it
    check_same("depth_sum", list(range(700)), 0, fallback=True)  # beyond: Python does
    deep = sys.getrecursionlimit() + 10
    # Python raises RecursionError itself, through the fallback
    check_same("depth_sum", [1] * deep, 0, fallback=True)


def test_argument_changed_in_place_is_written_back(check_same: CheckSame) -> None:
    xs = [1.0, -2.5, math.nan]
    check_same("scale_list_in_place", xs, 2.0)
    check_same("append_squares", [7, 8], 4)
    check_same("append_squares", [], 0)
    check_same("count_words_into", {"b": 1}, ["a", "b", "a", "é"])


def test_the_callers_own_object_holds_the_result(corpus: Corpus) -> None:
    xs = [3.0, 1.0]
    alias = xs
    assert corpus.rust("scale_list_in_place")(xs, 3.0) is None
    assert alias == [9.0, 3.0] and alias is xs
    d: dict[str, int] = {}
    corpus.rust("count_words_into")(d, ["x", "x"])
    assert d == {"x": 2}


def test_in_place_changes_through_helpers_and_recursion(check_same: CheckSame) -> None:
    for xs in ([], [1], [3, 1, 2], [5, -1, 5, 0, -7, 2, 2], list(range(50, 0, -1))):
        check_same("quicksort", xs)


def test_methods_changing_an_argument(check_same: CheckSame) -> None:
    check_same("pop_key", {"a": 1, "b": 2}, "a")
    check_same("pop_key", {"a": 1}, "zz")  # KeyError, the dict unchanged
    check_same("sort_then_first", [3, -1, 2])
    check_same("sort_then_first", [])  # IndexError after sorting nothing
    check_same("sort_words_by_length", ["bb", "a", "ccc", "dd", ""])


def test_changes_before_an_exception_stay(check_same: CheckSame) -> None:
    # Python leaves the items popped before the raise popped: so must Rust
    check_same("drain_until_negative", [1, -5, 2, 3])
    check_same("drain_until_negative", [4, 5])


def test_an_aliased_argument_falls_back(corpus: Corpus, check_same: CheckSame) -> None:
    grid = [[1, 2], [3, 4]]
    # The helper changes rows of a fresh copy: nothing of the argument changes.
    check_same("smooth_copy", [[0.0, 0.0, 0.0], [0.0, 9.0, 0.0], [0.0, 0.0, 0.0]])
    check_same("smooth_copy", [[1.0] * 4 for _ in range(4)])
    assert grid == [[1, 2], [3, 4]]


def test_an_argument_reachable_from_another_falls_back(check_same: CheckSame) -> None:
    check_same("push_and_count", [9], [[1, 2], [], [3]])
    out: list[int] = []
    # `out` is also a row: Python sees each append through `rows`, Rust's copy would not
    check_same("push_and_count", out, [out, [1], out], fallback=True)
    check_same("push_and_count", out, [list(out)], fallback=False)


def test_mutual_recursion_is_refused() -> None:
    import ast

    from pytest_rustify.translate.frontend import FunctionSource, TypeEvidence, translate_function

    src = (
        "def is_even(n: int) -> bool:\n"
        "    return True if n == 0 else is_odd(n - 1)\n"
        "def is_odd(n: int) -> bool:\n"
        "    return False if n == 0 else is_even(n - 1)\n"
    )
    tree = ast.parse(src)
    env: dict[str, object] = {}
    exec(compile(tree, "m.py", "exec"), env)
    node = tree.body[0]
    assert isinstance(node, ast.FunctionDef)
    out = translate_function(FunctionSource("m:is_even", "m.py", node, tree, env), TypeEvidence())
    assert isinstance(out, Refusal) and out.code == "recursion"
    assert "call each other" in out.message and out.line == 4
    assert not isinstance(out, ir.Function)


def test_returning_the_argument_gives_back_the_callers_object(corpus: Corpus) -> None:
    xs = [3, 1, 2]
    out = corpus.rust("quicksort")(xs)
    assert out is xs and xs == [1, 2, 3]
    assert corpus.translated["quicksort"].returns_arg == "xs"
