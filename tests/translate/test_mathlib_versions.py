"""The math ports that depend on the Python version: hypot's and dist's vector_norm, and
the refusal of versions whose mathmodule.c was not ported.

Only one interpreter runs the suite, so the other vector_norm cannot be compared with a
CPython. Both are transcribed here in Python from mathmodule.c (fma made exact with
fractions, as C's fma rounds once): the transcription of the running version must agree
with the interpreter to the bit, which checks the method; the crate built for the other
version must agree with its transcription.
"""

from __future__ import annotations

import ast
import math
import random
import struct
import sys
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

from pytest_rustify import build
from pytest_rustify.errors import Refusal
from pytest_rustify.translate import ir
from pytest_rustify.translate.frontend import FunctionSource, TypeEvidence, translate_function
from pytest_rustify.translate.rust import DEPENDENCIES, generate_crate

if TYPE_CHECKING:
    from conftest import Corpus

DBL_MIN = sys.float_info.min
NORM_FUNCTIONS = ("each_hypot2", "each_hypot_row", "each_dist")


def _fma(x: float, y: float, z: float) -> float:
    return float(Fraction(x) * Fraction(y) + Fraction(z))


def _norm_310(vec: list[float], mx: float) -> float:
    """vector_norm of CPython 3.10 and 3.11, after its special cases."""
    t27 = 134217729.0
    csum, frac1, frac2, frac3 = 1.0, 0.0, 0.0, 0.0
    max_e = math.frexp(mx)[1]
    if max_e >= -1023:
        scale = math.ldexp(1.0, -max_e)
        for v in vec:
            x = v * scale
            t = x * t27
            hi = t - (t - x)
            lo = x - hi
            x = hi * hi
            old = csum
            csum += x
            frac1 += (old - csum) + x
            x = 2.0 * hi * lo
            old = csum
            csum += x
            frac2 += (old - csum) + x
            frac3 += lo * lo
        h = math.sqrt(csum - 1.0 + (frac1 + frac2 + frac3))
        x = h
        t = x * t27
        hi = t - (t - x)
        lo = x - hi
        for x, which in ((-hi * hi, 1), (-2.0 * hi * lo, 2), (-lo * lo, 3)):
            old = csum
            csum += x
            if which == 1:
                frac1 += (old - csum) + x
            elif which == 2:
                frac2 += (old - csum) + x
            else:
                frac3 += (old - csum) + x
        x = csum - 1.0 + (frac1 + frac2 + frac3)
        return (h + x / (2.0 * h)) / scale
    for v in vec:
        x = v / mx
        x = x * x
        old = csum
        csum += x
        frac1 += (old - csum) + x
    return mx * math.sqrt(csum - 1.0 + frac1)


def _norm_312(vec: list[float], mx: float) -> float:
    """vector_norm of CPython 3.12 and 3.13, after its special cases."""
    max_e = math.frexp(mx)[1]
    if max_e < -1023:
        return DBL_MIN * _vector_norm([v / DBL_MIN for v in vec], mx / DBL_MIN, False, _norm_312)
    scale = math.ldexp(1.0, -max_e)
    csum, frac1, frac2 = 1.0, 0.0, 0.0
    for v in vec:
        x = v * scale
        pr_hi = x * x
        pr_lo = _fma(x, x, -pr_hi)
        sm_hi = csum + pr_hi
        sm_lo = (csum - sm_hi) + pr_hi
        csum = sm_hi
        frac1 += pr_lo
        frac2 += sm_lo
    h = math.sqrt(csum - 1.0 + (frac1 + frac2))
    pr_hi = -h * h
    pr_lo = _fma(-h, h, -pr_hi)
    sm_hi = csum + pr_hi
    sm_lo = (csum - sm_hi) + pr_hi
    csum = sm_hi
    frac1 += pr_lo
    frac2 += sm_lo
    x = csum - 1.0 + (frac1 + frac2)
    h += x / (2.0 * h)
    return h / scale


Norm = Callable[[list[float], float], float]


def _vector_norm(vec: list[float], mx: float, found_nan: bool, norm: Norm) -> float:
    if math.isinf(mx):
        return mx
    if found_nan:
        return math.nan
    if mx == 0.0 or len(vec) <= 1:
        return mx
    return norm(vec, mx)


def _hypot(coords: list[float], norm: Norm) -> float:
    vec = [abs(c) for c in coords]
    mx = 0.0
    for x in vec:
        mx = x if x > mx else mx
    return _vector_norm(vec, mx, any(math.isnan(x) for x in vec), norm)


def _dist(p: list[float], q: list[float], norm: Norm) -> float:
    return _hypot([a - b for a, b in zip(p, q, strict=True)], norm)


def _bits(x: float) -> bytes:
    return b"nan" if math.isnan(x) else struct.pack("<d", x)


def _vectors(seed: int, n: int, dims: tuple[int, ...]) -> list[list[float]]:
    rng = random.Random(seed)
    edges = [0.0, -0.0, 5e-324, 1e-310, DBL_MIN, 1.0, 3.0, 4.0, 1e308, sys.float_info.max]
    out = []
    for _ in range(n):
        # subnormal scales often: there the two versions' algorithms part ways
        scale = rng.choice((1.0, 1e-320, 1e-310, 1e-310, 1e-315, 1e-300, 1e160, 1e308, 7.0))
        out.append(
            [
                rng.choice(edges) if rng.random() < 0.05 else rng.uniform(-1.0, 1.0) * scale
                for _ in range(rng.choice(dims))
            ]
        )
    return out


def _norm_of_running_version() -> tuple[Norm, Norm]:
    """(the running version's transcription, the other one)."""
    if sys.version_info >= (3, 12):
        return _norm_312, _norm_310
    return _norm_310, _norm_312


def test_transcription_of_the_running_version_matches_cpython() -> None:
    norm, _ = _norm_of_running_version()
    vectors = _vectors(1, 20000, (2, 3, 5, 8, 20))
    wrong = [v for v in vectors if _bits(_hypot(v, norm)) != _bits(math.hypot(*v))]
    assert not wrong, wrong[:5]
    # and the two algorithms differ somewhere, or this file would test nothing
    _, other = _norm_of_running_version()
    assert any(_bits(_hypot(v, norm)) != _bits(_hypot(v, other)) for v in vectors)


@pytest.fixture(scope="module")
def other_version_build(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """hypot and dist of the corpus, built for the Python version that is not running."""
    version = (3, 11) if sys.version_info >= (3, 12) else (3, 12)
    functions = []
    for name in NORM_FUNCTIONS:
        source = replace(corpus.functions[name].source, python_version=version)
        fn = translate_function(source, TypeEvidence())
        assert not isinstance(fn, Refusal), fn
        functions.append(fn)
    result = build.build_crate(
        generate_crate(ir.Module(tuple(functions), version)),
        cache_dir=tmp_path_factory.mktemp("math-other-version"),
        toolchain=build.find_toolchain(),
        dependencies=DEPENDENCIES,
    )
    assert result.status != "failed", result.message
    return build.load_extension(result)


def test_the_other_versions_vector_norm_matches_its_transcription(
    other_version_build: ModuleType,
) -> None:
    running, norm = _norm_of_running_version()
    rows = _vectors(2, 20000, (5,))
    # rows where the running version's port would give other bits: the build must have
    # picked the other port
    assert any(_bits(_hypot(r, norm)) != _bits(_hypot(r, running)) for r in rows)
    got = other_version_build.each_hypot_row(rows)
    wrong = [(r, g) for r, g in zip(rows, got, strict=True) if _bits(g) != _bits(_hypot(r, norm))]
    assert not wrong, wrong[:5]
    pairs = _vectors(3, 6000, (2,))
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    got = other_version_build.each_hypot2(xs, ys)
    expected = [_hypot(p, norm) for p in pairs]
    assert [_bits(g) for g in got] == [_bits(e) for e in expected]
    ps, qs = _vectors(4, 3000, (0, 1, 3, 6)), _vectors(5, 3000, (3,))
    qs = [q[: len(p)] + [0.5] * (len(p) - len(q)) for p, q in zip(ps, qs, strict=True)]
    got = other_version_build.each_dist(ps, qs)
    expected = [_dist(p, q, norm) for p, q in zip(ps, qs, strict=True)]
    assert [_bits(g) for g in got] == [_bits(e) for e in expected]


# -- refusals for the Python versions the runtime was not ported from ------------------------

_SOURCE = """
import math

def norm(x: float, y: float) -> float:
    return math.hypot(x, y)
"""


@pytest.mark.parametrize("version", [(3, 9), (3, 14), (3, 15)])
def test_unported_python_versions_are_refused(version: tuple[int, int]) -> None:
    tree = ast.parse(_SOURCE)
    node = tree.body[1]
    assert isinstance(node, ast.FunctionDef)
    source = FunctionSource("m:norm", "m.py", node, tree, {"math": math})
    assert not isinstance(translate_function(source, TypeEvidence()), Refusal)
    result = translate_function(replace(source, python_version=version), TypeEvidence())
    assert isinstance(result, Refusal), result
    assert result.code == "math-version"
    assert f"{version[0]}.{version[1]}" in result.message and "math.hypot" in result.message
    assert result.line == 5
