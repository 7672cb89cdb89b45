"""Where a session writes: only inside its cache directory and the report paths it was
given; and where the cache lives when pytest's own cache is off or the directory is new.

Real sessions in a subprocess with real builds (the shared cargo target directory of
tests/conftest.py is the user's ``CARGO_TARGET_DIR`` there, so it is allowed).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]  # no stubs in the dev extra
import pytest

from pytest_rustify.report.json import load_schema

KERNEL = """
def energy(xs: list[float]) -> float:
    s = 0.0
    for x in xs:
        s += x * x * 0.5
    return s
"""

TESTS = """
import pytest
from kernel import energy


@pytest.mark.rustify
def test_energy():
    for n in range(300):
        xs = [float(i) for i in range(n % 40)]
        assert energy(xs) == sum(x * x * 0.5 for x in xs)


def test_plain():
    assert energy([2.0]) == 2.0
"""

Snapshot = dict[str, tuple[int, int]]


def snapshot(*roots: Path) -> Snapshot:
    """Every file under ``roots``: path -> (size, mtime in ns); every directory, so that
    a new one counts (its mtime changes with its entries, which are counted themselves)."""
    files: Snapshot = {}
    for root in roots:
        for dirpath, dirnames, names in os.walk(root):
            for name in dirnames:
                files[os.path.join(dirpath, name) + os.sep] = (-1, 0)
            for name in names:
                path = os.path.join(dirpath, name)
                st = os.lstat(path)
                files[path] = (st.st_size, st.st_mtime_ns)
    return files


def written(before: Snapshot, after: Snapshot) -> set[str]:
    """Files created or changed between two snapshots."""
    return {path for path, stat in after.items() if before.get(path) != stat}


def others_own(path: Path, project: Path) -> bool:
    """What Python, pytest, pytest-benchmark (with or without --rustify) and pytester
    write themselves."""
    theirs = {"__pycache__", ".pytest_cache", ".benchmarks"}
    if theirs & set(path.parts):
        return True
    # pytester's copies of the inner session's output, and its --basetemp.
    return path.parent == project and (
        path.name in ("stdout", "stderr") or path.name.startswith("runpytest-")
    )


def test_a_session_writes_only_to_its_cache_and_its_reports(
    pytester: pytest.Pytester,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    toolchain: None,
) -> None:
    pytester.makepyfile(kernel=KERNEL, test_kernel=TESTS)
    cache, reports = tmp_path / "cache", tmp_path / "reports"
    tmpdir, home = tmp_path / "tmpdir", tmp_path / "home"
    for d in (tmpdir, home / ".cache", home / ".local" / "share", home / ".config"):
        d.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    # The GitHub step summary is a report path too, when the session runs in Actions.
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(reports / "step-summary.md"))
    # The project (and pytester's HOME), the TMPDIR and HOME of the session, and the
    # cache and report directories' parent.
    watched = (pytester.path, tmp_path)
    before = snapshot(*watched)

    result = pytester.runpytest_subprocess(
        "--rustify",
        "--rustify-profiler=auto",
        f"--rustify-cache-dir={cache}",
        f"--rustify-json={reports / 'rustify.json'}",
        f"--rustify-markdown={reports / 'rustify.md'}",
        f"--rustify-junit={reports / 'rustify.xml'}",
        f"--rustify-benchmark-json={reports / 'benchmark.json'}",
        f"--rustify-save-baseline={reports / 'baseline.json'}",
        f"--rustify-emit={reports / 'crate'}",
        "--rustify-measure-seconds=0.1",
        "-p",
        "no:randomly",
    )
    result.assert_outcomes(passed=3)
    report = json.loads((reports / "rustify.json").read_text())
    assert report["build"]["status"] == "built", report["build"]
    assert report["functions"][0]["status"] == "accelerated"

    allowed_under = (str(cache) + os.sep, str(reports) + os.sep)
    allowed = {str(cache) + os.sep, str(reports) + os.sep}
    stray = sorted(
        path
        for path in written(before, snapshot(*watched)) - allowed
        if not path.startswith(allowed_under) and not others_own(Path(path), pytester.path)
    )
    assert stray == [], "written outside the cache and the report paths:\n" + "\n".join(stray)
    assert sorted(p.name for p in reports.iterdir()) == [
        "baseline.json",
        "benchmark.json",
        "crate",
        "rustify.json",
        "rustify.md",
        "rustify.xml",
        "step-summary.md",
    ]
    jsonschema.Draft202012Validator(load_schema()).validate(report)


def test_a_new_nested_cache_dir_without_pytests_cache(
    pytester: pytest.Pytester, tmp_path: Path, toolchain: None
) -> None:
    pytester.makepyfile(kernel=KERNEL, test_kernel=TESTS)
    cache = tmp_path / "not" / "yet" / "there"
    reports = tmp_path / "reports"
    result = pytester.runpytest_subprocess(
        "--rustify",
        "--rustify-profiler=cprofile",
        "-p",
        "no:cacheprovider",
        f"--rustify-cache-dir={cache}",
        f"--rustify-json={reports / 'rustify.json'}",
        f"--rustify-markdown={reports / 'rustify.md'}",
        "--rustify-measure-seconds=0.1",
        "-p",
        "no:randomly",
    )
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(
        [f"rustify: building 1 functions with maturin (cache: {cache})", "*= rustify =*"]
    )
    # The summary says where the cache lives, right after the build line.
    summary = result.stdout.lines[result.stdout.lines.index("profiler: cprofile") :]
    assert summary[1].startswith("build: built in ") and summary[2] == f"cache: {cache}"
    report = json.loads((reports / "rustify.json").read_text())
    assert report["build"]["status"] == "built"
    assert report["build"]["cache"] == str(cache)
    assert f"**Cache:** `{cache}`." in (reports / "rustify.md").read_text()
    assert (cache / "builds").is_dir()
    # Neither pytest's cache directory nor the default one of ours was made.
    made = [p.name for p in pytester.path.iterdir() if p.name not in ("__pycache__", ".benchmarks")]
    assert sorted(n for n in made if not n.startswith("runpytest-")) == [
        "kernel.py",
        "stderr",
        "stdout",
        "test_kernel.py",
    ]
