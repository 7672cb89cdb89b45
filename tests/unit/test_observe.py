"""The observe stage: bounded call recording, per-test timing, merging, and type evidence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_rustify.calls import Outcome, RecordedCall
from pytest_rustify.observe import (
    CallRecorder,
    FunctionObservations,
    Limits,
    Observations,
    type_evidence,
)
from pytest_rustify.observe import TestTimes as Times  # aliased: pytest would collect Test*
from pytest_rustify.translate.frontend import TypeEvidence
from pytest_rustify.translate.rtypes import BOOL, FLOAT, INT, NONE, ListT, SetT, TupleT

TEST_A = ("/p/tests/test_m.py", "test_a")
TEST_B = ("/p/tests/test_m.py", "test_b")


def append_one(xs: list[int]) -> int:
    xs.append(1)
    return len(xs)


def divide(a: float, b: float) -> float:
    return a / b


def identity(x: object) -> object:
    return x


def heavy(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def cheap(x: int) -> int:
    return x


def scale(xs: list[float], factor: float = 1.0, *, offset: float = 0.0) -> list[float]:
    return [x * factor + offset for x in xs]


def call(*args: object, result: object = None, **kwargs: object) -> RecordedCall:
    return RecordedCall(args=args, kwargs=kwargs, outcome=Outcome(value=result, args_after=args))


def raised(*args: object, exception: tuple[str, str]) -> RecordedCall:
    return RecordedCall(args=args, kwargs={}, outcome=Outcome(exception=exception, args_after=args))


# --- CallRecorder: budgets ---------------------------------------------------------------


# The calls of these tests are of one shape (ints of one magnitude class): calls of a new
# shape are recorded past the budgets (see test_observe_shapes.py).
BASE = 256


def test_records_at_most_per_test_calls_in_one_test() -> None:
    recorder = CallRecorder(per_test=3, per_function=100)
    wrapped = recorder.wrap("m:identity", identity)
    recorder.begin_test()
    results = [wrapped(BASE + i) for i in range(10)]
    recorder.end_test()
    obs = recorder.observations()["m:identity"]
    assert results == [BASE + i for i in range(10)]  # every call still ran
    assert [c.args for c in obs.calls] == [(BASE,), (BASE + 1,), (BASE + 2,)]
    assert obs.seen == 10


def test_per_test_budget_starts_again_in_the_next_test() -> None:
    recorder = CallRecorder(per_test=2, per_function=100)
    wrapped = recorder.wrap("m:identity", identity)
    for test in range(3):
        recorder.begin_test()
        for i in range(5):
            wrapped(BASE + 10 * test + i)
        recorder.end_test()
    obs = recorder.observations()["m:identity"]
    assert [c.args[0] - BASE for c in obs.calls] == [0, 1, 10, 11, 20, 21]  # type: ignore[operator]
    assert obs.seen == 15


def test_records_at_most_per_function_calls_in_total() -> None:
    recorder = CallRecorder(per_test=4, per_function=5)
    wrapped = recorder.wrap("m:identity", identity)
    for test in range(4):
        recorder.begin_test()
        for i in range(4):
            wrapped(BASE + 10 * test + i)
        recorder.end_test()
    obs = recorder.observations()["m:identity"]
    assert [c.args[0] - BASE for c in obs.calls] == [0, 1, 2, 3, 10]  # type: ignore[operator]
    assert obs.seen == 16
    assert recorder.exhausted("m:identity")


def test_exhausted_is_false_under_the_budget() -> None:
    recorder = CallRecorder(per_test=4, per_function=5)
    wrapped = recorder.wrap("m:identity", identity)
    recorder.begin_test()
    wrapped(1)
    recorder.end_test()
    assert not recorder.exhausted("m:identity")
    assert not recorder.exhausted("m:never_wrapped")


def test_budgets_are_per_function() -> None:
    recorder = CallRecorder(per_test=1, per_function=10)
    first = recorder.wrap("m:identity", identity)
    second = recorder.wrap("m:cheap", cheap)
    recorder.begin_test()
    first(5)
    first(6)
    second(7)
    recorder.end_test()
    observations = recorder.observations()
    assert [c.args for c in observations["m:identity"].calls] == [(5,)]
    assert [c.args for c in observations["m:cheap"].calls] == [(7,)]


# --- CallRecorder: what is recorded -------------------------------------------------------


def test_the_real_arguments_are_used_and_the_record_keeps_snapshots() -> None:
    recorder = CallRecorder()
    wrapped = recorder.wrap("m:append_one", append_one)
    mine = [0]
    recorder.begin_test()
    result = wrapped(mine)
    recorder.end_test()
    assert result == 2
    assert mine == [0, 1]  # the caller's list was mutated, as without the wrapper
    (recorded,) = recorder.observations()["m:append_one"].calls
    assert recorded.args == ([0],)  # before the call
    assert recorded.outcome.args_after == ([0, 1],)  # after the call
    assert recorded.outcome.value == 2
    mine.append(99)
    assert recorded.args == ([0],)  # later changes do not reach the record
    assert recorded.outcome.args_after == ([0, 1],)


def test_keyword_arguments_are_recorded() -> None:
    recorder = CallRecorder()
    wrapped = recorder.wrap("m:scale", scale)
    recorder.begin_test()
    assert wrapped([1.0], 2.0, offset=0.5) == [2.5]
    recorder.end_test()
    (recorded,) = recorder.observations()["m:scale"].calls
    assert recorded.args == ([1.0], 2.0)
    assert dict(recorded.kwargs) == {"offset": 0.5}


def test_an_exception_is_reraised_and_recorded() -> None:
    recorder = CallRecorder()
    wrapped = recorder.wrap("m:divide", divide)
    recorder.begin_test()
    with pytest.raises(ZeroDivisionError):
        wrapped(1.0, 0.0)
    recorder.end_test()
    (recorded,) = recorder.observations()["m:divide"].calls
    assert recorded.args == (1.0, 0.0)
    assert recorded.outcome.exception is not None
    assert recorded.outcome.exception[0] == "ZeroDivisionError"


def test_calls_outside_a_test_are_not_recorded() -> None:
    recorder = CallRecorder()
    wrapped = recorder.wrap("m:append_one", append_one)
    before = [0]
    assert wrapped(before) == 2  # before begin_test
    recorder.begin_test()
    recorder.end_test()
    after = [0]
    assert wrapped(after) == 2  # after end_test
    assert before == after == [0, 1]
    obs = recorder.observations()["m:append_one"]
    assert obs.calls == ()
    assert obs.seen == 0


def test_the_wrapper_looks_like_the_function() -> None:
    recorder = CallRecorder()
    wrapped = recorder.wrap("m:divide", divide)
    assert wrapped.__name__ == "divide"
    assert wrapped.__wrapped__ is divide  # type: ignore[attr-defined]
    assert getattr(wrapped, "__rustify_recording__", False) is True


def test_an_unknown_target_has_empty_observations() -> None:
    obs = CallRecorder().observations()["m:nothing"]
    assert obs == FunctionObservations("m:nothing")


# --- CallRecorder: test times -------------------------------------------------------------


def test_end_test_with_a_key_records_test_times() -> None:
    recorder = CallRecorder()
    wrapped = recorder.wrap("m:cheap", cheap)
    recorder.begin_test()
    wrapped(1)
    recorder.end_test(TEST_A)
    times = recorder.observations().tests[TEST_A]
    assert times.total > 0
    assert 0 < times.functions["m:cheap"] <= times.total


def test_end_test_without_a_key_records_no_test_times() -> None:
    recorder = CallRecorder()
    wrapped = recorder.wrap("m:cheap", cheap)
    recorder.begin_test()
    wrapped(1)
    recorder.end_test()
    assert recorder.observations().tests == {}


def test_a_function_doing_more_work_has_the_larger_share() -> None:
    recorder = CallRecorder()
    slow = recorder.wrap("m:heavy", heavy)
    fast = recorder.wrap("m:cheap", cheap)
    recorder.begin_test()
    fast(1)
    slow(300_000)
    fast(2)
    recorder.end_test(TEST_A)
    times = recorder.observations().tests[TEST_A]
    assert times.share("m:heavy") > times.share("m:cheap")
    # heavy does nearly all the work of this test.
    assert times.share("m:heavy") > 50.0
    assert times.share("m:absent") == 0.0


def test_recursion_is_not_counted_twice() -> None:
    recorder = CallRecorder(per_test=4)
    box: dict[str, Callable[..., Any]] = {}

    def countdown(n: int) -> int:
        heavy(2_000)
        return 0 if n == 0 else 1 + box["f"](n - 1)

    box["f"] = recorder.wrap("m:countdown", countdown)
    recorder.begin_test()
    assert box["f"](60) == 60
    recorder.end_test(TEST_A)
    obs = recorder.observations()
    times = obs.tests[TEST_A]
    # Counting every nested activation would add up to many times the test's total.
    assert times.functions["m:countdown"] <= times.total
    assert times.share("m:countdown") <= 100.0
    assert obs["m:countdown"].seen == 61
    # The budget's four (60..57), and past it the first call of each smaller magnitude.
    recorded = sorted(c.args[0] for c in obs["m:countdown"].calls)  # type: ignore[type-var]
    assert recorded == [0, 1, 3, 7, 15, 31, 57, 58, 59, 60]


def test_test_times_accumulate_over_runs_of_one_key() -> None:
    recorder = CallRecorder()
    wrapped = recorder.wrap("m:heavy", heavy)
    recorder.begin_test()
    wrapped(10_000)
    recorder.end_test(TEST_A)
    first = recorder.observations().tests[TEST_A]
    recorder.begin_test()
    wrapped(10_000)
    recorder.end_test(TEST_A)
    recorder.begin_test()
    recorder.end_test(TEST_B)
    second = recorder.observations().tests
    assert second[TEST_A].total > first.total
    assert second[TEST_A].functions["m:heavy"] > first.functions["m:heavy"]
    assert "m:heavy" not in second[TEST_B].functions


def test_test_times_is_not_collected_by_pytest() -> None:
    assert getattr(Times, "__test__", True) is False


def test_share_of_an_empty_test_is_zero() -> None:
    assert Times(total=0, functions={"m:f": 10}).share("m:f") == 0.0
    assert Times(total=200, functions={"m:f": 50}).share("m:f") == 25.0


# --- Observations.merge --------------------------------------------------------------------


LIMITS = Limits(per_test=8, per_function=64)


def test_merge_combines_calls_and_test_times() -> None:
    c1, c2, c3 = call(1, result=1), call(2, result=2), call(3, result=3)
    left = Observations(
        {
            "m:f": FunctionObservations("m:f", (c1,), seen=5, items=(0,)),
            "m:only_left": FunctionObservations("m:only_left", (c3,), seen=1, items=(0,)),
        },
        {TEST_A: Times(100, {"m:f": 40}), TEST_B: Times(10, {"m:f": 1})},
    )
    right = Observations(
        {
            "m:f": FunctionObservations("m:f", (c2,), seen=7, unrecordable="a lock", items=(1,)),
            "m:only_right": FunctionObservations("m:only_right", (c3,), seen=2, items=(1,)),
        },
        {TEST_A: Times(300, {"m:f": 60, "m:g": 30})},
    )
    merged = left.merge(right, LIMITS)
    assert merged["m:f"].calls == (c1, c2)
    assert merged["m:f"].items == (0, 1)
    assert merged["m:f"].seen == 12
    assert merged["m:f"].unrecordable == "a lock"
    assert merged["m:only_left"].calls == (c3,)
    assert merged["m:only_right"].seen == 2
    assert merged.tests[TEST_A] == Times(400, {"m:f": 100, "m:g": 30})
    assert merged.tests[TEST_B] == Times(10, {"m:f": 1})
    assert merged.tests[TEST_A].share("m:f") == 25.0


def test_merge_puts_calls_back_in_collection_order() -> None:
    calls = [call(i, result=i) for i in range(4)]
    # One worker ran items 0 and 3, the other items 1 and 2.
    left = Observations({"m:f": FunctionObservations("m:f", (calls[0], calls[3]), items=(0, 3))})
    right = Observations({"m:f": FunctionObservations("m:f", (calls[1], calls[2]), items=(1, 2))})
    assert left.merge(right, LIMITS)["m:f"].calls == tuple(calls)
    assert right.merge(left, LIMITS)["m:f"].calls == tuple(calls)


def test_merge_applies_the_budget_once_over_the_union() -> None:
    # Each worker kept 3 alike calls of its item; one process keeps 2 per item in all.
    limits = Limits(per_test=8, per_function=64, per_shape=2)
    left = Observations(
        {"m:f": FunctionObservations("m:f", tuple(call(i) for i in (4, 5, 6)), items=(0, 0, 0))}
    )
    right = Observations(
        {"m:f": FunctionObservations("m:f", tuple(call(i) for i in (5, 6, 7)), items=(1, 1, 1))}
    )
    merged = left.merge(right, limits)["m:f"]
    assert [c.args[0] for c in merged.calls] == [4, 5, 5, 6]


def test_merge_leaves_both_inputs_alone() -> None:
    left = Observations({}, {TEST_A: Times(100, {"m:f": 40})})
    right = Observations({}, {TEST_A: Times(100, {"m:f": 40})})
    left.merge(right, LIMITS)
    assert left.tests[TEST_A] == Times(100, {"m:f": 40})
    assert right.tests[TEST_A] == Times(100, {"m:f": 40})


# An item's calls: the arguments of each call to m:f (ints of a few magnitudes, lists, a
# string: calls of several shapes, and many alike ones).
ITEM = st.lists(
    st.one_of(
        st.integers(-1000, 1000),
        st.lists(st.floats(allow_nan=False), max_size=5),
        st.just("text"),
    ),
    max_size=12,
)


def _record(
    items: list[tuple[int, list[object]]], per_test: int, per_function: int, per_shape: int
) -> Observations:
    recorder = CallRecorder(per_test=per_test, per_function=per_function, per_shape=per_shape)
    wrapped = recorder.wrap("m:f", identity)
    for index, args in items:
        recorder.begin_test(index)
        for a in args:
            wrapped(a)
        recorder.end_test((f"t{index}.py", "test"))
    return recorder.observations()


@given(
    items=st.lists(ITEM, max_size=10),
    owners=st.lists(st.integers(0, 2), min_size=10, max_size=10),
    per_test=st.integers(1, 6),
    per_function=st.integers(1, 12),
    per_shape=st.integers(1, 3),
)
def test_workers_merged_record_what_one_process_records(
    items: list[list[object]], owners: list[int], per_test: int, per_function: int, per_shape: int
) -> None:
    """The xdist contract: items split over workers (each running its share in collection
    order), merged, give the calls one process running them all keeps, in its order."""
    indexed = list(enumerate(items))
    one = _record(indexed, per_test, per_function, per_shape)
    parts = [
        _record([(i, a) for i, a in indexed if owners[i] == w], per_test, per_function, per_shape)
        for w in range(3)
    ]
    merged = parts[0]
    for part in parts[1:]:
        merged = merged.merge(part, Limits(per_test, per_function, per_shape))
    assert [c.args for c in merged["m:f"].calls] == [c.args for c in one["m:f"].calls]
    assert merged["m:f"].items == one["m:f"].items
    assert merged["m:f"].seen == one["m:f"].seen
    assert set(merged.tests) == set(one.tests)


# --- type_evidence --------------------------------------------------------------------------


def test_evidence_gives_parameter_and_return_types() -> None:
    evidence = type_evidence(divide, [call(1.0, 2.0, result=0.5), call(3.0, 4.0, result=0.75)])
    assert evidence == TypeEvidence(params={"a": FLOAT, "b": FLOAT}, ret=FLOAT)


def test_evidence_of_no_calls_is_empty() -> None:
    assert type_evidence(divide, []) == TypeEvidence(params={}, ret=None)


def test_an_empty_list_joins_with_a_list_of_floats() -> None:
    evidence = type_evidence(identity, [call([], result=[]), call([1.0], result=[1.0])])
    assert evidence == TypeEvidence(params={"x": ListT(FLOAT)}, ret=ListT(FLOAT))


def test_the_join_does_not_depend_on_the_order_of_calls() -> None:
    evidence = type_evidence(identity, [call([1.0], result=[1.0]), call([], result=[])])
    assert evidence == TypeEvidence(params={"x": ListT(FLOAT)}, ret=ListT(FLOAT))


def test_nested_and_scalar_types() -> None:
    evidence = type_evidence(
        identity, [call((1, True), result=None), call((2, False), result=None)]
    )
    assert evidence == TypeEvidence(params={"x": TupleT((INT, BOOL))}, ret=NONE)


def test_int_and_float_for_one_parameter_conflict() -> None:
    evidence = type_evidence(identity, [call(1, result=1), call(1.0, result=1.0)])
    assert isinstance(evidence, str)
    assert "`x`" in evidence
    assert "int" in evidence and "float" in evidence


def test_list_of_int_and_list_of_float_conflict() -> None:
    evidence = type_evidence(append_one, [call([1], result=2), call([1.0], result=2)])
    assert isinstance(evidence, str)
    assert "`xs`" in evidence
    assert "list[int]" in evidence and "list[float]" in evidence


def test_conflicting_return_types_are_reported() -> None:
    evidence = type_evidence(identity, [call([1], result=1), call([2], result=2.0)])
    assert isinstance(evidence, str)
    assert "returned" in evidence
    assert "int" in evidence and "float" in evidence


def test_a_frozenset_argument_is_unsupported() -> None:
    evidence = type_evidence(append_one, [call(frozenset({1, 2}), result=3)])
    assert isinstance(evidence, str)
    assert "`xs`" in evidence
    assert "frozenset" in evidence
    assert "not supported" in evidence


def test_a_set_of_floats_is_unsupported() -> None:
    # 1 == 1.0 hash alike in Python: sets of floats are not translated.
    evidence = type_evidence(append_one, [call({1.5}, result=3)])
    assert isinstance(evidence, str)
    assert "`xs`" in evidence and "set" in evidence


def test_a_set_argument_is_typed() -> None:
    evidence = type_evidence(identity, [call({1, 2}, result={1, 2}), call(set(), result=set())])
    assert evidence == TypeEvidence(params={"x": SetT(INT)}, ret=SetT(INT))


class Point:
    pass


def test_an_object_argument_is_unsupported_and_named_with_its_module() -> None:
    evidence = type_evidence(identity, [call(Point(), result=None)])
    assert isinstance(evidence, str)
    assert "`x`" in evidence
    assert f"{__name__}.Point" in evidence


def test_an_unsupported_return_value_is_reported() -> None:
    evidence = type_evidence(identity, [call(1, result=frozenset({1}))])
    assert isinstance(evidence, str)
    assert "returned a frozenset" in evidence


def test_keyword_arguments_are_typed_by_parameter_name() -> None:
    evidence = type_evidence(scale, [call([1.0], factor=2.0, offset=0.5, result=[2.5])])
    assert evidence == TypeEvidence(
        params={"xs": ListT(FLOAT), "factor": FLOAT, "offset": FLOAT}, ret=ListT(FLOAT)
    )


def test_a_parameter_left_to_its_default_is_not_observed() -> None:
    evidence = type_evidence(scale, [call([1.0], result=[1.0])])
    assert isinstance(evidence, TypeEvidence)
    assert evidence.params == {"xs": ListT(FLOAT)}


def test_positional_and_keyword_passing_join() -> None:
    evidence = type_evidence(
        scale, [call([1.0], 2.0, result=[2.0]), call(xs=[], factor=3.0, result=[])]
    )
    assert isinstance(evidence, TypeEvidence)
    assert evidence.params == {"xs": ListT(FLOAT), "factor": FLOAT}


def test_a_call_that_raised_gives_no_return_type() -> None:
    evidence = type_evidence(divide, [raised(1.0, 0.0, exception=("ZeroDivisionError", "x"))])
    assert evidence == TypeEvidence(params={"a": FLOAT, "b": FLOAT}, ret=None)


def test_a_call_python_rejected_is_skipped() -> None:
    rejected = raised(1.0, exception=("TypeError", "missing b"))
    evidence = type_evidence(divide, [rejected, call(1.0, 2.0, result=0.5)])
    assert evidence == TypeEvidence(params={"a": FLOAT, "b": FLOAT}, ret=FLOAT)


def test_evidence_from_recorded_calls() -> None:
    recorder = CallRecorder()
    wrapped = recorder.wrap("m:append_one", append_one)
    recorder.begin_test()
    wrapped([])
    wrapped([5])
    recorder.end_test()
    calls = recorder.observations()["m:append_one"].calls
    assert type_evidence(append_one, calls) == TypeEvidence(params={"xs": ListT(INT)}, ret=INT)


def test_a_function_without_a_signature_gives_a_sentence() -> None:
    # max has two call forms, so no single signature can be read.
    evidence = type_evidence(max, [call(1, 2, result=2)])
    assert evidence == "the function's signature cannot be read"


def test_collector_pauses_count_in_neither_side_of_a_share() -> None:
    """A full collection during a test lands in that test's window; it is left out of the
    test's total and out of the function's time, so shares do not depend on when the
    collector happens to run."""
    import gc
    import time

    paused = [0, 0]  # ns in pauses measured here, start of the current one

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            paused[1] = time.perf_counter_ns()
        else:
            paused[0] += time.perf_counter_ns() - paused[1]

    heap = [[i] for i in range(200_000)]  # enough tracked objects for a slow full pass
    recorder = CallRecorder()
    wrapped = recorder.wrap("m:collect", lambda: gc.collect())
    gc.callbacks.append(watch)
    try:
        t0 = time.perf_counter_ns()
        recorder.begin_test()
        wrapped()
        gc.collect()
        recorder.end_test(("t.py", "test_x"))
        wall = time.perf_counter_ns() - t0
    finally:
        gc.callbacks.remove(watch)
    times = recorder.observations().tests[("t.py", "test_x")]
    assert paused[0] > 0 and len(heap) == 200_000
    # What is left is the test without the two pauses (the callbacks' own cost aside).
    assert times.total <= wall - paused[0] * 0.9
    assert times.functions["m:collect"] <= times.total
    assert not any(getattr(cb, "__self__", None) is recorder for cb in gc.callbacks)
