"""The template context reference: every name a template can read, with its type and what it
holds, made from the model's own classes (their fields' docstrings, their properties' and
methods' docstrings) and the filters. `python -m generator.reference` prints it; the
checkout keeps it as docs/template-context.md, and a test proves the two agree and that
nothing a template can read is undocumented.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import sys
import typing
from pathlib import Path

from . import surface as surface_module
from .filters import FILTERS
from .model import entries as entries_module
from .model import spec as spec_module
from .site import model as site_module

MODULES = (spec_module, entries_module, surface_module, site_module)
# What every template gets, and what a per-locale target adds.
CONTEXT = (
    ("spec", "Spec", "The whole registry."),
    ("surface", "Surface", "The hand-written API surface (absent when the project has none)."),
    ("lang", "str", "The locale of a per-locale target ({lang} in its path)."),
    ("site", "Site", "The reference site's facts (the site's templates, templates/site/)."),
    ("page", "CodePage", "The code of a per-code page of the site ({code} in its path)."),
    ("root", "str", "A site page's relative path back to the site's root (../../../)."),
)


def field_docs(cls: type) -> dict[str, str]:
    """{field name: the docstring written under it} of a class's source."""
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0].body if isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for here, after in zip(body, body[1:]):
        if (
            isinstance(here, ast.AnnAssign)
            and isinstance(here.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[here.target.id] = " ".join(after.value.value.split())
    return docs


def classes() -> list[type]:
    """The classes a template can reach, in the order the reference lists them."""
    found = []
    for module in MODULES:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == module.__name__
                and dataclasses.is_dataclass(value)
            ):
                found.append(value)
    return found


def members(cls: type) -> list[tuple[str, str, str]]:
    """(name, kind and type, what it holds) of everything public a template can read."""
    hints = typing.get_type_hints(cls)
    docs = field_docs(cls)
    rows = []
    for f in dataclasses.fields(cls):
        if f.name.startswith("_"):
            continue
        rows.append((f.name, _type(hints.get(f.name)), docs.get(f.name, "")))
    for name, value in vars(cls).items():
        if name.startswith("_") or name in docs:
            continue
        doc = " ".join((inspect.getdoc(value) or "").split())
        if isinstance(value, property):
            returned = typing.get_type_hints(value.fget).get("return") if value.fget else None
            rows.append((name, _type(returned), doc))
        elif callable(value) or isinstance(value, (classmethod, staticmethod)):
            function = value.__func__ if isinstance(value, (classmethod, staticmethod)) else value
            rows.append((f"{name}{_signature(function)}", "method", doc))
        elif hasattr(value, "func"):  # functools.cached_property
            returned = typing.get_type_hints(value.func).get("return")
            rows.append((name, _type(returned), doc))
    return rows


def _signature(function: typing.Any) -> str:
    params = [
        p for p in inspect.signature(function).parameters.values() if p.name not in ("self", "cls")
    ]
    hints = typing.get_type_hints(function)
    shown = ", ".join(f"{p.name}: {_type(hints.get(p.name))}" for p in params)
    return f"({shown}) -> {_type(hints.get('return'))}"


def _type(hint: typing.Any) -> str:
    if hint is None:
        return "None"
    if isinstance(hint, type) and not typing.get_args(hint):
        return hint.__name__
    text = str(hint).replace("typing.", "").replace("collections.abc.", "")
    for module in MODULES:
        text = text.replace(module.__name__ + ".", "")
    return text.replace("NoneType", "None")


def reference() -> str:
    """The reference, as Markdown."""
    lines = [
        "# The template context",
        "",
        "<!-- made by `python -m generator.reference`; docs/template-context.md is checked"
        " against it -->",
        "",
        "What a template (errspec's own, or a project's override under `templates:`) can read.",
        "Templates render in Jinja's immutable sandbox: names starting with `_` and",
        "anything outside this list are refused, and a name that does not exist fails at its",
        "template line.",
        "",
        "## Names every template gets",
        "",
        "| name | type | what it is |",
        "|---|---|---|",
    ]
    lines += [f"| `{name}` | `{kind}` | {_cell(doc)} |" for name, kind, doc in CONTEXT]
    for cls in classes():
        lines += ["", f"## {cls.__name__}", "", " ".join((inspect.getdoc(cls) or "").split()), ""]
        lines += ["| name | type | what it is |", "|---|---|---|"]
        lines += [
            f"| `{_cell(name)}` | `{_cell(kind)}` | {_cell(doc)} |"
            for name, kind, doc in members(cls)
        ]
    lines += ["", "## Filters", "", "| filter | what it does |", "|---|---|"]
    for name, function in sorted(FILTERS.items()):
        lines.append(f"| `{name}` | {_cell(' '.join((inspect.getdoc(function) or '').split()))} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text for a Markdown table cell (code spans included): a pipe would end the cell."""
    return text.replace("|", "\\|")


def undocumented() -> list[str]:
    """`Class.name` of every member a template can read that says nothing of itself."""
    return [
        f"{cls.__name__}.{name}" for cls in classes() for name, _, doc in members(cls) if not doc
    ]


def main(argv: list[str] | None = None) -> int:
    """Print the reference, or write it to the file given."""
    args = sys.argv[1:] if argv is None else argv
    text = reference()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
