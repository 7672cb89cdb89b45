"""RustifySession: the stateful plugin object that runs the pipeline in one pytest session.

Phase 1 (the ordinary items): profile each test's call and record calls of the user's
functions. Between the phases (before the first ``[rust]`` item, or at the end of the
session when there is none): select, translate, build, compare, measure, gate. Phase 2
(the ``[rust]`` items): swap the Rust builds in wherever the targets are referenced,
run the test, put the originals back. At the end: reports.

Every stage is a function of ``pytest_rustify.<stage>``; this module only sequences them
and keeps their results. It is registered as a plugin in ``pytest_configure`` when
``--rustify`` is on, and unregistered in ``pytest_unconfigure``.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import platform
import shutil
import sys
import sysconfig
import tempfile
import time
import traceback
import types
import uuid
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy
import pytest

from ._fs import write_atomic
from .baseline import Baseline, load_baseline, save_baseline
from .errors import REPORT_BUGS_AT, Refusal
from .markers import Marker, parse_markers
from .observe import CallRecorder, Observations
from .options import RustifyOptions
from .parallel import Arrival, Handoff, Meeting, ParallelError, merge_arrivals, portable
from .profile import FuncKey, Profile, Profiler, TestKey, start_profiler
from .report import model
from .swap import Swap, module_namespaces

# What runs between the phases (translation, build, comparison, measurement) is imported
# there: importing the translator costs more than a small suite's whole phase 1, and its
# objects would make every garbage collection of phase 1 slower.
if TYPE_CHECKING:
    from .between import Building
    from .results import Prepared, TargetResult

VARIANT = "_rustify_variant"
PYSPY_RATE = 500
RECORDS_PER_SHAPE = 3
_SITE_PARTS = {"site-packages", "dist-packages", ".venv", "venv", ".tox", ".nox", "__pypackages__"}


class RustifySession:
    def __init__(
        self, config: pytest.Config, options: RustifyOptions, *, distributed: bool = False
    ) -> None:
        """:param distributed: this is the controller of an xdist run."""
        self.config = config
        self.options = options
        self.rootdir = Path(config.rootpath)
        self.cache_dir = self._cache_dir()
        self.profiler: Profiler | None = None
        # A few records of each shape of call in each test: a test's loop of alike calls
        # adds little evidence after the first records, and each record snapshots the
        # arguments twice; the edge cases after the loop are shapes of their own.
        self.recorder = CallRecorder(per_shape=RECORDS_PER_SHAPE)
        self.recording_swap = Swap()
        self.originals: dict[str, Callable[..., object]] = {}  # target -> function
        self.wrapped_modules: set[str] = set()
        self._passed_modules: dict[str, object] = {}  # name -> module that is not user code
        self.markers: dict[TestKey, Marker] = {}
        self.nodeids: dict[TestKey, str] = {}
        self.test_keys: set[TestKey] = set()
        self.prepared: Prepared | None = None
        self.report: model.RunReport | None = None
        self._markdown = ""
        self._functions_index: dict[FuncKey, tuple[str, str, int]] | None = None
        self._asts: dict[str, ast.Module] = {}
        # pytest-benchmark medians of marked tests: test key -> {"python": s, "rust": s}
        self.benchmarks: dict[TestKey, dict[str, float]] = {}
        # Set when pytest is interrupted (Ctrl-C, pytest.exit, collection errors).
        self.interrupted: str | None = None
        # Set when pytest stops early (-x, --maxfail, --sw).
        self.stopped: str | None = None
        self._temporary_cache: Path | None = None
        self.baseline: Baseline | None = (
            load_baseline(options.baseline) if options.baseline is not None else None
        )
        # Under xdist the workers run the pipeline (see parallel.py) and the controller,
        # which runs no item, writes the reports from what they hand it.
        self.positions: dict[str, int] = {}  # nodeid -> position in the collection
        self.meeting: Meeting | None = None
        self.controller_dir: Path | None = None  # the controller's: where workers meet
        workerinput = getattr(config, "workerinput", None)
        if workerinput is not None:
            self.meeting = Meeting(
                Path(str(workerinput["rustify_run_dir"])),
                worker=str(workerinput["workerid"]),
                workers=int(workerinput["workercount"]),
                say=self._say,
            )
        elif distributed:
            self.controller_dir = self._meeting_dir(uuid.uuid4().hex)

    # -- paths --------------------------------------------------------------------

    def _cache_dir(self) -> Path:
        if self.options.cache_dir is not None:
            return self.options.cache_dir
        cache = getattr(self.config, "cache", None)
        if cache is not None:
            return Path(cache.mkdir("rustify"))
        return self.rootdir / ".rustify"

    def _meeting_dir(self, run: str) -> Path:
        """Where the workers of an xdist run meet: in the cache, or when it cannot be
        written, in a temporary directory; the controller removes it at the end."""
        from .build import cache_problem

        if cache_problem(self.cache_dir):
            return Path(tempfile.gettempdir()) / f"pytest-rustify-{run}"
        return self.cache_dir / "xdist" / run

    def _controller_meeting(self, run_dir: Path) -> Meeting:
        return Meeting(run_dir, worker="controller", workers=0, say=self._say)

    def _uncached_dir(self) -> Path:
        """Where to build when the cache cannot be written. An xdist worker builds in the
        run's meeting directory, which outlives it (the others load that build), and the
        controller removes; a session on its own, in a temporary directory removed in
        close()."""
        if self.meeting is not None:
            path = self.meeting.run_dir / "uncached"
            path.mkdir(parents=True, exist_ok=True)
            return path
        self._temporary_cache = Path(tempfile.mkdtemp(prefix="pytest-rustify-"))
        return self._temporary_cache

    def _say(self, msg: str) -> None:
        tr = self.config.pluginmanager.getplugin("terminalreporter")
        if tr is not None:
            tr.write_line(f"rustify: {msg}")

    def is_user_file(self, path: str) -> bool:
        """The user's own code or tests: under the rootdir, not installed packages, not us."""
        p = os.path.abspath(path)
        root = str(self.rootdir)
        if not (p == root or p.startswith(root + os.sep)):
            return False
        parts = set(Path(p).relative_to(self.rootdir).parts)
        if parts & _SITE_PARTS:
            return False
        return not p.startswith(os.path.dirname(__file__) + os.sep)

    def is_code_file(self, path: str) -> bool:
        """User code that can hold targets: user files that are not tests or conftests."""
        if not self.is_user_file(path):
            return False
        name = os.path.basename(path)
        return not (name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"))

    def relpath(self, path: str) -> str:
        try:
            return str(Path(path).resolve().relative_to(self.rootdir))
        except ValueError:
            return path

    # -- collection -----------------------------------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Parametrize marked tests into [python] and [rust]; trylast, so the test's own
        parameters come first in the id (``test_x[3-rust]``)."""
        marks = list(metafunc.definition.iter_markers("rustify"))
        if not marks:
            return
        key = _test_key(metafunc.function)
        self.markers[key] = parse_markers(marks, metafunc.definition.nodeid)
        metafunc.fixturenames.append(VARIANT)
        metafunc.parametrize(VARIANT, ["python", "rust"], indirect=True, ids=["python", "rust"])

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Order every ``[rust]`` item (and every test using ``rustified``) after all
        Python items, so the build sees the whole phase-1 profile."""
        self.test_keys = {_item_key(i) for i in items}
        for item in items:
            if _variant(item) is not None:
                self.nodeids.setdefault(
                    _item_key(item), item.nodeid.replace("[python]", "").replace("-python]", "]")
                )
        second = [i for i in items if _second_phase(i)]
        items[:] = [i for i in items if not _second_phase(i)] + second
        self.positions = {item.nodeid: n for n, item in enumerate(items)}

    # -- xdist: the controller ------------------------------------------------------------

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        if self.controller_dir is not None:
            node.workerinput["rustify_run_dir"] = str(self.controller_dir)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        raw = getattr(node, "workeroutput", {}).get("rustify_benchmarks")
        if isinstance(raw, str):
            for key, runs in json.loads(raw):
                self.benchmarks.setdefault((key[0], key[1]), {}).update(runs)

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        if self.controller_dir is not None:
            return  # the workers run the items, and profile them
        self.profiler = start_profiler(
            self.options.profiler,  # type: ignore[arg-type]
            workdir=self.cache_dir / "profile",
            rate=PYSPY_RATE,
        )

    # -- running items ----------------------------------------------------------------

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_protocol(
        self, item: pytest.Item, nextitem: pytest.Item | None
    ) -> Generator[None, object, object]:
        if _second_phase(item) and self.prepared is None:
            capman = self.config.pluginmanager.getplugin("capturemanager")
            with capman.global_and_fixture_disabled() if capman else nullcontext():
                self.prepare()
        return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, object, object]:
        bench = _benchmark_fixture(item)
        variant = _variant(item)
        if bench is not None and variant is not None:
            # Side by side in one pytest-benchmark group.
            bench.group = f"rustify: {self.nodeids.get(_item_key(item), item.name)}"
        try:
            if variant == "rust":
                return (yield from self._run_rust_item(item))
            return (yield from self._run_python_item(item))
        finally:
            median = _benchmark_median(bench)
            if median is not None and variant is not None:
                self.benchmarks.setdefault(_item_key(item), {})[variant] = median

    def _run_python_item(self, item: pytest.Item) -> Generator[None, object, object]:
        if (
            self.prepared is not None
            or self.profiler is None
            or not isinstance(item, pytest.Function)
        ):
            return (yield)
        key = _item_key(item)
        self._install_recorders()
        self.recorder.begin_test(self.positions.get(item.nodeid, -1))
        # pytest-benchmark pauses a profiler by saving sys.getprofile() and restoring it
        # with sys.setprofile(), which a cProfile.Profile cannot survive; a benchmarked
        # test's shares come from the observe stage's timing instead.
        profiled = not (self.profiler.name == "cprofile" and _benchmark_fixture(item) is not None)
        if profiled:
            self.profiler.begin_test(key)
        try:
            return (yield)
        finally:
            # The recorder's clock stops first: folding a cProfile's statistics takes
            # milliseconds, which would count against every function's share.
            self.recorder.end_test(key)
            if profiled:
                self.profiler.end_test(key)

    def _run_rust_item(self, item: pytest.Item) -> Generator[None, object, object]:
        prepared = self.prepared
        assert prepared is not None
        names = prepared.by_test.get(_item_key(item), [])
        results = [prepared.results[t] for t in names]
        if prepared.error is not None:
            pytest.fail(f"pytest-rustify: {prepared.error}", pytrace=False)
        if prepared.module is None:
            why = prepared.build.message or "see the summary"
            msg = f"pytest-rustify: the Rust build failed: {why}"
            if self.options.require:
                pytest.fail(msg, pytrace=False)
            pytest.skip(msg)
        left_out = [f"{r.target.target}: {r.build_failed}" for r in results if r.build_failed]
        if left_out:
            msg = "pytest-rustify: not built, " + "; ".join(left_out)
            if self.options.require:
                pytest.fail(msg, pytrace=False)
            pytest.skip(msg)
        from .results import parity_message

        for r in results:
            if r.parity is not None and not r.parity.passed:
                pytest.fail(parity_message(r), pytrace=False)
        swap = Swap()
        try:
            namespaces = module_namespaces(self.is_user_file)
            for r in prepared.results.values():
                if r.rust is not None and r.function is not None and r.status == "accelerated":
                    swap.replace(r.function, r.rust, namespaces)
            outcome = yield
        finally:
            # Modules the test imported are looked at too: they may have copied a build.
            swap.restore(module_namespaces(self.is_user_file))
        for r in results:
            if r.verdict is not None and not r.verdict.passed and self.options.mode == "fail":
                pytest.fail(f"{r.target.target}: " + "; ".join(r.verdict.reasons), pytrace=False)
        fell_back = [
            r.target.target for r in results if r.parity is not None and r.parity.all_fell_back
        ]
        if fell_back:
            item.user_properties.append(
                ("rustify", f"all calls fell back to Python: {', '.join(fell_back)}")
            )
        return outcome

    # -- recording (phase 1) -------------------------------------------------------

    def _install_recorders(self) -> None:
        """Wrap every module-level function of the user's code modules, once each."""
        # Runs before every test: the modules already looked at (a thousand, most of them
        # not the user's) are passed over by name, not checked path by path again.
        passed = self._passed_modules
        fresh = []
        for name, mod in list(sys.modules.items()):
            if name in self.wrapped_modules or passed.get(name) is mod:
                continue
            if (
                isinstance(mod, types.ModuleType)
                and isinstance(getattr(mod, "__file__", None), str)
                and self.is_code_file(mod.__file__)  # type: ignore[arg-type]
            ):
                fresh.append((name, mod))
            else:
                passed[name] = mod
        if not fresh:
            return
        namespaces = module_namespaces(self.is_user_file)
        for name, mod in fresh:
            self.wrapped_modules.add(name)
            for attr, value in list(vars(mod).items()):
                if not (isinstance(value, types.FunctionType) and value.__module__ == name):
                    continue
                if getattr(value, "__rustify_recording__", False):
                    continue
                target = f"{name}:{value.__name__}"
                if attr != value.__name__ or target in self.originals:
                    continue
                self.originals[target] = value
                self.recording_swap.replace(value, self.recorder.wrap(target, value), namespaces)
        self._functions_index = None

    def _remove_recorders(self) -> None:
        """The originals back in place of the recording wrappers, also where a module
        imported during phase 1 copied a wrapper (``from mod import f`` in a test)."""
        self.recording_swap.restore(module_namespaces(self.is_user_file))

    def _index(self) -> dict[FuncKey, tuple[str, str, int]]:
        if self._functions_index is None:
            self._functions_index = {}
            for target, fn in self.originals.items():
                code = fn.__code__
                key = (os.path.abspath(code.co_filename), code.co_name)
                self._functions_index[key] = (
                    target,
                    self.relpath(code.co_filename),
                    code.co_firstlineno,
                )
        return self._functions_index

    # -- between the phases ------------------------------------------------------------

    def prepare(self) -> Prepared:
        """Select, translate, build, compare, measure and gate; once per session.

        An unexpected exception (a bug of ours, or a ``pytest_rustify_*`` hook that
        raises) does not end the session: it becomes a failed build whose message
        carries the traceback, so the ``[rust]`` items fail with it and the reports are
        still written.
        """
        if self.prepared is not None:
            return self.prepared
        self._remove_recorders()
        profile = self._stop_profiler()
        if self.meeting is not None:
            return self._meet(self.meeting, profile)
        return self._prepare(profile, self.recorder.observations())

    def _arrive(self, meeting: Meeting, profile: Profile) -> None:
        """Leave this worker's phase 1 for the others (xdist)."""
        meeting.arrive(Arrival(meeting.worker, portable(self.recorder.observations()), profile))

    def _meet(self, meeting: Meeting, profile: Profile) -> Prepared:
        """An xdist worker: wait for the others' phase 1; the first prepares for all.

        A meeting that goes wrong (a worker's file unreadable, a hand-off that cannot be
        written or loaded) costs time, not the session: this worker then prepares alone."""
        self._arrive(meeting, profile)
        try:
            arrivals = meeting.everyone()
        except ParallelError as exc:
            self._say(f"WARNING: {exc}; this worker prepares from its own phase 1")
            arrivals = [Arrival(meeting.worker, portable(self.recorder.observations()), profile)]
        with meeting.turn() as handoff:
            if handoff is not None:
                try:
                    return self._adopt(handoff)
                except Exception as exc:
                    self._say(f"WARNING: cannot load the other worker's build ({exc}); building")
            observations, merged = merge_arrivals(arrivals, self.recorder.limits)
            prepared = self._prepare(merged, observations)
            try:
                meeting.hand_off(Handoff(_portable(prepared), prepared.build_result, self.nodeids))
            except Exception as exc:
                self._say(f"WARNING: cannot hand the results to the other workers ({exc})")
            return prepared

    def _adopt(self, handoff: Handoff) -> Prepared:
        """Take over what another worker prepared: its results, and its build, loaded here."""
        from . import between
        from . import build as build_stage

        prepared: Prepared = handoff.prepared
        self.prepared = prepared
        for target, r in prepared.results.items():
            r.function = self._function(target)
        built = handoff.build
        if built is not None and built.status != "failed":
            between.attach(prepared, build_stage.load_extension(built))
        return prepared

    def _prepare(self, profile: Profile, observations: Observations) -> Prepared:
        from .results import Prepared

        self.prepared = prepared = Prepared()
        start = time.monotonic()
        try:
            self._run_stages(prepared, profile, observations)
        except Exception as exc:
            prepared.error = _crash_message(exc)
            prepared.module = None
            prepared.build = model.BuildReport(
                "failed",
                round(time.monotonic() - start, 2),
                location=str(self.cache_dir),
                message=prepared.error,
            )
            for r in prepared.results.values():
                if r.refusal is None:
                    r.build_failed = prepared.error.splitlines()[0]
            self._warn(prepared.error, "the [rust] items and the session fail")
        return prepared

    def _warn(self, message: str, consequence: str) -> None:
        tr = self.config.pluginmanager.getplugin("terminalreporter")
        if tr is None:
            return
        first, *rest = message.splitlines()
        tr.write_line(f"rustify: WARNING: {first}; {consequence}", yellow=True, bold=True)
        for line in rest:
            tr.write_line(f"rustify:   {line}", yellow=True)

    def _run_stages(self, prepared: Prepared, profile: Profile, observations: Observations) -> None:
        from . import between
        from .results import TargetResult
        from .select import MarkedTest, hotspots, select_targets

        prepared.profile = profile
        index = self._index()

        def resolve(key: FuncKey) -> tuple[str, str, int] | None:
            return index.get((os.path.abspath(key[0]), key[1]))

        marked = [
            MarkedTest(key, self.nodeids.get(key, f"{key[0]}::{key[1]}"), m.named)
            for key, m in self.markers.items()
        ]
        targets = select_targets(
            profile,
            timed=observations.tests,
            marked=marked,
            named=self.options.targets,
            threshold=self.options.threshold,
            resolve=resolve,
            locate=self._locate,
        )
        prepared.hotspots = tuple(
            model.Hotspot(t, f, line, round(p, 1))
            for t, f, line, p in hotspots(profile, resolve, self.options.threshold)
        )
        for t in targets:
            prepared.results[t.target] = TargetResult(t, function=self._function(t.target))
        for m in marked:
            names = [
                t.target
                for t in targets
                if any(
                    r.endswith(f"of {m.nodeid}") or r == f"named by {m.nodeid}" for r in t.reasons
                )
            ]
            prepared.by_test[m.key] = names
            marker = self.markers[m.key]
            for name in names:
                r = prepared.results[name]
                r.rtol, r.atol = max(r.rtol, marker.rtol), max(r.atol, marker.atol)
                if marker.min_speedup is not None:
                    r.min_speedup = max(r.min_speedup or 0.0, marker.min_speedup)
        for r in prepared.results.values():
            if r.min_speedup is None:
                r.min_speedup = self.options.min_speedup
            self._translate(r, observations)
        between.build_targets(prepared, self._building())
        between.compare_and_measure(
            prepared, observations, options=self.options, baseline=self.baseline
        )

    def _building(self) -> Building:
        from . import between

        def crate_hook(sources: dict[str, str]) -> None:
            self.config.hook.pytest_rustify_crate_sources(config=self.config, sources=sources)

        return between.Building(
            cache_dir=self.cache_dir,
            options=self.options,
            say=self._say,
            warn=self._warn,
            crate_hook=crate_hook,
            uncached_dir=self._uncached_dir,
        )

    def _stop_profiler(self) -> Profile:
        profiler, self.profiler = self.profiler, None
        if profiler is None:
            return Profile(profiler="off", note="", total=0.0)
        tests = self.test_keys | set(self.markers)
        return profiler.stop(tests=tests, is_user_file=self.is_code_file)

    def _function(self, target: str) -> Callable[..., object] | None:
        if target in self.originals:
            return self.originals[target]
        mod_name, _, func = target.partition(":")
        try:
            mod = importlib.import_module(mod_name)
        except Exception:
            return None
        fn = getattr(mod, func, None)
        if isinstance(fn, types.FunctionType):
            self.originals[target] = fn
            return fn
        return None

    def _locate(self, target: str) -> tuple[str, int] | None:
        fn = self._function(target)
        if fn is None:
            return None
        code = fn.__code__
        return self.relpath(code.co_filename), code.co_firstlineno

    def _module_ast(self, path: str) -> ast.Module:
        from .source import parse_module

        if path not in self._asts:
            self._asts[path] = parse_module(path)
        return self._asts[path]

    def _translate(self, r: TargetResult, observations: Observations) -> None:
        from .source import translate_callable

        t = r.target
        fn = r.function
        if fn is None:
            r.refusal = Refusal(
                "not-found",
                f"{t.target} is not a module-level function that can be imported",
                t.file,
                t.line,
            )
            return
        result = translate_callable(
            t.target, fn, t.file, t.line, observations[t.target].calls, parse=self._module_ast
        )
        if isinstance(result, Refusal):
            r.refusal = result
        else:
            r.translation = result

    # -- the end --------------------------------------------------------------------------

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        """Ctrl-C, ``pytest.exit()`` or errors during collection: remembered, so the end
        of the session builds nothing the user no longer waits for."""
        text = str(excinfo.value).strip()
        self.interrupted = f"{excinfo.typename}: {text}" if text else excinfo.typename

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.config.option.collectonly:
            self.close()
            return
        handoff = None
        if self.controller_dir is not None:
            handoff = self._controller_meeting(self.controller_dir).handoff()
        if handoff is not None:
            self.prepared, self.nodeids = handoff.prepared, handoff.nodeids
        elif self.controller_dir is not None:
            # The reports are written all the same, saying why there is nothing in them.
            why = "no xdist worker reached the Rust phase (no item ran)"
            if self.interrupted is not None:
                why = f"the session was interrupted ({self.interrupted}) before the Rust phase"
            self._prepare_nothing(f"not built: {why}")
        elif self.prepared is None and self.interrupted is not None:
            if self.meeting is not None:
                # The other workers wait for this one's phase 1: leave what there is.
                self._remove_recorders()
                self._arrive(self.meeting, self._stop_profiler())
            self._prepare_nothing(
                f"not built: the session was interrupted ({self.interrupted}) before the "
                "Rust phase, so nothing was selected, translated or built"
            )
        prepared = self.prepare()
        if self.meeting is not None:
            # A worker: the controller reports, with every worker's benchmark runs.
            output = getattr(self.config, "workeroutput", {})
            output["rustify_benchmarks"] = json.dumps(
                [[list(key), runs] for key, runs in self.benchmarks.items()]
            )
            return
        stopped = session.shouldfail or session.shouldstop
        if stopped and self.interrupted is None:
            self.stopped = stopped if isinstance(stopped, str) else "stopped early"
        self.report = self.build_report()
        self._write_reports(self.report)
        failing = (
            prepared.error is not None
            or self.report.summary.parity_failures
            or (self.options.mode == "fail" and self.report.summary.gate_failures)
        )
        if failing and session.exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def _prepare_nothing(self, why: str) -> None:
        """The end of a session that never reached the Rust phase: the recorders and the
        profiler are stopped, and the report says why nothing was built."""
        from .results import Prepared

        self.prepared = prepared = Prepared(build=model.BuildReport("skipped", 0.0, message=why))
        self._remove_recorders()
        prepared.profile = self._stop_profiler()

    def build_report(self) -> model.RunReport:
        from .build import PYO3_VERSION
        from .results import function_report

        prepared = self.prepared
        assert prepared is not None
        profile = prepared.profile
        functions = [
            function_report(r, self._benchmark_pairs(r.target.target))
            for r in prepared.results.values()
        ]
        notes = []
        if self.interrupted is not None:
            notes.append(
                f"the session was interrupted ({self.interrupted}); the items after that "
                "point did not run"
            )
        if self.stopped is not None:
            notes.append(
                f"the session stopped early ({self.stopped}); the items after that point "
                "did not run"
            )
        # A kind of call whose translation was refused (arrays where lists translated)
        # falls back while the function is accelerated: say so, with the reason.
        notes += [
            f"{r.target.target}: {note}"
            for r in prepared.results.values()
            if r.translation is not None
            for note in r.translation.notes
        ]
        gone: tuple[str, ...] = ()
        if self.baseline is not None:
            gone = tuple(sorted(set(self.baseline.targets) - set(prepared.results)))
        return model.RunReport(
            environment=model.Environment(
                python=platform.python_version(),
                rustc=prepared.rustc,
                pyo3=PYO3_VERSION,
                platform=platform.platform(),
                abi=f"{sys.implementation.cache_tag} {sysconfig.get_config_var('EXT_SUFFIX')}",
            ),
            hotspots=prepared.hotspots,
            functions=tuple(functions),
            build=replace(prepared.build, cache=str(self.cache_dir)),
            profiler=profile.profiler if profile is not None else "off",
            profiler_note=profile.note if profile is not None else "",
            notes=tuple(notes),
            gone=gone,
            baseline_path=str(self.baseline.path) if self.baseline is not None else None,
        )

    def _benchmark_pairs(self, target: str) -> tuple[model.BenchmarkPair, ...]:
        """The pytest-benchmark runs of the marked tests that have ``target``."""
        prepared = self.prepared
        assert prepared is not None
        pairs = []
        for key, names in prepared.by_test.items():
            runs = self.benchmarks.get(key, {})
            if target in names and "python" in runs and "rust" in runs:
                test = self.nodeids.get(key, f"{key[0]}::{key[1]}")
                pairs.append(model.BenchmarkPair(test, runs["python"], runs["rust"]))
        return tuple(pairs)

    def _write_reports(self, report: model.RunReport) -> None:
        """Every report asked for, even when the session failed."""
        from .report.markdown import render_markdown

        o = self.options
        if o.json is not None:
            from .report.json import write_json_report

            write_json_report(report, o.json)
        markdown = render_markdown(report)
        if o.markdown is not None:
            write_atomic(o.markdown, markdown)
        if o.junit is not None:
            from .report.junit import write_junit_report

            write_junit_report(report, o.junit)
        if o.benchmark_json is not None:
            from .report.benchmark import write_benchmark_json

            write_benchmark_json(report, o.benchmark_json)
        if o.save_baseline is not None:
            save_baseline(report, o.save_baseline)
        if o.emit is not None and self.prepared is not None and self.prepared.sources:
            self._emit(o.emit)
        self._markdown = markdown

    def _emit(self, dest: Path) -> None:
        from .emit import EmittedFunction, emit_project
        from .translate.rust import rust_signature

        prepared = self.prepared
        assert prepared is not None
        functions = [
            EmittedFunction(
                r.translation.name, t, r.target.file, r.target.line, rust_signature(r.translation)
            )
            for t, r in sorted(prepared.results.items())
            if r.translation is not None and r.build_failed is None
        ]
        emit_project(prepared.sources, functions, dest)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        from .report.terminal import render_terminal

        if self.report is None:
            return
        terminalreporter.section("rustify")
        width = getattr(terminalreporter, "_tw", None)
        cols = width.fullwidth if width is not None else 120
        verbose = self.config.getoption("verbose", 0) > 0
        for line in render_terminal(self.report, width=max(cols, 80), verbose=verbose):
            terminalreporter.write_line(line)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            from .report.github import emit_github

            emit_github(
                self.report,
                environ=os.environ,
                write=terminalreporter.write_line,
                markdown=self._markdown,
                full_report=None if self.options.markdown is None else str(self.options.markdown),
            )

    def close(self) -> None:
        """Put back everything we changed; stop anything still running."""
        self._remove_recorders()
        if self.profiler is not None:
            self._stop_profiler()
        if self.controller_dir is not None:
            self._controller_meeting(self.controller_dir).close()
        if self._temporary_cache is not None:
            shutil.rmtree(self._temporary_cache, ignore_errors=True)

    # -- the fixture --------------------------------------------------------------------

    def rustified(self) -> Rustified:
        prepared = self.prepare()
        return Rustified(
            {t: r.rust for t, r in prepared.results.items() if r.rust is not None},
            prepared.results,
        )


class Rustified(Mapping[str, Callable[..., object]]):
    """The ``rustified`` fixture: ``rustified["pkg.mod:func"]`` is the compiled callable;
    ``rustified.results["pkg.mod:func"]`` is what the session learned about it."""

    def __init__(
        self, callables: dict[str, Callable[..., object]], results: Mapping[str, TargetResult]
    ) -> None:
        self._callables = callables
        self.results = results

    def __getitem__(self, target: str) -> Callable[..., object]:
        try:
            return self._callables[target]
        except KeyError:
            r = self.results.get(target)
            why = (
                "it was not selected (not hot and not named)"
                if r is None
                else f"its status is {r.status}"
            )
            if r is not None and r.refusal is not None:
                why += f": {r.refusal}"
            raise KeyError(f"no Rust build of {target}: {why}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._callables)

    def __len__(self) -> int:
        return len(self._callables)


# -- helpers ------------------------------------------------------------------------------


def _variant(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return None
    v = callspec.params.get(VARIANT)
    return v if isinstance(v, str) else None


def _second_phase(item: pytest.Item) -> bool:
    """[rust] items, and tests that use the ``rustified`` fixture, run after phase 1."""
    return _variant(item) == "rust" or "rustified" in getattr(item, "fixturenames", ())


def _test_key(fn: Callable[..., object]) -> TestKey:
    code = fn.__code__
    return (os.path.abspath(code.co_filename), code.co_name)


def _item_key(item: pytest.Item) -> TestKey:
    fn = getattr(item, "function", None)
    if fn is not None and hasattr(fn, "__code__"):
        return _test_key(fn)
    return (str(item.path), item.name)


def _benchmark_fixture(item: pytest.Item) -> Any:
    """The pytest-benchmark fixture of a test that uses one, else None."""
    funcargs = getattr(item, "funcargs", {})
    return funcargs.get("benchmark") if "benchmark" in getattr(item, "fixturenames", ()) else None


def _benchmark_median(bench: Any) -> float | None:
    """The median of a benchmark fixture's run, in seconds, once it has run."""
    stats = getattr(getattr(bench, "stats", None), "stats", None)
    median = getattr(stats, "median", None)
    return float(median) if isinstance(median, (int, float)) else None


def _crash_message(exc: Exception) -> str:
    """An unexpected exception between the phases: what, the innermost frames, and who
    to tell (our bug, unless the traceback ends in a hook of the user's)."""
    # pluggy's own frames (a hook call) say nothing about where the error is.
    hooks = os.path.dirname(pluggy.__file__) + os.sep
    stack = traceback.extract_tb(exc.__traceback__)
    frames = [f for f in stack if not f.filename.startswith(hooks)][-3:]
    where = "".join(traceback.format_list(frames)).rstrip()
    return (
        f"an unexpected error stopped pytest-rustify between the phases: "
        f"{type(exc).__name__}: {exc}\n{where}\n"
        "TIP: if the traceback ends in a pytest_rustify_* hook of your conftest, fix that "
        f"hook; otherwise this is a bug in pytest-rustify, please report it at {REPORT_BUGS_AT}"
    )


def _portable(prepared: Prepared) -> Prepared:
    """``prepared`` without what cannot leave the process: functions and the module."""
    results = {t: replace(r, function=None, rust=None) for t, r in prepared.results.items()}
    return replace(prepared, results=results, module=None, build_result=None)
