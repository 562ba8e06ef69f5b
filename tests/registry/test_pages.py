"""The live registry's pages and per-locale outputs, every expectation computed from its spec:
each locale's outputs hold no text of another locale's fields, every detailed section has a
unique anchor its codes' doc_url points at, and each page embeds its standalone snippets."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from generator.model import PLACEHOLDER
from support import (
    LIVE_OUT,
    LIVE_SURFACE,
    live_data,
    load_spec,
    load_surface,
    localized_texts,
    render_all,
    spec_of_data,
    targets_of,
    LIVE_SPEC,
)

pytestmark = pytest.mark.live

SPEC = load_spec(LIVE_SPEC)


def replaced_elsewhere(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """The spec data with every text of every locale but `lang` replaced by a marker that no
    text holds: each text its own marker, keeping a text's placeholders, a URL a URL. A text
    `lang` lacks, which the page shows in the fallback locale, is kept."""
    data = copy.deepcopy(data)
    markers = iter(range(1_000_000))
    fallback = data.get("fallback")

    def marker(locale: str, text: str) -> str:
        holes = "".join(f" {{{name}}}" for name in PLACEHOLDER.findall(text))
        return f"xq{locale}{next(markers)}zq{holes}"

    for texts in localized_texts(data, data["locales"], partial=True):
        for locale, value in texts.items():
            if locale == lang or (locale == fallback and lang not in texts):
                continue
            if isinstance(value, list):
                texts[locale] = [marker(locale, item) for item in value]
            else:
                texts[locale] = marker(locale, value)
    for locale in data["locales"]:
        if locale != lang:
            data["page"]["url"][locale] = f"https://{locale}.example.invalid/errors"
    return data


@pytest.mark.parametrize("lang", SPEC.locales)
def test_a_locales_outputs_hold_no_text_of_another_locales_fields(lang: str) -> None:
    """Every output of locale `lang` (its page, its snippets) is the same when every other
    locale's texts are replaced: none of them reaches it."""
    other = spec_of_data(replaced_elsewhere(live_data(), lang), "replaced.yaml")
    surface = load_surface(LIVE_SURFACE, "spec/openapi.yaml", other)
    targets = tuple(t for t in targets_of(other) if t.context.get("lang") == lang)
    assert any(t.path.startswith("docs/") for t in targets), "no page of this locale"
    for path, text in render_all(other, surface, targets).items():
        assert text == (LIVE_OUT / path).read_text(encoding="utf-8"), path
    if len(SPEC.locales) > 1:  # the markers do reach the outputs of their own locale
        another = next(locale for locale in SPEC.locales if locale != lang)
        page = render_all(other, surface, targets_of(other, f"docs/errors.{another}."))
        assert re.search(rf"xq{another}\d+zq", "".join(page.values()))


def test_every_section_has_a_unique_anchor_and_doc_urls_point_at_them() -> None:
    lang = SPEC.page.doc_url_locale
    page = (LIVE_OUT / "docs" / f"errors.{lang}.md").read_text(encoding="utf-8")
    anchors = []
    for category in SPEC.categories:
        for section in SPEC.sections(category):
            if category.details:
                assert f"#### {section.heading(lang)}\n" in page
                anchors.append(section.anchor(lang))
                for entry in section.entries:
                    assert entry.doc_url == SPEC.page.url[lang] + "#" + section.anchor(lang)
    assert anchors and len(anchors) == len(set(anchors))


@pytest.mark.parametrize("lang", SPEC.locales)
def test_page_embeds_the_standalone_snippets(lang: str) -> None:
    page = (LIVE_OUT / "docs" / f"errors.{lang}.md").read_text(encoding="utf-8")
    for ext, fence in (("js", "javascript"), ("py", "python")):
        standalone = (LIVE_OUT / "snippets" / f"handle_error.{lang}.{ext}").read_text(
            encoding="utf-8"
        )
        body = standalone.split("\n", 1)[1]
        assert f"```{fence}\n{body}```\n" in page
