"""`page.renderer`: the page's anchors follow the renderer it is published with, through an
explicit heading id where the renderer reads one, so every doc_url names the code alone; and
`site.url`: every doc_url is the code's page on the site. The github page stays the
published page (tests/outputs/test_page.py keeps it byte for byte)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pytest

from generator.model.anchors import RENDERERS, mkdocs_slug, vitepress_slug
from support import frozen_data, render_all, spec_of_data, targets_of

RENDERER_NAMES = sorted(RENDERERS)


def _page(data: dict, renderer: str, lang: str) -> tuple[str, object]:
    data["page"]["renderer"] = renderer
    spec = spec_of_data(data)
    path = f"docs/errors.{lang}.md"
    files = render_all(spec, targets=tuple(t for t in targets_of(spec) if t.group == "docs"))
    return files[path], spec


@pytest.mark.parametrize("renderer", RENDERER_NAMES)
def test_every_doc_url_names_a_heading_of_its_page(renderer: str) -> None:
    data = frozen_data()
    for lang in data["locales"]:
        text, spec = _page(frozen_data(), renderer, lang)
        headings = [line for line in text.splitlines() if line.startswith("#### ")]
        ids = set()
        for line in headings:
            explicit = re.search(r" \{#([^}]+)\}$", line)
            if RENDERERS[renderer].explicit_ids:
                assert explicit, line
                ids.add(explicit[1])
            else:
                assert explicit is None
                ids.add(RENDERERS[renderer].slug(line[5:]))
        for e in spec.codes:
            url = spec.doc_url(e, lang)
            if not e.category.details:
                continue
            fragment = unquote(urlsplit(url).fragment)
            assert fragment in ids, (renderer, lang, e.code, fragment)
            if RENDERERS[renderer].explicit_ids:
                section = next(s for s in spec.sections(e.category) if e in s.entries)
                assert fragment == f"code-{section.lead.code}"


@pytest.mark.parametrize("renderer", RENDERER_NAMES)
def test_the_page_has_one_h1_only_where_the_renderer_needs_it(renderer: str) -> None:
    data = frozen_data()
    lang = data["locales"][0]
    text, spec = _page(data, renderer, lang)
    h1 = [line for line in text.splitlines() if line.startswith("# ")]
    if RENDERERS[renderer].own_h1:
        assert h1 == [f"# {spec.page.title[lang]}"]
    else:
        assert h1 == []


def test_the_renderers_slug_rules() -> None:
    # The two misses the issue measured: VitePress marks a leading digit and collapses dashes,
    # MkDocs' default slugify drops CJK text.
    assert vitepress_slug("3001 - Rate limit exceeded") == "_3001-rate-limit-exceeded"
    assert mkdocs_slug("1004 - 缺少参数") == "1004-"
    assert RENDERERS["github"].slug("3001 - Rate limit exceeded") == "3001---rate-limit-exceeded"


def test_site_url_makes_every_doc_url_the_codes_site_page() -> None:
    data = frozen_data()
    data["site"] = {"url": "https://errors.example.com/api"}
    spec = spec_of_data(data)
    for e in spec.codes:
        assert (
            e.doc_url
            == f"https://errors.example.com/api/{spec.page.doc_url_locale}/errors/{e.code}/"
        )
        for lang in spec.locales:
            assert (
                spec.doc_url(e, lang) == f"https://errors.example.com/api/{lang}/errors/{e.code}/"
            )
    files = render_all(spec, targets=targets_of(spec, "python/error_codes"))
    assert all(e.doc_url in files["python/error_codes.py"] for e in spec.codes)


@pytest.mark.parametrize("url", ["https://x.example/", "ftp://x", "https://x.example/a b"])
def test_site_url_is_refused_with_a_trailing_slash_or_not_http(url: str) -> None:
    from support import problems_of

    data = frozen_data()
    data["site"] = {"url": url}
    assert problems_of(data)


def test_explain_prints_the_site_page_with_site_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from support import FROZEN, run_errspec, write_project

    data = frozen_data()
    data["site"] = {"url": "https://errors.example.com"}
    write_project(data, tmp_path, FROZEN / "openapi.yaml")
    spec = spec_of_data(data)
    e = spec.errors[0]
    for lang in spec.locales:
        result = run_errspec("explain", str(e.code), "--lang", lang, "--project", str(tmp_path))
        assert result.code == 0, result.err
        assert f"https://errors.example.com/{lang}/errors/{e.code}/" in result.out
