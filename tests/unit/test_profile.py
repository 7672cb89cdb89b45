"""The profile stage: attribution of a test's time to user functions.

Real workloads live in module files written to a temporary directory (so their functions
have real paths, with spaces and parentheses in them) and run under cProfile and under a
real py-spy attached to this process. py-spy is skipped where it cannot attach, unless
``RUSTIFY_REQUIRE_PYSPY=1`` makes that a failure.
"""

from __future__ import annotations

import cProfile
import importlib.util
import os
import subprocess
import sys
import textwrap
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pytest_rustify.profile import (
    Profile,
    Profiler,
    merge_profiles,
    parse_pyspy_raw,
    start_profiler,
)
from pytest_rustify.profile import _end_process as end_process

REQUIRE_PYSPY = os.environ.get("RUSTIFY_REQUIRE_PYSPY", "") == "1"
posix_only = pytest.mark.skipif(os.name != "posix", reason="py-spy is only driven on POSIX")

USER_SOURCE = """
import time


def helper(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def hot(seconds):
    deadline = time.perf_counter() + seconds
    done = 0
    while time.perf_counter() < deadline:
        done += helper(20_000)
    return done


def cold():
    total = 0
    for i in range(50):
        total += i
    return total


def recurse(depth, seconds):
    if depth == 0:
        return hot(seconds)
    return recurse(depth - 1, seconds)
"""

LIB_SOURCE = """
import time


def lib_loop(seconds):
    deadline = time.perf_counter() + seconds
    total = 0
    while time.perf_counter() < deadline:
        for i in range(10_000):
            total += i
    return total
"""

TESTS_SOURCE = """
def test_hot(user, lib):
    user.hot(0.3)
    user.cold()


def test_lib(user, lib):
    lib.lib_loop(0.3)
    user.cold()


def test_recursive(user, lib):
    user.recurse(6, 0.3)
"""


@dataclass(frozen=True)
class Workload:
    user: types.ModuleType
    lib: types.ModuleType
    tests: types.ModuleType
    user_file: str
    lib_file: str
    tests_file: str

    def is_user_file(self, path: str) -> bool:
        return path == self.user_file

    def func(self, name: str) -> tuple[str, str]:
        return (self.user_file, name)

    def test(self, name: str) -> tuple[str, str]:
        return (self.tests_file, name)

    @property
    def test_keys(self) -> list[tuple[str, str]]:
        return [self.test(name) for name in ("test_hot", "test_lib", "test_recursive")]


def _load(path: Path, source: str, name: str) -> types.ModuleType:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def workload(tmp_path_factory: pytest.TempPathFactory) -> Workload:
    root = tmp_path_factory.mktemp("profile")
    user_path = root / "src dir (v1)" / "work load.py"
    lib_path = root / "site-packages" / "thirdlib.py"
    tests_path = root / "tests" / "test_work.py"
    return Workload(
        user=_load(user_path, USER_SOURCE, "rustify_profile_user"),
        lib=_load(lib_path, LIB_SOURCE, "rustify_profile_lib"),
        tests=_load(tests_path, TESTS_SOURCE, "rustify_profile_tests"),
        user_file=str(user_path),
        lib_file=str(lib_path),
        tests_file=str(tests_path),
    )


def _run_session(profiler: Profiler, work: Workload) -> Profile:
    """Run the workload's tests as a session would, with time spent outside any test."""
    work.user.hot(0.15)  # before the first test: must not count
    for name in ("test_hot", "test_lib", "test_recursive"):
        key = work.test(name)
        profiler.begin_test(key)
        getattr(work.tests, name)(work.user, work.lib)
        profiler.end_test(key)
        work.user.hot(0.05)  # between tests: must not count
    return profiler.stop(tests=work.test_keys, is_user_file=work.is_user_file)


def _check_attribution(profile: Profile, work: Workload) -> None:
    hot, helper, cold, recurse = (work.func(n) for n in ("hot", "helper", "cold", "recurse"))
    test_hot, test_lib, test_recursive = work.test_keys

    assert set(profile.tests) == set(work.test_keys)
    assert all(profile.tests[key].total > 0 for key in work.test_keys)

    # The hot function dominates its test, the cold one does not.
    assert profile.test_share(test_hot, hot) > 50
    assert profile.test_share(test_hot, cold) < 5
    # The helper runs only inside hot: inclusive in both, never more than hot.
    assert profile.test_share(test_hot, helper) > 50
    assert profile.functions[helper] <= profile.functions[hot]

    # Only user files: not the test file, not the third-party library.
    assert {path for path, _ in profile.functions} == {work.user_file}
    assert all(path == work.user_file for t in profile.tests.values() for path, _ in t.functions)
    assert profile.test_share(test_lib, hot) == 0
    assert work.func("test_hot") not in profile.functions

    # Recursion counts once: never more than the test it runs in.
    assert profile.tests[test_recursive].functions[recurse] <= profile.tests[test_recursive].total
    assert profile.test_share(test_recursive, recurse) > 50

    # Time outside the tests is ignored: the session is the sum of its tests.
    assert profile.total == pytest.approx(sum(t.total for t in profile.tests.values()))
    in_tests = sum(t.functions.get(hot, 0.0) for t in profile.tests.values())
    assert profile.functions[hot] == pytest.approx(in_tests)
    # hot runs in two of the three tests, roughly two thirds of the session.
    assert 30 < profile.share(hot) < 90


def test_cprofile_attribution(tmp_path: Path, workload: Workload) -> None:
    profiler = start_profiler("cprofile", workdir=tmp_path)
    assert profiler.name == "cprofile"
    profile = _run_session(profiler, workload)
    assert profile.profiler == "cprofile"
    assert profile.note == ""
    _check_attribution(profile, workload)


@posix_only
def test_pyspy_attribution(tmp_path: Path, workload: Workload) -> None:
    profiler = start_profiler("py-spy", workdir=tmp_path)
    if profiler.name != "py-spy":
        profiler.stop(tests=(), is_user_file=workload.is_user_file)
        if REQUIRE_PYSPY:
            pytest.fail(f"py-spy required (RUSTIFY_REQUIRE_PYSPY=1): {profiler.note}")
        pytest.skip(profiler.note)
    profile = _run_session(profiler, workload)
    assert profile.profiler == "py-spy"
    assert profile.note == ""
    _check_attribution(profile, workload)
    # Its files are read and removed: none piles up in the cache, session after session.
    assert not any(tmp_path.iterdir())


def test_stop_is_idempotent(tmp_path: Path, workload: Workload) -> None:
    profiler = start_profiler("cprofile", workdir=tmp_path)
    key = workload.test("test_hot")
    profiler.begin_test(key)
    workload.user.cold()
    profiler.end_test(key)
    first = profiler.stop(tests=[key], is_user_file=workload.is_user_file)
    profiler.begin_test(key)  # after stop: ignored
    workload.user.cold()
    profiler.end_test(key)
    second = profiler.stop(tests=[key], is_user_file=workload.is_user_file)
    assert second == first
    assert workload.func("cold") in first.tests[key].functions


def test_cprofile_accumulates_parametrized_items_and_drops_unknown_tests(
    tmp_path: Path, workload: Workload
) -> None:
    profiler = start_profiler("cprofile", workdir=tmp_path)
    key = workload.test("test_hot")
    stranger = workload.test("test_not_in_session")
    for _ in range(3):  # three parametrized items share one key
        profiler.begin_test(key)
        workload.user.helper(1000)
        profiler.end_test(key)
    profiler.begin_test(stranger)
    workload.user.helper(1000)
    profiler.end_test(stranger)
    profile = profiler.stop(tests=[key], is_user_file=workload.is_user_file)
    assert list(profile.tests) == [key]
    assert profile.total == profile.tests[key].total
    assert profile.tests[key].functions[workload.func("helper")] > 0


def test_cprofile_leaves_another_profiler_alone(tmp_path: Path, workload: Workload) -> None:
    calls: list[str] = []

    def other(frame: types.FrameType, event: str, arg: object) -> None:
        calls.append(event)

    profiler = start_profiler("cprofile", workdir=tmp_path)
    key = workload.test("test_hot")
    previous = sys.getprofile()
    sys.setprofile(other)
    try:
        profiler.begin_test(key)
        workload.user.cold()
        profiler.end_test(key)
        assert sys.getprofile() is other
    finally:
        sys.setprofile(previous)
    assert calls  # the other profiler kept receiving events
    profile = profiler.stop(tests=[key], is_user_file=workload.is_user_file)
    assert profile.profiler == "cprofile"
    assert profile.tests == {}
    assert "another profiler was active" in profile.note


def test_cprofile_spares_a_hook_the_test_installs(tmp_path: Path, workload: Workload) -> None:
    def other(frame: types.FrameType, event: str, arg: object) -> None:
        pass

    profiler = start_profiler("cprofile", workdir=tmp_path)
    key = workload.test("test_hot")
    previous = sys.getprofile()
    try:
        profiler.begin_test(key)
        sys.setprofile(other)  # what a test using its own profiler would do
        profiler.end_test(key)
        if sys.version_info < (3, 12):
            assert sys.getprofile() is other
    finally:
        sys.setprofile(previous)
    profile = profiler.stop(tests=[key], is_user_file=workload.is_user_file)
    assert key in profile.tests


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="one cProfile at a time since 3.12")
def test_cprofile_spares_a_cprofile_the_test_enables(tmp_path: Path, workload: Workload) -> None:
    profiler = start_profiler("cprofile", workdir=tmp_path)
    key = workload.test("test_hot")
    inner = cProfile.Profile()
    try:
        profiler.begin_test(key)
        inner.enable()
        profiler.end_test(key)
        hook: object = sys.getprofile()
        assert hook is inner
        workload.user.cold()
    finally:
        inner.disable()
    assert any(entry.code == workload.user.cold.__code__ for entry in inner.getstats())
    profile = profiler.stop(tests=[key], is_user_file=workload.is_user_file)
    assert key in profile.tests


def test_off_profiles_nothing(tmp_path: Path, workload: Workload) -> None:
    profiler = start_profiler("off", workdir=tmp_path)
    key = workload.test("test_hot")
    profiler.begin_test(key)
    workload.user.cold()
    profiler.end_test(key)
    profile = profiler.stop(tests=[key], is_user_file=workload.is_user_file)
    assert profile == Profile(profiler="off", note="", total=0.0)
    assert profile.share(workload.func("cold")) == 0.0
    assert profile.test_share(key, workload.func("cold")) == 0.0


# --- fallbacks ------------------------------------------------------------------------


def _never_user(path: str) -> bool:
    return False


def test_auto_falls_back_when_the_binary_is_missing(tmp_path: Path) -> None:
    missing = tmp_path / "bin" / "no-such-py-spy"
    profiler = start_profiler("auto", workdir=tmp_path, py_spy=str(missing))
    assert profiler.name == "cprofile"
    assert str(missing) in profiler.note
    assert "requested" not in profiler.note
    profile = profiler.stop(tests=(), is_user_file=_never_user)
    assert profile.profiler == "cprofile"
    assert str(missing) in profile.note


def test_requested_pyspy_falls_back_and_says_it_was_requested(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-py-spy"
    profiler = start_profiler("py-spy", workdir=tmp_path, py_spy=str(missing))
    assert profiler.name == "cprofile"
    assert profiler.note.startswith("py-spy was requested")
    assert str(missing) in profiler.note


def _fake_py_spy(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-py-spy"
    script.write_text("#!/bin/sh\n" + textwrap.dedent(body))
    script.chmod(0o755)
    return str(script)


@posix_only
def test_auto_falls_back_with_the_error_line_of_a_py_spy_that_exits(tmp_path: Path) -> None:
    fake = _fake_py_spy(
        tmp_path,
        """
        echo "Error: Permission Denied: Try running again with elevated permissions" >&2
        echo "Stack backtrace:" >&2
        exit 1
        """,
    )
    profiler = start_profiler("auto", workdir=tmp_path, py_spy=fake)
    assert profiler.name == "cprofile"
    assert profiler.note.startswith("py-spy could not attach: Error: Permission Denied")


@posix_only
def test_a_permission_problem_gets_the_ptrace_tip(tmp_path: Path) -> None:
    # What py-spy prints, running as root, when ptrace is not permitted: the reason is
    # only in the causes below the first line.
    fake = _fake_py_spy(
        tmp_path,
        """
        echo "Error: Failed to get process executable name. Check that the process is running." >&2
        echo "" >&2
        echo "Caused by:" >&2
        echo "    0: Permission denied (os error 13)" >&2
        exit 1
        """,
    )
    profiler = start_profiler("auto", workdir=tmp_path, py_spy=fake)
    assert profiler.name == "cprofile"
    first, tip = profiler.note.split("\n")
    assert first == (
        "py-spy could not attach: Error: Failed to get process executable name. Check that "
        "the process is running. (permission denied); profiled with cProfile instead"
    )
    assert tip.startswith("TIP: py-spy needs permission to read this process's memory")
    assert "--cap-add SYS_PTRACE" in tip and "kernel.yama.ptrace_scope" in tip


@posix_only
def test_auto_gives_up_on_a_py_spy_that_never_attaches(tmp_path: Path) -> None:
    fake = _fake_py_spy(tmp_path, "exec sleep 60\n")
    profiler = start_profiler("auto", workdir=tmp_path, py_spy=fake, attach_timeout=0.3)
    assert profiler.name == "cprofile"
    assert "could not attach" in profiler.note
    assert "0.3 s" in profiler.note
    assert "\nTIP: run py-spy by hand" in profiler.note


@posix_only
def test_a_py_spy_that_dies_during_the_session_does_not_break_stop(tmp_path: Path) -> None:
    fake = _fake_py_spy(
        tmp_path,
        """
        echo "py-spy> Sampling process 250 times a second. Press Control-C to exit."
        echo "Error: Failed to copy PyThreadState" >&2
        exit 3
        """,
    )
    profiler = start_profiler("auto", workdir=tmp_path, py_spy=fake)
    assert profiler.name == "py-spy"
    profile = profiler.stop(tests=[("/t/test_a.py", "test_a")], is_user_file=_never_user)
    assert profile.profiler == "py-spy"
    assert profile.total == 0
    assert "exit code 3" in profile.note
    assert "Failed to copy PyThreadState" in profile.note
    assert profiler.stop(tests=(), is_user_file=_never_user) is profile


@posix_only
def test_real_py_spy_error_line_is_kept(tmp_path: Path) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    profiler = start_profiler("auto", workdir=tmp_path, pid=gone.pid)
    if "not found" in profiler.note and not REQUIRE_PYSPY:
        pytest.skip(profiler.note)
    assert profiler.name == "cprofile"
    assert profiler.note.startswith("py-spy could not attach: Error:")


@posix_only
def test_a_process_ignoring_sigint_is_killed() -> None:
    proc = subprocess.Popen(["sh", "-c", "trap '' INT; exec sleep 60"])
    code = end_process(proc, timeout=0.3)
    assert code is not None and code != 0
    assert proc.poll() is not None


# --- the raw-format parser ---------------------------------------------------------------

SRC = "/proj/src (v2)/my;mod.py"
TEST_FILE = "/proj/tests/test a.py"
RUNNER = "<module> (/venv/bin/pytest:8);main (/venv/lib/_pytest/main.py:150)"
RAW = f"""\
{RUNNER};test_a ({TEST_FILE}:3);hot ({SRC}:10);helper ({SRC}:2) 30
{RUNNER};test_a ({TEST_FILE}:3);cold ({SRC}:20) 2
{RUNNER};test_a ({TEST_FILE}:3);lib_loop (/venv/lib/site-packages/lib.py:3) 8
{RUNNER};hot ({SRC}:10);helper ({SRC}:2) 50
{RUNNER};test_b ({TEST_FILE}:9);rec ({SRC}:30);rec ({SRC}:31);rec ({SRC}:31);helper ({SRC}:2) 10
{RUNNER};test_b ({TEST_FILE}:9);Cls.method ({SRC}:40);Cls.method.<locals>.<genexpr> ({SRC}:41) 4
{RUNNER};test_b ({TEST_FILE}:9);<module> ({SRC}:1);helper ({SRC}:2) 3
{RUNNER};test_a ({TEST_FILE}:3);test_b ({TEST_FILE}:9);helper ({SRC}:2) 6
{RUNNER};test_c ({TEST_FILE}:20);hot ({SRC}:10) 5

not a sample line
{RUNNER};test_a ({TEST_FILE}:3) many
"""


def _is_src(path: str) -> bool:
    return path == SRC


def _parse(text: str = RAW) -> Profile:
    tests = [(TEST_FILE, "test_a"), (TEST_FILE, "test_b")]
    return parse_pyspy_raw(text.splitlines(keepends=True), tests=tests, is_user_file=_is_src)


def test_parser_attributes_samples_to_the_outermost_test() -> None:
    profile = _parse()
    test_a, test_b = profile.tests[(TEST_FILE, "test_a")], profile.tests[(TEST_FILE, "test_b")]
    assert test_a.total == 30 + 2 + 8 + 6
    assert test_b.total == 10 + 4 + 3
    assert test_a.functions == {(SRC, "hot"): 30, (SRC, "helper"): 36, (SRC, "cold"): 2}


def test_parser_counts_recursion_once_and_names_by_co_name() -> None:
    test_b = _parse().tests[(TEST_FILE, "test_b")]
    assert test_b.functions[(SRC, "rec")] == 10
    assert test_b.functions[(SRC, "helper")] == 10 + 3
    assert test_b.functions[(SRC, "method")] == 4  # "Cls.method" on Python >= 3.11
    assert not any(name.startswith("<") for _, name in test_b.functions)


def test_parser_ignores_samples_outside_tests_and_non_user_files() -> None:
    profile = _parse()
    assert profile.total == 46 + 17  # neither the 50 outside a test nor test_c's 5
    assert profile.functions[(SRC, "hot")] == 30
    assert profile.functions[(SRC, "helper")] == 36 + 13
    assert {path for path, _ in profile.functions} == {SRC}
    assert profile.share((SRC, "helper")) == pytest.approx(100 * 49 / 63)
    assert profile.test_share((TEST_FILE, "test_a"), (SRC, "hot")) == pytest.approx(100 * 30 / 46)
    assert profile.test_share((TEST_FILE, "test_c"), (SRC, "hot")) == 0.0


def test_parser_reads_frames_without_line_numbers() -> None:
    text = "main (/r/run.py);test_a (/t/test_x.py);hot (/s/m.py);helper (/s/m.py) 7\n"
    profile = parse_pyspy_raw(
        [text], tests=[("/t/test_x.py", "test_a")], is_user_file=lambda p: p == "/s/m.py"
    )
    assert profile.functions == {("/s/m.py", "hot"): 7, ("/s/m.py", "helper"): 7}


def test_parser_matches_relative_test_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/")
    text = "test_a (/t/test_x.py:1);hot (/s/m.py:2) 3\n"
    profile = parse_pyspy_raw(
        [text], tests=[("t/test_x.py", "test_a")], is_user_file=lambda p: p == "/s/m.py"
    )
    assert profile.tests[("t/test_x.py", "test_a")].total == 3


def test_merge_profiles_sums_workers() -> None:
    one = _parse()
    two = parse_pyspy_raw(
        [f"test_c ({TEST_FILE}:20);hot ({SRC}:10) 5\n"],
        tests=[(TEST_FILE, "test_c")],
        is_user_file=_is_src,
        note="worker gw1 note",
    )
    merged = merge_profiles([one, two])
    assert merged.profiler == "py-spy"
    assert merged.total == one.total + 5
    assert merged.functions[(SRC, "hot")] == 35
    assert set(merged.tests) == set(one.tests) | {(TEST_FILE, "test_c")}
    assert merged.note == "worker gw1 note"
    assert merge_profiles([]).profiler == "off"


def _checked(predicate: Callable[[str], bool], calls: list[str]) -> Callable[[str], bool]:
    def wrapped(path: str) -> bool:
        calls.append(path)
        return predicate(path)

    return wrapped


def test_parser_asks_the_predicate_once_per_file_and_never_for_pseudo_files() -> None:
    calls: list[str] = []
    text = (
        f"<module> (<frozen runpy>:1);test_a ({TEST_FILE}:3);x (<string>:1);hot ({SRC}:10) 1\n"
        f"test_a ({TEST_FILE}:3);hot ({SRC}:10);helper ({SRC}:2) 1\n"
    )
    lines = text.splitlines(keepends=True)
    parse_pyspy_raw(lines, tests=[(TEST_FILE, "test_a")], is_user_file=_checked(_is_src, calls))
    assert calls == [SRC]
