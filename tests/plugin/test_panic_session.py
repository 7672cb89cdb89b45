"""A Rust panic inside an accelerated function, provoked in a real session: the
``pytest_rustify_crate_sources`` hook puts a ``panic!`` into the generated crate.

Whether the panic happens in the translated body (caught by the dispatcher), in the
dispatcher itself (PyO3 turns it into ``pyo3_runtime.PanicException``, a
``BaseException``), or while the GIL is released for a long call, the process goes on:
parity replay reports a mismatch naming the call and the panic message, the ``[rust]``
item fails with it, the other items pass, and the reports are written.
"""

from __future__ import annotations

from typing import Any

import pytest

TESTS = """
import pytest
from kernel import smooth


@pytest.mark.rustify
def test_smooth():
    xs = [float(i % 7) for i in range({n})]
    assert len(smooth(xs, 8)) == {n} - 7


def test_plain():
    assert smooth([1.0, 3.0], 2) == [2.0]
"""

# The generated body of the translated function is replaced by a panic.
PANIC_IN_BODY = """
def pytest_rustify_crate_sources(config, sources):
    lib = sources["src/lib.rs"]
    start = lib.index("{", lib.index("fn impl_smooth(")) + 1
    sources["src/lib.rs"] = (
        lib[:start] + '\\n    panic!("hostile window {}", v_window);\\n' + lib[start:]
    )
"""

# A panic in the dispatcher, before its own catch_unwind: PyO3 raises PanicException.
PANIC_IN_DISPATCHER = """
def pytest_rustify_crate_sources(config, sources):
    lib = sources["src/lib.rs"]
    start = lib.index("{", lib.index("fn py_smooth(")) + 1
    sources["src/lib.rs"] = (
        lib[:start] + '\\n    if args.len() > 0 { panic!("dispatcher gave up"); }\\n' + lib[start:]
    )
"""


def _smooth(report: dict[str, Any]) -> dict[str, Any]:
    (f,) = [f for f in report["functions"] if f["target"] == "kernel:smooth"]
    return f


@pytest.mark.parametrize(
    ("n", "where"),
    [(400, "GIL held"), (4000, "GIL released")],  # 4000 x 8 passes rt::RELEASE_WORK
)
def test_a_panic_in_the_body_fails_the_rust_item_with_its_message(
    kernel: pytest.Pytester, run_rustify: Any, n: int, where: str
) -> None:
    kernel.makepyfile(test_kernel=TESTS.format(n=n))
    kernel.makeconftest(PANIC_IN_BODY)
    result, report = run_rustify("-v")
    assert result.ret == pytest.ExitCode.TESTS_FAILED, where
    result.assert_outcomes(passed=2, failed=1)
    out = result.stdout.str()
    result.stdout.fnmatch_lines(["*FAILED test_kernel.py::test_smooth[[]rust[]]*"])
    assert "parity failed for kernel:smooth" in out, out
    # The failure names the call and carries the panic message.
    assert "first: smooth([0.0, 1.0, " in out, out
    assert "Rust panic in smooth: hostile window 8" in out, out
    f = _smooth(report)
    assert f["status"] == "parity_failed"
    assert f["parity"]["mismatches"] == f["parity"]["calls"] > 0
    assert report["summary"]["parity_failures"] == 1
    assert "Fatal Python error" not in result.stderr.str()


def test_a_panic_in_the_dispatcher_is_a_pyo3_panic_exception(
    kernel: pytest.Pytester, run_rustify: Any
) -> None:
    kernel.makepyfile(test_kernel=TESTS.format(n=400))
    kernel.makeconftest(PANIC_IN_DISPATCHER)
    result, report = run_rustify("-v")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=2, failed=1)
    out = result.stdout.str()
    result.stdout.fnmatch_lines(["*FAILED test_kernel.py::test_smooth[[]rust[]]*"])
    assert "parity failed for kernel:smooth" in out, out
    assert "got pyo3_runtime.PanicException" in out and "dispatcher gave up" in out, out
    f = _smooth(report)
    assert f["status"] == "parity_failed"
    assert f["parity"]["mismatches"] == f["parity"]["calls"] > 0
    assert "Fatal Python error" not in result.stderr.str()


def test_a_panic_inside_a_rust_item_fails_it_with_the_message(
    kernel: pytest.Pytester, run_rustify: Any
) -> None:
    # Phase 1 never makes the panicking call, so parity passes; the swapped-in Rust then
    # panics inside the [rust] item itself.
    kernel.makepyfile(
        test_kernel="""
        import pytest
        from kernel import smooth


        @pytest.mark.rustify
        def test_smooth(request):
            xs = [float(i % 7) for i in range(400)]
            assert len(smooth(xs, 8)) == 393
            if request.node.name.endswith("[rust]"):
                assert smooth([1.0, 2.0, 3.0, 4.0], 3) == [2.0, 3.0]
        """
    )
    kernel.makeconftest(
        PANIC_IN_BODY.replace("panic!(", "if v_window == 3 { panic!(").replace(
            "v_window);", "v_window); }"
        )
    )
    result, report = run_rustify("-v")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*FAILED test_kernel.py::test_smooth[[]rust[]]*"])
    out = result.stdout.str()
    assert "RuntimeError: Rust panic in smooth: hostile window 3" in out, out
    f = _smooth(report)
    assert f["status"] == "accelerated" and f["parity"]["mismatches"] == 0
    assert "Fatal Python error" not in result.stderr.str()
