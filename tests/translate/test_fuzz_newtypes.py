"""The fuzzer's parts for sets, NumPy arrays and scalars, recursion and arguments changed in
place, without a build: what is drawn, which parameters are drawn small, and which calls
share an argument (and must then fall back)."""

from __future__ import annotations

import ast
import copy
import math
import textwrap
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from fuzz_plan import NoBound, depth_bounds, loop_bounds, plan_for
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from strategies import (
    DEPTH_MAX,
    DEPTH_MIN,
    I64_MAX,
    I64_MIN,
    LAYOUTS,
    Laid,
    fits_rust,
    foreign_for,
    strategy_for,
)

from pytest_rustify.translate import ir
from pytest_rustify.translate.frontend import FunctionSource, TypeEvidence, translate_function
from pytest_rustify.translate.rtypes import (
    INT,
    NP_FLOAT64,
    NP_INT64,
    STR,
    ArrayT,
    RType,
    SetT,
    TupleT,
    join,
    type_of_value,
)

SLOW_OK = [HealthCheck.too_slow]
SETTINGS = settings(
    derandomize=True, database=None, deadline=None, max_examples=60, suppress_health_check=SLOW_OK
)
FIND = settings(derandomize=True, database=None, max_examples=5000, suppress_health_check=SLOW_OK)

TYPES = [
    SetT(INT),
    SetT(STR),
    SetT(TupleT((INT, STR))),
    ArrayT(NP_FLOAT64, 1),
    ArrayT(NP_FLOAT64, 2),
    ArrayT(NP_INT64, 1),
    ArrayT(NP_INT64, 2),
    NP_FLOAT64,
    NP_INT64,
]


def reaches(strategy: st.SearchStrategy[Any], wanted: Callable[[Any], bool]) -> None:
    find(strategy, wanted, settings=FIND)  # raises NoSuchExample if never drawn


def passed(value: Any) -> Any:
    """What the function receives: ``check_same`` passes deep copies."""
    return copy.deepcopy(value)


@pytest.mark.parametrize("t", TYPES, ids=str)
def test_draws_values_of_exactly_the_type(t: RType) -> None:
    @SETTINGS
    @given(strategy_for(t))
    def check(value: object) -> None:
        seen = type_of_value(passed(value))
        assert seen is not None, value
        assert join(seen, t) == t, f"{value!r} is a {seen}, not a {t}"

    check()


@pytest.mark.parametrize("t", TYPES, ids=str)
def test_foreign_values_are_never_of_the_type(t: RType) -> None:
    odd = foreign_for(t)
    assert odd is not None

    @SETTINGS
    @given(odd)
    def check(value: object) -> None:
        assert type_of_value(passed(value)) != t, value

    check()


def test_sets_empty_long_and_past_64_bits() -> None:
    sets = strategy_for(SetT(INT))
    reaches(sets, lambda s: s == set())
    reaches(sets, lambda s: len(s) >= 16)
    reaches(sets, lambda s: not fits_rust(s))
    reaches(foreign_for(SetT(INT)), lambda s: type(s) is frozenset)  # type: ignore[arg-type]
    reaches(
        foreign_for(SetT(STR)),  # type: ignore[arg-type]
        lambda s: type(s) is set and any(type(x) is float for x in s),
    )


def bare(value: object) -> Any:
    return value.array if isinstance(value, Laid) else value


@pytest.mark.parametrize(
    ("t", "wanted"),
    [
        (ArrayT(NP_FLOAT64, 1), lambda a: bare(a).size == 0),
        (ArrayT(NP_FLOAT64, 1), lambda a: bare(a).size >= 24),
        (ArrayT(NP_FLOAT64, 1), lambda a: np.isnan(bare(a)).any()),
        (ArrayT(NP_FLOAT64, 1), lambda a: np.isinf(bare(a)).any()),
        (ArrayT(NP_FLOAT64, 1), lambda a: any(x == 0 and math.copysign(1, x) < 0 for x in bare(a))),
        (ArrayT(NP_INT64, 1), lambda a: I64_MAX in bare(a) and I64_MIN in bare(a)),
        (ArrayT(NP_FLOAT64, 2), lambda a: 0 in bare(a).shape),
        (ArrayT(NP_FLOAT64, 2), lambda a: min(bare(a).shape) >= 3),
    ],
    ids=["empty", "long", "nan", "inf", "minus-zero", "int64-extremes", "empty-2d", "square"],
)
def test_array_edges_are_drawn(t: ArrayT, wanted: Callable[[Any], bool]) -> None:
    reaches(strategy_for(t), wanted)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_arrays_arrive_in_every_layout(layout: str) -> None:
    flag: Callable[[Any], bool] = {
        "strided": lambda a: not a.flags.c_contiguous and a.base is not None,
        "reversed": lambda a: a.strides[0] < 0,
        "fortran": lambda a: a.flags.f_contiguous and not a.flags.c_contiguous,
        "readonly": lambda a: not a.flags.writeable,
    }[layout]
    matrices = strategy_for(ArrayT(NP_FLOAT64, 2))
    # the layout survives the deep copy check_same makes, and the items are the same
    found = find(
        matrices,
        lambda v: isinstance(v, Laid) and v.layout == layout and min(v.array.shape) >= 2,
        settings=FIND,
    )
    copied = passed(found)
    assert flag(copied)
    assert np.array_equal(copied, found.array, equal_nan=True)
    assert passed(found) is not copied


@pytest.mark.parametrize(
    ("t", "wanted"),
    [
        (ArrayT(NP_FLOAT64, 1), lambda a: getattr(a, "dtype", None) == np.float32),
        (ArrayT(NP_FLOAT64, 1), lambda a: str(getattr(a, "dtype", "")) == ">f8"),
        (ArrayT(NP_INT64, 1), lambda a: getattr(a, "dtype", None) == np.int32),
        (ArrayT(NP_FLOAT64, 2), lambda a: getattr(a, "ndim", None) == 1),
        (ArrayT(NP_FLOAT64, 1), lambda a: getattr(a, "ndim", None) == 0),
        (ArrayT(NP_FLOAT64, 1), lambda a: isinstance(a, np.ma.MaskedArray)),
        (ArrayT(NP_FLOAT64, 1), lambda a: isinstance(a, list)),
    ],
    ids=["float32", "big-endian", "int32", "wrong-ndim", "0-d", "subclass", "list"],
)
def test_wrong_kind_arrays_are_drawn(t: ArrayT, wanted: Callable[[Any], bool]) -> None:
    odd = foreign_for(t)
    assert odd is not None
    reaches(odd, wanted)


def test_numpy_scalars_and_plain_ones() -> None:
    reaches(strategy_for(NP_FLOAT64), lambda v: type(v) is np.float64)
    reaches(strategy_for(NP_FLOAT64), lambda v: type(v) is float)
    reaches(strategy_for(NP_INT64), lambda v: type(v) is np.int64 and v == I64_MIN)
    reaches(strategy_for(NP_INT64), lambda v: type(v) is int)


# -- recursion and helpers -----------------------------------------------------------------


def module_function(source: str) -> ir.Function:
    """The last function of ``source``, translated with the module's other functions as
    its helpers (they need real globals: the translator checks what the names hold)."""
    text = textwrap.dedent(source)
    tree = ast.parse(text)
    namespace: dict[str, object] = {}
    exec(compile(tree, "pkg/mod.py", "exec"), namespace)
    node = tree.body[-1]
    assert isinstance(node, ast.FunctionDef)
    src = FunctionSource(f"pkg.mod:{node.name}", "pkg/mod.py", node, tree, namespace)
    result = translate_function(src, TypeEvidence())
    assert isinstance(result, ir.Function), result
    return result


FIB = """
def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
"""

HELPER_LOOP = """
def _fill(out: list[int], k: int) -> None:
    for i in range(k):
        out.append(i)


def caller(out: list[int], n: int, m: int) -> int:
    _fill(out, n + 1)
    return len(out) + m
"""

HELPER_RECURSION = """
def _down(k: int, acc: int) -> int:
    if k <= 0:
        return acc
    return _down(k - 1, acc + k)


def caller(n: int, m: int) -> int:
    j = n * 2
    return _down(j, 0) + m
"""

ELEMENT_RECURSION = """
def _down(k: int) -> int:
    if k <= 0:
        return 0
    return 1 + _down(k - 1)


def caller(xs: list[int]) -> int:
    return _down(xs[0])
"""


def test_a_recursion_bounds_its_depth_parameter() -> None:
    plan = plan_for(module_function(FIB))
    assert (plan.bounded, plan.deep) == (("n",), ("n",))

    @SETTINGS
    @given(plan.calls())
    def small(call: tuple[tuple[object, ...], dict[str, object], bool]) -> None:
        assert DEPTH_MIN <= call[0][0] <= DEPTH_MAX  # type: ignore[operator]

    small()


def test_a_loop_inside_a_helper_bounds_the_callers_parameter() -> None:
    fn = module_function(HELPER_LOOP)
    assert "n" in loop_bounds(fn)[0] and "m" not in loop_bounds(fn)[0]
    plan = plan_for(fn)
    assert (plan.bounded, plan.deep, plan.mutated) == (("n",), (), ("out",))


def test_a_recursive_helper_bounds_the_callers_parameter() -> None:
    fn = module_function(HELPER_RECURSION)
    assert "n" in depth_bounds(fn)[0]
    assert plan_for(fn).deep == ("n",)


def test_a_recursion_bounded_by_an_element_fails_loudly() -> None:
    with pytest.raises(NoBound, match=r"parameter 'xs' bounds a recursion.*OVERRIDES"):
        plan_for(module_function(ELEMENT_RECURSION))


# -- arguments shared between positions ----------------------------------------------------

PUSH = """
def push_and_count(out: list[int], rows: list[list[int]]) -> int:
    total = 0
    for r in rows:
        out.append(len(r))
        total += len(r)
    return total
"""

TWO_LISTS = """
def extend_by(out: list[int], more: list[int]) -> int:
    for x in more:
        out.append(x)
    return len(out)
"""

READ_ONLY = """
def total_len(a: list[int], rows: list[list[int]]) -> int:
    return len(a) + len(rows)
"""


def foreign(call: Any) -> bool:
    """Whether a bool is passed for an int (at any depth): a draw of a neighbouring type,
    which must fall back too."""
    args, kwargs, _ = call
    return has_bool([*args, *kwargs.values()])


def has_bool(value: object) -> bool:
    if isinstance(value, list):
        return any(has_bool(v) for v in value)
    return type(value) is bool


def test_a_changed_list_inside_another_argument_must_fall_back() -> None:
    calls = plan_for(module_function(PUSH)).calls()

    def shared(c: Any) -> bool:
        (out, rows), _, _ = c
        return any(r is out for r in rows)

    @SETTINGS
    @given(calls)
    def flagged(call: Any) -> None:
        assert call[2] == (shared(call) or foreign(call))

    flagged()
    reaches(calls, shared)
    # the sharing survives check_same's copy: one deepcopy of all arguments
    found = find(calls, lambda c: shared(c) and len(c[0][1]) > 1, settings=FIND)
    out, rows = passed(found[0])
    assert out is not found[0][0] and any(r is out for r in rows)


def test_the_same_list_in_two_positions_must_fall_back() -> None:
    calls = plan_for(module_function(TWO_LISTS)).calls()
    reaches(calls, lambda c: c[0][0] is c[0][1] and c[2])

    @SETTINGS
    @given(calls)
    def flagged(call: Any) -> None:
        assert call[2] == (call[0][0] is call[0][1] or foreign(call))

    flagged()


def test_sharing_without_a_change_need_not_fall_back() -> None:
    calls = plan_for(module_function(READ_ONLY)).calls()
    reaches(calls, lambda c: any(r is c[0][0] for r in c[0][1]) and not c[2])


def test_two_arrays_often_have_one_shape() -> None:
    fn = module_function(
        """
        import numpy as np

        Vec = np.ndarray[tuple[int], np.dtype[np.float64]]


        def ratio_sum(a: Vec, b: Vec) -> float:
            s = 0.0
            for i in range(len(a)):
                s += a[i] / b[i]
            return s
        """
    )
    calls = plan_for(fn).calls()
    reaches(calls, lambda c: bare(c[0][0]).shape == bare(c[0][1]).shape != (0,))
    reaches(calls, lambda c: c[0][0] is c[0][1])
