"""Swapping functions in wherever they are referenced, and putting them back.

Used by the session: during phase 1 to install recording wrappers, during phase 2 to
put the Rust builds in place of their Python originals for one ``[rust]`` item::

    swap = Swap()
    swap.replace(original, replacement, namespaces)   # module dicts, test modules too
    ...                                               # `from mod import f` sees it
    swap.restore(namespaces)                          # every place holds `original` again

A reference is a module-level binding whose value *is* the original (identity), so
``import mod; mod.f`` and ``from mod import f`` are both covered. Restoring puts the
original back only where our replacement still stands, so a test that rebinds a name
itself is not overruled.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class _Patch:
    namespace: MutableMapping[str, object]
    name: str
    original: object
    replacement: object


class Swap:
    """A set of replacements that can be undone together."""

    def __init__(self) -> None:
        self._patches: list[_Patch] = []

    def __len__(self) -> int:
        return len(self._patches)

    def replace(
        self,
        original: object,
        replacement: object,
        namespaces: Iterable[MutableMapping[str, object]],
    ) -> int:
        """Replace every binding of ``original`` in ``namespaces``; returns how many."""
        count = 0
        for ns in namespaces:
            for name, value in list(ns.items()):
                if value is original:
                    ns[name] = replacement
                    self._patches.append(_Patch(ns, name, original, replacement))
                    count += 1
        return count

    def restore(self, namespaces: Iterable[MutableMapping[str, object]] = ()) -> None:
        """Undo every replacement, newest first.

        A module imported while the replacements stood may have copied one (``from mod
        import f``); in ``namespaces`` every such copy is put back to its original too.
        """
        back = {id(p.replacement): (p.replacement, p.original) for p in self._patches}
        while self._patches:
            p = self._patches.pop()
            if p.namespace.get(p.name) is p.replacement:
                p.namespace[p.name] = p.original
        if not back:
            return
        for ns in namespaces:
            for name, value in list(ns.items()):
                pair = back.get(id(value))
                if pair is not None and pair[0] is value:
                    ns[name] = pair[1]


def module_namespaces(is_user_file: Callable[[str], bool]) -> list[MutableMapping[str, object]]:
    """The ``__dict__`` of every loaded module whose file is the user's (code and tests)."""
    out: list[MutableMapping[str, object]] = []
    for mod in list(sys.modules.values()):
        if not isinstance(mod, ModuleType):
            continue
        f = getattr(mod, "__file__", None)
        if isinstance(f, str) and is_user_file(f):
            out.append(mod.__dict__)
    return out
