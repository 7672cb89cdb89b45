"""NumPy in the frontend: float64/int64 arrays of 1 and 2 dimensions, and NumPy's scalars.

Input: the pieces of a function's AST that touch NumPy, from ``frontend.py``, which
calls in here wherever an array or a NumPy scalar turns up. Output: IR nodes, or a
refusal::

    a[i, j] += a[i - 1, j]       # AugAssign(TArrayIndex(a, (i, j)), "+", ArrayIndex(...))
    out = np.zeros((n, m))       # Call(ndarray[float64, 2d], "np.zeros", ...)
    total = 0.0; total += a[i]   # total: np.float64 (a float or an np.float64)

What NumPy does that Python does not (warnings instead of ZeroDivisionError, int64
wrap-around) is kept by the runtime, which falls back where the two differ. What the
translator cannot keep exactly is refused here: views (slices, rows), arrays in
containers, aliases of arrays, NumPy functions other than the constructors.
"""

from __future__ import annotations

import ast
import builtins
import sys
import types
import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..errors import RefusalError
from . import ir
from .rtypes import (
    BOOL,
    FLOAT,
    INT,
    NP_BOOL,
    NP_FLOAT64,
    NP_INT64,
    NP_SCALARS,
    UNKNOWN,
    ArrayT,
    DictT,
    ListT,
    RType,
    TupleT,
    Unknown,
    is_complete,
)

if TYPE_CHECKING:
    from .frontend import _FunctionTranslator

# NumPy functions the translator knows, by name in the numpy namespace.
CONSTRUCTORS = ("zeros", "empty", "ones")
LIKE = ("zeros_like", "empty_like", "ones_like")
FRESH = frozenset({f"np.{n}" for n in (*CONSTRUCTORS, *LIKE, "copy")})
_CONSTANTS = ("pi", "e", "inf", "nan")
_PY_OF = {NP_FLOAT64: FLOAT, NP_INT64: INT}


def _refuse(code: str, message: str, node: ast.AST | int) -> typing.NoReturn:
    line = node if isinstance(node, int) else getattr(node, "lineno", 0)
    raise RefusalError(code, message, line)


def _numpy() -> types.ModuleType | None:
    # Only a program that imported NumPy can hand us its values.
    return sys.modules.get("numpy")


# -- annotations ------------------------------------------------------------------


def parse_annotation(node: ast.expr | None, globals_: Mapping[str, object]) -> RType | None:
    """``np.ndarray``, ``npt.NDArray[np.float64]``,
    ``np.ndarray[tuple[int, int], np.dtype[np.int64]]``, ``np.float64``, and module-level
    aliases of these; None for anything else."""
    np = _numpy()
    if node is None or np is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return None
    return _from_object(_evaluate(node, globals_, np), np)


_MISSING = object()


def _evaluate(node: ast.expr, globals_: Mapping[str, object], np: types.ModuleType) -> object:
    """The object an annotation names, evaluating only names, attributes of modules and
    subscripts of the generic types that spell array types (nothing user-defined runs)."""
    if isinstance(node, ast.Name):
        if node.id in globals_:
            return globals_[node.id]
        return getattr(builtins, node.id, _MISSING)
    if isinstance(node, ast.Attribute):
        base = _evaluate(node.value, globals_, np)
        if isinstance(base, types.ModuleType):
            return getattr(base, node.attr, _MISSING)
        return _MISSING
    if isinstance(node, ast.Constant) and node.value is Ellipsis:
        return Ellipsis
    if isinstance(node, ast.Subscript):
        base = _evaluate(node.value, globals_, np)
        typing_ = sys.modules.get("numpy.typing")
        generic = [np.ndarray, np.dtype, tuple]
        if typing_ is not None:
            generic.append(getattr(typing_, "NDArray", None))
        if not any(base is g for g in generic if g is not None):
            return _MISSING
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        args = tuple(_evaluate(p, globals_, np) for p in parts)
        if any(a is _MISSING for a in args):
            return _MISSING
        try:
            return base[args if len(args) > 1 else args[0]]  # type: ignore[index]
        except TypeError:
            return _MISSING
    return _MISSING


def _from_object(obj: object, np: types.ModuleType) -> RType | None:
    if obj is np.float64:
        return NP_FLOAT64
    if obj is np.int64:
        return NP_INT64
    if obj is np.ndarray:
        return ArrayT(UNKNOWN, 0)
    if typing.get_origin(obj) is not np.ndarray:
        return None
    args = typing.get_args(obj)
    if len(args) != 2:
        return None
    shape, dtype = args
    ndim = 0
    if typing.get_origin(shape) is tuple:
        dims = typing.get_args(shape)
        if dims and all(d is int for d in dims) and len(dims) <= 2:
            ndim = len(dims)
    elem: RType = UNKNOWN
    if typing.get_origin(dtype) is np.dtype:
        (scalar,) = typing.get_args(dtype) or (None,)
        elem = {np.float64: NP_FLOAT64, np.int64: NP_INT64}.get(scalar, UNKNOWN)
        if elem == UNKNOWN and scalar is not typing.Any:
            return None
    return ArrayT(elem, ndim)


def incomplete(t: RType) -> str | None:
    """Why an array type from an annotation is not enough, if it is not."""
    if isinstance(t, ArrayT) and not is_complete(t):
        return (
            f"it is {t}: the dtype and number of dimensions come from recorded calls or an "
            "annotation such as `np.ndarray[tuple[int, int], np.dtype[np.float64]]`"
        )
    return None


# -- conversions --------------------------------------------------------------------


def cast(e: ir.Expr, t: RType) -> ir.Expr:
    """``e`` as the NumPy scalar type ``t`` (a float into np.float64 arithmetic...)."""
    if e.type == t:
        return e
    return ir.Call(t, "np.cast", (e,))


def _cast_exact(e: ir.Expr, t: RType) -> ir.Expr:
    """An int (or int64) compared with a float: falls back beyond 2**53, where NumPy
    compares the rounded double and Python the exact values."""
    if e.type in (INT, NP_INT64) and t == NP_FLOAT64:
        if isinstance(e, ir.Const) and isinstance(e.value, int) and abs(e.value) <= 2**53:
            return cast(e, t)
        return ir.Call(t, "np.cast_exact", (e,))
    return cast(e, t)


def to_python(e: ir.Expr) -> ir.Expr:
    """A NumPy scalar as the Python number its ``__float__``/``__int__`` gives."""
    if e.type in _PY_OF:
        return ir.Call(_PY_OF[e.type], "np.to_py", (e,))
    return e


def to_float(e: ir.Expr) -> ir.Expr:
    """``float(x)`` of a NumPy scalar."""
    if e.type == NP_FLOAT64:
        return to_python(e)
    return ir.Call(FLOAT, "np.to_float", (e,))


# -- operators ----------------------------------------------------------------------

_F = (FLOAT, NP_FLOAT64)
_I = (INT, BOOL, NP_INT64)


def binop(op: str, left: ir.Expr, right: ir.Expr, node: ast.AST) -> ir.Expr:
    """Arithmetic with a NumPy scalar on either side, typed as NumPy types it."""
    lt, rt = left.type, right.type
    if not (lt in _F + _I and rt in _F + _I):
        _refuse("type", f"`{op}` between {lt} and {rt} is not supported", node)
    if op == "/" and lt in _I and rt in _I:
        return ir.BinOp(NP_FLOAT64, "/", cast(left, NP_INT64), cast(right, NP_INT64))
    if lt in _F or rt in _F:
        return ir.BinOp(NP_FLOAT64, op, cast(left, NP_FLOAT64), cast(right, NP_FLOAT64))
    return ir.BinOp(NP_INT64, op, cast(left, NP_INT64), cast(right, NP_INT64))


def comparable(op: str, a: ir.Expr, b: ir.Expr, node: ast.AST) -> tuple[ir.Expr, ir.Expr]:
    at, bt = a.type, b.type
    if op not in ("<", "<=", ">", ">=", "==", "!="):
        _refuse("type", f"`{op}` with {at} and {bt} is not supported", node)
    if BOOL in (at, bt) or not (at in _F + _I and bt in _F + _I):
        _refuse("type", f"comparing {at} with {bt} is not supported", node)
    if at in _F or bt in _F:
        return _cast_exact(a, NP_FLOAT64), _cast_exact(b, NP_FLOAT64)
    return cast(a, NP_INT64), cast(b, NP_INT64)


def compare_type(left: ir.Expr, comparators: tuple[ir.Expr, ...]) -> RType:
    """NumPy scalars compare to ``np.bool``, which the translator keeps to conditions."""
    if any(e.type in NP_SCALARS for e in (left, *comparators)):
        return NP_BOOL
    return BOOL


# -- arrays -------------------------------------------------------------------------


def _int_index(tr: _FunctionTranslator, idx: ir.Expr, node: ast.AST) -> ir.Expr:
    t = tr._numeric(idx, node)
    if t == INT:
        return idx
    if t == NP_INT64:
        return to_python(idx)
    if t == BOOL:
        _refuse("array-index", "a bool index is a mask in NumPy; not supported", node)
    _refuse("array-index", f"an array index of type {t} is not supported (ints only)", node)


def _is_row(e: ir.Expr) -> bool:
    return (
        isinstance(e, ir.ArrayIndex)
        and isinstance(e.type, ArrayT)
        and isinstance(e.obj.type, ArrayT)
        and e.obj.type.ndim == 2
    )


def is_array(e: ir.Expr) -> bool:
    return isinstance(e.type, ArrayT)


def index(tr: _FunctionTranslator, obj: ir.Expr, idx: ir.Expr, node: ast.AST) -> ir.Expr:
    """``a[i]``, ``a[i, j]``, and ``a[i][j]`` through the row ``a[i]``."""
    t = obj.type
    assert isinstance(t, ArrayT)
    if _is_row(obj):
        assert isinstance(obj, ir.ArrayIndex)
        j = _int_index(tr, idx, node)
        pair = ir.TupleLit(TupleT((INT, INT)), (obj.index, j))
        return ir.ArrayIndex(t.elem, obj.obj, pair, chained=True)
    checked = isinstance(idx, ir.Name) and idx.id == ir.AUG_KEY
    it = tr._numeric(idx, node)
    if isinstance(it, TupleT):
        if len(it.elems) != t.ndim:
            _refuse(
                "array-index",
                f"{len(it.elems)} indices into a {t.ndim}-dimensional array is not supported",
                node,
            )
        if isinstance(idx, ir.TupleLit):
            idx = ir.TupleLit(TupleT((INT, INT)), tuple(_int_index(tr, i, node) for i in idx.elems))
        elif not checked:
            _refuse("array-index", "index arrays with `a[i, j]` spelled out", node)
        return ir.ArrayIndex(t.elem, obj, idx, checked=checked)
    if checked:
        return ir.ArrayIndex(t.elem, obj, idx, checked=True)
    i = _int_index(tr, idx, node)
    if t.ndim == 1:
        return ir.ArrayIndex(t.elem, obj, i)
    return ir.ArrayIndex(ArrayT(t.elem, 1), obj, i)  # a row: only `a[i][j]` may use it


def length(a: ir.Expr) -> ir.Expr:
    """``len(a)``; ``len(a[i])`` of a 2-D array checks ``i`` and counts the columns,
    without making the row view (as reading ``a[i][j]`` does)."""
    if _is_row(a):
        assert isinstance(a, ir.ArrayIndex)
        return ir.Call(INT, "np.row_len", (a.obj, a.index))
    return ir.Call(INT, "np.len", (a,))


def store_target(
    tr: _FunctionTranslator, obj: ir.Expr, idx: ir.Expr, stmt: ast.AST
) -> ir.TArrayIndex:
    e = index(tr, obj, idx, stmt)
    assert isinstance(e, ir.ArrayIndex)
    if isinstance(e.type, ArrayT):
        _refuse("array-index", "assigning a whole row `a[i] = ...` is not supported", stmt)
    return ir.TArrayIndex(e.type, e.obj, e.index, chained=e.chained)


def check_store(target: ir.TArrayIndex, vt: RType, stmt: ast.AST) -> None:
    """What NumPy stores exactly: numbers into float64 arrays, ints into int64 arrays
    (a float into an int64 array truncates, or raises for NaN: not supported)."""
    allowed = _F + _I if target.type == NP_FLOAT64 else _I
    if isinstance(vt, Unknown):
        return
    if vt not in allowed:
        dtype = str(target.type).removeprefix("np.")
        _refuse("type", f"storing {vt} into a {dtype} array is not supported", stmt)


def slice_(node: ast.AST) -> typing.NoReturn:
    _refuse(
        "array-view",
        "slicing an array makes a view of the same data; not supported (index items)",
        node,
    )


def iterate(seq: ir.Expr, node: ast.AST) -> ir.Iter:
    t = seq.type
    assert isinstance(t, ArrayT)
    if t.ndim != 1:
        _refuse("array-view", "iterating over a 2-D array yields row views; not supported", node)
    return ir.IterSeq(t.elem, seq)


def array_attribute(obj: ir.Expr, attr: str, node: ast.AST) -> ir.Expr:
    t = obj.type
    assert isinstance(t, ArrayT)
    if attr == "shape":
        return ir.Call(TupleT((INT,) * t.ndim), "np.shape", (obj,))
    if attr == "size":
        return ir.Call(INT, "np.size", (obj,))
    if attr == "ndim":
        return ir.Const(INT, t.ndim)
    _refuse("attribute", f"the attribute `.{attr}` of arrays is not supported", node)


def method(obj: ir.Expr, name: str, args: list[ast.expr], node: ast.AST) -> ir.Expr:
    if name == "copy" and not args:
        return ir.Call(obj.type, "np.copy", (obj,))
    _refuse("method", f"the array method `.{name}()` is not supported (only `.copy()`)", node)


def module_attribute(tr: _FunctionTranslator, node: ast.Attribute) -> ir.Expr | None:
    """``np.pi`` and the like; None when ``node`` is not an attribute of NumPy."""
    np = _numpy()
    if np is None or not _is_numpy_module(tr, node.value, np):
        return None
    if node.attr in _CONSTANTS:
        return ir.Const(FLOAT, float(getattr(np, node.attr)))
    _refuse("numpy", f"`np.{node.attr}` is not supported here", node)


def _is_numpy_module(tr: _FunctionTranslator, node: ast.expr, np: types.ModuleType) -> bool:
    return (
        isinstance(node, ast.Name)
        and node.id not in tr.env
        and node.id not in tr.locals
        and tr.src.globals.get(node.id) is np
    )


def function_name(tr: _FunctionTranslator, func: ast.expr) -> str | None:
    """The NumPy function a call names (``np.zeros``, ``numpy.zeros``, a ``zeros``
    imported from numpy), or None when it is not NumPy's."""
    np = _numpy()
    if np is None:
        return None
    if isinstance(func, ast.Attribute) and _is_numpy_module(tr, func.value, np):
        return func.attr
    if isinstance(func, ast.Name) and func.id not in tr.env and func.id not in tr.locals:
        value = tr.src.globals.get(func.id, _MISSING)
        for name in (*CONSTRUCTORS, *LIKE, "copy", "float64", "int64"):
            if value is getattr(np, name, None):
                return name
    return None


def call(tr: _FunctionTranslator, name: str, node: ast.Call) -> ir.Expr:
    """``np.zeros(n)``, ``np.zeros((n, m), dtype=np.int64)``, ``np.zeros_like(a)``,
    ``np.copy(a)``, ``np.float64(x)``, ``np.int64(i)``."""
    keywords = {k.arg: k.value for k in node.keywords if k.arg is not None}
    if len(keywords) != len(node.keywords) or set(keywords) - {"dtype"}:
        _refuse("call", f"`np.{name}` with these keyword arguments is not supported", node)
    if name in CONSTRUCTORS:
        if len(node.args) not in (1, 2) or (len(node.args) == 2 and keywords):
            _refuse("call", f"`np.{name}` takes a shape and a dtype here", node)
        dtype_node = node.args[1] if len(node.args) == 2 else keywords.get("dtype")
        elem = _dtype(tr, dtype_node, node)
        shape = tr._expr(node.args[0])
        st = tr._numeric(shape, node)
        if st == INT:
            ndim = 1
        elif isinstance(st, TupleT) and 1 <= len(st.elems) <= 2 and set(st.elems) == {INT}:
            ndim = len(st.elems)
        else:
            _refuse("call", f"`np.{name}` with a shape of type {st} is not supported", node)
        return ir.Call(ArrayT(elem, ndim), f"np.{name}", (shape,))
    if name in (*LIKE, "copy"):
        if len(node.args) != 1 or keywords:
            _refuse("call", f"`np.{name}` takes one array here", node)
        a = tr._expr(node.args[0])
        if not is_array(a):
            _refuse("call", f"`np.{name}` of {a.type} is not supported", node)
        return ir.Call(a.type, f"np.{name}", (a,))
    if name in ("float64", "int64"):
        if len(node.args) != 1 or keywords:
            _refuse("call", f"`np.{name}` takes one number here", node)
        x = tr._expr(node.args[0])
        xt = tr._numeric(x, node)
        target = NP_FLOAT64 if name == "float64" else NP_INT64
        allowed = (INT, FLOAT, NP_INT64, NP_FLOAT64) if name == "float64" else (INT, NP_INT64)
        if xt not in allowed:
            _refuse("call", f"`np.{name}` of {xt} is not supported", node)
        return ir.Call(target, "np.scalar", (cast(x, target),))
    _refuse(
        "numpy",
        f"`np.{name}` is not supported (only np.zeros, np.empty, np.ones, their _like forms, "
        "np.copy, np.float64 and np.int64)",
        node,
    )


def _dtype(tr: _FunctionTranslator, node: ast.expr | None, call_node: ast.AST) -> RType:
    np = _numpy()
    assert np is not None
    if node is None:
        return NP_FLOAT64
    value: object = _MISSING
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        value = {"float64": np.float64, "int64": np.int64}.get(node.value, _MISSING)
    elif isinstance(node, (ast.Name, ast.Attribute)):
        root = node
        while isinstance(root, ast.Attribute):
            root = root.value  # type: ignore[assignment]
        if isinstance(root, ast.Name) and root.id not in tr.env and root.id not in tr.locals:
            value = _evaluate(node, tr.src.globals, np)
    if value is np.float64 or value is builtins.float:
        return NP_FLOAT64
    if value is np.int64 or value is builtins.int:
        return NP_INT64
    _refuse("dtype", f"dtype `{ast.unparse(node)}` is not supported (float64 or int64)", call_node)


# -- the finished function ------------------------------------------------------------


def _holds_array(t: RType) -> bool:
    if isinstance(t, ListT):
        return isinstance(t.elem, ArrayT) or _holds_array(t.elem)
    if isinstance(t, TupleT):
        return any(isinstance(e, ArrayT) or _holds_array(e) for e in t.elems)
    if isinstance(t, DictT):
        return any(isinstance(e, ArrayT) or _holds_array(e) for e in (t.key, t.value))
    return False


def check_function(fn: ir.Function) -> None:
    """Refuse what the IR can spell but the Rust cannot keep exactly: NumPy booleans
    used as values, row views, arrays in containers or under two names."""
    array_params = {p.name for p in fn.params if isinstance(p.type, ArrayT)}
    for p in fn.params:
        if _holds_array(p.type):
            _refuse("array-container", f"`{p.name}` holds arrays in a container", fn.line)
    for s in ir.walk_stmts(fn.body):
        exprs = list(ir.stmt_exprs(s))
        if isinstance(s, ir.For):
            exprs.extend(ir.iter_exprs(s.iter))
        for e in exprs:
            _check_expr(e, s.line, top=True)
        if isinstance(s, ir.Assign) and isinstance(s.target, ir.TName):
            _check_binding(s.target.id, s.value, array_params, s.line)
        if isinstance(s, ir.For) and isinstance(s.target, ir.TName) and s.target.id in array_params:
            _refuse("array-alias", f"the loop rebinds the array parameter `{s.target.id}`", s.line)
        if isinstance(s, ir.Return) and s.value is not None and is_array(s.value):
            v = s.value
            if isinstance(v, ir.Name) and v.id in array_params:
                _refuse(
                    "array-alias",
                    f"returns the argument array `{v.id}` itself; the caller would get "
                    "another object from Rust",
                    s.line,
                )
            if not (isinstance(v, ir.Name) or (isinstance(v, ir.Call) and v.func in FRESH)):
                _refuse("array-alias", "return a new array or an array local", s.line)
    # Statements first, so that a refusal names the line that makes the value.
    for name, t in fn.locals:
        _check_type(t, f"`{name}`", fn.line)
    _check_type(fn.ret, "the return value", fn.line)


def _check_type(t: RType, what: str, line: int) -> None:
    if t == NP_BOOL:
        _refuse(
            "numpy-bool",
            f"{what} would hold a comparison of NumPy scalars, which is an np.bool; "
            "use such comparisons only as conditions",
            line,
        )
    if _holds_array(t):
        _refuse("array-container", f"{what} holds arrays in a container ({t})", line)


def _check_expr(e: ir.Expr, line: int, *, top: bool) -> None:
    for sub in ir.subexprs(e):
        _check_type(sub.type, "an expression", line)
        if _is_row(sub):
            _refuse(
                "array-view",
                "the row `a[i]` of a 2-D array is a view; index it at once (`a[i][j]`, `a[i, j]`) "
                "or take its `len(a[i])`",
                line,
            )
        if isinstance(sub, ir.Truth) and is_array(sub.operand):
            _refuse("array-truth", "the truth value of an array is ambiguous in NumPy", line)
        if isinstance(sub, (ir.ListLit, ir.TupleLit, ir.IfExp, ir.BoolOp)):
            parts = sub.elems if isinstance(sub, (ir.ListLit, ir.TupleLit)) else ()
            if isinstance(sub, ir.IfExp):
                parts = (sub.body, sub.orelse)
            if isinstance(sub, ir.BoolOp):
                parts = sub.values
            if any(is_array(p) for p in parts):
                _refuse("array-alias", "arrays inside literals or conditional values", line)


def _check_binding(name: str, value: ir.Expr, array_params: set[str], line: int) -> None:
    if name in array_params:
        _refuse("array-alias", f"rebinding the array parameter `{name}` is not supported", line)
    if is_array(value) and not (isinstance(value, ir.Call) and value.func in FRESH):
        _refuse(
            "array-alias",
            f"`{name} = ...` would make a second name for an existing array (NumPy shares "
            "it); make a new one with np.zeros(...) or `.copy()`",
            line,
        )
