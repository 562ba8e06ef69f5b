"""The site's escaping filters: text for HTML, inline Markdown as HTML with raw HTML escaped,
and JSON that cannot end the <script> it sits in.

The spec's texts are inline Markdown (README, "Texts and locales"): code spans, emphasis,
links and backslash escapes become HTML; any other character, `<` and `&` included, is
shown as written.
"""

from __future__ import annotations

import html as _html
import json
import re
from typing import Any
from urllib.parse import quote

# A backslash escape, or a code span (left to right: an escaped backtick opens no span).
_ESCAPE_OR_CODE = re.compile(r"\\([!-/:-@\[-`{-~])|(`+)(.+?)(?<!`)\2(?!`)")
_LINK = re.compile(r"\[([^\[\]]+)\]\(([^()\s]+)\)")
_SAFE_URL = re.compile(r"(https?:|mailto:|[#./a-zA-Z0-9_-])", re.I)
_UNSAFE_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_EMPHASIS = (
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), "strong"),
    (re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"), "strong"),
    (re.compile(r"\*(?=[^\s*])(.+?)(?<=[^\s*])\*"), "em"),
    (re.compile(r"(?<!\w)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)"), "em"),
)
_SLOT = re.compile("\x00(\\d+)\x00")  # the spec's texts hold no control characters


def html(value: Any) -> str:
    """Text for HTML element content or a quoted attribute: & < > " ' escaped."""
    return _html.escape(str(value), quote=True)


def md_html(value: Any) -> str:
    """Inline Markdown as HTML: code spans, **strong**, *emphasis*, [links](url) and
    backslash escapes; everything else, raw HTML included, escaped to show as written. A
    link whose URL has a scheme other than http, https or mailto stays text."""
    slots: list[str] = []

    def slot(text: str) -> str:
        slots.append(text)
        return f"\x00{len(slots) - 1}\x00"

    def inline(text: str) -> str:
        text = _ESCAPE_OR_CODE.sub(escaped_or_code, text)
        text = _LINK.sub(link, text)
        text = html(text)
        for pattern, tag in _EMPHASIS:
            text = pattern.sub(lambda m: f"<{tag}>{m[1]}</{tag}>", text)
        return text

    def escaped_or_code(m: re.Match[str]) -> str:
        if m[1] is not None:
            return slot(html(m[1]))
        return slot(f"<code>{html(m[3].strip() or m[3])}</code>")

    def link(m: re.Match[str]) -> str:
        url = m[2]
        if _UNSAFE_SCHEME.match(url) and not url.lower().startswith(("http:", "https:", "mailto:")):
            return slot(html(m[0]))
        if not _SAFE_URL.match(url):
            return slot(html(m[0]))
        return slot(f'<a href="{html(url)}">{inline(m[1])}</a>')

    out = inline(str(value))
    while _SLOT.search(out):
        out = _SLOT.sub(lambda m: slots[int(m[1])], out)
    return out


def json_html(value: Any) -> str:
    """Compact JSON for inside <script type="application/json">: <, > and & as \\u escapes,
    so that no text can close the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def url_path(value: Any) -> str:
    """A path segment for a URL (a code, a locale): what is not unreserved percent-encoded."""
    return quote(str(value), safe="")


FILTERS = {"html": html, "md_html": md_html, "json_html": json_html, "url_path": url_path}
