"""The markdown report rendered from stored reports: golden output and what a reviewer needs."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from report_samples import empty_report, failed_build_report, sample_report

from pytest_rustify.report.markdown import render_markdown
from pytest_rustify.report.model import FunctionReport

REPORT_PACKAGE = Path(__file__).resolve().parents[2] / "pytest_rustify" / "report"


def _table_rows(text: str) -> list[list[str]]:
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def test_sample(golden: Callable[[str, str], None]) -> None:
    golden("markdown.md", render_markdown(sample_report()))


def test_failed_build(golden: Callable[[str, str], None]) -> None:
    golden("markdown_failed_build.md", render_markdown(failed_build_report()))


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
    assert by_target["stats.rolling:rolling_mean"][4] == "**failed** (min 5.0x, baseline 4.2x)"


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
    for name in ("terminal.py", "json.py", "markdown.py"):
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
