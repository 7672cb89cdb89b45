"""Nothing left behind: after every ``[rust]`` item, and after a session that failed or
was interrupted, every name the user's function was bound to holds the Python original
again, and no recording wrapper of phase 1 remains.

The inner sessions run in this process (``runpytest_inprocess``), so the test can look at
the inner project's module objects afterwards; a small plugin keeps them, since pytester
takes them out of ``sys.modules`` when the inner run ends. All scenarios build the same
crate, so the shared build cache serves it after the first.
"""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path
from typing import Any

import pytest

KERNEL = """
def total(xs: list[float]) -> float:
    s = 0.0
    for x in xs:
        s += x * x
    return s
"""

# Another module holds the function under another name.
HELPERS = """
from mymod import total as kernel
"""

# Imported only while a test runs, after phase 1 has put its recording wrappers in place.
LATE = """
from mymod import total
"""

# Checks after every [rust] item that each binding is the original again; the [rust]
# test itself checks that the Rust build stood in every place while it ran.
CONFTEST = """
import os
import sys

import pytest

import mymod

ORIGINAL = mymod.total
PROJECT = os.path.dirname(os.path.abspath(__file__))


def project_modules():
    return {
        name: m
        for name, m in list(sys.modules.items())
        if isinstance(getattr(m, "__file__", None), str)
        and os.path.abspath(m.__file__).startswith(PROJECT + os.sep)
    }


def misplaced():
    return sorted(
        f"{name}.{attr}: {value!r}"
        for name, m in project_modules().items()
        for attr, value in list(vars(m).items())
        if value is not ORIGINAL
        and (getattr(value, "__rustify_recording__", False) or getattr(value, "__name__", None) == "total")
    )


def bound():
    return sorted(
        f"{name}.{attr}"
        for name, m in project_modules().items()
        for attr, value in list(vars(m).items())
        if value is ORIGINAL
    )


@pytest.fixture(autouse=True)
def restored_after_rust(request):
    yield
    if request.node.name.endswith("[rust]"):
        assert misplaced() == [], "not restored after " + request.node.name
"""

TESTS = """
import pytest

import helpers
import mymod
from mymod import total
from mymod import total as tot

from conftest import ORIGINAL


def test_late_import():
    import late

    assert late.total([3.0]) == 9.0


@pytest.mark.rustify
def test_total(request):
    import late

    for n in range(200):
        m = n % 30
        assert total([float(i) for i in range(m)]) == (m - 1) * m * (2 * m - 1) / 6
    if request.node.name.endswith("[rust]"):
        swapped = [total, tot, mymod.total, helpers.kernel, late.total]
        assert all(type(f).__name__ == "builtin_function_or_method" for f in swapped), swapped
"""

# Bound to the original in the inner project once its session is over (and more, by the
# test modules a scenario adds).
BINDINGS = {"helpers.kernel", "late.total", "mymod.total", "test_mod.tot", "test_mod.total"}


class KeepModules:
    """Keeps the inner project's modules (pytester drops them from ``sys.modules``)."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.modules: dict[str, types.ModuleType] = {}

    def _keep(self) -> None:
        for name, mod in list(sys.modules.items()):
            path = getattr(mod, "__file__", None)
            if isinstance(path, str) and os.path.abspath(path).startswith(self.root + os.sep):
                self.modules[name] = mod

    def pytest_collection_finish(self) -> None:
        self._keep()

    def pytest_runtest_logfinish(self) -> None:
        self._keep()

    def misplaced(self) -> list[str]:
        """Names still bound to a recording wrapper or a Rust build of ``total``."""
        original = self.modules["conftest"].ORIGINAL
        return sorted(
            f"{name}.{attr}: {value!r}"
            for name, m in self.modules.items()
            for attr, value in vars(m).items()
            if value is not original
            and (
                getattr(value, "__rustify_recording__", False)
                or getattr(value, "__name__", None) == "total"
            )
        )

    def bound(self) -> list[str]:
        original = self.modules["conftest"].ORIGINAL
        return sorted(
            f"{name}.{attr}"
            for name, m in self.modules.items()
            for attr, value in vars(m).items()
            if value is original
        )


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(mymod=KERNEL, helpers=HELPERS, late=LATE, test_mod=TESTS)
    pytester.makeconftest(CONFTEST)
    pytester.syspathinsert()
    return pytester


@pytest.fixture
def run_inprocess(project: pytest.Pytester, rustify_cache: Path, toolchain: None) -> Any:
    """Run an inner --rustify session in this process; returns (result, kept modules)."""

    def run(*args: str) -> tuple[pytest.RunResult, KeepModules]:
        keep = KeepModules(project.path)
        result = project.runpytest_inprocess(
            "--rustify",
            "--rustify-profiler=cprofile",
            f"--rustify-cache-dir={rustify_cache}",
            "--rustify-measure-seconds=0.05",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "-rA",
            *args,
            plugins=[keep],
            no_reraise_ctrlc=True,
        )
        return result, keep

    return run


def assert_restored(keep: KeepModules) -> None:
    assert keep.misplaced() == []
    assert BINDINGS <= set(keep.bound()), keep.bound()


def test_every_binding_is_the_original_after_each_rust_item(
    project: pytest.Pytester, run_inprocess: Any
) -> None:
    project.makepyfile(
        test_second_phase="""
        import mymod
        from conftest import ORIGINAL, misplaced

        def test_compiled(rustified):
            assert rustified["mymod:total"]([1.0, 2.0]) == 5.0
            assert mymod.total is ORIGINAL
            assert misplaced() == []
        """
    )
    result, keep = run_inprocess("-v")
    result.assert_outcomes(passed=4)
    # Phase 1, then the [rust] item (checked by the conftest's fixture after it), then a
    # test of the second phase that checks again.
    result.stdout.fnmatch_lines(
        [
            "*test_mod.py::test_late_import PASSED*",
            "*test_mod.py::test_total?python? PASSED*",
            "*test_mod.py::test_total?rust? PASSED*",
            "*test_second_phase.py::test_compiled PASSED*",
        ]
    )
    assert_restored(keep)


def test_keyboard_interrupt_in_a_rust_item(project: pytest.Pytester, run_inprocess: Any) -> None:
    project.makepyfile(
        test_stop="""
        import pytest
        from mymod import total

        @pytest.mark.rustify("mymod:total")
        def test_stop(request):
            assert total([2.0]) == 4.0
            if request.node.name.endswith("[rust]"):
                assert type(total).__name__ == "builtin_function_or_method"
                raise KeyboardInterrupt
        """
    )
    result, keep = run_inprocess()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*KeyboardInterrupt*"])
    assert_restored(keep)


def test_pytest_exit_in_a_rust_item(project: pytest.Pytester, run_inprocess: Any) -> None:
    project.makepyfile(
        test_stop="""
        import pytest
        from mymod import total

        @pytest.mark.rustify("mymod:total")
        def test_stop(request):
            assert total([2.0]) == 4.0
            if request.node.name.endswith("[rust]"):
                assert type(total).__name__ == "builtin_function_or_method"
                pytest.exit("enough of this", returncode=3)
        """
    )
    result, keep = run_inprocess()
    assert result.ret == 3
    result.stdout.fnmatch_lines(["*Exit: enough of this*"])
    assert_restored(keep)


def test_an_exception_between_the_phases(project: pytest.Pytester, run_inprocess: Any) -> None:
    project.makeconftest(
        CONFTEST
        + """

def pytest_rustify_crate_sources(config, sources):
    raise RuntimeError("the crate hook broke")
"""
    )
    result, keep = run_inprocess()
    # Not an INTERNALERROR that ends the session: the [rust] item fails with the error.
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "rustify: WARNING: an unexpected error stopped pytest-rustify between the phases: "
            "RuntimeError: the crate hook broke; the ?rust? items and the session fail",
            '*conftest.py", line *, in pytest_rustify_crate_sources',
            "*= rustify =*",
            "build: failed after *",
            "*TIP: if the traceback ends in a pytest_rustify_* hook of your conftest, fix*",
            "FAILED test_mod.py::test_total?rust? - Failed: pytest-rustify: an unexpected*",
        ]
    )
    assert "INTERNALERROR" not in result.stdout.str()
    assert_restored(keep)


def test_x_stops_in_the_middle_of_phase_two(project: pytest.Pytester, run_inprocess: Any) -> None:
    project.makepyfile(
        test_second="""
        import pytest
        from mymod import total

        @pytest.mark.rustify("mymod:total")
        def test_fails_in_rust(request):
            assert total([2.0]) == 4.0
            assert type(total).__name__ == "function", "fails in rust"

        @pytest.mark.rustify("mymod:total")
        def test_never_reached(request):
            assert total([3.0]) == 9.0
        """
    )
    result, keep = run_inprocess("-x", "-v")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        ["*test_fails_in_rust?rust? FAILED*", "*stopping after 1 failures*"]
    )
    assert "test_never_reached[rust]" not in result.stdout.str()
    assert_restored(keep)


def test_a_fixture_teardown_error_after_a_rust_item(
    project: pytest.Pytester, run_inprocess: Any
) -> None:
    project.makepyfile(
        test_teardown="""
        import pytest
        from mymod import total

        @pytest.fixture
        def resource(request):
            yield
            if request.node.name.endswith("[rust]"):
                raise RuntimeError("teardown broke")

        @pytest.mark.rustify("mymod:total")
        def test_with_resource(resource, request):
            assert total([2.0]) == 4.0
            if request.node.name.endswith("[rust]"):
                assert type(total).__name__ == "builtin_function_or_method"
        """
    )
    result, keep = run_inprocess()
    result.assert_outcomes(passed=5, errors=1)
    result.stdout.fnmatch_lines(["*RuntimeError: teardown broke*"])
    assert_restored(keep)
