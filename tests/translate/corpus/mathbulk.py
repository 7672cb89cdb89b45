"""One math function over many inputs per call: test_mathlib.py's bulk differential test
runs thousands of edge and random inputs through Python and Rust in one call each."""

# Written as users write it: zip() without strict=.
# ruff: noqa: B905

from __future__ import annotations

import math


def each_atan2(ys: list[float], xs: list[float]) -> list[float]:
    return [math.atan2(y, x) for y, x in zip(ys, xs)]


def each_pow(xs: list[float], ys: list[float]) -> list[float]:
    return [math.pow(x, y) for x, y in zip(xs, ys)]


def each_pow_int_exponent(xs: list[float], ns: list[int]) -> list[float]:
    return [math.pow(x, n) for x, n in zip(xs, ns)]


def each_square(xs: list[float]) -> list[float]:
    """A constant exponent, which a compiler may rewrite (pow(x, 2.0) as x * x)."""
    return [math.pow(x, 2.0) for x in xs]


def each_reciprocal(xs: list[float]) -> list[float]:
    return [math.pow(x, -1.0) for x in xs]


def each_power_op_square(xs: list[float]) -> list[float]:
    return [x**2.0 for x in xs]


def each_fmod(xs: list[float], ys: list[float]) -> list[float]:
    return [math.fmod(x, y) for x, y in zip(xs, ys)]


def each_log_base(xs: list[float], bases: list[float]) -> list[float]:
    return [math.log(x, b) for x, b in zip(xs, bases)]


def each_log_int(ns: list[int], bases: list[int]) -> list[float]:
    return [math.log(n, b) for n, b in zip(ns, bases)]


def each_radians(xs: list[float]) -> list[float]:
    return [math.radians(x) for x in xs]


def each_degrees(xs: list[float]) -> list[float]:
    return [math.degrees(x) for x in xs]


def each_isclose(a: list[float], b: list[float], rel: list[float], tol: list[float]) -> list[bool]:
    return [math.isclose(x, y, rel_tol=r, abs_tol=t) for x, y, r, t in zip(a, b, rel, tol)]


def each_isclose_default(a: list[float], b: list[float]) -> list[bool]:
    return [math.isclose(x, y) for x, y in zip(a, b)]


def each_hypot2(xs: list[float], ys: list[float]) -> list[float]:
    return [math.hypot(x, y) for x, y in zip(xs, ys)]


def each_hypot3(xs: list[float], ys: list[float], zs: list[float]) -> list[float]:
    return [math.hypot(x, y, z) for x, y, z in zip(xs, ys, zs)]


def each_hypot_row(rows: list[list[float]]) -> list[float]:
    out = []
    for r in rows:
        out.append(math.hypot(r[0], r[1], r[2], r[3], r[4]))
    return out


def each_hypot1(xs: list[float]) -> list[float]:
    return [math.hypot(x) for x in xs]


def each_dist(ps: list[list[float]], qs: list[list[float]]) -> list[float]:
    return [math.dist(p, q) for p, q in zip(ps, qs)]


def each_fsum(rows: list[list[float]]) -> list[float]:
    return [math.fsum(r) for r in rows]


def each_fsum_gen(rows: list[list[float]]) -> list[float]:
    return [math.fsum(x for x in r) for r in rows]


def each_prod(rows: list[list[float]]) -> list[float]:
    return [math.prod(r) for r in rows]


def each_gcd(a: list[int], b: list[int]) -> list[int]:
    return [math.gcd(x, y) for x, y in zip(a, b)]


def each_comb(ns: list[int], ks: list[int]) -> list[int]:
    return [math.comb(n, k) for n, k in zip(ns, ks)]


def each_perm(ns: list[int], ks: list[int]) -> list[int]:
    return [math.perm(n, k) for n, k in zip(ns, ks)]


def each_factorial(ns: list[int]) -> list[int]:
    return [math.factorial(n) for n in ns]


# -- one call each: the inputs that raise --------------------------------------------


def one_atan2(y: float, x: float) -> float:
    return math.atan2(y, x)


def one_pow(x: float, y: float) -> float:
    return math.pow(x, y)


def one_fmod(x: float, y: float) -> float:
    return math.fmod(x, y)


def one_log_base(x: float, base: float) -> float:
    return math.log(x, base)


def one_log_int_base(x: int, base: int) -> float:
    return math.log(x, base)


def one_isclose(a: float, b: float, rel: float, tol: float) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=tol)


def one_hypot(x: float, y: float) -> float:
    return math.hypot(x, y)


def one_hypot_none() -> float:
    return math.hypot()


def one_hypot_mixed(x: int, y: float, flag: bool) -> float:
    return math.hypot(x, y, flag)


def one_dist(p: list[float], q: list[float]) -> float:
    return math.dist(p, q)


def one_dist_ints(p: list[int], q: tuple[int, float]) -> float:
    return math.dist(p, q)


def one_fsum(xs: list[float]) -> float:
    return math.fsum(xs)


def one_fsum_ints(xs: list[int]) -> float:
    return math.fsum(xs)


def one_fsum_gen(xs: list[float]) -> float:
    return math.fsum(x * 2.0 for x in xs)


def one_prod(xs: list[float]) -> float:
    return math.prod(xs)


def one_prod_ints(xs: list[int]) -> int:
    return math.prod(xs)


def one_prod_gen(xs: list[int]) -> int:
    return math.prod(x + 1 for x in xs)


def one_prod_float_gen(xs: list[float]) -> float:
    return math.prod(x for x in xs if x != 1.0)


def one_gcd(a: int, b: int, c: int) -> int:
    return math.gcd(a, b, c)


def one_gcd_none() -> int:
    return math.gcd()


def one_gcd_one(a: int) -> int:
    return math.gcd(a)


def one_factorial(n: int) -> int:
    return math.factorial(n)


def one_comb(n: int, k: int) -> int:
    return math.comb(n, k)


def one_perm(n: int, k: int) -> int:
    return math.perm(n, k)


def one_perm_all(n: int) -> int:
    return math.perm(n)


def one_radians_int(d: int) -> float:
    return math.radians(d)


def one_hypot_many(xs: list[float]) -> float:
    """More coordinates than CPython keeps on its stack (16)."""
    return math.hypot(
        xs[0],
        xs[1],
        xs[2],
        xs[3],
        xs[4],
        xs[5],
        xs[6],
        xs[7],
        xs[8],
        xs[9],
        xs[10],
        xs[11],
        xs[12],
        xs[13],
        xs[14],
        xs[15],
        xs[16],
        xs[17],
    )


def one_fsum_ratios(xs: list[float]) -> float:
    return math.fsum(1e308 / x for x in xs)
