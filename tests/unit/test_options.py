"""Options: the command line and [tool.rustify] merged once, and every bad value refused."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pytest_rustify.errors import RustifyUsageError
from pytest_rustify.options import RustifyOptions, check_target, load_options


def command_line(**given: object) -> Callable[[str], Any]:
    """A ``config.getoption`` over the given dests; None for everything not given."""
    return lambda dest: given.get(dest)


def write_pyproject(root: Path, body: str) -> Path:
    path = root / "pyproject.toml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def load(tmp_path: Path, config: str | None = None, /, **given: object) -> RustifyOptions:
    pyproject = None if config is None else write_pyproject(tmp_path, config)
    return load_options(command_line(**given), pyproject=pyproject, rootdir=tmp_path)


# --- defaults -----------------------------------------------------------------------------------


def test_defaults_without_config_or_options(tmp_path: Path) -> None:
    options = load(tmp_path)
    assert options == RustifyOptions()
    assert options.enabled is False
    assert options.targets == ()
    assert options.threshold == 5.0
    assert options.profiler == "auto"
    assert options.min_speedup is None
    assert options.max_regression is None
    assert options.mode == "fail"
    assert options.json is None
    assert options.cache_dir is None
    assert options.require is False
    assert options.measure_seconds == 0.5


def test_a_missing_pyproject_gives_the_defaults(tmp_path: Path) -> None:
    options = load_options(command_line(), pyproject=tmp_path / "pyproject.toml", rootdir=tmp_path)
    assert options == RustifyOptions()


def test_a_pyproject_without_the_section_gives_the_defaults(tmp_path: Path) -> None:
    assert load(tmp_path, "[tool.other]\nx = 1\n") == RustifyOptions()


# --- the command line ----------------------------------------------------------------------


def test_each_option_from_the_command_line(tmp_path: Path) -> None:
    options = load(
        tmp_path,
        rustify=True,
        rustify_target=["pkg.mod:f", "pkg:g"],
        rustify_threshold="2.5",
        rustify_profiler="cprofile",
        rustify_min_speedup="3",
        rustify_baseline="/abs/base.json",
        rustify_save_baseline="/abs/new.json",
        rustify_max_regression="0.2",
        rustify_mode="annotate",
        rustify_json="/abs/r.json",
        rustify_markdown="/abs/r.md",
        rustify_junit="/abs/r.xml",
        rustify_emit="/abs/crate",
        rustify_cache_dir="/abs/cache",
        rustify_require=True,
        rustify_measure_seconds="0.1",
    )
    assert options == RustifyOptions(
        enabled=True,
        targets=("pkg.mod:f", "pkg:g"),
        threshold=2.5,
        profiler="cprofile",
        min_speedup=3.0,
        baseline=Path("/abs/base.json"),
        save_baseline=Path("/abs/new.json"),
        max_regression=0.2,
        mode="annotate",
        json=Path("/abs/r.json"),
        markdown=Path("/abs/r.md"),
        junit=Path("/abs/r.xml"),
        emit=Path("/abs/crate"),
        cache_dir=Path("/abs/cache"),
        require=True,
        measure_seconds=0.1,
    )


@pytest.mark.parametrize(
    ("dest", "raw", "field", "value"),
    [
        ("rustify", True, "enabled", True),
        ("rustify_target", ["a.b:c"], "targets", ("a.b:c",)),
        ("rustify_threshold", "0", "threshold", 0.0),
        ("rustify_threshold", "100", "threshold", 100.0),
        ("rustify_profiler", "py-spy", "profiler", "py-spy"),
        ("rustify_profiler", "off", "profiler", "off"),
        ("rustify_min_speedup", "1.5", "min_speedup", 1.5),
        ("rustify_max_regression", "0", "max_regression", 0.0),
        ("rustify_mode", "fail", "mode", "fail"),
        ("rustify_require", True, "require", True),
        ("rustify_measure_seconds", "2", "measure_seconds", 2.0),
    ],
)
def test_one_option_changes_one_field(
    tmp_path: Path, dest: str, raw: object, field: str, value: object
) -> None:
    options = load(tmp_path, **{dest: raw})
    assert getattr(options, field) == value
    defaults = RustifyOptions()
    changed = [
        name
        for name in RustifyOptions.__dataclass_fields__
        if getattr(options, name) != getattr(defaults, name)
    ]
    assert changed in ([field], [])  # [] when the value is the default itself


def test_numbers_may_already_be_numbers(tmp_path: Path) -> None:
    options = load(tmp_path, rustify_threshold=7, rustify_min_speedup=2.0)
    assert (options.threshold, options.min_speedup) == (7.0, 2.0)


def test_command_line_paths_resolve_against_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    options = load(tmp_path, rustify_json="out/r.json", rustify_cache_dir="cache")
    assert options.json == cwd / "out" / "r.json"
    assert options.cache_dir == cwd / "cache"


# --- [tool.rustify] -------------------------------------------------------------------------------


def test_config_keys(tmp_path: Path) -> None:
    options = load(
        tmp_path,
        """
        [tool.rustify]
        rustify = true
        target = ["pkg.mod:f"]
        threshold = 2
        profiler = "off"
        max-regression = 0.1
        mode = "annotate"
        require = true
        measure-seconds = 1.5
        """,
    )
    assert options == RustifyOptions(
        enabled=True,
        targets=("pkg.mod:f",),
        threshold=2.0,
        profiler="off",
        max_regression=0.1,
        mode="annotate",
        require=True,
        measure_seconds=1.5,
    )


@pytest.mark.parametrize("key", ["min-speedup", "min_speedup"])
def test_both_spellings_of_a_config_key(tmp_path: Path, key: str) -> None:
    options = load(tmp_path, f"[tool.rustify]\n{key} = 4.5\n")
    assert options.min_speedup == 4.5


def test_underscore_spelling_of_a_path_key(tmp_path: Path) -> None:
    options = load(tmp_path, '[tool.rustify]\ncache_dir = "c"\nsave_baseline = "b.json"\n')
    assert options.cache_dir == tmp_path / "c"
    assert options.save_baseline == tmp_path / "b.json"


def test_a_single_target_string_in_config(tmp_path: Path) -> None:
    options = load(tmp_path, '[tool.rustify]\ntarget = "pkg.mod:f"\n')
    assert options.targets == ("pkg.mod:f",)


def test_config_paths_resolve_against_the_rootdir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    options = load(
        tmp_path,
        """
        [tool.rustify]
        json = "reports/r.json"
        markdown = "r.md"
        baseline = "/abs/base.json"
        """,
    )
    assert options.json == tmp_path / "reports" / "r.json"
    assert options.markdown == tmp_path / "r.md"
    assert options.baseline == Path("/abs/base.json")


def test_the_command_line_wins_over_config(tmp_path: Path) -> None:
    options = load(
        tmp_path,
        """
        [tool.rustify]
        threshold = 2
        mode = "annotate"
        min-speedup = 10
        target = ["pkg.cfg:f"]
        """,
        rustify_threshold="9",
        rustify_mode="fail",
        rustify_target=["pkg.cli:g"],
    )
    assert options.threshold == 9.0
    assert options.mode == "fail"
    assert options.targets == ("pkg.cli:g",)
    assert options.min_speedup == 10.0  # not given on the command line: config stands


def test_an_unset_command_line_flag_keeps_config_enabled(tmp_path: Path) -> None:
    options = load(tmp_path, "[tool.rustify]\nrustify = true\n", rustify=None)
    assert options.enabled is True


# --- bad values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dest", "raw", "flag"),
    [
        ("rustify_threshold", "150", "--rustify-threshold"),
        ("rustify_threshold", "-1", "--rustify-threshold"),
        ("rustify_threshold", "nan", "--rustify-threshold"),
        ("rustify_min_speedup", "0", "--rustify-min-speedup"),
        ("rustify_min_speedup", "-2", "--rustify-min-speedup"),
        ("rustify_min_speedup", "abc", "--rustify-min-speedup"),
        ("rustify_min_speedup", "inf", "--rustify-min-speedup"),
        ("rustify_max_regression", "1.5", "--rustify-max-regression"),
        ("rustify_max_regression", "1", "--rustify-max-regression"),
        ("rustify_mode", "warn", "--rustify-mode"),
        ("rustify_profiler", "perf", "--rustify-profiler"),
        ("rustify_measure_seconds", "0", "--rustify-measure-seconds"),
        ("rustify_json", "", "--rustify-json"),
    ],
)
def test_a_bad_command_line_value_names_the_option_and_the_value(
    tmp_path: Path, dest: str, raw: str, flag: str
) -> None:
    with pytest.raises(RustifyUsageError) as info:
        load(tmp_path, **{dest: raw})
    message = str(info.value)
    assert message.startswith(flag + ":")
    assert repr(raw) in message


@pytest.mark.parametrize(
    ("dest", "raw"),
    [("rustify_target", ["nocolon"]), ("rustify_target", ["pkg.mod:f", "pkg mod:f"])],
)
def test_a_bad_target_on_the_command_line(tmp_path: Path, dest: str, raw: list[str]) -> None:
    with pytest.raises(RustifyUsageError) as info:
        load(tmp_path, **{dest: raw})
    assert "--rustify-target" in str(info.value)
    assert repr(raw[-1]) in str(info.value)
    assert "pkg.mod:func" in str(info.value)  # what is accepted


@pytest.mark.parametrize(
    ("line", "key", "shown"),
    [
        ("threshold = 150", "threshold", "150"),
        ("min-speedup = 0", "min-speedup", "0"),
        ('min_speedup = "abc"', "min_speedup", "'abc'"),
        ("max-regression = 1.5", "max-regression", "1.5"),
        ('mode = "warn"', "mode", "'warn'"),
        ('profiler = "perf"', "profiler", "'perf'"),
        ('rustify = "yes"', "rustify", "'yes'"),
        ("min-speedup = true", "min-speedup", "True"),
        ('target = ["nocolon"]', "target", "'nocolon'"),
        ("target = [1]", "target", "[1]"),
        ("json = 3", "json", "3"),
    ],
)
def test_a_bad_config_value_names_the_key_and_the_value(
    tmp_path: Path, line: str, key: str, shown: str
) -> None:
    with pytest.raises(RustifyUsageError) as info:
        load(tmp_path, f"[tool.rustify]\n{line}\n")
    message = str(info.value)
    assert message.startswith(f"[tool.rustify] {key}:")
    assert message.endswith(f"got {shown}")


def test_an_unknown_config_key_is_named_with_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(RustifyUsageError) as info:
        load(tmp_path, "[tool.rustify]\nspeedup = 3\n")
    message = str(info.value)
    assert "'speedup'" in message
    assert "pyproject.toml" in message
    assert "min-speedup" in message  # the keys that are accepted


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(RustifyUsageError) as info:
        load(tmp_path, "[tool.rustify\nthreshold = \n")
    assert str(tmp_path / "pyproject.toml") in str(info.value)
    assert "not valid TOML" in str(info.value)


def test_a_section_that_is_not_a_table(tmp_path: Path) -> None:
    with pytest.raises(RustifyUsageError, match=r"\[tool.rustify\] must be a table"):
        load(tmp_path, '[tool]\nrustify = "on"\n')


def test_a_tool_key_that_is_not_a_table(tmp_path: Path) -> None:
    with pytest.raises(RustifyUsageError, match=r"pyproject\.toml"):
        load(tmp_path, "tool = 1\n")


def test_a_bad_config_value_is_refused_even_when_the_command_line_overrides_it(
    tmp_path: Path,
) -> None:
    with pytest.raises(RustifyUsageError, match="threshold"):
        load(tmp_path, "[tool.rustify]\nthreshold = 150\n", rustify_threshold="5")


# --- check_target ----------------------------------------------------------------------


@pytest.mark.parametrize("target", ["pkg.mod:func", "mod:f", "a.b.c:_private", "pkg_1.m2:f3"])
def test_check_target_accepts(target: str) -> None:
    assert check_target(target, "marker") == target


@pytest.mark.parametrize(
    "target",
    [
        "nocolon",
        "pkg.mod:",
        ":func",
        "pkg..mod:f",
        "pkg.mod:f.g",
        "pkg.mod:f:g",
        "1pkg:f",
        "pkg.mod:f()",
        "pkg/mod.py:f",
        "",
    ],
)
def test_check_target_refuses_naming_where(target: str) -> None:
    with pytest.raises(RustifyUsageError) as info:
        check_target(target, "@pytest.mark.rustify in tests/test_m.py::test_x")
    message = str(info.value)
    assert message.startswith("@pytest.mark.rustify in tests/test_m.py::test_x:")
    assert repr(target) in message


def test_options_are_frozen() -> None:
    frozen = RustifyOptions(threshold=1.0)
    with pytest.raises(AttributeError):
        frozen.threshold = 2.0  # type: ignore[misc]
