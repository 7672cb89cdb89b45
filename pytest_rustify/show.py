"""Show: one function of a file -> its generated Rust, or why it was refused.

The ``show`` command (``python -m pytest_rustify show FILE::FUNC``) translates one function
outside a test session, so a user can see what the translator makes of it without running
the suite. Input: ``FILE::FUNC`` and optional sample calls (Python literals, as the
positional and keyword arguments of a call). Output: a ``Shown``, rendered as text or
JSON::

    shown = show_function("src/pkg/stats.py::mean", ["[1.0, 2.0]"])
    shown.target              # "pkg.stats:mean"
    render_text(shown)        # header (signatures) + the function's Rust, or the refusal
    shown.exit_code           # 0 translated, 1 refused

The module is imported as pytest's default ("prepend") import mode would: the first
directory above the file without an ``__init__.py`` goes on ``sys.path``, and the module
is imported by its dotted name from there, so relative imports inside a package work.
The sample calls run the function (as the recorded calls of a session did) and give the
same type evidence. Bad input (no such file or function, a malformed call) raises
``ShowError``, whose message is one line.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import inspect
import sys
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .calls import RecordedCall, record_call
from .emit import EmitError, EmittedFunction, emit_project
from .errors import Refusal, RustifyError
from .source import translate_callable
from .translate import ir
from .translate.rtypes import type_of_value
from .translate.rust import function_code, generate_crate, rust_signature

TRANSLATED, REFUSED, BAD_INPUT = 0, 1, 2


class ShowError(RustifyError):
    """Input the command cannot use: its message is the one line the user sees."""


@dataclass(frozen=True)
class SampleCall:
    """A call given on the command line, and what the function did with it."""

    text: str
    outcome: str  # "returned float", "raised ValueError: ..."


@dataclass(frozen=True)
class CrateWritten:
    directory: Path
    package: str


@dataclass(frozen=True)
class Shown:
    """What the translator made of one function."""

    target: str  # pkg.mod:func
    file: str  # as the user reads it: relative to the working directory when inside it
    line: int
    annotated: bool
    calls: tuple[SampleCall, ...]
    result: ir.Function | Refusal
    source_line: str | None = None  # the line a refusal points at
    crate: CrateWritten | None = None

    @property
    def exit_code(self) -> int:
        return REFUSED if isinstance(self.result, Refusal) else TRANSLATED


def show_function(
    spec: str,
    calls: Sequence[str] = (),
    *,
    crate: Path | None = None,
    cwd: Path | None = None,
) -> Shown:
    """Import the function ``spec`` names, run the sample ``calls``, and translate it.

    :param spec: ``FILE::FUNC``, FILE relative to ``cwd`` (default: the working directory).
    :param calls: each the arguments of one call, such as ``"[1.0, 2.0], n=3"``.
    :param crate: write the translated function as a standalone maturin project there.
    :raises ShowError: bad input; nothing was written.
    """
    cwd = Path.cwd() if cwd is None else cwd
    path, func = _split_spec(spec, cwd)
    parsed = [_parse_call(text) for text in calls]
    # The user's module and calls may print; stdout is reserved for what we show.
    with contextlib.redirect_stdout(sys.stderr):
        module_name, module = _import(path, cwd)
        fn = _function(module, func, spec)
        recorded, samples = _run_calls(fn, func, calls, parsed)
    # A decorated function is reported where its own `def` is.
    code = getattr(inspect.unwrap(fn), "__code__", None)
    file = _display(Path(code.co_filename) if code is not None else path, cwd)
    line = code.co_firstlineno if code is not None else 1
    result = translate_callable(f"{module_name}:{func}", fn, file, line, recorded)
    annotated = bool(getattr(fn, "__annotations__", None))
    if isinstance(result, Refusal):
        source = Path(code.co_filename) if code is not None else path
        return Shown(
            f"{module_name}:{func}",
            file,
            line,
            annotated,
            samples,
            result,
            source_line=_source_line(source, result.line),
        )
    written = _write_crate(result, crate) if crate is not None else None
    return Shown(f"{module_name}:{func}", file, line, annotated, samples, result, crate=written)


# -- rendering -------------------------------------------------------------------------


def render_text(shown: Shown) -> str:
    """The header, then the function's Rust (impl and dispatcher) or the refusal."""
    out = [
        f"target      {shown.target}",
        f"defined at  {shown.file}:{shown.line}",
        f"types from  {_types_from(shown)}",
    ]
    out += [f"sample call {c.text!r} {c.outcome}" for c in shown.calls]
    result = shown.result
    if isinstance(result, Refusal):
        out += [
            "",
            f"refused [{result.code}]: {result.message}",
            f"  --> {result.file}:{result.line}",
        ]
        if shown.source_line is not None:
            code = shown.source_line.rstrip()
            indent = len(code) - len(code.lstrip())
            width = len(str(result.line))
            out += [
                f" {' ' * width} |",
                f" {result.line} | {code}",
                f" {' ' * width} | {' ' * indent}{'^' * max(1, len(code) - indent)}",
            ]
        if result.code == "type-unknown":
            out.append(
                "TIP: annotate the parameters, or give a sample call of the function with "
                "--call, such as --call '[1.0, 2.0], 3'"
            )
        return "\n".join(out) + "\n"
    out += [
        f"python      {result.signature}",
        f"rust        {rust_signature(result)}",
    ]
    out += [f"note        {note}" for note in result.notes]
    if shown.crate is not None:
        out.append(
            f"crate       {shown.crate.directory} (Python package {shown.crate.package}; "
            "`maturin develop` there builds and installs it)"
        )
    out += ["", function_code(result).strip("\n")]
    return "\n".join(out) + "\n"


def render_json(shown: Shown) -> dict[str, object]:
    """The machine-readable form: the same facts as ``render_text``, keyed."""
    result = shown.result
    data: dict[str, object] = {
        "target": shown.target,
        "file": shown.file,
        "line": shown.line,
        "status": "refused" if isinstance(result, Refusal) else "translated",
        "annotated": shown.annotated,
        "calls": [{"args": c.text, "outcome": c.outcome} for c in shown.calls],
    }
    if isinstance(result, Refusal):
        data["refusal"] = {
            "code": result.code,
            "message": result.message,
            "file": result.file,
            "line": result.line,
            "source": shown.source_line,
        }
        data["reason"] = str(result)
        return data
    data["python_signature"] = result.signature
    data["signature"] = rust_signature(result)
    if result.notes:
        data["notes"] = list(result.notes)
    data["rust"] = function_code(result)
    if shown.crate is not None:
        data["crate"] = {"directory": str(shown.crate.directory), "package": shown.crate.package}
    return data


def _types_from(shown: Shown) -> str:
    parts = ["annotations"] if shown.annotated else []
    if shown.calls:
        n = len(shown.calls)
        parts.append(f"{n} sample call{'s' if n != 1 else ''}")
    return " and ".join(parts) if parts else "nothing (no annotations, no --call)"


# -- input -----------------------------------------------------------------------------


def _split_spec(spec: str, cwd: Path) -> tuple[Path, str]:
    file, sep, func = spec.rpartition("::")
    if not sep or not file or not func:
        raise ShowError(f"expected FILE::FUNC, such as src/pkg/mod.py::mean, not {spec!r}")
    if not func.isidentifier():
        raise ShowError(f"{func!r} is not the name of a module-level function")
    path = cwd / file
    if not path.is_file():
        raise ShowError(f"no such file: {file}")
    if path.suffix != ".py":
        raise ShowError(f"not a Python source file (.py): {file}")
    return path.resolve(), func


def _parse_call(text: str) -> tuple[tuple[object, ...], dict[str, object]]:
    """``"[1.0], n=3"`` -> ``(([1.0],), {"n": 3})``: Python literals only, nothing runs."""
    bad = (
        f"--call {text!r}: expected Python literals as the arguments of a call, "
        "such as '[1.0, 2.0], n=3'"
    )
    try:
        node = ast.parse(f"_({text}\n)", mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        raise ShowError(bad) from None
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"):
        raise ShowError(bad)
    if any(isinstance(a, ast.Starred) for a in node.args) or any(
        k.arg is None for k in node.keywords
    ):
        raise ShowError(f"--call {text!r}: `*` and `**` unpacking are not accepted")
    names = [k.arg for k in node.keywords]
    if len(set(names)) != len(names):
        raise ShowError(f"--call {text!r}: a keyword argument is repeated")
    try:
        args = tuple(ast.literal_eval(a) for a in node.args)
        kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg is not None}
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise ShowError(bad) from None
    return args, kwargs


def _import(path: Path, cwd: Path) -> tuple[str, types.ModuleType]:
    base, name = _module_name(path)
    if str(base) not in sys.path:
        sys.path.insert(0, str(base))
    try:
        module = importlib.import_module(name)
    except (Exception, SystemExit) as exc:
        raise ShowError(
            f"cannot import {name} from {_display(path, cwd)}: {_one_line(exc)}"
        ) from None
    loaded = getattr(module, "__file__", None)
    if loaded is None or Path(loaded).resolve() != path:
        raise ShowError(
            f"{_display(path, cwd)} imports as module {name}, but that name is already "
            f"{loaded or 'a built-in module'}; rename the file"
        )
    return name, module


def _module_name(path: Path) -> tuple[Path, str]:
    """The directory to put on ``sys.path`` and the dotted name to import from it."""
    parts = [] if path.name == "__init__.py" else [path.stem]
    directory = path.parent
    while (directory / "__init__.py").is_file() and directory.name.isidentifier():
        parts.insert(0, directory.name)
        directory = directory.parent
    if not parts or not all(p.isidentifier() for p in parts):
        raise ShowError(f"{path} cannot be imported: {path.stem!r} is not a module name")
    return directory, ".".join(parts)


def _function(module: types.ModuleType, func: str, spec: str) -> Callable[..., object]:
    fn: object = getattr(module, func, None)
    if fn is None:
        raise ShowError(f"no function {func!r} in {spec.rpartition('::')[0]}")
    if isinstance(fn, types.FunctionType) or (
        callable(fn) and isinstance(getattr(fn, "__wrapped__", None), types.FunctionType)
    ):
        return fn  # a decorated function is shown refused, with the reason
    raise ShowError(
        f"{func!r} in {spec.rpartition('::')[0]} is not a function "
        f"(its type is {type(fn).__name__})"
    )


def _run_calls(
    fn: Callable[..., object],
    func: str,
    texts: Sequence[str],
    parsed: Sequence[tuple[tuple[object, ...], dict[str, object]]],
) -> tuple[list[RecordedCall], tuple[SampleCall, ...]]:
    try:
        sig: inspect.Signature | None = inspect.signature(fn)
    except (TypeError, ValueError):
        sig = None
    recorded: list[RecordedCall] = []
    samples = []
    for text, (args, kwargs) in zip(texts, parsed, strict=True):
        if sig is not None:
            try:
                sig.bind(*args, **kwargs)
            except TypeError as exc:
                raise ShowError(f"--call {text!r} does not fit {func}{sig}: {exc}") from None
        try:
            value = record_call(fn, args, kwargs, recorded.append)
            outcome = f"returned {_type_name(value)}"
        except Exception as exc:
            outcome = f"raised {_one_line(exc)}"
        samples.append(SampleCall(text, outcome))
    return recorded, tuple(samples)


# -- output helpers --------------------------------------------------------------------


def _write_crate(fn: ir.Function, dest: Path) -> CrateWritten:
    sources = generate_crate(ir.Module((fn,), sys.version_info[:2]))
    emitted = EmittedFunction(fn.name, fn.target, fn.file, fn.line, rust_signature(fn))
    try:
        result = emit_project(sources, [emitted], dest)
    except EmitError as exc:
        raise ShowError(f"--crate: {str(exc).splitlines()[0]}") from None
    return CrateWritten(result.directory, result.package)


def _source_line(path: Path, line: int) -> str | None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return lines[line - 1] if 0 < line <= len(lines) else None


def _display(path: Path, cwd: Path) -> str:
    absolute = path.resolve()
    try:
        return absolute.relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return str(absolute)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _type_name(value: object) -> str:
    """The translator's name for the value's type (``list[float]``), else Python's."""
    t = type_of_value(value)
    if t is not None:
        return str(t)
    tp = type(value)
    return tp.__qualname__ if tp.__module__ == "builtins" else f"{tp.__module__}.{tp.__qualname__}"
