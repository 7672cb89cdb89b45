"""The translator: Python AST -> typed IR (``frontend``) -> Rust/PyO3 sources (``rust``).

Prefer importing from the submodules. The names below are also reachable here, loaded
on first use, so that importing the code generator (which reads only IR) never brings
in the frontend and ``ast`` with it.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "FunctionSource",
    "TypeEvidence",
    "generate_crate",
    "rust_signature",
    "translate_function",
]

_HOMES = {
    "FunctionSource": "frontend",
    "TypeEvidence": "frontend",
    "translate_function": "frontend",
    "generate_crate": "rust",
    "rust_signature": "rust",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
