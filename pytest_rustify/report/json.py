"""JSON report: a finished ``RunReport`` as the version-1 document of DESIGN.md.

Input: a ``RunReport`` and a path. Output: the file ``--rustify-json`` names, written
atomically (xdist workers and parallel sessions may race on it)::

    write_json_report(report, Path("reports/rustify.json"))
    json.loads(Path("reports/rustify.json").read_text())["version"] == 1

``schema_v1.json`` beside this module is the JSON Schema of that document;
``load_schema()`` returns it for users and tests that validate reports.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, cast

from pytest_rustify._fs import write_atomic
from pytest_rustify.report.model import RunReport, to_json_dict

SCHEMA_V1 = "schema_v1.json"


def write_json_report(report: RunReport, path: Path) -> None:
    """Write ``report`` to ``path`` as version-1 JSON, creating the parent directories."""
    text = json.dumps(to_json_dict(report), indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, text)


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the version-1 report."""
    text = resources.files("pytest_rustify.report").joinpath(SCHEMA_V1).read_text(encoding="utf-8")
    return cast("dict[str, Any]", json.loads(text))
