"""py-spy unable to attach, for real: the session falls back to cProfile, and the
terminal summary, the markdown and the JSON report say so, with the reason and a TIP.

The inner session makes itself unreadable the way a container without SYS_PTRACE does:
its conftest marks the process non-dumpable (only a tracer holding CAP_SYS_PTRACE may
read it then) and, when it runs as root, drops CAP_SYS_PTRACE from the capabilities its
children can have, so the real py-spy it starts is refused by the kernel. Without py-spy
the test is skipped, or fails under ``RUSTIFY_REQUIRE_PYSPY=1`` (CI).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs in the dev extra
import pytest

from pytest_rustify.report.json import load_schema

REQUIRE_PYSPY = os.environ.get("RUSTIFY_REQUIRE_PYSPY", "") == "1"

KERNEL = """
def squares(xs: list[float]) -> float:
    s = 0.0
    for x in xs:
        s += x * x
    return s + 0.25
"""

TESTS = """
import pytest
from kernel import squares


@pytest.mark.rustify
def test_squares():
    for n in range(300):
        xs = [float(i) for i in range(n % 40)]
        assert squares(xs) == sum(x * x for x in xs) + 0.25
"""

# Runs when pytest loads the conftest: before the session starts py-spy.
UNREADABLE = """
import ctypes
import os

_PR_SET_DUMPABLE, _PR_CAPBSET_DROP, _CAP_SYS_PTRACE = 4, 24, 19
_libc = ctypes.CDLL(None, use_errno=True)
if _libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
    raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0) failed")
if os.geteuid() == 0 and _libc.prctl(_PR_CAPBSET_DROP, _CAP_SYS_PTRACE, 0, 0, 0) != 0:
    raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP, CAP_SYS_PTRACE) failed")
"""


def _find_py_spy() -> str | None:
    import shutil

    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.is_file() else shutil.which("py-spy")


@pytest.fixture
def unreadable(pytester: pytest.Pytester) -> pytest.Pytester:
    if not sys.platform.startswith("linux"):
        pytest.skip("the arrangement uses Linux's prctl")
    if _find_py_spy() is None:
        if REQUIRE_PYSPY:
            pytest.fail("py-spy required (RUSTIFY_REQUIRE_PYSPY=1) but not installed")
        pytest.skip("py-spy is not installed")
    pytester.makepyfile(kernel=KERNEL, test_kernel=TESTS)
    pytester.makeconftest(UNREADABLE)
    return pytester


@pytest.mark.parametrize("profiler", ["auto", "py-spy"])
def test_py_spy_refused_falls_back_to_cprofile_and_says_why(
    unreadable: pytest.Pytester, rustify_cache: Path, toolchain: None, profiler: str
) -> None:
    reports = unreadable.path / "reports"
    result = unreadable.runpytest_subprocess(
        "--rustify",
        f"--rustify-profiler={profiler}",
        f"--rustify-cache-dir={rustify_cache}",
        f"--rustify-json={reports / 'rustify.json'}",
        f"--rustify-markdown={reports / 'rustify.md'}",
        "--rustify-measure-seconds=0.1",
        "-p",
        "no:randomly",
    )
    # The session itself is not harmed: profiled, built, compared.
    result.assert_outcomes(passed=2)
    requested = "py-spy was requested, but " if profiler == "py-spy" else ""
    result.stdout.fnmatch_lines(
        ["*= rustify =*", "profiler: cprofile", f"note: {requested}py-spy could not attach: *"]
    )
    # The note is wrapped to the terminal's width, never cut: read it as one text.
    lines = result.stdout.lines
    start = lines.index("profiler: cprofile") + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("build: "))
    note = " ".join(line.strip() for line in lines[start:end])
    assert "permission denied" in note.lower(), note
    assert "; profiled with cProfile instead TIP: py-spy needs permission" in note, note
    assert "--cap-add SYS_PTRACE" in note and "kernel.yama.ptrace_scope" in note, note
    report: dict[str, Any] = json.loads((reports / "rustify.json").read_text())
    jsonschema.Draft202012Validator(load_schema()).validate(report)
    assert report["profiler"]["name"] == "cprofile"
    note = report["profiler"]["note"]
    first, tip = note.split("\n")
    assert first.startswith(f"{requested}py-spy could not attach: ")
    assert "permission denied" in first.lower()
    assert first.endswith("; profiled with cProfile instead")
    assert "--cap-add SYS_PTRACE" in tip and "kernel.yama.ptrace_scope" in tip
    # The fallback profile still found the hot function.
    assert report["functions"][0]["target"] == "kernel:squares"
    assert report["functions"][0]["status"] == "accelerated"
    markdown = (reports / "rustify.md").read_text()
    assert "profiler cprofile." in markdown
    assert "Note: " + requested + "py-spy could not attach" in markdown
