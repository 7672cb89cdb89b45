"""The terminal summary rendered from stored reports: golden output, width, wording."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from report_samples import empty_report, failed_build_report, sample_report

from pytest_rustify.report.model import BuildReport, FunctionReport, Parity, RunReport, Speedup
from pytest_rustify.report.terminal import (
    format_parity,
    format_percent,
    format_speedup,
    render_terminal,
)

LONG_SIGNATURE = "fn f(" + ", ".join(f"arg{i}: Vec<Vec<f64>>" for i in range(20)) + ") -> f64"


def _text(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def _short_report() -> RunReport:
    """Short names, so the file:line column fits at 120 and only the signature is cut."""
    return replace(
        sample_report(),
        functions=(
            FunctionReport(
                target="pkg.mod:func",
                file="pkg/mod.py",
                line=4,
                status="accelerated",
                signature=LONG_SIGNATURE,
                parity=Parity(calls=10, mismatches=0, fallbacks=0),
                speedup=Speedup(median=2.0, ci_low=1.5, ci_high=2.5, python_ns=20, rust_ns=10),
                percent=50.0,
            ),
        ),
    )


def test_sample_at_120_columns(golden: Callable[[str, str], None]) -> None:
    golden("terminal_120.txt", _text(render_terminal(sample_report(), width=120)))


def test_sample_at_80_columns(golden: Callable[[str, str], None]) -> None:
    golden("terminal_80.txt", _text(render_terminal(sample_report(), width=80)))


def test_sample_verbose(golden: Callable[[str, str], None]) -> None:
    golden("terminal_verbose.txt", _text(render_terminal(sample_report(), verbose=True)))


def test_failed_build(golden: Callable[[str, str], None]) -> None:
    golden("terminal_failed_build.txt", _text(render_terminal(failed_build_report(), width=120)))


@pytest.mark.parametrize("width", [20, 40, 60, 80, 100, 120, 200])
def test_every_line_fits_the_width(width: int) -> None:
    """Every line but the cache's path, which is printed whole."""
    for report in (sample_report(), failed_build_report(), _short_report()):
        lines = render_terminal(report, width=width)
        assert [
            line for line in lines if len(line) > width and not line.startswith("cache: ")
        ] == []


@pytest.mark.parametrize("width", [100, 120])
def test_long_signature_is_cut_first_with_an_ellipsis_not_wrapped(width: int) -> None:
    lines = render_terminal(_short_report(), width=width)
    header = next(line for line in lines if line.startswith("target"))
    row = next(line for line in lines if line.startswith("pkg.mod:func"))
    assert "file:line" in header
    assert "pkg/mod.py:4" in row
    assert len(row) == width
    assert row.endswith("…")
    assert LONG_SIGNATURE[:20] in row
    assert not any(line.startswith(" " * 10 + "arg") for line in lines)


def test_verbose_keeps_signatures_and_reasons_whole() -> None:
    text = "\n".join(render_terminal(sample_report(), width=80, verbose=True))
    assert "…" not in text
    for f in sample_report().functions:
        shown = f.signature if f.status == "accelerated" else f.reason
        assert shown is not None
        assert shown in text
        assert f"{f.file}:{f.line}" in text
    assert LONG_SIGNATURE in "\n".join(render_terminal(_short_report(), verbose=True))


def test_a_cut_target_keeps_its_function_name() -> None:
    lines = render_terminal(sample_report(), width=100)
    row = next(line for line in lines if "haversine_sum" in line)
    assert row.startswith("…")
    assert "geo.distance:haversine_sum" not in row


def test_all_fell_back_is_said_plainly() -> None:
    lines = render_terminal(sample_report(), width=120)
    row = next(line for line in lines if line.startswith("stats.hist:bucketize "))
    assert "64, all fell back" in row
    at = lines.index("stats.hist:bucketize (stats/hist.py:21)")
    assert "proved nothing" in lines[at + 1]


def test_details_name_mismatches_and_gate_reasons() -> None:
    lines = render_terminal(sample_report(), verbose=True)
    at = lines.index("stats.norm:zscore (stats/norm.py:5)")
    assert lines[at + 1].startswith("  mismatch: call 7: zscore([2.0, 2.0])")
    at = lines.index("stats.rolling:rolling_mean (stats/rolling.py:8)")
    assert (
        lines[at + 1]
        == "  gate: speedup 3.1x [2.9\N{EN DASH}3.4] is below --rustify-min-speedup 5.0x"
    )
    row = next(line for line in lines if line.startswith("stats.rolling:rolling_mean "))
    assert "gate failed" in row


def test_missing_percent_is_a_dash() -> None:
    lines = render_terminal(sample_report(), verbose=True)
    row = next(line for line in lines if line.startswith("textkit.walk:iter_windows "))
    assert row.split()[2] == "—"


def test_profiler_notes_build_and_summary_lines() -> None:
    lines = render_terminal(sample_report())
    assert lines[:3] == [
        "profiler: cprofile",
        "note: py-spy could not attach (ptrace is not permitted); profiled with cProfile",
        "build: built in 12.3s (.pytest_cache/rustify/crates/3f9a1c2e7b)",
    ]
    assert lines[-1] == "4 accelerated, 3 refused, 1 parity failures, 1 gate failures"


def test_a_long_note_is_wrapped_not_cut() -> None:
    tip = "TIP: start the container with --cap-add SYS_PTRACE, or set kernel.yama.ptrace_scope"
    note = "py-spy could not attach: Permission Denied; profiled with cProfile instead\n" + tip
    report = replace(empty_report(), profiler="cprofile", profiler_note=note)
    lines = render_terminal(report, width=60)
    assert all(len(line) <= 60 for line in lines), lines
    assert lines[1].startswith("note: py-spy could not attach: Permission Denied;")
    assert all(line.startswith(" " * len("note: ")) for line in lines[2:5]), lines
    assert " ".join(line.strip() for line in lines[1:5]) == "note: " + note.replace("\n", " ")
    assert render_terminal(report, verbose=True)[1:3] == [
        f"note: {note.splitlines()[0]}",
        f"      {tip}",
    ]


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (BuildReport(status="cached", seconds=0.4), ["build: cached, loaded in 0.4s"]),
        (BuildReport(status="skipped", seconds=0.0), ["build: skipped, nothing to build"]),
        (
            BuildReport(status="failed", seconds=3.0, log="b/maturin.log", message="a\nTIP: b"),
            ["build: failed after 3.0s", "  a", "  TIP: b", "  log: b/maturin.log"],
        ),
    ],
)
def test_build_line(build: BuildReport, expected: list[str]) -> None:
    lines = render_terminal(replace(empty_report(), build=build))
    assert lines[1 : 1 + len(expected)] == expected


def test_nothing_selected() -> None:
    assert render_terminal(empty_report()) == [
        "profiler: py-spy",
        "build: skipped, nothing to build",
        "",
        "no function was selected for translation",
        "",
        "0 accelerated, 0 refused, 0 parity failures, 0 gate failures",
    ]


def test_pure_and_without_colour() -> None:
    first = render_terminal(sample_report(), width=90)
    assert render_terminal(sample_report(), width=90) == first
    assert not any("\x1b" in line for line in first)


@pytest.mark.parametrize(
    ("parity", "expected"),
    [
        (None, "—"),
        (Parity(calls=120, mismatches=0, fallbacks=0), "120 ok"),
        (Parity(calls=120, mismatches=3, fallbacks=0), "120, 3 mismatched"),
        (Parity(calls=120, mismatches=0, fallbacks=7), "120, 7 fell back"),
        (Parity(calls=120, mismatches=0, fallbacks=120), "120, all fell back"),
        (Parity(calls=120, mismatches=2, fallbacks=5), "120, 2 mismatched, 5 fell back"),
        (Parity(calls=0, mismatches=0, fallbacks=0), "no calls"),
    ],
)
def test_format_parity(parity: Parity | None, expected: str) -> None:
    assert format_parity(parity) == expected


def test_format_speedup_and_percent() -> None:
    assert format_speedup(Speedup(38.2, 36.0, 40.1, 55800, 1460)) == "38.2x [36.0\N{EN DASH}40.1]"
    assert format_speedup(Speedup(0.94, 0.91, 1.02, 3100, 3300)) == "0.94x [0.91\N{EN DASH}1.02]"
    assert format_speedup(None) == "—"
    assert format_percent(41.25) == "41.2%"
    assert format_percent(None) == "—"


def test_the_cache_path_is_never_cut() -> None:
    """Cut with an ellipsis, a path could not be found: the cache line stays whole."""
    cache = "/var/lib/ci/pytest-of-someone/pytest-1234/test_a_long_test_name0/not/yet/there/rustify"
    report = replace(empty_report(), build=BuildReport("built", 1.0, cache=cache))
    lines = render_terminal(report, width=60)
    assert f"cache: {cache}" in lines
    assert all(len(line) <= 60 for line in lines if not line.startswith("cache: "))
