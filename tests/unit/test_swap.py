"""Swapping functions in every namespace that references them, and putting them back."""

from __future__ import annotations

import importlib
import os
import sys
import textwrap
import types
import uuid
from collections.abc import Iterator, MutableMapping
from pathlib import Path

import pytest

from pytest_rustify.swap import Swap, module_namespaces


def original(x: int) -> int:
    return x


def replacement(x: int) -> int:
    return -x


def unrelated(x: int) -> int:
    return x


class EqualToEverything:
    """Equal to any object, so only an identity test tells it from the original."""

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


Namespace = MutableMapping[str, object]


# --- replace and restore ------------------------------------------------------------------------


def test_replace_rebinds_every_reference_in_every_namespace() -> None:
    mod: Namespace = {"original": original, "unrelated": unrelated, "n": 1}
    user: Namespace = {"alias": original, "also": original, "original": unrelated}
    swap = Swap()
    assert swap.replace(original, replacement, [mod, user]) == 3
    assert len(swap) == 3
    assert mod == {"original": replacement, "unrelated": unrelated, "n": 1}
    assert user == {"alias": replacement, "also": replacement, "original": unrelated}


def test_replace_matches_by_identity_only() -> None:
    lookalike = EqualToEverything()
    ns: Namespace = {"lookalike": lookalike, "original": original}
    swap = Swap()
    assert swap.replace(original, replacement, [ns]) == 1
    assert ns["lookalike"] is lookalike
    assert ns["original"] is replacement


def test_replace_of_an_unreferenced_object_changes_nothing() -> None:
    ns: Namespace = {"unrelated": unrelated}
    swap = Swap()
    assert swap.replace(original, replacement, [ns]) == 0
    assert len(swap) == 0
    assert ns == {"unrelated": unrelated}


def test_restore_also_puts_back_copies_made_while_swapped() -> None:
    mod: Namespace = {"original": original}
    swap = Swap()
    swap.replace(original, replacement, [mod])
    # A module imported meanwhile: `from mod import original as f`.
    late: Namespace = {"f": mod["original"], "own": replacement, "other": unrelated}
    own: Namespace = {"f": replacement}
    swap.restore([mod, late])
    assert mod == {"original": original}
    assert late == {"f": original, "own": original, "other": unrelated}
    assert own == {"f": replacement}  # not among the namespaces given


def test_restore_puts_every_original_back() -> None:
    mod: Namespace = {"original": original, "unrelated": unrelated}
    user: Namespace = {"alias": original}
    swap = Swap()
    swap.replace(original, replacement, [mod, user])
    swap.replace(unrelated, replacement, [mod])
    swap.restore()
    assert mod == {"original": original, "unrelated": unrelated}
    assert user == {"alias": original}
    assert len(swap) == 0


def test_restore_twice_is_harmless() -> None:
    ns: Namespace = {"original": original}
    swap = Swap()
    swap.replace(original, replacement, [ns])
    swap.restore()
    ns["original"] = unrelated  # rebound after the restore
    swap.restore()
    assert ns["original"] is unrelated


def test_a_binding_the_test_rebound_is_not_overwritten() -> None:
    mod: Namespace = {"original": original}
    user: Namespace = {"alias": original}
    swap = Swap()
    swap.replace(original, replacement, [mod, user])
    user["alias"] = unrelated  # the test's own monkeypatching
    swap.restore()
    assert user["alias"] is unrelated
    assert mod["original"] is original


def test_stacked_replacements_unwind_newest_first() -> None:
    ns: Namespace = {"f": original}
    swap = Swap()
    swap.replace(original, replacement, [ns])
    swap.replace(replacement, unrelated, [ns])
    assert ns["f"] is unrelated
    swap.restore()
    assert ns["f"] is original


def test_two_swaps_are_independent() -> None:
    ns: Namespace = {"f": original, "g": unrelated}
    first, second = Swap(), Swap()
    first.replace(original, replacement, [ns])
    second.replace(unrelated, replacement, [ns])
    first.restore()
    assert ns == {"f": original, "g": replacement}
    second.restore()
    assert ns == {"f": original, "g": unrelated}


# --- real modules ------------------------------------------------------------------------------


@pytest.fixture
def modules(tmp_path: Path) -> Iterator[tuple[types.ModuleType, types.ModuleType]]:
    """Two freshly imported modules: ``lib`` defining ``dot``, ``user`` importing it by
    another name (``from lib import dot as product``) and as ``import lib``."""
    tag = uuid.uuid4().hex[:8]
    lib_name, user_name = f"rustify_swap_lib_{tag}", f"rustify_swap_user_{tag}"
    (tmp_path / f"{lib_name}.py").write_text(
        textwrap.dedent(
            """
            def dot(a, b):
                return sum(x * y for x, y in zip(a, b))
            """
        )
    )
    (tmp_path / f"{user_name}.py").write_text(
        textwrap.dedent(
            f"""
            import {lib_name}
            from {lib_name} import dot as product


            def via_alias():
                return product([1.0], [2.0])


            def via_module():
                return {lib_name}.dot([1.0], [2.0])
            """
        )
    )
    sys.path.insert(0, str(tmp_path))
    try:
        importlib.invalidate_caches()
        yield importlib.import_module(lib_name), importlib.import_module(user_name)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(lib_name, None)
        sys.modules.pop(user_name, None)


def test_module_namespaces_returns_the_user_modules(
    modules: tuple[types.ModuleType, types.ModuleType], tmp_path: Path
) -> None:
    lib, user = modules
    namespaces = module_namespaces(lambda path: path.startswith(str(tmp_path) + os.sep))
    assert len(namespaces) == 2
    assert any(ns is lib.__dict__ for ns in namespaces)
    assert any(ns is user.__dict__ for ns in namespaces)
    assert not any(ns is os.__dict__ for ns in namespaces)


def test_module_namespaces_applies_the_predicate(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    lib, _ = modules
    namespaces = module_namespaces(lambda path: Path(path).stem == lib.__name__)
    assert len(namespaces) == 1
    assert namespaces[0] is lib.__dict__
    assert module_namespaces(lambda path: False) == []


def test_module_namespaces_skips_entries_that_are_not_modules(tmp_path: Path) -> None:
    name = f"rustify_swap_fake_{uuid.uuid4().hex[:8]}"
    fake = types.SimpleNamespace(__file__=str(tmp_path / "fake.py"))
    sys.modules[name] = fake  # type: ignore[assignment]
    try:
        assert module_namespaces(lambda path: path.startswith(str(tmp_path))) == []
    finally:
        del sys.modules[name]


def test_swapping_a_function_imported_under_another_name(
    modules: tuple[types.ModuleType, types.ModuleType], tmp_path: Path
) -> None:
    lib, user = modules
    dot = lib.dot

    def fast_dot(a: list[float], b: list[float]) -> float:
        return -1.0

    namespaces = module_namespaces(lambda path: path.startswith(str(tmp_path) + os.sep))
    swap = Swap()
    assert swap.replace(dot, fast_dot, namespaces) == 2
    try:
        assert user.via_alias() == -1.0
        assert user.via_module() == -1.0
        assert user.product is fast_dot
    finally:
        swap.restore()
    assert lib.dot is dot
    assert user.product is dot
    assert user.via_alias() == 2.0
    assert user.via_module() == 2.0
