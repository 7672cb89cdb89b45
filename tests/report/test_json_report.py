"""The JSON v1 report: written atomically, valid against schema_v1.json, and loadable."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs in the dev extra
import pytest
from report_samples import empty_report, failed_build_report, sample_report

from pytest_rustify.report.json import load_schema, write_json_report
from pytest_rustify.report.model import RunReport, from_json_dict, to_json_dict

REPORTS = {
    "sample": sample_report,
    "failed_build": failed_build_report,
    "empty": empty_report,
}

# Where each object of the v1 shape sits in the sample's JSON, for the drift tests.
OBJECTS = {
    "report": (),
    "environment": ("environment",),
    "hotspot": ("hotspots", 0),
    "function": ("functions", 0),
    "parity": ("functions", 0, "parity"),
    "speedup": ("functions", 0, "speedup"),
    "gate": ("functions", 0, "gate"),
    "build": ("build",),
    "summary": ("summary",),
    "profiler": ("profiler",),
}
# Keys added to v1 after its first release: always written, never required, so a report
# of an earlier release still validates and loads.
OPTIONAL = {"report": {"profiler", "notes"}, "build": {"message", "cache"}}


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_schema())


def _at(doc: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def _sample_json() -> dict[str, Any]:
    return to_json_dict(sample_report())


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_written_report_is_valid(name: str, tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    write_json_report(REPORTS[name](), path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    _validator().validate(doc)
    assert doc == to_json_dict(REPORTS[name]())


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_an_extra_key_is_rejected(name: str) -> None:
    doc = _sample_json()
    _at(doc, OBJECTS[name])["unexpected"] = 1
    errors = list(_validator().iter_errors(doc))
    assert errors
    assert any("unexpected" in error.message for error in errors)


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_a_missing_key_is_rejected(name: str) -> None:
    for key in list(_at(_sample_json(), OBJECTS[name])):
        doc = _sample_json()
        del _at(doc, OBJECTS[name])[key]
        valid = key in OPTIONAL.get(name, set())
        assert _validator().is_valid(doc) is valid, f"{name} without {key!r}"


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_a_report_without_the_optional_keys_is_valid_and_loads(name: str) -> None:
    doc = to_json_dict(REPORTS[name]())
    for key in OPTIONAL["report"]:
        del doc[key]
    for key in OPTIONAL["build"]:
        del doc["build"][key]
    _validator().validate(doc)
    loaded = from_json_dict(doc)
    assert (loaded.profiler, loaded.profiler_note, loaded.notes) == ("off", "", ())
    assert (loaded.build.message, loaded.build.cache) == (None, None)


def test_schema_keys_are_exactly_the_keys_to_json_dict_writes() -> None:
    schema = load_schema()
    definitions = {
        "report": schema,
        "environment": schema["properties"]["environment"],
        "hotspot": schema["$defs"]["hotspot"],
        "function": schema["$defs"]["function"],
        "parity": schema["$defs"]["parity"],
        "speedup": schema["$defs"]["speedup"],
        "gate": schema["$defs"]["gate"],
        "build": schema["properties"]["build"],
        "summary": schema["properties"]["summary"],
        "profiler": schema["properties"]["profiler"],
    }
    doc = _sample_json()
    for name, definition in definitions.items():
        written = list(_at(doc, OBJECTS[name]))
        required = set(written) - OPTIONAL.get(name, set())
        assert sorted(definition["required"]) == sorted(required), name
        assert sorted(definition["properties"]) == sorted(written), name
        assert definition["additionalProperties"] is False, name


@pytest.mark.parametrize(
    ("path", "value", "valid"),
    [
        (("functions", 0, "status"), "sped_up", False),
        (("functions", 0, "status"), "parity_failed", True),
        (("functions", 0, "reason"), None, True),
        (("functions", 0, "signature"), None, True),
        (("functions", 0, "parity"), None, True),
        (("functions", 0, "speedup"), None, True),
        (("functions", 0, "gate"), None, True),
        (("functions", 0, "gate", "min_speedup"), None, True),
        (("functions", 0, "line"), "12", False),
        (("functions", 0, "parity", "calls"), -1, False),
        (("build", "status"), "skipped", True),
        (("build", "status"), "compiling", False),
        (("version",), 2, False),
        (("environment", "python"), None, False),
    ],
)
def test_types_enums_and_nullable_fields(
    path: tuple[str | int, ...], value: object, valid: bool
) -> None:
    doc = _sample_json()
    _at(doc, path[:-1])[path[-1]] = value
    assert _validator().is_valid(doc) is valid


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_from_json_dict_round_trips_the_json_fields(name: str, tmp_path: Path) -> None:
    report = REPORTS[name]()
    assert to_json_dict(from_json_dict(to_json_dict(report))) == to_json_dict(report)
    path = tmp_path / "report.json"
    write_json_report(report, path)
    loaded = from_json_dict(json.loads(path.read_text(encoding="utf-8")))
    assert to_json_dict(loaded) == to_json_dict(report)
    assert loaded.functions == tuple(_json_fields_only(report).functions)


def _json_fields_only(report: RunReport) -> RunReport:
    """The report with the fields JSON v1 does not carry set to their defaults."""
    return replace(
        report,
        functions=tuple(
            replace(
                f,
                percent=None,
                parity=None if f.parity is None else replace(f.parity, details=()),
                gate=None if f.gate is None else replace(f.gate, reasons=()),
            )
            for f in report.functions
        ),
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": 2}, "not a version-1"),
        ({"build": {"seconds": 1.0}}, "malformed"),
        ({"build": {"status": "compiling", "seconds": 1.0}}, "unknown build status"),
    ],
)
def test_from_json_dict_rejects_what_is_not_a_v1_report(
    change: dict[str, Any], message: str
) -> None:
    doc = {**_sample_json(), **change}
    with pytest.raises(ValueError, match=message):
        from_json_dict(doc)


def test_from_json_dict_rejects_an_unknown_status() -> None:
    doc = _sample_json()
    doc["functions"][1]["status"] = "sped_up"
    with pytest.raises(ValueError, match=r"textkit\.tokenize:split_tokens: unknown status"):
        from_json_dict(doc)


def test_write_creates_parents_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "reports" / "ci" / "rustify.json"
    write_json_report(sample_report(), path)
    assert sorted(p.name for p in path.parent.iterdir()) == ["rustify.json"]
    text = path.read_text(encoding="utf-8")
    assert text.startswith('{\n  "version": 1,\n  "environment": {\n    "python": "3.11.7",')
    assert text.endswith("}\n")


def test_write_replaces_an_existing_report(tmp_path: Path) -> None:
    path = tmp_path / "rustify.json"
    path.write_text("stale", encoding="utf-8")
    write_json_report(empty_report(), path)
    assert json.loads(path.read_text(encoding="utf-8")) == to_json_dict(empty_report())
    assert [p.name for p in tmp_path.iterdir()] == ["rustify.json"]
