"""Integer arithmetic as users write it: floor division, modulo, overflow, bools."""

from __future__ import annotations


def floordiv_int(a: int, b: int) -> int:
    return a // b


def mod_int(a: int, b: int) -> int:
    return a % b


def divmod_int(a: int, b: int) -> tuple[int, int]:
    return divmod(a, b)


def truediv_int(a: int, b: int) -> float:
    return a / b


def add_int(a: int, b: int) -> int:
    return a + b


def sub_int(a: int, b: int) -> int:
    return a - b


def mul_int(a: int, b: int) -> int:
    return a * b


def pow_int(a: int, b: int) -> int:
    return a**b


def pow_neg_const(a: int) -> float:
    return a**-2


def abs_int(a: int) -> int:
    return abs(a)


def neg_int(a: int) -> int:
    return -a


def factorial(n: int) -> int:
    result = 1
    for k in range(2, n + 1):
        result *= k
    return result


def gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def collatz_steps(n: int) -> int:
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def bool_arith(a: bool, b: bool) -> list[int]:
    return [a + b, a - b, a * 3, -a, a // True]


def sum_bools(flags: list[bool]) -> int:
    return sum(flags)


def sum_ints(xs: list[int]) -> int:
    return sum(xs)


def int_of_bool(b: bool) -> int:
    return int(b)


def int_min_const() -> int:
    return -9223372036854775808


def scale_int(a: int, x: float) -> float:
    return a * x + a


def compare_int_float(i: int, f: float) -> list[bool]:
    return [i < f, i <= f, i == f, i != f, i > f, i >= f]


def compare_float_int(f: float, i: int) -> list[bool]:
    return [f < i, f <= i, f == i, f != i, f > i, f >= i]


def between(lo: int, x: float, hi: int) -> bool:
    return lo <= x < hi
