"""Where things stand in the generated crate: the lines of ``src/lib.rs`` read back.

Input: the crate's sources as ``rust.py`` wrote them (and the
``pytest_rustify_crate_sources`` hook may have edited them) and a place in
``src/lib.rs``, such as where rustc reports an error. Output: the target that place
belongs to and the Python line it came from, or the crate without some targets::

    origin = locate(sources["src/lib.rs"], 73)
    origin.name, origin.file, origin.line      # ("total", "mymod.py", 5)
    rebuilt = without_targets(sources, {"total"})   # every other target kept, byte for byte

``rust.py`` writes each target into a module of its own (``mod target_<name> { ... }``),
puts a header comment ``// pkg.mod:func (file:line)`` above each Rust function it
translates, and a marker ``// line N`` above the Rust of each Python statement; this
module reads those back, and nothing else. Pure functions on text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

LIB = "src/lib.rs"
TARGET_MODULE_PREFIX = "target_"

_MODULE_START = re.compile(rf"^mod {TARGET_MODULE_PREFIX}(\w+) \{{\s*$")
_TOP_LEVEL_END = re.compile(r"^(#\[pymodule\]|mod \w+)")
_HEADER = re.compile(r"^// (\S+:\w+) \((.+):(\d+)\)\s*$")
_MARKER = re.compile(r"^\s*// line (\d+)\s*$")
_DISPATCHER = re.compile(r"^(#\[pyfunction\]|#\[pyo3\(|pub\(crate\) fn py_)")


@dataclass(frozen=True)
class Origin:
    """The target a line of ``src/lib.rs`` belongs to, and the Python line behind it.

    ``exact`` is False when the line is not the Rust of a statement (a function's
    signature, its dispatcher): ``line`` is then the ``def`` line of the function.
    """

    name: str  # the target's IR name (its module is target_<name>)
    target: str  # pkg.mod:func of the function whose Rust it is (a helper's own)
    file: str
    line: int
    exact: bool


def line_marker(line: int) -> str:
    """The comment ``rust.py`` writes above the Rust of the Python statement at ``line``."""
    return f"// line {line}"


def function_header(target: str, file: str, line: int) -> str:
    """The comment ``rust.py`` writes above the Rust function translated from ``target``."""
    return f"// {target} ({file}:{line})"


def target_module(name: str) -> str:
    """The Rust module holding the target whose IR name is ``name``."""
    return f"{TARGET_MODULE_PREFIX}{name}"


def locate(lib: str, line: int) -> Origin | None:
    """The target and Python line of ``line`` (1-based) of ``lib``, the text of
    ``src/lib.rs``; None outside every target's module (the shared header, the module
    initialisation) or where the comments ``rust.py`` writes are gone."""
    lines = lib.splitlines()
    if not 1 <= line <= len(lines):
        return None
    start = None
    for i in range(line - 1, -1, -1):
        if _MODULE_START.match(lines[i]):
            start = i
            break
        if _TOP_LEVEL_END.match(lines[i]):
            return None  # past the end of the module above, or in the shared part
    if start is None:
        return None
    name = _MODULE_START.match(lines[start])[1]  # type: ignore[index]
    first = next((m for m in map(_HEADER.match, lines[start:]) if m), None)
    if first is None:
        return None
    statement = None
    for i in range(line - 1, start, -1):
        text = lines[i]
        if statement is None and _DISPATCHER.match(text):
            break  # the dispatcher: its errors belong to the target's def line
        marker = _MARKER.match(text)
        if marker and statement is None:
            statement = int(marker[1])
        header = _HEADER.match(text)
        if header:
            if statement is None:
                return Origin(name, header[1], header[2], int(header[3]), exact=False)
            return Origin(name, header[1], header[2], statement, exact=True)
    return Origin(name, first[1], first[2], int(first[3]), exact=False)


def blame(lib: str, errors: Iterable[tuple[str, int, str]]) -> dict[str, str]:
    """The targets the compiler's ``errors`` (path in the crate, line, first line of the
    message) fall in: IR name -> the first error, as ``file:line: message (src/lib.rs:N)``
    with the Python line it came from. Empty when an error lies outside every target's
    module (the runtime, the shared part): dropping targets would not help then."""
    blamed: dict[str, str] = {}
    for path, line, message in errors:
        origin = locate(lib, line) if path == LIB else None
        if origin is None:
            return {}
        blamed.setdefault(origin.name, f"{origin.file}:{origin.line}: {message} ({path}:{line})")
    return blamed


def without_targets(sources: Mapping[str, str], names: Collection[str]) -> dict[str, str]:
    """``sources`` without the modules of the targets ``names`` and their registration
    in the module initialisation; every other line is kept as it was, so that cargo
    rebuilds only what changed. The dropped targets keep their slots (fallback
    counters, names): the indices the other dispatchers use do not move."""
    lines = sources[LIB].splitlines(keepends=True)
    kept: list[str] = []
    dropping = False
    registrations = tuple(
        pattern
        for name in names
        for pattern in (
            f"wrap_pyfunction!({target_module(name)}::py_{name}, m)",
            f"signatures.set_item({_rust_str(name)},",
        )
    )
    for text in lines:
        start = _MODULE_START.match(text)
        if start:
            dropping = start[1] in names
        elif dropping and _TOP_LEVEL_END.match(text):
            dropping = False
        if dropping or any(pattern in text for pattern in registrations):
            continue
        kept.append(text)
    return {**sources, LIB: "".join(kept)}


def _rust_str(text: str) -> str:
    # The names are identifiers: Rust's string literal is Python's with double quotes.
    return '"' + text + '"'
