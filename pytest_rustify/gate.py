"""Gate: thresholds and the baseline -> verdicts.

Input: a target's parity result, measured speedup, the thresholds that apply to it and
its comparison with the baseline. Output: a ``Verdict`` saying whether it passes and,
if not, why::

    judge(parity_ok=True, speedup=Speedup(median=3.1, ci_low=2.9, ci_high=3.3, ...),
          min_speedup=5.0)
    # -> Verdict(passed=False, reasons=("speedup 3.1x [2.9-3.3] is under the required 5x",))

Both thresholds are judged on the whole interval: a target fails the minimum only when
even the top of its interval is under it, and regresses only when the top of its
interval is under the bottom of the baseline's, less the allowed drop (see
``baseline.compare``). Noise cannot fail a build; a real shortfall always does.
"""

from __future__ import annotations

from dataclasses import dataclass

from .report.model import BaselineChange, Speedup


@dataclass(frozen=True)
class Verdict:
    passed: bool
    min_speedup: float | None
    reasons: tuple[str, ...] = ()
    baseline: float | None = None  # the baseline's median, when there is one


def judge(
    *,
    parity_ok: bool,
    speedup: Speedup | None,
    min_speedup: float | None,
    baseline: BaselineChange | None = None,
    max_regression: float | None = None,
) -> Verdict:
    """Decide whether a target passes its gate."""
    reasons = []
    if not parity_ok:
        reasons.append("parity failed: the Rust build gave a different answer")
    if min_speedup is not None:
        if speedup is None:
            reasons.append(f"no speedup was measured, {min_speedup:g}x is required")
        elif speedup.ci_high < min_speedup:
            reasons.append(f"speedup {_ratio(speedup)} is under the required {min_speedup:g}x")
    base = baseline.baseline if baseline is not None else None
    if baseline is not None and baseline.regressed and base is not None and speedup is not None:
        drop = -(baseline.change or 0.0)
        allowed = (
            f", more than the allowed {max_regression:.0%}" if max_regression is not None else ""
        )
        reasons.append(
            f"speedup fell from {_ratio(base)} to {_ratio(speedup)} ({drop:.0%} slower){allowed}"
        )
    return Verdict(not reasons, min_speedup, tuple(reasons), None if base is None else base.median)


def _ratio(s: Speedup) -> str:
    return f"{s.median:.1f}x [{s.ci_low:.1f}-{s.ci_high:.1f}]"
