"""The typed intermediate form between Python's AST and Rust.

Input: built by ``frontend.py`` from a function's AST and its parameter types.
Output: read by ``rust.py`` (which never sees ``ast``) and printed by ``pprint.py``::

    Function(name="dot", params=(Param("a", ListT(FLOAT)), ...), ret=FLOAT,
             locals={"total": FLOAT, "i": INT},
             body=(Assign(TName("total", FLOAT), Const(0.0, FLOAT)), For(...), Return(...)))

Every expression carries its type, every builtin is resolved to an operation name
(``"len"``, ``"math.sqrt"``), and every operation is one the code generator can emit
with Python's semantics; anything else was refused before an IR node was made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .rtypes import BOOL, RType

# -- expressions --------------------------------------------------------------


@dataclass(frozen=True)
class Expr:
    type: RType


@dataclass(frozen=True)
class Const(Expr):
    value: object


@dataclass(frozen=True)
class Name(Expr):
    id: str


@dataclass(frozen=True)
class BinOp(Expr):
    op: str  # + - * / // % **
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Unary(Expr):
    op: str  # - + not
    operand: Expr


@dataclass(frozen=True)
class Compare(Expr):
    """``left op1 c1 op2 c2 ...``: each comparator is evaluated once."""

    left: Expr
    ops: tuple[str, ...]
    comparators: tuple[Expr, ...]


@dataclass(frozen=True)
class BoolOp(Expr):
    """``and``/``or`` returning an operand, as Python does (all operands one type)."""

    op: str
    values: tuple[Expr, ...]


@dataclass(frozen=True)
class Truth(Expr):
    """The truth value of an expression of any type (``bool(x)``, conditions)."""

    operand: Expr


@dataclass(frozen=True)
class IfExp(Expr):
    test: Expr
    body: Expr
    orelse: Expr


@dataclass(frozen=True)
class Call(Expr):
    """A builtin or math function, resolved: ``func`` is e.g. ``"len"`` or ``"math.sqrt"``."""

    func: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class UserCall(Expr):
    """A call of a function of the same module, translated with the caller (or the
    caller itself, recursively). ``callee`` is its IR name. Arguments for the callee's
    ``mutated`` parameters are places passed by reference, so the caller's object
    sees the change, as in Python."""

    callee: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Method(Expr):
    """A method of a built-in type: ``obj.method(args)``; ``obj`` is a place for mutators."""

    obj: Expr
    method: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Attr(Expr):
    """A data attribute of a built-in value (``z.real``)."""

    obj: Expr
    attr: str


@dataclass(frozen=True)
class Index(Expr):
    obj: Expr
    index: Expr


@dataclass(frozen=True)
class ArrayIndex(Index):
    """An item of a NumPy array: ``index`` is an int, or for 2-D a pair of ints.

    ``chained`` is the ``a[i][j]`` spelling, whose IndexError names axis 0 twice (the
    second index goes into a row view). ``checked`` means ``index`` already holds
    positions checked against the shape (the temporary of ``a[i, j] += v``). Typed as a
    1-D array, it is the row ``a[i]`` of a 2-D array, which only ``a[i][j]`` may use.
    """

    chained: bool = False
    checked: bool = False


@dataclass(frozen=True)
class Slice(Expr):
    obj: Expr
    lower: Expr | None
    upper: Expr | None
    step: Expr | None


@dataclass(frozen=True)
class ListLit(Expr):
    elems: tuple[Expr, ...]


@dataclass(frozen=True)
class TupleLit(Expr):
    elems: tuple[Expr, ...]


@dataclass(frozen=True)
class DictLit(Expr):
    keys: tuple[Expr, ...]
    values: tuple[Expr, ...]


@dataclass(frozen=True)
class Copy(Expr):
    """A value stored where Python would share it: Rust must clone (value semantics)."""

    operand: Expr


# -- iteration ------------------------------------------------------------------


@dataclass(frozen=True)
class Iter:
    elem: RType


@dataclass(frozen=True)
class IterRange(Iter):
    start: Expr
    stop: Expr
    step: Expr


@dataclass(frozen=True)
class IterSeq(Iter):
    """Iterate a list's elements, a str's characters or a dict's keys."""

    seq: Expr


@dataclass(frozen=True)
class IterEnumerate(Iter):
    inner: Iter
    start: Expr


@dataclass(frozen=True)
class IterZip(Iter):
    inners: tuple[Iter, ...]


@dataclass(frozen=True)
class IterReversed(Iter):
    """``reversed(...)`` of a list, a str or a range."""

    inner: Iter


@dataclass(frozen=True)
class IterItems(Iter):
    """``d.items()`` (``values`` False) or ``d.values()`` (``values`` True)."""

    dict: Expr
    values_only: bool


@dataclass(frozen=True)
class Comprehension(Expr):
    """``[elt for t in it if cond ...]`` or its set or dict form; nested ``for``s in order."""

    kind: str  # list set dict
    elt: Expr
    key: Expr | None
    generators: tuple[CompFor, ...]


@dataclass(frozen=True)
class CompFor:
    target: Target
    iter: Iter
    conds: tuple[Expr, ...]


@dataclass(frozen=True)
class Lambda(Expr):
    """A key function (``lambda p: p[1]``, or a builtin such as ``len``) of one parameter,
    used where it is written: ``type`` is the key's type, ``param`` a local."""

    param: str
    param_type: RType
    body: Expr


@dataclass(frozen=True)
class Reduce(Expr):
    """A builtin consuming an iterable or a generator expression one element at a time:
    ``op`` is list sorted sum any all min max (methods.py), or math.fsum math.prod
    (mathlib.py). The elements are ``elt`` over the nested
    ``generators`` (a plain iterable is one generator binding a temporary)."""

    op: str
    elt: Expr
    generators: tuple[CompFor, ...]
    key: Lambda | None = None
    default: Expr | None = None  # min/max
    reverse: Expr | None = None  # sorted


# -- assignment targets -----------------------------------------------------------


@dataclass(frozen=True)
class Target:
    type: RType


@dataclass(frozen=True)
class TName(Target):
    id: str


@dataclass(frozen=True)
class TIndex(Target):
    """``obj[index] = ...`` on a list or dict held by a place expression."""

    obj: Expr
    index: Expr


@dataclass(frozen=True)
class TArrayIndex(TIndex):
    """``a[i] = v``, ``a[i, j] = v`` or ``a[i][j] = v``: a store into a NumPy array,
    which is the caller's own object when ``a`` is a parameter."""

    chained: bool = False


@dataclass(frozen=True)
class TTuple(Target):
    elts: tuple[Target, ...]


# -- statements -------------------------------------------------------------------


@dataclass(frozen=True)
class Stmt:
    line: int


@dataclass(frozen=True)
class Assign(Stmt):
    target: Target
    value: Expr


@dataclass(frozen=True)
class AugAssign(Stmt):
    """``target op= value`` on an indexed place (names are lowered to Assign)."""

    target: TIndex
    op: str
    value: Expr


@dataclass(frozen=True)
class ExprStmt(Stmt):
    value: Expr


@dataclass(frozen=True)
class If(Stmt):
    test: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...]


@dataclass(frozen=True)
class While(Stmt):
    test: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...]


@dataclass(frozen=True)
class For(Stmt):
    target: Target
    iter: Iter
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...]


@dataclass(frozen=True)
class Return(Stmt):
    value: Expr | None


@dataclass(frozen=True)
class Break(Stmt):
    pass


@dataclass(frozen=True)
class Continue(Stmt):
    pass


@dataclass(frozen=True)
class Pass(Stmt):
    pass


@dataclass(frozen=True)
class Raise(Stmt):
    exc: str  # a builtin exception name
    message: Expr | None


@dataclass(frozen=True)
class Assert(Stmt):
    test: Expr
    message: Expr | None


# -- functions and modules ------------------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str
    type: RType
    default: Const | None = None


@dataclass(frozen=True)
class Function:
    name: str
    target: str  # pkg.mod:func
    file: str
    line: int
    params: tuple[Param, ...]
    ret: RType
    locals: tuple[tuple[str, RType], ...]  # every local, in first-binding order
    body: tuple[Stmt, ...]
    notes: tuple[str, ...] = field(default=())
    # Parameters the function changes in place: the dispatcher writes them back into
    # the caller's objects; a helper takes them by reference. ``mutated_inside``: those
    # whose inner objects change too (``grid[i][j] = v``).
    mutated: tuple[str, ...] = ()
    mutated_inside: tuple[str, ...] = ()
    # The functions of the same module it calls, translated for the argument types of
    # its calls (helpers of helpers included); each is emitted once, with this target.
    helpers: tuple[Function, ...] = ()
    recursive: bool = False  # calls itself: its depth is bounded at run time
    returns_arg: str = ""  # the parameter every return gives back as itself, if any
    # Other translations of the same target, for calls that pass other kinds of
    # arguments (NumPy arrays where this one takes lists): the dispatcher tries this
    # function's conversions first, then each variant's, in order. Each has an IR name
    # of its own; the Python-visible name is this function's.
    variants: tuple[Function, ...] = ()

    def mutated_positions(self) -> list[int]:
        return [i for i, p in enumerate(self.params) if p.name in self.mutated]

    @property
    def signature(self) -> str:
        """``f(a: list[float]) -> float``; variants follow, joined with `` | ``."""
        return " | ".join(
            f"{self.name}({', '.join(f'{p.name}: {p.type}' for p in f.params)}) -> {f.ret}"
            for f in (self, *self.variants)
        )


@dataclass(frozen=True)
class Module:
    functions: tuple[Function, ...]
    python_version: tuple[int, int]


TRUE = Const(BOOL, True)
# The translator's own names start with "$", which no Python identifier can.
AUG_KEY = "$key"  # the temporary holding the index of `xs[i] += v`
# list methods that change the list (repeat_in_place is `xs *= n`)
# set methods that change the set (`s |= t` and the other in-place operators among them)
SET_MUTATORS = frozenset(
    {
        "add",
        "discard",
        "remove",
        "update",
        "intersection_update",
        "difference_update",
        "symmetric_difference_update",
    }
)
MUTATORS = (
    frozenset(
        {
            "append",
            "extend",
            "pop",
            "insert",
            "repeat_in_place",
            # list, dict and `del` (methods.py)
            "sort",
            "sort_key",
            "reverse",
            "remove",
            "clear",
            "del_item",
            "del_key",
            "pop_key",
            "setdefault",
            "update",
        }
    )
    | SET_MUTATORS
)
# methods whose result is a new object, reachable from nowhere else
FRESH_METHODS = frozenset(
    {"split", "rsplit", "split_ws", "rsplit_ws", "splitlines", "copy", "partition", "rpartition"}
)

# math functions of one float the translator accepts: name -> can overflow (the flag
# CPython's math_1 wrapper takes: an infinite result from a finite argument is an
# OverflowError when set, a ValueError otherwise)
MATH_1 = {
    "sqrt": False,
    "exp": True,
    "log": False,
    "log2": False,
    "log10": False,
    "sin": False,
    "cos": False,
    "tan": False,
    "asin": False,
    "acos": False,
    "atan": False,
    "sinh": True,
    "cosh": True,
    "tanh": False,
    "fabs": False,
    "expm1": True,
    "log1p": False,
}


# -- walking the IR -----------------------------------------------------------------


def root(e: Expr) -> tuple[str | None, bool]:
    """The local a place expression starts from, and whether it is the name itself."""
    if isinstance(e, Name):
        return e.id, True
    if isinstance(e, Index) or (isinstance(e, Method) and e.method == "setdefault"):
        r, _ = root(e.obj)
        return r, False
    return None, False


def iter_exprs(it: Iter) -> list[Expr]:
    """The expressions an iteration evaluates."""
    if isinstance(it, IterRange):
        return [it.start, it.stop, it.step]
    if isinstance(it, IterSeq):
        return [it.seq]
    if isinstance(it, IterItems):
        return [it.dict]
    if isinstance(it, IterEnumerate):
        return [*iter_exprs(it.inner), it.start]
    if isinstance(it, IterZip):
        return [e for i in it.inners for e in iter_exprs(i)]
    if isinstance(it, IterReversed):
        return iter_exprs(it.inner)
    return []


def subexprs(e: Expr) -> list[Expr]:
    """``e`` and every expression inside it, outermost first."""
    out = [e]
    for name in e.__dataclass_fields__:
        v = getattr(e, name)
        if isinstance(v, Expr):
            out.extend(subexprs(v))
        elif isinstance(v, tuple):
            for item in v:
                if isinstance(item, Expr):
                    out.extend(subexprs(item))
                elif isinstance(item, CompFor):
                    for x in iter_exprs(item.iter):
                        out.extend(subexprs(x))
                    for c in item.conds:
                        out.extend(subexprs(c))
    return out


def stmt_exprs(s: Stmt) -> list[Expr]:
    """The expressions a statement evaluates itself (not those of nested blocks)."""
    out: list[Expr] = []
    for name in s.__dataclass_fields__:
        v = getattr(s, name)
        if isinstance(v, Expr):
            out.append(v)
        elif isinstance(v, TIndex):
            out.extend([v.obj, v.index])
    return out


def changed_in_place(s: Stmt, callees: Mapping[str, Function] | None = None) -> list[Expr]:
    """The places a statement changes in place (not what it rebinds): item assignment
    targets (a ``for xs[i] in ...`` target too), augmented item targets, the objects of
    mutating method calls, and the arguments of ``callees`` they change."""
    places: list[Expr] = []
    if isinstance(s, (Assign, AugAssign, For)) and isinstance(s.target, TIndex):
        places.append(s.target.obj)
    for e in stmt_exprs(s):
        for x in subexprs(e):
            if isinstance(x, Method) and x.method in MUTATORS:
                places.append(x.obj)
            elif isinstance(x, UserCall) and callees and x.callee in callees:
                places.extend(x.args[i] for i in callees[x.callee].mutated_positions())
    return places


def walk_stmts(body: tuple[Stmt, ...]) -> list[Stmt]:
    """Every statement in ``body``, nested blocks included, in order."""
    out: list[Stmt] = []
    for s in body:
        out.append(s)
        for name in ("body", "orelse"):
            out.extend(walk_stmts(getattr(s, name, ())))
    return out
