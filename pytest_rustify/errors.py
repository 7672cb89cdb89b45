"""Errors and refusals, kept apart as STYLE.md asks.

- ``RustifyUsageError`` is bad input from the user (an option, a marker); the plugin
  turns it into ``pytest.UsageError``.
- ``Refusal`` is a *value*: the translator's answer for a construct outside the
  supported subset, with a reason code, one sentence and ``file:line``.
- ``RustifyInternalError`` wraps our own bugs so the traceback says where to report it.
"""

from __future__ import annotations

from dataclasses import dataclass

REPORT_BUGS_AT = "https://github.com/pytest-rustify/pytest-rustify/issues"


class RustifyError(Exception):
    """Base class of the errors pytest-rustify raises on purpose."""


class RustifyUsageError(RustifyError):
    """An option, a config key or a marker argument that cannot be accepted."""


class ToolchainError(RustifyError):
    """cargo, rustc or maturin is missing or unusable."""


class RustifyInternalError(RustifyError):
    """A bug in pytest-rustify itself, not in the user's code."""

    def __init__(self, message: str) -> None:
        super().__init__(
            f"internal pytest-rustify error: {message}\n"
            f"This is a bug in pytest-rustify; please report it at {REPORT_BUGS_AT}"
        )


@dataclass(frozen=True)
class Refusal:
    """Why a function was not translated.

    ``code`` is a short stable identifier (``unsupported-syntax``, ``type-conflict``,
    ...), ``message`` one sentence naming the construct, and ``file``/``line`` where it
    stands in the user's source.
    """

    code: str
    message: str
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class RefusalError(RustifyError):
    """Raised inside the translator to unwind to the function boundary with a Refusal."""

    def __init__(self, code: str, message: str, line: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
