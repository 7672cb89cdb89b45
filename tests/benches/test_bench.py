"""The benchmark in ``benches/`` run for real, on tiny inputs and two rounds.

The generated and the hand-written crates are really built (through the build stage,
into the suite's shared cargo target directory), and Numba compiles when it is
installed. Nothing here asserts a time: only that every function x input kind x
implementation has a cell (a time, or a stated reason), that the outcome check catches a
wrong implementation, and that the results survive JSON.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest

from pytest_rustify import build

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # the suite runs from the checkout; `benches` lives at its root

from benches.harness import (  # noqa: E402
    IMPLEMENTATIONS,
    Settings,
    check_candidate,
    compare_calls,
    geomeans,
    run_benchmark,
)
from benches.implementations import Candidate, handwritten_sources, numba_reason  # noqa: E402
from benches.report import (  # noqa: E402
    STATUSES,
    Cell,
    Report,
    Row,
    from_json,
    markdown,
    to_json,
    write,
)
from benches.workloads import KINDS, Sizes, workloads  # noqa: E402

TIMED = {"ok", "mismatch"}
NAMES = [w.name for w in workloads(Sizes.tiny())]


@pytest.fixture(scope="module")
def report(toolchain: None, rustify_cache: Path, shared_target_dir: Path) -> Report:
    settings = Settings(
        sizes=Sizes.tiny(),
        rounds=2,
        min_time=0.0002,
        cache_dir=rustify_cache,
        target_dir=shared_target_dir,
    )
    return run_benchmark(settings, progress=lambda message: None)


def test_every_function_kind_and_implementation_has_a_cell(report: Report) -> None:
    assert report.implementations == IMPLEMENTATIONS
    rows = {(r.function, r.kind): r for r in report.rows}
    assert set(rows) == {(name, kind) for name in NAMES for kind in KINDS}
    for (name, kind), row in rows.items():
        assert set(row.cells) == set(IMPLEMENTATIONS), (name, kind)
        for impl, cell in row.cells.items():
            assert cell.status in STATUSES, (name, kind, impl, cell)
            if cell.status in TIMED:
                assert cell.per_call_ns is not None and cell.per_call_ns > 0, (name, kind, impl)
                assert cell.ratio is not None and cell.ratio > 0, (name, kind, impl)
            else:
                assert cell.per_call_ns is None and cell.reason, (name, kind, impl, cell)
        statuses = {cell.status for cell in row.cells.values()}
        # A kind applies to a function for every implementation or for none.
        assert statuses == {"n/a"} or "n/a" not in statuses, (name, kind, statuses)
        if statuses != {"n/a"}:
            assert row.cells["cpython"].status == "ok"


def test_the_yardstick_and_the_generated_code_answer_as_cpython(report: Report) -> None:
    for row in report.rows:
        hand, gen = row.cells["handwritten"], row.cells["generated"]
        if row.cells["cpython"].status == "n/a":
            continue
        assert hand.status == "ok", (row.function, row.kind, hand)
        # Refused is a fair answer (the array path of a list-annotated function, today);
        # a different answer or a silent fallback to Python is not.
        assert gen.status in ("ok", "refused"), (row.function, row.kind, gen)
        if row.kind == "lists":
            assert gen.status == "ok", (row.function, gen)
        if gen.status == "ok":
            assert row.generated_vs_handwritten is not None
    numba = [r.cells["numba"] for r in report.rows]
    assert all(c.status != "fallback" for c in numba)


def test_the_markdown_table_has_every_cell(report: Report) -> None:
    text = markdown(report)
    sections = text.split("\n### ")[1:]
    assert len(sections) == len(KINDS)
    notes = dict(re.findall(r"^(\d+)\. (.+)$", text, re.MULTILINE))
    width = 2 + len(IMPLEMENTATIONS) + 1  # function, inputs, each implementation, gen/hand
    for section in sections:
        table = [line for line in section.splitlines() if line.startswith("| ")]
        header, body = table[0], table[2:]  # past the alignment row
        assert header.count(" | ") == width - 1
        named = [line.split(" | ")[0].removeprefix("| ") for line in body]
        assert named == [*NAMES, "**geometric mean**"]
        for line in body[:-1]:
            cells = line.strip("| ").split(" | ")
            assert len(cells) == width, line
            for cell in cells[2 : 2 + len(IMPLEMENTATIONS)]:
                assert re.fullmatch(
                    r"[\d.]+ (ns|µs|ms|s)( \([\d.]+x\))?( ≠)?( \[\d+\])?"
                    r"|(refused|unsupported|unavailable|fallback|error) \[\d+\]|n/a",
                    cell,
                ), (line, cell)
                for ref in re.findall(r"\[(\d+)\]", cell):
                    assert ref in notes, (cell, notes)
    for key in ("cpu", "cores", "python", "rustc", "numpy", "numba"):
        assert report.machine[key]
        assert report.machine[key] in text


def test_results_round_trip_through_json(report: Report, tmp_path: Path) -> None:
    written = write(report, tmp_path / "results" / "latest.json")
    assert written == tmp_path / "results" / "latest.md"
    data = json.loads((tmp_path / "results" / "latest.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert from_json(data) == report
    assert to_json(from_json(data)) == data
    assert written.read_text(encoding="utf-8") == markdown(report)
    with pytest.raises(ValueError, match="version"):
        from_json({**data, "version": 2})


def test_the_outcome_check_catches_a_wrong_implementation() -> None:
    (work,) = [w for w in workloads(Sizes.tiny()) if w.name == "cumsum"]
    cumsum = cast(Callable[[list[float]], list[float]], work.function)
    xs = cast(list[float], work.args["lists"][0])

    def one_ulp_off(values: list[float]) -> list[float]:
        out = cumsum(values)
        out[-1] = math.nextafter(out[-1], math.inf)
        return out

    def as_tuple(values: list[float]) -> tuple[float, ...]:
        return tuple(cumsum(values))

    def sorts_its_argument(values: list[float]) -> object:
        result = cumsum(values)
        values.sort()
        return result

    def raises(values: list[float]) -> object:
        raise ValueError("no")

    assert compare_calls(cumsum, cumsum, (xs,)) is None
    assert (compare_calls(cumsum, one_ulp_off, (xs,)) or "").startswith(f"result[{len(xs) - 1}]")
    assert (compare_calls(cumsum, as_tuple, (xs,)) or "").startswith("result:")
    assert (compare_calls(cumsum, sorts_its_argument, (xs,)) or "").startswith("args_after[0]")
    assert "ValueError" in (compare_calls(cumsum, raises, (xs,)) or "")
    # The arrays too: a float64 result where CPython returns np.float64 scalars is equal.
    (arr,) = work.args["arrays"]
    assert compare_calls(cumsum, lambda a: [float(x) for x in cumsum(a)], (arr,)) is None

    status = check_candidate(cumsum, Candidate(one_ulp_off), (xs,))
    assert status is not None and status[0] == "mismatch"
    status = check_candidate(cumsum, Candidate(raises), (xs,))
    assert status is not None and status[0] == "error" and "ValueError" in status[1]
    calls = iter(range(100))
    fell_back = Candidate(cumsum, fallbacks=lambda: next(calls))
    assert check_candidate(cumsum, fell_back, (xs,)) == (
        "fallback",
        "the dispatcher handed the call back to Python",
    )
    noted = Candidate(cumsum, fallbacks=lambda: next(calls), notes=("arrays are refused",))
    assert check_candidate(cumsum, noted, (xs,)) == (
        "fallback",
        "the dispatcher handed the call back to Python; arrays are refused",
    )


def test_geometric_means_use_the_timed_cells_only() -> None:
    def row(name: str, ratio: float | None, status: str = "ok") -> Row:
        gen = Cell(status, 1.0 if ratio else None, ratio, "" if ratio else "refused here")
        return Row(name, "lists", "", {"cpython": Cell("ok", 1.0, 1.0), "generated": gen})

    rows = [row("a", 2.0), row("b", 8.0), row("c", None, "refused"), row("d", 50.0, "mismatch")]
    means = {(g.kind, g.implementation): g for g in geomeans(rows, ("cpython", "generated"))}
    generated = means[("lists", "generated")]
    assert generated.value == pytest.approx(4.0)
    assert (generated.functions, generated.applicable) == (2, 4)
    assert means[("arrays", "generated")].value is None


def test_the_hand_written_crate_uses_the_plugins_pyo3() -> None:
    sources, dependencies, pyo3 = handwritten_sources()
    assert pyo3 == build.PYO3_VERSION
    assert "pyo3" not in dependencies and "numpy" in dependencies
    assert sorted(sources) == ["src/boundary.rs", "src/lib.rs"]
    assert build.MODULE_PLACEHOLDER in sources["src/lib.rs"]
    lib = sources["src/lib.rs"]
    for name in NAMES:
        assert f"wrap_pyfunction!({name}, m)" in lib


def test_a_numba_error_becomes_one_line() -> None:
    (work,) = [w for w in workloads(Sizes.tiny()) if w.name == "count_pairs"]
    error = TypeError(
        "Failed in nopython mode pipeline (step: nopython frontend)\n"
        "\x1b[1m- Resolution failure for literal arguments:\n"
        "   \x1b[1mnon-precise type DictType[undefined,undefined]<iv={}>\x1b[0m\n"
        '  File "site-packages/numba/typed/dictobject.py", line 750:\n'
        f'File "examples/rustify_examples/{work.file.name}", line 9:\n'
    )
    assert numba_reason(error, work) == (
        f"TypeError: non-precise type DictType[undefined,undefined] ({work.file.name}:9)"
    )


def test_the_command_line_writes_the_table(
    report: Report, rustify_cache: Path, shared_target_dir: Path, tmp_path: Path
) -> None:
    # The module fixture has built both crates into this cache: no cargo runs here.
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benches" / "run.py"),
            "--tiny",
            "--rounds=1",
            "--min-time=0.0001",
            "--implementations=cpython,handwritten",
            "--only",
            "fma_loop",
            "dot_product",
            f"--cache-dir={rustify_cache}",
            f"--target-dir={shared_target_dir}",
            f"--output={tmp_path / 'out.json'}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "| fma_loop | 50 steps |" in done.stdout
    assert "| dot_product |" in done.stdout
    saved = from_json(json.loads((tmp_path / "out.json").read_text(encoding="utf-8")))
    assert [(r.function, r.kind) for r in saved.rows] == [
        ("dot_product", "lists"),
        ("dot_product", "arrays"),
        ("fma_loop", "lists"),
        ("fma_loop", "arrays"),
    ]
    assert (tmp_path / "out.md").read_text(encoding="utf-8") == done.stdout
    bad = subprocess.run(
        [sys.executable, str(REPO / "benches" / "run.py"), "--implementations=numba"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "must start with cpython" in bad.stderr
