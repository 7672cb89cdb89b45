"""What each corpus function is fuzzed with: a strategy for its calls, derived from its IR.

Input: a translated ``ir.Function``. Output: a ``FuzzPlan`` whose ``calls()`` draws
``(args, kwargs)``::

    plan = plan_for(fn)            # fn: factorial(n: int) -> int
    plan.bounded == ("n",)         # n reaches a range() bound: drawn from sizes()
    plan.calls()                   # ((7,), {}), ((-3,), {}), ...

Every parameter is drawn from ``strategies.strategy_for`` of its IR type, except:

- an int parameter that bounds a loop or sizes an allocation is drawn from
  ``strategies.sizes()``, because ``range(2**62)`` would keep the Python original busy
  for ever. Such a parameter is found in the IR: it reaches a ``range()`` argument, a
  ``while`` condition, the count of a sequence repetition (``[0] * n``, ``s * n``,
  ``xs *= n``) or an int exponent (``a ** n`` has O(n) digits), directly or through
  assignments to locals (followed backwards to a fixed point). The shape given to
  ``np.zeros``/``np.ones``/``np.empty`` sizes an allocation too, and the number of
  factors of ``math.factorial``/``comb``/``perm`` (their last argument) a loop, and the
  width ``str.ljust``/``rjust``/``center``/``zfill`` pad to a new str. A call of a helper
  passes this on: an argument for a helper's parameter that bounds a loop is a size;
- an int parameter that reaches an argument of a recursive call (of the function itself,
  or of a recursive helper through the parameters it passes on) bounds the depth of the
  recursion and is drawn from ``strategies.depths()``, smaller still, because a
  branching recursion (``fib_rec(n)``) makes exponentially many calls;
- parameters listed in ``OVERRIDES``, each with its reason.

Arguments changed in place are drawn aliased now and then (``ALIAS_ONE_IN``): the same
list in two positions, or inside another argument (``push_and_count(out, [out, [1]])``).
``check_same`` deep-copies all arguments together, which keeps that sharing, and the
dispatcher must hand such a call to Python when the function changes the shared object.

A loop bound that comes from a float parameter, or from an element of a collection
parameter (``range(xs[0])``, ``for k in xs: range(k)``), cannot be made small by
drawing a small int: ``plan_for`` then raises ``NoBound`` naming the parameter, so
that the function's fuzz test fails until ``OVERRIDES`` says how to draw it. No
function is skipped.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from hypothesis import strategies as st
from strategies import (
    INT_EDGES,
    SHORT,
    Laid,
    Strategy,
    arrays,
    depths,
    floats,
    foreign_for,
    ints,
    sizes,
    strategy_for,
)

from pytest_rustify.translate import ir
from pytest_rustify.translate.rtypes import (
    BOOL,
    COMPLEX,
    FLOAT,
    INT,
    NONE,
    NP_FLOAT64,
    NP_INT64,
    STR,
    ArrayT,
    DictT,
    ListT,
    RType,
    TupleT,
    is_mutable,
    type_of_value,
)

# (args, kwargs, whether an argument has a type the Rust build was not made for)
Call = tuple[tuple[object, ...], dict[str, object], bool]

# One call in FOREIGN_ONE_IN passes one argument of a neighbouring type (foreign_for).
FOREIGN_ONE_IN = 10
# One call in ALIAS_ONE_IN shares a mutable argument with another (where the types allow).
ALIAS_ONE_IN = 5
# Ints a loop may be bounded by, drawn small (NumPy's int64 scalar holds an int too).
INTS = (INT, BOOL, NP_INT64)


class NoBound(ValueError):
    """A parameter bounds a loop, and no small draw of it is derivable from its type."""


@dataclass(frozen=True)
class Override:
    """Draw the parameters ``names`` together from ``values`` (tuples in that order)."""

    reason: str
    names: tuple[str, ...]
    values: Strategy


def _bounded_range_args() -> Strategy:
    """``(start, stop, step)`` anywhere in (and past) 64 bits, with few elements: ``stop``
    is ``start + k * step`` nudged by at most one, so the range has at most ``k + 1``
    elements whatever the step (and a step of 0 raises ValueError, as it should)."""
    steps = st.one_of(st.integers(-3, 3), ints())
    jitter = st.integers(-1, 1)

    def triple(start: int, step: int, k: int, nudge: int) -> tuple[int, int, int]:
        return start, start + k * step + nudge, step

    return st.builds(triple, ints(), steps, st.integers(-2, 40), jitter)


def _collatz_starts() -> Strategy:
    near = st.builds(operator.add, st.sampled_from(INT_EDGES), st.integers(1, 2))
    return st.one_of(st.integers(1, 1000), near, st.integers(1, 2**70)).map(lambda n: (n,))


def _powers() -> Strategy:
    """Small exponents on any base; any exponent (past 64 bits too) on -1, 0 and 1,
    whose powers stay small."""
    any_base = st.tuples(ints(), sizes())
    unit_base = st.tuples(st.sampled_from((-1, 0, 1)), ints())
    return st.one_of(any_base, unit_base)


def _run_length_texts() -> Strategy:
    """Text whose runs of digits are two long at most (Unicode digits included: ``int()``
    reads ``"٣"`` and refuses ``"²"``, which ``isdigit()`` accepts)."""

    def cap(s: str) -> tuple[str]:
        out: list[str] = []
        run = 0
        for ch in s:
            run = run + 1 if ch.isdigit() else 0
            if run <= 2:
                out.append(ch)
        return ("".join(out),)

    chars = st.one_of(st.sampled_from("0123456789\u00b2\u0663ab \u00e9"), st.characters())
    return st.text(chars, max_size=24).map(cap)


_RANGE_REASON = (
    "range(start, stop, step) endpoints and step drawn anywhere, past 64 bits too, "
    "with the length bounded; the while/range rule alone would keep all three small"
)

OVERRIDES: Mapping[str, Override] = MappingProxyType(
    {
        "collatz_steps": Override(
            "from n <= 0 the sequence never reaches 1, so Python loops for ever; any n >= 1 "
            "ends in a few hundred steps (and n near 2**63 overflows 3n+1 in Rust: fallback)",
            ("n",),
            _collatz_starts(),
        ),
        "sqrt_by_newton": Override(
            "`steps < 100` ends the loop whatever the floats, so a and rel_tol need not be small",
            ("a", "rel_tol"),
            st.tuples(floats(), floats()),
        ),
        "run_length_decode": Override(
            "the digits in s repeat the next character: `ch * int('99999999')` would build "
            "a huge str, so runs of digits are kept to two",
            ("s",),
            _run_length_texts(),
        ),
        "each_factorial": Override(
            "math.factorial(n) multiplies n factors: the elements of ns are drawn small",
            ("ns",),
            st.lists(sizes(), max_size=SHORT).map(lambda xs: (xs,)),
        ),
        "each_comb": Override(
            "math.comb(n, k) multiplies k factors (or n - k): k small, n anywhere",
            ("ns", "ks"),
            st.tuples(st.lists(ints(), max_size=SHORT), st.lists(sizes(), max_size=SHORT)),
        ),
        "each_perm": Override(
            "math.perm(n, k) multiplies k factors: k small, n anywhere",
            ("ns", "ks"),
            st.tuples(st.lists(ints(), max_size=SHORT), st.lists(sizes(), max_size=SHORT)),
        ),
        "arrangements": Override(
            "math.factorial(n) and of each k multiply n and k factors: all drawn small",
            ("n", "ks"),
            st.tuples(sizes(), st.lists(sizes(), max_size=SHORT)),
        ),
        "gcd_rec": Override(
            "Euclid's recursion (`gcd_rec(b, a % b)`) is O(log |b|) deep for any ints, so a "
            "and b need not be small",
            ("a", "b"),
            st.tuples(ints(), ints()),
        ),
        "gcd": Override(
            "Euclid's loop (`while b`) ends in O(log |b|) steps for any ints, so a and b "
            "need not be small",
            ("a", "b"),
            st.tuples(ints(), ints()),
        ),
        "pow_int": Override(
            "a ** b has O(b) digits: small exponents on any base, any exponent on -1, 0, 1",
            ("a", "b"),
            _powers(),
        ),
        **{
            name: Override(_RANGE_REASON, ("a", "b", "c"), _bounded_range_args())
            for name in ("range_list", "range_comp", "reversed_range", "reversed_range_first")
        },
        "first_in_range": Override(_RANGE_REASON, ("a", "b", "step"), _bounded_range_args()),
    }
)


@dataclass(frozen=True)
class FuzzPlan:
    """How one function's calls are drawn."""

    name: str
    params: tuple[ir.Param, ...]
    bounded: tuple[str, ...]  # int parameters drawn small: from sizes(), or
    override: Override | None
    deep: tuple[str, ...] = ()  # those that bound a recursion: from depths()
    mutated: tuple[str, ...] = ()  # changed in place: aliasing them must fall back

    def calls(self) -> st.SearchStrategy[Call]:
        """``(args, kwargs, mismatched)``: every parameter drawn (an immutable one sometimes
        taken from inside another argument, now and then one of a neighbouring type:
        ``mismatched``); one with a default is passed by position, by keyword or left out."""
        return _calls(self, self._values())

    def _values(self) -> st.SearchStrategy[dict[str, object]]:
        parts: dict[str, Strategy] = {}
        joint = self.override.names if self.override else ()
        for p in self.params:
            if p.name in joint:
                continue
            if p.name in self.deep:
                parts[p.name] = depths()
            elif p.name in self.bounded:
                parts[p.name] = sizes()
            else:
                parts[p.name] = strategy_for(p.type)
        free = st.fixed_dictionaries(parts)
        if self.override is None:
            return free
        names = self.override.names
        return st.builds(
            lambda rest, together: {**rest, **dict(zip(names, together, strict=True))},
            free,
            self.override.values,
        )


@st.composite
def _calls(draw: Any, plan: FuzzPlan, values: st.SearchStrategy[dict[str, object]]) -> Call:
    drawn = draw(values)
    # Independent draws almost never hit: a key drawn apart from the dict is rarely in it.
    # Half the time, an immutable parameter takes a value of its type found inside the
    # other arguments (a key of the dict, an element of the list), so that lookups,
    # searches and `in` see hits as well as misses. Mutable values are not shared this
    # way: two arguments aliasing one list is a different question.
    free = plan.override.names if plan.override else ()
    for p in plan.params:
        if p.name in plan.bounded or p.name in free or is_mutable(p.type):
            continue
        pool = [
            v
            for q in plan.params
            if q.name != p.name
            for v in _inside(drawn[q.name])
            if type_of_value(v) == p.type
        ]
        if pool and draw(st.booleans()):
            drawn[p.name] = draw(st.sampled_from(pool))
    foreign = {
        p.name: odd
        for p in plan.params
        if p.name not in plan.bounded and p.name not in free
        for odd in [foreign_for(p.type)]
        if odd is not None
    }
    odd_one = None
    if foreign and draw(st.integers(1, FOREIGN_ONE_IN)) == 1:
        odd_one = draw(st.sampled_from(sorted(foreign)))
        drawn[odd_one] = draw(foreign[odd_one])
    _same_shapes(draw, plan, drawn, {*free, *([odd_one] if odd_one else [])})
    if draw(st.integers(1, ALIAS_ONE_IN)) == 1:
        _share(draw, plan, drawn, {*free, *([odd_one] if odd_one else [])})
    args: list[object] = []
    kwargs: dict[str, object] = {}
    positional = True
    for p in plan.params:
        if p.default is not None:
            how = draw(st.sampled_from(("position", "keyword", "default")))
            if how != "position":
                positional = False
            if how == "default":
                continue
        if positional:
            args.append(drawn[p.name])
        else:
            kwargs[p.name] = drawn[p.name]
    passed = [*plan.params[: len(args)], *(p for p in plan.params if p.name in kwargs)]
    given = [*args, *kwargs.values()]
    aliased = any(
        sum(_reaches(v, drawn[p.name]) for v in given) > 1 for p in passed if p.name in plan.mutated
    )
    return tuple(args), kwargs, aliased or any(p.name == odd_one for p in passed)


def _same_shapes(draw: Any, plan: FuzzPlan, drawn: dict[str, object], skip: set[str]) -> None:
    """Half the time, each array parameter takes the shape of the first one with as many
    axes: element-wise loops over two arrays (``a[i] / b[i]``) mostly meet arrays of one
    length, not only IndexError."""
    first: dict[int, tuple[int, ...]] = {}
    for p in plan.params:
        value = drawn[p.name]
        array: Any = value.array if isinstance(value, Laid) else value
        if not isinstance(p.type, ArrayT) or p.name in skip or not hasattr(array, "shape"):
            continue
        shape: tuple[int, ...] = array.shape
        if p.type.ndim not in first:
            first[p.type.ndim] = shape
        elif shape != first[p.type.ndim] and draw(st.booleans()):
            fresh = draw(arrays(str(array.dtype), p.type.ndim, shape=first[p.type.ndim]))
            drawn[p.name] = Laid(fresh, value.layout) if isinstance(value, Laid) else fresh


def _share(draw: Any, plan: FuzzPlan, drawn: dict[str, object], skip: set[str]) -> None:
    """Make one mutable argument another's, or put it inside another (a list of its type,
    a tuple with a place for it, a dict's value), where the parameter types allow."""
    ways: list[tuple[str, str]] = []
    for p in plan.params:
        for q in plan.params:
            if p.name != q.name and is_mutable(p.type) and not {p.name, q.name} & skip:
                if p.type == q.type or _holds(q.type, p.type):
                    ways.append((p.name, q.name))
    if not ways:
        return
    shared, holder = draw(st.sampled_from(ways))
    value, into = drawn[shared], drawn[holder]
    if type(into) is type(value) and _type_of(holder, plan) == _type_of(shared, plan):
        drawn[holder] = value
    elif isinstance(into, list):
        at = draw(st.integers(0, len(into)))
        drawn[holder] = [*into[:at], value, *into[at:]]
    elif isinstance(into, tuple):
        t = _type_of(holder, plan)
        assert isinstance(t, TupleT)
        slots = [i for i, e in enumerate(t.elems) if e == _type_of(shared, plan)]
        at = draw(st.sampled_from(slots))
        drawn[holder] = (*into[:at], value, *into[at + 1 :])
    elif isinstance(into, dict) and into:
        key = draw(st.sampled_from(list(into)))
        drawn[holder] = {**into, key: value}


def _holds(outer: RType, inner: RType) -> bool:
    """Whether a value of type ``outer`` has a place right inside it for one of ``inner``."""
    if isinstance(outer, ListT):
        return outer.elem == inner
    if isinstance(outer, TupleT):
        return inner in outer.elems
    if isinstance(outer, DictT):
        return outer.value == inner
    return False


def _type_of(name: str, plan: FuzzPlan) -> RType:
    return next(p.type for p in plan.params if p.name == name)


def _reaches(value: object, target: object) -> bool:
    """Whether ``target`` (a list, dict or set) is ``value`` or inside it."""
    return value is target or any(x is target for x in _inside(value))


def _inside(value: object) -> Iterable[object]:
    """Everything inside a drawn value, at any depth (not the value itself)."""
    if isinstance(value, (list, tuple)):
        items: Iterable[object] = value
    elif isinstance(value, dict):
        items = [x for kv in value.items() for x in kv]
    else:
        return
    for item in items:
        yield item
        yield from _inside(item)


def plan_for(fn: ir.Function) -> FuzzPlan:
    """The fuzz plan of a translated function.

    :raises NoBound: when a loop bound comes from a parameter that no small int draw can
        bound, and ``OVERRIDES`` does not cover it.
    :raises strategies.NoStrategy: for a parameter type without a strategy.
    """
    override = OVERRIDES.get(fn.name)
    params = {p.name: p for p in fn.params}
    if override is not None:
        unknown = set(override.names) - set(params)
        if unknown:
            raise ValueError(f"OVERRIDES[{fn.name!r}] names no parameter {sorted(unknown)}")
    covered = set(override.names) if override else set()
    names, unbounded = loop_bounds(fn)
    deep_names, deep_unbounded = depth_bounds(fn)
    for what, found in (("a loop", unbounded), ("a recursion", deep_unbounded)):
        for name, why in sorted(found.items()):
            if name not in covered:
                raise NoBound(
                    f"{fn.name}: parameter {name!r} bounds {what} ({why}) and a small draw "
                    "of its type cannot bound it: add an entry to OVERRIDES in fuzz_plan.py"
                )

    def small(found: set[str]) -> tuple[str, ...]:
        return tuple(
            p.name
            for p in fn.params
            if p.name in found and p.type in INTS and p.name not in covered
        )

    bounded, deep = small(names | deep_names), small(deep_names)
    for p in fn.params:  # fail now, not when Hypothesis first draws
        if p.name not in covered and p.name not in bounded:
            strategy_for(p.type)
    return FuzzPlan(fn.name, fn.params, bounded, override, deep, fn.mutated)


# -- which names bound a loop ---------------------------------------------------------

NP_ALLOCATE = frozenset({"np.zeros", "np.ones", "np.empty"})
# str methods padding to a width: "x".ljust(2**32) builds a str of 4 GiB in Python.
PADDING = frozenset({"zfill", "ljust", "rjust", "center"})
# Products of as many factors as their last argument: math.factorial(2**62) never ends.
MATH_PRODUCTS = frozenset({"math.factorial", "math.comb", "math.perm"})


def loop_bounds(
    fn: ir.Function, table: Mapping[str, ir.Function] | None = None
) -> tuple[set[str], dict[str, str]]:
    """The int names (parameters and locals) that bound a loop or size an allocation, and
    the parameters of other types that do (name -> why), which a small draw cannot bound.
    ``table``: the helpers ``fn`` may call, by IR name (``fn.helpers`` by default)."""
    table = _helper_table(fn, table)
    seeds: list[ir.Expr] = []
    for s in ir.walk_stmts(fn.body):
        seeds.extend(_size_positions(s))
    return _follow(fn, seeds, *_through_helpers(fn, table, loop_bounds))


def depth_bounds(
    fn: ir.Function, table: Mapping[str, ir.Function] | None = None
) -> tuple[set[str], dict[str, str]]:
    """As ``loop_bounds``, for the depth of a recursion: the names that reach an argument of
    the function's call of itself, or a parameter of a helper that bounds its recursion."""
    table = _helper_table(fn, table)
    seeds = [a for call in _user_calls(fn) if call.callee == fn.name for a in call.args]
    return _follow(fn, seeds, *_through_helpers(fn, table, depth_bounds))


def _helper_table(
    fn: ir.Function, table: Mapping[str, ir.Function] | None
) -> Mapping[str, ir.Function]:
    return {h.name: h for h in fn.helpers} if table is None else table


def _user_calls(fn: ir.Function) -> list[ir.UserCall]:
    out: list[ir.UserCall] = []
    for s in ir.walk_stmts(fn.body):
        exprs = ir.stmt_exprs(s)
        if isinstance(s, ir.For):
            exprs = [*exprs, *ir.iter_exprs(s.iter)]
        out.extend(x for e in exprs for x in ir.subexprs(e) if isinstance(x, ir.UserCall))
    return out


def _through_helpers(
    fn: ir.Function,
    table: Mapping[str, ir.Function],
    bounds: Callable[[ir.Function, Mapping[str, ir.Function]], tuple[set[str], dict[str, str]]],
) -> tuple[list[ir.Expr], dict[str, str]]:
    """What ``fn``'s calls of helpers pass on: the arguments for the parameters that bound
    something in the helper (``bounds`` of it), and ``fn``'s collection parameters whose
    elements do there. A helper calling itself is not followed into again (mutual
    recursion is refused, so this ends)."""
    params = {p.name for p in fn.params}
    seeds: list[ir.Expr] = []
    unbounded: dict[str, str] = {}
    for call in _user_calls(fn):
        callee = table.get(call.callee)
        if callee is None or callee.name == fn.name:
            continue
        names, inner = bounds(callee, table)
        for p, arg in zip(callee.params, call.args, strict=True):
            if p.name in names or p.name in inner:
                seeds.append(arg)
            root, _ = ir.root(arg)
            if p.name in inner and root in params and _is_collection(arg.type):
                unbounded.setdefault(root, f"it is passed to a helper, where {inner[p.name]}")
    return seeds, unbounded


def _follow(
    fn: ir.Function, seeds: list[ir.Expr], helper_seeds: list[ir.Expr], found: dict[str, str]
) -> tuple[set[str], dict[str, str]]:
    """The names the ``seeds`` read, followed backwards through assignments."""
    params = {p.name: p.type for p in fn.params}
    stmts = ir.walk_stmts(fn.body)
    sizes: set[str] = set()
    unbounded: dict[str, str] = dict(found)
    pending: list[ir.Expr] = [*seeds, *helper_seeds]
    # A local that is a size makes everything its assignments read a size: follow them
    # backwards until nothing new turns up.
    bindings = list(_bindings(stmts))
    followed: set[int] = set()
    while pending:
        for e in pending:
            _read_sizes(e, params, sizes, unbounded)
        pending = []
        for i, (targets, source) in enumerate(bindings):
            if i in followed or not targets & sizes:
                continue
            followed.add(i)
            if isinstance(source, ir.Iter):
                for seq in _element_sources(source):
                    root, _ = ir.root(seq)
                    if root in params:
                        unbounded.setdefault(root, "an element of it bounds a loop")
                pending.extend(_range_args(source))
            else:
                pending.append(source)
    return sizes, unbounded


def _size_positions(s: ir.Stmt) -> Iterable[ir.Expr]:
    if isinstance(s, ir.For):
        yield from _range_args(s.iter)
    if isinstance(s, ir.While):
        yield s.test
    if isinstance(s, ir.AugAssign) and s.op == "*" and _is_sequence(s.target.type):
        yield s.value
    # (np.zeros(n) fills all n items at once: 2**40 of them is not an error in Python)
    exprs = ir.stmt_exprs(s)
    if isinstance(s, ir.For):
        exprs = [*exprs, *ir.iter_exprs(s.iter)]
    for e in exprs:
        for x in ir.subexprs(e):
            if isinstance(x, ir.BinOp) and x.op == "*" and _is_sequence(x.type):
                yield from (side for side in (x.left, x.right) if side.type in (INT, BOOL))
            elif isinstance(x, ir.BinOp) and x.op == "**" and x.right.type in INTS:
                yield x.right
            elif isinstance(x, ir.Method) and x.method == "repeat_in_place":
                yield from x.args
            elif isinstance(x, ir.Method) and x.method in PADDING:
                yield x.args[0]
            elif isinstance(x, ir.Call) and x.func in NP_ALLOCATE:
                yield from x.args
            elif isinstance(x, ir.Call) and x.func in MATH_PRODUCTS:
                yield x.args[-1]  # factorial(n), perm(n): n; comb(n, k), perm(n, k): k
            elif isinstance(x, (ir.Comprehension, ir.Reduce)):
                for gen in x.generators:
                    yield from _range_args(gen.iter)


def _range_args(it: ir.Iter) -> list[ir.Expr]:
    if isinstance(it, ir.IterRange):
        return [it.start, it.stop, it.step]
    if isinstance(it, (ir.IterEnumerate, ir.IterReversed)):
        return _range_args(it.inner)
    if isinstance(it, ir.IterZip):
        return [e for inner in it.inners for e in _range_args(inner)]
    return []


def _element_sources(it: ir.Iter) -> list[ir.Expr]:
    """The collections whose elements an iteration binds."""
    if isinstance(it, ir.IterSeq):
        return [it.seq]
    if isinstance(it, ir.IterItems):
        return [it.dict]
    if isinstance(it, (ir.IterEnumerate, ir.IterReversed)):
        return _element_sources(it.inner)
    if isinstance(it, ir.IterZip):
        return [e for inner in it.inners for e in _element_sources(inner)]
    return []


def _bindings(stmts: list[ir.Stmt]) -> Iterable[tuple[set[str], ir.Expr | ir.Iter]]:
    """(names bound, what they are bound from) for assignments and loop targets,
    comprehension targets included."""
    for s in stmts:
        if isinstance(s, ir.Assign):
            yield _target_names(s.target), s.value
        if isinstance(s, ir.For):
            yield _target_names(s.target), s.iter
        exprs = ir.stmt_exprs(s)
        if isinstance(s, ir.For):
            exprs = [*exprs, *ir.iter_exprs(s.iter)]
        for e in exprs:
            for x in ir.subexprs(e):
                if isinstance(x, (ir.Comprehension, ir.Reduce)):
                    for gen in x.generators:
                        yield _target_names(gen.target), gen.iter


def _target_names(t: ir.Target) -> set[str]:
    if isinstance(t, ir.TName):
        return {t.id}
    if isinstance(t, ir.TTuple):
        return {n for e in t.elts for n in _target_names(e)}
    return set()


def _read_sizes(
    e: ir.Expr, params: Mapping[str, object], sizes: set[str], unbounded: dict[str, str]
) -> None:
    """Record the names a size expression reads. A collection's length is bounded by its
    strategy, so what ``len()`` reads is not a size; an element read from a parameter, or
    a float parameter, is a size no small int draw can bound."""
    if isinstance(e, ir.Call) and e.func == "len":
        return
    if isinstance(e, ir.Name):
        if e.type in INTS:
            sizes.add(e.id)
        elif e.id in params and not _is_collection(e.type):
            unbounded.setdefault(e.id, f"a {e.type} value does")
        else:
            sizes.add(e.id)  # a local: its assignments are followed
        return
    if isinstance(e, ir.Index) and not _is_collection(e.type):
        root, _ = ir.root(e)
        if root is not None and root in params:
            unbounded.setdefault(root, "an element of it does")
    for name in e.__dataclass_fields__:
        v = getattr(e, name)
        for child in v if isinstance(v, tuple) else (v,):
            if isinstance(child, ir.Expr):
                _read_sizes(child, params, sizes, unbounded)


def _is_sequence(t: object) -> bool:
    return isinstance(t, ListT) or t == STR


def _is_collection(t: object) -> bool:
    return t not in (INT, BOOL, FLOAT, COMPLEX, NONE, NP_INT64, NP_FLOAT64)
