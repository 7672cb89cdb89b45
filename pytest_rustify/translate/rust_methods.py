"""IR -> Rust for the methods and consuming builtins that ``methods.py`` translates.

Input: an ``ir.Method``, ``ir.Reduce`` or ``ir.Call`` node and the function's emitter
(``rust._Emitter``). Output: a Rust expression::

    Method(bool, s, "startswith", (p,))  ->  rt::str_startswith(&v_s, &v_p)
    Reduce(int, "sum", x * x, (for x in xs,))
        ->  { let mut acc: i64 = 0; 'g1: { for ... { acc = rt::add_i(acc, ...)?; } } acc }

The helpers it calls live in ``runtime_methods.rs``, appended to the runtime.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ir
from .rtypes import BOOL, FLOAT, STR, DictT, ListT, TupleT, contains_float

if TYPE_CHECKING:
    from .rust import _Emitter

_STRIP_MODE = {"strip": 0, "lstrip": 1, "rstrip": 2}
_PAD_MODE = {"ljust": 0, "rjust": 1, "center": 2}
_PREDICATES = frozenset(
    {
        "isalpha",
        "isdigit",
        "isalnum",
        "isspace",
        "isupper",
        "islower",
        "isdecimal",
        "isnumeric",
        "isascii",
    }
)


def method(em: _Emitter, e: ir.Method) -> str | None:
    """The Rust of a method translated by methods.py; None for the others."""
    if e.obj.type == STR:
        return _str_method(em, e)
    if isinstance(e.obj.type, ListT):
        return _list_method(em, e)
    if isinstance(e.obj.type, DictT):
        return _dict_method(em, e)
    return None


def _str_method(em: _Emitter, e: ir.Method) -> str | None:
    m, s, a = e.method, em.ref(e.obj), e.args
    if m in ("split_ws", "rsplit_ws"):
        return f"rt::str_{m}({s}, {em.val(a[0])})"
    if m in ("split", "rsplit"):
        return f"rt::str_{m}({s}, {em.ref(a[0])}, {em.val(a[1])})?"
    if m == "splitlines":
        return f"rt::str_splitlines({s})"
    if m.endswith("_ws") and m[:-3] in _STRIP_MODE:
        return f"rt::str_strip_ws({s}, {_STRIP_MODE[m[:-3]]})"
    if m in _STRIP_MODE:
        return f"rt::str_strip_chars({s}, {em.ref(a[0])}, {_STRIP_MODE[m]})"
    if m in ("lower", "casefold"):
        # ASCII text only (non-ASCII falls back), where casefold is lower.
        return f"rt::str_lower({s})?"
    if m == "upper":
        return f"rt::str_upper({s})?"
    if m in _PREDICATES:
        return f'rt::str_is({s}, "{m}")?'
    if m in ("startswith", "endswith"):
        return f"rt::str_{m}({s}, {em.ref(a[0])})"
    if m in ("startswith_any", "endswith_any"):
        t = a[0].type
        assert isinstance(t, TupleT)
        tup = em.tmp("p")
        fn = m[: -len("_any")]
        tests = " || ".join(f"rt::str_{fn}(__s, &{tup}.{i})" for i in range(len(t.elems)))
        return f"{{ let __s: &str = {s}; let {tup} = {em.val(a[0])}; {tests} }}"
    if m in ("find", "rfind", "count"):
        return f"rt::str_{m}({s}, {em.ref(a[0])})"
    if m in ("index", "rindex"):
        return f"rt::str_{m}({s}, {em.ref(a[0])})?"
    if m == "replace":
        return f"rt::str_replace({s}, {em.ref(a[0])}, {em.ref(a[1])}, {em.val(a[2])})"
    if m == "join":
        return f"rt::str_join({s}, {em.ref(a[0])})"
    if m == "zfill":
        return f"rt::str_zfill({s}, {em.val(a[0])})?"
    if m in _PAD_MODE:
        return f"rt::str_pad({s}, {em.val(a[0])}, {em.ref(a[1])}, {_PAD_MODE[m]})?"
    if m in ("partition", "rpartition"):
        right = "true" if m == "rpartition" else "false"
        return f"rt::str_partition({s}, {em.ref(a[0])}, {right})?"
    return None


def _key_value(em: _Emitter, key: ir.Lambda, item: str) -> str:
    """The key of the item held by the Rust variable ``item`` (borrowed)."""
    from .rust import _v, is_copy, rust_type

    own = f"*({item})" if is_copy(key.param_type) else f"({item}).clone()"
    param = _v(key.param)
    return f"{{ let {param}: {rust_type(key.param_type)} = {own}; {em.val(key.body)} }}"


def _keys(em: _Emitter, key: ir.Lambda, seq: str) -> str:
    """Statements computing ``__keys`` for the list ``seq`` (a borrow), in order."""
    from .rust import rust_type

    return (
        f"let mut __keys: Vec<{rust_type(key.type)}> = Vec::with_capacity(({seq}).len()); "
        f"for __x in ({seq}).iter() {{ __keys.push({_key_value(em, key, '__x')}); }}"
    )


def _list_method(em: _Emitter, e: ir.Method) -> str | None:
    m, a = e.method, e.args
    if m in ("index", "count"):
        x = em.tmp("x")
        tail = "?" if m == "index" else ""
        return f"{{ let {x} = {em.val(a[0])}; rt::list_{m}({em.ref(e.obj)}, &{x}){tail} }}"
    if m == "remove":
        x = em.tmp("x")
        return f"{{ let {x} = {em.val(a[0])}; rt::list_remove({em.place(e.obj)}, &{x})?; }}"
    if m in ("reverse", "clear"):
        return f"{{ ({em.place(e.obj)}).{m}(); }}"
    if m == "del_item":
        i = em.tmp("i")
        return f"{{ let {i} = {em.val(a[0])}; rt::list_del({em.place(e.obj)}, {i})?; }}"
    if m == "sort":
        r = em.tmp("r")
        return f"{{ let {r} = {em.val(a[0])}; rt::list_sort({em.place(e.obj)}, {r})?; }}"
    if m == "sort_key":
        key = a[0]
        assert isinstance(key, ir.Lambda)
        r = em.tmp("r")
        return (
            f"{{ let {r} = {em.val(a[1])}; {_keys(em, key, em.ref(e.obj))} "
            f"rt::sort_keyed({em.place(e.obj)}, __keys, {r})?; }}"
        )
    return None


def _dict_method(em: _Emitter, e: ir.Method) -> str | None:
    m, a = e.method, e.args
    k = em.tmp("k")
    if m == "pop_key" and len(a) == 1:
        return f"{{ let {k} = {em.val(a[0])}; rt::dict_pop({em.place(e.obj)}, &{k})? }}"
    if m == "pop_key":
        d = em.tmp("d")
        return (
            f"{{ let {k} = {em.val(a[0])}; let {d} = {em.val(a[1])}; "
            f"rt::dict_pop_default({em.place(e.obj)}, &{k}, {d}) }}"
        )
    if m == "del_key":
        return f"{{ let {k} = {em.val(a[0])}; rt::dict_del({em.place(e.obj)}, &{k})?; }}"
    if m == "setdefault":
        return f"({setdefault_place(em, e)}).clone()"
    if m == "update":
        o = em.tmp("o")
        return f"{{ let {o} = {em.val(a[0])}; rt::dict_update({em.place(e.obj)}, {o}); }}"
    if m == "clear":
        return f"{{ ({em.place(e.obj)}).clear(); }}"
    return None


def setdefault_place(em: _Emitter, e: ir.Method) -> str:
    """``d.setdefault(k, v)`` as a mutable borrow of the value now under k."""
    k, d = em.tmp("k"), em.tmp("d")
    return (
        f"{{ let {k} = {em.val(e.args[0])}; let {d} = {em.val(e.args[1])}; "
        f"rt::dict_setdefault({em.place(e.obj)}, {k}, {d}) }}"
    )


def call(em: _Emitter, e: ir.Call) -> str | None:
    """Builtin calls added by methods.py."""
    if e.func == "str":
        t = e.args[0].type
        fn = "str_of_bool" if t == BOOL else "str_of_float" if t == FLOAT else "str_of_int"
        return f"rt::{fn}({em.val(e.args[0])}){'?' if t == FLOAT else ''}"
    if e.func == "int_str":
        return f"rt::int_of_str({em.ref(e.args[0])})?"
    return None


# -- consuming builtins ---------------------------------------------------------------


def reduce(em: _Emitter, e: ir.Reduce) -> str:
    """The elements made one at a time by nested loops, each consumed as it comes."""
    from .rust import rust_type

    label = f"'g{em.tmp('')[2:]}"
    pre: list[str] = []
    body: list[str]
    result: str
    elt_t = e.elt.type
    if e.op in ("list", "sorted"):
        out = em.tmp("out")
        pre.append(f"let mut {out}: {rust_type(e.type)} = Vec::new();")
        body = [f"{out}.push({em.val(e.elt)});"]
        result = out
        if e.op == "sorted":
            r = em.tmp("r")
            pre.insert(0, f"let {r}: bool = {em.val(e.reverse) if e.reverse else 'false'};")
            if e.key is None:
                result = f"{{ rt::list_sort(&mut {out}, {r})?; {out} }}"
            else:
                result = (
                    f"{{ {_keys(em, e.key, '&' + out)} "
                    f"rt::sort_keyed(&mut {out}, __keys, {r})?; {out} }}"
                )
    elif e.op == "sum":
        acc = em.tmp("acc")
        if elt_t == FLOAT:
            pre.append(f"let mut {acc} = rt::FSum::new();")
            body = [f"{acc}.add({em.val(e.elt)});"]
            result = f"{acc}.finish()?"
        else:
            pre.append(f"let mut {acc}: i64 = 0;")
            if elt_t == BOOL:
                body = [f"if {em.val(e.elt)} {{ {acc} = rt::add_i({acc}, 1)?; }}"]
            else:
                body = [f"{acc} = rt::add_i({acc}, {em.val(e.elt)})?;"]
            result = acc
    elif e.op in ("any", "all"):
        r = em.tmp("r")
        hit = "true" if e.op == "any" else "false"
        test = em.val(e.elt) if e.op == "any" else f"!{em.val(e.elt)}"
        pre.append(f"let mut {r} = {'false' if e.op == 'any' else 'true'};")
        body = [f"if {test} {{ {r} = {hit}; break {label}; }}"]
        result = r
    else:
        body, result = _min_max(em, e, pre)
    inner = em.generator_loops(e.generators, body)
    return "{ " + " ".join(pre) + f" {label}: {{ " + " ".join(inner) + f" }} {result} }}"


def _min_max(em: _Emitter, e: ir.Reduce, pre: list[str]) -> tuple[list[str], str]:
    from .rust import rust_type

    best, x, k = em.tmp("best"), em.tmp("x"), em.tmp("k")
    elt_t = rust_type(e.elt.type)
    key_t = e.key.type if e.key is not None else e.elt.type
    if e.default is not None:
        d = em.tmp("d")
        pre.append(f"let {d}: {rust_type(e.type)} = {em.val(e.default)};")
        empty = d
    else:
        empty = f'return rt::empty_min_max("{e.op}")'
    op = "<" if e.op == "min" else ">"
    nan = (
        f'if rt::HasNan::has_nan(&{k}) {{ return rt::fallback("{e.op}() of tuples holding NaN '
        'compares by object identity"); } '
        if isinstance(key_t, TupleT) and contains_float(key_t)
        else ""
    )
    if e.key is None:
        pre.append(f"let mut {best}: Option<{elt_t}> = None;")
        body = [
            f"let {k} = {em.val(e.elt)}; {nan}"
            f"let __better = match &{best} {{ None => true, Some(__b) => {k} {op} *__b }}; "
            f"if __better {{ {best} = Some({k}); }}"
        ]
        return body, f"match {best} {{ Some(__b) => __b, None => {{ {empty} }} }}"
    pre.append(f"let mut {best}: Option<({elt_t}, {rust_type(key_t)})> = None;")
    body = [
        f"let {x} = {em.val(e.elt)}; let {k} = {_key_value(em, e.key, '&' + x)}; {nan}"
        f"let __better = match &{best} {{ None => true, Some(__b) => {k} {op} __b.1 }}; "
        f"if __better {{ {best} = Some(({x}, {k})); }}"
    ]
    return body, f"match {best} {{ Some(__b) => __b.0, None => {{ {empty} }} }}"
