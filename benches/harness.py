"""Run the benchmark: check every implementation against CPython, then time them interleaved.

Input: ``Settings``. Output: a ``Report`` (see ``report.py`` for its JSON and markdown)::

    report = run_benchmark(Settings(sizes=Sizes(), rounds=20))

Before anything is timed, each implementation's outcome on the benchmark inputs (result,
exception, arguments after the call) is compared with CPython's by the plugin's own
parity check; a difference is reported in the cell. The timing then runs in rounds: each
round times every implementation of every (function, input kind) on the same inputs, in
an order rotated from round to round, one batch of calls each (calibrated to take at
least ``min_time``, with the collector paused as ``timeit`` does). A cell's time is the
median over the rounds of its per-call time; its ratio is the median over the rounds of
CPython's time divided by its own in the same round, so a loaded machine's slow spells
hit both sides of a ratio.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pytest_rustify.calls import run_call
from pytest_rustify.compare import compare_outcomes

from . import implementations
from .implementations import Candidate, Key
from .report import Cell, GeoMean, Report, Row, machine_description
from .workloads import KINDS, Sizes, Workload, workloads

IMPLEMENTATIONS = ("cpython", "generated", "handwritten", "numba")
TIMED = frozenset({"ok", "mismatch"})


@dataclass(frozen=True)
class Settings:
    sizes: Sizes = field(default_factory=Sizes)
    rounds: int = 20
    min_time: float = 0.01  # seconds per timed batch
    cache_dir: Path = Path(__file__).resolve().parent / ".cache"
    target_dir: Path | None = None  # default: $CARGO_TARGET_DIR, else inside cache_dir
    implementations: tuple[str, ...] = IMPLEMENTATIONS
    only: tuple[str, ...] = ()  # function names; empty: all


def run_benchmark(settings: Settings, progress: Callable[[str], None] = print) -> Report:
    """Build, check and time every implementation of every example function."""
    if settings.implementations[:1] != ("cpython",):
        raise ValueError("the implementations must start with cpython, the reference")
    works = [w for w in workloads(settings.sizes) if not settings.only or w.name in settings.only]
    unknown = set(settings.only) - {w.name for w in works}
    if unknown:
        raise ValueError(f"no example function named {', '.join(sorted(unknown))}")
    machine = machine_description()
    candidates = _candidates(works, settings, progress)
    cases = [(w, kind) for w in works for kind in KINDS]
    cells: dict[tuple[str, str, str], Cell] = {}
    timed: dict[Key, dict[str, Candidate]] = {}
    for w, kind in cases:
        if kind not in w.args:
            for impl in settings.implementations:
                cells[(w.name, kind, impl)] = Cell("n/a", reason=w.not_applicable[kind])
            continue
        ready = {"cpython": Candidate(w.function)}
        for impl in settings.implementations:
            if impl == "cpython":
                continue
            candidate = candidates[impl][(w.name, kind)]
            if candidate.call is None:
                cells[(w.name, kind, impl)] = Cell(candidate.status, reason=candidate.reason)
                continue
            problem = check_candidate(w.function, candidate, w.args[kind])
            if problem is not None:
                status, reason = problem
                cells[(w.name, kind, impl)] = Cell(status, reason=reason)
                if status != "mismatch":
                    continue
            ready[impl] = candidate
        timed[(w.name, kind)] = ready
    samples = _time_rounds(works, timed, settings, progress)
    for (name, kind), ready in timed.items():
        base = samples[(name, kind, "cpython")]
        for impl, candidate in ready.items():
            mine = samples[(name, kind, impl)]
            old = cells.get((name, kind, impl))
            cells[(name, kind, impl)] = Cell(
                old.status if old is not None else "ok",
                per_call_ns=statistics.median(mine),
                ratio=statistics.median(b / t for b, t in zip(base, mine, strict=True)),
                reason=old.reason if old is not None else candidate.reason,
            )
    rows = []
    for w, kind in cases:
        versus = None
        if (w.name, kind, "generated") in samples and (w.name, kind, "handwritten") in samples:
            gen, hand = samples[(w.name, kind, "generated")], samples[(w.name, kind, "handwritten")]
            versus = statistics.median(g / h for g, h in zip(gen, hand, strict=True))
        rows.append(
            Row(
                function=w.name,
                kind=kind,
                inputs=w.described,
                cells={impl: cells[(w.name, kind, impl)] for impl in settings.implementations},
                generated_vs_handwritten=versus,
            )
        )
    return Report(
        machine=machine,
        settings={
            "rounds": settings.rounds,
            "min_time": settings.min_time,
            "sizes": {
                k: list(v) if isinstance(v, tuple) else v for k, v in vars(settings.sizes).items()
            },
        },
        implementations=settings.implementations,
        rows=tuple(rows),
        geomeans=geomeans(rows, settings.implementations),
    )


def check_candidate(
    reference: Callable[..., object], candidate: Candidate, args: tuple[object, ...]
) -> tuple[str, str] | None:
    """None when ``candidate`` does what ``reference`` does on ``args``; else the
    cell's status and what differed: "mismatch" (timed all the same, unless it raised),
    "error" (it raised where CPython did not: nothing to time), or "fallback" (a
    generated dispatcher handed the call back to Python, so its time would be Python's)."""
    assert candidate.call is not None
    before = candidate.fallbacks() if candidate.fallbacks is not None else 0
    difference, raised = _compare(reference, candidate.call, args)
    if candidate.fallbacks is not None and candidate.fallbacks() > before:
        why = "".join(f"; {note}" for note in candidate.notes)
        return "fallback", f"the dispatcher handed the call back to Python{why}"
    if difference is not None:
        return ("error" if raised else "mismatch"), difference
    return None


def compare_calls(
    reference: Callable[..., object], other: Callable[..., object], args: tuple[object, ...]
) -> str | None:
    """None when ``other(*args)`` gives what ``reference(*args)`` gives (result or
    exception, and the arguments after the call, compared exactly as parity compares
    them), else where and how they differ."""
    return _compare(reference, other, args)[0]


def _compare(
    reference: Callable[..., object], other: Callable[..., object], args: tuple[object, ...]
) -> tuple[str | None, bool]:
    expected = run_call(reference, args, {})
    actual = run_call(other, args, {})
    difference = compare_outcomes(expected, actual)
    raised = actual.raised and not expected.raised
    return (None if difference.equal else f"{difference.where}: {difference.detail}"), raised


def geomeans(rows: Sequence[Row], impls: Sequence[str]) -> tuple[GeoMean, ...]:
    """Per input kind and implementation, the geometric mean of the ratios it has."""
    out = []
    for kind in KINDS:
        mine = [r for r in rows if r.kind == kind]
        applicable = sum(1 for r in mine if r.cells[impls[0]].status != "n/a")
        for impl in impls:
            ratios = [
                r.cells[impl].ratio
                for r in mine
                if r.cells[impl].status == "ok" and r.cells[impl].ratio is not None
            ]
            out.append(GeoMean(kind, impl, _geomean(ratios), len(ratios), applicable))
        versus = [r.generated_vs_handwritten for r in mine if r.generated_vs_handwritten]
        out.append(
            GeoMean(kind, "generated/handwritten", _geomean(versus), len(versus), applicable)
        )
    return tuple(out)


def _geomean(values: Sequence[float | None]) -> float | None:
    logs = [math.log(v) for v in values if v is not None and v > 0]
    return math.exp(sum(logs) / len(logs)) if logs else None


def _candidates(
    works: list[Workload], settings: Settings, progress: Callable[[str], None]
) -> dict[str, Mapping[Key, Candidate]]:
    out: dict[str, Mapping[Key, Candidate]] = {}
    build = {
        "cache_dir": settings.cache_dir,
        "target_dir": settings.target_dir,
        "progress": progress,
    }
    for impl in settings.implementations:
        if impl == "generated":
            out[impl] = implementations.generated(works, **build)  # type: ignore[arg-type]
        elif impl == "handwritten":
            out[impl] = implementations.handwritten(works, **build)  # type: ignore[arg-type]
        elif impl == "numba":
            out[impl] = implementations.numba_jit(works, progress)
        elif impl != "cpython":
            raise ValueError(f"unknown implementation {impl!r}; known: {IMPLEMENTATIONS}")
    return out


# --- timing ------------------------------------------------------------------------------


def _time_rounds(
    works: list[Workload],
    timed: Mapping[Key, Mapping[str, Candidate]],
    settings: Settings,
    progress: Callable[[str], None],
) -> dict[tuple[str, str, str], list[float]]:
    args = {(w.name, kind): a for w in works for kind, a in w.args.items()}
    plans = []
    for key, ready in timed.items():
        order = []
        for impl, candidate in ready.items():
            assert candidate.call is not None
            number = _calibrate(candidate.call, args[key], settings.min_time)
            order.append((impl, candidate.call, number))
        plans.append((key, order))
    samples: dict[tuple[str, str, str], list[float]] = {}
    for r in range(settings.rounds):
        progress(f"round {r + 1}/{settings.rounds}")
        for key, order in plans:
            shift = r % len(order)
            for impl, call, number in order[shift:] + order[:shift]:
                per_call = _batch(call, args[key], number) / number
                samples.setdefault((*key, impl), []).append(per_call)
    return samples


def _calibrate(call: Callable[..., object], args: tuple[object, ...], min_time: float) -> int:
    """How many calls make one batch last at least ``min_time`` (as timeit's autorange)."""
    target = min_time * 1e9
    number = 1
    while True:
        spent = _batch(call, args, number)
        if spent >= target or number >= 1 << 30:
            return number
        number = max(number * 2, math.ceil(number * target / max(spent, 1.0) * 1.2))


def _batch(call: Callable[..., object], args: tuple[object, ...], number: int) -> float:
    """Nanoseconds ``number`` calls take; loops unrolled by arity to keep ``*args`` out."""
    enabled = gc.isenabled()
    gc.disable()
    clock = time.perf_counter_ns
    try:
        if len(args) == 1:
            (a,) = args
            t0 = clock()
            for _ in range(number):
                call(a)
            t1 = clock()
        elif len(args) == 2:
            a, b = args
            t0 = clock()
            for _ in range(number):
                call(a, b)
            t1 = clock()
        elif len(args) == 3:
            a, b, c = args
            t0 = clock()
            for _ in range(number):
                call(a, b, c)
            t1 = clock()
        else:
            t0 = clock()
            for _ in range(number):
                call(*args)
            t1 = clock()
    finally:
        if enabled:
            gc.enable()
    return float(t1 - t0)
