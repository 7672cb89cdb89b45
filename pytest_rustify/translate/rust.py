"""Typed IR -> the Rust sources of one PyO3 crate.

Input: an ``ir.Module`` (the translated functions of a session). Output: the crate's
sources, with the module name left as ``MODULE_PLACEHOLDER`` for the build stage::

    sources = generate_crate(ir.Module(functions=(fn,), python_version=(3, 11)))
    sources["src/lib.rs"]   # impl_<name> in plain Rust + a #[pyfunction] dispatcher each

Each target becomes two functions: ``impl_f`` computes with Rust values and returns
``rt::R<T>`` (a Python exception to raise, or a request to fall back), and the
dispatcher ``f`` binds and converts the Python arguments strictly, calls it, and
hands the call to the Python original when conversion fails or the runtime asks for
a fallback (i64 overflow), counting each one. Panics become RuntimeError.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources

from . import gil, ir, numpy_rust, rust_math, rust_methods, sets_rust
from .moves import movable_names
from .rtypes import (
    BOOL,
    COMPLEX,
    FLOAT,
    INT,
    NONE,
    NP_SCALARS,
    STR,
    ArrayT,
    DictT,
    ListT,
    RType,
    SetT,
    TupleT,
)
from .rust_layout import function_header, line_marker, target_module

MODULE_PLACEHOLDER = "__RUSTIFY_MODULE__"
DEPENDENCIES = {"indexmap": "2"}


def crate_dependencies(sources: dict[str, str]) -> dict[str, str]:
    """The crates ``sources`` need: rust-numpy only when a function uses NumPy."""
    deps = dict(DEPENDENCIES)
    if numpy_rust.SOURCE in sources:
        deps[numpy_rust.DEPENDENCY[0]] = numpy_rust.DEPENDENCY[1]
    return deps


def runtime_source() -> str:
    files = resources.files(__package__)
    return "".join(
        files.joinpath(name).read_text(encoding="utf-8")
        for name in ("runtime.rs", "runtime_methods.rs", "runtime_math.rs")
    )


def generate_crate(module: ir.Module) -> dict[str, str]:
    """The crate's sources: ``src/lib.rs`` (generated) and ``src/rt.rs`` (the runtime)."""
    parts = [_HEADER]
    numpy = numpy_rust.uses_numpy(module)
    if numpy:
        parts.append("mod np;\n")
    neumaier = module.python_version >= (3, 12)
    parts.append(f"pub const NEUMAIER_SUM: bool = {'true' if neumaier else 'false'};\n")
    parts.append(f"pub const PY_MINOR: u32 = {module.python_version[1]};\n")
    parts.append(f"const N_FUNCS: usize = {len(module.functions)};\n")
    parts.append(
        "static FALLBACKS: [AtomicU64; N_FUNCS] = [const { AtomicU64::new(0) }; N_FUNCS];\n"
    )
    parts.append(
        f"const NAMES: [&str; N_FUNCS] = [{', '.join(_str_lit(f.name) for f in module.functions)}];\n"
    )
    for i, fn in enumerate(module.functions):
        parts.append(_function_module(fn, i))
    parts.append(_module_init(module))
    sources = {"src/lib.rs": "\n".join(parts), "src/rt.rs": runtime_source()}
    if numpy:
        sources[numpy_rust.SOURCE] = numpy_rust.runtime_source()
    return sources


def rust_signature(fn: ir.Function) -> str:
    """The signature a user reads in reports: ``fn dot(a: Vec<f64>, b: Vec<f64>) -> f64``;
    a target with variants shows each, joined with `` | ``."""
    return " | ".join(
        f"fn {fn.name}({_display_params(f)}) -> {rust_type(f.ret, display=True)}"
        for f in (fn, *fn.variants)
    )


def _display_params(fn: ir.Function) -> str:
    return ", ".join(
        f"{p.name}: {numpy_rust.param_type(fn, p, display=True) or ('&mut ' if p.name in fn.mutated else '') + rust_type(p.type, display=True)}"
        for p in fn.params
    )


def function_code(fn: ir.Function) -> str:
    """One function's own part of ``src/lib.rs`` (``impl_<name>``, its helpers' and its
    dispatcher), as ``generate_crate`` writes it for the crate's first function; for
    reading, not building."""
    return "\n".join(_target_code(fn, 0))


def _target_code(fn: ir.Function, idx: int) -> list[str]:
    """A target's Rust functions and its dispatcher. With variants, the Python-visible
    dispatcher is ``fn``'s; where its conversions do not take the arguments it hands the
    call to the next variant's dispatcher, and the last one falls back to Python."""
    if not fn.variants:
        return [*_impls(fn), _dispatcher(fn, idx)]
    chain = (fn, *fn.variants)
    out = [impl for f in chain for impl in _impls(f)]
    for k, f in enumerate(chain):
        miss = f"py_{chain[k + 1].name}(py, args, kwargs)" if k + 1 < len(chain) else ""
        out.append(_dispatcher(f, idx, miss=miss, exported=k == 0, lists=_lists_first(f, chain)))
    return out


def _lists_first(fn: ir.Function, chain: tuple[ir.Function, ...]) -> tuple[int, ...]:
    """The positions where ``fn`` takes a list and another variant an array: checked to
    be lists before any argument is converted, so that a call passing an array there
    does not first copy the lists it passed elsewhere."""
    return tuple(
        i
        for i, p in enumerate(fn.params)
        if isinstance(p.type, ListT)
        and any(isinstance(f.params[i].type, ArrayT) for f in chain if f is not fn)
    )


def _function_module(fn: ir.Function, idx: int) -> str:
    """A target's functions in a Rust module of their own. rustc partitions an incremental
    build by module, so a rebuild after one function changed re-optimises that module
    only (about half the time of a rebuild with every function in the crate root)."""
    body = "\n".join(_target_code(fn, idx))
    return f"mod {_module_of(fn)} {{\n#[allow(unused_imports)]\nuse super::*;\n{body}\n}}\n"


def _module_of(fn: ir.Function) -> str:
    return target_module(fn.name)


def _impls(fn: ir.Function) -> list[str]:
    """The Rust functions of a target and of the helpers translated with it."""
    callees = {fn.name: fn, **{h.name: h for h in fn.helpers}}
    return [_FunctionGen(f, callees).impl() for f in (fn, *fn.helpers)]


_HEADER = """\
// Generated by pytest-rustify from Python sources; do not edit.
#![allow(unused_mut, unused_variables, unused_assignments, unreachable_code, unused_parens)]
#![allow(non_snake_case, unused_labels, unused_braces, while_true, dead_code)]
#![allow(clippy::all)]

mod rt;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
#[allow(unused_imports)]
use rt::Truthy;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

static ORIGINALS: OnceLock<Py<PyDict>> = OnceLock::new();

#[cold]
#[inline(never)]
fn fallback_call(
    py: Python<'_>,
    idx: usize,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    FALLBACKS[idx].fetch_add(1, Ordering::Relaxed);
    let originals = ORIGINALS
        .get()
        .ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("pytest-rustify: module not initialised"))?
        .bind(py);
    match originals.get_item(NAMES[idx])? {
        Some(f) => Ok(f.call(args, kwargs)?.unbind()),
        None => Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
            "pytest-rustify: no Python original registered for {} to fall back to",
            NAMES[idx]
        ))),
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

#[pyfunction]
fn __rustify_fallbacks__(py: Python<'_>) -> PyResult<Py<PyDict>> {
    let d = PyDict::new(py);
    for (i, name) in NAMES.iter().enumerate() {
        d.set_item(*name, FALLBACKS[i].load(Ordering::Relaxed))?;
    }
    Ok(d.unbind())
}
"""


def _module_init(module: ir.Module) -> str:
    adds = "\n".join(
        f"    m.add_function(wrap_pyfunction!({_module_of(f)}::py_{f.name}, m)?)?;"
        for f in module.functions
    )
    sigs = "\n".join(
        f"    signatures.set_item({_str_lit(f.name)}, {_str_lit(rust_signature(f))})?;"
        for f in module.functions
    )
    return f"""
#[pymodule]
fn {MODULE_PLACEHOLDER}(m: &Bound<'_, PyModule>) -> PyResult<()> {{
    let py = m.py();
    let originals = PyDict::new(py);
    let _ = ORIGINALS.set(originals.clone().unbind());
    m.add("__rustify_originals__", originals)?;
    let signatures = PyDict::new(py);
{sigs}
    m.add("__rustify_signatures__", signatures)?;
    m.add_function(wrap_pyfunction!(__rustify_fallbacks__, m)?)?;
{adds}
    Ok(())
}}
"""


def _dispatcher(
    fn: ir.Function,
    idx: int,
    *,
    miss: str = "",
    exported: bool = True,
    lists: tuple[int, ...] = (),
) -> str:
    """``py_<name>``: binds and converts the arguments, calls ``impl_<name>``. A variant's
    dispatcher (``exported`` False) is a plain Rust function; ``miss`` is what a call
    whose arguments do not convert returns (default: the fallback to Python), ``lists``
    the positions checked to be exact lists first."""
    miss = miss or f"fallback_call(py, {idx}, args, kwargs)"
    names = ", ".join(_str_lit(p.name) for p in fn.params)
    n = len(fn.params)
    arrays = numpy_rust.Dispatch(fn)
    tuple_t = (
        "(" + "".join(f"{arrays.guard_type(p) or rust_type(p.type)}, " for p in fn.params) + ")"
    )
    conv = [
        f"        if !binder.arg({i}).is_some_and(|o| o.is_exact_instance_of::<pyo3::types::PyList>()) {{ return None; }}"
        for i in lists
    ]
    for i, p in enumerate(fn.params):
        t = rust_type(p.type) if not isinstance(p.type, ArrayT) else ""
        array_conv = arrays.convert(i, p)
        if array_conv is not None:
            conv.append(array_conv)
        elif p.default is None:
            conv.append(f"        let a{i} = <{t} as rt::FromPy>::from_py(&binder.arg({i})?)?;")
        else:
            d = _Emitter(fn).const(p.default)
            conv.append(
                f"        let a{i} = match binder.arg({i}) {{ Some(o) => <{t} as rt::FromPy>::from_py(&o)?, None => {d} }};"
            )
    vals = "(" + "".join(f"a{i}, " for i in range(n)) + ")"
    mutated = fn.mutated_positions()
    call_args = ", ".join(
        f"&mut c.{i}" if i in mutated else arrays.call_arg(i, p) for i, p in enumerate(fn.params)
    )
    # Array views borrow from the guards for the whole call, so the lifetime has a name.
    generics, lt = ("<'py>", "'py") if arrays else ("", "'_")
    prelude = arrays.prelude() if arrays else ""
    closure = "||" if arrays or mutated else "move ||"
    restore = arrays.before_fallback() if arrays else ""
    # Arguments changed in place: the call falls back to Python when one is reachable
    # from another argument (Python would see the change through both), and their new
    # contents go back into the caller's objects when the call returns or raises.
    guard = write_back = ""
    if mutated:
        objs = ", ".join(f"binder.arg({i})" for i in range(n))
        guard = f"""
    let objs: [Option<Bound<'_, PyAny>>; {n}] = [{objs}];
    if rt::aliased(&objs, &{mutated!r}) {{
        return fallback_call(py, {idx}, args, kwargs);
    }}
    let mut c = c;"""
        write_back = "".join(
            f'rt::write_back(py, objs[{i}].as_ref().expect("bound"), &c.{i})?; ' for i in mutated
        )
    call = f"std::panic::catch_unwind(std::panic::AssertUnwindSafe({closure} impl_{fn.name}({call_args})))"
    work = None if arrays else gil.release_work(fn)
    if work is not None:
        # Long calls on owned values run with the GIL released (gil.py says when).
        call = f"if {work} >= rt::RELEASE_WORK {{ py.detach(move || {call}) }} else {{ {call} }}"
    result = arrays.to_py()
    if fn.returns_arg:
        # `return xs`: Python gives the caller its own object back, not an equal copy.
        i = next(i for i, p in enumerate(fn.params) if p.name == fn.returns_arg)
        result = f'{{ let _ = v; Ok(binder.arg({i}).expect("bound").unbind()) }}'
    export = (
        f"\n#[pyfunction]\n#[pyo3(name = {_str_lit(fn.name)}, signature = (*args, **kwargs))]"
        if exported
        else ""
    )
    return f"""{export}
pub(crate) fn py_{fn.name}{generics}(py: Python<{lt}>, args: &Bound<{lt}, PyTuple>, kwargs: Option<&Bound<{lt}, PyDict>>) -> PyResult<Py<PyAny>> {{
    const PARAMS: &[&str] = &[{names}];
    let _scope = rt::CallScope::enter();
    let binder = rt::Binder {{ args, kwargs, names: PARAMS }};
    let converted = (|| -> Option<{tuple_t}> {{
        if !binder.keywords_ok() {{ return None; }}
{chr(10).join(conv)}
        Some({vals})
    }})();
    let c = match converted {{
        Some(c) => c,
        None => return {miss},
    }};{guard}
{prelude}    let outcome = {call};
    match outcome {{
        Ok(Ok(v)) => {{ {write_back}{result} }}
        Ok(Err(rt::RtErr::Raise(e, m))) => {{ {write_back}Err(rt::raise_in_python(py, e, m)) }}
        Ok(Err(rt::RtErr::RaiseStatic(e, m))) => {{ {write_back}Err(rt::raise_in_python(py, e, m.to_string())) }}
        Ok(Err(rt::RtErr::Index(x))) => {{ {write_back}Err(rt::raise_in_python(py, rt::Exc::IndexError, x.message())) }}
        Ok(Err(rt::RtErr::RaiseBare(e))) => {{ {write_back}Err(rt::to_pyerr_bare(e)) }}
        Ok(Err(rt::RtErr::Fallback(_))) => {{ {restore}fallback_call(py, {idx}, args, kwargs) }}
        Err(p) => Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
            "Rust panic in {fn.name}: {{}}",
            panic_message(p)
        ))),
    }}
}}
"""


# -- types ------------------------------------------------------------------------


def rust_type(t: RType, *, display: bool = False) -> str:
    """The Rust type of an IR type; ``display`` gives the reader's spelling
    (``Rc<str>``, ``IndexMap<K, V>``, ``(i64, i64)``) rather than the crate's."""
    if display:
        return _display_type(t)
    np_type = numpy_rust.rust_type(t)
    if np_type is not None:
        return np_type
    if t == INT:
        return "i64"
    if t == FLOAT:
        return "f64"
    if t == BOOL:
        return "bool"
    if t == STR:
        return "rt::Str"
    if t == COMPLEX:
        return "rt::C64"
    if t == NONE:
        return "()"
    if isinstance(t, ListT):
        return f"Vec<{rust_type(t.elem)}>"
    if isinstance(t, TupleT):
        return "(" + "".join(f"{rust_type(e)}, " for e in t.elems) + ")"
    if isinstance(t, DictT):
        return f"rt::Map<{rust_type(t.key)}, {rust_type(t.value)}>"
    if isinstance(t, SetT):
        return f"rt::Set<{rust_type(t.elem)}>"
    raise AssertionError(f"no Rust type for {t}")


def _display_type(t: RType) -> str:
    np_type = numpy_rust.display_type(t)
    if np_type is not None:
        return np_type
    if t == STR:
        return "Rc<str>"
    if t == COMPLEX:
        return "Complex<f64>"
    if isinstance(t, ListT):
        return f"Vec<{_display_type(t.elem)}>"
    if isinstance(t, TupleT):
        inner = ", ".join(_display_type(e) for e in t.elems)
        return f"({inner},)" if len(t.elems) == 1 else f"({inner})"
    if isinstance(t, DictT):
        return f"IndexMap<{_display_type(t.key)}, {_display_type(t.value)}>"
    if isinstance(t, SetT):
        return f"IndexSet<{_display_type(t.elem)}>"
    return rust_type(t)


def is_copy(t: RType) -> bool:
    if t in (INT, FLOAT, BOOL, COMPLEX, NONE, *NP_SCALARS):
        return True
    if isinstance(t, TupleT):
        return all(is_copy(e) for e in t.elems)
    return False


def _str_lit(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{{{ord(ch):x}}}")
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            raise ValueError("lone surrogate in a string constant")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _float_lit(v: float) -> str:
    if v != v:
        return "f64::NAN"
    if v in (float("inf"), float("-inf")):
        return "f64::INFINITY" if v > 0 else "f64::NEG_INFINITY"
    r = repr(v)
    if "e" in r or "." in r:
        return f"({r}_f64)" if r.startswith("-") else f"{r}_f64"
    return f"{r}.0_f64"


# -- functions ----------------------------------------------------------------------


def _v(name: str) -> str:
    """The Rust name of a local: ``v_`` + the Python name; the translator's own
    temporaries (``$key``, ``$c1_x``) cannot collide with those, as ``$`` is not valid
    in a Python identifier."""
    if name.startswith("$"):
        return f"t_{name[1:]}"
    return f"v_{name}"


@dataclass
class _Emitter:
    fn: ir.Function
    callees: Mapping[str, ir.Function] = field(default_factory=dict)  # by IR name
    counter: list[int] = field(default_factory=lambda: [0])
    # ``ir.Name`` nodes (by id) whose local is dead after them: their value is moved out.
    moves: frozenset[int] = frozenset()

    def tmp(self, stem: str = "t") -> str:
        self.counter[0] += 1
        return f"__{stem}{self.counter[0]}"

    # -- values and references --------------------------------------------------

    def const(self, c: ir.Const) -> str:
        v, t = c.value, c.type
        if t == BOOL:
            return "true" if v else "false"
        if t == INT:
            assert isinstance(v, int)
            return f"({v}_i64)" if v < 0 else f"{v}_i64"
        if t == FLOAT:
            assert isinstance(v, float)
            return _float_lit(v)
        if t == STR:
            assert isinstance(v, str)
            return f"rt::str_new({_str_lit(v)})"
        if t == COMPLEX:
            assert isinstance(v, complex)
            return f"rt::c_new({_float_lit(v.real)}, {_float_lit(v.imag)})"
        if t == NONE:
            return "()"
        if isinstance(t, TupleT) and isinstance(v, tuple):
            parts = [self.const(ir.Const(et, x)) for et, x in zip(t.elems, v, strict=True)]
            return "(" + "".join(f"{p}, " for p in parts) + ")"
        raise AssertionError(f"constant of type {t}")

    def val(self, e: ir.Expr) -> str:
        """A Rust expression producing an owned value of ``e``'s type."""
        if isinstance(e, ir.Name):
            if is_copy(e.type):
                return _v(e.id)
            if id(e) in self.moves:
                return f"std::mem::take(&mut {_v(e.id)})"
            return f"{_v(e.id)}.clone()"
        if isinstance(e, ir.Index) and isinstance(e.obj.type, TupleT):
            clone = "" if is_copy(e.type) else ".clone()"
            if isinstance(e.index, ir.Const):
                return f"({self.ref(e.obj)}).{e.index.value}{clone}"
            # A variable index into a homogeneous tuple: checked, then a match on it.
            n = len(e.obj.type.elems)
            t = self.tmp()
            arms = " ".join(f"{i} => {t}.{i}{clone}," for i in range(n))
            return (
                f"{{ let {t} = {self.ref(e.obj)}; "
                f'match rt::index({n}, {self.val(e.index)}, "tuple")? {{ {arms} _ => unreachable!() }} }}'
            )
        if isinstance(e, ir.Copy):
            return f"({self.ref(e.operand)}).clone()"
        return self.expr(e)

    def ref(self, e: ir.Expr) -> str:
        """A Rust expression borrowing ``e`` (no copy for names and list items)."""
        if isinstance(e, ir.Name):
            return f"&{_v(e.id)}"
        if isinstance(e, ir.Index) and isinstance(e.obj.type, ListT):
            return f"rt::get_ref({self.ref(e.obj)}, {self.val(e.index)})?"
        if isinstance(e, ir.Index) and isinstance(e.obj.type, DictT):
            return f"{{ let __k = {self.val(e.index)}; match ({self.ref(e.obj)}).get(&__k) {{ Some(v) => v, None => return rt::key_error(&__k) }} }}"
        return f"&({self.val(e)})"

    def place(self, e: ir.Expr) -> str:
        """A Rust expression borrowing ``e`` mutably, for in-place changes."""
        if isinstance(e, ir.Name):
            return f"&mut {_v(e.id)}"
        if isinstance(e, ir.Index) and isinstance(e.obj.type, ListT):
            return f"rt::get_mut({self.place(e.obj)}, {self.val(e.index)})?"
        if isinstance(e, ir.Index) and isinstance(e.obj.type, DictT):
            return f"rt::dict_get_mut({self.place(e.obj)}, &{self.val(e.index)})?"
        if isinstance(e, ir.Method) and e.method == "setdefault":
            return rust_methods.setdefault_place(self, e)
        raise AssertionError(f"not a place: {e}")

    # -- expressions --------------------------------------------------------------

    def expr(self, e: ir.Expr) -> str:
        method = getattr(self, f"_e_{type(e).__name__}")
        result: str = method(e)
        return result

    def _e_Const(self, e: ir.Const) -> str:
        return self.const(e)

    def _e_Name(self, e: ir.Name) -> str:
        return self.val(e)

    def _e_Copy(self, e: ir.Copy) -> str:
        return self.val(e)

    def _e_BinOp(self, e: ir.BinOp) -> str:
        t, op = e.type, e.op
        lt = e.left.type
        if t in NP_SCALARS:
            return numpy_rust.binop(self, e)
        if t == INT:
            fn = {
                "+": "add_i",
                "-": "sub_i",
                "*": "mul_i",
                "//": "floordiv_i",
                "%": "mod_i",
                "**": "pow_i",
            }[op]
            return f"rt::{fn}({self.val(e.left)}, {self.val(e.right)})?"
        if t == FLOAT and lt == INT and op == "/":
            return f"rt::truediv_i({self.val(e.left)}, {self.val(e.right)})?"
        if t == FLOAT:
            if op in ("+", "-", "*"):
                return f"({self.val(e.left)} {op} {self.val(e.right)})"
            fn = {"/": "truediv_f", "//": "floordiv_f", "%": "mod_f", "**": "pow_f"}[op]
            return f"rt::{fn}({self.val(e.left)}, {self.val(e.right)})?"
        if t == COMPLEX:
            fn = {"+": "c_add", "-": "c_sub", "*": "c_mul", "/": "c_div"}[op]
            tail = "?" if op == "/" else ""
            return f"rt::{fn}({self.val(e.left)}, {self.val(e.right)}){tail}"
        if t == STR and op == "+":
            return f"rt::str_concat({self.ref(e.left)}, {self.ref(e.right)})"
        if t == STR and op == "*":
            s, n = (e.left, e.right) if e.left.type == STR else (e.right, e.left)
            return f"rt::str_repeat({self.ref(s)}, {self.val(n)})?"
        if isinstance(t, ListT) and op == "+":
            return f"rt::concat({self.ref(e.left)}, {self.ref(e.right)})"
        if isinstance(t, ListT) and op == "*":
            return f"rt::repeat({self.ref(e.left)}, {self.val(e.right)})?"
        raise AssertionError(f"binop {op} on {t}")

    def _e_Unary(self, e: ir.Unary) -> str:
        if e.op == "not":
            return f"(!{self.val(e.operand)})"
        if e.type in NP_SCALARS:
            return numpy_rust.unary(self, e)
        if e.type == INT:
            return f"rt::neg_i({self.val(e.operand)})?"
        if e.type == FLOAT:
            return f"(-{self.val(e.operand)})"
        if e.type == COMPLEX:
            return f"rt::c_neg({self.val(e.operand)})"
        raise AssertionError(f"unary {e.op}")

    def _e_Truth(self, e: ir.Truth) -> str:
        t = e.operand.type
        if isinstance(t, TupleT):
            return "true"  # a non-empty tuple (we never build empty ones)
        return f"({self.ref(e.operand)}).truthy()"

    def _e_IfExp(self, e: ir.IfExp) -> str:
        return f"(if {self.val(e.test)} {{ {self.val(e.body)} }} else {{ {self.val(e.orelse)} }})"

    def _e_BoolOp(self, e: ir.BoolOp) -> str:
        if e.type == BOOL:
            joiner = " && " if e.op == "and" else " || "
            return "(" + joiner.join(self.val(v) for v in e.values) + ")"
        # Python returns the deciding operand itself.
        out = self.val(e.values[-1])
        for v in reversed(e.values[:-1]):
            t = self.tmp()
            keep = f"!{t}.truthy()" if e.op == "and" else f"{t}.truthy()"
            out = f"{{ let {t} = {self.val(v)}; if {keep} {{ {t} }} else {{ {out} }} }}"
        return out

    def _cmp(self, op: str, a: str, at: RType, b: str, bt: RType) -> str:
        if isinstance(at, SetT) or isinstance(bt, SetT):
            return sets_rust.compare(op, a, at, b, bt)
        if op in ("in", "not in"):
            neg = "!" if op == "not in" else ""
            if isinstance(bt, DictT):
                return f"{neg}({b}).contains_key({a})"
            if isinstance(bt, ListT):
                return f"{neg}({b}).contains({a})"
            return f"{neg}({b}).contains(&**({a}))"
        if at == INT and bt == FLOAT:
            fn = {
                "<": "lt_if",
                "<=": "le_if",
                ">": "gt_if",
                ">=": "ge_if",
                "==": "eq_if",
                "!=": "eq_if",
            }[op]
            neg = "!" if op == "!=" else ""
            return f"{neg}rt::{fn}({a}, {b})"
        if at == FLOAT and bt == INT:
            flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}[op]
            return self._cmp(flipped, b, bt, a, at)
        return f"({a} {op} {b})"

    def _operand(self, e: ir.Expr, for_in: bool = False) -> str:
        """Comparison operands: values for Copy types, borrows otherwise."""
        if is_copy(e.type):
            v = self.val(e)
            return f"&{v}" if for_in else v
        return self.ref(e)

    def _e_Compare(self, e: ir.Compare) -> str:
        if len(e.ops) == 1:
            op, right = e.ops[0], e.comparators[0]
            in_op = op in ("in", "not in")
            a = self._operand(e.left, for_in=in_op)
            b = self.ref(right) if in_op else self._operand(right)
            return self._cmp(op, a, e.left.type, b, right.type)
        # a < b < c: each operand evaluated once, later ones only when needed.
        lines = []
        prev_t = e.left.type
        prev = self.tmp()
        lines.append(f"let {prev} = {self.val(e.left)};")
        conds = []
        for op, comp in zip(e.ops, e.comparators, strict=True):
            cur = self.tmp()
            conds.append((op, prev, prev_t, cur, comp))
            prev, prev_t = cur, comp.type
        out = "true"
        for op, a, at, b, comp in reversed(conds):
            aa = a if is_copy(at) else f"&{a}"
            bb = b if is_copy(comp.type) else f"&{b}"
            test = self._cmp(op, aa, at, bb, comp.type)
            out = f"{{ let {b} = {self.val(comp)}; {test} && {out} }}"
        return f"{{ {' '.join(lines)} {out} }}"

    def _e_Call(self, e: ir.Call) -> str:
        handled = rust_methods.call(self, e)
        if handled is not None:
            return handled
        f, args = e.func, e.args
        if f.startswith("np."):
            return numpy_rust.call(self, e)
        if f.startswith("set."):
            return sets_rust.call(self, e)
        if f == "len":
            t = args[0].type
            if t == STR:
                return f"rt::str_len({self.ref(args[0])})"
            if isinstance(t, TupleT):
                return f"{len(t.elems)}_i64"
            return f"(({self.ref(args[0])}).len() as i64)"
        if f == "abs":
            t = args[0].type
            if t == INT:
                return f"rt::abs_i({self.val(args[0])})?"
            if t == FLOAT:
                return f"{self.val(args[0])}.abs()"
            return f"rt::c_abs({self.val(args[0])})?"
        if f in ("min", "max"):
            out = self.val(args[0])
            for a in args[1:]:
                out = f"rt::{f}2({out}, {self.val(a)})"
            return out
        if f in ("min_seq", "max_seq"):
            return f"rt::{f}({self.ref(args[0])})?"
        if f == "sum":
            elem = args[0].type.elem  # type: ignore[attr-defined]
            if elem == FLOAT:
                return f"rt::sum_f({self.ref(args[0])})?"
            if elem == BOOL:
                return f"rt::sum_b({self.ref(args[0])})"
            return f"rt::sum_i({self.ref(args[0])})?"
        if f == "to_float":
            return f"rt::i2f({self.val(args[0])})"
        if f == "to_int":
            return f"({self.val(args[0])} as i64)"
        if f == "to_complex":
            inner = args[0]
            x = self.val(inner) if inner.type == FLOAT else f"rt::i2f({self.val(inner)})"
            return f"rt::c_from_f({x})"
        if f == "int":
            return f"rt::int_f({self.val(args[0])})?"
        if f == "round":
            return f"rt::round_f({self.val(args[0])})?"
        if f == "ord":
            return f"rt::ord({self.ref(args[0])})?"
        if f == "chr":
            return f"rt::chr({self.val(args[0])})?"
        if f == "complex":
            return f"rt::c_new({self.val(args[0])}, {self.val(args[1])})"
        if f == "divmod":
            fn = "divmod_i" if args[0].type == INT else "divmod_f"
            return f"rt::{fn}({self.val(args[0])}, {self.val(args[1])})?"
        if f.startswith("math."):
            return self._math(f[5:], args, e)
        raise AssertionError(f"call {f}")

    def _math(self, name: str, args: tuple[ir.Expr, ...], e: ir.Call) -> str:
        handled = rust_math.call(self, name, args)
        if handled is not None:
            return handled
        if name in ("floor", "ceil", "trunc"):
            return f"rt::{name}_i({self.val(args[0])})?"
        if name in ("isnan", "isinf", "isfinite"):
            rust = {"isnan": "is_nan", "isinf": "is_infinite", "isfinite": "is_finite"}[name]
            return f"{self.val(args[0])}.{rust}()"
        if name == "copysign":
            return f"{self.val(args[0])}.copysign({self.val(args[1])})"
        if name in ir.MATH_1:
            rust = {"log": "ln", "fabs": "abs", "expm1": "exp_m1", "log1p": "ln_1p"}.get(name, name)
            overflow = "true" if ir.MATH_1[name] else "false"
            x = self.tmp("x")
            return f"{{ let {x} = {self.val(args[0])}; rt::math1({x}, {x}.{rust}(), {overflow})? }}"
        raise AssertionError(f"math.{name}")

    def _e_Method(self, e: ir.Method) -> str:
        handled = rust_methods.method(self, e)
        if handled is not None:
            return handled
        m = e.method
        if isinstance(e.obj.type, SetT):
            return sets_rust.method(self, e)
        if m == "append":
            a = self.tmp("a")
            if isinstance(e.obj.type, ListT):
                return f"{{ let {a} = {self.val(e.args[0])}; rt::push({self.place(e.obj)}, {a}); }}"
            return f"{{ let {a} = {self.val(e.args[0])}; ({self.place(e.obj)}).push({a}); }}"
        if m == "extend":
            a = self.tmp("a")
            return f"{{ let {a} = {self.val(e.args[0])}; ({self.place(e.obj)}).extend({a}); }}"
        if m == "insert":
            i, a = self.tmp("i"), self.tmp("a")
            return (
                f"{{ let {i} = {self.val(e.args[0])}; let {a} = {self.val(e.args[1])}; "
                f"rt::insert({self.place(e.obj)}, {i}, {a}); }}"
            )
        if m == "repeat_in_place":
            n = self.tmp("n")
            return (
                f"{{ let {n} = {self.val(e.args[0])}; let __r = rt::repeat({self.ref(e.obj)}, {n})?; "
                f"*({self.place(e.obj)}) = __r; }}"
            )
        if m == "pop":
            idx = f"Some({self.val(e.args[0])})" if e.args else "None"
            return f"rt::pop({self.place(e.obj)}, {idx})?"
        if m == "get":
            k, d = self.tmp("k"), self.tmp("d")
            clone = "*v" if is_copy(e.type) else "v.clone()"
            return (
                f"{{ let {k} = {self.ref(e.args[0])}; let {d} = {self.val(e.args[1])}; "
                f"match ({self.ref(e.obj)}).get({k}) {{ Some(v) => {clone}, None => {d} }} }}"
            )
        if m == "conjugate":
            z = self.tmp("z")
            return f"{{ let {z} = {self.val(e.obj)}; rt::c_new({z}.re, -{z}.im) }}"
        raise AssertionError(f"method {m}")

    def _e_UserCall(self, e: ir.UserCall) -> str:
        callee = self.callees[e.callee]
        if not callee.mutated:
            return f"impl_{e.callee}({', '.join(self.val(a) for a in e.args)})?"
        # The values first (`f(xs, len(xs) - 1)` reads xs before lending it), as Python
        # evaluates every argument before the call.
        pre, args = [], []
        for p, a in zip(callee.params, e.args, strict=True):
            if p.name not in callee.mutated:
                t = self.tmp("a")
                pre.append(f"let {t} = {self.val(a)};")
                args.append(t)
            elif ir.root(a)[0] is not None:
                args.append(self.place(a))
            else:
                args.append(f"&mut {self.val(a)}")  # a temporary: the change is lost, as in Python
        return f"{{ {' '.join(pre)} impl_{e.callee}({', '.join(args)})? }}"

    def _e_Reduce(self, e: ir.Reduce) -> str:
        if e.op.startswith("math."):
            return rust_math.reduce(self, e)
        return rust_methods.reduce(self, e)

    def _e_Lambda(self, e: ir.Lambda) -> str:
        raise AssertionError("a key function is emitted by the call that applies it")

    def _e_Attr(self, e: ir.Attr) -> str:
        return f"{self.val(e.obj)}.{'re' if e.attr == 'real' else 'im'}"

    def _e_Index(self, e: ir.Index) -> str:
        t = e.obj.type
        if isinstance(t, ListT):
            return f"rt::get({self.ref(e.obj)}, {self.val(e.index)})?"
        if t == STR:
            return f"rt::str_get({self.ref(e.obj)}, {self.val(e.index)})?"
        if isinstance(t, DictT):
            return f"rt::dict_get({self.ref(e.obj)}, &{self.val(e.index)})?"
        return self.val(e)

    def _e_ArrayIndex(self, e: ir.ArrayIndex) -> str:
        return numpy_rust.index(self, e)

    def _e_Slice(self, e: ir.Slice) -> str:
        parts = ", ".join(
            "None" if p is None else f"Some({self.val(p)})" for p in (e.lower, e.upper, e.step)
        )
        fn = "str_slice" if e.type == STR else "slice"
        return f"rt::{fn}({self.ref(e.obj)}, {parts})?"

    def _e_ListLit(self, e: ir.ListLit) -> str:
        if not e.elems:
            return f"Vec::<{rust_type(e.type.elem)}>::new()"  # type: ignore[attr-defined]
        return "vec![" + ", ".join(self.val(x) for x in e.elems) + "]"

    def _e_TupleLit(self, e: ir.TupleLit) -> str:
        return "(" + "".join(f"{self.val(x)}, " for x in e.elems) + ")"

    def _e_DictLit(self, e: ir.DictLit) -> str:
        d = self.tmp("d")
        inserts = " ".join(
            f"{d}.insert({self.val(k)}, {self.val(v)});"
            for k, v in zip(e.keys, e.values, strict=True)
        )
        return f"{{ let mut {d}: {rust_type(e.type)} = rt::Map::default(); {inserts} {d} }}"

    def _e_Comprehension(self, e: ir.Comprehension) -> str:
        out = self.tmp("out")
        if e.kind == "list":
            push = f"rt::push(&mut {out}, {self.val(e.elt)});"
            init = f"let mut {out}: {rust_type(e.type)} = Vec::new();"
        elif e.kind == "set":
            push = f"{out}.insert({self.val(e.elt)});"
            init = f"let mut {out}: {rust_type(e.type)} = rt::Set::default();"
        else:
            assert e.key is not None
            push = f"{out}.insert({self.val(e.key)}, {self.val(e.elt)});"
            init = f"let mut {out}: {rust_type(e.type)} = rt::Map::default();"
        inner = self.generator_loops(e.generators, [push])
        return "{ " + init + " " + " ".join(inner) + f" {out} }}"

    # -- iteration ------------------------------------------------------------------

    def generator_loops(self, generators: tuple[ir.CompFor, ...], body: list[str]) -> list[str]:
        """``body`` inside the loops and conditions of a comprehension's generators."""
        inner = body
        for g in reversed(generators):
            block = inner
            for c in reversed(g.conds):
                block = [f"if {self.val(c)} {{", *block, "}"]
            inner = self.loop(g.target, g.iter, block, label=None, rebinds=set())
        return inner

    def iterator(self, it: ir.Iter, pre: list[str], rebinds: set[str]) -> str:
        """A Rust iterator expression yielding owned elements; setup goes to ``pre``."""
        if isinstance(it, ir.IterRange):
            step = it.step
            if isinstance(step, ir.Const) and step.value == 1:
                return f"({self.val(it.start)}..{self.val(it.stop)})"
            return f"rt::PyRange::new({self.val(it.start)}, {self.val(it.stop)}, {self.val(step)})?"
        if isinstance(it, (ir.IterSeq, ir.IterItems)):
            seq = it.seq if isinstance(it, ir.IterSeq) else it.dict
            roots = _names_in(seq)
            if roots & rebinds or not isinstance(seq, (ir.Name, ir.Index)):
                held = self.tmp("seq")
                pre.append(f"let {held} = {self.val(seq)};")
                src = f"(&{held})"
            else:
                src = f"({self.ref(seq)})"
            if isinstance(it, ir.IterItems):
                if it.values_only:
                    return f"{src}.values().cloned()"
                return f"{src}.iter().map(|(k, v)| (k.clone(), v.clone()))"
            t = seq.type
            if t == STR:
                return f"{src}.chars().map(rt::str_of_char)"
            if isinstance(t, DictT):
                return f"{src}.keys().cloned()"
            if isinstance(t, ArrayT):
                return numpy_rust.iterate(src)
            return f"{src}.iter().cloned()"
        if isinstance(it, ir.IterEnumerate):
            start = self.tmp("start")
            pre.append(f"let {start}: i64 = {self.val(it.start)};")
            # No loop runs 2**48 times: a start this close to the top may overflow i64,
            # where Python's counter would not; that call falls back.
            pre.append(
                f"if {start} > i64::MAX - (1_i64 << 48) {{ "
                'return rt::fallback("enumerate() counter beyond 64 bits"); }'
            )
            inner = self.iterator(it.inner, pre, rebinds)
            return f"{inner}.enumerate().map(|(i, x)| ({start} + i as i64, x))"
        if isinstance(it, ir.IterReversed):
            inner_it = it.inner
            if isinstance(inner_it, ir.IterRange):
                return (
                    f"rt::PyRange::reversed({self.val(inner_it.start)}, "
                    f"{self.val(inner_it.stop)}, {self.val(inner_it.step)})?"
                )
            return f"{self.iterator(inner_it, pre, rebinds)}.rev()"
        if isinstance(it, ir.IterZip):
            inners = [self.iterator(i, pre, rebinds) for i in it.inners]
            out = inners[0]
            pat = "a0"
            for k, nxt in enumerate(inners[1:], start=1):
                out = f"{out}.zip({nxt})"
                pat = f"({pat}, a{k})"
            if len(inners) == 1:
                return f"{out}.map(|a0| (a0,))"
            flat = "(" + "".join(f"a{k}, " for k in range(len(inners))) + ")"
            return f"{out}.map(|{pat}| {flat})"
        raise AssertionError(f"iter {it}")

    def bind(self, target: ir.Target, value: str) -> list[str]:
        """Statements storing an owned Rust value into a target."""
        if isinstance(target, ir.TName):
            return [f"{_v(target.id)} = {value};"]
        if isinstance(target, ir.TTuple):
            t = self.tmp()
            lines = [f"let {t} = {value};"]
            for i, elt in enumerate(target.elts):
                lines.extend(self.bind(elt, f"{t}.{i}"))
            return lines
        assert isinstance(target, ir.TIndex)
        if isinstance(target, ir.TArrayIndex):
            return numpy_rust.store(self, target, value)
        v, k = self.tmp("v"), self.tmp("k")
        lines = [f"let {v} = {value};", f"let {k} = {self.val(target.index)};"]
        if isinstance(target.obj.type, DictT):
            lines.append(f"({self.place(target.obj)}).insert({k}, {v});")
        else:
            lines.append(f"rt::set({self.place(target.obj)}, {k}, {v})?;")
        return lines

    def loop(
        self,
        target: ir.Target,
        it: ir.Iter,
        body: list[str],
        label: str | None,
        rebinds: set[str],
    ) -> list[str]:
        pre: list[str] = []
        iterator = self.iterator(it, pre, rebinds)
        e = self.tmp("e")
        head = f"{label}: " if label else ""
        return [
            "{",
            *pre,
            f"{head}for {e} in {iterator} {{",
            *self.bind(target, e),
            *body,
            "}",
            "}",
        ]


class _FunctionGen(_Emitter):
    def __init__(self, fn: ir.Function, callees: Mapping[str, ir.Function]) -> None:
        super().__init__(fn, callees, moves=movable_names(fn))
        self.loops: list[tuple[str, str | None]] = []  # (loop label, else-block label)
        # Locals an enclosing loop iterates by reference, and the parameters changed in
        # place (their value goes back to the caller: never moved out).
        self.borrowed: set[str] = set(fn.mutated)

    def impl(self) -> str:
        fn = self.fn
        params = ", ".join(
            f"{_v(p.name)}__ref: &mut {rust_type(p.type)}"
            if p.name in fn.mutated
            else f"mut {_v(p.name)}: {numpy_rust.param_type(fn, p) or rust_type(p.type)}"
            for p in fn.params
        )
        decls = [f"    let mut {_v(n)}: {rust_type(t)} = Default::default();" for n, t in fn.locals]
        body = self.block(fn.body, 1)
        tail = (
            "    Ok(())"
            if fn.ret == NONE
            else (
                '    rt::raise(rt::Exc::RuntimeError, "pytest-rustify: reached the end of a function that always returns")'
            )
        )
        ret = f"rt::R<{rust_type(fn.ret)}>"
        head = ["    let _depth = rt::Depth::enter()?;"] if fn.recursive else []
        lines = [*decls, *body, tail]
        if fn.mutated:
            # The body works on the caller's objects, taken out of the references (O(1))
            # and put back however it ends: a raised exception keeps its changes, as in
            # Python. A closure gives the body's `return`s one place to come back to.
            names = [_v(p) for p in fn.mutated]
            lines = [
                *(f"    let mut {v} = std::mem::take({v}__ref);" for v in names),
                f"    let __result = (|| -> {ret} {{",
                *("    " + line for line in lines),
                "    })();",
                *(f"    *{v}__ref = {v};" for v in names),
                "    __result",
            ]
        return "\n".join(
            [
                function_header(fn.target, fn.file, fn.line),
                f"fn impl_{fn.name}({params}) -> {ret} {{",
                *head,
                *lines,
                "}",
            ]
        )

    def block(self, stmts: tuple[ir.Stmt, ...], depth: int) -> list[str]:
        out: list[str] = []
        for s in stmts:
            # The Python line of each statement, so that a compile error in the crate can
            # be reported at the user's line (rust_layout.py reads these back).
            out.append("    " * depth + line_marker(s.line))
            out.extend("    " * depth + line for line in self.stmt(s, depth))
        return out

    def stmt(self, s: ir.Stmt, depth: int) -> list[str]:
        if isinstance(s, ir.Assign):
            if isinstance(s.target, ir.TName):
                return [f"{_v(s.target.id)} = {self.val(s.value)};"]
            return ["{", *self.bind(s.target, self.val(s.value)), "}"]
        if isinstance(s, ir.AugAssign) and isinstance(s.target, ir.TArrayIndex):
            return numpy_rust.augassign(self, s)
        if isinstance(s, ir.AugAssign):
            key_t = rust_type(s.target.index.type)
            v = self.tmp("v")
            store = (
                f"({self.place(s.target.obj)}).insert({_v(ir.AUG_KEY)}, {v});"
                if isinstance(s.target.obj.type, DictT)
                else f"rt::set({self.place(s.target.obj)}, {_v(ir.AUG_KEY)}, {v})?;"
            )
            return [
                "{",
                f"let {_v(ir.AUG_KEY)}: {key_t} = {self.val(s.target.index)};",
                f"let {v} = {self.val(s.value)};",
                store,
                "}",
            ]
        if isinstance(s, ir.ExprStmt):
            if isinstance(s.value, ir.Method) and s.value.type == NONE:
                return [f"{self.expr(s.value)};"]
            return [f"let _ = {self.val(s.value)};"]
        if isinstance(s, ir.If):
            out = [f"if {self.val(s.test)} {{", *self.block(s.body, 1)]
            if s.orelse:
                out += ["} else {", *self.block(s.orelse, 1)]
            return [*out, "}"]
        if isinstance(s, ir.While):
            return self._loop_with_else(
                s,
                lambda label: [
                    f"{label}: while {self.val(s.test)} {{",
                    *self.block(s.body, 1),
                    "}",
                ],
            )
        if isinstance(s, ir.For):
            rebinds = _rebound_names(s.body, self.callees)
            outer = set(self.borrowed)
            self.borrowed |= _iter_names(s.iter)
            try:
                return self._loop_with_else(
                    s,
                    lambda label: self.loop(
                        s.target, s.iter, self.block(s.body, 1), label, rebinds
                    ),
                )
            finally:
                self.borrowed = outer
        if isinstance(s, ir.Return):
            if s.value is None:
                return ["return Ok(());"]
            if isinstance(s.value, ir.Name) and s.value.id not in self.borrowed:
                return [f"return Ok({_v(s.value.id)});"]  # moved out: the function ends here
            return [f"return Ok({self.val(s.value)});"]
        if isinstance(s, ir.Break):
            label, else_label = self.loops[-1]
            return [f"break {else_label or label};"]
        if isinstance(s, ir.Continue):
            return [f"continue {self.loops[-1][0]};"]
        if isinstance(s, ir.Pass):
            return []
        if isinstance(s, ir.Raise):
            if s.message is None:
                return [f"return Err(rt::RtErr::RaiseBare(rt::Exc::{s.exc}));"]
            msg = f"({self.ref(s.message)}).to_string()"
            return [f"return Err(rt::RtErr::Raise(rt::Exc::{s.exc}, {msg}));"]
        if isinstance(s, ir.Assert):
            msg = "String::new()" if s.message is None else f"({self.ref(s.message)}).to_string()"
            return [
                f"if !{self.val(s.test)} {{ return Err(rt::RtErr::Raise(rt::Exc::AssertionError, {msg})); }}"
            ]
        raise AssertionError(f"statement {s}")

    def _loop_with_else(self, s: ir.While | ir.For, emit: Callable[[str], list[str]]) -> list[str]:
        label = f"'l{self.tmp('')[2:]}"
        else_label = f"'b{self.tmp('')[2:]}" if s.orelse else None
        self.loops.append((label, else_label))
        try:
            lines = emit(label)
        finally:
            self.loops.pop()
        if else_label is None:
            return lines
        # for/while-else: the else block runs unless the loop was left by `break`.
        return [f"{else_label}: {{", *lines, *self.block(s.orelse, 1), "}"]


def _iter_names(it: ir.Iter) -> set[str]:
    return {n for e in ir.iter_exprs(it) for n in _names_in(e)}


def _names_in(e: ir.Expr) -> set[str]:
    return {x.id for x in ir.subexprs(e) if isinstance(x, ir.Name)}


def _rebound_names(body: tuple[ir.Stmt, ...], callees: Mapping[str, ir.Function]) -> set[str]:
    """Locals assigned or changed in place anywhere in ``body`` (iterating them by
    reference would conflict with Rust's borrow rules)."""
    out: set[str] = set()

    def names(t: ir.Target) -> None:
        if isinstance(t, ir.TName):
            out.add(t.id)
        elif isinstance(t, ir.TTuple):
            for x in t.elts:
                names(x)

    for s in ir.walk_stmts(body):
        if isinstance(s, (ir.Assign, ir.For)):
            names(s.target)
        for place in ir.changed_in_place(s, callees):
            root, _ = ir.root(place)
            if root:
                out.add(root)
    return out
