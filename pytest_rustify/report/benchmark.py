"""pytest-benchmark JSON: a finished ``RunReport`` as the file ``pytest --benchmark-json`` writes.

Input: a ``RunReport`` whose speedups carry their per-round times. Output: the document
of ``--rustify-benchmark-json``, which ``pytest-benchmark compare`` and the dashboards
that read pytest-benchmark's files understand; two entries per measured target, its
Python original and its Rust build, side by side in a group named after the target::

    benchmark_json(report)["benchmarks"][:2] == [
        {"group": "geo.distance:haversine_sum", "name": "geo.distance:haversine_sum[python]",
         "fullname": "geo/distance.py::haversine_sum[python]",
         "params": {"implementation": "python"}, "param": "python",
         "extra_info": {"speedup": 38.2, "speedup_ci_low": 36.0, ...},
         "options": {"disable_gc": True, "timer": "perf_counter_ns", ...},
         "stats": {"min": 5.4e-05, "max": 6.2e-05, "mean": ..., "rounds": 11, ...}},
        {"group": "geo.distance:haversine_sum", "name": "geo.distance:haversine_sum[rust]", ...},
    ]

Times are seconds per call, one datum per measurement round, as pytest-benchmark keeps
them. The statistics are computed by pytest-benchmark's own ``Stats`` class when it is
importable, so they are exactly what it would compute, and by the same formulas here
otherwise. A target without per-round times (refused, failed to build, never measured,
or read back from a JSON v1 report) has no entries.
"""

from __future__ import annotations

import json
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pytest_rustify._fs import write_atomic
from pytest_rustify.report.model import FunctionReport, RunReport, Speedup

# The fields of pytest-benchmark's ``Stats.as_dict()``, in its order.
STATS_FIELDS = (
    "min",
    "max",
    "mean",
    "stddev",
    "rounds",
    "median",
    "iqr",
    "q1",
    "q3",
    "iqr_outliers",
    "stddev_outliers",
    "outliers",
    "ld15iqr",
    "hd15iqr",
    "ops",
    "total",
)
# The version written when pytest-benchmark is not importable: the oldest one the
# package depends on, whose format (with ``ops``) this document follows.
_FALLBACK_VERSION = "4.0.0"
# How measure.py times a round: the GC off, perf_counter_ns, interleaved A/B rounds after
# a warm-up call; the keys are pytest-benchmark's, the values ours.
_OPTIONS: Mapping[str, object] = {
    "disable_gc": True,
    "timer": "perf_counter_ns",
    "min_rounds": None,
    "max_time": None,
    "min_time": None,
    "warmup": True,
}
# What pytest-benchmark's get_commit_info() returns outside a repository; the session may
# pass the real one.
_NO_COMMIT: Mapping[str, object] = {
    "id": "unversioned",
    "time": None,
    "author_time": None,
    "dirty": False,
    "project": "",
    "branch": "(unknown)",
}
_IMPLEMENTATIONS = ("python", "rust")


def benchmark_json(
    report: RunReport,
    *,
    machine_info: Mapping[str, Any] | None = None,
    commit_info: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The pytest-benchmark document for ``report``.

    :param machine_info: pytest-benchmark's ``machine_info`` (for instance from its
        ``pytest_benchmark_generate_machine_info`` hook); by default the report's
        environment (Python, rustc, PyO3, platform, ABI).
    :param commit_info: pytest-benchmark's ``commit_info``; by default an unversioned one.
    :param now: the ``datetime`` of the run; by default the current time in UTC.
    """
    env = report.environment
    if machine_info is None:
        machine_info = {
            "python_version": env.python,
            "platform": env.platform,
            "rustc": env.rustc,
            "pyo3": env.pyo3,
            "abi": env.abi,
        }
    return {
        "machine_info": dict(machine_info),
        "commit_info": dict(_NO_COMMIT if commit_info is None else commit_info),
        "benchmarks": [entry for f in report.functions for entry in _entries(f)],
        "datetime": (now or datetime.now(timezone.utc)).isoformat(),
        "version": _pytest_benchmark_version(),
    }


def write_benchmark_json(
    report: RunReport,
    path: Path,
    *,
    machine_info: Mapping[str, Any] | None = None,
    commit_info: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> None:
    """Write :func:`benchmark_json` to ``path`` as pytest-benchmark does (ASCII, indent 4)."""
    doc = benchmark_json(report, machine_info=machine_info, commit_info=commit_info, now=now)
    write_atomic(path, json.dumps(doc, ensure_ascii=True, indent=4))


def benchmark_stats(data: Sequence[float]) -> dict[str, Any]:
    """pytest-benchmark's statistics of ``data`` (seconds per call, one per round), plus
    ``data`` itself and ``iterations``, as its ``--benchmark-json`` writes them."""
    if not data:
        raise ValueError("benchmark_stats needs at least one round")
    try:
        from pytest_benchmark.stats import Stats
    except ImportError:
        stats = _stats(data)
    else:
        # Untyped (no annotations), hence the local ignore.
        computed = Stats()  # type: ignore[no-untyped-call]
        for datum in data:
            computed.update(datum)  # type: ignore[no-untyped-call]
        stats = dict(computed.as_dict())  # type: ignore[no-untyped-call]
    # One timing per call, as far as pytest-benchmark can tell: the data are per call.
    return {**stats, "data": list(data), "iterations": 1}


def _entries(f: FunctionReport) -> Iterator[dict[str, Any]]:
    s = f.speedup
    if s is None or not s.python_rounds_ns or not s.rust_rounds_ns:
        return
    if f.status not in ("accelerated", "parity_failed"):
        return
    _, _, qualname = f.target.partition(":")
    for implementation, rounds_ns in zip(
        _IMPLEMENTATIONS, (s.python_rounds_ns, s.rust_rounds_ns), strict=True
    ):
        yield {
            "group": f.target,
            "name": f"{f.target}[{implementation}]",
            "fullname": f"{f.file}::{qualname or f.target}[{implementation}]",
            "params": {"implementation": implementation},
            "param": implementation,
            "extra_info": _extra_info(f, s, implementation),
            "options": dict(_OPTIONS),
            "stats": benchmark_stats([ns / 1e9 for ns in rounds_ns]),
        }


def _extra_info(f: FunctionReport, s: Speedup, implementation: str) -> dict[str, Any]:
    info: dict[str, Any] = {
        "target": f.target,
        "implementation": implementation,
        "status": f.status,
        "speedup": s.median,
        "speedup_ci_low": s.ci_low,
        "speedup_ci_high": s.ci_high,
        "per_call_ns": s.python_ns if implementation == "python" else s.rust_ns,
    }
    if f.parity is not None:
        info |= {
            "parity_calls": f.parity.calls,
            "parity_mismatches": f.parity.mismatches,
            "parity_fallbacks": f.parity.fallbacks,
        }
    if f.baseline is not None and f.baseline.baseline is not None:
        info["baseline_speedup"] = f.baseline.baseline.median
    return info


def _pytest_benchmark_version() -> str:
    try:
        from pytest_benchmark import __version__
    except ImportError:
        return _FALLBACK_VERSION
    return str(__version__)


def _stats(data: Sequence[float]) -> dict[str, Any]:
    """pytest-benchmark's ``Stats.as_dict()``, by its formulas, for when it is absent."""
    rounds = len(data)
    ordered = sorted(data)
    total = sum(data)
    mean = statistics.mean(data)
    stddev = statistics.stdev(data) if rounds > 1 else 0
    if rounds == 1:
        q1 = q3 = ordered[0]
    elif rounds % 2:
        # Quartiles by "method 3" of Wikipedia's Quartile article, as pytest-benchmark.
        n, q = rounds // 4, rounds % 4
        if q == 1:
            q1 = 0.25 * ordered[n - 1] + 0.75 * ordered[n]
            q3 = 0.75 * ordered[3 * n] + 0.25 * ordered[3 * n + 1]
        else:
            q1 = 0.75 * ordered[n] + 0.25 * ordered[n + 1]
            q3 = 0.25 * ordered[3 * n + 1] + 0.75 * ordered[3 * n + 2]
    else:
        q1 = statistics.median(ordered[: rounds // 2])
        q3 = statistics.median(ordered[rounds // 2 :])
    iqr = q3 - q1
    low_fence, high_fence = q1 - 1.5 * iqr, q3 + 1.5 * iqr
    iqr_outliers = sum(1 for x in data if x < low_fence or x > high_fence)
    stddev_outliers = sum(1 for x in data if x < mean - stddev or x > mean + stddev)
    if rounds == 1:
        ld15iqr = hd15iqr = data[0]
    else:
        ld15iqr = ordered[bisect_left(ordered, low_fence)]
        hd15iqr = ordered[bisect_right(ordered, high_fence) - 1]
    values: dict[str, Any] = {
        "min": ordered[0],
        "max": ordered[-1],
        "mean": mean,
        "stddev": stddev,
        "rounds": rounds,
        "median": statistics.median(data),
        "iqr": iqr,
        "q1": q1,
        "q3": q3,
        "iqr_outliers": iqr_outliers,
        "stddev_outliers": stddev_outliers,
        "outliers": f"{stddev_outliers};{iqr_outliers}",
        "ld15iqr": ld15iqr,
        "hd15iqr": hd15iqr,
        "ops": rounds / total if total else 0,
        "total": total,
    }
    return {name: values[name] for name in STATS_FIELDS}
