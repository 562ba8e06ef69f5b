"""What the rules share: walking the spec's data and its localized texts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import locales
from ..diagnostics import Diagnostic
from ..load import Document, JsonPath, dotted


def codes_of(doc: Document) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    for i, raw in enumerate(doc.data["codes"]):
        yield ("codes", i), raw


def first_seen(doc: Document, section: str, key: str, what: str) -> Iterator[Diagnostic]:
    first: dict[Any, int] = {}
    for i, raw in enumerate(doc.data.get(section) or []):
        value = raw[key]
        if value in first:
            line = doc.positions.values.get((section, first[value], key), (0, 0))[0]
            yield doc.positions.at(
                (section, i, key),
                f"duplicate {what} {value!r} (first at line {line})",
                f"choose another {what} for one of them",
            )
        else:
            first[value] = i


def texts_of(doc: Document) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """(path, {locale: text}) of every localized text the spec writes, its fixed words too."""
    yield from locales.words_of(doc.data)
    yield from locales.texts_of(doc.data)


def where(doc: Document, path: JsonPath) -> str:
    """A dotted path, naming the code for paths inside codes[]: codes[3] (1004).meaning."""
    return dotted(path, doc.data)


def get_at(data: Any, path: JsonPath) -> Any:
    for part in path:
        data = data[part]
    return data


def strings_of(text: Any, path: JsonPath) -> list[tuple[JsonPath, str]]:
    """(path, string) of each locale of a text; list items (causes, solution) one by one."""
    out: list[tuple[JsonPath, str]] = []
    for lang, value in text.items() if isinstance(text, dict) else ():
        if isinstance(value, list):
            out += [
                ((*path, lang, i), item) for i, item in enumerate(value) if isinstance(item, str)
            ]
        elif isinstance(value, str):
            out.append(((*path, lang), value))
    return out


def handler_of(doc: Document) -> dict[str, Any]:
    """The handler section, or an empty one when the spec has none (no snippets)."""
    handler: dict[str, Any] = doc.data.get("handler") or {"cases": [], "endpoint": ""}
    return handler
