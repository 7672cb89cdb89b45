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
