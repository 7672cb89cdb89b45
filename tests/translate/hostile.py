"""Hostile arguments for accelerated functions, and one guarded call through both builds.

Input: a parameter's IR type and whether it bounds a loop. Output: a pool of Python
values to put in that position, almost none of them of the type the build was made for::

    pool_for(ListT(FLOAT), careful=False)
    # None, 2**64, NaN, "", [[1.0], [2.0, 3.0]] (ragged), a list subclass whose
    # __iter__/__len__/__getitem__ lie, a float32 / strided / Fortran-order array,
    # 10**5 floats, ... and values of the right type that sit at the edges

A position that bounds a loop or a recursion (``careful``) gets only values that cannot
keep the Python original busy for ever: wrong types, small ints in disguise (a bool, an
int subclass, np.int64), never an int past 64 bits.

``run_hostile`` runs one call through Python (stopped after ``PYTHON_SECONDS``: a call
Python itself cannot finish is no test of Rust) and then through Rust under
``faulthandler.dump_traceback_later(exit=True)``, so a Rust call that hangs kills the run
with a traceback instead of hanging CI. The outcome must be Python's: the same result,
or an exception of the same type, and the same arguments after the call; or the call
fell back to Python (counted).
"""

from __future__ import annotations

import collections
import contextlib
import faulthandler
import math
import signal
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from strategies import Laid

from pytest_rustify.calls import NotRecordable, Outcome, RecordedCall, run_call
from pytest_rustify.compare import compare_outcomes, describe_call, short_repr
from pytest_rustify.translate.rtypes import (
    BOOL,
    COMPLEX,
    FLOAT,
    INT,
    NP_FLOAT64,
    NP_INT64,
    STR,
    ArrayT,
    DictT,
    ListT,
    RType,
    SetT,
    TupleT,
)

LONG = 10**5  # items of a very long sequence
PYTHON_SECONDS = 1.0  # a hostile call Python needs longer for is skipped
RUST_SECONDS = 120.0  # a Rust call this long is a hang: the run stops with a traceback


# -- subclasses that lie ---------------------------------------------------------------


class SubList(list):  # type: ignore[type-arg]
    """A list subclass that behaves like a list."""


class LyingList(list):  # type: ignore[type-arg]
    """A list subclass whose protocol methods disagree with its items."""

    def __len__(self) -> int:
        return 1

    def __iter__(self) -> Iterator[object]:
        return iter([0.5])

    def __getitem__(self, i: Any) -> Any:
        return 7.0


class SubFloat(float):
    pass


class FloatLike(float):
    def __float__(self) -> float:
        return 2.0

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0


class SubInt(int):
    pass


class IndexInt(int):
    """An int whose ``__index__`` and ``__eq__`` tell another story than its value."""

    def __index__(self) -> int:
        return 3

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 1


class SubStr(str):
    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0

    def __len__(self) -> int:
        return 1

    def __iter__(self) -> Iterator[str]:
        return iter("z")

    def __getitem__(self, i: Any) -> str:
        return "q"


class SubDict(dict):  # type: ignore[type-arg]
    def __getitem__(self, key: object) -> object:
        return 1

    def __iter__(self) -> Iterator[object]:
        return iter(())

    def __len__(self) -> int:
        return 0


class Opaque:
    """An object of no type a function expects (equal to every other Opaque, so that
    the two deep copies of an argument compare equal)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is Opaque

    def __hash__(self) -> int:
        return 7

    def __repr__(self) -> str:
        return "Opaque()"


Point = collections.namedtuple("Point", "x y")


# -- the pools -------------------------------------------------------------------------

_WRONG: tuple[object, ...] = (
    None,
    Opaque(),
    "3",
    b"xy",
    2.5,
    math.nan,
    -math.inf,
    1 + 2j,
    [],
    (),
    {},
    set(),
    frozenset({1}),
    [None],
    [1.0, "a"],
    [[1.0, 2.0], [3.0]],  # ragged rows
    [[1.0], [[2.0]]],  # a row deeper than the others
    [(1, 2), [3, 4]],
    {"a": [1]},
    {1: 2.0, "b": None},
    Point(1, 2),
    range(3),
)

# Small ints in disguise: safe where an int bounds a loop.
_SMALL_INTS: tuple[object, ...] = (
    True,
    False,
    0,
    -1,
    SubInt(2),
    IndexInt(5),
    np.int64(2),
    np.int32(3),
    np.float64(2.0),
    np.bool_(True),
)

_BIG_INTS: tuple[object, ...] = (2**63 - 1, -(2**63), 2**63, 2**64, -(2**100), 10**30)

_FLOATS: tuple[object, ...] = (
    math.inf,
    -0.0,
    5e-324,
    1.7976931348623157e308,
    SubFloat(1.5),
    FloatLike(3.5),
    np.float64(math.nan),
    np.float32(1.5),
    np.longdouble(1.5),
)

_TEXTS: tuple[object, ...] = ("", "\u00e9", "\ud800", "a\x00b", SubStr("ab"), "ab c" * (LONG // 4))

_LISTS: tuple[object, ...] = (
    SubList([1.0, 2.0]),
    LyingList([1.0, 2.0, 3.0]),
    [1, 2, 3],
    [True, False],
    [SubFloat(1.0), 2.0],
    [2**64, 1],
    [math.nan, math.inf, -math.inf, -0.0],
    [float(i % 97) * 0.5 for i in range(LONG)],
    list(range(LONG)),
)

_DICTS: tuple[object, ...] = (
    SubDict({"a": 1}),
    collections.OrderedDict(a=1),
    collections.defaultdict(int, a=1),
    {i: float(i) for i in range(LONG // 10)},
)


def _arrays() -> tuple[object, ...]:
    f = np.arange(12, dtype=np.float64).reshape(3, 4) / 4
    v = np.linspace(-1.0, 1.0, 7)
    return (
        v.astype(np.float32),
        v.astype(np.int32),
        v.astype(object),
        v > 0,
        v.astype(np.complex128),
        v.astype(">f8"),
        np.arange(7),  # int64
        np.zeros(0),
        np.zeros((0, 3)),
        np.zeros((3, 0)),
        np.array(1.5),  # 0-d
        np.zeros((2, 2, 2)),
        f,
        f.astype(np.int64),
        Laid(v, "strided"),
        Laid(v, "reversed"),
        Laid(v, "readonly"),
        Laid(f, "strided"),
        Laid(f, "fortran"),
        Laid(f.T.copy(), "fortran"),  # a transposed view's layout
        Laid(f.astype(np.int64), "fortran"),
        np.ma.masked_array(v),
        np.arange(LONG, dtype=np.float64),
        np.array([math.nan, math.inf, -math.inf, -0.0]),
    )


_ARRAYS = _arrays()


def _typed(t: RType) -> tuple[object, ...]:
    """Values of (about) the right type, at the edges: long, empty, NaN-filled, aliased."""
    if t in (INT, NP_INT64, BOOL):
        return _BIG_INTS
    if t in (FLOAT, NP_FLOAT64, COMPLEX):
        return (*_FLOATS, *_BIG_INTS[:2])
    if t == STR:
        return _TEXTS
    if isinstance(t, ListT):
        inner = _typed_elem(t.elem)
        edges = [e for e in _typed(t.elem) if _flat(t.elem)][:4]
        shapes: tuple[object, ...] = ()
        if isinstance(t.elem, ListT):
            deeper = _typed_elem(t.elem.elem)
            shapes = ([[deeper], [deeper, deeper], []], [[deeper]] * 3)  # ragged; aliased rows
        return (
            [],
            [inner] * 3,
            [inner, None],
            [inner, inner],
            SubList([inner]),
            [inner] * LONG if _flat(t.elem) else [inner] * 300,
            edges,
            *shapes,
        )
    if isinstance(t, TupleT):
        elems = tuple(_typed_elem(e) for e in t.elems)
        return (
            elems[:-1],
            (*elems, elems[0]),
            list(elems),
            Point(*elems[:2]) if len(elems) == 2 else elems,
        )
    if isinstance(t, DictT):
        k, v = _typed_elem(t.key), _typed_elem(t.value)
        return ({k: v}, {k: None}, {None: v}, SubDict({k: v}))
    if isinstance(t, SetT):
        e = _typed_elem(t.elem)
        return ({e}, frozenset({e}), [e])
    if isinstance(t, ArrayT) and t.ndim in (1, 2):
        dtype = np.int64 if t.elem == NP_INT64 else np.float64
        v = (
            np.linspace(-3.0, 3.0, 7) if t.ndim == 1 else np.arange(12.0).reshape(3, 4) - 5
        ).astype(dtype)
        laid = [Laid(v, layout) for layout in ("strided", "reversed", "readonly")]
        if t.ndim == 2:
            laid += [Laid(v, "fortran"), Laid(v.T.copy(), "fortran")]
        empty = np.zeros((0,) * t.ndim, dtype=dtype)
        long = np.arange(LONG, dtype=dtype) if t.ndim == 1 else np.ones((300, 300), dtype=dtype)
        special = v.copy()
        if dtype == np.float64:
            special.flat[:4] = [math.nan, math.inf, -math.inf, -0.0]
        else:
            special.flat[:2] = [2**63 - 1, -(2**63)]
        return (*laid, empty, long, special, v[..., None] if t.ndim == 1 else v[0])
    return ()


def _typed_elem(t: RType) -> object:
    if t in (INT, NP_INT64):
        return 3
    if t == BOOL:
        return True
    if t in (FLOAT, NP_FLOAT64):
        return 1.5
    if t == COMPLEX:
        return 1 + 1j
    if t == STR:
        return "ab"
    if isinstance(t, ListT):
        return [_typed_elem(t.elem)]
    if isinstance(t, TupleT):
        return tuple(_typed_elem(e) for e in t.elems)
    if isinstance(t, DictT):
        return {_typed_elem(t.key): _typed_elem(t.value)}
    if isinstance(t, SetT):
        return {_typed_elem(t.elem)}
    return None


def _flat(t: RType) -> bool:
    return t in (INT, FLOAT, BOOL, STR, NP_INT64, NP_FLOAT64)


def pool_for(t: RType, *, careful: bool) -> tuple[object, ...]:
    """The hostile values for a parameter of type ``t``. ``careful``: the parameter bounds
    a loop or a recursion, so nothing that could keep Python busy for ever."""
    if careful:
        return (*_WRONG, *_SMALL_INTS)
    return (
        *_WRONG,
        *_SMALL_INTS,
        *_BIG_INTS,
        *_FLOATS,
        *_TEXTS,
        *_LISTS,
        *_DICTS,
        *_ARRAYS,
        *_typed(t),
    )


def typed_pool(t: RType, *, careful: bool) -> tuple[object, ...]:
    """Values of about the type ``t`` (long, empty, NaN-filled, aliased, in odd layouts):
    these reach the Rust code rather than the fallback. Empty for a ``careful`` one."""
    return () if careful else _typed(t)


# -- one guarded call ------------------------------------------------------------------


class _PythonTooSlow(BaseException):
    """Raised into the Python original by the alarm (a BaseException: no ``except
    Exception`` of the function swallows it)."""


@contextlib.contextmanager
def _python_time_limit(seconds: float) -> Iterator[None]:
    if not hasattr(signal, "setitimer"):
        yield  # no interval timer here: the Rust-side guard still stops a hang
        return

    def expire(signum: int, frame: object) -> None:
        raise _PythonTooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Verdict:
    """What one hostile call did: ``matched`` (the same result, computed in Rust),
    ``raised`` (the same exception type, raised in Rust), ``fell_back`` (handed to
    Python), ``skipped`` (Python itself did not finish, or the arguments do not copy)."""

    kind: str


def run_hostile(
    name: str,
    python: Callable[..., object],
    rust: Callable[..., object],
    fallbacks: Callable[[], int],
    args: tuple[object, ...],
    kwargs: Mapping[str, object],
) -> Verdict:
    """Run one hostile call through both builds and assert that Rust did what Python did."""
    try:
        with _python_time_limit(PYTHON_SECONDS):
            expected = run_call(python, args, kwargs)
    except (_PythonTooSlow, NotRecordable):
        return Verdict("skipped")
    before = fallbacks()
    faulthandler.dump_traceback_later(RUST_SECONDS, exit=True)
    try:
        actual = run_call(rust, args, kwargs)
    finally:
        faulthandler.cancel_dump_traceback_later()
    fell_back = fallbacks() - before
    call = describe_call(name, RecordedCall(tuple(args), dict(kwargs), expected))
    shown = f"\n  python: {_show(expected)}\n  rust:   {_show(actual)}"
    same_type = (
        expected.exception is not None
        and actual.exception is not None
        and expected.exception[0] == actual.exception[0]
    )
    # The same exception type is enough here (messages are compared by test_fuzz.py on
    # well-typed calls); the arguments after the call must still be the same.
    compared = Outcome(
        value=actual.value,
        exception=expected.exception if same_type else actual.exception,
        args_after=actual.args_after,
        kwargs_after=actual.kwargs_after,
    )
    diff = compare_outcomes(expected, compared)
    assert diff.equal, f"{call}: {diff.where}: {diff.detail}{shown}"
    if fell_back:
        return Verdict("fell_back")
    return Verdict("raised" if expected.exception is not None else "matched")


def _show(outcome: Outcome) -> str:
    if outcome.exception is not None:
        return f"raises {outcome.exception[0]}({outcome.exception[1][:200]!r})"
    return short_repr(outcome.value)
