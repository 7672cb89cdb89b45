"""Moves where Python shares a container between two names (``translate/moves.py``).

``corpus/moves.py`` is built with the rest of the corpus and checked against Python
here; the IR-level tests pin which uses move (the local is dead after them) and which
copy (it is read again, on the next iteration, after a branch, through ``break``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pytest_rustify.translate import ir
from pytest_rustify.translate.moves import movable_names

if TYPE_CHECKING:
    from conftest import CheckSame, Corpus


def _moved(fn: ir.Function) -> set[tuple[int, str]]:
    """(line, local) of each use that moves."""
    ids = movable_names(fn)
    out: set[tuple[int, str]] = set()
    for s in ir.walk_stmts(fn.body):
        exprs = [*ir.stmt_exprs(s)]
        for e in exprs:
            for x in ir.subexprs(e):
                if isinstance(x, ir.Name) and id(x) in ids:
                    out.add((s.line - fn.line, x.id))
    return out


@pytest.mark.parametrize(
    ("name", "moved"),
    [
        ("rounds_of_increments", {(6, "nxt")}),
        ("grid_of_products", {(6, "row")}),
        ("chunks_of_three", {(6, "acc"), (9, "acc")}),
        ("last_full_chunk", {(6, "acc")}),
        # `saved = snapshot`: snapshot is read by the loop after it.
        ("copy_read_after", set()),
        # `out.append(cur)` is followed by `prev = cur`; `prev = cur` by `cur = []`.
        ("read_on_next_round", {(6, "cur")}),
        # len(part) reads it after the append.
        ("append_then_len", set()),
        ("dict_handed_on", {(6, "counts")}),
        # `found = cur` then break: `found + cur` reads cur after the loop.
        ("break_keeps_value", set()),
    ],
)
def test_which_uses_move(corpus: Corpus, name: str, moved: set[tuple[int, str]]) -> None:
    assert _moved(corpus.translated[name]) == moved


def test_parameters_never_move(corpus: Corpus) -> None:
    fn = corpus.translated["rounds_of_increments"]
    params = {p.name for p in fn.params}
    assert not {n for _, n in _moved(fn)} & params


def test_moved_and_copied_values_match_python(check_same: CheckSame) -> None:
    for n in (0, 1, 2, 3, 7, 10):
        check_same("grid_of_products", n, 3)
        check_same("chunks_of_three", n)
        check_same("last_full_chunk", n)
        check_same("read_on_next_round", n)
        check_same("append_then_len", n)
    for xs in ([], [1, 2, 3], [5, 0, 2, 0, -1, 9], [-3], [0, 0]):
        check_same("rounds_of_increments", xs, 3)
        check_same("break_keeps_value", xs)
        check_same("copy_read_after", [float(x) for x in xs])
    check_same("dict_handed_on", ["abca", "", "zz"])
    check_same("dict_handed_on", [])
