"""Select: which functions become targets.

Input: the phase-1 ``Profile``, the session's marked tests and the explicitly named
targets. Output: ``[Target]``, each saying why it was chosen::

    select_targets(profile, marked={test_key: MarkerTargets(...)}, named=["pkg.mod:f"],
                   threshold=5.0, resolve=...)
    # -> [Target("pkg.mod:f", reasons=("named",)), Target("pkg.mod:g", reasons=("41% of
    #     test_g",)), ...]

A function is hot when it takes at least ``threshold`` percent of the whole session
(sampled), or of one marked test (so a suite of fifty marked tests still has one target
per test). Within a marked test, a function the observe stage timed at its boundary
has that exact share (a test of a few milliseconds gets only a few samples); the
sampler's share serves for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .observe import TestTimes
from .profile import FuncKey, Profile, TestKey


@dataclass(frozen=True)
class Target:
    target: str  # pkg.mod:func
    file: str
    line: int
    percent: float | None  # share of the session's time, when profiled
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MarkedTest:
    """A ``@pytest.mark.rustify`` test: its profile key and the targets it names."""

    key: TestKey
    nodeid: str
    named: tuple[str, ...] = ()


def select_targets(
    profile: Profile,
    *,
    timed: Mapping[TestKey, TestTimes],
    marked: Iterable[MarkedTest],
    named: Iterable[str],
    threshold: float,
    resolve: Callable[[FuncKey], tuple[str, str, int] | None],
    locate: Callable[[str], tuple[str, int] | None],
) -> list[Target]:
    """Hot user functions plus named targets, in a stable order (hottest first).

    :param resolve: maps a profiled function (file, name) to ``(target, file, line)``,
        or None when it is not a module-level user function.
    :param locate: the ``(file, line)`` of a named target, or None when it cannot be found.
    """
    reasons: dict[str, list[str]] = {}
    where: dict[str, tuple[str, int]] = {}
    percent: dict[str, float] = {}

    def add(func: FuncKey, why: str) -> None:
        resolved = resolve(func)
        if resolved is None:
            return
        target, file, line = resolved
        reasons.setdefault(target, []).append(why)
        where[target] = (file, line)

    for func in profile.functions:
        share = profile.share(func)
        resolved = resolve(func)
        if resolved is not None:
            percent[resolved[0]] = max(percent.get(resolved[0], 0.0), share)
        if share >= threshold:
            add(func, f"{share:.1f}% of the session")
    for test in marked:
        shares: dict[str, tuple[float, FuncKey | None]] = {}
        tp = profile.tests.get(test.key)
        if tp is not None:
            for func in tp.functions:
                resolved = resolve(func)
                if resolved is not None:
                    shares[resolved[0]] = (profile.test_share(test.key, func), func)
        times = timed.get(test.key)
        if times is not None:
            # Timed at the function's boundary: exact where sampling is noisy.
            for target in times.functions:
                shares[target] = (times.share(target), None)
        for target, (share, _) in sorted(shares.items()):
            if share >= threshold:
                _add_named(target, f"{share:.0f}% of {test.nodeid}", reasons, where, locate)
        for t in test.named:
            _add_named(t, f"named by {test.nodeid}", reasons, where, locate)
    for t in named:
        _add_named(t, "named", reasons, where, locate)
    order = sorted(reasons, key=lambda t: (-percent.get(t, 0.0), t))
    return [
        Target(t, where[t][0], where[t][1], percent.get(t), tuple(dict.fromkeys(reasons[t])))
        for t in order
    ]


def _add_named(
    target: str,
    why: str,
    reasons: dict[str, list[str]],
    where: dict[str, tuple[str, int]],
    locate: Callable[[str], tuple[str, int] | None],
) -> None:
    reasons.setdefault(target, []).append(why)
    if target not in where:
        where[target] = locate(target) or ("?", 0)


def hotspots(
    profile: Profile, resolve: Callable[[FuncKey], tuple[str, str, int] | None], threshold: float
) -> list[tuple[str, str, int, float]]:
    """Session-level hot user functions: (target, file, line, percent), hottest first."""
    out: dict[str, tuple[str, str, int, float]] = {}
    for func in profile.functions:
        share = profile.share(func)
        resolved = resolve(func)
        if resolved is None or share < threshold:
            continue
        target, file, line = resolved
        if target not in out or out[target][3] < share:
            out[target] = (target, file, line, share)
    return sorted(out.values(), key=lambda h: (-h[3], h[0]))
