"""The select stage: hot functions, marked tests' hot functions, and named targets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pytest_rustify.observe import TestTimes as Times  # aliased: pytest would collect Test*
from pytest_rustify.profile import FuncKey, Profile, TestKey, TestProfile
from pytest_rustify.select import MarkedTest, Target, hotspots, select_targets

HOT = ("/p/pkg/m.py", "hot")
WARM = ("/p/pkg/m.py", "warm")
COOL = ("/p/pkg/m.py", "cool")
EDGE = ("/p/pkg/m.py", "edge")
LIB = ("/venv/lib/numpy/core.py", "dot")  # not user code
TEST_X: TestKey = ("/p/tests/test_m.py", "test_x")
TEST_Y: TestKey = ("/p/tests/test_m.py", "test_y")

USER = {
    HOT: ("pkg.m:hot", "pkg/m.py", 10),
    WARM: ("pkg.m:warm", "pkg/m.py", 20),
    COOL: ("pkg.m:cool", "pkg/m.py", 30),
    EDGE: ("pkg.m:edge", "pkg/m.py", 40),
}
PLACES = {"pkg.other:named": ("pkg/other.py", 7), "pkg.m:cool": ("pkg/m.py", 30)}


def resolve(func: FuncKey) -> tuple[str, str, int] | None:
    return USER.get(func)


def locate(target: str) -> tuple[str, int] | None:
    return PLACES.get(target)


def profile(
    functions: Mapping[FuncKey, float],
    tests: Mapping[TestKey, TestProfile] | None = None,
    total: float = 100.0,
) -> Profile:
    return Profile(
        profiler="cprofile", note="", total=total, functions=functions, tests=tests or {}
    )


def select(
    prof: Profile,
    *,
    timed: Mapping[TestKey, Times] | None = None,
    marked: Iterable[MarkedTest] = (),
    named: Iterable[str] = (),
    threshold: float = 5.0,
) -> list[Target]:
    return select_targets(
        prof,
        timed=timed or {},
        marked=marked,
        named=named,
        threshold=threshold,
        resolve=resolve,
        locate=locate,
    )


def by_name(targets: list[Target]) -> dict[str, Target]:
    return {t.target: t for t in targets}


# --- session-hot -----------------------------------------------------------------------------


def test_session_hot_functions_over_the_threshold_are_selected() -> None:
    targets = select(profile({HOT: 40.0, WARM: 6.0, COOL: 2.0}))
    assert [t.target for t in targets] == ["pkg.m:hot", "pkg.m:warm"]
    hot = targets[0]
    assert (hot.file, hot.line) == ("pkg/m.py", 10)
    assert hot.percent == 40.0
    assert hot.reasons == ("40.0% of the session",)


def test_the_threshold_itself_counts_as_hot() -> None:
    targets = select(profile({EDGE: 5.0, COOL: 4.9}), threshold=5.0)
    assert [t.target for t in targets] == ["pkg.m:edge"]


def test_a_higher_threshold_selects_fewer() -> None:
    prof = profile({HOT: 40.0, WARM: 6.0})
    assert [t.target for t in select(prof, threshold=10.0)] == ["pkg.m:hot"]
    assert select(prof, threshold=50.0) == []


def test_shares_are_relative_to_the_session_total() -> None:
    # 6 samples of 200 are 3%, under the threshold even though 6 > 5.
    targets = select(profile({HOT: 100.0, WARM: 6.0}, total=200.0))
    assert [t.target for t in targets] == ["pkg.m:hot"]
    assert targets[0].percent == 50.0


def test_a_function_resolve_rejects_is_dropped() -> None:
    targets = select(profile({LIB: 90.0, HOT: 10.0}))
    assert [t.target for t in targets] == ["pkg.m:hot"]


def test_no_profile_and_no_names_select_nothing() -> None:
    assert select(profile({}, total=0.0)) == []


# --- marked tests ------------------------------------------------------------------------------


def test_a_function_hot_in_a_marked_test_is_selected() -> None:
    prof = profile(
        {HOT: 60.0, COOL: 1.0},
        tests={TEST_X: TestProfile(total=2.0, functions={COOL: 1.6})},
    )
    marked = [MarkedTest(TEST_X, "tests/test_m.py::test_x")]
    targets = by_name(select(prof, marked=marked))
    assert set(targets) == {"pkg.m:hot", "pkg.m:cool"}
    assert targets["pkg.m:cool"].reasons == ("80% of tests/test_m.py::test_x",)
    assert targets["pkg.m:cool"].percent == 1.0  # the session share, for the report


def test_a_function_hot_only_in_an_unmarked_test_is_not_selected() -> None:
    prof = profile({COOL: 1.0}, tests={TEST_Y: TestProfile(total=2.0, functions={COOL: 1.6})})
    marked = [MarkedTest(TEST_X, "tests/test_m.py::test_x")]
    assert select(prof, marked=marked) == []


def test_timed_shares_take_precedence_over_sampled_ones() -> None:
    # Sampling says 80% of test_x (a handful of samples); the timer says 1%.
    prof = profile({COOL: 1.0}, tests={TEST_X: TestProfile(total=5.0, functions={COOL: 4.0})})
    marked = [MarkedTest(TEST_X, "tests/test_m.py::test_x")]
    timed = {TEST_X: Times(total=1_000_000, functions={"pkg.m:cool": 10_000})}
    assert select(prof, marked=marked) != []
    assert select(prof, marked=marked, timed=timed) == []


def test_a_timed_share_can_make_a_function_hot() -> None:
    # Sampling never caught cool in test_x; the timer says 60%.
    prof = profile({COOL: 1.0}, tests={TEST_X: TestProfile(total=5.0, functions={})})
    marked = [MarkedTest(TEST_X, "tests/test_m.py::test_x")]
    timed = {TEST_X: Times(total=1_000, functions={"pkg.m:cool": 600})}
    (target,) = select(prof, marked=marked, timed=timed)
    assert target.target == "pkg.m:cool"
    assert target.reasons == ("60% of tests/test_m.py::test_x",)
    assert (target.file, target.line) == ("pkg/m.py", 30)


def test_sampled_shares_stand_for_functions_that_were_not_timed() -> None:
    prof = profile(
        {WARM: 1.0, COOL: 1.0},
        tests={TEST_X: TestProfile(total=10.0, functions={WARM: 5.0, COOL: 5.0})},
    )
    marked = [MarkedTest(TEST_X, "tests/test_m.py::test_x")]
    timed = {TEST_X: Times(total=1_000, functions={"pkg.m:cool": 1})}
    assert [t.target for t in select(prof, marked=marked, timed=timed)] == ["pkg.m:warm"]


def test_timed_shares_of_an_unmarked_test_are_ignored() -> None:
    prof = profile({COOL: 1.0})
    timed = {TEST_Y: Times(total=1_000, functions={"pkg.m:cool": 900})}
    marked = [MarkedTest(TEST_X, "tests/test_m.py::test_x")]
    assert select(prof, marked=marked, timed=timed) == []


def test_a_function_resolve_rejects_is_dropped_from_a_marked_test() -> None:
    prof = profile({LIB: 1.0}, tests={TEST_X: TestProfile(total=10.0, functions={LIB: 9.0})})
    marked = [MarkedTest(TEST_X, "tests/test_m.py::test_x")]
    assert select(prof, marked=marked) == []


# --- named targets -----------------------------------------------------------------------------


def test_a_target_named_by_a_marker_is_added_even_when_cold() -> None:
    marked = [MarkedTest(TEST_X, "tests/test_m.py::test_x", named=("pkg.other:named",))]
    (target,) = select(profile({}), marked=marked)
    assert target == Target(
        "pkg.other:named", "pkg/other.py", 7, None, ("named by tests/test_m.py::test_x",)
    )


def test_a_target_named_by_the_option_is_added_even_when_cold() -> None:
    targets = by_name(select(profile({HOT: 40.0, COOL: 1.0}), named=["pkg.m:cool"]))
    assert set(targets) == {"pkg.m:hot", "pkg.m:cool"}
    assert targets["pkg.m:cool"].reasons == ("named",)
    assert (targets["pkg.m:cool"].file, targets["pkg.m:cool"].line) == ("pkg/m.py", 30)
    assert targets["pkg.m:cool"].percent == 1.0


def test_a_named_target_that_cannot_be_located_is_kept_without_a_place() -> None:
    (target,) = select(profile({}), named=["pkg.gone:f"])
    assert (target.target, target.file, target.line) == ("pkg.gone:f", "?", 0)
    assert target.percent is None


def test_a_hot_named_target_appears_once_with_every_reason() -> None:
    marked = [MarkedTest(TEST_X, "tests/test_m.py::test_x", named=("pkg.m:hot",))]
    targets = select(profile({HOT: 40.0}), marked=marked, named=["pkg.m:hot", "pkg.m:hot"])
    assert len(targets) == 1
    assert targets[0].reasons == (
        "40.0% of the session",
        "named by tests/test_m.py::test_x",
        "named",
    )
    # The place comes from the profile, which knew it first.
    assert (targets[0].file, targets[0].line) == ("pkg/m.py", 10)


# --- order -----------------------------------------------------------------------------------


def test_targets_are_ordered_hottest_first_then_by_name() -> None:
    prof = profile({COOL: 1.0, WARM: 20.0, EDGE: 20.0, HOT: 40.0})
    targets = select(prof, named=["pkg.other:named", "pkg.m:cool", "pkg.a:first"])
    assert [t.target for t in targets] == [
        "pkg.m:hot",
        "pkg.m:edge",  # ties broken by name
        "pkg.m:warm",
        "pkg.m:cool",  # named, 1% of the session
        "pkg.a:first",  # named, never profiled
        "pkg.other:named",
    ]


def test_the_order_does_not_depend_on_the_order_of_the_inputs() -> None:
    shares = {COOL: 1.0, WARM: 20.0, EDGE: 20.0, HOT: 40.0}
    forward = select(profile(shares), named=["pkg.b:f", "pkg.a:f"])
    backward = select(profile(dict(reversed(shares.items()))), named=["pkg.a:f", "pkg.b:f"])
    assert forward == backward
    assert forward == select(profile(shares), named=["pkg.b:f", "pkg.a:f"])


def test_two_profiled_keys_of_one_target_keep_the_larger_share() -> None:
    # The same function seen under two spellings of its path.
    other_spelling = ("/p/pkg/../pkg/m.py", "hot")
    user = {**USER, other_spelling: USER[HOT]}
    targets = select_targets(
        profile({HOT: 8.0, other_spelling: 30.0}),
        timed={},
        marked=(),
        named=(),
        threshold=5.0,
        resolve=user.get,
        locate=locate,
    )
    assert len(targets) == 1
    assert targets[0].percent == 30.0


# --- hotspots -----------------------------------------------------------------------------------


def test_hotspots_are_the_session_level_hot_user_functions() -> None:
    prof = profile(
        {LIB: 90.0, COOL: 2.0, WARM: 20.0, HOT: 40.0},
        tests={TEST_X: TestProfile(total=2.0, functions={COOL: 2.0})},
    )
    assert hotspots(prof, resolve, 5.0) == [
        ("pkg.m:hot", "pkg/m.py", 10, 40.0),
        ("pkg.m:warm", "pkg/m.py", 20, 20.0),
    ]


def test_hotspots_respect_the_threshold_and_break_ties_by_name() -> None:
    prof = profile({WARM: 20.0, EDGE: 20.0, HOT: 40.0})
    assert [h[0] for h in hotspots(prof, resolve, 20.0)] == [
        "pkg.m:hot",
        "pkg.m:edge",
        "pkg.m:warm",
    ]
    assert hotspots(prof, resolve, 41.0) == []


def test_hotspots_of_one_target_under_two_keys_keep_the_larger_share() -> None:
    other_spelling = ("/p/pkg/../pkg/m.py", "hot")
    user = {**USER, other_spelling: USER[HOT]}
    prof = profile({HOT: 8.0, other_spelling: 30.0})
    assert hotspots(prof, user.get, 5.0) == [("pkg.m:hot", "pkg/m.py", 10, 30.0)]
