"""str/list/dict methods and the consuming builtins: Python vs the built Rust on edges.

Every call goes through ``check_same`` (conftest.py): the same result, exception type and
message, and arguments afterwards. ``fallback=True`` marks calls the Rust build must hand
back to Python (text outside ASCII where Unicode tables decide, NaN in sort keys).
"""

from __future__ import annotations

import math
import random
import struct
from decimal import Decimal
from typing import TYPE_CHECKING

from checks import check_all

if TYPE_CHECKING:
    from conftest import CheckSame

NAN = math.nan
INF = math.inf

# Python's whitespace, one of each (the \x1c-\x1f separators are whitespace to Python,
# not to Unicode's White_Space, which Rust's char::is_whitespace follows).
PY_SPACES = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
TEXTS = [
    "",
    " ",
    "a",
    "  hello   world  ",
    "\thello\nworld\r\n",
    "a,b,,c,",
    ",a,",
    "x\x1cy\x1dz\x1e\x1fw",
    "caf\u00e9 na\u00efve",
    "\u3000wide\u3000space\u3000",
    "\u00a0nbsp\u00a0",
    "a\u200bb",  # zero width space: not whitespace
    "e\u0301 combining",
    "\U0001f600 smile \U0001f600",
    "\U00010400\U00010428",
    "Stra\u00dfe",
    "\u0130stanbul",
    "\u03a3\u039f\u03a3",
    "ABC",
    "abc",
    "Abc1",
    "123",
    "1_000",
    "\u0661\u0662",
    "\u00bd",
    "a\u2028b\u2029c\x85d\x0be\x0cf",
    PY_SPACES,
]


def ascii_only(texts: list[str]) -> list[str]:
    return [t for t in texts if t.isascii()]


# -- splitting and stripping ------------------------------------------------------------


def test_split_whitespace_is_pythons(check_same: CheckSame) -> None:
    check_all(check_same, "tokenize_lower", [(t,) for t in ascii_only(TEXTS)])
    check_all(check_same, "normalise_spaces", [(t,) for t in TEXTS])


def test_every_python_whitespace_splits(check_same: CheckSame) -> None:
    text = "".join(f"w{i}{c}" for i, c in enumerate(PY_SPACES)) + "end"
    assert len(check_same("normalise_spaces", text).value.split(" ")) == len(PY_SPACES) + 1
    # characters Rust calls whitespace but Python does not, and the reverse
    check_same("normalise_spaces", "a\u180eb\u200bc\x1cd")


def test_split_maxsplit_whitespace(check_same: CheckSame) -> None:
    cases = [(t, n) for t in TEXTS for n in (-5, -1, 0, 1, 2, 10)]
    check_all(check_same, "split_ws_max", cases)


def test_split_and_rsplit_with_separator(check_same: CheckSame) -> None:
    seps = [",", "ab", "aa", " ", "\U0001f600", "é"]
    texts = [*TEXTS, "aaa", "aaaa", "abab", "ab,ab,", "\U0001f600x\U0001f600"]
    cases = [(t, sep, n) for t in texts for sep in seps for n in (-1, 0, 1, 2)]
    check_all(check_same, "split_with", cases)
    check_all(check_same, "rsplit_with", cases)


def test_empty_separator_is_a_value_error(check_same: CheckSame) -> None:
    outcome = check_same("split_with", "abc", "", -1)
    assert outcome.exception == ("ValueError", "empty separator")
    check_same("rsplit_with", "abc", "", 1)
    check_same("partitions", "abc", "")


def test_strip_family(check_same: CheckSame) -> None:
    cases = [(t, c) for t in TEXTS for c in ("", " ", "ab", "a,", "\U0001f600 ", "\u3000")]
    check_all(check_same, "strips", cases)


def test_splitlines_boundaries(check_same: CheckSame) -> None:
    texts = [*TEXTS, "a\r\nb", "a\r\rb", "\n", "\r\n\r\n", "no break", "end\n", "x\u2029"]
    check_all(check_same, "lines_of", [(t,) for t in texts])


def test_csv_and_key_values(check_same: CheckSame) -> None:
    check_all(
        check_same,
        "parse_csv_line",
        [("",), ("a",), (" a , b ,c\n",), (",,",), ("x,\u3000y\u3000,z\n",)],
    )
    text = "# comment\nname = ada\n\n  = empty key\nnovalue\nk=v=w\nk = again\n"
    check_same("parse_key_values", text)
    check_same("parse_key_values", "")


# -- case and character classes -----------------------------------------------------------


def test_case_mapping_ascii_in_rust(check_same: CheckSame) -> None:
    check_all(check_same, "cases", [(t,) for t in ascii_only(TEXTS)])


def test_case_mapping_beyond_ascii_is_pythons(check_same: CheckSame) -> None:
    # 'ß'.upper() == 'SS', 'İ'.lower() has two code points, final sigma: Python decides.
    non_ascii = [t for t in TEXTS if not t.isascii()]
    check_all(check_same, "cases", [(t,) for t in non_ascii], fallback=True)
    assert check_same("cases", "Stra\u00dfe", fallback=True).value[1] == "STRASSE"


def test_character_predicates(check_same: CheckSame) -> None:
    check_all(check_same, "predicates", [(t,) for t in ascii_only(TEXTS)])
    check_all(check_same, "predicates", [(t,) for t in TEXTS], fallback=None)
    # isspace is decided in Rust for every text: Python's whitespace set is fixed.
    check_same("predicates", PY_SPACES, fallback=None)


def test_palindromes_and_slugs(check_same: CheckSame) -> None:
    texts = ["", "A man, a plan, a canal: Panama", "No lemon, no melon", "abc", "Ab1 1bA"]
    check_all(check_same, "is_palindrome_text", [(t,) for t in texts])
    check_all(check_same, "slugify", [(t,) for t in [*texts, "Hello,  World!", "--"]])
    check_all(check_same, "count_vowels_gen", [(t,) for t in texts])
    check_all(check_same, "title_words", [("The quick Brown fox",), ("",), ("a B c D",)])


# -- searching, replacing, joining, padding ------------------------------------------------


def test_find_index_count(check_same: CheckSame) -> None:
    subs = ["", "a", "ab", "é", "\U0001f600", "zz"]
    texts = [*TEXTS, "abcabc", "aaaa", "\U0001f600a\U0001f600a"]
    cases = [(t, s) for t in texts for s in subs]
    check_all(check_same, "find_both", cases)
    check_all(check_same, "count_substring", cases)
    check_all(check_same, "index_of", cases)


def test_index_raises_value_error(check_same: CheckSame) -> None:
    assert check_same("index_of", "abc", "z").exception == ("ValueError", "substring not found")


def test_replace(check_same: CheckSame) -> None:
    cases = [
        (t, old, new, n)
        for t in ["", "abc", "aaa", "caf\u00e9 caf\u00e9", "\U0001f600\U0001f600"]
        for old, new in [("", "-"), ("a", ""), ("aa", "b"), ("\u00e9", "e"), ("\U0001f600", ":)")]
        for n in (-1, 0, 1, 2)
    ]
    check_all(check_same, "replace_n", cases)
    check_all(check_same, "replace_all", [(t, o, n) for t, o, n, _ in cases])


def test_join_and_repeat(check_same: CheckSame) -> None:
    check_all(
        check_same,
        "repeat_join",
        [([], ",", 3), (["a"], ",", 0), (["a", "b", ""], "\u00e9", 2), (["x"], "", -1)],
    )


def test_padding(check_same: CheckSame) -> None:
    texts = ["", "a", "ab", "abc", "-5", "+5", "5-", "\U0001f600", "-"]
    check_all(check_same, "pads", [(t, w) for t in texts for w in (-1, 0, 1, 2, 3, 4, 5, 8)])
    fills = ["*", "\U0001f600", "", "ab"]
    cases = [(t, w, f) for t in texts for w in (0, 3, 4, 7) for f in fills]
    check_all(check_same, "centre_title", cases)
    outcome = check_same("centre_title", "a", 0, "ab")
    assert outcome.exception is not None and outcome.exception[0] == "TypeError"
    check_all(check_same, "zero_pad", [(n, w) for n in (0, 7, -7, -(2**63)) for w in (0, 3, 25)])
    check_all(check_same, "fixed_width", [([("alpha", 3), ("b", -12345)], 8), ([], 3)])


def test_partition(check_same: CheckSame) -> None:
    cases = [(t, s) for t in ["", "a=b=c", "abc", "=", "\u00e9=\u00e9"] for s in ("=", "b", "xyz")]
    check_all(check_same, "partitions", cases)
    names = ["a.txt", "archive.tar.GZ", ".bashrc", "noext", "dir.d/file", ""]
    check_all(check_same, "file_extension", [(n,) for n in names])


def test_startswith_endswith(check_same: CheckSame) -> None:
    cases = [(t, a, b) for t in ["", "abc", "\u00e9t\u00e9"] for a, b in [("", "x"), ("a", "c")]]
    check_all(check_same, "ends", cases)
    words = ["apple", "banana", "avocado", "", "cherry"]
    check_all(check_same, "words_with_prefix", [(words, ("a", "ch")), (words, ("", "z"))])


def test_rsplit_last_field(check_same: CheckSame) -> None:
    check_all(check_same, "last_field", [("a/b/c", "/"), ("abc", "/"), ("", "/"), ("a//", "/")])


# -- str() and int() -----------------------------------------------------------------------


def test_str_of_int_and_bool(check_same: CheckSame) -> None:
    check_all(
        check_same, "int_text", [(n, b) for n in (0, -1, 10**18, -(2**63)) for b in (True, False)]
    )


def test_str_of_float_is_repr(check_same: CheckSame) -> None:
    special = [0.0, -0.0, 1.0, -1.5, 0.1, 1e16, 1e15, 123456789012345678.0, 1e-4, 1e-5, 1.5e-5]
    special += [1e22, 1e100, 5e-324, 1.7976931348623157e308, 2.0**53, 0.3, 2 / 3, NAN, INF, -INF]
    rng = random.Random(7)
    bits = [struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0] for _ in range(20000)]
    decimals = [rng.uniform(-1e6, 1e6) for _ in range(5000)]
    powers = [10.0**k for k in range(-30, 30)] + [k / 10**d for k in range(1, 30) for d in range(8)]
    # ties: the value lies halfway between the two nearest shortest decimals. dtoa's pick
    # there is not plain ties-to-even (2**-24 gives ...063), so Python answers them.
    near = [1059438285926254.25, 2.0**52 + 0.5, 2.0**53 - 1.5, 2.0**-24]
    near += [k * 0.125 + 2.0**49 for k in range(1, 400, 2)]
    values = special + bits + decimals + powers + near
    ties = [x for x in values if _halfway(x)]
    outcome = check_same("float_text", [x for x in values if not _halfway(x)])
    assert outcome.value[:3] == ["0.0", "-0.0", "1.0"]
    assert 2.0**-24 in ties and len(ties) > 4
    for x in ties:
        check_same("float_text", [x], fallback=True)


def _halfway(x: float) -> bool:
    """The exact value of ``x`` is halfway between two decimals as short as its repr."""
    if not math.isfinite(x) or x == 0.0:
        return False
    mantissa = repr(abs(x)).split("e")[0].replace(".", "").lstrip("0").rstrip("0")
    exact = Decimal(abs(x)).as_tuple().digits
    n = max(len(mantissa), 1)
    return len(exact) > n and exact[n] == 5 and not any(exact[n + 1 :])


def test_int_of_str(check_same: CheckSame) -> None:
    good = ["0", "-0", "+7", "  42  ", "\t-3\n", "1_000", "007", "9223372036854775807"]
    good += ["-9223372036854775808"]
    bad = ["", " ", "1.5", "1__0", "_1", "1_", "+", "- 1", "0x10", "1e3", "12a", "\x1c5"]
    bad += ["'quoted'", 'say "hi"', "it's", "tab\there", "x" * 300]
    check_all(check_same, "to_int", [(s,) for s in good + bad])
    assert check_same("to_int", "abc").exception == (
        "ValueError",
        "invalid literal for int() with base 10: 'abc'",
    )


def test_int_of_str_beyond_rust(check_same: CheckSame) -> None:
    # Python's ints are unbounded and it reads Unicode digits: those calls fall back.
    for s in ["9223372036854775808", "-" + "9" * 30, "\u0661\u0662", "\u30003\u3000"]:
        check_same("to_int", s, fallback=True)
    check_same("to_int", "1" * 5000, fallback=True)


def test_text_programs(check_same: CheckSame) -> None:
    check_all(
        check_same,
        "run_length_encode",
        [("",), ("a",), ("aaabccdddd",), ("\U0001f600\U0001f600x",)],
    )
    check_all(check_same, "run_length_decode", [("",), ("3a1b12c",), ("a",)])
    check_same("run_length_decode", "2\u00e9", fallback=True)  # isdigit() of a non-ASCII char
    check_all(check_same, "rot13_text", [("Hello, World!",), ("",), ("\u00e9Zz",)])
    check_all(check_same, "char_ngrams", [("word", 3), ("", 2), ("ab", 5), ("\U0001f600x", 2)])
    check_all(check_same, "word_bigrams", [("a b c",), ("",), ("one",)])
    check_same("word_freq_stripped", "The cat, the hat. (The) 'cat'! ...")
    check_all(check_same, "sum_numbers", [("1,2,3",), (" 4 , 5",), ("1,,2",)])
    check_same("sum_numbers", "9" * 20, fallback=True)  # beyond 64 bits
    check_all(check_same, "parse_ints", [(["1", " 2", "-3"],), ([],), (["x"],)])
    check_all(check_same, "chars_of", [("",), ("ab\U0001f600",)])
    check_same("strip_comments", ["x = 1  # one", "# only", "", "   ", "y=2"])


# -- sorting and ordering -------------------------------------------------------------------


def test_sort_by_key_keeps_ties_in_order(check_same: CheckSame) -> None:
    pairs = [("a", 2), ("b", 1), ("c", 2), ("d", 1), ("e", 0)]
    outcome = check_same("sort_by_second", pairs)
    assert [p[0] for p in outcome.value] == ["e", "b", "d", "a", "c"]
    check_same("sort_by_second", [])
    words = ["bb", "a", "cc", "d", "", "eee", "ff"]
    check_all(check_same, "stable_by_len", [(words, False), (words, True), ([], True)])
    check_all(check_same, "sort_words_ci", [(["b", "A", "a", "B", "E"],), ([],)])
    check_same("sort_words_ci", ["b", "\u00e9", "E"], fallback=True)  # lower() beyond ASCII
    check_all(check_same, "by_abs", [([3, -3, 2, -1, 0, 1, -2],), ([-(2**62), 2**62],)])


def test_top_k_and_ranks(check_same: CheckSame) -> None:
    counts = {"the": 5, "a": 5, "cat": 2, "zebra": 2, "ant": 1}
    check_all(check_same, "top_k_words", [(counts, k) for k in (0, 1, 3, 10, -1)])
    check_all(
        check_same, "rank_scores", [([0.5, 2.0, 1.0, 2.0],), ([],), ([-0.0, 0.0, -1.0, INF],)]
    )


def test_nan_in_sort_falls_back(check_same: CheckSame) -> None:
    # Python's result with NaN depends on its merge algorithm: the Rust build declines.
    check_same("rank_scores", [1.0, NAN, 0.5, 2.0], fallback=True)
    check_same("sort_floats", [3.0, NAN, 1.0], True, fallback=True)
    check_same("median_via_sorted", [3.0, NAN, 1.0, 2.0], fallback=True)
    check_same("sort_tuple_keys", [1.0, NAN, -1.0], fallback=True)
    check_same("sort_neg", [NAN], fallback=True)


def test_float_sorts(check_same: CheckSame) -> None:
    xs = [3.0, -0.0, 0.0, -1.5, INF, -INF, 1e-300, 2.5]
    check_all(check_same, "sort_floats", [(xs, False), (xs, True), ([], False)])
    check_all(check_same, "median_via_sorted", [(xs,), (xs[:3],), ([1.0],)])
    check_same("median_via_sorted", [])  # IndexError on both sides
    check_all(check_same, "sort_neg", [(xs,), ([0.0, -0.0],)])
    check_all(check_same, "sort_tuple_keys", [(xs,)])
    check_all(check_same, "sort_desc", [([3, 1, 2, 3, -5],), ([],)])


def test_sorted_views(check_same: CheckSame) -> None:
    d = {"b": 2, "a": 1, "\u00e9": 3, "A": 0}
    check_all(check_same, "sorted_keys", [(d,), ({},)])
    check_all(check_same, "sorted_items", [({"b": 1.0, "a": -0.0, "c": 0.0},), ({},)])
    check_same("sorted_items", {"b": 1.0, "a": NAN}, fallback=True)
    check_all(check_same, "values_total", [(d,), ({},)])


def test_min_max_with_key_and_default(check_same: CheckSame) -> None:
    words = ["pear", "fig", "banana", "kiwi", "apple", "plum"]
    check_all(check_same, "longest_word", [(words,), ([],), (["", ""],)])
    check_all(check_same, "shortest_word", [(words,), (["b", "a"],)])
    outcome = check_same("shortest_word", [])
    assert outcome.exception == ("ValueError", "min() arg is an empty sequence")
    check_all(check_same, "max_of_gen", [([],), ([6, 13, 20],), ([-1, -8],)])
    floats = [NAN, 0.5, 2.0, 1.0, NAN]
    check_all(check_same, "min_by_key_float", [(floats,), (floats[1:],), ([INF, -INF],)])


def test_max_of_tuples_with_nan_falls_back(check_same: CheckSame) -> None:
    check_same("max_pair", [(1, 0.5), (2, -1.0), (2, 3.0)])
    check_same("max_pair", [(1, NAN), (1, 2.0)], fallback=True)
    check_same("max_pair", [])


def test_any_all_short_circuit(check_same: CheckSame) -> None:
    check_all(check_same, "all_positive", [([],), ([1, 2],), ([1, 0, 2],)])
    check_all(check_same, "any_negative", [([],), ([0.0, -0.0],), ([NAN, -1.0],)])
    # any() stops at the first true item: the zero after it is never divided by.
    assert check_same("any_div_zero", [1, 0]).value is True
    assert check_same("any_div_zero", [5, 0]).exception is not None
    rows = [[1, 2], [], [99, -99], [3]]
    check_all(check_same, "all_nested", [(rows,), ([[0, -1]],), ([],)])


def test_sum_of_generators(check_same: CheckSame) -> None:
    check_all(check_same, "sum_squares", [([1.5, 2.0],), ([0.1] * 10,), ([-0.0],)])
    check_same("sum_squares", [], fallback=True)  # the int 0
    check_all(check_same, "count_matches", [([1, 2, 1], 1), ([], 0)])
    check_same("sum_numbers", f"{2**62},{2**62}", fallback=True)


def test_list_builders(check_same: CheckSame) -> None:
    check_all(check_same, "reversed_list", [([],), ([1, 2, 3],)])
    cases = [(0, 5, 1), (5, 0, -2), (0, 10, 3), (3, 3, 1), (0, 5, 0)]
    check_all(check_same, "list_of_range", cases)
    check_all(check_same, "extend_range", [(0,), (4,), (-2,)])
    check_all(check_same, "enumerate_sorted", [(["b", "a", "c", "a"],), ([],)])
    check_all(check_same, "zip_list", [([1, 2, 3], ["a", "b"]), ([], ["x"])])
    check_all(check_same, "dedupe_first_seen", [(["b", "a", "b", "c", "a"],), ([],)])


# -- list and dict methods ---------------------------------------------------------------------


def test_list_methods(check_same: CheckSame) -> None:
    check_all(check_same, "list_ops", [([5, 1, 5, 2], 5), ([1, 2], 2), ([3, 4, 3], 3)])
    # list.remove of a missing item, then del of an empty list: the first error wins.
    check_same("list_ops", [1], 1)
    check_same("list_ops", [1, 2], 9)
    check_all(check_same, "clear_list", [([],), (["a"],)])


def test_list_index_message_shows_repr(check_same: CheckSame) -> None:
    for x in ["z", "it's", 'say "hi"', "a\\b", "tab\t", "\x7f"]:
        outcome = check_same("index_missing", ["a"], x)
        assert outcome.exception is not None and "is not in list" in outcome.exception[1]
    check_same("index_missing", ["a", "\u00e9"], "\u00e9")
    # repr of non-ASCII text is Python's to write (printable or escaped).
    check_same("index_missing", ["a"], "\u00e9\u200b", fallback=True)


def test_dict_methods(check_same: CheckSame) -> None:
    check_all(
        check_same,
        "dict_ops",
        [({"a": 1, "x": 2, "z": 0}, "a"), ({}, "k"), ({"x": 5}, "x"), ({"z": 1}, "z")],
    )
    check_all(check_same, "clear_dict", [({1: 1, 3: 3},), ({},)])


def test_dict_key_errors_carry_the_key(check_same: CheckSame) -> None:
    assert check_same("pop_missing", {"a": 1}, "b").exception == ("KeyError", "'b'")
    check_same("pop_missing", {"a": 1}, "a")
    check_same("del_missing", {(1, "a"): 1}, (2, "b"))
    check_same("del_missing", {(1, "a"): 1, (2, "b"): 2}, (1, "a"))


def test_setdefault_groups(check_same: CheckSame) -> None:
    words = ["apple", "avocado", "banana", "", "blueberry", "cherry"]
    outcome = check_same("group_setdefault", words)
    assert list(outcome.value) == ["a", "b", "", "c"]
    check_same("group_setdefault", [])
