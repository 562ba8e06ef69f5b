"""The names a spec gives the handler (its function, its endpoint's placeholders) become
identifiers in the snippets. Which names would break them is derived here from the snippets
themselves: every identifier the rendered snippets use (Python by its syntax tree, JavaScript
by TypeScript's) must be refused by handler_names_are_usable, as the function and as a
placeholder, in its Python spelling and the one that camelCases to it; and a name next to
each of them is accepted and runs (tests/outputs/test_roundtrip.py runs them under node too)."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.filters import camel
from support import JS_TESTS, frozen_data, node, problems_of, run_tool, spec_of_data
from support import render_all, targets_of


def handler_data(function: str = "fetch_ticker", placeholder: str = "symbol") -> dict[str, Any]:
    data = frozen_data()
    handler = data["handler"]
    handler["function"] = function
    handler["endpoint"] = "/v1/market/ticker/{" + placeholder + "}"
    for case in handler["cases"]:
        for lang, text in case["message"].items():
            case["message"][lang] = text.replace("{symbol}", "{" + placeholder + "}")
    return data


def snippets(data: dict[str, Any]) -> dict[str, str]:
    spec = spec_of_data(data)
    rendered = render_all(spec, targets=targets_of(spec, "snippets/"))
    return {path: text for path, text in rendered.items() if path.endswith((".py", ".js"))}


def python_identifiers(source: str) -> set[str]:
    """Every name a Python module binds or reads (not attributes or keyword argument names)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, ast.alias):
            found.add((node.asname or node.name).split(".")[0])
    return found


def js_identifiers(path: Path) -> set[str]:
    """Every name a JavaScript module binds or reads, by TypeScript's parser."""
    proc = run_tool([node(), str(JS_TESTS / "identifiers.mjs"), str(path)], timeout=60)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout))


def snake(name: str) -> str:
    """The snake_case spelling whose camelCase is `name` (setTimeout: set_timeout)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "_" + m.group(1).lower(), name)


IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")  # the schema's handler.function


def refused_as(name: str) -> dict[str, list[str]]:
    """handler_names_are_usable's problems with `name` as the function and as a placeholder,
    where the spec can spell it (both are lower snake case)."""
    if not IDENTIFIER.fullmatch(name):
        return {}
    return {
        where: [p for p in problems_of(handler_data(**{where: name})) if "handler." in p]
        for where in ("function", "placeholder")
    }


def used_names(tmp_path: Path, in_node: bool) -> set[str]:
    data = handler_data()
    own = {"fetch_ticker", "symbol"} | {camel("fetch_ticker")}
    found: set[str] = set()
    for path, text in snippets(data).items():
        if path.endswith(".py"):
            found |= python_identifiers(text)
        elif in_node:
            file = tmp_path / Path(path).name
            file.write_text(text, encoding="utf-8")
            found |= js_identifiers(file)
    return found - own


def check_refused(names: set[str]) -> None:
    accepted = sorted(
        (spelling, where)
        for name in names
        for spelling in {name, snake(name)}
        for where, problems in refused_as(spelling).items()
        if not problems
    )
    assert accepted == []


def test_every_name_the_python_snippet_uses_is_refused(tmp_path: Path) -> None:
    names = used_names(tmp_path, in_node=False)
    assert {"sleep", "range", "int", "attempt", "header"} <= names  # the parse found them
    check_refused(names)


@pytest.mark.slow  # node
def test_every_name_the_js_snippet_uses_is_refused(tmp_path: Path) -> None:
    names = used_names(tmp_path, in_node=True) - used_names(tmp_path, in_node=False)
    assert {"wait", "setTimeout", "Promise", "resolve"} <= names  # the parse found them
    check_refused(names)


@pytest.mark.parametrize("name", ["sleep", "wait", "range", "int", "attempt", "header"])
def test_a_name_next_to_a_used_one_is_accepted_and_runs(name: str) -> None:
    """sleep_for, wait_for…: only the used names themselves are refused; the snippet with
    the name beside them compiles and calls the function it declares."""
    near = f"{name}_for"
    for data in (handler_data(function=near), handler_data(placeholder=near)):
        assert [p for p in problems_of(data) if "handler." in p] == []
        for path, text in snippets(data).items():
            if path.endswith(".py"):
                scope: dict[str, Any] = {}
                exec(compile(text, path, "exec"), scope)  # defines the handler, calls nothing
                assert callable(scope[data["handler"]["function"]])
