"""The emitted project, for real: translate a function, emit, ``maturin build --release``,
unpack the wheel and use the package in a fresh interpreter.

The build shares the suite's cargo target directory (CARGO_TARGET_DIR, set by the
autouse fixture in tests/conftest.py), so pyo3 is compiled once per checkout.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pytest_rustify.build import find_toolchain
from pytest_rustify.emit import EmitResult, EmittedFunction, emit_project
from pytest_rustify.translate import ir
from pytest_rustify.translate.frontend import FunctionSource, TypeEvidence, translate_function
from pytest_rustify.translate.rust import generate_crate, rust_signature

SAMPLE_MODULE = "rustify_emit_sample"
SAMPLE = """\
def sum_of_squares(xs: list[int]) -> int:
    total = 0
    for x in xs:
        total += x * x
    return total
"""


@dataclass(frozen=True)
class Built:
    emitted: EmitResult
    site: Path  # the unpacked wheel
    samples: Path  # the directory holding the Python original's module


@pytest.fixture(scope="module")
def built(toolchain: None, tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("emit")
    samples = root / "samples"
    samples.mkdir()
    path = samples / f"{SAMPLE_MODULE}.py"
    path.write_text(SAMPLE, encoding="utf-8")

    spec = importlib.util.spec_from_file_location(SAMPLE_MODULE, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tree = ast.parse(SAMPLE, filename=str(path))
    node = tree.body[0]
    assert isinstance(node, ast.FunctionDef)
    source = FunctionSource(f"{SAMPLE_MODULE}:{node.name}", path.name, node, tree, vars(module))
    fn = translate_function(source, TypeEvidence())
    assert isinstance(fn, ir.Function), fn

    sources = generate_crate(ir.Module((fn,), sys.version_info[:2]))
    emitted = emit_project(
        sources,
        [EmittedFunction(fn.name, fn.target, fn.file, fn.line, rust_signature(fn))],
        root / "sum-port",
    )

    maturin = find_toolchain().maturin
    assert maturin is not None
    wheels = root / "wheels"
    done = subprocess.run(
        [maturin, "build", "--release", "--interpreter", sys.executable, "--out", str(wheels)],
        cwd=emitted.directory,
        capture_output=True,
        text=True,
        timeout=900,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "CARGO_TERM_COLOR": "never"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = wheels.glob("*.whl")
    site = root / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return Built(emitted, site, samples)


def _run(built: Built, script: str, *, with_original: bool = True) -> Any:
    """Run ``script`` in a fresh interpreter that sees the unpacked wheel (and the module
    of the Python original, unless told otherwise); return what it printed as JSON."""
    paths = [str(built.site), *([str(built.samples)] if with_original else [])]
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
        cwd=built.site.parent,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_wheel_holds_the_package_and_its_extension(built: Built) -> None:
    package = built.emitted.package
    assert package == "rustify_sum_port"
    names = sorted(p.name for p in (built.site / package).iterdir())
    assert names[0] == "__init__.py"
    assert len(names) == 2 and names[1].startswith("_native.")


def test_the_package_computes_what_python_does(built: Built) -> None:
    out = _run(
        built,
        f"""
import json, {SAMPLE_MODULE} as py, rustify_sum_port as rs
inputs = [[], [3], [1, 2, 3], list(range(-50, 1000)), [-(2**31), 2**31 - 1]]
print(json.dumps({{
    "rust": [rs.sum_of_squares(xs) for xs in inputs],
    "python": [py.sum_of_squares(xs) for xs in inputs],
    "by_name": rs.sum_of_squares(xs=[4, 5]),
    "fallbacks": rs.fallbacks(),
    "native": type(rs.sum_of_squares).__name__,
    "module": rs._native.__name__,
    "signatures": dict(rs._native.__rustify_signatures__),
}}))
""",
    )
    assert out["rust"] == out["python"]
    assert out["by_name"] == 41
    assert out["fallbacks"] == {"sum_of_squares": 0}
    # The exported function is the compiled dispatcher itself, not a Python wrapper.
    assert out["native"] == "builtin_function_or_method"
    assert out["module"] == "rustify_sum_port._native"
    assert out["signatures"] == {"sum_of_squares": "fn sum_of_squares(xs: Vec<i64>) -> i64"}


def test_other_types_and_overflow_fall_back_to_python_and_are_counted(built: Built) -> None:
    out = _run(
        built,
        f"""
import json, {SAMPLE_MODULE} as py, rustify_sum_port as rs
cases = {{
    "floats": [1.5, 2.0],
    "overflow": [2**40, 2**40],
    "bigint": [2**70],
}}
result = {{}}
for name, xs in cases.items():
    before = rs.fallbacks()["sum_of_squares"]
    value = rs.sum_of_squares(xs)
    result[name] = {{
        "rust": repr(value),
        "python": repr(py.sum_of_squares(xs)),
        "counted": rs.fallbacks()["sum_of_squares"] - before,
    }}
print(json.dumps(result))
""",
    )
    for name in ("floats", "overflow", "bigint"):
        assert out[name]["rust"] == out[name]["python"], name
        assert out[name]["counted"] == 1, name
    assert out["floats"]["rust"] == "6.25"
    assert out["overflow"]["rust"] == str(2 * 2**80)


def test_without_the_original_module_rust_calls_work_and_fallbacks_say_why(
    built: Built,
) -> None:
    out = _run(
        built,
        """
import json, rustify_sum_port as rs
try:
    rs.sum_of_squares([1.5])
except ImportError as exc:
    error = {"type": type(exc).__name__, "message": str(exc), "name": exc.name}
print(json.dumps({"ok": rs.sum_of_squares([1, 2, 3]), "error": error}))
""",
        with_original=False,
    )
    assert out["ok"] == 14
    assert out["error"]["name"] == SAMPLE_MODULE
    assert f"{SAMPLE_MODULE}:sum_of_squares" in out["error"]["message"]
    assert f"No module named '{SAMPLE_MODULE}'" in out["error"]["message"]


def test_an_original_replaced_by_its_port_is_a_clear_error_not_a_recursion(
    built: Built,
) -> None:
    # Adopting the port by rebinding the original's name leaves no Python to fall back to.
    out = _run(
        built,
        f"""
import json, {SAMPLE_MODULE} as py, rustify_sum_port as rs
py.sum_of_squares = rs.sum_of_squares
try:
    rs.sum_of_squares([0.5])
except RuntimeError as exc:
    message = str(exc)
print(json.dumps({{"ok": rs.sum_of_squares([2]), "message": message}}))
""",
    )
    assert out["ok"] == 4
    assert "is now this Rust function itself" in out["message"]
    assert out["message"].startswith("rustify_sum_port.sum_of_squares: ")
