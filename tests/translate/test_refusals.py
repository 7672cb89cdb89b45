"""Constructs the translator must refuse: the reason code, a word naming the construct,
and the line (in the module) the refusal points at.

The functions live in ``corpus/refused.py``; a ``# refuse: <tag>`` comment marks the line
each refusal must name. Nothing here is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pytest_rustify.errors import Refusal

if TYPE_CHECKING:
    from conftest import RefusedCorpus

# function, reason code, a word the message must contain, the tag of the line it names
REFUSALS = [
    ("with_try", "unsupported-syntax", "try", "try"),
    ("generator", "unsupported-syntax", "yield", "yield"),
    ("with_lambda", "unsupported-syntax", "lambda", "lambda"),
    ("nested_def", "unsupported-syntax", "nested", "nested"),
    ("attribute_of_float", "attribute", ".imag", "attribute"),
    ("class_instance", "call", "Point", "class-call"),
    ("class_parameter", "annotation", "Point", "class-param"),
    ("star_args", "varargs", "*args", "varargs"),
    ("star_kwargs", "varargs", "**kwargs", "kwargs"),
    ("f_string", "unsupported-syntax", "f-string", "fstring"),
    ("maybe_unbound", "unbound", "`y`", "unbound"),
    ("loop_var_after_loop", "unbound", "`i`", "loop-unbound"),
    ("int_then_float", "type-conflict", "`total`", "int-float"),
    ("rebinds_int_to_float", "type-conflict", "`y`", "rebind-float"),
    ("mutates_argument_rows", "mutates-argument", "`grid`", "append-arg"),
    ("sets_argument_item_then_rebinds", "mutates-argument", "`xs`", "setitem-arg"),
    ("mutates_alias", "aliasing", "`a`", "alias"),
    ("mutates_loop_row", "aliasing", "`row`", "loop-row"),
    ("repeated_row", "aliasing", "[row] * n", "row-repeat"),
    ("mutates_iterated", "mutates-iterable", "`xs`", "iterated"),
    ("is_even", "recursion", "call each other", "user-call"),
    ("recursive", "recursion", "float for `n`", "recursion"),
    ("global_list", "global", "list", "global-list"),
    ("round_digits", "round-digits", "round", "round-digits"),
    ("float_keys", "dict-key", "float", "float-key"),
    ("float_key_literal", "dict-key", "float", "float-key-literal"),
    ("in_float_list", "float-identity", "`in`", "float-in"),
    ("float_list_equal", "float-identity", "`==`", "float-eq"),
    ("set_literal", "set-elem", "float", "set"),
    ("generator_expression", "unsupported-syntax", "generator", "genexp"),
    ("walrus", "unsupported-syntax", "walrus", "walrus"),
    ("is_none", "unsupported-syntax", "`is`", "is"),
    ("keyword_call", "unsupported-syntax", "keyword", "keyword-call"),
    ("str_of_list", "type", "str()", "str-call"),
    ("mixed_ifexp", "type-conflict", "conditional", "ifexp"),
    ("mixed_or", "type-conflict", "`or`", "mixed-or"),
    ("mixed_min", "type", "min()", "mixed-min"),
    ("missing_return", "missing-return", "None", "missing-return"),
    ("no_types", "type-unknown", "`x`", "no-types"),
    ("decorated", "decorator", "decorated", "decorated"),
    ("keyword_only", "signature", "keyword-only", "kwonly"),
    ("big_constant", "int-range", "9223372036854775808", "big-int"),
    ("delete", "unsupported-syntax", "del", "del"),
    ("import_inside", "unsupported-syntax", "import", "import"),
    ("bool_compare_int", "type", "bool", "bool-int"),
    ("title_case", "method", "title()", "str-method"),
    ("mixed_keys", "type-conflict", "dict literal", "mixed-keys"),
    ("with_with", "unsupported-syntax", "`with`", "with"),
    ("uses_global", "unsupported-syntax", "`global`", "global"),
    ("truth_of_none", "unsupported-syntax", "None", "none-truth"),
    ("m_hypot_unpacked", "unsupported-syntax", "`*`", "hypot-star"),
    ("m_prod_start", "unsupported-syntax", "keyword", "prod-start"),
    ("m_lcm", "math", "math.lcm", "lcm"),
    ("m_fsum_of_strs", "type", "math.fsum()", "fsum-strs"),
    ("bump_at_popped", "unsupported-syntax", "evaluated twice", "aug-pop-index"),
    ("nested_aug_pop", "unsupported-syntax", "evaluated twice", "aug-pop-container"),
    ("unbound_after_break", "unbound", "`y`", "break-unbound"),
    ("unbound_after_while_break", "unbound", "`last`", "while-break-unbound"),
    ("append_row_to_arg", "mutates-argument", "`xs`", "rows-arg"),
    ("repeat_in_place_alias", "aliasing", "`xs`", "imul-alias"),
    ("extend_item_in_place", "aliasing", "list item", "item-iadd-alias"),
    ("extend_row_in_place", "aliasing", "list item", "row-iadd-alias"),
    ("repeat_row_in_place", "aliasing", "list item", "row-imul-alias"),
    ("unknown_element", "type-unknown", "list[?]", "unknown-elem"),
    ("mutates_reversed", "mutates-iterable", "`ys`", "reversed-iterated"),
    # Python's iteration reads what the loop target stored: [1, 2, 2], not [1, 2, 3].
    ("store_into_iterated", "mutates-iterable", "`xs`", "for-target-iterated"),
    ("reversed_dict", "iteration", "reversed()", "reversed-dict"),
    # methods and consuming builtins
    ("key_builtin_unsupported", "key", "ord", "key-builtin"),
    ("key_two_params", "key", "one plain parameter", "key-params"),
    ("key_reads_sorted_list", "key", "`ys`", "key-reads-list"),
    ("key_of_list_type", "key", "list[int]", "key-list"),
    ("sorted_lists_no_key", "type", "sorted()", "sorted-lists"),
    ("index_in_floats", "float-identity", "list.index()", "float-index"),
    ("min_default_call", "call", "default=", "min-default"),
    ("min_several_with_key", "call", "key=", "min-several-key"),
    ("extend_from_itself", "mutates-iterable", "`xs`", "extend-itself"),
    ("stored_view", "iteration", "dict.keys()", "stored-view"),
    ("delete_name", "unsupported-syntax", "del y", "del-name"),
    ("setdefault_alias", "aliasing", "`bucket`", "setdefault-alias"),
    ("float_join", "type", "join()", "join-floats"),
    ("tuple_of_gen", "unsupported-syntax", "generator", "tuple-gen"),
    ("sort_through_call", "unsupported-syntax", "through a call", "sort-through-call"),
    ("sorts_alias_by_key", "aliasing", "`a`", "sort-key-alias"),
    # Python's copy holds the same rows: [[0, n], [1]], where a Rust copy kept [[0], [1]].
    ("comprehension_shares_rows", "aliasing", "`rows`", "comp-rows-shared"),
    # Python returns the caller's own object there; a copy is another object.
    ("returns_argument_or_empty", "returns-argument", "`xs`", "returns-arg-or"),
    ("returns_inner_list", "returns-argument", "`d`", "returns-inner"),
    ("helper_returns_argument", "returns-argument", "`xs`", "helper-returns-arg"),
    # NumPy: views, aliases and NumPy's own booleans cannot be kept exactly.
    ("array_slice", "array-view", "view", "array-slice"),
    ("array_row", "array-view", "a[i][j]", "array-row"),
    ("array_alias", "array-alias", "`b", "array-alias"),
    ("returns_argument_array", "array-alias", "`a`", "array-return-arg"),
    ("float_into_int_array", "type", "int64 array", "array-float-into-int"),
    ("arrays_in_list", "array-container", "container", "array-in-list"),
    ("numpy_sum", "numpy", "np.sum", "np-sum"),
    ("numpy_bool_value", "numpy-bool", "np.bool", "np-bool"),
    ("whole_array_add", "array-arithmetic", "whole arrays", "array-add"),
    ("iterate_rows", "array-view", "2-D", "array-rows"),
    ("bare_ndarray", "type-unknown", "number of dimensions", "array-bare"),
    ("bool_index", "array-index", "mask", "array-bool-index"),
    ("array_truth", "array-truth", "ambiguous", "array-truth"),
    ("array_method", "method", ".sum()", "array-method"),
    ("float32_zeros", "dtype", "np.float32", "array-float32"),
    # Sets: nothing may observe their iteration order (CPython's hash order).
    ("set_to_list", "set-order", "list()", "set-list"),
    ("set_pop", "set-order", "pop()", "set-pop"),
    ("loop_appends_set_items", "set-order", ".append()", "set-loop-append"),
    ("list_comp_over_set", "set-order", "list comprehension", "set-listcomp"),
    ("set_comp_may_raise", "set-order", "key lookup", "set-comp-raise"),
    ("loop_reads_what_it_changes", "set-order", "`kept`", "set-loop-reads"),
    ("loop_item_read_after", "set-order", "`x`", "set-loop-last"),
    ("enumerate_set", "set-order", "enumerate()", "set-enumerate"),
    ("loop_adds_and_removes", "set-order", "adds to and removes from `t`", "set-add-remove"),
    ("loop_breaks_on_set", "set-order", "(assign)", "set-loop-assign"),
    ("adds_to_argument", "mutates-argument", "`s`", "set-arg-add"),
    ("ior_argument", "mutates-argument", "`s`", "set-arg-ior"),
    ("set_alias", "aliasing", "`b`", "set-alias"),
    ("set_changed_while_iterated", "mutates-iterable", "`t`", "set-iterated"),
    ("bitwise_or", "type", "`|`", "int-bitor"),
]


def _refusal(refused: RefusedCorpus, name: str) -> Refusal:
    result = refused.translate(name)
    assert isinstance(result, Refusal), f"{name} was translated, expected a refusal"
    return result


@pytest.mark.parametrize(("name", "code", "word", "tag"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refused_with_reason_and_line(
    refused: RefusedCorpus, name: str, code: str, word: str, tag: str
) -> None:
    result = _refusal(refused, name)
    assert result.code == code, result
    assert word in result.message, result
    assert result.line == refused.lines[tag], result
    assert result.file == "tests/translate/corpus/refused.py"
    assert str(result) == f"{result.file}:{result.line}: {result.message}"


@pytest.mark.parametrize("name", ["repeat_in_place_alias"])
def test_in_place_repetition_refusal_names_the_operator(refused: RefusedCorpus, name: str) -> None:
    message = _refusal(refused, name).message
    assert "*=" in message and "repeat_in_place" not in message, message


def test_type_unknown_is_a_refusal_not_a_crash(refused: RefusedCorpus) -> None:
    # Before, such a value reached the code generator, which raised AssertionError.
    result = _refusal(refused, "unknown_element")
    assert "annotate" in result.message, result


# -- constructs accepted that must be refused ------------------------------------------------

# function, reason code, tag, what went wrong before it was refused
MUST_REFUSE = [
    (
        "repeat_rows_in_place",
        "aliasing",
        "rows-imul",
        "`rows *= n` on a list of lists shares the rows in Python (as `[row] * n` does, "
        "which is refused as aliasing), but is translated to a repetition of copies: "
        "repeat_rows_in_place(2) (`rows = [[0]]; rows *= n; rows[0].append(1)`) returns "
        "[[0, 1], [0, 1]] in Python, [[0, 1], [0]] in the Rust build",
    ),
]


@pytest.mark.parametrize(
    ("name", "code", "tag"),
    [pytest.param(name, code, tag, id=name) for name, code, tag, _why in MUST_REFUSE],
)
def test_accepted_but_must_be_refused(
    refused: RefusedCorpus, name: str, code: str, tag: str
) -> None:
    result = _refusal(refused, name)
    assert result.code == code, result
    assert result.line == refused.lines[tag], result


def test_every_tag_is_checked(refused: RefusedCorpus) -> None:
    used = {r[3] for r in REFUSALS} | {tag for _, _, tag, _ in MUST_REFUSE}
    assert used == set(refused.lines)


def test_every_refused_function_is_checked(refused: RefusedCorpus) -> None:
    checked = {r[0] for r in REFUSALS} | {name for name, _, _, _ in MUST_REFUSE}
    helpers = {"is_odd"}  # called by is_even, not a case of its own
    assert set(refused.functions) - helpers == checked


def test_refusal_is_a_value_not_an_exception(refused: RefusedCorpus) -> None:
    result = refused.translate("with_try")
    assert isinstance(result, Refusal)
    assert result == Refusal(
        "unsupported-syntax",
        "try/except is not supported",
        "tests/translate/corpus/refused.py",
        refused.lines["try"],
    )
