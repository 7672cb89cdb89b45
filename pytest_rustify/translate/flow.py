"""Flow facts about a function's AST that the frontend checks before typing it.

Input: an ``ast.FunctionDef`` (and its module). Output: sets of names, or a
``RefusalError`` at the first use of a local that may be unbound::

    local_names(fn) == {"xs", "total", "x"}
    check_definite_assignment(fn, {"xs"})     # raises at `return y` if y may be unbound

Python raises UnboundLocalError where a local is read before any assignment on some
path; Rust would refuse to compile the same code, so the translator refuses it first,
with the line, following ``break`` out of loops and ``return``/``raise`` ends.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..errors import RefusalError
from . import ir


def local_names(fn: ast.FunctionDef) -> set[str]:
    """Names Python treats as local to the function (bound anywhere in its body)."""
    names = {a.arg for a in fn.args.args}
    for node in walk_function(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def walk_function(fn: ast.FunctionDef) -> Iterator[ast.AST]:
    """ast.walk of the function's own scope (not into comprehensions' own targets)."""
    stack: list[ast.AST] = list(fn.body)
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp)):
            continue
        stack.extend(ast.iter_child_nodes(node))


def module_bindings(module: ast.Module) -> dict[str, int]:
    counts: dict[str, int] = {}
    for node in ast.walk(module):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            counts[node.id] = counts.get(node.id, 0) + 1
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            counts[node.name] = counts.get(node.name, 0) + 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for n in node.names:
                counts[n] = counts.get(n, 0) + 2
    return counts


def always_returns(body: tuple[ir.Stmt, ...]) -> bool:
    """Every path through ``body`` ends in return or raise."""
    for s in body:
        if isinstance(s, (ir.Return, ir.Raise)):
            return True
        if isinstance(s, ir.If) and always_returns(s.body) and always_returns(s.orelse):
            return True
        if isinstance(s, ir.While) and isinstance(s.test, ir.Const) and s.test.value is True:
            if not has_break(s.body):
                return True
    return False


def has_break(body: tuple[ir.Stmt, ...]) -> bool:
    for s in body:
        if isinstance(s, ir.Break):
            return True
        if isinstance(s, ir.If) and (has_break(s.body) or has_break(s.orelse)):
            return True
    return False


# -- definite assignment ------------------------------------------------------------

_ALL = frozenset({"\0all"})  # the state after return/raise/break: unreachable


def check_definite_assignment(fn: ast.FunctionDef, params: set[str]) -> None:
    """Refuse uses of a local that may be unbound (Python would raise UnboundLocalError;
    Rust would not compile)."""
    local = local_names(fn)
    _DefAssign(local).block(fn.body, frozenset(params))


class _DefAssign:
    def __init__(self, local: set[str]) -> None:
        self.local = local
        self.breaks: list[list[frozenset[str]]] = []  # per enclosing loop: states at `break`

    def block(self, stmts: list[ast.stmt], state: frozenset[str]) -> frozenset[str]:
        for s in stmts:
            state = self.stmt(s, state)
        return state

    @staticmethod
    def meet(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
        if a == _ALL:
            return b
        if b == _ALL:
            return a
        return a & b

    def uses(
        self, node: ast.AST | None, state: frozenset[str], bound: frozenset[str] = frozenset()
    ) -> None:
        if node is None or state == _ALL:
            return
        if isinstance(node, (ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp)):
            inner = set(bound)
            for g in node.generators:
                self.uses(g.iter, state, frozenset(inner))
                inner |= {n.id for n in ast.walk(g.target) if isinstance(n, ast.Name)}
                for c in g.ifs:
                    self.uses(c, state, frozenset(inner))
            for part in ("elt", "key", "value"):
                self.uses(getattr(node, part, None), state, frozenset(inner))
            return
        if isinstance(node, ast.Lambda):
            # A key lambda's parameter is bound inside it, whatever the function binds.
            params = {a.arg for a in node.args.args}
            self.uses(node.body, state, frozenset(set(bound) | params))
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id in self.local and node.id not in state and node.id not in bound:
                raise RefusalError(
                    "unbound",
                    f"`{node.id}` may be unbound here (Python raises UnboundLocalError; bind it "
                    "on every path first)",
                    node.lineno,
                )
            return
        for child in ast.iter_child_nodes(node):
            self.uses(child, state, bound)

    def bind(self, target: ast.AST, state: frozenset[str]) -> frozenset[str]:
        if state == _ALL:
            return state
        names = {
            n.id
            for n in ast.walk(target)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
        return state | names

    def stmt(self, s: ast.stmt, state: frozenset[str]) -> frozenset[str]:
        if state == _ALL:
            return state
        if isinstance(s, ast.Assign):
            self.uses(s.value, state)
            for t in s.targets:
                if not isinstance(t, ast.Name):
                    self.uses(t, state)
                state = self.bind(t, state)
            return state
        if isinstance(s, ast.AnnAssign):
            if s.value is None:
                return state
            self.uses(s.value, state)
            return self.bind(s.target, state)
        if isinstance(s, ast.AugAssign):
            self.uses(s.value, state)
            if isinstance(s.target, ast.Name):
                self.uses(ast.Name(id=s.target.id, ctx=ast.Load(), lineno=s.lineno), state)
            else:
                self.uses(s.target, state)
            return self.bind(s.target, state)
        if isinstance(s, ast.If):
            self.uses(s.test, state)
            return self.meet(self.block(s.body, state), self.block(s.orelse, state))
        if isinstance(s, (ast.For, ast.While)):
            if isinstance(s, ast.For):
                self.uses(s.iter, state)
                inner = self.bind(s.target, state)
            else:
                self.uses(s.test, state)
                inner = state
            # The body may run zero times, so it starts from the pre-loop state.
            self.breaks.append([])
            self.block(s.body, inner)
            breaks = self.breaks.pop()
            infinite = (
                isinstance(s, ast.While)
                and isinstance(s.test, ast.Constant)
                and s.test.value is True
            )
            # Leaving normally (the else clause runs then); `while True` never does.
            after = _ALL if infinite else self.block(s.orelse, state)
            for b in breaks:
                after = self.meet(after, b)
            return after
        if isinstance(s, (ast.Return,)):
            self.uses(s.value, state)
            return _ALL
        if isinstance(s, ast.Raise):
            self.uses(s.exc, state)
            return _ALL
        if isinstance(s, ast.Break):
            if self.breaks:
                self.breaks[-1].append(state)
            return _ALL
        if isinstance(s, ast.Continue):
            return _ALL
        self.uses(s, state)
        return state
