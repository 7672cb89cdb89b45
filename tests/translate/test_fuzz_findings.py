"""What test_fuzz.py found, kept as explicit regression tests.

Each test is the minimised call Hypothesis reported, run through ``check_same``. A finding
not fixed yet is a strict xfail whose reason gives the Python and the Rust outcome, so a
fix shows up as an XPASS; a fixed one is an ordinary test.
"""

from __future__ import annotations

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
