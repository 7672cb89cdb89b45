"""The benchmark's results: the data, the machine they came from, JSON and markdown.

Input: a finished ``Report``. Output: its JSON (``to_json``/``from_json`` round-trip) and
a markdown table per input kind, with notes for every cell that is not a number::

    write(report, Path("benches/results/latest.json"))   # and latest.md beside it
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_rustify import build

VERSION = 1
TITLES = {
    "cpython": "CPython",
    "generated": "generated",
    "handwritten": "hand-written",
    "numba": "Numba",
}
KIND_TITLES = {
    "lists": "Plain Python inputs (lists, str, scalars)",
    "arrays": "NumPy arrays (float64; int64 for normalize_pixels)",
}
STATUSES = ("ok", "mismatch", "error", "fallback", "refused", "unsupported", "unavailable", "n/a")


@dataclass(frozen=True)
class Cell:
    """One implementation on one (function, kind): timed ("ok", or "mismatch" when its
    answer differed from CPython's) or a reason why there is no time."""

    status: str
    per_call_ns: float | None = None
    ratio: float | None = None  # median over rounds of CPython's time / this one's
    reason: str = ""


@dataclass(frozen=True)
class Row:
    function: str
    kind: str
    inputs: str
    cells: Mapping[str, Cell]
    # Median over rounds of the generated code's time / the hand-written one's.
    generated_vs_handwritten: float | None = None


@dataclass(frozen=True)
class GeoMean:
    kind: str
    implementation: str  # or "generated/handwritten" for that time ratio
    value: float | None
    functions: int  # how many ratios went in
    applicable: int  # how many functions have this input kind


@dataclass(frozen=True)
class Report:
    machine: Mapping[str, str]
    settings: Mapping[str, Any]
    implementations: tuple[str, ...]
    rows: tuple[Row, ...]
    geomeans: tuple[GeoMean, ...] = field(default_factory=tuple)


def machine_description() -> dict[str, str]:
    """What the numbers depend on: CPU, cores, load, and the versions of everything timed."""
    import numpy

    from .implementations import numba_version

    toolchain = build.find_toolchain()
    cores = str(os.cpu_count() or "?")
    if hasattr(os, "sched_getaffinity"):
        cores += f" ({len(os.sched_getaffinity(0))} usable)"
    load = ""
    if hasattr(os, "getloadavg"):
        load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "cpu": _cpu_model(),
        "cores": cores,
        "load_average": load,
        "platform": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "rustc": toolchain.rustc_version,
        "pyo3": build.PYO3_VERSION,
        "numpy": numpy.__version__,
        "numba": numba_version() or "not installed",
        "commit": _commit(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    if platform.system() == "Darwin":
        try:
            return subprocess.run(
                ["sysctl", "-n", "machdep.cpu.brand_string"],
                capture_output=True, text=True, timeout=10, check=True,
            ).stdout.strip()  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            pass
    return platform.processor() or platform.machine()


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, timeout=10,
            cwd=Path(__file__).resolve().parent,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


# --- JSON --------------------------------------------------------------------------------


def to_json(report: Report) -> dict[str, Any]:
    return {
        "version": VERSION,
        "machine": dict(report.machine),
        "settings": dict(report.settings),
        "implementations": list(report.implementations),
        "rows": [
            {
                "function": r.function,
                "kind": r.kind,
                "inputs": r.inputs,
                "cells": {impl: vars(cell).copy() for impl, cell in r.cells.items()},
                "generated_vs_handwritten": r.generated_vs_handwritten,
            }
            for r in report.rows
        ],
        "geomeans": [vars(g).copy() for g in report.geomeans],
    }


def from_json(data: Mapping[str, Any]) -> Report:
    if data.get("version") != VERSION:
        raise ValueError(f"benchmark results version {data.get('version')!r}, expected {VERSION}")
    return Report(
        machine=dict(data["machine"]),
        settings=dict(data["settings"]),
        implementations=tuple(data["implementations"]),
        rows=tuple(
            Row(
                function=r["function"],
                kind=r["kind"],
                inputs=r["inputs"],
                cells={impl: Cell(**cell) for impl, cell in r["cells"].items()},
                generated_vs_handwritten=r["generated_vs_handwritten"],
            )
            for r in data["rows"]
        ),
        geomeans=tuple(GeoMean(**g) for g in data["geomeans"]),
    )


def write(report: Report, json_path: Path) -> Path:
    """Write the JSON to ``json_path`` and the markdown beside it (``.md``); returns the latter."""
    json_path.parent.mkdir(parents=True, exist_ok=True)
    markdown_path = json_path.with_suffix(".md")
    for path, text in (
        (json_path, json.dumps(to_json(report), indent=2) + "\n"),
        (markdown_path, markdown(report)),
    ):
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return markdown_path


# --- markdown ----------------------------------------------------------------------------


def markdown(report: Report) -> str:
    m = report.machine
    s = report.settings
    impls = report.implementations
    lines = [
        "## Benchmark: per-call time and speedup over CPython",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, load average {m['load_average']} at the "
        f"start; {m['platform']}. {m['python']}, {m['rustc']}, pyo3 {m['pyo3']}, "
        f"numpy {m['numpy']}, numba {m['numba']}. Commit {m['commit'] or '?'}, {m['date']}.",
        "",
        f"{s['rounds']} rounds; each round times every implementation on the same inputs "
        f"(batches of at least {s['min_time'] * 1000:g} ms); a cell is the median per-call "
        "time and, in parentheses, the median of the per-round speedups over CPython. "
        "Geometric means over the functions with a time (how many in brackets). "
        "*generated / hand-written time* is the median over the rounds of the generated "
        "code's time divided by the hand-written reference's (1.10: 10% slower).",
        "",
        "The hand-written reference (`benches/handwritten/src/lib.rs`) ports each function "
        "loop for loop, reads lists in place through their item pointers (exact floats) and "
        "arrays without a copy, and builds its results directly; given arrays, it returns "
        "Python floats where CPython returns NumPy scalars (parity accepts a float with the "
        "same bits). Numba runs `numba.njit` of the same function: lists are its reflected "
        "lists.",
    ]
    notes: dict[str, int] = {}
    for kind in KIND_TITLES:
        rows = [r for r in report.rows if r.kind == kind]
        if not rows:
            continue
        lines += ["", f"### {KIND_TITLES[kind]}", ""]
        header = ["function", "inputs", *(TITLES.get(i, i) for i in impls)]
        versus = "generated" in impls and "handwritten" in impls
        if versus:
            header.append("generated / hand-written time")
        lines.append("| " + " | ".join(header) + " |")
        lines.append("| --- | --- |" + " ---: |" * (len(header) - 2))
        for r in rows:
            cells = [_cell(r.cells[i], i, r, notes) for i in impls]
            if versus:
                cells.append(_number(r.generated_vs_handwritten, 2))
            inputs = r.inputs
            if all(c.status == "n/a" for c in r.cells.values()):
                inputs = f"n/a: {next(iter(r.cells.values())).reason}"
            lines.append("| " + " | ".join([r.function, inputs, *cells]) + " |")
        means = {g.implementation: g for g in report.geomeans if g.kind == kind}
        summary = ["**geometric mean**", ""]
        for impl in impls:
            g = means.get(impl)
            summary.append(_ratio(g.value) + f" [{g.functions}]" if g and g.value else "—")
        if versus:
            g = means.get("generated/handwritten")
            summary.append(_number(g.value, 2) if g else "—")
        lines.append("| " + " | ".join(summary) + " |")
    if notes:
        lines += ["", "Notes:", ""]
        lines += [f"{n}. {text}" for text, n in notes.items()]
    return "\n".join(lines) + "\n"


def _cell(cell: Cell, impl: str, row: Row, notes: dict[str, int]) -> str:
    def note(text: str) -> str:
        n = notes.setdefault(text, len(notes) + 1)
        return f"[{n}]"

    if cell.status == "n/a":
        return "n/a"  # the reason stands in the row's inputs column
    if cell.per_call_ns is None:
        # Reasons that are the same for a whole column (numba not installed) share a note.
        where = "" if cell.status == "unavailable" else f"{row.function} ({row.kind}), "
        return f"{cell.status} " + note(f"{where}{TITLES.get(impl, impl)}: {cell.reason}")
    text = _time(cell.per_call_ns)
    if impl != "cpython":
        text += f" ({_ratio(cell.ratio)})"
    if cell.status == "mismatch":
        text += " ≠ " + note(
            f"{row.function} ({row.kind}), {TITLES.get(impl, impl)}: result differs from "
            f"CPython's: {cell.reason}"
        )
    elif cell.reason:
        text += " " + note(f"{row.function} ({row.kind}), {TITLES.get(impl, impl)}: {cell.reason}")
    return text


def _time(ns: float) -> str:
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{_sig3(ns / scale)} {unit}"
    return f"{_sig3(ns)} ns"


def _ratio(x: float | None) -> str:
    return "—" if x is None else f"{_sig3(x)}x"


def _number(x: float | None, digits: int) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _sig3(x: float) -> str:
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}" if x >= 0.01 else f"{x:.3g}"
