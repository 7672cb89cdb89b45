"""Real maturin builds of tiny hand-written pyo3 crates through ``build_crate``.

All builds share the suite's cargo target directory (CARGO_TARGET_DIR, set by the
autouse fixture in tests/conftest.py), so pyo3 compiles once; each crate here then costs
a few seconds. The distinct crates are kept few on purpose.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import threading
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from pytest_rustify.build import (
    BuildError,
    BuildResult,
    Toolchain,
    build_crate,
    find_toolchain,
    load_extension,
)

TINY = {
    "src/lib.rs": """use pyo3::prelude::*;

#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

#[pyfunction]
fn boom() -> i64 {
    panic!("boom from rust")
}

#[pymodule]
fn __RUSTIFY_MODULE__(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(add, m)?)?;
    m.add_function(wrap_pyfunction!(boom, m)?)?;
    Ok(())
}
"""
}


def _one_function_crate(body: str) -> dict[str, str]:
    return {
        "src/lib.rs": f"""use pyo3::prelude::*;

#[pyfunction]
fn f(a: i64) -> i64 {{
    {body}
}}

#[pymodule]
#[pyo3(name = "__RUSTIFY_MODULE__")]
fn entry(m: &Bound<'_, PyModule>) -> PyResult<()> {{
    m.add_function(wrap_pyfunction!(f, m)?)?;
    Ok(())
}}
"""
    }


@dataclass(frozen=True)
class Tiny:
    result: BuildResult
    progress: tuple[str, ...]


@pytest.fixture(scope="module")
def real_toolchain(toolchain: None) -> Toolchain:
    found = find_toolchain()
    assert found.missing() == (), found
    return found


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rustify-cache")


@pytest.fixture(scope="module")
def tiny(real_toolchain: Toolchain, cache: Path) -> Tiny:
    said: list[str] = []
    result = build_crate(TINY, cache_dir=cache, toolchain=real_toolchain, progress=said.append)
    assert result.status == "built", result.message
    return Tiny(result, tuple(said))


def test_built_module_loads_and_runs(tiny: Tiny, cache: Path) -> None:
    result = tiny.result
    module = load_extension(result)
    assert module.add(2, 3) == 5
    assert load_extension(result) is module
    # panic = "unwind": pyo3 turns the panic into a Python exception, not an abort.
    with pytest.raises(BaseException, match="boom from rust"):
        module.boom()

    assert result.module_name == "rustify_" + result.key[:16]
    assert result.cache_dir == cache / "builds" / result.key
    assert result.extension == result.cache_dir / (
        result.module_name + sysconfig.get_config_var("EXT_SUFFIX")
    )
    assert result.log == result.cache_dir / "build.log" and result.log.exists()
    assert (result.cache_dir / "manifest.json").exists()
    lib_rs = (cache / "crates" / result.key / "src" / "lib.rs").read_text()
    assert f"fn {result.module_name}(m: &Bound" in lib_rs
    assert (cache / "Cargo.lock").exists()
    assert f"compiling {result.module_name}" in " ".join(tiny.progress)


def test_second_build_is_cached_with_no_toolchain_at_all(
    tiny: Tiny, cache: Path, real_toolchain: Toolchain, monkeypatch: pytest.MonkeyPatch
) -> None:
    nowhere = replace(
        real_toolchain,
        cargo="/nonexistent/cargo",
        rustc="/nonexistent/rustc",
        maturin="/nonexistent/maturin",
    )
    monkeypatch.setenv("PATH", "")
    result = build_crate(TINY, cache_dir=cache, toolchain=nowhere)
    assert result.status == "cached", result.message
    assert result.extension == tiny.result.extension
    assert load_extension(result).add(40, 2) == 42


def test_corrupted_entry_is_refused_then_rebuilt(
    tiny: Tiny, real_toolchain: Toolchain, cache: Path, tmp_path: Path
) -> None:
    # Work on a copy: the module-wide entry is loaded in this process.
    key, extension = tiny.result.key, tiny.result.extension
    assert extension is not None
    shutil.copytree(tiny.result.cache_dir, tmp_path / "builds" / key)
    shutil.copyfile(cache / "Cargo.lock", tmp_path / "Cargo.lock")
    copied = replace(
        tiny.result,
        cache_dir=tmp_path / "builds" / key,
        extension=tmp_path / "builds" / key / extension.name,
    )
    assert copied.extension is not None
    data = copied.extension.read_bytes()
    copied.extension.write_bytes(data[: len(data) // 2])

    with pytest.raises(BuildError, match="refusing to import"):
        load_extension(copied)

    rebuilt = build_crate(TINY, cache_dir=tmp_path, toolchain=real_toolchain)
    assert rebuilt.status == "built", rebuilt.message
    assert rebuilt.extension == copied.extension
    assert load_extension(rebuilt).add(1, 1) == 2


def test_compile_error_is_a_failed_result(real_toolchain: Toolchain, cache: Path) -> None:
    result = build_crate(
        _one_function_crate("a + undefined_name"), cache_dir=cache, toolchain=real_toolchain
    )
    assert result.status == "failed"
    assert result.extension is None
    assert result.log is not None and result.log.exists()
    assert "cannot find value `undefined_name`" in result.message
    assert str(result.log) in result.message
    assert "TIP:" in result.message
    assert not (cache / "builds" / result.key).exists()
    with pytest.raises(BuildError, match="build failed"):
        load_extension(result)


def test_concurrent_builds_of_one_crate_build_once(
    tiny: Tiny, real_toolchain: Toolchain, cache: Path
) -> None:
    sources = _one_function_crate("a * 3")
    start = threading.Barrier(2)
    results: list[BuildResult] = []

    def build() -> None:
        start.wait()
        results.append(build_crate(sources, cache_dir=cache, toolchain=real_toolchain))

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(r.status for r in results) == ["built", "cached"], [r.message for r in results]
    assert results[0].extension == results[1].extension
    assert load_extension(results[0]).f(14) == 42
    # The crate was seeded with the Cargo.lock of the first build: no index update.
    built = next(r for r in results if r.status == "built")
    assert built.log is not None
    assert "Updating crates.io index" not in built.log.read_text()


@pytest.mark.skipif(os.name != "posix", reason="process groups")
def test_timeout_stops_the_build(real_toolchain: Toolchain, tmp_path: Path) -> None:
    result = build_crate(
        _one_function_crate("a - 1"), cache_dir=tmp_path, toolchain=real_toolchain, timeout=0.01
    )
    assert result.status == "failed"
    assert "timed out" in result.message
    assert not (tmp_path / "builds" / result.key).exists()
    assert sys.modules.get(result.module_name) is None


def test_a_rejected_lock_file_is_a_clear_failure(real_toolchain: Toolchain, tmp_path: Path) -> None:
    (tmp_path / "Cargo.lock").write_text("this is not = [ a lock file\n")
    result = build_crate(_one_function_crate("a"), cache_dir=tmp_path, toolchain=real_toolchain)
    assert result.status == "failed"
    assert "cargo could not resolve or fetch the dependencies" in result.message
    assert f"TIP: cargo rejects the Cargo.lock this crate was seeded with; delete {tmp_path}" in (
        result.message
    )


PANIC_CHILD = """
import importlib.machinery, importlib.util, sys
loader = importlib.machinery.ExtensionFileLoader(sys.argv[2], sys.argv[1])
module = importlib.util.module_from_spec(importlib.util.spec_from_loader(sys.argv[2], loader))
loader.exec_module(module)
try:
    module.f(1)
except BaseException as exc:
    print(type(exc).__name__, exc)
"""


def test_a_panic_unwinds_even_when_the_environment_asks_for_abort(
    real_toolchain: Toolchain, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Cargo reads profile settings from the environment too; the build pins unwinding.
    monkeypatch.setenv("CARGO_PROFILE_RELEASE_PANIC", "abort")
    crate = _one_function_crate('if a == 1 { panic!("unwound despite the environment") } a')
    result = build_crate(crate, cache_dir=cache, toolchain=real_toolchain)
    assert result.status == "built", result.message
    assert result.extension is not None
    # In a child: an abort would take the test session with it.
    child = subprocess.run(
        [sys.executable, "-c", PANIC_CHILD, str(result.extension), result.module_name],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.strip() == "PanicException unwound despite the environment"
