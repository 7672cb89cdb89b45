"""What test_fuzz.py found, kept as explicit regression tests.

Each test is the minimised call Hypothesis reported, run through ``check_same``. A finding
not fixed yet is a strict xfail whose reason gives the Python and the Rust outcome, so a
fix shows up as an XPASS; a fixed one is an ordinary test.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import CheckSame


def test_chr_past_a_c_int_raises_what_python_raises(check_same: CheckSame) -> None:
    """Found: ``char_of(2**31)``. Python 3.11 raises OverflowError ("Python int too large
    to convert to C int") before its range check, and Rust raised the range check's
    ValueError. From 3.13 CPython raises ValueError there too (gh-76763), so the runtime
    now hands an int beyond a C int to Python."""
    check_same("char_of", 2**31, fallback=True)
    check_same("char_of", -(2**31) - 1, fallback=True)
    check_same("char_of", 2**63 - 1, fallback=True)
    check_same("char_of", 2**31 - 1)  # the range check's ValueError, raised in Rust
    check_same("char_of", -(2**31))


def test_repr_of_a_float_halfway_between_two_shortest_forms(check_same: CheckSame) -> None:
    """Found: ``float_text([2**-24])``. 2**-24 is exactly 5.9604644775390625e-08, halfway
    between the two 16-digit forms; Python writes '5.960464477539063e-08', and the Rust
    runtime took the even one, '...062e-08'. Such exact ties now go to Python; a value
    near them stays in Rust."""
    check_same("float_text", [2.0**-24], fallback=True)
    check_same("float_text", [0.5, 2.0**-24 * 3], fallback=True)  # 1.7881393432617188e-07
    check_same("float_text", [0.1, 1 / 3, 2.0**-24 + 2.0**-70], fallback=False)


# -- found by test_fuzz_hostile.py ------------------------------------------------------


def test_a_dict_keyed_by_nan_is_compared_not_crashed_on(check_same: CheckSame) -> None:
    """Found: ``word_counts(np.array([nan, inf, -inf, -0.0]))``. The call falls back, and
    Python counts the NaN under a NaN key; the parity comparison then looked that key up
    in the other side's dict, where another NaN object is never found: KeyError, which in
    a session would have stopped the parity replay. Keys are now paired in order."""
    import numpy as np

    check_same("word_counts", np.array([math.nan, math.inf, -math.inf, -0.0]), fallback=True)
    check_same("word_counts", [math.nan, "a", math.nan], fallback=True)


def test_a_set_holding_nan_is_compared_structurally(check_same: CheckSame) -> None:
    """Found: ``pair_set([False], np.array([nan, inf, -inf, -0.0]))``: the sets hold
    ``(False, nan)`` on both sides, but as two NaN objects no lookup finds one from the
    other, and the comparison reported it missing and unexpected at once."""
    import numpy as np

    check_same("pair_set", [False], np.array([math.nan, math.inf, -math.inf, -0.0]), fallback=True)
    check_same("pair_set", [1], [math.nan], fallback=True)


def test_a_result_too_long_to_print_is_still_compared(check_same: CheckSame) -> None:
    """Found: ``int_products([3] * 100_000)``, an int of 47,000 digits: equal on both
    sides, but showing it for the message raised ValueError (CPython's limit on int to
    str conversion) before anything was compared."""
    check_same("int_products", [3] * 10_000, fallback=True)  # past i64: Python computes it
