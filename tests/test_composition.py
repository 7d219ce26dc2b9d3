"""The composition root is typed, built with plain imports, and imported by nothing it imports."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

from opendata.calendar import WorkingCalendar
from opendata.config import Settings
from opendata.db.engine import Database
from opendata.search.index import SearchIndex
from opendata.services import Services

PACKAGE = Path(__file__).resolve().parent.parent / "opendata"


def _module_path(name: str) -> Path | None:
    relative = Path(*name.split("."))
    for candidate in (relative.with_suffix(".py"), relative / "__init__.py"):
        path = PACKAGE.parent / candidate
        if path.exists():
            return path
    return None


def _imports(path: Path) -> set[str]:
    """Every opendata module `path` imports, at any level (functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("opendata") and _module_path(name)}


def test_services_hold_real_types_and_nothing_untyped() -> None:
    hints = typing.get_type_hints(Services)
    assert hints == {
        "settings": Settings,
        "database": Database,
        "search": SearchIndex,
        "calendar": WorkingCalendar,
    }


def test_no_import_is_allowed_to_fail_quietly() -> None:
    """A missing module fails at start-up, never turns into a silent fallback."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                caught = ast.unparse(node.type)
                if "ModuleNotFoundError" in caught or "ImportError" in caught:
                    offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert offenders == []


def test_nothing_the_composition_root_imports_imports_it_back() -> None:
    seen: set[str] = set()
    pending = ["opendata.services"]
    cycle = []
    while pending:
        name = pending.pop()
        path = _module_path(name)
        if name in seen or path is None:
            continue
        seen.add(name)
        imported = _imports(path)
        if name != "opendata.services" and "opendata.services" in imported:
            cycle.append(name)
        pending.extend(imported)
    assert cycle == []
