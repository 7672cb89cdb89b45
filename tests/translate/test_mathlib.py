"""The math module beyond one-argument functions: Python vs the built Rust, bit for bit.

Two kinds of test. Edge tests send the values where a port goes wrong (zeros of both
signs, infinities, NaN, subnormals, the largest floats, negative bases, base 1 ...) one
call at a time through ``check_same``, which compares results, exception types and
messages. Bulk tests send thousands of edge and random inputs through one call of a
corpus function looping over them (``corpus/mathbulk.py``), and compare every result's
bits (NaN equal to NaN). Inputs for which Python raises are taken out of the bulk lists
and checked one by one.
"""

from __future__ import annotations

import itertools
import math
import random
import struct
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import CheckSame, Corpus

NAN = math.nan
INF = math.inf
MAX = sys.float_info.max
TINY = 5e-324  # the smallest subnormal
MIN_NORMAL = sys.float_info.min
EDGES = [
    0.0,
    -0.0,
    INF,
    -INF,
    NAN,
    TINY,
    -TINY,
    1e-310,
    -3.5e-312,
    MIN_NORMAL,
    MIN_NORMAL - TINY,  # the largest subnormal
    MAX,
    -MAX,
    1e308,
    8.98846567431158e307,  # 2**1023
    1.0,
    -1.0,
    0.5,
    -0.5,
    2.0,
    -2.0,
    3.0,
    -3.0,
    0.1,
    2.5,
    -2.5,
    1.0 + 2**-52,
    1.0 - 2**-53,
    1e16,
    -1e16,
    9007199254740993.0,
    1e-300,
    1e300,
    -1e300,
    math.pi,
    -math.pi,
    math.pi / 2,
    360.0,
    -720.5,
    1e-5,
    1e22,
    709.0,
    -745.0,
]


def _random_float(rng: random.Random) -> float:
    kind = rng.randrange(6)
    if kind == 0:
        return rng.uniform(-10.0, 10.0)
    if kind == 1:
        return math.ldexp(rng.uniform(-1.0, 1.0), rng.randint(-1074, 1024))
    if kind == 2:
        return float(rng.randint(-(2**60), 2**60))
    if kind == 3:
        return rng.choice(EDGES)
    if kind == 4:
        return math.ldexp(rng.uniform(0.5, 1.0), rng.randint(-30, 30)) * rng.choice((-1, 1))
    return rng.uniform(-1e6, 1e6)


def _floats(seed: int, n: int) -> list[float]:
    rng = random.Random(seed)
    return [_random_float(rng) for _ in range(n)]


def _pairs(seed: int, n: int) -> tuple[list[float], list[float]]:
    """Every pair of edges, then ``n`` random pairs."""
    xs = [a for a, _ in itertools.product(EDGES, EDGES)]
    ys = [b for _, b in itertools.product(EDGES, EDGES)]
    return xs + _floats(seed, n), ys + _floats(seed + 1, n)


def _bits(v: object) -> object:
    if isinstance(v, float):
        return "nan" if math.isnan(v) else struct.pack("<d", v)
    return (type(v).__name__, v)


def _raises(f: Callable[..., object], args: Sequence[object]) -> bool:
    try:
        f(*args)
    except (ValueError, OverflowError, ZeroDivisionError):
        return True
    return False


def bulk(
    corpus: Corpus,
    name: str,
    one: Callable[..., object],
    columns: Sequence[Sequence[object]],
) -> list[tuple[object, ...]]:
    """Run the rows Python computes without raising through ``name`` in Python and in Rust
    (one call each), assert every result has the same bits and that Rust computed them
    itself; return the rows that raise, for one-by-one checks."""
    rows = list(zip(*columns, strict=True))
    good = [r for r in rows if not _raises(one, r)]
    bad = [r for r in rows if _raises(one, r)]
    cols = [list(c) for c in zip(*good, strict=True)] if good else [[] for _ in columns]
    expected = corpus.py(name)(*cols)
    before = corpus.fallbacks(name)
    actual = corpus.rust(name)(*cols)
    assert corpus.fallbacks(name) == before, f"{name} fell back to Python"
    assert len(expected) == len(actual) == len(good)
    wrong = [
        (row, e, a)
        for row, e, a in zip(good, expected, actual, strict=True)
        if _bits(e) != _bits(a)
    ]
    shown = "\n".join(f"  {name}{row}: python {e!r}, rust {a!r}" for row, e, a in wrong[:10])
    assert not wrong, f"{len(wrong)} of {len(good)} results differ:\n{shown}"
    return bad


def check_each(
    check_same: CheckSame, name: str, rows: Sequence[Sequence[object]], limit: int = 400
) -> None:
    for row in rows[:limit]:
        check_same(name, *row)


# -- bulk: thousands of inputs per function ---------------------------------------------


def test_bulk_atan2(corpus: Corpus, check_same: CheckSame) -> None:
    ys, xs = _pairs(1, 4000)
    bad = bulk(corpus, "each_atan2", math.atan2, [ys, xs])
    assert not bad  # atan2 raises for no float pair


def test_bulk_pow(corpus: Corpus, check_same: CheckSame) -> None:
    xs, ys = _pairs(2, 4000)
    rng = random.Random(3)
    # negative bases with integral exponents, odd and even, and with fractional ones
    xs += [-rng.uniform(0.0, 20.0) for _ in range(2000)]
    ys += [float(rng.randint(-400, 400)) + rng.choice((0.0, 0.0, 0.5, 0.25)) for _ in range(2000)]
    bad = bulk(corpus, "each_pow", math.pow, [xs, ys])
    assert {type(_error(math.pow, r)) for r in bad} == {ValueError, OverflowError}
    check_each(check_same, "one_pow", bad)


def test_bulk_pow_with_int_exponents(corpus: Corpus, check_same: CheckSame) -> None:
    rng = random.Random(4)
    xs = _floats(5, 3000) + EDGES
    ns = [rng.randint(-1100, 1100) for _ in xs]
    bulk(corpus, "each_pow_int_exponent", math.pow, [xs, ns])


@pytest.mark.parametrize(
    ("name", "one"),
    [
        ("each_square", lambda x: math.pow(x, 2.0)),
        ("each_reciprocal", lambda x: math.pow(x, -1.0)),
        ("each_power_op_square", lambda x: x**2.0),
    ],
)
def test_bulk_pow_with_a_constant_exponent(
    corpus: Corpus, name: str, one: Callable[[float], float]
) -> None:
    # glibc's pow(x, 2.0) and x * x differ for about 1 x in 1000: a compiler that sees
    # the constant and rewrites the call would give other bits than CPython.
    rng = random.Random(6)
    xs = [rng.uniform(-1e3, 1e3) for _ in range(5000)] + _floats(7, 3000) + EDGES
    bulk(corpus, name, one, [xs])


def test_bulk_fmod(corpus: Corpus, check_same: CheckSame) -> None:
    xs, ys = _pairs(8, 4000)
    bad = bulk(corpus, "each_fmod", math.fmod, [xs, ys])
    assert bad and all(isinstance(_error(math.fmod, r), ValueError) for r in bad)
    check_each(check_same, "one_fmod", bad)


def test_bulk_log_with_base(corpus: Corpus, check_same: CheckSame) -> None:
    xs, bases = _pairs(9, 4000)
    bad = bulk(corpus, "each_log_base", math.log, [xs, bases])
    assert {type(_error(math.log, r)) for r in bad} == {ValueError, ZeroDivisionError}
    check_each(check_same, "one_log_base", bad)


def test_bulk_log_of_ints(corpus: Corpus, check_same: CheckSame) -> None:
    rng = random.Random(10)
    ns = [rng.randint(-5, 2**62) if rng.random() < 0.8 else rng.randint(-5, 5) for _ in range(3000)]
    bases = [rng.choice((2, 3, 10, 16, 1, 0, -2, 7, 2**40)) for _ in ns]
    bad = bulk(corpus, "each_log_int", math.log, [ns, bases])
    check_each(check_same, "one_log_int_base", bad)


@pytest.mark.parametrize("name", ["radians", "degrees"])
def test_bulk_angle_conversion(corpus: Corpus, name: str) -> None:
    xs = EDGES + _floats(11, 5000) + [float(d) for d in range(-720, 721)]
    bulk(corpus, f"each_{name}", getattr(math, name), [xs])


def test_bulk_isclose(corpus: Corpus, check_same: CheckSame) -> None:
    rng = random.Random(12)
    a, b = _pairs(13, 3000)
    # near neighbours, where the tolerances decide
    for _ in range(3000):
        x = _random_float(rng)
        a.append(x)
        b.append(x + x * rng.choice((1e-9, -1e-9, 1e-10, 2e-9, 1e-16)))
    rel = [rng.choice((1e-9, 0.0, 1e-12, 0.5, INF, NAN, -1e-9, 1e-300)) for _ in a]
    tol = [rng.choice((0.0, 1e-12, 1.0, INF, NAN, -0.0, -1.0)) for _ in a]

    def one(x: float, y: float, r: float, t: float) -> bool:
        return math.isclose(x, y, rel_tol=r, abs_tol=t)

    bad = bulk(corpus, "each_isclose", one, [a, b, rel, tol])
    assert bad and all(isinstance(_error(one, r), ValueError) for r in bad)
    check_each(check_same, "one_isclose", bad, limit=50)
    bulk(corpus, "each_isclose_default", math.isclose, [a, b])


def _coords(seed: int, n: int) -> list[float]:
    """Coordinates of one scale per vector, so that the scaling paths all run."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        scale = rng.choice((1.0, 1e-320, 1e-310, 1e-300, 1e300, 1e308, 1e-160, 1e160))
        out.append(rng.uniform(-1.0, 1.0) * scale if rng.random() < 0.9 else rng.choice(EDGES))
    return out


def test_bulk_hypot(corpus: Corpus) -> None:
    xs, ys = _pairs(14, 3000)
    xs += _coords(15, 3000)
    rng = random.Random(16)
    ys += [x * rng.uniform(0.0, 2.0) for x in xs[-3000:]]
    assert not bulk(corpus, "each_hypot2", math.hypot, [xs, ys])
    zs = _coords(17, len(xs))
    assert not bulk(corpus, "each_hypot3", math.hypot, [xs, ys, zs])
    assert not bulk(corpus, "each_hypot1", math.hypot, [xs])


def test_bulk_hypot_of_five(corpus: Corpus) -> None:
    rng = random.Random(18)
    rows = []
    for _ in range(3000):
        scale = rng.choice((1.0, 1e-320, 1e-310, 1e300, 1e-200, 3.0))
        rows.append([rng.uniform(-1.0, 1.0) * scale for _ in range(5)])
    rows += [list(r) for r in itertools.product([0.0, -TINY, INF, NAN, 1.0], repeat=5)][::7]
    assert not bulk(corpus, "each_hypot_row", lambda r: math.hypot(*r), [rows])


def test_bulk_dist(corpus: Corpus, check_same: CheckSame) -> None:
    rng = random.Random(19)
    ps, qs = [], []
    for _ in range(3000):
        n = rng.randint(0, 6)
        scale = rng.choice((1.0, 1e-315, 1e300, 1e308, 1e-100))
        ps.append([rng.uniform(-1.0, 1.0) * scale for _ in range(n)])
        qs.append([rng.uniform(-1.0, 1.0) * scale for _ in range(n)])
    ps += [[a, b] for a in EDGES[:12] for b in EDGES[:12]]
    qs += [[b, a] for a in EDGES[:12] for b in EDGES[:12]]
    ps.append([1.0, 2.0])
    qs.append([1.0])
    bad = bulk(corpus, "each_dist", math.dist, [ps, qs])
    assert bad == [([1.0, 2.0], [1.0])]
    check_each(check_same, "one_dist", bad)


def _sum_rows(seed: int) -> list[list[float]]:
    rng = random.Random(seed)
    rows: list[list[float]] = [[], [0.0], [-0.0], [-0.0, -0.0], [1e16, 1.0, -1e16]]
    rows += [[1e-16, 1.0, 1e16], [MAX, MAX, -MAX], [MAX, -MAX, MAX], [INF, 1.0], [NAN, 1.0]]
    rows += [[INF, -INF], [INF, INF, 1e308, 1e308], [2.0**-1074, 2.0**-1074], [0.1] * 10]
    for _ in range(3000):
        n = rng.randint(0, 40)
        kind = rng.randrange(3)
        if kind == 0:
            rows.append([rng.uniform(-1.0, 1.0) * 10.0 ** rng.randint(-20, 20) for _ in range(n)])
        elif kind == 1:
            # big terms that cancel, leaving the small ones
            big = [rng.uniform(-1e15, 1e15) for _ in range(n // 2)]
            row = big + [-b for b in big] + [rng.uniform(-1.0, 1.0) for _ in range(n - n // 2)]
            rng.shuffle(row)
            rows.append(row)
        else:
            rows.append([_random_float(rng) for _ in range(n)])
    return rows


def test_bulk_fsum(corpus: Corpus, check_same: CheckSame) -> None:
    rows = _sum_rows(20)
    bad = bulk(corpus, "each_fsum", math.fsum, [rows])
    assert {type(_error(math.fsum, r)) for r in bad} == {ValueError, OverflowError}
    check_each(check_same, "one_fsum", bad)
    bad_gen = bulk(corpus, "each_fsum_gen", math.fsum, [rows])
    assert bad_gen == bad


def test_bulk_prod(corpus: Corpus) -> None:
    rows = [r for r in _sum_rows(21) if r]  # the product of nothing is the int 1
    rows = [r[:8] for r in rows]
    assert not bulk(corpus, "each_prod", math.prod, [rows])


def test_bulk_integer_functions(corpus: Corpus, check_same: CheckSame) -> None:
    rng = random.Random(22)
    a = [rng.randint(-(2**62), 2**62) for _ in range(2000)] + [0, 0, -(2**63), 7, -12]
    b = [rng.choice((0, 1, -1, 6, rng.randint(-(2**40), 2**40))) for _ in a[:-5]] + [0, 5, 6, 0, 18]
    assert bulk(corpus, "each_gcd", math.gcd, [a, b]) == []
    ns = [rng.randint(-3, 70) for _ in range(3000)]
    ks = [rng.randint(-3, 70) for _ in ns]
    small = [
        (n, k) for n, k in zip(ns, ks, strict=True) if n < 0 or k < 0 or math.comb(n, k) < 2**63
    ]
    bad = bulk(corpus, "each_comb", math.comb, list(zip(*small, strict=True)))
    check_each(check_same, "one_comb", bad, limit=100)
    small = [
        (n, k) for n, k in zip(ns, ks, strict=True) if n < 0 or k < 0 or math.perm(n, k) < 2**63
    ]
    bad = bulk(corpus, "each_perm", math.perm, list(zip(*small, strict=True)))
    check_each(check_same, "one_perm", bad, limit=100)
    bad = bulk(corpus, "each_factorial", math.factorial, [list(range(-3, 21))])
    assert bad == [(-3,), (-2,), (-1,)]
    check_each(check_same, "one_factorial", bad)


def _error(f: Callable[..., object], args: Sequence[object]) -> BaseException | None:
    try:
        f(*args)
    except Exception as exc:
        return exc
    return None


# -- edges, one call at a time --------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "y"),
    [
        (-8.0, 1.0 / 3.0),  # a negative base with a non-integral exponent: ValueError
        (-8.0, 3.0),
        (-2.0, -3.0),
        (-0.0, -1.0),  # ValueError (0.0 ** -1.0 is a ZeroDivisionError)
        (0.0, -2.5),
        (-0.0, 3.0),
        (-0.0, 0.5),
        (10.0, 400.0),  # OverflowError: math range error
        (-10.0, 401.0),
        (10.0, -400.0),  # underflow: 0.0, no error
        (1.0, NAN),
        (NAN, 0.0),
        (-1.0, INF),
        (-INF, 3.0),
        (-INF, -3.0),
        (-INF, 2.0),
        (0.5, -INF),
        (TINY, 0.5),
    ],
)
def test_pow_edges(check_same: CheckSame, x: float, y: float) -> None:
    check_same("one_pow", x, y)


@pytest.mark.parametrize(
    ("x", "base"),
    [(0.0, 10.0), (-1.0, 10.0), (8.0, 1.0), (8.0, 0.0), (8.0, -2.0), (8.0, 2.0), (1.0, 1.0)],
)
def test_log_base_edges(check_same: CheckSame, x: float, base: float) -> None:
    check_same("one_log_base", x, base)


@pytest.mark.parametrize(
    ("x", "base"), [(0, 10), (-5, 10), (1000, 10), (8, 1), (2**62, 2), (7, 0), (7, -1), (1, 7)]
)
def test_log_of_ints_edges(check_same: CheckSame, x: int, base: int) -> None:
    check_same("one_log_int_base", x, base)


def test_log_of_a_huge_int_falls_back(check_same: CheckSame) -> None:
    check_same("one_log_int_base", 10**400, 10, fallback=True)


@pytest.mark.parametrize(
    ("x", "y"), [(5.0, 0.0), (INF, 2.0), (-0.0, 3.0), (-7.5, 2.0), (7.5, -INF), (NAN, 0.0)]
)
def test_fmod_edges(check_same: CheckSame, x: float, y: float) -> None:
    check_same("one_fmod", x, y)


@pytest.mark.parametrize(
    ("a", "b", "rel", "tol"),
    [
        (1.0, 1.0, -1.0, 0.0),
        (1.0, 2.0, 0.0, -0.5),
        (INF, INF, 0.0, 0.0),
        (INF, -INF, INF, INF),
        (NAN, NAN, INF, INF),
        (1.0, 1.0 + 1e-10, 1e-9, 0.0),
        (0.0, 1e-300, 1e-9, 0.0),
        (0.0, 1e-300, 1e-9, 1e-300),
    ],
)
def test_isclose_edges(check_same: CheckSame, a: float, b: float, rel: float, tol: float) -> None:
    check_same("one_isclose", a, b, rel, tol)


def test_hypot_of_nothing_and_of_mixed_arguments(check_same: CheckSame) -> None:
    assert check_same("one_hypot_none").value == 0.0
    assert check_same("one_hypot_mixed", 3, 4.0, False).value == 5.0
    check_same("one_hypot_mixed", -(2**62), NAN, True)
    check_same("one_hypot", INF, NAN)  # inf wins over NaN
    check_same("one_hypot", NAN, -INF)


def test_hypot_and_dist_of_many_coordinates(check_same: CheckSame) -> None:
    rng = random.Random(23)
    for scale in (1.0, 1e-310, 1e300):
        xs = [rng.uniform(-1.0, 1.0) * scale for _ in range(18)]
        check_same("one_hypot_many", xs)
        check_same("one_dist", xs, xs[::-1])
    check_same("one_hypot_many", [1.0] * 17 + [NAN])


def test_dist_of_ints_and_tuples(check_same: CheckSame) -> None:
    assert check_same("one_dist_ints", [1, 2], (4, 6.0)).value == 5.0
    check_same("one_dist_ints", [1, 2, 3], (4, 6.0))  # ValueError: dimensions
    check_same("one_dist", [], [])


def test_fsum_edges(check_same: CheckSame) -> None:
    check_same("one_fsum", [])
    check_same("one_fsum", [-0.0])  # fsum ignores the sign of zeros: 0.0
    check_same("one_fsum", [1e308, 1e308])  # OverflowError: intermediate overflow
    check_same("one_fsum", [INF, -INF])  # ValueError: -inf + inf
    check_same("one_fsum", [INF, 1e308, 1e308])
    check_same("one_fsum", [NAN, INF, -INF])
    check_same("one_fsum_ints", [2**53, 1, 1])
    check_same("one_fsum_ints", [])
    check_same("one_fsum_gen", [1e308, 1e307])
    check_same("one_fsum_gen", [0.1] * 10)


def test_fsum_consumes_a_generator_one_element_at_a_time(check_same: CheckSame) -> None:
    # The sum overflows at the second element, before the third divides by zero.
    out = check_same("one_fsum_ratios", [1.0, 1.0, 0.0])
    assert out.exception is not None and out.exception[0] == "OverflowError", out
    check_same("one_fsum_ratios", [1.0, -1.0, 0.0])  # ZeroDivisionError


def test_prod_edges(check_same: CheckSame) -> None:
    check_same("one_prod", [], fallback=True)  # the product of no floats is the int 1
    check_same("one_prod", [-0.0, 5.0])
    check_same("one_prod", [1e200, 1e200, 0.0])
    check_same("one_prod_ints", [])
    check_same("one_prod_ints", [2**32, -(2**31)])
    check_same("one_prod_ints", [2**32, 2**32], fallback=True)  # beyond i64
    check_same("one_prod_ints", [2**32, 2**32, 0], fallback=True)
    check_same("one_prod_gen", [1, 2, 3])
    check_same("one_prod_gen", [], fallback=False)
    check_same("one_prod_float_gen", [1.0, 1.0], fallback=True)  # no element: the int 1
    check_same("one_prod_float_gen", [1.0, -2.5, NAN])


def test_integer_function_edges(check_same: CheckSame) -> None:
    assert check_same("one_gcd_none").value == 0
    check_same("one_gcd_one", -12)
    check_same("one_gcd", 0, 0, 0)
    check_same("one_gcd", -(2**63), 0, 0, fallback=True)  # 2**63 is beyond i64
    check_same("one_gcd", -(2**63), 6, 0)
    check_same("one_factorial", 20)
    check_same("one_factorial", 21, fallback=True)
    check_same("one_factorial", -1)
    check_same("one_comb", 66, 33)
    check_same("one_comb", 68, 34, fallback=True)
    check_same("one_comb", 5, 7)
    check_same("one_comb", -5, -7)  # n is checked first
    check_same("one_comb", 5, -7)
    check_same("one_comb", 2**62, 1)
    check_same("one_perm", 20, 20)
    check_same("one_perm", 21, 21, fallback=True)
    check_same("one_perm", 3, 4)
    check_same("one_perm", -3, 4)
    check_same("one_perm_all", -3)  # perm(n) is factorial(n), with its message
    check_same("one_perm_all", 12)
    check_same("one_radians_int", 2**62 + 1)


# -- the realistic corpus (corpus/mathfns.py) on edge inputs ---------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("to_polar", (3.0, -4.0)),
        ("to_polar", (-0.0, -0.0)),
        ("to_polar", (INF, NAN)),
        ("from_polar_degrees", (2.0, 90.0)),
        ("from_polar_degrees", (1.0, -INF)),  # cos(-inf): ValueError
        ("haversine_km", (51.5, -0.12, 40.7, -74.0)),
        ("haversine_km", (0.0, 0.0, 0.0, 180.0)),
        ("route_length_km", ([(51.5, -0.12), (48.85, 2.35), (41.9, 12.5)],)),
        ("route_length_km", ([],)),
        ("initial_bearing", (51.5, -0.12, 40.7, -74.0)),
        ("initial_bearing", (0.0, 0.0, 0.0, 0.0)),
        ("wrap_angles", ([0.0, -0.0, 7.0, -7.0, 1e300, math.pi, -math.pi],)),
        ("wrap_degrees", ([-0.0, 365.0, -365.0, 720.0, -1e-320, 1e20],)),
        ("wrap_degrees", ([INF],)),  # fmod(inf, 360): ValueError
        ("polyline_length", ([0.0, 3.0, 3.0, 1e-320], [0.0, 4.0, 0.0, 1e-320])),
        ("vector_norms", ([(1.0, 2.0, 2.0), (1e300, 1e300, 1e300), (TINY, TINY, 0.0)],)),
        ("nearest_point", ((0.0, 0.0), [(3.0, 4.0), (-1.0, 1.0), (NAN, 0.0)])),
        ("nearest_point", ((0.0, 0.0), [])),
        ("path_dist", ([[0.0, 0.0], [3.0, 4.0], [3.0, 4.0, 0.0]],)),  # ValueError
        ("path_dist", ([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]],)),
        ("compound_interest", (1000.0, 0.05, 10, 12)),
        ("compound_interest", (1000.0, 0.05, 10**6, 10**6)),  # OverflowError
        ("compound_interest", (1000.0, -3.0, 1, 1)),  # a negative base, integral exponent
        ("compound_interest", (1000.0, -3.0, 0, 2)),  # (-0.5) ** 0
        ("years_to_double", (0.07,)),
        ("years_to_double", (0.0,)),  # log base 1: ZeroDivisionError
        ("years_to_double", (-1.5,)),  # ValueError
        ("decibels", (1e-3, 1.0)),
        ("decibels", (0.0, 1.0)),
        ("log_sum_exp", ([1000.0, 1000.0, -INF],)),
        ("log_sum_exp", ([INF, 1.0],)),
        ("log_sum_exp", ([-745.0, -745.0],)),
        ("softmax", ([1.0, 2.0, 3.0, 700.0],)),
        ("sqrt_by_newton", (2.0, 1e-12)),
        ("sqrt_by_newton", (1e300, 1e-15)),
        ("sqrt_by_newton", (2.0, -1.0)),  # tolerances must be non-negative
        ("fixed_point_cos", (1.0,)),
        ("binomial_pmf", (10, 3, 0.5)),
        ("binomial_pmf", (10, 11, 0.5)),
        ("binomial_pmf", (-1, 0, 0.5)),
        ("binomial_cdf", (60, 30, 0.5)),
        ("binomial_cdf", (20, 20, 0.0)),
        ("arrangements", (10, [3, 3, 4])),
        ("arrangements", (5, [-1])),
        ("lcm_of", ([4, 6, 10, 15],)),
        ("lcm_of", ([0, 0],)),  # ZeroDivisionError
        ("lcm_of", ([-4, 6],)),
        ("reduce_fraction", (-12, 18)),
        ("reduce_fraction", (0, 0)),
        ("harmonic", (1000,)),
        ("harmonic", (0,)),
        ("geometric_mean", ([2.0, 8.0],)),
        ("geometric_mean", ([],)),  # ZeroDivisionError in 1.0 / len
        ("product_of_counts", ([3, 4, 5],)),
        ("digit_count", (1000,)),
        ("digit_count", (999,)),
        ("digit_count", (0,)),
    ],
)
def test_mathfns_edges(check_same: CheckSame, name: str, args: tuple[object, ...]) -> None:
    check_same(name, *args, fallback=None)


def test_mathfns_compute_in_rust(check_same: CheckSame) -> None:
    # fallback=None above accepts either; these ordinary calls must not fall back.
    for name, args in [
        ("to_polar", (3.0, -4.0)),
        ("haversine_km", (51.5, -0.12, 40.7, -74.0)),
        ("binomial_cdf", (60, 30, 0.5)),
        ("log_sum_exp", ([1.0, 2.0, 3.0],)),
        ("fixed_point_cos", (1.0,)),
        ("arrangements", (10, [3, 3, 4])),
        ("geometric_mean", ([2.0, 8.0],)),
    ]:
        check_same(name, *args)
