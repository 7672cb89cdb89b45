"""The math module beyond the one-argument functions: AST -> IR.

Input: the frontend's translator (``frontend._FunctionTranslator``), the name of a
``math`` function and its call node. Output: an IR expression, ``None`` when
``frontend._math`` handles the call (the one-argument functions, floor, copysign ...),
or a Refusal::

    math.atan2(y, x)                  -> Call(float, "math.atan2", (y, x))
    math.log(x, 10)                   -> Call(float, "math.log", (x, Const(10.0)))
    math.isclose(a, b, abs_tol=1e-9)  -> Call(bool, "math.isclose", (a, b, 1e-09, 1e-09))
    math.fsum(v * w for v, w in ...)  -> Reduce(float, "math.fsum", v * w, (CompFor(...),))

Arguments are converted as CPython's math module converts them: an int (or bool) where
a float is expected becomes the float ``float(i)`` gives. The runtime
(``runtime_math.rs``) ports ``Modules/mathmodule.c`` of CPython 3.10 to 3.13; its
results and messages for other versions were not checked, so those are refused.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, NoReturn

from ..errors import RefusalError
from . import ir, methods
from .rtypes import BOOL, FLOAT, INT, ListT, RType, TupleT, Unknown

if TYPE_CHECKING:
    from .frontend import _FunctionTranslator as Tr

# The CPython versions whose mathmodule.c the runtime ports (vector_norm has one port
# for 3.10-3.11 and one for 3.12-3.13, chosen by the crate's PY_MINOR).
PORTED = ((3, 10), (3, 13))
FUNCTIONS = frozenset(
    {
        "atan2",
        "pow",
        "fmod",
        "log",
        "radians",
        "degrees",
        "isclose",
        "gcd",
        "factorial",
        "comb",
        "perm",
        "prod",
        "fsum",
        "hypot",
        "dist",
    }
)
# keyword arguments taken, per function (all keyword-only in CPython); methods.py's
# takes_keywords lets them through the frontend's check of keywords
KEYWORDS = {"isclose": ("rel_tol", "abs_tol")}
_ISCLOSE_DEFAULTS = {"rel_tol": 1e-09, "abs_tol": 0.0}


def _refuse(code: str, message: str, node: ast.AST) -> NoReturn:
    raise RefusalError(code, message, getattr(node, "lineno", 0))


def call(tr: Tr, fname: str, node: ast.Call) -> ir.Expr | None:
    """A call of ``math.<fname>`` translated here; None leaves it to ``frontend._math``."""
    if fname not in FUNCTIONS or (fname == "log" and len(node.args) == 1):
        return None
    version = tr.src.python_version
    if not PORTED[0] <= version <= PORTED[1]:
        _refuse(
            "math-version",
            f"`math.{fname}()` is ported from CPython 3.10 to 3.13, not for Python "
            f"{version[0]}.{version[1]}",
            node,
        )
    allowed = KEYWORDS.get(fname, ())
    for k in node.keywords:
        if k.arg not in allowed:
            _refuse(
                "unsupported-syntax",
                f"the keyword argument `{k.arg}` of `math.{fname}()` is not supported",
                node,
            )
    if fname in ("atan2", "pow", "fmod", "log"):
        x, y = (_float(tr, a, fname, node) for a in _positional(tr, node, fname, (2,)))
        return ir.Call(FLOAT, f"math.{fname}", (x, y))
    if fname in ("radians", "degrees"):
        (x,) = (_float(tr, a, fname, node) for a in _positional(tr, node, fname, (1,)))
        return ir.Call(FLOAT, f"math.{fname}", (x,))
    if fname == "isclose":
        return _isclose(tr, node)
    if fname == "hypot":
        coords = tuple(_float(tr, a, fname, node) for a in _positional(tr, node, fname, None))
        return ir.Call(FLOAT, "math.hypot", coords)
    if fname == "dist":
        p, q = _positional(tr, node, fname, (2,))
        return ir.Call(FLOAT, "math.dist", (_point(tr, p, node), _point(tr, q, node)))
    if fname == "gcd":
        ints = tuple(_int(tr, a, fname, node) for a in _positional(tr, node, fname, None))
        return ir.Call(INT, "math.gcd", ints)
    if fname in ("factorial", "comb", "perm"):
        counts = {"factorial": (1,), "comb": (2,), "perm": (1, 2)}[fname]
        ints = tuple(_int(tr, a, fname, node) for a in _positional(tr, node, fname, counts))
        return ir.Call(INT, f"math.{fname}", ints)
    return _consume(tr, fname, node)


def _positional(
    tr: Tr, node: ast.Call, fname: str, counts: tuple[int, ...] | None
) -> list[ir.Expr]:
    if counts is not None and len(node.args) not in counts:
        _refuse("call", f"`math.{fname}` with {len(node.args)} arguments is not supported", node)
    return [tr._expr(a) for a in node.args]


def _float(tr: Tr, e: ir.Expr, fname: str, node: ast.AST) -> ir.Expr:
    """``e`` as the double CPython's argument conversion makes of it."""
    t = tr._numeric(e, node)
    if t == BOOL:
        e, t = tr._promote(e, INT), INT
    if t not in (INT, FLOAT):
        _refuse("type", f"math.{fname}() of {t} is not supported", node)
    return tr._promote(e, FLOAT)


def _int(tr: Tr, e: ir.Expr, fname: str, node: ast.AST) -> ir.Expr:
    t = tr._numeric(e, node)
    if t == BOOL:
        return tr._promote(e, INT)
    if t != INT:
        _refuse("type", f"math.{fname}() of {t} is not supported (ints only)", node)
    return e


def _point(tr: Tr, e: ir.Expr, node: ast.AST) -> ir.Expr:
    """A point of math.dist: a list of ints or floats, or a tuple of numbers."""
    t = tr._numeric(e, node)
    if isinstance(t, ListT) and t.elem in (INT, FLOAT):
        return e
    if isinstance(t, TupleT) and all(x in (INT, FLOAT, BOOL) for x in t.elems):
        return e
    _refuse("type", f"math.dist() of {t} is not supported (a list or tuple of numbers)", node)


def _isclose(tr: Tr, node: ast.Call) -> ir.Expr:
    a, b = (_float(tr, x, "isclose", node) for x in _positional(tr, node, "isclose", (2,)))
    given = {k.arg: _float(tr, tr._expr(k.value), "isclose", node) for k in node.keywords}
    tol = {
        name: given.get(name, ir.Const(FLOAT, default))
        for name, default in _ISCLOSE_DEFAULTS.items()
    }
    # Python evaluates keyword arguments in the order written: abs_tol before rel_tol
    # is the swapped form, so the generated code can evaluate them in that order.
    order = [k.arg for k in node.keywords]
    if order == ["abs_tol", "rel_tol"]:
        return ir.Call(BOOL, "math.isclose_swapped", (a, b, tol["abs_tol"], tol["rel_tol"]))
    return ir.Call(BOOL, "math.isclose", (a, b, tol["rel_tol"], tol["abs_tol"]))


def _consume(tr: Tr, fname: str, node: ast.Call) -> ir.Expr:
    """math.fsum and math.prod of a list, or of any iterable the consuming builtins take
    (a generator expression, range, zip ...), element by element."""
    if len(node.args) != 1:
        _refuse("call", f"`math.{fname}` with {len(node.args)} arguments is not supported", node)
    arg = node.args[0]
    if not methods._needs_source(tr, arg):
        seq = tr._expr(arg)
        t = tr._numeric(seq, node)
        assert isinstance(t, ListT)
        if isinstance(t.elem, Unknown):
            methods._pending(node)
        if t.elem not in (INT, FLOAT):
            _refuse("type", f"math.{fname}() of {t} is not supported (ints or floats)", node)
        return ir.Call(_result(fname, t.elem), f"math.{fname}", (seq,))
    elt, gens = methods.source(tr, arg)
    et: RType = tr._numeric(elt, node)
    if et not in (INT, FLOAT):
        _refuse("type", f"math.{fname}() of {et} items is not supported (ints or floats)", node)
    return ir.Reduce(_result(fname, et), f"math.{fname}", elt, gens)


def _result(fname: str, elem: RType) -> RType:
    return FLOAT if fname == "fsum" else elem
