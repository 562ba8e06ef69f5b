"""The import graph of generator/: no cycle among its module-level imports, and no import of a
generator module inside a function except where the README states the measured reason (a
cache-hit `check` imports none of the stages: commands/produce.py and cli.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from support import ROOT

PACKAGE = ROOT / "generator"
# The only modules that may import generator modules inside a function, and why.
LATE_IMPORTS_ALLOWED = {"generator.commands.produce", "generator.cli"}
README_REASON = "A cache-hit `check` imports none of the stages"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def targets(node: ast.Import | ast.ImportFrom, importer: str) -> set[str]:
    """The generator modules an import statement of module `importer` imports."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in MODULES}
    package = importer if MODULES[importer].name == "__init__.py" else importer.rpartition(".")[0]
    if node.level:
        base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
        source = f"{base}.{node.module}" if node.module else base
    else:
        source = node.module or ""
    if source not in MODULES:
        return set()
    # `from X import name` imports the submodule X.name when there is one, else X itself.
    return {f"{source}.{a.name}" if f"{source}.{a.name}" in MODULES else source for a in node.names}


def imports(name: str) -> tuple[set[str], set[str]]:
    """(generator modules imported when the module runs, those imported inside functions)."""
    top: set[str] = set()
    late: set[str] = set()

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                (late if in_function else top).update(targets(child, name))
            walk(
                child,
                in_function
                or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)),
            )

    walk(ast.parse(MODULES[name].read_text(encoding="utf-8")), False)
    return top - {name}, late - {name}


GRAPH = {name: imports(name) for name in MODULES}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of `graph` as the list of its modules, or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_graph_is_read_from_every_module() -> None:
    assert {"generator.cli", "generator.pipeline", "generator.load"} <= set(GRAPH)
    assert "generator.pipeline" in GRAPH["generator.commands.produce"][1]
    assert "generator.load" in GRAPH["generator.pipeline"][0]


def test_the_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_module_level_imports_have_no_cycle() -> None:
    cycle = find_cycle({name: top for name, (top, _) in GRAPH.items()})
    assert cycle is None, " -> ".join(cycle or [])


def test_imports_inside_functions_only_where_the_readme_says_why() -> None:
    late = {name: sorted(found) for name, (_, found) in GRAPH.items() if found}
    assert set(late) <= LATE_IMPORTS_ALLOWED, late
    assert README_REASON in (ROOT / "README.md").read_text(encoding="utf-8")
