"""The code's shape, checked: every module of geo/, loaders/ and ui/ imports, no two project modules import each
other (directly or round a longer circle, lazy imports included), and each geo subpackage says what it is for."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("geo", "loaders", "ui")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in sorted((REPO / pkg).rglob("*.py"))}


def imported_modules(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `path` imports anywhere in its body: `from a import b` names module a.b when there is
    one, else a."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return {name for name in found if name in modules and name != here}


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imported_modules(path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("name", sorted(n for n in project_modules() if not n.endswith("__main__")))
def test_every_module_imports(name):
    importlib.import_module(name)


def test_no_project_modules_import_each_other_in_a_circle():
    assert cycles(import_graph()) == []


def test_geo_subpackages_import_each_other_one_way_only():
    """geo/ read as packages (boundaries, webmap, printmap, deck, stats, plus the shared zones and styling):
    no two import each other, so each can be read knowing only the ones it names."""
    def package(name: str) -> str:
        return ".".join(name.split(".")[:2])

    graph: dict[str, set[str]] = {}
    for name, imported in import_graph().items():
        if name.startswith("geo."):
            graph.setdefault(package(name), set()).update(
                package(other) for other in imported if other.startswith("geo.") and package(other) != package(name))
    assert cycles(graph) == []


def test_each_geo_subpackage_opens_with_a_line_on_its_job():
    packages = [p for p in sorted((REPO / "geo").iterdir()) if (p / "__init__.py").exists()]
    assert {p.name for p in packages} >= {"boundaries", "webmap", "printmap", "deck", "stats"}
    for pkg in [REPO / "geo", *packages]:
        doc = ast.get_docstring(ast.parse((pkg / "__init__.py").read_text(encoding="utf-8")))
        assert doc and doc.strip(), f"{pkg.relative_to(REPO)}/__init__.py has no docstring"
