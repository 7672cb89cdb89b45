"""The emit stage without a compiler: the files of the project, their names, and how an
earlier emit is replaced while anything else in the directory is left alone.

The crate comes from the real translator; tests/e2e/test_emit_build.py builds it.
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from pytest_rustify.build import MODULE_PLACEHOLDER
from pytest_rustify.emit import MANIFEST, EmitError, EmittedFunction, emit_project
from pytest_rustify.translate import ir
from pytest_rustify.translate.frontend import FunctionSource, TypeEvidence, translate_function
from pytest_rustify.translate.rust import generate_crate, rust_signature

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib  # type: ignore[import-not-found]  # tomli is installed on 3.10

KERNELS = """\
def dot(a: list[float], b: list[float]) -> float:
    total = 0.0
    for i in range(len(a)):
        total += a[i] * b[i]
    return total


def count_above(xs: list[int], limit: int) -> int:
    n = 0
    for x in xs:
        if x > limit:
            n += 1
    return n
"""


def _translate(source: str, module: str) -> list[ir.Function]:
    tree = ast.parse(source)
    namespace: dict[str, object] = {}
    exec(compile(tree, f"{module}.py", "exec"), namespace)
    out = []
    for node in tree.body:
        assert isinstance(node, ast.FunctionDef)
        src = FunctionSource(
            f"{module}:{node.name}", f"{module.replace('.', '/')}.py", node, tree, namespace
        )
        fn = translate_function(src, TypeEvidence())
        assert isinstance(fn, ir.Function), fn
        out.append(fn)
    return out


def _crate(functions: Sequence[ir.Function]) -> tuple[dict[str, str], list[EmittedFunction]]:
    sources = generate_crate(ir.Module(tuple(functions), sys.version_info[:2]))
    emitted = [
        EmittedFunction(fn.name, fn.target, fn.file, fn.line, rust_signature(fn))
        for fn in functions
    ]
    return sources, emitted


KERNEL_FUNCTIONS = _translate(KERNELS, "pkg.kernels")
SOURCES, FUNCTIONS = _crate(KERNEL_FUNCTIONS)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# --- the files ------------------------------------------------------------------------------


def test_project_files_and_names_agree(tmp_path: Path) -> None:
    dest = tmp_path / "kernel-port"
    result = emit_project(SOURCES, FUNCTIONS, dest)

    assert result.directory == dest
    assert result.package == "rustify_kernel_port"
    pkg = result.package
    expected = {
        ".gitignore",
        MANIFEST,
        "Cargo.toml",
        "README.md",
        "pyproject.toml",
        f"python/{pkg}/__init__.py",
        "src/lib.rs",
        "src/rt.rs",
    }
    assert {p.relative_to(dest).as_posix() for p in result.files} == expected
    assert set(_tree(dest)) == expected
    for path in result.files:
        assert MODULE_PLACEHOLDER not in path.read_text(encoding="utf-8"), path

    cargo = tomllib.loads((dest / "Cargo.toml").read_text(encoding="utf-8"))
    assert cargo["package"]["name"] == pkg
    # The library's name and the #[pymodule] function name the init symbol PyInit__native,
    # which Python looks for when importing the submodule <pkg>._native.
    assert cargo["lib"]["name"] == "_native"
    assert cargo["lib"]["crate-type"] == ["cdylib"]
    assert cargo["dependencies"]["indexmap"] == "2"
    assert "workspace" in cargo
    lib_rs = (dest / "src/lib.rs").read_text(encoding="utf-8")
    assert "#[pymodule]\nfn _native(m: &Bound<'_, PyModule>)" in lib_rs
    assert (dest / "src/rt.rs").read_text(encoding="utf-8") == SOURCES["src/rt.rs"]

    pyproject = tomllib.loads((dest / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["build-system"]["build-backend"] == "maturin"
    assert pyproject["project"]["name"] == pkg
    assert pyproject["project"]["readme"] == "README.md"
    assert pyproject["tool"]["maturin"]["python-source"] == "python"
    assert pyproject["tool"]["maturin"]["module-name"] == f"{pkg}._native"

    manifest = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["package"] == pkg
    assert set(manifest["files"]) == expected - {MANIFEST}


def test_init_registers_every_original_and_exports_every_function(tmp_path: Path) -> None:
    result = emit_project(SOURCES, FUNCTIONS, tmp_path / "out", package="kernels_rs")
    init = (tmp_path / "out/python/kernels_rs/__init__.py").read_text(encoding="utf-8")
    tree = ast.parse(init)
    compile(tree, "__init__.py", "exec")

    imports = {
        (node.module, alias.name)
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.level == 1
        for alias in node.names
    }
    assert imports == {(None, "_native"), ("_native", "count_above"), ("_native", "dot")}
    assigned = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert assigned["__all__"] == ["count_above", "dot", "fallbacks"]
    assert assigned["_RUSTIFY_ORIGINALS"] == {
        "dot": ("pkg.kernels", "dot", "fn dot(a: Vec<f64>, b: Vec<f64>) -> f64"),
        "count_above": (
            "pkg.kernels",
            "count_above",
            "fn count_above(xs: Vec<i64>, limit: i64) -> i64",
        ),
    }
    defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    assert "fallbacks" in defined
    assert result.package == "kernels_rs"


def test_a_crate_without_functions_still_makes_a_package(tmp_path: Path) -> None:
    sources, emitted = _crate([])
    emit_project(sources, emitted, tmp_path / "out", package="nothing_yet")
    init = (tmp_path / "out/python/nothing_yet/__init__.py").read_text(encoding="utf-8")
    tree = ast.parse(init)
    compile(tree, "__init__.py", "exec")
    assert '__all__ = [\n    "fallbacks",\n]' in init
    assert "| --- | --- | --- | --- |\n\n" in (tmp_path / "out/README.md").read_text()


def test_readme_says_where_each_function_came_from(tmp_path: Path) -> None:
    emit_project(SOURCES, FUNCTIONS, tmp_path / "out", package="kernels_rs")
    readme = (tmp_path / "out/README.md").read_text(encoding="utf-8")
    lines = readme.splitlines()
    header = lines.index("| function | Rust signature | Python original | defined at |")
    rows = [line for line in lines[header + 2 :] if line.startswith("|")]
    first, second = KERNEL_FUNCTIONS
    assert rows == [
        f"| `dot` | `fn dot(a: Vec<f64>, b: Vec<f64>) -> f64` | `pkg.kernels:dot` "
        f"| `pkg/kernels.py:{first.line}` |",
        f"| `count_above` | `fn count_above(xs: Vec<i64>, limit: i64) -> i64` "
        f"| `pkg.kernels:count_above` | `pkg/kernels.py:{second.line}` |",
    ]
    assert (first.line, second.line) == (1, 8)
    assert "maturin develop" in readme and "pip install ." in readme
    assert "kernels_rs.fallbacks()" in readme


def test_emitting_the_same_crate_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    emit_project(SOURCES, FUNCTIONS, tmp_path / "a", package="same")
    emit_project(SOURCES, FUNCTIONS, tmp_path / "b", package="same")
    first = _tree(tmp_path / "a")
    assert first == _tree(tmp_path / "b")
    emit_project(SOURCES, FUNCTIONS, tmp_path / "a", package="same")
    assert _tree(tmp_path / "a") == first


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dirname", "package"),
    [
        ("kernel-port", "rustify_kernel_port"),
        ("My Kernels.v2", "rustify_my_kernels_v2"),
        ("2024", "rustify_2024"),
        ("rustify-port", "rustify_port"),
        ("rustify", "rustify_project"),
        ("---", "rustify_project"),
        ("ünïcode", "rustify_n_code"),
    ],
)
def test_default_package_derives_from_the_directory(
    tmp_path: Path, dirname: str, package: str
) -> None:
    result = emit_project(SOURCES, FUNCTIONS, tmp_path / dirname)
    assert result.package == package
    assert package.isidentifier()
    assert (tmp_path / dirname / "python" / package / "__init__.py").is_file()


@pytest.mark.parametrize("package", ["my.pkg", "class", "1abc", "os", "json", "_native", "pkg-x"])
def test_unusable_package_names_are_refused(tmp_path: Path, package: str) -> None:
    with pytest.raises(EmitError, match=repr(package)):
        emit_project(SOURCES, FUNCTIONS, tmp_path / "out", package=package)
    assert not (tmp_path / "out").exists()


def test_a_function_named_like_the_package_api_is_refused(tmp_path: Path) -> None:
    fns = _translate("def fallbacks(n: int) -> int:\n    return n + 1\n", "pkg.util")
    sources, emitted = _crate(fns)
    with pytest.raises(EmitError, match=r"pkg/util\.py:1: cannot emit pkg\.util:fallbacks"):
        emit_project(sources, emitted, tmp_path / "out")
    assert not (tmp_path / "out").exists()


# --- the directory --------------------------------------------------------------------------


def test_a_non_empty_directory_of_someone_else_is_refused(tmp_path: Path) -> None:
    dest = tmp_path / "mine"
    dest.mkdir()
    (dest / "notes.txt").write_text("keep me")
    with pytest.raises(EmitError, match="not empty and was not written by an earlier emit"):
        emit_project(SOURCES, FUNCTIONS, dest)
    assert _tree(dest) == {"notes.txt": b"keep me"}


def test_an_empty_directory_is_used(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = emit_project(SOURCES, FUNCTIONS, tmp_path / "empty")
    assert (tmp_path / "empty" / "Cargo.toml") in result.files


def test_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x")
    with pytest.raises(EmitError, match="not a directory"):
        emit_project(SOURCES, FUNCTIONS, tmp_path / "out")


def test_an_earlier_emit_is_replaced_and_other_files_kept(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    emit_project(SOURCES, FUNCTIONS, dest, package="first_pkg")
    # What a build and a user leave beside the emitted files.
    (dest / "Cargo.lock").write_text("# lock\n")
    (dest / "target" / "release").mkdir(parents=True)
    (dest / "target" / "release" / "lib_native.so").write_bytes(b"\x7fELF")
    (dest / "python" / "first_pkg" / "_native.abi3.so").write_bytes(b"\x7fELF")
    (dest / "NOTES.md").write_text("mine")

    only_dot = [f for f in KERNEL_FUNCTIONS if f.name == "dot"]
    sources, emitted = _crate(only_dot)
    result = emit_project(sources, emitted, dest, package="second_pkg")

    tree = _tree(dest)
    assert tree["Cargo.lock"] == b"# lock\n"
    assert tree["target/release/lib_native.so"] == b"\x7fELF"
    assert tree["NOTES.md"] == b"mine"
    # The old package's __init__.py is gone; its directory stays for the file left in it.
    assert "python/first_pkg/__init__.py" not in tree
    assert tree["python/first_pkg/_native.abi3.so"] == b"\x7fELF"
    assert "python/second_pkg/__init__.py" in tree
    assert "count_above" not in tree["README.md"].decode()
    assert b"count_above" not in tree["src/lib.rs"]
    manifest = json.loads(tree[MANIFEST])
    assert manifest["package"] == "second_pkg"
    assert {dest / rel for rel in manifest["files"]} | {dest / MANIFEST} == set(result.files)


def test_a_package_directory_left_empty_is_removed(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    emit_project(SOURCES, FUNCTIONS, dest, package="first_pkg")
    emit_project(SOURCES, FUNCTIONS, dest, package="second_pkg")
    assert not (dest / "python" / "first_pkg").exists()
    assert (dest / "python" / "second_pkg" / "__init__.py").is_file()


def test_an_edited_file_of_an_earlier_emit_is_not_overwritten(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    emit_project(SOURCES, FUNCTIONS, dest, package="kernels_rs")
    lib_rs = dest / "src" / "lib.rs"
    lib_rs.write_text(lib_rs.read_text() + "// tuned by hand\n")
    before = _tree(dest)
    with pytest.raises(EmitError, match=r"edited since \(src/lib\.rs\)"):
        emit_project(SOURCES, FUNCTIONS, dest, package="kernels_rs")
    assert _tree(dest) == before


def test_a_file_the_earlier_emit_did_not_write_is_not_overwritten(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    emit_project(SOURCES, FUNCTIONS, dest, package="first_pkg")
    theirs = dest / "python" / "second_pkg" / "__init__.py"
    theirs.parent.mkdir(parents=True)
    theirs.write_text("# someone's package\n")
    before = _tree(dest)
    with pytest.raises(EmitError, match=r"overwrite python/second_pkg/__init__\.py"):
        emit_project(SOURCES, FUNCTIONS, dest, package="second_pkg")
    assert _tree(dest) == before


def test_a_file_where_a_folder_of_the_project_goes_is_refused(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    emit_project(SOURCES, FUNCTIONS, dest, package="first_pkg")
    (dest / "python" / "second_pkg").write_text("a file, not a package")
    before = _tree(dest)
    with pytest.raises(EmitError, match=r"overwrite python/second_pkg/__init__\.py"):
        emit_project(SOURCES, FUNCTIONS, dest, package="second_pkg")
    assert _tree(dest) == before


@pytest.mark.parametrize(
    "manifest",
    [
        "not json",
        json.dumps({"generator": "something else", "files": {}}),
        json.dumps({"generator": "pytest-rustify emit", "format": 1, "files": ["README.md"]}),
        json.dumps({"generator": "pytest-rustify emit", "format": 1, "files": {"../x": "0"}}),
        json.dumps({"generator": "pytest-rustify emit", "format": 1, "files": {"/etc/x": "0"}}),
    ],
)
def test_a_manifest_that_cannot_be_trusted_is_refused(tmp_path: Path, manifest: str) -> None:
    outside = tmp_path / "x"
    outside.write_text("outside")
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / MANIFEST).write_text(manifest)
    with pytest.raises(EmitError, match="cannot be read"):
        emit_project(SOURCES, FUNCTIONS, dest)
    assert _tree(dest) == {MANIFEST: manifest.encode()}
    assert outside.read_text() == "outside"
