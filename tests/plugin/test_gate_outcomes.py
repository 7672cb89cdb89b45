"""Each gate outcome, proved by a real session: pass, under the threshold, a regression
against a baseline, noise within the interval, a parity failure, annotate mode."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

TESTS = """
import pytest
from kernel import smooth


@pytest.mark.rustify
def test_smooth():
    xs = [float(i % 7) for i in range(400)]
    for _ in range(20):
        assert len(smooth(xs, 8)) == 393
"""

WRONG_PORT = """
def pytest_rustify_crate_sources(config, sources):
    lib = sources["src/lib.rs"]
    body = lib.index("{", lib.index("fn impl_smooth(")) + 1
    sources["src/lib.rs"] = lib[:body] + "\\n    v_window += 1;" + lib[body:]
"""


@pytest.fixture
def kernel_project(kernel: pytest.Pytester) -> pytest.Pytester:
    kernel.makepyfile(test_kernel=TESTS)
    return kernel


def smooth_gate(report: dict[str, Any]) -> dict[str, Any]:
    (f,) = [f for f in report["functions"] if f["target"] == "kernel:smooth"]
    assert f["gate"] is not None, f
    return f["gate"]  # type: ignore[no-any-return]


def test_pass(kernel_project: pytest.Pytester, run_rustify: Any) -> None:
    result, report = run_rustify("--rustify-min-speedup=0.01")
    result.assert_outcomes(passed=2)
    assert result.ret == 0
    assert smooth_gate(report) == {"min_speedup": 0.01, "baseline": None, "passed": True}


def test_under_the_threshold_fails_the_rust_item(
    kernel_project: pytest.Pytester, run_rustify: Any
) -> None:
    result, report = run_rustify("--rustify-min-speedup=100000")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert "kernel:smooth: speedup" in out and "is under the required 100000x" in out
    assert "FAILED test_kernel.py::test_smooth[rust]" in out or "test_smooth[rust]" in out
    assert smooth_gate(report)["passed"] is False
    assert report["summary"]["gate_failures"] == 1


def test_marker_threshold_applies_to_its_targets(kernel: pytest.Pytester, run_rustify: Any) -> None:
    kernel.makepyfile(
        test_kernel=TESTS.replace(
            "@pytest.mark.rustify", "@pytest.mark.rustify(min_speedup=100000)"
        ),
    )
    result, report = run_rustify()
    result.assert_outcomes(passed=1, failed=1)
    assert smooth_gate(report)["min_speedup"] == 100000


def _forged_baseline(path: Path, report: dict[str, Any], factor: float) -> Path:
    (f,) = [f for f in report["functions"] if f["target"] == "kernel:smooth"]
    s = f["speedup"]
    data = {
        "version": 1,
        "environment": report["environment"],
        "targets": {
            "kernel:smooth": {
                k: s[k] * (factor if k in ("median", "ci_low", "ci_high") else 1)
                for k in ("median", "ci_low", "ci_high", "python_ns", "rust_ns")
            },
            "kernel:retired": {
                "median": 5.0,
                "ci_low": 4.0,
                "ci_high": 6.0,
                "python_ns": 10.0,
                "rust_ns": 2.0,
            },
        },
    }
    path.write_text(json.dumps(data))
    return path


def test_regression_against_a_baseline_fails(
    kernel_project: pytest.Pytester, run_rustify: Any
) -> None:
    saved = kernel_project.path / "baseline.json"
    first, report = run_rustify(f"--rustify-save-baseline={saved}")
    first.assert_outcomes(passed=2)
    stored = json.loads(saved.read_text())
    assert stored["version"] == 1 and "kernel:smooth" in stored["targets"]
    # A baseline a hundred times faster than today: a real drop, whatever the noise (a busy
    # machine widens the intervals of both runs).
    forged = _forged_baseline(kernel_project.path / "faster.json", report, 100.0)
    result, report = run_rustify(f"--rustify-baseline={forged}", "--rustify-max-regression=0.2")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert "speedup fell from" in out and "more than the allowed 20%" in out
    gate = smooth_gate(report)
    assert gate["passed"] is False and gate["baseline"] > 0


def test_noise_within_the_interval_does_not_fail(
    kernel_project: pytest.Pytester, run_rustify: Any
) -> None:
    saved = kernel_project.path / "baseline.json"
    run_rustify(f"--rustify-save-baseline={saved}")
    # The same code measured again: only noise separates the runs.
    for _ in range(2):
        result, report = run_rustify(f"--rustify-baseline={saved}", "--rustify-max-regression=0.2")
        result.assert_outcomes(passed=2)
        assert smooth_gate(report)["passed"] is True


def test_parity_failure_always_fails_even_in_annotate_mode(
    kernel_project: pytest.Pytester, run_rustify: Any
) -> None:
    kernel_project.makeconftest(WRONG_PORT)
    result, report = run_rustify("--rustify-mode=annotate")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=1, failed=1)
    assert report["summary"]["parity_failures"] == 1


def test_annotate_mode_reports_without_failing(
    kernel_project: pytest.Pytester, run_rustify: Any
) -> None:
    result, report = run_rustify("--rustify-min-speedup=100000", "--rustify-mode=annotate")
    result.assert_outcomes(passed=2)
    assert result.ret == 0
    assert smooth_gate(report)["passed"] is False
    assert report["summary"]["gate_failures"] == 1
    assert "is under the required 100000x" in result.stdout.str()


def test_a_missing_baseline_file_is_a_usage_error(kernel_project: pytest.Pytester) -> None:
    result = kernel_project.runpytest("--rustify", "--rustify-baseline=nowhere.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "nowhere.json does not exist" in result.stderr.str()
    assert "--rustify-save-baseline" in result.stderr.str()
