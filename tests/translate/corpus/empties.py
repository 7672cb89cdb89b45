"""Empty literals inside larger expressions: `xs or []`, `d.get(k, [])`, `[[] for _ in ...]`.

The element type of such a `[]` or `{}` comes from its surroundings.
"""

# Written as users write it: list concatenation.
# ruff: noqa: RUF005

from __future__ import annotations


def or_empty(xs: list[int]) -> list[int]:
    return list(xs) or []


def pick_or_empty(keep: bool, xs: list[int]) -> list[int]:
    return list(xs) if keep else []


def get_or_empty(d: dict[str, list[int]], k: str) -> list[int]:
    return list(d.get(k, []))


def empty_buckets(n: int) -> list[list[int]]:
    rows = [[] for _ in range(n)]
    for i in range(n):
        rows[i].append(i)
    return rows


def dict_or_empty(d: dict[str, int]) -> dict[str, int]:
    return dict(d) or {}


def empty_and_count(n: int) -> tuple[list[int], int]:
    return [], n


def group_by_get(words: list[str]) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = {}
    for w in words:
        groups[len(w)] = groups.get(len(w), []) + [w]
    return groups


def append_empty_row(n: int) -> list[list[str]]:
    out: list[list[str]] = []
    for _ in range(n):
        out.append([])
    return out


def bucket_by_mod(xs: list[int], n: int) -> list[list[int]]:
    groups = [[] for _ in range(n)]
    for x in xs:
        groups[x % n].append(x)
    return groups


def get_or_empty_dict(d: dict[str, dict[str, int]], k: str) -> dict[str, int]:
    return dict(d.get(k, {}))
