"""What the rules share: walking the spec's data and its localized texts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..diagnostics import Diagnostic
from ..load import Document, JsonPath, dotted

CODE_TEXTS = ("meaning", "suggestion", "section_title", "causes", "solution", "notes")
PAGE_TEXTS = ("url", "title", "description", "intro", "closing", "colon")


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
    data = doc.data
    page = data["page"]
    for key in PAGE_TEXTS:
        if key in page:
            yield ("page", key), page[key]
    for key, text in page["labels"].items():
        yield ("page", "labels", key), text
    for env_id, env in data["envelopes"].items():
        yield ("envelopes", env_id, "title"), env["title"]
        for i, f in enumerate(env["fields"]):
            yield ("envelopes", env_id, "fields", i, "description"), f["description"]
    for i, command in enumerate(data.get("websocket", {}).get("commands", [])):
        yield ("websocket", "commands", i, "description"), command["description"]
    for i, cat in enumerate(data["categories"]):
        yield ("categories", i, "title"), cat["title"]
    for path, raw in codes_of(doc):
        for key in CODE_TEXTS:
            if key in raw:
                yield (*path, key), raw[key]
    for i, old in enumerate(data.get("retired") or []):
        yield ("retired", i, "reason"), old["reason"]
    for i, case in enumerate(data.get("handler", {}).get("cases", [])):
        yield ("handler", "cases", i, "message"), case["message"]


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
