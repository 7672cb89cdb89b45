"""Reading the generated crate back: which target and Python line a place in
``src/lib.rs`` comes from, and the crate without some targets."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable

from pytest_rustify.source import translate_callable
from pytest_rustify.translate import ir
from pytest_rustify.translate.rust import generate_crate
from pytest_rustify.translate.rust_layout import LIB, locate, without_targets

# -- the functions translated (module level: the translator reads them from this file) --


def sumsq(xs: list[float]) -> float:
    s = 0.0
    for x in xs:
        s += x * x
    return s


def scale(xs: list[float], k: float) -> list[float]:
    return [x * k for x in xs]


def _translate(fn: Callable[..., object]) -> ir.Function:
    line = inspect.getsourcelines(fn)[1]
    result = translate_callable(f"test_rust_layout:{fn.__name__}", fn, "t.py", line, [])
    assert isinstance(result, ir.Function), result
    return result


def _crate() -> dict[str, str]:
    return generate_crate(ir.Module((_translate(sumsq), _translate(scale)), sys.version_info[:2]))


def _line_of(lib: str, text: str, after: str = "") -> int:
    lines = lib.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i in range(start, len(lines)) if text in lines[i]) + 1


def _py_line(text: str) -> int:
    source = inspect.getsource(sys.modules[__name__]).splitlines()
    return next(i for i, line in enumerate(source, start=1) if line.strip() == text)


def test_a_statement_maps_to_its_python_line() -> None:
    lib = _crate()[LIB]
    origin = locate(lib, _line_of(lib, "return Ok(", after="fn impl_sumsq"))
    assert origin is not None
    assert (origin.name, origin.target, origin.file) == ("sumsq", "test_rust_layout:sumsq", "t.py")
    assert origin.exact and origin.line == _py_line("return s")
    inner = locate(lib, _line_of(lib, "v_s = (v_s", after="fn impl_sumsq"))
    assert inner is not None and inner.line == _py_line("s += x * x")


def test_a_signature_or_dispatcher_maps_to_the_def_line() -> None:
    lib = _crate()[LIB]
    def_line = inspect.getsourcelines(scale)[1]
    for text in ("fn impl_scale(", "const PARAMS", "Rust panic in scale"):
        origin = locate(lib, _line_of(lib, text, after="mod target_scale"))
        assert origin is not None, text
        assert (origin.name, origin.line, origin.exact) == ("scale", def_line, False), text


def test_the_shared_parts_belong_to_no_target() -> None:
    lib = _crate()[LIB]
    assert locate(lib, _line_of(lib, "fn fallback_call(")) is None
    assert locate(lib, _line_of(lib, "#[pymodule]")) is None
    assert locate(lib, _line_of(lib, "m.add_function(wrap_pyfunction!(target_scale")) is None
    assert locate(lib, 0) is None and locate(lib, 10**6) is None


def test_without_targets_drops_the_module_and_its_registration_only() -> None:
    sources = _crate()
    lib = sources[LIB]
    left = without_targets(sources, {"sumsq"})
    assert left["src/rt.rs"] == sources["src/rt.rs"]
    rest = left[LIB]
    assert "mod target_sumsq" not in rest and "fn impl_sumsq" not in rest
    assert "target_sumsq::py_sumsq" not in rest and 'set_item("sumsq"' not in rest
    assert "mod target_scale" in rest and "target_scale::py_scale" in rest
    # Every line that stays is kept as it was, in order.
    kept = iter(lib.splitlines())
    assert all(any(line == other for other in kept) for line in rest.splitlines())
    # The slots of the dropped target stay, so the other dispatchers' indices hold.
    assert "const N_FUNCS: usize = 2;" in rest
