"""The demo, for real: the bundled examples through ``pytest --rustify``, twice.

Every example function must be accelerated with exact parity and no fallback, and the
second run must be served from the build cache without running cargo.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
EXPECTED = {
    "euclidean",
    "dot_product",
    "normalize_pixels",
    "running_mean",
    "count_pairs",
    "bpe_encode",
    "standard_scale",
    "min_max_scale",
    "l2_normalize",
    "convolve1d",
    "moving_average",
    "diff",
    "cumsum",
    "matmul",
    "mandelbrot",
    "fma_loop",
}


def test_examples_accelerate_fully_and_cache(
    pytester: pytest.Pytester, rustify_cache: Path, toolchain: None
) -> None:
    shutil.copytree(EXAMPLES, pytester.path / "examples")
    report = pytester.path / "rustify.json"

    def run() -> tuple[pytest.RunResult, dict]:  # type: ignore[type-arg]
        result = pytester.runpytest_subprocess(
            "examples",
            "--rustify",
            f"--rustify-cache-dir={rustify_cache}",
            f"--rustify-json={report}",
            "--rustify-measure-seconds=0.2",
            "-p",
            "no:randomly",
        )
        return result, json.loads(report.read_text())

    first, data = run()
    first.assert_outcomes(passed=2 * len(EXPECTED))
    functions = {f["target"].split(":")[1]: f for f in data["functions"]}
    assert EXPECTED <= set(functions), sorted(EXPECTED - set(functions))
    for name in EXPECTED:
        f = functions[name]
        assert f["status"] == "accelerated", (name, f["reason"])
        assert f["parity"]["calls"] > 0, name
        assert f["parity"]["mismatches"] == 0, name
        assert f["parity"]["fallbacks"] == 0, name
        assert f["speedup"]["median"] > 0, name
    assert data["summary"]["parity_failures"] == 0

    second, data = run()
    second.assert_outcomes(passed=2 * len(EXPECTED))
    assert data["build"]["status"] == "cached"
    assert "compiling" not in second.stdout.str()
