"""Profile: where phase 1 spends its time, per test and per user function.

First stage of the pipeline. Input: the running phase-1 session (the profiler is started
when phase 1 begins, told when each test's call phase starts and ends, and stopped before
the build), the keys of the session's tests and a predicate that says which files are user
code. Output: a ``Profile`` for the select stage::

    profiler = start_profiler("auto", workdir=Path(".rustify"))
    profiler.begin_test(("/p/tests/test_m.py", "test_x"))   # call phase of test_x ...
    profiler.end_test(("/p/tests/test_m.py", "test_x"))
    profile = profiler.stop(tests={("/p/tests/test_m.py", "test_x")}, is_user_file=is_user)
    profile.test_share(("/p/tests/test_m.py", "test_x"), ("/p/pkg/m.py", "hot"))  # 87.5

Time is inclusive: a function counts for a sample (py-spy) or for its outermost activation
(cProfile) whenever it is on the stack, once even when it recurses. Only the call phase of
the tests is attributed; time outside any test (collection, fixtures, the session itself)
is ignored. Functions are keyed by ``(co_filename, co_name)``; code objects whose name is in
angle brackets (``<module>``, ``<lambda>``, ``<genexpr>``, comprehensions) are left out:
they cannot be targets, and their time is already inside the function that runs them.

Profilers:

- ``py-spy`` samples the session from outside (``py-spy record --format raw``); it costs
  the session almost nothing, but needs permission to read the process' memory.
- ``cprofile`` is the deterministic fallback: one ``cProfile.Profile`` per call phase, on the
  thread that runs the tests.
- ``auto`` tries py-spy and falls back to cProfile, saying why in ``Profile.note``.
- ``off`` profiles nothing.
"""

from __future__ import annotations

import contextlib
import cProfile
import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import types
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, TypeAlias

from pytest_rustify.errors import RustifyUsageError

# Quoted: on Python 3.10 a bare ``tuple[str, str]`` passes for a class, and pytest would try
# to collect ``TestKey`` in every test module that imports it.
TestKey: TypeAlias = "tuple[str, str]"
"""``(absolute path of the test file, test function name)``; parametrized items share one."""

FuncKey: TypeAlias = "tuple[str, str]"
"""``(absolute path of the source file, co_name)``."""

ProfilerKind = Literal["auto", "py-spy", "cprofile", "off"]
ProfilerName = Literal["py-spy", "cprofile", "off"]

PROFILER_KINDS: tuple[ProfilerKind, ...] = ("auto", "py-spy", "cprofile", "off")

_ATTACHED_MARKER = "Sampling process"
_NO_ATTACH = "py-spy could not attach: "
_PERMISSION = "permission denied"
_PTRACE_TIP = (
    "TIP: py-spy needs permission to read this process's memory (ptrace). In a container, "
    "start it with --cap-add SYS_PTRACE (Kubernetes: add SYS_PTRACE to the container's "
    "securityContext capabilities); on a host, set kernel.yama.ptrace_scope to 1 or 0 "
    "(sysctl); or pass --rustify-profiler=cprofile to profile with cProfile without trying."
)
_ATTACH_TIP = (
    "TIP: run py-spy by hand (py-spy dump --pid <pid of a Python process>) to see why, or "
    "pass --rustify-profiler=cprofile to profile with cProfile without trying."
)
# How long py-spy may take to write its output after SIGINT before it is killed.
_STOP_TIMEOUT = 30.0
# Linux Yama: lets one named process read this one (prctl(2) PR_SET_PTRACER).
_PR_SET_PTRACER = 0x59616D61
_YAMA_SCOPE = Path("/proc/sys/kernel/yama/ptrace_scope")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# A complete frame of py-spy's raw format ends with its location, ``(path:line)``.
_FRAME_COMPLETE = re.compile(r" \(.*:\d+\)$", re.DOTALL)


@dataclass(frozen=True)
class TestProfile:
    """Where one test's call phase spent its time."""

    __test__ = False  # not a pytest test class, despite the name

    total: float
    """Samples (py-spy) or seconds (cProfile) of this test's call phase."""
    functions: Mapping[FuncKey, float] = field(default_factory=dict)
    """Inclusive amount per user function, in the unit of ``total``."""

    def share(self, func: FuncKey) -> float:
        """Percent of this test's total spent in ``func`` (inclusive), 0..100."""
        return _percent(self.functions.get(func, 0.0), self.total)


@dataclass(frozen=True)
class Profile:
    """Where the profiled tests spent their time, for the select stage."""

    profiler: ProfilerName
    note: str
    """Empty, or why a fallback was used or part of the session went unprofiled."""
    total: float
    """Over all profiled tests: samples (py-spy) or seconds (cProfile)."""
    functions: Mapping[FuncKey, float] = field(default_factory=dict)
    """Inclusive amount per user function over the session."""
    tests: Mapping[TestKey, TestProfile] = field(default_factory=dict)

    def share(self, func: FuncKey) -> float:
        """Percent of the session total spent in ``func`` (inclusive), 0..100."""
        return _percent(self.functions.get(func, 0.0), self.total)

    def test_share(self, test: TestKey, func: FuncKey) -> float:
        """Percent of ``test``'s total spent in ``func`` (inclusive), 0..100."""
        profile = self.tests.get(test)
        return 0.0 if profile is None else profile.share(func)


class Profiler(Protocol):
    """A running profiler: told about call phases, stopped once (``stop`` is idempotent)."""

    @property
    def name(self) -> ProfilerName: ...

    @property
    def note(self) -> str:
        """Why this is not the profiler that was asked for, or ``""``."""
        ...

    def begin_test(self, test: TestKey) -> None: ...

    def end_test(self, test: TestKey) -> None: ...

    def stop(
        self, *, tests: Collection[TestKey], is_user_file: Callable[[str], bool]
    ) -> Profile: ...


def start_profiler(
    kind: ProfilerKind,
    *,
    workdir: Path,
    pid: int | None = None,
    rate: int = 250,
    py_spy: str | None = None,
    attach_timeout: float = 5.0,
) -> Profiler:
    """Start profiling this process (or ``pid``) and return the running profiler.

    Never raises for a profiler that cannot run: ``auto`` and ``py-spy`` fall back to
    cProfile, with the reason in ``note``.

    :param kind: ``auto`` (py-spy, else cProfile), ``py-spy``, ``cprofile`` or ``off``.
    :param workdir: where py-spy's output and log go; created if missing.
    :param pid: the process py-spy samples; this one by default.
    :param rate: py-spy samples per second.
    :param py_spy: the py-spy executable; by default the one beside ``sys.executable``,
        else the one on ``PATH``.
    :param attach_timeout: seconds py-spy may take to attach before it is given up.
    """
    if kind == "off":
        return _OffProfiler()
    if kind == "cprofile":
        return _CProfiler()
    if kind not in ("auto", "py-spy"):
        expected = ", ".join(PROFILER_KINDS)
        raise RustifyUsageError(f"unknown profiler {kind!r}; expected one of {expected}")
    started = _start_py_spy(
        workdir=workdir,
        pid=os.getpid() if pid is None else pid,
        rate=rate,
        py_spy=py_spy,
        attach_timeout=attach_timeout,
    )
    if isinstance(started, _PySpyProfiler):
        return started
    prefix = "py-spy was requested, but " if kind == "py-spy" else ""
    note = f"{prefix}{started}; profiled with cProfile instead"
    if started.startswith(_NO_ATTACH):
        note += "\n" + (_PTRACE_TIP if _PERMISSION in started.lower() else _ATTACH_TIP)
    return _CProfiler(note=note)


def parse_pyspy_raw(
    lines: Iterable[str],
    *,
    tests: Collection[TestKey],
    is_user_file: Callable[[str], bool],
    note: str = "",
) -> Profile:
    """Attribute py-spy's raw collapsed stacks (``frame;frame;... count``) to tests.

    A sample belongs to the test whose frame is outermost on its stack (samples in no
    test are ignored), and counts once for every user function leafward of that frame.
    """
    wanted = {(_norm(path), name): (path, name) for path, name in tests}
    normed: dict[str, str] = {}
    per_test: dict[TestKey, _Tally] = {}
    user = _UserFiles(is_user_file)
    for raw in lines:
        parsed = _parse_line(raw)
        if parsed is None:
            continue
        frames, count = parsed
        test_at = _find_test(frames, wanted, normed)
        if test_at is None:
            continue
        index, test = test_at
        tally = per_test.setdefault(test, _Tally())
        tally.total += count
        seen: set[FuncKey] = set()
        for path, name in frames[index + 1 :]:
            key = user.key(path, name)
            if key is not None and key not in seen:
                seen.add(key)
                tally.functions[key] = tally.functions.get(key, 0.0) + count
    return _assemble("py-spy", note, per_test)


def merge_profiles(profiles: Iterable[Profile]) -> Profile:
    """Sum profiles of disjoint parts of one session (xdist workers) into one.

    The profiler is the first one's; notes are joined. Amounts in different units (samples
    and seconds) are not comparable, so mixing profilers keeps each test's own unit and
    only the shares within a test stay meaningful.
    """
    items = list(profiles)
    per_test: dict[TestKey, _Tally] = {}
    for profile in items:
        for test, test_profile in profile.tests.items():
            tally = per_test.setdefault(test, _Tally())
            tally.add(test_profile.total, test_profile.functions)
    notes = list(dict.fromkeys(p.note for p in items if p.note))
    name: ProfilerName = items[0].profiler if items else "off"
    return _assemble(name, "; ".join(notes), per_test)


class _Tally:
    """A mutable accumulator for one test while profiles are folded."""

    def __init__(self) -> None:
        self.total = 0.0
        self.functions: dict[FuncKey, float] = {}

    def add(self, total: float, functions: Mapping[FuncKey, float]) -> None:
        self.total += total
        for key, amount in functions.items():
            self.functions[key] = self.functions.get(key, 0.0) + amount


class _UserFiles:
    """Maps a frame to its ``FuncKey`` when it is a named user function, caching per path."""

    def __init__(self, is_user_file: Callable[[str], bool]) -> None:
        self._is_user_file = is_user_file
        self._paths: dict[str, str | None] = {}

    def key(self, path: str, name: str) -> FuncKey | None:
        if name.startswith("<") or not name:
            return None
        if path not in self._paths:
            absolute = None if path.startswith("<") else os.path.abspath(path)
            keep = absolute is not None and self._is_user_file(absolute)
            self._paths[path] = absolute if keep else None
        absolute = self._paths[path]
        return None if absolute is None else (absolute, name)


def _assemble(profiler: ProfilerName, note: str, per_test: Mapping[TestKey, _Tally]) -> Profile:
    session = _Tally()
    tests: dict[TestKey, TestProfile] = {}
    for test, tally in per_test.items():
        tests[test] = TestProfile(total=tally.total, functions=dict(tally.functions))
        session.add(tally.total, tally.functions)
    return Profile(
        profiler=profiler,
        note=note,
        total=session.total,
        functions=dict(session.functions),
        tests=tests,
    )


def _percent(part: float, whole: float) -> float:
    if whole <= 0.0:
        return 0.0
    # Same-named functions of one file share a key and can overlap; never report > 100%.
    return min(100.0, 100.0 * part / whole)


def _norm(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


# --- py-spy -----------------------------------------------------------------------------


def _parse_line(line: str) -> tuple[list[tuple[str, str]], int] | None:
    """One raw line as frames ``(path, co_name)`` from the root, and its sample count."""
    stack, _, count_text = line.rstrip("\r\n").rpartition(" ")
    if not stack or not count_text.isdigit():
        return None
    return _split_frames(stack), int(count_text)


def _split_frames(stack: str) -> list[tuple[str, str]]:
    # Paths may hold ';', so a piece only closes a frame once it ends in its location.
    frames: list[tuple[str, str]] = []
    pending = ""
    for piece in stack.split(";"):
        pending = f"{pending};{piece}" if pending else piece
        if _FRAME_COMPLETE.search(pending):
            frames.append(_parse_frame(pending))
            pending = ""
    if pending:
        # Written without line numbers (--nolineno): fall back to plain separators.
        frames.extend(_parse_frame(piece) for piece in pending.split(";"))
    return frames


def _parse_frame(frame: str) -> tuple[str, str]:
    """``qual.name (path:line)`` as ``(path, co_name)``."""
    name, sep, location = frame.partition(" (")
    if not sep or not location.endswith(")"):
        return "", _co_name(frame.strip())
    location = location[:-1]
    path, colon, line = location.rpartition(":")
    if not colon or not line.isdigit():
        path = location
    return path, _co_name(name)


def _co_name(name: str) -> str:
    # py-spy prints co_qualname on Python >= 3.11 ("Cls.meth", "f.<locals>.g"), co_name
    # before; the last dotted part is co_name either way.
    return name.rpartition(".")[2]


def _find_test(
    frames: list[tuple[str, str]],
    wanted: Mapping[tuple[str, str], TestKey],
    normed: dict[str, str],
) -> tuple[int, TestKey] | None:
    """The outermost frame that is one of the tests, and its key; ``normed`` caches paths."""
    for index, (path, name) in enumerate(frames):
        if not path or path.startswith("<"):
            continue
        if path not in normed:
            normed[path] = _norm(path)
        test = wanted.get((normed[path], name))
        if test is not None:
            return index, test
    return None


def _find_py_spy(explicit: str | None) -> tuple[str | None, str]:
    """The executable to run, or ``None`` and where it was looked for."""
    if explicit is not None:
        found = shutil.which(explicit)
        return found, f"py-spy not found at {explicit}"
    exe = "py-spy.exe" if os.name == "nt" else "py-spy"
    beside = Path(sys.executable).parent / exe
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside), ""
    found = shutil.which("py-spy")
    where = f"py-spy not found (looked beside {sys.executable} and on PATH)"
    return found, where


def _start_py_spy(
    *, workdir: Path, pid: int, rate: int, py_spy: str | None, attach_timeout: float
) -> _PySpyProfiler | str:
    """A py-spy attached to ``pid``, or one sentence saying why there is none."""
    if os.name != "posix":
        return "py-spy is only used on POSIX systems (it is stopped with SIGINT)"
    exe, missing = _find_py_spy(py_spy)
    if exe is None:
        return missing
    # Per pid, because xdist workers may share the working directory.
    output = workdir / f"pyspy-{pid}.txt"
    log_path = workdir / f"pyspy-{pid}.log"
    # --function keys lines by each function's first line: fewer distinct stacks.
    command = [exe, "record", "--pid", str(pid), "--format", "raw", "--full-filenames"]
    command += ["--function", "--nonblocking", "--rate", str(rate), "--output", str(output)]
    try:
        workdir.mkdir(parents=True, exist_ok=True)
        output.unlink(missing_ok=True)
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Keeps a terminal's Ctrl-C for pytest; stop() ends py-spy itself.
                start_new_session=True,
            )
    except OSError as exc:
        return f"py-spy could not be started: {exc}"
    ptracer = pid == os.getpid() and _allow_ptrace_by(proc.pid)
    failure = _wait_attached(proc, log_path, attach_timeout)
    if failure is not None:
        _end_process(proc, timeout=5.0)
        if ptracer:
            _allow_ptrace_by(0)
        for path in (output, log_path):
            path.unlink(missing_ok=True)
        return failure
    return _PySpyProfiler(proc, output=output, log_path=log_path, ptracer=ptracer)


def _allow_ptrace_by(pid: int) -> bool:
    """Under Yama ptrace_scope 1 a child may not read its parent unless the parent says so.

    ``pid`` 0 withdraws the permission. Returns whether the call was made and succeeded.
    """
    try:
        if _YAMA_SCOPE.read_text().strip() != "1":
            return False
        libc = ctypes.CDLL(None, use_errno=True)
        result: int = libc.prctl(_PR_SET_PTRACER, ctypes.c_ulong(pid), 0, 0, 0)
    except (OSError, AttributeError, ValueError):
        return False
    return result == 0


def _wait_attached(proc: subprocess.Popen[bytes], log_path: Path, timeout: float) -> str | None:
    """``None`` once py-spy samples, else why it does not."""
    deadline = time.monotonic() + timeout
    while True:
        text = _read_log(log_path)
        if _ATTACHED_MARKER in text:
            return None
        code = proc.poll()
        if code is not None:
            text = _read_log(log_path)
            if _ATTACHED_MARKER in text:
                return None
            return f"{_NO_ATTACH}{_attach_error(text, code)}"
        if time.monotonic() >= deadline:
            return f"{_NO_ATTACH}no sample within {timeout:g} s"
        time.sleep(0.01)


def _read_log(path: Path) -> str:
    try:
        return _ANSI.sub("", path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return ""


def _attach_error(text: str, code: int) -> str:
    """py-spy's reason, marked as a permission problem when it is one: as root py-spy
    says "Error: Failed to get process executable name" and only its causes below
    ("Permission denied (os error 13)") tell why."""
    line = _error_line(text, code)
    if _PERMISSION in text.lower() and _PERMISSION not in line.lower():
        return f"{line} ({_PERMISSION})"
    return line


def _error_line(text: str, code: int) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if line.lower().startswith("error"):
            return line[:300]
    return lines[-1][:300] if lines else f"py-spy exited with code {code}"


def _end_process(proc: subprocess.Popen[bytes], *, timeout: float) -> int | None:
    """SIGINT (py-spy writes its output), then SIGKILL if it hangs; the exit code."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(5.0)
    return proc.returncode


class _PySpyProfiler:
    """py-spy sampling this process from outside; the call phases need no bookkeeping."""

    def __init__(
        self,
        proc: subprocess.Popen[bytes],
        *,
        output: Path,
        log_path: Path,
        ptracer: bool,
    ) -> None:
        self._proc = proc
        self._output = output
        self._log_path = log_path
        self._ptracer = ptracer
        self._result: Profile | None = None

    @property
    def name(self) -> ProfilerName:
        return "py-spy"

    @property
    def note(self) -> str:
        return ""

    def begin_test(self, test: TestKey) -> None:
        pass

    def end_test(self, test: TestKey) -> None:
        pass

    def stop(self, *, tests: Collection[TestKey], is_user_file: Callable[[str], bool]) -> Profile:
        if self._result is not None:
            return self._result
        died = self._proc.poll()
        code = _end_process(self._proc, timeout=_STOP_TIMEOUT)
        if self._ptracer:
            _allow_ptrace_by(0)
        note = ""
        if died is not None:
            reason = _error_line(_read_log(self._log_path), died)
            note = f"py-spy stopped during the session (exit code {died}): {reason}"
        try:
            with self._output.open(encoding="utf-8", errors="replace") as fh:
                self._result = parse_pyspy_raw(
                    fh, tests=tests, is_user_file=is_user_file, note=note
                )
        except OSError:
            if not note:
                reason = _error_line(_read_log(self._log_path), code or 0)
                note = f"py-spy wrote no samples (exit code {code}): {reason}"
            self._result = _assemble("py-spy", note, {})
        # Read: one pair of files per session would otherwise pile up in the cache.
        for path in (self._output, self._log_path):
            path.unlink(missing_ok=True)
        return self._result


# --- cProfile ---------------------------------------------------------------------------


class _CProfiler:
    """A fresh deterministic ``cProfile.Profile`` per call phase, on the calling thread."""

    def __init__(self, note: str = "") -> None:
        self._note = note
        self._active: tuple[TestKey, cProfile.Profile, float] | None = None
        self._raw: dict[TestKey, _Tally] = {}
        self._skipped = 0
        self._result: Profile | None = None
        # Profiles a test's own hook replaced; see _disable_sparing_others.
        self._orphans: list[cProfile.Profile] = []

    @property
    def name(self) -> ProfilerName:
        return "cprofile"

    @property
    def note(self) -> str:
        return self._note

    def begin_test(self, test: TestKey) -> None:
        if self._result is not None:
            return
        if self._active is not None:
            self.end_test(self._active[0])
        if sys.getprofile() is not None:
            # Another profiler (a debugger, coverage of calls, the user's own cProfile)
            # owns the hook; replacing it would break it, so this test goes unprofiled.
            self._skipped += 1
            return
        prof = cProfile.Profile(builtins=False)
        start = time.perf_counter()
        try:
            prof.enable()
        except ValueError:  # Python >= 3.12: another tool holds sys.monitoring's profiler id
            self._skipped += 1
            return
        self._active = (test, prof, start)

    def end_test(self, test: TestKey) -> None:
        if self._active is None:
            return
        key, prof, start = self._active
        elapsed = time.perf_counter() - start
        _disable_sparing_others(prof, self._orphans)
        self._active = None
        self._raw.setdefault(key, _Tally()).add(elapsed, _fold_cprofile(prof))

    def stop(self, *, tests: Collection[TestKey], is_user_file: Callable[[str], bool]) -> Profile:
        if self._result is not None:
            return self._result
        if self._active is not None:
            self.end_test(self._active[0])
        wanted = set(tests)
        user = _UserFiles(is_user_file)
        per_test: dict[TestKey, _Tally] = {}
        for test, raw in self._raw.items():
            if test not in wanted:
                continue
            tally = per_test.setdefault(test, _Tally())
            tally.total += raw.total
            test_key = (_norm(test[0]), test[1])
            for (path, name), amount in raw.functions.items():
                key = user.key(path, name)
                if key is not None and (_norm(key[0]), key[1]) != test_key:
                    tally.functions[key] = tally.functions.get(key, 0.0) + amount
        notes = [self._note] if self._note else []
        if self._skipped:
            notes.append(f"{self._skipped} call phase(s) not profiled: another profiler was active")
        self._result = _assemble("cprofile", "; ".join(notes), per_test)
        return self._result


def _disable_sparing_others(prof: cProfile.Profile, orphans: list[cProfile.Profile]) -> None:
    """Disable ``prof`` without removing a profile hook the test installed over it.

    Before Python 3.12 cProfile owns the one ``sys.setprofile`` slot, and both ``disable()``
    and freeing an enabled profiler empty it, whoever holds it by then.
    """
    hook: object = sys.getprofile()
    if sys.version_info >= (3, 12) or hook is None or hook is prof:
        prof.disable()
    elif isinstance(hook, (types.FunctionType, types.MethodType)):
        prof.disable()
        sys.setprofile(hook)
    else:
        # A C-level hook cannot be put back through sys.setprofile: keep ours enabled but
        # detached, and alive, so that freeing it does not clear the other one.
        orphans.append(prof)


def _fold_cprofile(prof: cProfile.Profile) -> dict[FuncKey, float]:
    """Cumulative seconds per ``(co_filename, co_name)``.

    ``totaltime`` is cProfile's ``ct``: it is added only when the outermost activation of
    a recursive function returns, so recursion is not counted twice.
    """
    folded: dict[FuncKey, float] = {}
    for entry in prof.getstats():
        code = entry.code
        if not isinstance(code, types.CodeType) or code.co_name.startswith("<"):
            continue
        key = (code.co_filename, code.co_name)
        folded[key] = folded.get(key, 0.0) + entry.totaltime
    return folded


# --- off --------------------------------------------------------------------------------


class _OffProfiler:
    """Profiles nothing; its Profile is empty."""

    @property
    def name(self) -> ProfilerName:
        return "off"

    @property
    def note(self) -> str:
        return ""

    def begin_test(self, test: TestKey) -> None:
        pass

    def end_test(self, test: TestKey) -> None:
        pass

    def stop(self, *, tests: Collection[TestKey], is_user_file: Callable[[str], bool]) -> Profile:
        return Profile(profiler="off", note="", total=0.0)
