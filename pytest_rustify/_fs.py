"""Small filesystem helpers shared by the stages that write files.

Shared files (cache entries, reports) are written to a temporary file beside the
destination and renamed into place, because xdist workers and parallel sessions race.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file 0600; a report or cache entry gets the usual mode.
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def exclusive_lock(
    path: Path, say: Callable[[str], None], holder: str = "another build of the same crate"
) -> Iterator[None]:
    """Hold an exclusive flock on ``path``; xdist workers and parallel sessions wait here."""
    with open(path, "a+b") as handle:
        if sys.platform != "win32":
            import fcntl

            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                say(f"waiting for {holder}")
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        # Closing the file releases the lock, also when the process dies. Windows gets no
        # lock: two sessions may then build the same crate, and the rename keeps that safe.
        yield
