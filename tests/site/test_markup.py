"""The site's escaping filters: a spec text is inline Markdown; raw HTML never passes, a
Markdown-escaped text shows exactly as written, and only the inline elements Markdown makes
(code, strong, em, a) are ever produced."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.filters import md_text
from generator.site.markup import html, json_html, md_html

TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=40)
PIECES = st.lists(
    st.sampled_from(
        [
            "<",
            ">",
            "&",
            "*",
            "_",
            "`",
            "[",
            "]",
            "(",
            ")",
            "\\",
            "<b>",
            "&amp;",
            "a",
            " ",
            "字",
            "javascript:",
            "http://x",
        ]
    ),
    min_size=1,
    max_size=12,
).map("".join)


class Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [v or "" for k, v in attrs if k == "href"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read(markup: str) -> Reader:
    reader = Reader()
    reader.feed(markup)
    reader.close()
    return reader


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, PIECES))
def test_an_escaped_text_shows_exactly_as_written(text: str) -> None:
    shown = read(md_html(md_text(text)))
    assert shown.tags == [] and "".join(shown.text) == text


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, PIECES))
def test_only_inline_markdown_elements_are_made_and_no_script_url(text: str) -> None:
    shown = read(md_html(text))
    assert set(shown.tags) <= {"code", "strong", "em", "a"}
    assert all(
        h.lower().startswith(("http:", "https:", "mailto:")) or ":" not in h.split("/")[0]
        for h in shown.hrefs
    )


def test_inline_markdown_becomes_html() -> None:
    assert md_html("**a** *b* `<c>` [d](https://e.example/?f=1&g=2)") == (
        "<strong>a</strong> <em>b</em> <code>&lt;c&gt;</code>"
        ' <a href="https://e.example/?f=1&amp;g=2">d</a>'
    )
    assert md_html("[x](javascript:alert(1))") == "[x](javascript:alert(1))"
    assert html("<'\"&>") == "&lt;&#x27;&quot;&amp;&gt;"


@settings(max_examples=200, deadline=None)
@given(st.one_of(TEXT, PIECES))
def test_json_in_a_script_cannot_close_it(text: str) -> None:
    import json

    encoded = json_html([text, {"k": text}])
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert json.loads(encoded) == [text, {"k": text}]
