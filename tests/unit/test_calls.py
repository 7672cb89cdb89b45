"""Recording and running calls: snapshots, outcomes, and the caller's objects left alone."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Iterator

import pytest

from pytest_rustify.calls import (
    FrozenKwargs,
    NotRecordable,
    Outcome,
    RecordedCall,
    record_call,
    run_call,
    snapshot,
)


class CustomError(Exception):
    pass


def append_one(xs: list[int], *, tag: str = "") -> int:
    xs.append(1)
    return len(xs)


def divide(a: float, b: float) -> float:
    return a / b


def numbers() -> Iterator[int]:
    yield 1


# --- snapshot ---------------------------------------------------------------------------


def test_snapshot_is_a_deep_copy() -> None:
    inner = [2, 3]
    original = {"xs": [1, inner]}
    copied = snapshot(original)
    inner.append(4)
    assert copied == {"xs": [1, [2, 3]]}


def test_snapshot_of_a_generator_is_not_recordable() -> None:
    with pytest.raises(NotRecordable, match="generator"):
        snapshot([numbers()])


def test_snapshot_of_a_lock_is_not_recordable() -> None:
    with pytest.raises(NotRecordable, match="lock"):
        snapshot({"lock": threading.Lock()})


# --- run_call ----------------------------------------------------------------------------


def test_run_call_records_result_and_mutated_copies() -> None:
    xs = [0]
    outcome = run_call(append_one, (xs,), {"tag": "t"})
    assert outcome == Outcome(value=2, args_after=([0, 1],), kwargs_after={"tag": "t"})
    assert xs == [0], "the caller's list must not be touched"


def test_run_call_records_a_builtin_exception_by_bare_name() -> None:
    outcome = run_call(divide, (1.0, 0.0), {})
    assert outcome.exception == ("ZeroDivisionError", "float division by zero")
    assert outcome.raised
    assert outcome.value is None


def test_run_call_records_other_exceptions_with_their_module() -> None:
    def boom() -> None:
        raise CustomError("bad input")

    name, message = run_call(boom, (), {}).exception or ("", "")
    assert name == f"{CustomError.__module__}.CustomError"
    assert "." in name
    assert message == "bad input"


def test_run_call_lets_keyboard_interrupt_through() -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_call(interrupted, (), {})


def test_run_call_records_a_pyo3_panic_as_an_exception() -> None:
    # The shape of pyo3_runtime.PanicException: a BaseException, so not caught by
    # `except Exception`, yet a Rust panic is an answer to report, not a crash.
    panic = type("PanicException", (BaseException,), {"__module__": "pyo3_runtime"})

    def panics() -> None:
        raise panic("index out of bounds")

    outcome = run_call(panics, (), {})
    assert outcome.exception == ("pyo3_runtime.PanicException", "index out of bounds")


def test_run_call_keeps_aliasing_between_arguments() -> None:
    shared = [0]

    def append_to_first(a: list[int], b: list[int]) -> None:
        a.append(1)

    outcome = run_call(append_to_first, (shared, shared), {})
    assert outcome.args_after == ([0, 1], [0, 1])


def test_run_call_of_unrecordable_arguments_raises() -> None:
    with pytest.raises(NotRecordable):
        run_call(len, (numbers(),), {})


# --- record_call -------------------------------------------------------------------------


def test_record_call_runs_on_the_real_arguments_and_records_before_and_after() -> None:
    xs = [0]
    records: list[RecordedCall] = []
    result = record_call(append_one, (xs,), {"tag": "t"}, records.append)
    assert result == 2
    assert xs == [0, 1], "the program must see its own list mutated"
    assert records == [
        RecordedCall(
            args=([0],),
            kwargs={"tag": "t"},
            outcome=Outcome(value=2, args_after=([0, 1],), kwargs_after={"tag": "t"}),
        )
    ]


def test_record_call_snapshots_are_independent_of_later_mutation() -> None:
    xs = [0]
    records: list[RecordedCall] = []
    record_call(append_one, (xs,), {}, records.append)
    xs.append(99)
    assert records[0].args == ([0],)
    assert records[0].outcome.args_after == ([0, 1],)


def test_record_call_returns_the_very_object_the_function_returned() -> None:
    made: list[object] = []

    def make() -> list[int]:
        made.append([1, 2])
        return made[-1]  # type: ignore[return-value]

    records: list[RecordedCall] = []
    result = record_call(make, (), {}, records.append)
    assert result is made[0]
    assert records[0].outcome.value == [1, 2]
    assert records[0].outcome.value is not made[0]


def test_record_call_reraises_the_real_exception_after_recording_it() -> None:
    error = CustomError("no")

    def fails(xs: list[int]) -> None:
        xs.append(5)
        raise error

    xs: list[int] = []
    records: list[RecordedCall] = []
    with pytest.raises(CustomError) as info:
        record_call(fails, (xs,), {}, records.append)
    assert info.value is error
    assert xs == [5]
    assert records[0].outcome.exception == (f"{CustomError.__module__}.CustomError", "no")
    assert records[0].outcome.args_after == ([5],)
    assert records[0].args == ([],)


def test_record_call_with_unrecordable_arguments_still_runs_the_function() -> None:
    records: list[RecordedCall] = []
    reasons: list[NotRecordable] = []
    gen = numbers()
    result = record_call(list, (gen,), {}, records.append, unrecordable=reasons.append)
    assert result == [1]
    assert records == []
    assert len(reasons) == 1
    assert "generator" in str(reasons[0])


def test_record_call_with_an_unrecordable_result_returns_it_unrecorded() -> None:
    records: list[RecordedCall] = []
    reasons: list[NotRecordable] = []
    result = record_call(numbers, (), {}, records.append, unrecordable=reasons.append)
    assert list(result) == [1]  # type: ignore[call-overload]
    assert records == []
    assert len(reasons) == 1


def test_record_call_does_not_record_keyboard_interrupt() -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    records: list[RecordedCall] = []
    with pytest.raises(KeyboardInterrupt):
        record_call(interrupted, (), {}, records.append)
    assert records == []


# --- the data ------------------------------------------------------------------------------


def test_recorded_call_freezes_its_containers() -> None:
    call = RecordedCall(args=[1, 2], kwargs={"k": 3}, outcome=Outcome(kwargs_after={"k": 3}))  # type: ignore[arg-type]
    assert call.args == (1, 2)
    assert type(call.kwargs) is FrozenKwargs
    assert type(call.outcome.kwargs_after) is FrozenKwargs
    assert call.kwargs == {"k": 3}
    with pytest.raises(TypeError):
        call.kwargs["k"] = 4  # type: ignore[index]


def test_recorded_call_survives_pickling() -> None:
    # Recorded calls travel between xdist workers.
    call = RecordedCall(
        args=([1.5, 2.5],),
        kwargs={"scale": 2},
        outcome=Outcome(value=8.0, args_after=([1.5, 2.5],), kwargs_after={"scale": 2}),
    )
    assert pickle.loads(pickle.dumps(call)) == call


def test_frozen_kwargs_keeps_order_and_reads_like_a_dict() -> None:
    kwargs = FrozenKwargs({"b": 1, "a": 2})
    assert list(kwargs) == ["b", "a"]
    assert dict(kwargs) == {"b": 1, "a": 2}
    assert len(kwargs) == 2
    assert "FrozenKwargs" in repr(kwargs)
    assert snapshot(kwargs) == kwargs
