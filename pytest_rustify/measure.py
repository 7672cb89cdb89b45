"""Speedup: time the Python original and the Rust build on the recorded calls.

Input: the ``RecordedCall``s of one target and the two callables. Output: a
``Speedup``, the median over interleaved A/B rounds of (Python time / Rust time), with
a bootstrap confidence interval of that median::

    measure_speedup(calls, python_mean, rust_mean)
    == Speedup(median=38.2, ci_low=36.0, ci_high=40.1, python_ns=55800.0,
               rust_ns=1460.0, rounds=21, python_rounds_ns=(...), rust_rounds_ns=(...))

Each implementation gets its own loop count, calibrated so that one timing of the whole
batch of calls lasts about ``target_round_ns``. Every round times both, alternating
which goes first (A B, B A, ...) so that drift in the machine's speed falls on both
sides alike. The garbage collector is off while a timer runs, and argument copies for
functions that mutate their arguments are made before the timer starts.
"""

from __future__ import annotations

import copy
import gc
import math
import pickle
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pytest_rustify.calls import RecordedCall, is_outcome

# Fewer rounds than this say little about a median, whatever the budget.
_MIN_ROUNDS = 5
# Calibration stops when the loop count is within this factor of the estimate.
_CALIBRATION_SLACK = 1.25
_CALIBRATION_STEPS = 4
_MAX_LOOPS = 10_000_000
# With copy_args, copying one round's arguments may take at most this many round targets;
# a fast function then gets fewer loops (a shorter but still well-resolved timing).
_COPY_ALLOWANCE = 10

_Args = tuple[tuple[Any, ...], dict[str, Any]]


@dataclass(frozen=True)
class Speedup:
    """How much faster the candidate is: the median ratio over rounds and its interval.

    ``python_ns`` and ``rust_ns`` are median per-call times over the rounds;
    ``python_rounds_ns`` and ``rust_rounds_ns`` hold the per-call time of every round, in
    round order (``rounds`` values each), for reporters that compute their own statistics.
    """

    median: float
    ci_low: float
    ci_high: float
    python_ns: float
    rust_ns: float
    rounds: int
    python_rounds_ns: tuple[float, ...] = ()
    rust_rounds_ns: tuple[float, ...] = ()


def measure_speedup(
    calls: Sequence[RecordedCall],
    baseline: Callable[..., object],
    candidate: Callable[..., object],
    *,
    rounds: int = 21,
    target_round_ns: int = 2_000_000,
    budget_s: float = 3.0,
    copy_args: bool = True,
    confidence: float = 0.95,
    seed: int = 0,
) -> Speedup:
    """Time ``baseline`` (Python) against ``candidate`` (Rust) on the recorded calls.

    :param rounds: how many A/B rounds at most; fewer when ``budget_s`` runs out, but
        never fewer than 5 (or ``rounds``, when that is smaller).
    :param target_round_ns: how long one timing of the whole batch should last.
    :param budget_s: wall-clock seconds after which no new round starts; calibration
        counts against it.
    :param copy_args: give every call fresh deep copies of its arguments (needed when
        the function mutates them); the copying is never timed. Without it, each side
        works on one private copy, reused for every loop, so the recorded calls are
        never touched either way.
    :raises ValueError: on an empty ``calls`` or an out-of-range parameter.
    """
    if not calls:
        raise ValueError("measure_speedup needs at least one recorded call")
    if rounds < 1:
        raise ValueError(f"rounds must be >= 1, got {rounds}")
    if target_round_ns < 1:
        raise ValueError(f"target_round_ns must be >= 1, got {target_round_ns}")
    deadline = time.perf_counter_ns() + int(budget_s * 1e9)
    sides = [
        _Side(fn, _ArgumentSource(calls, copy_args, target_round_ns))
        for fn in (baseline, candidate)
    ]
    for side in sides:
        side.calibrate(target_round_ns)
    min_rounds = min(rounds, _MIN_ROUNDS)
    ratios: list[float] = []
    python_ns: list[float] = []
    rust_ns: list[float] = []
    for index in range(rounds):
        if index >= min_rounds and time.perf_counter_ns() >= deadline:
            break
        order = sides if index % 2 == 0 else sides[::-1]
        per_call = {id(side): side.time_round() for side in order}
        python, rust = per_call[id(sides[0])], per_call[id(sides[1])]
        python_ns.append(python)
        rust_ns.append(rust)
        ratios.append(python / rust)
    low, high = bootstrap_interval(ratios, confidence=confidence, seed=seed)
    return Speedup(
        median=statistics.median(ratios),
        ci_low=low,
        ci_high=high,
        python_ns=statistics.median(python_ns),
        rust_ns=statistics.median(rust_ns),
        rounds=len(ratios),
        python_rounds_ns=tuple(python_ns),
        rust_rounds_ns=tuple(rust_ns),
    )


def bootstrap_interval(
    values: Sequence[float],
    *,
    confidence: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of the median of ``values``; the same for the same seed.

    The interval always contains the sample median itself (a percentile interval can
    miss it on tiny or lopsided samples; it is widened to include it).
    """
    if not values:
        raise ValueError("bootstrap_interval needs at least one value")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    if resamples < 1:
        raise ValueError(f"resamples must be >= 1, got {resamples}")
    data = list(values)
    center = statistics.median(data)
    rng = random.Random(seed)
    medians = sorted(statistics.median(rng.choices(data, k=len(data))) for _ in range(resamples))
    tail = (1.0 - confidence) / 2.0
    low = medians[min(resamples - 1, math.floor(tail * resamples))]
    high = medians[max(0, math.ceil((1.0 - tail) * resamples) - 1)]
    return min(low, center), max(high, center)


class _ArgumentSource:
    """The arguments of one batch of calls, as fresh copies or as one private copy."""

    def __init__(self, calls: Sequence[RecordedCall], copy_args: bool, target_ns: int) -> None:
        self.copy_args = copy_args
        self._makers = [_copier((tuple(c.args), dict(c.kwargs))) for c in calls]
        started = time.perf_counter_ns()
        self._shared = [make() for make in self._makers]
        copy_ns = max(1, time.perf_counter_ns() - started)
        self.max_loops = max(1, _COPY_ALLOWANCE * target_ns // copy_ns) if copy_args else _MAX_LOOPS

    @property
    def size(self) -> int:
        return len(self._makers)

    def batches(self, loops: int) -> list[list[_Args]]:
        if not self.copy_args:
            return [self._shared] * loops
        return [[make() for make in self._makers] for _ in range(loops)]


class _Side:
    """One implementation under test and its calibrated loop count."""

    def __init__(self, fn: Callable[..., object], source: _ArgumentSource) -> None:
        self.fn = fn
        self.source = source
        self.loops = 1
        self.calls = source.size

    def calibrate(self, target_ns: int) -> None:
        self._time(1)  # warm-up: first calls pay for imports, caches, lazy init
        loops = 1
        for _ in range(_CALIBRATION_STEPS):
            elapsed = self._time(loops)
            wanted = max(1, min(self.source.max_loops, round(loops * target_ns / elapsed)))
            if wanted / _CALIBRATION_SLACK <= loops <= wanted * _CALIBRATION_SLACK:
                break
            loops = wanted
        self.loops = loops

    def time_round(self) -> float:
        """Time one round; returns nanoseconds per call."""
        return self._time(self.loops) / (self.loops * self.calls)

    def _time(self, loops: int) -> int:
        batches = self.source.batches(loops)
        fn = self.fn
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            started = time.perf_counter_ns()
            for batch in batches:
                for args, kwargs in batch:
                    try:
                        fn(*args, **kwargs)
                    except BaseException as exc:
                        # Raising calls are timed too, the same way on both sides; a Rust
                        # panic (PyO3's PanicException is a BaseException) is one of them.
                        if not is_outcome(exc):
                            raise
            elapsed = time.perf_counter_ns() - started
        finally:
            if gc_was_enabled:
                gc.enable()
        # A clock coarser than the batch must not give a zero (and an infinite ratio).
        return max(1, elapsed)


def _copier(arguments: _Args) -> Callable[[], _Args]:
    """A maker of fresh deep copies of ``arguments``: unpickling when that round-trips
    (much faster than ``copy.deepcopy`` for plain data), ``copy.deepcopy`` otherwise."""
    try:
        blob = pickle.dumps(arguments, protocol=pickle.HIGHEST_PROTOCOL)
        restored = pickle.loads(blob)
        if type(restored) is not tuple or len(restored) != 2:
            raise pickle.PicklingError("arguments did not survive pickling")
    except Exception:
        return lambda: copy.deepcopy(arguments)
    return lambda: pickle.loads(blob)
