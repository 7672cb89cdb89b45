"""Stored run reports the reporter tests render, as pytest-benchmark renders saved runs.

``sample_report()`` is one realistic session: accelerated functions (one with a long
signature, one with some fallbacks, one that failed its gate), one whose calls all fell
back, a parity failure with mismatch details, refusals sharing a reason, a per-function
build failure, and functions without a share of session time (named targets).
``measured_report()`` adds the per-round times of every measurement, and
``baseline_report()`` compares that session with a stored baseline.
"""

from __future__ import annotations

from dataclasses import replace

from pytest_rustify.report.model import (
    BaselineChange,
    BenchmarkPair,
    BuildReport,
    Environment,
    FunctionReport,
    GateResult,
    Hotspot,
    Parity,
    RunReport,
    ScalePoint,
    Speedup,
)

ENVIRONMENT = Environment(python="3.11.7", rustc="1.95.0", pyo3="0.23.3", platform="linux-x86_64")

# Per-round spread around a median of 1.0, with one slow outlier round (a noisy neighbour).
_SPREAD = (0.97, 1.02, 1.0, 0.99, 1.05, 0.98, 1.01, 1.12, 0.995, 1.003, 0.96)

_FUNCTIONS = (
    FunctionReport(
        target="geo.distance:haversine_sum",
        file="geo/distance.py",
        line=12,
        status="accelerated",
        signature="fn haversine_sum(lats: Vec<f64>, lons: Vec<f64>) -> PyResult<f64>",
        parity=Parity(calls=120, mismatches=0, fallbacks=0),
        speedup=Speedup(median=38.2, ci_low=36.0, ci_high=40.1, python_ns=55800, rust_ns=1460),
        gate=GateResult(min_speedup=5.0, baseline=35.0, passed=True),
        percent=41.2,
    ),
    FunctionReport(
        target="textkit.tokenize:split_tokens",
        file="textkit/tokenize.py",
        line=30,
        status="accelerated",
        signature=(
            "fn split_tokens(text: &str, separators: Vec<String>, lowercase: bool, "
            "max_len: i64) -> PyResult<Vec<String>>"
        ),
        parity=Parity(calls=240, mismatches=0, fallbacks=3),
        speedup=Speedup(median=12.4, ci_low=11.8, ci_high=13.1, python_ns=98100, rust_ns=7910),
        gate=GateResult(min_speedup=5.0, baseline=None, passed=True),
        percent=18.7,
    ),
    FunctionReport(
        target="stats.rolling:rolling_mean",
        file="stats/rolling.py",
        line=8,
        status="accelerated",
        signature="fn rolling_mean(xs: Vec<f64>, window: i64) -> PyResult<Vec<f64>>",
        parity=Parity(calls=96, mismatches=0, fallbacks=0),
        speedup=Speedup(median=3.1, ci_low=2.9, ci_high=3.4, python_ns=20400, rust_ns=6580),
        gate=GateResult(
            min_speedup=5.0,
            baseline=4.2,
            passed=False,
            reasons=(
                "speedup 3.1x [2.9\N{EN DASH}3.4] is below --rustify-min-speedup 5.0x",
                "speedup fell 26% from the baseline 4.2x; --rustify-max-regression allows 10%",
            ),
        ),
        percent=9.3,
    ),
    FunctionReport(
        target="stats.hist:bucketize",
        file="stats/hist.py",
        line=21,
        status="accelerated",
        signature="fn bucketize(values: Vec<i64>, edges: Vec<i64>) -> PyResult<Vec<i64>>",
        parity=Parity(calls=64, mismatches=0, fallbacks=64),
        speedup=Speedup(median=0.94, ci_low=0.91, ci_high=0.98, python_ns=3100, rust_ns=3300),
        gate=GateResult(min_speedup=None, baseline=None, passed=True),
        percent=6.1,
    ),
    FunctionReport(
        target="stats.norm:zscore",
        file="stats/norm.py",
        line=5,
        status="parity_failed",
        reason="stats/norm.py:5: 3 of 120 recorded calls differ between Python and Rust",
        signature="fn zscore(xs: Vec<f64>) -> PyResult<Vec<f64>>",
        parity=Parity(
            calls=120,
            mismatches=3,
            fallbacks=0,
            max_abs_err=0.5,
            max_rel_err=1.0,
            details=(
                "call 7: zscore([2.0, 2.0]) returned [nan, nan] in Python, [0.0, 0.0] in Rust",
                "call 19: zscore([1e308, -1e308]) returned [1.0, -1.0] in Python, "
                "[inf, -inf] in Rust",
                "call 64: zscore([0.1, 0.2, 0.3]) returned [-1.2247, 0.0, 1.2247] in Python, "
                "[-1.2247, 5.5e-17, 1.2247] in Rust",
            ),
        ),
        percent=7.5,
    ),
    FunctionReport(
        target="textkit.walk:iter_pairs",
        file="textkit/walk.py",
        line=18,
        status="refused",
        reason="textkit/walk.py:22: generators are not supported (`yield`)",
        percent=5.4,
    ),
    FunctionReport(
        target="textkit.walk:iter_windows",
        file="textkit/walk.py",
        line=37,
        status="refused",
        reason="textkit/walk.py:41: generators are not supported (`yield`)",
    ),
    FunctionReport(
        target="geo.shapes:polygon_area",
        file="geo/shapes.py",
        line=9,
        status="refused",
        reason=(
            "geo/shapes.py:9: argument `points` was observed as both list[tuple[float, float]] "
            "and list[list[float]]; annotate it or call it with one type"
        ),
        percent=5.0,
    ),
    FunctionReport(
        target="textkit.counts:char_histogram",
        file="textkit/counts.py",
        line=3,
        status="build_failed",
        reason=(
            "rustc rejected the generated code (E0308 mismatched types); "
            "see the maturin log and report it as a pytest-rustify bug"
        ),
        signature="fn char_histogram(text: &str) -> PyResult<HashMap<String, i64>>",
    ),
)


def sample_report() -> RunReport:
    """A session with every status and the awkward cases a reporter must word well."""
    return RunReport(
        environment=ENVIRONMENT,
        hotspots=tuple(
            Hotspot(target=f.target, file=f.file, line=f.line, percent=f.percent)
            for f in _FUNCTIONS
            if f.percent is not None
        ),
        functions=_FUNCTIONS,
        build=BuildReport(
            status="built",
            seconds=12.3,
            location=".pytest_cache/rustify/crates/3f9a1c2e7b",
            log=".pytest_cache/rustify/crates/3f9a1c2e7b/maturin.log",
            cache=".pytest_cache/rustify",
        ),
        profiler="cprofile",
        profiler_note="py-spy could not attach (ptrace is not permitted); profiled with cProfile",
    )


def failed_build_report() -> RunReport:
    """The same session when the whole crate failed to build."""
    report = sample_report()
    return replace(
        report,
        functions=tuple(
            replace(
                f,
                status="build_failed",
                reason="the crate failed to build",
                parity=None,
                speedup=None,
                gate=None,
            )
            if f.status != "refused"
            else f
            for f in report.functions
        ),
        build=BuildReport(
            status="failed",
            seconds=41.0,
            location=".pytest_cache/rustify/crates/3f9a1c2e7b",
            log=".pytest_cache/rustify/crates/3f9a1c2e7b/maturin.log",
            message=(
                "maturin failed (exit status 1); last lines of the log:\n"
                "error: linker `cc` not found\n"
                "TIP: install a C toolchain (build-essential on Debian/Ubuntu) and run again"
            ),
            cache=".pytest_cache/rustify",
        ),
    )


def empty_report() -> RunReport:
    """A session that selected nothing: no hotspot, no function, nothing built."""
    return RunReport(
        environment=ENVIRONMENT,
        hotspots=(),
        functions=(),
        build=BuildReport(status="skipped", seconds=0.0),
        profiler="py-spy",
    )


def measured_report() -> RunReport:
    """The sample session with the per-round times of every measurement: eleven rounds
    per side whose median is the reported per-call time, one of them an outlier."""
    report = sample_report()

    def with_rounds(s: Speedup) -> Speedup:
        return replace(
            s,
            python_rounds_ns=tuple(s.python_ns * k for k in _SPREAD),
            rust_rounds_ns=tuple(s.rust_ns * k for k in _SPREAD),
        )

    return replace(
        report,
        functions=tuple(
            f if f.speedup is None else replace(f, speedup=with_rounds(f.speedup))
            for f in report.functions
        ),
    )


def baseline_report() -> RunReport:
    """The measured session compared with a stored baseline: one target faster, one
    regressed (its gate failed), one new, one gone; and the extension ABI known."""
    report = measured_report()
    changes = {
        "geo.distance:haversine_sum": BaselineChange(
            status="compared",
            baseline=Speedup(median=35.0, ci_low=33.9, ci_high=36.2, python_ns=54100, rust_ns=1546),
            change=38.2 / 35.0 - 1,
        ),
        "stats.rolling:rolling_mean": BaselineChange(
            status="compared",
            baseline=Speedup(median=4.2, ci_low=4.0, ci_high=4.4, python_ns=20100, rust_ns=4790),
            change=3.1 / 4.2 - 1,
            regressed=True,
        ),
        "textkit.tokenize:split_tokens": BaselineChange(status="new", baseline=None, change=None),
    }
    return replace(
        report,
        environment=replace(ENVIRONMENT, abi="cpython-311 .cpython-311-x86_64-linux-gnu.so"),
        functions=tuple(replace(f, baseline=changes.get(f.target)) for f in report.functions),
        gone=("textkit.legacy:old_split",),
        baseline_path="benchmarks/rustify-baseline.json",
    )


def _speedup(median: float, low: float, high: float, python_ns: float) -> Speedup:
    return Speedup(
        median=median, ci_low=low, ci_high=high, python_ns=python_ns, rust_ns=python_ns / median
    )


def review_report() -> RunReport:
    """``baseline_report()`` with what a pull-request reviewer reads besides: scaling points
    (one target slower than Python at small sizes, one never), pytest-benchmark pairs (one
    with a test id full of markdown), and baselines for a target within noise and for a
    parity failure that has no speedup now."""
    report = baseline_report()
    scaling = {
        "geo.distance:haversine_sum": (
            ScalePoint(size=4, speedup=_speedup(0.62, 0.58, 0.66, 410)),
            ScalePoint(size=16, speedup=_speedup(1.8, 1.7, 1.9, 1390)),
            ScalePoint(size=62, speedup=_speedup(9.5, 9.1, 9.9, 5100)),
            ScalePoint(size=250, speedup=_speedup(30.2, 29.0, 31.5, 20300)),
            ScalePoint(size=1000, speedup=_speedup(38.0, 36.2, 39.9, 81000)),
        ),
        "textkit.tokenize:split_tokens": (
            ScalePoint(size=16, speedup=_speedup(1.4, 1.2, 1.6, 1200)),
            ScalePoint(size=64, speedup=_speedup(4.1, 3.8, 4.4, 6300)),
            ScalePoint(size=256, speedup=_speedup(12.1, 11.5, 12.8, 25100)),
        ),
    }
    benchmarks = {
        "geo.distance:haversine_sum": (
            BenchmarkPair(
                test="tests/test_geo.py::test_haversine_benchmark", python_s=0.0123, rust_s=0.000341
            ),
        ),
        "textkit.tokenize:split_tokens": (
            BenchmarkPair(
                test="tests/test_tokenize.py::test_split[a|b-`x`]", python_s=4.2e-5, rust_s=3.9e-6
            ),
        ),
    }
    baselines = {
        "stats.hist:bucketize": BaselineChange(
            status="compared", baseline=_speedup(0.91, 0.88, 0.95, 3050), change=0.94 / 0.91 - 1
        ),
        "stats.norm:zscore": BaselineChange(
            status="compared", baseline=_speedup(8.2, 7.9, 8.6, 14100), change=None
        ),
    }
    return replace(
        report,
        functions=tuple(
            replace(
                f,
                baseline=baselines.get(f.target, f.baseline),
                scaling=scaling.get(f.target, ()),
                benchmarks=benchmarks.get(f.target, ()),
            )
            for f in report.functions
        ),
    )
