"""Scaling: the speedup at a few input sizes, to show where call overhead wins.

Input: a target's recorded calls and both implementations. Output: ``ScalePoint``s,
the speedup at each size, smallest first::

    scale_calls(calls)                 # the largest call, cut to 1/64, 1/16, 1/4 and all
    # -> [(16, RecordedCall(...)), (62, ...), (250, ...), (1000, ...)]
    measure_scaling(calls, python_fn, rust_fn, budget_s=0.2)
    # -> (ScalePoint(16, Speedup(0.8, ...)), ..., ScalePoint(1000, Speedup(14.2, ...)))

The size is the length of the call's longest sequence arguments (lists, strs, tuples);
every argument of that length is cut to the same prefix, so arguments that must agree in
length still do. A size where the Python function raises is left out: timing an
exception says nothing about the loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .calls import RecordedCall, run_call
from .measure import measure_speedup
from .report.model import ScalePoint, Speedup

_FRACTIONS = (64, 16, 4, 1)
_MIN_SIZE = 4


def _length(value: object) -> int | None:
    return len(value) if isinstance(value, (list, str, tuple)) else None


def scale_calls(calls: Sequence[RecordedCall]) -> list[tuple[int, RecordedCall]]:
    """Calls derived from the largest recorded call at a few smaller sizes."""
    best: tuple[int, RecordedCall] | None = None
    for call in calls:
        sizes = [n for v in (*call.args, *call.kwargs.values()) if (n := _length(v)) is not None]
        if sizes and (best is None or max(sizes) > best[0]):
            best = (max(sizes), call)
    if best is None or best[0] < _MIN_SIZE:
        return []
    n, call = best
    out: list[tuple[int, RecordedCall]] = []
    for size in sorted({max(1, n // f) for f in _FRACTIONS}):
        args = tuple(_cut(v, n, size) for v in call.args)
        kwargs = {k: _cut(v, n, size) for k, v in call.kwargs.items()}
        out.append((size, RecordedCall(args, kwargs, call.outcome)))
    return out


def _cut(value: object, n: int, size: int) -> object:
    if isinstance(value, (list, str, tuple)) and len(value) == n:
        return value[:size]
    return value


def measure_scaling(
    calls: Sequence[RecordedCall],
    python_fn: Callable[..., object],
    rust_fn: Callable[..., object],
    *,
    budget_s: float,
    copy_args: bool,
) -> tuple[ScalePoint, ...]:
    """The speedup at each derived size (sizes where Python raises are left out)."""
    derived = scale_calls(calls)
    points = []
    for size, call in derived:
        outcome = run_call(python_fn, call.args, call.kwargs)
        if outcome.exception is not None:
            continue
        sized = RecordedCall(call.args, call.kwargs, outcome)
        s = measure_speedup(
            [sized],
            python_fn,
            rust_fn,
            rounds=9,
            budget_s=budget_s / max(1, len(derived)),
            copy_args=copy_args,
        )
        points.append(
            ScalePoint(
                size,
                Speedup(
                    round(s.median, 2),
                    round(s.ci_low, 2),
                    round(s.ci_high, 2),
                    round(s.python_ns),
                    round(s.rust_ns),
                ),
            )
        )
    return tuple(points)
