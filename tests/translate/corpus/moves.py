"""Containers handed from one name to another: the Rust moves where Python shares.

Each function passes a list (or dict) on with ``x = y`` or ``xs.append(y)``; some read
the old name again afterwards (a copy is needed), some never do (a move suffices).
"""


def rounds_of_increments(xs: list[int], rounds: int) -> list[int]:
    cur = xs[:]
    for r in range(rounds):
        nxt = []
        for x in cur:
            nxt.append(x + r)
        cur = nxt
    return cur


def grid_of_products(n: int, m: int) -> list[list[int]]:
    out = []
    for i in range(n):
        row = []
        for j in range(m):
            row.append(i * j)
        out.append(row)
    return out


def chunks_of_three(n: int) -> list[list[int]]:
    chunks = []
    acc = []
    for i in range(n):
        acc.append(i)
        if len(acc) == 3:
            chunks.append(acc)
            acc = []
    if acc:
        chunks.append(acc)
    return chunks


def last_full_chunk(n: int) -> list[int]:
    keep = []
    acc = []
    for i in range(n):
        acc.append(i)
        if i % 3 == 2:
            keep = acc
            acc = []
    return keep + acc


def copy_read_after(xs: list[float]) -> float:
    snapshot = []
    for x in xs:
        snapshot.append(x * 2.0)
    saved = snapshot
    total = 0.0
    for y in snapshot:
        total += y
    return total + len(saved)


def read_on_next_round(n: int) -> list[list[int]]:
    out = []
    prev = [0]
    for i in range(n):
        cur = [p + i for p in prev]
        out.append(cur)
        prev = cur
        cur = []
    return out


def append_then_len(n: int) -> list[int]:
    sizes = []
    parts = []
    part = []
    for i in range(n):
        part = [i, i]
        parts.append(part)
        sizes.append(len(part))
    return sizes


def dict_handed_on(words: list[str]) -> dict[str, int]:
    result = {}
    for w in words:
        counts = {}
        for ch in w:
            counts[ch] = counts.get(ch, 0) + 1
        result = counts
    return result


def break_keeps_value(xs: list[int]) -> list[int]:
    found = []
    cur = []
    for x in xs:
        cur = cur + [x]  # noqa: RUF005  (a new list each time, as users write it)
        if x < 0:
            found = cur
            break
        if x == 0:
            cur = []
    return found + cur
