"""Parity: replay recorded calls through the Rust build and compare with Python's answers.

Input: the ``RecordedCall``s of one target (what the Python original did) and the
candidate callable (the Rust dispatcher). Output: a ``ParityResult``::

    compare_calls("pkg.mod:mean", calls, rust_mean, fallback_count=lambda: 0)
    == ParityResult(calls=3, mismatches=0, fallbacks=0, max_abs_err=0.0, ...)

Values are compared structurally, as SEMANTICS.md ("What parity compares") asks:
``1`` is not ``1.0`` nor ``True``, a tuple is not a list, dicts compare their items in
order, floats bit for bit (NaN equal to NaN, ``-0.0`` not equal to ``0.0``) unless the
user gives ``rtol``/``atol``. NumPy is imported only when a value comes from it.
Arrays compare dtype, shape and every item (NaN equal to NaN); an ``np.float64`` and a
float with the same bits are the same answer (the translator keeps the exact type
anyway: its results are ``np.float64`` exactly where Python's are).
"""

from __future__ import annotations

import dataclasses
import math
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pytest_rustify.calls import Outcome, RecordedCall, run_call

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

_ITEMS_SHOWN = 2
_REPR_WIDTH = 60


@dataclass(frozen=True)
class Difference:
    """The result of comparing two values.

    ``where`` is the path of the first difference (``"result[3][1]"``,
    ``"args_after[0]['k']"``), ``""`` when equal. The error maxima cover every pair of
    floats compared, including pairs that were equal within the tolerance.
    """

    equal: bool
    where: str
    detail: str
    max_abs_err: float = 0.0
    max_rel_err: float = 0.0
    max_ulp_err: int = 0


@dataclass(frozen=True)
class Mismatch:
    """One replayed call whose answer differed: which call, where, and how."""

    call_index: int
    call: str
    where: str
    detail: str


@dataclass(frozen=True)
class ParityResult:
    """Parity of one target over its recorded calls.

    Calls the candidate handed back to Python are counted in ``fallbacks`` and not
    compared: they are Python's answers, not evidence of parity.
    """

    calls: int
    mismatches: int
    fallbacks: int
    max_abs_err: float
    max_rel_err: float
    max_ulp_err: int
    first_mismatches: tuple[Mismatch, ...]

    @property
    def passed(self) -> bool:
        return self.mismatches == 0

    @property
    def all_fell_back(self) -> bool:
        return self.calls > 0 and self.fallbacks == self.calls


def compare_calls(
    name: str,
    calls: Sequence[RecordedCall],
    candidate: Callable[..., object],
    *,
    fallback_count: Callable[[], int],
    rtol: float = 0.0,
    atol: float = 0.0,
    max_details: int = 5,
) -> ParityResult:
    """Replay every recorded call through ``candidate`` and compare with Python's outcome.

    :param name: the target, ``pkg.mod:func``; its function name labels the mismatches.
    :param fallback_count: a counter, never decreasing, of the calls ``candidate`` handed
        back to Python; read before and after each call to tell a fallback.
    :param max_details: how many mismatches to describe in ``first_mismatches``.
    """
    _check_tolerance(rtol, atol)
    short_name = name.rpartition(":")[2] or name
    mismatches = fallbacks = 0
    max_abs = max_rel = 0.0
    max_ulp = 0
    details: list[Mismatch] = []
    for index, call in enumerate(calls):
        before = fallback_count()
        actual = run_call(candidate, call.args, call.kwargs)
        if fallback_count() != before:
            fallbacks += 1
            continue
        diff = compare_outcomes(call.outcome, actual, rtol=rtol, atol=atol)
        max_abs = max(max_abs, diff.max_abs_err)
        max_rel = max(max_rel, diff.max_rel_err)
        max_ulp = max(max_ulp, diff.max_ulp_err)
        if not diff.equal:
            mismatches += 1
            if len(details) < max_details:
                details.append(
                    Mismatch(index, describe_call(short_name, call), diff.where, diff.detail)
                )
    return ParityResult(
        calls=len(calls),
        mismatches=mismatches,
        fallbacks=fallbacks,
        max_abs_err=max_abs,
        max_rel_err=max_rel,
        max_ulp_err=max_ulp,
        first_mismatches=tuple(details),
    )


def compare_outcomes(
    expected: Outcome, actual: Outcome, *, rtol: float = 0.0, atol: float = 0.0
) -> Difference:
    """Compare two outcomes: result or exception (type and message), then the arguments after."""
    _check_tolerance(rtol, atol)
    walk = _Walk(rtol, atol)
    if expected.exception is not None:
        if actual.exception is None:
            walk.differ(
                "exception",
                f"expected {_show_exception(expected.exception)}, "
                f"got a return value {_show(actual.value)}",
            )
        elif expected.exception != actual.exception:
            walk.differ(
                "exception",
                f"expected {_show_exception(expected.exception)}, "
                f"got {_show_exception(actual.exception)}",
            )
    elif actual.exception is not None:
        walk.differ(
            "result",
            f"expected {_show(expected.value)}, got {_show_exception(actual.exception)}",
        )
    else:
        walk.values(expected.value, actual.value, "result")
    walk.values(tuple(expected.args_after), tuple(actual.args_after), "args_after")
    walk.values(dict(expected.kwargs_after), dict(actual.kwargs_after), "kwargs_after")
    return walk.result()


def values_equal(
    expected: object,
    actual: object,
    *,
    rtol: float = 0.0,
    atol: float = 0.0,
    path: str = "value",
) -> Difference:
    """Compare two values structurally; ``path`` names the root in ``Difference.where``.

    With a tolerance two finite floats are equal when
    ``abs(expected - actual) <= atol + rtol * abs(expected)``: the Python answer is the
    reference. NaN still equals only NaN, and an infinity only the same infinity.
    """
    _check_tolerance(rtol, atol)
    walk = _Walk(rtol, atol)
    walk.values(expected, actual, path)
    return walk.result()


def describe_call(name: str, call: RecordedCall) -> str:
    """A short, one-line picture of a call: ``f([0.5, 1.0, ... 1000 items], 3)``."""
    parts = [short_repr(a) for a in call.args]
    parts += [f"{k}={short_repr(v)}" for k, v in call.kwargs.items()]
    return f"{name}({', '.join(parts)})"


def short_repr(value: object, depth: int = 2) -> str:
    """``repr`` that stays short: long containers show two items and their length."""
    kind = type(value)
    if kind in (list, tuple, set, frozenset):
        items = list(value)  # type: ignore[call-overload]
        opening, closing = {list: ("[", "]"), tuple: ("(", ")")}.get(kind, ("{", "}"))
        if kind is frozenset:
            opening, closing = "frozenset({", "})"
        if not items:
            return "set()" if kind is set else f"{opening}{closing}"
        if depth <= 0:
            return f"{opening}... {len(items)} items{closing}"
        shown = [short_repr(x, depth - 1) for x in items[: _ITEMS_SHOWN + 1]]
        if len(items) > _ITEMS_SHOWN + 1:
            shown = [*shown[:_ITEMS_SHOWN], f"... {len(items)} items"]
        elif kind is tuple and len(items) == 1:
            return f"({shown[0]},)"
        return f"{opening}{', '.join(shown)}{closing}"
    if kind is dict:
        pairs = list(value.items())  # type: ignore[attr-defined]
        if depth <= 0 and pairs:
            return f"{{... {len(pairs)} items}}"
        shown = [
            f"{short_repr(k, depth - 1)}: {short_repr(v, depth - 1)}"
            for k, v in pairs[: _ITEMS_SHOWN + 1]
        ]
        if len(pairs) > _ITEMS_SHOWN + 1:
            shown = [*shown[:_ITEMS_SHOWN], f"... {len(pairs)} items"]
        return f"{{{', '.join(shown)}}}"
    if _from_numpy(kind) and hasattr(value, "shape") and hasattr(value, "dtype"):
        if getattr(value, "ndim", 0):
            return f"array(shape={value.shape}, dtype={value.dtype})"
    try:
        text = repr(value)
    except Exception:
        return f"<{_type_name(kind)} object>"
    if len(text) > _REPR_WIDTH:
        text = text[: _REPR_WIDTH - 3] + "..."
    return text


class _Walk:
    """One structural comparison: the first difference found and the float error maxima.

    The walk goes on after the first difference (where shapes allow), so that the error
    maxima describe every float compared, not only those before it.
    """

    def __init__(self, rtol: float, atol: float) -> None:
        self.rtol = rtol
        self.atol = atol
        self.tolerant = rtol > 0.0 or atol > 0.0
        self.where = ""
        self.detail = ""
        self.found = False
        self.max_abs = 0.0
        self.max_rel = 0.0
        self.max_ulp = 0
        # Pairs of containers on the current path, so self-referencing values terminate.
        self.active: set[tuple[int, int]] = set()

    def result(self) -> Difference:
        return Difference(
            equal=not self.found,
            where=self.where,
            detail=self.detail,
            max_abs_err=self.max_abs,
            max_rel_err=self.max_rel,
            max_ulp_err=self.max_ulp,
        )

    def differ(self, where: str, detail: str) -> None:
        if not self.found:
            self.found, self.where, self.detail = True, where, detail

    def values(self, e: object, a: object, path: str) -> None:
        if e is a:
            return
        te, ta = type(e), type(a)
        if _from_numpy(te) or _from_numpy(ta):
            self._numpy(e, a, path)
            return
        if te is not ta:
            self.differ(path, f"expected {_show(e)}, got {_show(a)}")
            return
        key = (id(e), id(a))
        if key in self.active:
            return
        self.active.add(key)
        try:
            self._same_type(e, a, path)
        finally:
            self.active.discard(key)

    def _same_type(self, e: Any, a: Any, path: str) -> None:
        if isinstance(e, float):
            self.floats(float(e), float(a), path, 64)
        elif isinstance(e, complex):
            self.floats(e.real, a.real, f"{path}.real", 64)
            self.floats(e.imag, a.imag, f"{path}.imag", 64)
        elif isinstance(e, (int, str, bytes, bytearray)) or e is None:
            if e != a:
                self.differ(path, f"expected {_show(e)}, got {_show(a)}")
        elif isinstance(e, (list, tuple)):
            self._sequences(e, a, path)
        elif isinstance(e, dict):
            self._dicts(e, a, path)
        elif isinstance(e, (set, frozenset)):
            self._sets(e, a, path)
        else:
            self._objects(e, a, path)

    def floats(self, e: float, a: float, path: str, width: int) -> None:
        """Compare two floats (``width`` bits wide in their own type) and note the error."""
        if math.isnan(e) or math.isnan(a):
            same = math.isnan(e) and math.isnan(a)
        elif math.isinf(e) or math.isinf(a):
            same = e == a
        else:
            err = abs(e - a)
            if math.isfinite(err):  # the difference of two huge floats can overflow
                scale = max(abs(e), abs(a))
                self.max_abs = max(self.max_abs, err)
                self.max_rel = max(self.max_rel, err / scale if scale > 0.0 else 0.0)
            self.max_ulp = max(self.max_ulp, _ulp_distance(e, a, width))
            if self.tolerant:
                same = err <= self.atol + self.rtol * abs(e)
            else:
                same = e == a and math.copysign(1.0, e) == math.copysign(1.0, a)
        if not same:
            self.differ(path, f"expected {e!r}, got {a!r}{_ulp_note(e, a, width)}")

    def _sequences(self, e: Sequence[object], a: Sequence[object], path: str) -> None:
        if len(e) != len(a):
            kind = _type_name(type(e))
            self.differ(path, f"expected {kind} of {len(e)} items, got {len(a)} items")
        for i, (x, y) in enumerate(zip(e, a, strict=False)):
            self.values(x, y, f"{path}[{i}]")

    def _dicts(self, e: Mapping[Any, object], a: Mapping[Any, object], path: str) -> None:
        ek, ak = list(e), list(a)
        if len(ek) == len(ak) and all(_strictly_equal(x, y) for x, y in zip(ek, ak, strict=True)):
            # Key by key in order, each side looked up with its own key: a NaN key of one
            # side is never found in the other (two NaN objects are not equal).
            for k, j in zip(ek, ak, strict=True):
                self.values(e[k], a[j], f"{path}[{short_repr(k, 1)}]")
            return
        missing = [k for k in ek if not any(_strictly_equal(k, j) for j in ak)]
        extra = [k for k in ak if not any(_strictly_equal(k, j) for j in ek)]
        if not missing and not extra:
            detail = f"same keys in another order: expected {short_repr(ek)}, got {short_repr(ak)}"
        else:
            notes = [f"missing key {short_repr(k, 1)}" for k in missing[:3]]
            notes += [f"unexpected key {short_repr(k, 1)}" for k in extra[:3]]
            detail = "; ".join(notes)
        self.differ(path, detail)
        for k in ek:
            if k in a and k not in missing:
                self.values(e[k], a[k], f"{path}[{short_repr(k, 1)}]")

    def _sets(self, e: Any, a: Any, path: str) -> None:
        by_value = {y: y for y in a}
        notes: list[str] = []
        missing: list[object] = []
        for x in e:
            if x not in by_value:
                missing.append(x)
            elif not _strictly_equal(x, by_value[x]):
                notes.append(f"expected element {_show(x)}, got {_show(by_value[x])}")
        extra = [y for y in a if y not in e]
        # An element holding NaN is found by no lookup (NaN is not equal to itself):
        # pair what is left structurally, NaN equal to NaN as everywhere else.
        for x in list(missing):
            twin = next((y for y in extra if _strictly_equal(x, y)), None)
            if twin is not None:
                missing.remove(x)
                extra = [y for y in extra if y is not twin]
        notes += [f"missing {_show(x)}" for x in missing]
        notes += [f"unexpected {_show(y)}" for y in extra]
        if notes:
            shown = "; ".join(notes[:3])
            more = f" (and {len(notes) - 3} more)" if len(notes) > 3 else ""
            self.differ(path, shown + more)

    def _objects(self, e: Any, a: Any, path: str) -> None:
        if dataclasses.is_dataclass(e):
            for f in dataclasses.fields(e):
                self.values(getattr(e, f.name), getattr(a, f.name), f"{path}.{f.name}")
            return
        default_eq = getattr(type(e), "__eq__", None) is object.__eq__
        if default_eq and hasattr(e, "__dict__") and hasattr(a, "__dict__"):
            # Default equality is identity, which a copy never has: compare the attributes.
            ev, av = vars(e), vars(a)
            if set(ev) != set(av):
                self.differ(path, f"attributes differ: expected {sorted(ev)}, got {sorted(av)}")
            for k in ev:
                if k in av:
                    self.values(ev[k], av[k], f"{path}.{k}")
            return
        try:
            same = bool(e == a)
        except Exception as exc:
            self.differ(path, f"cannot compare {_show(e)} with {_show(a)}: {exc}")
            return
        if not same:
            self.differ(path, f"expected {_show(e)}, got {_show(a)}")

    def _numpy(self, e: Any, a: Any, path: str) -> None:
        import numpy as np

        te, ta = type(e), type(a)
        if {te, ta} <= {float, np.float64}:
            # np.float64 is a float subclass; a float with the same bits is the same answer.
            self.floats(float(e), float(a), path, 64)
            return
        if te is not ta:
            self.differ(path, f"expected {_show(e)}, got {_show(a)}")
        elif isinstance(e, np.ndarray):
            self._arrays(e, a, path)
        elif isinstance(e, np.floating):
            self._numpy_floats(e, a, path)
        elif isinstance(e, np.complexfloating):
            self._numpy_floats(e.real, a.real, f"{path}.real")
            self._numpy_floats(e.imag, a.imag, f"{path}.imag")
        else:
            self._objects(e, a, path)

    def _numpy_floats(self, e: Any, a: Any, path: str) -> None:
        width = e.dtype.itemsize * 8
        if width in _FLOAT_FORMATS:
            self.floats(float(e), float(a), path, width)
        elif not (e == a or (e != e and a != a)):
            # Wider than double (long double): no exact Python float to go through.
            self.differ(path, f"expected {_show(e)}, got {_show(a)}")

    def _arrays(self, e: npt.NDArray[Any], a: npt.NDArray[Any], path: str) -> None:
        import numpy as np

        if e.dtype != a.dtype:
            self.differ(path, f"expected an array of dtype {e.dtype}, got dtype {a.dtype}")
            return
        if e.shape != a.shape:
            self.differ(path, f"expected an array of shape {e.shape}, got shape {a.shape}")
            return
        kind = e.dtype.kind
        if kind == "c":
            self._arrays(np.ascontiguousarray(e.real), np.ascontiguousarray(a.real), path)
            self._arrays(np.ascontiguousarray(e.imag), np.ascontiguousarray(a.imag), path)
            return
        if kind == "O":
            for index in np.ndindex(e.shape):
                self.values(e[index], a[index], f"{path}{_index_text(index)}")
            return
        if kind == "f" and e.dtype.itemsize * 8 in _FLOAT_FORMATS:
            same = self._float_arrays(e.ravel(), a.ravel())
        elif kind == "f":
            # Wider than double (long double): exact comparison, NaN equal to NaN.
            with np.errstate(all="ignore"):
                same = ((e == a) | (np.isnan(e) & np.isnan(a))).ravel()
        else:
            with np.errstate(all="ignore"):
                same = np.asarray(e == a).ravel()
        if not same.all():
            flat = int(np.argmin(same))
            index = tuple(int(i) for i in np.unravel_index(flat, e.shape))
            count = int(same.size - np.count_nonzero(same))
            self.differ(
                f"{path}{_index_text(index)}",
                f"expected {e.ravel()[flat]!r}, got {a.ravel()[flat]!r}"
                f" ({count} of {same.size} elements differ)",
            )

    def _float_arrays(self, e: npt.NDArray[Any], a: npt.NDArray[Any]) -> np.ndarray[Any, Any]:
        import numpy as np

        e64, a64 = e.astype(np.float64), a.astype(np.float64)
        with np.errstate(all="ignore"):
            both_nan = np.isnan(e64) & np.isnan(a64)
            finite = np.isfinite(e64) & np.isfinite(a64)
            err = np.abs(e64 - a64)
            if self.tolerant:
                close = err <= self.atol + self.rtol * np.abs(e64)
            else:
                close = (e64 == a64) & (np.signbit(e64) == np.signbit(a64))
            same = both_nan | np.where(finite, close, e64 == a64)
            if finite.any():
                self.max_ulp = max(self.max_ulp, _ulp_distance_array(e[finite], a[finite]))
                finite &= np.isfinite(err)  # the difference of two huge floats can overflow
            if finite.any():
                err_f = err[finite]
                scale = np.maximum(np.abs(e64[finite]), np.abs(a64[finite]))
                rel = np.divide(err_f, scale, out=np.zeros_like(err_f), where=scale > 0)
                self.max_abs = max(self.max_abs, float(err_f.max()))
                self.max_rel = max(self.max_rel, float(rel.max()))
        return np.asarray(same)


# float width -> struct formats of the float and of the signed integer with its bits
_FLOAT_FORMATS = {64: ("<d", "<q"), 32: ("<f", "<i"), 16: ("<e", "<h")}


def _ordered_bits(x: float, width: int) -> int:
    """An integer that counts ULPs: consecutive floats map to consecutive integers."""
    float_format, int_format = _FLOAT_FORMATS[width]
    (bits,) = struct.unpack(int_format, struct.pack(float_format, x))
    magnitude = int(bits) & ((1 << (width - 1)) - 1)
    return magnitude if bits >= 0 else -magnitude


def _ulp_distance(e: float, a: float, width: int) -> int:
    return abs(_ordered_bits(e, width) - _ordered_bits(a, width))


def _ulp_distance_array(e: npt.NDArray[Any], a: npt.NDArray[Any]) -> int:
    import numpy as np

    signed = np.dtype(f"i{e.dtype.itemsize}")
    ei, ai = e.view(signed).astype(np.int64), a.view(signed).astype(np.int64)
    mask = (1 << (e.dtype.itemsize * 8 - 1)) - 1
    ek = np.where(ei >= 0, ei, -(ei & mask))
    ak = np.where(ai >= 0, ai, -(ai & mask))
    # Opposite signs can overflow int64 when subtracted; add magnitudes in uint64 instead.
    same_sign = (ek >= 0) == (ak >= 0)
    apart = np.where(
        same_sign,
        np.abs(ek - np.where(same_sign, ak, 0)).astype(np.uint64),
        np.abs(ek).astype(np.uint64) + np.abs(ak).astype(np.uint64),
    )
    return int(apart.max()) if apart.size else 0


def _ulp_note(e: float, a: float, width: int) -> str:
    if math.isfinite(e) and math.isfinite(a):
        ulps = _ulp_distance(e, a, width)
        return f" ({ulps} ulp apart)" if ulps == 1 else f" ({ulps} ulps apart)"
    return ""


def _strictly_equal(e: object, a: object) -> bool:
    walk = _Walk(0.0, 0.0)
    walk.values(e, a, "")
    return not walk.found


def _index_text(index: tuple[int, ...]) -> str:
    return f"[{', '.join(str(i) for i in index)}]" if index else "[()]"


def _from_numpy(kind: type) -> bool:
    return kind.__module__.partition(".")[0] == "numpy"


def _type_name(kind: type) -> str:
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def _show(value: object) -> str:
    return f"{short_repr(value)} ({_type_name(type(value))})"


def _show_exception(exception: tuple[str, str]) -> str:
    kind, message = exception
    return f"{kind}: {message}" if message else kind


def _check_tolerance(rtol: float, atol: float) -> None:
    if not (rtol >= 0.0 and atol >= 0.0):
        raise ValueError(f"rtol and atol must be >= 0, got rtol={rtol!r}, atol={atol!r}")
