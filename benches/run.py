"""Run the benchmark and write its table: ``python benches/run.py [options]``.

Prints the markdown table on stdout (progress goes to stderr) and writes the same as
JSON and markdown, by default to ``benches/results/latest.json`` and ``latest.md``.
Builds go through pytest-rustify's build stage into ``benches/.cache`` (cargo's target
directory is ``$CARGO_TARGET_DIR`` when set), so a second run builds nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):
    # Run as a script: make the repository root (this package's parent) importable.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benches.harness import IMPLEMENTATIONS, Settings, run_benchmark
from benches.report import markdown, write
from benches.workloads import Sizes

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python benches/run.py",
        description="Time CPython, the generated Rust, hand-written Rust and Numba on the "
        "example functions, with lists and with NumPy arrays.",
    )
    parser.add_argument("--rounds", type=int, default=20, help="Timing rounds (default 20)")
    parser.add_argument(
        "--min-time",
        type=float,
        default=0.01,
        help="Seconds each timed batch lasts at least (default 0.01)",
    )
    parser.add_argument(
        "--tiny", action="store_true", help="Tiny inputs: a quick check that everything runs"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=HERE / "results" / "latest.json",
        help="The JSON results; the markdown goes beside it as .md "
        "(default benches/results/latest.json)",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=HERE / ".cache",
        help="Build cache (default benches/.cache)",
    )
    parser.add_argument(
        "--target-dir",
        type=Path,
        default=None,
        help="Cargo target directory (default $CARGO_TARGET_DIR, else inside the cache)",
    )
    parser.add_argument(
        "--implementations",
        default=",".join(IMPLEMENTATIONS),
        help=f"Comma-separated, CPython first (default {','.join(IMPLEMENTATIONS)})",
    )
    parser.add_argument("--only", nargs="*", default=[], help="Only these example functions")
    options = parser.parse_args(argv)
    impls = tuple(i.strip() for i in options.implementations.split(",") if i.strip())
    if not impls or impls[0] != "cpython" or set(impls) - set(IMPLEMENTATIONS):
        parser.error(
            f"--implementations must start with cpython and name only {', '.join(IMPLEMENTATIONS)}"
        )
    if options.rounds < 1 or options.min_time <= 0:
        parser.error("--rounds must be at least 1 and --min-time positive")
    settings = Settings(
        sizes=Sizes.tiny() if options.tiny else Sizes(),
        rounds=options.rounds,
        min_time=options.min_time,
        cache_dir=options.cache_dir,
        target_dir=options.target_dir,
        implementations=impls,
        only=tuple(options.only),
    )

    def progress(message: str) -> None:
        print(f"bench: {message}", file=sys.stderr, flush=True)

    try:
        report = run_benchmark(settings, progress)
    except ValueError as exc:
        parser.error(str(exc))
    written = write(report, options.output)
    print(markdown(report), end="")
    progress(f"wrote {options.output} and {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
