"""``python -m pytest_rustify show FILE::FUNC``, run as a user runs it: a real subprocess
on small files written to tmp_path, checked by exit code, stdout and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import pytest_rustify

# The checkout under test, ahead of any installed copy of the package.
CHECKOUT = Path(pytest_rustify.__file__).resolve().parent.parent

KERNELS = """\
import math


def mean(xs: list[float]) -> float:
    total = 0.0
    for x in xs:
        total += x
    return total / len(xs)


def first_or_zero(xs: list[int]) -> int:
    n = 0
    try:
        n = xs[0]
    except IndexError:
        pass
    return n


def scaled(xs, factor=2.0):
    out = []
    for x in xs:
        out.append(x * factor)
    return out


LIMIT = 3
print("printed while importing")
"""


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(CHECKOUT), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    return subprocess.run(
        [sys.executable, "-m", "pytest_rustify", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def kernels(tmp_path: Path) -> Path:
    (tmp_path / "kernels.py").write_text(KERNELS, encoding="utf-8")
    return tmp_path


def test_an_accepted_function_prints_its_signatures_and_its_own_rust(kernels: Path) -> None:
    r = run(kernels, "show", "kernels.py::mean")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "target      kernels:mean" in out
    assert "defined at  kernels.py:4" in out
    assert "types from  annotations" in out
    assert "python      mean(xs: list[float]) -> float" in out
    assert "rust        fn mean(xs: Vec<f64>) -> f64" in out
    assert "fn impl_mean(mut v_xs: Vec<f64>) -> rt::R<f64> {" in out
    assert '#[pyo3(name = "mean"' in out  # the dispatcher
    # Only the function's own code: neither the crate's header nor the runtime.
    assert "static ORIGINALS" not in out
    assert "#[pymodule]" not in out
    # What the module printed while importing stays off stdout.
    assert "printed while importing" not in out
    assert "printed while importing" in r.stderr


def test_a_refusal_names_code_file_line_and_marks_the_source_line(kernels: Path) -> None:
    r = run(kernels, "show", "kernels.py::first_or_zero")
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    assert "refused [unsupported-syntax]: try/except is not supported" in lines
    assert "  --> kernels.py:13" in lines
    at = lines.index(" 13 |     try:")
    assert lines[at + 1] == "    |     ^^^^"
    assert "fn impl_" not in r.stdout


def test_an_unannotated_function_is_refused_for_lack_of_types(kernels: Path) -> None:
    r = run(kernels, "show", "kernels.py::scaled")
    assert r.returncode == 1, r.stderr
    assert "types from  nothing (no annotations, no --call)" in r.stdout
    assert "refused [type-unknown]: no type for parameter `xs`" in r.stdout
    assert "  --> kernels.py:20" in r.stdout
    assert "TIP:" in r.stdout and "--call" in r.stdout


def test_sample_calls_give_the_types_of_an_unannotated_function(kernels: Path) -> None:
    r = run(kernels, "show", "kernels.py::scaled", "--call", "[1.0, 2.5]", "--call", "[], 3.0")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "types from  2 sample calls" in r.stdout
    assert "sample call '[1.0, 2.5]' returned list[float]" in r.stdout
    assert "python      scaled(xs: list[float], factor: float) -> list[float]" in r.stdout
    assert "rust        fn scaled(xs: Vec<f64>, factor: f64) -> Vec<f64>" in r.stdout


def test_keyword_arguments_in_a_sample_call(kernels: Path) -> None:
    r = run(kernels, "show", "kernels.py::scaled", "--call", "xs=[1.0], factor=0.5")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "fn scaled(xs: Vec<f64>, factor: f64) -> Vec<f64>" in r.stdout


def test_sample_calls_whose_types_conflict_are_a_refusal(kernels: Path) -> None:
    r = run(kernels, "show", "kernels.py::scaled", "--call", "[1]", "--call", "[1.5]")
    assert r.returncode == 1, r.stderr
    assert "refused [type-conflict]:" in r.stdout
    assert "list[int] and list[float]" in r.stdout


def test_a_sample_call_that_raises_still_gives_its_argument_types(kernels: Path) -> None:
    r = run(kernels, "show", "kernels.py::mean", "--call", "[]")
    assert r.returncode == 0, r.stderr
    assert "sample call '[]' raised ZeroDivisionError: float division by zero" in r.stdout
    assert "types from  annotations and 1 sample call" in r.stdout


def test_a_sample_call_that_contradicts_the_annotations_is_a_refusal(kernels: Path) -> None:
    r = run(kernels, "show", "kernels.py::mean", "--call", "[1, 2]")
    assert r.returncode == 1, r.stderr
    assert "refused [" in r.stdout
    assert "fn impl_mean" not in r.stdout


def test_a_module_inside_a_package_with_relative_imports(tmp_path: Path) -> None:
    pkg = tmp_path / "src" / "geom"
    (pkg / "shapes").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .shapes.area import area\n", encoding="utf-8")
    (pkg / "units.py").write_text("SCALE = 2.5\n", encoding="utf-8")
    (pkg / "shapes" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "shapes" / "area.py").write_text(
        "from ..units import SCALE\n"
        "\n"
        "\n"
        "def area(w: float, h: float) -> float:\n"
        "    return w * h * SCALE\n",
        encoding="utf-8",
    )
    r = run(tmp_path, "show", "src/geom/shapes/area.py::area")
    assert r.returncode == 0, r.stderr
    # Imported as pytest would: from src/, the first directory without __init__.py.
    assert "target      geom.shapes.area:area" in r.stdout
    assert "defined at  src/geom/shapes/area.py:4" in r.stdout
    assert "fn area(w: f64, h: f64) -> f64" in r.stdout


def test_a_decorated_function_is_refused_as_decorated(tmp_path: Path) -> None:
    (tmp_path / "deco.py").write_text(
        "import functools\n"
        "\n"
        "\n"
        "@functools.lru_cache\n"
        "def cached(n: int) -> int:\n"
        "    return n + 1\n",
        encoding="utf-8",
    )
    r = run(tmp_path, "show", "deco.py::cached")
    assert r.returncode == 1, r.stderr
    assert "refused [decorator]: decorated functions are not supported" in r.stdout
    assert "  --> deco.py:4" in r.stdout


def test_json_for_a_translation(kernels: Path) -> None:
    r = run(kernels, "show", "kernels.py::mean", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["status"] == "translated"
    assert data["target"] == "kernels:mean"
    assert (data["file"], data["line"]) == ("kernels.py", 4)
    assert data["signature"] == "fn mean(xs: Vec<f64>) -> f64"
    assert data["python_signature"] == "mean(xs: list[float]) -> float"
    assert "fn impl_mean(" in data["rust"]
    assert "refusal" not in data


def test_json_for_a_refusal(kernels: Path) -> None:
    r = run(kernels, "show", "kernels.py::first_or_zero", "--json")
    assert r.returncode == 1, r.stderr
    data = json.loads(r.stdout)
    assert data["status"] == "refused"
    assert data["refusal"] == {
        "code": "unsupported-syntax",
        "message": "try/except is not supported",
        "file": "kernels.py",
        "line": 13,
        "source": "    try:",
    }
    assert data["reason"] == "kernels.py:13: try/except is not supported"
    assert "rust" not in data


def test_crate_writes_a_maturin_project_with_the_function(kernels: Path) -> None:
    dest = kernels / "port"
    r = run(kernels, "show", "kernels.py::mean", "--crate", str(dest))
    assert r.returncode == 0, r.stderr
    assert f"crate       {dest}" in r.stdout
    assert "impl_mean" in (dest / "src" / "lib.rs").read_text(encoding="utf-8")
    assert (dest / "src" / "rt.rs").is_file()
    assert (dest / "Cargo.toml").is_file()
    assert "maturin" in (dest / "pyproject.toml").read_text(encoding="utf-8")
    init = (dest / "python" / "rustify_port" / "__init__.py").read_text(encoding="utf-8")
    assert '"kernels"' in init and '"mean"' in init  # falls back to the Python original


def test_crate_is_not_written_for_a_refusal(kernels: Path) -> None:
    dest = kernels / "port"
    r = run(kernels, "show", "kernels.py::first_or_zero", "--crate", str(dest))
    assert r.returncode == 1
    assert not dest.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "missing.py::mean"], "no such file: missing.py"),
        (["show", "kernels.py"], "expected FILE::FUNC"),
        (["show", "kernels.py::"], "expected FILE::FUNC"),
        (["show", "kernels.py::nothere"], "no function 'nothere' in kernels.py"),
        (
            ["show", "kernels.py::LIMIT"],
            "'LIMIT' in kernels.py is not a function (its type is int)",
        ),
        (["show", "kernels.py::mean", "--call", "[1.0,"], "--call '[1.0,': expected Python"),
        (["show", "kernels.py::mean", "--call", "open('x')"], "expected Python literals"),
        (["show", "kernels.py::mean", "--call", "*xs"], "unpacking are not accepted"),
        (
            ["show", "kernels.py::mean", "--call", "xs=[1.0], xs=[2.0]"],
            "keyword argument is repeated",
        ),
        (["show", "kernels.py::mean", "--call", "[1.0], [2.0]"], "does not fit mean(xs"),
        (["show", "broken.py::f"], "cannot import broken from broken.py: ModuleNotFoundError"),
        (["show", "notes.txt::f"], "not a Python source file (.py): notes.txt"),
        (["show", "kernels.py::mean", "--crate", "."], "--crate: cannot emit"),
        (["show"], "the following arguments are required: FILE::FUNC"),
        (["show", "kernels.py::mean", "--bogus"], "unrecognized arguments: --bogus"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_code_2(
    kernels: Path, args: list[str], message: str
) -> None:
    (kernels / "broken.py").write_text(
        "import no_such_module_here\n\n\ndef f(x: int) -> int:\n    return x\n", encoding="utf-8"
    )
    (kernels / "notes.txt").write_text("def f(): pass\n", encoding="utf-8")
    r = run(kernels, *args)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert r.stdout == ""
    errors = [line for line in r.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1, r.stderr
    assert message in errors[0]


def test_a_module_name_taken_by_another_module_is_bad_input(tmp_path: Path) -> None:
    # tmp/lib/ast.py would import as `ast`, which is the standard library's already.
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "ast.py").write_text("def f(x: int) -> int:\n    return x\n")
    r = run(tmp_path, "show", "lib/ast.py::f")
    assert r.returncode == 2
    assert "lib/ast.py imports as module ast, but that name is already" in r.stderr
    assert "Traceback" not in r.stderr


def test_help(tmp_path: Path) -> None:
    top = run(tmp_path, "--help")
    assert top.returncode == 0
    assert "show" in top.stdout
    show = run(tmp_path, "show", "--help")
    assert show.returncode == 0
    for option in ("FILE::FUNC", "--call", "--crate", "--json"):
        assert option in show.stdout
    bare = run(tmp_path)
    assert bare.returncode == 2
    assert "show" in bare.stderr
