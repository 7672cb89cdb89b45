"""Dense matrices as lists of rows."""


def matmul(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    """Matrix product ``a @ b`` of an n x k and a k x m matrix."""
    k = len(b)
    if k == 0:
        raise ValueError("b must have at least one row")
    m = len(b[0])
    out = []
    for i in range(len(a)):
        if len(a[i]) != k:
            raise ValueError("inner dimensions do not match")
        row = []
        for j in range(m):
            acc = 0.0
            for p in range(k):
                acc += a[i][p] * b[p][j]
            row.append(acc)
        out.append(row)
    return out
