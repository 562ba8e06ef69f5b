"""`errspec explain CODE`: one code's documentation in the terminal."""

from __future__ import annotations

import difflib

from .model import Spec
from .render import render_template


def explain(spec: Spec, code_text: str, lang: str | None) -> tuple[str, int]:
    """(text, exit code) for `errspec explain`: 0 when documented, 2 otherwise."""
    lang = lang or spec.locales[0]
    if lang not in spec.locales:
        return f"errspec: unknown locale {lang!r}; use one of: {', '.join(spec.locales)}\n", 2
    try:
        code = int(code_text)
    except ValueError:
        return f"errspec: {code_text!r} is not an error code; pass a number such as 3001\n", 2
    for retired in spec.retired:
        if retired.code == code:
            return (
                render_template(
                    "cli/explain.txt.jinja", spec=spec, lang=lang, entry=None, retired=retired
                ),
                0,
            )
    for entry in spec.codes:
        if entry.code == code:
            return (
                render_template(
                    "cli/explain.txt.jinja", spec=spec, lang=lang, entry=entry, retired=None
                ),
                0,
            )
    known = [str(e.code) for e in spec.codes]
    nearest = sorted(spec.codes, key=lambda e: (abs(e.code - code), e.code))[:3]
    close = difflib.get_close_matches(code_text, known, n=3)
    suggestions = list(dict.fromkeys(close + [str(e.code) for e in nearest]))[:3]
    return f"errspec: unknown error code {code}; nearest: {', '.join(suggestions)}\n", 2
