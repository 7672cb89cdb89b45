"""The translator: Python AST -> typed IR (frontend) -> Rust/PyO3 sources (rust)."""

from __future__ import annotations

from .frontend import FunctionSource, TypeEvidence, translate_function
from .rust import generate_crate, rust_signature

__all__ = [
    "FunctionSource",
    "TypeEvidence",
    "generate_crate",
    "rust_signature",
    "translate_function",
]
