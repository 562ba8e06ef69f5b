"""The site's target table: the one place that lists every file of the site (but its marker,
which lists them all). A path holding `{lang}` stands for one file per locale, `{code}` for one
per code with a page (live and retired); every row gets `root`, the relative path back to the
site's root, so that the site works under any subpath."""

from __future__ import annotations

from dataclasses import replace

from ..targets import LOCALE, Target, check_path
from .model import Site

CODE = "{code}"

SITE_TARGETS: tuple[Target, ...] = (
    Target("site", "index.html", "site/root.html.jinja", comment=None),
    Target("site", "404.html", "site/404.html.jinja", comment=None),
    Target("site", "{lang}/index.html", "site/index.html.jinja", comment=None),
    Target("site", "{lang}/errors/{code}/index.html", "site/code.html.jinja", comment=None),
    Target("site", "{lang}/status/index.html", "site/status.html.jinja", comment=None),
    Target("site", "{lang}/changelog/index.html", "site/changelog.html.jinja", comment=None),
    Target("site", "e/{code}/index.html", "site/short.html.jinja", comment=None),
    Target("site", "errors.json", "site/errors.json.jinja", comment=None),
    Target("site", "errors.schema.json", "site/errors.schema.json.jinja", comment=None),
    Target("site", "sitemap.xml", "site/sitemap.xml.jinja", comment=None),
    Target("site", "assets/site.css", "site/site.css.jinja", comment=None),
    Target("site", "assets/search.js", "site/search.js.jinja", comment=None),
)


def site_rows(site: Site) -> tuple[Target, ...]:
    """The table with every `{lang}` and `{code}` row made one row per locale and code, each
    with its `lang`, `page` and `root`; every path checked."""
    rows = []
    for t in SITE_TARGETS:
        langs = site.spec.locales if LOCALE in t.path else (None,)
        pages = site.pages if CODE in t.path else (None,)
        for lang in langs:
            for page in pages:
                path = t.path
                context = dict(t.context)
                if lang is not None:
                    path = path.replace(LOCALE, lang)
                    context["lang"] = lang
                if page is not None:
                    path = path.replace(CODE, str(page.code))
                    context["page"] = page
                context["root"] = "../" * path.count("/")
                rows.append(replace(t, path=check_path(path), context=context))
    return tuple(rows)
