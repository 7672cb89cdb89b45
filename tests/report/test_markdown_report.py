"""The markdown report rendered from stored reports: golden output and what a reviewer needs."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from report_samples import empty_report, failed_build_report, review_report, sample_report

from pytest_rustify.report.markdown import render_markdown
from pytest_rustify.report.model import (
    BaselineChange,
    BenchmarkPair,
    FunctionReport,
    GateResult,
    ScalePoint,
    Speedup,
)

REPORT_PACKAGE = Path(__file__).resolve().parents[2] / "pytest_rustify" / "report"


def _table_rows(text: str) -> list[list[str]]:
    """The cells of the first table in ``text``, split at unescaped pipes."""
    rows: list[str] = []
    for line in text.splitlines():
        if line.startswith("|"):
            rows.append(line)
        elif rows:
            break
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def test_sample(golden: Callable[[str, str], None]) -> None:
    golden("markdown.md", render_markdown(sample_report()))


def test_failed_build(golden: Callable[[str, str], None]) -> None:
    golden("markdown_failed_build.md", render_markdown(failed_build_report()))


def test_review(golden: Callable[[str, str], None]) -> None:
    """Compared with a baseline, with scaling points and pytest-benchmark pairs."""
    golden("markdown_review.md", render_markdown(review_report()))


def test_table_has_one_row_per_function_and_five_cells() -> None:
    report = sample_report()
    header, rule, *rows = _table_rows(render_markdown(report))
    assert header == ["target", "status", "parity", "speedup [interval]", "gate"]
    assert rule == ["---"] * 5
    assert [row[0] for row in rows] == [f"`{f.target}`" for f in report.functions]
    assert rows[0] == [
        "`geo.distance:haversine_sum`",
        "accelerated",
        "120 ok",
        "38.2x [36.0\N{EN DASH}40.1]",
        "passed (min 5.0x, baseline 35.0x)",
    ]
    by_target = {row[0].strip("`"): row for row in rows}
    assert by_target["stats.hist:bucketize"][2] == "64, all fell back"
    assert by_target["stats.norm:zscore"][1] == "parity failed"
    assert by_target["textkit.counts:char_histogram"][1] == "build failed"
    assert by_target["stats.rolling:rolling_mean"][4] == "**failed**: below min 5.0x"


def test_refusals_are_grouped_by_reason() -> None:
    text = render_markdown(sample_report())
    refused = text.split("### Refused\n\n")[1].split("\n\n")[0].splitlines()
    assert refused[:3] == [
        "- generators are not supported (`yield`)",
        "  - `textkit.walk:iter_pairs` at textkit/walk.py:22",
        "  - `textkit.walk:iter_windows` at textkit/walk.py:41",
    ]
    assert text.count("generators are not supported") == 1


def test_all_fell_back_and_mismatches_need_attention() -> None:
    text = render_markdown(sample_report())
    attention = text.split("### Needs attention\n\n")[1]
    assert "- `stats.hist:bucketize` (stats/hist.py:21): all 64 calls fell back" in attention
    assert "proved nothing" in attention
    assert "  - mismatch: call 7: zscore(" in attention
    assert "  - gate: speedup 3.1x" in attention


def test_build_and_environment_line() -> None:
    text = render_markdown(sample_report())
    assert (
        "**Build:** built in 12.3s. **Environment:** Python 3.11.7, rustc 1.95.0, "
        "PyO3 0.23.3, linux-x86\\_64; profiler cprofile."
    ) in text
    failed = render_markdown(failed_build_report())
    assert "**Build:** failed after 41.0s." in failed
    assert "```text\nmaturin failed (exit status 1)" in failed


def test_nothing_selected() -> None:
    text = render_markdown(empty_report())
    assert "No function was selected for translation." in text
    assert "|" not in text
    assert "### Refused" not in text


def test_markdown_in_reasons_is_escaped_and_code_spans_kept() -> None:
    odd = FunctionReport(
        target="pkg.mod:odd",
        file="pkg/mod.py",
        line=3,
        status="refused",
        reason="pkg/mod.py:5: `a | b` on sets is not supported | <script> __dunder__ *x*",
    )
    text = render_markdown(replace(empty_report(), functions=(odd,)))
    assert "- `a | b` on sets is not supported \\| \\<script\\> \\_\\_dunder\\_\\_ \\*x\\*" in text
    assert len(_table_rows(text)[-1]) == 5


def test_no_emoji() -> None:
    text = render_markdown(sample_report()) + render_markdown(failed_build_report())
    assert not [c for c in text if ord(c) >= 0x1F000 or 0x2600 <= ord(c) <= 0x27BF]


def test_reporters_read_only_the_report_model() -> None:
    """Reporters render a finished RunReport; they never import a stage."""
    allowed = {
        "pytest_rustify._fs",
        "pytest_rustify.report.model",
        "pytest_rustify.report.terminal",
    }
    for name in ("terminal.py", "json.py", "markdown.py", "github.py"):
        tree = ast.parse((REPORT_PACKAGE / name).read_text(encoding="utf-8"))
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module is not None
        } | {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        ours = {module for module in imported if module.startswith("pytest_rustify")}
        assert ours <= allowed, name
        assert "pytest" not in imported, name


def _speedup(median: float) -> Speedup:
    return Speedup(
        median=median, ci_low=median * 0.9, ci_high=median * 1.1, python_ns=1000, rust_ns=10
    )


def _accelerated(target: str, median: float, **fields: Any) -> FunctionReport:
    return replace(
        FunctionReport(
            target=target, file="pkg/mod.py", line=1, status="accelerated", speedup=_speedup(median)
        ),
        **fields,
    )


def _mermaid(text: str) -> list[str]:
    """The lines of the one Mermaid block in ``text``."""
    assert text.count("```mermaid\n") == 1
    return text.split("```mermaid\n")[1].split("\n```\n")[0].splitlines()


def _bracketed(lines: list[str], keyword: str) -> str:
    (line,) = [line.strip() for line in lines if line.strip().startswith(keyword + " ")]
    match = re.fullmatch(re.escape(keyword) + r" \[(.*)\]", line)
    assert match is not None, line
    return match[1]


def test_vs_baseline_column_appears_with_a_baseline() -> None:
    header, rule, *rows = _table_rows(render_markdown(review_report()))
    assert header == ["target", "status", "parity", "speedup [interval]", "vs baseline", "gate"]
    assert rule == ["---"] * 6
    cells = {row[0].strip("`"): (row[4], row[5]) for row in rows}
    assert cells["geo.distance:haversine_sum"] == ("+9%", "passed (min 5.0x, baseline 35.0x)")
    assert cells["textkit.tokenize:split_tokens"] == ("new", "passed (min 5.0x)")
    assert cells["stats.rolling:rolling_mean"] == (
        "**\N{MINUS SIGN}26%** (4.2x \N{RIGHTWARDS ARROW} 3.1x)",
        "**failed**: below min 5.0x; regressed \N{MINUS SIGN}26% from 4.2x",
    )
    assert cells["stats.hist:bucketize"][0] == "+3%"
    assert cells["stats.norm:zscore"][0] == "was 8.2x"
    assert cells["textkit.walk:iter_pairs"][0] == "\N{EM DASH}"


def test_no_baseline_column_without_a_baseline() -> None:
    text = render_markdown(sample_report())
    assert "vs baseline" not in text
    assert "since the baseline" not in text


def test_a_change_within_rounding_is_plus_minus_zero() -> None:
    base = _speedup(10.0)
    f = _accelerated(
        "pkg.mod:f",
        10.02,
        baseline=BaselineChange(status="compared", baseline=base, change=0.002),
    )
    (row,) = _table_rows(render_markdown(replace(empty_report(), functions=(f,))))[2:]
    assert row[4] == "\N{PLUS-MINUS SIGN}0%"


def test_gate_cell_falls_back_to_the_gate_reasons_escaped() -> None:
    f = _accelerated(
        "pkg.mod:f",
        9.0,
        gate=GateResult(
            min_speedup=None, baseline=None, passed=False, reasons=("`a | b` was slow | `x`",)
        ),
    )
    (row,) = _table_rows(render_markdown(replace(empty_report(), functions=(f,))))[2:]
    assert len(row) == 5
    assert row[4] == r"**failed**: `a \| b` was slow \| `x`"


def test_mermaid_chart_is_a_bar_per_accelerated_target() -> None:
    text = render_markdown(review_report())
    lines = _mermaid(text)
    assert lines[0] == "xychart-beta"
    labels = re.findall(r'"([^"]*)"', _bracketed(lines, "x-axis"))
    bars = [float(v) for v in _bracketed(lines, "bar").split(", ")]
    ones = [float(v) for v in _bracketed(lines, "line").split(", ")]
    assert labels == ["haversine_sum", "split_tokens", "rolling_mean", "bucketize"]
    assert bars == [38.2, 12.4, 3.1, 0.94]
    assert ones == [1.0] * len(labels)
    (y_axis,) = [line.strip() for line in lines if line.strip().startswith("y-axis")]
    assert re.fullmatch(r'y-axis "speedup \(x\)" 0 --> (\d+)', y_axis)
    assert int(y_axis.rsplit(" ", 1)[1]) > max(bars)


def test_mermaid_labels_stay_valid_and_distinct() -> None:
    functions = (
        _accelerated('pkg.a:f"[1]; #x', 2.0),
        _accelerated("pkg.b:dup", 3.0),
        _accelerated("pkg.c:dup", 4.0),
        _accelerated("pkg.d:tiny", 0.5),
    )
    lines = _mermaid(render_markdown(replace(empty_report(), functions=functions)))
    axis = _bracketed(lines, "x-axis")
    labels = re.findall(r'"([^"]*)"', axis)
    assert len(labels) == 4
    assert re.fullmatch(", ".join(['"[^"]*"'] * 4), axis)
    assert all(not set(label) & set('"[];#`') for label in labels)
    assert labels[:2] == ["pkg.c:dup", "pkg.b:dup"]
    assert len(_bracketed(lines, "bar").split(", ")) == 4


def test_no_chart_without_a_measured_target() -> None:
    for report in (failed_build_report(), empty_report()):
        assert "mermaid" not in render_markdown(report)


def test_scaling_marks_sizes_below_1x_and_the_crossover() -> None:
    text = render_markdown(review_report())
    section = text.split("### Scaling\n\n")[1].split("\n### ")[0]
    haversine = section.split("#### `geo.distance:haversine_sum`\n\n")[1].split("\n####")[0]
    rows = _table_rows(haversine)
    assert rows[0] == ["size", "speedup [interval]", "note"]
    assert [row[0] for row in rows[2:]] == ["4", "16", "62", "250", "1000"]
    assert [row[2] for row in rows[2:]] == ["**below 1x**", "", "", "", ""]
    assert "Slower than Python up to size 4, faster from size 16" in haversine
    tokens = section.split("#### `textkit.tokenize:split_tokens`\n\n")[1]
    assert "below 1x" not in tokens
    assert "Slower" not in tokens


def test_scaling_slower_everywhere() -> None:
    points = tuple(ScalePoint(size=n, speedup=_speedup(0.5)) for n in (8, 64))
    f = _accelerated("pkg.mod:f", 0.5, scaling=points)
    text = render_markdown(replace(empty_report(), functions=(f,)))
    assert "Slower than Python at every measured size." in text
    assert text.count("**below 1x**") == 2


def test_benchmark_pairs_beside_the_replay() -> None:
    text = render_markdown(review_report())
    section = text.split("### pytest-benchmark\n\n")[1].split("\n\n**Build:**")[0]
    header, _, *rows = _table_rows(section)
    assert header == ["test", "target", "Python median", "Rust median", "ratio", "replay speedup"]
    assert rows[0] == [
        "`tests/test_geo.py::test_haversine_benchmark`",
        "`geo.distance:haversine_sum`",
        "12.3 ms",
        "341 \N{MICRO SIGN}s",
        "36.1x",
        "38.2x [36.0\N{EN DASH}40.1]",
    ]
    # The pipe is escaped (it would split the cell) and the code span outlasts the backticks.
    assert rows[1][0] == r"``tests/test_tokenize.py::test_split[a\|b-`x`]``"
    assert len(rows[1]) == 6


def test_benchmark_with_a_zero_rust_median() -> None:
    pair = BenchmarkPair(test="t.py::test_x", python_s=1.0, rust_s=0.0)
    f = _accelerated("pkg.mod:f", 2.0, benchmarks=(pair,))
    text = render_markdown(replace(empty_report(), functions=(f,)))
    (row,) = _table_rows(text.split("### pytest-benchmark")[1])[2:]
    assert row[2:5] == ["1 s", "0 ns", "\N{EM DASH}"]


def test_new_and_gone_since_the_baseline() -> None:
    text = render_markdown(review_report())
    new = text.split("### New since the baseline\n\n")[1].split("\n\n")[0]
    assert new == "- `textkit.tokenize:split_tokens`: 12.4x \\[11.8\N{EN DASH}13.1\\]"
    gone = text.split("### Gone since the baseline\n\n")[1].split("\n### ")[0]
    assert "(`benchmarks/rustify-baseline.json`)" in gone
    assert "- `textkit.legacy:old_split`" in gone
    assert "not failed" in gone


def test_table_cells_escape_pipes_and_backticks_in_targets() -> None:
    f = _accelerated("pkg.mod:a|b`c", 2.0)
    (row,) = _table_rows(render_markdown(replace(empty_report(), functions=(f,))))[2:]
    assert len(row) == 5
    assert row[0] == r"``pkg.mod:a\|b`c``"
