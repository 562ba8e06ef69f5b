"""`errspec site`: a page per code and locale, the index (complete without JavaScript), the
changelog, the translation status, errors.json with its schema, the sitemap, the 404 page and
the short links; relative links that all resolve, no duplicate id, every spec text escaped,
the same bytes on every run. Expectations come from the spec the site is built from."""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.site.model import site_of
from support import build_site_of, site_data, spec_of_data


class Page(HTMLParser):
    """The links, ids, <html lang>, hreflang alternates and meta refresh of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: list[str] = []
        self.lang = ""
        self.alternates: dict[str, str] = {}
        self.refresh = ""
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates[a["hreflang"]] = a["href"]
        elif tag in ("a", "link") and "href" in a and not a["href"].startswith("data:"):
            self.links.append(a["href"])
        if tag == "script" and "src" in a:
            self.links.append(a["src"])
        if tag == "meta" and a.get("http-equiv") == "refresh":
            self.refresh = a["content"].split("url=", 1)[1]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(text: str) -> Page:
    page = Page()
    page.feed(text)
    return page


def resolve(files: dict[str, str], source: str, href: str) -> str | None:
    """The file a relative link of `source` names (a folder's index.html), None if none."""
    path = href.split("#")[0].split("?")[0]
    if not path:
        return source
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    for candidate in (joined, joined + "/index.html"):
        if candidate in files:
            return candidate
    return None


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, str]]:
    data = site_data(fallback_locale="de")
    return data, build_site_of(data, tmp_path_factory.mktemp("site"))


def test_every_code_has_a_page_per_locale_with_its_facts(built: Any) -> None:
    data, files = built
    spec = spec_of_data(data)
    site = site_of(spec)
    for p in site.pages:
        for lang in spec.locales:
            page = parsed(files[f"{lang}/errors/{p.code}/index.html"])
            assert page.lang == lang
            text = "".join(page.text)
            assert f"{p.code} {p.name}" in text
            if p.entry is not None:
                assert p.entry.message in text
                if p.entry.http_status is not None:
                    assert str(p.entry.http_status) in text
            assert set(page.alternates) == set(spec.locales)
            for other in spec.locales:  # the language switch keeps the code
                if other != lang:
                    assert f"../../../{other}/errors/{p.code}/" in page.links


def test_deprecated_and_retired_codes_have_a_banner_linking_the_replacement(built: Any) -> None:
    data, files = built
    site = site_of(spec_of_data(data))
    marked = [p for p in site.pages if p.status != "live"]
    assert {p.status for p in marked} == {"deprecated", "retired"}
    for p in marked:
        for lang in site.spec.locales:
            html = files[f"{lang}/errors/{p.code}/index.html"]
            banner = html[html.index('<div class="banner') : html.index("</div>")]
            assert p.since in banner
            assert f'href="../{p.replacement}/"' in banner


def test_the_index_lists_every_code_without_javascript(built: Any) -> None:
    data, files = built
    site = site_of(spec_of_data(data))
    for lang in site.spec.locales:
        page = parsed(files[f"{lang}/index.html"])
        listed = {int(i[1:]) for i in page.ids if re.fullmatch(r"c\d+", i)}
        assert listed == {p.code for p in site.pages}
        records = json.loads(
            re.search(r'id="search-data">(.*?)</script>', files[f"{lang}/index.html"], re.S)[1]
        )
        assert [r[0] for r in records] == [p.code for p in site.pages]


def test_every_internal_link_resolves_and_no_page_repeats_an_id(built: Any) -> None:
    _, files = built
    for path, text in files.items():
        if not path.endswith(".html") or path == "404.html":
            continue
        page = parsed(text)
        assert len(page.ids) == len(set(page.ids)), path
        for href in (
            page.links + list(page.alternates.values()) + [page.refresh] * bool(page.refresh)
        ):
            assert not href.startswith(("/", "http:", "https:", "//")), (path, href)
            target = resolve(files, path, href)
            assert target is not None, (path, href)
            fragment = href.partition("#")[2]
            if fragment and target.endswith(".html"):
                assert fragment in parsed(files[target]).ids, (path, href)


def test_short_links_lead_to_the_first_locales_page(built: Any) -> None:
    data, files = built
    site = site_of(spec_of_data(data))
    for p in site.pages:
        page = parsed(files[f"e/{p.code}/index.html"])
        assert page.refresh == f"../../{site.spec.locales[0]}/errors/{p.code}/"
        assert page.refresh in page.links


def test_errors_json_follows_its_schema_and_lists_every_code(built: Any) -> None:
    data, files = built
    spec = spec_of_data(data)
    catalog = json.loads(files["errors.json"])
    jsonschema.validate(catalog, json.loads(files["errors.schema.json"]))
    assert [c["code"] for c in catalog["codes"]] == [p.code for p in site_of(spec).pages]
    for item in catalog["codes"]:
        assert set(item["texts"]) == set(spec.locales)
        assert item["urls"] == {lang: f"{lang}/errors/{item['code']}/" for lang in spec.locales}


def test_fallback_texts_carry_a_badge_and_the_status_page_counts_them(built: Any) -> None:
    data, files = built
    spec = spec_of_data(data)
    lang = spec.locales[-1]
    for e in spec.codes:
        page = files[f"{lang}/errors/{e.code}/index.html"]
        meaning = page.split("</h1>", 1)[1].split("<dl", 1)[0]
        assert ('class="fallback"' in meaning) == e.meaning.falls_back(lang), e.code
    status = files[f"{spec.locales[0]}/status/index.html"]
    for c in spec.coverage:
        row = re.search(rf'<tr id="locale-{c.lang}">(.*?)</tr>', status)[1]
        assert f"{c.translated} / {c.total}" in row


def test_the_changelog_lists_each_release_from_the_lifecycle_fields(built: Any) -> None:
    data, files = built
    spec = spec_of_data(data)
    page = files[f"{spec.locales[0]}/changelog/index.html"]
    versions = re.findall(r'<section id="release-([^"]+)">', page)
    expected = {e.introduced for e in spec.codes} | {r.since for r in spec.retired}
    expected |= {e.deprecated.since for e in spec.codes if e.deprecated}
    assert sorted(versions, reverse=True) == versions and set(versions) == expected
    for r in spec.retired:
        section = page.split(f'id="release-{r.since}"')[1].split("</section>")[0]
        assert f'href="../errors/{r.code}/"' in section


def test_the_sitemap_lists_every_page(built: Any) -> None:
    data, files = built
    spec = spec_of_data(data)
    locs = re.findall(r"<loc>([^<]+)</loc>", files["sitemap.xml"])
    pages = [p for p in files if p.endswith("/index.html") and not p.startswith("e/")]
    assert sorted(locs) == sorted(p.removesuffix("index.html") for p in pages)
    assert len(locs) == len(set(locs)) and spec.locales


def test_site_url_makes_the_sitemap_and_alternates_absolute(tmp_path: Path) -> None:
    data = site_data()
    data["site"] = {"url": "https://errors.example.com/docs"}
    files = build_site_of(data, tmp_path)
    locs = re.findall(r"<loc>([^<]+)</loc>", files["sitemap.xml"])
    assert locs and all(loc.startswith("https://errors.example.com/docs/") for loc in locs)
    catalog = json.loads(files["errors.json"])
    assert catalog["codes"][0]["urls"][data["locales"][0]].startswith(
        "https://errors.example.com/docs/"
    )


HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)> \' " `<b>`'


def test_hostile_texts_are_escaped_on_every_page(tmp_path: Path) -> None:
    data = site_data()
    for raw in data["codes"]:
        raw["meaning"] = {lang: f"{HOSTILE} {raw['code']}" for lang in data["locales"]}
        if "causes" in raw:
            raw["causes"] = {lang: ["x " + HOSTILE] for lang in data["locales"]}
    files = build_site_of(data, tmp_path)
    for path, text in files.items():
        if path.endswith(".html"):
            assert "<script>alert" not in text and "<img" not in text, path
    catalog = json.loads(files["errors.json"])  # the catalog holds each text as written
    item = next(c for c in catalog["codes"] if c["code"] == data["codes"][1]["code"])
    assert item["texts"][data["locales"][0]]["meaning"].startswith(HOSTILE)
    page = files[f"{data['locales'][0]}/errors/{data['codes'][1]['code']}/index.html"]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in page
    assert "<code>&lt;b&gt;</code>" in page  # a code span stays a code span
    index = files[f"{data['locales'][0]}/index.html"]
    records = re.search(r'id="search-data">(.*?)</script>', index, re.S)[1]
    assert "</" not in records
    assert any(t.startswith(HOSTILE) for r in json.loads(records) for t in r[7])


def test_the_same_spec_gives_the_same_bytes(tmp_path: Path) -> None:
    data = site_data()
    first = build_site_of(data, tmp_path / "a")
    second = build_site_of(data, tmp_path / "b")
    assert first == second
