"""Build times of the crate the examples make: cold, rebuild, cache hit.

One command, from the repository root::

    python benches/build_times.py                    # 3 repetitions of everything
    python benches/build_times.py --repeat 5 --skip full,session --json out.json

The 16 example functions of ``examples/rustify_examples`` are translated through the
real pipeline (``translate_callable`` with their annotations -> ``generate_crate`` ->
``build_crate``), and the crate is built in these situations, each repeated and
reported as the median:

- ``full``: a new cache directory and a new cargo target directory; pyo3 and every
  other dependency compile too (the first session on a machine).
- ``deps``: a new cache directory, but the dependencies already compiled in the shared
  target directory; this crate was never built there (a fresh checkout in CI with the
  target directory cached). The issue's "cold build".
- ``rebuild``: one function's Python source changed since the last build in the same
  cache directory (the generated Rust differs in that function only).
- ``hit``: ``build_crate`` on sources built before, with ``find_toolchain`` and
  ``load_extension`` around it as the session calls them; the processes started during
  it are counted with an audit hook (there must be none).
- ``session``: ``pytest examples --rustify`` with a warm cache, its wall time, and the
  session's own build stage (toolchain, crate generation, cache lookup, import) timed
  inside it, with the processes it started.

It prints a markdown table and writes the same numbers as JSON. Everything it builds
lives under ``--work`` (a temporary directory unless given), removed at the end.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
for _path in (str(EXAMPLES), str(REPO)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from pytest_rustify import build  # noqa: E402
from pytest_rustify.source import translate_callable  # noqa: E402
from pytest_rustify.translate import ir  # noqa: E402
from pytest_rustify.translate.rust import crate_dependencies, generate_crate  # noqa: E402

TARGETS = (
    ("rustify_examples.vectors", ("euclidean", "dot_product", "l2_normalize")),
    ("rustify_examples.scaling", ("normalize_pixels", "standard_scale", "min_max_scale")),
    (
        "rustify_examples.series",
        ("running_mean", "moving_average", "diff", "cumsum", "convolve1d"),
    ),
    ("rustify_examples.text", ("count_pairs", "bpe_encode")),
    ("rustify_examples.matrix", ("matmul",)),
    ("rustify_examples.simulation", ("mandelbrot", "fma_loop")),
)
# The function edited between rebuilds: its body starts from another constant each time.
CHANGED = """\
def fma_loop(x: float, y: float, z: float, n: int) -> float:
    acc = z + {bias}.0
    for _ in range(n):
        acc = acc * x + y
    return acc
"""
STAGES = ("full", "deps", "rebuild", "hit", "session")
# Programs whose start during a cache hit would mean the cache did not spare the toolchain.
TOOLS = ("cargo", "rustc", "maturin", "rustup")

Crate = tuple[dict[str, str], dict[str, str]]


# --- the crate --------------------------------------------------------------------------


def example_functions(work: Path, changed: int | None = None) -> list[ir.Function]:
    """The translated example functions, sorted as the session sorts them; with
    ``changed``, fma_loop comes from an edited copy of its source."""
    functions: dict[str, ir.Function] = {}
    for module_name, names in TARGETS:
        module = importlib.import_module(module_name)
        for name in names:
            fn = getattr(module, name)
            target = f"{module_name}:{name}"
            if changed is not None and name == "fma_loop":
                fn, target = _edited_fma_loop(work, changed)
            result = translate_callable(
                target, fn, fn.__code__.co_filename, fn.__code__.co_firstlineno, []
            )
            if not isinstance(result, ir.Function):
                raise SystemExit(f"{target} was refused: {result}")
            functions[f"{module_name}:{name}"] = result
    return [functions[key] for key in sorted(functions)]


def _edited_fma_loop(work: Path, bias: int) -> tuple[Callable[..., object], str]:
    path = work / "edited" / f"fma_loop_{bias}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CHANGED.format(bias=bias), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fn: Callable[..., object] = module.fma_loop
    return fn, f"{path.stem}:fma_loop"


def example_crate(work: Path, changed: int | None = None) -> Crate:
    """The crate sources and dependencies of the example functions."""
    functions = example_functions(work, changed)
    sources = generate_crate(ir.Module(tuple(functions), sys.version_info[:2]))
    return sources, crate_dependencies(sources)


# --- measuring --------------------------------------------------------------------------


class ProcessLog:
    """The programs started in this process while ``watching``, via an audit hook."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self._on = False
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self._on:
            return
        if event == "subprocess.Popen":
            program = args[0] if args[0] is not None else args[1][0]
            self.started.append(Path(os.fsdecode(program)).name)
        elif event in ("os.system", "os.posix_spawn", "os.exec", "os.spawn", "os.fork"):
            self.started.append(event)

    @contextmanager
    def watching(self) -> Iterator[list[str]]:
        mark = len(self.started)
        self._on = True
        seen: list[str] = []
        try:
            yield seen
        finally:
            self._on = False
            seen.extend(self.started[mark:])


def build_once(
    crate: Crate,
    cache: Path,
    target: Path,
    toolchain: build.Toolchain,
    **options: Any,
) -> tuple[float, float, build.BuildResult]:
    """Wall and CPU seconds of one ``build_crate`` call (CPU: of the processes it ran,
    which a busy machine disturbs less than the wall time), and its result."""
    sources, deps = crate
    cpu = _children_cpu()
    start = time.perf_counter()
    result = build.build_crate(
        sources,
        cache_dir=cache,
        toolchain=toolchain,
        dependencies=deps,
        target_dir=target,
        **options,
    )
    seconds = time.perf_counter() - start
    if result.status == "failed":
        raise SystemExit(f"build failed:\n{result.message}")
    return seconds, _children_cpu() - cpu, result


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def find_toolchain_for(cache: Path) -> build.Toolchain:
    """``find_toolchain`` as the session calls it: with the cache directory, where the
    version measured supports it (older ones ask the tools every time)."""
    if "cache_dir" in inspect.signature(build.find_toolchain).parameters:
        return build.find_toolchain(cache_dir=cache)
    return build.find_toolchain()


def measure_builds(
    work: Path, repeat: int, full_repeat: int, skip: set[str], options: Mapping[str, Any]
) -> dict[str, Any]:
    """The ``full``, ``deps``, ``rebuild`` and ``hit`` stages: wall seconds per repetition,
    and the CPU seconds of the build processes under ``<stage>_cpu``."""
    toolchain = build.find_toolchain()
    crate = example_crate(work)
    out: dict[str, list[float]] = {}
    shared_target = work / "target"

    def record(stage: str, i: int, wall: float, cpu: float) -> None:
        out.setdefault(stage, []).append(wall)
        out.setdefault(f"{stage}_cpu", []).append(cpu)
        say(f"{stage} {i + 1}: {wall:.2f}s wall, {cpu:.2f}s cpu")

    if "full" not in skip:
        for i in range(full_repeat):
            # The last one leaves the shared target directory the next stages use.
            target = shared_target if i == full_repeat - 1 else work / f"full-target-{i}"
            wall, cpu, _ = build_once(crate, work / f"full-{i}", target, toolchain, **options)
            record("full", i, wall, cpu)
            if target != shared_target:
                shutil.rmtree(target, ignore_errors=True)
    else:
        build_once(crate, work / "warm", shared_target, toolchain, **options)
    for i in range(repeat):
        wall, cpu, result = build_once(
            crate, work / f"deps-{i}", shared_target, toolchain, **options
        )
        assert result.status == "built", result.status
        record("deps", i, wall, cpu)
    cache = work / f"deps-{repeat - 1}"
    if "rebuild" not in skip:
        for i in range(repeat):
            changed = example_crate(work, changed=i + 1)
            wall, cpu, result = build_once(changed, cache, shared_target, toolchain, **options)
            assert result.status == "built", result.status
            record("rebuild", i, wall, cpu)
            crate = changed
    results: dict[str, Any] = dict(out)
    if "hit" not in skip:
        results.update(measure_hit(crate, cache, shared_target, repeat, options))
    return results


def measure_hit(
    crate: Crate, cache: Path, target: Path, repeat: int, options: Mapping[str, Any]
) -> dict[str, Any]:
    """A cache hit as the session does it: toolchain, lookup, import; no process."""
    log = ProcessLog()
    find_toolchain_for(cache)  # as the session that built it did: the cache knows the tools
    hits: list[float] = []
    stage: list[float] = []
    started: list[str] = []
    for _ in range(repeat):
        with log.watching() as seen:
            start = time.perf_counter()
            toolchain = find_toolchain_for(cache)
            seconds, _, result = build_once(crate, cache, target, toolchain, **options)
            build.load_extension(result)
            stage.append(time.perf_counter() - start)
        assert result.status == "cached", result.status
        hits.append(seconds)
        started.extend(seen)
    say(f"hit: build_crate {statistics.median(hits) * 1000:.1f}ms, processes {started}")
    return {"hit": hits, "hit_stage": stage, "hit_processes": started}


SESSION_RUNNER = """
import json, os, sys, time
from pathlib import Path

started, spans = [], []
watch = []
def hook(event, args):
    if watch and event == "subprocess.Popen":
        program = args[0] if args[0] is not None else args[1][0]
        started.append(Path(os.fsdecode(program)).name)
sys.addaudithook(hook)

from pytest_rustify import session

build_stage = session.RustifySession._build
def timed(self, prepared):
    watch.append(1)
    start = time.perf_counter()
    try:
        return build_stage(self, prepared)
    finally:
        spans.append(time.perf_counter() - start)
        watch.clear()
session.RustifySession._build = timed

import pytest
code = pytest.main(sys.argv[2:])
Path(sys.argv[1]).write_text(json.dumps({"code": int(code), "stage": spans, "started": started}))
"""


def measure_session(work: Path, repeat: int) -> dict[str, Any]:
    """``pytest examples --rustify`` with a warm cache; the first run fills the cache."""
    cache = work / "session-cache"
    report = work / "session.json"
    probe = work / "session-probe.json"
    env = dict(os.environ, CARGO_TARGET_DIR=str(work / "target"))
    args = [
        str(EXAMPLES), "--rustify", "-q", "-p", "no:cacheprovider",
        f"--rustify-cache-dir={cache}", f"--rustify-json={report}",
    ]  # fmt: skip
    walls: list[float] = []
    stages: list[float] = []
    builds: list[float] = []
    started: list[str] = []
    for i in range(repeat + 1):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", SESSION_RUNNER, str(probe), *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
        result = json.loads(probe.read_text())
        status = json.loads(report.read_text())["build"]
        if done.returncode != 0 or result["code"] != 0:
            raise SystemExit(f"session failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        if i == 0:
            say(f"session (filling the cache): {wall:.1f}s, build {status['status']}")
            continue
        assert status["status"] == "cached", status
        walls.append(wall)
        stages.extend(result["stage"])
        builds.append(float(status["seconds"]))
        started.extend(result["started"])
        say(f"session {i}/{repeat}: {wall:.1f}s, build stage {result['stage'][0]:.3f}s")
    return {
        "session_wall": walls,
        "session_stage": stages,
        "session_build_seconds": builds,
        "session_processes": started,
    }


# --- output -----------------------------------------------------------------------------

ROWS = (
    ("full", "cold: new cache, new target dir (pyo3 too)"),
    ("deps", "cold: new cache, dependencies compiled in the shared target dir"),
    ("rebuild", "rebuild after one function changed"),
    ("hit", "cache hit: build_crate"),
    ("hit_stage", "cache hit: find_toolchain + build_crate + load_extension"),
    ("session_stage", "cache hit: the session's whole build stage"),
    ("session_build_seconds", "cache hit: build seconds in the JSON report"),
    ("session_wall", "cache hit: pytest examples --rustify, wall"),
)


def table(results: Mapping[str, Any]) -> str:
    lines = [
        "| measurement | median | CPU (median) | runs |",
        "| --- | ---: | ---: | --- |",
    ]
    for key, label in ROWS:
        runs = results.get(key)
        if runs:
            cpu = results.get(f"{key}_cpu")
            cpu_text = _seconds(statistics.median(cpu)) if cpu else ""
            shown = ", ".join(_seconds(x) for x in runs)
            lines.append(
                f"| {label} | {_seconds(statistics.median(runs))} | {cpu_text} | {shown} |"
            )
    for key in ("hit_processes", "session_processes"):
        if key in results:
            tools = [p for p in results[key] if p.startswith(TOOLS)]
            lines.append(f"| processes started ({key}) | {len(tools)} | | {tools or '-'} |")
    return "\n".join(lines)


def _seconds(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"


def machine() -> dict[str, Any]:
    toolchain = build.find_toolchain()
    return {
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "rustc": toolchain.rustc_version,
        "maturin": toolchain.maturin_version,
    }


def say(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="Repetitions of each stage")
    parser.add_argument(
        "--full-repeat", type=int, default=None, help="Repetitions of the full cold build"
    )
    parser.add_argument("--skip", default="", help=f"Comma-separated stages: {STAGES}")
    parser.add_argument("--json", type=Path, default=Path("build_times.json"))
    parser.add_argument("--work", type=Path, default=None, help="Kept when given")
    parser.add_argument(
        "--dump-crate",
        type=Path,
        default=None,
        help="Only write the example crate as JSON (for build_profiles.py --reference)",
    )
    args = parser.parse_args(argv)
    if args.dump_crate is not None:
        work = Path(tempfile.mkdtemp(prefix="rustify-build-times-"))
        sources, dependencies = example_crate(work)
        shutil.rmtree(work)
        text = json.dumps({"sources": sources, "dependencies": dependencies})
        args.dump_crate.write_text(text, encoding="utf-8")
        return 0
    skip = {s for s in args.skip.split(",") if s}
    if skip - set(STAGES):
        parser.error(f"unknown stages {sorted(skip - set(STAGES))}; known: {STAGES}")
    work = args.work or Path(tempfile.mkdtemp(prefix="rustify-build-times-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = {"machine": machine()}
        results.update(measure_builds(work, args.repeat, args.full_repeat or args.repeat, skip, {}))
        if "session" not in skip:
            results.update(measure_session(work, args.repeat))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\n{results['machine']}\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
