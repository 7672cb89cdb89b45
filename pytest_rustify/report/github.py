"""GitHub Actions: a finished ``RunReport`` as annotations, and the markdown in the step summary.

Input: a ``RunReport`` (and its markdown, rendered by ``markdown.py``). Output: workflow
command lines that the runner turns into annotations at each function's file and line,
and the markdown appended to the file named by ``$GITHUB_STEP_SUMMARY``::

    annotations(report) == [
        "::error file=stats/norm.py,line=5,title=pytest-rustify%3A parity failed::"
        "stats.norm:zscore: 3 of 120 recorded calls differ between Python and Rust%0A...",
        "::notice file=geo/dist.py,line=4,title=pytest-rustify%3A accelerated::"
        "geo.dist:total: 38.2x [36.0-40.1] faster in Rust, 120 recorded calls agree",
    ]
    emit_github(report, environ=os.environ, write=tr.write_line, markdown=text)

GitHub shows at most 10 annotations of each severity per step and 50 per job, so the
most important come first (errors, then warnings, then notices) and a last annotation
counts what was left out; the step summary, which has everything, has a 1 MiB limit
per step. This works on pull requests from forks, where a bot cannot comment.
"""

# No ``from __future__ import annotations``: it would bind the name of this module's entry
# function, ``annotations``. Python >= 3.10 evaluates every annotation below as written.

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pytest_rustify.report.model import BuildReport, FunctionReport, RunReport
from pytest_rustify.report.terminal import format_ratio, format_speedup, proved_nothing

Severity = Literal["error", "warning", "notice"]

#: Annotations of one severity GitHub shows per step.
PER_SEVERITY = 10
#: Annotations GitHub shows per job, all steps together.
PER_JOB = 50
#: Bytes ``$GITHUB_STEP_SUMMARY`` may hold at the end of a step (1 MiB).
STEP_SUMMARY_LIMIT = 1024 * 1024

_SEVERITIES: tuple[Severity, ...] = ("error", "warning", "notice")
_TITLE = "pytest-rustify"
# Refusal and failure reasons start with the construct's place, ``file:line: ``.
_PLACE = re.compile(r"^(?P<file>[^\n:]+):(?P<line>\d+): (?P<sentence>.*)$", re.DOTALL)
# build.py words a missing tool as "cargo, maturin not found (or not working)".
_TOOLCHAIN_MISSING = re.compile(
    r"\b(?:cargo|rustc|maturin|toolchain)\b[^\n]*\b(?:not found|missing)\b", re.IGNORECASE
)
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")


@dataclass(frozen=True)
class _Annotation:
    severity: Severity
    title: str
    message: str
    file: str | None = None
    line: int | None = None

    def command(self) -> str:
        props = []
        if self.file:
            props.append(f"file={_escape_property(self.file)}")
            if self.line is not None and self.line > 0:
                props.append(f"line={self.line}")
        props.append(f"title={_escape_property(self.title)}")
        return f"::{self.severity} {','.join(props)}::{_escape_data(self.message)}"


def annotations(
    report: RunReport, *, per_severity: int = PER_SEVERITY, per_job: int = PER_JOB
) -> list[str]:
    """Workflow command lines, most important first, within GitHub's limits.

    Errors: parity failures, gate failures (larger regressions first), build failures.
    Warnings: a missing toolchain, calls that all fell back, refusals. Notices: what
    the baseline lost, and each accelerated target's speedup. When some do not fit, the
    last line counts them by severity and points at the step summary.

    :param per_severity: annotations of one severity shown per step (GitHub: 10).
    :param per_job: annotations shown per job (GitHub: 50).
    """
    found: dict[Severity, list[_Annotation]] = {
        "error": [*_parity_errors(report), *_gate_errors(report), *_build_errors(report)],
        "warning": [*_toolchain_warnings(report), *_proved_nothing(report), *_refusals(report)],
        "notice": [*_gone(report), *_accelerated(report)],
    }
    kept: dict[Severity, list[_Annotation]] = {s: found[s][:per_severity] for s in _SEVERITIES}
    while _total(kept) > per_job:
        _drop_last(kept)
    if _total(kept) < _total(found):
        # The count is an annotation too, so it needs room in its own severity; left-out
        # errors or warnings deserve more than a notice.
        lost_problems = any(len(found[s]) > len(kept[s]) for s in ("error", "warning"))
        kind: Severity = "warning" if lost_problems else "notice"
        while _total(kept) and (len(kept[kind]) >= per_severity or _total(kept) >= per_job):
            _drop_last(kept, prefer=kind)
        left_out = {s: len(found[s]) - len(kept[s]) for s in _SEVERITIES}
        return [
            *(a.command() for s in _SEVERITIES for a in kept[s]),
            _left_out(kind, left_out, per_severity).command(),
        ]
    return [a.command() for s in _SEVERITIES for a in kept[s]]


def append_step_summary(
    markdown: str, path: Path, *, full_report: str | None = None, limit: int = STEP_SUMMARY_LIMIT
) -> None:
    """Append ``markdown`` to the step summary file, keeping the file within ``limit`` bytes.

    What is already in the file (an earlier report of the same step) is kept; when the
    markdown does not fit, it is cut at a line boundary (never inside a fenced block) and
    a last line says so and where the full report is.

    :param full_report: where the whole report can be read, such as the
        ``--rustify-markdown`` file; the job log otherwise.
    :param limit: bytes the file may hold (GitHub: 1 MiB per step).
    """
    existing = path.stat().st_size if path.exists() else 0
    separator = ""
    if existing:
        with path.open("rb") as fh:
            fh.seek(-1, 2)
            separator = "\n" if fh.read(1) == b"\n" else "\n\n"
    room = limit - existing - len(separator.encode("utf-8"))
    text = _fit(markdown if markdown.endswith("\n") else markdown + "\n", room, full_report)
    if not text:
        return
    with path.open("a", encoding="utf-8", newline="\n") as fh:
        fh.write(separator + text)


def emit_github(
    report: RunReport,
    *,
    environ: Mapping[str, str],
    write: Callable[[str], None],
    markdown: str,
    full_report: str | None = None,
) -> None:
    """On GitHub Actions, write the annotations and append ``markdown`` to the step summary.

    Outside GitHub Actions (``GITHUB_ACTIONS`` is not ``"true"``) nothing happens. A step
    summary that cannot be written becomes one more warning.

    :param write: called once per workflow command line, without the newline (as
        pytest's ``TerminalReporter.write_line``); the runner reads them from stdout.
    :param full_report: where the whole report is, for the step summary's cut note.
    """
    if environ.get("GITHUB_ACTIONS") != "true":
        return
    for line in annotations(report):
        write(line)
    summary = environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            append_step_summary(markdown, Path(summary), full_report=full_report)
        except OSError as exc:
            # A report that cannot be written is trouble to mention, not a reason to
            # lose the session's verdict.
            write(
                _Annotation(
                    "warning",
                    f"{_TITLE}: no step summary",
                    f"could not append the report to $GITHUB_STEP_SUMMARY ({summary}): {exc}",
                ).command()
            )


# --- what each function contributes ---------------------------------------------------


def _parity_errors(report: RunReport) -> Iterator[_Annotation]:
    for f in report.functions:
        if f.status != "parity_failed":
            continue
        file, line, sentence = _place(f, "Rust and Python disagree on recorded calls")
        message = _about(f, sentence)
        details = f.parity.details if f.parity is not None else ()
        if details and details[0] not in sentence:
            message += f"\nFirst mismatch: {details[0]}"
        yield _Annotation("error", f"{_TITLE}: parity failed", message, file, line)


def _gate_errors(report: RunReport) -> Iterator[_Annotation]:
    failed = [
        f
        for f in report.functions
        if f.status == "accelerated" and f.gate is not None and not f.gate.passed
    ]
    # Larger regressions first; a shortfall without a baseline sorts as no change.
    failed.sort(key=lambda f: (f.baseline.change if f.baseline else None) or 0.0)
    for f in failed:
        assert f.gate is not None
        regressed = f.baseline is not None and f.baseline.regressed
        headline = f"{f.target}: speedup {format_speedup(f.speedup)}"
        if f.gate.min_speedup is not None:
            headline += f", required {format_ratio(f.gate.min_speedup)}"
        change = _change(f)
        if change:
            headline += f"; {change}"
        reasons = f.gate.reasons or ("the gate failed",)
        title = "speedup regressed" if regressed else "speedup below the threshold"
        yield _Annotation(
            "error", f"{_TITLE}: {title}", "\n".join([headline, *reasons]), f.file, f.line
        )


def _build_errors(report: RunReport) -> Iterator[_Annotation]:
    """One error for a crate that failed to build, else one per function that did not."""
    build = report.build
    if _toolchain_missing(build):
        return  # one warning says it; the functions are not at fault
    failed = [f for f in report.functions if f.status == "build_failed"]
    log = f"\nBuild log: {build.log}" if build.log else ""
    if build.status == "failed":
        # Every translated function shares the crate's failure: annotating each would
        # repeat one compiler error at places that are not its cause.
        message = (build.message or "the Rust build failed").rstrip()
        if failed:
            message += f"\nNot built: {', '.join(f.target for f in failed)}"
        yield _Annotation("error", f"{_TITLE}: build failed", message + log)
        return
    for f in failed:
        file, line, sentence = _place(f, "the Rust build failed")
        yield _Annotation("error", f"{_TITLE}: build failed", _about(f, sentence) + log, file, line)


def _toolchain_warnings(report: RunReport) -> Iterator[_Annotation]:
    if _toolchain_missing(report.build):
        assert report.build.message is not None
        yield _Annotation(
            "warning",
            f"{_TITLE}: Rust toolchain missing",
            f"{report.build.message.rstrip()}\nNothing was built, so the [rust] tests did not "
            "run against Rust (they fail under --rustify-require).",
        )


def _proved_nothing(report: RunReport) -> Iterator[_Annotation]:
    for f in report.functions:
        nothing = proved_nothing(f.parity)
        if nothing is not None and f.status == "accelerated":
            yield _Annotation(
                "warning", f"{_TITLE}: proved nothing", f"{f.target}: {nothing}", f.file, f.line
            )


def _refusals(report: RunReport) -> Iterator[_Annotation]:
    for f in report.functions:
        if f.status == "refused":
            file, line, sentence = _place(f, "no reason given")
            yield _Annotation(
                "warning",
                f"{_TITLE}: not translated",
                f"{f.target} stays in Python: {sentence}",
                file,
                line,
            )


def _gone(report: RunReport) -> Iterator[_Annotation]:
    if report.gone:
        where = f" ({report.baseline_path})" if report.baseline_path else ""
        yield _Annotation(
            "notice",
            f"{_TITLE}: gone since the baseline",
            f"In the baseline{where} but not in this run: {', '.join(report.gone)}",
        )


def _accelerated(report: RunReport) -> Iterator[_Annotation]:
    for f in report.functions:
        if (
            f.status != "accelerated"
            or f.speedup is None
            or (f.gate is not None and not f.gate.passed)
            or proved_nothing(f.parity) is not None
        ):
            continue
        message = f"{f.target}: {format_speedup(f.speedup)} faster in Rust"
        if f.parity is not None:
            message += f", {f.parity.calls} recorded calls agree"
        change = _change(f)
        if change:
            message += f"; {change}"
        yield _Annotation("notice", f"{_TITLE}: accelerated", message, f.file, f.line)


def _about(f: FunctionReport, sentence: str) -> str:
    """The sentence, naming the target unless it already does."""
    return sentence if f.target in sentence else f"{f.target}: {sentence}"


def _change(f: FunctionReport) -> str:
    """``-64% against the baseline 30.1x``, ``new since the baseline``, or nothing."""
    b = f.baseline
    if b is None:
        return ""
    if b.status == "new":
        return "new since the baseline"
    if b.change is None or b.baseline is None:
        return ""
    return f"{b.change:+.0%} against the baseline {format_ratio(b.baseline.median)}"


def _place(f: FunctionReport, default: str) -> tuple[str, int, str]:
    """Where to annotate, and the reason without its ``file:line`` prefix.

    A reason's own place (the line of a refused construct) is more precise than the
    function's, when it is in the same file.
    """
    reason = f.reason or default
    match = _PLACE.match(reason)
    if match is None:
        return f.file, f.line, reason
    if match["file"] == f.file:
        return f.file, int(match["line"]), match["sentence"]
    return f.file, f.line, reason


def _toolchain_missing(build: BuildReport) -> bool:
    return (
        build.status in ("failed", "skipped")
        and build.message is not None
        and _TOOLCHAIN_MISSING.search(build.message) is not None
    )


# --- limits --------------------------------------------------------------------------


def _total(groups: Mapping[Severity, list[_Annotation]]) -> int:
    return sum(len(group) for group in groups.values())


def _drop_last(kept: dict[Severity, list[_Annotation]], prefer: Severity | None = None) -> None:
    """Drop the least important annotation kept (of ``prefer``'s severity when given)."""
    if prefer is not None and kept[prefer]:
        kept[prefer].pop()
        return
    for severity in reversed(_SEVERITIES):
        if kept[severity]:
            kept[severity].pop()
            return


def _left_out(kind: Severity, counts: Mapping[Severity, int], per_severity: int) -> _Annotation:
    parts = [f"{n} {severity}{'s' if n != 1 else ''}" for severity, n in counts.items() if n]
    return _Annotation(
        kind,
        f"{_TITLE}: more in the step summary",
        f"{', '.join(parts)} left out: GitHub shows {per_severity} annotations of each "
        "kind per step. The step summary and the markdown report list them all.",
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


# --- the step summary ----------------------------------------------------------------


def _fit(markdown: str, room: int, full_report: str | None) -> str:
    """``markdown`` if it fits ``room`` bytes, else its first lines and a note of the cut."""
    if len(markdown.encode("utf-8")) <= room:
        return markdown
    where = f"in `{full_report}`" if full_report else "in the job log (pytest's rustify summary)"
    note = (
        f"\n*The report was cut here to stay under GitHub's 1 MiB step summary limit; "
        f"the full report is {where}.*\n"
    )
    budget = room - len(note.encode("utf-8"))
    if budget < 0:
        return ""
    kept: list[str] = []
    used = 0
    fence: tuple[str, int] | None = None  # the open fence's marker and first line
    for line in markdown.splitlines(keepends=True):
        size = len(line.encode("utf-8"))
        if used + size > budget:
            break
        kept.append(line)
        used += size
        fence = _track_fence(line, fence, len(kept) - 1)
    if fence is not None:
        # Half a code block (or a Mermaid chart) would swallow the note or fail to render.
        kept = kept[: fence[1]]
    text = "".join(kept).rstrip("\n")
    return f"{text}\n{note}" if text else note.lstrip("\n")


def _track_fence(line: str, fence: tuple[str, int] | None, index: int) -> tuple[str, int] | None:
    match = _FENCE.match(line)
    if match is None:
        return fence
    marker = match["fence"]
    if fence is None:
        return marker, index
    closing = (
        marker[0] == fence[0][0]
        and len(marker) >= len(fence[0])
        and not line.strip()[len(marker) :].strip()
    )
    return None if closing else fence
