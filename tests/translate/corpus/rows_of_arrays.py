"""``len(a[i])`` of a 2-D array: the length of a row, read without making the row view.

Code written for lists of rows (``matmul`` in the examples) checks rows this way; on an
ndarray it counts the columns, after checking ``i`` as ``a[i]`` does (negative indices
count from the end, out of range is NumPy's IndexError).
"""

from __future__ import annotations

import numpy as np

Mat = np.ndarray[tuple[int, int], np.dtype[np.float64]]
IMat = np.ndarray[tuple[int, int], np.dtype[np.int64]]


def row_length(m: Mat, i: int) -> int:
    return len(m[i])


def rows_all_as_long(m: IMat, k: int) -> bool:
    for i in range(len(m)):
        if len(m[i]) != k:
            return False
    return True


def row_sums_checked(m: Mat) -> list[float]:
    out = []
    for i in range(len(m)):
        if len(m[i]) == 0:
            raise ValueError("empty row")
        total = 0.0
        for j in range(len(m[i])):
            total += m[i][j]
        out.append(total)
    return out
