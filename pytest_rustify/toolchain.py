"""Toolchain: where cargo, rustc and maturin are, and the versions that key a build.

Part of the build stage (``build.py`` re-exports it). Input: the interpreter the build is
for, and optionally the build cache. Output: a ``Toolchain``::

    toolchain = find_toolchain(cache_dir=cache)
    toolchain.rustc_version       # "rustc 1.95.0 (59807616e 2026-04-14)"
    toolchain.missing()           # () when everything was found

Asking a tool for its version starts a process, and a session whose build is cached must
start none. So with a ``cache_dir`` the answers are remembered in ``toolchain.json``
there, keyed by what the answer depends on: the executable's path and the identity of
the file behind it (size, times, inode). rustup's proxies (``~/.cargo/bin/rustc``) stay
the same file when the toolchain behind them changes, so for them the key also holds
rustup's settings, the ``rustc`` of every installed toolchain, the override files above
the working directory and the ``RUSTUP_TOOLCHAIN`` variable. Scripts (a pyenv shim)
choose their program at run time and are asked every time; so is a tool whose last
answer was a failure, which keeps a missing or broken rustc reported as one.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from pytest_rustify._fs import write_atomic

PROBE_FILE = "toolchain.json"
_PROBE_FORMAT = 1
# Enough for a few interpreters and toolchains sharing one cache; older answers go.
_PROBE_ENTRIES = 32
_OVERRIDE_FILES = ("rust-toolchain", "rust-toolchain.toml")
_RUSTC_VERSION = re.compile(r"rustc (\d+\.\d+\.\d+)")


@dataclass(frozen=True)
class Toolchain:
    """The executables a build runs, and the versions that go into the cache key."""

    cargo: str | None
    rustc: str | None
    maturin: str | None
    rustc_version: str
    maturin_version: str

    def missing(self) -> tuple[str, ...]:
        """The tools that were not found (or did not answer for their version)."""
        tools = (("cargo", self.cargo), ("rustc", self.rustc), ("maturin", self.maturin))
        return tuple(name for name, path in tools if path is None)

    def older_than(self, minimum: tuple[int, ...]) -> str:
        """rustc's version ("1.60.0") when it is older than ``minimum``, else "" (also when
        the version cannot be read: the build then says what is wrong)."""
        found = _RUSTC_VERSION.match(self.rustc_version)
        if found is None:
            return ""
        release = tuple(int(part) for part in found[1].split("."))
        return found[1] if release < minimum else ""


def find_toolchain(python: str = sys.executable, *, cache_dir: Path | None = None) -> Toolchain:
    """Locate cargo, rustc and maturin, and ask rustc and maturin for their versions.

    maturin is looked for beside ``python`` first (a virtualenv's ``bin``), then on PATH;
    cargo and rustc on PATH, then in ``$CARGO_HOME/bin`` (rustup's default). cargo itself
    is never run. A tool that exists but cannot report its version counts as missing.

    :param cache_dir: the build cache; the versions are remembered there (see above), so
        that finding an unchanged toolchain starts no process. Trouble with that file
        only means asking the tools again.
    """
    remembered = _load_probes(cache_dir)
    answers = dict(remembered)
    cargo = shutil.which("cargo") or _in_cargo_home("cargo")
    rustc = shutil.which("rustc") or _beside(cargo, "rustc") or _in_cargo_home("rustc")
    rustc_version = _version(rustc, "-vV", answers, cache_dir is not None)
    maturin, maturin_version = None, ""
    for candidate in (_beside(python, "maturin"), shutil.which("maturin")):
        maturin_version = _version(candidate, "--version", answers, cache_dir is not None)
        if maturin_version:
            maturin = candidate
            break
    if cache_dir is not None and answers != remembered:
        _save_probes(cache_dir, answers)
    return Toolchain(
        cargo=cargo,
        rustc=rustc if rustc_version else None,
        maturin=maturin,
        rustc_version=rustc_version,
        maturin_version=maturin_version,
    )


def _version(tool: str | None, flag: str, answers: dict[str, str], remember: bool) -> str:
    """The first line ``tool flag`` prints ("" when it cannot run), from ``answers`` when
    the tool is unchanged since; a new answer is added to ``answers`` if ``remember``."""
    if tool is None:
        return ""
    key = _probe_key(tool, flag) if remember else None
    if key is not None and key in answers:
        return answers[key]
    answer = _version_line(tool, flag)
    if key is not None and answer:
        answers.pop(key, None)  # re-inserted last: the newest answers are the ones kept
        answers[key] = answer
    return answer


def _load_probes(cache_dir: Path | None) -> dict[str, str]:
    if cache_dir is None:
        return {}
    try:
        data = json.loads((Path(cache_dir) / PROBE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != _PROBE_FORMAT:
        return {}
    entries = data.get("entries")
    if not isinstance(entries, dict):
        return {}
    return {k: v for k, v in entries.items() if isinstance(k, str) and isinstance(v, str)}


def _save_probes(cache_dir: Path, answers: dict[str, str]) -> None:
    kept = dict(list(answers.items())[-_PROBE_ENTRIES:])
    text = json.dumps({"format": _PROBE_FORMAT, "entries": kept}, indent=1) + "\n"
    # Cache trouble is not a toolchain problem: next time the tools are asked again.
    with contextlib.suppress(OSError):
        write_atomic(Path(cache_dir) / PROBE_FILE, text)


def _probe_key(tool: str, flag: str) -> str | None:
    """What the answer of ``tool flag`` depends on, as a string; None: do not remember it."""
    try:
        real = Path(os.path.realpath(tool))
        with open(real, "rb") as handle:
            if handle.read(2) == b"#!":
                return None
        parts: list[object] = [tool, str(real), flag, _identity(real)]
        # rustup's proxies are symlinks to rustup, or (Windows) hard links beside it.
        if real.name.startswith("rustup") or _beside(tool, "rustup") is not None:
            parts.append(_rustup_state())
    except OSError:
        return None
    return json.dumps(parts)


def _rustup_state() -> list[object]:
    """What decides which toolchain a rustup proxy runs, and the toolchains themselves."""
    home = Path(os.environ.get("RUSTUP_HOME") or Path.home() / ".rustup")
    state: list[object] = [str(home), os.environ.get("RUSTUP_TOOLCHAIN", "")]
    state.append(_identity(home / "settings.toml"))
    with contextlib.suppress(OSError):
        for toolchain in sorted(os.listdir(home / "toolchains")):
            state.append([toolchain, _identity(home / "toolchains" / toolchain / "bin" / "rustc")])
    directory = Path.cwd()
    for folder in (directory, *directory.parents):
        for name in _OVERRIDE_FILES:
            if (folder / name).is_file():
                state.append([str(folder / name), _identity(folder / name)])
    return state


def _identity(path: Path) -> list[int] | None:
    """Size, mtime, ctime and inode of ``path``: replacing or rewriting it changes them."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _version_line(tool: str, flag: str) -> str:
    """The first line ``tool flag`` prints, or "" when it cannot run."""
    try:
        done = subprocess.run(
            [tool, flag], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    lines = done.stdout.strip().splitlines()
    return lines[0].strip() if done.returncode == 0 and lines else ""


def _beside(anchor: str | None, name: str) -> str | None:
    """``name`` in the directory of ``anchor`` (not resolving symlinks: a venv's python is one)."""
    return None if anchor is None else _executable(Path(anchor).parent, name)


def _in_cargo_home(name: str) -> str | None:
    home = os.environ.get("CARGO_HOME") or str(Path.home() / ".cargo")
    return _executable(Path(home) / "bin", name)


def _executable(directory: Path, name: str) -> str | None:
    candidate = directory / (f"{name}.exe" if os.name == "nt" else name)
    return str(candidate) if candidate.is_file() and os.access(candidate, os.X_OK) else None
