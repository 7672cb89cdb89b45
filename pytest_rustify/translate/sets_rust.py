"""Set operations of the IR -> Rust, for ``rust.py`` (which calls in here).

Input: the IR nodes ``sets.py`` builds (``Call("set.union", ...)``, a ``Method`` on a
set, a comparison with a set operand). Output: Rust expressions over ``rt::Set``, an
insertion-ordered hash set (no code can observe its order, see ``sets.py``)::

    Call(set[int], "set.union", (a, b))     -> rt::set_union(&v_a, &v_b)
    Method(None, s, "add", (x,))            -> { let __a1 = v_x; (&mut v_s).insert(__a1); }
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ir
from .rtypes import BOOL, STR, DictT, ListT, RType, SetT

if TYPE_CHECKING:
    from .rust import _Emitter

# Method -> the runtime helper that takes (&mut set, &other).
_UPDATES = {
    "intersection_update": "set_intersection_update",
    "difference_update": "set_difference_update",
    "symmetric_difference_update": "set_symmetric_difference_update",
}


def call(g: _Emitter, e: ir.Call) -> str:
    from .rust import rust_type

    op = e.func.removeprefix("set.")
    args = e.args
    if op == "lit":
        s = g.tmp("s")
        inserts = " ".join(f"{s}.insert({g.val(x)});" for x in args)
        return f"{{ let mut {s}: {rust_type(e.type)} = rt::Set::default(); {inserts} {s} }}"
    if op == "new":
        return f"<{rust_type(e.type)}>::default()"
    if op == "from":
        return _from(g, args[0], rust_type(e.type))
    if op in ("union", "intersection", "difference", "symmetric_difference"):
        return f"rt::set_{op}({g.ref(args[0])}, {g.ref(args[1])})"
    if op == "isdisjoint":
        return f"({g.ref(args[0])}).is_disjoint({g.ref(args[1])})"
    if op in ("min", "max"):
        return f"rt::set_{op}({g.ref(args[0])})?"
    if op == "sum":
        elem = _elem(args[0].type)
        return (
            f"rt::set_sum_b({g.ref(args[0])})"
            if elem == BOOL
            else f"rt::set_sum_i({g.ref(args[0])})?"
        )
    if op == "sorted":
        return f"rt::set_sorted({g.ref(args[0])})"
    if op in ("any", "all"):
        return f"({g.ref(args[0])}).iter().{op}(|x| x.truthy())"
    raise AssertionError(f"set call {e.func}")


def _from(g: _Emitter, x: ir.Expr, rust_t: str) -> str:
    t = x.type
    if isinstance(t, SetT):
        return f"({g.ref(x)}).clone()"
    if isinstance(t, ListT):
        return f"rt::set_from({g.ref(x)})"
    if t == STR:
        return f"rt::set_of_chars({g.ref(x)})"
    if isinstance(t, DictT):
        return f"({g.ref(x)}).keys().cloned().collect::<{rust_t}>()"
    raise AssertionError(f"set of {t}")


def _elem(t: RType) -> RType:
    assert isinstance(t, SetT)
    return t.elem


def method(g: _Emitter, e: ir.Method) -> str:
    """An in-place change of a set: the arguments are evaluated before the set is
    borrowed mutably (Python evaluates them first too)."""
    m = e.method
    names = [g.tmp("a") for _ in e.args]
    lets = " ".join(f"let {n} = {g.val(a)};" for n, a in zip(names, e.args, strict=True))
    place = g.place(e.obj)
    if m == "add":
        body = f"({place}).insert({names[0]});"
    elif m == "discard":
        body = f"({place}).swap_remove(&{names[0]});"
    elif m == "remove":
        body = f"rt::set_remove({place}, &{names[0]})?;"
    elif m == "clear":
        body = f"({place}).clear();"
    elif m == "update":
        s = g.tmp("s")
        body = f"let {s} = {place}; " + " ".join(f"{s}.extend({n});" for n in names)
    elif m in _UPDATES:
        body = f"rt::{_UPDATES[m]}({place}, &{names[0]});"
    else:
        raise AssertionError(f"set method {m}")
    return f"{{ {lets} {body} }}"


def compare(op: str, a: str, at: RType, b: str, bt: RType) -> str:
    """``x in s`` (``a`` borrows the item) or a subset comparison of two borrowed sets."""
    if op in ("in", "not in"):
        neg = "!" if op == "not in" else ""
        return f"{neg}({b}).contains({a})"
    return f'rt::set_cmp({a}, "{op}", {b})'
