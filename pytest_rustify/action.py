"""The entry point of the GitHub Action (``action.yml``): inputs in, pytest's exit code out.

Input: the action's inputs, which ``action.yml`` hands over as ``RUSTIFY_ACTION_*``
environment variables (never as ``${{ }}`` inside a script). Output: a run of
``python -m pytest --rustify ...`` in the working directory, whose exit code this
returns, and the step outputs (absolute report paths, ``exit-code``) appended to the
file named by ``GITHUB_OUTPUT``::

    RUSTIFY_ACTION_PYTEST_ARGS="tests -x" RUSTIFY_ACTION_MIN_SPEEDUP=5 \\
        python -m pytest_rustify.action
    # runs: python -m pytest --rustify --rustify-min-speedup 5.0 --rustify-mode fail
    #       --rustify-require --rustify-json /ws/rustify-report.json ... tests -x
    # GITHUB_OUTPUT gets: json-report=/ws/rustify-report.json ... exit-code=0

A bad input (a number that is not one, an unknown mode, unbalanced quotes in
``pytest-args``) is an ``::error::`` line and exit code 2, pytest's own code for a
usage error, before anything runs.

The action does not set up Python or Rust; the workflow does, before it::

    jobs:
      rustify:
        runs-on: ubuntu-latest
        permissions:
          contents: read
        steps:
          - uses: actions/checkout@v4
            with:
              persist-credentials: false
          - uses: actions/setup-python@v5
            with:
              python-version: "3.12"
          - run: rustup toolchain install stable --profile minimal && rustup default stable
          - run: python -m pip install -e .   # the project under test and its dependencies
          - id: rustify
            uses: pytest-rustify/pytest-rustify@v1
            with:
              pytest-args: tests
              min-speedup: "5"
              baseline: .rustify-baseline.json
              max-regression: "0.2"
          - if: ${{ !cancelled() }}
            uses: actions/upload-artifact@v4
            with:
              name: rustify-reports
              path: |
                ${{ steps.rustify.outputs.json-report }}
                ${{ steps.rustify.outputs.markdown-report }}
                ${{ steps.rustify.outputs.junit-report }}

With ``GITHUB_ACTIONS=true`` the plugin itself writes the annotations and appends the
markdown report to the step summary; this module only runs it and passes its results on.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .options import MODES

# input name (as in action.yml) -> the environment variable action.yml sets from it
ENV_NAMES: dict[str, str] = {
    "pytest-args": "RUSTIFY_ACTION_PYTEST_ARGS",
    "working-directory": "RUSTIFY_ACTION_WORKING_DIRECTORY",
    "min-speedup": "RUSTIFY_ACTION_MIN_SPEEDUP",
    "baseline": "RUSTIFY_ACTION_BASELINE",
    "save-baseline": "RUSTIFY_ACTION_SAVE_BASELINE",
    "max-regression": "RUSTIFY_ACTION_MAX_REGRESSION",
    "mode": "RUSTIFY_ACTION_MODE",
    "require-toolchain": "RUSTIFY_ACTION_REQUIRE_TOOLCHAIN",
    "json-report": "RUSTIFY_ACTION_JSON_REPORT",
    "markdown-report": "RUSTIFY_ACTION_MARKDOWN_REPORT",
    "junit-report": "RUSTIFY_ACTION_JUNIT_REPORT",
    "benchmark-json": "RUSTIFY_ACTION_BENCHMARK_JSON",
}

# The defaults of action.yml, so the module behaves the same when run by hand.
DEFAULTS: dict[str, str] = {
    "working-directory": ".",
    "mode": "fail",
    "require-toolchain": "true",
    "json-report": "rustify-report.json",
    "markdown-report": "rustify-report.md",
    "junit-report": "rustify-junit.xml",
}

# report output name -> the plugin option that writes it
REPORT_OPTIONS: dict[str, str] = {
    "json-report": "--rustify-json",
    "markdown-report": "--rustify-markdown",
    "junit-report": "--rustify-junit",
    "benchmark-json": "--rustify-benchmark-json",
}

_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0", "")

USAGE_ERROR = 2


class ActionInputError(ValueError):
    """An input of the action that cannot be accepted; the message names it."""


@dataclass(frozen=True)
class ActionInputs:
    """The action's inputs, checked; report paths are absolute, None means off."""

    working_directory: Path
    pytest_args: tuple[str, ...] = ()
    min_speedup: float | None = None
    baseline: str | None = None
    save_baseline: str | None = None
    max_regression: float | None = None
    mode: str = "fail"
    require_toolchain: bool = True
    reports: tuple[tuple[str, Path], ...] = ()


def main(environ: Mapping[str, str] | None = None) -> int:
    """Run pytest with ``--rustify`` as the action's inputs say; return its exit code.

    :param environ: the environment to read the inputs from and to run pytest in
        (default: ``os.environ``).
    """
    env = dict(os.environ if environ is None else environ)
    outputs_file = env.get("GITHUB_OUTPUT") or None
    try:
        inputs = read_inputs(env, cwd=Path.cwd())
    except ActionInputError as exc:
        print(f"::error title=pytest-rustify::{_escape(str(exc))}", flush=True)
        if outputs_file:
            write_outputs(Path(outputs_file), {"exit-code": str(USAGE_ERROR)})
        return USAGE_ERROR
    command = build_command(inputs)
    print(f"pytest-rustify action: {shlex.join(command)}", flush=True)
    # Inherited stdout/stderr: pytest's output streams into the log as it runs.
    code = subprocess.call(command, cwd=inputs.working_directory, env=env)
    outputs = {name: str(path) if path.is_file() else "" for name, path in inputs.reports}
    outputs["exit-code"] = str(code)
    if outputs_file:
        write_outputs(Path(outputs_file), outputs)
    return code


def read_inputs(environ: Mapping[str, str], *, cwd: Path) -> ActionInputs:
    """Check the ``RUSTIFY_ACTION_*`` variables of ``environ``.

    :param cwd: what a relative ``working-directory`` is relative to.
    :raises ActionInputError: naming the input, the value and what is accepted.
    """

    def get(name: str) -> str:
        return environ.get(ENV_NAMES[name], DEFAULTS.get(name, "")).strip()

    workdir = Path(os.path.abspath(cwd / (get("working-directory") or ".")))
    if not workdir.is_dir():
        raise ActionInputError(f"working-directory: {str(workdir)!r} is not a directory")
    try:
        pytest_args = tuple(shlex.split(get("pytest-args")))
    except ValueError as exc:
        raise ActionInputError(f"pytest-args: cannot split {get('pytest-args')!r}: {exc}") from None
    mode = get("mode") or "fail"
    if mode not in MODES:
        raise ActionInputError(f"mode: expected one of {', '.join(MODES)}, got {mode!r}")
    require = get("require-toolchain").lower()
    if require not in _TRUE + _FALSE:
        raise ActionInputError(f"require-toolchain: expected true or false, got {require!r}")
    reports = tuple(
        (name, Path(os.path.abspath(workdir / value)))
        for name in REPORT_OPTIONS
        if (value := get(name))
    )
    return ActionInputs(
        working_directory=workdir,
        pytest_args=pytest_args,
        min_speedup=_number(get("min-speedup"), "min-speedup", low=0.0, low_open=True),
        baseline=get("baseline") or None,
        save_baseline=get("save-baseline") or None,
        max_regression=_number(get("max-regression"), "max-regression", low=0.0, high=1.0),
        mode=mode,
        require_toolchain=require in _TRUE,
        reports=reports,
    )


def build_command(inputs: ActionInputs, *, python: str = sys.executable) -> list[str]:
    """The pytest command line for ``inputs``: the plugin's options, then ``pytest-args``.

    Inputs left empty add nothing, so the plugin's defaults and ``[tool.rustify]`` apply.
    """
    command = [python, "-m", "pytest", "--rustify"]
    if inputs.min_speedup is not None:
        command += ["--rustify-min-speedup", repr(inputs.min_speedup)]
    if inputs.baseline is not None:
        command += ["--rustify-baseline", inputs.baseline]
    if inputs.save_baseline is not None:
        command += ["--rustify-save-baseline", inputs.save_baseline]
    if inputs.max_regression is not None:
        command += ["--rustify-max-regression", repr(inputs.max_regression)]
    command += ["--rustify-mode", inputs.mode]
    if inputs.require_toolchain:
        command.append("--rustify-require")
    for name, path in inputs.reports:
        command += [REPORT_OPTIONS[name], str(path)]
    command += inputs.pytest_args
    return command


def write_outputs(path: Path, outputs: Mapping[str, str]) -> None:
    """Append step outputs to the ``GITHUB_OUTPUT`` file: ``name=value``, or GitHub's
    heredoc form for a value with a line break."""
    lines: list[str] = []
    for name, value in outputs.items():
        if "\n" in value or "\r" in value:
            delimiter = _delimiter(value)
            lines += [f"{name}<<{delimiter}", value, delimiter]
        else:
            lines.append(f"{name}={value}")
    with path.open("a", encoding="utf-8") as fh:
        fh.write("".join(line + "\n" for line in lines))


def _delimiter(value: str) -> str:
    # Random, as GitHub's toolkit does, so that no value can end the block early.
    while True:
        candidate = f"ghadelimiter_{uuid.uuid4()}"
        if candidate not in value:
            return candidate


def _number(
    raw: str, name: str, *, low: float, high: float | None = None, low_open: bool = False
) -> float | None:
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ActionInputError(f"{name}: expected a number, got {raw!r}") from None
    too_low = value <= low if low_open else value < low
    too_high = high is not None and not value < high
    if value != value or too_low or too_high or value == float("inf"):
        if high is None:
            accepted = f"a finite number greater than {low:g}"
        else:
            accepted = f"a number from {low:g} to {high:g} (0.2 allows a 20% drop)"
        raise ActionInputError(f"{name}: expected {accepted}, got {raw!r}")
    return value


def _escape(message: str) -> str:
    # Workflow commands end at a line break; GitHub's toolkit escapes these three.
    return message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


if __name__ == "__main__":
    sys.exit(main())
