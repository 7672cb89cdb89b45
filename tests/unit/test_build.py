"""The build stage without a compiler: keys, generated manifests, cache entries, failures.

Real maturin builds live in tests/e2e/test_build_real.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import sysconfig
from dataclasses import replace
from pathlib import Path

import pytest

from pytest_rustify.build import (
    MODULE_PLACEHOLDER,
    PYO3_VERSION,
    BuildError,
    BuildResult,
    Toolchain,
    build_crate,
    crate_files,
    crate_key,
    find_toolchain,
    load_extension,
)

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib  # type: ignore[import-not-found]  # tomli is installed on 3.10

LIB_RS = """use pyo3::prelude::*;

#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

#[pymodule]
fn __RUSTIFY_MODULE__(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(add, m)?)?;
    Ok(())
}
"""
SOURCES = {"src/lib.rs": LIB_RS, "src/rt.rs": "pub fn helper() {}\n"}

# Paths that point nowhere: anything that tried to run them would fail loudly.
NOWHERE = Toolchain(
    cargo="/nonexistent/cargo",
    rustc="/nonexistent/rustc",
    maturin="/nonexistent/maturin",
    rustc_version="rustc 1.95.0 (59807616e 2026-04-14)",
    maturin_version="maturin 1.16.0",
)


def test_key_is_stable_and_ignores_dict_order_and_tool_paths() -> None:
    key = crate_key(SOURCES, toolchain=NOWHERE)
    reordered = dict(reversed(list(SOURCES.items())))
    moved = replace(NOWHERE, cargo="/elsewhere/cargo", maturin="/venv/bin/maturin")
    assert crate_key(reordered, toolchain=NOWHERE) == key
    assert crate_key(SOURCES, toolchain=moved) == key
    assert len(key) == 64 and int(key, 16) >= 0


@pytest.mark.parametrize(
    ("sources", "toolchain", "dependencies"),
    [
        ({**SOURCES, "src/lib.rs": LIB_RS.replace("a + b", "b + a")}, NOWHERE, {}),
        ({**SOURCES, "src/extra.rs": ""}, NOWHERE, {}),
        ({"src/lib.rs": LIB_RS, "src/other.rs": SOURCES["src/rt.rs"]}, NOWHERE, {}),
        (SOURCES, replace(NOWHERE, rustc_version="rustc 1.96.0"), {}),
        (SOURCES, replace(NOWHERE, maturin_version="maturin 1.17.0"), {}),
        (SOURCES, NOWHERE, {"num-bigint": "0.4"}),
    ],
    ids=["source-text", "new-file", "renamed-file", "rustc", "maturin", "dependency"],
)
def test_key_changes_with_what_determines_the_binary(
    sources: dict[str, str], toolchain: Toolchain, dependencies: dict[str, str]
) -> None:
    base = crate_key(SOURCES, toolchain=NOWHERE)
    assert crate_key(sources, toolchain=toolchain, dependencies=dependencies) != base


def test_key_follows_rustflags(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RUSTFLAGS", raising=False)
    base = crate_key(SOURCES, toolchain=NOWHERE)
    monkeypatch.setenv("RUSTFLAGS", "-C target-cpu=native")
    assert crate_key(SOURCES, toolchain=NOWHERE) != base


def test_crate_files_name_the_module_and_own_the_manifests() -> None:
    files = crate_files(SOURCES, "rustify_0123456789abcdef", {"smallvec": "1.13"})
    assert set(files) == {"src/lib.rs", "src/rt.rs", "Cargo.toml", "pyproject.toml"}
    assert all(MODULE_PLACEHOLDER not in text for text in files.values())
    assert "fn rustify_0123456789abcdef(m: &Bound" in files["src/lib.rs"]

    cargo = tomllib.loads(files["Cargo.toml"])
    assert cargo["package"]["name"] == "rustify_0123456789abcdef"
    assert cargo["lib"] == {
        "name": "rustify_0123456789abcdef",
        "crate-type": ["cdylib"],
        "path": "src/lib.rs",
    }
    assert cargo["dependencies"] == {
        "pyo3": {"version": f"={PYO3_VERSION}", "features": ["extension-module"]},
        "smallvec": "1.13",
    }
    release = cargo["profile"]["release"]
    assert (release["opt-level"], release["panic"], release["lto"]) == (3, "unwind", False)
    assert "workspace" in cargo

    pyproject = tomllib.loads(files["pyproject.toml"])
    assert pyproject["build-system"]["build-backend"] == "maturin"
    assert pyproject["tool"]["maturin"]["module-name"] == "rustify_0123456789abcdef"


def test_dependency_given_as_inline_table_is_kept() -> None:
    spec = '{ version = "0.4", default-features = false, features = ["std"] }'
    files = crate_files(SOURCES, "rustify_x", {"num-traits": spec})
    deps = tomllib.loads(files["Cargo.toml"])["dependencies"]
    assert deps["num-traits"] == {"version": "0.4", "default-features": False, "features": ["std"]}


@pytest.mark.parametrize(
    "path", ["/abs/lib.rs", "../escape.rs", "src/../../x.rs", "Cargo.toml", "pyproject.toml"]
)
def test_crate_files_refuse_paths_the_translator_may_not_write(path: str) -> None:
    with pytest.raises(ValueError, match=r"crate|build stage"):
        crate_files({**SOURCES, path: ""}, "rustify_x")


@pytest.mark.parametrize("name", ["pyo3", "bad name", ""])
def test_bad_dependency_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="dependency"):
        crate_files(SOURCES, "rustify_x", {name: "1"})


def test_missing_maturin_is_a_failed_result_naming_it(tmp_path: Path) -> None:
    toolchain = replace(NOWHERE, maturin=None, maturin_version="")
    result = build_crate(SOURCES, cache_dir=tmp_path, toolchain=toolchain)
    assert result.status == "failed"
    assert result.extension is None
    assert "maturin not found" in result.message
    assert "pip install maturin" in result.message
    assert "rustup" not in result.message
    assert result.module_name == "rustify_" + result.key[:16]
    assert not (tmp_path / "builds" / result.key).exists()


def test_missing_rust_points_at_rustup(tmp_path: Path) -> None:
    toolchain = replace(NOWHERE, cargo=None, rustc=None, rustc_version="")
    result = build_crate(SOURCES, cache_dir=tmp_path, toolchain=toolchain)
    assert result.status == "failed"
    assert "cargo, rustc not found" in result.message
    assert "https://rustup.rs" in result.message


def test_unwritable_cache_dir_is_a_failed_result(tmp_path: Path) -> None:
    # A path below a regular file cannot be created, even by root.
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    result = build_crate(SOURCES, cache_dir=blocker / "cache", toolchain=NOWHERE)
    assert result.status == "failed"
    assert "cannot write to the build cache" in result.message
    assert str(blocker / "cache") in result.message
    assert "TIP:" in result.message


def _plant_entry(cache_dir: Path, toolchain: Toolchain, payload: bytes) -> tuple[str, Path]:
    """Write a finished-looking cache entry for SOURCES by hand, as a build would."""
    key = crate_key(SOURCES, toolchain=toolchain)
    module = "rustify_" + key[:16]
    build_dir = cache_dir / "builds" / key
    build_dir.mkdir(parents=True)
    extension = build_dir / (module + sysconfig.get_config_var("EXT_SUFFIX"))
    extension.write_bytes(payload)
    manifest = {
        "key": key,
        "module": module,
        "extension": extension.name,
        "sha256": hashlib.sha256(payload).hexdigest(),
    }
    (build_dir / "manifest.json").write_text(json.dumps(manifest))
    return key, extension


def test_a_valid_entry_is_cached_without_running_anything(tmp_path: Path) -> None:
    key, extension = _plant_entry(tmp_path, NOWHERE, b"pretend this is a shared library")
    result = build_crate(SOURCES, cache_dir=tmp_path, toolchain=NOWHERE)
    assert result.status == "cached", result.message
    assert result.extension == extension
    assert result.cache_dir == tmp_path / "builds" / key


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete", "bad-json", "other-key"])
def test_a_damaged_entry_is_not_trusted(tmp_path: Path, damage: str) -> None:
    _, extension = _plant_entry(tmp_path, NOWHERE, b"pretend this is a shared library")
    manifest = extension.parent / "manifest.json"
    if damage == "truncate":
        extension.write_bytes(b"pretend")
    elif damage == "flip":
        extension.write_bytes(b"Pretend this is a shared library")
    elif damage == "delete":
        extension.unlink()
    elif damage == "bad-json":
        manifest.write_text('{"key": ')
    else:
        manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "key": "0" * 64}))
    # A rebuild is attempted (and fails here, as the toolchain points nowhere).
    result = build_crate(SOURCES, cache_dir=tmp_path, toolchain=NOWHERE)
    assert result.status == "failed"
    assert "could not start maturin" in result.message
    assert result.log is not None and result.log.exists()


def test_load_extension_refuses_a_tampered_file(tmp_path: Path) -> None:
    _, extension = _plant_entry(tmp_path, NOWHERE, b"pretend this is a shared library")
    result = build_crate(SOURCES, cache_dir=tmp_path, toolchain=NOWHERE)
    extension.write_bytes(b"something else entirely")
    with pytest.raises(BuildError, match=r"refusing to import .*sha256"):
        load_extension(result)
    assert result.module_name not in sys.modules


def test_load_extension_refuses_a_failed_build(tmp_path: Path) -> None:
    failed = BuildResult(
        status="failed",
        seconds=0.0,
        key="0" * 64,
        module_name="rustify_" + "0" * 16,
        extension=None,
        cache_dir=tmp_path,
        log=None,
        message="building rustify_0000000000000000 failed: maturin exited with code 1.",
    )
    with pytest.raises(BuildError, match="its build failed"):
        load_extension(failed)


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as a fake maturin")
def test_find_toolchain_prefers_the_maturin_beside_python(tmp_path: Path) -> None:
    fake = tmp_path / "maturin"
    fake.write_text("#!/bin/sh\necho 'maturin 9.9.9'\n")
    fake.chmod(0o755)
    toolchain = find_toolchain(str(tmp_path / "python"))
    assert toolchain.maturin == str(fake)
    assert toolchain.maturin_version == "maturin 9.9.9"
    assert "maturin" not in toolchain.missing()


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as a fake maturin")
def test_find_toolchain_counts_a_broken_maturin_as_missing(tmp_path: Path) -> None:
    fake = tmp_path / "maturin"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    toolchain = find_toolchain(str(tmp_path / "python"))
    if toolchain.maturin is not None:  # a working maturin on PATH is the fallback
        assert toolchain.maturin != str(fake)
    else:
        assert "maturin" in toolchain.missing()


def test_toolchain_missing_lists_absent_tools_in_order() -> None:
    none = Toolchain(cargo=None, rustc=None, maturin=None, rustc_version="", maturin_version="")
    assert none.missing() == ("cargo", "rustc", "maturin")
    assert NOWHERE.missing() == ()
