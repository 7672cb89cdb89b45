"""NumPy in the code generator: arrays and NumPy scalars in Rust, via rust-numpy.

Input: IR nodes typed with ``ArrayT``, ``NP_FLOAT64`` or ``NP_INT64``, from ``rust.py``,
which calls in here for them. Output: Rust source text using ``src/np.rs`` (the runtime
in ``numpy_runtime.rs``), added to the crate only when a function uses NumPy::

    a[i, j] += 1.0   ->   { let t_key = { ...; np::pos2(&v_a, __i, __j)? };
                            let __v = np::add_f(np::at2(&v_a, t_key), np::F64::py(1.0_f64))?;
                            np::put2(&mut v_a, t_key, np::IntoElem::into_elem(__v)); }

Array parameters are views of the caller's buffer (written ones through
``PyReadwriteArray``), array locals are owned ``ndarray`` arrays returned to Python
without a copy. A call that writes into an argument and then falls back first puts
the argument's items back, so that Python runs it from the same start.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from typing import TYPE_CHECKING

from . import ir
from .rtypes import (
    BOOL,
    FLOAT,
    INT,
    NP_BOOL,
    NP_FLOAT64,
    NP_INT64,
    NP_SCALARS,
    ArrayT,
    DictT,
    ListT,
    RType,
    TupleT,
)

if TYPE_CHECKING:
    from .rust import _Emitter

DEPENDENCY = ("numpy", "0.30")
SOURCE = "src/np.rs"


def runtime_source() -> str:
    return resources.files(__package__).joinpath("numpy_runtime.rs").read_text(encoding="utf-8")


# -- types ------------------------------------------------------------------------


def _mentions(t: RType) -> bool:
    if t in NP_SCALARS or t == NP_BOOL or isinstance(t, ArrayT):
        return True
    if isinstance(t, ListT):
        return _mentions(t.elem)
    if isinstance(t, TupleT):
        return any(_mentions(e) for e in t.elems)
    if isinstance(t, DictT):
        return _mentions(t.key) or _mentions(t.value)
    return False


def _types(fn: ir.Function) -> Iterator[RType]:
    yield fn.ret
    yield from (p.type for p in fn.params)
    yield from (t for _, t in fn.locals)
    for s in ir.walk_stmts(fn.body):
        exprs = list(ir.stmt_exprs(s))
        if isinstance(s, ir.For):
            exprs.extend(ir.iter_exprs(s.iter))
        for e in exprs:
            yield from (x.type for x in ir.subexprs(e))


def uses_numpy(module: ir.Module) -> bool:
    return any(
        _mentions(t) for fn in module.functions for f in (fn, *fn.variants) for t in _types(f)
    )


def raw(t: RType) -> str:
    """The Rust type an array of elements ``t`` stores."""
    return "f64" if t == NP_FLOAT64 else "i64"


def rust_type(t: RType) -> str | None:
    if t == NP_FLOAT64:
        return "np::F64"
    if t == NP_INT64:
        return "np::I64"
    if t == NP_BOOL:
        return "bool"
    if isinstance(t, ArrayT):
        return f"np::Array{t.ndim}<{raw(t.elem)}>"
    return None


def display_type(t: RType) -> str | None:
    if t in NP_SCALARS:
        return raw(t)
    if isinstance(t, ArrayT):
        return f"Array{t.ndim}<{raw(t.elem)}>"
    return None


def written_params(fn: ir.Function) -> set[str]:
    """The array parameters the function stores into."""
    arrays = {p.name for p in fn.params if isinstance(p.type, ArrayT)}
    out: set[str] = set()
    for s in ir.walk_stmts(fn.body):
        for place in ir.changed_in_place(s):
            root, _ = ir.root(place)
            if root in arrays:
                out.add(root)
    return out


def param_type(fn: ir.Function, p: ir.Param, *, display: bool = False) -> str | None:
    """An array parameter's type in ``impl_f``: a view of the caller's array."""
    t = p.type
    if not isinstance(t, ArrayT):
        return None
    kind = "ArrayViewMut" if p.name in written_params(fn) else "ArrayView"
    if display:
        return f"{kind}{t.ndim}<{raw(t.elem)}>"
    return f"np::{kind}{t.ndim}<'_, {raw(t.elem)}>"


# -- the dispatcher -------------------------------------------------------------------


class Dispatch:
    """The parts of a dispatcher that differ when parameters are arrays."""

    def __init__(self, fn: ir.Function) -> None:
        self.fn = fn
        self.arrays = {p.name: p.type for p in fn.params if isinstance(p.type, ArrayT)}
        self.written = written_params(fn)

    def __bool__(self) -> bool:
        return bool(self.arrays)

    def guard_type(self, p: ir.Param) -> str | None:
        t = p.type
        if not isinstance(t, ArrayT):
            return None
        kind = "PyReadwriteArray" if p.name in self.written else "PyReadonlyArray"
        return f"numpy::{kind}<'py, {raw(t.elem)}, np::Ix{t.ndim}>"

    def convert(self, i: int, p: ir.Param) -> str | None:
        t = p.type
        if not isinstance(t, ArrayT):
            return None
        how = "rw" if p.name in self.written else "ro"
        return f"        let a{i} = np::{how}::<{raw(t.elem)}, np::Ix{t.ndim}>(&binder.arg({i})?)?;"

    def call_arg(self, i: int, p: ir.Param) -> str:
        if p.name in self.written:
            return f"c.{i}.as_array_mut()"
        if p.name in self.arrays:
            return f"c.{i}.as_array()"
        return f"c.{i}"

    def prelude(self) -> str:
        lines = ["    let mut c = c;"]
        for i, p in enumerate(self.fn.params):
            if p.name in self.written:
                lines.append(f"    let __saved{i} = np::snapshot(&c.{i});")
        return "\n".join(lines) + "\n"

    def before_fallback(self) -> str:
        """Put written arguments back and release every view before Python runs."""
        parts = []
        for i, p in enumerate(self.fn.params):
            if p.name in self.written:
                parts.append(f"np::restore(c.{i}, &__saved{i});")
            elif p.name in self.arrays:
                parts.append(f"drop(c.{i});")
        return " ".join(parts)

    def to_py(self) -> str:
        if isinstance(self.fn.ret, ArrayT):
            return "np::array_to_py(v, py)"
        return "rt::ToPy::to_py(&v, py)"


# -- expressions ----------------------------------------------------------------------

_FLOAT_OPS = {
    "+": "add_f",
    "-": "sub_f",
    "*": "mul_f",
    "/": "truediv_f",
    "//": "floordiv_f",
    "%": "mod_f",
    "**": "pow_f",
}
_INT_OPS = {
    "+": "add_i",
    "-": "sub_i",
    "*": "mul_i",
    "//": "floordiv_i",
    "%": "mod_i",
    "**": "pow_i",
}
_FILL = {"zeros": "0", "empty": "0", "ones": "1"}


def binop(em: _Emitter, e: ir.BinOp) -> str:
    left, right = em.val(e.left), em.val(e.right)
    if e.type == NP_FLOAT64 and e.left.type == NP_INT64:
        return f"np::truediv_i({left}, {right})?"
    table = _FLOAT_OPS if e.type == NP_FLOAT64 else _INT_OPS
    return f"np::{table[e.op]}({left}, {right})?"


def unary(em: _Emitter, e: ir.Unary) -> str:
    x = em.val(e.operand)
    return f"np::neg_f({x})" if e.type == NP_FLOAT64 else f"np::neg_i({x})?"


def _cast(em: _Emitter, x: ir.Expr, to: RType, exact: bool) -> str:
    v = em.val(x)
    src = x.type
    if to == NP_FLOAT64:
        if src == FLOAT:
            return f"np::F64::py({v})"
        if src == BOOL:
            return f"np::F64::py(if {v} {{ 1.0 }} else {{ 0.0 }})"
        as_int = f"np::I64::py({v})" if src == INT else v
        return f"np::i2f_exact({as_int})?" if exact else f"np::i2f({as_int})"
    if src == BOOL:
        return f"np::I64::py({v} as i64)"
    return f"np::I64::py({v})"


def call(em: _Emitter, e: ir.Call) -> str:
    name, args = e.func[3:], e.args
    if name in ("cast", "cast_exact"):
        return _cast(em, args[0], e.type, name == "cast_exact")
    if name == "to_py":
        return f"({em.val(args[0])}).v"
    if name == "to_float":
        return f"(({em.val(args[0])}).v as f64)"
    if name == "scalar":
        kind = "F64" if e.type == NP_FLOAT64 else "I64"
        return f"np::{kind} {{ v: ({em.val(args[0])}).v, np: true }}"
    if name == "abs":
        if e.type == NP_FLOAT64:
            return f"np::abs_f({em.val(args[0])})"
        return f"np::abs_i({em.val(args[0])})?"
    if name == "row_len":
        return f"np::row_len({em.ref(args[0])}, {em.val(args[1])})?"
    if name in ("len", "size"):
        return f"np::{name}({em.ref(args[0])})"
    if name == "shape":
        t = args[0].type
        assert isinstance(t, ArrayT)
        return f"np::shape{t.ndim}({em.ref(args[0])})"
    if name == "copy":
        return f"np::copy({em.ref(args[0])})"
    t = e.type
    assert isinstance(t, ArrayT)
    kind = name.removesuffix("_like")
    fill = f"{_FILL[kind]}{'.0' if t.elem == NP_FLOAT64 else ''}_{raw(t.elem)}"
    if name.endswith("_like"):
        return f"np::full_like({em.ref(args[0])}, {fill})?"
    shape = args[0]
    if shape.type == INT:
        dims = f"&[{em.val(shape)}]"
        return f"np::full::<{raw(t.elem)}, np::Ix1>({dims}, {fill})?"
    s = em.tmp("shape")
    dims = "&[" + ", ".join(f"{s}.{k}" for k in range(t.ndim)) + "]"
    return (
        f"{{ let {s} = {em.val(shape)}; "
        f"np::full::<{raw(t.elem)}, np::Ix{t.ndim}>({dims}, {fill})? }}"
    )


def _positions(em: _Emitter, obj: ir.Expr, index: ir.Expr, chained: bool) -> tuple[str, str]:
    """Rust statements checking an index in Python's order, and the position they leave."""
    t = obj.type
    assert isinstance(t, ArrayT)
    a = em.ref(obj)
    if t.ndim == 1:
        p = em.tmp("p")
        return f"let {p} = np::ix(np::rows({a}), {em.val(index)}, 0)?;", p
    assert isinstance(index, ir.TupleLit)
    i, j = index.elems
    if chained:
        r, c = em.tmp("r"), em.tmp("c")
        return (
            f"let {r} = np::ix(np::rows({a}), {em.val(i)}, 0)?; "
            f"let {c} = np::ix(np::cols({a}), {em.val(j)}, 0)?;",
            f"({r}, {c})",
        )
    vi, vj, p = em.tmp("i"), em.tmp("j"), em.tmp("p")
    return (
        f"let {vi} = {em.val(i)}; let {vj} = {em.val(j)}; let {p} = np::pos2({a}, {vi}, {vj})?;",
        p,
    )


def index(em: _Emitter, e: ir.ArrayIndex) -> str:
    t = e.obj.type
    assert isinstance(t, ArrayT)
    a = em.ref(e.obj)
    if e.checked:
        assert isinstance(e.index, ir.Name)
        return f"np::at{t.ndim}({a}, {_key(e.index.id)})"
    if t.ndim == 1:
        return f"np::get1({a}, {em.val(e.index)})?"
    if not e.chained:
        assert isinstance(e.index, ir.TupleLit)
        i, j = e.index.elems
        return f"np::get2({a}, {em.val(i)}, {em.val(j)})?"
    checks, pos = _positions(em, e.obj, e.index, True)
    return f"{{ {checks} np::at2({a}, {pos}) }}"


def _key(name: str) -> str:
    return f"t_{name[1:]}"


def store(em: _Emitter, target: ir.TArrayIndex, value: str) -> list[str]:
    """``a[...] = value``: the value first, then the index, as Python evaluates them."""
    t = target.obj.type
    assert isinstance(t, ArrayT)
    v = em.tmp("v")
    checks, pos = _positions(em, target.obj, target.index, target.chained)
    return [
        f"let {v} = {value};",
        checks,
        f"np::put{t.ndim}({em.place(target.obj)}, {pos}, np::IntoElem::into_elem({v}));",
    ]


def augassign(em: _Emitter, s: ir.AugAssign) -> list[str]:
    """``a[...] op= value``: the item is read at positions checked once, then stored."""
    target = s.target
    assert isinstance(target, ir.TArrayIndex)
    t = target.obj.type
    assert isinstance(t, ArrayT)
    checks, pos = _positions(em, target.obj, target.index, target.chained)
    key = _key(ir.AUG_KEY)
    v = em.tmp("v")
    return [
        "{",
        f"let {key} = {{ {checks} {pos} }};",
        f"let {v} = {em.val(s.value)};",
        f"np::put{t.ndim}({em.place(target.obj)}, {key}, np::IntoElem::into_elem({v}));",
        "}",
    ]


def iterate(src: str) -> str:
    """``for x in a`` over a 1-D array: items as NumPy scalars."""
    return f"np::items1(({src}).view())"
