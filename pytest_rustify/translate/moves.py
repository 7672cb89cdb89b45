"""Moves instead of copies: the uses of a local container that are its last.

Input: an ``ir.Function``. Output: the ``ir.Name`` nodes (by identity) whose value the
Rust may take instead of cloning, because the local is dead after that use::

    out = []                    # each round starts a new list ...
    for r in range(rounds):
        out = []
        ...
        ids = out               # ... so `out` is dead here: `ids` takes it, no copy

Python binds a second name to the same object; Rust copies a ``Vec`` where Python
shares it. The copy is only observable if the old name is read again, so where
liveness shows it is not (on every path to the function's end, through ``break``,
``continue`` and the next iteration of enclosing loops), the emitter moves the value
(``std::mem::take``) and leaves the dead local empty.

Only two statement forms take part, the ones that copy whole containers in loops:
``x = y`` and ``xs.append(y)``, with ``y`` a local list, dict or set that the statement
names only once. Parameters never move: the dispatcher may write them back or hand
them to the caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import ir
from .rtypes import DictT, ListT, SetT


def movable_names(fn: ir.Function) -> frozenset[int]:
    """``id()`` of each ``ir.Name`` in ``fn.body`` whose value can be moved out."""
    params = {p.name for p in fn.params}
    analysis = _Liveness()
    analysis.block(fn.body, frozenset(), _Loop(frozenset(), frozenset()))
    moves: set[int] = set()
    for s in ir.walk_stmts(fn.body):
        name = _candidate(s)
        if name is None or name.id in params:
            continue
        if not isinstance(name.type, (ListT, DictT, SetT)):
            continue
        if _names_in_stmt(s).count(name.id) != 1:
            continue
        if name.id not in analysis.live_after.get(id(s), frozenset({name.id})):
            moves.add(id(name))
    return frozenset(moves)


def _candidate(s: ir.Stmt) -> ir.Name | None:
    if isinstance(s, ir.Assign) and isinstance(s.target, ir.TName):
        value = s.value
        if isinstance(value, ir.Name) and value.id != s.target.id:
            return value
    if isinstance(s, ir.ExprStmt) and isinstance(s.value, ir.Method):
        m = s.value
        if m.method == "append" and len(m.args) == 1 and isinstance(m.args[0], ir.Name):
            return m.args[0]
    return None


@dataclass(frozen=True)
class _Loop:
    """What is live where ``break`` and ``continue`` jump to."""

    after: frozenset[str]
    head: frozenset[str]


class _Liveness:
    """Backward liveness over the structured IR; loops iterate to a fixpoint."""

    def __init__(self) -> None:
        # id(stmt) -> locals live right after it, from the last (converged) pass.
        self.live_after: dict[int, frozenset[str]] = {}

    def block(
        self, stmts: tuple[ir.Stmt, ...], live: frozenset[str], loop: _Loop
    ) -> frozenset[str]:
        for s in reversed(stmts):
            self.live_after[id(s)] = live
            live = self.stmt(s, live, loop)
        return live

    def stmt(self, s: ir.Stmt, live: frozenset[str], loop: _Loop) -> frozenset[str]:
        if isinstance(s, ir.Break):
            return loop.after
        if isinstance(s, ir.Continue):
            return loop.head
        if isinstance(s, (ir.Return, ir.Raise)):
            return frozenset(_names_in_exprs(ir.stmt_exprs(s)))
        if isinstance(s, ir.If):
            return (
                self.block(s.body, live, loop)
                | self.block(s.orelse, live, loop)
                | frozenset(_names_in_exprs([s.test]))
            )
        if isinstance(s, ir.While):
            test = frozenset(_names_in_exprs([s.test]))
            after_else = self.block(s.orelse, live, loop)
            head = test | after_else
            while True:
                body = self.block(s.body, head, _Loop(live, head))
                new_head = test | after_else | body
                if new_head == head:
                    return head
                head = new_head
        if isinstance(s, ir.For):
            # The iterated objects are read at every step, not only before the first.
            seq = frozenset(_names_in_exprs(ir.iter_exprs(s.iter)))
            kills, uses = _target_names(s.target)
            after_else = self.block(s.orelse, live, loop)
            head = seq | after_else
            while True:
                body = self.block(s.body, head, _Loop(live, head))
                new_head = seq | after_else | (body - kills) | uses
                if new_head == head:
                    return head
                head = new_head
        if isinstance(s, ir.Assign):
            kills, uses = _target_names(s.target)
            return (live - kills) | uses | frozenset(_names_in_exprs([s.value]))
        return live | frozenset(_names_in_exprs(ir.stmt_exprs(s)))


def _target_names(t: ir.Target) -> tuple[frozenset[str], frozenset[str]]:
    """(locals a target rebinds, locals it reads)."""
    if isinstance(t, ir.TName):
        return frozenset({t.id}), frozenset()
    if isinstance(t, ir.TIndex):
        return frozenset(), frozenset(_names_in_exprs([t.obj, t.index]))
    if isinstance(t, ir.TTuple):
        kills: frozenset[str] = frozenset()
        uses: frozenset[str] = frozenset()
        for elt in t.elts:
            k, u = _target_names(elt)
            kills, uses = kills | k, uses | u
        return kills, uses
    raise AssertionError(f"target {t!r}")


def _names_in_exprs(exprs: Iterable[ir.Expr | None]) -> list[str]:
    return [x.id for e in exprs if e is not None for x in ir.subexprs(e) if isinstance(x, ir.Name)]


def _names_in_stmt(s: ir.Stmt) -> list[str]:
    names = _names_in_exprs(ir.stmt_exprs(s))
    if isinstance(s, ir.Assign):
        kills, uses = _target_names(s.target)
        names.extend([*kills, *uses])
    return names
