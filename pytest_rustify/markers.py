"""The ``@pytest.mark.rustify`` marker's arguments, checked.

Input: the marks on one test (anything with ``args`` and ``kwargs``) and its node id.
Output: a ``Marker``, or a ``RustifyUsageError`` naming the test::

    parse_markers([mark], "tests/test_x.py::test_x")
    # Marker(named=("pkg.mod:f",), min_speedup=5.0, rtol=0.0, atol=0.0)

Light on purpose: the plugin checks markers at collection even without ``--rustify``,
and must not import the session for that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .errors import RustifyUsageError
from .options import check_target


@dataclass
class Marker:
    named: tuple[str, ...] = ()
    min_speedup: float | None = None
    rtol: float = 0.0
    atol: float = 0.0


def parse_markers(marks: Sequence[Any], nodeid: str) -> Marker:
    out = Marker()
    for mark in marks:
        for a in mark.args:
            if not isinstance(a, str):
                raise RustifyUsageError(
                    f"{nodeid}: @pytest.mark.rustify takes target strings like "
                    f"'pkg.mod:func', got {a!r}"
                )
            check_target(a, f"{nodeid}: @pytest.mark.rustify")
        out.named += tuple(mark.args)
        for k, v in mark.kwargs.items():
            if k not in ("min_speedup", "rtol", "atol"):
                raise RustifyUsageError(
                    f"{nodeid}: @pytest.mark.rustify got unknown argument {k}={v!r}; "
                    "accepted: target strings, min_speedup=, rtol=, atol="
                )
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 or v != v:
                raise RustifyUsageError(
                    f"{nodeid}: @pytest.mark.rustify({k}={v!r}): expected a non-negative number"
                )
            if k == "min_speedup":
                if v <= 0:
                    raise RustifyUsageError(
                        f"{nodeid}: @pytest.mark.rustify(min_speedup={v!r}): "
                        "expected a number greater than 0"
                    )
                out.min_speedup = float(v)
            else:
                setattr(out, k, float(v))
    return out
