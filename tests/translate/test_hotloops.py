"""Error paths inside hot loops (``corpus/hotloops.py``) against Python.

The runtime builds index errors, static-message raises and fallbacks inline so that
LLVM sees they leave the loop; these calls take each of those paths and check the
exception type and message (list/str/tuple/NumPy wording), the fallback, and the
arguments afterwards, next to the in-range calls that take none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest

if TYPE_CHECKING:
    from conftest import CheckSame, Corpus


def test_dot_by_index(check_same: CheckSame) -> None:
    check_same("dot_by_index", [], [])
    check_same("dot_by_index", [1.5, 2.0, -3.0], [2.0, 0.25, 4.0])
    check_same("dot_by_index", [1.0, 2.0, 3.0], [1.0, 2.0])  # IndexError on the last
    check_same("dot_by_index", [1.0], [])
    check_same("dot_by_index", [], [1.0])


def test_negative_indices(check_same: CheckSame) -> None:
    check_same("sum_from_negative", [1, 2, 3], 0)
    check_same("sum_from_negative", [1, 2, 3], 3)  # xs[-3] .. xs[2]
    check_same("sum_from_negative", [1, 2, 3], 4)  # xs[-4]: IndexError first
    check_same("sum_from_negative", [], 1)


def test_containers_resized_in_the_loop(check_same: CheckSame) -> None:
    check_same("read_while_growing", [1, 2], 0)
    check_same("read_while_growing", [1, 2], 3)  # reads what it appended
    check_same("read_while_growing", [], 1)  # IndexError with xs unchanged
    check_same("read_while_shrinking", [1, 2, 3, 4])  # IndexError half way, xs popped
    check_same("read_while_shrinking", [])
    check_same("read_while_shrinking", [5])


def test_assignment_index_message(check_same: CheckSame) -> None:
    check_same("write_by_index", [1.0, 2.0], 2)
    check_same("write_by_index", [1.0, 2.0], 3)  # xs[2] is read first: "list index out of range"
    check_same("write_by_index", [], 1)


def test_str_and_tuple_messages(check_same: CheckSame) -> None:
    check_same("chars_by_index", "banana", 6)
    check_same("chars_by_index", "banana", 7)  # string index out of range
    check_same("tuple_by_index", (1, 2, 3), 3)
    check_same("tuple_by_index", (1, 2, 3), 4)  # tuple index out of range


def test_ragged_matmul(check_same: CheckSame) -> None:
    check_same("ragged_matmul", [[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]])
    check_same("ragged_matmul", [[1.0, 2.0]], [[5.0, 6.0], [7.0]])  # short row of b
    check_same("ragged_matmul", [[1.0]], [[5.0, 6.0], [7.0, 8.0]])  # short row of a
    check_same("ragged_matmul", [], [[1.0]])


def test_division_by_zero_in_a_loop(check_same: CheckSame) -> None:
    check_same("hot_ratios", [1.0, 2.0], [4.0, 8.0])
    check_same("hot_ratios", [1.0, 2.0], [4.0, 0.0])  # ZeroDivisionError: float division by zero
    check_same("hot_ratios", [1.0, 2.0], [4.0])


def test_int_overflow_falls_back(check_same: CheckSame) -> None:
    check_same("int_products", [3, 5, -7])
    check_same("int_products", [2**40, 2**30], fallback=True)
    check_same("int_products", [])


def test_empty_min_in_a_loop(check_same: CheckSame) -> None:
    check_same("smallest_of_rows", [[3, 1], [2]])
    check_same("smallest_of_rows", [[3, 1], []])  # ValueError: min() arg is an empty sequence


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_array_loops(check_same: CheckSame) -> None:
    a = np.array([1.0, 2.0, 3.0])
    check_same("array_dot_by_index", a, np.array([0.5, -1.0, 2.0]))
    check_same("array_dot_by_index", a, np.array([0.5, -1.0]))  # out of bounds, axis 0
    check_same("array_dot_by_index", np.array([1e308, 1e308]), np.array([10.0, 1.0]), fallback=True)
    check_same("array_dot_by_index", np.array([]), np.array([]))
    check_same("array_sum_to", a, 3)
    check_same("array_sum_to", a, 4)  # index 3 is out of bounds for axis 0 with size 3
    check_same("array_sum_to", np.array([1e308, 1e308]), 2, fallback=True)  # overflow warns
    check_same("array_sum_to", np.array([np.inf, -np.inf]), 2, fallback=True)  # invalid
    check_same("array_sum_to", np.array([np.nan, 1.0]), 2)  # nan from nan: no warning
    m = np.arange(6.0).reshape(2, 3)
    check_same("array_row_sums", m, 3)
    check_same("array_row_sums", m, 4)  # axis 1 with size 3


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_array_iteration(check_same: CheckSame) -> None:
    check_same("array_zip_distance", np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0]))
    check_same("array_zip_distance", np.array([1.0, 2.0, 3.0]), np.array([0.5]))  # shortest
    check_same("array_zip_distance", np.array([]), np.array([]))
    check_same("array_zip_distance", np.array([1e200]), np.array([-1e200]), fallback=True)
    check_same("array_items_total", np.array([0.25, -1.0, 4.0]))
    check_same("array_items_total", np.array([np.inf, -np.inf]), fallback=True)


def test_array_iteration_over_strided_views(corpus: Corpus) -> None:
    """Views keep their strides only without the deep copy ``check_same`` makes; these
    functions only read, so Python and Rust get the same views."""
    base = np.arange(24.0) * 0.75 - 5.0
    views = [base[::2], base[::-3], base.reshape(4, 6).T[1], base[5:17]]
    for a in views:
        for b in views:
            expected = corpus.py("array_zip_distance")(a, b)
            before = corpus.fallbacks("array_zip_distance")
            actual = corpus.rust("array_zip_distance")(a, b)
            assert corpus.fallbacks("array_zip_distance") == before
            assert type(actual) is type(expected)
            assert actual == expected
        expected = corpus.py("array_items_total")(a)
        actual = corpus.rust("array_items_total")(a)
        assert type(actual) is type(expected) and actual == expected


def test_rows_appended_after_loops(check_same: CheckSame) -> None:
    # Rows outgrow their first allocations: the append's slow path keeps the value.
    check_same("rows_appended_after_loops", 3, 40)
    check_same("rows_appended_after_loops", 0, 5)
    check_same("rows_appended_after_loops", 2, 0)
