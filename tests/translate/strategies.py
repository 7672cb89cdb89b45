"""Hypothesis strategies for the translator's IR types: the values corpus functions are fuzzed with.

Input: an ``RType`` from a translated function's parameters. Output: a strategy drawing
Python values of exactly that type, weighted towards the edges where a literal Rust port
goes wrong (SEMANTICS.md)::

    strategy_for(ListT(FLOAT))   # lists of floats: NaN, -0.0, subnormals, 2.0**63, ...
    strategy_for(INT)            # mostly small, plus 0, ±2**31, ±(2**63 - 1), -2**63 and
                                 # values just past 64 bits (the dispatcher must fall back)

    strategy_for(SetT(INT))      # sets of ints, the empty set too
    strategy_for(ArrayT(NP_FLOAT64, 2))  # float64 matrices, empty ones and NaN/inf/-0.0 too,
                                 # some handed over in another memory layout (``Laid``)

``strategy_for`` dispatches on the exact class of the type through ``_BUILDERS``. A new
IR type (a set type, a NumPy array type) needs one builder function and one entry
there; until it has one, ``strategy_for`` raises ``NoStrategy`` naming the class, so a
corpus function with a parameter of that type fails its fuzz test instead of being
fuzzed with something else or not at all.
"""

from __future__ import annotations

import math
import operator
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from pytest_rustify.translate.rtypes import (
    BOOL,
    NP_FLOAT64,
    NP_INT64,
    ArrayT,
    DictT,
    ListT,
    RType,
    Scalar,
    SetT,
    TupleT,
)

Strategy = st.SearchStrategy[Any]

# Lists and dicts: short ones mostly; at the top level also long ones of scalars, so that
# loops run for a while and accumulate (sums, prefix sums). Nested ones stay short: the
# corpus has quadratic and cubic loops over them (matmul, transpose), and a long list of
# lists costs Hypothesis hundreds of draws per example.
SHORT = 8
LONG_MIN, LONG_MAX = 24, 64

I64_MIN, I64_MAX = -(2**63), 2**63 - 1
INT_EDGES = (
    0,
    1,
    2,
    2**31 - 1,
    2**31,
    2**32,
    2**53,
    2**62,
    I64_MAX,
    2**64,
    2**100,
)  # drawn with a jitter of ±2 and negated too: ±2**31, ±(2**63 - 1), -2**63, 2**63 + 1...

# A side of a drawn 2-D array: the corpus loops over matrices cubically (matmul,
# distance matrices); 1-D arrays are as long as lists.
ARRAY_SIDE = 6

# Loop bounds and sizes: an int that sizes a loop or an allocation is drawn from here, so
# that a draw of 2**62 does not make the Python original run for ever. Negative sizes
# are kept: `range(-3)` is empty and `[0] * -3` is `[]`, edges worth comparing.
SIZE_MIN, SIZE_MAX = -3, 40
# Recursion depths: a branching recursion is exponential in its depth.
DEPTH_MIN, DEPTH_MAX = -3, 20

_NAN = math.nan
FLOAT_EDGES = (
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -0.5,
    1.5,
    2.5,
    -2.5,
    0.1,
    _NAN,
    -_NAN,  # NaN with the sign bit set: math.copysign sees it
    math.inf,
    -math.inf,
    5e-324,  # the smallest subnormal
    -5e-324,
    2.225073858507201e-308,  # the largest subnormal
    sys.float_info.min,
    sys.float_info.max,
    -sys.float_info.max,
    sys.float_info.epsilon,
    709.782712893384,  # just under math.exp's overflow
    710.0,
    2.0**52 + 0.5,
    2.0**53,
    2.0**53 + 2.0,
    9.223372036854775e18,  # the largest float below 2**63
    2.0**63,
    -(2.0**63),
    2.0**64,
    1e16,
    1e300,
    math.pi,
)

STR_EDGES = (
    "",
    "a",
    "z",
    "A",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\x0b\x0c",
    "\x1c\x1d\x1e\x1f\x85",  # separators str.split() treats as whitespace
    "\xa0",
    "\u2028\u2029",
    "\u3000",
    "\u200b",  # zero-width space: not whitespace
    "e\u0301",  # e + combining acute: two code points
    "\u0301",
    "\u00df",  # ß
    "\u0130",  # İ: lowercases to two code points
    "\ufb01",  # the fi ligature
    "\u03a3\u03c3\u03c2",
    "\U0001f600",  # a non-BMP code point: one char, four UTF-8 bytes, two UTF-16 units
    "\U0001f44d\U0001f3fd",
    "\U0010ffff",
    "\x00",
    "\x7f",
    "\ud800",  # a lone surrogate: Rust's String cannot hold it, the dispatcher must fall back
    "a\udfffb",
    "()[]{}",
    "([)]",
    "abc",
    "aab",
    "ab" * 40,
    "\u00e9" * 70,
)

# Text drawn freely: all of Unicode but surrogates (Hypothesis's default), ASCII only (the
# fast paths), and a few letters and brackets, so that equal characters and matching
# brackets are frequent.
_TEXTS = (
    st.text(max_size=SHORT),
    st.text(st.characters(codec="ascii"), max_size=LONG_MAX),
    st.text("ab ()[]{}\u00e9\U0001f600", max_size=SHORT * 2),
)


class NoStrategy(TypeError):
    """An IR type the fuzzer cannot draw values for yet."""


@dataclass(frozen=True)
class Where:
    """Where in an argument a value is drawn.

    ``depth``: how deeply nested (long lists only at the top). ``fits``: the value must
    convert to Rust, so no ints past 64 bits and no lone surrogates. Most containers are
    drawn with fitting elements and a quarter without: a list of ints with one 2**64
    in it hands the whole call to Python, and then nothing of the Rust side is compared.
    """

    depth: int = 0
    fits: bool = False

    def inner(self, *, fits: bool | None = None) -> Where:
        return Where(self.depth + 1, self.fits if fits is None else fits)


def strategy_for(t: RType) -> Strategy:
    """Values of IR type ``t``, edge values included.

    :raises NoStrategy: for a type (or a ``Scalar`` name) without a builder.
    """
    return _build(t, Where())


def sizes() -> Strategy:
    """Small ints, for an int that sizes a loop or an allocation."""
    return st.integers(SIZE_MIN, SIZE_MAX)


def depths() -> Strategy:
    """Smaller ints, for an int that bounds the depth of a recursion: ``fib_rec(n)`` makes
    2**n calls in Python."""
    return st.integers(DEPTH_MIN, DEPTH_MAX)


def ints(*, fits: bool = False) -> Strategy:
    """Mostly small ints (the common case, and where the ranges of loops and the signs of
    floor division meet), then ints near the edges of 32 and 64 bits on both sides, past
    64 bits too (where the dispatcher must hand over to Python) unless ``fits``."""
    small = st.integers(-16, 16)
    near_edges = st.builds(operator.add, st.sampled_from(INT_EDGES), st.integers(-2, 2))
    if fits:  # the draws past 64 bits land on the edges themselves
        near_edges = near_edges.map(lambda v: min(v, I64_MAX))
    negated = near_edges.map(lambda v: max(-v, I64_MIN) if fits else -v)
    return st.one_of(
        small,
        small,
        st.integers(-1000, 1000),
        near_edges,
        negated,
        st.integers(I64_MIN, I64_MAX),
    )


def floats() -> Strategy:
    return st.one_of(
        st.sampled_from(FLOAT_EDGES),
        st.floats(),  # all of them: NaN, infinities, subnormals included
        st.floats(-10.0, 10.0),
        st.integers(-1024, 1024).map(float),
        st.integers(-40, 40).map(lambda k: k + 0.5),  # round() ties
        st.sampled_from(INT_EDGES).map(float),
    )


def texts(*, fits: bool = False) -> Strategy:
    edges = [s for s in STR_EDGES if not fits or _encodes(s)]
    return st.one_of(st.sampled_from(edges), *_TEXTS)


def complexes() -> Strategy:
    return st.one_of(st.builds(complex, floats(), floats()), st.complex_numbers())


def foreign_for(t: RType) -> Strategy | None:
    """Values Python accepts where ``t`` is annotated but the Rust build was not made for,
    as callers pass them (an int where a float is expected, ``[1, 2.5]`` for a list of
    floats): the dispatcher must hand such a call to Python. None when ``t`` has none."""
    if isinstance(t, Scalar):
        make = _FOREIGN.get(t.name)
        return None if make is None else make()
    if isinstance(t, ListT):
        odd = foreign_for(t.elem)
        if odd is None:
            return None
        rest = st.lists(_build(t.elem, Where(1, fits=True)), max_size=SHORT)
        return st.builds(lambda xs, x, i: [*xs[:i], x, *xs[i:]], rest, odd, st.integers(0, SHORT))
    if isinstance(t, SetT):
        items = st.lists(_build(t.elem, Where(1, fits=True)), max_size=SHORT)
        # (a set of floats is never a set the translator takes: 1 == 1.0 hash alike)
        return st.one_of(
            items.map(frozenset),
            items,
            st.sets(st.floats(allow_nan=False), min_size=1, max_size=SHORT),
        )
    if isinstance(t, ArrayT):
        return _foreign_array(t)
    return None


_FOREIGN: Mapping[str, Callable[[], Strategy]] = MappingProxyType(
    {
        "float": lambda: st.one_of(st.integers(-8, 8), floats().map(np.float64)),
        "int": st.booleans,
        "complex": floats,
        "np.float64": lambda: st.one_of(
            st.integers(-8, 8),
            st.floats(width=32).map(np.float32),
            st.integers(-8, 8).map(np.int64),
        ),
        "np.int64": lambda: st.one_of(
            st.floats(-8, 8), st.integers(-8, 8).map(np.int32), floats().map(np.float64)
        ),
    }
)


def fits_rust(value: object) -> bool:
    """Whether a drawn value converts to its Rust type: no int past 64 bits and no lone
    surrogate anywhere inside. A call with an argument that does not fit must fall back."""
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return I64_MIN <= value <= I64_MAX
    if isinstance(value, str):
        return _encodes(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(fits_rust(v) for v in value)
    if isinstance(value, dict):
        return all(fits_rust(k) and fits_rust(v) for k, v in value.items())
    return True


def _encodes(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_SCALARS: Mapping[str, Callable[[Where], Strategy]] = MappingProxyType(
    {
        "int": lambda where: ints(fits=where.fits),
        "float": lambda where: floats(),
        "bool": lambda where: st.booleans(),
        "str": lambda where: texts(fits=where.fits),
        "complex": lambda where: complexes(),
        "none": lambda where: st.none(),
        # NumPy's scalar types hold the plain Python scalar too (rtypes.NP_WIDENS)
        "np.float64": lambda where: st.one_of(floats(), floats().map(np.float64)),
        "np.int64": lambda where: st.one_of(ints(fits=where.fits), ints(fits=True).map(np.int64)),
    }
)


def _scalar(t: Scalar, where: Where) -> Strategy:
    make = _SCALARS.get(t.name)
    if make is None:
        raise NoStrategy(f"no strategy for the scalar type {t.name!r}: add one to _SCALARS")
    return make(where)


def _list(t: ListT, where: Where) -> Strategy:
    fit = _build(t.elem, where.inner(fits=True))
    shapes = [st.lists(fit, max_size=SHORT)] * 2
    if where.depth == 0 and isinstance(t.elem, Scalar):
        shapes.append(st.lists(fit, min_size=LONG_MIN, max_size=LONG_MAX))
    if not where.fits:
        shapes.append(st.lists(_build(t.elem, where.inner()), max_size=SHORT))
    return st.one_of(shapes)


def _tuple(t: TupleT, where: Where) -> Strategy:
    return st.tuples(*(_build(e, where.inner()) for e in t.elems))


def _dict(t: DictT, where: Where) -> Strategy:
    def dicts(fits: bool, min_size: int, max_size: int) -> Strategy:
        inner = where.inner(fits=fits)
        key, value = _build(t.key, inner), _build(t.value, inner)
        return st.dictionaries(key, value, min_size=min_size, max_size=max_size)

    shapes = [dicts(True, 0, SHORT)] * 2
    # (two keys at most: no long dicts of bools)
    if where.depth == 0 and t.key != BOOL and isinstance(t.value, Scalar):
        shapes.append(dicts(True, LONG_MIN, LONG_MAX))
    if not where.fits:
        shapes.append(dicts(False, 0, SHORT))
    return st.one_of(shapes)


def _set(t: SetT, where: Where) -> Strategy:
    fit = _build(t.elem, where.inner(fits=True))
    shapes = [st.sets(fit, max_size=SHORT)] * 2
    if where.depth == 0 and t.elem != BOOL and isinstance(t.elem, Scalar):
        # (a list made a set: st.sets with a min_size rejects the many equal small ints)
        shapes.append(st.lists(fit, min_size=LONG_MIN, max_size=LONG_MAX).map(set))
    if not where.fits:
        shapes.append(st.sets(_build(t.elem, where.inner()), max_size=SHORT))
    return st.one_of(shapes)


# -- NumPy arrays -------------------------------------------------------------------------

_DTYPES: Mapping[RType, str] = MappingProxyType({NP_FLOAT64: "float64", NP_INT64: "int64"})


def arrays(dtype: str, ndim: int, *, shape: tuple[int, ...] | None = None) -> Strategy:
    """C-ordered arrays of ``dtype`` (float64: NaN, infinities, -0.0, subnormals; int64:
    its extremes), empty ones included, of ``shape`` or of any shape with ``ndim`` axes."""
    dt = np.dtype(dtype)
    if dt.kind == "f":
        elements = floats() if dt.itemsize == 8 else st.floats(width=32)
    else:
        elements = ints(fits=True) if dt.itemsize == 8 else st.integers(-(2**31), 2**31 - 1)
    if shape is not None:
        shapes: Strategy = st.just(shape)
    elif ndim == 1:
        shapes = st.one_of(
            hnp.array_shapes(min_dims=1, max_dims=1, min_side=0, max_side=SHORT),
            hnp.array_shapes(min_dims=1, max_dims=1, min_side=LONG_MIN, max_side=LONG_MAX),
        )
    else:
        shapes = hnp.array_shapes(min_dims=ndim, max_dims=ndim, min_side=0, max_side=ARRAY_SIDE)
    # fill=nothing: every item drawn on its own (the default fills most with one value)
    return hnp.arrays(dt, shapes, elements=elements, fill=st.nothing())


@dataclass(frozen=True, eq=False)
class Laid:
    """An array handed to the function in another memory layout. ``check_same`` passes
    deep copies, and deep-copying an array makes it writeable and (for a view) contiguous:
    this makes the layout again in every copy. ``layout``: ``strided`` (a view of every
    other item of a bigger array), ``reversed`` (negative strides), ``fortran`` (column
    major), ``readonly`` (not writeable: a function that writes it raises ValueError)."""

    array: Any
    layout: str

    def make(self) -> Any:
        a = self.array.copy()
        if self.layout == "strided":
            base = np.zeros(tuple(2 * n + 1 for n in a.shape), dtype=a.dtype)
            view = base[tuple(slice(1, None, 2) for _ in a.shape)]
            view[...] = a
            return view
        if self.layout == "reversed":
            return a[::-1].copy()[::-1]
        if self.layout == "fortran":
            return np.asfortranarray(a)
        if self.layout == "readonly":
            a.flags.writeable = False
            return a
        raise ValueError(f"unknown layout {self.layout!r}")

    def __deepcopy__(self, memo: dict[int, object]) -> Any:
        return self.make()

    def __repr__(self) -> str:
        return f"{self.layout}({self.array!r})"


LAYOUTS = ("strided", "reversed", "fortran", "readonly")


def _array(t: ArrayT, where: Where) -> Strategy:
    dtype = _DTYPES.get(t.elem)
    if dtype is None or t.ndim not in (1, 2):
        raise NoStrategy(f"no strategy for the array type {t}: only float64/int64, 1-D or 2-D")
    plain = arrays(dtype, t.ndim)
    layouts = LAYOUTS if t.ndim == 2 else tuple(x for x in LAYOUTS if x != "fortran")
    laid = st.builds(Laid, plain, st.sampled_from(layouts))
    return st.one_of(plain, plain, plain, laid)


def _foreign_array(t: ArrayT) -> Strategy | None:
    """Arrays (and array-likes) the build was not made for: another dtype, another number
    of axes, byte order or class, a list. Each must fall back."""
    dtype = _DTYPES.get(t.elem)
    if dtype is None or t.ndim not in (1, 2):
        return None
    other = "int64" if dtype == "float64" else "float64"
    narrow = "float32" if dtype == "float64" else "int32"
    swapped = ">f8" if dtype == "float64" else ">i8"
    dtypes = st.sampled_from((other, narrow, swapped))
    same_ndim = dtypes.flatmap(lambda d: arrays(d, t.ndim))
    other_ndim = st.sampled_from((0, 3 - t.ndim, 3)).flatmap(
        lambda n: arrays(dtype, n, shape=(2,) * n)
    )
    plain = arrays(dtype, t.ndim)
    return st.one_of(
        same_ndim, other_ndim, plain.map(np.ma.masked_array), plain.map(np.ndarray.tolist)
    )


# One entry per IR type class, dispatched on the exact class (a subclass of ListT is a
# different type and needs its own entry, not ListT's builder).
_BUILDERS: Mapping[type[RType], Callable[[Any, Where], Strategy]] = MappingProxyType(
    {Scalar: _scalar, ListT: _list, TupleT: _tuple, DictT: _dict, SetT: _set, ArrayT: _array}
)


def _build(t: RType, where: Where) -> Strategy:
    builder = _BUILDERS.get(type(t))
    if builder is None:
        raise NoStrategy(
            f"no strategy for the IR type {type(t).__name__} ({t}): "
            "add a builder for it to _BUILDERS in tests/translate/strategies.py"
        )
    return builder(t, where)
