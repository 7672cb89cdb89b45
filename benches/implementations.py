"""The implementations the benchmark times, besides CPython itself.

Input: the workloads. Output: per (function, input kind) a ``Candidate`` for each
implementation: a callable, or the reason there is none (a refusal, a compile failure,
a missing package)::

    built = generated(works, cache_dir=cache, target_dir=None, progress=print)
    built[("euclidean", "lists")].call(a, b)

- ``generated``: the plugin's own pipeline, as a session runs it: the calls are recorded
  by ``observe.CallRecorder``, translated by ``source.translate_callable``, generated
  into one crate, built and loaded by the build stage. A function is translated from
  its calls of both kinds together (a function called with lists and arrays); when that
  is refused, each kind is translated from its own calls, and a kind that is still
  refused reports why.
- ``handwritten``: the crate in ``benches/handwritten/``, built by the same build stage.
- ``numba``: ``numba.njit`` of the same Python function, when Numba is installed.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from pytest_rustify import build
from pytest_rustify.calls import RecordedCall
from pytest_rustify.errors import Refusal
from pytest_rustify.observe import CallRecorder
from pytest_rustify.source import translate_callable
from pytest_rustify.translate import ir
from pytest_rustify.translate.rust import crate_dependencies, generate_crate

from .workloads import KINDS, REPO, Workload

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

HANDWRITTEN = Path(__file__).resolve().parent / "handwritten"
HANDWRITTEN_MODULE = "bench_handwritten"

Key = tuple[str, str]  # (function name, input kind)
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Candidate:
    """One implementation of one function for one input kind.

    ``call`` is None when there is nothing to time; ``status`` then says why, in the
    cell's words ("refused", "unsupported", "unavailable"), with ``reason``. A timed
    candidate may still carry a ``reason`` worth a note. ``fallbacks`` counts the calls
    a generated dispatcher handed back to Python.
    """

    call: Callable[..., object] | None
    status: str = "ready"
    reason: str = ""
    fallbacks: Callable[[], int] | None = None
    notes: tuple[str, ...] = ()  # the translator's notes (a kind of calls left to Python)


def unavailable(works: list[Workload], reason: str) -> dict[Key, Candidate]:
    return {
        (w.name, kind): Candidate(None, "unavailable", reason) for w in works for kind in w.args
    }


# --- generated ---------------------------------------------------------------------------


def recorded_calls(works: list[Workload]) -> dict[Key, tuple[RecordedCall, ...]]:
    """Each workload's benchmark call, recorded the way phase 1 records it."""
    out: dict[Key, tuple[RecordedCall, ...]] = {}
    for kind in KINDS:
        recorder = CallRecorder()
        wrapped = {w.name: recorder.wrap(w.target, w.function) for w in works}
        recorder.begin_test()
        for w in works:
            if kind in w.args:
                wrapped[w.name](*w.args[kind])
        recorder.end_test()
        observed = recorder.observations()
        for w in works:
            if kind in w.args:
                out[(w.name, kind)] = observed[w.target].calls
    return out


def translations(
    works: list[Workload], calls: Mapping[Key, tuple[RecordedCall, ...]]
) -> dict[Key, ir.Function | Refusal]:
    """Per (function, kind) the translation that serves it, or the refusal that says why not."""
    out: dict[Key, ir.Function | Refusal] = {}
    for w in works:
        kinds = tuple(kind for kind in KINDS if kind in w.args)
        both = _translate(w, calls, kinds)
        for kind in kinds:
            if isinstance(both, ir.Function) or len(kinds) == 1:
                out[(w.name, kind)] = both
                continue
            alone = _translate(w, calls, (kind,))
            if isinstance(alone, Refusal) and kind != "lists":
                # The refusal of the function called both ways is the one users meet.
                alone = both
            out[(w.name, kind)] = alone
    return out


def _translate(
    w: Workload, calls: Mapping[Key, tuple[RecordedCall, ...]], kinds: tuple[str, ...]
) -> ir.Function | Refusal:
    file = w.file.relative_to(REPO).as_posix() if w.file.is_relative_to(REPO) else str(w.file)
    joined = tuple(c for kind in kinds for c in calls[(w.name, kind)])
    return translate_callable(w.target, w.function, file, w.line, joined)


def generated(
    works: list[Workload],
    *,
    cache_dir: Path,
    target_dir: Path | None,
    progress: Progress,
) -> dict[Key, Candidate]:
    """The plugin's translation of every workload, built into one crate and loaded."""
    calls = recorded_calls(works)
    translated = translations(works, calls)
    both = {
        w.name: translated[(w.name, "lists")]
        for w in works
        if all(translated.get((w.name, k)) is translated[(w.name, "lists")] for k in w.args)
    }
    # One entry per distinct translation, named as the session names duplicates.
    functions: list[ir.Function] = []
    names: dict[int, str] = {}
    for key in sorted(translated):
        fn = translated[key]
        if isinstance(fn, Refusal) or id(fn) in names:
            continue
        name = fn.name if fn.name not in names.values() else f"{fn.name}_{len(functions)}"
        names[id(fn)] = name
        functions.append(dataclasses.replace(fn, name=name))
    out: dict[Key, Candidate] = {}
    for key, fn in translated.items():
        if isinstance(fn, Refusal):
            out[key] = Candidate(None, "refused", str(fn))
    if not functions:
        return out
    sources = generate_crate(ir.Module(tuple(functions), sys.version_info[:2]))
    module = _build(
        sources, crate_dependencies(sources), "generated", cache_dir, target_dir, progress
    )
    if isinstance(module, str):
        return {**unavailable(works, module), **out}
    originals = module.__rustify_originals__
    by_name = {w.name: w for w in works}
    for key, fn in translated.items():
        if isinstance(fn, Refusal):
            continue
        name = names[id(fn)]
        originals[name] = by_name[key[0]].function
        note = ""
        if key[0] not in both and key[1] != "lists":
            refused = translated[(key[0], "lists")]
            note = f"translated from its {key[1]} calls alone (called both ways: {refused})"
        out[key] = Candidate(
            getattr(module, name),
            reason=note,
            fallbacks=_fallback_counter(module, name),
            notes=tuple(fn.notes),
        )
    return out


def _fallback_counter(module: ModuleType, name: str) -> Callable[[], int]:
    def count() -> int:
        return int(module.__rustify_fallbacks__()[name])

    return count


# --- hand-written ------------------------------------------------------------------------


def handwritten_sources() -> tuple[dict[str, str], dict[str, str], str]:
    """``benches/handwritten`` as the build stage takes a crate: the sources with the
    module name left for the build to fill in, the dependencies besides pyo3, and the
    pyo3 version its Cargo.toml asks for."""
    sources = {
        path.relative_to(HANDWRITTEN).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted((HANDWRITTEN / "src").glob("*.rs"))
    }
    sources["src/lib.rs"], count = re.subn(
        rf"\bfn {HANDWRITTEN_MODULE}\(", f"fn {build.MODULE_PLACEHOLDER}(", sources["src/lib.rs"]
    )
    if count != 1:
        raise ValueError(f"src/lib.rs must define the #[pymodule] fn {HANDWRITTEN_MODULE} once")
    manifest = tomllib.loads((HANDWRITTEN / "Cargo.toml").read_text(encoding="utf-8"))
    dependencies: dict[str, str] = {}
    pyo3 = ""
    for name, spec in manifest["dependencies"].items():
        version = spec if isinstance(spec, str) else spec["version"]
        if name == "pyo3":
            pyo3 = version.lstrip("=")
        else:
            dependencies[name] = version
    return sources, dependencies, pyo3


def handwritten(
    works: list[Workload],
    *,
    cache_dir: Path,
    target_dir: Path | None,
    progress: Progress,
) -> dict[Key, Candidate]:
    sources, dependencies, _ = handwritten_sources()
    module = _build(sources, dependencies, "hand-written", cache_dir, target_dir, progress)
    if isinstance(module, str):
        return unavailable(works, module)
    return {(w.name, kind): Candidate(getattr(module, w.name)) for w in works for kind in w.args}


def _build(
    sources: Mapping[str, str],
    dependencies: Mapping[str, str],
    what: str,
    cache_dir: Path,
    target_dir: Path | None,
    progress: Progress,
) -> ModuleType | str:
    """The loaded extension, or the first line of why the build failed."""
    progress(f"building the {what} crate (cache: {cache_dir})")
    result = build.build_crate(
        sources,
        cache_dir=cache_dir,
        toolchain=build.find_toolchain(),
        dependencies=dependencies,
        target_dir=target_dir,
        progress=lambda line: progress(f"  {line}"),
    )
    progress(f"  {what}: {result.status} in {result.seconds:.1f}s")
    if result.status == "failed":
        for line in result.message.splitlines():
            progress(f"  {line}")
        return f"the {what} build failed: {result.message.splitlines()[0]}"
    return build.load_extension(result)


# --- Numba -------------------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Lines of a Numba typing error that say what could not be compiled, most telling first.
_TELLING = (
    "non-precise type",
    "cannot reflect",
    "No implementation of function",
    "Unknown attribute",
    "Cannot unify",
    "Untyped global name",
    "Use of unsupported opcode",
    "unsupported",
    "Cannot determine Numba type",
)


def numba_version() -> str:
    try:
        import numba  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return ""
    return str(numba.__version__)


def numba_jit(works: list[Workload], progress: Progress) -> dict[Key, Candidate]:
    """``numba.njit`` of each function, compiled for each kind's arguments (lists are
    Numba's reflected lists, as users get them), or why Numba cannot run it."""
    try:
        import numba  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return unavailable(works, "numba is not installed")
    progress(f"compiling with numba {numba.__version__}")
    out: dict[Key, Candidate] = {}
    for w in works:
        for kind, args in w.args.items():
            dispatcher = numba.njit(w.function)
            try:
                with warnings.catch_warnings():
                    # Reflected lists are deprecated (but still what a list argument gets).
                    warnings.simplefilter("ignore")
                    dispatcher.compile(tuple(numba.typeof(a) for a in args))  # type: ignore[no-untyped-call,unused-ignore]
                    # Some failures (nested reflected lists) come only when a call
                    # unboxes its arguments; these inputs never make Python raise.
                    dispatcher(*args)
            except Exception as exc:
                out[(w.name, kind)] = Candidate(None, "unsupported", numba_reason(exc, w))
                continue
            out[(w.name, kind)] = Candidate(dispatcher)
    return out


def numba_reason(exc: BaseException, w: Workload) -> str:
    """One line out of a Numba error: its kind, the telling line, and the source line."""
    text = _ANSI.sub("", str(exc))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    telling = next(
        (line for pattern in _TELLING for line in lines if pattern in line),
        next((line for line in lines if not line.startswith("Failed in")), type(exc).__name__),
    )
    where = ""
    located = re.findall(r'File "([^"]+)", line (\d+)', text)
    for path, line in reversed(located):
        if Path(path).name == w.file.name:
            where = f" ({w.file.name}:{line})"
            break
    telling = re.sub(r"<iv=[^>]*>", "", telling).rstrip(":")
    return f"{type(exc).__name__}: {telling}{where}"
