"""The spec's stages up to the model: load -> schema -> rules -> model."""

from __future__ import annotations

import gc
from pathlib import Path

from .diagnostics import SpecError
from .load import Document, parse
from .read import read_text
from .model import Spec, build
from .rules import rule_problems
from .schema import schema_problems


def parse_and_validate(text: str, display: str) -> Spec:
    """Parse `text`, check it against the JSON Schema and the rules, build the Spec.

    Raises SpecError listing every problem found.
    """
    return checked(text, display)[1]


def checked(text: str, display: str) -> tuple[Document, Spec]:
    """parse_and_validate, with the parsed document (for warnings at their positions)."""
    # The parse allocates millions of objects that all live to the end; the collections
    # they would trigger cost several times the parse itself (5x at 10,000 codes).
    paused = gc.isenabled()
    gc.disable()
    try:
        document = parse(text, display)
        problems = schema_problems(document) or rule_problems(document)
        if problems:
            raise SpecError(problems)
        return document, build(document.data)
    finally:
        if paused:
            gc.enable()


def load_spec(path: Path, display: str | None = None) -> Spec:
    """The validated Spec in the file `path`; raises SpecError listing every problem."""
    return load_checked(path, display)[1]


def load_checked(path: Path, display: str | None = None) -> tuple[Document, Spec]:
    """load_spec, with the parsed document."""
    display = display or str(path)
    return checked(read_text(path, display), display)
