"""Sets in the translator: Python AST -> IR for set syntax, and the iteration-order check.

Input: the frontend's translator object and an AST node (``frontend.py`` calls in here
from its dispatch points), or a finished ``ir.Function`` (``check_set_order``). Output:
IR nodes, or a ``RefusalError`` naming the line::

    {x, 1}              -> Call(set[int], "set.lit", (Name x, Const 1))
    a | b               -> Call(set[int], "set.union", (a, b))
    s.add(x)            -> Method(None, s, "add", (x,))
    for x in s: out.append(x)      # refused: the list's order would be CPython's hash order

Python's set iteration order is observable, and CPython's depends on the hashes, the
table's history and, for str, on PYTHONHASHSEED, so a translation cannot reproduce it.
Iterating a set is accepted only where the result cannot depend on the order: a set
comprehension, or a ``for`` loop whose body only adds to (or only removes from) other
sets and sums ints into accumulators, with expressions that cannot raise (which element
raises first would depend on the order). ``len``, ``in``, ``min``, ``max``, ``sum`` and
``sorted`` never depend on it; ``list(s)``, ``s.pop()`` and ordered loops are refused.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, NoReturn

from ..errors import RefusalError
from . import ir
from .rtypes import BOOL, FLOAT, INT, NONE, STR, DictT, ListT, RType, SetT, TupleT, Unknown, join
from .rtypes import is_hashable_key as _hashable

if TYPE_CHECKING:
    from .frontend import _FunctionTranslator as Translator

# Python's operator on sets -> the IR operation (the same for the method of that name).
SET_OPS = {"|": "union", "&": "intersection", "-": "difference", "^": "symmetric_difference"}
BIT_OPS: dict[type[ast.operator], str] = {ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^"}
_IN_PLACE = {
    "|": "update",
    "&": "intersection_update",
    "-": "difference_update",
    "^": "symmetric_difference_update",
}
_AST_OPS: dict[type[ast.operator], str] = {**BIT_OPS, ast.Sub: "-"}
_ORDER_WHY = (
    "CPython's set order follows hashes and insertion history (and for str "
    "PYTHONHASHSEED), which a translation cannot reproduce"
)


def _refuse(code: str, message: str, node: ast.AST | int) -> NoReturn:
    line = node if isinstance(node, int) else getattr(node, "lineno", 0)
    raise RefusalError(code, message, line)


def _pending(what: str, node: ast.AST) -> NoReturn:
    from .frontend import _Pending

    raise _Pending(what, getattr(node, "lineno", 0))


def check_elem(t: RType, node: ast.AST) -> None:
    """Refuse set items Python would hash differently from Rust (floats: 1 == 1.0)."""
    if not isinstance(t, Unknown) and not _hashable(t):
        _refuse(
            "set-elem",
            f"sets of {t} are not supported (int, str, bool or tuples of int/str; "
            "floats hash like ints in Python)",
            node,
        )


def _fit(e: ir.Expr, t: RType) -> ir.Expr:
    """``set()`` beside a set of known items takes their type (``s == set()``)."""
    if isinstance(e, ir.Call) and isinstance(t, SetT) and e.type == SetT(Unknown()):
        return ir.Call(t, e.func, e.args)
    return e


def _joined(a: RType, b: RType, what: str, node: ast.AST) -> RType:
    t = join(a, b)
    if t is None:
        _refuse("type-conflict", f"{what}: {b} where the set holds {a}", node)
    return t


# -- construction -----------------------------------------------------------------


def literal(tr: Translator, node: ast.Set) -> ir.Expr:
    """``{a, b, c}``: items evaluated left to right, as Python does."""
    if any(isinstance(e, ast.Starred) for e in node.elts):
        _refuse("unsupported-syntax", "`*` unpacking is not supported", node)
    elems = tuple(tr._expr(e) for e in node.elts)
    t: RType = elems[0].type
    for e in elems[1:]:
        t = _joined(t, e.type, "set literal", node)
    check_elem(t, node)
    return ir.Call(SetT(t), "set.lit", elems)


def as_set(tr: Translator, x: ir.Expr, node: ast.AST) -> ir.Expr:
    """An iterable argument (``set(xs)``, ``s.update(xs)``) as a new set."""
    t = tr._numeric(x, node)
    if isinstance(t, SetT):
        return ir.Call(t, "set.from", (x,))
    if isinstance(t, ListT):
        check_elem(t.elem, node)
        return ir.Call(SetT(t.elem), "set.from", (x,))
    if t == STR:
        return ir.Call(SetT(STR), "set.from", (x,))
    if isinstance(t, DictT):
        return ir.Call(SetT(t.key), "set.from", (x,))
    _refuse("type", f"a set of the items of {t} is not supported", node)


def _other(tr: Translator, t: SetT, x: ir.Expr, node: ast.AST, op: str) -> ir.Expr:
    """The operand of a set method: a set as it is, any other iterable converted."""
    other = x if isinstance(x.type, SetT) else as_set(tr, x, node)
    assert isinstance(other.type, SetT)
    _joined(t.elem, other.type.elem, f"`{op}`", node)
    return other


# -- builtins, methods, operators ---------------------------------------------------

_PEEKED = ("len", "min", "max", "sum", "sorted", "list", "tuple", "any", "all")


def builtin(tr: Translator, name: str, node: ast.Call) -> ir.Expr | None:
    """``set(...)`` and the builtins of one set argument; None when not about a set."""
    if name == "set":
        args = tr._args(node, (0, 1))
        if not args:
            return ir.Call(SetT(Unknown()), "set.new", ())
        return as_set(tr, args[0], node)
    if name not in _PEEKED or len(node.args) != 1 or node.keywords:
        return None
    from .frontend import _Pending

    arg = node.args[0]
    counter = tr.comp_counter
    try:
        x = tr._expr(arg)
    except (RefusalError, _Pending):
        x = None  # not a set: the caller decides (it may treat the argument specially)
    if x is None or not isinstance(x.type, SetT):
        # The caller translates the argument again: let its comprehensions (if any)
        # get the same local names the second time.
        tr.comp_counter = counter
        return None
    t = x.type
    if name == "len":
        return ir.Call(INT, "len", (x,))
    if name in ("list", "tuple"):
        _refuse(
            "set-order",
            f"`{name}()` of a set lists it in iteration order; {_ORDER_WHY} (use sorted())",
            node,
        )
    if isinstance(t.elem, Unknown):
        _pending(ast.unparse(arg), node)
    if name == "sum":
        if t.elem not in (INT, BOOL):
            _refuse("type", f"sum() of {t} is not supported", node)
        return ir.Call(INT, "set.sum", (x,))
    if name == "sorted":
        return ir.Call(ListT(t.elem), "set.sorted", (x,))
    if name in ("any", "all"):
        if t.elem not in (INT, STR, BOOL):
            _refuse("type", f"{name}() of {t} is not supported", node)
        return ir.Call(BOOL, f"set.{name}", (x,))
    return ir.Call(t.elem, f"set.{name}", (x,))


def method(tr: Translator, obj: ir.Expr, t: SetT, name: str, node: ast.Call) -> ir.Expr:
    if name in ("add", "discard", "remove"):
        (x,) = tr._args(node, 1)
        elem = _joined(t.elem, x.type, f"`.{name}()`", node)
        check_elem(elem, node)
        _teach(tr, obj, SetT(elem), node)
        return ir.Method(NONE, obj, name, (x,))
    if name in ("update", *_IN_PLACE.values()):
        args = tr._args(node, (1,) if name != "update" else tuple(range(1, 9)))
        others = []
        for a in args:
            other = _other(tr, SetT(t.elem), a, node, f".{name}()")
            assert isinstance(other.type, SetT)
            _teach(tr, obj, SetT(_joined(t.elem, other.type.elem, name, node)), node)
            others.append(_owned(other))
        return ir.Method(NONE, obj, name, tuple(others))
    if name in SET_OPS.values():
        out = obj
        for a in tr._args(node, tuple(range(1, 9))):
            out = _combine(name, out, _other(tr, t, a, node, f".{name}()"), node)
        return out
    if name in ("issubset", "issuperset"):
        (x,) = tr._args(node, 1)
        op = "<=" if name == "issubset" else ">="
        return ir.Compare(BOOL, obj, (op,), (_other(tr, t, x, node, name),))
    if name == "isdisjoint":
        (x,) = tr._args(node, 1)
        return ir.Call(BOOL, "set.isdisjoint", (obj, _other(tr, t, x, node, name)))
    if name == "copy":
        tr._args(node, 0)
        return ir.Call(t, "set.from", (obj,))
    if name == "clear":
        tr._args(node, 0)
        return ir.Method(NONE, obj, "clear", ())
    if name == "pop":
        _refuse(
            "set-order",
            f"`set.pop()` removes the first item in iteration order; {_ORDER_WHY}",
            node,
        )
    _refuse("method", f"the method `{name}()` of {t} is not supported yet", node)


def _teach(tr: Translator, obj: ir.Expr, t: SetT, node: ast.AST) -> None:
    """``s = set(); s.add(x)``: the set learns its item type from what goes in."""
    if isinstance(obj, ir.Name) and not isinstance(t.elem, Unknown):
        tr._bind_type(obj.id, t, node)


def _owned(e: ir.Expr) -> ir.Expr:
    # A set read by an in-place method is copied first: the Rust borrow of the changed
    # set must not overlap it (`s |= s`), and the ownership check sees no sharing.
    return e if isinstance(e, ir.Call) else ir.Copy(e.type, e)


def _combine(name: str, a: ir.Expr, b: ir.Expr, node: ast.AST) -> ir.Expr:
    assert isinstance(a.type, SetT) and isinstance(b.type, SetT)
    t = SetT(_joined(a.type.elem, b.type.elem, name, node))
    return ir.Call(t, f"set.{name}", (_fit(a, t), _fit(b, t)))


def binop(tr: Translator, op: str, left: ir.Expr, right: ir.Expr, node: ast.AST) -> ir.Expr:
    """``a | b``, ``a & b``, ``a - b``, ``a ^ b`` between sets (other operands: refused)."""
    lt, rt = tr._numeric(left, node), tr._numeric(right, node)
    if not (isinstance(lt, SetT) and isinstance(rt, SetT)):
        _refuse("type", f"`{op}` between {lt} and {rt} is not supported", node)
    return _combine(SET_OPS[op], left, right, node)


def augassign(tr: Translator, s: ast.AugAssign) -> ir.Stmt | None:
    """``s |= t`` and the like change the set in place; None when ``s`` is no set."""
    op = _AST_OPS.get(type(s.op))
    if op is None or not isinstance(s.target, ast.Name):
        return None
    name = tr._local(s.target.id)
    t = tr.env.get(name)
    if not isinstance(t, SetT):
        if op != "-" and t is not None:
            _refuse("type", f"`{op}=` on {t} is not supported", s)
        return None
    other = tr._expr(s.value)
    if not isinstance(other.type, SetT):
        _refuse("type", f"`{op}=` of a set with {other.type} (Python raises TypeError)", s)
    elem = _joined(t.elem, other.type.elem, f"`{op}=`", s)
    obj = ir.Name(SetT(elem), name)
    _teach(tr, obj, SetT(elem), s)
    return ir.ExprStmt(s.lineno, ir.Method(NONE, obj, _IN_PLACE[op], (_owned(other),)))


def comparable(op: str, a: ir.Expr, b: ir.Expr, node: ast.AST) -> tuple[ir.Expr, ir.Expr]:
    at, bt = a.type, b.type
    if op in ("in", "not in") and isinstance(bt, SetT):
        if isinstance(at, Unknown) or join(at, bt.elem) is None:
            _refuse("type", f"`in` with a {at} item on {bt}", node)
        return a, _fit(b, SetT(at))
    if isinstance(at, SetT) and isinstance(bt, SetT) and op in ("==", "!=", "<", "<=", ">", ">="):
        t = join(at, bt)
        if t is None:
            _refuse("type", f"comparing {at} {op} {bt} is not supported", node)
        return _fit(a, t), _fit(b, t)
    _refuse("type", f"comparing {at} {op} {bt} is not supported", node)


# -- iteration order ------------------------------------------------------------------


def check_set_order(fn: ir.Function) -> None:
    """Refuse every use of a set's iteration order (see the module docstring)."""
    for stmt in ir.walk_stmts(fn.body):
        exprs = ir.stmt_exprs(stmt)
        if isinstance(stmt, ir.For):
            exprs = [*exprs, *ir.iter_exprs(stmt.iter)]
            if _over_set(stmt.iter):
                _OrderFreeLoop(fn, stmt).check()
        for e in exprs:
            for sub in ir.subexprs(e):
                if isinstance(sub, ir.Comprehension):
                    _check_comprehension(sub, stmt.line)


def _over_set(it: ir.Iter) -> bool:
    if isinstance(it, ir.IterSeq):
        return isinstance(it.seq.type, SetT)
    if isinstance(it, (ir.IterEnumerate, ir.IterReversed)):
        return _over_set(it.inner)
    if isinstance(it, ir.IterZip):
        return any(_over_set(i) for i in it.inners)
    return False


def _direct(it: ir.Iter, line: int) -> None:
    if not isinstance(it, ir.IterSeq):
        _refuse(
            "set-order",
            f"enumerate(), zip() or reversed() of a set follows its iteration order; {_ORDER_WHY}",
            line,
        )


def _check_comprehension(c: ir.Comprehension, line: int) -> None:
    if not any(_over_set(g.iter) for g in c.generators):
        return
    for g in c.generators:
        if _over_set(g.iter):
            _direct(g.iter, line)
    if c.kind != "set":
        _refuse(
            "set-order",
            f"a {c.kind} comprehension over a set follows its iteration order; {_ORDER_WHY} "
            "(iterate over sorted(s), or build a set)",
            line,
        )
    parts = [c.elt, *(x for g in c.generators for x in (*g.conds, *ir.iter_exprs(g.iter)))]
    for p in parts:
        why = _may_raise(p)
        if why is not None:
            _refuse(
                "set-order",
                f"a set comprehension over a set computes {why}, which may raise: which item "
                f"raises first would follow the iteration order; {_ORDER_WHY}",
                line,
            )


def _may_raise(e: ir.Expr) -> str | None:
    """What in ``e`` may raise an exception, or None if nothing can (an int overflow
    falls back to Python, which then computes the whole call in Python's order)."""
    for sub in ir.subexprs(e):
        why = _raises(sub)
        if why is not None:
            return why
    return None


_TOTAL_CALLS = frozenset(
    {"len", "min", "max", "to_float", "to_int", "to_complex", "complex"}
    | {f"set.{n}" for n in ("lit", "new", "from", "isdisjoint", "sorted", "sum", "any", "all")}
    | {f"set.{n}" for n in SET_OPS.values()}
)


def _raises(e: ir.Expr) -> str | None:
    if isinstance(e, ir.BinOp):
        if e.op == "+" or (e.op in ("-", "*") and e.type in (INT, FLOAT)):
            return None
        divisor = e.right.value if isinstance(e.right, ir.Const) else 0
        if e.op in ("//", "%") and e.type == INT and divisor != 0:
            return None
        return f"`{e.op}`"
    if isinstance(e, ir.Call):
        if e.func in _TOTAL_CALLS or (e.func == "abs" and e.type in (INT, FLOAT)):
            return None
        return f"`{e.func.replace('set.', '')}()`"
    if isinstance(e, ir.Index):
        if isinstance(e.index, ir.Const) and isinstance(e.obj.type, TupleT):
            return None  # a tuple item at a constant position, checked when translated
        return "an index or key lookup"
    if isinstance(e, ir.Method) and e.method != "get":
        return f"`.{e.method}()`"
    if isinstance(e, (ir.Slice, ir.Comprehension)):
        return "a slice or comprehension"
    return None


class _OrderFreeLoop:
    """``for x in s`` is order-free when every round's effect commutes with the others:
    adding to a set, removing from one (never both on one set), summing ints into a
    local read nowhere else in the loop; tests and values that cannot raise and do not
    read what the loop changes; no break/return; the loop variable unread after it."""

    def __init__(self, fn: ir.Function, loop: ir.For) -> None:
        self.fn = fn
        self.loop = loop
        self.kinds: dict[str, str] = {}  # set local -> how the loop changes it
        self.sums: set[str] = set()  # int accumulators

    def refuse(self, what: str, line: int) -> NoReturn:
        _refuse(
            "set-order",
            f"a `for` loop over a set {what}, so its result may follow the iteration "
            f"order; {_ORDER_WHY} (iterate over sorted(s) instead)",
            line,
        )

    def check(self) -> None:
        _direct(self.loop.iter, self.loop.line)
        self.effects(self.loop.body)
        written = set(self.kinds) | self.sums
        for s in ir.walk_stmts(self.loop.body):
            for e in self.reads(s):
                why = _may_raise(e)
                if why is not None:
                    self.refuse(f"computes {why}, which may raise", s.line)
                names = {x.id for x in ir.subexprs(e) if isinstance(x, ir.Name)}
                if names & written:
                    name = sorted(names & written)[0]
                    self.refuse(f"reads `{name}`, which the loop changes", s.line)
        self.target_unread_after()

    def effects(self, body: tuple[ir.Stmt, ...]) -> None:
        for s in body:
            if isinstance(s, (ir.Pass, ir.Continue)):
                continue
            if isinstance(s, ir.If):
                self.effects(s.body)
                self.effects(s.orelse)
            elif isinstance(s, ir.For) and not s.orelse:
                self.effects(s.body)
            elif isinstance(s, ir.ExprStmt) and isinstance(s.value, ir.Method):
                self.set_change(s.value, s.line)
            elif self.accumulation(s) is None:
                self.refuse(
                    f"has a statement ({type(s).__name__.lower()}) other than adding to or "
                    "removing from sets and `+=`/`-=` on ints",
                    s.line,
                )

    def set_change(self, m: ir.Method, line: int) -> None:
        kind = {
            "add": "adds to",
            "update": "adds to",
            "discard": "removes from",
            "difference_update": "removes from",
            "intersection_update": "intersects",
            "symmetric_difference_update": "toggles items of",
        }.get(m.method)
        if kind is None or not isinstance(m.obj, ir.Name):
            self.refuse(f"calls `.{m.method}()`", line)
        previous = self.kinds.setdefault(m.obj.id, kind)
        if previous != kind:
            self.refuse(f"both {previous} and {kind} `{m.obj.id}`", line)

    def accumulation(self, s: ir.Stmt) -> str | None:
        """``n += e`` / ``n -= e`` on an int local (lowered to ``n = n + e``)."""
        if not (isinstance(s, ir.Assign) and isinstance(s.target, ir.TName)):
            return None
        v = s.value
        name = s.target.id
        if (
            isinstance(v, ir.BinOp)
            and v.type == INT
            and v.op in ("+", "-")
            and isinstance(v.left, ir.Name)
            and v.left.id == name
        ):
            self.sums.add(name)
            return name
        return None

    def reads(self, s: ir.Stmt) -> list[ir.Expr]:
        """The expressions whose values the loop's effects depend on."""
        if isinstance(s, ir.Assign):
            assert isinstance(s.value, ir.BinOp)
            return [s.value.right]
        if isinstance(s, ir.ExprStmt) and isinstance(s.value, ir.Method):
            return list(s.value.args)
        if isinstance(s, ir.If):
            return [s.test]
        if isinstance(s, ir.For):
            return ir.iter_exprs(s.iter)
        return []

    def target_unread_after(self) -> None:
        """After the loop its variable holds the last item, which depends on the order."""
        bound = _target_names(self.loop.target) | {
            n
            for s in ir.walk_stmts(self.loop.body)
            if isinstance(s, ir.For)
            for n in _target_names(s.target)
        }
        inside = {id(s) for s in ir.walk_stmts(self.loop.body)}
        rebinding = {
            id(x)
            for s in ir.walk_stmts(self.fn.body)
            if isinstance(s, ir.For) and s is not self.loop and bound & _target_names(s.target)
            for x in ir.walk_stmts(s.body)
        }
        for s in ir.walk_stmts(self.fn.body):
            if s is self.loop or id(s) in inside or id(s) in rebinding:
                continue
            exprs = ir.stmt_exprs(s) + (ir.iter_exprs(s.iter) if isinstance(s, ir.For) else [])
            for e in exprs:
                used = {x.id for x in ir.subexprs(e) if isinstance(x, ir.Name)} & bound
                if used:
                    self.refuse(
                        f"leaves its last item in `{sorted(used)[0]}`, which is read after it",
                        s.line,
                    )


def _target_names(t: ir.Target) -> set[str]:
    if isinstance(t, ir.TName):
        return {t.id}
    if isinstance(t, ir.TTuple):
        return {n for e in t.elts for n in _target_names(e)}
    return set()
