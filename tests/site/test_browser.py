"""The site in a real browser: Debian's chromium driven by Playwright (pinned in the test
extra; never `playwright install`), the site served under a subpath, as GitHub project pages
serve it. For the live registry and a fixture spec with a fallback locale and a code's whole
life: every page loads with no console error and no failed request (nothing outside the site
is requested); a crawl from the index reaches no broken link and no page with a duplicate id;
search ranks the right code first for its code, a zh text and its en wire message; filters
and ?q= survive reload and back; the language switch keeps the code; without JavaScript the
index lists every code; axe-core finds no serious or critical violation. Screenshots of the
index and a code page per locale go to build/test-artifacts/site/."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urljoin, urlsplit

import pytest

from generator.site.model import Site, site_of
from support import (
    FROZEN,
    LIVE,
    ROOT,
    SITE_ARTIFACTS,
    build_site_of,
    load_spec,
    run_errspec,
    serving,
    site_data,
    spec_of_data,
    static_server,
    write_project,
)

pytestmark = pytest.mark.slow

SUBPATH = "docs/errors"  # where the site is served: relative links must hold under it
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


class Served:
    """One site built and served under SUBPATH, with its facts."""

    def __init__(self, name: str, site: Site, files: list[str], base: str) -> None:
        self.name, self.site, self.files, self.base = name, site, files, base

    def url(self, rel: str) -> str:
        return f"{self.base}/{SUBPATH}/{rel}"


@pytest.fixture(scope="module", params=["live", "fixture"])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("host")
    out = root / SUBPATH
    if request.param == "live":
        result = run_errspec("site", "--project", str(LIVE), "--out", str(out))
        assert result.code == 0, result.err
        spec = load_spec(LIVE / "spec" / "errors.yaml")
    else:
        data = site_data(fallback_locale="de")
        project = tmp_path_factory.mktemp("project")
        build_site_of(data, project, "--out", str(out))
        spec = spec_of_data(data)
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    with static_server(root) as base:
        yield Served(request.param, site_of(spec), files, base)


class Watch:
    """A browser context whose pages report every console error, page error, failed
    request and request that leaves the site."""

    def __init__(self, browser: Any, served: Served, **options: Any) -> None:
        self.problems: list[str] = []
        self.context = browser.new_context(**options)
        self.context.route("**/*", self._route)
        self.served = served

    def _route(self, route: Any) -> None:
        if urlsplit(route.request.url).netloc != urlsplit(self.served.base).netloc:
            self.problems.append(f"request outside the site: {route.request.url}")
            route.abort()
        else:
            route.continue_()

    def page(self) -> Any:
        page = self.context.new_page()
        page.on(
            "console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}")
        )
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        page.on(
            "response",
            lambda r: r.status >= 400 and self.problems.append(f"{r.status}: {r.url}"),
        )
        return page

    def close(self) -> None:
        self.context.close()


def test_every_page_loads_cleanly_and_the_crawl_finds_no_broken_link(
    browser: Any, served: Served
) -> None:
    watch = Watch(browser, served)
    page = watch.page()
    for rel in served.files:
        if rel == "404.html":
            continue
        page.goto(served.url(rel), wait_until="load")
        if rel.startswith("e/") or rel == "index.html":  # a meta refresh: it lands there
            code = rel.split("/")[1] if rel.startswith("e/") else None
            where = f"errors/{code}/" if code else ""
            page.wait_for_url(served.url(f"{served.site.default_lang}/{where}"))
            page.wait_for_load_state("load")
    assert watch.problems == []
    # The crawl: from the first locale's index, every link inside the site, each page once.
    start = served.url("")
    todo = [served.url(f"{served.site.default_lang}/")]
    seen: set[str] = set()
    broken: list[str] = []
    duplicates: dict[str, list[str]] = {}
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url, wait_until="load")
        if response is None or response.status != 200:
            broken.append(url)
            continue
        if not page.url.endswith((".json", ".xml")) and "html" in (
            response.headers.get("content-type") or ""
        ):
            ids = page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
            repeated = [i for i, n in Counter(ids).items() if n > 1]
            if repeated:
                duplicates[url] = repeated
            for href in page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
                target = urljoin(url, href).split("#")[0]
                if target.startswith(start) and target not in seen:
                    todo.append(target)
    assert broken == [] and duplicates == {} and watch.problems == []
    pages = {served.url(p.removesuffix("index.html")) for p in served.files if "/" in p}
    assert {p for p in pages if "/e/" not in p} <= seen
    watch.close()


def _first_result(page: Any, query: str) -> str:
    page.fill("#q", query)
    page.wait_for_selector("#result-rows tr")
    return str(page.get_attribute("#result-rows tr:first-child", "data-code"))


def _unique_texts(site: Site, lang: str) -> list[tuple[int, str, str]]:
    """(code, its meaning in `lang`, its wire message) of codes whose meaning and message no
    other code shares."""
    meanings = Counter(e.meaning[lang] for e in site.spec.codes)
    messages = Counter(e.message for e in site.spec.codes)
    return [
        (e.code, e.meaning[lang], e.message)
        for e in site.spec.codes
        if meanings[e.meaning[lang]] == 1
        and messages[e.message] == 1
        and not e.meaning.falls_back(lang)
    ]


def test_search_ranks_the_code_first_for_its_code_and_its_texts_in_any_locale(
    browser: Any, served: Served
) -> None:
    watch = Watch(browser, served)
    page = watch.page()
    first, other = served.site.spec.locales[0], served.site.spec.locales[1]
    page.goto(served.url(f"{first}/"))
    checked = 0
    for code, _, message in _unique_texts(served.site, first)[:6]:
        assert _first_result(page, str(code)) == str(code)
        assert _first_result(page, message) == str(code)  # the (English) wire message
        own = next(e for e in served.site.spec.codes if e.code == code)
        assert _first_result(page, own.meaning[first]) == str(code)  # its text in this locale
        if not own.meaning.falls_back(other):
            assert _first_result(page, own.meaning[other]) == str(code)  # another locale's
        checked += 1
    assert checked and watch.problems == []
    watch.close()


def test_filters_and_the_query_survive_reload_and_back(browser: Any, served: Served) -> None:
    watch = Watch(browser, served)
    page = watch.page()
    lang = served.site.spec.locales[0]
    spec = served.site.spec
    category = next(c for c in spec.categories if len(spec.in_category(c)) > 1)
    page.goto(served.url(f"{lang}/"))
    page.select_option("#category", category.id)
    page.select_option("#retryable", "0")
    page.fill("#q", "")
    page.wait_for_selector("#result-rows tr")
    expected = [str(e.code) for e in spec.in_category(category) if not e.retryable]
    shown = lambda: page.eval_on_selector_all(
        "#result-rows tr", "rows => rows.map(r => r.dataset.code)"
    )  # noqa: E731
    assert shown() == expected
    assert f"category={category.id}" in page.url
    page.reload()
    assert page.input_value("#category") == category.id and shown() == expected
    page.fill("#q", str(expected[0]))
    page.wait_for_function("document.querySelectorAll('#result-rows tr').length === 1")
    assert f"q={expected[0]}" in page.url
    page.click(f"#result-rows tr a[href='errors/{expected[0]}/']")
    page.wait_for_url(f"**/errors/{expected[0]}/")
    page.go_back()
    page.wait_for_function("document.querySelectorAll('#result-rows tr').length === 1")
    assert page.input_value("#q") == str(expected[0]) and shown() == [expected[0]]
    assert watch.problems == []
    watch.close()


def test_the_language_switch_keeps_the_code(browser: Any, served: Served) -> None:
    watch = Watch(browser, served)
    page = watch.page()
    spec = served.site.spec
    code = spec.errors[-1].code
    for lang in spec.locales:
        for other in spec.locales:
            if other == lang:
                continue
            page.goto(served.url(f"{lang}/errors/{code}/"))
            page.click(f"nav.languages a[hreflang='{other}']")
            page.wait_for_url(served.url(f"{other}/errors/{code}/"))
            assert page.get_attribute("html", "lang") == other
            assert str(code) in page.inner_text("h1")
    assert watch.problems == []
    watch.close()


def test_without_javascript_the_index_lists_every_code(browser: Any, served: Served) -> None:
    watch = Watch(browser, served, java_script_enabled=False)
    page = watch.page()
    for lang in served.site.spec.locales:
        page.goto(served.url(f"{lang}/"))
        listed = page.eval_on_selector_all(
            "#catalog tbody tr", "rows => rows.filter(r => r.offsetParent !== null).map(r => r.id)"
        )
        assert listed == [f"c{p.code}" for p in _index_order(served.site)]
        assert not page.is_visible("#search")
    watch.close()


def _index_order(site: Site) -> list[Any]:
    live = [p for c in site.spec.categories for p in site.in_category(c)]
    return live + list(site.retired_pages)


def test_axe_finds_nothing_serious_and_screenshots_are_kept(browser: Any, served: Served) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing; run `make install` (npm ci)")
    watch = Watch(browser, served)
    page = watch.page()
    spec = served.site.spec
    code = next((p.code for p in served.site.pages if p.status != "live"), spec.errors[0].code)
    folder = SITE_ARTIFACTS / served.name
    folder.mkdir(parents=True, exist_ok=True)
    found: dict[str, list[str]] = {}
    for lang in spec.locales:
        for rel, shot in (
            (f"{lang}/", f"index.{lang}.png"),
            (f"{lang}/errors/{code}/", f"code-{code}.{lang}.png"),
            (f"{lang}/status/", None),
            (f"{lang}/changelog/", None),
        ):
            page.goto(served.url(rel))
            if shot:
                page.screenshot(path=str(folder / shot), full_page=True)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            bad = [
                f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            if bad:
                found[rel] = bad
    (folder / "axe.json").write_text(
        json.dumps(found, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    assert found == {} and watch.problems == []
    watch.close()


def test_serve_reloads_the_open_page_within_2_s_of_a_spec_edit(
    browser: Any, tmp_path: Path
) -> None:
    data = site_data()
    spec_path = write_project(data, tmp_path / "p", FROZEN / "openapi.yaml")
    spec = spec_of_data(data)
    e, lang = spec.errors[0], spec.locales[0]
    with serving(tmp_path / "p", tmp_path) as (base, proc):
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{base}/{lang}/errors/{e.code}/")
        assert e.name in page.inner_text("h1")
        renamed = "RENAMED_" + e.name
        text = spec_path.read_text(encoding="utf-8")
        start = time.monotonic()
        spec_path.write_text(
            text.replace(f"name: {e.name}\n", f"name: {renamed}\n", 1), encoding="utf-8"
        )
        page.wait_for_function(
            f"document.querySelector('h1') && document.querySelector('h1').textContent.includes({json.dumps(renamed)})",
            timeout=2000,
        )
        took = time.monotonic() - start
        page.close()
        assert took < 2 and errors == []
