"""``show --crate DIR`` for real: the written project builds with maturin, and its function
computes what the Python one does, falling back to the original (imported by the target
name ``show`` gave it) for a call it was not built for.

The build shares the suite's cargo target directory (CARGO_TARGET_DIR, set by the
autouse fixture in tests/conftest.py), so pyo3 is compiled once per checkout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest_rustify
from pytest_rustify.build import find_toolchain

CHECKOUT = Path(pytest_rustify.__file__).resolve().parent.parent

COUNTS = """\
from .limits import START


def clipped_total(xs, cap=10):
    total = START
    for x in xs:
        total += x if x < cap else cap
    return total
"""


def test_the_crate_show_writes_builds_and_matches_python(toolchain: None, tmp_path: Path) -> None:
    pkg = tmp_path / "proj" / "tally"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "limits.py").write_text("START = 1\n", encoding="utf-8")
    (pkg / "counts.py").write_text(COUNTS, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT), "CARGO_TERM_COLOR": "never"}
    shown = subprocess.run(
        [
            *(sys.executable, "-m", "pytest_rustify", "show"),
            *("proj/tally/counts.py::clipped_total", "--call", "[1, 20, 3], 10"),
            *("--crate", "port", "--json"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert shown.returncode == 0, shown.stdout + shown.stderr
    data = json.loads(shown.stdout)
    assert data["target"] == "tally.counts:clipped_total"
    assert data["signature"] == "fn clipped_total(xs: Vec<i64>, cap: i64) -> i64"
    assert data["crate"]["package"] == "rustify_port"

    maturin = find_toolchain().maturin
    assert maturin is not None
    wheels = tmp_path / "wheels"
    done = subprocess.run(
        [maturin, "build", "--release", "--interpreter", sys.executable, "--out", str(wheels)],
        cwd=tmp_path / "port",
        capture_output=True,
        text=True,
        timeout=900,
        stdin=subprocess.DEVNULL,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = wheels.glob("*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)

    script = """
import json
import rustify_port as rs
from tally.counts import clipped_total as py
cases = [([], 10), ([1, 20, 3], 10), ([-5, 5], 0), ([2**62, 2**62], 2**63 - 1), ([1.5, 2], 10)]
print(json.dumps({
    "rust": [repr(rs.clipped_total(xs, cap)) for xs, cap in cases],
    "python": [repr(py(xs, cap)) for xs, cap in cases],
    "default": [rs.clipped_total([3, 30]), py([3, 30])],
    "fallbacks": rs.fallbacks(),
}))
"""
    ran = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(tmp_path / "proj")])},
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    out = json.loads(ran.stdout)
    assert out["rust"] == out["python"]
    assert out["default"] == [14, 14]
    # The i64 overflow and the float list went back to the Python original.
    assert out["fallbacks"] == {"clipped_total": 2}
