"""Hostile-input fuzzing: arbitrary Python objects in every argument position.

test_fuzz.py draws well-typed calls (and one in ten with a neighbouring type). Here every
corpus function, and every function of the bundled examples (built into a crate of their
own from ``examples/rustify_examples``), gets calls whose arguments are anything: None,
wrong types, ragged and nested wrong shapes, ints past 64 bits, NaN and infinities, empty
and 10**5-long sequences, strided, reversed, Fortran-order, read-only, zero-size and
wrong-dtype NumPy arrays (float32, int32, object, bool, complex, big-endian), and
subclasses of list, float, int, str and dict that override ``__iter__``, ``__len__``,
``__getitem__``, ``__float__``, ``__index__``, ``__eq__`` and ``__hash__``
(``hostile.pool_for``).

Each example draws a well-typed call (``fuzz_plan``), then makes one call per parameter
with that parameter replaced by a hostile value, and one call with all of them replaced.
Each call must return what Python returns, raise the same exception type, or fall back to
Python (counted); never crash the process, hang, or answer differently
(``hostile.run_hostile``). The counts go into the terminal summary.

Reproducible: derandomized Hypothesis, no example database. ``RUSTIFY_HOSTILE_EXAMPLES``
examples per function (default ``DEFAULT_EXAMPLES``) goes deeper; ``RUSTIFY_FUZZ_SEED``
draws other calls, as for test_fuzz.py.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest
from fuzz_plan import FuzzPlan, plan_for
from hostile import pool_for, run_hostile, typed_pool
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from pytest_rustify import build
from pytest_rustify.errors import Refusal
from pytest_rustify.translate import ir
from pytest_rustify.translate.frontend import FunctionSource, TypeEvidence, translate_function
from pytest_rustify.translate.rust import crate_dependencies, generate_crate

if TYPE_CHECKING:
    from conftest import Corpus

EXAMPLES_ENV = "RUSTIFY_HOSTILE_EXAMPLES"
SEED_ENV = "RUSTIFY_FUZZ_SEED"  # shared with test_fuzz.py
HOSTILE_PROPERTY = "rustify_hostile"  # read by pytest_terminal_summary in conftest.py
# 4 examples of (parameters + 1) calls each: the corpus and the examples in about a
# minute on two cores.
DEFAULT_EXAMPLES = 4
EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples" / "rustify_examples"
KINDS = ("matched", "raised", "fell_back", "skipped")


def examples_per_function() -> int:
    raw = os.environ.get(EXAMPLES_ENV, "")
    if not raw:
        return DEFAULT_EXAMPLES
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise pytest.UsageError(f"{EXAMPLES_ENV}={raw!r}: expected a positive number of examples")
    return value


def fuzz_seed() -> int | None:
    raw = os.environ.get(SEED_ENV, "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


def fuzz_hostile(
    fn: ir.Function,
    python: Callable[..., object],
    rust: Callable[..., object],
    fallbacks: Callable[[], int],
) -> dict[str, int]:
    """Run the hostile calls of one function; returns how many ended each way."""
    plan = plan_for(fn)
    counts = dict.fromkeys(KINDS, 0)
    careful = {*plan.bounded, *plan.deep, *(plan.override.names if plan.override else ())}
    # Half the draws from values of about the right type, which reach the Rust code.
    pools = {
        p.name: st.one_of(
            *[
                st.sampled_from(pool)
                for pool in (
                    typed_pool(p.type, careful=p.name in careful),
                    pool_for(p.type, careful=p.name in careful),
                )
                if pool
            ]
        )
        for p in fn.params
    }
    chosen_seed = fuzz_seed()

    @settings(
        max_examples=examples_per_function(),
        derandomize=chosen_seed is None,
        database=None,
        deadline=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def hostile_calls(data: st.DataObject) -> None:
        args, kwargs, _ = data.draw(plan.calls(), label="well-typed call")
        hostile = {p.name: data.draw(pools[p.name], label=p.name) for p in fn.params}
        calls = [_replaced(plan, args, kwargs, {p.name: hostile[p.name]}) for p in fn.params]
        if len(fn.params) > 1:
            calls.append(_replaced(plan, args, kwargs, hostile))
        for call_args, call_kwargs in calls:
            verdict = run_hostile(fn.name, python, rust, fallbacks, call_args, call_kwargs)
            counts[verdict.kind] += 1

    if chosen_seed is not None:
        hostile_calls = seed(chosen_seed)(hostile_calls)
    hostile_calls()
    return counts


def _replaced(
    plan: FuzzPlan,
    args: tuple[object, ...],
    kwargs: Mapping[str, object],
    values: Mapping[str, object],
) -> tuple[tuple[object, ...], dict[str, object]]:
    """The call with the parameters in ``values`` replaced where they were passed (a
    parameter left to its default is passed by keyword)."""
    new_args = list(args)
    new_kwargs = dict(kwargs)
    for i, p in enumerate(plan.params):
        if p.name not in values:
            continue
        if i < len(new_args):
            new_args[i] = values[p.name]
        else:
            new_kwargs[p.name] = values[p.name]
    return tuple(new_args), new_kwargs


def test_fuzz_hostile(corpus: Corpus, corpus_function: str, record_property: Any) -> None:
    name = corpus_function
    rust = corpus.rust(name)  # fails with the reason when the function is not in the crate
    counts = fuzz_hostile(
        corpus.translated[name], corpus.py(name), rust, lambda: corpus.fallbacks(name)
    )
    record_property(HOSTILE_PROPERTY, counts)


# -- the bundled examples ---------------------------------------------------------------


@dataclass(frozen=True)
class Examples:
    """The example functions, translated from their annotations and built into one crate."""

    functions: Mapping[str, ir.Function]
    originals: Mapping[str, Callable[..., object]]
    module: ModuleType

    def fallbacks(self, name: str) -> int:
        counts: dict[str, int] = self.module.__rustify_fallbacks__()
        return counts[name]


def _example_functions() -> dict[str, tuple[FunctionSource, Callable[..., object]]]:
    out: dict[str, tuple[FunctionSource, Callable[..., object]]] = {}
    for path in sorted(EXAMPLES_DIR.glob("*.py")):
        if path.stem == "__init__":
            continue
        name = f"rustify_hostile_examples_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                source = FunctionSource(
                    target=f"rustify_examples.{path.stem}:{node.name}",
                    file=f"examples/rustify_examples/{path.name}",
                    node=node,
                    module=tree,
                    globals=vars(module),
                )
                out[node.name] = (source, getattr(module, node.name))
    return out


@pytest.fixture(scope="session")
def examples(toolchain: None, tmp_path_factory: pytest.TempPathFactory) -> Examples:
    found = _example_functions()
    translated: dict[str, ir.Function] = {}
    for name, (source, _) in found.items():
        result = translate_function(source, TypeEvidence())
        assert not isinstance(result, Refusal), f"{name}: {result}"
        translated[name] = result
    sources = generate_crate(ir.Module(tuple(translated.values()), sys.version_info[:2]))
    built = build.build_crate(
        sources,
        cache_dir=tmp_path_factory.mktemp("hostile-examples"),
        toolchain=build.find_toolchain(),
        dependencies=crate_dependencies(sources),
    )
    if built.status == "failed":
        pytest.fail(f"the examples' crate did not build:\n{built.message}", pytrace=False)
    module = build.load_extension(built)
    originals = {name: fn for name, (_, fn) in found.items()}
    for name, fn in originals.items():
        module.__rustify_originals__[name] = fn
    return Examples(translated, originals, module)


@pytest.mark.parametrize("example", sorted(_example_functions()))
def test_fuzz_hostile_example(examples: Examples, example: str, record_property: Any) -> None:
    counts = fuzz_hostile(
        examples.functions[example],
        examples.originals[example],
        getattr(examples.module, example),
        lambda: examples.fallbacks(example),
    )
    record_property(HOSTILE_PROPERTY, counts)


def test_bad_setting_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw in ("0", "-2", "many"):
        monkeypatch.setenv(EXAMPLES_ENV, raw)
        with pytest.raises(pytest.UsageError, match=EXAMPLES_ENV):
            examples_per_function()
    monkeypatch.setenv(EXAMPLES_ENV, "9")
    assert examples_per_function() == 9
