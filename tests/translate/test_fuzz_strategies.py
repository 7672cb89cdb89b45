"""The fuzzer's own parts, without a build: strategies per IR type and loop bounds per function."""

from __future__ import annotations

import ast
import inspect
import math
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from fuzz_plan import NoBound, plan_for
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from strategies import (
    I64_MAX,
    I64_MIN,
    SIZE_MAX,
    SIZE_MIN,
    NoStrategy,
    fits_rust,
    foreign_for,
    ints,
    sizes,
    strategy_for,
)

from pytest_rustify.translate import ir
from pytest_rustify.translate.frontend import FunctionSource, TypeEvidence, translate_function
from pytest_rustify.translate.rtypes import (
    BOOL,
    COMPLEX,
    FLOAT,
    INT,
    NONE,
    STR,
    UNKNOWN,
    DictT,
    ListT,
    RType,
    Scalar,
    TupleT,
    join,
    type_of_value,
)

# too_slow is timed, and these run beside cargo builds on shared cores (see test_fuzz.py).
SLOW_OK = [HealthCheck.too_slow]
SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=60,
    suppress_health_check=SLOW_OK,
)
FIND = settings(derandomize=True, database=None, max_examples=5000, suppress_health_check=SLOW_OK)

TYPES = [
    INT,
    FLOAT,
    BOOL,
    STR,
    COMPLEX,
    NONE,
    ListT(INT),
    ListT(ListT(FLOAT)),
    TupleT((INT, STR)),
    TupleT((INT, FLOAT, STR)),
    DictT(STR, ListT(INT)),
    DictT(TupleT((INT, STR)), INT),
    DictT(BOOL, STR),
    ListT(TupleT((STR, INT))),
    DictT(STR, DictT(STR, INT)),
]


@pytest.mark.parametrize("t", TYPES, ids=str)
def test_draws_values_of_exactly_the_type(t: RType) -> None:
    @SETTINGS
    @given(strategy_for(t))
    def check(value: object) -> None:
        seen = type_of_value(value)
        assert seen is not None, value
        assert join(seen, t) == t, f"{value!r} is a {seen}, not a {t}"

    check()


@dataclass(frozen=True)
class BagT(RType):
    """An IR type the strategies do not know (as a new type on another branch would be)."""

    elem: RType


@pytest.mark.parametrize(
    ("t", "named"),
    [
        (BagT(INT), "BagT"),
        (ListT(BagT(INT)), "BagT"),
        (UNKNOWN, "Unknown"),
        (Scalar("decimal"), "'decimal'"),
    ],
    ids=["top", "nested", "unknown", "scalar"],
)
def test_an_unknown_type_fails_loudly_naming_it(t: RType, named: str) -> None:
    with pytest.raises(NoStrategy, match=named):
        strategy_for(t)


def reaches(strategy: st.SearchStrategy[Any], wanted: Callable[[Any], bool]) -> None:
    find(strategy, wanted, settings=FIND)  # raises NoSuchExample if never drawn


def same_float(x: float) -> Callable[[Any], bool]:
    return lambda v: (
        isinstance(v, float) and (v == x and math.copysign(1, v) == math.copysign(1, x))
    )


@pytest.mark.parametrize(
    "value", [0, 1, -1, 2**31, -(2**31), I64_MAX, I64_MIN, I64_MAX + 1, I64_MIN - 1, 2**100]
)
def test_int_edges_are_drawn(value: int) -> None:
    reaches(strategy_for(INT), lambda v: v == value)


@pytest.mark.parametrize(
    "value", [-0.0, math.inf, -math.inf, 5e-324, 2.5, 2.0**63, sys.float_info.max]
)
def test_float_edges_are_drawn(value: float) -> None:
    reaches(strategy_for(FLOAT), same_float(value))


def test_nan_is_drawn() -> None:
    reaches(strategy_for(FLOAT), lambda v: math.isnan(v))
    reaches(strategy_for(COMPLEX), lambda v: math.isnan(v.real) or math.isnan(v.imag))


@pytest.mark.parametrize(
    "wanted",
    [
        lambda s: s == "",
        lambda s: any(ord(c) > 0xFFFF for c in s),  # non-BMP
        lambda s: "\u0301" in s,  # a combining mark
        lambda s: "\u2028" in s,
        lambda s: any("\ud800" <= c <= "\udfff" for c in s),  # no Rust String holds it
        lambda s: len(s) > 20 and s.isascii(),
    ],
    ids=["empty", "non-bmp", "combining", "line-separator", "surrogate", "long-ascii"],
)
def test_string_edges_are_drawn(wanted: Callable[[str], bool]) -> None:
    reaches(strategy_for(STR), wanted)


def test_lists_empty_long_and_past_64_bits() -> None:
    lists = strategy_for(ListT(INT))
    reaches(lists, lambda xs: xs == [])
    reaches(lists, lambda xs: len(xs) >= 24)
    reaches(lists, lambda xs: any(not I64_MIN <= x <= I64_MAX for x in xs))


@SETTINGS
@given(ints(fits=True))
def test_fitting_ints_fit(value: int) -> None:
    assert I64_MIN <= value <= I64_MAX


@SETTINGS
@given(sizes())
def test_sizes_are_small(value: int) -> None:
    assert SIZE_MIN <= value <= SIZE_MAX


# -- plans: which parameters bound a loop -------------------------------------------------


def function(source: str) -> ir.Function:
    tree = ast.parse(textwrap.dedent(source))
    node = tree.body[-1]
    assert isinstance(node, ast.FunctionDef)
    src = FunctionSource(f"pkg.mod:{node.name}", "pkg/mod.py", node, tree, {})
    result = translate_function(src, TypeEvidence())
    assert isinstance(result, ir.Function), result
    return result


@pytest.mark.parametrize(
    ("source", "bounded"),
    [
        (
            """
            def through_a_local(n: int, m: int) -> int:
                t = 0
                k = n + 1
                for i in range(k):
                    t += m
                return t
            """,
            ("n",),
        ),
        (
            """
            def countdown(n: int, step: int) -> int:
                while n > 0:
                    n -= step
                return n
            """,
            ("n", "step"),
        ),
        (
            """
            def repeats(s: str, n: int, xs: list[int], k: int) -> str:
                ys = list(xs)
                ys *= k
                return s * n
            """,
            ("n", "k"),
        ),
        ("def power(a: int, b: int) -> int:\n    return a ** b", ("b",)),
        (
            """
            def nested(n: int) -> list[tuple[int, int]]:
                return [(i, j) for i in range(n) for j in range(i)]
            """,
            ("n",),
        ),
        (
            """
            def by_length(xs: list[int], x: int) -> int:
                for i in range(len(xs)):
                    if xs[i] == x:
                        return i
                return -1
            """,
            (),
        ),
    ],
    ids=["local", "while", "repetition", "exponent", "comprehension", "len"],
)
def test_loop_bounds_are_derived_from_the_ir(source: str, bounded: tuple[str, ...]) -> None:
    assert plan_for(function(source)).bounded == bounded


@pytest.mark.parametrize(
    ("source", "param"),
    [
        (
            """
            def element_bound(xs: list[int]) -> int:
                t = 0
                for i in range(xs[0]):
                    t += i
                return t
            """,
            "xs",
        ),
        (
            """
            def elements_bound(xs: list[int]) -> int:
                t = 0
                for k in xs:
                    for i in range(k):
                        t += i
                return t
            """,
            "xs",
        ),
        (
            """
            def float_bound(x: float) -> float:
                while x > 1.0:
                    x = x / 2.0
                return x
            """,
            "x",
        ),
    ],
    ids=["element", "loop-target", "float"],
)
def test_an_underivable_bound_fails_loudly(source: str, param: str) -> None:
    with pytest.raises(NoBound, match=f"parameter '{param}'.*OVERRIDES"):
        plan_for(function(source))


def test_defaults_are_passed_by_position_by_keyword_or_left_out() -> None:
    def affine(x: float, scale: float = 2.0, offset: float = -1.0) -> float:
        return x * scale + offset

    source = textwrap.dedent(inspect.getsource(affine))
    calls = plan_for(function(source)).calls()
    signature = inspect.signature(affine)

    @SETTINGS
    @given(calls)
    def binds(call: tuple[tuple[object, ...], dict[str, object], bool]) -> None:
        args, kwargs, mismatched = call
        signature.bind(*args, **kwargs)
        # an int (or np.float64) for a float counts only when it is passed, not left to
        # its default
        assert mismatched == any(type(v) is not float for v in [*args, *kwargs.values()])

    binds()
    reaches(calls, lambda c: len(c[0]) == 3)
    reaches(calls, lambda c: len(c[0]) == 1 and set(c[1]) == {"offset"})
    reaches(calls, lambda c: c[1] == {})


@pytest.mark.parametrize(
    ("value", "fits"),
    [
        (I64_MAX, True),
        (I64_MIN, True),
        (True, True),
        (I64_MAX + 1, False),
        ([1, [2, I64_MIN - 1]], False),
        ({"a": (1, "b")}, True),
        ({"a\udfff": 1}, False),
        ((1.5, None, 1j), True),
    ],
)
def test_fits_rust(value: object, fits: bool) -> None:
    assert fits_rust(value) is fits


def test_keys_are_drawn_from_the_dict_too() -> None:
    calls = plan_for(
        function(
            "def lookup(d: dict[tuple[int, str], int], k: tuple[int, str]) -> int:\n    return d[k]"
        )
    ).calls()
    reaches(calls, lambda c: c[0][1] in c[0][0])
    reaches(calls, lambda c: len(c[0][0]) > 0 and c[0][1] not in c[0][0])


@pytest.mark.parametrize(
    ("t", "foreign"),
    [
        (FLOAT, lambda v: type(v) in (int, np.float64)),
        (INT, lambda v: type(v) is bool),
        (COMPLEX, lambda v: type(v) is float),
        (ListT(FLOAT), lambda v: any(type(x) in (int, np.float64) for x in v)),
        (ListT(ListT(INT)), lambda v: any(type(x) is bool for row in v for x in row)),
    ],
    ids=str,
)
def test_foreign_values_always_have_a_neighbouring_type(
    t: RType, foreign: Callable[[Any], bool]
) -> None:
    odd = foreign_for(t)
    assert odd is not None

    @SETTINGS
    @given(odd)
    def check(value: object) -> None:
        assert foreign(value), value

    check()


@pytest.mark.parametrize("t", [STR, NONE, BOOL, DictT(STR, INT), TupleT((INT,))], ids=str)
def test_no_foreign_values_where_none_are_defined(t: RType) -> None:
    assert foreign_for(t) is None


def test_some_calls_pass_an_argument_of_another_type() -> None:
    calls = plan_for(function("def scale(x: float, k: float) -> float:\n    return x * k")).calls()
    reaches(calls, lambda c: c[2] and any(type(v) is int for v in c[0]))
    reaches(calls, lambda c: c[2] and any(type(v) is np.float64 for v in c[0]))
    reaches(calls, lambda c: not c[2])
