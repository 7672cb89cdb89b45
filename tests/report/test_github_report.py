"""GitHub Actions output rendered from stored reports: annotations and the step summary."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from report_samples import empty_report, failed_build_report, review_report, sample_report

from pytest_rustify.report import github
from pytest_rustify.report.github import (
    PER_JOB,
    PER_SEVERITY,
    STEP_SUMMARY_LIMIT,
    append_step_summary,
    emit_github,
)
from pytest_rustify.report.markdown import render_markdown
from pytest_rustify.report.model import (
    BaselineChange,
    BuildReport,
    FunctionReport,
    GateResult,
    Parity,
    RunReport,
    Speedup,
)

_COMMAND = re.compile(r"::(?P<severity>error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)")


@dataclass(frozen=True)
class Command:
    severity: str
    props: dict[str, str]
    message: str


def _unescape(text: str) -> str:
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def _parse(line: str) -> Command:
    """A workflow command as the runner reads it: one line, properties split at commas."""
    assert "\n" not in line and "\r" not in line
    match = _COMMAND.fullmatch(line)
    assert match is not None, line
    props = dict(prop.split("=", 1) for prop in match["props"].split(","))
    return Command(
        match["severity"], {k: _unescape(v) for k, v in props.items()}, _unescape(match["message"])
    )


def _parsed(report: RunReport, **limits: int) -> list[Command]:
    return [_parse(line) for line in github.annotations(report, **limits)]


def _speedup(median: float) -> Speedup:
    return Speedup(
        median=median, ci_low=median * 0.9, ci_high=median * 1.1, python_ns=1000, rust_ns=10
    )


def _parity_failure(i: int) -> FunctionReport:
    return FunctionReport(
        target=f"pkg.m{i}:f",
        file=f"pkg/m{i}.py",
        line=i + 1,
        status="parity_failed",
        reason=f"pkg/m{i}.py:{i + 1}: parity failed for pkg.m{i}:f: 1 of 9 calls differ",
        parity=Parity(calls=9, mismatches=1, fallbacks=0),
    )


def _refusal(i: int) -> FunctionReport:
    return FunctionReport(
        target=f"pkg.r{i}:f",
        file=f"pkg/r{i}.py",
        line=1,
        status="refused",
        reason=f"pkg/r{i}.py:3: generators are not supported (`yield`)",
    )


def _accelerated(i: int, median: float = 10.0, **fields: Any) -> FunctionReport:
    f = FunctionReport(
        target=f"pkg.a{i}:f",
        file=f"pkg/a{i}.py",
        line=1,
        status="accelerated",
        parity=Parity(calls=9, mismatches=0, fallbacks=0),
        speedup=_speedup(median),
    )
    return replace(f, **fields)


def _regressed(i: int, change: float) -> FunctionReport:
    return _accelerated(
        i,
        baseline=BaselineChange(
            status="compared", baseline=_speedup(30.0), change=change, regressed=True
        ),
        gate=GateResult(min_speedup=None, baseline=30.0, passed=False, reasons=("it fell",)),
    )


def _with(*functions: FunctionReport) -> RunReport:
    return replace(empty_report(), functions=functions)


def test_review_report_annotations() -> None:
    commands = _parsed(review_report())
    assert [(c.severity, c.props.get("file"), c.props.get("line")) for c in commands] == [
        ("error", "stats/norm.py", "5"),
        ("error", "stats/rolling.py", "8"),
        ("error", "textkit/counts.py", "3"),
        ("warning", "stats/hist.py", "21"),
        # A refusal is annotated at the refused construct, not at the def.
        ("warning", "textkit/walk.py", "22"),
        ("warning", "textkit/walk.py", "41"),
        ("warning", "geo/shapes.py", "9"),
        ("notice", None, None),
        ("notice", "geo/distance.py", "12"),
        ("notice", "textkit/tokenize.py", "30"),
    ]
    parity, gate, build = commands[:3]
    assert parity.props["title"] == "pytest-rustify: parity failed"
    assert parity.message.startswith("stats.norm:zscore: 3 of 120 recorded calls differ")
    assert "\nFirst mismatch: call 7: zscore([2.0, 2.0])" in parity.message
    assert gate.props["title"] == "pytest-rustify: speedup regressed"
    assert "3.1x [2.9\N{EN DASH}3.4], required 5.0x; -26% against the baseline 4.2x" in gate.message
    assert "\nspeedup fell 26% from the baseline 4.2x" in gate.message
    assert build.props["title"] == "pytest-rustify: build failed"
    assert "Build log: .pytest_cache/rustify/crates/3f9a1c2e7b/maturin.log" in build.message
    assert "proved nothing" in commands[3].message
    assert commands[4].message == (
        "textkit.walk:iter_pairs stays in Python: generators are not supported (`yield`)"
    )
    assert "textkit.legacy:old_split" in commands[7].message
    assert "benchmarks/rustify-baseline.json" in commands[7].message
    assert commands[8].message == (
        "geo.distance:haversine_sum: 38.2x [36.0\N{EN DASH}40.1] faster in Rust, "
        "120 recorded calls agree; +9% against the baseline 35.0x"
    )
    assert commands[9].message.endswith("new since the baseline")


def test_nothing_to_say_about_nothing() -> None:
    assert github.annotations(empty_report()) == []


def test_25_parity_failures_keep_10_errors_and_count_the_rest() -> None:
    commands = _parsed(_with(*(_parity_failure(i) for i in range(25))))
    errors = [c for c in commands if c.severity == "error"]
    assert len(errors) == PER_SEVERITY
    assert [c.props["file"] for c in errors] == [f"pkg/m{i}.py" for i in range(10)]
    (last,) = commands[PER_SEVERITY:]
    assert last.severity == "warning"
    assert "file" not in last.props
    assert last.message.startswith("15 errors left out")
    assert "step summary" in last.message


def test_every_severity_full_keeps_room_for_the_count() -> None:
    functions = [
        *(_parity_failure(i) for i in range(12)),
        *(_refusal(i) for i in range(12)),
        *(_accelerated(i) for i in range(12)),
    ]
    commands = _parsed(_with(*functions))
    counts = {s: sum(c.severity == s for c in commands) for s in ("error", "warning", "notice")}
    assert counts == {"error": 10, "warning": 10, "notice": 10}
    # The count is a warning (errors were left out), so a refusal gave up its place.
    assert [c.severity for c in commands] == ["error"] * 10 + ["warning"] * 9 + ["notice"] * 10 + [
        "warning"
    ]
    assert commands[-1].message.startswith("2 errors, 3 warnings, 2 notices left out")


def test_only_notices_left_out_are_counted_by_a_notice() -> None:
    commands = _parsed(_with(_parity_failure(0), *(_accelerated(i) for i in range(14))))
    assert [c.severity for c in commands] == ["error"] + ["notice"] * 10
    assert [c.props.get("file") for c in commands[1:10]] == [f"pkg/a{i}.py" for i in range(9)]
    assert commands[-1].message.startswith("5 notices left out")


def test_the_job_limit_keeps_the_most_important() -> None:
    functions = [
        *(_parity_failure(i) for i in range(30)),
        *(_refusal(i) for i in range(30)),
        *(_accelerated(i) for i in range(30)),
    ]
    commands = _parsed(_with(*functions), per_severity=20, per_job=PER_JOB)
    assert len(commands) == PER_JOB
    assert [c.severity for c in commands] == ["error"] * 20 + ["warning"] * 19 + ["notice"] * 10 + [
        "warning"
    ]
    assert commands[-1].message.startswith("10 errors, 11 warnings, 20 notices left out")


def test_errors_order_parity_then_gate_then_build_larger_regressions_first() -> None:
    report = _with(
        replace(_refusal(0)),
        FunctionReport(
            target="pkg.b:f", file="pkg/b.py", line=2, status="build_failed", reason="no"
        ),
        _regressed(1, change=-0.3),
        _regressed(2, change=-0.8),
        _accelerated(3, gate=GateResult(min_speedup=50.0, baseline=None, passed=False)),
        _parity_failure(4),
    )
    commands = _parsed(report)
    assert [(c.severity, c.props["file"]) for c in commands] == [
        ("error", "pkg/m4.py"),
        ("error", "pkg/a2.py"),
        ("error", "pkg/a1.py"),
        ("error", "pkg/a3.py"),
        ("error", "pkg/b.py"),
        ("warning", "pkg/r0.py"),
    ]
    assert commands[1].props["title"] == "pytest-rustify: speedup regressed"
    assert commands[3].props["title"] == "pytest-rustify: speedup below the threshold"
    assert "-80% against the baseline 30.0x" in commands[1].message


def test_escaping_of_data_and_properties() -> None:
    f = FunctionReport(
        target="pkg.mod:f",
        file="pkg/a,b: c%.py",
        line=7,
        status="refused",
        reason="50% of the loop\nis a generator\r, here: `yield`",
    )
    (line,) = github.annotations(_with(f))
    assert line == (
        "::warning file=pkg/a%2Cb%3A c%25.py,line=7,title=pytest-rustify%3A not translated::"
        "pkg.mod:f stays in Python: 50%25 of the loop%0Ais a generator%0D, here: `yield`"
    )
    command = _parse(line)
    assert command.props["file"] == "pkg/a,b: c%.py"
    assert command.message.endswith("50% of the loop\nis a generator\r, here: `yield`")


def test_a_missing_toolchain_is_one_warning_not_build_errors() -> None:
    report = replace(
        failed_build_report(),
        build=BuildReport(
            status="failed",
            seconds=0.1,
            message=(
                "cannot build the Rust extension: cargo, rustc not found (or not working).\n"
                "TIP: install Rust from https://rustup.rs"
            ),
        ),
    )
    commands = _parsed(report)
    assert not [c for c in commands if c.severity == "error"]
    toolchain = commands[0]
    assert toolchain.severity == "warning"
    assert toolchain.props == {"title": "pytest-rustify: Rust toolchain missing"}
    assert toolchain.message.startswith("cannot build the Rust extension: cargo, rustc not found")
    assert "TIP: install Rust" in toolchain.message


def test_a_failed_crate_is_one_error_naming_what_was_not_built() -> None:
    commands = _parsed(failed_build_report())
    errors = [c for c in commands if c.severity == "error"]
    (error,) = errors
    assert "file" not in error.props
    assert error.message.startswith("maturin failed (exit status 1)")
    assert "error: linker `cc` not found" in error.message
    assert "Not built: geo.distance:haversine_sum, textkit.tokenize:split_tokens" in error.message
    assert error.message.endswith("Build log: .pytest_cache/rustify/crates/3f9a1c2e7b/maturin.log")


def test_accelerated_targets_that_fail_or_prove_nothing_are_not_noticed() -> None:
    commands = _parsed(sample_report())
    noticed = [c.message.split(":", 2)[:2] for c in commands if c.severity == "notice"]
    assert noticed == [["geo.distance", "haversine_sum"], ["textkit.tokenize", "split_tokens"]]


# --- emit_github and the step summary ------------------------------------------------


def test_nothing_is_emitted_outside_github_actions(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    written: list[str] = []
    for environ in ({}, {"GITHUB_ACTIONS": "false"}, {"GITHUB_ACTIONS": "1", "CI": "true"}):
        emit_github(
            review_report(),
            environ={**environ, "GITHUB_STEP_SUMMARY": str(summary)},
            write=written.append,
            markdown="## hello\n",
        )
    assert written == []
    assert not summary.exists()


def test_on_github_actions_annotations_and_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("## an earlier step's notes\n", encoding="utf-8")
    written: list[str] = []
    markdown = render_markdown(review_report())
    emit_github(
        review_report(),
        environ={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
        write=written.append,
        markdown=markdown,
    )
    assert written == github.annotations(review_report())
    assert summary.read_text(encoding="utf-8") == "## an earlier step's notes\n\n" + markdown


def test_on_github_actions_without_a_summary_file(tmp_path: Path) -> None:
    written: list[str] = []
    emit_github(
        review_report(), environ={"GITHUB_ACTIONS": "true"}, write=written.append, markdown="x"
    )
    assert len(written) == len(github.annotations(review_report()))
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_step_summary_is_a_warning(tmp_path: Path) -> None:
    written: list[str] = []
    emit_github(
        empty_report(),
        environ={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(tmp_path)},
        write=written.append,
        markdown="## report\n",
    )
    (warning,) = [_parse(line) for line in written]
    assert warning.severity == "warning"
    assert warning.message.startswith("could not append the report to $GITHUB_STEP_SUMMARY")


def test_step_summary_is_appended(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    append_step_summary("## first\n", summary)
    append_step_summary("## second", summary)
    summary.write_text(summary.read_text(encoding="utf-8") + "no newline", encoding="utf-8")
    append_step_summary("## third\n", summary)
    assert summary.read_text(encoding="utf-8") == (
        "## first\n\n## second\nno newline\n\n## third\n"
    )


def test_an_oversized_report_is_cut_at_a_line_under_1_mib(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier\n", encoding="utf-8")
    rows = [
        f"| row {i} | caf\N{LATIN SMALL LETTER E WITH ACUTE} {'x' * 60} |" for i in range(40_000)
    ]
    markdown = "\n".join(["## big", "", "| a | b |", "| --- | --- |", *rows]) + "\n"
    assert len(markdown.encode("utf-8")) > 2 * STEP_SUMMARY_LIMIT
    append_step_summary(markdown, summary, full_report="reports/rustify.md")
    data = summary.read_bytes()
    assert len(data) <= STEP_SUMMARY_LIMIT
    assert len(data) > STEP_SUMMARY_LIMIT - 1000
    text = data.decode("utf-8")
    assert text.startswith("earlier\n\n## big\n")
    body, note = text.rstrip("\n").rsplit("\n\n", 1)
    assert "cut here" in note
    assert "1 MiB" in note
    assert "`reports/rustify.md`" in note
    kept = body.split("\n")[2:]
    assert kept == markdown.split("\n")[: len(kept)]


def test_a_cut_never_leaves_a_fenced_block_open(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    chart = "```mermaid\nxychart-beta\n" + "    bar [1, 2]\n" * 500 + "```\n"
    markdown = "## report\n\nintro line\n\n" + chart + "\nafter\n"
    append_step_summary(markdown, summary, limit=4000)
    text = summary.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 4000
    assert "```" not in text
    assert text.startswith("## report\n\nintro line\n")
    assert "in the job log" in text


def test_a_full_summary_file_takes_nothing_more(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_bytes(b"x" * (STEP_SUMMARY_LIMIT - 10) + b"\n")
    append_step_summary("## report\n" * 100, summary)
    assert summary.stat().st_size == STEP_SUMMARY_LIMIT - 9


def test_a_report_that_fits_is_not_cut(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    markdown = render_markdown(review_report())
    append_step_summary(markdown, summary, limit=len(markdown.encode("utf-8")))
    assert summary.read_text(encoding="utf-8") == markdown
