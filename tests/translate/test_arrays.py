"""NumPy arrays and scalars: Python+NumPy vs the Rust build, on edge inputs.

Every call goes through ``check_same`` (conftest.py), which deep-copies the arguments,
so in-place writes are compared as the caller sees them afterwards, and results must
have the same types (np.float64 where Python gives np.float64, float where it gives a
float). Where NumPy would warn (division by zero, overflow, invalid values) the Rust
build hands the call back to Python, which is asserted with ``fallback=True``. Views
that a deep copy would not preserve (strided, overlapping, read-only, unaligned) are
run on twin arrays instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from pytest_rustify.translate import ir
from pytest_rustify.translate.frontend import TypeEvidence
from pytest_rustify.translate.rtypes import (
    FLOAT,
    INT,
    NONE,
    NP_FLOAT64,
    NP_INT64,
    UNKNOWN,
    ArrayT,
    type_of_value,
)
from pytest_rustify.translate.rust import crate_dependencies, generate_crate, rust_signature

if TYPE_CHECKING:
    from conftest import CheckSame, Corpus

NAN = math.nan
INF = math.inf

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def vec(*xs: float) -> np.ndarray[Any, Any]:
    return np.array(xs, dtype=np.float64)


def ivec(*xs: int) -> np.ndarray[Any, Any]:
    return np.array(xs, dtype=np.int64)


def mat(rows: list[list[float]], cols: int | None = None) -> np.ndarray[Any, Any]:
    if not rows:
        return np.zeros((0, cols or 0))
    return np.array(rows, dtype=np.float64)


GRID = np.arange(20.0).reshape(4, 5) ** 1.5


# -- results, in-place writes, edge values -----------------------------------------------


def test_scale_makes_a_new_float64_array(check_same: CheckSame) -> None:
    for args in [(vec(), 2.0), (vec(1.5, -2.0, NAN), 3.0), (vec(-0.0, 5.0), -1.0)]:
        out = check_same("scale", *args)
        assert type(out.value) is np.ndarray and out.value.dtype == np.float64


def test_scale_in_place_is_seen_by_the_caller(check_same: CheckSame) -> None:
    out = check_same("scale_in_place", vec(1.0, 2.0, INF), 2.0)
    assert list(out.args_after[0]) == [2.0, 4.0, INF]
    check_same("scale_in_place", vec(), 2.0)


def test_a_fallback_after_writes_does_not_apply_them_twice(check_same: CheckSame) -> None:
    # a[0] is written, then a[1] * 10 overflows: NumPy warns, so Python runs the call,
    # from the items as they were.
    out = check_same("scale_in_place", vec(1.0, 1e308, 3.0), 10.0, fallback=True)
    assert list(out.args_after[0]) == [10.0, INF, 30.0]
    check_same("normalize_rows", mat([[1.0, 3.0], [INF, -INF]]), fallback=True)


def test_normalize_rows_in_place(check_same: CheckSame) -> None:
    check_same("normalize_rows", mat([[1.0, 3.0], [0.0, 0.0], [2.0, -2.0]]))
    check_same("normalize_rows", mat([], cols=3))
    check_same("normalize_rows", np.asfortranarray(mat([[1.0, 2.0], [3.0, 4.0]])))


def test_row_sums_and_shapes(check_same: CheckSame) -> None:
    check_same("row_sums", GRID)
    check_same("row_sums", np.zeros((3, 0)))
    check_same("row_sums", mat([], cols=4))
    check_same("row_sums", mat([[NAN, 1.0], [1e300, 1e300]]))


def test_matmul(check_same: CheckSame) -> None:
    a, b = GRID[:3, :4].copy(), GRID[:4, :2].copy()
    check_same("array_matmul", a, b)
    check_same("array_matmul", a, a)  # shapes do not align: ValueError
    check_same("array_matmul", np.zeros((0, 3)), np.zeros((3, 2)))


def test_laplacian_and_convolution(check_same: CheckSame) -> None:
    for grid in (GRID, np.zeros((1, 1)), np.zeros((2, 7)), -GRID.T.copy()):
        check_same("laplacian", grid)
    kernel = mat([[0.0, 1.0], [1.0, -0.5]])
    check_same("convolve2d", GRID, kernel)
    check_same("convolve2d", kernel, GRID)  # a negative output shape: NumPy's ValueError


def test_argmax(check_same: CheckSame) -> None:
    for a in (vec(1.0, 3.0, 3.0, 2.0), vec(NAN, 1.0), vec(1.0, NAN, 5.0), vec(-INF), vec()):
        check_same("array_argmax", a)


def test_cumulative_sum(check_same: CheckSame) -> None:
    check_same("cumulative_sum", vec())
    check_same("cumulative_sum", vec(0.1, 0.2, 0.3, NAN, 1.0))
    check_same("cumulative_sum", vec(INF, -INF), fallback=True)  # inf - inf: invalid


def test_distance_matrix(check_same: CheckSame) -> None:
    check_same("distance_matrix", mat([[0.0, 0.0], [3.0, 4.0], [-1.0, 2.5]]))
    check_same("distance_matrix", mat([], cols=2))


def test_histogram_counts_into_int64(check_same: CheckSame) -> None:
    values = vec(0.0, 0.5, 0.99, 1.0, -0.1, NAN, 0.25)
    out = check_same("array_histogram", values, 0.0, 1.0, 4)
    assert out.value.dtype == np.int64
    check_same("array_histogram", vec(), 0.0, 1.0, 0)  # Python floats: ZeroDivisionError


def test_mean_of_an_empty_array_is_pythons_zero_division(check_same: CheckSame) -> None:
    out = check_same("array_mean", vec(1.0, 2.0))
    assert type(out.value) is np.float64
    out = check_same("array_mean", vec(), fallback=True)  # 0.0 / 0 between Python numbers
    assert out.exception is not None and out.exception[0] == "ZeroDivisionError"


def test_int64_arrays(check_same: CheckSame) -> None:
    out = check_same("clip_in_place", ivec(-5, 0, 7, 12), 0, 10)
    assert out.value == 2 and type(out.value) is int
    out = check_same("int_dot", ivec(1, 2, 3), ivec(4, 5))
    assert type(out.value) is np.int64
    out = check_same("int_dot", ivec(), ivec(1))
    assert type(out.value) is int  # the loop never ran: still Python's 0
    check_same("int_dot", ivec(2**62, 2), ivec(4, 1), fallback=True)  # wraps with a warning


def test_int64_powers_wrap_as_numpy_does(check_same: CheckSame) -> None:
    check_same("powers", ivec(2, 3, -3, 0), 3)
    check_same("powers", ivec(3, 2), 40)  # wraps silently in NumPy
    check_same("powers", ivec(2), -1, fallback=True)  # NumPy's ValueError


def test_int_stats_types(check_same: CheckSame) -> None:
    out = check_same("int_stats", ivec(3, -1, 7))
    assert [type(v) for v in out.value] == [np.int64, np.int64, np.float64]
    check_same("int_stats", ivec())  # a[0]: IndexError with NumPy's message


def test_float_floor_division_and_modulo(check_same: CheckSame) -> None:
    for d in (0.5, -2.0, 3.0, 1e-300):
        check_same("floor_mod", vec(-7.0, 7.0, -0.0, 1e300, NAN), d, fallback=None)
    check_same("floor_mod", vec(1.0), 0.0, fallback=True)
    check_same("floor_mod", vec(-7.0, 7.5, 0.0), 2.0)


def test_transpose_and_chained_indexing(check_same: CheckSame) -> None:
    check_same("array_transpose", GRID)
    check_same("array_transpose", np.zeros((0, 3)))
    for i, j in [(0, 0), (-1, -1), (3, 4), (4, 0), (0, 5), (-5, 0), (0, -6)]:
        check_same("cell", GRID, i, j)


def test_index_errors_carry_numpys_message(check_same: CheckSame) -> None:
    for i in (0, 2, -1, -3, 3, -4):
        check_same("array_item", vec(1.0, 2.0, 3.0), i)
    out = check_same("array_item", vec(1.0), 5)
    assert out.exception == ("IndexError", "index 5 is out of bounds for axis 0 with size 1")
    out = check_same("bump_cell", np.zeros((2, 3), dtype=np.int64), 1, 3, 1)
    assert out.exception == ("IndexError", "index 3 is out of bounds for axis 1 with size 3")
    out = check_same("cell", GRID, 0, 9)
    assert out.exception == ("IndexError", "index 9 is out of bounds for axis 0 with size 5")


def test_augmented_item_assignment(check_same: CheckSame) -> None:
    check_same("bump_cell", np.zeros((2, 3), dtype=np.int64), -1, -2, 5)
    big = np.full((1, 1), 2**63 - 1, dtype=np.int64)
    check_same("bump_cell", big, 0, 0, 1, fallback=True)
    check_same("ones_plus_identity", 3)
    check_same("ones_plus_identity", 0)
    check_same("ones_plus_identity", -1)  # negative dimensions


def test_running_max_and_comparisons_with_nan(check_same: CheckSame) -> None:
    for a in (vec(1.0, NAN, 0.5, 2.0), vec(NAN, 1.0), vec(), vec(-0.0, 0.0)):
        check_same("running_max", a)
    check_same("count_above", mat([[1.0, NAN], [5.0, -INF]]), 0.5)


def test_division_on_elements(check_same: CheckSame) -> None:
    check_same("ratios", vec(1.0, NAN, -3.0), vec(2.0, 1.0, 4.0))
    check_same("ratios", vec(1.0), vec(0.0), fallback=True)  # inf with a warning
    check_same("ratios", vec(0.0), vec(0.0), fallback=True)  # nan with a warning
    check_same("ratios", vec(1.0, 2.0), vec(1.0), fallback=None)  # IndexError


def test_scalars_cross_the_boundary_with_their_types(check_same: CheckSame) -> None:
    out = check_same("as_floats", vec(1.0, NAN))
    assert [type(x) for x in out.value] == [float, float]
    out = check_same("to_float64", 1.5)
    assert type(out.value) is np.float64
    check_same("to_float64", np.float64(2.0), fallback=True)  # annotated float: exact floats
    check_same("to_float64", 1e308, fallback=True)  # overflow warning
    check_same("array_mean", vec(2.0**53, 1.0))


# -- what the dispatcher does not compute itself ------------------------------------------


@pytest.mark.parametrize(
    "arg",
    [
        np.zeros(3, dtype=np.float32),
        np.zeros(3, dtype=np.int64),
        np.zeros(3, dtype=object),
        np.zeros((2, 2)),
        np.zeros(3, dtype=">f8"),
        np.ma.masked_array([1.0, 2.0], mask=[False, True]),
        [1.0, 2.0],
    ],
    ids=["float32", "int64", "object", "2-D", "big-endian", "masked", "list"],
)
def test_other_arguments_fall_back(check_same: CheckSame, arg: object) -> None:
    check_same("scale", arg, 2.0, fallback=True)


def test_the_same_array_read_and_written_falls_back(check_same: CheckSame) -> None:
    a = vec(1.0, 2.0)
    check_same("add_into", a, a, vec(10.0, 20.0), fallback=True)
    check_same("add_into", vec(0.0, 0.0), a, a)  # read twice: fine


def twins(
    corpus: Corpus, name: str, make: Callable[[], tuple[Any, ...]]
) -> tuple[tuple[Any, ...], tuple[Any, ...], int]:
    """Run ``name`` on two fresh sets of views built alike (deep copies would not keep
    their strides, overlap or flags), and count the Rust build's fallbacks."""
    py_args, rust_args = make(), make()
    py_result = rust_result = None
    try:
        py_result = corpus.py(name)(*py_args)
    except Exception as exc:
        py_result = type(exc)
    before = corpus.fallbacks(name)
    try:
        rust_result = corpus.rust(name)(*rust_args)
    except Exception as exc:
        rust_result = type(exc)
    fell_back = corpus.fallbacks(name) - before
    if isinstance(py_result, np.ndarray):
        np.testing.assert_array_equal(py_result, rust_result)
    else:
        assert py_result == rust_result
    return py_args, rust_args, fell_back


def test_strided_views_are_read_and_written_in_place(corpus: Corpus) -> None:
    views: list[Callable[[Any], Any]] = [
        lambda b: b[::2],
        lambda b: b[::-3],
        lambda b: b.reshape(3, 4).T[1],
    ]
    for view in views:
        assert twins(corpus, "scale", lambda v=view: (v(np.arange(12.0)), 2.0))[2] == 0
        bases: list[Any] = []

        def make(v: Callable[[Any], Any] = view, kept: list[Any] = bases) -> tuple[Any, ...]:
            b = np.arange(12.0)
            kept.append(b)
            return (v(b), -1.5)

        assert twins(corpus, "scale_in_place", make)[2] == 0
        np.testing.assert_array_equal(bases[0], bases[1])
    grid = np.arange(24.0).reshape(4, 6)
    py_args, rust_args, fell_back = twins(
        corpus, "normalize_rows", lambda: (grid.copy()[::2, 1::2],)
    )
    assert fell_back == 0
    np.testing.assert_array_equal(py_args[0], rust_args[0])


def test_views_written_into_their_base(corpus: Corpus) -> None:
    bases = []

    def make() -> tuple[Any, ...]:
        b = np.arange(10.0)
        bases.append(b)
        return (b[1::3], 3.0)

    _, _, fell_back = twins(corpus, "scale_in_place", make)
    assert fell_back == 0
    np.testing.assert_array_equal(bases[0], bases[1])
    assert bases[1][1] == 3.0 and bases[1][2] == 2.0


def test_overlapping_views_fall_back(corpus: Corpus) -> None:
    bases = []

    def make() -> tuple[Any, ...]:
        b = np.arange(6.0)
        bases.append(b)
        return (b[1:], b[:-1], np.ones(5))

    _, _, fell_back = twins(corpus, "add_into", make)
    assert fell_back == 1
    np.testing.assert_array_equal(bases[0], bases[1])


def test_read_only_and_unaligned_arrays(corpus: Corpus) -> None:
    def frozen() -> tuple[Any, ...]:
        a = vec(1.0, 2.0)
        a.flags.writeable = False
        return (a, 2.0)

    assert twins(corpus, "scale", frozen)[2] == 0  # only read: computed in Rust
    assert twins(corpus, "scale_in_place", frozen)[2] == 1  # Python's ValueError

    def unaligned() -> tuple[Any, ...]:
        raw = bytearray(8 * 4 + 1)
        return (np.frombuffer(raw, dtype=np.float64, offset=1, count=4), 2.0)

    assert twins(corpus, "scale", unaligned)[2] == 1


# -- types, annotations, evidence, the crate ----------------------------------------------


def test_observed_types() -> None:
    assert type_of_value(np.zeros((2, 3))) == ArrayT(NP_FLOAT64, 2)
    assert type_of_value(np.zeros(2, dtype=np.int64)) == ArrayT(NP_INT64, 1)
    assert type_of_value(np.float64(1.0)) == NP_FLOAT64
    assert type_of_value(np.int64(1)) == NP_INT64
    for other in (np.zeros((1, 1, 1)), np.zeros(1, dtype=np.float32), np.float32(1.0)):
        assert type_of_value(other) is None
    assert type_of_value(np.ma.masked_array([1.0])) is None


def test_corpus_signatures_show_views_and_owned_arrays(corpus: Corpus) -> None:
    signatures = corpus.module.__rustify_signatures__
    assert signatures["scale"] == "fn scale(a: ArrayView1<f64>, k: f64) -> Array1<f64>"
    assert signatures["bump_cell"] == (
        "fn bump_cell(m: ArrayViewMut2<i64>, i: i64, j: i64, by: i64) -> ()"
    )


def test_numpy_is_a_dependency_only_when_used(corpus: Corpus) -> None:
    fn = corpus.translated["array_argmax"]
    with_arrays = generate_crate(ir.Module((fn,), (3, 11)))
    assert "numpy" in crate_dependencies(with_arrays)
    assert "mod np;" in with_arrays["src/lib.rs"]
    plain = next(f for n, f in corpus.translated.items() if corpus.functions[n].module != "arrays")
    without = generate_crate(ir.Module((plain,), (3, 11)))
    assert "numpy" not in crate_dependencies(without)
    assert "src/np.rs" not in without


def test_unannotated_arrays_take_their_types_from_calls() -> None:
    from test_frontend_ir import translate

    source = """
        def centre(a, out):
            total = 0.0
            for x in a:
                total += x
            for i in range(len(a)):
                out[i] = a[i] - total / len(a)
    """
    evidence = TypeEvidence(
        params={"a": ArrayT(NP_FLOAT64, 1), "out": ArrayT(NP_FLOAT64, 1)}, ret=NONE
    )
    assert type_of_value(np.ones(3)) == evidence.params["a"]
    fn = translate(source, evidence)
    assert isinstance(fn, ir.Function), fn
    assert dict(fn.locals)["total"] == NP_FLOAT64
    assert rust_signature(fn) == "fn centre(a: ArrayView1<f64>, out: ArrayViewMut1<f64>) -> ()"
    refused = translate(source)
    assert not isinstance(refused, ir.Function)


def test_partial_annotations_need_calls() -> None:
    from test_frontend_ir import translate

    source = """
        import numpy as np
        import numpy.typing as npt
        def first(a: npt.NDArray[np.float64]):
            return a[0]
    """
    module_globals = {"np": np, "npt": __import__("numpy.typing").typing}
    refused = translate(source, module_globals=module_globals)
    assert not isinstance(refused, ir.Function)
    assert "number of dimensions" in refused.message
    row = translate(source, TypeEvidence(params={"a": ArrayT(NP_FLOAT64, 2)}), module_globals)
    assert not isinstance(row, ir.Function) and row.code == "array-view", row
    one_d = translate(source, TypeEvidence(params={"a": ArrayT(NP_FLOAT64, 1)}), module_globals)
    assert isinstance(one_d, ir.Function), one_d
    assert one_d.params[0].type == ArrayT(NP_FLOAT64, 1)
    assert one_d.ret == NP_FLOAT64
    assert ArrayT(UNKNOWN, 0) != ArrayT(NP_FLOAT64, 1)
    assert INT != NP_INT64 and FLOAT != NP_FLOAT64


def test_numpy_scalar_parameters_keep_their_type(check_same: CheckSame) -> None:
    # Typed np.float64, a parameter also takes a float, and the result follows it.
    assert type(check_same("halve", 1.5).value) is float
    assert type(check_same("halve", np.float64(1.5)).value) is np.float64
    check_same("halve", np.float32(1.5), fallback=True)
    check_same("halve", 1, fallback=True)


def test_zip_and_reversed_over_arrays(check_same: CheckSame) -> None:
    out = check_same("weighted_sum", vec(1.0, 2.0, 3.0), vec(0.5, 0.25))
    assert type(out.value) is np.float64
    assert type(check_same("weighted_sum", vec(), vec(1.0)).value) is float
    assert type(check_same("last_positive", ivec(3, -1, 0)).value) is np.int64
    assert check_same("last_positive", ivec(-3, 0)).value == -1
