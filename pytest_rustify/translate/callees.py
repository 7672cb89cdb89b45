"""Calls between functions of one module: helpers translated with their caller.

Input: a call ``helper(args)`` met while translating a target, where ``helper`` is a
plain function of the target's own module. Output: an ``ir.UserCall`` to a helper
translated for the argument types of the call (kept in the ``Calls`` of the target),
or a refusal::

    def dist(a, b): ...                   # not hot itself
    def nearest(points, q):               # the target
        ... dist(p, q) ...                # -> UserCall(FLOAT, "nearest__dist", (p, q))

A helper is specialised per tuple of argument types, the way the target is for its
recorded calls. A function calling itself is translated as one Rust function calling
itself, its depth bounded at run time (deeper calls fall back to Python, which raises
RecursionError where it would). Mutual recursion is refused.
"""

from __future__ import annotations

import ast
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from ..errors import RefusalError
from . import ir
from .check import check_function
from .rtypes import ArrayT, RType, is_complete, join

# What translating one helper takes: its source node, the types of its parameters,
# its IR name, and the shared Calls.
TranslateHelper = Callable[[ast.FunctionDef, Mapping[str, RType], str, "Calls"], ir.Function]


@dataclass
class Calls:
    """The helpers of one target, filled in while it (and they) are translated."""

    root: str  # the target's IR name
    active: list[str] = field(default_factory=list)  # Python names being translated
    helpers: dict[tuple[str, tuple[RType, ...]], ir.Function] = field(default_factory=dict)

    def by_name(self) -> dict[str, ir.Function]:
        return {h.name: h for h in self.helpers.values()}

    def used_by(self, fn: ir.Function) -> tuple[ir.Function, ...]:
        """The helpers ``fn`` calls, directly or through other helpers, in first-use order."""
        table = self.by_name()
        seen: dict[str, ir.Function] = {}
        todo = [fn]
        while todo:
            cur = todo.pop()
            for name in _called(cur):
                if name in table and name not in seen:
                    seen[name] = table[name]
                    todo.append(table[name])
        return tuple(seen.values())


def is_user_function(value: object, module_globals: Mapping[str, object]) -> bool:
    """A plain Python function defined in the module whose globals these are."""
    return isinstance(value, types.FunctionType) and value.__globals__ is module_globals


def find_def(module: ast.Module, fn: types.FunctionType) -> ast.FunctionDef | None:
    """The module-level ``def`` of ``fn`` (by name and line: a rebound name is not it)."""
    code = fn.__code__
    for node in module.body:
        if (
            isinstance(node, ast.FunctionDef)
            and node.name == code.co_name
            and node.lineno <= code.co_firstlineno <= (node.end_lineno or node.lineno)
        ):
            return node
    return None


def bind_arguments(
    node: ast.Call, callee: ast.FunctionDef, translate_arg: Callable[[ast.expr], ir.Expr]
) -> list[ir.Expr]:
    """The call's arguments in the callee's parameter order, defaults filled in."""
    a = callee.args
    name = callee.name
    if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs:
        raise RefusalError(
            "call", f"`{name}()` has a signature the translator does not take", node.lineno
        )
    params = [p.arg for p in a.args]
    if any(isinstance(x, ast.Starred) for x in node.args) or any(
        k.arg is None for k in node.keywords
    ):
        raise RefusalError("call", f"`*`/`**` arguments to `{name}()`", node.lineno)
    if len(node.args) > len(params):
        raise RefusalError("call", f"too many arguments to `{name}()`", node.lineno)
    given: dict[str, ast.expr] = dict(zip(params, node.args, strict=False))
    for k in node.keywords:
        assert k.arg is not None
        if k.arg not in params or k.arg in given:
            raise RefusalError("call", f"bad keyword `{k.arg}` for `{name}()`", node.lineno)
        given[k.arg] = k.value
    defaults = dict(zip(params[len(params) - len(a.defaults) :], a.defaults, strict=True))
    out = []
    for p in params:
        arg = given.get(p, defaults.get(p))
        if arg is None:
            raise RefusalError("call", f"`{name}()` misses the argument `{p}`", node.lineno)
        out.append(translate_arg(arg))
    return out


def call_helper(
    calls: Calls,
    callee: ast.FunctionDef,
    args: list[ir.Expr],
    line: int,
    translate: TranslateHelper,
) -> ir.Function | None:
    """The helper translated for these argument types; None while a type is unknown."""
    types_ = tuple(a.type for a in args)
    if not all(is_complete(t) for t in types_):
        return None
    name = callee.name
    if any(isinstance(t, ArrayT) for t in types_):
        raise RefusalError(
            "call", f"passing a NumPy array to `{name}()` is not translated yet", line
        )
    if name in calls.active:
        raise RefusalError(
            "recursion",
            f"`{calls.active[-1]}()` and `{name}()` call each other; only a function "
            "calling itself is translated",
            line,
        )
    key = (name, types_)
    if key not in calls.helpers:
        ir_name = f"{calls.root}__{name}"
        taken = {h.name for h in calls.helpers.values()}
        k = 1
        while ir_name in taken:
            k += 1
            ir_name = f"{calls.root}__{name}_{k}"
        params = {p.arg: t for p, t in zip(callee.args.args, types_, strict=True)}
        try:
            helper = translate(callee, params, ir_name, calls)
            if isinstance(helper.ret, ArrayT):
                raise RefusalError("call", "it returns a NumPy array", callee.lineno)
            calls.helpers[key] = helper
        except RefusalError as err:
            raise RefusalError(
                err.code, f"in `{name}()`, called at line {line}: {err.message}", err.line
            ) from None
    return calls.helpers[key]


def recursive_call(fn_params: list[tuple[str, RType]], args: list[ir.Expr], line: int) -> None:
    """A function calling itself must pass what its parameters hold (one Rust signature)."""
    for (pname, ptype), a in zip(fn_params, args, strict=True):
        if join(ptype, a.type) != ptype:
            raise RefusalError(
                "recursion",
                f"the recursive call passes {a.type} for `{pname}`, which holds {ptype}",
                line,
            )


def settle(fn: ir.Function, calls: Calls) -> ir.Function:
    """Check aliasing and record the parameters ``fn`` changes in place. A recursive
    call changes what the function itself changes: iterate to the fixpoint."""
    recursive = fn.name in _called(fn)
    table = calls.by_name()
    cur = fn
    for _ in range(len(fn.params) * 2 + 2):
        table[fn.name] = cur
        mutated = check_function(cur, table)
        new = replace(
            fn,
            mutated=tuple(p.name for p in fn.params if p.name in mutated),
            mutated_inside=tuple(p.name for p in fn.params if mutated.get(p.name)),
            recursive=recursive,
        )
        if (new.mutated, new.mutated_inside) == (cur.mutated, cur.mutated_inside):
            return new
        cur = new
    raise AssertionError("the mutated parameters did not settle")  # pragma: no cover


def _called(fn: ir.Function) -> list[str]:
    out: list[str] = []
    for s in ir.walk_stmts(fn.body):
        for e in ir.stmt_exprs(s):
            out.extend(x.callee for x in ir.subexprs(e) if isinstance(x, ir.UserCall))
        if isinstance(s, ir.For):
            for e in ir.iter_exprs(s.iter):
                out.extend(x.callee for x in ir.subexprs(e) if isinstance(x, ir.UserCall))
    return out
