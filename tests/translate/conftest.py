"""Fixtures of the translator's corpus tests: Python functions against their Rust build.

Every module in ``corpus/`` (except ``refused.py``, which only ``test_refusals.py``
reads) holds annotated functions written the way users write them. Those named with a
leading ``_`` are helpers: translated only with the functions that call them. The session
fixture ``corpus`` translates each one, generates ONE crate for all that translate, builds
it with maturin (the suite's shared cargo target directory keeps pyo3 compiled), and
registers the Python originals for the dispatchers' fallbacks. ``check_same`` then runs
a call through both and compares everything parity compares.

Functions the translator refuses, crashes on, or cannot generate Rust for are left out
of the crate and collected in ``Corpus.problems``; ``test_no_unexpected_refusals`` fails
on any not listed in ``KNOWN_BROKEN``, and ``test_translates_and_builds`` is a strict
xfail for each listed one, so a fix shows up as an XPASS. Generated Rust that does not
compile would fail the crate for everyone: such a function goes in ``QUARANTINE`` and is
built on its own.
"""

from __future__ import annotations

import ast
import importlib.util
import math
import re
import statistics
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

import pytest

from pytest_rustify import build
from pytest_rustify.calls import Outcome, run_call
from pytest_rustify.compare import compare_outcomes, short_repr
from pytest_rustify.errors import Refusal
from pytest_rustify.translate import ir
from pytest_rustify.translate.frontend import FunctionSource, TypeEvidence, translate_function
from pytest_rustify.translate.rust import crate_dependencies, generate_crate

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
NOT_BUILT = frozenset({"refused"})  # corpus modules read only by test_refusals.py

# The user property test_fuzz.py records its counts under (not imported from there: a
# conftest does not import test modules).
FUZZ_PROPERTY = "rustify_fuzz"
# ... and the one test_fuzz_hostile.py records its counts under.
HOSTILE_PROPERTY = "rustify_hostile"

# Functions whose generated Rust does not compile: one of them would fail the shared crate.
QUARANTINE: Mapping[str, str] = {}

# Corpus functions the translator should accept but does not (refused, crashed, or its
# code generator failed). test_translates_and_builds is a strict xfail for each.
KNOWN_BROKEN: Mapping[str, str] = {
    **QUARANTINE,
}


@dataclass(frozen=True)
class CorpusFunction:
    """One function of the corpus, as the translator sees it."""

    name: str
    module: str  # the corpus module's stem
    node: ast.FunctionDef
    tree: ast.Module
    original: Callable[..., Any]
    globals: Mapping[str, object]

    @property
    def source(self) -> FunctionSource:
        return FunctionSource(
            target=f"corpus.{self.module}:{self.name}",
            file=f"tests/translate/corpus/{self.module}.py",
            node=self.node,
            module=self.tree,
            globals=self.globals,
        )


def load_module(stem: str) -> tuple[ModuleType, ast.Module]:
    """Import ``corpus/<stem>.py`` by path (no package needed) and parse it."""
    path = CORPUS / f"{stem}.py"
    name = f"rustify_corpus_{stem}"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return module, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def corpus_functions(stems: list[str] | None = None) -> dict[str, CorpusFunction]:
    """Every top-level function of the built corpus modules (or of ``stems``), by name."""
    if stems is None:
        stems = sorted(p.stem for p in CORPUS.glob("*.py") if p.stem not in NOT_BUILT)
    out: dict[str, CorpusFunction] = {}
    for stem in stems:
        module, tree = load_module(stem)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                assert node.name not in out, f"corpus function names must be unique: {node.name}"
                out[node.name] = CorpusFunction(
                    node.name, stem, node, tree, getattr(module, node.name), vars(module)
                )
    return out


def translate(fn: CorpusFunction, evidence: TypeEvidence | None = None) -> ir.Function | Refusal:
    return translate_function(fn.source, evidence or TypeEvidence())


def build_functions(
    functions: list[ir.Function], cache_dir: Path
) -> tuple[build.BuildResult, ModuleType | None]:
    sources = generate_crate(ir.Module(tuple(functions), sys.version_info[:2]))
    result = build.build_crate(
        sources,
        cache_dir=cache_dir,
        toolchain=build.find_toolchain(),
        dependencies=crate_dependencies(sources),
    )
    if result.status == "failed":
        return result, None
    return result, build.load_extension(result)


@dataclass(frozen=True)
class Corpus:
    """The corpus translated and built: Python originals beside their Rust dispatchers."""

    functions: Mapping[str, CorpusFunction]
    translated: Mapping[str, ir.Function]  # those in the shared crate
    quarantined: Mapping[str, ir.Function]  # translated, but kept out of the shared crate
    problems: Mapping[str, str]  # name -> why it is not in the shared crate
    module: ModuleType
    cache_dir: Path

    @property
    def unexpected_problems(self) -> dict[str, str]:
        """Refusals, crashes and generator failures not listed in ``KNOWN_BROKEN``."""
        return {n: p for n, p in self.problems.items() if n not in KNOWN_BROKEN}

    def build_alone(self, name: str) -> build.BuildResult:
        """Build one quarantined function into a crate of its own."""
        result, _ = build_functions([self.quarantined[name]], self.cache_dir)
        return result

    def py(self, name: str) -> Callable[..., Any]:
        return self.functions[name].original

    def rust(self, name: str) -> Callable[..., Any]:
        if name in self.problems:
            pytest.fail(f"{name} is not in the built crate: {self.problems[name]}")
        fn: Callable[..., Any] = getattr(self.module, name)
        return fn

    def fallbacks(self, name: str) -> int:
        counts: dict[str, int] = self.module.__rustify_fallbacks__()
        return counts[name]


@pytest.fixture(scope="session")
def corpus(toolchain: None, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """Translate every corpus function and build the ones that translate into one crate."""
    functions = corpus_functions()
    translated: dict[str, ir.Function] = {}
    quarantined: dict[str, ir.Function] = {}
    problems: dict[str, str] = {}
    for name, fn in functions.items():
        try:
            result = translate(fn)
        except Exception as exc:  # a translator crash is a finding, not a reason to stop
            problems[name] = f"translate_function crashed: {type(exc).__name__}: {exc}"
            continue
        if isinstance(result, Refusal):
            problems[name] = f"refused ({result.code}): {result}"
            continue
        try:
            generate_crate(ir.Module((result,), sys.version_info[:2]))
        except Exception as exc:
            problems[name] = f"generate_crate failed: {type(exc).__name__}: {exc}"
            continue
        if name in QUARANTINE:
            problems[name] = f"quarantined: {QUARANTINE[name]}"
            quarantined[name] = result
            continue
        translated[name] = result
    cache_dir = tmp_path_factory.mktemp("translate-corpus")
    built, module = build_functions(list(translated.values()), cache_dir)
    if module is None:
        pytest.fail(f"the corpus crate did not build:\n{built.message}", pytrace=False)
    for name in translated:
        module.__rustify_originals__[name] = functions[name].original
    return Corpus(functions, translated, quarantined, problems, module, cache_dir)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``corpus_function``: every name in the built corpus, known bugs as strict xfails."""
    if "corpus_function" not in metafunc.fixturenames:
        return
    params = []
    for name in corpus_functions():
        marks = []
        if name in KNOWN_BROKEN:
            marks.append(pytest.mark.xfail(reason=KNOWN_BROKEN[name], strict=True))
        params.append(pytest.param(name, marks=marks, id=name))
    metafunc.parametrize("corpus_function", params)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """After the run: how much differential fuzzing test_fuzz.py did (its tests record
    the examples they ran and the calls that fell back as a user property, which travels
    in the reports, so xdist workers' counts arrive here too)."""
    counts = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for key, value in getattr(report, "user_properties", ())
        if key == FUZZ_PROPERTY
    ]
    _hostile_summary(terminalreporter)
    if not counts:
        return
    examples = [n for n, _ in counts]
    fallbacks = sum(f for _, f in counts)
    terminalreporter.write_line(
        f"differential fuzzing: {len(counts)} functions, {sum(examples)} examples "
        f"(min {min(examples)}, median {statistics.median(examples):g} per function), "
        f"{fallbacks} fell back to Python"
    )


def _hostile_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many hostile calls test_fuzz_hostile.py made, and how each ended."""
    counts: list[Mapping[str, int]] = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for key, value in getattr(report, "user_properties", ())
        if key == HOSTILE_PROPERTY
    ]
    if not counts:
        return
    total = {
        k: sum(c.get(k, 0) for c in counts) for k in ("matched", "raised", "fell_back", "skipped")
    }
    terminalreporter.write_line(
        f"hostile fuzzing: {len(counts)} functions, {sum(total.values())} calls: "
        f"{total['matched']} returned what Python returns, {total['raised']} raised the "
        f"same exception type, {total['fell_back']} fell back to Python, "
        f"{total['skipped']} skipped (Python itself did not finish in time)"
    )


# -- refusals -------------------------------------------------------------------------

_TAG = re.compile(r"#\s*refuse:\s*([\w-]+)")


@dataclass(frozen=True)
class RefusedCorpus:
    """``corpus/refused.py``: functions to refuse, and the lines their ``# refuse:`` tags mark."""

    functions: Mapping[str, CorpusFunction]
    lines: Mapping[str, int]  # tag -> line number in the module

    def translate(self, name: str) -> ir.Function | Refusal:
        return translate(self.functions[name])


@pytest.fixture(scope="session")
def refused() -> RefusedCorpus:
    lines: dict[str, int] = {}
    text = (CORPUS / "refused.py").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        match = _TAG.search(line)
        if match:
            assert match.group(1) not in lines, f"duplicate tag {match.group(1)}"
            lines[match.group(1)] = number
    return RefusedCorpus(corpus_functions(["refused"]), lines)


# -- comparing one call -------------------------------------------------------------


class CheckSame(Protocol):
    def __call__(
        self,
        name: str,
        *args: object,
        fallback: bool | None = False,
        kw: Mapping[str, object] | None = None,
    ) -> Outcome: ...


@pytest.fixture
def check_same(corpus: Corpus) -> CheckSame:
    """Run ``name(*args, **kw)`` through Python and through Rust, on deep copies.

    Asserts the same result (exact structure: types, float bits, NaN equal to NaN, tuple
    vs list, dict order) or the same exception type and message, and the same arguments
    after the call. ``fallback``: True means the Rust dispatcher must hand this call to
    Python, False that it must compute it itself, None that either is fine.
    """

    def check(
        name: str,
        *args: object,
        fallback: bool | None = False,
        kw: Mapping[str, object] | None = None,
    ) -> Outcome:
        kwargs = dict(kw or {})
        expected = run_call(corpus.py(name), args, kwargs)
        rust = corpus.rust(name)
        before = corpus.fallbacks(name)
        actual = run_call(rust, args, kwargs)
        fell_back = corpus.fallbacks(name) - before
        call = f"{name}({', '.join(map(repr, args))}{''.join(f', {k}={v!r}' for k, v in kwargs.items())})"
        shown = f"\n  python: {_show(expected)}\n  rust:   {_show(actual)}"
        diff = compare_outcomes(expected, actual)
        assert diff.equal, f"{call}: {diff.where}: {diff.detail}{shown}"
        assert _same_outcome(expected, actual), f"{call}: outcomes differ{shown}"
        if fallback is not None:
            assert fell_back == int(fallback), (
                f"{call}: expected {'a' if fallback else 'no'} fallback to Python, "
                f"the dispatcher fell back {fell_back} times{shown}"
            )
        return expected

    return check


def _show(outcome: Outcome) -> str:
    if outcome.exception is not None:
        return f"raises {outcome.exception[0]}({outcome.exception[1]!r})"
    return short_repr(outcome.value)  # repr of an int past 4300 digits raises


def _same_outcome(a: Outcome, b: Outcome) -> bool:
    """An independent strict comparison (does not rely on pytest_rustify.compare)."""
    return (
        a.exception == b.exception
        and strictly_equal(a.value, b.value)
        and strictly_equal(tuple(a.args_after), tuple(b.args_after))
        and strictly_equal(dict(a.kwargs_after), dict(b.kwargs_after))
    )


def strictly_equal(a: object, b: object) -> bool:
    """Same type at every level, floats bit for bit (any NaN equals any NaN), dicts in order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        assert isinstance(b, float)
        return (math.isnan(a) and math.isnan(b)) or a.hex() == b.hex()
    if isinstance(a, complex):
        assert isinstance(b, complex)
        return strictly_equal(a.real, b.real) and strictly_equal(a.imag, b.imag)
    if isinstance(a, (list, tuple)):
        assert isinstance(b, (list, tuple))
        return len(a) == len(b) and all(strictly_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (set, frozenset)):
        assert isinstance(b, (set, frozenset))
        # Matched structurally: an element holding NaN is found by no lookup.
        rest = list(b)
        for x in a:
            twin = next((i for i, y in enumerate(rest) if strictly_equal(x, y)), None)
            if twin is None:
                return False
            del rest[twin]
        return not rest
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return strictly_equal(list(a.keys()), list(b.keys())) and strictly_equal(
            list(a.values()), list(b.values())
        )
    if type(a).__module__.partition(".")[0] == "numpy" and hasattr(a, "shape"):
        import numpy as np

        array_a, array_b = np.asarray(a), np.asarray(b)
        same_dtype = array_a.dtype == array_b.dtype
        nan = array_a.dtype.kind in "fc"
        return same_dtype and bool(np.array_equal(array_a, array_b, equal_nan=nan))
    return bool(a == b)
