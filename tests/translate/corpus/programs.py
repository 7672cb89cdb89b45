"""Small realistic programs mixing the constructs: the shapes hot loops take in user code."""

# Written as users write it: zip() without strict=, which the translator also takes.
# ruff: noqa: B007, B905

from __future__ import annotations

import math

WEIGHTS = (0.25, 0.5, 0.25)
LIMIT = 1000
GREETING = 'say "hi"\t\\ {ok}\x7f\u2028'
BOUNDS = (0.0, math.inf)
PAIRS = ((1, 2), (3, 4))


def balanced(s: str) -> bool:
    stack = []
    pairs = {")": "(", "]": "[", "}": "{"}
    for ch in s:
        if ch in "([{":
            stack.append(ch)
        elif ch in pairs:
            if not stack or stack[-1] != pairs[ch]:
                return False
            stack.pop()
    return not stack


def balanced_list(s: str) -> bool:
    stack: list[str] = []
    openers = ["(", "["]
    for ch in s:
        if ch in openers:
            stack.append(ch)
        elif ch == ")" or ch == "]":
            if not stack:
                return False
            top = stack.pop()
            if (top == "(") != (ch == ")"):
                return False
    return len(stack) == 0


def char_histogram(s: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in s:
        counts[ch] = counts.get(ch, 0) + 1
    return counts


def invert(d: dict[str, int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for k, v in d.items():
        if v in out:
            out[v].append(k)
        else:
            out[v] = [k]
    return out


def lookup_all(d: dict[str, list[int]], keys: list[str]) -> list[int]:
    out = []
    for k in keys:
        for x in d[k]:
            out.append(x)
    return out


def first_items(d: dict[str, list[int]]) -> list[int]:
    return [d[k][0] for k in d if len(d[k]) > 0]


def bump_nested(d: dict[str, list[int]], k: str) -> dict[str, list[int]]:
    local = {"a": [1, 2], "b": [3]}
    local[k][0] += 10
    return local


def smooth(xs: list[float]) -> list[float]:
    out = []
    for i in range(1, len(xs) - 1):
        out.append(WEIGHTS[0] * xs[i - 1] + WEIGHTS[1] * xs[i] + WEIGHTS[2] * xs[i + 1])
    return out


def clamp_all(xs: list[float]) -> list[float]:
    return [min(max(x, BOUNDS[0]), BOUNDS[1]) for x in xs]


def pair_first(i: int) -> int:
    return PAIRS[i][0]


def capped(n: int) -> int:
    return min(n, LIMIT)


def greeting(name: str) -> str:
    return GREETING + name


def triples(a: list[int], b: list[str], c: list[float]) -> list[tuple[int, str, float]]:
    return [(x, y, z) for x, y, z in zip(a, b, c)]


def indexed_pairs(pairs: list[tuple[int, int]]) -> list[int]:
    out = []
    for i, (a, b) in enumerate(pairs):
        out.append(i * a - b)
    return out


def nested_tuple(a: int, s: str) -> tuple[tuple[int, int], str]:
    return (a, a * 2), s


def tuple_field(t: tuple[str, int]) -> str:
    name = t[0]
    return name + name


def run_lengths(s: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    i = 0
    n = len(s)
    while i < n:
        j = i
        while j < n and s[j] == s[i]:
            j += 1
        out.append((s[i], j - i))
        i = j
    return out


def sieve(n: int) -> list[int]:
    is_prime = [True] * (n + 1)
    primes = []
    for i in range(2, n + 1):
        if is_prime[i]:
            primes.append(i)
            for j in range(i * i, n + 1, i):
                is_prime[j] = False
    return primes


def drain(xs: list[int]) -> int:
    stack = list(xs)
    total = 0
    while stack:
        total += stack.pop()
    return total


def grow_while_scanning(n: int) -> list[int]:
    xs = [1]
    i = 0
    while i < len(xs) and len(xs) < n:
        xs.append(xs[i] * 2)
        i += 1
    return xs


def iterate_rebound_str(s: str) -> str:
    for ch in s:
        s = s + ch
    return s


def comprehension_scope(xs: list[int]) -> int:
    x = 100
    ys = [x * 2 for x in xs]
    return x + len(ys)


def last_loop_value(n: int) -> int:
    i = -1
    for i in range(n):
        pass
    return i


def validate(x: int) -> None:
    if x < 0:
        raise ValueError("x must be non-negative")


def offset_point(p: tuple[int, int] = (0, 0)) -> int:
    return p[0] + p[1]


def escape_chars(s: str) -> str:
    return s + "\"\\\t{}'\x7f\u2028\x00"


def vowels(s: str) -> int:
    n = 0
    for ch in s:
        if ch in ["a", "e", "i", "o", "u"]:
            n += 1
    return n


def kahan(xs: list[float]) -> float:
    total = 0.0
    c = 0.0
    for x in xs:
        y = x - c
        t = total + y
        c = (t - total) - y
        total = t
    return total


def norm(xs: list[float]) -> float:
    return math.sqrt(sum([x * x for x in xs]))


def argmax(xs: list[float]) -> int:
    best = 0
    for i in range(1, len(xs)):
        if xs[i] > xs[best]:
            best = i
    return best


def histogram(xs: list[float], bins: int, lo: float, hi: float) -> list[int]:
    counts = [0] * bins
    width = (hi - lo) / bins
    for x in xs:
        k = int((x - lo) / width)
        if 0 <= k < bins:
            counts[k] += 1
    return counts


def levenshtein(a: str, b: str) -> int:
    prev = [j for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        cur = [i]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost))
        prev = cur
    return prev[len(b)]


def bubble_sort(xs: list[int]) -> list[int]:
    ys = list(xs)
    n = len(ys)
    for i in range(n):
        for j in range(n - 1 - i):
            if ys[j] > ys[j + 1]:
                ys[j], ys[j + 1] = ys[j + 1], ys[j]
    return ys


def fib(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def chained_assign(n: int) -> tuple[int, int]:
    x = y = n
    x += 1
    return x, y


def message_raise(s: str) -> int:
    if s == "":
        raise ValueError("bad " + s + "!")
    return len(s)


def store_at_popped(xs: list[int]) -> list[int]:
    ys = list(xs)
    ys[ys.pop()] = 9
    return ys


def nested_lookup(d: dict[str, dict[str, int]], a: str, b: str) -> int:
    return d[a][b]


def pop_while_positive(xs: list[int]) -> int:
    ys = list(xs)
    n = 0
    while ys and ys.pop() > 0:
        n += 1
    return n


def zip_to_dict(ks: list[str], vs: list[int]) -> dict[str, int]:
    return {k: v for k, v in zip(ks, vs)}


def powers_of_two(n: int) -> list[int]:
    return [2**i for i in range(n)]


def local_named_key(xs: list[int]) -> list[int]:
    ys = list(xs)
    __key = 1
    ys[0] += __key
    return ys


def local_named_like_comprehension(xs: list[int]) -> int:
    _c1__x = 100
    ys = [x for x in xs]
    return _c1__x + len(ys)


def extend_fresh_items(x: int) -> list[list[int]]:
    m = [[1], [2]]
    m[0] += [x]
    m[1] *= 2
    return m


def extend_dict_item(x: int) -> dict[str, list[int]]:
    d = {"a": [1], "b": []}
    d["a"] += [x, x]
    d["b"] += d["a"]
    return d
