"""Differential fuzzing of the whole corpus: Python and Rust on calls Hypothesis draws.

For every corpus function in the built crate, ``fuzz_plan.plan_for`` derives a strategy
from the IR parameter types (``strategies.strategy_for``; loop bounds drawn small), and
every drawn call goes through ``check_same`` (conftest.py), the comparison the hand-written
semantics tests use: the same result (types, float bits, NaN equal to NaN, tuple vs list,
dict order), or the same exception type AND message, and the same arguments afterwards.
Messages are compared because the runtime raises CPython's own messages and they agree
in practice; a message that differs is a finding like any other.

A call with an argument Rust cannot hold (an int past 64 bits, a lone surrogate) or of a
type the build was not made for (one call in ten passes an int or an np.float64 for a
float, a bool for an int, ``[1, 2.5]`` for a list of floats, a frozenset for a set, a
float32 or 3-D array for a float64 vector) must fall back to Python, and so must a call
that shares an argument the function changes in place with another argument (one call
in five shares where the types allow); any other call may (an overflow on the way, an
array in another memory layout). ``check_same`` still compares the outcome, and the
fallbacks are counted and shown in the terminal summary with the number of examples run.

Reproducible: ``derandomize=True`` and no example database, so CI draws the same calls
every run and nothing is written at run time. The budget is ``RUSTIFY_FUZZ_EXAMPLES``
examples per function (default ``DEFAULT_EXAMPLES``: the corpus of some 470 functions
in about a minute and a half on two cores); ``RUSTIFY_FUZZ_SEED`` draws other calls, to
hunt further, and a bigger ``RUSTIFY_FUZZ_EXAMPLES`` goes deeper. A finding is
minimised by Hypothesis and then kept as a regression test in ``test_fuzz_findings.py``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest
from fuzz_plan import OVERRIDES, plan_for
from hypothesis import HealthCheck, given, seed, settings
from strategies import fits_rust

if TYPE_CHECKING:
    from conftest import CheckSame, Corpus

EXAMPLES_ENV = "RUSTIFY_FUZZ_EXAMPLES"
SEED_ENV = "RUSTIFY_FUZZ_SEED"
FUZZ_PROPERTY = "rustify_fuzz"  # read by pytest_terminal_summary in conftest.py
# 100 took some 160 s once sets, arrays, helpers and the math module joined the corpus
DEFAULT_EXAMPLES = 50


def examples_per_function() -> int:
    value = _positive_env(EXAMPLES_ENV, "a positive number of examples")
    return DEFAULT_EXAMPLES if value is None else value


def fuzz_seed() -> int | None:
    """``RUSTIFY_FUZZ_SEED``: draw other calls than the derandomized default (to hunt
    further); the same seed draws the same calls again."""
    return _positive_env(SEED_ENV, "a positive seed")


def _positive_env(name: str, expected: str) -> int | None:
    raw = os.environ.get(name, "")
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise pytest.UsageError(f"{name}={raw!r}: expected {expected}")
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

    chosen_seed = fuzz_seed()

    @settings(
        max_examples=examples_per_function(),
        derandomize=chosen_seed is None,
        database=None,
        deadline=None,  # the first calls of a function are slower; time is not the point
        print_blob=False,
        # too_slow is timed: on two cores shared with cargo builds the first draws (Unicode
        # tables, long nested dicts) can take seconds. The budget is a count, not a time.
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(call=plan.calls())
    def same_in_python_and_rust(call: tuple[tuple[object, ...], dict[str, object], bool]) -> None:
        nonlocal examples
        examples += 1
        args, kwargs, mismatched = call
        # An argument of another type, or one Rust cannot hold, must be handed to Python;
        # any other call may still fall back on the way (an overflow): then either is fine.
        must = mismatched or not fits_rust((args, kwargs))
        check_same(name, *args, fallback=True if must else None, kw=kwargs)

    if chosen_seed is not None:
        same_in_python_and_rust = seed(chosen_seed)(same_in_python_and_rust)
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


@pytest.mark.parametrize("env", [EXAMPLES_ENV, SEED_ENV])
@pytest.mark.parametrize("raw", ["0", "-5", "many"])
def test_bad_setting_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, env: str, raw: str) -> None:
    monkeypatch.setenv(env, raw)
    with pytest.raises(pytest.UsageError, match=env):
        examples_per_function() if env == EXAMPLES_ENV else fuzz_seed()


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EXAMPLES_ENV, "7")
    monkeypatch.setenv(SEED_ENV, "12")
    assert (examples_per_function(), fuzz_seed()) == (7, 12)
    monkeypatch.delenv(EXAMPLES_ENV)
    monkeypatch.delenv(SEED_ENV)
    assert (examples_per_function(), fuzz_seed()) == (DEFAULT_EXAMPLES, None)
