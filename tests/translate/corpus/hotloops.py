"""Hot loops that index, divide and accumulate: the error paths the runtime builds inline.

An index out of range, a division by zero, an int that leaves i64 and a NumPy warning
are built without a call inside the loop (so the loop keeps its accumulators in
registers); each function here takes one of those paths on some input, and the tests
check that the exception type and message, or the fallback, are Python's.
"""

import numpy as np

Vec = np.ndarray[tuple[int], np.dtype[np.float64]]
Mat = np.ndarray[tuple[int, int], np.dtype[np.float64]]


def dot_by_index(a: list[float], b: list[float]) -> float:
    total = 0.0
    for i in range(len(a)):
        total += a[i] * b[i]
    return total


def sum_from_negative(xs: list[int], k: int) -> int:
    total = 0
    for i in range(-k, len(xs)):
        total += xs[i]
    return total


def read_while_growing(xs: list[int], extra: int) -> list[int]:
    for i in range(len(xs) + extra):
        xs.append(xs[i] * 2)
    return xs


def read_while_shrinking(xs: list[int]) -> int:
    total = 0
    for i in range(len(xs)):
        total += xs[i]
        xs.pop()
    return total


def write_by_index(xs: list[float], n: int) -> list[float]:
    for i in range(n):
        xs[i] = xs[i] * 0.5
    return xs


def chars_by_index(s: str, n: int) -> int:
    count = 0
    for i in range(n):
        if s[i] == "a":
            count += 1
    return count


def tuple_by_index(t: tuple[int, int, int], n: int) -> int:
    total = 0
    for i in range(n):
        total += t[i]
    return total


def ragged_matmul(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    k = len(b)
    m = len(b[0])
    out = []
    for i in range(len(a)):
        row = []
        for j in range(m):
            acc = 0.0
            for p in range(k):
                acc += a[i][p] * b[p][j]
            row.append(acc)
        out.append(row)
    return out


def hot_ratios(xs: list[float], d: list[float]) -> float:
    total = 0.0
    for i in range(len(xs)):
        total += xs[i] / d[i]
    return total


def int_products(xs: list[int]) -> int:
    acc = 1
    for x in xs:
        acc = acc * x
    return acc


def smallest_of_rows(rows: list[list[int]]) -> int:
    total = 0
    for row in rows:
        total += min(row)
    return total


def array_dot_by_index(a: Vec, b: Vec) -> float:
    total = 0.0
    for i in range(len(a)):
        total += a[i] * b[i]
    return total


def array_sum_to(a: Vec, n: int) -> float:
    total = 0.0
    for i in range(n):
        total += a[i]
    return total


def array_row_sums(m: Mat, cols: int) -> list[float]:
    out = []
    for i in range(m.shape[0]):
        acc = 0.0
        for j in range(cols):
            acc += m[i, j]
        out.append(acc)
    return out


def array_zip_distance(a: Vec, b: Vec) -> float:
    total = 0.0
    for x, y in zip(a, b):  # noqa: B905
        d = x - y
        total += d * d
    return total


def array_items_total(a: Vec) -> float:
    total = 0.0
    for x in a:
        total += x
    return total


def rows_appended_after_loops(n: int, m: int) -> list[list[float]]:
    out = []
    for i in range(n):
        row = []
        for j in range(m):
            acc = 0.0
            for p in range(j):
                acc += (i + 1) * 0.5 + p
            row.append(acc)
        out.append(row)
    return out
