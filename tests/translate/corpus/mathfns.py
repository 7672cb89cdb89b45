"""Numeric code using the math module as users write it: geometry, finance, statistics."""

from __future__ import annotations

import math
from math import atan2, comb, fsum, hypot, isclose

EARTH_RADIUS_KM = 6371.0088


def to_polar(x: float, y: float) -> tuple[float, float]:
    return math.hypot(x, y), math.atan2(y, x)


def from_polar_degrees(r: float, degrees: float) -> tuple[float, float]:
    theta = math.radians(degrees)
    return r * math.cos(theta), r * math.sin(theta)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def route_length_km(route: list[tuple[float, float]]) -> float:
    legs = []
    for i in range(1, len(route)):
        lat1, lon1 = route[i - 1]
        lat2, lon2 = route[i]
        legs.append(haversine_km(lat1, lon1, lat2, lon2))
    return math.fsum(legs)


def initial_bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    y = math.sin(dl) * math.cos(p2)
    x = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.fmod(math.degrees(atan2(y, x)) + 360.0, 360.0)


def wrap_angles(angles: list[float]) -> list[float]:
    """Each angle into (-pi, pi], by atan2 of its sine and cosine."""
    return [math.atan2(math.sin(a), math.cos(a)) for a in angles]


def wrap_degrees(angles: list[float]) -> list[float]:
    out = []
    for a in angles:
        w = math.fmod(a, 360.0)
        if w < 0:
            w += 360.0
        out.append(w)
    return out


def polyline_length(xs: list[float], ys: list[float]) -> float:
    total = 0.0
    for i in range(1, len(xs)):
        total += hypot(xs[i] - xs[i - 1], ys[i] - ys[i - 1])
    return total


def vector_norms(points: list[tuple[float, float, float]]) -> list[float]:
    return [math.hypot(x, y, z) for x, y, z in points]


def nearest_point(target: tuple[float, float], points: list[tuple[float, float]]) -> int:
    best = -1
    best_d = math.inf
    for i, p in enumerate(points):
        d = math.dist(target, p)
        if d < best_d:
            best, best_d = i, d
    return best


def path_dist(path: list[list[float]]) -> float:
    return math.fsum(math.dist(path[i - 1], path[i]) for i in range(1, len(path)))


def compound_interest(principal: float, rate: float, years: int, per_year: int) -> float:
    return principal * math.pow(1.0 + rate / per_year, per_year * years)


def years_to_double(rate: float) -> float:
    return math.log(2.0, 1.0 + rate)


def decibels(power: float, reference: float) -> float:
    return 10.0 * math.log(power / reference, 10)


def log_sum_exp(xs: list[float]) -> float:
    m = max(xs)
    if math.isinf(m):
        return m
    return m + math.log(math.fsum(math.exp(x - m) for x in xs))


def softmax(xs: list[float]) -> list[float]:
    m = max(xs)
    exps = [math.exp(x - m) for x in xs]
    total = math.fsum(exps)
    return [e / total for e in exps]


def sqrt_by_newton(a: float, rel_tol: float) -> tuple[float, int]:
    x = a if a > 1.0 else 1.0
    steps = 0
    while not isclose(x * x, a, rel_tol=rel_tol) and steps < 100:
        x = 0.5 * (x + a / x)
        steps += 1
    return x, steps


def fixed_point_cos(x0: float) -> tuple[float, int]:
    x = x0
    for n in range(1000):
        nxt = math.cos(x)
        if math.isclose(nxt, x, abs_tol=1e-12, rel_tol=0.0):
            return nxt, n
        x = nxt
    return x, 1000


def binomial_pmf(n: int, k: int, p: float) -> float:
    return math.comb(n, k) * p**k * (1.0 - p) ** (n - k)


def binomial_cdf(n: int, k: int, p: float) -> float:
    return fsum(comb(n, i) * p**i * (1.0 - p) ** (n - i) for i in range(k + 1))


def arrangements(n: int, ks: list[int]) -> int:
    """Multinomial: n! / (k1! k2! ...), then the orderings of a sample of two."""
    out = math.factorial(n)
    for k in ks:
        out //= math.factorial(k)
    return out + math.perm(n, 2)


def lcm_of(xs: list[int]) -> int:
    out = 1
    for x in xs:
        out = out * x // math.gcd(out, x)
    return out


def reduce_fraction(num: int, den: int) -> tuple[int, int]:
    g = math.gcd(num, den)
    return num // g, den // g


def harmonic(n: int) -> float:
    return math.fsum(1.0 / i for i in range(1, n + 1))


def geometric_mean(xs: list[float]) -> float:
    return math.prod(xs) ** (1.0 / len(xs))


def product_of_counts(counts: list[int]) -> int:
    return math.prod(counts)


def digit_count(n: int) -> int:
    return int(math.log(n, 10)) + 1 if n > 0 else 1
