"""IR -> Rust for the math functions that ``mathlib.py`` translates.

Input: an ``ir.Call`` of ``math.<name>`` (or an ``ir.Reduce`` of ``math.fsum`` and
``math.prod``) and the function's emitter (``rust._Emitter``). Output: a Rust
expression calling the ports of ``runtime_math.rs``::

    Call(float, "math.hypot", (x, y))      ->  rt::math_hypot(&[v_x, v_y])
    Call(float, "math.fsum", (xs,))        ->  rt::math_fsum(&v_xs)?

Arguments are evaluated left to right, in the order Python evaluates them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ir
from .rtypes import BOOL, FLOAT, INT, ListT, TupleT

if TYPE_CHECKING:
    from .rust import _Emitter

_FALLIBLE_2 = {
    "atan2": "math_atan2",
    "pow": "math_pow",
    "fmod": "math_fmod",
    "log": "math_log_base",
    "comb": "math_comb",
}


def call(em: _Emitter, name: str, args: tuple[ir.Expr, ...]) -> str | None:
    """The Rust of a math call translated by mathlib.py; None for the others."""
    vals = [em.val(a) for a in args]
    if name in _FALLIBLE_2 and len(args) == 2:
        return f"rt::{_FALLIBLE_2[name]}({vals[0]}, {vals[1]})?"
    if name in ("radians", "degrees"):
        return f"rt::math_{name}({vals[0]})"
    if name == "isclose":
        return f"rt::math_isclose({', '.join(vals)})?"
    if name == "isclose_swapped":
        # a, b, abs_tol, rel_tol: bound in that order, passed in the runtime's.
        t = [em.tmp("c") for _ in vals]
        binds = " ".join(f"let {n} = {v};" for n, v in zip(t, vals, strict=True))
        return f"{{ {binds} rt::math_isclose({t[0]}, {t[1]}, {t[3]}, {t[2]})? }}"
    if name == "hypot":
        return f"rt::math_hypot(&[{', '.join(vals)}])"
    if name == "gcd":
        return f"rt::math_gcd(&[{', '.join(vals)}])?"
    if name == "factorial" or (name == "perm" and len(args) == 1):
        return f"rt::math_factorial({vals[0]})?"
    if name == "perm":
        return f"rt::math_perm({vals[0]}, {vals[1]})?"
    if name == "dist":
        return f"rt::math_dist({_point(em, args[0])}, {_point(em, args[1])})?"
    if name in ("fsum", "prod"):
        elem = args[0].type.elem  # type: ignore[attr-defined]
        seq = em.ref(args[0])
        if name == "prod":
            return f"rt::math_prod_{'f' if elem == FLOAT else 'i'}({seq})?"
        if elem == INT:
            seq = f"&rt::floats_of_ints({seq})"
        return f"rt::math_fsum({seq})?"
    return None


def _point(em: _Emitter, e: ir.Expr) -> str:
    """A point of math.dist as a borrowed slice of floats."""
    t = e.type
    if isinstance(t, ListT):
        return em.ref(e) if t.elem == FLOAT else f"&rt::floats_of_ints({em.ref(e)})"
    assert isinstance(t, TupleT)
    p = em.tmp("p")
    items = ", ".join(_as_float(f"{p}.{i}", x) for i, x in enumerate(t.elems))
    return f"&{{ let {p} = {em.val(e)}; [{items}] }}"


def _as_float(v: str, t: object) -> str:
    if t == FLOAT:
        return v
    if t == BOOL:
        return f"rt::i2f({v} as i64)"
    return f"rt::i2f({v})"


def reduce(em: _Emitter, e: ir.Reduce) -> str:
    """math.fsum or math.prod of elements made one at a time by nested loops."""
    acc = em.tmp("acc")
    x = em.val(e.elt)
    if e.op == "math.fsum":
        x = x if e.elt.type == FLOAT else f"rt::i2f({x})"
        pre = f"let mut {acc} = rt::MathFsum::new();"
        body = f"{acc}.add({x})?;"
        result = f"{acc}.finish()?"
    elif e.type == INT:
        pre = f"let mut {acc}: i64 = 1;"
        body = f"{acc} = rt::mul_i({acc}, {x})?;"
        result = acc
    else:
        # Python's product starts from the int 1: 1 * x is x, and no element leaves the
        # int 1, which a float result cannot be.
        pre = f"let mut {acc}: Option<f64> = None;"
        step = f"match {acc} {{ None => __x, Some(__a) => __a * __x }}"
        body = f"{{ let __x = {x}; {acc} = Some({step}); }}"
        result = (
            f"match {acc} {{ Some(__a) => __a, None => return rt::fallback("
            '"math.prod() of no floats is the int 1") }'
        )
    inner = em.generator_loops(e.generators, [body])
    return "{ " + pre + " " + " ".join(inner) + f" {result} }}"
