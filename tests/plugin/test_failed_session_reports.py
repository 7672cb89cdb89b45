"""Reports are written even when the session fails: a failing test, a parity failure, a
build that does not compile, a collection error, ``-x``, Ctrl-C. Each time the JSON (valid
against schema_v1.json), the markdown and the JUnit XML exist and say what happened.

Real sessions in a subprocess; they share the suite's build cache.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs in the dev extra
import pytest

from pytest_rustify.report.json import load_schema

KERNEL = """
def spread(xs: list[float]) -> float:
    lo = xs[0]
    hi = xs[0]
    for x in xs:
        if x < lo:
            lo = x
        if x > hi:
            hi = x
    return hi - lo
"""

TESTS = """
import pytest
from kernel import spread


@pytest.mark.rustify
def test_spread():
    for n in range(1, 300):
        xs = [float((i * 7) % 11) for i in range(n % 40 + 1)]
        assert spread(xs) == max(xs) - min(xs)


def test_plain():
    assert spread([1.0, 4.0]) == 3.0
"""

# Edits the generated Rust: the port answers wrongly for longer inputs.
WRONG_RUST = """
def pytest_rustify_crate_sources(config, sources):
    lib = sources["src/lib.rs"]
    body = lib.index("{", lib.index("fn impl_spread(")) + 1
    sources["src/lib.rs"] = (
        lib[:body] + "\\n    if v_xs.len() > 3 { return Ok(-1.0); }" + lib[body:]
    )
"""

# Edits the generated Rust so that it does not compile.
BROKEN_RUST = """
def pytest_rustify_crate_sources(config, sources):
    lib = sources["src/lib.rs"]
    body = lib.index("{", lib.index("fn impl_spread(")) + 1
    sources["src/lib.rs"] = lib[:body] + '\\n    let broken: i64 = "not an int";' + lib[body:]
"""


@dataclass(frozen=True)
class Reports:
    result: pytest.RunResult
    json: dict[str, Any]
    markdown: str
    junit: ET.Element

    @property
    def session_properties(self) -> dict[str, str]:
        suite = self.junit.find("testsuite[@name='pytest-rustify']")
        assert suite is not None
        return {p.get("name", ""): p.get("value", "") for p in suite.iter("property")}


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(kernel=KERNEL, test_kernel=TESTS)
    return pytester


@pytest.fixture
def run(project: pytest.Pytester, rustify_cache: Path, toolchain: None) -> Any:
    """An inner session with every report; the reports must exist, whatever happened."""

    def run(*args: str) -> Reports:
        out = project.path / "reports"
        result = project.runpytest_subprocess(
            "--rustify",
            "--rustify-profiler=cprofile",
            f"--rustify-cache-dir={rustify_cache}",
            f"--rustify-json={out / 'rustify.json'}",
            f"--rustify-markdown={out / 'rustify.md'}",
            f"--rustify-junit={out / 'rustify.xml'}",
            "--rustify-measure-seconds=0.1",
            "-p",
            "no:randomly",
            *args,
        )
        doc = json.loads((out / "rustify.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(load_schema()).validate(doc)
        return Reports(
            result,
            doc,
            (out / "rustify.md").read_text(encoding="utf-8"),
            ET.parse(out / "rustify.xml").getroot(),
        )

    return run


def status_of(reports: Reports) -> str:
    return str(reports.json["functions"][0]["status"])


def test_a_failing_ordinary_test(project: pytest.Pytester, run: Any) -> None:
    project.makepyfile(test_other="def test_fails():\n    assert 1 == 2\n")
    reports = run()
    reports.result.assert_outcomes(passed=3, failed=1)
    assert reports.result.ret == pytest.ExitCode.TESTS_FAILED
    assert reports.json["build"]["status"] in ("built", "cached")
    assert status_of(reports) == "accelerated"
    assert "`kernel:spread`" in reports.markdown
    assert reports.session_properties["summary.accelerated"] == "1"


def test_x_stops_in_phase_one_and_the_reports_are_complete(
    project: pytest.Pytester, run: Any
) -> None:
    # Sorted before test_kernel.py, so -x stops before any marked test ran.
    project.makepyfile(test_a_first="def test_fails():\n    assert 1 == 2\n")
    reports = run("-x")
    reports.result.assert_outcomes(failed=1)
    # Nothing was selected (no marked test ran); the build had nothing to do.
    assert reports.json["build"]["status"] == "skipped"
    assert reports.json["functions"] == []
    assert "**Build:** skipped, nothing to build." in reports.markdown
    reports.result.stdout.fnmatch_lines(
        ["*= rustify =*", "note: the session stopped early (stopping after 1 failures)*"]
    )


def test_a_parity_failure(project: pytest.Pytester, run: Any) -> None:
    project.makeconftest(WRONG_RUST)
    reports = run()
    reports.result.assert_outcomes(passed=2, failed=1)
    assert status_of(reports) == "parity_failed"
    assert reports.json["summary"]["parity_failures"] == 1
    assert "parity failed for kernel:spread" in reports.json["functions"][0]["reason"]
    assert "parity failed" in reports.markdown
    failure = reports.junit.find("testsuite[@name='kernel:spread']/testcase/failure")
    assert failure is not None and failure.get("type") == "parity"


def test_a_build_that_does_not_compile(project: pytest.Pytester, run: Any) -> None:
    project.makeconftest(BROKEN_RUST)
    reports = run("-rs")
    reports.result.assert_outcomes(passed=2, skipped=1)
    build = reports.json["build"]
    assert build["status"] == "failed"
    assert "mismatched types" in build["message"], build
    assert "TIP:" in build["message"]
    assert status_of(reports) == "build_failed"
    assert "**Build:** failed after" in reports.markdown
    assert "mismatched types" in reports.markdown
    error = reports.junit.find("testsuite[@name='kernel:spread']/testcase/error")
    assert error is not None and error.get("type") == "build_failed"
    assert reports.session_properties["build.status"] == "failed"


def test_a_collection_error_in_another_file(project: pytest.Pytester, run: Any) -> None:
    project.makepyfile(test_broken="import no_such_module_here\n")
    reports = run()
    assert reports.result.ret == pytest.ExitCode.INTERRUPTED
    reports.result.stdout.fnmatch_lines(["*Interrupted: 1 error during collection*"])
    # Nothing ran, so nothing is built; the reports say why.
    assert "compiling" not in reports.result.stdout.str()
    build = reports.json["build"]
    assert build["status"] == "skipped"
    assert build["message"] == (
        "not built: the session was interrupted (Interrupted: 1 error during collection) "
        "before the Rust phase, so nothing was selected, translated or built"
    )
    assert reports.json["notes"] == [
        "the session was interrupted (Interrupted: 1 error during collection); "
        "the items after that point did not run"
    ]
    assert "not built: the session was interrupted" in reports.markdown
    assert reports.session_properties["build.status"] == "skipped"


def test_a_collection_error_with_x(project: pytest.Pytester, run: Any) -> None:
    project.makepyfile(test_broken="import no_such_module_here\n")
    reports = run("-x")
    # pytest stops (not an interruption) before any test ran: nothing to build.
    assert reports.result.ret == pytest.ExitCode.TESTS_FAILED
    reports.result.stdout.fnmatch_lines(["*stopping after 1 failures*"])
    assert reports.json["build"]["status"] == "skipped"
    assert reports.json["functions"] == []
    assert reports.json["notes"] == [
        "the session stopped early (stopping after 1 failures); the items after that point "
        "did not run"
    ]
    assert "Note: the session stopped early (stopping after 1 failures)" in reports.markdown


def test_ctrl_c_in_phase_one(project: pytest.Pytester, run: Any) -> None:
    project.makepyfile(test_zz_stop="def test_stop():\n    raise KeyboardInterrupt\n")
    reports = run()
    assert reports.result.ret == pytest.ExitCode.INTERRUPTED
    assert "compiling" not in reports.result.stdout.str()
    assert reports.json["build"]["status"] == "skipped"
    assert "interrupted (KeyboardInterrupt)" in reports.json["build"]["message"]
    reports.result.stdout.fnmatch_lines(
        ["*= rustify =*", "note: the session was interrupted (KeyboardInterrupt)*"]
    )
    assert "Note: the session was interrupted (KeyboardInterrupt)" in reports.markdown


def test_ctrl_c_in_a_rust_item(project: pytest.Pytester, run: Any) -> None:
    project.makepyfile(
        test_zz_stop="""
        import pytest
        from kernel import spread

        @pytest.mark.rustify("kernel:spread")
        def test_stop(request):
            assert spread([1.0, 2.0]) == 1.0
            if request.node.name.endswith("[rust]"):
                raise KeyboardInterrupt
        """
    )
    reports = run()
    assert reports.result.ret == pytest.ExitCode.INTERRUPTED
    # The build had happened: its results are reported, with the interruption.
    assert reports.json["build"]["status"] in ("built", "cached")
    assert status_of(reports) == "accelerated"
    assert reports.json["notes"] == [
        "the session was interrupted (KeyboardInterrupt); the items after that point did not run"
    ]
    assert reports.session_properties["summary.accelerated"] == "1"
