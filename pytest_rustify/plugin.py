"""The pytest hook layer: options, the marker, the fixtures. Thin: read, delegate, return.

Nothing here runs unless ``--rustify`` (or ``rustify = true`` in ``[tool.rustify]``) is
on; the session module and the stages are imported only then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from .errors import RustifyUsageError
from .options import load_options

if TYPE_CHECKING:
    from .session import Rustified, RustifySession

SESSION_KEY: pytest.StashKey[RustifySession] = pytest.StashKey()


MARKER_HELP = (
    "rustify(*targets, min_speedup=None, rtol=0.0, atol=0.0): with --rustify, run this test "
    "again as [rust] against the Rust build of its hot functions (and of the named "
    "'pkg.mod:func' targets), and check parity on the calls it made"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("rustify", "Rust acceleration gate (pytest-rustify)")
    add = group.addoption
    add(
        "--rustify",
        action="store_true",
        default=None,
        help="Profile the session, translate hot functions to Rust, check parity and speedup",
    )
    add(
        "--rustify-target",
        action="append",
        default=None,
        metavar="MOD:FUNC",
        help="Add a target function even if it is not hot (repeatable)",
    )
    add(
        "--rustify-threshold",
        default=None,
        metavar="PCT",
        help="Hotspot threshold, percent of session or test time (default 5)",
    )
    add(
        "--rustify-profiler",
        default=None,
        metavar="auto|py-spy|cprofile|off",
        help="How the Python phase is profiled (default auto: py-spy, else cProfile)",
    )
    add(
        "--rustify-min-speedup",
        default=None,
        metavar="X",
        help="Gate: every accelerated target must reach this speedup",
    )
    add(
        "--rustify-baseline",
        default=None,
        metavar="FILE",
        help="Compare speedups to this baseline (JSON)",
    )
    add(
        "--rustify-save-baseline",
        default=None,
        metavar="FILE",
        help="Store this run's speedups as a baseline (JSON)",
    )
    add(
        "--rustify-max-regression",
        default=None,
        metavar="F",
        help="Gate: allowed relative drop of a speedup against the baseline",
    )
    add(
        "--rustify-mode",
        default=None,
        metavar="fail|annotate",
        help="Whether gate failures fail the session or only annotate it (default fail)",
    )
    add("--rustify-json", default=None, metavar="FILE", help="Write the JSON report (version 1)")
    add("--rustify-markdown", default=None, metavar="FILE", help="Write the markdown report")
    add("--rustify-junit", default=None, metavar="FILE", help="Write the JUnit XML report")
    add(
        "--rustify-benchmark-json",
        default=None,
        metavar="FILE",
        help="Write the speedups in pytest-benchmark's JSON format",
    )
    add(
        "--rustify-emit",
        default=None,
        metavar="DIR",
        help="Write the generated crate as a standalone maturin project",
    )
    add(
        "--rustify-cache-dir",
        default=None,
        metavar="DIR",
        help="Build cache directory (default: inside pytest's cache directory)",
    )
    add(
        "--rustify-require",
        action="store_true",
        default=None,
        help="Fail instead of skipping [rust] items when the Rust toolchain or build fails",
    )
    add(
        "--rustify-measure-seconds",
        default=None,
        metavar="S",
        help="Time budget for measuring each target's speedup (default 0.5)",
    )
    add(
        "--rustify-build-timeout",
        default=None,
        metavar="SECONDS",
        help="Stop the Rust build (maturin, cargo, rustc) after this long (default 900)",
    )


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    from . import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


def pytest_configure(config: pytest.Config) -> None:
    """Registers the marker always (so it is inert without --rustify) and, when enabled,
    the session object as a plugin."""
    config.addinivalue_line("markers", MARKER_HELP)
    pyproject = config.rootpath / "pyproject.toml"
    try:
        options = load_options(config.getoption, pyproject=pyproject, rootdir=config.rootpath)
    except RustifyUsageError as exc:
        raise pytest.UsageError(str(exc)) from None
    if not options.enabled:
        return
    distributed = _xdist_controller(config)
    dist = config.getoption("dist", "no")
    if (distributed or hasattr(config, "workerinput")) and dist not in ("load", "no"):
        raise pytest.UsageError(
            f"--rustify with pytest-xdist needs --dist load (what -n uses by default), not "
            f"--dist {dist}: the [rust] items must be sent after every other item, which "
            "only load scheduling keeps."
        )
    from .session import RustifySession

    try:
        session = RustifySession(config, options, distributed=distributed)
    except RustifyUsageError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[SESSION_KEY] = session
    config.pluginmanager.register(session, "rustify-session")


def _xdist_controller(config: pytest.Config) -> bool:
    """Whether this process is the controller of a pytest-xdist run (it runs no item)."""
    if hasattr(config, "workerinput"):
        return False
    dist = config.getoption("dist", "no")
    return dist not in (None, "no") and bool(config.getoption("numprocesses", None))


def pytest_unconfigure(config: pytest.Config) -> None:
    session = config.stash.get(SESSION_KEY, None)
    if session is not None:
        session.close()
        config.pluginmanager.unregister(session)
        del config.stash[SESSION_KEY]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Check the marker's arguments at collection, naming the test, even without --rustify."""
    if metafunc.config.stash.get(SESSION_KEY, None) is not None:
        return  # the session checks and parametrizes
    from .markers import parse_markers

    marks = list(metafunc.definition.iter_markers("rustify"))
    if marks:
        try:
            parse_markers(marks, metafunc.definition.nodeid)
        except RustifyUsageError as exc:
            raise pytest.UsageError(str(exc)) from None


@pytest.fixture(scope="session")
def rustified(request: pytest.FixtureRequest) -> Rustified:
    """The Rust builds of this session's targets: ``rustified["pkg.mod:func"]``."""
    session = request.config.stash.get(SESSION_KEY, None)
    if session is None:
        pytest.skip("the rustified fixture needs --rustify")
    return session.rustified()


@pytest.fixture
def _rustify_variant(request: pytest.FixtureRequest) -> Any:
    """Which implementation a marked test runs against: "python" or "rust"."""
    return request.param
