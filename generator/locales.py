"""Locales as data: every localized text of a spec, and how much of it each locale has.

One computation serves the rules (a locale missing texts without a fallback), the notes
(`ja: 93 of 111 texts, 18 use en`) and the model (which texts show the fallback's words).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Mapping, NamedTuple

from .load import JsonPath, dotted

CODE_TEXTS = ("meaning", "suggestion", "section_title", "causes", "solution", "notes")
PAGE_TEXTS = ("url", "title", "description", "intro", "closing")


def words_of(data: Mapping[str, Any]) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """(path, {locale: word}) of every fixed word the spec writes (page.colon, page.labels,
    words): a locale without one has errspec's own or the fallback's (words_are_complete)."""
    page = data["page"]
    if "colon" in page:
        yield ("page", "colon"), page["colon"]
    for key, text in (page.get("labels") or {}).items():
        yield ("page", "labels", key), text
    for key, text in (data.get("words") or {}).items():
        yield ("words", key), text


def texts_of(data: Mapping[str, Any]) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """(path, {locale: text}) of every localized text of the spec's own: each locale has it,
    or shows the fallback's."""
    page = data["page"]
    for key in PAGE_TEXTS:
        if key in page:
            yield ("page", key), page[key]
    for env_id, env in data["envelopes"].items():
        yield ("envelopes", env_id, "title"), env["title"]
        for i, f in enumerate(env["fields"]):
            yield ("envelopes", env_id, "fields", i, "description"), f["description"]
    for i, command in enumerate((data.get("websocket") or {}).get("commands", [])):
        yield ("websocket", "commands", i, "description"), command["description"]
    for i, cat in enumerate(data["categories"]):
        yield ("categories", i, "title"), cat["title"]
    for i, raw in enumerate(data["codes"]):
        for key in CODE_TEXTS:
            if key in raw:
                yield ("codes", i, key), raw[key]
    for i, raw in enumerate(data["codes"]):
        if "deprecated" in raw:
            yield ("codes", i, "deprecated", "reason"), raw["deprecated"]["reason"]
    for i, old in enumerate(data.get("retired") or []):
        yield ("retired", i, "reason"), old["reason"]
    for i, case in enumerate((data.get("handler") or {}).get("cases", [])):
        yield ("handler", "cases", i, "message"), case["message"]


class Coverage(NamedTuple):
    """How many of the spec's texts one locale has, and which it lacks (as a spec author
    reads their paths: codes[1] (1001).meaning)."""

    lang: str
    total: int
    missing: tuple[str, ...]

    @property
    def translated(self) -> int:
        """The texts written in this locale."""
        return self.total - len(self.missing)

    def missing_fields(self, most: int = 3) -> str:
        """The first `most` missing fields, with a count of the rest."""
        shown = ", ".join(self.missing[:most])
        more = len(self.missing) - most
        return shown + (f" and {more} more" if more > 0 else "")


def coverage(data: Mapping[str, Any]) -> tuple[Coverage, ...]:
    """One Coverage per locale of the spec, in order."""
    texts = list(texts_of(data))
    return tuple(
        Coverage(
            lang, len(texts), tuple(dotted(path, data) for path, text in texts if lang not in text)
        )
        for lang in data["locales"]
    )
