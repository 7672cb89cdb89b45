"""Float arithmetic, the math module, rounding and reductions."""

from __future__ import annotations

import math
from math import sqrt


def floordiv_float(a: float, b: float) -> float:
    return a // b


def mod_float(a: float, b: float) -> float:
    return a % b


def divmod_float(a: float, b: float) -> tuple[float, float]:
    return divmod(a, b)


def truediv_float(a: float, b: float) -> float:
    return a / b


def floordiv_mixed(a: int, b: float) -> float:
    return a // b


def pow_float(a: float, b: float) -> float:
    return a**b


def half_power(x: float) -> float:
    return x**0.5


def round_half_even(x: float) -> int:
    return round(x)


def int_trunc(x: float) -> int:
    return int(x)


def floor_ceil(x: float) -> tuple[int, int, int]:
    return math.floor(x), math.ceil(x), math.trunc(x)


def float_of_int(i: int) -> float:
    return float(i)


def m_sqrt(x: float) -> float:
    return math.sqrt(x)


def m_sqrt_imported(x: float) -> float:
    return sqrt(x)


def m_log(x: float) -> float:
    return math.log(x)


def m_log_int(n: int) -> float:
    return math.log(n)


def m_exp(x: float) -> float:
    return math.exp(x)


def m_misc(x: float) -> list[float]:
    return [math.log10(x), math.log2(x), math.log1p(x), math.atan(x), math.fabs(x)]


def m_sinh(x: float) -> float:
    return math.sinh(x)


def m_acos(x: float) -> float:
    return math.acos(x)


def m_tan(x: float) -> float:
    return math.tan(x)


def m_copysign(x: float, y: float) -> float:
    return math.copysign(x, y)


def classify(x: float) -> list[bool]:
    return [math.isnan(x), math.isinf(x), math.isfinite(x)]


def min_max_pair(a: float, b: float) -> tuple[float, float]:
    return min(a, b), max(a, b)


def min_max_three(a: float, b: float, c: float) -> tuple[float, float]:
    return min(a, b, c), max(a, b, c)


def min_of_list(xs: list[float]) -> float:
    return min(xs)


def max_of_list(xs: list[float]) -> float:
    return max(xs)


def sum_floats(xs: list[float]) -> float:
    return sum(xs)


def mean(xs: list[float]) -> float:
    total = 0.0
    for x in xs:
        total += x
    return total / len(xs)


def variance(xs: list[float]) -> float:
    n = len(xs)
    mu = sum(xs) / n
    acc = 0.0
    for x in xs:
        acc += (x - mu) * (x - mu)
    return acc / (n - 1)


def float_constants() -> list[float]:
    return [1e300, 5e-324, 1e16, -0.0, math.inf, -math.inf, math.pi, 2.5e-08, 1.5e17, math.tau]


def negate_float(x: float) -> float:
    return -x


def float_truth(x: float) -> list[bool]:
    return [bool(x), not x]


def horner(coeffs: list[float], x: float) -> float:
    acc = 0.0
    for c in coeffs:
        acc = acc * x + c
    return acc
