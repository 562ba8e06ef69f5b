"""Load, validate and build the spec, with a content-addressed cache.

The cache key covers the spec's bytes, the JSON Schema, the source of every
stage that decides the result and the installed distributions, so a stale entry
can never be picked up; an entry also holds a hash of its content, so an
unreadable or damaged entry is treated as a miss.
"""

from __future__ import annotations

import gc
import hashlib
from pathlib import Path

from .cache import distributions, load_entry, source_files, store_entry
from .diagnostics import SpecError
from .model import Spec

_PACKAGE = Path(__file__).resolve().parent


def _key(text: str) -> str:
    from .schema import SCHEMA_PATH

    digest = hashlib.sha256(text.encode("utf-8"))
    digest.update(SCHEMA_PATH.read_bytes())
    for path in source_files(_PACKAGE, ".py"):  # every stage that decides the result
        digest.update(path.read_bytes())
    digest.update("\n".join(distributions()).encode())  # PyYAML and jsonschema decide too
    return digest.hexdigest()


def _cached(key: str) -> Spec | None:
    spec: Spec | None = load_entry("spec", key, lambda value: isinstance(value, Spec))
    return spec


def _store(key: str, spec: Spec) -> None:
    store_entry("spec", key, spec)


def parse_and_validate(text: str, display: str) -> Spec:
    """Every stage, uncached: parse, schema, rules, build. Raises SpecError."""
    from .load import parse
    from .model import build
    from .rules import rule_problems
    from .schema import schema_problems

    # The parse allocates millions of objects that live until the end; the collections that
    # they trigger would cost several times the parse itself (5x at 10,000 codes).
    paused = gc.isenabled()
    gc.disable()
    try:
        doc = parse(text, display)
        problems = schema_problems(doc)
        if not problems:
            problems = rule_problems(doc)
        if problems:
            raise SpecError(problems)
        return build(doc.data)
    finally:
        if paused:
            gc.enable()


def load_spec(path: Path, display: str | None = None) -> Spec:
    """The validated Spec in `path`; raises SpecError listing every problem."""
    from .load import read_text

    display = display or str(path)
    text = read_text(path, display)
    key = _key(text)
    spec = _cached(key)
    if spec is None:
        spec = parse_and_validate(text, display)
        _store(key, spec)
    return spec
