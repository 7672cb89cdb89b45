"""Ordering as users write it: sorting by key, top-k, ranking, dedupe, checks over lists."""

# Written as users write it: zip() without strict=.
# ruff: noqa: B905

from __future__ import annotations


def sort_by_second(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    return sorted(pairs, key=lambda p: p[1])


def top_k_words(counts: dict[str, int], k: int) -> list[str]:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [w for w, _ in ranked[:k]]


def rank_scores(scores: list[float]) -> list[int]:
    order = list(range(len(scores)))
    order.sort(key=lambda i: scores[i], reverse=True)
    ranks = [0] * len(scores)
    for r, i in enumerate(order):
        ranks[i] = r + 1
    return ranks


def dedupe_first_seen(xs: list[str]) -> list[str]:
    seen: dict[str, bool] = {}
    out = []
    for x in xs:
        if x not in seen:
            seen[x] = True
            out.append(x)
    return out


def median_via_sorted(xs: list[float]) -> float:
    ys = sorted(xs)
    n = len(ys)
    if n % 2 == 1:
        return ys[n // 2]
    return (ys[n // 2 - 1] + ys[n // 2]) / 2


def all_positive(xs: list[int]) -> bool:
    return all(x > 0 for x in xs)


def any_negative(xs: list[float]) -> bool:
    return any(x < 0 for x in xs)


def longest_word(words: list[str]) -> str:
    return max(words, key=len, default="")


def shortest_word(words: list[str]) -> str:
    return min(words, key=lambda w: (len(w), w))


def sort_words_ci(words: list[str]) -> list[str]:
    return sorted(words, key=str.lower)


def sort_desc(xs: list[int]) -> list[int]:
    return sorted(xs, reverse=True)


def sort_floats(xs: list[float], rev: bool) -> list[float]:
    ys = list(xs)
    ys.sort(reverse=rev)
    return ys


def by_abs(xs: list[int]) -> list[int]:
    return sorted(xs, key=abs)


def sort_neg(xs: list[float]) -> list[float]:
    return sorted(xs, key=lambda s: -s)


def sorted_keys(d: dict[str, int]) -> list[str]:
    return sorted(d.keys())


def sorted_items(d: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(d.items())


def values_total(d: dict[str, int]) -> tuple[int, int, list[int]]:
    return len(d.values()), sum(d.values()), list(d.values())


def sum_squares(xs: list[float]) -> float:
    return sum(x * x for x in xs)


def count_matches(xs: list[int], t: int) -> int:
    return sum(x == t for x in xs)


def max_of_gen(xs: list[int]) -> int:
    return max((x % 7 for x in xs), default=-1)


def min_by_key_float(xs: list[float]) -> float:
    return min(xs, key=lambda x: abs(x - 1.0))


def max_pair(pairs: list[tuple[int, float]]) -> tuple[int, float]:
    return max(pairs)


def any_div_zero(xs: list[int]) -> bool:
    return any(10 // x > 3 for x in xs)


def all_nested(rows: list[list[int]]) -> bool:
    return all(x >= 0 for row in rows for x in row if x != 99)


def reversed_list(xs: list[int]) -> list[int]:
    return list(reversed(xs))


def list_of_range(a: int, b: int, step: int) -> list[int]:
    return list(range(a, b, step))


def extend_range(n: int) -> list[int]:
    xs = [100]
    xs.extend(range(n))
    xs.extend(x * 2 for x in range(3))
    return xs


def list_ops(xs: list[int], x: int) -> tuple[int, int, list[int]]:
    ys = xs.copy()
    i = ys.index(x)
    c = ys.count(x)
    ys.remove(x)
    ys.reverse()
    del ys[0]
    return i, c, ys


def clear_list(xs: list[str]) -> int:
    ys = list(xs)
    ys.clear()
    return len(ys)


def dict_ops(d: dict[str, int], k: str) -> tuple[int, int, dict[str, int]]:
    e = dict(d)
    a = e.setdefault(k, 7)
    b = e.pop("x", -1)
    e.update({"z": 26, k: 0})
    del e[k]
    return a, b, e


def pop_missing(d: dict[str, int], k: str) -> int:
    e = d.copy()
    return e.pop(k)


def del_missing(d: dict[tuple[int, str], int], k: tuple[int, str]) -> int:
    e = dict(d)
    del e[k]
    return len(e)


def group_setdefault(words: list[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[:1], []).append(w)
    return groups


def clear_dict(d: dict[int, int]) -> dict[int, int]:
    e = d.copy()
    e.clear()
    e[1] = 2
    return e


def stable_by_len(words: list[str], rev: bool) -> list[str]:
    return sorted(words, key=len, reverse=rev)


def sort_tuple_keys(xs: list[float]) -> list[float]:
    return sorted(xs, key=lambda x: (x > 0, x))


def index_missing(xs: list[str], x: str) -> int:
    return xs.index(x)


def enumerate_sorted(xs: list[str]) -> list[tuple[int, str]]:
    return sorted(enumerate(xs), key=lambda p: p[1])


def zip_list(a: list[int], b: list[str]) -> list[tuple[int, str]]:
    return list(zip(a, b))
