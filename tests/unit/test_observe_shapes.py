"""Recording by shape: few records of a test's alike calls, every shape of call kept, and
snapshots of builtin containers that are exactly what deepcopy makes."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from typing import Any

import numpy as np

from pytest_rustify.calls import snapshot
from pytest_rustify.observe import CallRecorder, call_shape


def total(xs: list[float], scale: float = 1.0) -> float:
    return sum(xs) * scale


def shapes_of(calls: object) -> set[object]:
    return {call_shape(c.args, dict(c.kwargs)) for c in calls}  # type: ignore[attr-defined]


# --- call_shape ------------------------------------------------------------------------


def test_call_shape_tells_item_types_sizes_and_signs_apart() -> None:
    floats = call_shape(([1.0, 2.0],), {})
    assert call_shape(([3.0, -4.0],), {}) == floats  # other values, same shape
    assert call_shape(([3.0, 4.0, 5.0],), {}) == floats  # 2 and 3 items: one size class
    assert call_shape(([1, 2],), {}) != floats
    assert call_shape(([],), {}) != floats
    assert call_shape(([1.0] * 1000,), {}) != floats
    assert call_shape(((1.0, 2.0),), {}) != floats
    assert call_shape(([1.0, 2.0], 3), {}) != call_shape(([1.0, 2.0], 0), {})
    assert call_shape(([1.0, 2.0], 3), {}) != call_shape(([1.0, 2.0], -3), {})
    assert call_shape(([1.0, 2.0], 5), {}) == call_shape(([1.0, 2.0], 7), {})
    assert call_shape(([1.0, 2.0], 3), {}) != call_shape(([1.0, 2.0], 300), {})
    assert call_shape(([1.0, 2.0], 2.5), {}) == call_shape(([1.0, 2.0], 1e300), {})
    assert call_shape(([1.0, 2.0], 2.5), {}) != call_shape(([1.0, 2.0], -2.5), {})
    assert call_shape((True,), {}) != call_shape((1,), {})
    assert call_shape(("",), {}) != call_shape(("abc",), {})
    assert call_shape(({"a": 1},), {}) != call_shape(({"a": 1.0},), {})
    assert call_shape(([1.0],), {"scale": 2.0}) != call_shape(([1.0], 2.0), {})


def test_call_shape_of_arrays_reads_dtype_dimensions_and_size() -> None:
    a = call_shape((np.zeros(100),), {})
    assert call_shape((np.ones(100),), {}) == a
    assert call_shape((np.zeros(100, dtype=np.int64),), {}) != a
    assert call_shape((np.zeros((10, 10)),), {}) != a
    assert call_shape((np.zeros(3),), {}) != a
    assert call_shape((list(np.zeros(100)),), {}) != a


# --- the budgets -----------------------------------------------------------------------


def test_a_loop_of_alike_calls_gives_per_shape_records_and_each_edge_case_one() -> None:
    recorder = CallRecorder(per_test=8, per_function=64, per_shape=2)
    wrapped = recorder.wrap("m:total", total)
    rng = random.Random(1)
    recorder.begin_test()
    for _ in range(50):
        wrapped([rng.random() for _ in range(100)])
    edge_cases: list[list[float]] = [[], [5.0], [1.0, 2.0]]
    for xs in edge_cases:
        wrapped(xs)
    recorder.end_test()
    obs = recorder.observations()["m:total"]
    assert obs.seen == 53
    sizes = [len(c.args[0]) for c in obs.calls]  # type: ignore[arg-type]
    assert sizes == [100, 100, 0, 1, 2]


def test_per_shape_budget_starts_again_in_the_next_test() -> None:
    recorder = CallRecorder(per_test=8, per_function=64, per_shape=1)
    wrapped = recorder.wrap("m:total", total)
    for test in range(3):
        recorder.begin_test()
        for i in range(5):
            wrapped([float(test), float(i)])
        recorder.end_test()
    calls = recorder.observations()["m:total"].calls
    assert [c.args for c in calls] == [([0.0, 0.0],), ([1.0, 0.0],), ([2.0, 0.0],)]


def test_the_cap_per_function_holds_for_calls_of_shapes_already_recorded() -> None:
    recorder = CallRecorder(per_test=5, per_function=12, per_shape=None)
    wrapped = recorder.wrap("m:total", total)
    for test in range(10):
        recorder.begin_test()
        for i in range(20):
            wrapped([float(test), float(i)])
        recorder.end_test()
    obs = recorder.observations()["m:total"]
    assert obs.seen == 200
    assert len(obs.calls) == 12
    assert recorder.exhausted("m:total")


def test_calls_kept_cover_every_shape_seen_even_past_the_budgets() -> None:
    # 33 shapes in all; the per-test budget alone would give at most 3 records a test.
    recorder = CallRecorder(per_test=3, per_function=34, per_shape=2)
    wrapped = recorder.wrap("m:total", total)
    rng = random.Random(7)
    makers: list[Callable[[int], object]] = [
        lambda n: [rng.random() for _ in range(n)],
        lambda n: [rng.randrange(100) for _ in range(n)],
        lambda n: tuple(rng.random() for _ in range(n)),
    ]
    shapes_seen: set[object] = set()
    for _ in range(12):
        recorder.begin_test()
        for _ in range(40):
            xs = rng.choice(makers)(rng.choice([0, 1, 3, 50]))
            scale = rng.choice([1.0, -2.0, 0.0])
            shapes_seen.add(call_shape((xs, scale), {}))
            wrapped(xs, scale)
        recorder.end_test()
    obs = recorder.observations()["m:total"]
    assert obs.seen == 480
    assert len(shapes_seen) == 33
    assert shapes_of(obs.calls) == shapes_seen
    # Past the budgets only new shapes were recorded: one record each at most.
    assert len(obs.calls) <= 34 + len(shapes_seen)


def test_shapes_recorded_beyond_the_budgets_are_capped_too() -> None:
    recorder = CallRecorder(per_test=1, per_function=4, per_shape=1)
    wrapped = recorder.wrap("m:total", total)
    recorder.begin_test()
    for n in range(200):
        wrapped([1.0] * n, float(n % 3) - 1.0)  # many size classes and signs
    recorder.end_test()
    obs = recorder.observations()["m:total"]
    assert obs.seen == 200
    assert len(obs.calls) == 4
    assert len(shapes_of(obs.calls)) == 4


# --- snapshots -------------------------------------------------------------------------


class Holder:
    def __init__(self, items: list[float]) -> None:
        self.items = items


class Tagged(float):
    note: list[int]


def test_snapshot_of_builtin_containers_is_a_deep_copy() -> None:
    row = [1.0, 2.0]
    value: Any = ([row, [3.0]], {"k": [4, 5], "t": (1, "a")}, (row, 2), "s")
    copied: Any = snapshot(value)
    assert copied == value
    assert copied == copy.deepcopy(value)
    assert copied[0] is not value[0] and copied[0][0] is not row
    assert copied[1]["k"] is not value[1]["k"]
    row.append(9.0)
    value[1]["k"].append(6)
    assert copied[0][0] == [1.0, 2.0]
    assert copied[1]["k"] == [4, 5]


def test_snapshot_keeps_aliasing_as_deepcopy_does() -> None:
    shared = [1.0, 2.0]
    holder = Holder(shared)
    args = (shared, shared, holder, [shared])
    copied = snapshot(args)
    assert isinstance(copied, tuple)
    assert copied[0] is copied[1]
    assert copied[2].items is copied[0]  # one memo for the fast path and deepcopy
    assert copied[3][0] is copied[0]
    assert copied[0] is not shared


def test_snapshot_of_containers_that_hold_themselves() -> None:
    loop: list[object] = [1.0]
    loop.append(loop)
    holder: dict[str, object] = {}
    holder["me"] = (holder, 2)
    copied_loop = snapshot(loop)
    assert isinstance(copied_loop, list)
    assert copied_loop[1] is copied_loop and copied_loop is not loop
    copied_holder = snapshot(holder)
    assert isinstance(copied_holder, dict)
    assert copied_holder["me"][0] is copied_holder and copied_holder is not holder


def test_snapshot_returns_a_tuple_of_immutables_itself_as_deepcopy_does() -> None:
    t = (1, 2.0, "x", None, (3, b"y"))
    assert snapshot(t) is t
    assert copy.deepcopy(t) is t
    with_list = (1, [2.0])
    assert snapshot(with_list) is not with_list


def test_snapshot_copies_subclass_items_through_deepcopy() -> None:
    x = Tagged(1.5)
    x.note = [1]
    copied = snapshot([x, 2.0])
    assert isinstance(copied, list)
    assert type(copied[0]) is Tagged and copied[0] == 1.5
    assert copied[0].note == [1] and copied[0].note is not x.note


class Key:
    """Hashable by identity, with mutable state: deepcopy copies it, so must a snapshot."""

    def __init__(self, tag: list[int]) -> None:
        self.tag = tag


def test_snapshot_of_a_dict_with_tuple_keys() -> None:
    counts = {("a", "b"): 2, ("b", 1): 3}
    copied: Any = snapshot(counts)
    assert copied == counts and copied is not counts
    assert list(copied) == list(counts)  # the order of the items too
    key = Key([1])
    odd = {(key, 1): [2.0]}
    copied_odd: Any = snapshot(odd)
    ((copied_key, one),) = copied_odd
    assert one == 1 and copied_key is not key and copied_key.tag == [1]
    assert copied_odd[(copied_key, 1)] == [2.0]
