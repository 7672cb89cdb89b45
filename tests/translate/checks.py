"""Helpers the translator's test modules share (plain functions, not fixtures)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import CheckSame


def check_all(
    check_same: CheckSame,
    name: str,
    cases: Iterable[Sequence[object]],
    *,
    fallback: bool | None = False,
) -> None:
    """Run every case through Python and Rust; report all the disagreements at once."""
    failures = []
    count = 0
    for args in cases:
        count += 1
        try:
            check_same(name, *args, fallback=fallback)
        except AssertionError as err:
            failures.append(str(err))
    assert count, "no cases"
    assert not failures, f"{len(failures)} of {count} calls differ:\n" + "\n".join(failures)
