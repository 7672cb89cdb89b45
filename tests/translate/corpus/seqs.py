"""Lists, strings and ranges: indices, slices, steps, code points, in-place updates."""

# Written as users write it: zip() without strict=, list concatenation.
# ruff: noqa: B905, RUF005

from __future__ import annotations


def item_at(xs: list[int], i: int) -> int:
    return xs[i]


def last_item(xs: list[float]) -> float:
    return xs[-1]


def slice_two(xs: list[int], a: int, b: int) -> list[int]:
    return xs[a:b]


def slice_three(xs: list[int], a: int, b: int, c: int) -> list[int]:
    return xs[a:b:c]


def slice_step(xs: list[int], c: int) -> list[int]:
    return xs[::c]


def slice_shapes(xs: list[int]) -> list[list[int]]:
    return [xs[2:], xs[:-2], xs[::2], xs[1::3], xs[-100:100], xs[5:1], xs[::-2], xs[-1:-4:-1]]


def range_list(a: int, b: int, c: int) -> list[int]:
    out = []
    for i in range(a, b, c):
        out.append(i)
    return out


def range_comp(a: int, b: int, c: int) -> list[int]:
    return [i * 2 for i in range(a, b, c)]


def countdown(n: int) -> list[int]:
    return [i for i in range(n, 0, -1)]


def range_rebound(n: int) -> int:
    count = 0
    for _ in range(n):
        n = n - 1
        count += 1
    return count


def char_at(s: str, i: int) -> str:
    return s[i]


def str_length(s: str) -> int:
    return len(s)


def str_slice(s: str, a: int, b: int, c: int) -> str:
    return s[a:b:c]


def str_reverse(s: str) -> str:
    return s[::-1]


def code_points(s: str) -> list[int]:
    return [ord(ch) for ch in s]


def char_of(i: int) -> str:
    return chr(i)


def ord_of(s: str) -> int:
    return ord(s)


def caesar(s: str, k: int) -> str:
    out = ""
    for ch in s:
        if "a" <= ch <= "z":
            out += chr((ord(ch) - ord("a") + k) % 26 + ord("a"))
        else:
            out += ch
    return out


def str_repeat(s: str, n: int) -> str:
    return (s + "-") * n


def count_char(s: str, target: str) -> int:
    n = 0
    for ch in s:
        if ch == target:
            n += 1
    return n


def str_contains(sub: str, s: str) -> bool:
    return sub in s


def str_order(a: str, b: str) -> list[bool]:
    return [a < b, a == b, a >= b, a != b]


def min_max_str(xs: list[str]) -> tuple[str, str]:
    return min(xs), max(xs)


def list_concat(a: list[int], b: list[int]) -> list[int]:
    return a + b


def list_repeat(xs: list[int], n: int) -> list[int]:
    return xs * n


def zeros(n: int) -> list[float]:
    return [0.0] * n


def contains_int(x: int, xs: list[int]) -> bool:
    return x in xs


def contains_str(x: str, xs: list[str]) -> bool:
    return x not in xs


def pop_both_ends(xs: list[int]) -> tuple[int, int, list[int]]:
    ys = list(xs)
    a = ys.pop()
    b = ys.pop(0)
    return a, b, ys


def pop_at(xs: list[int], i: int) -> int:
    ys = list(xs)
    return ys.pop(i)


def insert_at(xs: list[int], i: int, v: int) -> list[int]:
    ys = list(xs)
    ys.insert(i, v)
    return ys


def set_at(xs: list[int], i: int, v: int) -> list[int]:
    ys = list(xs)
    ys[i] = v
    return ys


def bump_at(xs: list[int], i: int, v: int) -> list[int]:
    ys = list(xs)
    ys[i] += v
    return ys


def bump_all(xs: list[float], v: float) -> list[float]:
    ys = list(xs)
    for i in range(len(ys)):
        ys[i] += v
    return ys


def prefix_sums(xs: list[int]) -> list[int]:
    out = [0]
    for x in xs:
        out.append(out[-1] + x)
    return out


def enumerate_from(xs: list[str], start: int) -> list[tuple[int, str]]:
    return [(i, x) for i, x in enumerate(xs, start)]


def enumerate_loop(xs: list[float]) -> list[float]:
    out = []
    for i, x in enumerate(xs):
        out.append(i * x)
    return out


def zip_pairs(a: list[int], b: list[float]) -> list[tuple[int, float]]:
    out = []
    for x, y in zip(a, b):
        out.append((x, y))
    return out


def dot(a: list[float], b: list[float]) -> float:
    total = 0.0
    for x, y in zip(a, b):
        total += x * y
    return total


def matmul(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    n = len(a)
    m = len(b[0])
    k = len(b)
    out = []
    for i in range(n):
        row = []
        for j in range(m):
            s = 0.0
            for t in range(k):
                s += a[i][t] * b[t][j]
            row.append(s)
        out.append(row)
    return out


def grid_bump(n: int, m: int) -> list[list[int]]:
    grid = [[0 for _ in range(m)] for _ in range(n)]
    for i in range(n):
        for j in range(m):
            grid[i][j] += i * m + j
    return grid


def transpose(m: list[list[int]]) -> list[list[int]]:
    return [[m[i][j] for i in range(len(m))] for j in range(len(m[0]))]


def iterate_rebound(xs: list[int]) -> list[int]:
    ys = list(xs)
    for y in ys:
        ys = ys + [y * 10]
    return ys


def truthy_list(xs: list[int]) -> str:
    if xs:
        return "some"
    return "none"


def list_equal(a: list[int], b: list[int]) -> bool:
    return a == b


def reversed_loop(xs: list[int]) -> list[int]:
    out = []
    for x in reversed(xs):
        out.append(x)
    return out


def first_in_range(a: int, b: int, step: int) -> int:
    for i in range(a, b, step):
        return i
    return -1


def zeros_fresh(n: int) -> int:
    xs = [0.0] * n
    return len(xs)


def reversed_str(s: str) -> str:
    out = ""
    for ch in reversed(s):
        out += ch
    return out


def reversed_range(a: int, b: int, c: int) -> list[int]:
    out = []
    for i in reversed(range(a, b, c)):
        out.append(i)
    return out


def reversed_range_first(a: int, b: int, c: int) -> int:
    for i in reversed(range(a, b, c)):
        return i
    return -1


def reversed_countdown(n: int) -> list[int]:
    return [i for i in reversed(range(n, 0, -1))]


def reversed_comp(xs: list[int]) -> list[int]:
    return [x * 2 for x in reversed(xs)]


def reversed_enumerate(xs: list[str]) -> list[tuple[int, str]]:
    return [(i, x) for i, x in enumerate(reversed(xs))]


def repeat_fresh_three(x: int) -> list[int]:
    xs = [x, 0]
    xs *= 3
    xs[0] = -1
    return xs


def repeat_fresh(xs: list[int], n: int) -> list[int]:
    ys = list(xs)
    ys *= n
    return ys


def repeat_fresh_len(n: int) -> int:
    xs = [1, 2, 3]
    xs *= n
    return len(xs)


def str_repeat_in_place(s: str, n: int) -> str:
    t = s
    t *= n
    return t + s
