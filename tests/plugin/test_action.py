"""The GitHub Action's entry module: inputs to a pytest command line, a real run with the
GitHub environment files, and the step outputs."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from pytest_rustify.action import (
    DEFAULTS,
    ENV_NAMES,
    ActionInputError,
    ActionInputs,
    build_command,
    main,
    read_inputs,
    write_outputs,
)


def env_of(**inputs: str) -> dict[str, str]:
    """The variables action.yml sets, from input names spelt with underscores."""
    return {ENV_NAMES[name.replace("_", "-")]: value for name, value in inputs.items()}


def command_for(tmp_path: Path, **inputs: str) -> list[str]:
    return build_command(read_inputs(env_of(**inputs), cwd=tmp_path), python="py")


def read_outputs(path: Path) -> dict[str, str]:
    """Parse a GITHUB_OUTPUT file as the runner does: ``name=value`` or heredoc blocks."""
    outputs: dict[str, str] = {}
    lines = iter(path.read_text(encoding="utf-8").splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body: list[str] = []
            for inner in lines:
                if inner == delimiter:
                    break
                body.append(inner)
            else:
                raise AssertionError(f"heredoc for {name!r} not closed by {delimiter!r}")
            outputs[name] = "\n".join(body)
        else:
            name, _, value = line.partition("=")
            outputs[name] = value
    return outputs


# --- build_command -------------------------------------------------------------------------


def test_defaults(tmp_path: Path) -> None:
    assert command_for(tmp_path) == [
        "py",
        "-m",
        "pytest",
        "--rustify",
        "--rustify-mode",
        "fail",
        "--rustify-require",
        "--rustify-json",
        str(tmp_path / "rustify-report.json"),
        "--rustify-markdown",
        str(tmp_path / "rustify-report.md"),
        "--rustify-junit",
        str(tmp_path / "rustify-junit.xml"),
    ]


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ({"min_speedup": "5"}, ["--rustify-min-speedup", "5.0"]),
        ({"min_speedup": " 2.5 "}, ["--rustify-min-speedup", "2.5"]),
        ({"baseline": "perf/base.json"}, ["--rustify-baseline", "perf/base.json"]),
        ({"save_baseline": "new.json"}, ["--rustify-save-baseline", "new.json"]),
        ({"max_regression": "0.2"}, ["--rustify-max-regression", "0.2"]),
        ({"max_regression": "0"}, ["--rustify-max-regression", "0.0"]),
        ({"mode": "annotate"}, ["--rustify-mode", "annotate"]),
    ],
)
def test_each_input_maps_to_its_option(
    tmp_path: Path, inputs: dict[str, str], expected: list[str]
) -> None:
    command = command_for(tmp_path, **inputs)
    start = next(i for i, arg in enumerate(command) if arg == expected[0])
    assert command[start : start + len(expected)] == expected
    assert command.count(expected[0]) == 1


@pytest.mark.parametrize(
    ("name", "option", "file"),
    [
        ("json_report", "--rustify-json", "out/r.json"),
        ("markdown_report", "--rustify-markdown", "r.md"),
        ("junit_report", "--rustify-junit", "j.xml"),
        ("benchmark_json", "--rustify-benchmark-json", "bench.json"),
    ],
)
def test_report_paths_are_absolute_in_the_working_directory(
    tmp_path: Path, name: str, option: str, file: str
) -> None:
    (tmp_path / "sub").mkdir()
    command = command_for(tmp_path, working_directory="sub", **{name: file})
    assert command[command.index(option) + 1] == str(tmp_path / "sub" / file)
    inputs = read_inputs(env_of(working_directory="sub"), cwd=tmp_path)
    assert inputs.working_directory == tmp_path / "sub"


def test_empty_inputs_add_nothing(tmp_path: Path) -> None:
    command = command_for(
        tmp_path,
        pytest_args="",
        min_speedup="",
        baseline="",
        save_baseline="",
        max_regression="",
        json_report="",
        markdown_report="",
        junit_report="",
        benchmark_json="",
    )
    assert command == [
        "py",
        "-m",
        "pytest",
        "--rustify",
        "--rustify-mode",
        "fail",
        "--rustify-require",
    ]


def test_require_toolchain_false_drops_the_flag(tmp_path: Path) -> None:
    assert "--rustify-require" not in command_for(tmp_path, require_toolchain="false")
    assert "--rustify-require" in command_for(tmp_path, require_toolchain="True")


def test_pytest_args_are_split_like_a_shell_and_come_last(tmp_path: Path) -> None:
    command = command_for(tmp_path, pytest_args="tests -k 'fast and not slow' -x", mode="annotate")
    assert command[-4:] == ["tests", "-k", "fast and not slow", "-x"]
    assert command.index("--rustify-mode") < command.index("tests")


@pytest.mark.parametrize(
    ("inputs", "words"),
    [
        ({"min_speedup": "fast"}, ["min-speedup", "'fast'", "number"]),
        ({"min_speedup": "0"}, ["min-speedup", "greater than 0"]),
        ({"min_speedup": "-3"}, ["min-speedup", "'-3'"]),
        ({"min_speedup": "nan"}, ["min-speedup", "'nan'"]),
        ({"min_speedup": "inf"}, ["min-speedup", "'inf'"]),
        ({"max_regression": "1.5"}, ["max-regression", "'1.5'", "from 0 to 1"]),
        ({"max_regression": "20%"}, ["max-regression", "'20%'", "number"]),
        ({"mode": "warn"}, ["mode", "fail, annotate", "'warn'"]),
        ({"require_toolchain": "maybe"}, ["require-toolchain", "true or false", "'maybe'"]),
        ({"pytest_args": "-k 'unclosed"}, ["pytest-args", "-k 'unclosed"]),
        ({"working_directory": "missing"}, ["working-directory", "not a directory"]),
    ],
)
def test_bad_inputs_are_rejected_by_name(
    tmp_path: Path, inputs: dict[str, str], words: list[str]
) -> None:
    with pytest.raises(ActionInputError) as excinfo:
        read_inputs(env_of(**inputs), cwd=tmp_path)
    for word in words:
        assert word in str(excinfo.value)


def test_a_bad_input_is_an_error_line_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = tmp_path / "output.txt"
    environ = {**env_of(min_speedup="lots"), "GITHUB_OUTPUT": str(outputs)}
    assert main(environ) == 2
    out = capsys.readouterr().out
    assert out.startswith("::error title=pytest-rustify::min-speedup: expected a number")
    assert read_outputs(outputs) == {"exit-code": "2"}


# --- write_outputs -------------------------------------------------------------------------


def test_write_outputs_appends_lines_and_heredocs(tmp_path: Path) -> None:
    path = tmp_path / "output.txt"
    path.write_text("earlier=1\n", encoding="utf-8")
    write_outputs(path, {"json-report": "/a/b c.json", "note": "two\nlines", "empty": ""})
    assert read_outputs(path) == {
        "earlier": "1",
        "json-report": "/a/b c.json",
        "note": "two\nlines",
        "empty": "",
    }
    text = path.read_text(encoding="utf-8")
    assert "note<<ghadelimiter_" in text


# --- a real run ----------------------------------------------------------------------------

MYMOD = """
def total(xs: list[float]) -> float:
    s = 0.0
    for x in xs:
        s += x * x
    return s
"""

TESTS = """
import pytest
from mymod import total


@pytest.mark.rustify
def test_total():
    for n in range(300):
        xs = [float(i) for i in range(n % 40)]
        m = len(xs)
        assert total(xs) == (m - 1) * m * (2 * m - 1) / 6  # a closed form: total dominates
"""


@pytest.fixture
def github_env(
    pytester: pytest.Pytester, tmp_path: Path, rustify_cache: Path, toolchain: None
) -> dict[str, str]:
    """A small project and the environment a GitHub runner gives the action's step."""
    pytester.makepyfile(mymod=MYMOD, test_mod=TESTS)
    summary = tmp_path / "step_summary.md"
    outputs = tmp_path / "output.txt"
    summary.touch()
    outputs.touch()
    pytest_args = shlex.join(
        [
            f"--rustify-cache-dir={rustify_cache}",
            "--rustify-profiler=cprofile",
            "--rustify-measure-seconds=0.1",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
        ]
    )
    return {
        **os.environ,
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(outputs),
        **env_of(
            working_directory=str(pytester.path),
            pytest_args=pytest_args,
            benchmark_json="bench.json",
        ),
    }


def test_action_run_passes_and_sets_outputs(
    pytester: pytest.Pytester, github_env: dict[str, str]
) -> None:
    environ = {**github_env, **env_of(min_speedup="0.001")}
    assert main(environ) == 0

    outputs = read_outputs(Path(environ["GITHUB_OUTPUT"]))
    assert outputs["exit-code"] == "0"
    expected = {
        "json-report": "rustify-report.json",
        "markdown-report": "rustify-report.md",
        "junit-report": "rustify-junit.xml",
        "benchmark-json": "bench.json",
    }
    for name, file in expected.items():
        assert outputs[name] == str(pytester.path / file)
        assert Path(outputs[name]).is_file(), name

    markdown = Path(outputs["markdown-report"]).read_text(encoding="utf-8")
    summary = Path(environ["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    rows = [line for line in markdown.splitlines() if "mymod:total" in line]
    assert rows, markdown
    for row in rows:
        assert row in summary


def test_action_run_passes_a_gate_failure_on_as_the_exit_code(
    pytester: pytest.Pytester, github_env: dict[str, str]
) -> None:
    environ = {**github_env, **env_of(min_speedup="1000000")}
    code = main(environ)
    assert code == 1

    outputs = read_outputs(Path(environ["GITHUB_OUTPUT"]))
    assert outputs["exit-code"] == "1"
    assert outputs["json-report"] == str(pytester.path / "rustify-report.json")
    assert Path(outputs["json-report"]).is_file()


def test_inputs_dataclass_defaults_are_the_action_defaults(tmp_path: Path) -> None:
    inputs = read_inputs({}, cwd=tmp_path)
    assert inputs == ActionInputs(
        working_directory=tmp_path,
        mode="fail",
        require_toolchain=True,
        reports=(
            ("json-report", tmp_path / "rustify-report.json"),
            ("markdown-report", tmp_path / "rustify-report.md"),
            ("junit-report", tmp_path / "rustify-junit.xml"),
        ),
    )


def test_action_yml_hands_every_input_to_its_variable() -> None:
    action = (Path(__file__).resolve().parents[2] / "action.yml").read_text(encoding="utf-8")
    for name, variable in ENV_NAMES.items():
        assert f"{variable}: ${{{{ inputs.{name} }}}}" in action, name
        declared = re.search(rf"^  {name}:\n(?:    .*\n)*?    default: (.*)$", action, re.M)
        assert declared is not None, name
        assert declared.group(1).strip('"') == DEFAULTS.get(name, ""), name
