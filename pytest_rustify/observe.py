"""Observe: a bounded sample of real calls of the user's functions, and their types.

Input: the calls the test suite makes (through recording wrappers the session installs
during phase 1). Output: ``Observations``, per target the recorded calls and the
parameter/return types they show::

    recorder = CallRecorder(per_test=8, per_function=64)
    wrapped = recorder.wrap("pkg.mod:dot", dot)      # the session swaps this in
    wrapped([1.0], [2.0])                             # runs dot on the real arguments
    recorder.observations()["pkg.mod:dot"].calls[0].outcome.value == 2.0
    type_evidence(dot, calls)  # -> TypeEvidence(params={"a": list[float], ...}, ret=float)

Each call is recorded as the arguments before it (deep copies), the result or
exception, and the arguments after it. Recording stops for a function once its budget
is spent, so a function called a million times costs a million plain calls plus a few
dozen copies.
"""

from __future__ import annotations

import functools
import gc
import inspect
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .calls import NotRecordable, RecordedCall, record_call

if TYPE_CHECKING:
    from .translate.frontend import TypeEvidence
    from .translate.rtypes import RType

# Shares are shares of the CPU time of the test's thread: on a busy machine (a shared CI
# runner) the scheduler preempts a test for tens of milliseconds at a time, and wall time
# would charge that to whatever part of the test was running, mostly not the function.
_CLOCK = time.thread_time_ns


@dataclass(frozen=True)
class FunctionObservations:
    target: str
    calls: tuple[RecordedCall, ...] = ()
    seen: int = 0  # calls made while recording was on, recorded or not
    unrecordable: str = ""  # why some call could not be recorded, if one could not


@dataclass(frozen=True)
class TestTimes:
    """Inclusive time of each user function inside one test's call, in ns."""

    __test__ = False  # not a test class, whatever pytest's name rules say

    total: int
    functions: Mapping[str, int] = field(default_factory=dict)

    def share(self, target: str) -> float:
        if self.total <= 0:
            return 0.0
        return min(100.0, 100.0 * self.functions.get(target, 0) / self.total)


@dataclass(frozen=True)
class Observations:
    functions: Mapping[str, FunctionObservations] = field(default_factory=dict)
    tests: Mapping[tuple[str, str], TestTimes] = field(default_factory=dict)

    def __getitem__(self, target: str) -> FunctionObservations:
        return self.functions.get(target, FunctionObservations(target))

    def merge(self, other: Observations, *, per_function: int = 64) -> Observations:
        """Combine the observations of two processes (xdist workers)."""
        out = dict(self.functions)
        for target, obs in other.functions.items():
            mine = out.get(target)
            if mine is None:
                out[target] = obs
                continue
            out[target] = FunctionObservations(
                target,
                (mine.calls + obs.calls)[:per_function],
                mine.seen + obs.seen,
                mine.unrecordable or obs.unrecordable,
            )
        tests = dict(self.tests)
        for key, t in other.tests.items():
            mine_t = tests.get(key)
            if mine_t is None:
                tests[key] = t
                continue
            funcs = dict(mine_t.functions)
            for f, ns in t.functions.items():
                funcs[f] = funcs.get(f, 0) + ns
            tests[key] = TestTimes(mine_t.total + t.total, funcs)
        return Observations(out, tests)


class CallRecorder:
    """Collects recorded calls during phase 1, and times each function's calls inside
    each test (inclusive, outermost activation only), so that a function's share of a
    short test is known exactly where a sampling profiler would see a handful of
    samples. Not thread-safe by design: pytest runs one test at a time per process.

    Times are the thread's CPU time (see ``_CLOCK``). Garbage-collector pauses are left
    out of both sides of a share: a full collection in
    a large pytest process takes tens of milliseconds, lands in whichever test allocates
    at that moment, and would make a short test's functions look cold."""

    def __init__(self, *, per_test: int = 8, per_function: int = 64) -> None:
        self.per_test = per_test
        self.per_function = per_function
        self._calls: dict[str, list[RecordedCall]] = {}
        self._seen: dict[str, int] = {}
        self._this_test: dict[str, int] = {}
        self._unrecordable: dict[str, str] = {}
        self._active = False
        self._depth: dict[str, int] = {}
        self._ns: dict[str, int] = {}
        self._tests: dict[tuple[str, str], TestTimes] = {}
        self._started = 0
        self._gc_ns = 0  # time in collector pauses while a test ran
        self._gc_began = 0

    def _on_gc(self, phase: str, info: Mapping[str, int]) -> None:
        if phase == "start":
            self._gc_began = _CLOCK()
        elif self._gc_began:
            self._gc_ns += _CLOCK() - self._gc_began
            self._gc_began = 0

    def begin_test(self) -> None:
        self._this_test = {}
        self._ns = {}
        self._active = True
        self._gc_ns = 0
        if self._on_gc not in gc.callbacks:
            gc.callbacks.append(self._on_gc)
        self._started = _CLOCK()

    def end_test(self, key: tuple[str, str] | None = None) -> None:
        total = _CLOCK() - self._started - self._gc_ns
        self._active = False
        if self._on_gc in gc.callbacks:
            gc.callbacks.remove(self._on_gc)
        if key is None:
            return
        old = self._tests.get(key)
        funcs = dict(old.functions) if old else {}
        for f, ns in self._ns.items():
            funcs[f] = funcs.get(f, 0) + ns
        self._tests[key] = TestTimes((old.total if old else 0) + total, funcs)

    def exhausted(self, target: str) -> bool:
        return len(self._calls.get(target, ())) >= self.per_function

    def wrap(self, target: str, fn: Callable[..., object]) -> Callable[..., object]:
        """A stand-in for ``fn`` that records its calls while a test runs."""
        calls = self._calls.setdefault(target, [])

        def sink(call: RecordedCall) -> None:
            calls.append(call)

        def unrecordable(exc: NotRecordable) -> None:
            self._unrecordable.setdefault(target, str(exc))

        depth = self._depth
        clock = _CLOCK

        def timed(*args: object, **kwargs: object) -> object:
            # Only the outermost activation counts, so recursion is not counted twice.
            outer = depth.get(target, 0) == 0
            depth[target] = depth.get(target, 0) + 1
            g0 = self._gc_ns
            t0 = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                depth[target] -= 1
                if outer:
                    spent = clock() - t0 - (self._gc_ns - g0)
                    self._ns[target] = self._ns.get(target, 0) + spent

        @functools.wraps(fn)
        def recording(*args: object, **kwargs: object) -> object:
            if not self._active:
                return fn(*args, **kwargs)
            self._seen[target] = self._seen.get(target, 0) + 1
            n = self._this_test.get(target, 0)
            if n >= self.per_test or len(calls) >= self.per_function:
                return timed(*args, **kwargs)
            self._this_test[target] = n + 1
            return record_call(timed, args, kwargs, sink, unrecordable=unrecordable)

        recording.__rustify_recording__ = True  # type: ignore[attr-defined]
        return recording

    def observations(self) -> Observations:
        return Observations(
            {
                t: FunctionObservations(
                    t, tuple(calls), self._seen.get(t, 0), self._unrecordable.get(t, "")
                )
                for t, calls in self._calls.items()
            },
            dict(self._tests),
        )


def type_evidence(fn: Callable[..., object], calls: Sequence[RecordedCall]) -> TypeEvidence | str:
    """The parameter and return types the calls show, or a sentence saying why there is no
    one type (``calls passed list[int] and list[float] for `xs```)."""
    # Here, not at the top: phase 1 records calls without the translator loaded.
    from .translate.frontend import TypeEvidence
    from .translate.rtypes import join, type_of_value

    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return "the function's signature cannot be read"
    params: dict[str, RType] = {}
    ret: RType | None = None
    for call in calls:
        try:
            bound = sig.bind(*call.args, **call.kwargs)
        except TypeError:
            continue  # a call Python rejected; its TypeError is part of the record
        for name, value in bound.arguments.items():
            t = type_of_value(value)
            if t is None:
                return f"calls passed a {_type_name(value)} for `{name}`, which is not supported"
            joined = t if name not in params else join(params[name], t)
            if joined is None:
                return (
                    f"calls passed {params[name]} and {t} for `{name}`; "
                    "one Rust type cannot hold both"
                )
            params[name] = joined
        if call.outcome.exception is None:
            t = type_of_value(call.outcome.value)
            if t is None:
                return f"it returned a {_type_name(call.outcome.value)}, which is not supported"
            joined = t if ret is None else join(ret, t)
            if joined is None:
                return f"it returned both {ret} and {t}; one Rust type cannot hold both"
            ret = joined
    return TypeEvidence(params=params, ret=ret)


def _type_name(value: object) -> str:
    tp = type(value)
    return tp.__qualname__ if tp.__module__ == "builtins" else f"{tp.__module__}.{tp.__qualname__}"
