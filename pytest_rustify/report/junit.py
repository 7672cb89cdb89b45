"""JUnit XML report: a finished ``RunReport`` as test suites that CI systems display.

Input: a ``RunReport``. Output: the text of ``--rustify-junit``, written with the
junit-xml package; one ``<testsuite>`` per target, its measurements as suite properties,
and one test case per outcome, so that the three kinds of trouble stay apart::

    render_junit(report) == '''<?xml version="1.0" ?>
    <testsuites disabled="0" errors="0" failures="1" tests="1" time="0.0">
      <testsuite name="pytest-rustify" tests="0" ...> (build, totals, environment) ...
      <testsuite name="stats.norm:zscore" tests="1" failures="1" ...>
        <properties>
          <property name="status" value="parity_failed"/> ...
        </properties>
        <testcase name="parity" classname="stats.norm:zscore" file="stats/norm.py" line="5">
          <failure type="parity" message="3 of 120 recorded calls differ ...">...</failure>
        </testcase> ...
    '''

The test cases of a target:

- ``parity``: a ``<failure type="parity">`` when calls differ between Python and Rust;
  ``<skipped>`` when no call reached the Rust code (parity is unproven); absent when
  nothing was compared.
- ``speedup``: a ``<failure type="speedup">`` when the gate failed on the minimum
  speedup or on a regression against the baseline; absent when nothing was measured
  and no speedup was required.
- ``translation`` / ``build``: an ``<error type="refused">`` or ``<error
  type="build_failed">`` with the reason, for targets that never ran as Rust.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

# junit-xml ships neither type hints nor stubs; everything taken from it is typed Any.
from junit_xml import TestCase, TestSuite, to_xml_report_string  # type: ignore[import-untyped]

from pytest_rustify._fs import write_atomic
from pytest_rustify.report.model import FunctionReport, RunReport, Speedup
from pytest_rustify.report.terminal import format_ratio, format_speedup, proved_nothing

# The suite that carries the session's own properties; no target is named like this.
SESSION_SUITE = "pytest-rustify"
# Error and failure types: CI systems show them, and they keep the outcomes apart.
PARITY = "parity"
SPEEDUP = "speedup"
REFUSED = "refused"
BUILD_FAILED = "build_failed"

# gate.judge words a parity failure this way; that reason belongs to the parity case.
_PARITY_REASON = "parity failed"
# Refusal reasons start with the construct's place, which is where the error points.
_PLACE = re.compile(r"^(?P<file>[^\s:]+):(?P<line>\d+): ")


def render_junit(report: RunReport) -> str:
    """The JUnit XML document: a ``pytest-rustify`` suite for the session (properties
    only, no test case), then one ``<testsuite>`` per target in the report's order."""
    suites = [_session_suite(report), *(_suite(report, f) for f in report.functions)]
    return str(to_xml_report_string(suites, prettyprint=True))


def write_junit_report(report: RunReport, path: Path) -> None:
    """Write ``report`` to ``path`` as JUnit XML, creating the parent directories."""
    write_atomic(path, render_junit(report))


def _session_suite(report: RunReport) -> TestSuite:
    """What belongs to no target: the build, the profiler, the totals, the environment."""
    build, env, summary = report.build, report.environment, report.summary
    values: dict[str, object] = {
        "build.status": build.status,
        "build.seconds": float(build.seconds),
        "build.location": build.location,
        "build.log": build.log,
        "build.cache": build.cache,
        "profiler": report.profiler,
        "summary.accelerated": summary.accelerated,
        "summary.refused": summary.refused,
        "summary.parity_failures": summary.parity_failures,
        "summary.gate_failures": summary.gate_failures,
        "baseline": report.baseline_path,
        # Targets the baseline knew that this run did not select: reported, never failed.
        "baseline.gone": ", ".join(report.gone) or None,
        "python": env.python,
        "abi": env.abi or None,
        "rustc": env.rustc,
        "pyo3": env.pyo3,
        "platform": env.platform,
    }
    notes = [
        *([report.profiler_note] if report.profiler_note else []),
        *report.notes,
        *([build.message] if build.message else []),
    ]
    return TestSuite(
        name=SESSION_SUITE, properties=_strings(values), stdout="\n".join(notes) or None
    )


def _suite(report: RunReport, f: FunctionReport) -> TestSuite:
    return TestSuite(
        name=f.target,
        test_cases=list(_cases(report, f)),
        properties=_properties(report, f),
        file=f.file,
    )


def _properties(report: RunReport, f: FunctionReport) -> dict[str, str]:
    """Everything measured about the target, as strings; unknown values are left out."""
    env = report.environment
    values: dict[str, object] = {
        "status": f.status,
        "file": f.file,
        "line": f.line,
        "signature": f.signature,
        "percent": None if f.percent is None else float(f.percent),
    }
    if f.speedup is not None:
        s = f.speedup
        values |= {
            "speedup.median": float(s.median),
            "speedup.ci_low": float(s.ci_low),
            "speedup.ci_high": float(s.ci_high),
            "speedup.python_ns": float(s.python_ns),
            "speedup.rust_ns": float(s.rust_ns),
            "speedup.rounds": len(s.python_rounds_ns) or None,
        }
    if f.parity is not None:
        p = f.parity
        values |= {
            "parity.calls": p.calls,
            "parity.mismatches": p.mismatches,
            "parity.fallbacks": p.fallbacks,
            "parity.max_abs_err": float(p.max_abs_err),
            "parity.max_rel_err": float(p.max_rel_err),
        }
    if f.gate is not None:
        values |= {"gate.passed": f.gate.passed, "gate.min_speedup": f.gate.min_speedup}
    if f.baseline is not None:
        b = f.baseline
        values |= {
            "baseline.status": b.status,
            "baseline.median": None if b.baseline is None else float(b.baseline.median),
            "baseline.ci_low": None if b.baseline is None else float(b.baseline.ci_low),
            "baseline.ci_high": None if b.baseline is None else float(b.baseline.ci_high),
            "baseline.change": b.change,
            "baseline.regressed": b.regressed if b.status == "compared" else None,
        }
    values |= {
        "python": env.python,
        "abi": env.abi or None,
        "rustc": env.rustc,
        "pyo3": env.pyo3,
        "platform": env.platform,
    }
    return _strings(values)


def _cases(report: RunReport, f: FunctionReport) -> Iterator[TestCase]:
    if f.status == "refused":
        yield _error_case(f, "translation", REFUSED, f.reason or "translation refused", ())
    elif f.status == "build_failed":
        yield _error_case(f, "build", BUILD_FAILED, f.reason or "the build failed", _build(report))
    parity = _parity_case(f)
    if parity is not None:
        yield parity
    speedup = _speedup_case(f)
    if speedup is not None:
        yield speedup


def _case(
    f: FunctionReport, name: str, file: str | None = None, line: int | None = None
) -> TestCase:
    return TestCase(
        name=name,
        classname=f.target,
        file=file or f.file,
        line=str(line if line is not None else f.line),
    )


def _error_case(
    f: FunctionReport, name: str, kind: str, reason: str, extra: tuple[str, ...]
) -> TestCase:
    place = _PLACE.match(reason)
    case = _case(f, name) if place is None else _case(f, name, place["file"], int(place["line"]))
    output = "\n".join((reason, *extra))
    case.add_error_info(message=_one_line(reason), output=output, error_type=kind)
    return case


def _build(report: RunReport) -> tuple[str, ...]:
    """What the build left behind that helps: its message and the maturin log's path."""
    build = report.build
    lines = []
    if build.status == "failed" and build.message:
        lines.append(build.message)
    if build.log:
        lines.append(f"maturin log: {build.log}")
    return tuple(lines)


def _parity_case(f: FunctionReport) -> TestCase | None:
    p = f.parity
    failed = f.status == "parity_failed" or (p is not None and p.mismatches > 0)
    if p is None and not failed:
        return None
    case = _case(f, PARITY)
    if not failed:
        nothing = proved_nothing(p)
        if nothing is not None:
            case.add_skipped_info(message=nothing)
        return case
    if p is None:
        summary = f.reason or "the Rust build gave different answers"
        lines = [summary]
    else:
        summary = f"{p.mismatches} of {p.calls} recorded calls differ between Python and Rust"
        if p.details:
            summary += f"; first: {p.details[0]}"
        lines = [
            f"{p.mismatches} of {p.calls} recorded calls differ between Python and Rust "
            f"(max abs error {p.max_abs_err:g}, max rel error {p.max_rel_err:g})",
            *(f"  {detail}" for detail in p.details),
        ]
        if f.reason:
            lines.append(f.reason)
    case.add_failure_info(message=_one_line(summary), output="\n".join(lines), failure_type=PARITY)
    return case


def _speedup_case(f: FunctionReport) -> TestCase | None:
    reasons = _speed_reasons(f)
    if reasons is None:
        return None if f.speedup is None else _case(f, SPEEDUP)
    case = _case(f, SPEEDUP)
    case.add_failure_info(
        message=_one_line("; ".join(reasons)),
        output="\n".join([*reasons, *_speed_facts(f)]),
        failure_type=SPEEDUP,
    )
    return case


def _speed_reasons(f: FunctionReport) -> tuple[str, ...] | None:
    """Why the gate failed on speed or regression, or None when it did not."""
    gate = f.gate
    if gate is None or gate.passed:
        return None
    reasons = tuple(r for r in gate.reasons if not r.startswith(_PARITY_REASON))
    if reasons:
        return reasons
    if gate.reasons or f.status == "parity_failed":
        return None  # failed on parity alone: the parity case says so
    # A report read back from JSON has lost its reasons; say what is known.
    return (f"the gate failed: speedup {format_speedup(f.speedup)}{_limits(f)}",)


def _limits(f: FunctionReport) -> str:
    limits = []
    if f.gate is not None and f.gate.min_speedup is not None:
        limits.append(f"required {format_ratio(f.gate.min_speedup)}")
    if f.gate is not None and f.gate.baseline is not None:
        limits.append(f"baseline {format_ratio(f.gate.baseline)}")
    return f" ({', '.join(limits)})" if limits else ""


def _speed_facts(f: FunctionReport) -> Iterator[str]:
    if f.speedup is not None:
        yield f"measured: {format_speedup(f.speedup)} ({_times(f.speedup)})"
    if f.gate is not None and f.gate.min_speedup is not None:
        yield f"required: {format_ratio(f.gate.min_speedup)}"
    b = f.baseline
    if b is not None and b.baseline is not None:
        change = "" if b.change is None else f", change {b.change:+.0%}"
        yield f"baseline: {format_speedup(b.baseline)}{change}"
    elif f.gate is not None and f.gate.baseline is not None:
        yield f"baseline: {format_ratio(f.gate.baseline)}"


def _times(s: Speedup) -> str:
    return f"Python {s.python_ns:,.0f} ns, Rust {s.rust_ns:,.0f} ns per call"


def _one_line(text: str) -> str:
    """``text`` fit for an attribute: XML parsers turn a newline there into a space."""
    return " ".join(text.split())


def _strings(values: dict[str, object]) -> dict[str, str]:
    """Property values as text, leaving out the unknown ones."""
    return {name: _text(value) for name, value in values.items() if value is not None}


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)
