"""pytest-xdist: ``-n 2`` gives the report ``-n 0`` gives; two sessions at once share a cache.

Real inner sessions in subprocesses, real builds. The project has hot functions in two
modules, marked and unmarked tests, parametrized tests whose items land on different
workers, calls of several shapes (so the merge of recorded calls matters), a refused
function and a benchmark-free gate; the reports of a serial and a parallel run must agree
on everything but timings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("xdist")

KERNELS = """
def smooth(xs: list[float], window: int) -> list[float]:
    out = []
    for i in range(len(xs) - window + 1):
        s = 0.0
        for j in range(i, i + window):
            s += xs[j]
        out.append(s / window)
    return out


def dot(a: list[float], b: list[float]) -> float:
    total = 0.0
    for i in range(len(a)):
        total += a[i] * b[i]
    return total
"""

TEXT = """
def count_words(text: str) -> dict[str, int]:
    counts = {}
    for word in text.split():
        counts[word] = counts.get(word, 0) + 1
    return counts


def first_negative(xs):
    try:
        for i, x in enumerate(xs):
            if x < 0:
                return i
    except TypeError:
        return -1
    return -1
"""

TESTS_A = """
import pytest
from kernels import dot, smooth


@pytest.mark.rustify
@pytest.mark.parametrize("n", [200, 400, 800, 1600])
def test_smooth(n):
    xs = [float(i % 7) for i in range(n)]
    for w in (1, 3, 5):
        for _ in range(20):
            out = smooth(xs, w)
    assert len(out) == n - 5 + 1
    assert smooth([], 3) == []


@pytest.mark.rustify
def test_dot():
    a = [float(i) for i in range(3000)]
    for _ in range(200):
        d = dot(a, a)
    assert d > 0
    assert dot([], []) == 0.0
"""

TESTS_B = """
import pytest
from text import count_words, first_negative


@pytest.mark.rustify
@pytest.mark.parametrize("k", range(6))
def test_count_words(k):
    text = " ".join(f"w{i % (k + 3)}" for i in range(4000))
    for _ in range(30):
        counts = count_words(text)
    assert sum(counts.values()) == 4000


def test_first_negative():
    xs = list(range(20000)) + [-1]
    for _ in range(30):
        assert first_negative(xs) == 20000


def test_plain():
    assert True
"""


@pytest.fixture
def parallel_project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(kernels=KERNELS, text=TEXT, test_a=TESTS_A, test_b=TESTS_B)
    return pytester


def _comparable(report: dict[str, Any]) -> dict[str, Any]:
    """What a parallel run must reproduce: everything but timings and paths."""
    functions = {}
    for f in report["functions"]:
        parity = f.get("parity") or {}
        functions[f["target"]] = {
            "status": f["status"],
            "signature": f.get("signature"),
            "reason": f.get("reason"),
            "calls": parity.get("calls"),
            "passed": parity.get("passed"),
            "fallbacks": parity.get("fallbacks"),
        }
    return {
        "functions": functions,
        "build": report["build"]["status"] in ("built", "cached"),
        "summary": {
            k: v for k, v in report["summary"].items() if k not in ("geomean_speedup", "seconds")
        },
    }


def test_two_workers_report_what_one_process_reports(
    parallel_project: pytest.Pytester, run_rustify: Any, rustify_cache: Path
) -> None:
    serial, serial_report = run_rustify("-p", "xdist", "-n", "0")
    serial.assert_outcomes(passed=2 * (4 + 1 + 6) + 2)
    parallel, parallel_report = run_rustify("-n", "2", "-v")
    # The [rust] items ran on both workers.
    parallel.assert_outcomes(passed=2 * (4 + 1 + 6) + 2)
    workers = {
        line.split("]")[0].split("[")[-1]
        for line in parallel.outlines
        if "-rust]" in line or "[rust]" in line
        if line.startswith("[gw")
    }
    assert workers == {"gw0", "gw1"}, parallel.outlines
    assert _comparable(parallel_report) == _comparable(serial_report)
    # The profiles of both workers merged: what is clearly hot serially is hot in parallel
    # (shares are timings; a function near the threshold may fall either side of it).
    parallel_hot = {h["target"] for h in parallel_report["hotspots"]}
    assert {h["target"] for h in serial_report["hotspots"] if h["percent"] >= 10} <= parallel_hot
    accelerated = {
        t
        for t, f in _comparable(serial_report)["functions"].items()
        if f["status"] == "accelerated"
    }
    assert {"kernels:smooth", "kernels:dot", "text:count_words"} <= accelerated
    # One set of reports: the controller's summary, nothing from the workers.
    assert sum(" rustify " in line and line.startswith("===") for line in parallel.outlines) == 1
    assert sum(line.startswith("3 accelerated, 1 refused") for line in parallel.outlines) == 1
    # The meeting place of the workers is gone.
    assert not any((rustify_cache / "xdist").iterdir())


def test_auto_workers_agree_too(parallel_project: pytest.Pytester, run_rustify: Any) -> None:
    serial, serial_report = run_rustify("-p", "no:xdist")
    parallel, parallel_report = run_rustify("-n", "auto")
    assert parallel.ret == serial.ret == 0
    assert _comparable(parallel_report) == _comparable(serial_report)


def test_other_schedulers_are_refused_with_the_fix(parallel_project: pytest.Pytester) -> None:
    result = parallel_project.runpytest("--rustify", "-n", "2", "--dist", "loadfile")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "needs --dist load" in result.stderr.str()
    # Without --rustify, any scheduler works as always.
    assert parallel_project.runpytest("-n", "2", "--dist", "loadfile", "-p", "no:randomly").ret == 0


def test_a_parity_failure_fails_the_parallel_session(
    parallel_project: pytest.Pytester, run_rustify: Any
) -> None:
    parallel_project.makeconftest(
        r"""
import re

def pytest_rustify_crate_sources(config, sources):
    # A wrong port of dot (a sum for the product): parity catches it on the worker that
    # prepared, and the [rust] item fails on whichever worker runs it.
    for path, text in sources.items():
        sources[path] = re.sub(r"(rt::get\(&v_a, v_i\)\?) \* ", r"\1 + ", text)
"""
    )
    result, report = run_rustify("-n", "2")
    by_target = {f["target"]: f for f in report["functions"]}
    assert by_target["kernels:dot"]["status"] == "parity_failed"
    assert by_target["kernels:smooth"]["status"] == "accelerated"
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*_ test_dot[[]rust[]] _*", "*parity failed for kernels:dot*"])
    result.assert_outcomes(passed=2 * (4 + 1 + 6) + 2 - 1, failed=1)


def test_two_sessions_at_once_share_a_cache(
    parallel_project: pytest.Pytester, toolchain: None, tmp_path: Path
) -> None:
    """Two independent sessions on one project and one (new) cache: both build or wait for
    the other's build, both pass, and neither reads a half-written entry."""
    cache = tmp_path / "shared-cache"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(parallel_project.path), env.get("PYTHONPATH", "")) if p
    )
    procs = []
    for n in range(2):
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "--rustify",
            "--rustify-profiler=cprofile",
            f"--rustify-cache-dir={cache}",
            f"--rustify-json={tmp_path / f'report{n}.json'}",
            "--rustify-measure-seconds=0.1",
            "-q",
        ]
        procs.append(
            subprocess.Popen(
                cmd,
                cwd=parallel_project.path,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    outputs = [p.communicate(timeout=900)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    reports = [json.loads((tmp_path / f"report{n}.json").read_text()) for n in range(2)]
    assert _comparable(reports[0])["functions"] == _comparable(reports[1])["functions"]
    # One built; the other waited on the crate's lock and found it in the cache.
    assert sorted(r["build"]["status"] for r in reports) == ["built", "cached"]
    assert any("waiting for another build of the same crate" in out for out in outputs), outputs


def test_a_worker_with_no_items_does_not_hold_up_the_others(
    kernel: pytest.Pytester, run_rustify: Any
) -> None:
    """Three workers, two items: one worker runs nothing, arrives at its session's end,
    and the others do not wait for it in vain."""
    kernel.makepyfile(
        test_one="""
        import pytest
        from kernel import smooth

        @pytest.mark.rustify
        def test_smooth():
            xs = [float(i) for i in range(2000)]
            for _ in range(30):
                assert len(smooth(xs, 4)) == 1997
        """
    )
    result, report = run_rustify("-n", "3")
    result.assert_outcomes(passed=2)
    assert [f["status"] for f in report["functions"]] == ["accelerated"]


def test_a_failing_parallel_session_still_writes_its_reports(
    parallel_project: pytest.Pytester, run_rustify: Any
) -> None:
    """A module that cannot be collected: under xdist the other tests still run, the
    session fails, and the controller writes the report of the rest."""
    parallel_project.makepyfile(test_broken="import no_such_module_here\n")
    result, report = run_rustify("-n", "2")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*ModuleNotFoundError*no_such_module_here*"])
    statuses = {f["target"]: f["status"] for f in report["functions"]}
    assert statuses["kernels:smooth"] == "accelerated"
