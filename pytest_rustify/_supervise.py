"""Run a build command, and stop it with everything it started if the session dies.

Part of the build stage: ``build.py`` starts maturin through this program, as a script
(``python _supervise.py SESSION_PID maturin build ...``), in a process group of its
own. A session that times out or is interrupted kills that group itself; a session
killed with SIGKILL cannot, and cargo and rustc would build on, orphaned. So this
program watches its parent: when the session is gone it kills its own group (maturin,
cargo, rustc, the linker, and itself). It polls rather than asking Linux for a signal on
the parent's death (``PR_SET_PDEATHSIG``): that signal reaches only the one process
that asked, follows the death of a thread rather than of the process, and exists on
Linux only; polling works on every POSIX system.

Standard library only, and no import of the package: it starts with ``python -I -S``.
Exit status: the command's, or 128 + the signal that ended it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

POLL_SECONDS = 0.5
# The exit status and the line (on stderr) saying that the command could not be started.
CANNOT_START = 127
CANNOT_START_PREFIX = "pytest-rustify: cannot start "


def main(argv: list[str]) -> int:
    if len(argv) < 3 or not argv[1].isdigit():
        print("usage: _supervise.py SESSION_PID COMMAND [ARG ...]", file=sys.stderr)
        return 2
    session, command = int(argv[1]), argv[2:]
    try:
        child = subprocess.Popen(command)
    except OSError as exc:
        print(f"{CANNOT_START_PREFIX}{command[0]}: {exc}", file=sys.stderr, flush=True)
        return CANNOT_START
    while True:
        try:
            code = child.wait(timeout=POLL_SECONDS)
        except subprocess.TimeoutExpired:
            if os.getppid() != session:
                # Orphaned: the session died without stopping the build.
                os.killpg(0, signal.SIGKILL)
            continue
        return 128 - code if code < 0 else code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
