"""The gate: parity and the minimum speedup, judged on the confidence interval."""

from __future__ import annotations

from pytest_rustify.gate import Verdict, judge
from pytest_rustify.report.model import Speedup


def speedup(median: float, low: float, high: float) -> Speedup:
    return Speedup(median=median, ci_low=low, ci_high=high, python_ns=1000.0, rust_ns=100.0)


def test_passes_with_no_thresholds() -> None:
    assert judge(parity_ok=True, speedup=None, min_speedup=None) == Verdict(True, None, ())


def test_a_slow_build_passes_when_no_minimum_is_asked() -> None:
    verdict = judge(parity_ok=True, speedup=speedup(0.5, 0.4, 0.6), min_speedup=None)
    assert verdict.passed
    assert verdict.reasons == ()


def test_a_parity_failure_fails() -> None:
    verdict = judge(parity_ok=False, speedup=speedup(40.0, 38.0, 42.0), min_speedup=None)
    assert not verdict.passed
    assert len(verdict.reasons) == 1
    assert "parity" in verdict.reasons[0]


def test_a_parity_failure_fails_even_when_fast_enough() -> None:
    verdict = judge(parity_ok=False, speedup=speedup(40.0, 38.0, 42.0), min_speedup=5.0)
    assert not verdict.passed
    assert verdict.min_speedup == 5.0
    assert len(verdict.reasons) == 1


def test_an_interval_wholly_over_the_minimum_passes() -> None:
    verdict = judge(parity_ok=True, speedup=speedup(38.2, 36.0, 40.1), min_speedup=5.0)
    assert verdict == Verdict(True, 5.0, ())


def test_a_median_under_the_minimum_passes_when_the_interval_reaches_it() -> None:
    verdict = judge(parity_ok=True, speedup=speedup(4.6, 4.1, 5.2), min_speedup=5.0)
    assert verdict.passed
    assert verdict.reasons == ()


def test_an_interval_ending_exactly_at_the_minimum_passes() -> None:
    assert judge(parity_ok=True, speedup=speedup(4.8, 4.5, 5.0), min_speedup=5.0).passed


def test_an_interval_wholly_under_the_minimum_fails() -> None:
    verdict = judge(parity_ok=True, speedup=speedup(3.1, 2.9, 3.3), min_speedup=5.0)
    assert not verdict.passed
    assert verdict.min_speedup == 5.0
    (reason,) = verdict.reasons
    assert "3.1x" in reason  # the measured ratio
    assert "[2.9-3.3]" in reason  # and its interval
    assert "5x" in reason  # the threshold


def test_a_fractional_minimum_is_shown_as_given() -> None:
    verdict = judge(parity_ok=True, speedup=speedup(1.1, 1.0, 1.2), min_speedup=1.5)
    (reason,) = verdict.reasons
    assert "1.5x" in reason
    assert "1.1x" in reason


def test_a_slowdown_fails_a_minimum_of_one() -> None:
    verdict = judge(parity_ok=True, speedup=speedup(0.5, 0.45, 0.55), min_speedup=1.0)
    assert not verdict.passed


def test_no_speedup_measured_with_a_minimum_fails() -> None:
    verdict = judge(parity_ok=True, speedup=None, min_speedup=2.0)
    assert not verdict.passed
    (reason,) = verdict.reasons
    assert "no speedup was measured" in reason
    assert "2x" in reason


def test_parity_and_speed_failures_are_both_reported() -> None:
    verdict = judge(parity_ok=False, speedup=speedup(1.0, 0.9, 1.1), min_speedup=5.0)
    assert not verdict.passed
    assert len(verdict.reasons) == 2
    assert "parity" in verdict.reasons[0]
    assert "1.0x" in verdict.reasons[1]
