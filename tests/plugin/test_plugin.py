"""The plugin as users meet it: options, the marker, [rust] items, restore, reports."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest


def functions_by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["target"].split(":")[1]: f for f in report["functions"]}


MYMOD = """
def total(xs: list[float]) -> float:
    s = 0.0
    for x in xs:
        s += x * x
    return s


def guarded(xs: list[float]) -> float:
    s = 0.0
    for i in range(len(xs)):
        try:
            s += xs[i] * xs[i + 1]
        except IndexError:
            s += xs[i]
    return s
"""


def line_of(source: str, text: str) -> int:
    """The 1-based line of ``text`` in a source as pytester writes it (stripped)."""
    return source.strip("\n").splitlines().index(text) + 1


TESTS = """
import pytest
import mymod
from mymod import total


def _log(name, value):
    with open(name, "a") as fh:
        fh.write(value + "\\n")


@pytest.mark.rustify
def test_total():
    _log("seen.log", type(total).__name__)
    for n in range(300):
        xs = [float(i) for i in range(n % 40)]
        m = len(xs)
        # A closed form, so the test's own time is mostly total's (a profiler slows a
        # generator expression checking it far more than total's loop).
        assert total(xs) == (m - 1) * m * (2 * m - 1) / 6


@pytest.mark.rustify
def test_guarded():
    xs = [2.0, 1.0] * 100
    for _ in range(100):
        assert mymod.guarded(xs) == 399.0


def test_plain():
    assert mymod.total([3.0]) == 9.0
"""

RESTORE_CHECK = """
import mymod

ORIGINAL = mymod.total


def pytest_runtest_teardown(item):
    with open("restored.log", "a") as fh:
        fh.write(f"{item.name} {mymod.total is ORIGINAL or getattr(mymod.total, '__wrapped__', None) is ORIGINAL}\\n")
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(mymod=MYMOD, test_mod=TESTS)
    return pytester


def test_inert_without_rustify(project: pytest.Pytester) -> None:
    result = project.runpytest("--strict-markers", "-v")
    result.assert_outcomes(passed=3)
    assert "[rust]" not in result.stdout.str()
    assert "rustify" not in result.stdout.str().split("short test summary")[0].split("====")[-1]


def test_marker_registered_in_help(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["*@pytest.mark.rustify(*targets, min_speedup=None*"])


@pytest.mark.parametrize(
    ("marker", "words"),
    [
        ('@pytest.mark.rustify(min_speedup="fast")', ["min_speedup='fast'", "non-negative number"]),
        ("@pytest.mark.rustify(42)", ["target strings", "42"]),
        ('@pytest.mark.rustify("no_colon")', ["pkg.mod:func", "no_colon"]),
        ("@pytest.mark.rustify(speed=3)", ["unknown argument speed=3"]),
    ],
)
@pytest.mark.parametrize("enabled", [False, True])
def test_marker_arguments_checked(
    pytester: pytest.Pytester, marker: str, words: list[str], enabled: bool
) -> None:
    pytester.makepyfile(
        test_bad=f"""
        import pytest

        {marker}
        def test_x():
            pass
        """
    )
    args = ["--rustify", "--rustify-profiler=off"] if enabled else []
    result = pytester.runpytest(*args)
    out = result.stdout.str() + result.stderr.str()
    assert result.ret != 0
    assert "test_bad.py::test_x" in out
    for w in words:
        assert w in out


@pytest.mark.parametrize(
    ("option", "words"),
    [
        ("--rustify-threshold=150", ["--rustify-threshold", "150", "0 to 100"]),
        ("--rustify-min-speedup=abc", ["--rustify-min-speedup", "abc"]),
        ("--rustify-mode=warn", ["--rustify-mode", "fail, annotate"]),
        ("--rustify-profiler=perf", ["--rustify-profiler", "py-spy"]),
        ("--rustify-target=nocolon", ["--rustify-target", "pkg.mod:func"]),
    ],
)
def test_bad_option_is_a_usage_error(
    pytester: pytest.Pytester, option: str, words: list[str]
) -> None:
    result = pytester.runpytest("--rustify", option)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    err = result.stderr.str()
    for w in words:
        assert w in err


def test_config_file_enables_and_is_checked(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml(
        """
        [tool.rustify]
        rustify = true
        threshold = "many"
        """
    )
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "[tool.rustify] threshold" in result.stderr.str()


def test_rust_items_come_after_all_python_items(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_second="""
        import pytest
        from mymod import total

        @pytest.mark.rustify
        @pytest.mark.parametrize("n", [1, 2])
        def test_param(n):
            assert total([1.0] * n) == float(n)
        """
    )
    result = project.runpytest("--rustify", "--rustify-profiler=off", "--collect-only", "-q")
    ids = [line for line in result.stdout.lines if "::" in line]
    kinds = ["rust" if re.search(r"[\[-]rust\]$", line) else "python" for line in ids]
    assert kinds == sorted(kinds, key=lambda k: k == "rust"), ids
    assert "test_mod.py::test_total[python]" in ids
    assert "test_mod.py::test_total[rust]" in ids
    assert "test_second.py::test_param[1-rust]" in ids
    assert "test_mod.py::test_plain" in ids
    assert kinds.count("rust") == 4


def test_end_to_end_small_project(project: pytest.Pytester, run_rustify: Any) -> None:
    project.makeconftest(RESTORE_CHECK)
    result, report = run_rustify()
    result.assert_outcomes(passed=5)
    funcs = functions_by_name(report)

    total = funcs["total"]
    assert total["status"] == "accelerated"
    assert total["signature"] == "fn total(xs: Vec<f64>) -> f64"
    assert total["parity"]["calls"] > 0
    assert total["parity"]["mismatches"] == 0
    assert total["parity"]["fallbacks"] == 0
    assert total["speedup"]["median"] > 0
    assert total["file"] == "mymod.py"
    assert total["line"] == line_of(MYMOD, "def total(xs: list[float]) -> float:")

    guarded = funcs["guarded"]
    assert guarded["status"] == "refused"
    try_line = line_of(MYMOD, "        try:")
    assert guarded["reason"].startswith(f"mymod.py:{try_line}:")
    assert "try/except" in guarded["reason"]

    # Inside [rust] the test saw the compiled function; in Python the original.
    seen = (project.path / "seen.log").read_text().split()
    assert seen == ["function", "builtin_function_or_method"]
    # After every item, including the [rust] ones, mymod.total is the original again.
    restored = (project.path / "restored.log").read_text().split("\n")
    assert [line for line in restored if line] and all(
        line.endswith("True") for line in restored if line
    ), restored
    result.stdout.fnmatch_lines(
        [
            "*= rustify =*",
            "profiler: cprofile*",
            "*mymod:total*accelerated*",
            "*1 accelerated, 1 refused*",
        ]
    )


def test_second_run_is_served_from_the_cache(project: pytest.Pytester, run_rustify: Any) -> None:
    run_rustify()
    result, report = run_rustify()
    result.assert_outcomes(passed=5)
    assert report["build"]["status"] == "cached"
    assert "compiling" not in result.stdout.str()


WRONG_RUST = """
def pytest_rustify_crate_sources(config, sources):
    # A deliberately wrong port: the real one is replaced by one that adds 1.
    lib = sources["src/lib.rs"]
    start = lib.index("fn impl_total(")
    body = lib.index("{", start) + 1
    sources["src/lib.rs"] = lib[:body] + "\\n    if v_xs.len() > 3 { return Ok(1.0 + v_xs.len() as f64); }" + lib[body:]
"""


def test_wrong_rust_is_a_parity_failure_naming_the_call(
    project: pytest.Pytester, run_rustify: Any
) -> None:
    project.makeconftest(WRONG_RUST)
    result, report = run_rustify()
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=4, failed=1)
    out = result.stdout.str()
    assert "_ test_total[rust] _" in out
    assert "parity failed for mymod:total" in out
    # The message names the call: the function and its (shortened) arguments.
    assert re.search(r"first: total\(\[0\.0, 1\.0, \.\.\. \d+ items\]\): result: expected", out), (
        out
    )
    total = functions_by_name(report)["total"]
    assert total["status"] == "parity_failed"
    assert total["parity"]["mismatches"] > 0
    assert report["summary"]["parity_failures"] == 1


def test_rustified_fixture(project: pytest.Pytester, run_rustify: Any) -> None:
    project.makepyfile(
        test_fixture="""
        import pytest

        def test_compiled(rustified):
            assert rustified["mymod:total"]([1.0, 2.0]) == 5.0
            with pytest.raises(KeyError, match="mymod:guarded.*refused"):
                rustified["mymod:guarded"]
        """
    )
    result, _ = run_rustify("-v")
    result.assert_outcomes(passed=6)
    # Tests that use the fixture run with the [rust] items, after the whole Python phase.
    lines = [line for line in result.stdout.lines if "PASSED" in line]
    compiled = next(i for i, line in enumerate(lines) if "test_compiled" in line)
    last_python = max(
        i for i, line in enumerate(lines) if "[python]" in line or "test_plain" in line
    )
    assert compiled > last_python, lines


def test_rustified_fixture_skips_without_rustify(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_x(rustified):\n    pass\n")
    result = pytester.runpytest("-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*needs --rustify*"])


def test_works_without_the_cache_provider(project: pytest.Pytester, toolchain: None) -> None:
    result = project.runpytest_subprocess(
        "--rustify",
        "--rustify-profiler=cprofile",
        "-p",
        "no:cacheprovider",
        "--rustify-measure-seconds=0.1",
    )
    result.assert_outcomes(passed=5)
    assert (project.path / ".rustify" / "builds").is_dir()
    assert not (project.path / ".pytest_cache").exists()
    result.stdout.fnmatch_lines([f"*(cache: *{os.sep}.rustify)", f"cache: *{os.sep}.rustify"])


def test_profiler_in_use_is_reported(project: pytest.Pytester, run_rustify: Any) -> None:
    # Long enough for a sampling profiler to see it: about half a second of work.
    project.makepyfile(
        test_heavy="""
        from mymod import total

        def test_heavy():
            xs = [0.5] * 2000
            for _ in range(500):
                assert total(xs) == 500.0
        """
    )
    result, report = run_rustify(profiler="auto")
    result.assert_outcomes(passed=6)
    out = result.stdout.str()
    if os.environ.get("RUSTIFY_REQUIRE_PYSPY") == "1":
        assert "profiler: py-spy" in out
    else:
        assert "profiler: py-spy" in out or "could not attach" in out
    assert report["hotspots"], "the session profile found no hot function"
    assert report["hotspots"][0]["target"] == "mymod:total"


BROKEN_RUST = """
def pytest_rustify_crate_sources(config, sources):
    lib = sources["src/lib.rs"]
    start = lib.index("fn impl_total(")
    body = lib.index("{", start) + 1
    sources["src/lib.rs"] = lib[:body] + "\\n    let broken: i64 = \\"not an int\\";" + lib[body:]
"""


def test_a_compile_error_skips_rust_items_with_the_reason(
    project: pytest.Pytester, run_rustify: Any
) -> None:
    project.makeconftest(BROKEN_RUST)
    result, report = run_rustify("-rs")
    result.assert_outcomes(passed=3, skipped=2)
    out = result.stdout.str()
    assert "the Rust build failed" in out
    assert "mismatched types" in out  # the compiler's own words reach the user
    assert "TIP:" in out
    assert report["build"]["status"] == "failed"
    assert functions_by_name(report)["total"]["status"] == "build_failed"


def test_a_compile_error_fails_rust_items_when_required(
    project: pytest.Pytester, run_rustify: Any
) -> None:
    project.makeconftest(BROKEN_RUST)
    result, _ = run_rustify("--rustify-require")
    result.assert_outcomes(passed=3, failed=2)
    assert "the Rust build failed" in result.stdout.str()


def test_missing_cargo_is_named_with_the_way_to_get_it(
    project: pytest.Pytester, run_rustify: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    cargo_home = os.environ.get("CARGO_HOME", "")
    path = [
        p
        for p in os.environ["PATH"].split(os.pathsep)
        if not (cargo_home and p.startswith(cargo_home)) and ".cargo" not in p
    ]
    monkeypatch.setenv("PATH", os.pathsep.join(path))
    monkeypatch.setenv("CARGO_HOME", str(tmp_path / "no-cargo"))
    result, report = run_rustify("-rs")
    result.assert_outcomes(passed=3, skipped=2)
    out = result.stdout.str()
    assert "cargo" in out and "https://rustup.rs" in out
    assert report["build"]["status"] == "failed"
