"""Recorded calls: what a function was given and what it did, and how to run one again.

The observe stage records calls of the user's functions with ``record_call``; the
compare stage replays them through the Rust build with ``run_call``; the measure stage
times them. Input: a callable and its arguments. Output: an ``Outcome`` (the result or
the exception, and the arguments after the call) inside a ``RecordedCall``::

    def bump(xs: list[int]) -> int:
        xs.append(1)
        return len(xs)

    run_call(bump, ([0],), {})
    == Outcome(value=2, exception=None, args_after=([0, 1],), kwargs_after={})

Arguments are deep-copied before the call, so a recorded call keeps the values the
function was given even when it (or the program afterwards) mutates them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


class NotRecordable(Exception):
    """A value that cannot be deep-copied, so a call with it cannot be recorded or replayed."""


class FrozenKwargs(Mapping[str, object]):
    """A read-only, ordered, picklable mapping of keyword arguments.

    ``types.MappingProxyType`` would do, but it cannot be pickled, and recorded calls
    travel between xdist workers.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, object] | None = None) -> None:
        self._items: dict[str, object] = dict(items or {})

    def __getitem__(self, key: str) -> object:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"FrozenKwargs({self._items!r})"

    def __reduce__(self) -> tuple[type[FrozenKwargs], tuple[dict[str, object]]]:
        return (FrozenKwargs, (self._items,))


@dataclass(frozen=True)
class Outcome:
    """What one call did.

    ``exception`` is ``(type name, str(exception))``; builtin exceptions are named
    bare (``"ZeroDivisionError"``), others with their module (``"pkg.mod.MyError"``).
    ``args_after`` and ``kwargs_after`` are the arguments as the call left them, to
    see in-place mutation.
    """

    value: object = None
    exception: tuple[str, str] | None = None
    args_after: tuple[object, ...] = ()
    kwargs_after: Mapping[str, object] = field(default_factory=FrozenKwargs)

    def __post_init__(self) -> None:
        _freeze(self, "args_after", "kwargs_after")

    @property
    def raised(self) -> bool:
        return self.exception is not None


@dataclass(frozen=True)
class RecordedCall:
    """One call of a function: its arguments as they were before the call, and its outcome."""

    args: tuple[object, ...]
    kwargs: Mapping[str, object]
    outcome: Outcome

    def __post_init__(self) -> None:
        _freeze(self, "args", "kwargs")


def snapshot(value: object) -> object:
    """A deep copy of ``value``: what ``copy.deepcopy`` gives, aliasing included.

    :raises NotRecordable: when ``value`` (or something inside it: a generator, a lock,
        an open file) cannot be deep-copied.
    """
    try:
        return _deep_copy(value, {})
    except Exception as exc:
        raise NotRecordable(
            f"cannot record a value of type {_type_name(type(value))}: "
            f"deep copy failed with {_type_name(type(exc))}: {exc}"
        ) from exc


def run_call(
    fn: Callable[..., object], args: tuple[object, ...], kwargs: Mapping[str, object]
) -> Outcome:
    """Call ``fn`` on deep copies of ``args`` and ``kwargs`` and say what it did.

    An ``Exception`` raised by ``fn`` becomes ``Outcome.exception``, and so does a PyO3
    ``PanicException`` (a ``BaseException``), because a Rust panic is a wrong answer to
    report, not a reason to stop. ``KeyboardInterrupt``, ``SystemExit`` and the like
    propagate. The caller's ``args`` and ``kwargs`` are never touched.

    :raises NotRecordable: when the arguments cannot be deep-copied.
    """
    call_args, call_kwargs = _copy_arguments(args, kwargs)
    try:
        value = fn(*call_args, **call_kwargs)
    except BaseException as exc:
        if not is_outcome(exc):
            raise
        return Outcome(
            exception=describe_exception(exc), args_after=call_args, kwargs_after=call_kwargs
        )
    return Outcome(value=value, args_after=call_args, kwargs_after=call_kwargs)


def record_call(
    fn: Callable[..., object],
    args: tuple[object, ...],
    kwargs: Mapping[str, object],
    sink: Callable[[RecordedCall], object],
    *,
    unrecordable: Callable[[NotRecordable], object] | None = None,
) -> object:
    """Call ``fn`` on the caller's own arguments, exactly as the program would, and record it.

    The arguments are snapshotted before the call; ``fn`` then runs on the *real*
    objects, so the program sees every mutation and identity as it would without us.
    After the call the result (or exception) and snapshots of the arguments become a
    ``RecordedCall`` that is handed to ``sink``, and then the real result is returned or
    the real exception re-raised with its traceback untouched.

    Because the exception is re-raised, the record cannot travel in the return value;
    that is why it goes to ``sink`` (for instance ``list.append`` of the observer).

    A call whose arguments or result cannot be deep-copied still runs normally; it is
    just not recorded, and ``unrecordable`` (when given) receives the reason.
    ``BaseException``s that are not ``Exception``s (``KeyboardInterrupt``...) propagate
    without a record. ``sink`` and ``unrecordable`` must not raise.

    :returns: what ``fn`` returned.
    """
    try:
        before = _copy_arguments(args, kwargs)
    except NotRecordable as exc:
        if unrecordable is not None:
            unrecordable(exc)
        return fn(*args, **kwargs)
    try:
        value = fn(*args, **kwargs)
    except Exception as exc:
        _record(sink, unrecordable, before, None, describe_exception(exc), args, kwargs)
        raise
    _record(sink, unrecordable, before, (value,), None, args, kwargs)
    return value


def describe_exception(exc: BaseException) -> tuple[str, str]:
    """``(type name, message)`` of an exception, as ``Outcome.exception`` holds it."""
    return (_type_name(type(exc)), str(exc))


def _record(
    sink: Callable[[RecordedCall], object],
    unrecordable: Callable[[NotRecordable], object] | None,
    before: tuple[tuple[object, ...], dict[str, object]],
    result: tuple[object] | None,
    exception: tuple[str, str] | None,
    args: tuple[object, ...],
    kwargs: Mapping[str, object],
) -> None:
    try:
        # One deepcopy for all three keeps aliasing between result and arguments.
        after: Any = snapshot((result, tuple(args), dict(kwargs)))
    except NotRecordable as exc:
        if unrecordable is not None:
            unrecordable(exc)
        return
    result_after, args_after, kwargs_after = after
    outcome = Outcome(
        value=None if result_after is None else result_after[0],
        exception=exception,
        args_after=args_after,
        kwargs_after=kwargs_after,
    )
    sink(RecordedCall(args=before[0], kwargs=before[1], outcome=outcome))


def _copy_arguments(
    args: tuple[object, ...], kwargs: Mapping[str, object]
) -> tuple[tuple[object, ...], dict[str, object]]:
    # Copied together so that one list passed twice stays one list in the copy.
    copied: Any = snapshot((tuple(args), dict(kwargs)))
    return copied[0], copied[1]


# Exactly these types (copy._deepcopy_atomic): deepcopy hands them back as they are. An
# instance of a subclass may carry mutable attributes, so it goes through deepcopy.
_ATOMIC = frozenset({type(None), bool, int, float, complex, str, bytes})


def _frozen(value: object) -> bool:
    """Whether deepcopy hands ``value`` back as it is: an atomic, or a tuple of them."""
    cls = type(value)
    return cls in _ATOMIC or (cls is tuple and _ATOMIC.issuperset(map(type, value)))  # type: ignore[call-overload]


def _deep_copy(value: object, memo: dict[int, Any]) -> object:
    """``copy.deepcopy(value, memo)``, with the builtin containers of the calls users make
    (lists of floats, rows of a matrix, dicts of counts) copied without deepcopy's per
    element dispatch: a list of a thousand floats costs a hundredth of deepcopy's time,
    and phase 1 snapshots every recorded call twice. The memo is deepcopy's own, so a
    container reached twice, through the fast path or through deepcopy, is copied once."""
    cls = type(value)
    if cls in _ATOMIC:
        return value
    if cls is list or cls is dict or cls is tuple:
        found = memo.get(id(value), memo)
        if found is not memo:
            return found
    if cls is list:
        items: list[object] = value  # type: ignore[assignment]
        if _ATOMIC.issuperset(map(type, items)):
            copied_list = items.copy()
            memo[id(value)] = copied_list
            return copied_list
        copied_list = []
        memo[id(value)] = copied_list  # before the items: a list may hold itself
        for item in items:
            copied_list.append(_deep_copy(item, memo))
        return copied_list
    if cls is dict:
        mapping: dict[object, object] = value  # type: ignore[assignment]
        if _ATOMIC.issuperset(map(type, mapping.values())) and all(map(_frozen, mapping)):
            copied_dict = mapping.copy()
            memo[id(value)] = copied_dict
            return copied_dict
        copied_dict = {}
        memo[id(value)] = copied_dict
        for key, item in mapping.items():
            copied_dict[_deep_copy(key, memo)] = _deep_copy(item, memo)
        return copied_dict
    if cls is tuple:
        members: tuple[object, ...] = value  # type: ignore[assignment]
        if _ATOMIC.issuperset(map(type, members)):
            return members  # deepcopy's answer too (the keys of a dict of pair counts)
        copies = [_deep_copy(item, memo) for item in members]
        # A tuple inside itself (through a list) was copied while its items were.
        found = memo.get(id(value), memo)
        if found is not memo:
            return found
        # As deepcopy: a tuple whose items all copy to themselves is its own copy.
        same = all(c is m for c, m in zip(copies, members, strict=True))
        copied_tuple = members if same else tuple(copies)
        memo[id(value)] = copied_tuple
        return copied_tuple
    return copy.deepcopy(value, memo)


def is_outcome(exc: BaseException) -> bool:
    """Whether ``exc`` is the called function's answer (an ``Exception``, or a Rust panic
    that PyO3 raised) rather than a request to stop (``KeyboardInterrupt``...)."""
    if isinstance(exc, Exception):
        return True
    kind = type(exc)
    # PyO3 derives PanicException from BaseException so that `except Exception` does not
    # swallow panics; for a replay a panic is the candidate's (wrong) answer.
    return kind.__name__ == "PanicException" and kind.__module__ == "pyo3_runtime"


def _type_name(kind: type) -> str:
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def _freeze(obj: object, args_field: str, kwargs_field: str) -> None:
    # Frozen dataclasses accept a list or a dict from callers; store the immutable forms.
    args = getattr(obj, args_field)
    if type(args) is not tuple:
        object.__setattr__(obj, args_field, tuple(args))
    kwargs = getattr(obj, kwargs_field)
    if type(kwargs) is not FrozenKwargs:
        object.__setattr__(obj, kwargs_field, FrozenKwargs(kwargs))
