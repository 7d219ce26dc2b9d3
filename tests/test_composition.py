"""The composition root is typed, built with plain imports, and imported by nothing it imports;
the packages of `opendata/` form layers: no import circle, and the domain imports no door."""

from __future__ import annotations

import ast
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

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


# The domain: what the service knows. Each package may import the low modules and the domain
# packages below it, never a door (how the service is reached) nor the composition root.
DOMAIN = (
    "accounts",
    "apps",
    "attachments",
    "catalogue",
    "dashboard",
    "db",
    "exemptions",
    "information_requests",
    "letters",
    "mail",
    "outbox",
    "search",
    "visibility",
)
DOORS = ("cli", "interop", "portal", "resolvers", "schema", "services", "web")

Graph = dict[str, set[str]]


def _package(module: str) -> str:
    """`opendata.<first component>`: a package, or a top-level module as its own node."""
    return ".".join(module.split(".")[:2])


def package_graph(root: Path = PACKAGE) -> Graph:
    """Package -> the packages it imports (at any level, functions included), migrations aside."""
    graph: Graph = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent).with_suffix("")
        if "migrations" in relative.parts:
            continue
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        source = _package(".".join(parts))
        targets = graph.setdefault(source, set())
        for node in ast.walk(ast.parse(path.read_text())):
            names: Iterable[str] = ()
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            targets.update(_package(name) for name in names if name.startswith("opendata."))
        targets.discard(source)
    return graph


def import_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one package: each holds an import circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(cycles)


def layering_faults(graph: Mapping[str, Iterable[str]]) -> list[str]:
    """Every circle that holds a domain package, and every domain import of a door."""
    domain = {f"opendata.{name}" for name in DOMAIN}
    doors = {f"opendata.{name}" for name in DOORS}
    faults = [
        f"circle: {' <-> '.join(cycle)}"
        for cycle in import_cycles(graph)
        if domain.intersection(cycle)
    ]
    faults += [
        f"{source} imports {target}"
        for source in sorted(domain)
        for target in sorted(set(graph.get(source, ())) & doors)
    ]
    return faults


def test_the_domain_packages_form_layers_and_import_no_door() -> None:
    assert layering_faults(package_graph()) == []


def test_no_package_import_circle_of_any_size() -> None:
    assert import_cycles(package_graph()) == []


# Only the two composition roots build and hold `Services`; every other part takes the parts
# it reads (opendata/parts.py, opendata/request_scope.py).
MAY_IMPORT_SERVICES = {"opendata.app", "opendata.cli"}


def test_only_the_app_and_the_cli_import_services() -> None:
    importers = {
        source for source, targets in package_graph().items() if "opendata.services" in targets
    }
    assert importers <= MAY_IMPORT_SERVICES


def test_a_door_circle_is_found_too() -> None:
    graph = package_graph()
    graph.setdefault("opendata.resolvers", set()).add("opendata.portal")
    assert any("opendata.resolvers" in cycle for cycle in import_cycles(graph))


@pytest.mark.parametrize(
    ("source", "target", "fault"),
    [
        ("opendata.db", "opendata.catalogue", "circle: "),  # a low package importing up
        ("opendata.visibility", "opendata.search", "circle: "),
        ("opendata.catalogue", "opendata.services", "opendata.catalogue imports opendata.services"),
        ("opendata.mail", "opendata.web", "opendata.mail imports opendata.web"),
    ],
)
def test_the_checker_fails_on_an_added_back_import(source: str, target: str, fault: str) -> None:
    graph = package_graph()
    assert layering_faults(graph) == []
    graph.setdefault(source, set()).add(target)
    assert [
        found
        for found in layering_faults(graph)
        if found.startswith(fault) and source in found and target in found
    ]


def test_the_checker_reads_a_back_import_from_source(tmp_path: Path) -> None:
    """The same checker over a copy of two real modules, one given an import of the other back."""
    root = tmp_path / "opendata"
    for module in ("visibility/fields.py", "catalogue/reader.py"):
        copy = root / module
        copy.parent.mkdir(parents=True, exist_ok=True)
        (copy.parent / "__init__.py").touch()
        copy.write_text((PACKAGE / module).read_text())
    assert layering_faults(package_graph(root)) == []
    fields = root / "visibility" / "fields.py"
    fields.write_text(fields.read_text() + "\nfrom opendata.catalogue.reader import CatalogRead\n")
    assert layering_faults(package_graph(root)) == [
        "circle: opendata.catalogue <-> opendata.visibility"
    ]
