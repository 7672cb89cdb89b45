"""The pure pieces behind the build faults: rustc's errors read from a log, a rustc too
old for pyo3, a cache directory that cannot be written, the build's time limit option."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from pytest_rustify.build import (
    PYO3_RUST_VERSION,
    CompileError,
    Toolchain,
    build_crate,
    cache_problem,
    compile_errors,
)
from pytest_rustify.errors import RustifyUsageError
from pytest_rustify.options import RustifyOptions, load_options

LOG = """\
   Compiling rustify_work_777dd82b2c30 v0.1.0 (/cache/work)
warning: unused variable: `x`
  --> src/lib.rs:10:9
error[E0308]: mismatched types
  --> src/lib.rs:73:23
   |
73 |     let broken: i64 = "not an int";
   |                 ---   ^^^^^^^^^^^^ expected `i64`, found `&str`

error: cannot find value `y` in this scope
   --> src/lib.rs:140:5
error: could not compile `rustify_work_777dd82b2c30` (lib) due to 2 previous errors
"""

TOOLS = Toolchain(
    cargo="/nonexistent/cargo",
    rustc="/nonexistent/rustc",
    maturin="/nonexistent/maturin",
    rustc_version="rustc 1.95.0 (59807616e 2026-04-14)",
    maturin_version="maturin 1.16.0",
)


def test_compile_errors_are_the_errors_with_a_place() -> None:
    assert compile_errors(LOG) == (
        CompileError("src/lib.rs", 73, 23, "error[E0308]: mismatched types"),
        CompileError("src/lib.rs", 140, 5, "error: cannot find value `y` in this scope"),
    )
    assert compile_errors("error: linker `cc` not found\n") == ()


@pytest.mark.parametrize(
    ("version", "old"),
    [
        ("rustc 1.60.0 (7737e0b5c 2022-04-04)", "1.60.0"),
        ("rustc 1.84.1 (e71f9a9a9 2025-01-27)", "1.84.1"),
        ("rustc 1.85.0 (4d91de4e4 2025-02-17)", ""),
        ("rustc 1.95.0-nightly (abc 2026-01-01)", ""),
        ("", ""),  # unknown: the build says what is wrong
    ],
)
def test_a_rustc_older_than_pyo3_needs_is_found(version: str, old: str) -> None:
    assert PYO3_RUST_VERSION == (1, 85)
    assert replace(TOOLS, rustc_version=version).older_than(PYO3_RUST_VERSION) == old


def test_a_too_old_rustc_fails_before_any_build_with_the_fix(tmp_path: Path) -> None:
    old = replace(TOOLS, rustc_version="rustc 1.60.0 (7737e0b5c 2022-04-04)")
    result = build_crate({"src/lib.rs": "// nothing\n"}, cache_dir=tmp_path, toolchain=old)
    assert result.status == "failed"
    assert "rustc 1.60.0 is older than the 1.85 pyo3 0.30.1 needs" in result.message
    assert "TIP: rustup update" in result.message
    assert not (tmp_path / "crates").exists()  # nothing was started


def test_cache_problem_tries_rather_than_asks(tmp_path: Path) -> None:
    assert cache_problem(tmp_path / "new" / "cache") == ""
    assert (tmp_path / "new" / "cache").is_dir()
    assert os.listdir(tmp_path / "new" / "cache") == []  # the probe is gone
    a_file = tmp_path / "file"
    a_file.write_text("")
    assert cache_problem(a_file / "cache") != ""


def _options(**given: object) -> RustifyOptions:
    return load_options(lambda dest: given.get(dest), pyproject=None, rootdir=Path.cwd())


def test_the_build_timeout_option() -> None:
    assert _options().build_timeout == 900.0
    assert _options(rustify_build_timeout="2.5").build_timeout == 2.5
    with pytest.raises(RustifyUsageError, match="--rustify-build-timeout: expected a number"):
        _options(rustify_build_timeout="-1")
