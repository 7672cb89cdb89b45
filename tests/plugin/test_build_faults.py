"""Build faults a session survives, each provoked for real in an inner session.

Generated Rust that does not compile, a build over its time limit, a session killed
mid-build (SIGINT, SIGKILL), a damaged cache entry, a read-only cache, and a broken
toolchain (no cargo, no maturin, a rustc too old, no network for the crates): each test
arranges the fault, runs pytest in a subprocess, and checks what the user reads and
what happens to the ``[rust]`` items.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

MYMOD = """
def total(xs: list[float]) -> float:
    s = 0.0
    for x in xs:
        s += x * x
    return s


def count_above(xs: list[float], limit: float) -> int:
    n = 0
    for x in xs:
        if x > limit:
            n += 1
    return n
"""

TESTS = """
import pytest
from mymod import count_above, total


@pytest.mark.rustify
def test_total():
    for n in range(300):
        xs = [float(i) for i in range(n % 40)]
        m = len(xs)
        assert total(xs) == (m - 1) * m * (2 * m - 1) / 6


@pytest.mark.rustify
def test_count():
    xs = [float(i % 7) for i in range(300)]
    for _ in range(300):
        assert count_above(xs, 3.0) == 128
"""

# Two [python] items pass in every run; the two [rust] items are what each fault decides.
PYTHON_ITEMS = 2
RUST_ITEMS = 2

# Breaks the Rust of `total` only, at the statement `return s` (line 5 of mymod.py).
BREAK_TOTAL = """
def pytest_rustify_crate_sources(config, sources):
    lib = sources["src/lib.rs"]
    start = lib.index("fn impl_total(")
    ret = lib.index("return Ok(", start)
    line_start = lib.rindex("\\n", 0, ret) + 1
    sources["src/lib.rs"] = (
        lib[:line_start] + '    let broken: i64 = "not an int";\\n' + lib[line_start:]
    )
"""


def line_of(text: str) -> int:
    return [line.strip() for line in MYMOD.strip("\n").splitlines()].index(text) + 1


@pytest.fixture
def project(pytester: pytest.Pytester, toolchain: None) -> pytest.Pytester:
    pytester.makepyfile(mymod=MYMOD, test_faults=TESTS)
    return pytester


Run = Callable[..., tuple[pytest.RunResult, dict[str, Any]]]


@pytest.fixture
def run_inner(project: pytest.Pytester) -> Run:
    """Run the inner session in a subprocess, optionally through a ``prefix`` command or
    with another ``python``; returns the result and the JSON report."""

    def run(
        *args: str,
        cache: Path,
        python: str = sys.executable,
        prefix: Sequence[str] = (),
    ) -> tuple[pytest.RunResult, dict[str, Any]]:
        report = project.path / "rustify.json"
        report.unlink(missing_ok=True)
        result = project.run(
            *prefix, python, *inner_args(project, cache, report), *args, timeout=900
        )
        data = json.loads(report.read_text()) if report.exists() else {}
        return result, data

    return run


def inner_args(project: pytest.Pytester, cache: Path, report: Path) -> list[str]:
    return [
        "-m",
        "pytest",
        f"--basetemp={project.path / 'inner-tmp'}",
        "--rustify",
        "--rustify-profiler=cprofile",
        f"--rustify-cache-dir={cache}",
        f"--rustify-json={report}",
        "--rustify-measure-seconds=0.1",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        "-rfEs",
    ]


def by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["target"].split(":")[1]: f for f in report["functions"]}


def assert_rust_items(result: pytest.RunResult, *, require: bool, reason: str) -> None:
    """Every [rust] item skipped with ``reason``, or failed with it when required."""
    out = result.stdout.str()
    assert reason in out, out
    if require:
        result.assert_outcomes(passed=PYTHON_ITEMS, failed=RUST_ITEMS)
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        assert "FAILED test_faults.py::test_total[rust]" in out
    else:
        result.assert_outcomes(passed=PYTHON_ITEMS, skipped=RUST_ITEMS)
        assert result.ret == pytest.ExitCode.OK
        assert "SKIPPED" in out


# --- generated Rust that does not compile --------------------------------------------------


@pytest.mark.parametrize("require", [False, True], ids=["skip", "require"])
def test_rust_that_does_not_compile_drops_only_its_function(
    project: pytest.Pytester, run_inner: Run, rustify_cache: Path, require: bool
) -> None:
    project.makeconftest(BREAK_TOTAL)
    result, report = run_inner(*(["--rustify-require"] if require else []), cache=rustify_cache)
    out = result.stdout.str()
    where = f"mymod.py:{line_of('return s')}"
    # The compiler's first error, at the Python line whose Rust it is.
    assert (
        f"WARNING: mymod:total left out of the build: its Rust does not compile: {where}: "
        "error[E0308]: mismatched types (src/lib.rs:"
    ) in out, out
    functions = by_name(report)
    assert functions["total"]["status"] == "build_failed"
    assert f"{where}: error[E0308]: mismatched types (src/lib.rs:" in functions["total"]["reason"]
    # The other target was built without it, and its [rust] item ran against Rust.
    assert report["build"]["status"] in ("built", "cached")  # the crate without `total`
    assert functions["count_above"]["status"] == "accelerated"
    assert functions["count_above"]["parity"]["mismatches"] == 0
    if require:
        result.assert_outcomes(passed=PYTHON_ITEMS + 1, failed=1)
        assert "FAILED test_faults.py::test_total[rust]" in out
    else:
        result.assert_outcomes(passed=PYTHON_ITEMS + 1, skipped=1)
        assert f"not built, mymod:total: its Rust does not compile: {where}: error[E0308]" in out


# --- the build's time limit ----------------------------------------------------------------


def fresh_cache(tmp_path: Path) -> Path:
    """A cache directory no earlier run used: its crate is new to the shared cargo target
    directory (whose incremental state is keyed by the cache's path), so it compiles."""
    return tmp_path / f"cache-{time.time_ns()}"


def build_processes(*places: Path) -> list[str]:
    """The live processes of a build that names one of ``places`` in its command line or
    environment (the cache, which cargo names to rustc in ``CARGO_MANIFEST_DIR``; the
    target directory, passed on in ``CARGO_TARGET_DIR``), as "pid name"; not the session."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if (entry / "stat").read_text().split(") ")[-1].startswith("Z"):
                continue  # a zombie: dead, waiting for its parent
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
            name = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if name in ("maturin", "cargo", "rustc", "python", "python3") or "python" in name:
            mentioned = any(os.fsencode(place) in cmdline + environ for place in places)
            if mentioned and b"--rustify" not in cmdline:
                found.append(f"{entry.name} {name}")
    return found


def wait_for(condition: Callable[[], bool], what: str, limit: float = 300.0) -> None:
    """Poll ``condition``; the limit only keeps a broken build from hanging the suite."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.2)


needs_proc = pytest.mark.skipif(
    not Path("/proc/self/environ").exists(), reason="looks for leftover processes in /proc"
)


@needs_proc
@pytest.mark.parametrize("require", [False, True], ids=["skip", "require"])
def test_a_build_over_its_time_limit_is_stopped_and_reported(
    run_inner: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, require: bool
) -> None:
    # A new target directory: pyo3 is compiled, which takes longer than the limit.
    cache, target = fresh_cache(tmp_path), tmp_path / "target"
    monkeypatch.setenv("CARGO_TARGET_DIR", str(target))
    result, report = run_inner(
        "--rustify-build-timeout=1", *(["--rustify-require"] if require else []), cache=cache
    )
    out = result.stdout.str()
    assert "timed out after 1s and was stopped (maturin, cargo and rustc)" in out
    assert "--rustify-build-timeout SECONDS" in out  # the TIP
    assert_rust_items(result, require=require, reason="the Rust build failed")
    assert report["build"]["status"] == "failed"
    assert {f["status"] for f in report["functions"]} == {"build_failed"}
    # Nothing of the build runs on, and nothing half-built is in the cache.
    assert build_processes(cache, target) == []
    assert not [p for p in (cache / "builds").iterdir() if p.is_dir()]


def test_the_time_limit_is_a_config_key_too(project: pytest.Pytester) -> None:
    project.makefile(".toml", pyproject="[tool.rustify]\nbuild-timeout = 0\n")
    result = project.runpytest("--rustify")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*build-timeout: expected a number greater than 0, got 0*"])


# --- a session killed while it builds --------------------------------------------------------


@needs_proc
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_a_session_killed_mid_build_leaves_nothing_running_and_the_next_rebuilds(
    project: pytest.Pytester, run_inner: Run, tmp_path: Path, sig: signal.Signals
) -> None:
    cache = fresh_cache(tmp_path)
    # The first session compiles pyo3 too, into a target directory of its own: rustc is
    # then sure to be at work, for long, when the session is killed.
    target = tmp_path / "target"
    output = tmp_path / "first.out"
    report = project.path / "rustify.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "CARGO_TARGET_DIR": str(target)}
    with open(output, "wb") as sink:
        first = subprocess.Popen(
            [sys.executable, *inner_args(project, cache, report)],
            cwd=project.path,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            wait_for(
                lambda: (
                    any(p.endswith(" rustc") for p in build_processes(cache, target))
                    or first.poll() is not None
                ),
                "rustc to start compiling",
            )
            assert first.poll() is None, output.read_text()
            first.send_signal(sig)
            code = first.wait(timeout=300)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
    said = output.read_text(errors="replace")
    if sig == signal.SIGINT:
        assert code == pytest.ExitCode.INTERRUPTED, said
        assert "KeyboardInterrupt" in said
    else:
        assert code == -signal.SIGKILL
    # Killed with it, or (SIGKILL) stopped by the supervisor once the session is gone.
    wait_for(lambda: build_processes(cache, target) == [], "the build's processes to end")
    assert not (cache / "builds").exists() or not [
        p for p in (cache / "builds").iterdir() if p.is_dir() and not p.name.startswith(".")
    ], "a half-written entry was installed"

    result, data = run_inner(cache=cache)
    out = result.stdout.str()
    assert "last build interrupted, its partial output not used: rebuilding (rustify_" in out
    assert "last build interrupted, its partial output not used: rebuilt" in out  # summary
    result.assert_outcomes(passed=PYTHON_ITEMS + RUST_ITEMS)
    assert data["build"]["status"] == "built"
    # The leftovers of the killed build are gone.
    assert not [p for p in (cache / "builds").iterdir() if p.name.startswith(".")]
    assert not list((cache / "builds").glob("*.started"))


# --- a damaged cache entry ---------------------------------------------------------------------


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("damage", "what"),
    [
        ("truncate", "sha256"),
        ("flip", "sha256"),
        ("manifest", "unreadable manifest"),
    ],
)
def test_a_damaged_cache_entry_is_found_said_and_rebuilt(
    run_inner: Run, rustify_cache: Path, damage: str, what: str
) -> None:
    result, data = run_inner("-v", cache=rustify_cache)
    result.assert_outcomes(passed=PYTHON_ITEMS + RUST_ITEMS)
    extension = _extension(result.stdout.str())
    entry = extension.parent
    if damage == "truncate":
        _truncate(extension)
    elif damage == "flip":
        _flip(extension)
    else:
        manifest = entry / "manifest.json"
        manifest.write_text(manifest.read_text()[:20])

    result, data = run_inner(cache=rustify_cache)
    out = result.stdout.str()
    assert "cache entry damaged, not used: rebuilding (rustify_" in out, out
    assert re.search(rf"cache entry damaged, not used: rebuilding \(rustify_\w+: {what}", out)
    assert "cache entry damaged, not used: rebuilt" in out  # in the summary
    result.assert_outcomes(passed=PYTHON_ITEMS + RUST_ITEMS)
    assert data["build"]["status"] == "built"
    assert {f["status"] for f in data["functions"]} == {"accelerated"}


def _extension(out: str) -> Path:
    """The extension the summary's build line names (printed in full with -v)."""
    found = re.search(r"^build: (?:built|cached)\b.*? \((.+)\)$", out, re.MULTILINE)
    assert found is not None, out
    return Path(found[1])


# --- a read-only cache -------------------------------------------------------------------------


def read_only(directory: Path) -> list[str] | None:
    """A command prefix under which ``directory`` cannot be written, even by root: a
    read-only bind mount in a user and mount namespace of its own (``unshare -rm``);
    None where that is not allowed. Modes alone do not stop root."""
    if shutil.which("unshare") is None:
        return None
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    if probe.returncode != 0:
        return None
    d = str(directory)
    script = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"'
    return ["unshare", "-rm", "sh", "-c", script, d]


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["serial", "xdist"])
def test_a_read_only_cache_builds_without_caching(
    project: pytest.Pytester,
    run_inner: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    workers: tuple[str, ...],
) -> None:
    """Under xdist the workers meet, and build, in a temporary directory of the run
    instead of the cache; the controller removes it at the end."""
    cache = tmp_path / "read-only-cache"
    cache.mkdir()
    prefix = read_only(cache)
    if prefix is None:
        if os.geteuid() == 0:
            pytest.skip("root, and no user namespace to mount the cache read-only in")
        cache.chmod(0o555)
        prefix = []
    # Where the temporary build directory goes, to see that it is removed.
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    try:
        result, data = run_inner(*workers, cache=cache, prefix=prefix)
    finally:
        cache.chmod(0o755)
    out = result.stdout.str()
    said = out if not workers else data["build"]["message"]  # a worker's lines are not shown
    assert f"cache at {cache} is not writable (" in said, out
    assert "): built without caching" in said
    result.assert_outcomes(passed=PYTHON_ITEMS + RUST_ITEMS)
    assert data["build"]["status"] == "built"
    assert {f["status"] for f in data["functions"]} == {"accelerated"}
    assert list(cache.iterdir()) == []
    assert [p.name for p in scratch.iterdir() if p.name.startswith("pytest-rustify-")] == []


# --- the toolchain -----------------------------------------------------------------------------

REQUIRE = pytest.mark.parametrize("require", [False, True], ids=["skip", "require"])


def _path_without(*tools: str) -> str:
    """PATH without the directories that hold any of ``tools``."""
    return os.pathsep.join(
        d
        for d in os.environ["PATH"].split(os.pathsep)
        if d and not any(os.path.exists(os.path.join(d, tool)) for tool in tools)
    )


@REQUIRE
def test_no_cargo_names_it_and_how_to_get_it(
    run_inner: Run,
    rustify_cache: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    require: bool,
) -> None:
    monkeypatch.setenv("PATH", _path_without("cargo"))
    monkeypatch.setenv("CARGO_HOME", str(tmp_path / "no-cargo"))
    result, data = run_inner(*(["--rustify-require"] if require else []), cache=rustify_cache)
    assert_rust_items(
        result, require=require, reason="cannot build the Rust extension: cargo, rustc not found"
    )
    assert "TIP: install Rust from https://rustup.rs" in result.stdout.str()
    assert data["build"]["status"] == "failed"


@REQUIRE
def test_no_maturin_names_it_and_how_to_get_it(
    project: pytest.Pytester,
    run_inner: Run,
    rustify_cache: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    require: bool,
) -> None:
    # The interpreter, seen from a directory without maturin beside it (maturin is looked
    # for there first), with what it imports from here; and no maturin on PATH.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python"
    python.symlink_to(sys.executable)
    monkeypatch.setenv("PATH", _path_without("maturin"))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in sys.path if p))
    result, data = run_inner(
        *(["--rustify-require"] if require else []), cache=rustify_cache, python=str(python)
    )
    assert_rust_items(result, require=require, reason="maturin not found")
    assert f"TIP: install maturin into the environment running the tests: `{python} -m pip" in (
        result.stdout.str()
    )
    assert data["build"]["status"] == "failed"


@REQUIRE
def test_a_rustc_too_old_for_pyo3_is_named_with_the_fix(
    run_inner: Run,
    rustify_cache: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    require: bool,
) -> None:
    stand_in = tmp_path / "old-rust"
    stand_in.mkdir()
    rustc = stand_in / "rustc"
    rustc.write_text("#!/bin/sh\necho 'rustc 1.60.0 (7737e0b5c 2022-04-04)'\n")
    rustc.chmod(0o755)
    monkeypatch.setenv("PATH", f"{stand_in}{os.pathsep}{os.environ['PATH']}")
    result, data = run_inner(*(["--rustify-require"] if require else []), cache=rustify_cache)
    assert_rust_items(
        result, require=require, reason="rustc 1.60.0 is older than the 1.85 pyo3 0.30.1 needs"
    )
    assert "TIP: rustup update" in result.stdout.str()
    assert data["build"]["status"] == "failed"
    assert data["environment"]["rustc"].startswith("rustc 1.60.0")


@REQUIRE
def test_no_network_for_the_crates_names_them_and_the_way_out(
    run_inner: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, require: bool
) -> None:
    # cargo's own cache empty, offline, and nothing resolved before in this cache.
    monkeypatch.setenv("CARGO_HOME", str(tmp_path / "empty-cargo-home"))
    monkeypatch.setenv("CARGO_NET_OFFLINE", "true")
    monkeypatch.setenv("CARGO_TARGET_DIR", str(tmp_path / "target"))
    result, data = run_inner(
        *(["--rustify-require"] if require else []), cache=fresh_cache(tmp_path)
    )
    assert_rust_items(
        result, require=require, reason="cargo could not resolve or fetch the dependencies"
    )
    out = result.stdout.str()
    assert "the crate needs pyo3 0.30.1, indexmap 2), and cargo runs offline" in out, out
    assert "TIP: cargo is offline (CARGO_NET_OFFLINE or --offline)" in out
    assert "run once with network access" in out and "`cargo vendor`" in out
    assert data["build"]["status"] == "failed"
