"""When a dispatcher releases the GIL around its Rust call, for ``rust.py``.

Input: an ``ir.Function``. Output: a Rust expression over the converted arguments
(``c.0``, ``c.1``, ...) estimating the call's work, or ``None`` when the call must keep
the GIL::

    def escape_times(width: int, height: int, max_iter: int) -> list[int]: ...
    release_work(fn)   # -> "rt::work_product(&[c.0, c.1, c.2])"
    # window_means(xs: list[float], window: int), window bounding a range():
    #   -> "rt::work_sum(&[rt::Work::work(&c.0)]).saturating_mul(rt::work_product(&[c.1]))"

The dispatcher releases the GIL when the estimate reaches ``rt::RELEASE_WORK``, so other
Python threads run while Rust computes. That is only sound when the call owns everything
it touches: every argument and the result are plain Rust values (numbers, and lists,
tuples, dicts and sets of numbers; no strings, which share Python's objects, no NumPy
views of Python buffers), and no argument is written back into the caller's object
(another thread could change it in between). Releasing and taking back the GIL costs
about 0.1 µs, so only calls estimated to run long enough do it: the estimate is the
elements of the sequence arguments (rows times the length of the first row for nested
lists) times the int arguments that bound a loop (``range(n)``, ``while i < n``).
"""

from __future__ import annotations

from . import ir
from .rtypes import BOOL, COMPLEX, FLOAT, INT, NONE, DictT, ListT, RType, SetT, TupleT


def release_work(fn: ir.Function) -> str | None:
    """The Rust expression of ``fn``'s estimated work per call, or ``None`` when its calls
    keep the GIL (they share Python objects, write arguments back, or do no loop work
    that their arguments size)."""
    if fn.mutated or fn.mutated_inside or fn.returns_arg:
        return None
    if not all(_owned(p.type) for p in fn.params) or not _owned(fn.ret):
        return None
    sizes = [f"rt::Work::work(&c.{i})" for i, p in enumerate(fn.params) if _sized(p.type)]
    bounds = _loop_bounds(fn)
    counts = [f"c.{i}" for i, p in enumerate(fn.params) if p.type == INT and p.name in bounds]
    if not sizes and not counts:
        return None
    factors = []
    if sizes:
        factors.append(f"rt::work_sum(&[{', '.join(sizes)}])")
    if counts:
        factors.append(f"rt::work_product(&[{', '.join(counts)}])")
    return ".saturating_mul".join(factors[:1] + [f"({f})" for f in factors[1:]])


def _owned(t: RType) -> bool:
    """Whether a value of ``t`` is a plain Rust value that may move to another thread."""
    if t in (INT, FLOAT, BOOL, COMPLEX, NONE):
        return True
    if isinstance(t, ListT | SetT):
        return _owned(t.elem)
    if isinstance(t, TupleT):
        return all(_owned(e) for e in t.elems)
    if isinstance(t, DictT):
        return _owned(t.key) and _owned(t.value)
    return False


def _sized(t: RType) -> bool:
    return isinstance(t, ListT | SetT | DictT | TupleT)


def _loop_bounds(fn: ir.Function) -> set[str]:
    """The names read by a ``range(...)`` a loop or comprehension runs over, or by a
    ``while`` test."""
    bound_exprs: list[ir.Expr] = []
    for s in ir.walk_stmts(fn.body):
        if isinstance(s, ir.For):
            bound_exprs.extend(_range_exprs(s.iter))
        elif isinstance(s, ir.While):
            bound_exprs.append(s.test)
        for e in ir.stmt_exprs(s):
            for x in ir.subexprs(e):
                if isinstance(x, ir.Comprehension):
                    for g in x.generators:
                        bound_exprs.extend(_range_exprs(g.iter))
    return {x.id for e in bound_exprs for x in ir.subexprs(e) if isinstance(x, ir.Name)}


def _range_exprs(it: ir.Iter) -> list[ir.Expr]:
    if isinstance(it, ir.IterRange):
        return [it.start, it.stop, it.step]
    if isinstance(it, ir.IterEnumerate | ir.IterReversed):
        return _range_exprs(it.inner)
    if isinstance(it, ir.IterZip):
        return [e for i in it.inners for e in _range_exprs(i)]
    return []
