"""Gate: thresholds -> verdicts.

Input: a target's parity result and measured speedup, and the thresholds that apply to
it. Output: a ``Verdict`` saying whether it passes and, if not, why::

    judge(parity_ok=True, speedup=Speedup(median=3.1, ci_low=2.9, ci_high=3.3, ...),
          min_speedup=5.0)
    # -> Verdict(passed=False, reasons=("speedup 3.1x [2.9-3.3] is under the required 5.0x",))

The minimum speedup is judged on the whole interval: a target fails only when even the
upper end of its interval is under the threshold, so noise cannot fail a build, and
a real shortfall always does.
"""

from __future__ import annotations

from dataclasses import dataclass

from .report.model import Speedup


@dataclass(frozen=True)
class Verdict:
    passed: bool
    min_speedup: float | None
    reasons: tuple[str, ...] = ()


def judge(*, parity_ok: bool, speedup: Speedup | None, min_speedup: float | None) -> Verdict:
    """Decide whether a target passes its gate."""
    reasons = []
    if not parity_ok:
        reasons.append("parity failed: the Rust build gave a different answer")
    if min_speedup is not None:
        if speedup is None:
            reasons.append(f"no speedup was measured, {min_speedup:g}x is required")
        elif speedup.ci_high < min_speedup:
            reasons.append(
                f"speedup {speedup.median:.1f}x [{speedup.ci_low:.1f}-{speedup.ci_high:.1f}] "
                f"is under the required {min_speedup:g}x"
            )
    return Verdict(not reasons, min_speedup, tuple(reasons))
