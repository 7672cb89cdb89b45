"""Recording, typing and comparing calls whose arguments are NumPy arrays."""

from __future__ import annotations

from typing import Any

import numpy as np

from pytest_rustify.calls import record_call, run_call
from pytest_rustify.compare import compare_calls, compare_outcomes
from pytest_rustify.observe import CallRecorder, type_evidence
from pytest_rustify.translate.frontend import TypeEvidence
from pytest_rustify.translate.rtypes import NONE, NP_FLOAT64, ArrayT


def double_in_place(a: Any) -> None:
    for i in range(len(a)):
        a[i] *= 2.0


def total(a: Any) -> Any:
    s = 0.0
    for x in a:
        s += x
    return s


def test_recorded_calls_keep_the_array_before_and_after() -> None:
    recorded = []
    a = np.array([1.0, 2.0])
    record_call(double_in_place, (a,), {}, recorded.append)
    assert list(a) == [2.0, 4.0]  # the program's own array was changed
    (call,) = recorded
    assert list(call.args[0]) == [1.0, 2.0]
    assert list(call.outcome.args_after[0]) == [2.0, 4.0]
    assert call.args[0] is not a and call.outcome.args_after[0] is not a


def test_replay_sees_in_place_writes_and_leaves_the_record_alone() -> None:
    recorded = []
    record_call(double_in_place, (np.array([1.0, 3.0]),), {}, recorded.append)
    (call,) = recorded
    outcome = run_call(double_in_place, call.args, call.kwargs)
    assert compare_outcomes(call.outcome, outcome).equal
    assert list(call.args[0]) == [1.0, 3.0]


def test_array_types_come_from_the_calls() -> None:
    recorder = CallRecorder()
    wrapped = recorder.wrap("m:total", total)
    recorder.begin_test()
    wrapped(np.zeros((3,)))
    wrapped(np.ones((2,)))
    recorder.end_test()
    calls = recorder.observations()["m:total"].calls
    evidence = type_evidence(total, calls)
    assert evidence == TypeEvidence(params={"a": ArrayT(NP_FLOAT64, 1)}, ret=NP_FLOAT64)
    in_place = type_evidence(double_in_place, [_record(double_in_place, np.zeros((2, 2)))])
    assert in_place == TypeEvidence(params={"a": ArrayT(NP_FLOAT64, 2)}, ret=NONE)


def test_a_float_and_an_np_float64_are_one_type() -> None:
    # Summing an empty array gives the float 0.0, a non-empty one an np.float64.
    calls = [_record(total, np.array([1.0])), _record(total, np.array([]))]
    assert [type(c.outcome.value) for c in calls] == [np.float64, float]
    evidence = type_evidence(total, calls)
    assert evidence == TypeEvidence(params={"a": ArrayT(NP_FLOAT64, 1)}, ret=NP_FLOAT64)


def test_lists_and_arrays_for_one_parameter_are_a_conflict() -> None:
    calls = [_record(total, [1.0, 2.0]), _record(total, np.array([1.0]))]
    reason = type_evidence(total, calls)
    assert isinstance(reason, str)
    assert "list[float]" in reason and "ndarray[float64, 1d]" in reason


def test_unsupported_arrays_say_so() -> None:
    reason = type_evidence(total, [_record(total, np.zeros(3, dtype=np.float32))])
    assert isinstance(reason, str) and "numpy.ndarray" in reason


def test_parity_of_an_in_place_candidate_that_writes_wrongly() -> None:
    recorded = []
    record_call(double_in_place, (np.array([1.0, 2.0]),), {}, recorded.append)

    def wrong(a: Any) -> None:
        a[0] *= 3.0

    result = compare_calls("m:double_in_place", recorded, wrong, fallback_count=lambda: 0)
    assert result.mismatches == 1
    assert result.first_mismatches[0].where == "args_after[0][0]"


def _record(fn: Any, arg: object) -> Any:
    recorded: list[Any] = []
    record_call(fn, (arg,), {}, recorded.append)
    return recorded[0]
