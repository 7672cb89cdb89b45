"""Tests for rustify_examples.text: pair counts and byte-pair encoding.

The BPE merges are trained here, on a few English sentences, by greedy most-frequent
pair merging, so that encoding really merges.
"""

from __future__ import annotations

import collections
import itertools
import random

import pytest
from rustify_examples import text

CORPUS = (
    "The quick brown fox jumps over the lazy dog. "
    "A tokenizer splits the text into the pieces that the model sees, and the pieces "
    "that occur together most often are merged into one new token. "
    "Training repeats the merge until the vocabulary is large enough. "
    "Then the encoder replays the merges in the order they were learned. "
    "The other thing to remember is that there is nothing to tune at encoding time. "
    "These sentences are short, but there are enough repeated pairs in them to learn "
    "the common English endings such as -ing, -ed, -er and the word the."
)
NUM_MERGES = 60


def _merge(ids: list[int], pair: tuple[int, int], new_id: int) -> list[int]:
    out: list[int] = []
    i = 0
    while i < len(ids):
        if i + 1 < len(ids) and (ids[i], ids[i + 1]) == pair:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def _train(corpus: str, num_merges: int) -> list[tuple[int, int]]:
    ids = list(corpus.encode("ascii"))
    merges: list[tuple[int, int]] = []
    for rank in range(num_merges):
        counts = collections.Counter(itertools.pairwise(ids))
        # most_common keeps first-seen order among equal counts: deterministic ties.
        ((best, count),) = counts.most_common(1)
        if count < 2:
            break
        merges.append(best)
        ids = _merge(ids, best, 256 + rank)
    return merges


def _vocabulary(merges: list[tuple[int, int]]) -> list[str]:
    """The text of every id: the 256 single characters, then each merge's two parts."""
    vocab = [chr(i) for i in range(256)]
    for a, b in merges:
        vocab.append(vocab[a] + vocab[b])
    return vocab


MERGES = _train(CORPUS, NUM_MERGES)
VOCAB = _vocabulary(MERGES)


def _encode_by_replace(source: str, merges: list[tuple[int, int]]) -> list[int]:
    """Ids as characters; str.replace rewrites non-overlapping matches left to right."""
    coded = source
    for rank, (a, b) in enumerate(merges):
        coded = coded.replace(chr(a) + chr(b), chr(256 + rank))
    return [ord(ch) for ch in coded]


def _encode_by_priority(source: str, merges: list[tuple[int, int]]) -> list[int]:
    """The tiktoken-style formulation: repeatedly merge the lowest-ranked pair present."""
    ranks = {pair: rank for rank, pair in enumerate(merges)}
    ids = [ord(ch) for ch in source]
    while len(ids) > 1:
        present = [pair for pair in itertools.pairwise(ids) if pair in ranks]
        if not present:
            break
        best = min(present, key=ranks.__getitem__)
        ids = _merge(ids, best, 256 + ranks[best])
    return ids


@pytest.mark.rustify
def test_count_pairs() -> None:
    rng = random.Random(30)
    words = CORPUS.split()
    stream = [words[rng.randrange(len(words))] for _ in range(500 + 30 * 11)]
    for k, start in enumerate(range(0, 30 * 11, 11)):
        tokens = stream[start : start + 500]
        counts = text.count_pairs(tokens)
        assert sum(counts.values()) == len(tokens) - 1
        # Counter costs nearly as much as the call: check every other call in full.
        if k % 2 == 0:
            expected = collections.Counter(itertools.pairwise(tokens))
            # Items in order: the same counts, and the same first-occurrence order.
            assert list(counts.items()) == list(expected.items())
    assert text.count_pairs(["a", "b", "a", "b", "c"]) == {
        ("a", "b"): 2,
        ("b", "a"): 1,
        ("b", "c"): 1,
    }
    assert list(text.count_pairs(["x", "y", "x"])) == [("x", "y"), ("y", "x")]
    assert text.count_pairs(["a", "a", "a"]) == {("a", "a"): 2}
    assert text.count_pairs(["alone"]) == {}


@pytest.mark.rustify
def test_bpe_encode() -> None:
    assert len(MERGES) >= 50
    rng = random.Random(31)
    samples = [CORPUS[s : s + 100] for s in (rng.randrange(len(CORPUS) - 100) for _ in range(30))]
    unseen = [
        "The other tokenizer learned the endings of these words in the order they came.",
        "Then there is the thing that the model sees: the pieces, merged, one at a time.",
    ]
    for sample in samples + unseen:
        ids = text.bpe_encode(sample, MERGES)
        assert "".join(VOCAB[i] for i in ids) == sample
        assert len(ids) < len(sample)
        assert ids == _encode_by_replace(sample, MERGES)
    for sample in unseen:
        assert text.bpe_encode(sample, MERGES) == _encode_by_priority(sample, MERGES)
    # Hand-worked: merge 0 is (a, a) -> 256, merge 1 is (256, b) -> 257.
    hand = [(ord("a"), ord("a")), (256, ord("b"))]
    assert text.bpe_encode("aaab", hand) == [256, ord("a"), ord("b")]
    assert text.bpe_encode("aaaab", hand) == [256, 257]
    assert text.bpe_encode("xyz", hand) == [ord("x"), ord("y"), ord("z")]
    assert text.bpe_encode("q", MERGES) == [ord("q")]
