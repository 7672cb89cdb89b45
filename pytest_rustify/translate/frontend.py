"""Python AST -> typed IR, or a Refusal that points at file:line.

Input: a function's ``ast.FunctionDef`` with its module's AST and globals, and the
parameter/return types observed at run time. Output: an ``ir.Function``::

    source = FunctionSource(target="pkg.mod:dot", file="pkg/mod.py", node=..., ...)
    translate_function(source, TypeEvidence(params={"a": ListT(FLOAT), ...}, ret=FLOAT))
    # -> ir.Function(...)   or   Refusal("unsupported-syntax", "try/except ...", ...)

Types come from annotations and observed calls and must agree; locals are inferred
to a fixpoint (an ``out = []`` learns its element type from ``out.append(x)``). Any
construct outside the supported subset, and any place where a literal port would
differ from Python (SEMANTICS.md), is refused with a reason.
"""

from __future__ import annotations

import ast
import builtins
import math
import sys
import types
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import NoReturn

from ..errors import Refusal, RefusalError
from . import ir, mathlib, methods, numpy_front, sets
from .callees import (
    Calls,
    bind_arguments,
    call_helper,
    find_def,
    is_user_function,
    recursive_call,
    settle,
)
from .check import returned_argument
from .flow import always_returns, check_definite_assignment, local_names, module_bindings
from .rtypes import (
    BOOL,
    COMPLEX,
    FLOAT,
    INT,
    MAX_TUPLE,
    NONE,
    NP_BOOL,
    NP_SCALARS,
    STR,
    UNKNOWN,
    ArrayT,
    DictT,
    ListT,
    RType,
    SetT,
    TupleT,
    Unknown,
    contains_float,
    is_complete,
    is_hashable_key,
    is_mutable,
    join,
)

I64_MIN, I64_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class FunctionSource:
    """Where a target function stands: its AST node and the module around it."""

    target: str  # pkg.mod:func
    file: str  # as shown to users (relative to the rootdir where possible)
    node: ast.FunctionDef
    module: ast.Module
    globals: Mapping[str, object]
    # The Python the crate is built for: where the math module's results or messages
    # changed between versions, the translator accepts only the versions it ported.
    python_version: tuple[int, int] = (sys.version_info[0], sys.version_info[1])


@dataclass(frozen=True)
class TypeEvidence:
    """Types seen at run time: per parameter, and of the returned value."""

    params: Mapping[str, RType] = field(default_factory=dict)
    ret: RType | None = None


def translate_function(
    source: FunctionSource, evidence: TypeEvidence, *, ir_name: str | None = None
) -> ir.Function | Refusal:
    """Translate one function to typed IR, or say why not.

    :param ir_name: the name of the Rust function (default: the Python name); another
        translation of the same target for other argument types takes another name.
    """
    name = source.node.name if ir_name is None else ir_name
    calls = Calls(root=name, active=[name])
    try:
        fn = _FunctionTranslator(source, evidence, calls, name).run()
        numpy_front.check_function(fn)
        sets.check_set_order(fn)
        fn = settle(fn, calls)
        fn = replace(fn, helpers=calls.used_by(fn), returns_arg=returned_argument(fn))
        _check_write_back(fn)
        return fn
    except RefusalError as err:
        return Refusal(err.code, err.message, source.file, err.line)


def _check_write_back(fn: ir.Function) -> None:
    """The dispatcher writes a changed argument back by replacing its items: that keeps
    Python's behaviour only when the items are values, not lists shared with the caller."""
    for p in fn.params:
        if p.name not in fn.mutated:
            continue
        inner = p.type.elem if isinstance(p.type, ListT) else getattr(p.type, "value", None)
        if p.name in fn.mutated_inside or inner is None or is_mutable(inner):
            callees = {h.name: h for h in fn.helpers}
            lines = [
                s.line
                for s in ir.walk_stmts(fn.body)
                if any(ir.root(x)[0] == p.name for x in ir.changed_in_place(s, callees))
            ]
            _refuse(
                "mutates-argument",
                f"the argument `{p.name}` ({p.type}) is changed in place, and so are the "
                "objects inside it or which objects it holds; only a list or dict argument "
                "whose items are numbers, strings or tuples is written back to the caller",
                lines[0] if lines else fn.line,
            )


def _translate_helper(
    source: FunctionSource,
    node: ast.FunctionDef,
    params: Mapping[str, RType],
    ir_name: str,
    calls: Calls,
) -> ir.Function:
    module = source.target.rsplit(":", 1)[0]
    helper = replace(source, target=f"{module}:{node.name}", node=node)
    calls.active.append(node.name)
    try:
        fn = _FunctionTranslator(helper, TypeEvidence(params=params), calls, ir_name).run()
    finally:
        calls.active.pop()
    numpy_front.check_function(fn)
    sets.check_set_order(fn)
    fn = settle(fn, calls)
    returned = returned_argument(fn)
    if returned:
        _refuse(
            "returns-argument",
            f"returns its argument `{returned}`; the caller would get a copy, not its own object",
            fn.line,
        )
    return fn


# -- annotations ----------------------------------------------------------------

_SCALAR_NAMES = {"int": INT, "float": FLOAT, "bool": BOOL, "str": STR, "complex": COMPLEX}


def parse_annotation(node: ast.expr | None) -> RType | None:
    """An annotation as an IR type; None when absent or not one we understand."""
    if node is None:
        return None
    if isinstance(node, ast.Constant):
        if node.value is None:
            return NONE
        if isinstance(node.value, str):
            try:
                return parse_annotation(ast.parse(node.value, mode="eval").body)
            except SyntaxError:
                return None
        return None
    if isinstance(node, ast.Name):
        return _SCALAR_NAMES.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return None
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        base = node.value.id.lower()
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        parsed = [parse_annotation(a) for a in args]
        if any(p is None for p in parsed):
            return None
        types = [p for p in parsed if p is not None]
        if base == "list" and len(types) == 1:
            return ListT(types[0])
        if base == "tuple" and 0 < len(types) <= MAX_TUPLE:
            return TupleT(tuple(types))
        if base == "dict" and len(types) == 2:
            return DictT(types[0], types[1])
        if base == "set" and len(types) == 1 and is_hashable_key(types[0]):
            return SetT(types[0])
    return None


# -- the translator ---------------------------------------------------------------

_REFUSED_STMTS: dict[type[ast.AST], str] = {
    ast.Try: "try/except is not supported",
    ast.With: "`with` blocks are not supported",
    ast.AsyncWith: "`async with` is not supported",
    ast.AsyncFor: "`async for` is not supported",
    ast.FunctionDef: "nested functions are not supported",
    ast.AsyncFunctionDef: "nested functions are not supported",
    ast.ClassDef: "classes are not supported",
    ast.Global: "`global` is not supported (rebinding module state)",
    ast.Nonlocal: "`nonlocal` is not supported",
    ast.Import: "imports inside the function are not supported",
    ast.ImportFrom: "imports inside the function are not supported",
}
if hasattr(ast, "Match"):
    _REFUSED_STMTS[ast.Match] = "`match` statements are not supported"
if hasattr(ast, "TryStar"):
    _REFUSED_STMTS[ast.TryStar] = "try/except* is not supported"

_REFUSED_EXPRS: dict[type[ast.AST], str] = {
    ast.Lambda: "lambdas are not supported here",
    ast.Yield: "generators are not supported (`yield`)",
    ast.YieldFrom: "generators are not supported (`yield from`)",
    ast.Await: "`await` is not supported",
    ast.GeneratorExp: "generator expressions are supported only as the argument of sum, any, "
    "all, min, max, sorted, list or join (a stored generator is not)",
    ast.JoinedStr: "f-strings are not supported",
    ast.Starred: "`*` unpacking is not supported",
    ast.NamedExpr: "the walrus operator `:=` is not supported",
}

_BUILTIN_EXCEPTIONS = {
    "ValueError",
    "IndexError",
    "KeyError",
    "ZeroDivisionError",
    "OverflowError",
    "TypeError",
    "AssertionError",
    "RuntimeError",
}

_MATH_CONSTS = {"pi": math.pi, "e": math.e, "tau": math.tau, "inf": math.inf, "nan": math.nan}
_CMP_OPS: dict[type[ast.cmpop], str] = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}
_BIN_OPS: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
}


class _Pending(Exception):
    """A type is not known yet; the inference loop will come back to this statement."""

    def __init__(self, name: str, line: int) -> None:
        super().__init__(name)
        self.name = name
        self.line = line


def _refuse(code: str, message: str, node: ast.AST | int) -> NoReturn:
    line = node if isinstance(node, int) else getattr(node, "lineno", 0)
    raise RefusalError(code, message, line)


def _construct(node: ast.AST) -> str:
    return type(node).__name__


class _FunctionTranslator:
    def __init__(
        self, source: FunctionSource, evidence: TypeEvidence, calls: Calls, ir_name: str
    ) -> None:
        self.src = source
        self.calls = calls
        self.ir_name = ir_name
        self.node = source.node
        self.evidence = evidence
        self.env: dict[str, RType] = {}  # local name -> type (params included)
        self.order: list[str] = []  # locals in first-binding order
        self.params: list[str] = []
        self.ret: RType = UNKNOWN
        self.strict = False
        self.scopes: list[dict[str, str]] = []  # comprehension renames
        self.comp_counter = 0
        self.locals = local_names(self.node)
        self.annotations_set_aside = False  # a list annotation gave way to an ndarray

    # -- driver -----------------------------------------------------------------

    def run(self) -> ir.Function:
        node = self.node
        self._check_signature()
        params = self._param_types()
        self.ret = self._return_type()
        check_definite_assignment(node, set(self.params))
        # Inference: re-walk the body until no local's type changes.
        for _ in range(12):
            before = dict(self.env), self.ret
            self.comp_counter = 0
            self._stmts(node.body)
            if (dict(self.env), self.ret) == before:
                break
        self.strict = True
        self.comp_counter = 0
        body = self._stmts(node.body)
        for name in self.order:
            t = self.env[name]
            if not is_complete(t):
                _refuse(
                    "type-unknown",
                    f"cannot infer the type of `{self._py_name(name)}` ({t}); annotate it",
                    node,
                )
        if not is_complete(self.ret):
            _refuse("type-unknown", f"cannot infer the return type ({self.ret}); annotate it", node)
        _check_complete(body)
        if self.ret != NONE and not always_returns(body):
            _refuse(
                "missing-return",
                f"`{node.name}` can reach its end and return None, "
                f"but returns {self.ret} elsewhere",
                node,
            )
        return ir.Function(
            name=self.ir_name,
            target=self.src.target,
            file=self.src.file,
            line=node.lineno,
            params=params,
            ret=self.ret,
            locals=tuple((n, self.env[n]) for n in self.order if n not in self.params),
            body=body,
        )

    def _py_name(self, name: str) -> str:
        return name.split("_", 1)[-1] if name.startswith("$c") else name

    def _check_signature(self) -> None:
        a = self.node.args
        if self.node.decorator_list:
            _refuse("decorator", "decorated functions are not supported", self.node)
        if isinstance(self.node, ast.AsyncFunctionDef):
            _refuse("async", "async functions are not supported", self.node)
        if a.vararg or a.kwarg:
            _refuse("varargs", "`*args`/`**kwargs` parameters are not supported", self.node)
        if a.kwonlyargs or a.posonlyargs:
            _refuse(
                "signature",
                "keyword-only and positional-only parameters are not supported yet",
                self.node,
            )
        allowed = methods.allowed_nodes(self.node)
        for sub in ast.walk(self.node):
            if sub is self.node or id(sub) in allowed:
                continue
            for kind, msg in (*_REFUSED_STMTS.items(), *_REFUSED_EXPRS.items()):
                if isinstance(sub, kind):
                    _refuse("unsupported-syntax", msg, sub)

    def _annotation(self, node: ast.expr | None) -> RType | None:
        return parse_annotation(node) or numpy_front.parse_annotation(node, self.src.globals)

    def _param_types(self) -> tuple[ir.Param, ...]:
        a = self.node.args
        defaults: list[ast.expr | None] = [None] * (len(a.args) - len(a.defaults)) + list(
            a.defaults
        )
        out = []
        for arg, default in zip(a.args, defaults, strict=True):
            annotated = self._annotation(arg.annotation)
            if arg.annotation is not None and annotated is None:
                _refuse(
                    "annotation",
                    f"parameter `{arg.arg}`: annotation `{ast.unparse(arg.annotation)}` "
                    "is not a type the translator supports",
                    arg,
                )
            observed = self.evidence.params.get(arg.arg)
            if isinstance(annotated, ListT) and isinstance(observed, ArrayT):
                # `xs: list[float]` describes the calls that pass lists; calls that pass
                # an ndarray make a translation of their own, typed by what they passed.
                annotated = None
                self.annotations_set_aside = True
            t = _agree(annotated, observed, f"parameter `{arg.arg}`", arg)
            why = None if t is None else numpy_front.incomplete(t)
            if why is not None:
                _refuse("type-unknown", f"no type for parameter `{arg.arg}`: {why}", arg)
            if t is None or not is_complete(t):
                _refuse(
                    "type-unknown",
                    f"no type for parameter `{arg.arg}`: annotate it or call the function "
                    "from a test",
                    arg,
                )
            self._bind_type(arg.arg, t, arg)
            self.params.append(arg.arg)
            const = None
            if default is not None:
                value = self._default_value(default, t, arg.arg)
                const = ir.Const(t, value)
            out.append(ir.Param(arg.arg, t, const))
        return tuple(out)

    def _default_value(self, node: ast.expr, t: RType, name: str) -> object:
        try:
            value = ast.literal_eval(node)
        except ValueError:
            _refuse("default", f"parameter `{name}`: default is not a constant", node)
        from .rtypes import type_of_value

        if type_of_value(value) != t or is_mutable(t):
            _refuse(
                "default",
                f"parameter `{name}`: default `{ast.unparse(node)}` is not a constant {t}",
                node,
            )
        return value

    def _return_type(self) -> RType:
        # The return annotation describes the list translation too: over an ndarray,
        # `[x / n for x in xs]` holds np.float64; the calls and the body say what it is.
        returns = None if self.annotations_set_aside else self.node.returns
        annotated = self._annotation(returns)
        if returns is not None and annotated is None:
            _refuse(
                "annotation",
                f"return annotation `{ast.unparse(returns)}` is not a type the translator supports",
                self.node,
            )
        t = _agree(annotated, self.evidence.ret, "the return value", self.node)
        if t is None and not any(
            isinstance(n, ast.Return) and n.value is not None for n in ast.walk(self.node)
        ):
            return NONE  # no `return value` anywhere: it returns None (a helper's case)
        return UNKNOWN if t is None else t

    # -- binding ----------------------------------------------------------------

    def _bind_type(self, name: str, t: RType, node: ast.AST) -> None:
        old = self.env.get(name)
        if old is None:
            self.env[name] = t
            self.order.append(name)
            return
        new = join(old, t)
        if new is None:
            _refuse(
                "type-conflict",
                f"`{self._py_name(name)}` holds {old} and {t}; a Rust variable has one type"
                + (
                    " (initialise float accumulators as 0.0)"
                    if {str(old), str(t)} in ({"int", "float"}, {"int", "np.float64"})
                    else ""
                ),
                node,
            )
        self.env[name] = new

    def _bind_return(self, t: RType, node: ast.AST) -> None:
        new = join(self.ret, t)
        if new is None:
            _refuse("type-conflict", f"returns both {self.ret} and {t}", node)
        self.ret = new

    def _local(self, name: str) -> str:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return name

    # -- statements ---------------------------------------------------------------

    def _stmts(self, stmts: list[ast.stmt]) -> tuple[ir.Stmt, ...]:
        out: list[ir.Stmt] = []
        for s in stmts:
            try:
                r = self._stmt(s)
            except _Pending as p:
                if self.strict:
                    _refuse(
                        "type-unknown",
                        f"cannot infer the type of `{self._py_name(p.name)}`; annotate it",
                        p.line,
                    )
                continue
            if r is not None:
                out.append(r)
        return tuple(out)

    def _stmt(self, s: ast.stmt) -> ir.Stmt | None:
        line = s.lineno
        for kind, msg in _REFUSED_STMTS.items():
            if isinstance(s, kind):
                _refuse("unsupported-syntax", msg, s)
        if isinstance(s, ast.Expr):
            if isinstance(s.value, ast.Constant) and isinstance(s.value.value, str):
                return None  # a docstring or a bare string: no effect
            return ir.ExprStmt(line, self._expr_stmt(s.value))
        if isinstance(s, ast.Pass):
            return ir.Pass(line)
        if isinstance(s, ast.Delete):
            return methods.delete(self, s)
        if isinstance(s, ast.Break):
            return ir.Break(line)
        if isinstance(s, ast.Continue):
            return ir.Continue(line)
        if isinstance(s, ast.Return):
            if s.value is None:
                self._bind_return(NONE, s)
                return ir.Return(line, None)
            if isinstance(s.value, ast.Name) and self._local(s.value.id) in self.env:
                # Let the declared/observed return type refine an `out = []` local.
                name = self._local(s.value.id)
                if not isinstance(self.ret, Unknown) and join(self.env[name], self.ret):
                    self._bind_type(name, self.ret, s)
            value = self._expr(s.value)
            self._bind_return(value.type, s)
            return ir.Return(line, self._coerce(value, self.ret, s) if self.strict else value)
        if isinstance(s, ast.Assign):
            if len(s.targets) != 1:
                value = self._expr(s.value)
                if is_mutable(value.type):
                    _refuse(
                        "aliasing",
                        "chained assignment of a list or dict makes aliases, "
                        "which are not supported",
                        s,
                    )
                targets = [self._target(t, value.type, s) for t in s.targets]
                return ir.If(line, ir.TRUE, tuple(ir.Assign(line, t, value) for t in targets), ())
            value = self._expr(s.value)
            target = self._target(s.targets[0], value.type, s)
            return ir.Assign(line, target, self._coerce(value, target.type, s))
        if isinstance(s, ast.AnnAssign):
            annotated = self._annotation(s.annotation)
            if annotated is None:
                _refuse(
                    "annotation",
                    f"annotation `{ast.unparse(s.annotation)}` is not a type "
                    "the translator supports",
                    s,
                )
            if not isinstance(s.target, ast.Name):
                _refuse("unsupported-syntax", "annotated assignment to a non-name", s)
            self._bind_type(s.target.id, annotated, s)
            if s.value is None:
                return None
            value = self._expr(s.value)
            target = self._target(s.target, value.type, s)
            return ir.Assign(line, target, self._coerce(value, target.type, s))
        if isinstance(s, ast.AugAssign):
            return self._augassign(s)
        if isinstance(s, ast.If):
            test = self._cond(s.test)
            return ir.If(line, test, self._stmts(s.body), self._stmts(s.orelse))
        if isinstance(s, ast.While):
            test = self._cond(s.test)
            return ir.While(line, test, self._stmts(s.body), self._stmts(s.orelse))
        if isinstance(s, ast.For):
            it = self._iter(s.iter)
            target = self._target(s.target, it.elem, s)
            return ir.For(line, target, it, self._stmts(s.body), self._stmts(s.orelse))
        if isinstance(s, ast.Raise):
            return self._raise(s)
        if isinstance(s, ast.Assert):
            assert_msg = None if s.msg is None else self._expr(s.msg)
            if assert_msg is not None and assert_msg.type != STR:
                _refuse("unsupported-syntax", "assert messages must be str", s)
            return ir.Assert(line, self._cond(s.test), assert_msg)
        _refuse("unsupported-syntax", f"`{_construct(s)}` statements are not supported", s)

    def _raise(self, s: ast.Raise) -> ir.Stmt:
        exc = s.exc
        if s.cause is not None:
            _refuse("unsupported-syntax", "`raise ... from ...` is not supported", s)
        if isinstance(exc, ast.Name):
            name, args = exc.id, []
        elif isinstance(exc, ast.Call) and isinstance(exc.func, ast.Name) and not exc.keywords:
            name, args = exc.func.id, exc.args
        else:
            _refuse("unsupported-syntax", 'only `raise BuiltinError("message")` is supported', s)
        if name not in _BUILTIN_EXCEPTIONS or name in self.src.globals:
            _refuse(
                "unsupported-syntax",
                f"raising `{name}` is not supported (builtin exceptions only)",
                s,
            )
        if len(args) > 1:
            _refuse(
                "unsupported-syntax", "exceptions with more than one argument are not supported", s
            )
        msg = self._expr(args[0]) if args else None
        if msg is not None and msg.type != STR:
            _refuse("unsupported-syntax", "exception messages must be str", s)
        return ir.Raise(s.lineno, name, msg)

    def _augassign(self, s: ast.AugAssign) -> ir.Stmt:
        in_place = sets.augassign(self, s)
        if in_place is not None:
            return in_place
        op = _BIN_OPS.get(type(s.op))
        if op is None:
            _refuse("unsupported-syntax", f"operator `{_construct(s.op)}` is not supported", s)
        if isinstance(s.target, ast.Name):
            name = s.target.id
            cur = self._expr(ast.Name(id=name, ctx=ast.Load(), lineno=s.lineno))
            if isinstance(cur.type, ListT) and op == "+":
                # `xs += ys` extends the list in place.
                other = self._expr(s.value)
                if join(cur.type, other.type) is None:
                    _refuse("type-conflict", f"`{name} += ...` adds {other.type} to {cur.type}", s)
                return ir.ExprStmt(s.lineno, ir.Method(NONE, cur, "extend", (other,)))
            if isinstance(cur.type, ListT) and op == "*":
                # `xs *= n` repeats the list in place.
                count = self._expect_repeatable(cur.type, s)
                return ir.ExprStmt(s.lineno, ir.Method(NONE, cur, "repeat_in_place", (count,)))
            value = self._binop(op, cur, self._expr(s.value), s)
            target = self._target(s.target, value.type, s)
            return ir.Assign(s.lineno, target, self._coerce(value, target.type, s))
        if isinstance(s.target, ast.Subscript):
            target = self._subscript_target(s.target, s)
            if any(
                isinstance(x, ir.Method) for e in (target.obj, target.index) for x in ir.subexprs(e)
            ):
                _refuse(
                    "unsupported-syntax",
                    f"`{ast.unparse(s.target)} {_op_text(s.op)}= ...` with a method call in its "
                    "target (it would be evaluated twice)",
                    s,
                )
            # The key is evaluated once: the new value reads the place through ir.AUG_KEY.
            key = ir.Name(target.index.type, ir.AUG_KEY)
            cur = self._index(target.obj, key, s)
            value = self._binop(op, cur, self._expr(s.value), s)
            if value.type != target.type:
                _refuse(
                    "type-conflict",
                    f"`{ast.unparse(s)}` would change the item's type from {target.type} to "
                    f"{value.type}",
                    s,
                )
            return ir.AugAssign(s.lineno, target, op, value)
        _refuse("unsupported-syntax", "augmented assignment to this target is not supported", s)

    # -- targets ----------------------------------------------------------------------

    def _target(self, t: ast.expr, vt: RType, stmt: ast.AST) -> ir.Target:
        if isinstance(t, ast.Name):
            name = self._local(t.id)
            self._bind_type(name, vt, stmt)
            return ir.TName(self.env[name], name)
        if isinstance(t, (ast.Tuple, ast.List)):
            if not isinstance(vt, TupleT):
                if isinstance(vt, Unknown):
                    raise _Pending(ast.unparse(t), getattr(stmt, "lineno", 0))
                _refuse(
                    "unsupported-syntax", f"unpacking a {vt} is not supported (tuples only)", stmt
                )
            if len(vt.elems) != len(t.elts):
                _refuse(
                    "unpack-count",
                    f"unpacking {len(vt.elems)} values into {len(t.elts)} names",
                    stmt,
                )
            elts = tuple(self._target(e, et, stmt) for e, et in zip(t.elts, vt.elems, strict=True))
            return ir.TTuple(vt, elts)
        if isinstance(t, ast.Subscript):
            target = self._subscript_target(t, stmt)
            if isinstance(target, ir.TArrayIndex):
                numpy_front.check_store(target, vt, stmt)
                return target
            if isinstance(target.obj, ir.Name):
                # xs[i] = v and d[k] = v teach an empty list or dict their element types.
                obj_t = target.obj.type
                taught = DictT(target.index.type, vt) if isinstance(obj_t, DictT) else ListT(vt)
                self._bind_type(target.obj.id, taught, stmt)
                self._check_key(target.index.type, stmt) if isinstance(obj_t, DictT) else None
                target = self._subscript_target(t, stmt)
            if join(target.type, vt) is None:
                _refuse(
                    "type-conflict", f"storing {vt} into `{ast.unparse(t)}` of {target.type}", stmt
                )
            return target
        if isinstance(t, ast.Attribute):
            _refuse("unsupported-syntax", "assigning to attributes is not supported", stmt)
        _refuse("unsupported-syntax", f"assigning to `{ast.unparse(t)}` is not supported", stmt)

    def _subscript_target(self, t: ast.Subscript, stmt: ast.AST) -> ir.TIndex:
        if isinstance(t.slice, ast.Slice):
            _refuse("unsupported-syntax", "assigning to a slice is not supported yet", stmt)
        obj = self._expr(t.value)
        idx = self._expr(t.slice)
        if numpy_front.is_array(obj):
            return numpy_front.store_target(self, obj, idx, stmt)
        if isinstance(obj.type, ListT):
            self._expect(idx, INT, "list index", stmt)
            return ir.TIndex(obj.type.elem, obj, idx)
        if isinstance(obj.type, DictT):
            if not isinstance(obj.type.key, Unknown) and join(obj.type.key, idx.type) is None:
                _refuse("type-conflict", f"dict key {idx.type} where keys are {obj.type.key}", stmt)
            return ir.TIndex(obj.type.value, obj, idx)
        if isinstance(obj.type, Unknown):
            raise _Pending(ast.unparse(t.value), getattr(stmt, "lineno", 0))
        _refuse("unsupported-syntax", f"item assignment on {obj.type} is not supported", stmt)

    # -- expressions --------------------------------------------------------------

    def _expr_stmt(self, node: ast.expr) -> ir.Expr:
        """A bare expression statement: mutating method calls teach element types."""
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.attr in ("append", "insert")
        ):
            name = self._local(node.func.value.id)
            if name in self.env and isinstance(self.env[name], ListT) and node.args:
                item = self._expr(node.args[-1])
                self._bind_type(name, ListT(item.type), node)
        return self._expr(node)

    def _cond(self, node: ast.expr) -> ir.Expr:
        """An expression in a test position: only its truth value matters."""
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            return ir.BoolOp(BOOL, op, tuple(self._cond(v) for v in node.values))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return ir.Unary(BOOL, "not", self._cond(node.operand))
        return self._truth(self._expr(node), node)

    def _truth(self, e: ir.Expr, node: ast.AST) -> ir.Expr:
        if e.type == BOOL:
            return e
        if e.type == NP_BOOL and isinstance(e, ir.Compare):
            return replace(e, type=BOOL)  # the truth of np.bool is the bool's
        if e.type == NONE:
            _refuse("unsupported-syntax", "the truth value of None is not supported", node)
        return ir.Truth(BOOL, e)

    def _expr(self, node: ast.expr) -> ir.Expr:
        if isinstance(node, ast.Constant):
            return self._const(node)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.BinOp):
            op = _BIN_OPS.get(type(node.op)) or sets.BIT_OPS.get(type(node.op))
            if op is None:
                _refuse(
                    "unsupported-syntax", f"operator `{_construct(node.op)}` is not supported", node
                )
            return self._binop(op, self._expr(node.left), self._expr(node.right), node)
        if isinstance(node, ast.UnaryOp):
            return self._unary(node)
        if isinstance(node, ast.BoolOp):
            return self._boolop(node)
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.IfExp):
            test = self._cond(node.test)
            body, orelse = self._expr(node.body), self._expr(node.orelse)
            branch_t = join(body.type, orelse.type)
            if branch_t is None:
                _refuse(
                    "type-conflict",
                    f"conditional expression yields {body.type} or {orelse.type}",
                    node,
                )
            return ir.IfExp(branch_t, test, _retype(body, branch_t), _retype(orelse, branch_t))
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Attribute):
            return self._attribute(node)
        if isinstance(node, ast.Subscript):
            obj = self._expr(node.value)
            if isinstance(node.slice, ast.Slice):
                return self._slice(obj, node.slice, node)
            return self._index(obj, self._expr(node.slice), node)
        if isinstance(node, ast.List):
            elems = tuple(self._expr(e) for e in node.elts)
            t: RType | None = UNKNOWN
            for e in elems:
                t = join(t, e.type) if t is not None else None
            if t is None:
                _refuse("type-conflict", "list literal mixes element types", node)
            return ir.ListLit(ListT(t), tuple(_retype(e, t) for e in elems))
        if isinstance(node, ast.Tuple):
            elems = tuple(self._expr(e) for e in node.elts)
            if not 0 < len(elems) <= MAX_TUPLE:
                _refuse(
                    "unsupported-syntax", f"tuples of {len(elems)} items are not supported", node
                )
            return ir.TupleLit(TupleT(tuple(e.type for e in elems)), elems)
        if isinstance(node, ast.Dict):
            if any(k is None for k in node.keys):
                _refuse("unsupported-syntax", "`**` in dict literals is not supported", node)
            keys = tuple(self._expr(k) for k in node.keys if k is not None)
            values = tuple(self._expr(v) for v in node.values)
            kt: RType | None = UNKNOWN
            vt: RType | None = UNKNOWN
            for k, v in zip(keys, values, strict=True):
                kt = join(kt, k.type) if kt is not None else None
                vt = join(vt, v.type) if vt is not None else None
            if kt is None or vt is None:
                _refuse("type-conflict", "dict literal mixes key or value types", node)
            self._check_key(kt, node)
            return ir.DictLit(
                DictT(kt, vt),
                tuple(_retype(k, kt) for k in keys),
                tuple(_retype(v, vt) for v in values),
            )
        if isinstance(node, ast.Set):
            return sets.literal(self, node)
        if isinstance(node, (ast.ListComp, ast.DictComp, ast.SetComp)):
            return self._comprehension(node)
        _refuse("unsupported-syntax", f"`{_construct(node)}` expressions are not supported", node)

    def _const(self, node: ast.Constant) -> ir.Expr:
        v = node.value
        if isinstance(v, bool):
            return ir.Const(BOOL, v)
        if isinstance(v, int):
            if not I64_MIN <= v <= I64_MAX:
                _refuse("int-range", f"the int constant {v} does not fit in 64 bits", node)
            return ir.Const(INT, v)
        if isinstance(v, float):
            return ir.Const(FLOAT, v)
        if isinstance(v, complex):
            return ir.Const(COMPLEX, v)
        if isinstance(v, str):
            return ir.Const(STR, v)
        if v is None:
            return ir.Const(NONE, None)
        _refuse(
            "unsupported-syntax", f"constants of type {type(v).__name__} are not supported", node
        )

    def _name(self, node: ast.Name) -> ir.Expr:
        name = self._local(node.id)
        if name in self.env:
            return ir.Name(self.env[name], name)
        if node.id in self.locals:
            raise _Pending(node.id, node.lineno)
        value = self._global(node.id, node)
        if isinstance(value, (bool, int, float, str, complex)):
            return self._const(ast.Constant(value=value, lineno=node.lineno))
        if isinstance(value, tuple):
            return self._global_tuple(node.id, value, node)
        _refuse(
            "global",
            f"`{node.id}` is a {type(value).__name__} global; only constants, builtins and "
            "math can be used",
            node,
        )

    def _global_tuple(self, name: str, value: tuple[object, ...], node: ast.AST) -> ir.Expr:
        """A module-level tuple constant, inlined from its value (nested tuples too)."""
        if not 0 < len(value) <= MAX_TUPLE:
            _refuse("global", f"the global `{name}` is a tuple of {len(value)} items", node)
        elems: list[ir.Expr] = []
        for v in value:
            if isinstance(v, tuple):
                elems.append(self._global_tuple(name, v, node))
            elif isinstance(v, (bool, int, float, str, complex)):
                elems.append(self._const(ast.Constant(value=v, lineno=getattr(node, "lineno", 0))))
            else:
                _refuse("global", f"the global `{name}` holds a {type(v).__name__}", node)
        return ir.TupleLit(TupleT(tuple(e.type for e in elems)), tuple(elems))

    _MISSING = object()

    def _global(self, name: str, node: ast.AST) -> object:
        """A module-level name used by the function: constants only, never rebound."""
        value = self.src.globals.get(name, self._MISSING)
        if value is self._MISSING:
            if hasattr(builtins, name):
                _refuse("builtin", f"the builtin `{name}` is not supported here", node)
            _refuse("global", f"`{name}` is not defined in the module", node)
        bindings = module_bindings(self.src.module).get(name, 0)
        if bindings > 1:
            _refuse(
                "global",
                f"the global `{name}` is rebound in the module; only constants are inlined",
                node,
            )
        return value

    def _attribute(self, node: ast.Attribute) -> ir.Expr:
        if isinstance(node.value, ast.Name) and node.value.id not in self.env:
            mod = self.src.globals.get(node.value.id)
            if mod is math:
                if node.attr in _MATH_CONSTS:
                    return ir.Const(FLOAT, _MATH_CONSTS[node.attr])
                _refuse("math", f"`math.{node.attr}` is not supported here", node)
        np_attr = numpy_front.module_attribute(self, node)
        if np_attr is not None:
            return np_attr
        obj = self._expr(node.value)
        if numpy_front.is_array(obj):
            return numpy_front.array_attribute(obj, node.attr, node)
        if obj.type == COMPLEX and node.attr in ("real", "imag"):
            return ir.Attr(FLOAT, obj, node.attr)
        if obj.type == FLOAT and node.attr in ("real",):
            return obj
        _refuse("attribute", f"the attribute `.{node.attr}` of {obj.type} is not supported", node)

    # -- operators ----------------------------------------------------------------

    def _numeric(self, e: ir.Expr, node: ast.AST) -> RType:
        if isinstance(e.type, Unknown):
            raise _Pending("?", getattr(node, "lineno", 0))
        return e.type

    def _promote(self, e: ir.Expr, t: RType) -> ir.Expr:
        """int -> float, int/float -> complex, bool -> int: Python's implicit widening."""
        if e.type == t:
            return e
        if isinstance(e, ir.Const) and e.type == INT and t == FLOAT:
            return ir.Const(FLOAT, float(e.value))  # type: ignore[arg-type]
        return ir.Call(t, f"to_{t}", (e,))

    def _binop(self, op: str, left: ir.Expr, right: ir.Expr, node: ast.AST) -> ir.Expr:
        lt, rt = self._numeric(left, node), self._numeric(right, node)
        if op in sets.SET_OPS and (op != "-" or isinstance(lt, SetT) or isinstance(rt, SetT)):
            return sets.binop(self, op, left, right, node)
        if lt == BOOL:
            left, lt = self._promote(left, INT), INT
        if lt in NP_SCALARS or rt in NP_SCALARS:
            return numpy_front.binop(op, left, right, node)
        if rt == BOOL:
            right, rt = self._promote(right, INT), INT
        if isinstance(lt, ArrayT) or isinstance(rt, ArrayT):
            _refuse("array-arithmetic", "arithmetic on whole arrays is not supported", node)
        if lt in (INT, FLOAT, COMPLEX) and rt in (INT, FLOAT, COMPLEX):
            if op == "**":
                return self._pow(left, right, node)
            if COMPLEX in (lt, rt):
                if op not in ("+", "-", "*", "/"):
                    _refuse("complex", f"`{op}` on complex numbers is not supported", node)
                return ir.BinOp(
                    COMPLEX, op, self._promote(left, COMPLEX), self._promote(right, COMPLEX)
                )
            if lt == INT and rt == INT:
                return ir.BinOp(FLOAT if op == "/" else INT, op, left, right)
            return ir.BinOp(FLOAT, op, self._promote(left, FLOAT), self._promote(right, FLOAT))
        if isinstance(lt, ListT) and isinstance(rt, ListT) and op == "+":
            t = join(lt, rt)
            if t is None:
                _refuse("type-conflict", f"concatenating {lt} and {rt}", node)
            return ir.BinOp(t, "+", _retype(left, t), _retype(right, t))
        if lt == STR and rt == STR and op == "+":
            return ir.BinOp(STR, "+", left, right)
        if op == "*" and (
            (isinstance(lt, ListT) and rt == INT) or (isinstance(rt, ListT) and lt == INT)
        ):
            seq, count = (left, right) if isinstance(lt, ListT) else (right, left)
            assert isinstance(seq.type, ListT)
            if is_mutable(seq.type.elem):
                _refuse(
                    "aliasing",
                    "`[row] * n` repeats one list object n times (aliases); build rows with a loop",
                    node,
                )
            return ir.BinOp(seq.type, "*", seq, count)
        if op == "*" and STR in (lt, rt) and INT in (lt, rt):
            seq, count = (left, right) if lt == STR else (right, left)
            return ir.BinOp(STR, "*", seq, count)
        if op == "%" and lt == STR:
            _refuse("unsupported-syntax", "%-formatting of strings is not supported", node)
        _refuse("type", f"`{op}` between {lt} and {rt} is not supported", node)

    def _pow(self, left: ir.Expr, right: ir.Expr, node: ast.AST) -> ir.Expr:
        lt, rt = left.type, right.type
        if COMPLEX in (lt, rt):
            _refuse("complex", "`**` on complex numbers is not supported", node)
        if lt == INT and rt == INT:
            if isinstance(right, ir.Const) and isinstance(right.value, int) and right.value < 0:
                # 2 ** -1 is the float 0.5
                return ir.BinOp(
                    FLOAT, "**", self._promote(left, FLOAT), self._promote(right, FLOAT)
                )
            return ir.BinOp(INT, "**", left, right)
        return ir.BinOp(FLOAT, "**", self._promote(left, FLOAT), self._promote(right, FLOAT))

    def _unary(self, node: ast.UnaryOp) -> ir.Expr:
        if isinstance(node.op, ast.Not):
            return ir.Unary(BOOL, "not", self._cond(node.operand))
        operand_node = node.operand
        if (
            isinstance(node.op, ast.USub)
            and isinstance(operand_node, ast.Constant)
            and type(operand_node.value) is int
        ):
            # -9223372036854775808 is in range though its positive part is not.
            value = -operand_node.value
            if not I64_MIN <= value <= I64_MAX:
                _refuse("int-range", f"the int constant {value} does not fit in 64 bits", node)
            return ir.Const(INT, value)
        operand = self._expr(node.operand)
        t = self._numeric(operand, node)
        if t == BOOL:
            operand, t = self._promote(operand, INT), INT
        if isinstance(node.op, ast.USub) and t in NP_SCALARS:
            return ir.Unary(t, "-", operand)
        if isinstance(node.op, ast.UAdd) and t in NP_SCALARS:
            return operand
        if isinstance(node.op, ast.USub) and t in (INT, FLOAT, COMPLEX):
            if isinstance(operand, ir.Const) and t in (INT, FLOAT):
                value = -operand.value  # type: ignore[operator]
                if t == INT and not I64_MIN <= value <= I64_MAX:
                    _refuse("int-range", f"the int constant {value} does not fit in 64 bits", node)
                return ir.Const(t, value)
            return ir.Unary(t, "-", operand)
        if isinstance(node.op, ast.UAdd) and t in (INT, FLOAT, COMPLEX):
            return operand
        _refuse(
            "unsupported-syntax", f"unary `{_construct(node.op)}` on {t} is not supported", node
        )

    def _boolop(self, node: ast.BoolOp) -> ir.Expr:
        op = "and" if isinstance(node.op, ast.And) else "or"
        values = tuple(self._expr(v) for v in node.values)
        t: RType | None = values[0].type
        for v in values[1:]:
            t = join(t, v.type) if t is not None else None
        if t is None:
            _refuse(
                "type-conflict",
                f"`{op}` returns one of its operands, and these have different types "
                f"({', '.join(sorted({str(v.type) for v in values}))})",
                node,
            )
        if t == NONE:
            _refuse("unsupported-syntax", f"`{op}` on None is not supported", node)
        return ir.BoolOp(t, op, tuple(_retype(v, t) for v in values))

    def _compare(self, node: ast.Compare) -> ir.Expr:
        left = self._expr(node.left)
        ops: list[str] = []
        comps: list[ir.Expr] = []
        prev = left
        for op_node, comp_node in zip(node.ops, node.comparators, strict=True):
            op = _CMP_OPS[type(op_node)]
            comp = self._expr(comp_node)
            prev_c, comp_c = self._comparable(op, prev, comp, node)
            if not ops:
                left = prev_c
            elif prev_c is not prev:
                _refuse("type", "chained comparison mixing types is not supported", node)
            ops.append(op)
            comps.append(comp_c)
            prev = comp
        return ir.Compare(
            numpy_front.compare_type(left, tuple(comps)), left, tuple(ops), tuple(comps)
        )

    def _comparable(
        self, op: str, a: ir.Expr, b: ir.Expr, node: ast.AST
    ) -> tuple[ir.Expr, ir.Expr]:
        at, bt = self._numeric(a, node), self._numeric(b, node)
        if op in ("is", "is not"):
            _refuse("unsupported-syntax", f"`{op}` comparisons are not supported", node)
        if at in NP_SCALARS or bt in NP_SCALARS:
            return numpy_front.comparable(op, a, b, node)
        if isinstance(at, SetT) or isinstance(bt, SetT):
            return sets.comparable(op, a, b, node)
        if op in ("in", "not in"):
            if isinstance(bt, DictT):
                if join(at, bt.key) is None:
                    _refuse("type", f"`in` with a {at} key on {bt}", node)
                return a, b
            if isinstance(bt, ListT):
                if join(at, bt.elem) is None:
                    _refuse("type", f"`in` with a {at} item on {bt}", node)
                if contains_float(at):
                    _refuse(
                        "float-identity",
                        "`in` on a list of floats depends on object identity for NaN; "
                        "not supported",
                        node,
                    )
                return a, b
            if at == STR and bt == STR:
                return a, b
            _refuse("type", f"`in` on {bt} is not supported", node)
        if at in (INT, FLOAT, BOOL) and bt in (INT, FLOAT, BOOL):
            if BOOL in (at, bt) and at != bt:
                _refuse("type", f"comparing {at} with {bt} is not supported", node)
            # int vs float comparisons are exact (helpers in the runtime).
            return a, b
        if at == bt and at in (STR, COMPLEX) and (at == STR or op in ("==", "!=")):
            return a, b
        if at == bt and isinstance(at, (ListT, TupleT)) and op in ("==", "!="):
            if contains_float(at):
                _refuse(
                    "float-identity",
                    "`==` on containers of floats depends on object identity for NaN; "
                    "not supported",
                    node,
                )
            return a, b
        if at == bt and isinstance(at, TupleT) and not contains_float(at):
            return a, b
        _refuse("type", f"comparing {at} {op} {bt} is not supported", node)

    # -- calls --------------------------------------------------------------------

    def _call(self, node: ast.Call) -> ir.Expr:
        np_name = numpy_front.function_name(self, node.func)
        if np_name is not None:
            return numpy_front.call(self, np_name, node)
        func = node.func
        if (
            isinstance(func, ast.Name)
            and func.id not in self.env
            and func.id not in self.locals
            and is_user_function(self.src.globals.get(func.id), self.src.globals)
        ):
            return self._user_call(func.id, node)
        if node.keywords and not methods.takes_keywords(node):
            _refuse("unsupported-syntax", "keyword arguments in calls are not supported yet", node)
        func = node.func
        if isinstance(func, ast.Attribute):
            if (
                isinstance(func.value, ast.Name)
                and self.src.globals.get(func.value.id) is math
                and func.value.id not in self.env
            ):
                return self._math(func.attr, node)
            return self._method(func, node)
        if not isinstance(func, ast.Name):
            _refuse("call", f"calling `{ast.unparse(func)}` is not supported", node)
        name = func.id
        if name in self.env or name in self.locals:
            _refuse("call", f"calling the local `{name}` is not supported", node)
        value = self.src.globals.get(name, self._MISSING)
        if value is not self._MISSING:
            if callable(value) and getattr(value, "__module__", None) == "math":
                return self._math(getattr(value, "__name__", name), node)
            if hasattr(builtins, name) and value is getattr(builtins, name):
                pass
            else:
                _refuse(
                    "call",
                    f"calls `{name}`, which is not a builtin (calls between user functions "
                    "are not translated yet)",
                    node,
                )
        elif not hasattr(builtins, name):
            _refuse("call", f"`{name}` is not defined", node)
        return self._builtin(name, node)

    def _user_call(self, name: str, node: ast.Call) -> ir.Expr:
        value = self.src.globals[name]
        assert isinstance(value, types.FunctionType)
        callee = find_def(self.src.module, value)
        if callee is None:
            _refuse("call", f"cannot find the source of `{name}()` in its module", node)
        args = bind_arguments(node, callee, self._expr)
        if callee.name == self.node.name and callee.lineno == self.node.lineno:
            if not is_complete(self.ret) or not all(is_complete(a.type) for a in args):
                raise _Pending(name, node.lineno)
            own = [(p, self.env[p]) for p in self.params]
            recursive_call(own, args, node.lineno)
            args = [_retype(a, t) for a, (_, t) in zip(args, own, strict=True)]
            return ir.UserCall(self.ret, self.ir_name, tuple(args))

        def translate(
            n: ast.FunctionDef, params: Mapping[str, RType], ir_name: str, calls: Calls
        ) -> ir.Function:
            return _translate_helper(self.src, n, params, ir_name, calls)

        helper = call_helper(self.calls, callee, args, node.lineno, translate)
        if helper is None:
            raise _Pending(name, node.lineno)
        return ir.UserCall(helper.ret, helper.name, tuple(args))

    def _args(self, node: ast.Call, n: int | tuple[int, ...]) -> list[ir.Expr]:
        counts = (n,) if isinstance(n, int) else n
        name = ast.unparse(node.func)
        if len(node.args) not in counts:
            _refuse("call", f"`{name}` with {len(node.args)} arguments is not supported", node)
        return [self._expr(a) for a in node.args]

    def _builtin(self, name: str, node: ast.Call) -> ir.Expr:
        on_set = sets.builtin(self, name, node)
        if on_set is not None:
            return on_set
        handled = methods.builtin(self, name, node)
        if handled is not None:
            return handled
        if name == "len":
            (x,) = self._args(node, 1)
            t = self._numeric(x, node)
            if isinstance(t, (ListT, DictT, TupleT)) or t == STR:
                return ir.Call(INT, "len", (x,))
            if isinstance(t, ArrayT):
                return numpy_front.length(x)
            _refuse("type", f"len() of {t} is not supported", node)
        if name == "abs":
            (x,) = self._args(node, 1)
            t = self._numeric(x, node)
            if t == BOOL:
                x, t = self._promote(x, INT), INT
            if t in NP_SCALARS:
                return ir.Call(t, "np.abs", (x,))
            if t in (INT, FLOAT):
                return ir.Call(t, "abs", (x,))
            if t == COMPLEX:
                return ir.Call(FLOAT, "abs", (x,))
            _refuse("type", f"abs() of {t} is not supported", node)
        if name in ("min", "max"):
            args = self._args(node, tuple(range(1, 9)))
            if len(args) == 1:
                t = self._numeric(args[0], node)
                if isinstance(t, ListT) and t.elem in (INT, FLOAT, STR):
                    return ir.Call(t.elem, f"{name}_seq", (args[0],))
                _refuse("type", f"{name}() over {t} is not supported", node)
            types = {self._numeric(a, node) for a in args}
            if len(types) != 1 or next(iter(types)) not in (INT, FLOAT, STR, *NP_SCALARS):
                _refuse(
                    "type",
                    f"{name}() of {', '.join(sorted(str(t) for t in types))} is not supported "
                    "(the result's type would depend on the values)",
                    node,
                )
            return ir.Call(args[0].type, name, tuple(args))
        if name == "sum":
            (x,) = self._args(node, 1)
            t = self._numeric(x, node)
            if isinstance(t, ListT) and t.elem in (INT, FLOAT):
                return ir.Call(t.elem, "sum", (x,))
            if isinstance(t, ListT) and t.elem == BOOL:
                return ir.Call(INT, "sum", (x,))
            _refuse("type", f"sum() of {t} is not supported", node)
        if name == "float":
            (x,) = self._args(node, 1)
            t = self._numeric(x, node)
            if t in (INT, BOOL, FLOAT):
                return self._promote(x if t != BOOL else self._promote(x, INT), FLOAT)
            if t in NP_SCALARS:
                return numpy_front.to_float(x)
            _refuse("type", f"float() of {t} is not supported", node)
        if name == "int":
            (x,) = self._args(node, 1)
            x = numpy_front.to_python(x)
            t = self._numeric(x, node)
            if t == INT:
                return x
            if t == BOOL:
                return self._promote(x, INT)
            if t == FLOAT:
                return ir.Call(INT, "int", (x,))
            _refuse("type", f"int() of {t} is not supported", node)
        if name == "bool":
            (x,) = self._args(node, 1)
            return self._truth(x, node)
        if name == "round":
            args = self._args(node, (1, 2))
            if len(args) == 2:
                _refuse("round-digits", "round(x, n) is not supported (decimal rounding)", node)
            t = self._numeric(args[0], node)
            if t == FLOAT:
                return ir.Call(INT, "round", (args[0],))
            if t == INT:
                return args[0]
            _refuse("type", f"round() of {t} is not supported", node)
        if name == "ord":
            (x,) = self._args(node, 1)
            self._expect(x, STR, "ord() argument", node)
            return ir.Call(INT, "ord", (x,))
        if name == "chr":
            (x,) = self._args(node, 1)
            self._expect(x, INT, "chr() argument", node)
            return ir.Call(STR, "chr", (x,))
        if name == "complex":
            args = self._args(node, (1, 2))
            for a in args:
                if self._numeric(a, node) not in (INT, FLOAT):
                    _refuse("type", f"complex() of {a.type} is not supported", node)
            re_ = self._promote(args[0], FLOAT)
            im_ = self._promote(args[1], FLOAT) if len(args) == 2 else ir.Const(FLOAT, 0.0)
            return ir.Call(COMPLEX, "complex", (re_, im_))
        if name == "divmod":
            a, b = self._args(node, 2)
            r = self._binop("//", a, b, node)
            if r.type not in (INT, FLOAT):
                _refuse("type", f"divmod() of {a.type} and {b.type} is not supported", node)
            assert isinstance(r, ir.BinOp)
            return ir.Call(TupleT((r.type, r.type)), "divmod", (r.left, r.right))
        if name == "list":
            (x,) = self._args(node, 1)
            t = self._numeric(x, node)
            if isinstance(t, ListT):
                return ir.Copy(t, x)
            _refuse("type", f"list() of {t} is not supported yet", node)
        if name in ("range", "enumerate", "zip", "reversed"):
            _refuse("iteration", f"`{name}()` is supported only as the iterable of a `for`", node)
        _refuse("builtin", f"the builtin `{name}()` is not supported yet", node)

    def _math(self, fname: str, node: ast.Call) -> ir.Expr:
        handled = mathlib.call(self, fname, node)
        if handled is not None:
            return handled
        if fname in ir.MATH_1:
            (x,) = self._args(node, 1)
            x = numpy_front.to_float(x) if x.type in NP_SCALARS else x
            t = self._numeric(x, node)
            if t not in (INT, FLOAT):
                _refuse("type", f"math.{fname}() of {t} is not supported", node)
            return ir.Call(FLOAT, f"math.{fname}", (self._promote(x, FLOAT),))
        if fname in ("floor", "ceil", "trunc"):
            (x,) = self._args(node, 1)
            t = self._numeric(x, node)
            if t == INT:
                return x
            if t == FLOAT:
                return ir.Call(INT, f"math.{fname}", (x,))
            _refuse("type", f"math.{fname}() of {t} is not supported", node)
        if fname in ("isnan", "isinf", "isfinite"):
            (x,) = self._args(node, 1)
            x = numpy_front.to_float(x) if x.type in NP_SCALARS else x
            if self._numeric(x, node) not in (INT, FLOAT):
                _refuse("type", f"math.{fname}() of {x.type} is not supported", node)
            return ir.Call(BOOL, f"math.{fname}", (self._promote(x, FLOAT),))
        if fname == "copysign":
            args = self._args(node, 2)
            for a in args:
                if self._numeric(a, node) not in (INT, FLOAT):
                    _refuse("type", f"math.{fname}() of {a.type} is not supported", node)
            return ir.Call(FLOAT, f"math.{fname}", tuple(self._promote(a, FLOAT) for a in args))
        _refuse("math", f"`math.{fname}` is not supported yet", node)

    def _method(self, func: ast.Attribute, node: ast.Call) -> ir.Expr:
        obj = self._expr(func.value)
        t = self._numeric(obj, node)
        m = func.attr
        if isinstance(t, ArrayT):
            return numpy_front.method(obj, m, node.args, node)
        if isinstance(t, SetT):
            return sets.method(self, obj, t, m, node)
        handled = methods.method(self, obj, m, node)
        if handled is not None:
            return handled
        if isinstance(t, ListT):
            if m == "append":
                (x,) = self._args(node, 1)
                if not isinstance(t.elem, Unknown) and join(t.elem, x.type) is None:
                    _refuse("type-conflict", f"appending {x.type} to {t}", node)
                return ir.Method(NONE, obj, "append", (self._coerce(x, t.elem, node),))
            if m == "extend":
                (x,) = self._args(node, 1)
                if join(t, x.type) is None:
                    _refuse("type-conflict", f"extending {t} with {x.type}", node)
                return ir.Method(NONE, obj, "extend", (x,))
            if m == "pop":
                args = self._args(node, (0, 1))
                for a in args:
                    self._expect(a, INT, "pop() index", node)
                if isinstance(t.elem, Unknown):
                    raise _Pending(ast.unparse(func.value), node.lineno)
                return ir.Method(t.elem, obj, "pop", tuple(args))
            if m == "insert":
                i, x = self._args(node, 2)
                self._expect(i, INT, "insert() index", node)
                return ir.Method(NONE, obj, "insert", (i, self._coerce(x, t.elem, node)))
        if isinstance(t, DictT):
            if m == "get":
                args = self._args(node, (1, 2))
                if len(args) == 1:
                    _refuse(
                        "optional",
                        "dict.get(k) without a default can return None; not supported",
                        node,
                    )
                k, default = args
                if join(t.key, k.type) is None:
                    _refuse("type", f"dict.get() with a {k.type} key on {t}", node)
                vt = join(t.value, default.type)
                if vt is None:
                    _refuse("type-conflict", f"dict.get() default {default.type} on {t}", node)
                if isinstance(vt, Unknown):
                    raise _Pending(ast.unparse(func.value), node.lineno)
                return ir.Method(vt, obj, "get", (k, _retype(default, vt)))
            if m in ("keys", "values", "items"):
                _refuse(
                    "iteration", f"`dict.{m}()` is supported only as the iterable of a `for`", node
                )
        if t == COMPLEX and m == "conjugate":
            self._args(node, 0)
            return ir.Method(COMPLEX, obj, "conjugate", ())
        _refuse("method", f"the method `{m}()` of {t} is not supported yet", node)

    # -- subscripts -------------------------------------------------------------------

    def _index(self, obj: ir.Expr, idx: ir.Expr, node: ast.AST) -> ir.Expr:
        t = self._numeric(obj, node)
        if isinstance(t, ArrayT):
            return numpy_front.index(self, obj, idx, node)
        if isinstance(t, ListT):
            self._expect(idx, INT, "list index", node)
            if isinstance(t.elem, Unknown):
                raise _Pending("?", getattr(node, "lineno", 0))
            return ir.Index(t.elem, obj, idx)
        if t == STR:
            self._expect(idx, INT, "string index", node)
            return ir.Index(STR, obj, idx)
        if isinstance(t, TupleT):
            if not (isinstance(idx, ir.Const) and idx.type == INT):
                self._expect(idx, INT, "tuple index", node)
                if len(set(t.elems)) != 1:
                    _refuse(
                        "tuple-index",
                        f"indexing {t} with a variable: the item's type would depend on it",
                        node,
                    )
                return ir.Index(t.elems[0], obj, idx)
            i = idx.value
            assert isinstance(i, int)
            n = len(t.elems)
            if not -n <= i < n:
                _refuse("tuple-index", f"tuple index {i} is out of range for {t}", node)
            j = i % n
            return ir.Index(t.elems[j], obj, ir.Const(INT, j))
        if isinstance(t, DictT):
            if isinstance(t.value, Unknown):
                raise _Pending("?", getattr(node, "lineno", 0))
            if join(t.key, idx.type) is None:
                _refuse("type", f"a {idx.type} key on {t}", node)
            return ir.Index(t.value, obj, idx)
        _refuse("type", f"indexing {t} is not supported", node)

    def _slice(self, obj: ir.Expr, s: ast.Slice, node: ast.AST) -> ir.Expr:
        t = self._numeric(obj, node)
        if isinstance(t, ArrayT):
            numpy_front.slice_(node)
        if not (isinstance(t, ListT) or t == STR):
            _refuse("type", f"slicing {t} is not supported", node)
        parts: list[ir.Expr | None] = []
        for p in (s.lower, s.upper, s.step):
            if p is None:
                parts.append(None)
            else:
                e = self._expr(p)
                self._expect(e, INT, "slice index", node)
                parts.append(e)
        return ir.Slice(t, obj, parts[0], parts[1], parts[2])

    # -- iteration ----------------------------------------------------------------

    def _iter(self, node: ast.expr) -> ir.Iter:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            fname = node.func.id
            shadowed = fname in self.env or fname in self.src.globals
            if fname == "range" and not shadowed:
                args = self._args(node, (1, 2, 3))
                for a in args:
                    t = self._numeric(a, node)
                    if t == BOOL:
                        continue
                    self._expect(a, INT, "range() argument", node)
                args = [self._promote(a, INT) if a.type == BOOL else a for a in args]
                start: ir.Expr
                stop: ir.Expr
                step: ir.Expr
                if len(args) == 1:
                    start, stop, step = ir.Const(INT, 0), args[0], ir.Const(INT, 1)
                elif len(args) == 2:
                    start, stop, step = args[0], args[1], ir.Const(INT, 1)
                else:
                    start, stop, step = args
                return ir.IterRange(INT, start, stop, step)
            if fname == "enumerate" and not shadowed:
                if len(node.args) not in (1, 2):
                    _refuse("call", "enumerate() takes one iterable and an optional start", node)
                inner = self._iter(node.args[0])
                first = self._expr(node.args[1]) if len(node.args) == 2 else ir.Const(INT, 0)
                self._expect(first, INT, "enumerate() start", node)
                return ir.IterEnumerate(TupleT((INT, inner.elem)), inner, first)
            if fname == "reversed" and not shadowed:
                if len(node.args) != 1:
                    _refuse("call", "reversed() takes one sequence", node)
                inner = self._iter(node.args[0])
                if isinstance(inner, ir.IterRange) or (
                    isinstance(inner, ir.IterSeq) and not isinstance(inner.seq.type, DictT)
                ):
                    return ir.IterReversed(inner.elem, inner)
                _refuse("iteration", "reversed() of this iterable is not supported", node)
            if fname == "zip" and not shadowed:
                if not 1 <= len(node.args) <= MAX_TUPLE:
                    _refuse("call", f"zip() of {len(node.args)} iterables is not supported", node)
                inners = tuple(self._iter(a) for a in node.args)
                return ir.IterZip(TupleT(tuple(i.elem for i in inners)), inners)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("items", "values", "keys")
            and not node.args
        ):
            d = self._expr(node.func.value)
            t = self._numeric(d, node)
            if isinstance(t, DictT):
                if node.func.attr == "keys":
                    return ir.IterSeq(t.key, d)
                if node.func.attr == "values":
                    return ir.IterItems(t.value, d, True)
                return ir.IterItems(TupleT((t.key, t.value)), d, False)
        seq = self._expr(node)
        t = self._numeric(seq, node)
        if isinstance(t, ListT):
            if isinstance(t.elem, Unknown):
                raise _Pending(ast.unparse(node), node.lineno)
            return ir.IterSeq(t.elem, seq)
        if t == STR:
            return ir.IterSeq(STR, seq)
        if isinstance(t, DictT):
            return ir.IterSeq(t.key, seq)
        if isinstance(t, ArrayT):
            return numpy_front.iterate(seq, node)
        if isinstance(t, SetT):
            if isinstance(t.elem, Unknown):
                raise _Pending(ast.unparse(node), node.lineno)
            return ir.IterSeq(t.elem, seq)  # where the order matters: sets.check_set_order
        _refuse("iteration", f"iterating over {t} is not supported", node)

    def _comprehension(self, node: ast.ListComp | ast.DictComp | ast.SetComp) -> ir.Expr:
        scope: dict[str, str] = {}
        self.scopes.append(scope)
        try:
            gens = []
            for g in node.generators:
                if g.is_async:
                    _refuse("unsupported-syntax", "async comprehensions are not supported", node)
                it = self._iter(g.iter)
                for n in ast.walk(g.target):
                    if isinstance(n, ast.Name) and n.id not in scope:
                        self.comp_counter += 1
                        scope[n.id] = f"$c{self.comp_counter}_{n.id}"
                target = self._target(g.target, it.elem, node)
                conds = tuple(self._cond(c) for c in g.ifs)
                gens.append(ir.CompFor(target, it, conds))
            if isinstance(node, ast.ListComp):
                elt = self._expr(node.elt)
                if isinstance(elt.type, Unknown):
                    raise _Pending("?", node.lineno)
                return ir.Comprehension(ListT(elt.type), "list", elt, None, tuple(gens))
            if isinstance(node, ast.SetComp):
                elt = self._expr(node.elt)
                sets.check_elem(elt.type, node)
                return ir.Comprehension(SetT(elt.type), "set", elt, None, tuple(gens))
            key = self._expr(node.key)
            value = self._expr(node.value)
            self._check_key(key.type, node)
            return ir.Comprehension(DictT(key.type, value.type), "dict", value, key, tuple(gens))
        finally:
            self.scopes.pop()

    # -- checks -----------------------------------------------------------------------

    def _expect(self, e: ir.Expr, t: RType, what: str, node: ast.AST) -> None:
        if isinstance(e.type, Unknown):
            raise _Pending("?", getattr(node, "lineno", 0))
        if e.type != t:
            _refuse("type", f"{what} is {e.type}, expected {t}", node)

    def _expect_repeatable(self, t: ListT, s: ast.AugAssign) -> ir.Expr:
        count = self._expr(s.value)
        self._expect(count, INT, "list repetition count", s)
        if is_mutable(t.elem):
            _refuse(
                "aliasing",
                "`rows *= n` repeats the same inner list objects n times (aliases); "
                "build rows with a loop",
                s,
            )
        return count

    def _check_key(self, t: RType, node: ast.AST) -> None:
        if isinstance(t, Unknown):
            return
        if not is_hashable_key(t):
            _refuse(
                "dict-key",
                f"dict keys of type {t} are not supported (int, str, bool or tuples of int/str; "
                "floats hash like ints in Python)",
                node,
            )

    def _coerce(self, e: ir.Expr, t: RType, node: ast.AST) -> ir.Expr:
        """Give an expression (an empty literal, deep inside too) the type its
        destination has, where the two agree."""
        if e.type == t or isinstance(t, Unknown):
            return e
        if isinstance(t, DictT):
            self._check_key(t.key, node)
        if join(e.type, t) == t:
            return _retype(e, t)
        return e


def _check_complete(body: tuple[ir.Stmt, ...]) -> None:
    """Refuse (rather than generate broken Rust for) an expression whose type is still
    partly unknown, such as an empty list nothing says the element type of."""
    for stmt in ir.walk_stmts(body):
        exprs = list(ir.stmt_exprs(stmt))
        if isinstance(stmt, ir.For):
            exprs.extend(ir.iter_exprs(stmt.iter))
        for e in exprs:
            for sub in ir.subexprs(e):
                if not is_complete(sub.type):
                    _refuse(
                        "type-unknown",
                        f"cannot infer the type of this {sub.type} value; annotate the "
                        "variable it goes into",
                        stmt.line,
                    )


def _op_text(op: ast.operator) -> str:
    return _BIN_OPS.get(type(op), "?")


def _retype(e: ir.Expr, t: RType) -> ir.Expr:
    """``e`` given the more precise type ``t`` (which joins with its own), down through
    the parts whose type follows from it: the empty ``[]`` in ``xs or []``,
    ``d.get(k, [])``, ``[[] for _ in r]`` or ``return [], n`` learns its element type."""
    if e.type == t:
        return e
    if t in NP_SCALARS:
        return numpy_front.cast(e, t)  # a float where a float or an np.float64 may be
    if isinstance(e, ir.ListLit) and isinstance(t, ListT):
        return replace(e, type=t, elems=tuple(_retype(x, t.elem) for x in e.elems))
    if isinstance(e, ir.TupleLit) and isinstance(t, TupleT) and len(t.elems) == len(e.elems):
        return replace(
            e, type=t, elems=tuple(_retype(x, et) for x, et in zip(e.elems, t.elems, strict=True))
        )
    if isinstance(e, ir.DictLit) and isinstance(t, DictT):
        return replace(
            e,
            type=t,
            keys=tuple(_retype(k, t.key) for k in e.keys),
            values=tuple(_retype(v, t.value) for v in e.values),
        )
    if isinstance(e, ir.Comprehension):
        elt_t = (
            t.elem if isinstance(t, (ListT, SetT)) else t.value if isinstance(t, DictT) else None
        )
        if elt_t is not None:
            return replace(e, type=t, elt=_retype(e.elt, elt_t))
    if isinstance(e, ir.IfExp):
        return replace(e, type=t, body=_retype(e.body, t), orelse=_retype(e.orelse, t))
    if isinstance(e, ir.BoolOp) and e.type != BOOL:
        return replace(e, type=t, values=tuple(_retype(v, t) for v in e.values))
    if isinstance(e, ir.BinOp) and isinstance(t, ListT) and e.op == "+":
        return replace(e, type=t, left=_retype(e.left, t), right=_retype(e.right, t))
    if isinstance(e, ir.BinOp) and isinstance(t, ListT) and e.op == "*":
        seq, count = (e.left, e.right) if isinstance(e.left.type, ListT) else (e.right, e.left)
        return replace(e, type=t, left=_retype(seq, t), right=count)
    if isinstance(e, ir.Method) and e.method == "get":
        return replace(e, type=t, args=(e.args[0], _retype(e.args[1], t)))
    if isinstance(e, (ir.Name, ir.Index, ir.Slice, ir.Copy, ir.Call)):
        return replace(e, type=t)
    return e


def _agree(
    annotated: RType | None, observed: RType | None, what: str, node: ast.AST
) -> RType | None:
    if annotated is None:
        return observed
    if observed is None:
        return annotated
    t = join(annotated, observed)
    # An incomplete annotation (`np.ndarray`) is refined by what calls passed.
    if t is None or (is_complete(observed) and is_complete(annotated) and t != annotated):
        _refuse(
            "type-conflict",
            f"{what} is annotated {annotated} but calls passed {observed}",
            node,
        )
    return t
