"""The run report: what one session found, translated, built, compared and measured.

Input: the results of every stage, assembled by the session. Output: a ``RunReport``,
the one object every reporter reads, and its JSON form (version 1 of DESIGN.md)::

    report = RunReport(environment=..., hotspots=(...), functions=(...), build=...)
    to_json_dict(report)["summary"] == {"accelerated": 1, ...}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast, get_args

JSON_VERSION = 1

Status = Literal["accelerated", "refused", "build_failed", "parity_failed"]
BuildStatus = Literal["built", "cached", "failed", "skipped"]


@dataclass(frozen=True)
class Environment:
    python: str
    rustc: str
    pyo3: str
    platform: str
    # Not part of the JSON v1 shape: the extension ABI (cache tag and suffix).
    abi: str = ""


@dataclass(frozen=True)
class Hotspot:
    target: str
    file: str
    line: int
    percent: float


@dataclass(frozen=True)
class Parity:
    calls: int
    mismatches: int
    fallbacks: int
    max_abs_err: float = 0.0
    max_rel_err: float = 0.0
    # Not part of the JSON v1 shape: human-readable descriptions of the first mismatches.
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Speedup:
    median: float
    ci_low: float
    ci_high: float
    python_ns: float
    rust_ns: float
    # Not part of the JSON v1 shape: per-call time of each round, ns (for
    # pytest-benchmark's statistics).
    python_rounds_ns: tuple[float, ...] = ()
    rust_rounds_ns: tuple[float, ...] = ()


@dataclass(frozen=True)
class GateResult:
    min_speedup: float | None
    baseline: float | None
    passed: bool
    # Not part of the JSON v1 shape: why the gate failed, one sentence each.
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class BaselineChange:
    """How a target's speedup compares with the stored baseline (not in the JSON v1 shape;
    the JSON carries only ``gate.baseline``, the baseline median)."""

    status: Literal["compared", "new"]
    baseline: Speedup | None
    change: float | None  # current median / baseline median - 1 (-0.25: a quarter slower)
    regressed: bool = False


@dataclass(frozen=True)
class ScalePoint:
    """Speedup at one input size (the length of the sequence arguments)."""

    size: int
    speedup: Speedup


@dataclass(frozen=True)
class BenchmarkPair:
    """A marked test's pytest-benchmark runs, in Python and in Rust (medians, seconds)."""

    test: str
    python_s: float
    rust_s: float

    @property
    def ratio(self) -> float:
        return self.python_s / self.rust_s if self.rust_s > 0 else float("inf")


@dataclass(frozen=True)
class FunctionReport:
    target: str
    file: str
    line: int
    status: Status
    reason: str | None = None
    signature: str | None = None
    parity: Parity | None = None
    speedup: Speedup | None = None
    gate: GateResult | None = None
    percent: float | None = None
    # Not part of the JSON v1 shape:
    baseline: BaselineChange | None = None
    scaling: tuple[ScalePoint, ...] = ()
    benchmarks: tuple[BenchmarkPair, ...] = ()


@dataclass(frozen=True)
class BuildReport:
    status: BuildStatus
    seconds: float
    # Not part of the JSON v1 shape.
    location: str | None = None
    log: str | None = None
    # Optional in the JSON v1 shape (``build.message``, ``build.cache``): what went wrong
    # or why nothing was built, and the build cache directory of the session.
    message: str | None = None
    cache: str | None = None


@dataclass(frozen=True)
class Summary:
    accelerated: int
    refused: int
    parity_failures: int
    gate_failures: int


@dataclass(frozen=True)
class RunReport:
    environment: Environment
    hotspots: tuple[Hotspot, ...]
    functions: tuple[FunctionReport, ...]
    build: BuildReport
    profiler: str = "off"
    notes: tuple[str, ...] = field(default=())
    # Why the profiler in use is not the one asked for (py-spy could not attach), with a
    # TIP; empty when it is. Optional in the JSON v1 shape, as ``profiler.note``.
    profiler_note: str = ""
    # Not part of the JSON v1 shape: targets the baseline has that this run does not.
    gone: tuple[str, ...] = ()
    baseline_path: str | None = None

    @property
    def summary(self) -> Summary:
        return Summary(
            accelerated=sum(f.status == "accelerated" for f in self.functions),
            refused=sum(f.status == "refused" for f in self.functions),
            parity_failures=sum(f.status == "parity_failed" for f in self.functions),
            gate_failures=sum(f.gate is not None and not f.gate.passed for f in self.functions),
        )


def to_json_dict(report: RunReport) -> dict[str, Any]:
    """The version-1 JSON shape of DESIGN.md, and nothing more."""
    s = report.summary
    return {
        "version": JSON_VERSION,
        "environment": {
            "python": report.environment.python,
            "rustc": report.environment.rustc,
            "pyo3": report.environment.pyo3,
            "platform": report.environment.platform,
        },
        "hotspots": [
            {"target": h.target, "file": h.file, "line": h.line, "percent": h.percent}
            for h in report.hotspots
        ],
        "functions": [_function_json(f) for f in report.functions],
        "build": {
            "status": report.build.status,
            "seconds": report.build.seconds,
            "message": report.build.message,
            "cache": report.build.cache,
        },
        "summary": {
            "accelerated": s.accelerated,
            "refused": s.refused,
            "parity_failures": s.parity_failures,
            "gate_failures": s.gate_failures,
        },
        "profiler": {"name": report.profiler, "note": report.profiler_note or None},
        "notes": list(report.notes),
    }


def _function_json(f: FunctionReport) -> dict[str, Any]:
    return {
        "target": f.target,
        "file": f.file,
        "line": f.line,
        "status": f.status,
        "reason": f.reason,
        "signature": f.signature,
        "parity": None
        if f.parity is None
        else {
            "calls": f.parity.calls,
            "mismatches": f.parity.mismatches,
            "fallbacks": f.parity.fallbacks,
            "max_abs_err": f.parity.max_abs_err,
            "max_rel_err": f.parity.max_rel_err,
        },
        "speedup": None
        if f.speedup is None
        else {
            "median": f.speedup.median,
            "ci_low": f.speedup.ci_low,
            "ci_high": f.speedup.ci_high,
            "python_ns": f.speedup.python_ns,
            "rust_ns": f.speedup.rust_ns,
        },
        "gate": None
        if f.gate is None
        else {
            "min_speedup": f.gate.min_speedup,
            "baseline": f.gate.baseline,
            "passed": f.gate.passed,
        },
    }


def from_json_dict(d: Mapping[str, Any]) -> RunReport:
    """Rebuild a ``RunReport`` from its version-1 JSON form (a stored report or baseline).

    Only what JSON v1 holds comes back: a function's ``percent``, parity ``details``, gate
    ``reasons`` and the build's ``location``/``log`` take their defaults, as do the
    optional keys (build message and cache, profiler, notes) of a report without them.
    ``summary`` is derived from the functions, so it is not read.

    :raises ValueError: when ``d`` is not a version-1 report, naming what is wrong.
    """
    if d.get("version") != JSON_VERSION:
        raise ValueError(
            f"not a version-{JSON_VERSION} pytest-rustify report: version is {d.get('version')!r}"
        )

    def optional_float(value: Any) -> float | None:
        return None if value is None else float(value)

    def function(f: Mapping[str, Any]) -> FunctionReport:
        if f["status"] not in get_args(Status):
            raise ValueError(f"{f['target']}: unknown status {f['status']!r}")
        p, s, g = f["parity"], f["speedup"], f["gate"]
        return FunctionReport(
            target=str(f["target"]),
            file=str(f["file"]),
            line=int(f["line"]),
            status=cast(Status, f["status"]),
            reason=f["reason"],
            signature=f["signature"],
            parity=None
            if p is None
            else Parity(
                calls=int(p["calls"]),
                mismatches=int(p["mismatches"]),
                fallbacks=int(p["fallbacks"]),
                max_abs_err=float(p["max_abs_err"]),
                max_rel_err=float(p["max_rel_err"]),
            ),
            speedup=None
            if s is None
            else Speedup(
                median=float(s["median"]),
                ci_low=float(s["ci_low"]),
                ci_high=float(s["ci_high"]),
                python_ns=float(s["python_ns"]),
                rust_ns=float(s["rust_ns"]),
            ),
            gate=None
            if g is None
            else GateResult(
                min_speedup=optional_float(g["min_speedup"]),
                baseline=optional_float(g["baseline"]),
                passed=bool(g["passed"]),
            ),
        )

    try:
        env, build = d["environment"], d["build"]
        profiler = d.get("profiler") or {}
        if build["status"] not in get_args(BuildStatus):
            raise ValueError(f"unknown build status {build['status']!r}")
        return RunReport(
            environment=Environment(
                python=str(env["python"]),
                rustc=str(env["rustc"]),
                pyo3=str(env["pyo3"]),
                platform=str(env["platform"]),
            ),
            hotspots=tuple(
                Hotspot(
                    target=str(h["target"]),
                    file=str(h["file"]),
                    line=int(h["line"]),
                    percent=float(h["percent"]),
                )
                for h in d["hotspots"]
            ),
            functions=tuple(function(f) for f in d["functions"]),
            build=BuildReport(
                status=cast(BuildStatus, build["status"]),
                seconds=float(build["seconds"]),
                message=build.get("message"),
                cache=build.get("cache"),
            ),
            profiler=str(profiler.get("name", "off")),
            profiler_note=str(profiler.get("note") or ""),
            notes=tuple(str(n) for n in d.get("notes", ())),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"malformed pytest-rustify report: {type(exc).__name__}: {exc}") from exc
