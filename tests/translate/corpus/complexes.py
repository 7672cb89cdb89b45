"""Complex numbers: CPython's arithmetic, abs with overflow, parts."""

from __future__ import annotations


def c_arith(a: complex, b: complex) -> list[complex]:
    return [a + b, a - b, a * b, -a]


def c_div(a: complex, b: complex) -> complex:
    return a / b


def c_abs(z: complex) -> float:
    return abs(z)


def c_parts(z: complex) -> tuple[float, float, complex]:
    return z.real, z.imag, z.conjugate()


def c_mixed(z: complex, x: float, n: int) -> complex:
    return z * x + n


def c_make(re: float, im: float) -> complex:
    return complex(re, im)


def c_equal(a: complex, b: complex) -> list[bool]:
    return [a == b, a != b, bool(a)]


def escape_time(c: complex, limit: int) -> int:
    z = 0j
    for i in range(limit):
        z = z * z + c
        if abs(z) > 2.0:
            return i
    return limit
