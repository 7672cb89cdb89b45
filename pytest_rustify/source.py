"""Source: a Python function object -> the translator's input, and its translation.

Input: a module-level function, the name it is reported under (``pkg.mod:func``), where
it stands for users (``file``, ``line``), and the calls that give its types. Output: an
``ir.Function``, or a ``Refusal`` saying why not::

    translate_callable("pkg.mod:dot", dot, "pkg/mod.py", 4, calls, parse=parse_module)
    # -> ir.Function(name="dot", ...)   or   Refusal("type-conflict", "calls passed ...", ...)

The session translates its targets through this, with the calls phase 1 recorded; the
``show`` command does too, with the sample calls given on its command line. Both then
see the same refusals for the same function and types.

Calls that pass NumPy arrays where others pass lists are translated apart: the first
translation that succeeds is the function, the others its ``variants`` (one dispatcher
tries each in turn), and a group of calls whose translation is refused falls back to
Python, its refusal kept in the function's ``notes``::

    translate_callable("pkg.mod:dot", dot, ..., [dot([1.0], [2.0]), dot(arr, arr)])
    # -> ir.Function(name="dot", params=(a: list[float], ...),
    #                variants=(ir.Function(name="dot__2", params=(a: ndarray[float64, 1d], ...)),))
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from .calls import RecordedCall
from .errors import Refusal
from .observe import call_groups, type_evidence
from .translate import ir
from .translate.frontend import FunctionSource, translate_function

ParseModule = Callable[[str], ast.Module]


def parse_module(path: str) -> ast.Module:
    """The AST of the Python file at ``path``.

    :raises OSError: the file cannot be read.
    :raises SyntaxError: it is not Python (of this interpreter's version).
    """
    return ast.parse(Path(path).read_text(encoding="utf-8"), filename=path)


def translate_callable(
    target: str,
    fn: Callable[..., object],
    file: str,
    line: int,
    calls: Sequence[RecordedCall],
    *,
    parse: ParseModule = parse_module,
) -> ir.Function | Refusal:
    """Translate ``fn`` with the types its annotations and ``calls`` show, or say why not.

    :param file: the file as users read it (relative to the rootdir where possible); the
        refusals point there.
    :param parse: reads a module's AST by path; the session passes one that caches.
    """
    source = function_source(target, fn, file, line, parse=parse)
    if isinstance(source, Refusal):
        return source
    groups = call_groups(fn, calls)
    done: list[ir.Function] = []
    refused: list[tuple[tuple[str, ...], Refusal]] = []
    for arrays, group in groups[:MAX_VARIANTS]:
        # Names in the order the translations succeed: the first keeps the Python name.
        ir_name = f"{source.node.name}__{len(done) + 1}" if done else None
        result = _translate_group(source, fn, group, ir_name, line)
        if isinstance(result, Refusal):
            refused.append((arrays, result))
        else:
            done.append(result)
    dropped = [arrays for arrays, _ in groups[MAX_VARIANTS:]]
    if not done:
        first = refused[0][1]
        others = "; ".join(f"{_group_name(a)}: {r}" for a, r in refused[1:])
        return replace(first, message=f"{first.message} ({others})") if others else first
    notes = [
        f"{_group_name(a)} are not accelerated (they fall back to Python): {r}" for a, r in refused
    ]
    notes += [
        f"{_group_name(a)} are not accelerated (they fall back to Python): a function "
        f"gets at most {MAX_VARIANTS} translations, one per kind of call"
        for a in dropped
    ]
    primary = done[0]
    return replace(primary, variants=tuple(done[1:]), notes=(*primary.notes, *notes))


# Each kind of call (lists, NumPy arrays, a mix) is one more translation in the crate.
MAX_VARIANTS = 4


def _translate_group(
    source: FunctionSource,
    fn: Callable[..., object],
    calls: Sequence[RecordedCall],
    ir_name: str | None,
    line: int,
) -> ir.Function | Refusal:
    evidence = type_evidence(fn, calls)
    if isinstance(evidence, str):
        return Refusal("type-conflict", evidence, source.file, line)
    return translate_function(source, evidence, ir_name=ir_name)


def _group_name(arrays: tuple[str, ...]) -> str:
    if not arrays:
        return "the calls passing no NumPy array"
    return "the calls passing NumPy arrays for " + ", ".join(f"`{a}`" for a in arrays)


def function_source(
    target: str,
    fn: Callable[..., object],
    file: str,
    line: int,
    *,
    parse: ParseModule = parse_module,
) -> FunctionSource | Refusal:
    """The ``def`` of ``fn`` in its module's AST, with the globals it reads."""
    if hasattr(fn, "__wrapped__"):
        # The code object is the decorator's wrapper; translating the def underneath
        # would drop whatever the decorator does.
        return Refusal("decorator", "decorated functions are not supported", file, line)
    code = getattr(fn, "__code__", None)
    globals_ = getattr(fn, "__globals__", None)
    if code is None or not isinstance(globals_, dict):
        return Refusal("source", f"{target} is not a Python function", file, line)
    try:
        tree = parse(code.co_filename)
    except (OSError, SyntaxError, ValueError) as exc:
        return Refusal("source", f"cannot read the source: {exc}", file, line)
    node = next(
        (
            n
            for n in tree.body
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == code.co_name
        ),
        None,
    )
    if not isinstance(node, ast.FunctionDef):
        return Refusal(
            "source", "only module-level, non-async functions are translated", file, line
        )
    return FunctionSource(target, file, node, tree, globals_)
