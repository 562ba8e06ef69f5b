"""Stage: parse a YAML text into plain data plus the position of every node.

builder.py      events of PyYAML's C parser -> plain data (or positions)
positions.py    line and column by JSON path, found on first use
yaml_errors.py  YAML's own errors in plain words
paths.py        JSON paths as a spec author reads them
comments.py     comments that end a plain text early
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic, SpecError
from .builder import MAX_DEPTH, Builder, Loader
from .comments import TrailingComment, trailing_comments
from .paths import MAX_CODE, JsonPath, dotted
from .positions import Positions
from .yaml_errors import alias_problems, yaml_errors

__all__ = [
    "MAX_CODE",
    "MAX_DEPTH",
    "Document",
    "JsonPath",
    "Positions",
    "TrailingComment",
    "dotted",
    "parse",
]

_KINDS = {list: "a list", str: "a string", int: "a number", float: "a number", bool: "a boolean"}


@dataclass(frozen=True)
class Document:
    """A parsed file: its plain data, the positions of its nodes, and the comments that end
    a plain text on its line."""

    data: dict[str, Any]
    positions: Positions
    comments: tuple[TrailingComment, ...] = ()


def parse(text: str, display: str) -> Document:
    """Parse YAML text into a Document; raise SpecError on any problem."""
    loader = Loader(text)
    try:
        builder = Builder(loader, display)
        found, data = yaml_errors(builder.document, text, display)
    finally:
        loader.dispose()
    if not found:
        raise SpecError(
            [
                Diagnostic(
                    display,
                    1,
                    1,
                    "the spec is empty",
                    "`errspec init` writes an example to start from",
                )
            ]
        )
    if builder.problems or builder.aliased:
        raise SpecError(
            builder.problems + (alias_problems(text, display) if builder.aliased else [])
        )
    if not isinstance(data, dict):
        line, col = builder.root
        kind = _KINDS.get(type(data), "empty")
        raise SpecError(
            [
                Diagnostic(
                    display,
                    line,
                    col,
                    f"the spec must be a mapping at the top level, not {kind}",
                    "write its parts as keys (version:, locales:, categories:, codes: …);"
                    " `errspec init` writes an example",
                )
            ]
        )
    return Document(data, Positions(display, data, builder.marks), trailing_comments(text))
