"""Types of the translator's IR, and how observed Python values map onto them.

Input: Python values seen at run time (or annotations, parsed by the frontend).
Output: ``RType`` values such as ``ListT(FLOAT)``::

    type_of_value([1.5, 2.0]) == ListT(FLOAT)
    join(ListT(UNKNOWN), ListT(FLOAT)) == ListT(FLOAT)
    join(INT, FLOAT) is None          # a conflict: 1 is not 1.0 in Python
    type_of_value(np.zeros((2, 3))) == ArrayT(NP_FLOAT64, 2)

Each type is exact: a Python ``int`` is ``INT`` and never ``FLOAT``, a ``bool`` is
``BOOL`` and never ``INT``, because parity compares them as different values.

NumPy's scalars are the one deliberate union: ``NP_FLOAT64`` holds a ``float`` or an
``np.float64`` (and ``NP_INT64`` an ``int`` or an ``np.int64``), which one being
tracked at run time, because ``total = 0.0; total += a[i]`` is how users sum arrays.
Arithmetic on them follows NumPy's rules, and every case where those differ from
Python's (NumPy warns: division by zero, overflow, invalid values) falls back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RType:
    """Base of the IR types."""

    def __str__(self) -> str:  # pragma: no cover - overridden
        return "?"


@dataclass(frozen=True)
class Scalar(RType):
    name: str  # int float bool str complex none

    def __str__(self) -> str:
        return "None" if self.name == "none" else self.name


@dataclass(frozen=True)
class Unknown(RType):
    """An element type not known yet (the element type of ``[]``)."""

    def __str__(self) -> str:
        return "?"


@dataclass(frozen=True)
class ListT(RType):
    elem: RType

    def __str__(self) -> str:
        return f"list[{self.elem}]"


@dataclass(frozen=True)
class TupleT(RType):
    elems: tuple[RType, ...]

    def __str__(self) -> str:
        return f"tuple[{', '.join(str(e) for e in self.elems)}]"


@dataclass(frozen=True)
class DictT(RType):
    key: RType
    value: RType

    def __str__(self) -> str:
        return f"dict[{self.key}, {self.value}]"


@dataclass(frozen=True)
class ArrayT(RType):
    """A ``numpy.ndarray``: ``elem`` is NP_FLOAT64 or NP_INT64 (float64/int64 dtypes),
    ``ndim`` 1 or 2; UNKNOWN and 0 where an annotation did not say."""

    elem: RType
    ndim: int

    def __str__(self) -> str:
        dtype = "?" if isinstance(self.elem, Unknown) else str(self.elem).removeprefix("np.")
        return f"ndarray[{dtype}, {self.ndim or '?'}d]"


@dataclass(frozen=True)
class SetT(RType):
    """A set of hashable items (int, str, bool, or tuples of int/str; never floats)."""

    elem: RType

    def __str__(self) -> str:
        return f"set[{self.elem}]"


INT = Scalar("int")
FLOAT = Scalar("float")
BOOL = Scalar("bool")
STR = Scalar("str")
COMPLEX = Scalar("complex")
NONE = Scalar("none")
UNKNOWN = Unknown()
NP_FLOAT64 = Scalar("np.float64")  # a float or an np.float64
NP_INT64 = Scalar("np.int64")  # an int or an np.int64
NP_BOOL = Scalar("np.bool")  # what comparing NumPy scalars gives: conditions only
NP_SCALARS = (NP_FLOAT64, NP_INT64)
# The Python scalar each NumPy scalar type also holds.
NP_WIDENS: dict[RType, RType] = {FLOAT: NP_FLOAT64, INT: NP_INT64}

NUMERIC = (INT, FLOAT, BOOL, COMPLEX)
MAX_TUPLE = 4  # the runtime's conversions cover tuples up to this arity


def join(a: RType, b: RType) -> RType | None:
    """The type that covers both, or None when they conflict."""
    if isinstance(a, Unknown):
        return b
    if isinstance(b, Unknown):
        return a
    if a == b:
        return a
    if NP_WIDENS.get(a) == b or NP_WIDENS.get(b) == a:
        return b if a in NP_WIDENS else a
    if isinstance(a, ArrayT) and isinstance(b, ArrayT):
        elem = join(a.elem, b.elem)
        if elem is None or a.elem not in (elem, UNKNOWN) or b.elem not in (elem, UNKNOWN):
            return None
        if a.ndim and b.ndim and a.ndim != b.ndim:
            return None
        return ArrayT(elem, a.ndim or b.ndim)
    if isinstance(a, ListT) and isinstance(b, ListT):
        e = join(a.elem, b.elem)
        return None if e is None else ListT(e)
    if isinstance(a, TupleT) and isinstance(b, TupleT) and len(a.elems) == len(b.elems):
        parts = [join(x, y) for x, y in zip(a.elems, b.elems, strict=True)]
        if any(p is None for p in parts):
            return None
        return TupleT(tuple(p for p in parts if p is not None))
    if isinstance(a, DictT) and isinstance(b, DictT):
        k = join(a.key, b.key)
        v = join(a.value, b.value)
        return None if k is None or v is None else DictT(k, v)
    if isinstance(a, SetT) and isinstance(b, SetT):
        e = join(a.elem, b.elem)
        return None if e is None else SetT(e)
    return None


def join_all(types: Iterable[RType]) -> RType | None:
    out: RType = UNKNOWN
    for t in types:
        j = join(out, t)
        if j is None:
            return None
        out = j
    return out


def is_complete(t: RType) -> bool:
    """No Unknown anywhere inside."""
    if isinstance(t, Unknown):
        return False
    if isinstance(t, (ListT, SetT)):
        return is_complete(t.elem)
    if isinstance(t, TupleT):
        return all(is_complete(e) for e in t.elems)
    if isinstance(t, DictT):
        return is_complete(t.key) and is_complete(t.value)
    if isinstance(t, ArrayT):
        return is_complete(t.elem) and t.ndim > 0
    return True


def is_mutable(t: RType) -> bool:
    """Values Python shares by reference and code can change in place."""
    return isinstance(t, (ListT, DictT, SetT, ArrayT))


def contains_float(t: RType) -> bool:
    if t in (FLOAT, COMPLEX, NP_FLOAT64):
        return True
    if isinstance(t, (ListT, SetT)):
        return contains_float(t.elem)
    if isinstance(t, TupleT):
        return any(contains_float(e) for e in t.elems)
    if isinstance(t, DictT):
        return contains_float(t.key) or contains_float(t.value)
    return False


def is_hashable_key(t: RType) -> bool:
    """Dict keys we accept: ints, strs, bools alone, and tuples of those (never floats:
    ``1 == 1.0 == True`` hash alike in Python)."""
    if t in (INT, STR, BOOL):
        return True
    if isinstance(t, TupleT):
        return all(e in (INT, STR) for e in t.elems)
    return False


def type_of_value(value: object) -> RType | None:
    """The IR type of an observed value, or None if it is outside what we translate."""
    tp = type(value)
    if tp is bool:
        return BOOL
    if tp is int:
        return INT
    if tp is float:
        return FLOAT
    if tp is str:
        return STR
    if tp is complex:
        return COMPLEX
    if value is None:
        return NONE
    if tp.__module__ == "numpy":
        return _numpy_type(value)
    if isinstance(value, list) and tp is list:
        elem = _join_values(value)
        return None if elem is None else ListT(elem)
    if isinstance(value, tuple) and tp is tuple:
        items: tuple[object, ...] = value
        if not 0 < len(items) <= MAX_TUPLE:
            return None
        parts = [type_of_value(v) for v in items]
        if any(p is None for p in parts):
            return None
        return TupleT(tuple(p for p in parts if p is not None))
    if isinstance(value, dict) and tp is dict:
        keys = _join_values(value.keys())
        vals = _join_values(value.values())
        if keys is None or vals is None:
            return None
        return DictT(keys, vals)
    if isinstance(value, set) and tp is set:
        # A set of floats is refused: 1 == 1.0 hash alike, and NaN breaks membership.
        elem = _join_values(value)
        return None if elem is None or not _set_elem(elem) else SetT(elem)
    return None


def _set_elem(t: RType) -> bool:
    return isinstance(t, Unknown) or is_hashable_key(t)


def _join_values(values: Iterable[object]) -> RType | None:
    out: RType = UNKNOWN
    for v in values:
        t = type_of_value(v)
        j = None if t is None else join(out, t)
        if j is None:
            return None
        out = j
    return out


def _numpy_type(value: object) -> RType | None:
    """NumPy values by their exact type, without importing NumPy: float64/int64 scalars,
    and float64/int64 arrays of 1 or 2 dimensions in native byte order (no subclasses:
    a masked array indexes differently)."""
    name = type(value).__name__
    if name == "float64":
        return NP_FLOAT64
    if name == "int64":
        return NP_INT64
    if name != "ndarray":
        return None
    dtype = getattr(value, "dtype", None)
    ndim = getattr(value, "ndim", 0)
    if dtype is None or not getattr(dtype, "isnative", False) or ndim not in (1, 2):
        return None
    elem = {"float64": NP_FLOAT64, "int64": NP_INT64}.get(str(dtype))
    return None if elem is None else ArrayT(elem, ndim)
