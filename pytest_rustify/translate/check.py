"""IR invariants that keep Rust's value semantics indistinguishable from Python's sharing.

Input: an ``ir.Function``. Output: nothing, or a ``RefusalError`` naming the line::

    out = []; row = []; row.append(x); out.append(row)   # fine: row is rebound fresh
    a = b; a.append(1)                                    # refused: b would change too

Generated Rust holds lists and dicts by value, so ``a = b`` copies where Python shares.
That is only invisible when no object reachable through two names is changed in place.
A flow analysis tracks, per list/dict local, whether its object is reachable only
through that name (``top``) and whether the objects inside it are (``inner``);
mutating through a name requires the first, mutating an element the second.
Arguments start unique (the dispatcher checks at run time that no argument it writes
back is reachable from another; a caller checks its own places): the parameters
changed in place are returned, with whether objects inside them change too. NumPy
arrays are changed in the caller's own buffer, and are not among them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import RefusalError
from . import ir
from .rtypes import ArrayT, is_mutable

# How a mutator reads in the user's code, where it is not a method call.
_MUTATOR_SYNTAX = {"repeat_in_place": "`*=`"}


@dataclass(frozen=True)
class _Own:
    top: bool
    inner: bool


_SHARED = _Own(False, False)
State = dict[str, _Own]


def check_function(fn: ir.Function, callees: Mapping[str, ir.Function]) -> dict[str, bool]:
    """Raise RefusalError where the function's behaviour would depend on Python aliasing.

    ``callees``: the functions it calls by IR name, with the parameters they change.
    Returns the parameters changed in place, each mapped to whether objects inside it
    change too (``grid[i][j] = v``, not only ``grid[i] = row``)."""
    params = {p.name for p in fn.params if is_mutable(p.type) and not isinstance(p.type, ArrayT)}
    # An array argument is changed in place in the caller's own buffer, as in Python.
    state: State = {p.name: _Own(True, True) for p in fn.params if is_mutable(p.type)}
    checker = _Checker(params, callees)
    checker.block(fn.body, state)
    for name in sorted(checker.mutated.keys() & checker.rebound):
        raise RefusalError(
            "mutates-argument",
            f"the argument `{name}` is changed in place and also rebound; the caller's "
            "object would have to follow only the first",
            checker.rebound[name],
        )
    return checker.mutated


def _fresh(e: ir.Expr) -> _Own | None:
    """Ownership of a newly made value, or None when ``e`` may be an existing object."""
    if not is_mutable(e.type):
        return _Own(True, True)
    if isinstance(e, (ir.ListLit, ir.DictLit, ir.TupleLit)):
        parts = list(e.elems) if not isinstance(e, ir.DictLit) else list(e.values)
        return _Own(True, all(_fresh(p) is not None for p in parts))
    if isinstance(e, ir.Comprehension):
        return _Own(True, _fresh(e.elt) is not None)
    if isinstance(e, (ir.Slice, ir.Copy)) or (isinstance(e, ir.BinOp) and e.op in "+*"):
        elem = getattr(e.type, "elem", None)
        return _Own(True, elem is None or not is_mutable(elem))
    if isinstance(e, ir.Call):
        return _Own(True, True)
    if (isinstance(e, ir.Reduce) and e.op in ("list", "sorted")) or (
        isinstance(e, ir.Method) and e.method in ir.FRESH_METHODS
    ):
        # A new list (list(), sorted(), s.split()): its items may be the source's items.
        elem = getattr(e.type, "elem", None)
        return _Own(True, elem is None or not is_mutable(elem))
    return None


class _Checker:
    def __init__(self, params: set[str], callees: Mapping[str, ir.Function]) -> None:
        self.params = params
        self.callees = callees
        self.mutated: dict[str, bool] = {}  # param -> objects inside it change too
        self.rebound: dict[str, int] = {}  # param -> a line rebinding it

    # -- state helpers ----------------------------------------------------------

    @staticmethod
    def merge(a: State, b: State) -> State:
        out = dict(a)
        for k, v in b.items():
            if k in out:
                out[k] = _Own(out[k].top and v.top, out[k].inner and v.inner)
            else:
                out[k] = v
        return out

    def share(self, e: ir.Expr, state: State) -> None:
        """``e``'s object becomes reachable from somewhere else too."""
        if not is_mutable(e.type) and not isinstance(e, (ir.TupleLit, ir.ListLit)):
            return
        for sub in ir.subexprs(e):
            if not is_mutable(sub.type):
                continue
            root, whole = ir.root(sub)
            if root is None:
                continue
            if whole:
                state[root] = _SHARED
            else:
                cur = state.get(root, _SHARED)
                state[root] = _Own(cur.top, False)

    def mutate(self, place: ir.Expr, line: int, state: State, what: str) -> None:
        root, whole = ir.root(place)
        if root is None:
            raise RefusalError("aliasing", f"{what} of a temporary value is not supported", line)
        if root in self.params:
            self.mutated[root] = self.mutated.get(root, False) or not whole
        own = state.get(root, _SHARED)
        if not own.top or (not whole and not own.inner):
            raise RefusalError(
                "aliasing",
                f"{what} changes `{root}`, which may be shared with another name or container "
                "(Rust holds lists by value)",
                line,
            )

    # -- expressions ------------------------------------------------------------

    def expr(self, e: ir.Expr, state: State) -> None:
        """Walk an expression: method calls inside it may mutate or share."""
        for sub in ir.subexprs(e):
            if isinstance(sub, ir.Method) and sub.method in ir.MUTATORS:
                self.mutate(
                    sub.obj, 0, state, _MUTATOR_SYNTAX.get(sub.method, f"`.{sub.method}()`")
                )
                for a in sub.args:
                    if _fresh(a) is None:
                        self.share(a, state)
                        root, _ = ir.root(sub.obj)
                        if root is not None and root in state:
                            state[root] = _Own(state[root].top, False)
            elif isinstance(sub, (ir.ListLit, ir.TupleLit, ir.DictLit)):
                parts = sub.values if isinstance(sub, ir.DictLit) else sub.elems
                for p in parts:
                    if _fresh(p) is None:
                        self.share(p, state)
            elif isinstance(sub, ir.Comprehension) and _fresh(sub.elt) is None:
                self.share(sub.elt, state)
                if is_mutable(sub.elt.type):
                    self.share_sources(sub, state)  # [r for r in rows] holds the rows
            elif isinstance(sub, ir.UserCall):
                self.user_call(sub, state)
            if isinstance(sub, ir.Reduce) and is_mutable(sub.elt.type):
                self.share_sources(sub, state)  # sorted(rows), max(rows, key=len)

    def share_sources(self, e: ir.Comprehension | ir.Reduce, state: State) -> None:
        """The result holds the iterated sequences' elements themselves."""
        for g in e.generators:
            for it in ir.iter_exprs(g.iter):
                self.share_elements(it, state)

    def user_call(self, call: ir.UserCall, state: State) -> None:
        """The callee changes some arguments' objects through references to them."""
        callee = self.callees[call.callee]
        for i in callee.mutated_positions():
            arg = call.args[i]
            root, _ = ir.root(arg)
            if root is None:
                continue  # a temporary: nobody else sees it
            what = f"calling `{callee.target.rsplit(':', 1)[-1]}()`"
            for j, other in enumerate(call.args):
                # A value computed from it (`len(xs)`) is fine; another reference is not.
                if (
                    j != i
                    and is_mutable(other.type)
                    and any(isinstance(x, ir.Name) and x.id == root for x in ir.subexprs(other))
                ):
                    raise RefusalError(
                        "aliasing",
                        f"{what} passes `{root}` twice, and changes it in place",
                        0,
                    )
            self.mutate(arg, 0, state, what)
            if callee.params[i].name in callee.mutated_inside:
                self.mutate(ir.Index(arg.type, arg, arg), 0, state, what)

    # -- statements -------------------------------------------------------------

    def block(self, body: tuple[ir.Stmt, ...], state: State) -> State:
        for s in body:
            try:
                state = self.stmt(s, state)
            except RefusalError as err:
                if err.line == 0:
                    raise RefusalError(err.code, err.message, s.line) from None
                raise
        return state

    def assign(self, target: ir.Target, value: ir.Expr | None, state: State, line: int) -> None:
        if isinstance(target, ir.TName):
            if target.id in self.params:
                self.rebound.setdefault(target.id, line)
            if not is_mutable(target.type):
                return
            own = None if value is None else _fresh(value)
            if own is None:
                if value is not None:
                    self.share(value, state)
                state[target.id] = _SHARED
            else:
                state[target.id] = own
        elif isinstance(target, ir.TTuple):
            for t in target.elts:
                self.assign(t, None, state, line)
            if value is not None and _fresh(value) is None:
                self.share(value, state)
        elif isinstance(target, ir.TIndex):
            self.mutate(target.obj, line, state, "item assignment")
            if value is not None and is_mutable(value.type) and _fresh(value) is None:
                self.share(value, state)
                root, _ = ir.root(target.obj)
                if root is not None:
                    state[root] = _Own(state[root].top, False)

    def stmt(self, s: ir.Stmt, state: State) -> State:
        state = dict(state)
        if isinstance(s, ir.Assign):
            self.expr(s.value, state)
            self.assign(s.target, s.value, state, s.line)
        elif isinstance(s, ir.AugAssign):
            self.expr(s.value, state)
            self.mutate(s.target.obj, s.line, state, "augmented item assignment")
            if is_mutable(s.target.type):
                # `m[i] += [x]` extends the list m[i] in place: any alias of it sees that.
                item = ir.Index(s.target.type, s.target.obj, s.target.index)
                self.mutate(item, s.line, state, "augmented assignment to a list item")
        elif isinstance(s, ir.ExprStmt):
            self.expr(s.value, state)
        elif isinstance(s, ir.If):
            self.expr(s.test, state)
            state = self.merge(self.block(s.body, state), self.block(s.orelse, state))
        elif isinstance(s, (ir.While, ir.For)):
            if isinstance(s, ir.For):
                for e in ir.iter_exprs(s.iter):
                    self.expr(e, state)
                self._check_iterated(s)
            else:
                self.expr(s.test, state)
            # Iterate to a fixpoint: the state at the loop head after any number of rounds.
            head = state
            for _ in range(8):
                inner = dict(head)
                if isinstance(s, ir.For):
                    self.assign(s.target, None, inner, s.line)
                    if is_mutable(s.iter.elem) or _has_mutable(s.target):
                        for e in ir.iter_exprs(s.iter):
                            self.share_elements(e, inner)
                out = self.block(s.body, inner)
                new_head = self.merge(head, out)
                if new_head == head:
                    break
                head = new_head
            state = self.block(s.orelse, head)
        elif isinstance(s, ir.Return):
            if s.value is not None:
                self.expr(s.value, state)
        elif isinstance(s, (ir.Raise, ir.Assert)):
            pass
        return state

    def share_elements(self, seq: ir.Expr, state: State) -> None:
        root, _ = ir.root(seq)
        if root is not None and root in state:
            state[root] = _Own(state[root].top, False)

    def _check_iterated(self, s: ir.For) -> None:
        roots = {r for e in ir.iter_exprs(s.iter) for r in [ir.root(e)[0]] if r is not None}
        # The loop's own target counts: `for xs[-1] in xs` stores into what it reads.
        for sub in (s, *ir.walk_stmts(s.body)):
            for p in ir.changed_in_place(sub, self.callees):
                root, _ = ir.root(p)
                if root in roots:
                    raise RefusalError(
                        "mutates-iterable",
                        f"the loop changes `{root}` while iterating over it",
                        sub.line,
                    )


def _has_mutable(t: ir.Target) -> bool:
    if isinstance(t, ir.TTuple):
        return any(_has_mutable(e) for e in t.elts)
    return is_mutable(t.type)


def returned_argument(fn: ir.Function) -> str:
    """The parameter every ``return`` of a list, dict or set gives back as itself
    (``return xs`` after sorting it in place), or ``""``.

    Python returns the caller's own object there, and a copy is a different object: the
    dispatcher hands back the argument itself. Any other way of returning an argument's
    object (inside a new list, one of its rows, through another name) is refused, as the
    caller would get copies where Python gives it its own objects."""
    params = {p.name for p in fn.params if is_mutable(p.type)}
    alias: dict[str, str] = {}  # a local bound to a parameter's object or one inside it
    for s in ir.walk_stmts(fn.body):
        target = getattr(s, "target", None)
        if not isinstance(target, ir.TName) or not is_mutable(target.type):
            continue
        if isinstance(s, ir.Assign) and _held(s.value, params, alias):
            alias[target.id] = _held(s.value, params, alias)[0]
        elif isinstance(s, ir.For):
            held = [p for e in ir.iter_exprs(s.iter) for p in _held(e, params, alias)]
            if held:
                alias[target.id] = held[0]
    direct: set[str] = set()
    others = False
    for s in ir.walk_stmts(fn.body):
        if not isinstance(s, ir.Return) or s.value is None or not is_mutable(s.value.type):
            continue
        v = s.value
        if isinstance(v, ir.Name) and v.id in params:
            direct.add(v.id)
            continue
        others = True
        held = _held(v, params, alias)
        if held:
            raise RefusalError(
                "returns-argument",
                f"may return the argument `{held[0]}` or an object inside it; the caller "
                "would get a copy, not its own object",
                s.line,
            )
    if len(direct) > 1 or (direct and others):
        raise RefusalError(
            "returns-argument",
            "returns an argument on some paths and other objects on others",
            fn.line,
        )
    return next(iter(direct), "")


def _held(e: ir.Expr, params: set[str], alias: Mapping[str, str]) -> list[str]:
    """The parameters whose objects (or objects inside them) ``e`` may be."""
    if not is_mutable(e.type) and not isinstance(e, (ir.TupleLit, ir.IfExp, ir.BoolOp)):
        return []
    if isinstance(e, ir.Name):
        if e.id in params:
            return [e.id]
        return [alias[e.id]] if e.id in alias else []
    if isinstance(e, ir.Index):
        return _held(e.obj, params, alias) if is_mutable(e.type) else []
    if isinstance(e, ir.Method):  # d.get(k, []), rows.pop(): an object inside it
        return _held(e.obj, params, alias) if is_mutable(e.type) else []
    if isinstance(e, (ir.Comprehension, ir.Reduce)):  # [r for r in rows], max(rows, key=len)
        if _fresh(e.elt) is not None:
            return []
        iters = [x for g in e.generators for x in ir.iter_exprs(g.iter)]
        return [p for x in iters for p in _held(x, params, alias)]
    parts: tuple[ir.Expr, ...] = ()
    if isinstance(e, (ir.ListLit, ir.TupleLit)):
        parts = e.elems
    elif isinstance(e, ir.DictLit):
        parts = e.values
    elif isinstance(e, ir.IfExp):
        parts = (e.body, e.orelse)
    elif isinstance(e, ir.BoolOp):
        parts = e.values
    return [p for part in parts for p in _held(part, params, alias)]
