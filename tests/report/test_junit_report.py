"""The JUnit XML report: valid against junit.xsd, one suite per target, outcomes kept apart.

The schema is this project's description of the JUnit dialect CI systems read; the last
tests prove it rejects documents that break that dialect, so that passing it means
something.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
import xmlschema
from report_samples import (
    baseline_report,
    empty_report,
    failed_build_report,
    measured_report,
    sample_report,
)

from pytest_rustify.report.junit import SESSION_SUITE, render_junit, write_junit_report
from pytest_rustify.report.model import (
    FunctionReport,
    GateResult,
    Parity,
    RunReport,
    Speedup,
    from_json_dict,
    to_json_dict,
)

XSD = Path(__file__).resolve().parent / "junit.xsd"

REPORTS: dict[str, Callable[[], RunReport]] = {
    "sample": sample_report,
    "measured": measured_report,
    "baseline": baseline_report,
    "failed_build": failed_build_report,
    "empty": empty_report,
}

# What each target of the sample shows, per test case: None for a pass, else the
# outcome element and its type. A case that is absent is not in the mapping.
SAMPLE_OUTCOMES: dict[str, dict[str, tuple[str, str] | None]] = {
    "geo.distance:haversine_sum": {"parity": None, "speedup": None},
    "textkit.tokenize:split_tokens": {"parity": None, "speedup": None},
    "stats.rolling:rolling_mean": {"parity": None, "speedup": ("failure", "speedup")},
    "stats.hist:bucketize": {"parity": ("skipped", "skipped"), "speedup": None},
    "stats.norm:zscore": {"parity": ("failure", "parity")},
    "textkit.walk:iter_pairs": {"translation": ("error", "refused")},
    "textkit.walk:iter_windows": {"translation": ("error", "refused")},
    "geo.shapes:polygon_area": {"translation": ("error", "refused")},
    "textkit.counts:char_histogram": {"build": ("error", "build_failed")},
}
OUTCOME_TAGS = ("failure", "error", "skipped")


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(XSD)


def _parse(text: str) -> ET.Element:
    return ET.fromstring(text.encode("utf-8"))


def _suites(root: ET.Element) -> dict[str, ET.Element]:
    return {suite.attrib["name"]: suite for suite in root.iter("testsuite")}


def _target_suites(root: ET.Element) -> dict[str, ET.Element]:
    return {name: suite for name, suite in _suites(root).items() if name != SESSION_SUITE}


def _properties(suite: ET.Element) -> dict[str, str]:
    return {p.attrib["name"]: p.attrib["value"] for p in suite.iter("property")}


def _case(suite: ET.Element, name: str) -> ET.Element:
    (case,) = [c for c in suite.iter("testcase") if c.attrib["name"] == name]
    return case


def _outcome(case: ET.Element) -> ET.Element | None:
    found = [child for child in case if child.tag in OUTCOME_TAGS]
    assert len(found) <= 1, ET.tostring(case)
    return found[0] if found else None


def _outcomes(root: ET.Element) -> dict[str, dict[str, tuple[str, str] | None]]:
    result: dict[str, dict[str, tuple[str, str] | None]] = {}
    for name, suite in _target_suites(root).items():
        cases: dict[str, tuple[str, str] | None] = {}
        for case in suite.iter("testcase"):
            outcome = _outcome(case)
            cases[case.attrib["name"]] = (
                None if outcome is None else (outcome.tag, outcome.attrib["type"])
            )
        result[name] = cases
    return result


def _sample(target: str, report: RunReport | None = None) -> FunctionReport:
    (f,) = [f for f in (report or sample_report()).functions if f.target == target]
    return f


def _with(report: RunReport, *functions: FunctionReport) -> RunReport:
    return replace(report, functions=functions)


# --- the document is JUnit XML ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_sample_is_valid_against_the_schema(name: str, schema: xmlschema.XMLSchema) -> None:
    schema.validate(render_junit(REPORTS[name]()))


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_one_suite_per_target_in_order_after_the_session_suite(name: str) -> None:
    report = REPORTS[name]()
    suites = [s.attrib["name"] for s in _parse(render_junit(report)).iter("testsuite")]
    assert suites == [SESSION_SUITE, *(f.target for f in report.functions)]


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_counts_agree_with_the_test_cases(name: str) -> None:
    root = _parse(render_junit(REPORTS[name]()))
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in root.iter("testsuite"):
        cases = list(suite.iter("testcase"))
        counted = {
            "tests": len(cases),
            "failures": sum(_tag(c) == "failure" for c in cases),
            "errors": sum(_tag(c) == "error" for c in cases),
            "skipped": sum(_tag(c) == "skipped" for c in cases),
        }
        assert {k: int(suite.attrib[k]) for k in counted} == counted
        for key in totals:
            totals[key] += counted[key]
    assert {k: int(root.attrib.get(k, "0")) for k in totals} == totals


def _tag(case: ET.Element) -> str | None:
    outcome = _outcome(case)
    return None if outcome is None else outcome.tag


def test_write_junit_report_writes_the_rendered_document(tmp_path: Path) -> None:
    path = tmp_path / "reports" / "nested" / "rustify.xml"
    write_junit_report(sample_report(), path)
    assert path.read_text(encoding="utf-8") == render_junit(sample_report())
    assert [p.name for p in path.parent.iterdir()] == ["rustify.xml"]  # no temporary left


# --- three outcome kinds, kept apart --------------------------------------------------------


def test_each_target_shows_its_own_outcomes() -> None:
    assert _outcomes(_parse(render_junit(sample_report()))) == SAMPLE_OUTCOMES


def test_an_accelerated_passing_target_has_no_failure() -> None:
    suite = _suites(_parse(render_junit(baseline_report())))["geo.distance:haversine_sum"]
    assert [c.attrib["name"] for c in suite.iter("testcase")] == ["parity", "speedup"]
    assert all(_outcome(case) is None for case in suite.iter("testcase"))
    assert (suite.attrib["failures"], suite.attrib["errors"], suite.attrib["skipped"]) == (
        "0",
        "0",
        "0",
    )


def test_a_parity_failure_carries_the_first_mismatch() -> None:
    suite = _suites(_parse(render_junit(sample_report())))["stats.norm:zscore"]
    failure = _outcome(_case(suite, "parity"))
    assert failure is not None and failure.attrib["type"] == "parity"
    message = failure.attrib["message"]
    assert message.startswith("3 of 120 recorded calls differ between Python and Rust")
    assert "call 7: zscore([2.0, 2.0]) returned [nan, nan] in Python" in message
    assert "call 19" not in message  # only the first; the others are in the text
    text = failure.text or ""
    parity = _sample("stats.norm:zscore").parity
    assert parity is not None and len(parity.details) == 3
    for detail in parity.details:
        assert detail in text
    assert "max abs error 0.5" in text


def test_a_speedup_failure_gives_the_measurement_and_the_limits() -> None:
    suite = _suites(_parse(render_junit(baseline_report())))["stats.rolling:rolling_mean"]
    assert _outcome(_case(suite, "parity")) is None
    failure = _outcome(_case(suite, "speedup"))
    assert failure is not None and failure.attrib["type"] == "speedup"
    assert failure.attrib["message"] == (
        "speedup 3.1x [2.9\N{EN DASH}3.4] is below --rustify-min-speedup 5.0x; "
        "speedup fell 26% from the baseline 4.2x; --rustify-max-regression allows 10%"
    )
    text = failure.text or ""
    assert "measured: 3.1x [2.9\N{EN DASH}3.4] (Python 20,400 ns, Rust 6,580 ns per call)" in text
    assert "required: 5.0x" in text
    assert "baseline: 4.2x [4.0\N{EN DASH}4.4], change -26%" in text


def test_refusals_and_build_failures_are_errors_pointing_at_their_place() -> None:
    suites = _suites(_parse(render_junit(sample_report())))
    refused = _case(suites["textkit.walk:iter_pairs"], "translation")
    error = _outcome(refused)
    assert error is not None and error.attrib["type"] == "refused"
    assert error.attrib["message"] == "textkit/walk.py:22: generators are not supported (`yield`)"
    # The case points at the construct, not at the function's def line (18).
    assert (refused.attrib["file"], refused.attrib["line"]) == ("textkit/walk.py", "22")
    built = _case(suites["textkit.counts:char_histogram"], "build")
    error = _outcome(built)
    assert error is not None and error.attrib["type"] == "build_failed"
    assert error.attrib["message"].startswith("rustc rejected the generated code (E0308")
    assert "maturin log: .pytest_cache/rustify/crates/3f9a1c2e7b/maturin.log" in (error.text or "")
    assert (built.attrib["file"], built.attrib["line"]) == ("textkit/counts.py", "3")


def test_a_failed_crate_shows_the_build_message_on_every_target() -> None:
    root = _parse(render_junit(failed_build_report()))
    for name, suite in _target_suites(root).items():
        if _sample(name).status == "refused":
            continue
        (case,) = suite.iter("testcase")
        error = _outcome(case)
        assert case.attrib["name"] == "build"
        assert error is not None and error.attrib["type"] == "build_failed"
        assert "error: linker `cc` not found" in (error.text or "")


def test_calls_that_all_fell_back_are_a_skipped_parity_check() -> None:
    suite = _suites(_parse(render_junit(sample_report())))["stats.hist:bucketize"]
    skipped = _outcome(_case(suite, "parity"))
    assert skipped is not None and skipped.tag == "skipped"
    assert "all 64 calls fell back to Python" in skipped.attrib["message"]


def test_a_gate_failed_on_parity_alone_is_no_speedup_failure() -> None:
    zscore = replace(
        _sample("stats.norm:zscore"),
        speedup=Speedup(median=9.0, ci_low=8.5, ci_high=9.4, python_ns=9000, rust_ns=1000),
        gate=GateResult(
            min_speedup=5.0,
            baseline=None,
            passed=False,
            reasons=("parity failed: the Rust build gave a different answer",),
        ),
    )
    outcomes = _outcomes(_parse(render_junit(_with(sample_report(), zscore))))
    assert outcomes["stats.norm:zscore"] == {"parity": ("failure", "parity"), "speedup": None}


def test_a_required_speedup_that_was_never_measured_fails_the_speedup_case() -> None:
    unmeasured = replace(
        _sample("geo.distance:haversine_sum"),
        speedup=None,
        gate=GateResult(
            min_speedup=5.0,
            baseline=None,
            passed=False,
            reasons=("no speedup was measured, 5x is required",),
        ),
    )
    suite = _suites(_parse(render_junit(_with(sample_report(), unmeasured))))[unmeasured.target]
    failure = _outcome(_case(suite, "speedup"))
    assert failure is not None and failure.attrib["type"] == "speedup"
    assert failure.attrib["message"] == "no speedup was measured, 5x is required"


def test_a_report_read_back_from_json_still_names_its_gate_failure() -> None:
    # JSON v1 keeps whether the gate passed, not why: the reporter words what it knows.
    report = from_json_dict(to_json_dict(sample_report()))
    suite = _suites(_parse(render_junit(report)))["stats.rolling:rolling_mean"]
    failure = _outcome(_case(suite, "speedup"))
    assert failure is not None and failure.attrib["type"] == "speedup"
    assert failure.attrib["message"] == (
        "the gate failed: speedup 3.1x [2.9\N{EN DASH}3.4] (required 5.0x, baseline 4.2x)"
    )


def test_a_parity_failure_without_parity_counts_is_still_a_parity_failure() -> None:
    broken = replace(_sample("stats.norm:zscore"), parity=None)
    suite = _suites(_parse(render_junit(_with(sample_report(), broken))))[broken.target]
    failure = _outcome(_case(suite, "parity"))
    assert failure is not None and failure.attrib["type"] == "parity"
    assert failure.attrib["message"] == broken.reason


# --- properties ---------------------------------------------------------------------------


def test_suite_properties_carry_the_measurements_and_the_toolchain() -> None:
    suites = _suites(_parse(render_junit(baseline_report())))
    props = _properties(suites["geo.distance:haversine_sum"])
    assert props == {
        "status": "accelerated",
        "file": "geo/distance.py",
        "line": "12",
        "signature": "fn haversine_sum(lats: Vec<f64>, lons: Vec<f64>) -> PyResult<f64>",
        "percent": "41.2",
        "speedup.median": "38.2",
        "speedup.ci_low": "36.0",
        "speedup.ci_high": "40.1",
        "speedup.python_ns": "55800.0",
        "speedup.rust_ns": "1460.0",
        "speedup.rounds": "11",
        "parity.calls": "120",
        "parity.mismatches": "0",
        "parity.fallbacks": "0",
        "parity.max_abs_err": "0.0",
        "parity.max_rel_err": "0.0",
        "gate.passed": "true",
        "gate.min_speedup": "5.0",
        "baseline.status": "compared",
        "baseline.median": "35.0",
        "baseline.ci_low": "33.9",
        "baseline.ci_high": "36.2",
        "baseline.change": repr(38.2 / 35.0 - 1),
        "baseline.regressed": "false",
        "python": "3.11.7",
        "abi": "cpython-311 .cpython-311-x86_64-linux-gnu.so",
        "rustc": "1.95.0",
        "pyo3": "0.23.3",
        "platform": "linux-x86_64",
    }


def test_properties_of_new_regressed_and_refused_targets() -> None:
    suites = _suites(_parse(render_junit(baseline_report())))
    new = _properties(suites["textkit.tokenize:split_tokens"])
    assert new["baseline.status"] == "new"
    assert not {"baseline.median", "baseline.change", "baseline.regressed"} & new.keys()
    regressed = _properties(suites["stats.rolling:rolling_mean"])
    assert (regressed["baseline.regressed"], regressed["gate.passed"]) == ("true", "false")
    refused = _properties(suites["textkit.walk:iter_windows"])
    assert refused["status"] == "refused"
    assert not any(k.startswith(("speedup.", "parity.", "gate.")) for k in refused)
    assert "percent" not in refused  # a named target without a share of session time
    assert {"python", "rustc", "pyo3", "platform"} <= refused.keys()


def test_the_session_suite_carries_the_build_and_what_the_baseline_lost() -> None:
    session = _suites(_parse(render_junit(baseline_report())))[SESSION_SUITE]
    assert list(session.iter("testcase")) == []
    props = _properties(session)
    assert props["build.status"] == "built"
    assert props["summary.accelerated"] == "4"
    assert props["summary.gate_failures"] == "1"
    assert props["baseline"] == "benchmarks/rustify-baseline.json"
    assert props["baseline.gone"] == "textkit.legacy:old_split"
    assert "py-spy could not attach" in (session.findtext("system-out") or "")


# --- escaping -----------------------------------------------------------------------------

AWKWARD = "a < b && c > \"d\" 'e' ]]> \N{EN DASH} \N{SNAKE} <!-- x --> &amp;"


def test_characters_that_need_escaping_survive(schema: xmlschema.XMLSchema) -> None:
    refused = replace(
        _sample("textkit.walk:iter_pairs"),
        reason=f"textkit/walk.py:22: {AWKWARD}\nsecond line\ttab",
        signature=f"fn f() -> {AWKWARD}",
    )
    text = render_junit(_with(sample_report(), refused))
    schema.validate(text)
    suite = _suites(_parse(text))[refused.target]
    error = _outcome(_case(suite, "translation"))
    assert error is not None
    # An attribute cannot keep a newline (parsers turn it into a space): one line there,
    # the reason exactly in the text.
    assert error.attrib["message"] == f"textkit/walk.py:22: {AWKWARD} second line tab"
    assert error.text == refused.reason
    assert _properties(suite)["signature"] == refused.signature


def test_characters_xml_cannot_hold_are_dropped_not_fatal(schema: xmlschema.XMLSchema) -> None:
    refused = replace(
        _sample("textkit.walk:iter_pairs"), reason="textkit/walk.py:22: \x1b[31mred\x1b[0m \x00!"
    )
    text = render_junit(_with(sample_report(), refused))
    schema.validate(text)
    error = _outcome(_case(_suites(_parse(text))[refused.target], "translation"))
    assert error is not None and error.attrib["message"] == "textkit/walk.py:22: [31mred[0m !"


# --- the schema is not vacuous ------------------------------------------------------------


def _first(root: ET.Element, tag: str) -> ET.Element:
    found = root.find(f".//{tag}")
    assert found is not None, tag
    return found


def _failure_outside_its_case(root: ET.Element) -> None:
    for suite in root.iter("testsuite"):
        for case in suite.iter("testcase"):
            failure = case.find("failure")
            if failure is not None:
                case.remove(failure)
                suite.append(failure)
                return


def _failure_with_an_unknown_attribute(root: ET.Element) -> None:
    _first(root, "failure").attrib["severity"] = "high"


def _nest_in_failure(root: ET.Element) -> None:
    ET.SubElement(_first(root, "failure"), "detail").text = "structure where text belongs"


def _drop_case_name(root: ET.Element) -> None:
    del _first(root, "testcase").attrib["name"]


def _drop_suite_tests(root: ET.Element) -> None:
    del _first(root, "testsuite").attrib["tests"]


def _negative_time(root: ET.Element) -> None:
    _first(root, "testsuite").attrib["time"] = "-1"


def _wordy_count(root: ET.Element) -> None:
    _first(root, "testsuite").attrib["failures"] = "several"


def _unknown_outcome(root: ET.Element) -> None:
    ET.SubElement(_first(root, "testcase"), "flaky", {"type": "x"})


def _property_without_value(root: ET.Element) -> None:
    del _first(root, "property").attrib["value"]


def _case_outside_a_suite(root: ET.Element) -> None:
    root.append(ET.Element("testcase", {"name": "stray"}))


def _outcome_after_output(root: ET.Element) -> None:
    case = _first(root, "testcase")
    ET.SubElement(case, "system-out").text = "out"
    ET.SubElement(case, "failure", {"type": "late"})


@pytest.mark.parametrize(
    ("break_it", "reason"),
    [
        (_failure_outside_its_case, "Unexpected child with tag 'failure'"),
        (_failure_with_an_unknown_attribute, "'severity' attribute not allowed"),
        (_nest_in_failure, "can't have child elements"),
        (_drop_case_name, "missing required attribute 'name'"),
        (_drop_suite_tests, "missing required attribute 'tests'"),
        (_negative_time, "greater or equal than 0"),
        (_wordy_count, "'several'"),
        (_unknown_outcome, "Unexpected child with tag 'flaky'"),
        (_property_without_value, "missing required attribute 'value'"),
        (_case_outside_a_suite, "Unexpected child with tag 'testcase'"),
        (_outcome_after_output, "Unexpected child with tag 'failure'"),
    ],
)
def test_the_schema_rejects_broken_documents(
    break_it: Callable[[ET.Element], None], reason: str, schema: xmlschema.XMLSchema
) -> None:
    root = _parse(render_junit(sample_report()))
    assert schema.is_valid(ET.tostring(root, encoding="unicode"))
    broken = copy.deepcopy(root)
    break_it(broken)
    errors = list(schema.iter_errors(ET.tostring(broken, encoding="unicode")))
    assert errors, f"{break_it.__name__} was accepted"
    assert reason in str(errors[0].reason)


def test_the_schema_accepts_what_other_writers_write(schema: xmlschema.XMLSchema) -> None:
    # The shape pytest's own junitxml writes: output after the cases, a failure without a
    # type and a teardown error on one test, a timestamp with a timezone; also as a lone
    # suite, without the <testsuites> root.
    doc = """<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests"><testsuite name="pytest" errors="1" failures="1"
 skipped="1" tests="3" time="0.042" timestamp="2024-05-01T12:00:00.123456+00:00"
 hostname="ci-runner"><testcase classname="tests.test_a" name="test_ok" time="0.001"/>
<testcase classname="tests.test_a" name="test_bad" file="tests/test_a.py" line="7"
 time="1e-05"><failure message="assert 1 == 2">tb</failure><error message="teardown"
 type="RuntimeError">tb</error><system-out>printed</system-out></testcase>
<testcase classname="tests.test_a" name="test_skip"><skipped type="pytest.skip"
 message="no network">reason</skipped></testcase><system-err>warn</system-err>
</testsuite></testsuites>"""
    schema.validate(doc)
    lone_suite = doc.replace('<testsuites name="pytest tests">', "").replace("</testsuites>", "")
    schema.validate(lone_suite)


@pytest.mark.parametrize(
    "doc",
    [
        '<failure type="parity" message="m">text</failure>',
        '<testcase name="parity"><failure type="parity">text</failure></testcase>',
        '<property name="speedup.median" value="38.2"/>',
        "<junit/>",
    ],
)
def test_only_suites_can_be_the_root(doc: str, schema: xmlschema.XMLSchema) -> None:
    assert not schema.is_valid(doc)


def test_our_failures_and_errors_always_carry_a_type_and_a_message() -> None:
    # The schema lets these be optional (pytest omits the type); our report always sets both.
    for name in REPORTS:
        root = _parse(render_junit(REPORTS[name]()))
        for outcome in (e for tag in OUTCOME_TAGS for e in root.iter(tag)):
            assert outcome.attrib.get("type") and outcome.attrib.get("message"), name


def test_the_samples_exercise_every_outcome_kind() -> None:
    # Guards the tests above against samples that lost a case.
    kinds = {o for cases in SAMPLE_OUTCOMES.values() for o in cases.values() if o is not None}
    assert kinds == {
        ("failure", "parity"),
        ("failure", "speedup"),
        ("error", "refused"),
        ("error", "build_failed"),
        ("skipped", "skipped"),
    }
    assert isinstance(_sample("stats.norm:zscore").parity, Parity)
