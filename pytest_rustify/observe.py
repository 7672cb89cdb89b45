"""Observe: a bounded sample of real calls of the user's functions, and their types.

Input: the calls the test suite makes (through recording wrappers the session installs
during phase 1). Output: ``Observations``, per target the recorded calls and the
parameter/return types they show::

    recorder = CallRecorder(per_test=8, per_function=64, per_shape=3)
    wrapped = recorder.wrap("pkg.mod:dot", dot)      # the session swaps this in
    wrapped([1.0], [2.0])                             # runs dot on the real arguments
    recorder.observations()["pkg.mod:dot"].calls[0].outcome.value == 2.0
    type_evidence(dot, calls)  # -> TypeEvidence(params={"a": list[float], ...}, ret=float)

Each call is recorded as the arguments before it (deep copies), the result or
exception, and the arguments after it. Recording stops for a function once its budget
is spent, so a function called a million times costs a million plain calls plus a few
dozen copies. What is spent on is chosen by the call's shape (``call_shape``: the types,
the first item's type and the size class of each argument): a test's loop of a thousand
alike calls gives ``per_shape`` records, the edge cases after it (an empty list, a window
of 0) a record each, and a shape the function has not shown before is recorded even when
the budgets are spent, so the calls kept cover every shape seen.
"""

from __future__ import annotations

import functools
import gc
import inspect
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .calls import NotRecordable, RecordedCall, record_call

if TYPE_CHECKING:
    from .translate.frontend import TypeEvidence
    from .translate.rtypes import RType

# Shares are shares of the CPU time of the test's thread: on a busy machine (a shared CI
# runner) the scheduler preempts a test for tens of milliseconds at a time, and wall time
# would charge that to whatever part of the test was running, mostly not the function.
_CLOCK = time.thread_time_ns

Shape = tuple[object, ...]
"""What ``call_shape`` tells calls apart by; hashable."""


@dataclass(frozen=True)
class FunctionObservations:
    target: str
    calls: tuple[RecordedCall, ...] = ()
    seen: int = 0  # calls made while recording was on, recorded or not
    unrecordable: str = ""  # why some call could not be recorded, if one could not
    items: tuple[int, ...] = ()
    """Per call, the position in the collection of the test item that made it (-1: not
    known); what lets the calls of several processes be put back in one order."""


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

    def merge(self, other: Observations, limits: Limits) -> Observations:
        """Combine the observations of two processes that ran disjoint items of one
        session (xdist workers), as one process running every item in collection order
        would have recorded them.

        Each process recorded at least those calls: with fewer items before a call, its
        budgets were spent later and fewer shapes were known. Replaying the admission over
        the union, in collection order, keeps exactly the calls one process would have
        kept (calls that could not be copied aside); nothing is cut to a count."""
        out = dict(self.functions)
        for target, obs in other.functions.items():
            mine = out.get(target)
            out[target] = obs if mine is None else _merge_function(mine, obs, limits)
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


@dataclass(frozen=True)
class Limits:
    """The recording budgets (see ``CallRecorder``)."""

    per_test: int = 8
    per_function: int = 64
    per_shape: int | None = None


def _merge_function(
    a: FunctionObservations, b: FunctionObservations, limits: Limits
) -> FunctionObservations:
    def tagged(obs: FunctionObservations) -> list[tuple[int, RecordedCall]]:
        items = obs.items if len(obs.items) == len(obs.calls) else (-1,) * len(obs.calls)
        return list(zip(items, obs.calls, strict=True))

    # Stable: the calls of one item keep the order they were made in.
    union = sorted(tagged(a) + tagged(b), key=lambda pair: pair[0])
    state = _Admission()
    kept: list[tuple[int, RecordedCall]] = []
    current: int | None = None
    for item, call in union:
        if item != current:
            current = item
            state.new_test()
        if state.admits(limits, len(kept), call.args, call.kwargs):
            kept.append((item, call))
    return FunctionObservations(
        a.target,
        tuple(call for _, call in kept),
        a.seen + b.seen,
        a.unrecordable or b.unrecordable,
        tuple(item for item, _ in kept),
    )


class _Admission:
    """One function's recording budget: which calls are recorded (``CallRecorder``), and
    again which survive a merge of processes (``Observations.merge``)."""

    __slots__ = ("in_test", "shapes", "test_shapes")

    def __init__(self) -> None:
        self.shapes: set[Shape] = set()
        self.in_test = 0
        self.test_shapes: dict[Shape, int] = {}

    def new_test(self) -> None:
        self.in_test = 0
        self.test_shapes = {}

    def admits(
        self,
        limits: Limits,
        recorded: int,
        args: tuple[object, ...],
        kwargs: Mapping[str, object],
    ) -> bool:
        """Whether to record this call (and count it against the budgets if so)."""
        spent = self.in_test >= limits.per_test or recorded >= limits.per_function
        if spent and len(self.shapes) >= limits.per_function:
            return False  # nothing could be recorded: not even the shape is worth reading
        shape = call_shape(args, kwargs)
        if shape in self.shapes:
            in_test = self.test_shapes.get(shape, 0)
            if spent or (limits.per_shape is not None and in_test >= limits.per_shape):
                return False
        elif len(self.shapes) >= limits.per_function:
            return False
        self.shapes.add(shape)
        self.test_shapes[shape] = self.test_shapes.get(shape, 0) + 1
        self.in_test += 1
        return True


class CallRecorder:
    """Collects recorded calls during phase 1, and times each function's calls inside
    each test (inclusive, outermost activation only), so that a function's share of a
    short test is known exactly where a sampling profiler would see a handful of
    samples. Not thread-safe by design: pytest runs one test at a time per process.

    Times are the thread's CPU time (see ``_CLOCK``). Garbage-collector pauses are left
    out of both sides of a share: a full collection in
    a large pytest process takes tens of milliseconds, lands in whichever test allocates
    at that moment, and would make a short test's functions look cold."""

    def __init__(
        self, *, per_test: int = 8, per_function: int = 64, per_shape: int | None = None
    ) -> None:
        """:param per_test: records of one function in one test, calls of a new shape aside.
        :param per_function: records of one function in all, calls of a new shape aside;
            also the most shapes recorded for one function.
        :param per_shape: records of one shape of call to one function in one test
            (``None``: no limit but the other two)."""
        self.limits = Limits(per_test, per_function, per_shape)
        self._calls: dict[str, list[RecordedCall]] = {}
        self._items: dict[str, list[int]] = {}  # per target, the item of each call
        self._item = -1
        self._seen: dict[str, int] = {}
        self._admission: dict[str, _Admission] = {}
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

    def begin_test(self, item: int = -1) -> None:
        """:param item: the test item's position in the collection (see ``merge``)."""
        self._item = item
        for admission in self._admission.values():
            admission.new_test()
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
        return len(self._calls.get(target, ())) >= self.limits.per_function

    def wrap(self, target: str, fn: Callable[..., object]) -> Callable[..., object]:
        """A stand-in for ``fn`` that records its calls while a test runs."""
        calls = self._calls.setdefault(target, [])
        items = self._items.setdefault(target, [])
        admission = self._admission.setdefault(target, _Admission())
        limits = self.limits

        def sink(call: RecordedCall) -> None:
            calls.append(call)
            items.append(self._item)

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
            if not admission.admits(limits, len(calls), args, kwargs):
                return timed(*args, **kwargs)
            return record_call(timed, args, kwargs, sink, unrecordable=unrecordable)

        recording.__rustify_recording__ = True  # type: ignore[attr-defined]
        return recording

    def observations(self) -> Observations:
        return Observations(
            {
                t: FunctionObservations(
                    t,
                    tuple(calls),
                    self._seen.get(t, 0),
                    self._unrecordable.get(t, ""),
                    tuple(self._items[t]),
                )
                for t, calls in self._calls.items()
            },
            dict(self._tests),
        )


def call_shape(args: tuple[object, ...], kwargs: Mapping[str, object]) -> Shape:
    """What tells one call from another for recording, read in a few steps per argument
    whatever its size: its type; for a list, tuple, set, dict, str or bytes the type of
    its first item (key and value) and its size class (0, 1, 2-3, 4-7, ...); for a NumPy
    array the dtype, dimensions and size class; for an int its signed magnitude class, for
    a float its sign (zero and NaN together). A list of floats that holds an int further
    on is not told apart."""
    shape: Shape = tuple(_shape(a) for a in args)
    if kwargs:
        shape += tuple((name, _shape(v)) for name, v in kwargs.items())
    return shape


def _shape(value: object) -> Shape:
    cls = type(value)
    if cls is int:
        # Ints are often sizes and counts: their magnitude class, signed.
        n: int = value  # type: ignore[assignment]
        return (cls, n.bit_length() if n >= 0 else -n.bit_length())
    if cls is float:
        x: float = value  # type: ignore[assignment]
        return (cls, (x > 0) - (x < 0))
    if cls is list or cls is tuple:
        seq: Sequence[object] = value  # type: ignore[assignment]
        return (cls, type(seq[0]) if seq else None, len(seq).bit_length())
    if cls is str or cls is bytes:
        text: str | bytes = value  # type: ignore[assignment]
        return (cls, len(text).bit_length())
    if cls is dict:
        mapping: dict[object, object] = value  # type: ignore[assignment]
        if not mapping:
            return (cls, None, None, 0)
        key, item = next(iter(mapping.items()))
        return (cls, type(key), type(item), len(mapping).bit_length())
    if cls is set or cls is frozenset:
        members: set[object] | frozenset[object] = value  # type: ignore[assignment]
        first = type(next(iter(members))) if members else None
        return (cls, first, len(members).bit_length())
    if cls.__name__ == "ndarray" and cls.__module__ == "numpy":
        array: Any = value
        return (cls, array.dtype.str, array.ndim, int(array.size).bit_length())
    return (cls,)


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


def call_groups(
    fn: Callable[..., object], calls: Sequence[RecordedCall]
) -> list[tuple[tuple[str, ...], list[RecordedCall]]]:
    """The calls grouped by the parameters they passed a NumPy array for, each group
    typed and translated on its own (``dot(list, list)`` and ``dot(ndarray, ndarray)``
    make two). The group passing no array comes first, then the one passing the most,
    then the mixes by name (a function gets a few translations at most: the mixes are
    the ones left out); calls that do not bind to the signature go with the first."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return [((), list(calls))]
    groups: dict[tuple[str, ...], list[RecordedCall]] = {}
    unbound = []
    for call in calls:
        try:
            bound = sig.bind(*call.args, **call.kwargs)
        except TypeError:
            unbound.append(call)
            continue
        key = tuple(sorted(n for n, v in bound.arguments.items() if _is_ndarray(v)))
        groups.setdefault(key, []).append(call)
    most = max((len(k) for k in groups), default=0)
    ordered = sorted(groups.items(), key=lambda kv: (bool(kv[0]) + (len(kv[0]) < most), kv[0]))
    if not ordered:
        return [((), unbound)]
    ordered[0][1].extend(unbound)
    return ordered


def _is_ndarray(value: object) -> bool:
    tp = type(value)
    return tp.__name__ == "ndarray" and tp.__module__ == "numpy"


def _type_name(value: object) -> str:
    tp = type(value)
    return tp.__qualname__ if tp.__module__ == "builtins" else f"{tp.__module__}.{tp.__qualname__}"
