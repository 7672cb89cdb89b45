"""Between the phases: the translated targets built into one crate, then each replayed,
measured and judged.

Input: the session's ``Prepared`` with each target's translation, and ``Building`` (what
the build needs from the session: the cache, the options, how to say things, the user's
``pytest_rustify_crate_sources`` hook). Output: the same ``Prepared``, with the build's
report, the loaded module, and per target its Rust function, parity, speedup and verdict::

    build_targets(prepared, building)      # generate, build (dropping what fails), load
    compare_and_measure(prepared, observations, options=options, baseline=None)

Sequences stages; imports no pytest (the session hands its hook and terminal over as
plain callables).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import build as build_stage
from .baseline import Baseline, compare
from .compare import compare_calls, values_equal
from .gate import judge
from .measure import measure_speedup
from .observe import Observations
from .options import RustifyOptions
from .report import model
from .results import Prepared
from .scaling import measure_scaling
from .translate import ir
from .translate.rust import crate_dependencies, generate_crate
from .translate.rust_layout import LIB, blame, without_targets


@dataclass(frozen=True)
class Building:
    """What the build needs from the session."""

    cache_dir: Path
    options: RustifyOptions
    say: Callable[[str], None]
    """A progress line."""
    warn: Callable[[str, str], None]
    """A warning (a message, its first line the headline) and what it means for the run."""
    crate_hook: Callable[[dict[str, str]], None]
    """The ``pytest_rustify_crate_sources`` hook, which may edit the sources in place."""
    uncached_dir: Callable[[], Path]
    """Where to build when the cache cannot be written."""


def build_targets(prepared: Prepared, building: Building) -> None:
    """Generate the crate of the translated targets, build it and load it. A target whose
    Rust does not compile is left out, and the others built again, once."""

    # Sorted by target, so the crate (and its cache key) does not depend on how hot
    # each function happened to be in this run.
    translated = sorted(
        (r for r in prepared.results.values() if r.translation is not None),
        key=lambda r: r.target.target,
    )
    toolchain = build_stage.find_toolchain(cache_dir=building.cache_dir)
    prepared.rustc = toolchain.rustc_version
    if not translated:
        return
    names: dict[str, int] = {}
    functions = []
    for r in translated:
        assert r.translation is not None
        fn = r.translation
        n = names.get(fn.name, 0)
        names[fn.name] = n + 1
        if n:
            fn = replace(
                fn,
                name=f"{fn.name}_{n}",
                variants=tuple(replace(v, name=f"{v.name}_{n}") for v in fn.variants),
            )
        r.translation = fn
        functions.append(fn)
    sources = generate_crate(ir.Module(tuple(functions), sys.version_info[:2]))
    building.crate_hook(sources)
    prepared.sources = sources
    progress = building.say
    progress(f"building {len(functions)} functions with maturin (cache: {building.cache_dir})")
    notes = []
    cache_dir = building.cache_dir
    problem = build_stage.cache_problem(cache_dir)
    if problem:
        # Built in a directory of the session's own, removed at its end: nothing is cached.
        cache_dir = building.uncached_dir()
        notes.append(
            f"cache at {building.cache_dir} is not writable ({problem}): built without caching"
        )
        progress(f"WARNING: {notes[-1]}")

    def build(sources: dict[str, str]) -> build_stage.BuildResult:
        return build_stage.build_crate(
            sources,
            cache_dir=cache_dir,
            toolchain=toolchain,
            dependencies=crate_dependencies(sources),
            progress=progress,
            timeout=building.options.build_timeout,
        )

    result = build(sources)
    broken = blame(sources[LIB], ((e.path, e.line, e.message) for e in result.errors))
    for r in translated:
        assert r.translation is not None
        if r.translation.name in broken:
            r.build_failed = f"its Rust does not compile: {broken[r.translation.name]}"
    if broken and len(broken) < len(translated):
        # One round only: should the rest fail too, the build has failed.
        for r in translated:
            if r.build_failed:
                notes.append(f"{r.target.target} left out of the build: {r.build_failed}")
                progress(f"WARNING: {notes[-1]}")
        notes.append(f"(compiler log: {result.log}); the other targets were built without it")
        progress(f"building the other targets again without it (log: {result.log})")
        prepared.sources = sources = without_targets(sources, broken)
        translated = [r for r in translated if r.build_failed is None]
        result = build(sources)
    notes += [result.note] if result.note else []
    prepared.build_result = result
    prepared.build = model.BuildReport(
        result.status,
        round(result.seconds, 2),
        location=str(result.extension or result.cache_dir),
        log=str(result.log) if result.log else None,
        message="\n".join([*notes, result.message]).strip() or None,
    )
    if result.status == "failed":
        consequence = "failing" if building.options.require else "skipping"
        building.warn(f"the Rust build failed\n{result.message}", f"{consequence} the [rust] items")
        for r in translated:
            r.build_failed = r.build_failed or (
                result.message.splitlines()[0] if result.message else "the build failed"
            )
        return
    attach(prepared, build_stage.load_extension(result))


def attach(prepared: Prepared, module: types.ModuleType) -> None:
    """Hand the built module its Python originals (its fallbacks) and keep its functions."""
    prepared.module = module
    originals = module.__rustify_originals__
    for r in prepared.results.values():
        if r.translation is not None and r.build_failed is None and r.function is not None:
            originals[r.translation.name] = r.function
            r.rust = getattr(module, r.translation.name)
            r.built = True


def compare_and_measure(
    prepared: Prepared,
    observations: Observations,
    *,
    options: RustifyOptions,
    baseline: Baseline | None,
) -> None:
    """Replay the recorded calls through each built target, measure and judge it."""
    module = prepared.module
    if module is None:
        return
    for r in prepared.results.values():
        if r.rust is None or r.translation is None or r.function is None:
            continue
        calls = observations[r.target.target].calls
        name = r.translation.name
        r.parity = compare_calls(
            r.target.target,
            calls,
            r.rust,
            fallback_count=_fallback_counter(module, name),
            rtol=r.rtol,
            atol=r.atol,
        )
        if calls and not r.parity.all_fell_back:
            mutates = _mutates(calls)
            s = measure_speedup(
                calls,
                r.function,
                r.rust,
                budget_s=options.measure_seconds,
                copy_args=mutates,
            )
            r.speedup = model.Speedup(
                round(s.median, 2),
                round(s.ci_low, 2),
                round(s.ci_high, 2),
                round(s.python_ns),
                round(s.rust_ns),
                tuple(getattr(s, "python_rounds_ns", ())),
                tuple(getattr(s, "rust_rounds_ns", ())),
            )
            if r.parity.passed:
                r.scaling = measure_scaling(
                    calls,
                    r.function,
                    r.rust,
                    budget_s=options.measure_seconds / 2,
                    copy_args=mutates,
                )
        if baseline is not None:
            r.baseline = compare(
                baseline.targets.get(r.target.target),
                r.speedup,
                max_regression=options.max_regression,
            )
        r.verdict = judge(
            parity_ok=r.parity.passed,
            speedup=r.speedup,
            min_speedup=r.min_speedup,
            baseline=r.baseline,
            max_regression=options.max_regression,
        )


def _fallback_counter(module: types.ModuleType, name: str) -> Callable[[], int]:
    """How many calls of ``name`` the built module has handed back to Python so far."""

    def count() -> int:
        return int(module.__rustify_fallbacks__()[name])

    return count


def _mutates(calls: Any) -> bool:
    return any(
        not values_equal(c.args, c.outcome.args_after).equal
        or not values_equal(dict(c.kwargs), dict(c.outcome.kwargs_after)).equal
        for c in calls
    )
