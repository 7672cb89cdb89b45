"""Terminal summary: a finished ``RunReport`` as the body of pytest's summary section.

Input: a ``RunReport``, the terminal width and whether ``-v`` was given. Output: the
lines to print under the section header that the plugin writes (and may colour)::

    render_terminal(report, width=100) == [
        "profiler: py-spy",
        "build: built in 12.3s (.pytest_cache/rustify/3f9a1c2e)",
        "",
        "target          file:line       time  status       parity  speedup            signat...",
        "--------------  -------------  -----  -----------  ------  -----------------  ------...",
        "geo.dist:total  geo/dist.py:4  41.2%  accelerated  120 ok  38.2x [36.0-40.1]  fn tot...",
        "",
        "1 accelerated, 0 refused, 0 parity failures, 0 gate failures",
    ]

Without ``verbose`` every line fits ``width``: long signatures and reasons are cut with
an ellipsis, never wrapped. The ``format_*`` helpers are shared with ``markdown.py`` so
both reporters word a result the same way.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence

from pytest_rustify.report.model import (
    BuildReport,
    FunctionReport,
    Parity,
    RunReport,
    Speedup,
    Status,
)

MISSING = "—"
_ELLIPSIS = "…"
_WHOLE = ("cache: ",)  # lines never cut to the width
_EN_DASH = "\N{EN DASH}"
_GAP = "  "

_HEADERS = ("target", "file:line", "time", "status", "parity", "speedup", "signature / reason")
_TARGET, _FILE, _TIME, _STATUS, _PARITY, _SPEEDUP, _LAST = range(len(_HEADERS))
# A target's function name and a path's file name sit at their ends, so those are kept.
_KEEP_TAIL = frozenset({_TARGET, _FILE})
_RIGHT_ALIGNED = frozenset({_TIME})
# When the table is too wide, try these layouts in turn: each drops some columns, then
# lets columns give up width in order, down to a floor. Signatures and reasons are cut
# first; a long target or path would rather lose the file column than be cut to nothing
# (a refusal's reason and the detail lines carry file:line); then the time goes.
_LAYOUTS: tuple[tuple[tuple[int, ...], tuple[tuple[int, int], ...]], ...] = (
    ((), ((_LAST, 16), (_FILE, 16))),
    ((_FILE,), ((_LAST, 16), (_TARGET, 20))),
    ((_FILE, _TIME), ((_LAST, 12), (_TARGET, 12))),
)
# Narrower still, each line is clipped at ``width`` with an ellipsis.

_STATUS_LABELS: dict[Status, str] = {
    "accelerated": "accelerated",
    "refused": "refused",
    "build_failed": "build failed",
    "parity_failed": "parity failed",
}


def render_terminal(report: RunReport, *, width: int = 120, verbose: bool = False) -> list[str]:
    """The lines of the terminal summary, without colour and without the section header.

    :param width: the terminal width; every line fits it unless ``verbose``.
    :param verbose: print signatures, reasons and details in full.
    """
    fit = None if verbose else width
    lines = [*_preamble(report, fit), "", *_table(report.functions, fit)]
    details = list(_details(report.functions))
    if details:
        lines += ["", *details]
    benchmarks = list(_benchmarks(report.functions))
    if benchmarks:
        lines += [
            "",
            "pytest-benchmark runs of marked tests (median, Python vs Rust):",
            *benchmarks,
        ]
    if report.gone:
        lines += ["", f"gone since the baseline: {', '.join(report.gone)}"]
    lines += ["", summary_line(report)]
    if fit is None:
        return lines
    # The cache's path is printed whole: cut, it could not be found or copied.
    return [line if line.startswith(_WHOLE) else _cut(line, fit) for line in lines]


def summary_line(report: RunReport) -> str:
    """``10 accelerated, 3 refused, 0 parity failures, 0 gate failures``."""
    s = report.summary
    return (
        f"{s.accelerated} accelerated, {s.refused} refused, "
        f"{s.parity_failures} parity failures, {s.gate_failures} gate failures"
    )


def status_label(status: Status) -> str:
    """The status as words: ``build failed`` rather than ``build_failed``."""
    return _STATUS_LABELS[status]


def format_percent(percent: float | None) -> str:
    """``41.2%``, or a dash when the share of session time is unknown."""
    return MISSING if percent is None else f"{percent:.1f}%"


def format_parity(parity: Parity | None) -> str:
    """``120 ok``, ``120, 3 mismatched``, ``120, 7 fell back`` or ``120, all fell back``."""
    if parity is None:
        return MISSING
    if parity.calls == 0:
        return "no calls"
    problems = []
    if parity.mismatches:
        problems.append(f"{parity.mismatches} mismatched")
    if parity.fallbacks >= parity.calls:
        problems.append("all fell back")
    elif parity.fallbacks:
        problems.append(f"{parity.fallbacks} fell back")
    return ", ".join([str(parity.calls), *problems]) if problems else f"{parity.calls} ok"


def format_speedup(speedup: Speedup | None) -> str:
    """``38.2x [36.0-40.1]``, with an en dash: the median ratio and its confidence interval."""
    if speedup is None:
        return MISSING
    digits = _digits(speedup.median)
    low, high = f"{speedup.ci_low:.{digits}f}", f"{speedup.ci_high:.{digits}f}"
    return f"{speedup.median:.{digits}f}x [{low}{_EN_DASH}{high}]"


def format_ratio(ratio: float) -> str:
    """``38.2x``; two decimals below 1 so that a slowdown (0.85x) stays visible."""
    return f"{ratio:.{_digits(ratio)}f}x"


def proved_nothing(parity: Parity | None) -> str | None:
    """Why a parity result says nothing about the Rust code, or None when it does."""
    if parity is None:
        return None
    if parity.calls == 0:
        return "no recorded call was replayed, so parity is unproven"
    if parity.fallbacks >= parity.calls:
        return (
            f"all {parity.calls} calls fell back to Python, so the Rust code never ran "
            "and its [rust] runs proved nothing"
        )
    return None


def _digits(ratio: float) -> int:
    return 2 if abs(ratio) < 1 else 1


def _seconds(seconds: float) -> str:
    return f"{seconds:.1f}s"


def _duration(seconds: float) -> str:
    """A time in the unit that reads best: ``812ns``, ``55.8us``, ``1.23ms``, ``2.1s``."""
    for scale, unit in ((1e-6, "ns"), (1e-3, "us"), (1.0, "ms")):
        if seconds < scale:
            value = seconds * 1e3 / scale
            return f"{value:.0f}{unit}" if value >= 100 else f"{value:.3g}{unit}"
    return f"{seconds:.1f}s"


def _preamble(report: RunReport, width: int | None) -> Iterator[str]:
    yield f"profiler: {report.profiler}"
    for note in (report.profiler_note, *report.notes):
        if note:
            yield from _block("note: ", _wrap(note, width, len("note: ")))
    yield from _build_lines(report.build)


def _build_lines(build: BuildReport) -> Iterator[str]:
    where = f" ({build.location})" if build.location else ""
    if build.status == "skipped":
        yield "build: skipped, nothing to build"
    elif build.status == "failed":
        yield f"build: failed after {_seconds(build.seconds)}{where}"
    elif build.status == "cached":
        yield f"build: cached, loaded in {_seconds(build.seconds)}{where}"
    else:
        yield f"build: built in {_seconds(build.seconds)}{where}"
    if build.message:
        yield from ("  " + line for line in build.message.splitlines())
    if build.status == "failed" and build.log:
        yield f"  log: {build.log}"
    if build.cache:
        yield f"cache: {build.cache}"


def _wrap(text: str, width: int | None, indent: int) -> str:
    """Notes are wrapped rather than cut: their TIP is what the reader needs."""
    if width is None:
        return text
    return "\n".join(
        "\n".join(
            textwrap.wrap(line, width - indent, break_long_words=False, break_on_hyphens=False)
            or [""]
        )
        for line in text.splitlines()
    )


def _block(prefix: str, text: str, indent: str = "") -> Iterator[str]:
    """``text`` after ``prefix``, its further lines indented to line up under the first."""
    first, *rest = text.splitlines() or [""]
    yield f"{indent}{prefix}{first}"
    pad = indent + " " * len(prefix)
    yield from (pad + line for line in rest)


def _row(f: FunctionReport) -> tuple[str, ...]:
    status = status_label(f.status)
    if f.status == "accelerated" and f.gate is not None and not f.gate.passed:
        status = "gate failed"
    last = f.signature if f.status == "accelerated" else (f.reason or f.signature)
    return (
        f.target,
        f"{f.file}:{f.line}",
        format_percent(f.percent),
        status,
        format_parity(f.parity),
        format_speedup(f.speedup),
        " ".join((last or MISSING).split()),
    )


def _table(functions: Sequence[FunctionReport], width: int | None) -> list[str]:
    if not functions:
        return ["no function was selected for translation"]
    rows = [_HEADERS, *(_row(f) for f in functions)]
    natural = [max(len(row[c]) for row in rows) for c in range(len(_HEADERS))]
    columns, widths = (
        (list(range(len(_HEADERS))), natural) if width is None else _fit(natural, width)
    )
    rule = _GAP.join("-" * widths[c] for c in columns)
    return [_line(rows[0], columns, widths), rule, *(_line(r, columns, widths) for r in rows[1:])]


def _fit(natural: list[int], width: int) -> tuple[list[int], list[int]]:
    """The columns to show and their widths, so that a row fits ``width`` if it can."""
    for dropped, order in _LAYOUTS:
        columns = [c for c in range(len(natural)) if c not in dropped]
        widths = _shrink(natural, columns, width, order)
        if _total(columns, widths) <= width:
            break
    return columns, widths


def _shrink(
    widths: list[int], columns: list[int], width: int, order: tuple[tuple[int, int], ...]
) -> list[int]:
    widths = list(widths)
    for column, floor in order:
        excess = _total(columns, widths) - width
        if excess > 0:
            widths[column] = max(min(widths[column], floor), widths[column] - excess)
    return widths


def _total(columns: list[int], widths: list[int]) -> int:
    return sum(widths[c] for c in columns) + len(_GAP) * (len(columns) - 1)


def _line(cells: Sequence[str], columns: list[int], widths: list[int]) -> str:
    parts = []
    for c in columns:
        cell = _cut(cells[c], widths[c], keep_tail=c in _KEEP_TAIL)
        parts.append(cell.rjust(widths[c]) if c in _RIGHT_ALIGNED else cell.ljust(widths[c]))
    return _GAP.join(parts).rstrip()


def _cut(text: str, width: int, *, keep_tail: bool = False) -> str:
    """``text`` cut to ``width`` characters, an ellipsis marking where it was cut."""
    if len(text) <= width:
        return text
    if width <= 1:
        return _ELLIPSIS[:width]
    if keep_tail:
        return _ELLIPSIS + text[len(text) - width + 1 :]
    return text[: width - 1] + _ELLIPSIS


def _details(functions: Sequence[FunctionReport]) -> Iterator[str]:
    """Per function that has any: mismatches, calls that proved nothing, gate reasons."""
    for f in functions:
        notes = list(_notes(f))
        if notes:
            yield f"{f.target} ({f.file}:{f.line})"
            yield from notes


def _benchmarks(functions: Sequence[FunctionReport]) -> Iterator[str]:
    """Each marked test's benchmark-fixture medians and their ratio, beside the replay."""
    seen: set[str] = set()
    for f in functions:
        for pair in f.benchmarks:
            if pair.test in seen:
                continue
            seen.add(pair.test)
            replay = (
                "" if f.speedup is None else f" (replay of {f.target}: {format_speedup(f.speedup)})"
            )
            yield (
                f"  {pair.test}: {_duration(pair.python_s)} vs {_duration(pair.rust_s)}, "
                f"{format_ratio(pair.ratio)}{replay}"
            )


def _notes(f: FunctionReport) -> Iterator[str]:
    nothing = proved_nothing(f.parity)
    if nothing is not None:
        yield from _block("parity: ", nothing, indent="  ")
    for detail in f.parity.details if f.parity is not None else ():
        yield from _block("mismatch: ", detail, indent="  ")
    if f.gate is not None and not f.gate.passed:
        for reason in f.gate.reasons or ("failed",):
            yield from _block("gate: ", reason, indent="  ")
