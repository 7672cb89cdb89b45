"""Vector arithmetic on lists of floats."""

import math


def euclidean(a: list[float], b: list[float]) -> float:
    """Euclidean distance between two vectors of the same length."""
    if len(a) != len(b):
        raise ValueError("vectors must have the same length")
    total = 0.0
    # Lengths are checked above; plain zip(a, b) is the form the translator accepts.
    for x, y in zip(a, b):  # noqa: B905
        d = x - y
        total += d * d
    return math.sqrt(total)


def dot_product(a: list[float], b: list[float]) -> float:
    """Sum of the element-wise products of two vectors of the same length."""
    if len(a) != len(b):
        raise ValueError("vectors must have the same length")
    total = 0.0
    for i in range(len(a)):
        total += a[i] * b[i]
    return total


def l2_normalize(xs: list[float]) -> list[float]:
    """Scale a vector to unit Euclidean length."""
    squares = 0.0
    for x in xs:
        squares += x**2
    norm = math.sqrt(squares)
    if norm == 0.0:
        raise ValueError("cannot normalize a zero vector")
    return [x / norm for x in xs]
