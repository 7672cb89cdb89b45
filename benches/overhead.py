"""Phase-1 overhead of ``pytest --rustify``: how much slower the ordinary suite runs with it.

One command, from the repository root::

    python benches/overhead.py                      # 15 pairs of runs on examples/
    python benches/overhead.py --repeats 31 --json overhead.json

Runs ``pytest examples -p no:cacheprovider -q`` (plain) and the same with ``--rustify``
alternately, ``--repeats`` times each, after one unmeasured run of each (imports warm, the
Rust build cached). A small probe plugin, loaded into both runs with ``-p``, writes when
each item started and finished and pytest's own durations of its phases. What is compared:

- phase 1 (wall): from just before the process is started to the end of the last Python
  item, so it holds interpreter start, imports, configuration, collection, the profiler's
  start and every Python item, and leaves out the build, the comparison, the measurements,
  the ``[rust]`` items and the reports that come after them. For the plain run it is the
  same span up to its last item.
- items (sum): pytest's durations (setup + call + teardown) of the Python items, which
  are the same tests in both runs (``test_x`` plain, ``test_x[python]`` with rustify). This
  is the hot path: the recording wrappers, the per-test clocks and the profiler's cost to
  the running tests.
- the same two as CPU time of the pytest process (``time.process_time``): steadier than
  wall time on a machine other jobs load, but blind to what py-spy, a process of its own,
  takes from them.

Every figure is a median over the repetitions, with the spread (min-max) beside it; the
overhead is the median of the per-pair ratios, pairs being adjacent plain and rustify runs,
so that a load change on the machine hits both sides of a ratio alike. The load average is
printed before and after. Prints a markdown table and writes the same as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE_MODULE = "_rustify_overhead_probe"
RUST_SUFFIXES = ("[rust]", "-rust]")

# Written into a temporary directory and loaded with ``-p``; the examples stay untouched.
PROBE_SOURCE = """
import json
import os
import time

_OUT = os.environ["RUSTIFY_OVERHEAD_PROBE_OUT"]
_state = {"imported": time.monotonic(), "items": {}, "order": []}


def pytest_collection_finish(session):
    _state["collected"] = time.monotonic()


def pytest_runtest_logstart(nodeid, location):
    _state["order"].append(nodeid)
    _state["items"][nodeid] = {
        "start": time.monotonic(),
        "cpu_start": time.process_time(),
        "durations": {},
    }


def pytest_runtest_logreport(report):
    item = _state["items"].get(report.nodeid)
    if item is not None:
        item["durations"][report.when] = report.duration


def pytest_runtest_logfinish(nodeid, location):
    item = _state["items"][nodeid]
    item["stop"] = time.monotonic()
    item["cpu_stop"] = time.process_time()


def pytest_terminal_summary(terminalreporter):
    _state["summary"] = time.monotonic()


def pytest_unconfigure(config):
    with open(_OUT, "w", encoding="utf-8") as fh:
        json.dump(_state, fh)
"""


@dataclass(frozen=True)
class Run:
    """One pytest process, measured."""

    kind: str  # "plain" or "rustify"
    phase1_s: float  # process start to the end of the last Python item
    startup_s: float  # process start to the end of collection
    items_s: float  # pytest's setup + call + teardown durations of the Python items
    calls_s: float  # pytest's call durations of the Python items
    phase1_cpu_s: float  # CPU time of the process up to the end of the last Python item
    items_cpu_s: float  # CPU time of the process while the Python items ran
    python_items: int
    rust_items: int
    total_s: float  # the whole process, build and [rust] phase included
    profiler: str


@dataclass(frozen=True)
class Figure:
    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Figure:
        return cls(statistics.median(values), min(values), max(values))


def _is_rust(nodeid: str) -> bool:
    return nodeid.endswith(RUST_SUFFIXES)


def run_once(
    kind: str, args: Sequence[str], probe_dir: Path, out: Path, *, bytecode_cache: Path | None
) -> Run:
    env = dict(os.environ)
    if bytecode_cache is not None:
        # As on a developer's machine: modules compiled (and assertion-rewritten) once.
        # Kept out of the source tree by the prefix.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(bytecode_cache)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["RUSTIFY_OVERHEAD_PROBE_OUT"] = str(out)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(probe_dir), str(ROOT), *filter(None, [env.get("PYTHONPATH")])]
    )
    command = [sys.executable, "-m", "pytest", *args, "-p", PROBE_MODULE]
    out.unlink(missing_ok=True)
    began = time.monotonic()
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    ended = time.monotonic()
    if proc.returncode != 0 or not out.exists():
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"{kind} run failed with exit code {proc.returncode}: {command}")
    state = json.loads(out.read_text(encoding="utf-8"))
    items = state["items"]
    python = [items[n] for n in state["order"] if not _is_rust(n)]
    rust = [n for n in state["order"] if _is_rust(n)]
    if not python:
        raise SystemExit(f"{kind} run had no Python items")
    profiler = ""
    for line in proc.stdout.splitlines():
        if line.startswith("profiler:"):
            profiler = line.partition(":")[2].strip()
    return Run(
        kind=kind,
        phase1_s=max(i["stop"] for i in python) - began,
        startup_s=state["collected"] - began,
        items_s=sum(sum(i["durations"].values()) for i in python),
        calls_s=sum(i["durations"].get("call", 0.0) for i in python),
        phase1_cpu_s=max(i["cpu_stop"] for i in python),
        items_cpu_s=sum(i["cpu_stop"] - i["cpu_start"] for i in python),
        python_items=len(python),
        rust_items=len(rust),
        total_s=ended - began,
        profiler=profiler,
    )


def _ratios(plain: Sequence[Run], rustify: Sequence[Run], field: str) -> list[float]:
    return [getattr(r, field) / getattr(p, field) for p, r in zip(plain, rustify, strict=True)]


def summarise(plain: Sequence[Run], rustify: Sequence[Run]) -> dict[str, object]:
    fields = {
        "phase1_s": "phase 1 (wall, process start to last Python item)",
        "startup_s": "start-up (process start to end of collection)",
        "items_s": "Python items (sum of setup + call + teardown)",
        "calls_s": "Python items (sum of call phases)",
        "phase1_cpu_s": "phase 1 (CPU time of the pytest process)",
        "items_cpu_s": "Python items (CPU time of the pytest process)",
    }
    rows = []
    for field, label in fields.items():
        ratios = _ratios(plain, rustify, field)
        rows.append(
            {
                "measure": field,
                "label": label,
                "plain_s": asdict(Figure.of([getattr(r, field) for r in plain])),
                "rustify_s": asdict(Figure.of([getattr(r, field) for r in rustify])),
                "overhead": asdict(Figure.of([x - 1.0 for x in ratios])),
            }
        )
    return {"rows": rows}


def render_markdown(result: dict[str, object]) -> str:
    def span(f: dict[str, float], scale: float = 1000.0, unit: str = "ms") -> str:
        return f"{f['median'] * scale:.0f} {unit} ({f['low'] * scale:.0f}-{f['high'] * scale:.0f})"

    def pct(f: dict[str, float]) -> str:
        return f"{f['median'] * 100:+.1f}% ({f['low'] * 100:+.1f}% to {f['high'] * 100:+.1f}%)"

    machine = result["machine"]
    assert isinstance(machine, dict)
    lines = [
        f"Phase-1 overhead of `pytest --rustify` on examples/ "
        f"({result['repeats']} alternating pairs, profiler: {result['profiler']}, "
        f"bytecode {'cached' if result['bytecode_cache'] else 'compiled in every run'})",
        "",
        "| measure | plain | --rustify | overhead (median of pairs) |",
        "| --- | --- | --- | --- |",
    ]
    summary = result["summary"]
    assert isinstance(summary, dict)
    for row in summary["rows"]:
        lines.append(
            f"| {row['label']} | {span(row['plain_s'])} | {span(row['rustify_s'])} "
            f"| {pct(row['overhead'])} |"
        )
    lines += [
        "",
        "Medians, with min-max over the runs in parentheses.",
        f"Machine: {machine['platform']}, Python {machine['python']}, "
        f"{machine['cpus']} CPUs, load average {machine['load_before']} before and "
        f"{machine['load_after']} after.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="pairs of measured runs")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument("--examples", default="examples", help="the suite to run")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=ROOT / ".rustify" / "overhead",
        help="the rustify build cache (built once, in the warm-up run)",
    )
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="compile every module in every run (PYTHONDONTWRITEBYTECODE), as a fresh CI "
        "checkout without cached bytecode does",
    )
    parser.add_argument(
        "--pytest-arg",
        action="append",
        default=[],
        help="an extra argument for both runs (repeatable)",
    )
    opts = parser.parse_args(argv)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="rustify-overhead-") as tmp:
        work = Path(tmp)
        (work / f"{PROBE_MODULE}.py").write_text(PROBE_SOURCE, encoding="utf-8")
        base = [opts.examples, "-p", "no:cacheprovider", "-q", *opts.pytest_arg]
        variants = {
            "plain": base,
            "rustify": [
                *base,
                "--rustify",
                "--rustify-cache-dir",
                str(opts.cache_dir.resolve()),
                # The measurements come after phase 1; a short budget keeps each run short.
                "--rustify-measure-seconds",
                "0.02",
            ],
        }
        out = work / "probe.json"
        cache = None if opts.no_bytecode_cache else work / "pycache"
        for kind, args in variants.items():  # warm-up: imports, bytecode, the Rust build
            run_once(kind, args, work, out, bytecode_cache=cache)
        runs: dict[str, list[Run]] = {"plain": [], "rustify": []}
        for i in range(opts.repeats):
            # Alternate which goes first, so neither always follows the other.
            order = ("plain", "rustify") if i % 2 == 0 else ("rustify", "plain")
            for kind in order:
                runs[kind].append(run_once(kind, variants[kind], work, out, bytecode_cache=cache))
            print(f"pair {i + 1}/{opts.repeats}", file=sys.stderr)
    load_after = os.getloadavg()
    profilers = sorted({r.profiler for r in runs["rustify"]})
    result: dict[str, object] = {
        "repeats": opts.repeats,
        "bytecode_cache": not opts.no_bytecode_cache,
        "profiler": ", ".join(profilers),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in load_after],
        },
        "summary": summarise(runs["plain"], runs["rustify"]),
        "runs": {k: [asdict(r) for r in v] for k, v in runs.items()},
    }
    markdown = render_markdown(result)
    print(markdown)
    if opts.json is not None:
        opts.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
