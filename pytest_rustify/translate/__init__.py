"""The translator: Python AST -> typed IR (frontend) -> Rust/PyO3 sources (rust).

The names below are loaded on first use, so that importing the code generator (which
reads only IR) does not import the frontend and ``ast`` with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .frontend import FunctionSource, TypeEvidence, translate_function
    from .rust import generate_crate, rust_signature

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
