"""NumPy arrays in plain loops, as numeric code that has not been vectorised is written.

The aliases below are how the annotations give the dtype and the number of dimensions;
``np.ndarray`` alone or ``npt.NDArray[np.float64]`` leave one of them to recorded calls.
"""

# Written as users write it: zip() without strict=, which the translator also takes.
# ruff: noqa: B905

from __future__ import annotations

import math

import numpy as np

Vec = np.ndarray[tuple[int], np.dtype[np.float64]]
Mat = np.ndarray[tuple[int, int], np.dtype[np.float64]]
IVec = np.ndarray[tuple[int], np.dtype[np.int64]]
IMat = np.ndarray[tuple[int, int], np.dtype[np.int64]]


def scale(a: Vec, k: float) -> Vec:
    out = np.zeros(len(a))
    for i in range(len(a)):
        out[i] = a[i] * k
    return out


def scale_in_place(a: Vec, k: float) -> None:
    for i in range(len(a)):
        a[i] *= k


def normalize_rows(m: Mat) -> None:
    rows, cols = m.shape
    for i in range(rows):
        total = 0.0
        for j in range(cols):
            total += m[i, j]
        if total != 0.0:
            for j in range(cols):
                m[i, j] /= total


def row_sums(m: Mat) -> Vec:
    out = np.zeros(m.shape[0])
    for i in range(m.shape[0]):
        total = 0.0
        for j in range(m.shape[1]):
            total += m[i][j]
        out[i] = total
    return out


def array_matmul(a: Mat, b: Mat) -> Mat:
    n, inner = a.shape
    if b.shape[0] != inner:
        raise ValueError("matmul: shapes do not align")
    p = b.shape[1]
    out = np.zeros((n, p))
    for i in range(n):
        for j in range(p):
            s = 0.0
            for k in range(inner):
                s += a[i, k] * b[k, j]
            out[i, j] = s
    return out


def laplacian(grid: Mat) -> Mat:
    out = np.zeros_like(grid)
    n, m = grid.shape
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            out[i, j] = (
                grid[i - 1, j] + grid[i + 1, j] + grid[i, j - 1] + grid[i, j + 1] - 4.0 * grid[i, j]
            )
    return out


def convolve2d(image: Mat, kernel: Mat) -> Mat:
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            acc = 0.0
            for di in range(kh):
                for dj in range(kw):
                    acc += image[i + di, j + dj] * kernel[di, dj]
            out[i, j] = acc
    return out


def array_argmax(a: Vec) -> int:
    if len(a) == 0:
        raise ValueError("argmax of an empty array")
    best = 0
    for i in range(1, len(a)):
        if a[i] > a[best]:
            best = i
    return best


def cumulative_sum(a: Vec) -> Vec:
    out = np.empty(a.size)
    total = 0.0
    for i, x in enumerate(a):
        total += x
        out[i] = total
    return out


def distance_matrix(points: Mat) -> Mat:
    n, dims = points.shape
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            s = 0.0
            for k in range(dims):
                d = points[i, k] - points[j, k]
                s += d * d
            out[i, j] = math.sqrt(s)
    return out


def array_histogram(values: Vec, lo: float, hi: float, bins: int) -> IVec:
    counts = np.zeros(bins, dtype=np.int64)
    width = (hi - lo) / bins
    for x in values:
        if lo <= x < hi:
            counts[int((x - lo) / width)] += 1
    return counts


def array_mean(a: Vec) -> float:
    total = 0.0
    for x in a:
        total += x
    return total / len(a)


def clip_in_place(a: IVec, lo: int, hi: int) -> int:
    changed = 0
    for i in range(len(a)):
        if a[i] < lo:
            a[i] = lo
            changed += 1
        elif a[i] > hi:
            a[i] = hi
            changed += 1
    return changed


def int_dot(a: IVec, b: IVec) -> int:
    total = 0
    for i in range(min(len(a), len(b))):
        total += a[i] * b[i]
    return total


def array_transpose(m: Mat) -> Mat:
    out = np.zeros((m.shape[1], m.shape[0]))
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            out[j][i] = m[i][j]
    return out


def running_max(a: Vec) -> Vec:
    out = a.copy()
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1])
    return out


def ratios(a: Vec, b: Vec) -> Vec:
    out = np.zeros(len(a))
    for i in range(len(a)):
        out[i] = a[i] / b[i]
    return out


def array_item(a: Vec, i: int) -> float:
    return a[i]


def cell(m: Mat, i: int, j: int) -> float:
    return m[i][j]


def bump_cell(m: IMat, i: int, j: int, by: int) -> None:
    m[i, j] += by


def int_stats(a: IVec) -> tuple[int, int, float]:
    lo = a[0]
    hi = a[0]
    total = 0
    for x in a:
        lo = min(lo, x)
        hi = max(hi, x)
        total += x
    return lo, hi, total / len(a)


def powers(a: IVec, e: int) -> IVec:
    out = np.zeros_like(a)
    for i in range(len(a)):
        out[i] = a[i] ** e
    return out


def floor_mod(a: Vec, d: float) -> Vec:
    out = np.zeros(len(a))
    for i in range(len(a)):
        out[i] = a[i] // d + a[i] % d
    return out


def count_above(m: Mat, threshold: float) -> int:
    count = 0
    rows, cols = m.shape
    for i in range(rows):
        for j in range(cols):
            if m[i, j] > threshold:
                count += 1
    return count


def ones_plus_identity(n: int) -> Mat:
    out = np.ones((n, n))
    for i in range(n):
        out[i, i] += 1.0
    return out


def as_floats(a: Vec) -> list[float]:
    return [float(x) for x in a]


def to_float64(x: float) -> float:
    return np.float64(x) * 2.0


def add_into(out: Vec, a: Vec, b: Vec) -> None:
    for i in range(len(out)):
        out[i] = a[i] + b[i]


def halve(x: np.float64) -> np.float64:
    return x / 2


def weighted_sum(a: Vec, w: Vec) -> float:
    s = 0.0
    for x, y in zip(a, w):
        s += x * y
    return s


def last_positive(a: IVec) -> int:
    for x in reversed(a):
        if x > 0:
            return x
    return -1
