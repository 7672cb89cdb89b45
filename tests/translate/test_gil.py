"""The GIL is released around long Rust calls on owned values, and only around those.

Observed, not timed: the switch interval is raised so far that a thread holding the GIL
keeps it until it blocks or releases it, a second thread is made runnable just before
the call, and it records what the caller's state was when it got the GIL. During a call
that releases the GIL it sees the call still running; otherwise it can only run after.
"""

from __future__ import annotations

import inspect
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from pytest_rustify import build
from pytest_rustify.calls import RecordedCall, run_call
from pytest_rustify.source import translate_callable
from pytest_rustify.translate import gil, ir
from pytest_rustify.translate.rust import crate_dependencies, generate_crate

# -- the functions built (module level: the translator reads them from this file) ------


def spin(n: int, x: float) -> float:
    acc = 0.0
    for _ in range(n):
        acc = acc * x + 1.0
    return acc


def total(xs: list[float]) -> float:
    acc = 0.0
    for x in xs:
        acc += x
    return acc


def longest(words: list[str]) -> int:
    best = 0
    for w in words:
        if len(w) > best:
            best = len(w)
    return best


def scale_in_place(xs: list[float], k: float) -> None:
    for i in range(len(xs)):
        xs[i] = xs[i] * k


BUILT: dict[str, tuple[Callable[..., Any], tuple[object, ...]]] = {
    "spin": (spin, (10, 0.5)),
    "total": (total, ([1.0, 2.5],)),
    "longest": (longest, (["a", "bcd"],)),
    "scale_in_place": (scale_in_place, ([1.0, 2.0], 3.0)),
}


def _translate(name: str) -> ir.Function:
    fn, args = BUILT[name]
    call = RecordedCall(args=args, kwargs={}, outcome=run_call(fn, args, {}))
    file = inspect.getsourcefile(fn)
    assert file is not None
    result = translate_callable(f"test_gil:{name}", fn, file, fn.__code__.co_firstlineno, [call])
    assert isinstance(result, ir.Function), result
    return result


@pytest.fixture(scope="module")
def built(toolchain: None, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    functions = tuple(_translate(name) for name in BUILT)
    sources = generate_crate(ir.Module(functions, sys.version_info[:2]))
    result = build.build_crate(
        sources,
        cache_dir=Path(tmp_path_factory.mktemp("gil")),
        toolchain=build.find_toolchain(),
        dependencies=crate_dependencies(sources),
    )
    assert result.status != "failed", result.message
    module = build.load_extension(result)
    for name, (fn, _) in BUILT.items():
        module.__rustify_originals__[name] = fn
    return module


# -- which calls may release ---------------------------------------------------------------


def test_owned_values_with_sized_loops_get_a_work_estimate() -> None:
    assert gil.release_work(_translate("spin")) == "rt::work_product(&[c.0])"
    assert gil.release_work(_translate("total")) == "rt::work_sum(&[rt::Work::work(&c.0)])"


def test_strings_and_arguments_written_back_keep_the_gil() -> None:
    # A Rust string holds the caller's str object; a written argument goes back into the
    # caller's list, which another thread could change in between.
    assert gil.release_work(_translate("longest")) is None
    assert gil.release_work(_translate("scale_in_place")) is None


# -- what another thread sees ---------------------------------------------------------------


@pytest.fixture
def gil_kept_until_blocking() -> Iterator[None]:
    old = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def _what_another_thread_sees(call: Callable[[], object]) -> list[str]:
    """The caller's state ("calling" or "returned") when a thread made runnable just
    before ``call`` first runs Python code."""
    state = ["calling"]
    seen: list[str] = []
    go = threading.Event()

    def other() -> None:
        go.wait()
        seen.append(state[0])

    thread = threading.Thread(target=other)
    thread.start()
    go.set()  # `other` now waits for the GIL only
    call()
    state[0] = "returned"
    thread.join()
    return seen


@pytest.mark.usefixtures("gil_kept_until_blocking")
def test_another_thread_runs_during_a_long_call(built: ModuleType) -> None:
    seen = _what_another_thread_sees(lambda: built.spin(300_000_000, 0.5))
    assert seen == ["calling"]


@pytest.mark.usefixtures("gil_kept_until_blocking")
def test_a_long_call_over_a_big_list_releases_too(built: ModuleType) -> None:
    xs = [0.5] * 2_000_000

    def calls() -> None:
        for _ in range(20):
            built.total(xs)

    assert _what_another_thread_sees(calls) == ["calling"]


@pytest.mark.usefixtures("gil_kept_until_blocking")
def test_short_calls_keep_the_gil(built: ModuleType) -> None:
    def many_short_calls() -> None:
        for _ in range(20_000):
            built.spin(50, 0.5)
            built.total([0.5] * 100)

    assert _what_another_thread_sees(many_short_calls) == ["returned"]


@pytest.mark.usefixtures("gil_kept_until_blocking")
def test_long_calls_on_strings_keep_the_gil(built: ModuleType) -> None:
    words = ["ab", "cde", "f"] * 200_000
    assert _what_another_thread_sees(lambda: built.longest(words)) == ["returned"]


def test_released_calls_give_python_s_results(built: ModuleType) -> None:
    assert built.spin(300_000, 0.5) == spin(300_000, 0.5)
    assert built.spin(20_000, 1.0) == 20_000.0
    xs = [0.1 * i for i in range(50_000)]
    assert built.total(xs) == total(xs)
    # A non-float element: the Python original runs it (and raises its own TypeError).
    with pytest.raises(TypeError):
        built.total([1.0] * 20_000 + ["x"])
    assert built.__rustify_fallbacks__()["total"] == 1
