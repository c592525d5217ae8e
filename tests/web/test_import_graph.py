"""The page modules' imports flow one way: no page module imports another domain's page module
(at the top or inside a function); pages shared by domains are composed in web.screens, which
imports no page module."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "borderpost"


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, wherever the import statement stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def module_of(path: Path) -> str:
    return "borderpost." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def page_modules() -> dict[str, Path]:
    return {module_of(p): p for p in PACKAGE.glob("*/pages.py")}


def test_page_modules_do_not_import_each_other_between_crossing_and_traveller():
    pages = page_modules()
    assert {"borderpost.crossing.pages", "borderpost.traveller.pages"} <= set(pages)
    edges = {
        (name, other)
        for name, path in pages.items()
        for other in pages
        if other != name and other in imports_of(path)
    }
    assert ("borderpost.crossing.pages", "borderpost.traveller.pages") not in edges
    assert ("borderpost.traveller.pages", "borderpost.crossing.pages") not in edges
    # And no circle among the page modules at all.
    graph: dict[str, set[str]] = {name: set() for name in pages}
    for source, target in edges:
        graph[source].add(target)
    seen: set[str] = set()
    stack: list[str] = []

    def visit(node: str) -> None:
        assert node not in stack, f"import circle: {' -> '.join([*stack, node])}"
        if node in seen:
            return
        stack.append(node)
        for nxt in graph[node]:
            visit(nxt)
        stack.pop()
        seen.add(node)

    for name in graph:
        visit(name)


def test_the_composition_and_the_domains_parts_import_no_page_module():
    shared = [PACKAGE / "web" / "screens.py", *PACKAGE.glob("*/contexts.py")]
    assert len(shared) >= 3
    for path in shared:
        pages = {m for m in imports_of(path) if m.endswith(".pages") or ".pages." in m}
        assert not pages, f"{module_of(path)} imports {pages}"


def test_the_supervisor_and_security_pages_are_composed_from_both_domains():
    from borderpost.crossing import pages as crossing_pages
    from borderpost.traveller import pages as traveller_pages
    from borderpost.web import screens

    assert crossing_pages.supervisor_context is screens.supervisor_context
    assert traveller_pages.supervisor_context is screens.supervisor_context
    assert traveller_pages.security_context is screens.security_context
