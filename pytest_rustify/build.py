"""Build: the translator's crate sources -> a loadable CPython extension, cached by content.

Input: the Rust sources of one crate (relative path -> text) in which the module name is
still the placeholder ``__RUSTIFY_MODULE__``, and a ``Toolchain``. Output: a
``BuildResult`` naming the extension file in the cache, or saying why the build failed::

    result = build_crate({"src/lib.rs": rust}, cache_dir=cache, toolchain=find_toolchain())
    result.status                       # "built"; "cached" in the next session
    load_extension(result).add(2, 3)    # 5

The build stage owns ``Cargo.toml`` and ``pyproject.toml``. The key is the sha256 of
everything that determines the binary (sources, generated manifests, dependencies, the
Python ABI, the rustc/maturin/pyo3 versions); the module is named ``rustify_<key[:16]>``.
Layout of ``cache_dir``::

    builds/<key>/        <module><EXT_SUFFIX>, manifest.json, build.log  (renamed into place)
    builds/<key>.lock    flock held around check-then-build
    builds/<key>.started written when maturin starts, removed when it ends: found by the
                         next build of that key, it says the last one was interrupted
    crates/<key>/        the crate as a standalone maturin project (kept for inspection)
    work/                where every crate of this cache is built, under one cargo name,
                         so that a rebuild recompiles only what changed
    work.lock            flock held around a build in work/
    Cargo.lock           from the first successful build; seeds new crates so that cargo
                         does not update the crates.io index on every build
    toolchain.json       the tools' versions, so that a cached session starts no process
    target/              the cargo target directory, unless CARGO_TARGET_DIR is set

Failures (compile errors, a missing toolchain, an unwritable cache) are results, not
exceptions; ``load_extension`` raises ``BuildError`` when asked to import something that
failed or was modified after the build.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.machinery
import importlib.util
import json
import os
import platform
import queue
import re
import shlex
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import types
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import IO, Literal

from pytest_rustify._fs import exclusive_lock, write_atomic
from pytest_rustify.errors import REPORT_BUGS_AT, RustifyError
from pytest_rustify.toolchain import Toolchain as Toolchain
from pytest_rustify.toolchain import find_toolchain as find_toolchain

MODULE_PLACEHOLDER = "__RUSTIFY_MODULE__"
PYO3_VERSION = "0.30.1"
# The oldest Rust that pyo3 PYO3_VERSION builds with (its Cargo.toml's rust-version).
PYO3_RUST_VERSION = (1, 85)
DEFAULT_TIMEOUT = 900.0

# Bump when the layout or the way a crate is built changes, so old entries are not reused.
_KEY_FORMAT = "pytest-rustify build 2"
# Environment variables that change the binary cargo produces.
_ENV_IN_KEY = (
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_BUILD_RUSTFLAGS",
    "CARGO_BUILD_TARGET",
)
_OWNED_FILES = frozenset({"Cargo.toml", "pyproject.toml", "Cargo.lock"})
_NO_DEPENDENCIES: Mapping[str, str] = types.MappingProxyType({})
_HEARTBEAT_SECONDS = 5.0
_TAIL_LINES = 30

_COMPILING = re.compile(r"^\s*Compiling (\S+) v(\S+)")
_CRATE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
# cargo's ways of saying it could not resolve, download or lock the dependencies.
_RESOLVE_PROBLEM = re.compile(
    r"failed to (get|load source|select a version|query replaced source|update|download)"
    r"|no matching package|Unable to update registry|Couldn't resolve host|network failure"
    r"|spurious network error|lock file .*needs to be updated|lock file version"
    r"|attempting to make an HTTP request|failed to parse lock file"
)
_LINKER_PROBLEM = re.compile(
    r"linker `[^`]+` not found|collect2: error|ld: cannot find|cannot find -l"
)
_COMPILE_ERROR = re.compile(r"^error(\[E\d+\])?: |could not compile", re.MULTILINE)
_ERROR_HEAD = re.compile(r"^error(\[E\d+\])?: ")
_ERROR_AT = re.compile(r"^\s*--> (.+?):(\d+):(\d+)\s*$")
_NAMED_CRATE = re.compile(
    r"(?:no matching package named|failed to (?:get|download|select a version for)) `([\w-]+)`"
)
_OFFLINE = re.compile(r"offline mode|--offline|net\.offline|CARGO_NET_OFFLINE")
# The program that runs maturin and stops it with everything it started when the session
# that started it dies (killed with SIGKILL, it cannot stop them itself).
_SUPERVISOR = Path(__file__).with_name("_supervise.py")
# What it says when it cannot start maturin (see _supervise.py, which imports nothing).
_CANNOT_START = 127
_CANNOT_START_PREFIX = "pytest-rustify: cannot start "


_CARGO_TOML = """\
[package]
name = "{module}"
version = "0.1.0"
edition = "2021"
publish = false

[lib]
name = "{module}"
crate-type = ["cdylib"]
path = "src/lib.rs"

[dependencies]
pyo3 = {{ version = "={pyo3}", features = ["extension-module"] }}
{dependencies}
# Panics unwind so that pyo3 turns them into Python exceptions instead of aborting the
# test session. The rest is pytest_rustify.build.RELEASE_PROFILE.
[profile.release]
{profile}panic = "unwind"

# A workspace of its own, even when the cache lies inside a cargo workspace.
[workspace]
"""
_PYPROJECT_TOML = """\
[build-system]
requires = ["maturin>=1.5,<2"]
build-backend = "maturin"

[project]
name = "{module}"
version = "0.1.0"
requires-python = ">=3.10"

[tool.maturin]
bindings = "pyo3"
module-name = "{module}"
"""


@dataclass(frozen=True)
class Profile:
    """The settings of cargo's release profile that trade build time for run time."""

    opt_level: int = 3
    codegen_units: int = 16
    # "false": ThinLTO among the crate's own codegen units; "off": none; "thin"/"fat":
    # across the dependencies too.
    lto: Literal["false", "off", "thin", "fat"] = "false"
    incremental: bool = False

    def toml(self) -> str:
        lto = "false" if self.lto == "false" else f'"{self.lto}"'
        return (
            f"opt-level = {self.opt_level}\n"
            "debug = false\n"
            f"lto = {lto}\n"
            f"codegen-units = {self.codegen_units}\n"
            f"incremental = {'true' if self.incremental else 'false'}\n"
        )


# Chosen by measurement (benches/build_times.md). Incremental builds (in the cache's work
# directory, one module per function) rebuild a changed function in half the CPU time and
# build a new crate no slower; the ThinLTO among codegen units keeps the run time of the
# non-incremental build, where turning it off cost 10% (up to 1.6x on one example).
# codegen-units = 256 rebuilds a little faster but doubles a cold build; opt-level 2, one
# codegen unit, and thin or fat LTO over the dependencies gave no speed for their time.
RELEASE_PROFILE = Profile(opt_level=3, codegen_units=16, lto="false", incremental=True)


@dataclass(frozen=True)
class CompileError:
    """One error rustc reported at a place: ``src/lib.rs:73:23``, relative to the crate."""

    path: str
    line: int
    column: int
    message: str  # its first line: "error[E0308]: mismatched types"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class BuildResult:
    """What ``build_crate`` did; ``message`` explains failures and ends with a TIP."""

    status: Literal["built", "cached", "failed"]
    seconds: float
    key: str
    module_name: str
    extension: Path | None
    cache_dir: Path
    log: Path | None
    message: str
    # The compiler's errors that name a place, when the build failed on them.
    errors: tuple[CompileError, ...] = ()
    # What the build found and repaired: a damaged entry, an interrupted build.
    note: str = ""


class BuildError(RustifyError):
    """An extension cannot be imported: its build failed, or the file changed since."""


def crate_key(
    sources: Mapping[str, str],
    *,
    toolchain: Toolchain,
    dependencies: Mapping[str, str] = _NO_DEPENDENCIES,
    profile: Profile = RELEASE_PROFILE,
) -> str:
    """The sha256 (hex) of everything that determines the binary built from ``sources``.

    Paths of the tools do not count, their versions do: the same crate built by the same
    rustc is the same entry wherever rustup lives.
    """
    payload = {
        "format": _KEY_FORMAT,
        "sources": sorted(sources.items()),
        "cargo_toml": _cargo_toml(MODULE_PLACEHOLDER, dependencies, profile),
        "pyproject_toml": _pyproject_toml(MODULE_PLACEHOLDER),
        "dependencies": sorted(dependencies.items()),
        "abi": _python_abi(),
        "rustc": toolchain.rustc_version,
        "maturin": toolchain.maturin_version,
        "pyo3": PYO3_VERSION,
        "env": [(name, os.environ.get(name, "")) for name in _ENV_IN_KEY],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("ascii")).hexdigest()


def crate_files(
    sources: Mapping[str, str],
    module_name: str,
    dependencies: Mapping[str, str] = _NO_DEPENDENCIES,
    profile: Profile = RELEASE_PROFILE,
    *,
    crate_name: str | None = None,
) -> dict[str, str]:
    """Every file of the crate as a standalone maturin project, named ``module_name``.

    :param crate_name: the cargo package and library, when not ``module_name``.
    """
    _check_sources(sources)
    files = {path: text.replace(MODULE_PLACEHOLDER, module_name) for path, text in sources.items()}
    files["Cargo.toml"] = _cargo_toml(crate_name or module_name, dependencies, profile)
    files["pyproject.toml"] = _pyproject_toml(module_name)
    return files


def build_crate(
    sources: Mapping[str, str],
    *,
    cache_dir: Path,
    toolchain: Toolchain,
    dependencies: Mapping[str, str] = _NO_DEPENDENCIES,
    target_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    python: str = sys.executable,
    profile: Profile = RELEASE_PROFILE,
) -> BuildResult:
    """Build ``sources`` into an extension module, or reuse the cached build of them.

    :param dependencies: extra crates, name -> version requirement (``"0.4"``) or an
        inline TOML table (``'{ version = "0.4", features = ["std"] }'``).
    :param target_dir: the cargo target directory; default ``$CARGO_TARGET_DIR``, else
        ``cache_dir/target``.
    :param progress: called with short status lines while cargo runs.
    :param python: the interpreter maturin builds for; it must share the ABI of the
        running one, which is the one that loads the result.
    :param profile: cargo's release profile (part of the key).
    :returns: ``status`` "cached" (no process was started), "built" or "failed".
    """
    start = time.monotonic()
    key = crate_key(sources, toolchain=toolchain, dependencies=dependencies, profile=profile)
    module = _module_name(key)
    cache_dir = Path(os.path.abspath(cache_dir))
    work_dir, work_name = _work_place(cache_dir, key)
    job = _Job(
        key=key,
        module=module,
        cache_dir=cache_dir,
        build_dir=cache_dir / "builds" / key,
        crate_dir=cache_dir / "crates" / key,
        work_dir=work_dir,
        start=start,
        say=progress or _silent,
        crates=(f"pyo3 {PYO3_VERSION}", *(f"{n} {v}" for n, v in sorted(dependencies.items()))),
    )
    try:
        job.build_dir.parent.mkdir(parents=True, exist_ok=True)
        with exclusive_lock(job.build_dir.parent / f"{key}.lock", job.say):
            problem = _check_entry(job.build_dir, key, job.module)
            if not problem:
                return job.finish(
                    "cached", extension=_extension_path(job.build_dir), log=_log_of(job.build_dir)
                )
            found, detail = _clear_leftovers(job, problem)
            if found:
                job.say(f"{found}: rebuilding ({detail})")
            missing = toolchain.missing()
            if missing:
                return job.finish("failed", message=_missing_message(missing, python))
            too_old = toolchain.older_than(PYO3_RUST_VERSION)
            if too_old:
                return job.finish("failed", message=_too_old_message(too_old, toolchain))
            files = _Files(
                crate=crate_files(sources, module, dependencies, profile),
                work=crate_files(sources, module, dependencies, profile, crate_name=work_name),
                work_name=work_name,
            )
            result = _build_locked(job, files, toolchain, target_dir, timeout, python)
            if found and result.extension:
                return replace(result, note=f"{found}: rebuilt ({detail})")
            return result
    except OSError as exc:
        return job.finish(
            "failed",
            message=f"cannot write to the build cache at {cache_dir}: {exc}\n"
            "TIP: make that directory writable, or point --rustify-cache-dir at one that is.",
        )


def cache_problem(cache_dir: Path) -> str:
    """Why builds cannot be cached in ``cache_dir`` ("" when they can).

    Found by trying to create the directory and a file in it: ``os.access`` says yes to
    root, whom neither a read-only mount nor file modes stop from asking.
    """
    try:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".rustify-probe-", dir=cache_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""


def load_extension(result: BuildResult) -> types.ModuleType:
    """Import the extension of a successful build, after checking it against its manifest.

    Nothing is installed and ``sys.path`` is left alone; the module is registered in
    ``sys.modules`` under ``result.module_name``, so a second load returns the same object.
    """
    if result.status == "failed" or result.extension is None:
        raise BuildError(
            f"cannot load {result.module_name}: its build failed.\n{result.message}".rstrip()
        )
    problem = _check_entry(result.cache_dir, result.key, result.module_name, result.extension)
    if problem:
        raise BuildError(
            f"refusing to import {result.extension}: {problem}. The cache entry changed after "
            f"it was built.\nTIP: run again to rebuild it, or delete {result.cache_dir}."
        )
    loaded = sys.modules.get(result.module_name)
    if loaded is not None:
        return loaded
    loader = importlib.machinery.ExtensionFileLoader(result.module_name, str(result.extension))
    spec = importlib.util.spec_from_file_location(
        result.module_name, result.extension, loader=loader
    )
    if spec is None:
        raise BuildError(f"cannot load {result.extension}: no import spec for it")
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    sys.modules[result.module_name] = module
    return module


# --- one build --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    key: str
    module: str
    cache_dir: Path
    build_dir: Path
    crate_dir: Path
    work_dir: Path
    start: float
    say: Callable[[str], None]
    crates: tuple[str, ...]  # the dependencies, "name requirement", for messages

    def finish(
        self,
        status: Literal["built", "cached", "failed"],
        *,
        extension: Path | None = None,
        log: Path | None = None,
        message: str = "",
        errors: tuple[CompileError, ...] = (),
    ) -> BuildResult:
        return BuildResult(
            status=status,
            seconds=time.monotonic() - self.start,
            key=self.key,
            module_name=self.module,
            extension=extension,
            cache_dir=self.build_dir,
            log=log,
            message=message,
            errors=errors,
        )


@dataclass(frozen=True)
class _Files:
    """The crate twice: as a standalone project (kept in ``crates/<key>``), and as it is
    built in the cache's work directory, under the work directory's own crate name."""

    crate: Mapping[str, str]
    work: Mapping[str, str]
    work_name: str


@dataclass(frozen=True)
class _Run:
    returncode: int | None
    timed_out: bool
    launch_error: str


def _build_locked(
    job: _Job,
    files: _Files,
    toolchain: Toolchain,
    target_dir: Path | None,
    timeout: float,
    python: str,
) -> BuildResult:
    """The cache missed and we hold the key's lock: write the crate, run maturin, install."""
    _write_tree(job.crate_dir, files.crate)
    log_path = job.crate_dir / "build.log"
    started = _started_marker(job)
    # One build at a time in the work directory; xdist workers and parallel sessions
    # building other crates into this cache wait here (cargo would serialise them anyway).
    with exclusive_lock(job.cache_dir / "work.lock", job.say, "another build in this cache"):
        # Left behind when the session dies or is interrupted before the build ends, it
        # tells the next build of this key why there is no entry (see _clear_leftovers).
        write_atomic(started, json.dumps({"pid": os.getpid(), "time": time.time()}) + "\n")
        result = _build_in_work_dir(job, files, toolchain, target_dir, timeout, python, log_path)
        started.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            shutil.copyfile(job.work_dir / "Cargo.lock", job.crate_dir / "Cargo.lock")
    return result


def _build_in_work_dir(
    job: _Job,
    files: _Files,
    toolchain: Toolchain,
    target_dir: Path | None,
    timeout: float,
    python: str,
    log_path: Path,
) -> BuildResult:
    assert toolchain.maturin is not None  # build_crate checked missing()
    shared_lock = job.cache_dir / "Cargo.lock"
    seeded = _sync_work_dir(job.work_dir, files.work, shared_lock)
    target = _target_dir(target_dir, job.cache_dir)
    tmp_dir = Path(tempfile.mkdtemp(prefix=f".{job.key[:16]}.", dir=job.build_dir.parent))

    def say(message: str) -> None:
        job.say(message.replace(files.work_name, job.module))

    try:
        wheel_dir = tmp_dir / "wheel"
        command = [
            toolchain.maturin, "build", "--release",
            "--interpreter", python,
            "--manifest-path", str(job.work_dir / "Cargo.toml"),
            "--out", str(wheel_dir),
            "--target-dir", str(target),
            # The wheel is only unpacked here: the native platform tag spares the
            # auditwheel check (most of maturin's own time), and other platforms ignore it.
            "--compatibility", "linux",
        ]  # fmt: skip
        job.say(f"building {job.module} with maturin")
        run = _run_streaming(command, job.work_dir, _build_env(toolchain), log_path, timeout, say)
        if run.returncode != 0:
            # The work directory's Cargo.lock may be what cargo rejects; the next build
            # starts again from the cache's seed, or resolves afresh.
            with contextlib.suppress(OSError):
                shutil.copyfile(job.work_dir / "Cargo.lock", job.crate_dir / "Cargo.lock")
                os.unlink(job.work_dir / "Cargo.lock")
            message = _failure_message(job, run, log_path, timeout, shared_lock if seeded else None)
            errors = () if run.timed_out else compile_errors(_read_log(log_path))
            return job.finish("failed", log=log_path, message=message, errors=errors)
        extension = tmp_dir / f"{job.module}{_ext_suffix()}"
        problem = _extract_extension(wheel_dir, job.module, extension)
        if problem:
            return job.finish(
                "failed",
                log=log_path,
                message=f"building {job.module} failed: {problem}.\nfull log: {log_path}\n"
                f"TIP: this is an internal pytest-rustify error; please report it at "
                f"{REPORT_BUGS_AT} with the log.",
            )
        shutil.rmtree(wheel_dir)
        os.replace(log_path, tmp_dir / "build.log")
        manifest = {
            "format": 1,
            "key": job.key,
            "module": job.module,
            "extension": extension.name,
            "sha256": _sha256_file(extension),
            "python": _python_abi(),
            "rustc": toolchain.rustc_version,
            "maturin": toolchain.maturin_version,
            "pyo3": PYO3_VERSION,
            "seconds": round(time.monotonic() - job.start, 3),
        }
        write_atomic(tmp_dir / "manifest.json", json.dumps(manifest, indent=2) + "\n")
        _install(tmp_dir, job.build_dir)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    if not shared_lock.exists():
        # Cache trouble is not a build failure: without the seed the next build just
        # resolves the dependencies itself.
        with contextlib.suppress(OSError):
            write_atomic(shared_lock, (job.work_dir / "Cargo.lock").read_bytes())
    job.say(f"built {job.module} in {time.monotonic() - job.start:.0f}s")
    return job.finish("built", extension=job.build_dir / extension.name, log=_log_of(job.build_dir))


def _started_marker(job: _Job) -> Path:
    return job.build_dir.parent / f"{job.key}.started"


def _clear_leftovers(job: _Job, problem: str) -> tuple[str, str]:
    """Remove what an earlier build of this key left behind, and say what it was: a
    headline and its detail ("" if nothing). The caller holds the key's lock: no live
    build of the key owns any of it."""
    parent = job.build_dir.parent
    # Temporary directories of builds that never got to rename their entry into place.
    for stale in parent.glob(f".{job.key[:16]}.*"):
        shutil.rmtree(stale, ignore_errors=True)
    started = _started_marker(job)
    if started.exists():
        started.unlink(missing_ok=True)
        return (
            "last build interrupted, its partial output not used",
            f"{job.module} did not finish in an earlier session",
        )
    if job.build_dir.exists() or job.build_dir.is_symlink():
        return "cache entry damaged, not used", f"{job.module}: {problem}"
    return "", ""


def _work_place(cache_dir: Path, key: str) -> tuple[Path, str]:
    """Where a crate is built, and under which cargo name.

    Every crate of a cache is built in one directory under one name, so that cargo and
    rustc see one crate whose sources changed, and the incremental state of the last
    build spares recompiling what did not (the module name inside differs per build).
    The name is the cache's own: caches sharing a target directory do not overwrite
    each other's library there. Windows has no lock around that directory (see
    ``exclusive_lock``), so there each crate builds in a directory of its own.
    """
    if sys.platform == "win32":
        return cache_dir / "crates" / key, _module_name(key)
    digest = hashlib.sha256(os.fsencode(cache_dir)).hexdigest()
    return cache_dir / "work", f"rustify_work_{digest[:12]}"


def _write_tree(root: Path, files: Mapping[str, str]) -> None:
    """Write ``files`` under ``root``, afresh."""
    shutil.rmtree(root, ignore_errors=True)
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _sync_work_dir(work_dir: Path, files: Mapping[str, str], shared_lock: Path) -> bool:
    """Make ``work_dir`` hold exactly ``files`` (and a Cargo.lock), rewriting only the files
    that differ: an untouched file keeps its mtime, and cargo its fingerprint. Returns
    whether the Cargo.lock was seeded from the cache's shared one."""
    for relative, text in files.items():
        path = work_dir / relative
        try:
            same = path.read_text(encoding="utf-8") == text
        except (OSError, UnicodeDecodeError):
            same = False
        if not same:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    wanted = {PurePosixPath(relative) for relative in files}
    for path in sorted((work_dir / "src").rglob("*"), reverse=True):
        if path.is_file() and PurePosixPath(path.relative_to(work_dir).as_posix()) not in wanted:
            path.unlink()
    work_lock = work_dir / "Cargo.lock"
    if not work_lock.exists() and shared_lock.is_file():
        shutil.copyfile(shared_lock, work_lock)
        return True
    return False


def _install(tmp_dir: Path, build_dir: Path) -> None:
    """Rename a finished build into place, moving a damaged old entry out of the way."""
    if not (build_dir.exists() or build_dir.is_symlink()):
        os.replace(tmp_dir, build_dir)
        return
    trash = Path(tempfile.mkdtemp(prefix=f".{build_dir.name[:16]}.", dir=build_dir.parent))
    os.replace(build_dir, trash / "old")
    os.replace(tmp_dir, build_dir)
    shutil.rmtree(trash, ignore_errors=True)


def _extract_extension(wheel_dir: Path, module: str, dest: Path) -> str:
    """Copy the extension module out of the wheel maturin wrote; returns a problem or ""."""
    wheels = sorted(wheel_dir.glob("*.whl"))
    if not wheels:
        return f"maturin reported success but wrote no wheel into {wheel_dir}"
    with zipfile.ZipFile(wheels[0]) as wheel:
        for info in wheel.infolist():
            name = info.filename.rsplit("/", 1)[-1]
            if name.startswith(f"{module}.") and name.endswith((".so", ".pyd")):
                write_atomic(dest, wheel.read(info))
                return ""
    return f"the wheel {wheels[0].name} holds no extension module named {module}"


def _check_entry(build_dir: Path, key: str, module: str, extension: Path | None = None) -> str:
    """What is wrong with the cache entry in ``build_dir``, or "" if it can be trusted."""
    manifest_path = build_dir / "manifest.json"
    if not manifest_path.exists():
        return "no manifest"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"unreadable manifest ({exc})"
    if not isinstance(manifest, dict) or (manifest.get("key"), manifest.get("module")) != (
        key,
        module,
    ):
        return f"{manifest_path} describes another build"
    name, expected = manifest.get("extension"), manifest.get("sha256")
    if not isinstance(name, str) or not isinstance(expected, str) or Path(name).name != name:
        return f"{manifest_path} names no extension file"
    if extension is not None and extension != build_dir / name:
        return f"{manifest_path} names {name}, not {extension.name}"
    try:
        actual = _sha256_file(build_dir / name)
    except OSError as exc:
        return f"the extension file cannot be read ({exc})"
    if actual != expected:
        return f"sha256 {actual[:16]}... differs from {expected[:16]}... in {manifest_path}"
    return ""


def compile_errors(log: str) -> tuple[CompileError, ...]:
    """The errors in a build log that rustc reported at a place in the crate, in order."""
    found: list[CompileError] = []
    head = ""
    for line in log.splitlines():
        at = _ERROR_AT.match(line) if head else None
        if at:
            found.append(CompileError(at[1], int(at[2]), int(at[3]), head))
        head = line.strip() if _ERROR_HEAD.match(line) else ""
    return tuple(found)


def _read_log(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _log_of(build_dir: Path) -> Path | None:
    log = build_dir / "build.log"
    return log if log.exists() else None


def _extension_path(build_dir: Path) -> Path:
    manifest = json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))
    return build_dir / str(manifest["extension"])


# --- running maturin --------------------------------------------------------------------


def _run_streaming(
    command: list[str],
    cwd: Path,
    env: Mapping[str, str],
    log_path: Path,
    timeout: float,
    say: Callable[[str], None],
) -> _Run:
    """Run ``command``, teeing its output into ``log_path`` and reporting progress."""
    with open(log_path, "w", encoding="utf-8") as log:
        log.write(f"$ {shlex.join(command)}\n")
        if os.name == "posix":
            command = [sys.executable, "-I", "-S", str(_SUPERVISOR), str(os.getpid()), *command]
        try:
            process = subprocess.Popen(
                command,
                cwd=cwd,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                # A group of its own, so a timeout can stop cargo and rustc with it.
                start_new_session=os.name == "posix",
            )
        except OSError as exc:
            log.write(f"cannot start {command[0]}: {exc}\n")
            return _Run(returncode=None, timed_out=False, launch_error=str(exc))
        try:
            run = _follow(process, log, timeout, say)
        except BaseException:
            # Ctrl-C or a failing progress callback: its own session would not see SIGINT.
            _kill(process)
            raise
        if run.returncode == _CANNOT_START:
            log.flush()
            said = _cannot_start(_read_log(log_path))
            if said:
                return _Run(returncode=None, timed_out=False, launch_error=said)
        log.write(
            f"pytest-rustify: stopped after the timeout of {timeout:g}s\n"
            if run.timed_out
            else f"pytest-rustify: exit code {run.returncode}\n"
        )
        return run


def _follow(
    process: subprocess.Popen[bytes], log: IO[str], timeout: float, say: Callable[[str], None]
) -> _Run:
    """Copy the output of ``process`` into ``log`` until it ends or ``timeout`` passes."""
    assert process.stdout is not None
    started = time.monotonic()
    deadline = started + timeout
    lines: queue.Queue[bytes | None] = queue.Queue()
    reader = threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True)
    reader.start()
    last_said = started
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            _kill(process)
            reader.join(timeout=5)
            return _Run(returncode=None, timed_out=True, launch_error="")
        try:
            raw = lines.get(timeout=min(1.0, remaining))
        except queue.Empty:
            raw = b""
        if raw is None:
            break
        now = time.monotonic()
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if raw:
            log.write(line + "\n")
            log.flush()
        compiling = _COMPILING.match(line)
        if compiling:
            say(f"compiling {compiling[1]} ({now - started:.0f}s)")
            last_said = now
        elif "Blocking waiting for file lock" in line:
            say(f"waiting for the cargo lock on the target directory ({now - started:.0f}s)")
            last_said = now
        elif now - last_said >= _HEARTBEAT_SECONDS:
            say(f"still building ({now - started:.0f}s)")
            last_said = now
    try:
        returncode = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        _kill(process)
        return _Run(returncode=None, timed_out=True, launch_error="")
    return _Run(returncode=returncode, timed_out=False, launch_error="")


def _cannot_start(log: str) -> str:
    """Why the supervisor could not start the command, if that is what the log says."""
    for line in log.splitlines():
        if line.startswith(_CANNOT_START_PREFIX):
            return line[len(_CANNOT_START_PREFIX) :].partition(": ")[2]
    return ""


def _pump(stream: IO[bytes], lines: queue.Queue[bytes | None]) -> None:
    with stream:
        for raw in iter(stream.readline, b""):
            lines.put(raw)
    lines.put(None)


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Stop maturin and everything it started (cargo, rustc, the linker)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def _build_env(toolchain: Toolchain) -> dict[str, str]:
    """The environment maturin runs in: the chosen cargo and rustc first on PATH."""
    env = dict(os.environ)
    env["CARGO_TERM_COLOR"] = "never"
    # Cargo lets the environment override the profile: an inherited
    # CARGO_PROFILE_RELEASE_PANIC=abort would make every panic kill the test session.
    env["CARGO_PROFILE_RELEASE_PANIC"] = "unwind"
    dirs: list[str] = []
    for tool in (toolchain.cargo, toolchain.rustc):
        if tool is not None and str(Path(tool).parent) not in dirs:
            dirs.append(str(Path(tool).parent))
    env["PATH"] = os.pathsep.join([*dirs, env.get("PATH", "")])
    return env


def _target_dir(target_dir: Path | None, cache_dir: Path) -> Path:
    if target_dir is not None:
        return Path(os.path.abspath(target_dir))
    from_env = os.environ.get("CARGO_TARGET_DIR")
    if from_env:
        return Path(os.path.abspath(from_env))
    return cache_dir / "target"


# --- messages ---------------------------------------------------------------------------


def _failure_message(
    job: _Job, run: _Run, log_path: Path, timeout: float, seed: Path | None
) -> str:
    """What failed, the compiler's own words, where the log is, and a TIP."""
    text = _read_log(log_path)
    if run.launch_error:
        what = f"could not start maturin ({run.launch_error})"
        tip = "check that maturin runs: `maturin --version`; reinstall it with pip if not."
    elif run.timed_out:
        what = f"timed out after {timeout:g}s and was stopped (maturin, cargo and rustc)"
        tip = (
            "a first build compiles pyo3 (about half a minute); allow more time with "
            "--rustify-build-timeout SECONDS (build-timeout in [tool.rustify]). If the log "
            "ends in 'Blocking waiting for file lock', another cargo holds the target directory."
        )
    else:
        what = f"maturin exited with code {run.returncode}"
        tip = _tip(text, job.crate_dir, seed)
        if _RESOLVE_PROBLEM.search(text):
            what += "; cargo could not resolve or fetch the dependencies"
            named = sorted(set(_NAMED_CRATE.findall(text)))
            if named:
                what += f" (it names {', '.join(named)}; the crate needs {', '.join(job.crates)})"
            if _offline(text):
                what += ", and cargo runs offline"
                tip = _offline_tip()
    lines = [
        f"building {job.module} failed: {what}.",
        *_excerpt(text.splitlines()),
        f"full log: {log_path}",
        f"crate: {job.crate_dir}",
        f"TIP: {tip}",
    ]
    return "\n".join(lines)


def _tip(text: str, crate_dir: Path, seed: Path | None) -> str:
    if _LINKER_PROBLEM.search(text):
        return (
            "rustc needs a C linker: install your platform's C build tools "
            "(build-essential on Debian/Ubuntu, Xcode command line tools on macOS)."
        )
    if _RESOLVE_PROBLEM.search(text):
        if seed is not None and "lock file" in text:
            return (
                f"cargo rejects the Cargo.lock this crate was seeded with; delete {seed} "
                "(it only spares an index update) and run again."
            )
        stale = f", or delete {seed} if it is stale" if seed is not None else ""
        return (
            f"cargo must reach crates.io once to fetch pyo3 {PYO3_VERSION}; check the network "
            f"or proxy settings{stale}, then run again."
        )
    if _COMPILE_ERROR.search(text):
        return (
            f"the errors point into the crate, kept in {crate_dir} (the same files under "
            "its own name); generated Rust that does not compile is a "
            f"pytest-rustify bug, please report it at {REPORT_BUGS_AT} with that directory. "
            "Reproduce with `maturin build --release` there."
        )
    return f"read the full log; reproduce with `maturin build --release` in {crate_dir}."


def _offline(log: str) -> bool:
    flag = os.environ.get("CARGO_NET_OFFLINE", "").strip().lower()
    return flag in ("true", "1", "yes") or bool(_OFFLINE.search(log))


def _offline_tip() -> str:
    home = os.environ.get("CARGO_HOME") or str(Path.home() / ".cargo")
    return (
        f"cargo is offline (CARGO_NET_OFFLINE or --offline) and the crates are not in its "
        f"cache under {home}: run once with network access (cargo keeps them there for "
        "later offline runs), or vendor them with `cargo vendor` and point cargo's "
        "[source] configuration at that directory."
    )


def _excerpt(lines: list[str]) -> list[str]:
    """The compiler's error blocks (at most ``_TAIL_LINES`` lines), else the log's tail."""
    picked: list[str] = []
    inside = False
    for line in lines:
        if re.match(r"(error|💥|\s*Caused by)", line):
            inside = True
        elif re.match(r"warning\b|pytest-rustify:", line) or not line.strip():
            inside = False
        if inside:
            picked.append(line)
    chosen = picked or [line for line in lines if line.strip()]
    return [f"  {line}" for line in chosen[-_TAIL_LINES:]]


def _too_old_message(version: str, toolchain: Toolchain) -> str:
    need = ".".join(map(str, PYO3_RUST_VERSION))
    return (
        f"cannot build the Rust extension: rustc {version} is older than the {need} "
        f"pyo3 {PYO3_VERSION} needs ({toolchain.rustc}).\n"
        f"TIP: rustup update (or install Rust {need} or newer from https://rustup.rs and put "
        "it first on PATH)."
    )


def _missing_message(missing: tuple[str, ...], python: str) -> str:
    lines = [f"cannot build the Rust extension: {', '.join(missing)} not found (or not working)."]
    if "cargo" in missing or "rustc" in missing:
        lines.append(
            "TIP: install Rust from https://rustup.rs (it provides cargo and rustc) and make "
            "sure ~/.cargo/bin is on PATH."
        )
    if "maturin" in missing:
        lines.append(
            f"TIP: install maturin into the environment running the tests: "
            f"`{python} -m pip install maturin`."
        )
    return "\n".join(lines)


# --- small pieces -----------------------------------------------------------------------


def _module_name(key: str) -> str:
    return f"rustify_{key[:16]}"


def _check_sources(sources: Mapping[str, str]) -> None:
    """Source paths are relative paths inside the crate; the manifests are ours."""
    for path in sources:
        parts = PurePosixPath(path).parts
        if not parts or PurePosixPath(path).is_absolute() or ".." in parts or "\\" in path:
            raise ValueError(f"crate source path must be relative and inside the crate: {path!r}")
        if path in _OWNED_FILES:
            raise ValueError(f"{path} is written by the build stage, not the translator")


def _cargo_toml(crate_name: str, dependencies: Mapping[str, str], profile: Profile) -> str:
    extra = ""
    for name, spec in sorted(dependencies.items()):
        if not _CRATE_NAME.match(name) or name == "pyo3":
            raise ValueError(f"bad dependency name {name!r}")
        value = spec.strip() if spec.lstrip().startswith("{") else json.dumps(spec)
        extra += f"{name} = {value}\n"
    return _CARGO_TOML.format(
        module=crate_name, pyo3=PYO3_VERSION, dependencies=extra, profile=profile.toml()
    )


def _pyproject_toml(module: str) -> str:
    return _PYPROJECT_TOML.format(module=module)


def _python_abi() -> dict[str, str]:
    return {
        "cache_tag": sys.implementation.cache_tag or "",
        "ext_suffix": _ext_suffix(),
        "platform": sysconfig.get_platform(),
        "machine": platform.machine(),
    }


def _ext_suffix() -> str:
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    return suffix if isinstance(suffix, str) else importlib.machinery.EXTENSION_SUFFIXES[0]


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _silent(message: str) -> None:
    del message
