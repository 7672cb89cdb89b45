"""The typed IR the frontend builds (no Rust build): inferred locals, signatures, lowering."""

from __future__ import annotations

import ast
import math
import textwrap

import pytest

from pytest_rustify.errors import Refusal
from pytest_rustify.translate import ir
from pytest_rustify.translate.frontend import FunctionSource, TypeEvidence, translate_function
from pytest_rustify.translate.rtypes import (
    BOOL,
    COMPLEX,
    FLOAT,
    INT,
    NONE,
    STR,
    DictT,
    ListT,
    TupleT,
)
from pytest_rustify.translate.rust import generate_crate, rust_signature


def translate(
    source: str,
    evidence: TypeEvidence | None = None,
    module_globals: dict[str, object] | None = None,
) -> ir.Function | Refusal:
    """Translate the last function of ``source`` (a module's text)."""
    tree = ast.parse(textwrap.dedent(source))
    node = [n for n in tree.body if isinstance(n, ast.FunctionDef)][-1]
    src = FunctionSource(f"pkg.mod:{node.name}", "pkg/mod.py", node, tree, module_globals or {})
    return translate_function(src, evidence or TypeEvidence())


def function(source: str, evidence: TypeEvidence | None = None) -> ir.Function:
    result = translate(source, evidence)
    assert isinstance(result, ir.Function), result
    return result


def returned(fn: ir.Function) -> ir.Expr:
    last = fn.body[-1]
    assert isinstance(last, ir.Return) and last.value is not None, last
    return last.value


# -- inferred local types ----------------------------------------------------------------


def test_empty_list_learns_its_element_type_from_append() -> None:
    fn = function(
        """
        def scaled(xs: list[float], k: float):
            out = []
            for x in xs:
                out.append(x * k)
            return out
        """
    )
    assert fn.locals == (("out", ListT(FLOAT)), ("x", FLOAT))
    assert fn.ret == ListT(FLOAT)  # no return annotation: inferred too


def test_empty_list_learns_nested_rows() -> None:
    fn = function(
        """
        def grid(n: int) -> list[list[int]]:
            out = []
            for i in range(n):
                row = []
                for j in range(n):
                    row.append(i * j)
                out.append(row)
            return out
        """
    )
    assert dict(fn.locals) == {"out": ListT(ListT(INT)), "i": INT, "row": ListT(INT), "j": INT}


def test_dict_learns_types_from_get_and_item_assignment() -> None:
    source = """
        def counts(words: list[str]) -> dict[str, int]:
            d = {}
            for w in words:
                d[w] = d.get(w, 0) + 1
            return d
        """
    fn = function(source)
    assert fn.locals == (("d", DictT(STR, INT)), ("w", STR))
    unannotated = function(source.replace(" -> dict[str, int]", ""))
    assert unannotated.ret == DictT(STR, INT)


def test_return_annotation_types_an_empty_literal() -> None:
    fn = function(
        """
        def nothing(n: int) -> list[str]:
            return []
        """
    )
    value = returned(fn)
    assert isinstance(value, ir.ListLit) and value.type == ListT(STR)


def test_comprehension_variables_get_their_own_names() -> None:
    fn = function(
        """
        def f(xs: list[int]) -> int:
            x = 100
            ys = [x * 2 for x in xs]
            return x + len(ys)
        """
    )
    names = dict(fn.locals)
    assert names["x"] == INT and names["ys"] == ListT(INT)
    comp_names = [n for n in names if n.startswith("$c")]
    assert len(comp_names) == 1 and comp_names[0].endswith("_x")


def test_int_and_float_accumulator_is_a_conflict() -> None:
    result = translate(
        """
        def total(xs: list[float]) -> float:
            t = 0
            for x in xs:
                t += x
            return t
        """
    )
    assert isinstance(result, Refusal) and result.code == "type-conflict"
    assert "0.0" in result.message  # the hint: initialise float accumulators as 0.0
    assert result.line == 5


# -- types from evidence -------------------------------------------------------------------


def test_types_from_observed_calls() -> None:
    source = """
        def f(x, y):
            return x * y
        """
    fn = function(source, TypeEvidence(params={"x": FLOAT, "y": INT}, ret=FLOAT))
    assert fn.signature == "f(x: float, y: int) -> float"
    value = returned(fn)
    assert isinstance(value, ir.BinOp) and value.type == FLOAT
    assert isinstance(value.right, ir.Call) and value.right.func == "to_float"
    missing = translate(source, TypeEvidence(params={"x": FLOAT}))
    assert isinstance(missing, Refusal) and missing.code == "type-unknown"
    assert "`y`" in missing.message


def test_observed_types_must_agree_with_annotations() -> None:
    source = """
        def f(x: int) -> int:
            return x
        """
    conflict = translate(source, TypeEvidence(params={"x": FLOAT}))
    assert isinstance(conflict, Refusal) and conflict.code == "type-conflict"
    ret_conflict = translate(source, TypeEvidence(ret=STR))
    assert isinstance(ret_conflict, Refusal) and ret_conflict.code == "type-conflict"
    agreeing = function(source, TypeEvidence(params={"x": INT}, ret=INT))
    assert agreeing.signature == "f(x: int) -> int"


def test_observed_element_type_completes_an_empty_list() -> None:
    fn = function(
        """
        def f(xs, n: int):
            return len(xs) + n
        """,
        TypeEvidence(params={"xs": ListT(STR)}),
    )
    assert fn.params[0] == ir.Param("xs", ListT(STR))


# -- signatures -----------------------------------------------------------------------


def test_signature_and_rust_signature() -> None:
    fn = function(
        """
        def mean(xs: list[float]) -> float:
            return sum(xs) / len(xs)
        """
    )
    assert fn.signature == "mean(xs: list[float]) -> float"
    assert rust_signature(fn) == "fn mean(xs: Vec<f64>) -> f64"
    assert fn.line == 2 and fn.target == "pkg.mod:mean" and fn.file == "pkg/mod.py"


def test_rust_signature_of_every_type() -> None:
    fn = function(
        """
        def f(d: dict[str, int], t: tuple[int, str], z: complex, b: bool) -> tuple[float]:
            return (1.0,)
        """
    )
    assert fn.signature == (
        "f(d: dict[str, int], t: tuple[int, str], z: complex, b: bool) -> tuple[float]"
    )
    assert rust_signature(fn) == (
        "fn f(d: IndexMap<Rc<str>, i64>, t: (i64, Rc<str>), z: Complex<f64>, b: bool) -> (f64,)"
    )
    none = function(
        """
        def check(x: int) -> None:
            assert x > 0
        """
    )
    assert none.signature == "check(x: int) -> None"
    assert rust_signature(none) == "fn check(x: i64) -> ()"


def test_defaults_are_constants_of_the_parameter_type() -> None:
    fn = function(
        """
        def f(xs: list[float], window: int = 3, scale: float = -0.0, tag: str = "a") -> float:
            return scale
        """
    )
    defaults = [p.default for p in fn.params]
    assert defaults[0] is None
    assert defaults[1] == ir.Const(INT, 3)
    assert defaults[2] is not None and math.copysign(1.0, defaults[2].value) == -1.0  # type: ignore[arg-type]
    assert defaults[3] == ir.Const(STR, "a")
    wrong = translate(
        """
        def f(x: float = 1) -> float:
            return x
        """
    )
    assert isinstance(wrong, Refusal) and wrong.code == "default"


# -- lowering keeps Python's meaning ----------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "rtype", "op"),
    [
        ("a // b", INT, "//"),
        ("a % b", INT, "%"),
        ("a / b", FLOAT, "/"),
        ("a ** b", INT, "**"),
        ("a ** -1", FLOAT, "**"),
        ("a * 0.5", FLOAT, "*"),
    ],
)
def test_int_operators_have_pythons_result_types(expr: str, rtype: object, op: str) -> None:
    fn = function(
        f"""
        def f(a: int, b: int):
            return {expr}
        """
    )
    value = returned(fn)
    assert isinstance(value, ir.BinOp) and (value.type, value.op) == (rtype, op)


def test_bools_are_promoted_to_int_in_arithmetic() -> None:
    fn = function(
        """
        def f(a: bool, b: bool) -> int:
            return a + b
        """
    )
    value = returned(fn)
    assert isinstance(value, ir.BinOp) and value.type == INT
    for operand in (value.left, value.right):
        assert isinstance(operand, ir.Call) and operand.func == "to_int"
        assert operand.args[0].type == BOOL


def test_range_with_a_negative_step_keeps_its_step() -> None:
    fn = function(
        """
        def f(n: int) -> int:
            t = 0
            for i in range(n, 0, -1):
                t += i
            return t
        """
    )
    loop = fn.body[1]
    assert isinstance(loop, ir.For) and isinstance(loop.iter, ir.IterRange)
    assert loop.iter.step == ir.Const(INT, -1)
    assert loop.iter.stop == ir.Const(INT, 0)


def test_chained_comparison_is_one_node() -> None:
    fn = function(
        """
        def f(a: int, b: float, c: int) -> bool:
            return a < b <= c
        """
    )
    value = returned(fn)
    assert isinstance(value, ir.Compare)
    assert value.ops == ("<", "<=") and len(value.comparators) == 2


def test_and_or_keep_the_operand_type() -> None:
    fn = function(
        """
        def f(a: str, b: str) -> str:
            return a or b
        """
    )
    value = returned(fn)
    assert isinstance(value, ir.BoolOp) and value.type == STR and value.op == "or"


def test_complex_abs_is_a_float() -> None:
    fn = function(
        """
        def f(z: complex) -> float:
            return abs(z * 2)
        """
    )
    value = returned(fn)
    assert isinstance(value, ir.Call) and value.type == FLOAT
    assert value.args[0].type == COMPLEX


def test_math_constants_are_inlined() -> None:
    result = translate(
        """
        import math

        def f(x: float) -> float:
            return x * math.pi
        """,
        module_globals={"math": math},
    )
    assert isinstance(result, ir.Function)
    value = returned(result)
    assert isinstance(value, ir.BinOp) and value.right == ir.Const(FLOAT, math.pi)


def test_module_constants_are_inlined_only_when_never_rebound() -> None:
    source = """
        LIMIT = 10

        def f(x: int) -> int:
            return min(x, LIMIT)
        """
    fn = translate(source, module_globals={"LIMIT": 10})
    assert isinstance(fn, ir.Function)
    value = returned(fn)
    assert isinstance(value, ir.Call) and value.args[1] == ir.Const(INT, 10)
    rebound = translate(textwrap.dedent(source) + "\nLIMIT = 20\n", module_globals={"LIMIT": 20})
    assert isinstance(rebound, Refusal) and rebound.code == "global"


def test_none_function_has_no_return_value() -> None:
    fn = function(
        """
        def check(x: int) -> None:
            if x < 0:
                raise ValueError("negative")
        """
    )
    assert fn.ret == NONE
    raise_stmt = fn.body[0]
    assert isinstance(raise_stmt, ir.If)
    assert raise_stmt.body == (ir.Raise(4, "ValueError", ir.Const(STR, "negative")),)


def test_tuple_results_stay_tuples() -> None:
    fn = function(
        """
        def f(a: int, b: str):
            return b, a
        """
    )
    assert fn.ret == TupleT((STR, INT))
    assert isinstance(returned(fn), ir.TupleLit)


@pytest.mark.parametrize(("version", "neumaier"), [((3, 11), "false"), ((3, 12), "true")])
def test_float_sum_follows_the_interpreter_version(version: tuple[int, int], neumaier: str) -> None:
    fn = function(
        """
        def total(xs: list[float]) -> float:
            return sum(xs)
        """
    )
    lib = generate_crate(ir.Module((fn,), version))["src/lib.rs"]
    assert f"pub const NEUMAIER_SUM: bool = {neumaier};" in lib
