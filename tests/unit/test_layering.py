"""Import directions (STYLE.md): plugin -> session -> stages -> data, checked with ``ast``.

Every ``import`` in a module counts, also those inside functions and under
``TYPE_CHECKING``: a lazy import still ties the two modules together.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pytest_rustify

PACKAGE = Path(pytest_rustify.__file__).resolve().parent
ROOT = PACKAGE.parent

# The hook layer: the only modules that may import pytest.
HOOK_LAYER = {"pytest_rustify.plugin", "pytest_rustify.session", "pytest_rustify.hookspecs"}
# The public API re-exports data; it sits above everything else.
API = {"pytest_rustify"}
STAGE_MODULES = {
    "pytest_rustify.profile",
    "pytest_rustify.observe",
    "pytest_rustify.select",
    "pytest_rustify.build",
    "pytest_rustify.toolchain",
    "pytest_rustify.compare",
    "pytest_rustify.measure",
    "pytest_rustify.gate",
    "pytest_rustify.calls",
    "pytest_rustify.options",
    "pytest_rustify.swap",
    "pytest_rustify.errors",
    "pytest_rustify._fs",
    "pytest_rustify.baseline",
    "pytest_rustify.scaling",
    "pytest_rustify.emit",
    "pytest_rustify.results",
    "pytest_rustify.markers",
    "pytest_rustify.parallel",
    "pytest_rustify.between",
    # The GitHub Action's entry point runs pytest in a subprocess; it imports neither.
    "pytest_rustify.action",
    "pytest_rustify.source",
    # `python -m pytest_rustify show` translates outside a session, without pytest.
    "pytest_rustify.show",
    "pytest_rustify.__main__",
    # Runs maturin as a script of its own, standard library only.
    "pytest_rustify._supervise",
}
STAGE_PACKAGES = ("pytest_rustify.translate", "pytest_rustify.report")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _in(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def is_stage(name: str) -> bool:
    return name in STAGE_MODULES or any(_in(name, p) for p in STAGE_PACKAGES)


def imports(name: str) -> set[str]:
    """Every module ``name`` imports, as absolute dotted names.

    ``from X import a`` yields both ``X`` and ``X.a`` (``a`` may be a submodule).
    """
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base_parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*base_parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return out


def imports_pytest(names: set[str]) -> set[str]:
    return {n for n in names if _in(n, "pytest") or _in(n, "_pytest")}


STAGES = sorted(n for n in MODULES if is_stage(n))
REPORTERS = sorted(n for n in MODULES if _in(n, "pytest_rustify.report"))
NOT_HOOKS = sorted(n for n in MODULES if n not in HOOK_LAYER)


# --- the checker itself ------------------------------------------------------------------------


def test_every_module_has_a_layer() -> None:
    # A new module must be placed in a layer here before its imports are checked.
    unplaced = sorted(n for n in MODULES if not is_stage(n) and n not in HOOK_LAYER | API)
    assert unplaced == []
    assert HOOK_LAYER <= set(MODULES)
    assert STAGE_MODULES <= set(MODULES)


def test_the_checker_sees_relative_absolute_and_lazy_imports() -> None:
    session = imports("pytest_rustify.session")
    assert "pytest" in session
    assert "pytest_rustify.select" in session  # from .select import ...
    assert "pytest_rustify.report.model" in session  # from .report import model
    assert "pytest_rustify.report.json" in session  # inside a method
    assert "pytest_rustify.errors" in imports("pytest_rustify.profile")  # absolute
    assert "pytest_rustify.errors" in imports("pytest_rustify.translate.check")  # from ..errors
    # from . import ir
    assert "pytest_rustify.translate.ir" in imports("pytest_rustify.translate.rust")
    assert "pytest_rustify.errors" in imports("pytest_rustify")  # the package's __init__


# --- the rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", STAGES)
def test_stages_never_import_pytest(name: str) -> None:
    assert imports_pytest(imports(name)) == set()


@pytest.mark.parametrize("name", STAGES)
def test_stages_never_import_the_hook_layer(name: str) -> None:
    found = {n for n in imports(name) for hook in HOOK_LAYER if _in(n, hook)}
    assert found == set()


@pytest.mark.parametrize("name", NOT_HOOKS)
def test_only_the_hook_layer_imports_pytest(name: str) -> None:
    assert imports_pytest(imports(name)) == set()


def test_the_hook_layer_does_import_pytest() -> None:
    # Guards the rule above against a checker that finds nothing.
    for name in HOOK_LAYER:
        assert imports_pytest(imports(name)), name


def test_rust_backend_never_imports_ast() -> None:
    assert "ast" not in imports("pytest_rustify.translate.rust")


def _reaches(name: str, module: str, seen: set[str] | None = None) -> list[str] | None:
    """A chain of package modules through which ``name`` imports ``module``, if any."""
    seen = set() if seen is None else seen
    seen.add(name)
    found = imports(name)
    if module in found:
        return [name, module]
    for dep in sorted(found):
        if dep in MODULES and dep not in seen:
            chain = _reaches(dep, module, seen)
            if chain is not None:
                return [name, *chain]
    return None


def test_rust_backend_does_not_reach_ast_through_the_package() -> None:
    assert _reaches("pytest_rustify.translate.rust", "ast") is None


@pytest.mark.parametrize("name", REPORTERS)
def test_reporters_read_only_the_report_model(name: str) -> None:
    ours = {n for n in imports(name) if _in(n, "pytest_rustify")}
    allowed = {n for n in ours if _in(n, "pytest_rustify.report") or _in(n, "pytest_rustify._fs")}
    assert ours - allowed == set()
