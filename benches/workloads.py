"""The benchmark's inputs: one workload per example function, as lists and as NumPy arrays.

Input: ``Sizes`` (the default is what the examples' tests use: 1000-value series, a 64x64
matrix product, a 64x48 Mandelbrot grid). Output: ``Workload``s, each with the example
function, its arguments as plain Python values and, where the function takes numeric
sequences, the same values as NumPy arrays (float64, int64 for pixels)::

    for w in workloads(Sizes()):
        w.function(*w.args["lists"])   # the CPython reference call

Every value comes from a seeded ``random.Random``: the same inputs on every run and for
every implementation. A function without a numeric sequence argument (scalars, strings)
has no array form; ``not_applicable`` says why.
"""

from __future__ import annotations

import collections
import importlib
import importlib.util
import itertools
import random
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import numpy as np

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
PACKAGE = "rustify_examples"
KINDS = ("lists", "arrays")

# Words for the text workloads: ASCII, so bpe_encode's one-id-per-character start holds.
_WORDS = (
    "the quick brown fox jumps over lazy dog a tokenizer splits text into pieces that "
    "model sees and occur together most often are merged one new token training repeats "
    "merge until vocabulary is large enough then encoder replays merges in order they "
    "were learned other thing to remember there nothing tune at encoding time"
).split()


@dataclass(frozen=True)
class Sizes:
    """How big each input is."""

    n: int = 1000  # values in a series or vector, tokens for count_pairs
    window: int = 10
    kernel: int = 5
    matrix: int = 64  # square matrices
    grid: tuple[int, int] = (64, 48)
    max_iter: int = 100
    fma_steps: int = 10_000
    text: int = 1000  # characters bpe_encode encodes
    merges: int = 60

    @classmethod
    def tiny(cls) -> Sizes:
        """Small enough for a test run: every path taken, in microseconds."""
        return cls(
            n=40, window=3, kernel=3, matrix=6, grid=(8, 6), max_iter=20, fma_steps=50,
            text=60, merges=8,
        )  # fmt: skip


@dataclass(frozen=True)
class Workload:
    """One example function and its benchmark arguments per input kind."""

    name: str
    target: str  # pkg.mod:func, as the plugin names it
    function: Callable[..., object]
    file: Path
    line: int
    args: Mapping[str, tuple[object, ...]]  # kind -> arguments; kinds that apply only
    described: str  # what the arguments are, for the table
    not_applicable: Mapping[str, str] = field(default_factory=dict)  # kind -> why not


def examples_module(name: str) -> ModuleType:
    """``rustify_examples.<name>``, imported from ``examples/`` when not on the path."""
    if PACKAGE not in sys.modules and importlib.util.find_spec(PACKAGE) is None:
        init = EXAMPLES / PACKAGE / "__init__.py"
        spec = importlib.util.spec_from_file_location(
            PACKAGE, init, submodule_search_locations=[str(init.parent)]
        )
        assert spec is not None and spec.loader is not None
        package = importlib.util.module_from_spec(spec)
        sys.modules[PACKAGE] = package
        spec.loader.exec_module(package)
    return importlib.import_module(f"{PACKAGE}.{name}")


def workloads(sizes: Sizes) -> list[Workload]:
    """Every example function with its inputs, in the order of the examples' README."""
    rng = random.Random(5)
    series = [rng.random() * 2.0 - 1.0 for _ in range(sizes.n)]
    other = [rng.random() * 2.0 - 1.0 for _ in range(sizes.n)]
    spread = [rng.random() * 200.0 - 50.0 for _ in range(sizes.n)]
    pixels = list(rng.randbytes(sizes.n))
    kernel = [rng.random() for _ in range(sizes.kernel)]
    a = [[rng.random() * 2.0 - 1.0 for _ in range(sizes.matrix)] for _ in range(sizes.matrix)]
    b = [[rng.random() * 2.0 - 1.0 for _ in range(sizes.matrix)] for _ in range(sizes.matrix)]
    tokens = [_WORDS[rng.randrange(len(_WORDS))] for _ in range(sizes.n)]
    corpus = _sentences(rng, 4 * sizes.text)
    merges = _train_merges(corpus, sizes.merges)
    start = rng.randrange(len(corpus) - sizes.text)
    text = corpus[start : start + sizes.text]
    width, height = sizes.grid
    fma = (rng.uniform(0.9, 0.999), rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0))

    n, w, k, m = sizes.n, sizes.window, sizes.kernel, sizes.matrix
    scalars = "no sequence argument"
    strings = "strings, no numeric sequence"
    table: list[tuple[str, str, tuple[object, ...], str, str]] = [
        # (module, function, list arguments, description, why no array form ("" = has one))
        ("vectors", "euclidean", (series, other), f"2 x {n} floats", ""),
        ("vectors", "dot_product", (series, other), f"2 x {n} floats", ""),
        ("vectors", "l2_normalize", (series,), f"{n} floats", ""),
        ("scaling", "normalize_pixels", (pixels,), f"{n} ints 0..255", ""),
        ("scaling", "standard_scale", (spread,), f"{n} floats", ""),
        ("scaling", "min_max_scale", (spread,), f"{n} floats", ""),
        ("series", "running_mean", (series, w), f"{n} floats, window {w}", ""),
        ("series", "moving_average", (series, w), f"{n} floats, window {w}", ""),
        ("series", "diff", (series,), f"{n} floats", ""),
        ("series", "cumsum", (series,), f"{n} floats", ""),
        ("series", "convolve1d", (series, kernel), f"{n} floats, kernel {k}", ""),
        ("text", "count_pairs", (tokens,), f"{n} str tokens", strings),
        ("text", "bpe_encode", (text, merges), f"{len(text)} chars, {len(merges)} merges", strings),
        ("matrix", "matmul", (a, b), f"{m}x{m} @ {m}x{m}", ""),
        ("simulation", "mandelbrot", (width, height, sizes.max_iter),
         f"{width}x{height} grid, max_iter {sizes.max_iter}", scalars),
        ("simulation", "fma_loop", (*fma, sizes.fma_steps), f"{sizes.fma_steps} steps", scalars),
    ]  # fmt: skip
    out = []
    for module_name, name, list_args, described, no_arrays in table:
        module = examples_module(module_name)
        function = getattr(module, name)
        code = function.__code__
        args = {"lists": list_args}
        not_applicable = {}
        if no_arrays:
            not_applicable["arrays"] = no_arrays
        else:
            dtype = np.int64 if name == "normalize_pixels" else np.float64
            args["arrays"] = tuple(
                np.asarray(v, dtype=dtype) if isinstance(v, list) else v for v in list_args
            )
        out.append(
            Workload(
                name=name,
                target=f"{PACKAGE}.{module_name}:{name}",
                function=function,
                file=Path(code.co_filename),
                line=code.co_firstlineno,
                args=args,
                described=described,
                not_applicable=not_applicable,
            )
        )
    return out


def _sentences(rng: random.Random, length: int) -> str:
    words: list[str] = []
    size = 0
    while size < length:
        word = _WORDS[rng.randrange(len(_WORDS))]
        words.append(word)
        size += len(word) + 1
    return " ".join(words)


def _train_merges(corpus: str, count: int) -> list[tuple[int, int]]:
    """Greedy most-frequent-pair merges, as the examples' tests train them."""
    ids = list(corpus.encode("ascii"))
    merges: list[tuple[int, int]] = []
    for rank in range(count):
        counts = collections.Counter(itertools.pairwise(ids))
        ((best, seen),) = counts.most_common(1)
        if seen < 2:
            break
        merges.append(best)
        ids = _merge(ids, best, 256 + rank)
    return merges


def _merge(ids: list[int], pair: tuple[int, int], new_id: int) -> list[int]:
    out: list[int] = []
    i = 0
    while i < len(ids):
        if i + 1 < len(ids) and (ids[i], ids[i + 1]) == pair:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out
