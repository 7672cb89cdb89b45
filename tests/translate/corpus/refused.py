"""Functions the translator must refuse, each marked on the line the refusal must name.

Not built: only test_refusals.py reads this module. A trailing ``# refuse: <tag>``
comment marks the line a refusal is expected to point at.
"""

# Wrong on purpose: each function holds a construct to refuse.
# ruff: noqa: B007, B020, E731, F601, F841, UP028

from __future__ import annotations

import math

import numpy as np

SCALE = [1.0, 2.0]
COUNTER = 0


class Point:
    def __init__(self, x: float, y: float) -> None:
        self.x = x
        self.y = y


def with_try(x: float) -> float:
    try:  # refuse: try
        return 1.0 / x
    except ZeroDivisionError:
        return 0.0


def with_with(path: str) -> int:
    with open(path) as f:  # refuse: with
        return len(f.read())


def generator(n: int) -> int:
    for i in range(n):
        yield i  # refuse: yield
    return 0


def with_lambda(xs: list[float]) -> float:
    key = lambda x: x * 2  # refuse: lambda
    return key(xs[0])


def nested_def(x: float) -> float:
    def inner(y: float) -> float:  # refuse: nested
        return y * 2

    return x


def attribute_of_float(x: float) -> float:
    return x.imag  # refuse: attribute


def class_instance(x: float) -> float:
    p = Point(x, x)  # refuse: class-call
    return x


def class_parameter(p: Point) -> float:  # refuse: class-param
    return 0.0


def uses_global(x: int) -> int:
    global COUNTER  # refuse: global
    COUNTER += x
    return COUNTER


def star_args(*xs: float) -> float:  # refuse: varargs
    return 0.0


def star_kwargs(x: float, **kw: float) -> float:  # refuse: kwargs
    return x


def f_string(x: int) -> str:
    return f"value {x}"  # refuse: fstring


def maybe_unbound(x: int) -> int:
    if x > 0:
        y = x
    return y  # refuse: unbound


def loop_var_after_loop(n: int) -> int:
    for i in range(n):
        pass
    return i  # refuse: loop-unbound


def int_then_float(xs: list[float]) -> float:
    total = 0
    for x in xs:
        total += 0.5  # refuse: int-float
    return total


def rebinds_int_to_float(x: float) -> float:
    y = 1
    y = x  # refuse: rebind-float
    return y


def mutates_argument_rows(grid: list[list[int]]) -> int:
    grid[0].append(1)  # refuse: append-arg
    return len(grid)


def sets_argument_item_then_rebinds(xs: list[float]) -> float:
    xs[0] = 0.0
    xs = [1.0]  # refuse: setitem-arg
    return xs[0]


def mutates_alias(n: int) -> list[int]:
    b = [n]
    a = b
    a.append(1)  # refuse: alias
    return b


def mutates_loop_row(n: int) -> list[list[int]]:
    m = [[0], [1]]
    for row in m:
        row.append(n)  # refuse: loop-row
    return m


def repeated_row(n: int) -> list[list[float]]:
    grid = [[0.0] * n] * n  # refuse: row-repeat
    return grid


def mutates_iterated(n: int) -> list[int]:
    xs = [1, 2, 3]
    for x in xs:
        xs.append(x + n)  # refuse: iterated
    return xs


def is_even(n: int) -> bool:
    return True if n == 0 else is_odd(n - 1)


def is_odd(n: int) -> bool:
    return False if n == 0 else is_even(n - 1)  # refuse: user-call


def recursive(n: int) -> float:
    if n <= 1:
        return 1.0
    return n * recursive(n / 2)  # refuse: recursion


def global_list(i: int) -> float:
    return SCALE[i]  # refuse: global-list


def round_digits(x: float) -> float:
    return round(x, 2)  # refuse: round-digits


def float_keys(xs: list[float]) -> dict[float, int]:
    d = {}
    for x in xs:
        d[x] = 1  # refuse: float-key
    return d


def float_key_literal(x: float) -> int:
    d = {0.5: 1}  # refuse: float-key-literal
    return len(d)


def in_float_list(x: float, xs: list[float]) -> bool:
    return x in xs  # refuse: float-in


def float_list_equal(a: list[float], b: list[float]) -> bool:
    return a == b  # refuse: float-eq


def set_literal(x: float) -> int:
    s = {x, 1.5}  # refuse: set
    return len(s)


def generator_expression(xs: list[float]) -> float:
    squares = (x * x for x in xs)  # refuse: genexp
    return sum(squares)


def walrus(xs: list[int]) -> int:
    if (n := len(xs)) > 2:  # refuse: walrus
        return n
    return 0


def is_none(x: int) -> bool:
    return x is None  # refuse: is


def keyword_call(xs: list[float]) -> float:
    return sum(xs, start=1.0)  # refuse: keyword-call


def str_of_list(xs: list[int]) -> str:
    return str(xs)  # refuse: str-call


def mixed_ifexp(x: float) -> float:
    return x if x > 0 else 0  # refuse: ifexp


def mixed_or(a: int, b: str) -> int:
    return a or b  # refuse: mixed-or


def mixed_min(a: int, b: float) -> float:
    return min(a, b)  # refuse: mixed-min


def missing_return(x: int) -> int:  # refuse: missing-return
    if x > 0:
        return x


def no_types(x, y):  # refuse: no-types
    return x + y


@staticmethod
def decorated(x: int) -> int:  # refuse: decorated
    return x


def keyword_only(x: int, *, y: int = 1) -> int:  # refuse: kwonly
    return x + y


def big_constant(x: int) -> int:
    return x + 9223372036854775808  # refuse: big-int


def delete(xs: list[int]) -> int:
    ys = list(xs)
    del ys[1:]  # refuse: del
    return len(ys)


def import_inside(x: float) -> float:
    import math as m  # refuse: import

    return m.sqrt(x)


def bool_compare_int(b: bool, n: int) -> bool:
    return b == n  # refuse: bool-int


def unbound_after_break(xs: list[int]) -> int:
    for x in xs:
        if x > 0:
            break
        y = x
    else:
        return -1
    return y  # refuse: break-unbound


def unbound_after_while_break(n: int) -> int:
    k = 0
    while k < n:
        if k == 3:
            break
        last = k
        k += 1
    else:
        return -1
    return last  # refuse: while-break-unbound


def append_row_to_arg(xs: list[list[int]], n: int) -> int:
    xs.append([n])  # refuse: rows-arg
    return len(xs)


def repeat_in_place_alias(n: int) -> list[int]:
    ys = [1, 2]
    xs = ys
    xs *= n  # refuse: imul-alias
    return ys


def truth_of_none(x: int) -> int:
    y = None
    if y:  # refuse: none-truth
        return 1
    return x


def title_case(s: str) -> str:
    return s.title()  # refuse: str-method


def mixed_keys(x: int) -> int:
    d = {1: "a", True: "b"}  # refuse: mixed-keys
    return len(d) + x


def m_hypot_unpacked(v: list[float]) -> float:
    return math.hypot(*v)  # refuse: hypot-star


def m_prod_start(xs: list[float]) -> float:
    return math.prod(xs, start=2.0)  # refuse: prod-start


def m_lcm(a: int, b: int) -> int:
    return math.lcm(a, b)  # refuse: lcm


def m_fsum_of_strs(words: list[str]) -> float:
    return math.fsum(float(len(w)) for w in words) + math.fsum(words)  # refuse: fsum-strs


def bump_at_popped(xs: list[int]) -> list[int]:
    ys = list(xs)
    ys[ys.pop()] += 9  # refuse: aug-pop-index
    return ys


def nested_aug_pop() -> list[list[int]]:
    m = [[0, 0], [0, 0], [0, 0]]
    order = [0, 1, 2]
    m[order.pop()][0] += 1  # refuse: aug-pop-container
    return m


def extend_item_in_place(x: int) -> list[int]:
    row = [1]
    d = {"a": row}
    d["a"] += [x]  # refuse: item-iadd-alias
    return row


def extend_row_in_place(x: int) -> list[list[int]]:
    row = [1]
    m = [row, row]
    m[0] += [x]  # refuse: row-iadd-alias
    return m


def repeat_row_in_place(n: int) -> list[int]:
    row = [1, 2]
    m = [row]
    m[0] *= n  # refuse: row-imul-alias
    return row


def unknown_element(n: int) -> int:
    return len([]) + n  # refuse: unknown-elem


def mutates_reversed(xs: list[int]) -> list[int]:
    ys = list(xs)
    for y in reversed(ys):
        ys.pop(0)  # refuse: reversed-iterated
    return ys


def reversed_dict(d: dict[str, int]) -> list[str]:
    out = []
    for k in reversed(d):  # refuse: reversed-dict
        out.append(k)
    return out


def repeat_rows_in_place(n: int) -> list[list[int]]:
    rows = [[0]]
    rows *= n  # refuse: rows-imul
    rows[0].append(1)
    return rows


def store_into_iterated(n: int) -> list[int]:
    xs = [1, 2, 3]
    for xs[-1] in xs:  # refuse: for-target-iterated
        pass
    return xs


# -- methods and consuming builtins (methods.py) ----------------------------------------


def key_builtin_unsupported(words: list[str]) -> list[str]:
    return sorted(words, key=ord)  # refuse: key-builtin


def key_two_params(words: list[str]) -> list[str]:
    return sorted(words, key=lambda a, b=1: a)  # refuse: key-params


def key_reads_sorted_list(xs: list[int]) -> list[int]:
    ys = list(xs)
    ys.sort(key=lambda x: ys.count(x))  # refuse: key-reads-list
    return ys


def key_of_list_type(rows: list[list[int]]) -> list[list[int]]:
    return sorted(rows, key=lambda r: r)  # refuse: key-list


def sorted_lists_no_key(rows: list[list[int]]) -> list[list[int]]:
    return sorted(rows)  # refuse: sorted-lists


def index_in_floats(xs: list[float]) -> int:
    return xs.index(1.0)  # refuse: float-index


def min_default_call(xs: list[int], ys: list[int]) -> int:
    return min(xs, default=ys[0])  # refuse: min-default


def min_several_with_key(a: int, b: int) -> int:
    return min(a, b, key=abs)  # refuse: min-several-key


def extend_from_itself(n: int) -> list[int]:
    xs = [1, 2]
    xs.extend(x + n for x in xs)  # refuse: extend-itself
    return xs


def stored_view(d: dict[str, int]) -> int:
    ks = d.keys()  # refuse: stored-view
    return len(ks)


def delete_name(x: int) -> int:
    y = x
    del y  # refuse: del-name
    return x


def setdefault_alias(words: list[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for w in words:
        bucket = groups.setdefault(w[:1], [])
        bucket.append(w)  # refuse: setdefault-alias
    return groups


def float_join(xs: list[float]) -> str:
    return ",".join(str(x) for x in xs) + ",".join(xs)  # refuse: join-floats


def tuple_of_gen(xs: list[int]) -> int:
    t = tuple(x for x in xs)  # refuse: tuple-gen
    return len(t)


def sort_through_call(rows: list[list[int]]) -> list[list[int]]:
    out = [list(r) for r in rows]
    picks = [0]
    out[picks.pop()].sort(key=abs)  # refuse: sort-through-call
    return out


def sorts_alias_by_key(words: list[str]) -> list[str]:
    b = [w for w in words]
    a = b
    a.sort(key=len)  # refuse: sort-key-alias
    return b


def comprehension_shares_rows(n: int) -> list[list[int]]:
    rows = [[0], [1]]
    copy = [r for r in rows]
    rows[0].append(n)  # refuse: comp-rows-shared
    return copy


# -- NumPy arrays ---------------------------------------------------------------------

FVec = np.ndarray[tuple[int], np.dtype[np.float64]]
FMat = np.ndarray[tuple[int, int], np.dtype[np.float64]]
IVector = np.ndarray[tuple[int], np.dtype[np.int64]]


def array_slice(a: FVec) -> int:
    tail = a[1:]  # refuse: array-slice
    return len(tail)


def array_row(m: FMat) -> float:
    row = m[0]  # refuse: array-row
    return row[1]


def array_alias(a: FVec) -> None:
    b = a  # refuse: array-alias
    b[0] = 1.0


def returns_argument_array(a: FVec) -> FVec:
    a[0] = 1.0
    return a  # refuse: array-return-arg


def float_into_int_array(a: IVector) -> None:
    a[0] = 1.5  # refuse: array-float-into-int


def arrays_in_list(a: FVec, b: FVec) -> int:
    pair = [a, b]  # refuse: array-in-list
    return len(pair)


def numpy_sum(a: FVec) -> float:
    return np.sum(a)  # refuse: np-sum


def numpy_bool_value(a: FVec):
    positive = a[0] > 0.0  # refuse: np-bool
    return positive


def whole_array_add(a: FVec, b: FVec) -> FVec:
    return a + b  # refuse: array-add


def iterate_rows(m: FMat) -> int:
    n = 0
    for row in m:  # refuse: array-rows
        n += 1
    return n


def bare_ndarray(a: np.ndarray) -> float:  # refuse: array-bare
    return a[0]


def bool_index(a: FVec, flag: bool) -> float:
    return a[flag]  # refuse: array-bool-index


def array_truth(a: FVec) -> int:
    if a:  # refuse: array-truth
        return 1
    return 0


def array_method(a: FVec) -> float:
    return a.sum()  # refuse: array-method


def float32_zeros(n: int) -> float:
    out = np.zeros(n, dtype=np.float32)  # refuse: array-float32
    return out[0]


# -- sets: their iteration order is CPython's hash order, which Rust cannot reproduce


def set_to_list(s: set[int]) -> list[int]:
    return list(s)  # refuse: set-list


def set_pop(s: set[str]) -> str:
    t = set(s)
    return t.pop()  # refuse: set-pop


def loop_appends_set_items(s: set[str]) -> list[str]:
    out = []
    for x in s:
        out.append(x)  # refuse: set-loop-append
    return out


def list_comp_over_set(s: set[int]) -> list[int]:
    return [x * 2 for x in s]  # refuse: set-listcomp


def set_comp_may_raise(s: set[int], d: dict[int, int]) -> set[int]:
    return {d[x] for x in s}  # refuse: set-comp-raise


def loop_reads_what_it_changes(s: set[int]) -> set[int]:
    kept = set()
    for x in s:
        if len(kept) < 3:  # refuse: set-loop-reads
            kept.add(x)
    return kept


def loop_item_read_after(s: set[int]) -> int:
    x = 0
    for x in s:
        pass
    return x  # refuse: set-loop-last


def enumerate_set(s: set[str]) -> dict[str, int]:
    d = {}
    for i, w in enumerate(s):  # refuse: set-enumerate
        d[w] = i
    return d


def loop_adds_and_removes(s: set[int]) -> set[int]:
    t = set()
    for x in s:
        t.add(x + 1)
        t.discard(x)  # refuse: set-add-remove
    return t


def loop_breaks_on_set(s: set[int]) -> int:
    found = 0
    for x in s:
        if x > 10:
            found = x  # refuse: set-loop-assign
            break
    return found


def adds_to_argument(s: set[int], x: int) -> int:
    s.add(x)  # refuse: set-arg-add
    return len(s)


def ior_argument(s: set[int], t: set[int]) -> int:
    s |= t  # refuse: set-arg-ior
    return len(s)


def set_alias(s: set[int]) -> set[int]:
    a = set(s)
    b = a
    b.add(1)  # refuse: set-alias
    return a


def set_changed_while_iterated(s: set[int]) -> set[int]:
    t = set(s)
    for x in t:
        t.discard(x)  # refuse: set-iterated
    return t


def bitwise_or(a: int, b: int) -> int:
    return a | b  # refuse: int-bitor


def returns_argument_or_empty(xs: list[int]) -> list[int]:
    return xs or []  # refuse: returns-arg-or


def returns_inner_list(d: dict[str, list[int]], k: str) -> list[int]:
    return d.get(k, [])  # refuse: returns-inner


def _returns_its_argument(xs: list[int]) -> list[int]:  # refuse: helper-returns-arg
    xs.append(0)
    return xs


def helper_returns_argument(xs: list[int]) -> int:
    return len(_returns_its_argument(xs))
