"""Python vs the built Rust on edge inputs: one or more tests per row of SEMANTICS.md.

Every call goes through ``check_same`` (conftest.py): same result with the same types and
float bits, or the same exception type and message, same arguments afterwards, and the
expected fallback behaviour (by default a call must be computed in Rust, not handed back).
Known translator bugs are strict xfails whose reason says exactly what differs.
"""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap
from collections import Counter, OrderedDict, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from checks import check_all

if TYPE_CHECKING:
    from conftest import CheckSame, Corpus

CORPUS = Path(__file__).resolve().parent / "corpus"

I64_MAX = 2**63 - 1
I64_MIN = -(2**63)
NAN = math.nan
INF = math.inf


# -- every corpus function translates and compiles -----------------------------------


def test_translates_and_builds(corpus: Corpus, corpus_function: str) -> None:
    name = corpus_function
    if name in corpus.quarantined:
        result = corpus.build_alone(name)
        assert result.status != "failed", result.message
        return
    assert name not in corpus.problems, corpus.problems.get(name)
    assert name in corpus.translated


def test_no_unexpected_refusals(corpus: Corpus) -> None:
    assert corpus.unexpected_problems == {}


def test_one_crate_holds_the_corpus(corpus: Corpus) -> None:
    assert len(corpus.translated) >= 60
    assert set(corpus.module.__rustify_originals__) == set(corpus.translated)
    signatures = corpus.module.__rustify_signatures__
    assert signatures["dot"] == "fn dot(a: Vec<f64>, b: Vec<f64>) -> f64"


# -- integers -------------------------------------------------------------------------

SIGNED_PAIRS = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3), (0, -3), (6, -3), (-6, 3), (1, 1)]
EXTREME_PAIRS = [(I64_MIN, 1), (I64_MAX, -1), (I64_MIN, 2), (I64_MAX, I64_MIN), (I64_MIN, I64_MAX)]


@pytest.mark.parametrize("name", ["floordiv_int", "mod_int", "divmod_int"])
def test_int_floor_division_and_modulo_signs(check_same: CheckSame, name: str) -> None:
    check_all(check_same, name, SIGNED_PAIRS + EXTREME_PAIRS)


@pytest.mark.parametrize("name", ["floordiv_int", "mod_int", "divmod_int", "truediv_int"])
def test_int_division_by_zero_raises_cpythons_message(check_same: CheckSame, name: str) -> None:
    outcome = check_same(name, 5, 0)
    assert outcome.exception is not None and outcome.exception[0] == "ZeroDivisionError"
    check_same(name, 0, 0)
    check_same(name, I64_MIN, 0)


def test_int_min_floordiv_minus_one_falls_back(check_same: CheckSame) -> None:
    assert check_same("floordiv_int", I64_MIN, -1, fallback=True).value == 2**63
    assert check_same("mod_int", I64_MIN, -1).value == 0
    assert check_same("divmod_int", I64_MIN, -1, fallback=True).value == (2**63, 0)


def test_int_true_division_is_a_float(check_same: CheckSame) -> None:
    check_all(check_same, "truediv_int", [(7, 2), (-7, 2), (1, 3), (-1, 3), (0, -5), (2**53, 3)])
    assert type(check_same("truediv_int", 6, 3).value) is float


def test_int_true_division_beyond_2_53_agrees(check_same: CheckSame) -> None:
    # CPython rounds the exact quotient once; the Rust build may hand these back.
    cases = [(2**53 + 1, 1), (2**62, 3), (I64_MAX, 7), (I64_MIN, 1), (3, 2**60 + 1), (I64_MIN, -1)]
    check_all(check_same, "truediv_int", cases, fallback=None)
    check_same("truediv_int", 2**53 + 1, 1, fallback=True)


@pytest.mark.parametrize(
    ("name", "a", "b"),
    [
        ("add_int", I64_MAX, 1),
        ("add_int", I64_MIN, -1),
        ("sub_int", I64_MIN, 1),
        ("sub_int", 0, I64_MIN),
        ("mul_int", 2**32, 2**32),
        ("mul_int", I64_MIN, -1),
        ("mul_int", -(2**62), 3),
        ("pow_int", 2, 63),
        ("pow_int", 3, 41),
        ("pow_int", -3, 41),
    ],
)
def test_int_overflow_falls_back_to_pythons_big_int(
    check_same: CheckSame, name: str, a: int, b: int
) -> None:
    outcome = check_same(name, a, b, fallback=True)
    assert not I64_MIN <= outcome.value <= I64_MAX  # type: ignore[operator]


@pytest.mark.parametrize(
    ("name", "a", "b"),
    [
        ("add_int", I64_MAX - 1, 1),
        ("add_int", I64_MIN, I64_MAX),
        ("sub_int", -1, I64_MAX),
        ("mul_int", -(2**62), 2),
        ("mul_int", -1, I64_MAX),
        ("pow_int", -2, 63),
        ("pow_int", 2, 62),
        ("pow_int", 0, 0),
        ("pow_int", 0, 5),
        ("pow_int", -1, 2**40 + 1),
        ("pow_int", 1, I64_MAX),
    ],
)
def test_int_arithmetic_at_the_edge_of_i64_stays_in_rust(
    check_same: CheckSame, name: str, a: int, b: int
) -> None:
    check_same(name, a, b)


def test_int_arguments_beyond_i64_fall_back(check_same: CheckSame) -> None:
    assert check_same("add_int", 2**70, 1, fallback=True).value == 2**70 + 1
    check_same("neg_int", -(2**64), fallback=True)


def test_int_pow_with_a_negative_exponent(check_same: CheckSame) -> None:
    # A variable negative exponent makes a float: the int-typed build hands it back.
    assert check_same("pow_int", 2, -1, fallback=True).value == 0.5
    check_same("pow_int", 0, -1, fallback=True)  # ZeroDivisionError, raised by Python
    # A constant negative exponent is translated as float pow.
    check_all(check_same, "pow_neg_const", [(2,), (-3,), (1,), (2**60,), (I64_MIN,), (I64_MAX,)])
    outcome = check_same("pow_neg_const", 0)
    assert outcome.exception == ("ZeroDivisionError", "0.0 cannot be raised to a negative power")


def test_abs_and_negation_of_int_min(check_same: CheckSame) -> None:
    assert check_same("abs_int", I64_MIN, fallback=True).value == 2**63
    assert check_same("neg_int", I64_MIN, fallback=True).value == 2**63
    check_all(check_same, "abs_int", [(I64_MAX,), (I64_MIN + 1,), (0,), (-5,)])
    check_all(check_same, "neg_int", [(I64_MAX,), (I64_MIN + 1,), (0,)])


def test_loops_that_overflow_fall_back(check_same: CheckSame) -> None:
    assert check_same("factorial", 20).value == math.factorial(20)
    assert check_same("factorial", 21, fallback=True).value == math.factorial(21)
    check_same("factorial", 0)
    check_same("sum_ints", [2**62, 2**62], fallback=True)
    check_same("sum_ints", [I64_MAX, 1, -1], fallback=True)  # the running sum overflows
    check_same("sum_ints", [])
    check_same("loop_forever_until", 2**62, fallback=True)
    check_same("loop_forever_until", 1000)


def test_int_loops(check_same: CheckSame) -> None:
    check_all(check_same, "gcd", [(12, 18), (12, -18), (-12, 18), (0, 5), (5, 0), (I64_MIN, 6)])
    check_all(check_same, "collatz_steps", [(1,), (27,), (97,)])


def test_bool_is_an_int(check_same: CheckSame) -> None:
    check_all(
        check_same, "bool_arith", [(True, True), (True, False), (False, True), (False, False)]
    )
    assert check_same("bool_arith", True, True).value == [2, 0, 3, -1, 1]
    assert check_same("sum_bools", [True, False, True]).value == 2
    check_same("sum_bools", [])
    assert check_same("int_of_bool", True).value == 1


def test_int_and_float_mix(check_same: CheckSame) -> None:
    check_all(check_same, "scale_int", [(3, 0.1), (-(2**60) - 1, 1.5), (0, -0.0), (1, NAN)])


INT_FLOAT_EDGES = [
    (2**53 + 1, 2.0**53),
    (2**53, 2.0**53),
    (2**53 - 1, 2.0**53),
    (-1, -0.5),
    (0, -0.0),
    (1, NAN),
    (I64_MAX, 2.0**63),
    (I64_MIN, -(2.0**63)),
    (I64_MIN + 1, -(2.0**63)),
    (5, INF),
    (5, -INF),
    (3, 3.0000000000000004),
    (-3, -3.0000000000000004),
    (2**62 + 1, 4.611686018427388e18),
]


def test_int_float_comparisons_are_exact(check_same: CheckSame) -> None:
    check_all(check_same, "compare_int_float", INT_FLOAT_EDGES)
    check_all(check_same, "compare_float_int", [(f, i) for i, f in INT_FLOAT_EDGES])
    assert check_same("compare_int_float", 2**53 + 1, 2.0**53).value[4] is True  # type: ignore[index]


def test_chained_comparison_of_int_and_float(check_same: CheckSame) -> None:
    cases = [(0, 0.5, 1), (0, 1.0, 1), (0, NAN, 1), (2**53 + 1, 2.0**53, 2**53 + 2), (0, -0.0, 1)]
    check_all(check_same, "between", cases)


def test_int_min_literal(check_same: CheckSame) -> None:
    outcome = check_same("int_min_const")
    assert outcome.value == I64_MIN and type(outcome.value) is int


# -- floats ---------------------------------------------------------------------------

FLOAT_OPERANDS = [7.5, -7.5, 1.0, 0.0, -0.0, INF, -INF, NAN, 1e308, -5e-324, 3.0]
FLOAT_DIVISORS = [2.0, -2.0, 0.1, -0.1, INF, -INF, NAN, 5e-324, 1e-300, 3.0]


@pytest.mark.parametrize("name", ["floordiv_float", "mod_float", "divmod_float", "truediv_float"])
def test_float_division_every_sign(check_same: CheckSame, name: str) -> None:
    check_all(check_same, name, [(a, b) for a in FLOAT_OPERANDS for b in FLOAT_DIVISORS])


@pytest.mark.parametrize("name", ["floordiv_float", "mod_float", "divmod_float", "truediv_float"])
@pytest.mark.parametrize("zero", [0.0, -0.0])
def test_float_division_by_zero(check_same: CheckSame, name: str, zero: float) -> None:
    for a in (1.0, -1.0, 0.0, NAN, INF):
        outcome = check_same(name, a, zero)
        assert outcome.exception is not None and outcome.exception[0] == "ZeroDivisionError"


def test_int_floordiv_float(check_same: CheckSame) -> None:
    cases = [(7, 2.0), (-7, 2.0), (7, -0.5), (0, -1.0), (-1, INF), (1, -INF), (5, NAN), (7, 0.0)]
    check_all(check_same, "floordiv_mixed", cases)


POW_BASES = [0.0, -0.0, 2.0, -2.0, 0.5, -0.5, 1.0, -1.0, 10.0, INF, -INF, NAN, 1e-310]
POW_EXPONENTS = [0.0, -0.0, 1.0, -1.0, 2.0, 3.0, -3.0, 0.5, -0.5, INF, -INF, NAN, 400.0, -400.0]


def test_float_pow_special_cases(check_same: CheckSame) -> None:
    cases = [(a, b) for a in POW_BASES for b in POW_EXPONENTS]
    check_all(check_same, "pow_float", cases, fallback=None)
    assert check_same("pow_float", 0.0, -1.0).exception == (
        "ZeroDivisionError",
        "0.0 cannot be raised to a negative power",
    )
    assert check_same("pow_float", 10.0, 400.0).exception == (
        "OverflowError",
        "(34, 'Numerical result out of range')",
    )
    check_same("pow_float", 2.0, 0.5)  # computed in Rust


@pytest.mark.parametrize(("base", "exp"), [(-8.0, 1 / 3), (-2.0, 0.5), (-1.0, -0.5), (-0.5, 2.5)])
def test_negative_float_to_a_fractional_power_is_complex(
    check_same: CheckSame, base: float, exp: float
) -> None:
    outcome = check_same("pow_float", base, exp, fallback=True)
    assert type(outcome.value) is complex


def test_half_power_of_a_negative_falls_back(check_same: CheckSame) -> None:
    assert type(check_same("half_power", -4.0, fallback=True).value) is complex
    check_all(check_same, "half_power", [(4.0,), (0.0,), (-0.0,), (INF,), (2.0,)])


ROUND_CASES = [
    0.5,
    1.5,
    2.5,
    -0.5,
    -1.5,
    -2.5,
    2.675,
    0.49999999999999994,
    4503599627370497.0,
    -0.0,
    9.2233720368547748e18,
    -(2.0**63),
]


def test_round_is_half_even(check_same: CheckSame) -> None:
    check_all(check_same, "round_half_even", [(x,) for x in ROUND_CASES])
    assert check_same("round_half_even", 2.5).value == 2


def test_round_errors_and_big_results(check_same: CheckSame) -> None:
    assert check_same("round_half_even", NAN).exception == (
        "ValueError",
        "cannot convert float NaN to integer",
    )
    assert check_same("round_half_even", -INF).exception == (
        "OverflowError",
        "cannot convert float infinity to integer",
    )
    assert check_same("round_half_even", 1e20, fallback=True).value == 10**20
    check_same("round_half_even", 2.0**63, fallback=True)


def test_int_of_float_truncates(check_same: CheckSame) -> None:
    cases = [(-0.9,), (0.9,), (-1.5,), (1e15 + 0.5,), (-(2.0**63),), (-0.0,)]
    check_all(check_same, "int_trunc", cases)
    assert check_same("int_trunc", NAN).exception == (
        "ValueError",
        "cannot convert float NaN to integer",
    )
    assert check_same("int_trunc", INF).exception is not None
    assert check_same("int_trunc", 1e19, fallback=True).value == 10**19


def test_floor_ceil_trunc(check_same: CheckSame) -> None:
    check_all(check_same, "floor_ceil", [(-0.5,), (0.5,), (-0.0,), (2.0,), (-2.5,), (1e15 + 0.5,)])
    check_same("floor_ceil", NAN)
    check_same("floor_ceil", -INF)
    check_same("floor_ceil", 1e300, fallback=True)


def test_float_of_big_ints_rounds_like_python(check_same: CheckSame) -> None:
    cases = [(2**53 + 1,), (2**53 + 3,), (I64_MAX,), (I64_MIN,), (-(2**60) - 1,), (0,)]
    check_all(check_same, "float_of_int", cases)


MATH_CASES = {
    "m_sqrt": [2.0, 0.0, -0.0, INF, NAN, -1.0, -INF, 5e-324],
    "m_sqrt_imported": [2.0, -1.0],
    "m_log": [1.0, 2.0, 0.0, -0.0, -1.0, INF, -INF, NAN, 5e-324],
    "m_exp": [0.0, 1.0, 709.0, 710.0, 1000.0, -1000.0, INF, -INF, NAN],
    "m_misc": [2.0, 0.5, 1.0, 0.0, -1.0, -0.5, INF, NAN],
    "m_sinh": [1.0, 710.0, -1000.0, INF, NAN],
    "m_acos": [0.5, 1.0, 2.0, -1.5, NAN],
    "m_tan": [1.0, INF, -INF, NAN, 0.0],
}


@pytest.mark.parametrize("name", sorted(MATH_CASES))
def test_math_domain_and_range_errors(check_same: CheckSame, name: str) -> None:
    check_all(check_same, name, [(x,) for x in MATH_CASES[name]])


def test_math_errors_are_pythons(check_same: CheckSame) -> None:
    assert check_same("m_sqrt", -1.0).exception == ("ValueError", "math domain error")
    assert check_same("m_log", 0.0).exception == ("ValueError", "math domain error")
    assert check_same("m_exp", 1000.0).exception == ("OverflowError", "math range error")
    check_all(check_same, "m_log_int", [(1,), (2,), (0,), (-3,), (2**62,), (I64_MAX,)])


def test_math_predicates_and_copysign(check_same: CheckSame) -> None:
    check_all(check_same, "classify", [(x,) for x in (1.0, NAN, INF, -INF, -0.0)])
    cases = [(1.0, -0.0), (-1.0, 0.0), (NAN, -1.0), (INF, -2.0), (0.0, NAN)]
    check_all(check_same, "m_copysign", cases)


MINMAX_PAIRS = [
    (NAN, 1.0),
    (1.0, NAN),
    (0.0, -0.0),
    (-0.0, 0.0),
    (INF, NAN),
    (NAN, NAN),
    (1.0, 2.0),
]


def test_min_max_follow_argument_order(check_same: CheckSame) -> None:
    check_all(check_same, "min_max_pair", MINMAX_PAIRS)
    triples = [
        (NAN, 1.0, 2.0),
        (1.0, NAN, 2.0),
        (1.0, 2.0, NAN),
        (2.0, NAN, 1.0),
        (0.0, -0.0, 0.0),
        (-0.0, 0.0, -0.0),
    ]
    check_all(check_same, "min_max_three", triples)


@pytest.mark.parametrize("name", ["min_of_list", "max_of_list"])
def test_min_max_of_a_list(check_same: CheckSame, name: str) -> None:
    lists = [[NAN, 1.0, 2.0], [1.0, NAN, 2.0], [1.0, 2.0, NAN], [0.0, -0.0], [-0.0, 0.0], [INF]]
    check_all(check_same, name, [(xs,) for xs in lists])
    outcome = check_same(name, [])
    assert outcome.exception == ("ValueError", f"{name[:3]}() arg is an empty sequence")


def test_sum_of_floats_plain_order(check_same: CheckSame) -> None:
    lists = [[1e100, 1.0, -1e100], [0.1] * 10, [-0.0], [-0.0, -0.0], [INF, -INF], [1e308, 1e308]]
    check_all(check_same, "sum_floats", [(xs,) for xs in lists])


def test_sum_of_an_empty_float_list_is_the_int_zero(check_same: CheckSame) -> None:
    outcome = check_same("sum_floats", [], fallback=True)
    assert type(outcome.value) is int


def test_float_reductions(check_same: CheckSame) -> None:
    check_all(check_same, "mean", [([1.0, 2.0, 4.0],), ([0.1, 0.2],), ([],), ([NAN, 1.0],)])
    check_all(check_same, "variance", [([1.0, 2.0, 4.0],), ([1.0],)])
    check_same("variance", [], fallback=True)  # sum([]) is the int 0
    check_all(check_same, "horner", [([1.0, -2.0, 0.5], 3.0), ([], 1.0), ([2.0], NAN)])


def test_float_constants_and_signs(check_same: CheckSame) -> None:
    check_same("float_constants")
    check_all(check_same, "negate_float", [(0.0,), (-0.0,), (NAN,), (INF,)])
    assert math.copysign(1.0, check_same("negate_float", 0.0).value) == -1.0  # type: ignore[arg-type]
    check_all(check_same, "float_truth", [(NAN,), (-0.0,), (0.0,), (5e-324,)])


# -- complex --------------------------------------------------------------------------

COMPLEX_PAIRS = [
    (1 + 2j, 3 - 4j),
    (complex(INF, 0.0), 1j),
    (complex(NAN, 1.0), 2 + 0j),
    (complex(-0.0, 0.0), complex(0.0, -0.0)),
    (complex(1e308, 1e308), complex(1e308, -1e308)),
]


def test_complex_arithmetic(check_same: CheckSame) -> None:
    check_all(check_same, "c_arith", COMPLEX_PAIRS)
    check_all(check_same, "c_div", [*COMPLEX_PAIRS, (1 + 1j, complex(1e-310, 1e308))])
    assert check_same("c_div", 1 + 1j, 0j).exception == (
        "ZeroDivisionError",
        "complex division by zero",
    )
    check_same("c_div", 1 + 1j, complex(-0.0, 0.0))


def test_complex_abs_and_overflow(check_same: CheckSame) -> None:
    cases = [3 + 4j, complex(INF, NAN), complex(NAN, INF), complex(NAN, 1.0), complex(-0.0, 0.0)]
    check_all(check_same, "c_abs", [(z,) for z in cases])
    big = complex(1.7e308, 1.7e308)
    assert check_same("c_abs", big).exception == ("OverflowError", "absolute value too large")


def test_complex_parts_and_mixing(check_same: CheckSame) -> None:
    check_all(check_same, "c_parts", [(1 - 2j,), (complex(-0.0, NAN),)])
    check_all(check_same, "c_mixed", [(1 - 2j, 0.5, 3), (complex(1.0, -0.0), 2.0, -3)])
    check_all(check_same, "c_make", [(-0.0, NAN), (1.0, -0.0)])
    check_all(check_same, "c_equal", [(1 + 0j, 1 + 0j), (0j, complex(-0.0, 0.0)), (0j, 1j)])
    check_all(check_same, "escape_time", [(complex(-0.75, 0.1), 100), (0.5 + 0.5j, 50), (0j, 10)])


# -- sequences and strings ---------------------------------------------------------------

XS = [10, 11, 12, 13, 14, 15]


def test_negative_indices_and_index_error(check_same: CheckSame) -> None:
    cases = [(XS, i) for i in (0, 5, -1, -6, 6, -7, I64_MAX, I64_MIN)] + [([], 0), ([], -1)]
    check_all(check_same, "item_at", cases)
    assert check_same("item_at", XS, 6).exception == ("IndexError", "list index out of range")
    check_all(check_same, "last_item", [([1.5, 2.5],), ([],)])


SLICE_BOUNDS = [I64_MIN, -100, -7, -3, -1, 0, 1, 2, 5, 6, 100, I64_MAX]


def test_slices_clamp(check_same: CheckSame) -> None:
    check_all(check_same, "slice_two", [(XS, a, b) for a in SLICE_BOUNDS for b in SLICE_BOUNDS])


def test_slices_with_steps(check_same: CheckSame) -> None:
    steps = [1, 2, 3, -1, -2, -3, 7, -7, I64_MIN]
    bounds = [-100, -3, -1, 0, 2, 5, 100]
    cases = [(XS, a, b, c) for a in bounds for b in bounds for c in steps]
    check_all(check_same, "slice_three", cases)
    check_all(check_same, "slice_step", [(XS, c) for c in [*steps, I64_MAX]])
    check_all(check_same, "slice_shapes", [(XS,), ([],), ([1],)])


def test_slice_step_zero_raises(check_same: CheckSame) -> None:
    assert check_same("slice_step", XS, 0).exception == ("ValueError", "slice step cannot be zero")
    check_same("str_slice", "abc", 0, 3, 0)


HUGE_STEPS = [I64_MAX, I64_MAX - 1, I64_MIN, I64_MIN + 1]


def test_slice_with_a_huge_step(check_same: CheckSame) -> None:
    # The position after the first one is beyond i64: it must end the slice, not wrap.
    assert check_same("slice_three", XS, 1, 100, I64_MAX).value == [11]
    bounds = [I64_MIN, -100, -1, 0, 1, 5, 6, 100, I64_MAX]
    cases = [(XS, a, b, c) for a in bounds for b in bounds for c in HUGE_STEPS]
    check_all(check_same, "slice_three", cases)
    strs = [
        (s, a, b, c)
        for s in NON_ASCII[:3]
        for a in (-1, 1, 5)
        for b in (-100, 100)
        for c in HUGE_STEPS
    ]
    check_all(check_same, "str_slice", strs)


RANGES = [
    (0, 10, 3),
    (10, 0, -3),
    (0, 10, -1),
    (10, 0, 1),
    (5, 5, 1),
    (-5, 5, 2),
    (5, -5, -2),
    (I64_MIN, I64_MAX, 2**62),
    (I64_MAX, I64_MIN, -(2**62)),
    (I64_MAX - 3, I64_MAX, 1),
    (I64_MIN + 3, I64_MIN, -1),
    (0, 3, I64_MAX),
    (0, -3, I64_MIN),
]


@pytest.mark.parametrize("name", ["range_list", "range_comp"])
def test_range_with_any_step(check_same: CheckSame, name: str) -> None:
    cases = RANGES if name == "range_list" else RANGES[:7]  # range_comp doubles the items
    check_all(check_same, name, cases)
    assert check_same(name, 0, 10, 0).exception == ("ValueError", "range() arg 3 must not be zero")


@pytest.mark.parametrize(
    ("start", "stop", "step"),
    [(I64_MIN, I64_MAX, 1), (I64_MIN, I64_MAX, 2), (I64_MAX, I64_MIN, -1), (I64_MAX, I64_MIN, -2)],
)
def test_range_longer_than_i64_max(check_same: CheckSame, start: int, stop: int, step: int) -> None:
    # 2**64 - 1 items (or about half): the length does not fit an i64, the loop still runs.
    assert check_same("first_in_range", start, stop, step).value == start


def test_range_first_item(check_same: CheckSame) -> None:
    cases = [(0, 10, 3), (10, 0, 3), (I64_MIN, 0, 2**62), (I64_MAX, I64_MIN, -(2**62))]
    check_all(check_same, "first_in_range", cases)


def test_range_counting_down(check_same: CheckSame) -> None:
    check_all(check_same, "countdown", [(5,), (0,), (-3,), (1,)])
    check_same("range_rebound", 5)  # range() is evaluated once


def test_reversed_list_and_str(check_same: CheckSame) -> None:
    lists = [([],), ([1],), ([1, 2, 3],), ([I64_MIN, 0, I64_MAX, 0],)]
    check_all(check_same, "reversed_loop", lists)
    assert check_same("reversed_loop", [1, 2, 3]).value == [3, 2, 1]
    check_all(check_same, "reversed_comp", lists[:3])
    check_all(check_same, "reversed_enumerate", [(["a", "b", "c"],), ([],)])
    check_all(check_same, "reversed_str", [(s,) for s in NON_ASCII])
    assert check_same("reversed_str", "a😀é").value == "é😀a"


# RANGES, plus steps as long as the range or longer, and more empty ranges.
REVERSED_RANGES = [
    *RANGES,
    (0, 10, 1),
    (0, 10, 10),
    (0, 10, 11),
    (10, 0, -10),
    (-3, -10, -4),
    (3, 3, -1),
    (0, 1, -1),
    (I64_MAX, I64_MAX, 1),
    (I64_MIN, I64_MIN, -1),
]


def test_reversed_range(check_same: CheckSame) -> None:
    # A step of -2**63 cannot be negated: the Rust build may hand those calls back (the
    # answers are compared all the same).
    computed = [r for r in REVERSED_RANGES if r[2] != I64_MIN]
    check_all(check_same, "reversed_range", computed)
    assert check_same("reversed_range", 0, 10, 3).value == [9, 6, 3, 0]
    assert check_same("reversed_range", 10, 0, -3).value == [1, 4, 7, 10]
    assert check_same("reversed_range", 0, 10, -1).value == []
    check_all(
        check_same, "reversed_range", [r for r in REVERSED_RANGES if r[2] == I64_MIN], fallback=None
    )
    check_same("reversed_range", I64_MAX, I64_MIN, I64_MIN, fallback=None)
    assert check_same("reversed_range", 0, 10, 0).exception == (
        "ValueError",
        "range() arg 3 must not be zero",
    )
    check_all(check_same, "reversed_countdown", [(5,), (0,), (-3,)])


@pytest.mark.parametrize(
    ("start", "stop", "step", "last"),
    [
        (I64_MIN, I64_MAX, 1, I64_MAX - 1),
        (I64_MAX, I64_MIN, -1, I64_MIN + 1),
        (I64_MIN, I64_MAX, 2, I64_MAX - 1),
        (I64_MIN, I64_MAX, 3, I64_MAX - 3),
        (0, 3, I64_MIN, -1),
    ],
)
def test_reversed_range_longer_than_i64_max(
    check_same: CheckSame, start: int, stop: int, step: int, last: int
) -> None:
    assert check_same("reversed_range_first", start, stop, step).value == last


NON_ASCII = ["héllo wörld", "日本語", "a😀b", "", "ß\u0301x", "\x00\n"]


def test_str_indexing_by_code_point(check_same: CheckSame) -> None:
    cases = [(s, i) for s in NON_ASCII for i in (0, 1, -1, 2, 5, -6, 20)]
    check_all(check_same, "char_at", cases)
    assert check_same("char_at", "日本語", -1).value == "語"
    assert check_same("char_at", "ab", 2).exception == ("IndexError", "string index out of range")


def test_str_length_counts_code_points(check_same: CheckSame) -> None:
    check_all(check_same, "str_length", [(s,) for s in NON_ASCII])
    assert check_same("str_length", "a😀b").value == 3


def test_str_slices(check_same: CheckSame) -> None:
    cases = [
        (s, a, b, c)
        for s in NON_ASCII[:3]
        for a in (-2, 0, 1, 9)
        for b in (-1, 3, 50)
        for c in (1, 2, -1, -2)
    ]
    check_all(check_same, "str_slice", cases)
    check_all(check_same, "str_reverse", [(s,) for s in NON_ASCII])


def test_ord_and_chr(check_same: CheckSame) -> None:
    check_all(check_same, "code_points", [(s,) for s in NON_ASCII])
    check_all(check_same, "char_of", [(0x1F600,), (0,), (0xE9,), (0x10FFFF,), (-1,), (0x110000,)])
    assert check_same("char_of", -1).exception == ("ValueError", "chr() arg not in range(0x110000)")
    check_same("char_of", 0xD800, fallback=True)  # a lone surrogate is no Rust char
    check_all(check_same, "ord_of", [("é",), ("😀",), ("ab",), ("",)])
    assert check_same("ord_of", "").exception == (
        "TypeError",
        "ord() expected a character, but string of length 0 found",
    )


def test_string_building(check_same: CheckSame) -> None:
    check_all(check_same, "caesar", [("hello, wörld", 3), ("xyz", -29), ("", 5)])
    check_all(check_same, "count_char", [("banana", "a"), ("日本日", "日"), ("", "")])


def test_string_repetition(check_same: CheckSame) -> None:
    cases = [("ab", 3), ("é", 0), ("x", -2), ("", 5), ("😀", 2), ("ab", I64_MIN)]
    check_all(check_same, "str_repeat", cases)
    assert check_same("str_repeat", "é", 2).value == "é-é-"
    cases = [("ab", 2), ("", 3), ("é", 0), ("x", -1)]
    check_all(check_same, "str_repeat_in_place", cases)


def test_string_repetition_that_cannot_be_allocated(check_same: CheckSame) -> None:
    # The size fits in an ssize_t (2 code points * 2**61), the memory does not.
    assert check_same("str_repeat", "é", 2**61).exception == ("MemoryError", "")
    assert check_same("str_repeat_in_place", "", I64_MAX).value == ""


@pytest.mark.parametrize(("name", "s"), [("str_repeat", "a"), ("str_repeat_in_place", "ab")])
def test_string_repetition_too_long(check_same: CheckSame, name: str, s: str) -> None:
    outcome = check_same(name, s, 2**62)
    assert outcome.exception == ("OverflowError", "repeated string is too long")


def test_substring_in(check_same: CheckSame) -> None:
    check_all(check_same, "str_contains", [("ö", "wörld"), ("", "a"), ("x", "")])


def test_string_comparisons(check_same: CheckSame) -> None:
    pairs = [("a", "b"), ("é", "z"), ("", "a"), ("😀", "\uffff"), ("ab", "a"), ("b", "b")]
    check_all(check_same, "str_order", pairs)
    check_all(check_same, "min_max_str", [(["b", "a", "é", "😀"],), (["z"],), ([],)])


def test_list_concatenation_and_repetition(check_same: CheckSame) -> None:
    check_all(check_same, "list_concat", [([1], [2, 3]), ([], []), ([], [1])])
    check_all(check_same, "list_repeat", [([1, 2], 3), ([1], 0), ([1], -1), ([], 5)])
    check_all(check_same, "zeros", [(3,), (0,), (-1,)])


def test_list_repetition_too_large(check_same: CheckSame) -> None:
    for xs, n in [([0], 2**60), ([1, 2], 2**62), ([1, 2, 3], I64_MAX)]:
        assert check_same("list_repeat", xs, n).exception == ("MemoryError", "")
        assert check_same("repeat_fresh", xs, n).exception == ("MemoryError", "")
    assert check_same("list_repeat", [], I64_MAX).value == []


def test_in_place_repetition_of_a_fresh_list(check_same: CheckSame) -> None:
    assert check_same("repeat_fresh_three", 7).value == [-1, 0, 7, 0, 7, 0]
    cases = [([1, 2], 3), ([1], 0), ([1], -1), ([], 5), ([4, 5], 1), ([1], I64_MIN)]
    check_all(check_same, "repeat_fresh", cases)
    check_all(check_same, "repeat_fresh_len", [(0,), (1,), (4,), (-3,)])


def test_unallocatable_repetition_raises_instead_of_aborting(corpus: Corpus) -> None:
    # Both run in a child process under a 4 GiB address-space limit, so that neither can
    # take the machine's memory whatever its overcommit policy.
    code = textwrap.dedent(
        f"""
        import importlib.machinery, importlib.util, resource
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

        def load(name, path, loader=None):
            spec = importlib.util.spec_from_file_location(name, path, loader=loader)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module

        seqs = load("seqs", {str(CORPUS / "seqs.py")!r})
        name, path = {corpus.module.__name__!r}, {corpus.module.__file__!r}
        rust = load(name, path, importlib.machinery.ExtensionFileLoader(name, path))
        # Each asks for 8 to 24 TiB: more than the limit, less than the size checks catch.
        calls = [("zeros_fresh", (2 ** 40,)), ("repeat_fresh_len", (2 ** 40,)),
                 ("str_repeat", ("ab", 2 ** 42))]
        for fname, args in calls:
            for module in (seqs, rust):
                try:
                    getattr(module, fname)(*args)
                    print(fname, "returned", flush=True)
                except MemoryError:
                    print(fname, "MemoryError", flush=True)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    names = ("zeros_fresh", "repeat_fresh_len", "str_repeat")
    expected = [f"{name} MemoryError" for name in names for _ in ("python", "rust")]
    assert proc.stdout.splitlines() == expected, proc.stderr[:300]
    assert proc.returncode == 0


def test_in_on_lists(check_same: CheckSame) -> None:
    check_all(check_same, "contains_int", [(3, [1, 2, 3]), (4, [1, 2, 3]), (0, [])])
    check_all(check_same, "contains_str", [("é", ["e", "é"]), ("a", [])])


def test_pop_insert_and_item_assignment(check_same: CheckSame) -> None:
    check_all(check_same, "pop_both_ends", [([1, 2, 3],), ([1],), ([],)])
    assert check_same("pop_both_ends", []).exception == ("IndexError", "pop from empty list")
    check_all(check_same, "pop_at", [([1, 2, 3], -1), ([1, 2, 3], 3), ([1, 2, 3], -4), ([], 0)])
    inserts = [([1, 2, 3], i, 9) for i in (-100, -1, 0, 1, 3, 100, I64_MAX, I64_MIN)]
    check_all(check_same, "insert_at", inserts)
    check_all(check_same, "set_at", [([1, 2, 3], -1, 9), ([1, 2, 3], 3, 9), ([], 0, 1)])
    assert check_same("set_at", [1], 1, 0).exception == (
        "IndexError",
        "list assignment index out of range",
    )


def test_augmented_item_assignment_on_lists(check_same: CheckSame) -> None:
    check_all(check_same, "bump_at", [([1, 2, 3], -1, 5), ([1, 2, 3], 3, 5), ([I64_MAX], 0, 0)])
    check_same("bump_at", [I64_MAX], 0, 1, fallback=True)
    check_all(check_same, "bump_all", [([0.5, -0.0], 0.0), ([], 1.0), ([NAN], INF)])
    check_all(check_same, "prefix_sums", [([1, 2, 3],), ([],)])
    check_same("prefix_sums", [I64_MAX, 1], fallback=True)


def test_enumerate_zip_iteration(check_same: CheckSame) -> None:
    check_all(check_same, "enumerate_from", [(["a", "b"], 0), (["a", "b"], -1), ([], 5)])
    check_all(check_same, "enumerate_loop", [([1.5, 2.5, -0.0],), ([],)])
    check_all(check_same, "zip_pairs", [([1, 2, 3], [0.5]), ([], [1.0]), ([1], [0.5, 1.5])])
    check_all(check_same, "dot", [([1.0, 2.0], [3.0, 4.0]), ([1.0], []), ([NAN], [0.0])])


ENUMERATE_LIMIT = I64_MAX - 2**48  # the highest start the Rust build counts from itself


def test_enumerate_start_overflow(check_same: CheckSame) -> None:
    outcome = check_same("enumerate_from", ["a", "b"], I64_MAX, fallback=True)
    assert outcome.value == [(I64_MAX, "a"), (2**63, "b")]
    check_same("enumerate_from", ["a", "b"], ENUMERATE_LIMIT + 1, fallback=True)
    check_same("enumerate_from", [], I64_MAX, fallback=True)
    check_all(check_same, "enumerate_from", [(["a", "b"], ENUMERATE_LIMIT), (["a"], I64_MIN)])


def test_nested_lists(check_same: CheckSame) -> None:
    a = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    b = [[1.0, 0.5], [-1.0, 0.0], [2.0, 1e-300]]
    check_all(check_same, "matmul", [(a, b), ([], [[1.0]]), ([[1.0]], [])])
    check_all(check_same, "grid_bump", [(2, 3), (0, 5), (3, 0)])
    check_all(check_same, "transpose", [([[1, 2], [3, 4], [5, 6]],), ([],), ([[]],)])


def test_rebinding_the_iterated_list(check_same: CheckSame) -> None:
    assert check_same("iterate_rebound", [1, 2]).value == [1, 2, 10, 20]


def test_list_truthiness_and_equality(check_same: CheckSame) -> None:
    check_all(check_same, "truthy_list", [([],), ([0],)])
    check_all(check_same, "list_equal", [([1, 2], [1, 2]), ([1], [1, 2]), ([], [])])


# -- dicts and tuples ---------------------------------------------------------------------

WORDS = ["b", "a", "b", "c", "a", "é", "b"]


@pytest.mark.parametrize("name", ["word_counts", "word_counts_aug"])
def test_dicts_keep_insertion_order(check_same: CheckSame, name: str) -> None:
    outcome = check_same(name, WORDS)
    assert list(outcome.value) == ["b", "a", "c", "é"]  # type: ignore[call-overload]
    check_same(name, [])


def test_dict_order_after_reinsert_and_comprehension(check_same: CheckSame) -> None:
    check_all(check_same, "reinsert_order", [("a",), ("z",), ("b",)])
    check_all(check_same, "squares_by_key", [([3, 1, 3, 2],), ([],)])
    check_all(check_same, "group_by_length", [(["bb", "a", "cc", "d", "eee"],), ([],)])


def test_dict_iteration(check_same: CheckSame) -> None:
    d = {"z": 1, "a": 2, "m": 3}
    check_all(check_same, "items_list", [(d,), ({},)])
    check_all(check_same, "keys_and_values", [(d,), ({},)])
    check_all(check_same, "has_key", [(1, {1: "a"}), (2, {1: "a"}), (0, {})])
    check_all(check_same, "dict_size", [({"a": [1], "b": []},), ({},)])


def test_dict_lookup_and_get(check_same: CheckSame) -> None:
    check_same("lookup_str", {"a": 1, "b": 2}, "b")
    check_same("lookup_int", {1: 0.5}, 1)
    check_same("lookup_tuple", {(1, "a"): 3}, (1, "a"))
    check_same("lookup_single", {(1,): 3, (2,): 4}, (2,))
    check_all(check_same, "get_default", [({"a": 1.5}, "a"), ({"a": 1.5}, "b"), ({}, "")])
    check_same("bump_key", "a")


KEY_ERRORS = [
    ("lookup_str", {"a": 1}, "b"),
    ("lookup_str", {}, "it's"),
    ("lookup_int", {1: 0.5}, 2),
    ("lookup_tuple", {(1, "a"): 3}, (2, "b")),
    ("bump_key", "c"),
]


@pytest.mark.parametrize(("name", "args"), [(c[0], c[1:]) for c in KEY_ERRORS])
def test_key_error_message(check_same: CheckSame, name: str, args: tuple[object, ...]) -> None:
    outcome = check_same(name, *args)
    key = args[-1] if name != "bump_key" else args[0]
    assert outcome.exception == ("KeyError", repr(key))


def test_key_error_type(corpus: Corpus) -> None:
    with pytest.raises(KeyError):
        corpus.rust("lookup_str")({"a": 1}, "b")
    with pytest.raises(KeyError):
        corpus.rust("bump_key")("zz")


ODD_KEYS = [
    "a\x85",
    "\u2028",
    "\x00\x7f\xa0\xad",
    "\ufeff\U000e0001",
    "it's",
    'say "hi"',
    "both ' and \"",
    "\\",
    "é😀",
    "",
]


def test_key_error_repr_of_unprintable_key(check_same: CheckSame) -> None:
    check_all(check_same, "lookup_str", [({}, key) for key in ODD_KEYS])
    keys = [(1, "a\x85"), (-1, "it's"), (I64_MIN, "\u2028😀\x00")]
    check_all(check_same, "lookup_tuple", [({}, key) for key in keys])
    check_all(check_same, "lookup_int", [({}, -5), ({}, I64_MIN), ({0: 1.0}, I64_MAX)])


@pytest.mark.parametrize(
    ("name", "d", "key"),
    [
        ("lookup_str", {}, "it's"),
        ("lookup_int", {}, -5),
        pytest.param("lookup_tuple", {}, (1, "a\x85"), id="lookup_tuple"),
        pytest.param("lookup_single", {}, (5,), id="lookup_single"),
    ],
)
def test_key_error_holds_the_key(
    corpus: Corpus, name: str, d: dict[object, object], key: object
) -> None:
    with pytest.raises(KeyError) as err:
        corpus.rust(name)(d, key)
    assert err.value.args == (key,)
    assert type(err.value.args[0]) is type(key)


def test_key_error_message_of_a_one_tuple_key(check_same: CheckSame) -> None:
    assert check_same("lookup_single", {}, (5,)).exception == ("KeyError", "(5,)")


def test_tuples(check_same: CheckSame) -> None:
    check_all(check_same, "min_max_tuple", [([3, 1, 2],), ([5],), ([],)])
    assert type(check_same("min_max_tuple", [1]).value) is tuple
    check_same("swap_pair", 1, "a")
    check_all(check_same, "pair_sums", [([(1, 2), (3, 4)],), ([],)])
    pairs = [((1, "b"), (1, "a")), ((1, "a"), (1, "a")), ((0, "z"), (1, "a")), ((1, ""), (1, "é"))]
    check_all(check_same, "tuple_less", pairs)
    check_same("tuple_last", (1, 2.5, "x"))
    assert check_same("singleton", 7).value == (7,)


def test_tuple_argument_with_lists_inside_falls_back(check_same: CheckSame) -> None:
    check_same("pair_sums", [[1, 2]], fallback=True)


# -- control flow ---------------------------------------------------------------------------


def test_and_or_return_an_operand(check_same: CheckSame) -> None:
    check_all(check_same, "and_or_int", [(0, 5), (3, 0), (0, 0), (2, 3), (-1, 0)])
    float_pairs = [(0.0, 2.0), (-0.0, 2.0), (NAN, 0.0), (0.0, -0.0), (1.5, NAN)]
    check_all(check_same, "and_or_float", float_pairs)
    check_all(check_same, "and_or_str", [("", "b"), ("a", ""), ("", ""), ("a", "b")])
    check_all(check_same, "and_or_list", [([], [1]), ([0], [1]), ([], [])])


def test_truthiness(check_same: CheckSame) -> None:
    cases = [
        (0, 0.0, "", []),
        (-1, NAN, " ", [0]),
        (0, -0.0, "0", []),
        (I64_MIN, 5e-324, "\x00", []),
    ]
    check_all(check_same, "truth_table", cases)


def test_chained_comparisons(check_same: CheckSame) -> None:
    check_all(check_same, "chained", [(1, 2, 3), (1, 3, 2), (2, 2, 2), (1, 2, 1), (3, 2, 1)])


def test_conditional_expression(check_same: CheckSame) -> None:
    check_all(check_same, "sign", [(1.5,), (-0.0,), (NAN,), (-INF,)])


def test_for_else_and_while_else(check_same: CheckSame) -> None:
    check_all(check_same, "find_index", [([1, 2, 3], 2), ([1, 2, 3], 9), ([], 1)])
    check_all(check_same, "while_else", [(3,), (10,), (0,)])
    rows = [[1, 2], [3, -1, 4], [], [-5]]
    assert check_same("nested_break_else", rows).value == [2, -1, 0, -1]


def test_loops_with_early_exit(check_same: CheckSame) -> None:
    check_all(check_same, "first_pair_sum", [([1, 4, 2, 3], 5), ([1], 2), ([], 0)])
    check_all(check_same, "skip_odd_sum", [([1, 2, 3, 4, -6],), ([],)])
    xs = [0.5, 1.0, 1.0, 2.0]
    check_all(check_same, "bisect_left", [(xs, 1.0), (xs, 3.0), (xs, -INF), ([], 0.0), (xs, NAN)])


def test_local_bound_before_every_break(check_same: CheckSame) -> None:
    # A local that may be unbound after a break is refused (test_refusals.py); bound on
    # every path that leaves the loop, it is accepted.
    check_all(check_same, "while_true_break_bound", [(3,), (0,), (-(2**62),)])
    check_same("while_true_break_bound", 2**62, fallback=True)
    check_all(check_same, "nested_break_bound", [([3, 1, 2],), ([1, 2, 3],), ([],), ([2, 2],)])


def test_comprehensions(check_same: CheckSame) -> None:
    check_all(check_same, "even_squares", [([-2, -1, 0, 1, 2, 3, 4],), ([],)])
    check_all(check_same, "pairs_below", [(4,), (0,), (-1,)])


def test_raise_and_assert(check_same: CheckSame) -> None:
    assert check_same("check_positive", -1).exception == ("ValueError", "negative input")
    assert check_same("check_positive", 0).exception == ("ZeroDivisionError", "")
    check_same("check_positive", 7)
    assert check_same("raise_key", "x").exception == ("KeyError", "'missing'")
    check_same("raise_key", "ok")
    assert check_same("raise_key_message", "no such key").exception == (
        "KeyError",
        "'no such key'",
    )
    check_same("raise_key_message", "")
    check_same("raise_key_bare", 0)
    assert check_same("assert_positive", -1.0).exception == ("AssertionError", "x must be positive")
    assert check_same("assert_positive", 100.0).exception == ("AssertionError", "")
    check_all(check_same, "assert_positive", [(NAN,), (0.5,)])


@pytest.mark.parametrize("message", ["1", "'x'", "None", "(1, 2)"])
def test_raised_key_error_keeps_a_literal_looking_message(
    check_same: CheckSame, message: str
) -> None:
    assert check_same("raise_key_message", message).exception == ("KeyError", repr(message))


def test_bare_key_error_has_no_message(check_same: CheckSame) -> None:
    assert check_same("raise_key_bare", 1).exception == ("KeyError", "")


# -- calls: defaults, keywords, fallbacks ----------------------------------------------------


def test_defaults_and_keyword_arguments(check_same: CheckSame) -> None:
    xs = [1.0, 2.0, 4.0, 8.0]
    check_same("moving_average", xs)
    check_same("moving_average", xs, 2)
    check_same("moving_average", xs, kw={"window": 2})
    check_same("moving_average", kw={"xs": xs, "window": 4})
    check_same("moving_average", xs, kw={"window": 0})  # ZeroDivisionError
    check_same("affine", 1.5)
    check_same("affine", 1.5, kw={"offset": 0.5})
    check_same("affine", 1.5, 3.0)
    check_same("affine", kw={"x": 1.0, "scale": -0.0})
    check_same("tag", "x")
    check_same("tag", "x", kw={"prefix": "p"})


def test_tuple_default(check_same: CheckSame) -> None:
    assert check_same("offset_point").value == 0
    check_all(check_same, "offset_point", [((3, -4),), ((I64_MAX, 0),)])
    check_same("offset_point", kw={"p": (1, 2)})
    check_same("offset_point", (I64_MAX, 1), fallback=True)


def test_bad_calls_are_pythons_to_reject(check_same: CheckSame) -> None:
    xs = [1.0, 2.0]
    for args, kw in [((xs,), {"size": 2}), ((), {}), ((xs, 2, 3), {}), ((xs, 2), {"window": 2})]:
        outcome = check_same("moving_average", *args, kw=kw, fallback=True)
        assert outcome.exception is not None and outcome.exception[0] == "TypeError"


class FloatSub(float):
    pass


@pytest.mark.parametrize(
    "arg",
    [
        pytest.param([1, 2], id="list-of-ints"),
        pytest.param([1.0, FloatSub(2.0)], id="float-subclass"),
        pytest.param([1.0, np.float64(2.5)], id="numpy-float64"),
        pytest.param([1.0, True], id="bool-in-floats"),
        pytest.param((1.0, 2.0), id="tuple-for-list"),
        pytest.param(None, id="none"),
        pytest.param(np.array([1.0, 2.0]), id="numpy-array"),
    ],
)
def test_arguments_of_another_type_fall_back(check_same: CheckSame, arg: object) -> None:
    check_same("total_of", arg, fallback=True)


@pytest.mark.parametrize(
    "arg",
    [
        pytest.param(True, id="bool-for-int"),
        pytest.param(2**70, id="big-int"),
        pytest.param(1.5, id="float-for-int"),
        pytest.param(np.int64(3), id="numpy-int64"),
        pytest.param(None, id="none"),
    ],
)
def test_scalar_arguments_of_another_type_fall_back(check_same: CheckSame, arg: object) -> None:
    check_same("twice", arg, fallback=True)


class IntSub(int):
    pass


@pytest.mark.parametrize(
    "arg",
    [
        pytest.param([1, 2**70], id="int-beyond-64-bits"),
        pytest.param([1, -(2**63) - 1], id="int-below-i64-min"),
        pytest.param([1, IntSub(2)], id="int-subclass"),
        pytest.param([1, False], id="bool-in-ints"),
        pytest.param([1, 2.0], id="float-in-ints"),
    ],
)
def test_int_list_items_of_another_type_fall_back(check_same: CheckSame, arg: object) -> None:
    # The list conversion reads the item array directly; every rejected item must still
    # hand the call to Python (with no exception left behind by the overflow check).
    check_same("skip_odd_sum", arg, fallback=True)


def test_int_lists_at_the_i64_edges_convert(check_same: CheckSame) -> None:
    check_same("skip_odd_sum", [2**63 - 1, -(2**63)], fallback=None)
    check_same("skip_odd_sum", [3, 5, -7])


def test_float_subclass_scalar_falls_back(check_same: CheckSame) -> None:
    check_same("affine", FloatSub(1.5), fallback=True)
    check_same("affine", np.float64(1.5), fallback=True)
    check_same("first_of", [True], fallback=True)
    check_same("first_of", [])


def test_fallbacks_are_counted_per_function(corpus: Corpus) -> None:
    before = corpus.module.__rustify_fallbacks__()
    assert corpus.rust("twice")(True) == 2
    assert corpus.rust("twice")(3) == 6
    after = corpus.module.__rustify_fallbacks__()
    assert after["twice"] == before["twice"] + 1
    assert {k: v for k, v in after.items() if k != "twice"} == {
        k: v for k, v in before.items() if k != "twice"
    }


def test_dict_subclass_arguments_fall_back(check_same: CheckSame) -> None:
    check_same("lookup_str", defaultdict(int, {"a": 1}), "b", fallback=True)
    check_same("lookup_str", Counter({"a": 1}), "a", fallback=True)
    check_same("items_list", OrderedDict([("b", 1), ("a", 2)]), fallback=True)
    check_same("lookup_str", {"a": True}, "a", fallback=True)  # a bool value in dict[str, int]


def test_unconvertible_str_falls_back(check_same: CheckSame) -> None:
    check_same("str_length", "a\ud800", fallback=True)  # a lone surrogate is no Rust str
    check_same("char_at", "\udfff", 0, fallback=True)


# -- small programs ---------------------------------------------------------------------------


def test_stack_programs(check_same: CheckSame) -> None:
    cases = [("([]{})",), ("(]",), ("((",), ("",), ("a(b)c]",), ("é[ü]",)]
    check_all(check_same, "balanced", cases)
    check_all(check_same, "balanced_list", cases)
    check_all(check_same, "drain", [([1, 2, 3],), ([],)])
    check_same("drain", [I64_MAX, 1], fallback=True)


def test_dict_programs(check_same: CheckSame) -> None:
    check_all(check_same, "char_histogram", [("abracadabra é",), ("",)])
    check_all(check_same, "invert", [({"a": 1, "b": 2, "c": 1},), ({},)])
    d = {"a": [1, 2], "b": [], "c": [5]}
    check_all(check_same, "lookup_all", [(d, ["a", "b", "a"]), (d, [])])
    check_all(check_same, "first_items", [(d,), ({},)])
    check_same("bump_nested", {}, "a")


def test_dict_programs_key_errors(check_same: CheckSame) -> None:
    assert check_same("lookup_all", {"a": [1]}, ["a", "z"]).exception == ("KeyError", "'z'")
    assert check_same("bump_nested", {}, "z").exception == ("KeyError", "'z'")


def test_global_constants_are_inlined(check_same: CheckSame) -> None:
    check_all(check_same, "smooth", [([1.0, 2.0, 4.0, 8.0],), ([],), ([1.0],)])
    check_all(check_same, "capped", [(5,), (5000,)])
    check_same("greeting", "bob")
    check_same("escape_chars", "x")


def test_global_tuple_holding_infinity_is_inlined(check_same: CheckSame) -> None:
    cases = [([-1.0, 0.5, INF, -INF, 1e308],), ([NAN, -0.0],), ([],)]
    check_all(check_same, "clamp_all", cases)
    assert check_same("clamp_all", [INF, -1.0]).value == [INF, 0.0]


def test_global_tuple_of_tuples_is_inlined(check_same: CheckSame) -> None:
    check_all(check_same, "pair_first", [(0,), (1,), (-1,), (2,)])


def test_tuple_programs(check_same: CheckSame) -> None:
    check_all(check_same, "triples", [([1, 2], ["a", "b", "c"], [0.5, 1.5]), ([], [], [])])
    check_same("indexed_pairs", [(1, 2), (3, 4)])
    check_same("nested_tuple", 3, "x")
    check_same("tuple_field", ("ab", 1))
    check_all(check_same, "run_lengths", [("aaabccdd",), ("",), ("ééa",)])


def test_numeric_programs(check_same: CheckSame) -> None:
    check_all(check_same, "sieve", [(50,), (1,), (0,), (-1,)])
    check_same("grow_while_scanning", 10)
    check_all(check_same, "kahan", [([0.1] * 10,), ([1e100, 1.0, -1e100],), ([],)])
    check_all(check_same, "norm", [([3.0, 4.0],), ([1e200, 1e200],)])
    check_same("norm", [], fallback=True)  # sum([]) is the int 0
    check_all(check_same, "argmax", [([1.0, NAN, 3.0],), ([NAN, 1.0],), ([],), ([2.0, 2.0],)])
    hist = [
        ([0.0, 0.5, 0.99, 1.0, -0.1], 4, 0.0, 1.0),
        ([0.5], 0, 0.0, 1.0),
        ([-1e300], 3, 0.0, 1e-300),
    ]
    check_all(check_same, "histogram", hist)
    check_same("histogram", [0.5], 3, 0.0, 1e-300, fallback=True)  # int(5e299) is no i64
    check_same("histogram", [NAN], 2, 0.0, 1.0)  # int(nan) raises ValueError
    pairs = [("kitten", "sitting"), ("", "abc"), ("héllo", "hello"), ("", "")]
    check_all(check_same, "levenshtein", pairs)


def test_scoping_programs(check_same: CheckSame) -> None:
    check_same("iterate_rebound_str", "ab")
    check_same("comprehension_scope", [1, 2, 3])
    check_all(check_same, "last_loop_value", [(5,), (0,)])
    check_all(check_same, "vowels", [("education",), ("",)])
    assert check_same("validate", 3).value is None
    assert check_same("validate", -3).exception == ("ValueError", "x must be non-negative")


def test_empty_literals_typed_by_their_destination(check_same: CheckSame) -> None:
    check_all(check_same, "append_empty_row", [(2,), (0,)])


def test_empty_literals_typed_by_their_context(check_same: CheckSame) -> None:
    check_all(check_same, "or_empty", [([],), ([0],), ([1, 2],)])
    check_all(check_same, "pick_or_empty", [(True, [1]), (False, [1]), (True, [])])
    d = {"a": [1, 2], "b": []}
    check_all(check_same, "get_or_empty", [(d, "a"), (d, "b"), (d, "z"), ({}, "")])
    check_all(check_same, "empty_buckets", [(3,), (0,), (-1,)])
    check_all(check_same, "dict_or_empty", [({},), ({"a": 1},)])
    check_all(check_same, "empty_and_count", [(0,), (-7,)])
    assert check_same("empty_and_count", 3).value == ([], 3)
    words = ["bb", "a", "cc", "d", "eee", "é"]
    check_all(check_same, "group_by_get", [(words,), ([],)])
    dd = {"a": {"x": 1}, "b": {}}
    check_all(check_same, "get_or_empty_dict", [(dd, "a"), (dd, "b"), (dd, "z")])


def test_rows_of_a_comprehension_are_distinct_lists(check_same: CheckSame) -> None:
    # groups = [[] for _ in range(n)]; groups[x % n].append(x): every row its own list.
    outcome = check_same("bucket_by_mod", [1, 2, 3, 4, -5, 6], 3)
    assert outcome.value == [[3, 6], [1, 4, -5], [2]]
    cases = [([], 0), ([], 2), ([7], 1), ([1], 0), ([1], -2), ([I64_MIN, I64_MAX], 4)]
    check_all(check_same, "bucket_by_mod", cases)


def test_more_programs(check_same: CheckSame) -> None:
    check_all(check_same, "bubble_sort", [([3, 1, 2, -5, 3],), ([],)])
    check_all(check_same, "fib", [(0,), (10,), (91,)])
    check_same("fib", 92, fallback=True)  # the last a + b is fib(93), beyond i64
    check_same("chained_assign", 5)
    check_all(check_same, "message_raise", [("",), ("a",)])
    check_all(check_same, "store_at_popped", [([0, 1, 2, 1],), ([5, 0],), ([],)])
    check_same("nested_lookup", {"a": {"b": 1}}, "a", "b")
    check_all(check_same, "pop_while_positive", [([1, -1, 2, 3],), ([],)])
    check_all(check_same, "zip_to_dict", [(["a", "b", "a"], [1, 2, 3]), ([], [1])])
    check_same("powers_of_two", 5)
    check_same("powers_of_two", 64, fallback=True)


def test_augmented_assignment_of_an_unshared_list_item(check_same: CheckSame) -> None:
    # Shared items are refused (test_refusals.py); fresh ones are extended in place.
    assert check_same("extend_fresh_items", 5).value == [[1, 5], [2, 2]]
    assert check_same("extend_dict_item", 3).value == {"a": [1, 3, 3], "b": [1, 3, 3]}


@pytest.mark.parametrize(
    ("name", "arg", "expected"),
    [("local_named_key", [5, 6], [6, 6]), ("local_named_like_comprehension", [1, 2], 102)],
)
def test_user_names_do_not_collide_with_generated_names(
    check_same: CheckSame, name: str, arg: list[int], expected: object
) -> None:
    assert check_same(name, arg).value == expected
