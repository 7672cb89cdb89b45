"""Finding the toolchain, and remembering its versions so that a cached session starts
no process. Real executables only: the system's ``echo``/``true``/``false`` stand in for
maturin where a test must change the binary behind it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from process_log import ProcessLog

from pytest_rustify.toolchain import PROBE_FILE, _probe_key, find_toolchain

pytestmark = pytest.mark.skipif(os.name != "posix", reason="uses POSIX executables")


def _native(name: str) -> Path:
    """A native executable from the system whose ``--version`` names it (GNU coreutils)."""
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"no {name} on PATH")
    real = Path(os.path.realpath(found))
    done = subprocess.run([real, "--version"], capture_output=True, text=True, check=False)
    if real.read_bytes()[:2] == b"#!" or not done.stdout.startswith(name):
        pytest.skip(f"{name} is not a native program that reports its version")
    return real


def _fake_maturin(bin_dir: Path, program: Path) -> str:
    """Put a copy of ``program`` where find_toolchain looks first: beside the interpreter."""
    bin_dir.mkdir(exist_ok=True)
    shutil.copy2(program, bin_dir / "maturin")
    return str(bin_dir / "python")


def test_remembered_versions_start_no_process(
    tmp_path: Path, toolchain: None, process_log: ProcessLog
) -> None:
    with process_log.watching() as first_run:
        first = find_toolchain(cache_dir=tmp_path)
    with process_log.watching() as second_run:
        second = find_toolchain(cache_dir=tmp_path)
    assert first.missing() == ()
    assert "rustc" in first_run
    assert second == first
    scripts = [
        Path(tool).name
        for tool in (first.rustc, first.maturin)
        if tool is not None and _is_script(tool)
    ]
    assert [p for p in second_run if p not in scripts] == []
    assert (tmp_path / PROBE_FILE).is_file()


def test_without_a_cache_dir_the_tools_are_asked(toolchain: None, process_log: ProcessLog) -> None:
    with process_log.watching() as started:
        found = find_toolchain()
    assert found.rustc is not None
    assert Path(found.rustc).name in started


def test_a_replaced_binary_is_asked_again(tmp_path: Path, process_log: ProcessLog) -> None:
    python = _fake_maturin(tmp_path / "bin", _native("echo"))
    cache = tmp_path / "cache"
    echo_version = find_toolchain(python, cache_dir=cache).maturin_version
    with process_log.watching() as unchanged:
        again = find_toolchain(python, cache_dir=cache)
    assert again.maturin == str(tmp_path / "bin" / "maturin")
    assert again.maturin_version == echo_version and echo_version.startswith("echo")
    assert "maturin" not in unchanged

    (tmp_path / "bin" / "maturin").unlink()
    _fake_maturin(tmp_path / "bin", _native("true"))
    with process_log.watching() as replaced:
        after = find_toolchain(python, cache_dir=cache)
    assert "maturin" in replaced
    assert after.maturin_version.startswith("true")


def test_a_failing_tool_is_asked_every_time(tmp_path: Path, process_log: ProcessLog) -> None:
    python = _fake_maturin(tmp_path / "bin", _native("false"))
    for _ in range(2):
        with process_log.watching() as started:
            found = find_toolchain(python, cache_dir=tmp_path / "cache")
        assert "maturin" in started
        assert found.maturin != str(tmp_path / "bin" / "maturin")


def test_a_script_is_asked_every_time(tmp_path: Path) -> None:
    # A shim (pyenv's, say) picks the program it runs anew each time.
    calls = tmp_path / "calls"
    script = tmp_path / "bin" / "maturin"
    script.parent.mkdir()
    script.write_text(f"#!/bin/sh\necho run >> {calls}\necho 'maturin 9.9.9'\n")
    script.chmod(0o755)
    for _ in range(2):
        found = find_toolchain(str(tmp_path / "bin" / "python"), cache_dir=tmp_path / "cache")
        assert found.maturin_version == "maturin 9.9.9"
    assert calls.read_text().splitlines() == ["run", "run"]


def test_a_missing_rustc_is_missing_despite_a_warm_cache(
    tmp_path: Path, toolchain: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm = find_toolchain(cache_dir=tmp_path)
    assert warm.rustc is not None
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("CARGO_HOME", str(tmp_path / "no-cargo-home"))
    cold = find_toolchain(cache_dir=tmp_path)
    assert (cold.cargo, cold.rustc, cold.rustc_version) == (None, None, "")
    assert cold.missing()[:2] == ("cargo", "rustc")


def test_what_picks_rustups_toolchain_keys_its_proxy(
    tmp_path: Path, toolchain: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    rustc = shutil.which("rustc")
    assert rustc is not None
    if not Path(os.path.realpath(rustc)).name.startswith("rustup"):
        pytest.skip("rustc is not a rustup proxy here")
    monkeypatch.delenv("RUSTUP_TOOLCHAIN", raising=False)
    monkeypatch.chdir(tmp_path)
    key = _probe_key(rustc, "-vV")
    assert key is not None and _probe_key(rustc, "-vV") == key
    monkeypatch.setenv("RUSTUP_TOOLCHAIN", "another-toolchain")
    assert _probe_key(rustc, "-vV") != key
    monkeypatch.delenv("RUSTUP_TOOLCHAIN")
    (tmp_path / "rust-toolchain.toml").write_text('[toolchain]\nchannel = "stable"\n')
    assert _probe_key(rustc, "-vV") != key


@pytest.mark.parametrize("content", ["not json", "[]", '{"format": 1, "entries": []}'])
def test_a_damaged_probe_file_is_rewritten(tmp_path: Path, content: str) -> None:
    python = _fake_maturin(tmp_path / "bin", _native("echo"))
    (tmp_path / PROBE_FILE).write_text(content)
    found = find_toolchain(python, cache_dir=tmp_path)
    assert found.maturin_version.startswith("echo")
    data = json.loads((tmp_path / PROBE_FILE).read_text())
    assert found.maturin_version in data["entries"].values()


def _is_script(tool: str) -> bool:
    with open(os.path.realpath(tool), "rb") as handle:
        return handle.read(2) == b"#!"
