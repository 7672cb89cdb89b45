"""The meeting of xdist workers between the phases (parallel.py), on plain files."""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from pytest_rustify.calls import Outcome, RecordedCall
from pytest_rustify.observe import FunctionObservations, Limits, Observations, TestTimes
from pytest_rustify.parallel import (
    Arrival,
    Handoff,
    Meeting,
    ParallelError,
    merge_arrivals,
    portable,
)
from pytest_rustify.profile import Profile

TEST = ("/p/test_m.py", "test_x")


def _arrival(worker: str, item: int, value: int) -> Arrival:
    call = RecordedCall((value,), {}, Outcome(value, None, (value,), {}))
    obs = Observations(
        {"m:f": FunctionObservations("m:f", (call,), seen=1, items=(item,))},
        {TEST: TestTimes(10, {"m:f": 5})},
    )
    return Arrival(worker, obs, Profile(profiler="cprofile", note="", total=0.0))


def _meeting(tmp_path: Path, worker: str, said: list[str] | None = None) -> Meeting:
    sink = said if said is not None else []
    return Meeting(tmp_path / "run", worker=worker, workers=2, say=sink.append)


def test_everyone_waits_for_every_worker(tmp_path: Path) -> None:
    first, second = _meeting(tmp_path, "gw0"), _meeting(tmp_path, "gw1")
    first.arrive(_arrival("gw0", 1, 10))
    with pytest.raises(ParallelError, match="only 1 of 2 xdist workers finished phase 1"):
        first.everyone(timeout=0.2)
    second.arrive(_arrival("gw1", 0, 20))
    arrivals = first.everyone(timeout=5)
    assert [a.worker for a in arrivals] == ["gw0", "gw1"]
    observations, profile = merge_arrivals(arrivals, Limits())
    # Back in collection order: item 0 ran on gw1, item 1 on gw0.
    assert [c.args for c in observations["m:f"].calls] == [(20,), (10,)]
    assert observations.tests[TEST] == TestTimes(20, {"m:f": 10})
    assert profile.profiler == "cprofile"


def test_the_first_turn_prepares_and_the_others_get_its_handoff(tmp_path: Path) -> None:
    first, second = _meeting(tmp_path, "gw0"), _meeting(tmp_path, "gw1")
    with first.turn() as handoff:
        assert handoff is None
        first.hand_off(Handoff(prepared={"made": "by gw0"}, build=None, nodeids={}))
    with second.turn() as handoff:
        assert handoff is not None and handoff.prepared == {"made": "by gw0"}
    assert first.handoff() == second.handoff()
    first.close()
    assert not (tmp_path / "run").exists()


def test_a_worker_dying_in_its_turn_hands_the_turn_on(tmp_path: Path) -> None:
    """The turn is an flock: the process that dies holding it releases it, and the next
    worker, finding no hand-off, prepares itself."""
    run = tmp_path / "run"
    run.mkdir()
    holder = textwrap.dedent(
        f"""
        import fcntl, os, sys
        fh = open({str(run / "turn.lock")!r}, "a+b")
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        print("held", flush=True)
        sys.stdin.read()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    said: list[str] = []
    got: list[Handoff | None] = []

    def take_turn() -> None:
        with _meeting(tmp_path, "gw1", said).turn() as handoff:
            got.append(handoff)

    waiter = threading.Thread(target=take_turn)
    waiter.start()
    waiter.join(timeout=0.5)
    assert waiter.is_alive() and not got
    assert said == ["waiting for the worker preparing the build"]
    proc.kill()
    proc.wait()
    waiter.join(timeout=30)
    assert got == [None]


def test_a_damaged_arrival_is_a_clear_error(tmp_path: Path) -> None:
    meeting = _meeting(tmp_path, "gw0")
    meeting.arrive(_arrival("gw0", 0, 1))
    (tmp_path / "run" / "arrived" / "gw1.pickle").write_bytes(b"not a pickle")
    with pytest.raises(ParallelError, match=r"cannot read .*gw1\.pickle"):
        meeting.everyone(timeout=1)


def test_calls_that_cannot_travel_are_dropped_and_said(tmp_path: Path) -> None:
    call = RecordedCall((lambda x: x,), {}, Outcome(None, None, (None,), {}))
    obs = Observations({"m:g": FunctionObservations("m:g", (call,), seen=3, items=(0,))})
    travelled = portable(obs)
    pickle.dumps(travelled)
    assert travelled["m:g"].calls == ()
    assert travelled["m:g"].seen == 3
    assert "cannot be passed between xdist workers" in travelled["m:g"].unrecordable


def test_a_damaged_handoff_is_prepared_again(tmp_path: Path) -> None:
    said: list[str] = []
    meeting = _meeting(tmp_path, "gw1", said)
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "handoff.pickle").write_bytes(b"\x80\x05truncated")
    with meeting.turn() as handoff:
        assert handoff is None
    assert len(said) == 1 and "handoff.pickle" in said[0] and "preparing again" in said[0]
