"""Methods of str, list and dict, and the builtins that consume iterables: AST -> IR.

Input: the frontend's translator (``frontend._FunctionTranslator``) and a call node.
Output: an IR expression, ``None`` when the existing code in ``frontend.py`` handles the
call, or a Refusal::

    s.split()                    -> Method(list[str], s, "split_ws", (Const(-1),))
    sorted(ws, key=len)          -> Reduce(list[str], "sorted", $c1_item, ..., key=Lambda)
    any(x < 0 for x in xs)       -> Reduce(bool, "any", Truth(x < 0), (CompFor(x, xs),))

A generator expression is translated only where a builtin consumes it at once (sum, any,
all, min, max, sorted, list, ``sep.join``), and a lambda only as a ``key=``: both are
evaluated where Python evaluates them, element by element (``any`` stops at the first
true element, ``max(..., key=f)`` calls ``f`` between elements, as Python does).
"""

from __future__ import annotations

import ast
import builtins
from typing import TYPE_CHECKING, NoReturn

from ..errors import RefusalError
from . import ir
from .rtypes import (
    BOOL,
    FLOAT,
    INT,
    NONE,
    STR,
    DictT,
    ListT,
    RType,
    TupleT,
    Unknown,
    contains_float,
    join,
)

if TYPE_CHECKING:
    from .frontend import _FunctionTranslator as Tr

# builtins that consume a generator expression passed as their only argument
_GEN_CONSUMERS = frozenset({"sum", "any", "all", "min", "max", "sorted", "list"})
# keyword arguments accepted, per builtin name or method name
_KEYWORDS: dict[str, frozenset[str]] = {
    "sorted": frozenset({"key", "reverse"}),
    "min": frozenset({"key", "default"}),
    "max": frozenset({"key", "default"}),
    ".sort": frozenset({"key", "reverse"}),
    ".split": frozenset({"sep", "maxsplit"}),
    ".rsplit": frozenset({"sep", "maxsplit"}),
    # math.isclose (mathlib.py), called as math.isclose or imported from math
    ".isclose": frozenset({"rel_tol", "abs_tol"}),
    "isclose": frozenset({"rel_tol", "abs_tol"}),
}
# math functions consuming an iterable, a generator expression too (mathlib.py)
_MATH_CONSUMERS = frozenset({"fsum", "prod"})
_ITERATOR_BUILTINS = frozenset({"range", "enumerate", "zip", "reversed"})
_VIEWS = frozenset({"keys", "values", "items"})
_KEY_BUILTINS = frozenset({"len", "abs", "str"})
_KEY_STR_METHODS = frozenset({"lower", "upper", "casefold", "strip"})
_STR_PREDICATES = frozenset(
    {
        "isalpha",
        "isdigit",
        "isalnum",
        "isspace",
        "isupper",
        "islower",
        "isdecimal",
        "isnumeric",
        "isascii",
    }
)
_STR_FIND = frozenset({"find", "rfind", "index", "rindex", "count"})


def _refuse(code: str, message: str, node: ast.AST | int) -> NoReturn:
    line = node if isinstance(node, int) else getattr(node, "lineno", 0)
    raise RefusalError(code, message, line)


def _pending(node: ast.AST) -> NoReturn:
    from .frontend import _Pending

    raise _Pending("?", getattr(node, "lineno", 0))


# -- which lambdas and generator expressions may be translated -------------------------


def allowed_nodes(fn: ast.FunctionDef) -> set[int]:
    """The ids of the lambdas (``key=`` arguments) and generator expressions (the only
    argument of a consuming builtin) that the translator accepts."""
    out: set[int] = set()
    for node in ast.walk(fn):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else None
        attr = node.func.attr if isinstance(node.func, ast.Attribute) else None
        consumer = (
            name in _GEN_CONSUMERS
            or attr in ("join", "extend")
            or name in _MATH_CONSUMERS
            or attr in _MATH_CONSUMERS
        )
        if consumer and len(node.args) == 1 and isinstance(node.args[0], ast.GeneratorExp):
            out.add(id(node.args[0]))
        if name in ("sorted", "min", "max") or attr == "sort":
            out.update(id(k.value) for k in node.keywords if k.arg == "key")
    return out


def takes_keywords(node: ast.Call) -> bool:
    """Whether the keyword arguments of this call are ones methods.py translates."""
    func = node.func
    name = (
        func.id
        if isinstance(func, ast.Name)
        else f".{func.attr}"
        if isinstance(func, ast.Attribute)
        else ""
    )
    allowed = _KEYWORDS.get(name, frozenset())
    return all(k.arg in allowed for k in node.keywords)


# -- iterables and key functions --------------------------------------------------------


def _is_iterator_call(tr: Tr, node: ast.expr) -> bool:
    if not isinstance(node, ast.Call) or node.keywords:
        return False
    f = node.func
    if isinstance(f, ast.Name):
        return f.id in _ITERATOR_BUILTINS and _is_builtin(tr, f.id)
    return isinstance(f, ast.Attribute) and f.attr in _VIEWS and not node.args


def _is_builtin(tr: Tr, name: str) -> bool:
    if name in tr.env or name in tr.locals:
        return False
    value = tr.src.globals.get(name, getattr(builtins, name, None))
    return value is getattr(builtins, name, object())


def _needs_source(tr: Tr, node: ast.expr) -> bool:
    """True when ``node`` is an iterable the existing list-only paths do not take."""
    if isinstance(node, ast.GeneratorExp) or _is_iterator_call(tr, node):
        return True
    t = tr._numeric(tr._expr(node), node)
    return not isinstance(t, ListT)


def source(tr: Tr, node: ast.expr) -> tuple[ir.Expr, tuple[ir.CompFor, ...]]:
    """The elements of an iterable or generator expression, as a comprehension's parts."""
    if isinstance(node, ast.GeneratorExp):
        lc = ast.copy_location(ast.ListComp(elt=node.elt, generators=node.generators), node)
        comp = tr._comprehension(lc)
        assert isinstance(comp, ir.Comprehension)
        return comp.elt, comp.generators
    it = tr._iter(node)
    tr.comp_counter += 1
    name = f"$c{tr.comp_counter}_item"
    tr._bind_type(name, it.elem, node)
    t = tr.env[name]
    return ir.Name(t, name), (ir.CompFor(ir.TName(t, name), it, ()),)


def _orderable(t: RType) -> bool:
    """Types whose `<` Rust computes as Python does (floats: once NaN is ruled out)."""
    if t in (INT, FLOAT, STR, BOOL):
        return True
    return isinstance(t, TupleT) and all(e in (INT, FLOAT, STR, BOOL) for e in t.elems)


def _key(tr: Tr, node: ast.expr, elem: RType) -> ir.Lambda:
    if isinstance(node, ast.Lambda):
        a = node.args
        if a.posonlyargs or a.kwonlyargs or a.vararg or a.kwarg or a.defaults or len(a.args) != 1:
            _refuse("key", "a key lambda must take exactly one plain parameter", node)
        return _key_body(tr, a.args[0].arg, node.body, elem, node)
    arg = ast.Name(id="$arg", ctx=ast.Load())
    call: ast.Call | None = None
    if isinstance(node, ast.Name) and node.id in _KEY_BUILTINS and _is_builtin(tr, node.id):
        call = ast.Call(func=ast.Name(id=node.id, ctx=ast.Load()), args=[arg], keywords=[])
    elif (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "str"
        and _is_builtin(tr, "str")
        and node.attr in _KEY_STR_METHODS
    ):
        call = ast.Call(func=ast.Attribute(value=arg, attr=node.attr), args=[], keywords=[])
    if call is None:
        _refuse(
            "key",
            f"key=`{ast.unparse(node)}` is not supported (a one-parameter lambda, len, abs, "
            "str or str.lower)",
            node,
        )
    ast.fix_missing_locations(ast.copy_location(call, node))
    for sub in ast.walk(call):
        ast.copy_location(sub, node)
    return _key_body(tr, "$arg", call, elem, node)


def _key_body(tr: Tr, param: str, body: ast.expr, elem: RType, node: ast.AST) -> ir.Lambda:
    tr.comp_counter += 1
    local = f"$c{tr.comp_counter}_{param.lstrip('$')}"
    tr.scopes.append({param: local})
    try:
        tr._bind_type(local, elem, node)
        # A key named by a builtin (`len`, `str.lower`) is applied to the item directly.
        if param == "$arg" and isinstance(body, ast.Call) and isinstance(body.func, ast.Name):
            value = tr._builtin(body.func.id, body)
        elif param == "$arg" and isinstance(body, ast.Call):
            assert isinstance(body.func, ast.Attribute)
            value = tr._method(body.func, body)
        else:
            value = tr._expr(body)
    finally:
        tr.scopes.pop()
    kt = tr._numeric(value, node)
    if not _orderable(kt):
        _refuse(
            "key",
            f"sort keys of type {kt} are not supported (int, float, str, bool or tuples of them)",
            node,
        )
    return ir.Lambda(kt, local, tr.env[local], value)


def _simple(tr: Tr, node: ast.expr, what: str) -> ir.Expr:
    """An argument Python evaluates before the iteration starts: it must not be able to
    raise, so that evaluating it first keeps the order of exceptions."""
    e = tr._expr(node)
    if isinstance(e, (ir.Const, ir.Name)) or (
        isinstance(e, (ir.TupleLit, ir.ListLit)) and all(isinstance(x, ir.Const) for x in e.elems)
    ):
        return e
    _refuse("call", f"{what} must be a constant or a variable", node)


def _keywords(node: ast.Call) -> dict[str, ast.expr]:
    return {k.arg: k.value for k in node.keywords if k.arg is not None}


# -- builtins ---------------------------------------------------------------------------


def builtin(tr: Tr, name: str, node: ast.Call) -> ir.Expr | None:
    """Builtins translated here; None leaves the call to ``frontend._builtin``."""
    kws = _keywords(node)
    if name == "sorted":
        return _sorted(tr, node, kws)
    if name in ("min", "max"):
        return _min_max(tr, name, node, kws)
    if kws:
        _refuse("unsupported-syntax", f"keyword arguments of `{name}()` are not supported", node)
    if name in ("any", "all"):
        (arg,) = _positional(node, 1)
        elt, gens = source(tr, arg)
        return ir.Reduce(BOOL, name, tr._truth(elt, node), gens)
    if name == "sum" and len(node.args) == 1 and _needs_source(tr, node.args[0]):
        elt, gens = source(tr, node.args[0])
        t = tr._numeric(elt, node)
        if t not in (INT, FLOAT, BOOL):
            _refuse("type", f"sum() of {t} items is not supported", node)
        return ir.Reduce(FLOAT if t == FLOAT else INT, "sum", elt, gens)
    if name == "list" and len(node.args) == 1 and _needs_source(tr, node.args[0]):
        elt, gens = source(tr, node.args[0])
        return ir.Reduce(ListT(tr._numeric(elt, node)), "list", elt, gens)
    if name == "len" and len(node.args) == 1 and _is_view(node.args[0]):
        view = node.args[0]
        assert isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute)
        d = tr._expr(view.func.value)
        if isinstance(tr._numeric(d, node), DictT):
            return ir.Call(INT, "len", (d,))
        return None
    if name == "dict" and len(node.args) == 1:
        d = tr._expr(node.args[0])
        if isinstance(tr._numeric(d, node), DictT):
            return ir.Copy(d.type, d)
        _refuse("type", f"dict() of {d.type} is not supported", node)
    if name == "str":
        (x,) = _positional(node, 1)
        e = tr._expr(x)
        t = tr._numeric(e, node)
        if t == STR:
            return e
        if t in (INT, BOOL, FLOAT):
            return ir.Call(STR, "str", (e,))
        _refuse("type", f"str() of {t} is not supported", node)
    if name == "int" and len(node.args) == 1:
        e = tr._expr(node.args[0])
        if tr._numeric(e, node) == STR:
            return ir.Call(INT, "int_str", (e,))
    return None


def _is_view(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _VIEWS
        and not node.args
        and not node.keywords
    )


def _positional(node: ast.Call, n: int) -> list[ast.expr]:
    if len(node.args) != n:
        _refuse(
            "call",
            f"`{ast.unparse(node.func)}` with {len(node.args)} arguments is not supported",
            node,
        )
    return list(node.args)


def _sorted(tr: Tr, node: ast.Call, kws: dict[str, ast.expr]) -> ir.Expr:
    (arg,) = _positional(node, 1)
    elt, gens = source(tr, arg)
    et = tr._numeric(elt, node)
    key = _key(tr, kws["key"], et) if "key" in kws else None
    if key is None and not _orderable(et):
        _refuse("type", f"sorted() of {et} items is not supported (no key)", node)
    reverse = _reverse(tr, kws.get("reverse"), node)
    return ir.Reduce(ListT(et), "sorted", elt, gens, key, None, reverse)


def _reverse(tr: Tr, node: ast.expr | None, call: ast.AST) -> ir.Expr | None:
    if node is None:
        return None
    e = _simple(tr, node, "reverse=")
    tr._expect(e, BOOL, "reverse=", call)
    return e


def _min_max(tr: Tr, name: str, node: ast.Call, kws: dict[str, ast.expr]) -> ir.Expr | None:
    if len(node.args) != 1:
        if kws:
            _refuse("call", f"{name}() of several arguments with key= is not supported", node)
        return None
    arg = node.args[0]
    if not kws and not _needs_source(tr, arg):
        seq_t = tr._numeric(tr._expr(arg), node)
        if isinstance(seq_t, ListT) and seq_t.elem in (INT, FLOAT, STR):
            return None  # frontend's min_seq/max_seq: no copy of the list
    elt, gens = source(tr, arg)
    et = tr._numeric(elt, node)
    key = _key(tr, kws["key"], et) if "key" in kws else None
    if key is None and not _orderable(et):
        _refuse("type", f"{name}() over {et} items is not supported", node)
    t: RType = et
    default = None
    if "default" in kws:
        default = _simple(tr, kws["default"], "default=")
        joined = join(et, default.type)
        if joined is None:
            _refuse(
                "type-conflict",
                f"{name}() of {et} items with a {default.type} default (the result's type "
                "would depend on the values)",
                node,
            )
        from .frontend import _retype

        default = _retype(default, joined)
        t = joined
    return ir.Reduce(t, name, elt, gens, key, default)


# -- methods ----------------------------------------------------------------------------


def method(tr: Tr, obj: ir.Expr, m: str, node: ast.Call) -> ir.Expr | None:
    """str/list/dict methods translated here; None leaves the call to ``frontend._method``."""
    t = obj.type
    out: ir.Expr | None = None
    if t == STR:
        out = _str_method(tr, obj, m, node)
    elif isinstance(t, ListT):
        out = _list_method(tr, obj, t, m, node)
    elif isinstance(t, DictT):
        out = _dict_method(tr, obj, t, m, node)
    if out is None and node.keywords:
        _refuse("unsupported-syntax", f"keyword arguments of `.{m}()` are not supported", node)
    return out


def _args(tr: Tr, node: ast.Call, counts: tuple[int, ...]) -> list[ir.Expr]:
    if len(node.args) not in counts:
        _refuse(
            "call",
            f"`{ast.unparse(node.func)}` with {len(node.args)} arguments is not supported",
            node,
        )
    return [tr._expr(a) for a in node.args]


def _str_arg(tr: Tr, e: ir.Expr, what: str, node: ast.AST) -> ir.Expr:
    tr._expect(e, STR, what, node)
    return e


def _str_method(tr: Tr, s: ir.Expr, m: str, node: ast.Call) -> ir.Expr | None:
    if m in ("split", "rsplit"):
        kws = _keywords(node)
        pos = list(node.args)
        if len(pos) > 2:
            _refuse("call", f"`.{m}()` takes at most two arguments", node)
        sep_node = pos[0] if pos else kws.get("sep")
        max_node = pos[1] if len(pos) > 1 else kws.get("maxsplit")
        maxsplit = tr._expr(max_node) if max_node is not None else ir.Const(INT, -1)
        tr._expect(maxsplit, INT, f"{m}() maxsplit", node)
        sep = tr._expr(sep_node) if sep_node is not None else ir.Const(NONE, None)
        if sep.type == NONE:
            if not isinstance(sep, ir.Const):
                _refuse("type", f"{m}() separator must be a str or the constant None", node)
            return ir.Method(ListT(STR), s, f"{m}_ws", (maxsplit,))
        return ir.Method(ListT(STR), s, m, (_str_arg(tr, sep, f"{m}() separator", node), maxsplit))
    if m == "splitlines":
        _args(tr, node, (0,))
        return ir.Method(ListT(STR), s, m, ())
    if m in ("strip", "lstrip", "rstrip"):
        args = _args(tr, node, (0, 1))
        if not args or (args[0].type == NONE and isinstance(args[0], ir.Const)):
            return ir.Method(STR, s, f"{m}_ws", ())
        return ir.Method(STR, s, m, (_str_arg(tr, args[0], f"{m}() characters", node),))
    if m in ("lower", "upper", "casefold", "swapcase", "capitalize", "title"):
        if m in ("swapcase", "capitalize", "title"):
            return None
        _args(tr, node, (0,))
        return ir.Method(STR, s, m, ())
    if m in _STR_PREDICATES:
        _args(tr, node, (0,))
        return ir.Method(BOOL, s, m, ())
    if m in ("startswith", "endswith"):
        (x,) = _args(tr, node, (1,))
        xt = tr._numeric(x, node)
        if isinstance(xt, TupleT) and all(e == STR for e in xt.elems):
            return ir.Method(BOOL, s, f"{m}_any", (x,))
        return ir.Method(BOOL, s, m, (_str_arg(tr, x, f"{m}() prefix", node),))
    if m in _STR_FIND:
        (x,) = _args(tr, node, (1,))
        return ir.Method(INT, s, m, (_str_arg(tr, x, f"{m}() argument", node),))
    if m == "replace":
        args = _args(tr, node, (2, 3))
        for a in args[:2]:
            _str_arg(tr, a, "replace() argument", node)
        count = args[2] if len(args) == 3 else ir.Const(INT, -1)
        tr._expect(count, INT, "replace() count", node)
        return ir.Method(STR, s, m, (args[0], args[1], count))
    if m == "join":
        (arg,) = _positional(node, 1)
        seq = tr._expr(arg) if not isinstance(arg, ast.GeneratorExp) else None
        if seq is None or not isinstance(tr._numeric(seq, node), ListT):
            # str.join reads the whole iterable before joining: a list is the same.
            elt, gens = source(tr, arg)
            seq = ir.Reduce(ListT(tr._numeric(elt, node)), "list", elt, gens)
        if seq.type != ListT(STR):
            _refuse("type", f"join() of {seq.type} (expected list[str])", node)
        return ir.Method(STR, s, m, (seq,))
    if m == "zfill":
        (w,) = _args(tr, node, (1,))
        tr._expect(w, INT, "zfill() width", node)
        return ir.Method(STR, s, m, (w,))
    if m in ("ljust", "rjust", "center"):
        args = _args(tr, node, (1, 2))
        tr._expect(args[0], INT, f"{m}() width", node)
        fill = args[1] if len(args) == 2 else ir.Const(STR, " ")
        return ir.Method(STR, s, m, (args[0], _str_arg(tr, fill, f"{m}() fill", node)))
    if m in ("partition", "rpartition"):
        (x,) = _args(tr, node, (1,))
        return ir.Method(TupleT((STR, STR, STR)), s, m, (_str_arg(tr, x, f"{m}() sep", node),))
    return None


def _item_arg(tr: Tr, t: ListT, x: ir.Expr, m: str, node: ast.AST) -> ir.Expr:
    if isinstance(t.elem, Unknown):
        _pending(node)
    if join(t.elem, x.type) is None:
        _refuse("type", f"list.{m}() of a {x.type} on {t}", node)
    if contains_float(t.elem):
        _refuse(
            "float-identity",
            f"list.{m}() on a list of floats depends on object identity for NaN; not supported",
            node,
        )
    return x


def _list_method(tr: Tr, xs: ir.Expr, t: ListT, m: str, node: ast.Call) -> ir.Expr | None:
    if m in ("index", "count", "remove"):
        (x,) = _args(tr, node, (1,))
        x = _item_arg(tr, t, x, m, node)
        return ir.Method(NONE if m == "remove" else INT, xs, m, (x,))
    if m in ("reverse", "clear"):
        _args(tr, node, (0,))
        return ir.Method(NONE, xs, m, ())
    if m == "copy":
        _args(tr, node, (0,))
        return ir.Copy(t, xs)
    if m == "sort":
        _args(tr, node, (0,))
        if isinstance(t.elem, Unknown):
            _pending(node)
        kws = _keywords(node)
        reverse = _reverse(tr, kws.get("reverse"), node) or ir.Const(BOOL, False)
        if "key" not in kws:
            if not _orderable(t.elem):
                _refuse("type", f"sort() of {t} is not supported (no key)", node)
            return ir.Method(NONE, xs, "sort", (reverse,))
        key = _key(tr, kws["key"], t.elem)
        if any(isinstance(x, ir.Method) for x in ir.subexprs(xs)):
            # The list is read for its keys, then sorted: its place is evaluated twice.
            _refuse("unsupported-syntax", "sort(key=...) of a list reached through a call", node)
        root, _ = ir.root(xs)
        if root is not None and any(
            isinstance(x, ir.Name) and x.id == root for x in ir.subexprs(key.body)
        ):
            # During list.sort the list looks empty to the key function.
            _refuse("key", f"the sort key reads `{root}`, the list being sorted", node)
        return ir.Method(NONE, xs, "sort_key", (key, reverse))
    if m == "extend" and len(node.args) == 1 and _needs_source(tr, node.args[0]):
        elt, gens = source(tr, node.args[0])
        items = ir.Reduce(ListT(tr._numeric(elt, node)), "list", elt, gens)
        root, _ = ir.root(xs)
        if any(isinstance(x, ir.Name) and x.id == root for x in ir.subexprs(items)):
            _refuse("mutates-iterable", f"extending `{root}` from an iterable over itself", node)
        if join(t, items.type) is None:
            _refuse("type-conflict", f"extending {t} with {items.type}", node)
        return ir.Method(NONE, xs, "extend", (items,))
    return None


def _dict_method(tr: Tr, d: ir.Expr, t: DictT, m: str, node: ast.Call) -> ir.Expr | None:
    if m in _VIEWS:
        _refuse(
            "iteration",
            f"`dict.{m}()` is supported as the iterable of a `for` or inside list(), sorted(), "
            "len(), sum(), min(), max(), any(), all() and join()",
            node,
        )
    if m in ("setdefault", "pop"):
        args = _args(tr, node, (1, 2) if m == "pop" else (2,))
        k = args[0]
        if isinstance(t.key, Unknown) or isinstance(t.value, Unknown):
            _pending(node)
        if join(t.key, k.type) is None:
            _refuse("type", f"dict.{m}() with a {k.type} key on {t}", node)
        if len(args) == 1:
            return ir.Method(t.value, d, "pop_key", (k,))
        from .frontend import _retype

        vt = join(t.value, args[1].type)
        if vt != t.value:
            _refuse("type-conflict", f"dict.{m}() default {args[1].type} on {t}", node)
        default = _retype(args[1], t.value)
        return ir.Method(t.value, d, "setdefault" if m == "setdefault" else "pop_key", (k, default))
    if m == "update":
        (other,) = _args(tr, node, (1,))
        if not isinstance(other.type, DictT) or join(t, other.type) is None:
            _refuse("type", f"dict.update() with {other.type} on {t}", node)
        return ir.Method(NONE, d, "update", (other,))
    if m == "clear":
        _args(tr, node, (0,))
        return ir.Method(NONE, d, "clear", ())
    if m == "copy":
        _args(tr, node, (0,))
        return ir.Copy(t, d)
    return None


# -- del --------------------------------------------------------------------------------


def delete(tr: Tr, s: ast.Delete) -> ir.Stmt:
    """``del xs[i]`` and ``del d[k]``, each target in turn."""
    out: list[ir.Stmt] = []
    for target in s.targets:
        if not isinstance(target, ast.Subscript) or isinstance(target.slice, ast.Slice):
            _refuse(
                "unsupported-syntax",
                f"`del {ast.unparse(target)}` is not supported (only `del xs[i]` and `del d[k]`)",
                s,
            )
        obj = tr._expr(target.value)
        idx = tr._expr(target.slice)
        ot = tr._numeric(obj, s)
        if isinstance(ot, ListT):
            tr._expect(idx, INT, "list index", s)
            out.append(ir.ExprStmt(s.lineno, ir.Method(NONE, obj, "del_item", (idx,))))
        elif isinstance(ot, DictT):
            if join(ot.key, idx.type) is None:
                _refuse("type", f"a {idx.type} key on {ot}", s)
            out.append(ir.ExprStmt(s.lineno, ir.Method(NONE, obj, "del_key", (idx,))))
        else:
            _refuse("unsupported-syntax", f"`del` on {ot} is not supported", s)
    if len(out) == 1:
        return out[0]
    return ir.If(s.lineno, ir.TRUE, tuple(out), ())
