"""Markdown report: a finished ``RunReport`` as GitHub-flavoured markdown for a reviewer.

Input: a ``RunReport``. Output: the text of ``--rustify-markdown`` and of the GitHub step
summary::

    render_markdown(report) == '''## pytest-rustify

    1 accelerated, 0 refused, 0 parity failures, 0 gate failures

    | target | status | parity | speedup [interval] | gate |
    | --- | --- | --- | --- | --- |
    | `geo.dist:total` | accelerated | 120 ok | 38.2x [36.0-40.1] | passed (min 5.0x) |

    ```mermaid
    xychart-beta
        ...
    ```

    **Build:** built in 12.3s. **Environment:** Python 3.11.7, rustc 1.95.0, ...
    '''

The text is made of blocks (heading, table, chart, refusals, problems, baseline changes,
scaling, pytest-benchmark pairs, build line), each a function of the report, so a new
section is one more block in ``render_markdown``. The table gains a "vs baseline" column
when the run was compared with a baseline. The chart is a Mermaid ``xychart-beta``,
which GitHub renders in step summaries and pull requests.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from pytest_rustify.report.model import (
    BaselineChange,
    FunctionReport,
    GateResult,
    RunReport,
    ScalePoint,
)
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
# What a Mermaid label may hold: quotes, brackets, semicolons and the like would end it.
_MERMAID_UNSAFE = re.compile(r"[^\w.:+\- ]")
_MINUS = "\N{MINUS SIGN}"
_ARROW = "\N{RIGHTWARDS ARROW}"


def render_markdown(report: RunReport) -> str:
    """The markdown report: summary, table, chart, refusals by reason, problems, what
    changed since the baseline, scaling, pytest-benchmark pairs, build line."""
    blocks = [
        _heading(report),
        _table(report),
        _chart(report),
        _refusals(report),
        _problems(report),
        _new_and_gone(report),
        _scaling(report),
        _benchmarks(report),
        _build_and_environment(report),
    ]
    return "\n\n".join(block for block in blocks if block) + "\n"


def _heading(report: RunReport) -> str:
    return f"## pytest-rustify\n\n{summary_line(report)}"


def _table(report: RunReport) -> str:
    if not report.functions:
        return "No function was selected for translation."
    compared = any(f.baseline is not None for f in report.functions)
    header = ["target", "status", "parity", "speedup [interval]"]
    header += ["vs baseline"] if compared else []
    header += ["gate"]
    lines = [_row(header), _row(["---"] * len(header))]
    for f in report.functions:
        cells = [_code(f.target, table=True), status_label(f.status), format_parity(f.parity)]
        cells.append(format_speedup(f.speedup))
        if compared:
            cells.append(_baseline_cell(f.baseline, f))
        cells.append(_gate_cell(f.gate, f))
        lines.append(_row(cells))
    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|"


def _baseline_cell(change: BaselineChange | None, f: FunctionReport) -> str:
    """``-64% (30.1x -> 10.8x)`` for a regression, ``+3%``, ``new``, or a dash."""
    if change is None:
        return MISSING
    if change.status == "new":
        return "new"
    if change.change is None:
        return MISSING if change.baseline is None else f"was {format_ratio(change.baseline.median)}"
    percent = _percent(change.change)
    if change.regressed and change.baseline is not None and f.speedup is not None:
        before, after = format_ratio(change.baseline.median), format_ratio(f.speedup.median)
        return f"**{percent}** ({before} {_ARROW} {after})"
    return percent


def _percent(change: float) -> str:
    """``+3%``, ``-64%`` (with U+2212, the minus sign, not a hyphen), or plus-minus 0%."""
    rounded = round(change * 100)
    if rounded == 0:
        return "\N{PLUS-MINUS SIGN}0%"
    return f"+{rounded}%" if rounded > 0 else f"{_MINUS}{-rounded}%"


def _gate_cell(gate: GateResult | None, f: FunctionReport) -> str:
    if gate is None:
        return MISSING
    if not gate.passed:
        return f"**failed**: {_cell('; '.join(_why_failed(gate, f)))}"
    limits = []
    if gate.min_speedup is not None:
        limits.append(f"min {format_ratio(gate.min_speedup)}")
    if gate.baseline is not None:
        limits.append(f"baseline {format_ratio(gate.baseline)}")
    return f"passed ({', '.join(limits)})" if limits else "passed"


def _why_failed(gate: GateResult, f: FunctionReport) -> list[str]:
    """Why a gate failed, in a few words; the full sentences are under "Needs attention"."""
    why = []
    if f.status == "parity_failed":
        why.append("parity")
    # The gate's rule: short of the minimum when even the top of the interval is under it.
    if gate.min_speedup is not None and (f.speedup is None or f.speedup.ci_high < gate.min_speedup):
        why.append(f"below min {format_ratio(gate.min_speedup)}")
    b = f.baseline
    if b is not None and b.regressed and b.baseline is not None:
        fell = f" {_percent(b.change)}" if b.change is not None else ""
        why.append(f"regressed{fell} from {format_ratio(b.baseline.median)}")
    return why or list(gate.reasons) or ["see below"]


def _chart(report: RunReport) -> str:
    """A Mermaid bar chart of the median speedup per accelerated target, with a 1x line."""
    # Mermaid reads plain decimals only: no exponent, nan or inf.
    measured = sorted(
        (
            f
            for f in report.functions
            if f.status == "accelerated"
            and f.speedup is not None
            and math.isfinite(f.speedup.median)
        ),
        key=lambda f: -f.speedup.median if f.speedup is not None else 0.0,
    )
    if not measured:
        return ""
    labels = _short_names([f.target for f in measured])
    values = [f.speedup.median for f in measured if f.speedup is not None]
    top = max(1, math.ceil(max(values) * 1.1))
    quoted = ", ".join(f'"{label}"' for label in labels)
    lines = [
        "```mermaid",
        "xychart-beta",
        '    title "Median speedup per target (Rust vs Python)"',
        f"    x-axis [{quoted}]",
        f'    y-axis "speedup (x)" 0 --> {top}',
        f"    bar [{', '.join(_number(v) for v in values)}]",
        f"    line [{', '.join('1' for _ in values)}]",
        "```",
    ]
    return "\n".join(
        [
            "### Speedup per target",
            "",
            *lines,
            "",
            "Bars are median speedups; the line marks 1x, where Rust is as fast as Python.",
        ]
    )


def _short_names(targets: list[str]) -> list[str]:
    """Function names for the x-axis; the module too where two share a name."""
    names = [target.rpartition(":")[2] or target for target in targets]
    clashes = {name for name in names if names.count(name) > 1}
    labels = [
        target if name in clashes else name for name, target in zip(names, targets, strict=True)
    ]
    return [_MERMAID_UNSAFE.sub("_", label) or "_" for label in labels]


def _number(value: float) -> str:
    return f"{value:.{2 if abs(value) < 1 else 1}f}"


def _refusals(report: RunReport) -> str:
    groups: dict[str, list[str]] = {}
    for f in report.functions:
        if f.status == "refused":
            sentence, place = _split_place(f)
            groups.setdefault(sentence, []).append(f"{_code(f.target)} at {_md(place)}")
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
    yield f"- {_code(f.target)} ({_md(f'{f.file}:{f.line}')}): {_md('; '.join(sentences))}"
    for detail in f.parity.details if f.parity is not None else ():
        yield f"  - mismatch: {_md(detail)}"
    if f.gate is not None and gate_failed:
        yield from (f"  - gate: {_md(reason)}" for reason in f.gate.reasons)


def _new_and_gone(report: RunReport) -> str:
    new = [f for f in report.functions if f.baseline is not None and f.baseline.status == "new"]
    blocks = []
    if new:
        lines = ["### New since the baseline", ""]
        lines += (f"- {_code(f.target)}: {_md(_measured(f))}" for f in new)
        blocks.append("\n".join(lines))
    if report.gone:
        where = f" ({_code(report.baseline_path)})" if report.baseline_path else ""
        lines = [
            "### Gone since the baseline",
            "",
            f"In the baseline{where} but not in this run (renamed, removed, or no longer "
            "selected); reported, not failed:",
            "",
        ]
        lines += (f"- {_code(target)}" for target in report.gone)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _measured(f: FunctionReport) -> str:
    if f.speedup is not None:
        return format_speedup(f.speedup)
    return status_label(f.status)


def _scaling(report: RunReport) -> str:
    scaled = [f for f in report.functions if f.scaling]
    if not scaled:
        return ""
    blocks = [
        "### Scaling\n\n"
        "Speedup at a few input sizes (the length of the sequence arguments), derived from "
        "the recorded calls. Below 1x, call overhead outweighs what Rust gains in the loop."
    ]
    for f in scaled:
        lines = [
            f"#### {_code(f.target)}",
            "",
            "| size | speedup [interval] | note |",
            "| ---: | --- | --- |",
        ]
        lines += (
            _row([str(p.size), format_speedup(p.speedup), "**below 1x**" if _slower(p) else ""])
            for p in f.scaling
        )
        crossover = _crossover(f.scaling)
        if crossover:
            lines += ["", crossover]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _slower(point: ScalePoint) -> bool:
    return point.speedup.median < 1


def _crossover(points: tuple[ScalePoint, ...]) -> str:
    """Where Rust starts to pay off, when some sizes are slower than Python."""
    slower = [p.size for p in points if _slower(p)]
    if not slower:
        return ""
    faster = [p.size for p in points if p.size > max(slower) and not _slower(p)]
    if not faster:
        return "Slower than Python at every measured size."
    return (
        f"Slower than Python up to size {max(slower)}, faster from size {min(faster)}: "
        "the crossover lies between."
    )


def _benchmarks(report: RunReport) -> str:
    pairs = [(f, pair) for f in report.functions for pair in f.benchmarks]
    if not pairs:
        return ""
    lines = [
        "### pytest-benchmark",
        "",
        "Marked tests that use the `benchmark` fixture, run in Python and in Rust, beside "
        "the replay of the recorded calls.",
        "",
        _row(["test", "target", "Python median", "Rust median", "ratio", "replay speedup"]),
        _row(["---", "---", "---:", "---:", "---:", "---"]),
    ]
    lines += (
        _row(
            [
                _code(pair.test, table=True),
                _code(f.target, table=True),
                _duration(pair.python_s),
                _duration(pair.rust_s),
                MISSING if math.isinf(pair.ratio) else format_ratio(pair.ratio),
                format_speedup(f.speedup),
            ]
        )
        for f, pair in pairs
    )
    return "\n".join(lines)


def _duration(seconds: float) -> str:
    """``12.3 ms``: three significant digits in the unit that suits."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("\N{MICRO SIGN}s", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


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
    if build.cache:
        lines[0] += f" **Cache:** {_code(build.cache)}."
    notes = (report.profiler_note, *report.notes)
    lines += (f"Note: {_md(note)}" for note in notes if note)
    text = "\n\n".join(lines)
    if build.message:
        text += "\n\n" + _fenced(build.message)
    if build.status == "failed" and build.log:
        text += f"\n\nBuild log: {_code(build.log)}"
    return text


def _fenced(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}text\n{text.rstrip()}\n{fence}"


def _md(text: str, *, table: bool = False) -> str:
    r"""Plain text as one line of markdown for a list item or a sentence.

    Code spans are kept, everything else that markdown would interpret is escaped. In a
    table cell (``table``) a pipe ends the cell even inside a code span, so there it is
    escaped too: GitHub unescapes ``\|`` in a cell before it reads the code span.
    """
    text = " ".join(text.split())
    parts, start = [], 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(_SPECIAL.sub(r"\\\1", text[start : span.start()]))
        parts.append(span.group(0).replace("|", r"\|") if table else span.group(0))
        start = span.end()
    parts.append(_SPECIAL.sub(r"\\\1", text[start:]))
    return "".join(parts)


def _cell(text: str) -> str:
    """Plain text as the content of a table cell."""
    return _md(text, table=True)


def _code(text: str, *, table: bool = False) -> str:
    """``text`` as a code span, however many backticks it holds (and, in a table cell,
    with its pipes escaped)."""
    text = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    if table:
        text = text.replace("|", r"\|")
    return f"{fence}{pad}{text}{pad}{fence}"
