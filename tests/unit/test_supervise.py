"""The supervisor maturin runs under: when the session that started it dies without
stopping the build (SIGKILL), it stops the whole build, grandchildren included."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pytest_rustify import build

pytestmark = pytest.mark.skipif(os.name != "posix", reason="process groups are POSIX")

# Stands in for the session: starts the supervisor as build.py does, says its pid, waits.
SESSION = """
import os, subprocess, sys, time
supervisor = subprocess.Popen(
    [sys.executable, "-I", "-S", sys.argv[1], str(os.getpid()), *sys.argv[2:]],
    start_new_session=True,
)
print(supervisor.pid, flush=True)
time.sleep(1000)
"""


def _group(pgid: int) -> list[int]:
    """The live (not zombie) processes of process group ``pgid``."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


def _wait(condition: object, what: str) -> None:
    # The limit only keeps a broken supervisor from hanging the suite.
    deadline = time.monotonic() + 60
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.1)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_killed_session_takes_the_whole_build_with_it() -> None:
    # sh starts a grandchild (sleep) that would outlive everything by itself.
    session = subprocess.Popen(
        [sys.executable, "-c", SESSION, str(build._SUPERVISOR), "sh", "-c", "sleep 1000; true"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert session.stdout is not None
        group = int(session.stdout.readline())
        _wait(lambda: len(_group(group)) >= 3, "supervisor, sh and sleep to run")
        session.send_signal(signal.SIGKILL)
        session.wait()
        _wait(lambda: _group(group) == [], "the build's process group to end")
    finally:
        session.kill()
        session.wait()
        for pid in _group(group) if "group" in locals() else []:
            os.kill(pid, signal.SIGKILL)


def test_the_command_status_comes_back(tmp_path: Path) -> None:
    run = [sys.executable, "-I", "-S", str(build._SUPERVISOR), str(os.getpid())]
    assert subprocess.run([*run, "sh", "-c", "exit 3"]).returncode == 3
    assert subprocess.run([*run, "sh", "-c", "kill -TERM $$"]).returncode == 128 + 15
    missing = subprocess.run([*run, str(tmp_path / "nothing")], capture_output=True, text=True)
    assert missing.returncode == 127
    assert missing.stderr.startswith(f"pytest-rustify: cannot start {tmp_path / 'nothing'}: ")
