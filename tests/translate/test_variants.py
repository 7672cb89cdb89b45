"""Both paths of one function: the bundled examples translated from calls that pass
lists AND calls that pass NumPy arrays, built into one crate.

Every example that takes sequences of numbers is recorded with lists and with the same
values as arrays (1-D float64; int64 for ``normalize_pixels``; 2-D float64 for
``matmul``). Its one Python-visible function takes the list path for lists and the array
path for arrays, without falling back, and every call gives what Python gives: the
value, its type at every level (np.float64 where Python makes np.float64, a float where
it makes a float), the exception. A call mixing a list and an array that no recorded
call made takes neither path: it falls back to Python, counted. Where NumPy would warn
(``inf - inf``) the array path falls back too, as every NumPy function does.

Which examples get an array path is ``ARRAY_PATHS``; the four others take no sequence of
numbers (``mandelbrot``, ``fma_loop``: numbers; ``count_pairs``: strings; ``bpe_encode``:
a str and a list of tuples) and keep their one path.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from pytest_rustify import build
from pytest_rustify.calls import RecordedCall, run_call
from pytest_rustify.compare import compare_outcomes
from pytest_rustify.errors import Refusal
from pytest_rustify.source import translate_callable
from pytest_rustify.translate import ir
from pytest_rustify.translate.rust import (
    crate_dependencies,
    function_code,
    generate_crate,
    rust_signature,
)

if TYPE_CHECKING:
    from conftest import CheckSame

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "rustify_examples"
NAN = math.nan
INF = math.inf

# Per example: its module and the arguments of the calls recorded with lists; the same
# calls with arrays are recorded too (``arrays``). Edge inputs (empty, NaN, infinities,
# raising) are among them, so the recorded calls give the types of every path.
LIST_CALLS: Mapping[str, tuple[str, list[tuple[Any, ...]]]] = {
    "euclidean": (
        "vectors",
        [([0.0, 0.0], [3.0, 4.0]), ([2.5, -1.0, 7.0], [-1.5, 2.0, 0.5]), ([], []), ([1.0], [])],
    ),
    "dot_product": (
        "vectors",
        [([1.5, -2.0, 4.0], [2.0, 1.0, 0.25]), ([], []), ([1.0], [1.0, 2.0]), ([NAN], [1.0])],
    ),
    "l2_normalize": ("vectors", [([3.0, 4.0],), ([-0.0, 2.0, 1e-3],), ([0.0, 0.0],), ([],)]),
    "normalize_pixels": ("scaling", [([0, 1, 128, 255],), ([],), ([-7, 1000, 2**40],)]),
    "standard_scale": ("scaling", [([1.0, 2.0, 4.0],), ([5.0, 5.0],), ([],), ([1e300, -1e300],)]),
    "min_max_scale": ("scaling", [([1.0, -2.0, 4.0, 3.0],), ([5.0, 5.0],), ([],), ([-0.0],)]),
    "running_mean": ("series", [([1.0, 2.0, 4.0, 8.0], 2), ([], 3), ([1.0], 0), ([0.5] * 5, 9)]),
    "moving_average": ("series", [([1.0, 2.0, 4.0, 8.0], 2), ([1.0], 3), ([1.0], 0)]),
    "diff": ("series", [([1.0, 4.0, 9.0, -16.0],), ([],), ([1.0],)]),
    "cumsum": ("series", [([1.0, 2.5, -3.0],), ([],), ([1e308, 1e308],)]),
    "convolve1d": (
        "series",
        [([1.0, 2.0, 3.0, 4.0], [1.0, 0.5]), ([1.0], []), ([1.0], [1.0, 2.0]), ([2.0], [3.0])],
    ),
    "matmul": (
        "matrix",
        [
            ([[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]),
            ([[1.0, 2.0, 3.0]], [[1.0], [0.5], [-2.0]]),
            ([[1.0, 2.0]], [[1.0, 2.0]]),  # inner dimensions differ: ValueError
        ],
    ),
    # No sequence of numbers: one path each, as before.
    "mandelbrot": ("simulation", [(4, 3, 20), (0, 2, 5)]),
    "fma_loop": ("simulation", [(0.5, 1.0, 2.0, 10), (1.0, 1.0, 0.0, 0)]),
    "count_pairs": ("text", [(["a", "b", "a", "b"],), ([],)]),
    "bpe_encode": ("text", [("abab", [(97, 98)]), ("", [])]),
}
ARRAY_PATHS = frozenset(
    {
        "euclidean",
        "dot_product",
        "l2_normalize",
        "normalize_pixels",
        "standard_scale",
        "min_max_scale",
        "running_mean",
        "moving_average",
        "diff",
        "cumsum",
        "convolve1d",
        "matmul",
    }
)
# A copy of dot_product recorded with (list, array) calls as well: a third path.
MIXED = "dot_product_mixed"
# variant_funcs.py: in-place writes, int64 items, an array indexed by a list of ints.
EXTRA_CALLS: Mapping[str, list[tuple[Any, ...]]] = {
    "scale_in_place": [
        ([1.0, -2.0, INF], 2.0),
        ([], 3.0),
        (np.array([1.0, -2.0, INF]), 2.0),
        (np.array([]), 3.0),
    ],
    "count_at_least": [
        ([1, 5, -3, 5], 5),
        ([], 0),
        (np.array([1, 5, -3, 5]), 5),
        (np.array([2**62, -(2**62)]), 0),
    ],
    "pick": [
        ([1.5, 2.5, -0.0], [2, 0, -1]),
        ([1.5], [3]),  # IndexError
        (np.array([1.5, 2.5, -0.0]), [2, 0, -1]),
        (np.array([1.5]), [3]),  # NumPy's IndexError
    ],
}


def arrays(args: Sequence[Any], *, int_lists: bool = False) -> tuple[Any, ...]:
    """The call with every list of numbers (or of rows) as a NumPy array."""
    out: list[Any] = []
    for a in args:
        if isinstance(a, list) and all(isinstance(x, (int, float, list)) for x in a):
            out.append(np.array(a, dtype=np.int64 if int_lists else np.float64))
        else:
            out.append(a)
    return tuple(out)


def array_calls(name: str) -> list[tuple[Any, ...]]:
    if name not in ARRAY_PATHS:
        return []
    calls = [arrays(c, int_lists=name == "normalize_pixels") for c in LIST_CALLS[name][1]]
    if name == "matmul":
        calls.append((np.ones((2, 3)), np.zeros((0, 2))))  # b has no row: ValueError
    return calls


def load_examples() -> dict[str, ModuleType]:
    """The example modules, imported by path as the package ``rustify_examples``."""
    if "rustify_examples" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "rustify_examples",
            EXAMPLES / "__init__.py",
            submodule_search_locations=[str(EXAMPLES)],
        )
        assert spec is not None and spec.loader is not None
        package = importlib.util.module_from_spec(spec)
        sys.modules["rustify_examples"] = package
        spec.loader.exec_module(package)
    stems = {stem for stem, _ in LIST_CALLS.values()}
    return {s: importlib.import_module(f"rustify_examples.{s}") for s in stems}


def record(fn: Callable[..., Any], calls: Sequence[tuple[Any, ...]]) -> list[RecordedCall]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's overflow on edge values
        return [RecordedCall(args, {}, run_call(fn, args, {})) for args in calls]


@dataclass(frozen=True)
class Built:
    originals: Mapping[str, Callable[..., Any]]
    translated: Mapping[str, ir.Function]
    refused: Mapping[str, Refusal]
    module: ModuleType

    def fallbacks(self, name: str) -> int:
        counts: dict[str, int] = self.module.__rustify_fallbacks__()
        return counts[name]


def translate_example(
    modules: Mapping[str, ModuleType], name: str, calls: Sequence[tuple[Any, ...]]
) -> ir.Function | Refusal:
    stem, _ = LIST_CALLS[name]
    fn = getattr(modules[stem], name)
    target = f"rustify_examples.{stem}:{name}"
    file = f"examples/rustify_examples/{stem}.py"
    return translate_callable(target, fn, file, fn.__code__.co_firstlineno, record(fn, calls))


@pytest.fixture(scope="module")
def built(toolchain: None, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Every example translated from its list and array calls, built into one crate."""
    modules = load_examples()
    originals: dict[str, Callable[..., Any]] = {}
    translated: dict[str, ir.Function] = {}
    refused: dict[str, Refusal] = {}
    for name, (stem, calls) in LIST_CALLS.items():
        originals[name] = getattr(modules[stem], name)
        result = translate_example(modules, name, [*calls, *array_calls(name)])
        if isinstance(result, Refusal):
            refused[name] = result
        else:
            translated[name] = result
    extra = importlib.import_module("variant_funcs")
    for name, calls in EXTRA_CALLS.items():
        fn = getattr(extra, name)
        originals[name] = fn
        file = "tests/translate/variant_funcs.py"
        result = translate_callable(
            f"variant_funcs:{name}", fn, file, fn.__code__.co_firstlineno, record(fn, calls)
        )
        assert isinstance(result, ir.Function), result
        translated[name] = result
    mixed = translate_example(
        modules,
        "dot_product",
        [*LIST_CALLS["dot_product"][1], *array_calls("dot_product"), *mixed_calls()],
    )
    assert isinstance(mixed, ir.Function), mixed
    # The crate's names must differ: rename it as the session renames a second `dot_product`.
    translated[MIXED] = replace(
        mixed,
        name=MIXED,
        variants=tuple(replace(v, name=f"{v.name}_mixed") for v in mixed.variants),
    )
    originals[MIXED] = originals["dot_product"]
    sources = generate_crate(ir.Module(tuple(translated.values()), sys.version_info[:2]))
    crate = build.build_crate(
        sources,
        cache_dir=tmp_path_factory.mktemp("variants"),
        toolchain=build.find_toolchain(),
        dependencies=crate_dependencies(sources),
    )
    if crate.status == "failed":
        pytest.fail(f"the examples' crate did not build:\n{crate.message}", pytrace=False)
    module = build.load_extension(crate)
    for name in translated:
        module.__rustify_originals__[name] = originals[name]
    return Built(originals, translated, refused, module)


def mixed_calls() -> list[tuple[Any, ...]]:
    return [([1.5, -2.0], np.array([2.0, 1.0])), ([], np.array([]))]


# -- comparing one call ------------------------------------------------------------------


def shape_of(value: object) -> object:
    """The types of a value at every level (an array: its dtype and shape)."""
    if isinstance(value, np.ndarray):
        return ("ndarray", str(value.dtype), value.shape)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [shape_of(v) for v in value])
    if isinstance(value, dict):
        return ("dict", [(shape_of(k), shape_of(v)) for k, v in value.items()])
    return type(value).__name__


def check(built: Built, name: str, args: tuple[Any, ...], *, fallback: bool | None) -> None:
    """Python and the Rust build on the same call: the same outcome, types included, and
    (unless ``fallback`` is None) a fallback to Python exactly when expected."""
    expected = run_call(built.originals[name], args, {})
    before = built.fallbacks(name)
    actual = run_call(getattr(built.module, name), args, {})
    fell_back = built.fallbacks(name) - before
    call = f"{name}{args!r}"
    diff = compare_outcomes(expected, actual)
    assert diff.equal, f"{call}: {diff.where}: {diff.detail}"
    assert expected.exception == actual.exception, call
    assert shape_of(expected.value) == shape_of(actual.value), (
        f"{call}: python {expected.value!r}, rust {actual.value!r}"
    )
    if fallback is not None:
        assert fell_back == int(fallback), f"{call}: fell back {fell_back} times"


# -- which examples get which paths ---------------------------------------------------------


def test_every_example_translates(built: Built) -> None:
    assert not built.refused, built.refused
    assert set(built.translated) == {*LIST_CALLS, *EXTRA_CALLS, MIXED}


@pytest.mark.parametrize("name", sorted(EXTRA_CALLS))
def test_writes_ints_and_indexing_on_both_paths(built: Built, name: str) -> None:
    fn = built.translated[name]
    assert len(fn.variants) == 1, rust_signature(fn)
    for args in EXTRA_CALLS[name]:
        check(built, name, args, fallback=False)
    # The array path writes into the caller's array; the list path writes back its list.
    xs = np.array([1.0, 2.0])
    built.module.scale_in_place(xs, 0.5)
    assert xs.tolist() == [0.5, 1.0]
    ys = [1.0, 2.0]
    built.module.scale_in_place(ys, 0.5)
    assert ys == [0.5, 1.0]


def test_in_place_signatures(built: Built) -> None:
    assert rust_signature(built.translated["scale_in_place"]) == (
        "fn scale_in_place(xs: &mut Vec<f64>, k: f64) -> () | "
        "fn scale_in_place(xs: ArrayViewMut1<f64>, k: f64) -> ()"
    )


@pytest.mark.parametrize("name", sorted(LIST_CALLS))
def test_array_paths_where_the_calls_passed_arrays(built: Built, name: str) -> None:
    fn = built.translated[name]
    kinds = [[type(p.type).__name__ for p in f.params] for f in (fn, *fn.variants)]
    if name not in ARRAY_PATHS:
        assert fn.variants == (), kinds
        assert " | " not in rust_signature(fn)
        return
    assert len(fn.variants) == 1, kinds
    (array_path,) = fn.variants
    assert "ArrayT" not in kinds[0], "the first path takes the lists"
    assert "ListT" not in kinds[1], "the second path takes the arrays"
    signature = rust_signature(fn)
    assert signature.count(f"fn {name}(") == 2, signature
    assert "Vec<" in signature.split(" | ")[0] and "ArrayView" in signature.split(" | ")[1]
    assert fn.notes == (), "no kind of call was refused"
    assert array_path.name == f"{name}__2"


def test_signatures_read_as_users_expect(built: Built) -> None:
    assert rust_signature(built.translated["dot_product"]) == (
        "fn dot_product(a: Vec<f64>, b: Vec<f64>) -> f64 | "
        "fn dot_product(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64"
    )
    assert rust_signature(built.translated["matmul"]) == (
        "fn matmul(a: Vec<Vec<f64>>, b: Vec<Vec<f64>>) -> Vec<Vec<f64>> | "
        "fn matmul(a: ArrayView2<f64>, b: ArrayView2<f64>) -> Vec<Vec<f64>>"
    )
    assert built.translated["normalize_pixels"].signature == (
        "normalize_pixels(pixels: list[int]) -> list[float] | "
        "normalize_pixels(pixels: ndarray[int64, 1d]) -> list[np.float64]"
    )
    assert built.module.__rustify_signatures__["dot_product"] == rust_signature(
        built.translated["dot_product"]
    )


# -- both paths against Python -----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(LIST_CALLS))
def test_list_calls_take_the_list_path(built: Built, name: str) -> None:
    for args in LIST_CALLS[name][1]:
        check(built, name, args, fallback=False)


def numpy_warns(fn: Callable[..., Any], args: tuple[Any, ...]) -> bool:
    """Whether NumPy warns on this call (overflow, invalid value): the array path then
    hands the call to Python, which warns as it would."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        run_call(fn, args, {})
    return any(issubclass(w.category, RuntimeWarning) for w in seen)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", sorted(ARRAY_PATHS))
def test_array_calls_take_the_array_path(built: Built, name: str) -> None:
    for args in array_calls(name):
        check(built, name, args, fallback=numpy_warns(built.originals[name], args))


MORE_ARRAYS: Mapping[str, list[tuple[Any, ...]]] = {
    # Values the recording did not see: views, signed zeros, big and tiny numbers.
    "euclidean": [(np.arange(10.0)[::3], np.ones(4)), (np.array([-0.0]), np.array([0.0]))],
    "dot_product": [(np.arange(6.0)[1:], np.arange(5.0) ** 0.5), (np.array([1e308]), np.ones(1))],
    "l2_normalize": [(np.array([1e-200, 1e-200]),), (np.linspace(-1.0, 1.0, 9),)],
    "normalize_pixels": [(np.arange(256, dtype=np.int64),), (np.array([-(2**63)]),)],
    "standard_scale": [(np.array([NAN, 1.0]),), (np.linspace(0.0, 1.0, 7),)],
    "min_max_scale": [(np.array([NAN, 1.0, 2.0]),), (np.array([2.0, 1.0, -0.0]),)],
    "running_mean": [(np.linspace(0.0, 3.0, 11), 4), (np.array([1.0, 2.0]), -1)],
    "moving_average": [(np.linspace(0.0, 3.0, 11), 4), (np.array([]), 1)],
    "diff": [(np.array([0.1, 0.2, 0.30000000000000004]),), (np.array([-0.0, 0.0]),)],
    "cumsum": [(np.array([0.1] * 10),), (np.array([NAN, 1.0]),)],
    "convolve1d": [
        (np.linspace(0.0, 1.0, 9), np.array([0.25, 0.5, 0.25])),
        (np.ones(2), np.ones(3)),
    ],
    "matmul": [
        (np.arange(6.0).reshape(2, 3), np.arange(12.0).reshape(3, 4) / 7.0),
        (np.arange(6.0).reshape(3, 2).T, np.ones((3, 1))),  # a transposed (strided) view
        (np.zeros((0, 2)), np.ones((2, 2))),
    ],
}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", sorted(MORE_ARRAYS))
def test_array_path_on_unrecorded_values(built: Built, name: str) -> None:
    assert set(MORE_ARRAYS) == ARRAY_PATHS
    for args in MORE_ARRAYS[name]:
        check(built, name, args, fallback=numpy_warns(built.originals[name], args))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_where_numpy_warns_the_array_path_falls_back(built: Built) -> None:
    # inf - inf is NaN with a RuntimeWarning in NumPy; Python runs the call and warns.
    check(built, "euclidean", (np.array([INF]), np.array([INF])), fallback=True)
    check(built, "diff", (np.array([INF, INF]),), fallback=True)
    check(built, "euclidean", ([INF], [INF]), fallback=False)  # lists: plain float NaN


def test_arrays_of_other_dtypes_fall_back(built: Built) -> None:
    check(built, "cumsum", (np.array([1, 2], dtype=np.int64),), fallback=True)
    check(built, "normalize_pixels", (np.array([1.0, 2.0]),), fallback=True)
    check(built, "cumsum", (np.ones((2, 2)),), fallback=True)  # 2-D where 1-D was recorded
    check(built, "matmul", (np.ones(2), np.ones(2)), fallback=True)


def test_a_mixed_call_no_path_takes_falls_back(built: Built) -> None:
    check(built, "dot_product", ([1.0, 2.0], np.array([3.0, 4.0])), fallback=True)
    check(built, "convolve1d", (np.ones(4), [0.5, 0.5]), fallback=True)
    check(built, "dot_product", ([1.0, 2.0], np.array([3.0, 4.0]), 1), fallback=True)


def test_recorded_mixed_calls_make_a_path_of_their_own(built: Built) -> None:
    fn = built.translated[MIXED]
    assert len(fn.variants) == 2
    signature = rust_signature(fn)
    assert signature.split(" | ")[2] == (
        "fn dot_product_mixed(a: Vec<f64>, b: ArrayView1<f64>) -> f64"
    ), signature
    for args in [*mixed_calls(), ([1.0, 2.0], np.array([3.0, 4.0]))]:
        check(built, MIXED, args, fallback=False)
    for args in [*LIST_CALLS["dot_product"][1], *array_calls("dot_product")]:
        check(built, MIXED, args, fallback=False)
    check(built, MIXED, (np.array([3.0, 4.0]), [1.0, 2.0]), fallback=True)


def test_array_results_are_numpy_scalars_as_in_python(built: Built) -> None:
    rust = built.module
    out = rust.l2_normalize(np.array([3.0, 4.0]))
    assert [type(x) for x in out] == [np.float64, np.float64]
    assert out == [0.6, 0.8]
    assert type(rust.dot_product(np.ones(2), np.ones(2))) is np.float64
    assert type(rust.dot_product([1.0], [1.0])) is float
    assert type(rust.euclidean(np.ones(2), np.ones(2))) is float  # math.sqrt gives a float
    zeros = rust.standard_scale(np.array([5.0, 5.0]))  # `[0.0] * n`: Python floats
    assert [type(x) for x in zeros] == [float, float]


# -- translating the kinds of calls (no build) ----------------------------------------------


def test_list_calls_alone_make_one_path_as_before() -> None:
    fn = translate_example(load_examples(), "dot_product", LIST_CALLS["dot_product"][1])
    assert isinstance(fn, ir.Function)
    assert fn.variants == () and fn.notes == ()
    assert rust_signature(fn) == "fn dot_product(a: Vec<f64>, b: Vec<f64>) -> f64"
    assert "dot_product__2" not in function_code(fn)


def test_array_calls_alone_make_one_array_path() -> None:
    fn = translate_example(load_examples(), "cumsum", array_calls("cumsum"))
    assert isinstance(fn, ir.Function)
    assert fn.variants == ()
    assert rust_signature(fn) == "fn cumsum(xs: ArrayView1<f64>) -> Vec<f64>"
    assert fn.signature == "cumsum(xs: ndarray[float64, 1d]) -> list[np.float64]"


def test_a_refused_kind_of_call_falls_back_and_says_why() -> None:
    calls = [(["a", "b", "a"],), (np.array(["a", "b"]),)]
    fn = translate_example(load_examples(), "count_pairs", calls)
    assert isinstance(fn, ir.Function), fn
    assert fn.variants == ()
    (note,) = fn.notes
    assert note.startswith("the calls passing NumPy arrays for `tokens` are not accelerated")
    assert "examples/rustify_examples/text.py:" in note and "numpy.ndarray" in note


def test_the_list_path_refused_leaves_the_array_path() -> None:
    # list[int] and list[float] for one parameter cannot be one Rust type.
    calls = [([1, 2],), ([1.5],), *array_calls("cumsum")]
    fn = translate_example(load_examples(), "cumsum", calls)
    assert isinstance(fn, ir.Function), fn
    assert fn.name == "cumsum" and fn.variants == ()
    assert "ArrayView1" in rust_signature(fn)
    (note,) = fn.notes
    assert note.startswith("the calls passing no NumPy array are not accelerated")
    assert "list[int] and list[float]" in note


def test_every_kind_refused_refuses_the_function_with_each_reason() -> None:
    calls = [([1, 2],), ([1.5],), (np.ones(2, dtype=np.float32),)]
    refusal = translate_example(load_examples(), "cumsum", calls)
    assert isinstance(refusal, Refusal)
    assert refusal.code == "type-conflict"
    assert "list[int] and list[float]" in refusal.message
    assert "the calls passing NumPy arrays for `xs`: " in refusal.message


def test_at_most_four_kinds_of_calls_the_mixes_left_out() -> None:
    fn = importlib.import_module("variant_funcs").weighted_sum
    a, lst = np.ones(2), [1.0, 2.0]
    kinds = [(lst, lst, lst), (a, a, a), (a, lst, lst), (lst, a, a), (lst, lst, a)]
    result = translate_callable(
        "variant_funcs:weighted_sum", fn, "variant_funcs.py", 1, record(fn, kinds)
    )
    assert isinstance(result, ir.Function), result
    assert [f.name for f in result.variants] == [
        "weighted_sum__2",
        "weighted_sum__3",
        "weighted_sum__4",
    ]
    assert rust_signature(result).split(" | ")[1] == (
        "fn weighted_sum(xs: ArrayView1<f64>, ys: ArrayView1<f64>, ws: ArrayView1<f64>) -> f64"
    )
    (note,) = result.notes
    assert note.startswith("the calls passing NumPy arrays for `xs` are not accelerated")
    assert "at most 4 translations" in note


def test_count_pairs_with_an_array_of_strings_falls_back(built: Built) -> None:
    check(built, "count_pairs", (np.array(["a", "b", "a", "b"]),), fallback=True)


# -- len(a[i]) of a 2-D array (corpus/rows_of_arrays.py) -----------------------------------------


def test_len_of_a_row_counts_columns(check_same: CheckSame) -> None:
    grid = np.arange(12.0).reshape(3, 4)
    for i in (0, 2, -1, -3):
        check_same("row_length", grid, i)
    for i in (3, -4, 2**40):
        out = check_same("row_length", grid, i)
        assert out.exception is not None and out.exception[0] == "IndexError"
    out = check_same("row_length", np.zeros((0, 5)), 0)
    assert out.exception == ("IndexError", "index 0 is out of bounds for axis 0 with size 0")
    check_same("row_length", np.zeros((2, 0)), 1)
    check_same("row_length", grid.T, 1)  # a strided view: 3 columns


def test_len_of_rows_in_loops(check_same: CheckSame) -> None:
    ints = np.arange(6, dtype=np.int64).reshape(2, 3)
    for k in (3, 2, 0):
        check_same("rows_all_as_long", ints, k)
    check_same("rows_all_as_long", np.zeros((0, 3), dtype=np.int64), 1)
    for m in (np.arange(6.0).reshape(3, 2) / 3.0, np.zeros((0, 2)), np.zeros((2, 0))):
        check_same("row_sums_checked", m)
