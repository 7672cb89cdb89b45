"""Speedup measurement: interleaved rounds, argument copies, and the bootstrap interval.

No wall-clock limit is asserted; only relations that hold on any machine (a function doing
a hundred times the work is slower) and properties of the numbers returned.
"""

from __future__ import annotations

import gc
import math
import statistics
from collections.abc import Callable

import pytest

from pytest_rustify.calls import Outcome, RecordedCall
from pytest_rustify.measure import Speedup, bootstrap_interval, measure_speedup

# Small rounds keep the suite quick; the defaults are for real measurements.
TARGET_NS = 200_000
BUDGET_S = 0.5


def work(n: int, steps: int) -> int:
    acc = 0
    for i in range(steps):
        acc += i * n
    return acc


def heavy(n: int) -> int:
    return work(n, 2000)


def light(n: int) -> int:
    return work(n, 20)


def calls_of(*args_list: tuple[object, ...]) -> list[RecordedCall]:
    return [RecordedCall(args=args, kwargs={}, outcome=Outcome()) for args in args_list]


def assert_well_formed(speedup: Speedup) -> None:
    numbers = (speedup.median, speedup.ci_low, speedup.ci_high, speedup.python_ns, speedup.rust_ns)
    assert all(math.isfinite(x) and x > 0 for x in numbers), speedup
    assert speedup.ci_low <= speedup.median <= speedup.ci_high


def test_less_work_is_measured_as_a_speedup() -> None:
    speedup = measure_speedup(
        calls_of((1,), (2,), (3,)),
        heavy,
        light,
        copy_args=False,
        target_round_ns=TARGET_NS,
        budget_s=BUDGET_S,
    )
    assert_well_formed(speedup)
    assert speedup.median > 1.0
    assert speedup.python_ns > speedup.rust_ns
    assert 5 <= speedup.rounds <= 21


def test_every_round_keeps_its_per_call_times() -> None:
    speedup = measure_speedup(
        calls_of((1,), (2,)), heavy, light, rounds=7, target_round_ns=TARGET_NS, budget_s=60.0
    )
    assert len(speedup.python_rounds_ns) == len(speedup.rust_rounds_ns) == speedup.rounds == 7
    assert all(
        math.isfinite(x) and x > 0 for x in speedup.python_rounds_ns + speedup.rust_rounds_ns
    )
    # The summary numbers are the medians of the per-round ones ...
    assert speedup.python_ns == statistics.median(speedup.python_rounds_ns)
    assert speedup.rust_ns == statistics.median(speedup.rust_rounds_ns)
    # ... and the median ratio is the median of the per-round ratios, pairing round i with i.
    ratios = [p / r for p, r in zip(speedup.python_rounds_ns, speedup.rust_rounds_ns, strict=True)]
    assert speedup.median == statistics.median(ratios)


def test_more_work_is_measured_as_a_slowdown() -> None:
    speedup = measure_speedup(
        calls_of((1,), (2,)), light, heavy, target_round_ns=TARGET_NS, budget_s=BUDGET_S
    )
    assert_well_formed(speedup)
    assert speedup.median < 1.0


def test_an_exhausted_budget_still_gives_five_rounds() -> None:
    speedup = measure_speedup(calls_of((1,)), heavy, light, budget_s=0.0, target_round_ns=50_000)
    assert speedup.rounds == 5


def test_fewer_rounds_than_five_when_asked() -> None:
    speedup = measure_speedup(
        calls_of((1,)), heavy, light, rounds=3, target_round_ns=TARGET_NS, budget_s=BUDGET_S
    )
    assert speedup.rounds == 3


def test_rounds_stop_at_the_number_asked_for() -> None:
    speedup = measure_speedup(calls_of((1,)), light, light, rounds=7, budget_s=60.0)
    assert speedup.rounds == 7


def test_no_calls_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one recorded call"):
        measure_speedup([], heavy, light)


def test_copy_args_gives_every_call_fresh_arguments() -> None:
    seen: list[int] = []

    def grow(xs: list[int]) -> None:
        seen.append(len(xs))
        xs.append(0)

    calls = calls_of(([1, 2, 3],))
    measure_speedup(calls, grow, grow, copy_args=True, target_round_ns=TARGET_NS, budget_s=BUDGET_S)
    assert len(seen) > 10
    assert set(seen) == {3}
    assert calls[0].args == ([1, 2, 3],), "the recorded call must not be touched"


def test_without_copy_args_the_recorded_call_is_still_untouched() -> None:
    seen: list[int] = []

    def grow(xs: list[int]) -> None:
        seen.append(len(xs))
        xs.append(0)

    calls = calls_of(([1, 2, 3],))
    measure_speedup(
        calls, grow, grow, copy_args=False, target_round_ns=TARGET_NS, budget_s=BUDGET_S
    )
    assert max(seen) > 3, "one private copy per side, reused across loops"
    assert calls[0].args == ([1, 2, 3],)


def test_kwargs_reach_the_function() -> None:
    seen: list[str] = []

    def tagged(n: int, *, tag: str) -> int:
        seen.append(tag)
        return n

    calls = [RecordedCall(args=(1,), kwargs={"tag": "t"}, outcome=Outcome(value=1))]
    measure_speedup(calls, tagged, tagged, rounds=5, target_round_ns=TARGET_NS, budget_s=BUDGET_S)
    assert set(seen) == {"t"}


def test_calls_that_raise_are_timed_too() -> None:
    def fails(n: int) -> int:
        raise ValueError(n)

    def heavy_then_fails(n: int) -> int:
        heavy(n)
        raise ValueError(n)

    speedup = measure_speedup(
        calls_of((1,), (2,)), heavy_then_fails, fails, target_round_ns=TARGET_NS, budget_s=BUDGET_S
    )
    assert_well_formed(speedup)
    assert speedup.median > 1.0


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_state_is_restored(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        if enabled:
            gc.enable()
        else:
            gc.disable()
        measure_speedup(
            calls_of((1,)), light, light, rounds=5, target_round_ns=TARGET_NS, budget_s=BUDGET_S
        )
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def test_the_garbage_collector_is_off_while_timing() -> None:
    states: list[bool] = []

    def probe(n: int) -> int:
        states.append(gc.isenabled())
        return n

    was = gc.isenabled()
    gc.enable()
    try:
        measure_speedup(
            calls_of((1,)), probe, probe, rounds=5, target_round_ns=TARGET_NS, budget_s=BUDGET_S
        )
    finally:
        if not was:
            gc.disable()
    assert states and not any(states)


# --- bootstrap_interval ------------------------------------------------------------------


SAMPLE = [9.1, 10.4, 9.8, 10.0, 11.2, 9.5, 10.1, 12.0, 9.9, 10.3, 8.7]


def test_bootstrap_interval_contains_the_median() -> None:
    low, high = bootstrap_interval(SAMPLE)
    assert low <= statistics.median(SAMPLE) <= high
    assert low < high
    assert min(SAMPLE) <= low and high <= max(SAMPLE)


def test_bootstrap_interval_is_deterministic_for_a_seed() -> None:
    assert bootstrap_interval(SAMPLE, seed=7) == bootstrap_interval(SAMPLE, seed=7)


def test_bootstrap_interval_is_a_point_for_constant_input() -> None:
    assert bootstrap_interval([3.5] * 15) == (3.5, 3.5)
    assert bootstrap_interval([2.0]) == (2.0, 2.0)


def test_bootstrap_interval_widens_with_confidence() -> None:
    narrow = bootstrap_interval(SAMPLE, confidence=0.5)
    wide = bootstrap_interval(SAMPLE, confidence=0.99)
    assert wide[0] <= narrow[0] and narrow[1] <= wide[1]
    assert wide[1] - wide[0] > narrow[1] - narrow[0]


def test_bootstrap_interval_contains_the_median_of_a_lopsided_sample() -> None:
    lopsided = [1.0, 1.0, 1.0, 1.0, 100.0, 100.0, 100.0]
    for seed in range(20):
        low, high = bootstrap_interval(lopsided, seed=seed, resamples=50)
        assert low <= statistics.median(lopsided) <= high


@pytest.mark.parametrize(
    "bad_call",
    [
        lambda: bootstrap_interval([]),
        lambda: bootstrap_interval([1.0], confidence=1.0),
        lambda: bootstrap_interval([1.0], confidence=0.0),
        lambda: bootstrap_interval([1.0], resamples=0),
    ],
)
def test_bootstrap_interval_refuses_bad_input(bad_call: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        bad_call()
