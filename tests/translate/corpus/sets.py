"""Sets of ints, strs and tuples: membership, algebra, comprehensions, order-free loops."""

from __future__ import annotations


def unique_count(xs: list[int]) -> int:
    return len(set(xs))


def dedupe_keep_order(words: list[str]) -> list[str]:
    seen = set()
    out = []
    for w in words:
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def reachable(adj: dict[int, list[int]], start: int) -> list[int]:
    visited = {start}
    stack = [start]
    while stack:
        node = stack.pop()
        for nxt in adj.get(node, []):
            if nxt not in visited:
                visited.add(nxt)
                stack.append(nxt)
    return sorted(visited)


def jaccard(a: list[str], b: list[str]) -> float:
    sa = set(a)
    sb = set(b)
    union = sa | sb
    if not union:
        return 1.0
    return len(sa & sb) / len(union)


def is_anagram_charset(a: str, b: str) -> bool:
    return set(a) == set(b) and len(a) == len(b)


def missing_letters(s: str) -> list[str]:
    alphabet = set("abcdefghijklmnopqrstuvwxyz")
    return sorted(alphabet - set(s))


def primes_below(n: int) -> set[int]:
    composite = set()
    primes = set()
    for i in range(2, n):
        if i in composite:
            continue
        primes.add(i)
        for j in range(i * i, n, i):
            composite.add(j)
    return primes


def tag_algebra(a: set[str], b: set[str]) -> tuple[list[str], list[str], list[str], list[str]]:
    return sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b)


def set_relations(a: set[int], b: set[int]) -> list[bool]:
    return [
        a <= b,
        a < b,
        a >= b,
        a > b,
        a == b,
        a != b,
        a.issubset(b),
        a.issuperset(b),
        a.isdisjoint(b),
    ]


def in_place_algebra(a: set[int], b: set[int]) -> tuple[set[int], set[int], set[int], set[int]]:
    u = a.copy()
    u |= b
    i = set(a)
    i &= b
    d = set(a)
    d -= b
    x = set(a)
    x ^= b
    return u, i, d, x


def method_algebra(a: set[int], xs: list[int]) -> tuple[set[int], set[int], set[int], set[int]]:
    return a.union(xs), a.intersection(xs), a.difference(xs), a.symmetric_difference(xs)


def remove_all(items: list[int], drop: list[int]) -> set[int]:
    s = set(items)
    for d in drop:
        s.remove(d)
    return s


def discard_all(items: list[str], drop: list[str]) -> set[str]:
    s = set(items)
    for d in drop:
        s.discard(d)
    s.update(["zeta"], drop)
    return s


def set_stats(s: set[int]) -> tuple[int, int, int, int]:
    return len(s), min(s), max(s), sum(s)


def smallest_word(words: set[str]) -> str:
    return min(words)


def square_set(xs: list[int]) -> set[int]:
    return {x * x for x in xs if x % 3 != 0}


def parity_classes(s: set[int]) -> set[int]:
    return {x % 2 for x in s}


def sum_over_set(s: set[int]) -> int:
    total = 0
    count = 0
    for x in s:
        total += x * x
        if x > 0:
            count += 1
    return total - count


def split_signs(s: set[int]) -> tuple[set[int], set[int]]:
    neg = set()
    rest = set()
    for x in s:
        if x < 0:
            neg.add(x)
        else:
            rest.add(x)
    return neg, rest


def pair_set(xs: list[int], ys: list[str]) -> set[tuple[int, str]]:
    out = set()
    for x in xs:
        for y in ys:
            out.add((x, y))
    return out


def has_pair(pairs: set[tuple[int, str]], k: int, v: str) -> bool:
    return (k, v) in pairs and (k, "") not in pairs


def literal_set(x: int) -> set[int]:
    s = {x, 1, 2, x}
    s.discard(2)
    return s


def char_index(words: list[str]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for w in words:
        for ch in w:
            if ch not in index:
                index[ch] = set()
            index[ch].add(w)
    return index


def first_of_each(words: list[str]) -> dict[str, int]:
    return {w: len(w) for w in words if w}


def empty_set_truth(xs: list[int]) -> bool:
    s = set(xs)
    s.clear()
    return bool(s) or not s


def common_to_all(groups: list[list[int]]) -> list[int]:
    if not groups:
        return []
    common = set(groups[0])
    for g in groups[1:]:
        common &= set(g)
    return sorted(common)


def bool_set(xs: list[bool]) -> tuple[int, int]:
    s = set(xs)
    return len(s), sum(s)


def keys_not_in(d: dict[str, int], words: list[str]) -> list[str]:
    return sorted(set(d) - set(words))


def empty_comparisons(s: set[int], x: int) -> list[bool]:
    # `x in set()` on purpose: the empty set takes its item type from x.
    return [s == set(), x in set(), s | set() == s, len(set([y % 3 for y in range(x)])) == 3]  # noqa: RUF060


def word_lengths(words: set[str]) -> set[int]:
    return {len(w) for w in words}


def count_long(words: set[str], n: int) -> int:
    count = 0
    letters = set()
    for w in words:
        if len(w) > n:
            count += 1
            letters.update(w)
    return count * 1000 + len(letters)


def truth_of_items(s: set[int], words: set[str]) -> list[bool]:
    return [any(s), all(s), any(words), all(words)]
