"""Functions written for lists that tests also call with NumPy arrays (test_variants.py):
one changes its argument in place, one counts with ints, one returns its argument's
items. Annotated for lists, as such code usually is."""

from __future__ import annotations


def scale_in_place(xs: list[float], k: float) -> None:
    for i in range(len(xs)):
        xs[i] *= k


def count_at_least(xs: list[int], lo: int) -> int:
    n = 0
    for x in xs:
        if x >= lo:
            n += 1
    return n


def pick(xs: list[float], idx: list[int]) -> list[float]:
    return [xs[i] for i in idx]


def weighted_sum(xs: list[float], ys: list[float], ws: list[float]) -> float:
    total = 0.0
    for i in range(len(xs)):
        total += xs[i] * ys[i] * ws[i]
    return total
