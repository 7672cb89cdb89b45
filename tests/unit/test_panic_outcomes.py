"""A Rust panic reaches Python as ``pyo3_runtime.PanicException``, a ``BaseException``
that ``except Exception`` does not catch. Replay and measurement treat it as the call's
(wrong) answer, never as a reason to stop the session; a real interrupt still stops."""

from __future__ import annotations

import pytest

from pytest_rustify.calls import Outcome, RecordedCall, is_outcome
from pytest_rustify.compare import compare_calls
from pytest_rustify.measure import measure_speedup
from pytest_rustify.scaling import measure_scaling

# The shape PyO3 gives it: a BaseException subclass in the module pyo3_runtime.
PanicException = type("PanicException", (BaseException,), {"__module__": "pyo3_runtime"})


def python_sum(xs: list[float]) -> float:
    return sum(xs)


def panicking_sum(xs: list[float]) -> float:
    raise PanicException("index out of bounds: the len is 3 but the index is 3")


def interrupted_sum(xs: list[float]) -> float:
    raise KeyboardInterrupt


CALLS = [RecordedCall(args=([1.0, 2.0, 3.0],), kwargs={}, outcome=Outcome(value=6.0))]


def test_a_panic_is_an_outcome_and_an_interrupt_is_not() -> None:
    assert is_outcome(PanicException("boom"))
    assert is_outcome(ValueError("x"))
    assert not is_outcome(KeyboardInterrupt())
    assert not is_outcome(SystemExit(1))


def test_replay_reports_the_panic_as_a_mismatch_naming_the_call() -> None:
    result = compare_calls("pkg.mod:python_sum", CALLS, panicking_sum, fallback_count=lambda: 0)
    assert not result.passed and result.mismatches == 1
    (first,) = result.first_mismatches
    assert first.call == "python_sum([1.0, 2.0, 3.0])"
    assert "pyo3_runtime.PanicException" in first.detail
    assert "index out of bounds: the len is 3 but the index is 3" in first.detail


def test_measurement_times_a_panicking_candidate_instead_of_stopping() -> None:
    speedup = measure_speedup(CALLS, python_sum, panicking_sum, rounds=3, budget_s=0.2)
    assert speedup.rounds >= 1 and speedup.median > 0


def test_scaling_survives_a_panicking_candidate() -> None:
    long = [RecordedCall(args=([1.0] * 64,), kwargs={}, outcome=Outcome(value=64.0))]
    points = measure_scaling(long, python_sum, panicking_sum, budget_s=0.2, copy_args=False)
    assert points and all(p.speedup.median > 0 for p in points)


def test_an_interrupt_still_stops_the_measurement() -> None:
    with pytest.raises(KeyboardInterrupt):
        measure_speedup(CALLS, python_sum, interrupted_sum, rounds=3, budget_s=0.2)
