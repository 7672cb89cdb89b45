"""Control flow: and/or operands, truthiness, chained comparisons, loop-else, raising."""

from __future__ import annotations


def and_or_int(a: int, b: int) -> list[int]:
    return [a and b, a or b, (a and b) or 7]


def and_or_float(a: float, b: float) -> tuple[float, float]:
    return a and b, a or b


def and_or_str(a: str, b: str) -> tuple[str, str]:
    return a and b, a or b


def and_or_list(a: list[int], b: list[int]) -> list[int]:
    return list(a) or list(b)


def truth_table(i: int, f: float, s: str, xs: list[int]) -> list[bool]:
    return [bool(i), bool(f), bool(s), bool(xs), not i, not s]


def chained(a: int, b: int, c: int) -> list[bool]:
    return [a < b < c, a < b > c, a == b == c, a != b != c]


def sign(x: float) -> int:
    return 1 if x > 0 else (-1 if x < 0 else 0)


def find_index(xs: list[int], target: int) -> int:
    for i in range(len(xs)):
        if xs[i] == target:
            break
    else:
        return -1
    return i


def while_else(n: int) -> str:
    k = 0
    while k < n:
        if k == 5:
            break
        k += 1
    else:
        return "exhausted"
    return "broke"


def first_pair_sum(xs: list[int], target: int) -> tuple[int, int]:
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            if xs[i] + xs[j] == target:
                return i, j
    return -1, -1


def skip_odd_sum(xs: list[int]) -> int:
    total = 0
    for x in xs:
        if x % 2:
            continue
        total += x
    return total


def nested_break_else(rows: list[list[int]]) -> list[int]:
    out = []
    for row in rows:
        for x in row:
            if x < 0:
                break
        else:
            out.append(len(row))
            continue
        out.append(-1)
    return out


def even_squares(xs: list[int]) -> list[int]:
    return [x * x for x in xs if x % 2 == 0 if x > 0]


def pairs_below(n: int) -> list[tuple[int, int]]:
    return [(i, j) for i in range(n) for j in range(i)]


def check_positive(x: int) -> int:
    if x < 0:
        raise ValueError("negative input")
    if x == 0:
        raise ZeroDivisionError
    return 100 // x


def raise_key(k: str) -> int:
    if k != "ok":
        raise KeyError("missing")
    return 1


def assert_positive(x: float) -> float:
    assert x > 0, "x must be positive"
    assert x < 100
    return x * 2.0


def bisect_left(xs: list[float], x: float) -> int:
    lo = 0
    hi = len(xs)
    while lo < hi:
        mid = (lo + hi) // 2
        if xs[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def loop_forever_until(n: int) -> int:
    k = 1
    while True:
        k *= 2
        if k > n:
            break
    return k


def while_true_break_bound(n: int) -> int:
    while True:
        y = n * 2
        break
    return y


def nested_break_bound(xs: list[int]) -> int:
    for x in xs:
        for z in xs:
            if z > x:
                break
        else:
            y = x
            break
    else:
        return -1
    return y


def raise_key_message(s: str) -> int:
    if len(s) > 0:
        raise KeyError(s)
    return 0


def raise_key_bare(x: int) -> int:
    if x > 0:
        raise KeyError
    return x
