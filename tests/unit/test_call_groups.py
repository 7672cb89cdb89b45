"""Grouping a function's recorded calls by the parameters they pass NumPy arrays for."""

from __future__ import annotations

from typing import Any

import numpy as np

from pytest_rustify.calls import RecordedCall, run_call
from pytest_rustify.observe import call_groups


def dot(a: Any, b: Any, scale: float = 1.0) -> Any:
    total = 0.0
    for x, y in zip(a, b, strict=True):
        total += x * y
    return total * scale


def calls(*arg_lists: tuple[tuple[Any, ...], dict[str, Any]]) -> list[RecordedCall]:
    return [RecordedCall(args, kw, run_call(dot, args, kw)) for args, kw in arg_lists]


def keys(groups: list[tuple[tuple[str, ...], list[RecordedCall]]]) -> list[tuple[str, ...]]:
    return [k for k, _ in groups]


def test_list_calls_alone_are_one_group() -> None:
    recorded = calls((([1.0], [2.0]), {}), (([], []), {"scale": 2.0}))
    assert call_groups(dot, recorded) == [((), recorded)]


def test_groups_by_the_parameters_passed_arrays_lists_first() -> None:
    arr = np.ones(2)
    recorded = calls(
        ((arr, arr), {}),
        (([1.0, 2.0], arr), {}),
        (([1.0], [2.0]), {}),
        ((arr,), {"b": arr}),  # by keyword: the same kind of call
        (([1.0, 2.0],), {"b": arr, "scale": 3.0}),
    )
    groups = call_groups(dot, recorded)
    assert keys(groups) == [(), ("a", "b"), ("b",)]
    assert [len(g) for _, g in groups] == [1, 2, 2]
    assert groups[1][1] == [recorded[0], recorded[3]]


def test_mixes_come_after_lists_and_all_arrays() -> None:
    def three(a: Any, b: Any, c: Any) -> None:
        pass

    arr, lst = np.ones(1), [1.0]
    kinds = [(arr, lst, lst), (lst, lst, arr), (arr, arr, arr), (lst, arr, arr), (lst, lst, lst)]
    recorded = [RecordedCall(args, {}, run_call(three, args, {})) for args in kinds]
    assert keys(call_groups(three, recorded)) == [(), ("a", "b", "c"), ("a",), ("b", "c"), ("c",)]


def test_arrays_only_make_one_group() -> None:
    arr = np.arange(3.0)
    recorded = calls(((arr, arr), {}), ((arr, arr * 2), {}))
    assert keys(call_groups(dot, recorded)) == [("a", "b")]


def test_calls_that_do_not_bind_go_with_the_first_group() -> None:
    arr = np.ones(1)
    recorded = calls(((arr, arr), {}), (([1.0],), {}), ((arr, arr, 1.0, 2), {}))
    groups = call_groups(dot, recorded)
    assert keys(groups) == [("a", "b")]
    assert groups[0][1] == recorded
    assert call_groups(dot, []) == [((), [])]


def test_array_subclasses_and_scalars_are_not_arrays_here() -> None:
    masked = np.ma.masked_array([1.0, 2.0])
    recorded = calls(((masked, [1.0, 2.0]), {}), (([1.0], [2.0]), {"scale": np.float64(2.0)}))
    assert keys(call_groups(dot, recorded)) == [()]
