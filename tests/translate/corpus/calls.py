"""Call shapes: defaults, keyword arguments, and arguments the Rust build does not take."""

from __future__ import annotations


def moving_average(xs: list[float], window: int = 3) -> list[float]:
    out = []
    for i in range(len(xs) - window + 1):
        acc = 0.0
        for j in range(i, i + window):
            acc += xs[j]
        out.append(acc / window)
    return out


def affine(x: float, scale: float = 2.0, offset: float = -1.0) -> float:
    return x * scale + offset


def tag(name: str, prefix: str = "item") -> str:
    return prefix + "-" + name


def total_of(xs: list[float]) -> float:
    total = 0.0
    for x in xs:
        total += x
    return total


def twice(n: int) -> int:
    return n * 2


def first_of(xs: list[int]) -> int:
    return xs[0]
