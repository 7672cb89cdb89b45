"""``python -m pytest_rustify``: commands that work outside a pytest session.

``show FILE::FUNC`` prints the Rust the translator makes of one function, or the
refusal and the line it points at (see ``pytest_rustify.show``). Exit codes: 0
translated, 1 refused, 2 bad input (one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .show import BAD_INPUT, ShowError, render_json, render_text, show_function


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr, exit code 2, like the command's own errors."""

    def error(self, message: str) -> NoReturn:
        self.exit(BAD_INPUT, f"{self.prog}: error: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m pytest_rustify",
        description="pytest-rustify commands that work without running the test suite.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    show = commands.add_parser(
        "show",
        help="Print the Rust generated for one function, or why it is refused",
        description=(
            "Translate one module-level function and print its Rust (signature, the "
            "function's code and its Python-facing dispatcher), or the refusal with the "
            "source line it points at. The module is imported as pytest would import it. "
            "Exit code: 0 translated, 1 refused, 2 bad input."
        ),
        epilog=(
            "example: python -m pytest_rustify show src/pkg/stats.py::mean --call '[1.0, 2.0, 4.0]'"
        ),
    )
    show.add_argument("spec", metavar="FILE::FUNC", help="The function, as pytest names tests")
    show.add_argument(
        "--call",
        metavar="ARGS",
        action="append",
        default=[],
        help=(
            "Arguments of a sample call as Python literals, such as '[1.0, 2.0], n=3'; the "
            "function is run on them and their types count as a test's calls would "
            "(repeatable)"
        ),
    )
    show.add_argument(
        "--crate",
        metavar="DIR",
        type=Path,
        help="Also write the whole crate there as a maturin project (`maturin develop` builds it)",
    )
    show.add_argument("--json", action="store_true", help="Print JSON instead of text")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return BAD_INPUT
    try:
        shown = show_function(args.spec, args.call, crate=args.crate)
    except ShowError as exc:
        print(f"{parser.prog} show: error: {exc}", file=sys.stderr)
        return BAD_INPUT
    if args.json:
        print(json.dumps(render_json(shown), indent=2))
    else:
        sys.stdout.write(render_text(shown))
    return shown.exit_code


if __name__ == "__main__":
    sys.exit(main())
