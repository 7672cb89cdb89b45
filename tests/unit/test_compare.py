"""Parity rules of SEMANTICS.md ("What parity compares"), one by one, and compare_calls."""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from pytest_rustify.calls import Outcome, RecordedCall, run_call
from pytest_rustify.compare import (
    compare_calls,
    compare_outcomes,
    describe_call,
    short_repr,
    values_equal,
)

NAN = float("nan")
INF = float("inf")


def other_nan() -> float:
    """A NaN with another bit pattern (sign and payload) than float('nan')."""
    value: float = struct.unpack("<d", struct.pack("<Q", 0xFFF8_0000_0000_0001))[0]
    return value


# --- scalars --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "actual"),
    [(1, 1), ("abc", "abc"), (b"x", b"x"), (None, None), (True, True), (2**70, 2**70)],
)
def test_equal_scalars_pass(expected: object, actual: object) -> None:
    assert values_equal(expected, actual).equal


@pytest.mark.parametrize(
    ("expected", "actual", "detail"),
    [
        (1, 1.0, "expected 1 (int), got 1.0 (float)"),
        (True, 1, "expected True (bool), got 1 (int)"),
        (1, True, "expected 1 (int), got True (bool)"),
        (0, False, "expected 0 (int), got False (bool)"),
        (1, 2, "expected 1 (int), got 2 (int)"),
        ("a", b"a", "expected 'a' (str), got b'a' (bytes)"),
        (None, 0, "expected None (NoneType), got 0 (int)"),
    ],
)
def test_scalars_of_another_type_or_value_fail(
    expected: object, actual: object, detail: str
) -> None:
    diff = values_equal(expected, actual)
    assert not diff.equal
    assert diff.where == "value"
    assert diff.detail == detail


def test_an_equal_result_has_an_empty_where() -> None:
    diff = values_equal([1, 2.5], [1, 2.5])
    assert (diff.equal, diff.where, diff.detail) == (True, "", "")


# --- containers -------------------------------------------------------------------------


def test_tuple_is_not_list() -> None:
    diff = values_equal((1, 2), [1, 2])
    assert not diff.equal
    assert "(tuple)" in diff.detail and "(list)" in diff.detail


def test_nested_difference_names_its_path() -> None:
    diff = values_equal([0, 1, 2, [0, 1]], [0, 1, 2, [0, 1.0]])
    assert diff.where == "value[3][1]"
    assert diff.detail == "expected 1 (int), got 1.0 (float)"


def test_sequence_of_another_length_fails() -> None:
    diff = values_equal([1, 2, 3], [1, 2])
    assert not diff.equal
    assert diff.detail == "expected list of 3 items, got 2 items"


def test_dicts_with_the_same_items_in_order_pass() -> None:
    assert values_equal({"a": 1, "b": [2.0]}, {"a": 1, "b": [2.0]}).equal


def test_dicts_with_the_same_items_in_another_order_fail() -> None:
    diff = values_equal({"a": 1, "b": 2}, {"b": 2, "a": 1})
    assert not diff.equal
    assert diff.detail.startswith("same keys in another order")


def test_dict_missing_and_unexpected_keys_are_named() -> None:
    diff = values_equal({"a": 1, "b": 2}, {"a": 1, "c": 2})
    assert diff.detail == "missing key 'b'; unexpected key 'c'"


def test_dict_keys_compare_by_type_too() -> None:
    # 1 == 1.0 == True hash alike in Python; as keys of an answer they are not the same.
    assert not values_equal({1: "x"}, {1.0: "x"}).equal
    assert not values_equal({1: "x"}, {True: "x"}).equal


def test_dict_value_difference_names_the_key() -> None:
    diff = values_equal({"k": [1, 2]}, {"k": [1, 3]})
    assert diff.where == "value['k'][1]"


def test_sets_compare_as_sets() -> None:
    assert values_equal({3, 1, 2}, {1, 2, 3}).equal
    assert values_equal(frozenset({"a", "b"}), frozenset({"b", "a"})).equal


def test_sets_with_other_elements_fail() -> None:
    diff = values_equal({1, 2}, {1, 3})
    assert not diff.equal
    assert "missing 2 (int)" in diff.detail and "unexpected 3 (int)" in diff.detail


def test_set_elements_compare_by_type_too() -> None:
    diff = values_equal({1, 2}, {1.0, 2})
    assert not diff.equal
    assert "expected element 1 (int), got 1.0 (float)" in diff.detail


def test_set_is_not_frozenset() -> None:
    assert not values_equal({1}, frozenset({1})).equal


def test_self_referencing_values_terminate() -> None:
    e: list[object] = [1]
    e.append(e)
    a: list[object] = [1]
    a.append(a)
    assert values_equal(e, a).equal


# --- floats, exact ------------------------------------------------------------------------


def test_floats_compare_bit_for_bit_by_default() -> None:
    diff = values_equal(0.3, 0.1 + 0.2)
    assert not diff.equal
    assert diff.detail == "expected 0.3, got 0.30000000000000004 (1 ulp apart)"
    assert diff.max_ulp_err == 1
    assert diff.max_abs_err == pytest.approx(5.55e-17, rel=1e-2)


def test_nan_equals_nan_whatever_its_bits() -> None:
    assert values_equal(NAN, float("nan")).equal
    assert values_equal([NAN], [other_nan()]).equal


def test_nan_does_not_equal_a_number() -> None:
    assert not values_equal(NAN, 0.0).equal
    assert not values_equal(1.0, NAN).equal


def test_negative_zero_is_not_zero() -> None:
    diff = values_equal(0.0, -0.0)
    assert not diff.equal
    assert diff.detail.startswith("expected 0.0, got -0.0")


def test_infinities_equal_only_the_same_infinity() -> None:
    assert values_equal(INF, INF).equal
    assert not values_equal(INF, -INF).equal
    assert not values_equal(INF, 1.7e308).equal


# --- floats, with a tolerance -----------------------------------------------------------


def test_tolerance_accepts_a_small_difference_and_reports_it() -> None:
    diff = values_equal(0.3, 0.1 + 0.2, rtol=1e-12)
    assert diff.equal
    assert diff.max_ulp_err == 1
    assert diff.max_abs_err > 0.0
    assert diff.max_rel_err > 0.0


def test_tolerance_rejects_a_larger_difference() -> None:
    assert not values_equal(1.0, 1.1, rtol=1e-3).equal
    assert not values_equal(1.0, 1.1, atol=1e-3).equal
    assert values_equal(1.0, 1.1, atol=0.2).equal


def test_relative_tolerance_is_measured_against_the_expected_value() -> None:
    # |e - a| <= atol + rtol * |e|: Python's answer is the reference.
    assert values_equal(2.0, 1.0, rtol=0.5).equal
    assert not values_equal(1.0, 2.0, rtol=0.5).equal


def test_tolerance_never_makes_nan_equal_a_number() -> None:
    assert not values_equal(NAN, 1.0, atol=1e300).equal
    assert values_equal(NAN, NAN, atol=1.0).equal


def test_tolerance_never_makes_infinity_equal_a_finite_value() -> None:
    assert not values_equal(INF, 1e308, rtol=1.0, atol=1e308).equal
    assert not values_equal(INF, -INF, rtol=1.0).equal
    assert values_equal(-INF, -INF, rtol=1.0).equal


def test_negative_tolerance_is_refused() -> None:
    with pytest.raises(ValueError, match="rtol"):
        values_equal(1.0, 1.0, rtol=-1.0)


def test_error_maxima_cover_every_float_pair() -> None:
    diff = values_equal([1.0, 2.0, 4.0], [1.0, 2.5, 4.25], atol=1.0)
    assert diff.equal
    assert diff.max_abs_err == 0.5
    assert diff.max_rel_err == pytest.approx(0.2)


def test_error_maxima_continue_past_the_first_difference() -> None:
    diff = values_equal([1.0, 2.0], [1.5, 4.0])
    assert diff.where == "value[0]"
    assert diff.max_abs_err == 2.0


# --- complex ------------------------------------------------------------------------------


def test_complex_compares_real_and_imaginary_parts_as_floats() -> None:
    assert values_equal(complex(1.0, NAN), complex(1.0, NAN)).equal
    diff = values_equal(complex(1.0, 2.0), complex(1.0, -2.0))
    assert diff.where == "value.imag"
    assert not values_equal(complex(0.0, 1.0), complex(-0.0, 1.0)).equal
    assert values_equal(complex(1.0, 2.0), complex(1.0, 2.0 + 1e-12), atol=1e-9).equal


def test_complex_is_not_float() -> None:
    assert not values_equal(1.0 + 0j, 1.0).equal


# --- objects ------------------------------------------------------------------------------


@dataclass
class Point:
    x: float
    y: float


class Box:
    def __init__(self, items: list[int]) -> None:
        self.items = items


def test_dataclasses_compare_field_by_field() -> None:
    assert values_equal(Point(1.0, 2.0), Point(1.0, 2.0)).equal
    diff = values_equal(Point(1.0, 2.0), Point(1.0, 2))
    assert diff.where == "value.y"


def test_plain_objects_compare_by_attributes() -> None:
    assert values_equal(Box([1]), Box([1])).equal
    diff = values_equal(Box([1]), Box([2]))
    assert diff.where == "value.items[0]"


# --- numpy --------------------------------------------------------------------------------


def test_numpy_float64_accepts_a_float_with_the_same_bits() -> None:
    assert values_equal(np.float64(0.5), 0.5).equal
    assert values_equal(0.5, np.float64(0.5)).equal
    assert values_equal(np.float64("nan"), NAN).equal


def test_numpy_float64_rejects_a_float_with_other_bits() -> None:
    assert not values_equal(np.float64(0.3), 0.1 + 0.2).equal
    assert not values_equal(np.float64(0.0), -0.0).equal


def test_other_numpy_scalars_need_their_own_type() -> None:
    assert not values_equal(np.float32(0.5), 0.5).equal
    assert not values_equal(np.int64(3), 3).equal
    assert values_equal(np.int64(3), np.int64(3)).equal
    assert not values_equal(np.float32(1.0), np.float32(np.nextafter(np.float32(1), 2))).equal


def test_numpy_float32_ulps_are_counted_in_float32() -> None:
    one = np.float32(1.0)
    diff = values_equal(one, np.nextafter(one, np.float32(2.0)))
    assert diff.max_ulp_err == 1


def test_arrays_match_dtype_shape_and_elements() -> None:
    a = np.array([[1.0, 2.0], [3.0, NAN]])
    assert values_equal(a, a.copy()).equal

    wrong_dtype = values_equal(a, a.astype(np.float32))
    assert "dtype" in wrong_dtype.detail and not wrong_dtype.equal

    wrong_shape = values_equal(a, a.reshape(4))
    assert "shape" in wrong_shape.detail and not wrong_shape.equal

    b = a.copy()
    b[1, 0] = 3.0000000000000004
    diff = values_equal(a, b)
    assert diff.where == "value[1, 0]"
    assert "1 of 4 elements differ" in diff.detail
    assert diff.max_ulp_err == 1


def test_arrays_keep_the_float_rules() -> None:
    assert not values_equal(np.array([0.0]), np.array([-0.0])).equal
    assert not values_equal(np.array([NAN]), np.array([1.0]), atol=1e300).equal
    assert not values_equal(np.array([INF]), np.array([-INF]), rtol=1.0).equal
    close = values_equal(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9]), rtol=1e-6)
    assert close.equal
    assert close.max_abs_err > 0.0


def test_integer_and_object_arrays() -> None:
    assert values_equal(np.arange(5), np.arange(5)).equal
    assert values_equal(np.arange(5), np.array([0, 1, 2, 3, 5])).where == "value[4]"
    objects = np.array([1, "a"], dtype=object)
    other = np.array([1.0, "a"], dtype=object)
    assert values_equal(objects, objects.copy()).equal
    assert values_equal(objects, other).where == "value[0]"


def test_array_is_not_a_list() -> None:
    assert not values_equal(np.array([1.0]), [1.0]).equal


# --- outcomes -----------------------------------------------------------------------------


def test_outcomes_compare_exceptions_by_type_and_message() -> None:
    zero = Outcome(exception=("ZeroDivisionError", "division by zero"))
    assert compare_outcomes(
        zero, Outcome(exception=("ZeroDivisionError", "division by zero"))
    ).equal
    other_message = compare_outcomes(zero, Outcome(exception=("ZeroDivisionError", "oops")))
    assert (other_message.equal, other_message.where) == (False, "exception")
    other_type = compare_outcomes(zero, Outcome(exception=("ValueError", "division by zero")))
    assert not other_type.equal
    assert "expected ZeroDivisionError: division by zero, got ValueError" in other_type.detail


def test_outcomes_raised_against_returned_fail_both_ways() -> None:
    raised = Outcome(exception=("IndexError", "list index out of range"))
    returned = Outcome(value=0)
    one_way = compare_outcomes(raised, returned)
    assert (one_way.equal, one_way.where) == (False, "exception")
    other_way = compare_outcomes(returned, raised)
    assert (other_way.equal, other_way.where) == (False, "result")
    assert "IndexError" in other_way.detail


def test_outcomes_compare_the_arguments_after_the_call() -> None:
    expected = Outcome(value=None, args_after=([1, 2],), kwargs_after={"k": {"x": 1}})
    assert compare_outcomes(
        expected, Outcome(args_after=([1, 2],), kwargs_after={"k": {"x": 1}})
    ).equal
    args = compare_outcomes(expected, Outcome(args_after=([1],), kwargs_after={"k": {"x": 1}}))
    assert args.where == "args_after[0]"
    kwargs = compare_outcomes(expected, Outcome(args_after=([1, 2],), kwargs_after={"k": {"x": 2}}))
    assert kwargs.where == "kwargs_after['k']['x']"


def test_outcome_result_path_is_named_result() -> None:
    diff = compare_outcomes(Outcome(value=[1, [2, 3]]), Outcome(value=[1, [2, 4]]))
    assert diff.where == "result[1][1]"


# --- compare_calls ------------------------------------------------------------------------


def total(xs: list[float], scale: int) -> float:
    acc = 0.0
    for x in xs:
        acc += x * scale
    return acc


def record(fn: Callable[..., object], *args: object) -> RecordedCall:
    return RecordedCall(args=args, kwargs={}, outcome=run_call(fn, args, {}))


def no_fallbacks() -> int:
    return 0


def test_compare_calls_passes_for_the_same_function() -> None:
    calls = [record(total, [0.1, 0.2, 0.3], k) for k in range(4)]
    result = compare_calls("pkg.mod:total", calls, total, fallback_count=no_fallbacks)
    assert (result.calls, result.mismatches, result.fallbacks) == (4, 0, 0)
    assert result.passed
    assert not result.all_fell_back
    assert result.first_mismatches == ()


def test_compare_calls_names_the_call_that_a_wrong_candidate_gets_wrong() -> None:
    def wrong(xs: list[float], scale: int) -> float:
        return total(xs, scale) + (1.0 if scale == 3 else 0.0)

    xs = [0.5, 1.0] + [0.0] * 998
    calls = [record(total, xs, k) for k in range(5)]
    result = compare_calls("pkg.mod:total", calls, wrong, fallback_count=no_fallbacks)
    assert (result.calls, result.mismatches) == (5, 1)
    assert not result.passed
    (mismatch,) = result.first_mismatches
    assert mismatch.call_index == 3
    assert mismatch.call == "total([0.5, 1.0, ... 1000 items], 3)"
    assert mismatch.where == "result"
    assert mismatch.detail.startswith("expected 4.5, got 5.5")
    assert result.max_abs_err == 1.0


def test_compare_calls_keeps_at_most_max_details() -> None:
    calls = [record(total, [1.0], k) for k in range(10)]
    result = compare_calls(
        "m:total", calls, lambda xs, k: -1.0, fallback_count=no_fallbacks, max_details=3
    )
    assert result.mismatches == 10
    assert [m.call_index for m in result.first_mismatches] == [0, 1, 2]


def test_compare_calls_sees_a_wrong_mutation_of_an_argument() -> None:
    def append_twice(xs: list[int]) -> None:
        xs.append(1)
        xs.append(1)

    def append_once(xs: list[int]) -> None:
        xs.append(1)

    result = compare_calls(
        "m:append_twice",
        [record(append_twice, [0])],
        append_once,
        fallback_count=no_fallbacks,
    )
    assert result.first_mismatches[0].where == "args_after[0]"


def test_compare_calls_counts_fallbacks_apart_and_does_not_compare_them() -> None:
    fell_back: list[int] = []

    def dispatcher(xs: list[float], scale: int) -> float:
        if scale < 0:
            fell_back.append(scale)
            return total(xs, scale)
        return -99.0  # wrong on purpose: only compared calls can reveal it

    calls = [record(total, [1.0], k) for k in (-1, -2, 3)]
    result = compare_calls("m:total", calls, dispatcher, fallback_count=lambda: len(fell_back))
    assert (result.calls, result.fallbacks, result.mismatches) == (3, 2, 1)
    assert result.first_mismatches[0].call_index == 2
    assert not result.all_fell_back


def test_compare_calls_where_every_call_fell_back_proves_nothing() -> None:
    fell_back: list[int] = []

    def dispatcher(xs: list[float], scale: int) -> float:
        fell_back.append(scale)
        return total(xs, scale)

    calls = [record(total, [1.0], k) for k in range(3)]
    result = compare_calls("m:total", calls, dispatcher, fallback_count=lambda: len(fell_back))
    assert result.all_fell_back
    assert result.passed  # no mismatch, yet all_fell_back tells the report to say so


def test_compare_calls_compares_exceptions() -> None:
    def safe_divide(a: float, b: float) -> float:
        return a / b if b else math.inf

    calls = [record(lambda a, b: a / b, 1.0, 0.0)]
    result = compare_calls("m:divide", calls, safe_divide, fallback_count=no_fallbacks)
    assert result.mismatches == 1
    assert result.first_mismatches[0].where == "exception"


def test_compare_calls_leaves_the_recorded_calls_untouched() -> None:
    def clear(xs: list[int]) -> None:
        xs.clear()

    calls = [record(clear, [1, 2, 3])]
    assert calls[0].args == ([1, 2, 3],)
    compare_calls("m:clear", calls, clear, fallback_count=no_fallbacks)
    assert calls[0].args == ([1, 2, 3],)


# --- how calls and values are shown --------------------------------------------------------


def test_describe_call_truncates_long_containers_and_shows_kwargs() -> None:
    call = RecordedCall(args=(list(range(1000)), "ab"), kwargs={"k": (1,)}, outcome=Outcome())
    assert describe_call("f", call) == "f([0, 1, ... 1000 items], 'ab', k=(1,))"


def test_short_repr_stays_short() -> None:
    assert short_repr({"a": list(range(50))}) == "{'a': [0, 1, ... 50 items]}"
    assert len(short_repr("x" * 1000)) <= 60
    assert short_repr(np.zeros((3, 4))) == "array(shape=(3, 4), dtype=float64)"
