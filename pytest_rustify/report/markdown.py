"""Markdown report: a finished ``RunReport`` as GitHub-flavoured markdown for a reviewer.

Input: a ``RunReport``. Output: the text of ``--rustify-markdown`` and of the GitHub step
summary::

    render_markdown(report) == '''## pytest-rustify

    1 accelerated, 0 refused, 0 parity failures, 0 gate failures

    | target | status | parity | speedup [interval] | gate |
    | --- | --- | --- | --- | --- |
    | `geo.dist:total` | accelerated | 120 ok | 38.2x [36.0-40.1] | passed (min 5.0x) |

    **Build:** built in 12.3s. **Environment:** Python 3.11.7, rustc 1.95.0, ...
    '''

The text is made of blocks (heading, table, refusals, problems, build line), each a
function of the report, so a new section is one more block in ``render_markdown``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pytest_rustify.report.model import FunctionReport, GateResult, RunReport
from pytest_rustify.report.terminal import (
    MISSING,
    format_parity,
    format_ratio,
    format_speedup,
    proved_nothing,
    status_label,
    summary_line,
)

# Backslash-escapable punctuation that would otherwise format, link or inject HTML.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
# Code spans the stages write on purpose, such as "generators are not supported (`yield`)".
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# Refusal reasons start with the construct's place; grouping needs the sentence alone.
_PLACE = re.compile(r"^(?P<place>\S+:\d+): (?P<sentence>.*)$", re.DOTALL)


def render_markdown(report: RunReport) -> str:
    """The markdown report: summary, table, refusals by reason, problems, build line."""
    blocks = [
        _heading(report),
        _table(report),
        _refusals(report),
        _problems(report),
        _build_and_environment(report),
    ]
    return "\n\n".join(block for block in blocks if block) + "\n"


def _heading(report: RunReport) -> str:
    return f"## pytest-rustify\n\n{summary_line(report)}"


def _table(report: RunReport) -> str:
    if not report.functions:
        return "No function was selected for translation."
    lines = [
        "| target | status | parity | speedup [interval] | gate |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += (
        f"| `{f.target}` | {status_label(f.status)} | {format_parity(f.parity)} "
        f"| {format_speedup(f.speedup)} | {_gate_cell(f.gate)} |"
        for f in report.functions
    )
    return "\n".join(lines)


def _gate_cell(gate: GateResult | None) -> str:
    if gate is None:
        return MISSING
    limits = []
    if gate.min_speedup is not None:
        limits.append(f"min {format_ratio(gate.min_speedup)}")
    if gate.baseline is not None:
        limits.append(f"baseline {format_ratio(gate.baseline)}")
    verdict = "passed" if gate.passed else "**failed**"
    return f"{verdict} ({', '.join(limits)})" if limits else verdict


def _refusals(report: RunReport) -> str:
    groups: dict[str, list[str]] = {}
    for f in report.functions:
        if f.status == "refused":
            sentence, place = _split_place(f)
            groups.setdefault(sentence, []).append(f"`{f.target}` at {_md(place)}")
    if not groups:
        return ""
    lines = ["### Refused", ""]
    for sentence, members in groups.items():
        lines.append(f"- {_md(sentence)}")
        lines += (f"  - {member}" for member in members)
    return "\n".join(lines)


def _split_place(f: FunctionReport) -> tuple[str, str]:
    """The reason without its ``file:line`` prefix, and that place (else the function's)."""
    reason = f.reason or "no reason given"
    match = _PLACE.match(reason)
    if match is None:
        return reason, f"{f.file}:{f.line}"
    return match["sentence"], match["place"]


def _problems(report: RunReport) -> str:
    items = [item for f in report.functions for item in [list(_problem(f))] if item]
    if not items:
        return ""
    return "\n".join(["### Needs attention", "", *(line for item in items for line in item)])


def _problem(f: FunctionReport) -> Iterator[str]:
    """A list item for a function that failed, proved nothing, or failed its gate."""
    sentences = []
    if f.status in ("build_failed", "parity_failed"):
        sentence, place = _split_place(f)
        if place != f"{f.file}:{f.line}":
            sentence = f"{sentence} (at {place})"
        sentences.append(f"{status_label(f.status)}: {sentence}")
    nothing = proved_nothing(f.parity)
    if nothing is not None:
        sentences.append(nothing)
    gate_failed = f.gate is not None and not f.gate.passed
    if gate_failed:
        sentences.append("gate failed")
    if not sentences:
        return
    yield f"- `{f.target}` ({_md(f'{f.file}:{f.line}')}): {_md('; '.join(sentences))}"
    for detail in f.parity.details if f.parity is not None else ():
        yield f"  - mismatch: {_md(detail)}"
    if f.gate is not None and gate_failed:
        yield from (f"  - gate: {_md(reason)}" for reason in f.gate.reasons)


def _build_and_environment(report: RunReport) -> str:
    build, env = report.build, report.environment
    if build.status == "skipped":
        built = "skipped, nothing to build"
    elif build.status == "failed":
        built = f"failed after {build.seconds:.1f}s"
    elif build.status == "cached":
        built = f"cached, loaded in {build.seconds:.1f}s"
    else:
        built = f"built in {build.seconds:.1f}s"
    lines = [
        f"**Build:** {built}. **Environment:** Python {_md(env.python)}, rustc {_md(env.rustc)}, "
        f"PyO3 {_md(env.pyo3)}, {_md(env.platform)}; profiler {_md(report.profiler)}."
    ]
    lines += (f"Note: {_md(note)}" for note in report.notes)
    text = "\n\n".join(lines)
    if build.message:
        text += "\n\n" + _fenced(build.message)
    if build.status == "failed" and build.log:
        text += f"\n\nBuild log: `{build.log}`"
    return text


def _fenced(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}text\n{text.rstrip()}\n{fence}"


def _md(text: str) -> str:
    """Plain text as one line of markdown for a list item or a sentence (not a table cell).

    Code spans are kept, everything else that markdown would interpret is escaped.
    """
    text = " ".join(text.split())
    parts, start = [], 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(_SPECIAL.sub(r"\\\1", text[start : span.start()]))
        parts.append(span.group(0))
        start = span.end()
    parts.append(_SPECIAL.sub(r"\\\1", text[start:]))
    return "".join(parts)
