"""Dicts and tuples: insertion order, KeyError, get with a default, tuple results."""

from __future__ import annotations


def word_counts(words: list[str]) -> dict[str, int]:
    d = {}
    for w in words:
        d[w] = d.get(w, 0) + 1
    return d


def word_counts_aug(words: list[str]) -> dict[str, int]:
    d: dict[str, int] = {}
    for w in words:
        if w in d:
            d[w] += 1
        else:
            d[w] = 1
    return d


def lookup_str(d: dict[str, int], k: str) -> int:
    return d[k]


def lookup_int(d: dict[int, float], k: int) -> float:
    return d[k]


def lookup_tuple(d: dict[tuple[int, str], int], k: tuple[int, str]) -> int:
    return d[k]


def lookup_single(d: dict[tuple[int], int], k: tuple[int]) -> int:
    return d[k]


def bump_key(k: str) -> dict[str, int]:
    d = {"a": 1, "b": 2}
    d[k] += 10
    return d


def get_default(d: dict[str, float], k: str) -> float:
    return d.get(k, -1.0)


def reinsert_order(k: str) -> dict[str, int]:
    d = {"b": 1, "a": 2}
    d["b"] = 3
    d[k] = 0
    return d


def items_list(d: dict[str, int]) -> list[tuple[str, int]]:
    out = []
    for k, v in d.items():
        out.append((k, v))
    return out


def keys_and_values(d: dict[str, int]) -> tuple[list[str], list[int]]:
    ks = []
    for k in d:
        ks.append(k)
    vs = []
    for v in d.values():
        vs.append(v)
    return ks, vs


def squares_by_key(xs: list[int]) -> dict[int, int]:
    return {x: x * x for x in xs}


def has_key(k: int, d: dict[int, str]) -> bool:
    return k in d


def dict_size(d: dict[str, list[int]]) -> int:
    return len(d)


def group_by_length(words: list[str]) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = {}
    for w in words:
        n = len(w)
        if n not in groups:
            groups[n] = []
        groups[n].append(w)
    return groups


def min_max_tuple(xs: list[int]) -> tuple[int, int]:
    lo = xs[0]
    hi = xs[0]
    for x in xs:
        if x < lo:
            lo = x
        if x > hi:
            hi = x
    return lo, hi


def swap_pair(a: int, b: str) -> tuple[str, int]:
    x, y = a, b
    return y, x


def pair_sums(pairs: list[tuple[int, int]]) -> list[int]:
    out = []
    for a, b in pairs:
        out.append(a + b)
    return out


def tuple_less(a: tuple[int, str], b: tuple[int, str]) -> list[bool]:
    return [a < b, a <= b, a == b, a > b]


def tuple_last(t: tuple[int, float, str]) -> str:
    return t[-1]


def singleton(x: int) -> tuple[int]:
    return (x,)
