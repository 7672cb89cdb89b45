"""Emit: the session's crate -> a standalone maturin project that a team can adopt.

Input: the translator's crate sources (module name still ``MODULE_PLACEHOLDER``), the
functions the crate exports with where each came from, and a directory. Output: an
``EmitResult`` naming the Python package and the files written::

    fn = EmittedFunction("dot", "pkg.mod:dot", "pkg/mod.py", 4, "fn dot(a: Vec<f64>, ...) -> f64")
    result = emit_project(generate_crate(module), [fn], Path("rust-port"))
    result.package      # "rustify_rust_port"

The project uses maturin's mixed Rust/Python layout, so ``pip install .`` gives a
package whose functions call Rust and fall back to the Python originals exactly as the
``[rust]`` tests did::

    rust-port/
      Cargo.toml  pyproject.toml  README.md  .gitignore  .rustify-emit.json
      src/lib.rs  src/rt.rs                      the extension <package>._native
      python/<package>/__init__.py               exports them, fallbacks()

``.rustify-emit.json`` lists the files written with their sha256: a later emit into the
same directory replaces exactly those files (refusing if any was edited since) and
leaves everything else there, such as ``target/`` or the user's own files. A non-empty
directory without it is not ours and is refused.
"""

from __future__ import annotations

import hashlib
import json
import keyword
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pytest_rustify._fs import write_atomic
from pytest_rustify.build import PYO3_VERSION, crate_files
from pytest_rustify.errors import RustifyError, RustifyInternalError
from pytest_rustify.translate.rust import crate_dependencies

MANIFEST = ".rustify-emit.json"
NATIVE = "_native"

_GENERATOR = "pytest-rustify emit"
_MANIFEST_FORMAT = 1
# Names the generated __init__.py defines itself; an exported function must not shadow them.
_RESERVED = frozenset({"fallbacks", NATIVE})
_RESERVED_PREFIXES = ("_rustify", "__")
# Files the project has beside the crate's own sources.
_PROJECT_FILES = frozenset({MANIFEST, "README.md", ".gitignore"})


@dataclass(frozen=True)
class EmittedFunction:
    """One function of the emitted module and the Python original it was translated from."""

    name: str  # the exported name in the module
    target: str  # pkg.mod:func, the Python original
    file: str
    line: int
    signature: str  # rust_signature(...)


@dataclass(frozen=True)
class EmitResult:
    """Where the project was written, its Python package and every file written."""

    directory: Path
    package: str
    files: tuple[Path, ...]


class EmitError(RustifyError):
    """The project cannot be written there, or with that name. Its message says whether
    anything was changed (only when the disk failed half-way)."""


def emit_project(
    sources: Mapping[str, str],
    functions: Sequence[EmittedFunction],
    dest: Path,
    *,
    package: str | None = None,
    dependencies: Mapping[str, str] | None = None,
) -> EmitResult:
    """Write ``sources`` as a maturin project in ``dest``, replacing a previous emit there.

    :param functions: what the crate exports, in the order the README lists them.
    :param package: the Python package (default ``rustify_<dest's name>``).
    :param dependencies: extra crates (default: what the sources need).
    :raises EmitError: ``dest`` holds files that are not from an earlier emit, files of
        an earlier emit were edited since, a name cannot be used, or the disk fails.
        Every check runs before the first file is touched.
    """
    dest = Path(os.path.abspath(dest))
    package = _default_package(dest) if package is None else _checked_package(package)
    _check_functions(functions, sources)
    if dependencies is None:
        dependencies = crate_dependencies(dict(sources))
    files = _project_files(sources, functions, package, dependencies)
    try:
        previous = _previous_emit(dest)
        _check_replaceable(dest, files, previous)
    except OSError as exc:
        raise EmitError(
            f"cannot emit the Rust project into {dest}: {exc}. Nothing was changed."
        ) from exc
    try:
        for rel in sorted(set(previous) - set(files)):
            path = dest / rel
            if path.is_file() or path.is_symlink():
                path.unlink()
                _remove_empty_parents(path.parent, dest)
        for rel, text in files.items():
            write_atomic(dest / rel, text)
        # Written last: an interrupted emit leaves the old manifest, which still names
        # only files of ours.
        write_atomic(dest / MANIFEST, _manifest(package, files))
    except OSError as exc:
        raise EmitError(
            f"emitting the Rust project into {dest} failed half-way, some files are "
            f"replaced and some not: {exc}.\nTIP: fix the cause, delete {dest} (after saving "
            "anything of yours in it) and emit again."
        ) from exc
    return EmitResult(
        directory=dest,
        package=package,
        files=tuple(dest / rel for rel in sorted([*files, MANIFEST])),
    )


# --- names -------------------------------------------------------------------------------


def _default_package(dest: Path) -> str:
    stem = re.sub(r"[^0-9a-z]+", "_", dest.name.lower()).strip("_")
    stem = re.sub(r"^rustify(_|$)", "", stem)  # "rustify-port" -> rustify_port, not doubled
    return f"rustify_{stem}" if stem else "rustify_project"


def _checked_package(package: str) -> str:
    if not package.isascii() or not _is_name(package) or package == NATIVE:
        raise EmitError(
            f"cannot emit a Python package named {package!r}: the name must be a plain "
            f"identifier (letters, digits, underscores; no dots) other than {NATIVE}, such as "
            "rustify_kernels"
        )
    if package in sys.stdlib_module_names:
        raise EmitError(
            f"cannot emit a Python package named {package!r}: it would shadow the "
            f"standard library's module of that name; choose another, such as rustify_{package}"
        )
    return package


def _check_functions(functions: Sequence[EmittedFunction], sources: Mapping[str, str]) -> None:
    lib_rs = sources.get("src/lib.rs")
    if lib_rs is None:
        raise RustifyInternalError("emit_project was given crate sources without src/lib.rs")
    seen: set[str] = set()
    for fn in functions:
        if not _is_name(fn.name):
            raise RustifyInternalError(f"emitted function name is not an identifier: {fn.name!r}")
        if fn.name in seen:
            raise RustifyInternalError(f"two emitted functions are named {fn.name!r}")
        seen.add(fn.name)
        if f'"{fn.name}"' not in lib_rs:
            raise RustifyInternalError(f"the crate does not export a function {fn.name!r}")
        if fn.name in _RESERVED or fn.name.startswith(_RESERVED_PREFIXES):
            raise EmitError(
                f"{fn.file}:{fn.line}: cannot emit {fn.target}: its name {fn.name!r} is taken "
                "by the emitted package itself; rename the function to emit it"
            )
        _split_target(fn.target)


def _split_target(target: str) -> tuple[str, str]:
    """``pkg.mod:func`` -> (``pkg.mod``, ``func``); the attribute may be dotted."""
    module, sep, attr = target.partition(":")
    dotted = (*module.split("."), *attr.split("."))
    if not sep or not all(_is_name(part) for part in dotted):
        raise RustifyInternalError(f"emitted function target is not MOD:FUNC: {target!r}")
    return module, attr


def _is_name(text: str) -> bool:
    return text.isidentifier() and not keyword.iskeyword(text)


# --- the files ---------------------------------------------------------------------------


def _project_files(
    sources: Mapping[str, str],
    functions: Sequence[EmittedFunction],
    package: str,
    dependencies: Mapping[str, str],
) -> dict[str, str]:
    for rel in sources:
        if rel in _PROJECT_FILES or rel.startswith("python/"):
            raise RustifyInternalError(f"crate source path collides with the project: {rel}")
    crate = crate_files(sources, NATIVE, dependencies)
    files = {rel: text for rel, text in crate.items() if rel != "pyproject.toml"}
    files["Cargo.toml"] = _cargo_toml(crate["Cargo.toml"], package)
    files["pyproject.toml"] = _pyproject_toml(package)
    files[f"python/{package}/__init__.py"] = _init_py(functions, package)
    files["README.md"] = _readme(functions, package)
    files[".gitignore"] = _GITIGNORE
    return dict(sorted(files.items()))


def _cargo_toml(text: str, package: str) -> str:
    """The build stage's manifest with the cargo package named after the Python package;
    the library keeps the name ``_native``, which names the extension's init symbol."""
    old = f'[package]\nname = "{NATIVE}"\n'
    if old not in text:
        raise RustifyInternalError("the build stage's Cargo.toml no longer starts as expected")
    return text.replace(old, f'[package]\nname = "{package}"\n', 1)


def _pyproject_toml(package: str) -> str:
    return f"""\
[build-system]
requires = ["maturin>=1.5,<2"]
build-backend = "maturin"

[project]
name = "{package}"
version = "0.1.0"
description = "Rust ports of Python functions, generated by pytest-rustify"
readme = "README.md"
requires-python = ">=3.10"
classifiers = [
    "Programming Language :: Python :: Implementation :: CPython",
    "Programming Language :: Rust",
]

[tool.maturin]
bindings = "pyo3"
python-source = "python"
module-name = "{package}.{NATIVE}"
"""


_GITIGNORE = """\
/target
*.so
*.pyd
__pycache__/
"""


def _init_py(functions: Sequence[EmittedFunction], package: str) -> str:
    """The package's ``__init__.py``, laid out as black and ruff format would leave it
    (exploded lists with trailing commas), so that adopting it causes no churn."""
    names = sorted(fn.name for fn in functions)
    imports = "".join(f"    {name},\n" for name in names)
    import_block = f"from .{NATIVE} import (\n{imports})\n" if names else ""
    exported = "".join(f"    {_py_str(name)},\n" for name in sorted([*names, "fallbacks"]))
    table = ""
    for fn in functions:
        module, attr = _split_target(fn.target)
        fields = "".join(f"        {_py_str(v)},\n" for v in (module, attr, fn.signature))
        table += f"    {_py_str(fn.name)}: (\n{fields}    ),\n"
    return f'''\
"""Rust ports of Python functions, generated by pytest-rustify.

Every function here is compiled Rust, from the extension module {NATIVE}. A call the
Rust version was not built for (an argument of another type, an int that does not fit
in 64 bits) is handed to the Python original, imported at that moment, and counted: see
fallbacks(). README.md says where each function came from.
"""

import importlib as _rustify_importlib

from . import {NATIVE}
{import_block}
__all__ = [
{exported}]

# exported name -> (module of the Python original, its attribute, the Rust signature)
_RUSTIFY_ORIGINALS = {{
{table}}}


def fallbacks():
    """How many calls of each function were handed back to Python since import."""
    return dict({NATIVE}.__rustify_fallbacks__())


class _RustifyOriginal:
    """The Python original of one function, imported at its first fallback rather than
    with this package: the original's module may be absent, or may import this one."""

    __slots__ = ("_attr", "_module", "_name", "_signature")

    def __init__(self, name, module, attr, signature):
        self._name = name
        self._module = module
        self._attr = attr
        self._signature = signature

    def __call__(self, *args, **kwargs):
        return self._resolve()(*args, **kwargs)

    def _resolve(self):
        function = f"{{__name__}}.{{self._name}}"
        original_name = f"{{self._module}}:{{self._attr}}"
        try:
            original = _rustify_importlib.import_module(self._module)
            for part in self._attr.split("."):
                original = getattr(original, part)
        except (ImportError, AttributeError) as exc:
            raise ImportError(
                f"{{function}}: this call needs the Python original {{original_name}} "
                f"(the Rust version, {{self._signature}}, does not take these "
                f"arguments, or an int outgrew 64 bits), but it cannot be imported: "
                f"{{exc}}. Make the module {{self._module!r}} importable (install it, or "
                f"put its directory on sys.path), or pass only the argument types the "
                f"Rust version takes.",
                name=self._module,
            ) from exc
        if original is getattr({NATIVE}, self._name):
            raise RuntimeError(
                f"{{function}}: {{original_name}} is now this Rust function itself, so "
                f"a call it cannot take has no Python version to fall back to. Keep "
                f"the Python original under another name and point the entry of "
                f"{{self._name!r}} in {{__name__}}._RUSTIFY_ORIGINALS at it."
            )
        return original


def _rustify_register():
    for name, (module, attr, signature) in _RUSTIFY_ORIGINALS.items():
        original = _RustifyOriginal(name, module, attr, signature)
        {NATIVE}.__rustify_originals__[name] = original


_rustify_register()
'''


def _py_str(text: str) -> str:
    """A double-quoted Python string literal (JSON's escapes are Python's too)."""
    return json.dumps(text)


def _readme(functions: Sequence[EmittedFunction], package: str) -> str:
    rows = "".join(
        f"| {_code(fn.name)} | {_code(fn.signature)} | {_code(fn.target)} "
        f"| {_code(f'{fn.file}:{fn.line}')} |\n"
        for fn in functions
    )
    example = functions[0].name if functions else "f"
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f"""\
# {package}

Rust ports of Python functions, generated by
[pytest-rustify](https://github.com/pytest-rustify/pytest-rustify) from the functions
below and checked against them on the calls of their test suite. Each is a PyO3 function
with the same name and arguments as its Python original, and returns what the original
returns.

| function | Rust signature | Python original | defined at |
| --- | --- | --- | --- |
{rows}
## Build and install

With a Rust toolchain (https://rustup.rs) and Python >= 3.10:

```sh
pip install .                    # build a release wheel and install it
# or, in a virtualenv, while working on the Rust code:
pip install maturin
maturin develop --release
# or build a wheel into target/wheels/:
maturin build --release
```

Then:

```python
from {package} import {example}
```

## Fallbacks

A call the Rust version was not built for (an argument of another type than its
signature says, or an int that no longer fits in 64 bits) is handed to the Python
original, which is imported at that moment, so its package must be importable where
this one is used. `{package}.fallbacks()` counts those calls per function; a function
whose calls all fall back gains nothing.

## Layout

- `src/lib.rs`: the generated functions, each an `impl_<name>` in plain Rust and a
  dispatcher that converts arguments and falls back; `src/rt.rs`: the runtime that keeps
  Python's semantics (overflow checks, floor division, exceptions).
- `python/{package}/__init__.py`: exports the functions and registers the originals.
- The extension module is `{package}.{NATIVE}` (PyO3 {PYO3_VERSION}); `sum()` of floats
  follows Python {python}, where this project was generated.

This directory was written by `pytest --rustify --rustify-emit DIR`. Emitting again
into it replaces the files listed in `{MANIFEST}` and keeps any other file; it stops
instead if one of the listed files was edited since.
"""


def _code(text: str) -> str:
    """A markdown table cell holding ``text`` as code."""
    return "`" + text.replace("|", "\\|") + "`"


def _manifest(package: str, files: Mapping[str, str]) -> str:
    data = {
        "generator": _GENERATOR,
        "format": _MANIFEST_FORMAT,
        "package": package,
        "files": {rel: _sha256(text.encode("utf-8")) for rel, text in files.items()},
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


# --- replacing an earlier emit -----------------------------------------------------------


def _previous_emit(dest: Path) -> dict[str, str]:
    """The files (relative path -> sha256) of an earlier emit in ``dest``; ``{}`` if empty."""
    if not dest.exists():
        return {}
    if not dest.is_dir():
        raise EmitError(f"cannot emit the Rust project into {dest}: it is not a directory")
    if not any(dest.iterdir()):
        return {}
    manifest = dest / MANIFEST
    if not manifest.is_file():
        raise EmitError(
            f"cannot emit the Rust project into {dest}: the directory is not empty and was "
            f"not written by an earlier emit (it has no {MANIFEST}). Nothing was changed.\n"
            "TIP: pass an empty or new directory to --rustify-emit."
        )
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        files = data["files"] if data["generator"] == _GENERATOR else None
        if not isinstance(files, dict):
            raise ValueError("no file list")
        checked = {_checked_rel(rel): str(sha) for rel, sha in files.items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EmitError(
            f"cannot emit the Rust project into {dest}: {manifest} cannot be read ({exc}), so "
            "which files an earlier emit wrote is unknown. Nothing was changed.\n"
            f"TIP: delete {dest} (after saving anything of yours in it) or choose another "
            "directory."
        ) from exc
    return checked


def _checked_rel(rel: object) -> str:
    """A manifest path, refused unless it stays inside the directory."""
    if not isinstance(rel, str):
        raise TypeError(f"file name {rel!r} is not a string")
    path = PurePosixPath(rel)
    if not rel or path.is_absolute() or ".." in path.parts or "\\" in rel or rel == MANIFEST:
        raise ValueError(f"file name {rel!r} points outside the project")
    return rel


def _check_replaceable(dest: Path, files: Mapping[str, str], previous: Mapping[str, str]) -> None:
    edited = sorted(
        rel
        for rel, sha in previous.items()
        if (dest / rel).is_file() and _sha256((dest / rel).read_bytes()) != sha
    )
    if edited:
        raise EmitError(
            f"cannot emit the Rust project into {dest}: files of the earlier emit were edited "
            f"since ({', '.join(edited)}) and would be overwritten. Nothing was changed.\n"
            "TIP: move your changes elsewhere and delete those files, or choose another "
            "directory."
        )
    theirs = sorted(
        rel for rel in files if rel not in previous and _in_the_way(dest, PurePosixPath(rel))
    )
    if theirs:
        raise EmitError(
            f"cannot emit the Rust project into {dest}: it would overwrite "
            f"{', '.join(theirs)}, which the earlier emit did not write. Nothing was changed.\n"
            "TIP: move those files away, or choose another directory."
        )


def _in_the_way(dest: Path, rel: PurePosixPath) -> bool:
    """Something already at ``rel``, or a non-directory where one of its folders goes."""
    if os.path.lexists(dest / rel):
        return True
    return any(
        os.path.lexists(dest / parent) and not (dest / parent).is_dir()
        for parent in rel.parents
        if parent != PurePosixPath(".")
    )


def _remove_empty_parents(directory: Path, root: Path) -> None:
    while directory != root and directory.is_relative_to(root):
        try:
            directory.rmdir()
        except OSError:
            return  # not empty: something else lives there
        directory = directory.parent


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
