"""pytest-rustify: find the hot Python loops in a test suite, translate them to Rust,
prove the Rust gives the same answers, and gate the speedup in CI.

The plugin is enabled with ``pytest --rustify``; the public API below is what the
``rustified`` fixture and the report files expose.
"""

from __future__ import annotations

from .errors import Refusal, RustifyError
from .report.model import RunReport

__all__ = ["Refusal", "RunReport", "RustifyError", "__version__"]

__version__ = "0.1.0.dev0"
