"""Functions calling other functions of their module, recursion, and arguments changed
in place: the caller must see the change afterwards, exactly as with Python."""

# Written as users write it: zip() without strict=.
# ruff: noqa: B905

from __future__ import annotations

import math


def _sq_dist(a: list[float], b: list[float]) -> float:
    total = 0.0
    for x, y in zip(a, b):
        total += (x - y) ** 2
    return total


def nearest_index(points: list[list[float]], q: list[float]) -> int:
    best = -1
    best_d = math.inf
    for i, p in enumerate(points):
        d = _sq_dist(p, q)
        if d < best_d:
            best, best_d = i, d
    return best


def _clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


def clamp_each(xs: list[float]) -> list[float]:
    return [_clamp(x) for x in xs] + [_clamp(x, hi=0.5) for x in xs]


def fib_rec(n: int) -> int:
    if n < 2:
        return n
    return fib_rec(n - 1) + fib_rec(n - 2)


def gcd_rec(a: int, b: int) -> int:
    if b == 0:
        return abs(a)
    return gcd_rec(b, a % b)


def depth_sum(xs: list[int], i: int) -> int:
    if i >= len(xs):
        return 0
    return xs[i] + depth_sum(xs, i + 1)


def scale_list_in_place(xs: list[float], k: float) -> None:
    for i in range(len(xs)):
        xs[i] *= k


def append_squares(out: list[int], n: int) -> int:
    for i in range(n):
        out.append(i * i)
    return len(out)


def _swap(xs: list[int], i: int, j: int) -> None:
    xs[i], xs[j] = xs[j], xs[i]


def _partition(xs: list[int], lo: int, hi: int) -> int:
    pivot = xs[hi]
    i = lo
    for j in range(lo, hi):
        if xs[j] < pivot:
            _swap(xs, i, j)
            i += 1
    _swap(xs, i, hi)
    return i


def _quicksort(xs: list[int], lo: int, hi: int) -> None:
    if lo < hi:
        p = _partition(xs, lo, hi)
        _quicksort(xs, lo, p - 1)
        _quicksort(xs, p + 1, hi)


def quicksort(xs: list[int]) -> list[int]:
    _quicksort(xs, 0, len(xs) - 1)
    return xs


def drain_until_negative(xs: list[int]) -> int:
    total = 0
    while xs:
        v = xs.pop()
        if v < 0:
            raise ValueError("negative value")
        total += v
    return total


def count_words_into(counts: dict[str, int], words: list[str]) -> None:
    for w in words:
        counts[w] = counts.get(w, 0) + 1


def _relax(grid: list[list[float]], i: int, j: int) -> None:
    grid[i][j] = (grid[i - 1][j] + grid[i + 1][j] + grid[i][j - 1] + grid[i][j + 1]) / 4.0


def smooth_copy(grid: list[list[float]]) -> list[list[float]]:
    out = [list(row) for row in grid]
    for i in range(1, len(out) - 1):
        for j in range(1, len(out[i]) - 1):
            _relax(out, i, j)
    return out


def push_and_count(out: list[int], rows: list[list[int]]) -> int:
    total = 0
    for r in rows:
        out.append(len(r))
        total += len(r)
    return total


def pop_key(d: dict[str, int], k: str) -> int:
    return d.pop(k)


def sort_then_first(xs: list[int]) -> int:
    xs.sort()
    return xs[0]


def sort_words_by_length(words: list[str]) -> None:
    words.sort(key=len, reverse=True)
