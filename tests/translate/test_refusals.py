"""Constructs the translator must refuse: the reason code, a word naming the construct,
and the line (in the module) the refusal points at.

The functions live in ``corpus/refused.py``; a ``# refuse: <tag>`` comment marks the line
each refusal must name. Nothing here is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pytest_rustify.errors import Refusal
from pytest_rustify.translate import ir

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
    ("mutates_argument", "mutates-argument", "`xs`", "append-arg"),
    ("sets_argument_item", "mutates-argument", "`xs`", "setitem-arg"),
    ("mutates_alias", "aliasing", "`a`", "alias"),
    ("mutates_loop_row", "aliasing", "`row`", "loop-row"),
    ("repeated_row", "aliasing", "[row] * n", "row-repeat"),
    ("mutates_iterated", "mutates-iterable", "`xs`", "iterated"),
    ("calls_helper", "call", "helper", "user-call"),
    ("recursive", "call", "recursive", "recursion"),
    ("global_list", "global", "list", "global-list"),
    ("round_digits", "round-digits", "round", "round-digits"),
    ("float_keys", "dict-key", "float", "float-key"),
    ("float_key_literal", "dict-key", "float", "float-key-literal"),
    ("in_float_list", "float-identity", "`in`", "float-in"),
    ("float_list_equal", "float-identity", "`==`", "float-eq"),
    ("set_literal", "unsupported-syntax", "sets", "set"),
    ("generator_expression", "unsupported-syntax", "generator", "genexp"),
    ("walrus", "unsupported-syntax", "walrus", "walrus"),
    ("is_none", "unsupported-syntax", "`is`", "is"),
    ("keyword_call", "unsupported-syntax", "keyword", "keyword-call"),
    ("str_of_int", "builtin", "str()", "str-call"),
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


# -- refusals that name the wrong construct or line ---------------------------------------

WRONG_REASON = [
    pytest.param(
        "with_with",
        "unsupported-syntax",
        "with",
        "with",
        marks=pytest.mark.xfail(
            reason="a `with ... as f` block is refused as \"`f` may be unbound here\" (code "
            "`unbound`) on the line after the `with`: the definite-assignment check runs "
            "before the statement walk and does not know `as` targets",
            strict=True,
        ),
        id="with_with",
    ),
    pytest.param(
        "uses_global",
        "unsupported-syntax",
        "global",
        "global",
        marks=pytest.mark.xfail(
            reason="`global COUNTER` is refused as \"`COUNTER` may be unbound here\" (code "
            "`unbound`) on the next line, not as the `global` statement",
            strict=True,
        ),
        id="uses_global",
    ),
    pytest.param(
        "truth_of_none",
        "unsupported-syntax",
        "None",
        "none-truth",
        marks=pytest.mark.xfail(
            reason="`if y:` with y = None is refused at line 0: frontend._truth refuses with "
            "a literal 0 instead of the node",
            strict=True,
        ),
        id="truth_of_none",
    ),
]


@pytest.mark.parametrize(("name", "code", "word", "tag"), WRONG_REASON)
def test_refusal_names_the_construct(
    refused: RefusedCorpus, name: str, code: str, word: str, tag: str
) -> None:
    result = _refusal(refused, name)
    assert (result.code, result.line) == (code, refused.lines[tag]), result
    assert word in result.message, result


@pytest.mark.xfail(
    reason="`for x in reversed(xs)` is refused with \"`reversed()` is supported only as the "
    "iterable of a `for`\", which is exactly where it stands",
    strict=True,
)
def test_reversed_in_a_for_is_not_refused_as_outside_a_for(refused: RefusedCorpus) -> None:
    result = refused.translate("reversed_refused")
    assert not (isinstance(result, Refusal) and "only as the iterable" in result.message), result


@pytest.mark.xfail(
    reason="the global tuple BOUNDS = (0.0, math.inf) is inlined through repr() and "
    "re-parsed, so `inf` becomes an undefined name: refused as \"`inf` is not defined in "
    "the module\" at line 1 (of the repr), not accepted nor refused at the use",
    strict=True,
)
def test_global_tuple_with_infinity(refused: RefusedCorpus) -> None:
    result = refused.translate("global_inf_tuple")
    if isinstance(result, Refusal):
        assert result.line == refused.lines["inf-tuple"], result


@pytest.mark.xfail(
    reason="`y` is bound on every path that reaches `return y` (the loop always binds it "
    "before its break), but the translator refuses it as may-be-unbound",
    strict=True,
)
def test_bound_before_break_in_while_true_is_accepted(refused: RefusedCorpus) -> None:
    assert isinstance(refused.translate("while_true_break_bound"), ir.Function)


# -- constructs accepted that must be refused ------------------------------------------------

# function, reason code, tag, what goes wrong today
MUST_REFUSE = [
    (
        "unbound_after_break",
        "unbound",
        "break-unbound",
        "a for-loop with a break and an else that returns: after the loop `y` is unbound "
        "when the first item breaks; Python raises UnboundLocalError, the Rust build "
        "returns 0 (the definite-assignment check treats the code after the loop as "
        "unreachable because the else returns)",
    ),
    (
        "unbound_after_while_break",
        "unbound",
        "while-break-unbound",
        "the same through while/else: `last` may be unbound after a break, and is accepted",
    ),
    (
        "repeat_in_place_arg",
        "mutates-argument",
        "imul-arg",
        "`xs *= n` on a list argument extends the caller's list in place in Python; the "
        "translator lowers it to `xs = xs * n`, so the caller's list stays unchanged "
        "(repeat_in_place([1, 2], 2): Python leaves [1, 2, 1, 2], Rust [1, 2])",
    ),
    (
        "repeat_in_place_alias",
        "aliasing",
        "imul-alias",
        "`xs = ys; xs *= n` changes ys in Python; lowered to a rebinding, ys is unchanged "
        "(repeat_alias(2): Python returns [1, 2, 1, 2], Rust [1, 2])",
    ),
]


@pytest.mark.parametrize(
    ("name", "code", "tag"),
    [
        pytest.param(name, code, tag, marks=pytest.mark.xfail(reason=why, strict=True), id=name)
        for name, code, tag, why in MUST_REFUSE
    ],
)
def test_accepted_but_must_be_refused(
    refused: RefusedCorpus, name: str, code: str, tag: str
) -> None:
    result = _refusal(refused, name)
    assert result.code == code, result
    assert result.line == refused.lines[tag], result


def test_every_tag_is_checked(refused: RefusedCorpus) -> None:
    used = {r[3] for r in REFUSALS} | {p.values[3] for p in WRONG_REASON}
    used |= {tag for _, _, tag, _ in MUST_REFUSE}
    used |= {"reversed", "inf-tuple", "while-true-bound"}
    assert used == set(refused.lines)


def test_refusal_is_a_value_not_an_exception(refused: RefusedCorpus) -> None:
    result = refused.translate("with_try")
    assert isinstance(result, Refusal)
    assert result == Refusal(
        "unsupported-syntax",
        "try/except is not supported",
        "tests/translate/corpus/refused.py",
        refused.lines["try"],
    )
