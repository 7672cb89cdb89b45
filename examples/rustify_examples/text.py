"""Tokenizer building blocks: pair statistics and byte-pair encoding."""


def count_pairs(tokens: list[str]) -> dict[tuple[str, str], int]:
    """Count adjacent token pairs, in order of first occurrence."""
    counts = {}
    for i in range(len(tokens) - 1):
        pair = (tokens[i], tokens[i + 1])
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def bpe_encode(text: str, merges: list[tuple[int, int]]) -> list[int]:
    """Encode text with byte-pair merges.

    Starts from one id per character (``ord``, so meant for text below U+0100) and
    applies the merges in rank order: merge ``r`` replaces every adjacent pair
    ``(a, b)``, scanning left to right, by the new id ``256 + r``.
    """
    ids = [ord(ch) for ch in text]
    for r in range(len(merges)):
        a, b = merges[r]
        new_id = 256 + r
        out = []
        i = 0
        n = len(ids)
        while i < n:
            if i + 1 < n and ids[i] == a and ids[i + 1] == b:
                out.append(new_id)
                i += 2
            else:
                out.append(ids[i])
                i += 1
        ids = out
    return ids
