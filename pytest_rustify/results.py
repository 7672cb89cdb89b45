"""The session's per-target results, and the report entries made from them.

Input: what each stage said about one target (``TargetResult``, filled in by the
session as the stages run). Output: its ``FunctionReport`` for the run report::

    r = TargetResult(target, function=f, translation=fn, rust=compiled, parity=...)
    r.status                      # "accelerated" | "refused" | "build_failed" | "parity_failed"
    function_report(r, benchmarks=())   # -> FunctionReport(target=..., reason=None, ...)

Plain data and pure functions: no pytest, no session.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass, field

from .build import BuildResult
from .compare import ParityResult
from .errors import Refusal
from .gate import Verdict
from .profile import Profile, TestKey
from .report import model
from .select import Target
from .translate import ir
from .translate.rust import rust_signature


@dataclass
class TargetResult:
    """Everything the session learned about one target."""

    target: Target
    function: Callable[..., object] | None = None
    translation: ir.Function | None = None
    refusal: Refusal | None = None
    build_failed: str | None = None
    rust: Callable[..., object] | None = None
    built: bool = False
    """Whether the build has this target (``rust`` is that build's function, where the
    build is loaded: not in an xdist controller, which reports for its workers)."""
    parity: ParityResult | None = None
    speedup: model.Speedup | None = None
    verdict: Verdict | None = None
    baseline: model.BaselineChange | None = None
    scaling: tuple[model.ScalePoint, ...] = ()
    rtol: float = 0.0
    atol: float = 0.0
    min_speedup: float | None = None

    @property
    def status(self) -> model.Status:
        if self.refusal is not None:
            return "refused"
        if self.build_failed is not None or not self.built:
            return "build_failed"
        if self.parity is not None and not self.parity.passed:
            return "parity_failed"
        return "accelerated"


@dataclass
class Prepared:
    results: dict[str, TargetResult] = field(default_factory=dict)
    by_test: dict[TestKey, list[str]] = field(default_factory=dict)
    build: model.BuildReport = field(default_factory=lambda: model.BuildReport("skipped", 0.0))
    module: types.ModuleType | None = None
    profile: Profile | None = None
    hotspots: tuple[model.Hotspot, ...] = ()
    rustc: str = ""
    sources: dict[str, str] = field(default_factory=dict)
    build_result: BuildResult | None = None
    # An unexpected exception stopped the stages: the message, with its traceback.
    error: str | None = None


def function_report(
    r: TargetResult, benchmarks: tuple[model.BenchmarkPair, ...] = ()
) -> model.FunctionReport:
    """The report entry of one target."""
    t = r.target
    parity = None
    if r.parity is not None:
        p = r.parity
        parity = model.Parity(
            p.calls,
            p.mismatches,
            p.fallbacks,
            p.max_abs_err,
            p.max_rel_err,
            tuple(f"{m.call}: {m.where}: {m.detail}" for m in p.first_mismatches),
        )
    gate = None
    if r.verdict is not None:
        v = r.verdict
        gate = model.GateResult(v.min_speedup, v.baseline, v.passed, v.reasons)
    return model.FunctionReport(
        target=t.target,
        file=t.file,
        line=t.line,
        status=r.status,
        reason=_reason(r),
        signature=rust_signature(r.translation) if r.translation is not None else None,
        parity=parity,
        speedup=r.speedup,
        gate=gate,
        percent=None if t.percent is None else round(t.percent, 1),
        baseline=r.baseline,
        scaling=r.scaling,
        benchmarks=benchmarks,
    )


def _reason(r: TargetResult) -> str | None:
    """Why a target is not simply accelerated, with file:line; None when it is."""
    t = r.target
    where = f"{t.file}:{t.line}"
    if r.refusal is not None:
        return str(r.refusal)
    if r.build_failed is not None:
        return f"{where}: {r.build_failed}"
    if r.parity is not None and not r.parity.passed:
        return parity_message(r)
    if r.parity is not None and r.parity.all_fell_back:
        return f"{where}: every call fell back to Python; parity proves nothing"
    if r.parity is not None and r.parity.calls == 0:
        return f"{where}: no recorded calls to compare"
    return None


def parity_message(r: TargetResult) -> str:
    p = r.parity
    assert p is not None
    first = p.first_mismatches[0] if p.first_mismatches else None
    where = f"{r.target.file}:{r.target.line}"
    head = f"{where}: parity failed for {r.target.target}: {p.mismatches} of {p.calls} calls differ"
    if first is None:
        return head
    return f"{head}; first: {first.call}: {first.where}: {first.detail}"
