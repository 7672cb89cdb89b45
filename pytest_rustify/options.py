"""RustifyOptions: the command line and ``[tool.rustify]`` merged once, validated.

Input: pytest's parsed options and the project's pyproject.toml. Output: one frozen
``RustifyOptions``; bad values raise ``RustifyUsageError`` naming the option, the value
and what is accepted::

    load_options(getoption, pyproject=Path("pyproject.toml"))
    # RustifyOptions(enabled=True, threshold=5.0, profiler="auto", ...)

The command line wins over the config file; config keys are the option names without
the ``--rustify-`` prefix (``min-speedup`` or ``min_speedup``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import RustifyUsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

PROFILERS = ("auto", "py-spy", "cprofile", "off")
MODES = ("fail", "annotate")


@dataclass(frozen=True)
class RustifyOptions:
    enabled: bool = False
    targets: tuple[str, ...] = ()
    threshold: float = 5.0
    profiler: str = "auto"
    min_speedup: float | None = None
    baseline: Path | None = None
    save_baseline: Path | None = None
    max_regression: float | None = None
    mode: str = "fail"
    json: Path | None = None
    markdown: Path | None = None
    junit: Path | None = None
    benchmark_json: Path | None = None
    emit: Path | None = None
    cache_dir: Path | None = None
    require: bool = False
    measure_seconds: float = 0.5
    # The build's time limit; build.DEFAULT_TIMEOUT (not imported: options is read before
    # any stage is, and build is the heaviest import).
    build_timeout: float = 900.0


# option name (without --rustify-) -> (field, kind)
_SPEC: dict[str, tuple[str, str]] = {
    "": ("enabled", "bool"),
    "target": ("targets", "targets"),
    "threshold": ("threshold", "percent"),
    "profiler": ("profiler", "profiler"),
    "min-speedup": ("min_speedup", "positive"),
    "baseline": ("baseline", "path"),
    "save-baseline": ("save_baseline", "path"),
    "max-regression": ("max_regression", "fraction"),
    "mode": ("mode", "mode"),
    "json": ("json", "path"),
    "markdown": ("markdown", "path"),
    "junit": ("junit", "path"),
    "benchmark-json": ("benchmark_json", "path"),
    "emit": ("emit", "path"),
    "cache-dir": ("cache_dir", "path"),
    "require": ("require", "bool"),
    "measure-seconds": ("measure_seconds", "positive"),
    "build-timeout": ("build_timeout", "positive"),
}


def option_flag(name: str) -> str:
    return "--rustify" + (f"-{name}" if name else "")


def load_options(
    getoption: Callable[[str], Any], *, pyproject: Path | None, rootdir: Path
) -> RustifyOptions:
    """Merge ``[tool.rustify]`` from ``pyproject`` with the command line (which wins).

    :param getoption: reads a command-line option by its dest (``rustify_min_speedup``);
        None means not given.
    """
    config = _read_config(pyproject)
    values: dict[str, object] = {}
    for key, raw in config.items():
        name = "" if key == "rustify" else key.replace("_", "-")
        if name not in _SPEC:
            known = ", ".join(sorted(k or "rustify" for k in _SPEC))
            raise RustifyUsageError(
                f"[tool.rustify] in {pyproject}: unknown key {key!r}; known keys: {known}"
            )
        field, kind = _SPEC[name]
        values[field] = _convert(kind, raw, f"[tool.rustify] {key}", base=rootdir)
    for name, (field, kind) in _SPEC.items():
        dest = "rustify" + ("_" + name.replace("-", "_") if name else "")
        raw = getoption(dest)
        if raw is None or raw == [] or raw is False:
            continue
        values[field] = _convert(kind, raw, option_flag(name), base=Path.cwd())
    return RustifyOptions(**values)  # type: ignore[arg-type]


def _read_config(pyproject: Path | None) -> Mapping[str, object]:
    if pyproject is None or not pyproject.is_file():
        return {}
    try:
        with pyproject.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise RustifyUsageError(f"{pyproject}: not valid TOML: {exc}") from exc
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise RustifyUsageError(f"{pyproject}: [tool] must be a table")
    section = tool.get("rustify", {})
    if not isinstance(section, dict):
        raise RustifyUsageError(f"{pyproject}: [tool.rustify] must be a table")
    return section


def _convert(kind: str, raw: object, where: str, *, base: Path) -> object:
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        raise RustifyUsageError(f"{where}: expected true or false, got {raw!r}")
    if kind == "targets":
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, (list, tuple)) or not all(isinstance(t, str) for t in items):
            raise RustifyUsageError(
                f"{where}: expected a list of 'pkg.mod:func' strings, got {raw!r}"
            )
        for t in items:
            check_target(t, where)
        return tuple(items)
    if kind == "path":
        if not isinstance(raw, (str, Path)) or not str(raw):
            raise RustifyUsageError(f"{where}: expected a path, got {raw!r}")
        p = Path(raw)
        return p if p.is_absolute() else base / p
    if kind in ("percent", "positive", "fraction"):
        value = _number(raw, where)
        if kind == "percent" and not 0.0 <= value <= 100.0:
            raise RustifyUsageError(f"{where}: expected a percentage from 0 to 100, got {raw!r}")
        if kind == "positive" and not value > 0.0:
            raise RustifyUsageError(f"{where}: expected a number greater than 0, got {raw!r}")
        if kind == "fraction" and not 0.0 <= value < 1.0:
            raise RustifyUsageError(
                f"{where}: expected a fraction from 0 to 1 (0.2 allows a 20% drop), got {raw!r}"
            )
        return value
    if kind == "profiler":
        if raw not in PROFILERS:
            raise RustifyUsageError(f"{where}: expected one of {', '.join(PROFILERS)}, got {raw!r}")
        return raw
    if kind == "mode":
        if raw not in MODES:
            raise RustifyUsageError(f"{where}: expected one of {', '.join(MODES)}, got {raw!r}")
        return raw
    raise AssertionError(kind)


def _number(raw: object, where: str) -> float:
    if isinstance(raw, bool):
        raise RustifyUsageError(f"{where}: expected a number, got {raw!r}")
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise RustifyUsageError(f"{where}: expected a number, got {raw!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise RustifyUsageError(f"{where}: expected a finite number, got {raw!r}")
    return value


def check_target(target: str, where: str) -> str:
    """``pkg.mod:func`` or a usage error naming ``where``."""
    mod, sep, func = target.partition(":")
    if (
        not sep
        or not mod
        or not func.isidentifier()
        or not all(p.isidentifier() for p in mod.split("."))
    ):
        raise RustifyUsageError(f"{where}: expected a target like 'pkg.mod:func', got {target!r}")
    return target
