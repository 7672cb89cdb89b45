"""actionlint and zizmor report nothing on the workflows and on the action.

The linters come from the ``dev`` extra (or anywhere on PATH). Without them these tests
skip locally; in CI (``RUSTIFY_REQUIRE_TOOLCHAIN=1``) a missing linter is a failure.
zizmor runs offline: its online audits need a GitHub token, and the result must not
depend on the network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = REPO / ".github" / "workflows"
ACTION = REPO / "action.yml"


def linter(name: str) -> str:
    """The linter's executable: beside this interpreter (a venv's bin/, which need not be
    on PATH), else on PATH; skip or fail when it is missing."""
    scripts = Path(sysconfig.get_path("scripts"))
    for candidate in (scripts / name, scripts / f"{name}.exe"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found is not None:
        return found
    msg = f"{name} not found (pip install -e '.[dev]')"
    if os.environ.get("RUSTIFY_REQUIRE_TOOLCHAIN", "") == "1":
        pytest.fail(msg + " (RUSTIFY_REQUIRE_TOOLCHAIN=1)")
    pytest.skip(msg)


def run(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def workflow_files() -> list[str]:
    files = sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))
    return [str(f.relative_to(REPO)) for f in files]


def test_there_is_something_to_lint() -> None:
    assert ".github/workflows/ci.yml" in workflow_files()
    assert ACTION.is_file()


def test_actionlint_reports_nothing() -> None:
    # actionlint also reads action.yml, through the workflow's `uses: ./`.
    result = run([linter("actionlint"), "-no-color", *workflow_files()])
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout


def test_zizmor_reports_nothing() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN", "ZIZMOR_CONFIG")
    }
    result = run(
        [
            linter("zizmor"),
            "--offline",
            "--no-progress",
            "--color=never",
            "--format=plain",
            str(WORKFLOWS.relative_to(REPO)),
            str(ACTION.relative_to(REPO)),
        ],
        env=env,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "No findings to report" in result.stdout, output
