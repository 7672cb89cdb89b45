"""Baselines: a run's speedups stored, and a later run compared with them.

Input: a finished ``RunReport`` (to save), or a baseline file and a target's measured
``Speedup`` (to compare). Output: the file, a ``Baseline``, a ``BaselineChange``::

    save_baseline(report, Path("rustify-baseline.json"))
    base = load_baseline(Path("rustify-baseline.json"))
    compare(base.targets.get("pkg.mod:f"), current, max_regression=0.2)
    # BaselineChange(status="compared", change=-0.64, regressed=True, ...)

A drop is judged with both intervals: a target regressed when even the top of its
interval now is under the bottom of the baseline's, less the allowed fraction. Noise
that the intervals absorb never fails a build; a drop from 30x to 10x always does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._fs import write_atomic
from .errors import RustifyUsageError
from .report.model import BaselineChange, RunReport, Speedup

BASELINE_VERSION = 1
_FIELDS = ("median", "ci_low", "ci_high", "python_ns", "rust_ns")


@dataclass(frozen=True)
class Baseline:
    path: Path
    environment: Mapping[str, str]
    targets: Mapping[str, Speedup]


def save_baseline(report: RunReport, path: Path) -> None:
    """Store every measured target's speedup and interval, with the environment."""
    env = report.environment
    data: dict[str, Any] = {
        "version": BASELINE_VERSION,
        "environment": {
            "python": env.python,
            "rustc": env.rustc,
            "pyo3": env.pyo3,
            "platform": env.platform,
            "abi": env.abi,
        },
        "targets": {
            f.target: {name: getattr(f.speedup, name) for name in _FIELDS}
            for f in report.functions
            if f.speedup is not None and f.status == "accelerated"
        },
    }
    write_atomic(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; a missing or malformed one is a usage error naming it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RustifyUsageError(
            f"--rustify-baseline: {path} does not exist; create one with "
            "--rustify-save-baseline on a reference run"
        ) from None
    except (OSError, ValueError) as exc:
        raise RustifyUsageError(f"--rustify-baseline: cannot read {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
        raise RustifyUsageError(
            f"--rustify-baseline: {path} is not a pytest-rustify baseline "
            f"(version {BASELINE_VERSION})"
        )
    targets: dict[str, Speedup] = {}
    raw_targets = data.get("targets", {})
    if not isinstance(raw_targets, dict):
        raise RustifyUsageError(f"--rustify-baseline: {path}: 'targets' must be an object")
    for target, raw in raw_targets.items():
        try:
            median, low, high, py_ns, rust_ns = (float(raw[name]) for name in _FIELDS)
        except (KeyError, TypeError, ValueError):
            raise RustifyUsageError(
                f"--rustify-baseline: {path}: target {target!r} lacks a numeric "
                f"{', '.join(_FIELDS)}"
            ) from None
        targets[target] = Speedup(median, low, high, py_ns, rust_ns)
    env = data.get("environment", {})
    environment = {str(k): str(v) for k, v in env.items()} if isinstance(env, dict) else {}
    return Baseline(path, environment, targets)


def compare(
    base: Speedup | None, current: Speedup | None, *, max_regression: float | None
) -> BaselineChange | None:
    """How ``current`` compares with ``base``; None when there is nothing to compare."""
    if current is None:
        return None
    if base is None:
        return BaselineChange("new", None, None)
    change = current.median / base.median - 1.0 if base.median > 0 else None
    regressed = max_regression is not None and current.ci_high < base.ci_low * (
        1.0 - max_regression
    )
    return BaselineChange("compared", base, change, regressed)
