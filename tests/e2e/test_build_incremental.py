"""Real builds through the cache's work directory: a changed crate is rebuilt as the same
cargo crate (its incremental state reused), both builds load side by side, and a
cached build starts no process at all.

The builds share the suite's cargo target directory (tests/conftest.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from process_log import ProcessLog

from pytest_rustify.build import Toolchain, build_crate, find_toolchain, load_extension

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Windows builds per crate")


def _crate(g_body: str) -> dict[str, str]:
    return {
        "src/lib.rs": f"""use pyo3::prelude::*;

#[pyfunction]
fn f(a: i64) -> i64 {{
    a * 2
}}

#[pyfunction]
fn g(a: i64) -> i64 {{
    {g_body}
}}

#[pymodule]
fn __RUSTIFY_MODULE__(m: &Bound<'_, PyModule>) -> PyResult<()> {{
    m.add_function(wrap_pyfunction!(f, m)?)?;
    m.add_function(wrap_pyfunction!(g, m)?)?;
    Ok(())
}}
"""
    }


@pytest.fixture(scope="module")
def real_toolchain(toolchain: None) -> Toolchain:
    found = find_toolchain()
    assert found.missing() == (), found
    return found


def _target_dir() -> Path:
    return Path(os.environ["CARGO_TARGET_DIR"])


def test_a_changed_crate_is_rebuilt_as_the_same_cargo_crate(
    tmp_path: Path, real_toolchain: Toolchain
) -> None:
    first = build_crate(_crate("a + 1"), cache_dir=tmp_path, toolchain=real_toolchain)
    second = build_crate(_crate("a + 100"), cache_dir=tmp_path, toolchain=real_toolchain)
    assert (first.status, second.status) == ("built", "built"), second.message

    work_name = (tmp_path / "work" / "Cargo.toml").read_text().split('name = "')[1].split('"')[0]
    assert second.log is not None
    log = second.log.read_text()
    assert f"Compiling {work_name} v0.1.0 ({tmp_path / 'work'})" in log
    assert "Compiling pyo3 " not in log
    # One crate to cargo, so one incremental state, which the second build started from.
    states = sorted(
        p.name for p in (_target_dir() / "release" / "incremental").glob(work_name + "-*")
    )
    assert len(states) == 1, states

    # Each build keeps its own module name, so both load into one process.
    old, new = load_extension(first), load_extension(second)
    assert old is not new
    assert (old.f(5), old.g(5)) == (10, 6)
    assert (new.f(5), new.g(5)) == (10, 105)


def test_a_cached_build_starts_no_process(
    tmp_path: Path, real_toolchain: Toolchain, process_log: ProcessLog
) -> None:
    sources = _crate("a - 1")
    built = build_crate(sources, cache_dir=tmp_path, toolchain=find_toolchain(cache_dir=tmp_path))
    assert built.status == "built", built.message
    with process_log.watching() as started:
        # What the session does: find the toolchain (remembered in the cache), then build.
        toolchain = find_toolchain(cache_dir=tmp_path)
        cached = build_crate(sources, cache_dir=tmp_path, toolchain=toolchain)
    assert cached.status == "cached", cached.message
    assert cached.extension == built.extension
    scripts = [
        Path(tool).name
        for tool in (toolchain.rustc, toolchain.maturin)
        if tool is not None and _is_script(tool)
    ]
    assert [p for p in started if p not in scripts] == []
    assert load_extension(cached).g(1) == 0


def _is_script(tool: str) -> bool:
    with open(os.path.realpath(tool), "rb") as handle:
        return handle.read(2) == b"#!"
