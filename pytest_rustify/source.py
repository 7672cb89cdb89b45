"""Source: a Python function object -> the translator's input, and its translation.

Input: a module-level function, the name it is reported under (``pkg.mod:func``), where
it stands for users (``file``, ``line``), and the calls that give its types. Output: an
``ir.Function``, or a ``Refusal`` saying why not::

    translate_callable("pkg.mod:dot", dot, "pkg/mod.py", 4, calls, parse=parse_module)
    # -> ir.Function(name="dot", ...)   or   Refusal("type-conflict", "calls passed ...", ...)

The session translates its targets through this, with the calls phase 1 recorded; the
``show`` command does too, with the sample calls given on its command line. Both then
see the same refusals for the same function and types.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from pathlib import Path

from .calls import RecordedCall
from .errors import Refusal
from .observe import type_evidence
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
    evidence = type_evidence(fn, calls)
    if isinstance(evidence, str):
        return Refusal("type-conflict", evidence, file, line)
    return translate_function(source, evidence)


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
