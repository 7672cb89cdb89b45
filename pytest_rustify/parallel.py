"""Parallel: how the workers of one xdist run meet between the phases.

Every worker profiles and records the items it runs. The pipeline between the phases
needs all of it, and must run once, so the workers meet in a directory of the run's own
(``run_dir``, named by the controller: inside the cache, or in the temporary directory
when the cache cannot be written; the controller removes it at the end)::

    meeting = Meeting(run_dir, worker="gw0", workers=2, say=print)
    meeting.arrive(Arrival("gw0", portable(observations), profile))  # phase 1 done
    with meeting.turn() as handoff:       # one worker at a time
        if handoff is None:               # the first: merge, prepare, build, hand off
            arrivals = meeting.everyone()
            ...
            meeting.hand_off(Handoff(...))
        else:                             # the others: load the build the first made
            ...

A worker arrives when it reaches its first second-phase item, or at the end of its
session if it gets none. Under ``--dist load`` a worker that holds a second-phase item
has run every first-phase item xdist sent it, since items are sent in collection order
and the session puts the second phase last; so once every worker has arrived, phase 1
is over everywhere. The first worker to take its turn merges the arrivals, prepares and
writes the hand-off; the others, waiting on the turn's lock meanwhile, read it. A worker
that dies while preparing releases the lock with its process, and the next one prepares.

Files are written whole and renamed into place (``write_atomic``). Plain data and files:
no pytest.
"""

from __future__ import annotations

import contextlib
import pickle
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._fs import exclusive_lock, write_atomic
from .observe import FunctionObservations, Limits, Observations
from .profile import Profile, merge_profiles

_ARRIVALS = "arrived"
_HANDOFF = "handoff.pickle"
_TURN = "turn.lock"
_POLL_S = 0.05
_NOTE_AFTER_S = 30.0


class ParallelError(Exception):
    """A meeting that cannot complete: a worker's file cannot be read."""


@dataclass(frozen=True)
class Arrival:
    """What one worker learned in phase 1."""

    worker: str
    observations: Observations
    profile: Profile


@dataclass(frozen=True)
class Handoff:
    """What the preparing worker leaves the others: the session's results without the
    live objects (functions, the module), and how to load the build."""

    prepared: Any  # results.Prepared, stripped; Any keeps this module free of the translator
    build: Any  # build.BuildResult | None
    nodeids: dict[tuple[str, str], str]


class Meeting:
    def __init__(
        self, run_dir: Path, *, worker: str, workers: int, say: Callable[[str], None]
    ) -> None:
        self.run_dir = run_dir
        self.worker = worker
        self.workers = workers
        self.say = say

    def arrive(self, arrival: Arrival) -> None:
        """Leave this worker's phase-1 results for the others."""
        write_atomic(self.run_dir / _ARRIVALS / f"{arrival.worker}.pickle", _dumps(arrival))

    def everyone(self, *, timeout: float | None = None) -> list[Arrival]:
        """Wait until every worker has arrived; their arrivals, ordered by worker."""
        folder = self.run_dir / _ARRIVALS
        started = time.monotonic()
        noted = False
        while True:
            names = sorted(p.name for p in folder.glob("*.pickle")) if folder.is_dir() else []
            if len(names) >= self.workers:
                break
            waited = time.monotonic() - started
            if not noted and waited > _NOTE_AFTER_S:
                self.say(
                    f"waiting for the other xdist workers to finish phase 1 "
                    f"({len(names)} of {self.workers} done)"
                )
                noted = True
            if timeout is not None and waited > timeout:
                raise ParallelError(
                    f"only {len(names)} of {self.workers} xdist workers finished phase 1 "
                    f"within {timeout:.0f}s"
                )
            time.sleep(_POLL_S)
        return [_load(folder / name, Arrival) for name in names]

    @contextlib.contextmanager
    def turn(self) -> Iterator[Handoff | None]:
        """One worker at a time; yields the hand-off if another worker already made it."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        with exclusive_lock(self.run_dir / _TURN, self.say, "the worker preparing the build"):
            try:
                handoff = self.handoff()
            except ParallelError as exc:
                self.say(f"WARNING: {exc}; preparing again")
                handoff = None
            yield handoff

    def hand_off(self, handoff: Handoff) -> None:
        write_atomic(self.run_dir / _HANDOFF, _dumps(handoff))

    def handoff(self) -> Handoff | None:
        """The hand-off, if one was made (the controller reads it at the end)."""
        path = self.run_dir / _HANDOFF
        return _load(path, Handoff) if path.exists() else None

    def close(self) -> None:
        shutil.rmtree(self.run_dir, ignore_errors=True)


def merge_arrivals(arrivals: Sequence[Arrival], limits: Limits) -> tuple[Observations, Profile]:
    """The observations and profile of all workers, as one process would have them."""
    observations = Observations()
    for a in arrivals:
        observations = observations.merge(a.observations, limits)
    return observations, merge_profiles(a.profile for a in arrivals)


def portable(observations: Observations) -> Observations:
    """``observations`` with the calls that cannot be pickled (a lambda among the
    arguments, a local class) left out, saying so where the unrecordable calls are told."""
    kept = {}
    for target, obs in observations.functions.items():
        try:
            pickle.dumps(obs, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            why = f"its calls cannot be passed between xdist workers ({type(exc).__name__}: {exc})"
            obs = FunctionObservations(target, (), obs.seen, obs.unrecordable or why)
        kept[target] = obs
    return Observations(kept, observations.tests)


def _dumps(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _load(path: Path, kind: type[Any]) -> Any:
    try:
        value = pickle.loads(path.read_bytes())
    except Exception as exc:
        raise ParallelError(f"cannot read {path}: {type(exc).__name__}: {exc}") from exc
    if not isinstance(value, kind):
        raise ParallelError(f"{path} does not hold a {kind.__name__}")
    return value
