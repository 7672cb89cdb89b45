"""``ProcessLog``: which programs a block of code starts, for tests that must see none."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class ProcessLog:
    """The programs this process starts while ``watching``, seen through an audit hook
    (``subprocess.Popen``, ``os.exec*``, ``os.posix_spawn``, ``os.system``, ``os.fork``)."""

    _EVENTS = ("os.system", "os.posix_spawn", "os.exec", "os.spawn", "os.fork", "os.forkpty")

    def __init__(self) -> None:
        self._started: list[str] = []
        self._watching = False

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self._watching:
            return
        if event == "subprocess.Popen":
            program = args[0] if args[0] is not None else args[1][0]
            self._started.append(Path(os.fsdecode(program)).name)
        elif event in self._EVENTS:
            self._started.append(event)

    @contextmanager
    def watching(self) -> Iterator[list[str]]:
        """A list that holds, after the block, what was started inside it."""
        mark = len(self._started)
        seen: list[str] = []
        self._watching = True
        try:
            yield seen
        finally:
            self._watching = False
            seen.extend(self._started[mark:])
