"""Differential fuzzing of the whole corpus: Python and Rust on calls Hypothesis draws.

For every corpus function in the built crate, ``fuzz_plan.plan_for`` derives a strategy
from the IR parameter types (``strategies.strategy_for``; loop bounds drawn small), and
every drawn call goes through ``check_same`` (conftest.py), the comparison the hand-written
semantics tests use: the same result (types, float bits, NaN equal to NaN, tuple vs list,
dict order), or the same exception type AND message, and the same arguments afterwards.
Messages are compared because the runtime raises CPython's own messages and they agree
in practice; a message that differs is a finding like any other.

A call with an argument Rust cannot hold (an int past 64 bits, a lone surrogate) must
fall back to Python; any other call may (an overflow on the way). ``check_same`` still
compares the outcome, and the fallbacks are counted and shown in the terminal summary
with the number of examples run.

Reproducible: ``derandomize=True`` and no example database, so CI draws the same calls
every run and nothing is written at run time. The budget is ``RUSTIFY_FUZZ_EXAMPLES``
examples per function (default ``DEFAULT_EXAMPLES``, about a minute for the corpus on
two cores); a finding is minimised by Hypothesis and then kept as a regression test in
``test_fuzz_findings.py``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest
from fuzz_plan import OVERRIDES, plan_for
from hypothesis import given, settings
from strategies import fits_rust

if TYPE_CHECKING:
    from conftest import CheckSame, Corpus

EXAMPLES_ENV = "RUSTIFY_FUZZ_EXAMPLES"
FUZZ_PROPERTY = "rustify_fuzz"  # read by pytest_terminal_summary in conftest.py
DEFAULT_EXAMPLES = 100


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


def test_fuzz(
    corpus: Corpus,
    corpus_function: str,
    check_same: CheckSame,
    record_property: Any,
) -> None:
    name = corpus_function
    corpus.rust(name)  # fails with the reason when the function is not in the crate
    plan = plan_for(corpus.translated[name])
    examples = 0
    before = corpus.fallbacks(name)

    @settings(
        max_examples=examples_per_function(),
        derandomize=True,
        database=None,
        deadline=None,  # the first calls of a function are slower; time is not the point
        print_blob=False,
    )
    @given(call=plan.calls())
    def same_in_python_and_rust(call: tuple[tuple[object, ...], dict[str, object]]) -> None:
        nonlocal examples
        examples += 1
        args, kwargs = call
        # An argument Rust cannot hold must be handed to Python; any other call may still
        # fall back on the way (an overflow), so then either is fine.
        fits = fits_rust((args, kwargs))
        check_same(name, *args, fallback=None if fits else True, kw=kwargs)

    try:
        same_in_python_and_rust()
    finally:
        record_property(FUZZ_PROPERTY, (examples, corpus.fallbacks(name) - before))


def test_every_built_function_is_fuzzed(corpus: Corpus) -> None:
    """test_fuzz is parametrized over ``corpus_function``: every corpus function. Those in
    the crate must all have a plan (a strategy for every parameter, every loop bound
    bounded); the rest are the known problems that test_translates_and_builds reports."""
    assert set(corpus.functions) == set(corpus.translated) | set(corpus.problems)
    plans = {name: plan_for(fn) for name, fn in corpus.translated.items()}
    assert set(plans) == set(corpus.translated)
    assert set(OVERRIDES) <= set(corpus.translated), "an override names no built function"
    for name, override in OVERRIDES.items():
        assert override.reason, name
        assert set(override.names) <= {p.name for p in corpus.translated[name].params}


@pytest.mark.parametrize("raw", ["0", "-5", "many"])
def test_bad_budget_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(EXAMPLES_ENV, raw)
    with pytest.raises(pytest.UsageError, match=EXAMPLES_ENV):
        examples_per_function()


def test_budget_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EXAMPLES_ENV, "7")
    assert examples_per_function() == 7
    monkeypatch.delenv(EXAMPLES_ENV)
    assert examples_per_function() == DEFAULT_EXAMPLES
