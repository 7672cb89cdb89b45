"""Sets: Python vs the built Rust on edge inputs (``corpus/sets.py``), and the rule that
keeps a set's iteration order from being observed (refusals in ``corpus/refused.py``).

Set results are compared as sets (same items of the same types); their order is the one
thing a translation may not reproduce, which is why no accepted code can observe it.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from checks import check_all

from pytest_rustify.errors import Refusal
from pytest_rustify.translate.frontend import parse_annotation
from pytest_rustify.translate.rtypes import INT, STR, SetT, TupleT, join, type_of_value

if TYPE_CHECKING:
    from conftest import CheckSame, Corpus, RefusedCorpus

I64_MAX = 2**63 - 1
I64_MIN = -(2**63)
HUGE = 2**70
UNICODE = ["ü", "日本", "🐍", "e\u0301", ""]


# -- types ------------------------------------------------------------------------------


def test_set_types_from_values_and_annotations() -> None:
    assert type_of_value({1, 2}) == SetT(INT)
    assert type_of_value({"a"}) == SetT(STR)
    assert type_of_value({(1, "a")}) == SetT(TupleT((INT, STR)))
    assert join(type_of_value(set()) or INT, SetT(INT)) == SetT(INT)
    # Floats hash like ints (1 == 1.0), frozensets are another type, mixed items conflict.
    assert type_of_value({1.5}) is None
    assert type_of_value(frozenset({1})) is None
    assert type_of_value({1, "a"}) is None
    assert parse_annotation(ast.parse("set[int]", mode="eval").body) == SetT(INT)
    assert parse_annotation(ast.parse("set[float]", mode="eval").body) is None


# -- construction, membership, size ----------------------------------------------------


def test_unique_count(check_same: CheckSame) -> None:
    check_all(
        check_same,
        "unique_count",
        [([],), ([1, 1, 1],), ([-1, 1, -1, 0],), ([I64_MIN, I64_MAX, I64_MIN],), ([5] * 100,)],
    )


def test_huge_ints_fall_back(check_same: CheckSame) -> None:
    check_same("unique_count", [HUGE, 1], fallback=True)
    check_same("set_stats", {HUGE, -HUGE}, fallback=True)


def test_dedupe_keeps_list_order(check_same: CheckSame) -> None:
    check_all(
        check_same,
        "dedupe_keep_order",
        [([],), (["b", "a", "b", "c", "a"],), (UNICODE + UNICODE[::-1],), ([""] * 3,)],
    )


def test_reachable(check_same: CheckSame) -> None:
    graph = {1: [2, 3], 2: [4], 3: [4, 1], 4: [], -5: [1]}
    check_all(
        check_same,
        "reachable",
        [(graph, 1), (graph, 4), (graph, -5), (graph, 99), ({}, 0), ({0: [0]}, 0)],
    )


def test_jaccard(check_same: CheckSame) -> None:
    check_all(
        check_same,
        "jaccard",
        [([], []), (["a"], []), (["a", "b", "b"], ["b", "c"]), (UNICODE, UNICODE[:2])],
    )


def test_charsets(check_same: CheckSame) -> None:
    check_all(
        check_same,
        "is_anagram_charset",
        [("", ""), ("listen", "silent"), ("aab", "abb"), ("日本", "本日"), ("🐍a", "a🐍")],
    )
    check_all(check_same, "missing_letters", [("",), ("the quick brown fox",), ("Zü",)])


def test_literal_and_discard(check_same: CheckSame) -> None:
    check_all(check_same, "literal_set", [(0,), (1,), (2,), (-3,), (I64_MIN,)])


def test_tuple_items(check_same: CheckSame) -> None:
    check_all(check_same, "pair_set", [([], ["a"]), ([1, 1, -2], ["x", "", "x"])])
    pairs = {(1, "a"), (2, ""), (1, "")}
    check_all(
        check_same,
        "has_pair",
        [(pairs, 1, "a"), (pairs, 2, "a"), (set(), 0, ""), ({(3, "ü")}, 3, "ü")],
    )


def test_bool_items(check_same: CheckSame) -> None:
    check_all(check_same, "bool_set", [([],), ([True, True],), ([False, True, False],)])


def test_clear_and_truth(check_same: CheckSame) -> None:
    check_all(check_same, "empty_set_truth", [([],), ([1, 2],)])


# -- algebra and comparisons -------------------------------------------------------------

INT_PAIRS = [
    (set(), set()),
    ({1}, set()),
    (set(), {1}),
    ({1, 2}, {1, 2}),
    ({1, 2}, {1, 2, 3}),
    ({1, 2, 3}, {2}),
    ({-1, 0, 1}, {0, 2, -2}),
    ({I64_MIN, I64_MAX}, {I64_MAX, 7}),
    (set(range(100)), set(range(50, 150))),
]


def test_relations(check_same: CheckSame) -> None:
    check_all(check_same, "set_relations", INT_PAIRS)


def test_in_place_algebra(check_same: CheckSame) -> None:
    check_all(check_same, "in_place_algebra", INT_PAIRS)


def test_method_algebra_with_list_arguments(check_same: CheckSame) -> None:
    check_all(
        check_same,
        "method_algebra",
        [(a, sorted(b)) for a, b in INT_PAIRS] + [({1, 2}, [2, 2, 3, 3])],
    )


def test_tag_algebra(check_same: CheckSame) -> None:
    check_all(
        check_same,
        "tag_algebra",
        [(set(), set()), ({"x", "y"}, {"y", "z"}), (set(UNICODE), {"ü", "zz"})],
    )


def test_common_to_all(check_same: CheckSame) -> None:
    check_all(
        check_same,
        "common_to_all",
        [([],), ([[1, 2, 3]],), ([[1, 2, 3], [3, 2], [2, 3, 9]],), ([[1], []],)],
    )


# -- removal and KeyError ------------------------------------------------------------------


def test_remove_raises_key_error_with_the_key(check_same: CheckSame) -> None:
    check_all(
        check_same,
        "remove_all",
        [([], []), ([1, 2, 3], [2, 1]), ([1, 2], [3]), ([1], [1, 1]), ([-7], [-8])],
    )
    outcome = check_same("remove_all", [1], [5])
    assert outcome.exception is not None and outcome.exception[0] == "KeyError"


def test_discard_and_update(check_same: CheckSame) -> None:
    check_all(
        check_same,
        "discard_all",
        [([], []), (["a", "b"], ["b", "c"]), (UNICODE, ["🐍", "nope"]), (["zeta"], [])],
    )


def test_remove_of_a_str_key(check_same: CheckSame) -> None:
    outcome = check_same("char_index", ["ab", "b", ""])
    assert outcome.exception is None


# -- min, max, sum, sorted -------------------------------------------------------------------


def test_set_stats(check_same: CheckSame) -> None:
    check_all(
        check_same,
        "set_stats",
        [({0},), ({-5, 3, 2},), ({I64_MAX},), (set(range(-50, 60, 7)),), (set(),)],
    )


def test_sum_overflow_falls_back(check_same: CheckSame) -> None:
    check_same("set_stats", {I64_MAX, 1}, fallback=True)


def test_min_of_strs(check_same: CheckSame) -> None:
    check_all(
        check_same, "smallest_word", [({"b", "a"},), (set(UNICODE),), (set(),), ({"Z", "a"},)]
    )


# -- comprehensions and order-free loops -------------------------------------------------------


def test_set_comprehensions(check_same: CheckSame) -> None:
    check_all(check_same, "square_set", [([],), ([-3, 3, 2, -2, 0, 1],), ([3037000499],)])
    check_same("square_set", [I64_MAX], fallback=True)
    check_all(check_same, "parity_classes", [(set(),), ({-3, 4, 7},), ({I64_MIN, I64_MAX},)])


def test_dict_comprehension(check_same: CheckSame) -> None:
    check_all(check_same, "first_of_each", [([],), (["ab", "", "c", "ab"],)])


def test_order_free_loops(check_same: CheckSame) -> None:
    check_all(check_same, "sum_over_set", [(set(),), ({-3, 0, 5, 9},), (set(range(-20, 20)),)])
    check_all(check_same, "split_signs", [(set(),), ({-1, 0, 1},), ({I64_MIN, I64_MAX},)])
    check_all(check_same, "primes_below", [(0,), (2,), (3,), (50,), (200,)])


def test_str_sets_in_order_free_code(check_same: CheckSame) -> None:
    check_all(check_same, "word_lengths", [(set(),), (set(UNICODE),), ({"a", "bb", "cc"},)])
    check_all(
        check_same,
        "count_long",
        [(set(), 0), ({"a", "bb", "ccc"}, 1), (set(UNICODE), 0), ({"abc", "cab"}, -1)],
    )


def test_sets_from_dict_keys_and_empty_sets(check_same: CheckSame) -> None:
    check_all(
        check_same,
        "keys_not_in",
        [({}, []), ({"a": 1, "b": 2}, ["a"]), ({"ü": 0}, ["ü", "x"])],
    )
    check_all(check_same, "empty_comparisons", [(set(), 0), ({1}, 1), ({-1, 5}, 7)])


def test_any_and_all(check_same: CheckSame) -> None:
    check_all(
        check_same,
        "truth_of_items",
        [(set(), set()), ({0}, {""}), ({0, 3}, {"", "a"}), ({-1, 2}, {"ü"})],
    )


def test_set_values_in_a_dict(check_same: CheckSame) -> None:
    check_all(check_same, "char_index", [([],), (["ab", "ba", "c"],), (UNICODE,)])


def test_a_frozenset_argument_falls_back(corpus: Corpus) -> None:
    before = corpus.fallbacks("set_stats")
    assert corpus.rust("set_stats")(frozenset({1, 2})) == (2, 1, 2, 3)
    assert corpus.fallbacks("set_stats") == before + 1


def test_a_returned_set_is_a_python_set(corpus: Corpus) -> None:
    result = corpus.rust("primes_below")(20)
    assert type(result) is set
    assert result == {2, 3, 5, 7, 11, 13, 17, 19}


# -- refusals ---------------------------------------------------------------------------------


def test_order_refusals_explain_the_rule(refused: RefusedCorpus) -> None:
    order = [name for name in refused.functions if name.startswith(("set_", "loop_"))]
    order += ["list_comp_over_set", "enumerate_set"]
    seen = 0
    for name in order:
        result = refused.translate(name)
        assert isinstance(result, Refusal), f"{name} was translated"
        if result.code != "set-order":
            continue
        seen += 1
        assert "iteration order" in result.message and "PYTHONHASHSEED" in result.message
    assert seen >= 8
