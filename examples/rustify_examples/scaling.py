"""Feature scaling, as done before feeding data to a model."""

import math


def normalize_pixels(pixels: list[int]) -> list[float]:
    """Map 8-bit pixel values 0..255 onto 0.0..1.0."""
    out = []
    for p in pixels:
        out.append(p / 255.0)
    return out


def standard_scale(xs: list[float]) -> list[float]:
    """Subtract the mean and divide by the population standard deviation.

    A constant input has no spread; it scales to all zeros.
    """
    n = len(xs)
    if n == 0:
        raise ValueError("standard_scale needs at least one value")
    total = 0.0
    for x in xs:
        total += x
    mean = total / n
    squares = 0.0
    for x in xs:
        squares += (x - mean) ** 2
    std = math.sqrt(squares / n)
    if std == 0.0:
        return [0.0] * n
    return [(x - mean) / std for x in xs]


def min_max_scale(xs: list[float]) -> list[float]:
    """Map the smallest value to 0.0 and the largest to 1.0, linearly.

    A constant input has no range; it scales to all zeros.
    """
    n = len(xs)
    if n == 0:
        raise ValueError("min_max_scale needs at least one value")
    lo = xs[0]
    hi = xs[0]
    for x in xs:
        if x < lo:
            lo = x
        elif x > hi:
            hi = x
    span = hi - lo
    if span == 0.0:
        return [0.0] * n
    return [(x - lo) / span for x in xs]
