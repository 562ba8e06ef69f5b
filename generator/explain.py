"""`errspec explain CODE|NAME`: one code's documentation in the terminal, in any spec locale."""

from __future__ import annotations

import difflib
import unicodedata

from .diagnostics import safe
from .load import MAX_CODE
from .model import ErrorEntry, RetiredCode, Spec
from .render import render_template


def rows(spec: Spec, entry: ErrorEntry, lang: str) -> list[tuple[str, str]]:
    """The (label padded to one width on screen, value) lines of a live code's summary."""
    phrases = {word: spec.words[word][lang] for word in spec.words}
    status = phrases["websocket_only"] if entry.http_status is None else str(entry.http_status)
    retry = phrases["yes" if entry.retryable else "no"]
    if entry.retry_after:
        retry += phrases["after_header"].replace("{header}", spec.retry_after_header)
    category = f"{entry.category.id} ({entry.category.title[lang]}, {entry.category.label})"
    items = [
        (phrases["message"], entry.message),
        (phrases["category"], category),
        (phrases["http_status"], status),
        (phrases["transports"], ", ".join(entry.transports)),
        (phrases["retryable"], retry),
    ]
    width = max(_width(label) for label, _ in items) + 2
    return [(label + " " * (width - _width(label)), value) for label, value in items]


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _number(key: str) -> int | None:
    """The code `key` spells in ASCII digits; None for anything else. A code has at most as
    many digits as the schema's largest, so no huge number is ever converted."""
    if key.isascii() and key.isdigit():
        return int(key) if len(key) <= len(str(MAX_CODE)) else MAX_CODE + 1
    return None


def _find(spec: Spec, key: str) -> ErrorEntry | RetiredCode | None:
    """The live or retired code `key` names, by number or by name."""
    candidates: list[ErrorEntry | RetiredCode] = [*spec.retired, *spec.codes]
    number = _number(key)
    if number is not None:
        return next((c for c in candidates if c.code == number), None)
    return next((c for c in candidates if c.name == key.upper()), None)


def _nearest(spec: Spec, key: str) -> list[str]:
    """Codes close to an unknown number (its category's first), or names close to a name."""
    number = _number(key)
    if number is not None:
        home = next((c.id for c in spec.categories if c.low <= number <= c.high), None)
        ranked = sorted(
            spec.codes, key=lambda e: (e.category.id != home, abs(e.code - number), e.code)
        )
        return [str(e.code) for e in ranked[:3]]
    names = [e.name for e in spec.codes] + [r.name for r in spec.retired]
    return difflib.get_close_matches(key.upper(), names, n=3, cutoff=0.5)


def explain(spec: Spec, key: str, lang: str | None) -> tuple[str, int]:
    """(text, exit code) for `errspec explain`: 0 when documented, 2 otherwise."""
    lang = lang or spec.locales[0]
    lang = next((known for known in spec.locales if known.lower() == lang.lower()), lang)
    if lang not in spec.locales:
        return f"errspec: unknown locale {lang!r}; use one of: {', '.join(spec.locales)}\n", 2
    found = _find(spec, key.strip())
    if found is None:
        shown = key.strip() if len(key.strip()) <= 20 else key.strip()[:20] + "…"
        what = (
            f"error code {safe(shown)}"
            if _number(key.strip()) is not None
            else f"error code or name {key!r}"
        )
        near = _nearest(spec, key.strip())
        hint = (
            f"nearest: {', '.join(near)}"
            if near
            else "run `errspec explain` with a code (3001) or a name"
        )
        return f"errspec: unknown {what}; {hint}\n", 2
    phrases = {word: spec.words[word][lang] for word in spec.words}
    context: dict[str, object]
    if isinstance(found, RetiredCode):
        context = {"entry": None, "retired": found, "url": ""}
    else:
        context = {
            "entry": found,
            "retired": None,
            "url": spec.doc_url(found, lang),
            "rows": rows(spec, found, lang),
        }
    text = render_template("cli/explain.txt.jinja", spec=spec, lang=lang, W=phrases, **context)
    return text, 0
