"""Rules on texts: what every output can carry, and what keeps the page's Markdown intact."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from ..diagnostics import Diagnostic
from ..load import Document, JsonPath, dotted
from .common import codes_of, get_at, strings_of, texts_of, where

# Every character text_is_clean refuses (categories Cc and Cs are fixed by Unicode's stability
# policy), as one character class.
UNCLEAN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")


def _unclean(data: Any) -> Iterator[tuple[JsonPath, Any]]:
    """(path, value) of every key or scalar that holds a character UNCLEAN finds, or is a float
    that is not finite; a path is only made for containers and for what is found."""
    stack: list[tuple[JsonPath, Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        items = node.items() if type(node) is dict else enumerate(node)
        for key, value in items:
            if type(key) is str and UNCLEAN.search(key):
                yield (*path, key), key
            kind = type(value)
            if kind is str:
                if UNCLEAN.search(value):
                    yield (*path, key), value
            elif kind is float:
                if not math.isfinite(value):
                    yield (*path, key), value
            elif kind is dict or kind is list:
                stack.append(((*path, key), value))


def text_is_clean(doc: Document) -> Iterator[Diagnostic]:
    """Control characters, lone surrogates and non-finite numbers are refused everywhere."""
    for path, value in _unclean(doc.data):
        if isinstance(value, float):
            yield doc.positions.at(
                path, f"{dotted(path)}: {value} is not a JSON number", "use a finite number"
            )
            continue
        for offset, ch in enumerate(value):
            category = unicodedata.category(ch)
            if category == "Cc" or category == "Cs" or ch in "\u2028\u2029":
                what = (
                    "a line break"
                    if ch in "\n\r\u2028\u2029"
                    else f"control character U+{ord(ch):04X}"
                )
                yield doc.positions.at(
                    path,
                    f"{dotted(path)} contains {what} at offset {offset}",
                    (
                        "texts are single lines; use a list for several items"
                        if what == "a line break"
                        else "remove it"
                    ),
                )
                break


def text_is_trimmed(doc: Document) -> Iterator[Diagnostic]:
    """Texts must not start or end with whitespace: Markdown trims it from cells, headings and
    paragraphs, so the page and the SDKs would disagree. page.colon is a separator and exempt."""
    singles: list[tuple[JsonPath, Any]] = [
        (("codes", i, "message"), raw["message"]) for i, raw in enumerate(doc.data["codes"])
    ]
    singles += [
        (("categories", i, "label"), cat["label"]) for i, cat in enumerate(doc.data["categories"])
    ]
    singles += [
        (("retired", i, "since"), old["since"])
        for i, old in enumerate(doc.data.get("retired") or [])
    ]
    singles += [
        (path, value)
        for i, raw in enumerate(doc.data["codes"])
        for path, value in (
            (("codes", i, "introduced"), raw.get("introduced")),
            (("codes", i, "deprecated", "since"), (raw.get("deprecated") or {}).get("since")),
        )
        if value is not None
    ]
    for path, text in texts_of(doc):
        if path != ("page", "colon"):
            singles += strings_of(text, path)
    for path, value in singles:
        if isinstance(value, str) and value != value.strip():
            edge, ch = ("starts", value[0]) if value[0].isspace() else ("ends", value[-1])
            if unicodedata.category(ch) == "Cc" or ch in "\u2028\u2029":
                continue  # text_is_clean reports it
            yield doc.positions.at(
                path,
                f"{where(doc, path)} {edge} with whitespace (U+{ord(ch):04X})",
                "remove it; Markdown would drop it from the page",
            )


# Markdown constructs that a line opens when it starts with them, and a text that starts a
# line of the page (a paragraph, a list item) must not: it would become that construct.
_HORIZONTAL_RULE = r"[-*_][-*_ \t]*$"
_BLOCK_STARTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (what, re.compile(pattern))
    for what, pattern in (
        ("a horizontal rule", _HORIZONTAL_RULE),
        ("a heading", r"#{1,6}(?:[ \t]|$)"),
        ("a code fence", r"```|~~~"),
        ("a block quote", r">"),
        ("a list item", r"[-+*](?:[ \t]|$)"),
        ("a numbered list item", r"[0-9]{1,9}[.)](?:[ \t]|$)"),
        ("an HTML block", r"<[A-Za-z/!?]"),
        ("a link reference definition", r"\[[^\]]*\]:"),
        ("a task list checkbox", r"\[[ xX]\](?:[ \t]|$)"),
    )
)


def markdown_block(text: str) -> str | None:
    """What a Markdown line starting with `text` opens instead of a paragraph, or None."""
    for what, pattern in _BLOCK_STARTS:
        if pattern.match(text):
            return what
    return None


def prose_stays_inline(doc: Document) -> Iterator[Diagnostic]:
    """Paragraph texts of the page (intro, closing, notes, causes, solution) and its labels are
    inline Markdown: one starting with "# ", "- ", "1. ", "```", "<div" ... would turn into a heading,
    a list, a code block ... and break the page around it."""
    page = doc.data["page"]
    prose: list[JsonPath] = [("page", key) for key in ("intro", "closing") if key in page]
    for path, raw in codes_of(doc):
        prose += [(*path, key) for key in ("notes", "causes", "solution") if key in raw]
    for path in prose:
        for spot, text in strings_of(get_at(doc.data, path), path):
            what = markdown_block(text)
            if what is not None:
                digits = re.match(r"[0-9]*", text)
                cut = digits.end() if digits else 0
                escaped = text[:cut] + "\\" + text[cut : cut + 12]
                yield doc.positions.at(
                    spot,
                    f'{where(doc, spot)} starts with "{text[:cut + 3]}", which Markdown reads as {what}',
                    f'reword it, or escape the marker with a backslash: "{escaped}"',
                )
    for key, text in (page.get("labels") or {}).items():
        for spot, label in strings_of(text, ("page", "labels", key)):
            if re.match(_HORIZONTAL_RULE, label):
                yield doc.positions.at(
                    spot,
                    f"{dotted(spot)} is only {label!r}, which Markdown reads as a horizontal rule",
                    "use a word",
                )
