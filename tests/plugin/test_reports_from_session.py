"""Reports a real session writes: pytest-benchmark pairing, scaling, emit, JUnit."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest

BENCHMARKED = """
import pytest
from kernel import smooth


@pytest.mark.rustify
def test_smooth(benchmark):
    xs = [float(i % 7) for i in range(400)]
    result = benchmark(smooth, xs, 8)
    assert len(result) == 393
"""


def test_benchmark_fixture_runs_are_grouped_and_compared(
    kernel: pytest.Pytester, run_rustify: Any
) -> None:
    kernel.makepyfile(test_kernel=BENCHMARKED)
    bench_json = kernel.path / "bench.json"
    markdown = kernel.path / "report.md"
    result, _ = run_rustify(
        f"--benchmark-json={bench_json}",
        f"--rustify-markdown={markdown}",
        "--benchmark-min-rounds=3",
    )
    result.assert_outcomes(passed=2)
    # pytest-benchmark's own report: both runs in one group, side by side.
    benches = json.loads(bench_json.read_text())["benchmarks"]
    assert {b["name"] for b in benches} == {"test_smooth[python]", "test_smooth[rust]"}
    assert len({b["group"] for b in benches}) == 1
    assert benches[0]["group"].startswith("rustify: ")
    # Our summary gives the ratio of their medians beside the replay measurement.
    out = result.stdout.str()
    assert "pytest-benchmark runs of marked tests" in out
    assert "test_kernel.py::test_smooth:" in out and "(replay of kernel:smooth:" in out
    md = markdown.read_text()
    assert "test_smooth" in md and "pytest-benchmark" in md


def test_scaling_reaches_the_markdown_report(kernel: pytest.Pytester, run_rustify: Any) -> None:
    kernel.makepyfile(
        test_kernel="""
        import pytest
        from kernel import smooth

        @pytest.mark.rustify
        def test_smooth():
            xs = [float(i % 7) for i in range(640)]
            for _ in range(10):
                assert len(smooth(xs, 8)) == 633
        """,
    )
    markdown = kernel.path / "report.md"
    result, _ = run_rustify(f"--rustify-markdown={markdown}")
    result.assert_outcomes(passed=2)
    md = markdown.read_text()
    assert "Scaling" in md
    # Sizes derived from the recorded call of 640 floats: 640/64, /16, /4 and all.
    for size in (10, 40, 160, 640):
        assert f"| {size} |" in md, md
    assert "```mermaid" in md and "xychart-beta" in md


def test_emit_and_junit_from_a_session(kernel: pytest.Pytester, run_rustify: Any) -> None:
    kernel.makepyfile(
        test_kernel=BENCHMARKED.replace("(benchmark)", "()").replace(
            "result = benchmark(smooth, xs, 8)", "result = [smooth(xs, 8) for _ in range(20)][0]"
        ),
    )
    emitted = kernel.path / "ported"
    junit = kernel.path / "junit.xml"
    result, report = run_rustify(f"--rustify-emit={emitted}", f"--rustify-junit={junit}")
    result.assert_outcomes(passed=2)
    assert (emitted / "Cargo.toml").is_file() and (emitted / "pyproject.toml").is_file()
    readme = (emitted / "README.md").read_text()
    assert "kernel:smooth" in readme and "kernel.py" in readme
    suites = {s.get("name"): s for s in ET.parse(junit).getroot().iter("testsuite")}
    props = {p.get("name"): p.get("value") for p in suites["kernel:smooth"].iter("property")}
    assert float(props["speedup.median"]) == report["functions"][0]["speedup"]["median"]
