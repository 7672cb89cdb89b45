"""The pytest-benchmark JSON: its format, its statistics, and pytest-benchmark reading it.

The proof that the format is right is pytest-benchmark's own ``compare`` command, run as
a subprocess on the written file.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import pytest_benchmark
from hypothesis import given
from hypothesis import strategies as st
from pytest_benchmark.stats import Stats
from report_samples import baseline_report, failed_build_report, measured_report, sample_report

from pytest_rustify.report import benchmark
from pytest_rustify.report.benchmark import (
    STATS_FIELDS,
    benchmark_json,
    benchmark_stats,
    write_benchmark_json,
)
from pytest_rustify.report.model import RunReport, from_json_dict, to_json_dict

NOW = datetime(2025, 3, 1, 12, 30, tzinfo=timezone.utc)
ENTRY_KEYS = {"group", "name", "fullname", "params", "param", "extra_info", "options", "stats"}
MEASURED = [f for f in measured_report().functions if f.speedup is not None]


def _doc(report: RunReport | None = None, **kwargs: Any) -> dict[str, Any]:
    return benchmark_json(report or measured_report(), now=NOW, **kwargs)


def _entries(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in doc["benchmarks"]}


# --- the document -------------------------------------------------------------------------


def test_the_top_level_is_pytest_benchmarks() -> None:
    doc = _doc()
    assert list(doc) == ["machine_info", "commit_info", "benchmarks", "datetime", "version"]
    assert doc["datetime"] == "2025-03-01T12:30:00+00:00"
    assert doc["version"] == pytest_benchmark.__version__
    assert doc["machine_info"]["python_version"] == "3.11.7"
    assert doc["machine_info"]["rustc"] == "1.95.0"
    assert doc["commit_info"]["id"] == "unversioned"


def test_machine_and_commit_info_can_be_given() -> None:
    machine = {"node": "runner-7", "python_version": "3.12.1", "cpu": {"count": 2}}
    commit = {"id": "0" * 40, "branch": "main", "dirty": False}
    doc = _doc(machine_info=machine, commit_info=commit)
    assert (doc["machine_info"], doc["commit_info"]) == (machine, commit)


def test_every_entry_has_pytest_benchmarks_keys_and_stats() -> None:
    entries = _doc()["benchmarks"]
    assert entries
    for entry in entries:
        assert set(entry) == ENTRY_KEYS
        assert list(entry["stats"]) == [*STATS_FIELDS, "data", "iterations"]
        assert entry["stats"]["rounds"] == len(entry["stats"]["data"]) == 11
        assert entry["options"]["disable_gc"] is True


def test_our_stats_fields_are_pytest_benchmarks() -> None:
    assert tuple(Stats.fields) == STATS_FIELDS


def test_python_and_rust_side_by_side_in_a_group_per_target() -> None:
    entries = _doc()["benchmarks"]
    assert [(e["group"], e["param"]) for e in entries] == [
        (f.target, implementation) for f in MEASURED for implementation in ("python", "rust")
    ]
    rust = _entries(_doc())["geo.distance:haversine_sum[rust]"]
    assert rust["fullname"] == "geo/distance.py::haversine_sum[rust]"
    assert rust["params"] == {"implementation": "rust"}


def test_times_are_seconds_per_call_from_the_rounds() -> None:
    entries = _entries(_doc())
    for f in MEASURED:
        assert f.speedup is not None
        python, rust = entries[f"{f.target}[python]"], entries[f"{f.target}[rust]"]
        assert python["stats"]["data"] == [ns / 1e9 for ns in f.speedup.python_rounds_ns]
        assert rust["stats"]["data"] == [ns / 1e9 for ns in f.speedup.rust_rounds_ns]
        # The samples' rounds have the reported per-call time as their median.
        assert math.isclose(python["stats"]["median"], f.speedup.python_ns / 1e9)
        assert math.isclose(rust["stats"]["median"], f.speedup.rust_ns / 1e9)
        # pytest-benchmark's own ratio of medians is our measured one.
        assert math.isclose(
            python["stats"]["median"] / rust["stats"]["median"], f.speedup.median, rel_tol=0.05
        )


def test_extra_info_holds_the_speedup_and_its_interval() -> None:
    info = _entries(_doc(baseline_report()))["stats.rolling:rolling_mean[rust]"]["extra_info"]
    assert info["speedup"] == 3.1
    assert (info["speedup_ci_low"], info["speedup_ci_high"]) == (2.9, 3.4)
    assert info["implementation"] == "rust"
    assert info["per_call_ns"] == 6580
    assert info["baseline_speedup"] == 4.2
    assert info["parity_calls"] == 96


def test_targets_without_rounds_have_no_entries() -> None:
    names = set(_entries(_doc()))
    for f in measured_report().functions:
        has_entries = f"{f.target}[python]" in names
        assert has_entries == (f.speedup is not None), f.target
    assert not any("iter_pairs" in n or "char_histogram" in n or "zscore" in n for n in names)
    # Measured, but without per-round times (as read back from JSON v1): nothing to show.
    assert _doc(sample_report())["benchmarks"] == []
    assert _doc(from_json_dict(to_json_dict(measured_report())))["benchmarks"] == []
    assert _doc(failed_build_report())["benchmarks"] == []


def test_a_measured_parity_failure_has_entries() -> None:
    report = measured_report()
    rounds = (1000.0, 1100.0, 900.0, 1050.0, 950.0)
    zscore = replace(
        next(f for f in report.functions if f.target == "stats.norm:zscore"),
        speedup=replace(
            next(f.speedup for f in report.functions if f.speedup is not None),
            python_rounds_ns=tuple(r * 4 for r in rounds),
            rust_rounds_ns=rounds,
        ),
    )
    entries = _entries(_doc(replace(report, functions=(zscore,))))
    assert set(entries) == {"stats.norm:zscore[python]", "stats.norm:zscore[rust]"}
    assert entries["stats.norm:zscore[rust]"]["extra_info"]["status"] == "parity_failed"
    assert entries["stats.norm:zscore[rust]"]["stats"]["rounds"] == 5


def test_write_benchmark_json_writes_the_document(tmp_path: Path) -> None:
    path = tmp_path / "out" / "bench.json"
    write_benchmark_json(measured_report(), path, now=NOW)
    text = path.read_text(encoding="utf-8")
    assert text.isascii()  # as pytest-benchmark writes it
    assert json.loads(text) == _doc()
    assert [p.name for p in path.parent.iterdir()] == ["bench.json"]


# --- statistics ---------------------------------------------------------------------------


def _stats_of(data: list[float]) -> dict[str, Any]:
    """pytest-benchmark's statistics of ``data``; its methods carry no annotations."""
    stats = Stats()  # type: ignore[no-untyped-call]
    for datum in data:
        stats.update(datum)  # type: ignore[no-untyped-call]
    return dict(stats.as_dict())  # type: ignore[no-untyped-call]


def test_stats_are_pytest_benchmarks_own() -> None:
    data = [2.0, 1.0, 4.0, 3.0, 10.0, 2.5, 2.2]
    assert benchmark_stats(data) == {**_stats_of(data), "data": data, "iterations": 1}


@given(st.lists(st.floats(min_value=1e-9, max_value=10.0), min_size=1, max_size=40))
def test_the_fallback_statistics_match_pytest_benchmarks(data: list[float]) -> None:
    assert benchmark._stats(data) == _stats_of(data)


def test_the_fallback_statistics_by_hand() -> None:
    stats = benchmark._stats([1.0, 2.0, 3.0, 4.0, 100.0])
    assert (stats["min"], stats["max"], stats["median"], stats["rounds"]) == (1.0, 100.0, 3.0, 5)
    assert (stats["q1"], stats["q3"]) == (1.75, 28.0)  # method 3, n=5
    # Fences at 1.75 - 1.5 * 26.25 and 28 + 1.5 * 26.25: 100 lies beyond both kinds.
    assert stats["outliers"] == "1;1"
    assert (stats["ld15iqr"], stats["hd15iqr"]) == (1.0, 4.0)
    assert stats["ops"] == 5 / 110.0
    one = benchmark._stats([0.5])
    assert (one["stddev"], one["q1"], one["q3"], one["ld15iqr"], one["hd15iqr"]) == (
        0,
        0.5,
        0.5,
        0.5,
        0.5,
    )


def test_without_pytest_benchmark_the_same_document(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _doc()
    # A None entry in sys.modules makes the import raise ImportError, as if not installed.
    monkeypatch.setitem(sys.modules, "pytest_benchmark", None)
    monkeypatch.setitem(sys.modules, "pytest_benchmark.stats", None)
    doc = _doc()
    assert doc["version"] == "4.0.0"
    assert doc["benchmarks"] == expected["benchmarks"]


def test_no_rounds_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one round"):
        benchmark_stats([])


# --- pytest-benchmark reads it ------------------------------------------------------------


def _compare(path: Path, *options: str) -> str:
    # Run where no conftest.py or .benchmarks directory of ours can interfere.
    script = Path(sys.executable).with_name("pytest-benchmark")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "pytest_benchmark"]
    done = subprocess.run(
        [*command, "compare", *options, str(path)],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Failed to load" not in done.stderr, done.stderr
    return done.stdout


@pytest.fixture
def written(tmp_path: Path) -> Path:
    path = tmp_path / "rustify-benchmark.json"
    write_benchmark_json(baseline_report(), path)
    return path


@pytest.mark.parametrize("options", [(), ("--group-by=group",)])
def test_pytest_benchmark_compare_shows_both_implementations(
    written: Path, options: tuple[str, ...]
) -> None:
    out = _compare(written, *options)
    for f in MEASURED:
        assert f"benchmark '{f.target}': 2 tests" in out, out
        assert f"{f.target}[python]" in out
        assert f"{f.target}[rust]" in out
    assert "zscore" not in out and "iter_pairs" not in out


def test_pytest_benchmark_compare_groups_by_implementation(written: Path) -> None:
    out = _compare(written, "--group-by=param")
    assert f"benchmark 'python': {len(MEASURED)} tests" in out
    assert f"benchmark 'rust': {len(MEASURED)} tests" in out


def test_pytest_benchmark_compare_writes_csv(written: Path) -> None:
    _compare(written, "--csv=table.csv", "--columns=median")
    rows = (written.parent / "table.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].split(",")[:3] == ["name", "param:implementation", "median"]
    assert len(rows) == 1 + 2 * len(MEASURED)
