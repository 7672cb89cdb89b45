"""The release profile the build writes, and the cache's work directory, without a compiler:
a toolchain that points nowhere fails at the launch of maturin, after the crate was
written where it would have been built."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from pytest_rustify.build import (
    RELEASE_PROFILE,
    Profile,
    Toolchain,
    build_crate,
    crate_files,
    crate_key,
)

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib  # type: ignore[import-not-found]  # tomli is installed on 3.10

LIB_RS = """use pyo3::prelude::*;

mod rt;

#[pymodule]
fn __RUSTIFY_MODULE__(m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
"""
SOURCES = {"src/lib.rs": LIB_RS, "src/rt.rs": "pub fn helper() {}\n"}
NOWHERE = Toolchain(
    cargo="/nonexistent/cargo",
    rustc="/nonexistent/rustc",
    maturin="/nonexistent/maturin",
    rustc_version="rustc 1.95.0 (59807616e 2026-04-14)",
    maturin_version="maturin 1.16.0",
)
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="Windows builds per crate")


def test_the_generated_cargo_toml_has_the_measured_profile() -> None:
    # Chosen by benches/build_profiles.py (benches/build_times.md): incremental builds
    # rebuild one changed function in half the time and, with ThinLTO among the codegen
    # units kept, run as fast.
    cargo = tomllib.loads(crate_files(SOURCES, "rustify_x")["Cargo.toml"])
    assert cargo["profile"]["release"] == {
        "opt-level": 3,
        "debug": False,
        "lto": False,
        "codegen-units": 16,
        "incremental": True,
        "panic": "unwind",
    }
    assert RELEASE_PROFILE == Profile(opt_level=3, codegen_units=16, lto="false", incremental=True)


@pytest.mark.parametrize(
    "profile",
    [
        replace(RELEASE_PROFILE, opt_level=2),
        replace(RELEASE_PROFILE, lto="thin"),
        replace(RELEASE_PROFILE, incremental=not RELEASE_PROFILE.incremental),
    ],
)
def test_the_profile_is_part_of_the_key(profile: Profile) -> None:
    assert crate_key(SOURCES, toolchain=NOWHERE, profile=profile) != crate_key(
        SOURCES, toolchain=NOWHERE
    )
    lto = tomllib.loads(crate_files(SOURCES, "rustify_x", profile=profile)["Cargo.toml"])
    assert lto["profile"]["release"]["opt-level"] == profile.opt_level


def _attempt(sources: dict[str, str], cache: Path) -> str:
    result = build_crate(sources, cache_dir=cache, toolchain=NOWHERE)
    assert result.status == "failed" and "could not start maturin" in result.message
    return result.key


@posix_only
def test_every_crate_of_a_cache_is_written_to_one_work_dir(tmp_path: Path) -> None:
    first = _attempt({**SOURCES, "src/extra.rs": "// only in the first\n"}, tmp_path)
    work = tmp_path / "work"
    rt_mtime = (work / "src" / "rt.rs").stat().st_mtime_ns
    os.utime(work / "src" / "rt.rs", ns=(rt_mtime - 10**9, rt_mtime - 10**9))
    changed = {**SOURCES, "src/lib.rs": LIB_RS.replace("Ok(())", "Ok(()) // changed")}
    second = _attempt(changed, tmp_path)

    assert first != second
    assert (work / "src" / "lib.rs").read_text().endswith("Ok(()) // changed\n}\n")
    assert f"fn rustify_{second[:16]}(m: &Bound" in (work / "src" / "lib.rs").read_text()
    assert not (work / "src" / "extra.rs").exists()
    # An unchanged file is not rewritten, so cargo's fingerprint of it stays.
    assert (work / "src" / "rt.rs").stat().st_mtime_ns == rt_mtime - 10**9

    cargo = tomllib.loads((work / "Cargo.toml").read_text())
    pyproject = tomllib.loads((work / "pyproject.toml").read_text())
    assert cargo["package"]["name"] == cargo["lib"]["name"]
    assert cargo["lib"]["name"].startswith("rustify_work_")
    assert pyproject["tool"]["maturin"]["module-name"] == f"rustify_{second[:16]}"
    # The standalone copy of each crate stays under its own name.
    for key in (first, second):
        kept = tomllib.loads((tmp_path / "crates" / key / "Cargo.toml").read_text())
        assert kept["lib"]["name"] == f"rustify_{key[:16]}"
    assert (tmp_path / "crates" / first / "src" / "extra.rs").exists()


@posix_only
def test_caches_sharing_a_target_dir_build_under_different_names(tmp_path: Path) -> None:
    names = set()
    for cache in (tmp_path / "a", tmp_path / "b"):
        _attempt(SOURCES, cache)
        names.add(tomllib.loads((cache / "work" / "Cargo.toml").read_text())["lib"]["name"])
    assert len(names) == 2
