"""The site's facts, computed once from the Spec: one page per code (live, deprecated or
retired) with its neighbours, the releases of the changelog, the search records and the JSON
catalog. Templates read these and write HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from ..locales import Coverage
from ..model import Category, ErrorEntry, RetiredCode, Spec, Text
from .words import site_words

# The texts of a live code, in the order its page shows them.
TEXTS = ("meaning", "suggestion", "section_title", "causes", "solution", "notes")
LANGUAGE_NAMES = {"en": "English", "zh": "中文", "ja": "日本語", "ko": "한국어", "fr": "Français"}
_SEMVER = re.compile(r"(\d+)\.(\d+)\.(\d+)")


class Words:
    """The site's fixed words in one locale, read as attributes (W.search), and the badge of a
    text shown in the fallback locale."""

    def __init__(self, words: Mapping[str, str], fallback: str | None) -> None:
        self.__dict__.update(words)
        self.fallback_badge = words["fallback"].replace("{lang}", fallback or "")


@dataclass(frozen=True)
class CodePage:
    """One code's page: a live code (maybe deprecated) or a retired one."""

    code: int
    """The code."""
    name: str
    """Its name."""
    status: str
    """live, deprecated or retired."""
    entry: ErrorEntry | None
    """The live code; None for a retired one."""
    retired: RetiredCode | None
    """The retired code; None for a live one."""
    category: Category | None
    """Its category (a retired code's: the one whose range holds it, if any)."""
    previous: int | None = None
    """The code before it, of every code with a page."""
    next: int | None = None
    """The code after it."""

    @property
    def replacement(self) -> int | None:
        """The live code to use instead, or None."""
        if self.retired is not None:
            return self.retired.replacement
        if self.entry is not None and self.entry.deprecated is not None:
            return self.entry.deprecated.replacement
        return None

    @property
    def since(self) -> str:
        """The release it was deprecated or retired in ("" for a code in good standing)."""
        if self.retired is not None:
            return self.retired.since
        if self.entry is not None and self.entry.deprecated is not None:
            return self.entry.deprecated.since
        return ""

    @property
    def reason(self) -> Text | None:
        """Why it was deprecated or retired, per locale; None for a code in good standing."""
        if self.retired is not None:
            return self.retired.reason
        if self.entry is not None and self.entry.deprecated is not None:
            return self.entry.deprecated.reason
        return None


@dataclass(frozen=True)
class Release:
    """One release of the changelog: what the lifecycle fields say happened in it."""

    version: str
    """The release."""
    added: tuple[int, ...] = ()
    """The codes introduced in it."""
    deprecated: tuple[int, ...] = ()
    """The codes deprecated in it."""
    retired: tuple[int, ...] = ()
    """The codes retired in it."""


@dataclass(frozen=True)
class Site:
    """The reference site of one spec."""

    spec: Spec
    """The registry."""
    pages: tuple[CodePage, ...]
    """Every code with a page, live and retired, by code."""
    releases: tuple[Release, ...]
    """The changelog's releases, newest first."""
    _by_code: Mapping[int, CodePage] = field(default_factory=dict)
    _words: Mapping[str, Words] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Where the site is published ("" when the spec does not say)."""
        return self.spec.site_url or ""

    @property
    def default_lang(self) -> str:
        """The locale the short links and the root lead to."""
        return self.spec.locales[0]

    def page(self, code: int) -> CodePage:
        """The page of `code`; KeyError when it has none."""
        return self._by_code[code]

    def words(self, lang: str) -> Words:
        """The site's fixed words in `lang`."""
        return self._words[lang]

    def language_name(self, lang: str) -> str:
        """How a locale names itself in the language switch."""
        return LANGUAGE_NAMES.get(lang, lang)

    def in_category(self, category: Category) -> tuple[CodePage, ...]:
        """The live codes of a category, by code."""
        return tuple(p for p in self.pages if p.entry is not None and p.category == category)

    @property
    def retired_pages(self) -> tuple[CodePage, ...]:
        """The retired codes' pages, by code."""
        return tuple(p for p in self.pages if p.retired is not None)

    def coverage(self, lang: str) -> Coverage:
        """How many of the spec's texts `lang` has (locales.coverage, as the notes say it)."""
        return next(c for c in self.spec.coverage if c.lang == lang)

    def path(self, lang: str, code: int) -> str:
        """A code's page, relative to the site's root."""
        return f"{lang}/errors/{code}/"

    def alternates(self, suffix: str) -> dict[str, str]:
        """{locale: the path from the root} of one page in every locale (the language
        switch and the hreflang links): `suffix` is the part after the locale."""
        return {lang: f"{lang}/{suffix}" for lang in self.spec.locales}

    def absolute(self, path: str) -> str:
        """A path of the site as a URL: under `url`, or as it is without one."""
        return f"{self.url}/{path}" if self.url else path

    @property
    def search_records(self) -> list[list[Any]]:
        """What the index's search reads, one record per code: [code, name, wire message,
        category id, transports, retryable (0/1; "" for a retired code), status, [every text of every locale]].
        """
        records = []
        for p in self.pages:
            e = p.entry
            texts: list[str] = []
            for text in _texts(p):
                for lang in self.spec.locales:
                    value = text[lang]
                    texts += [value] if isinstance(value, str) else list(value)
            records.append(
                [
                    p.code,
                    p.name,
                    e.message if e is not None else "",
                    p.category.id if p.category is not None else "",
                    " ".join(e.transports) if e is not None else "",
                    int(e.retryable) if e is not None else "",
                    p.status,
                    list(dict.fromkeys(texts)),
                ]
            )
        return records

    @property
    def catalog(self) -> dict[str, Any]:
        """errors.json: every code with its metadata, its texts per locale and its pages."""
        spec = self.spec
        codes = []
        for p in self.pages:
            e, r = p.entry, p.retired
            item: dict[str, Any] = {"code": p.code, "name": p.name, "status": p.status}
            item["category"] = p.category.id if p.category is not None else None
            if e is not None:
                item.update(
                    message=e.message,
                    http_status=e.http_status,
                    transports=list(e.transports),
                    retryable=e.retryable,
                    retry_after=e.retry_after,
                    introduced=e.introduced,
                )
            item["since"] = p.since or None
            item["replacement"] = p.replacement
            texts: dict[str, dict[str, Any]] = {}
            fallbacks: dict[str, list[str]] = {}
            named = _named_texts(p)
            for lang in spec.locales:
                texts[lang] = {
                    key: (value[lang] if isinstance(value[lang], str) else list(value[lang]))
                    for key, value in named
                }
                fallbacks[lang] = [key for key, value in named if value.falls_back(lang)]
            item["texts"] = texts
            item["fallbacks"] = fallbacks
            item["urls"] = {lang: self.absolute(self.path(lang, p.code)) for lang in spec.locales}
            codes.append(item)
        return {
            "release": spec.release,
            "locales": list(spec.locales),
            "fallback": spec.fallback,
            "categories": [
                {"id": c.id, "range": [c.low, c.high], "title": {k: v for k, v in c.title.values}}
                for c in spec.categories
            ],
            "codes": codes,
        }


def _named_texts(p: CodePage) -> list[tuple[str, Text]]:
    found: list[tuple[str, Text]] = []
    if p.entry is not None:
        found += [(k, getattr(p.entry, k)) for k in TEXTS if getattr(p.entry, k) is not None]
    if p.reason is not None:
        found.append(("reason", p.reason))
    return found


def _texts(p: CodePage) -> list[Text]:
    return [text for _, text in _named_texts(p)]


def _category_of(spec: Spec, code: int) -> Category | None:
    return next((c for c in spec.categories if c.low <= code <= c.high), None)


def _version_key(version: str) -> tuple[int, ...]:
    found = _SEMVER.fullmatch(version)
    return tuple(int(n) for n in found.groups()) if found else (-1, -1, -1)


def site_of(spec: Spec) -> Site:
    """The site's facts of a validated spec."""
    pages: list[CodePage] = [
        CodePage(e.code, e.name, "deprecated" if e.deprecated else "live", e, None, e.category)
        for e in spec.codes
    ]
    pages += [
        CodePage(r.code, r.name, "retired", None, r, _category_of(spec, r.code))
        for r in spec.retired
    ]
    pages.sort(key=lambda p: p.code)
    codes = [p.code for p in pages]
    linked = tuple(
        replace(
            p,
            previous=codes[i - 1] if i else None,
            next=codes[i + 1] if i + 1 < len(codes) else None,
        )
        for i, p in enumerate(pages)
    )
    return Site(
        spec,
        linked,
        _releases(spec),
        {p.code: p for p in linked},
        {lang: Words(site_words(lang, spec.fallback), spec.fallback) for lang in spec.locales},
    )


def _releases(spec: Spec) -> tuple[Release, ...]:
    """The changelog: each release the lifecycle fields name, newest first, with its codes."""
    found: dict[str, dict[str, list[int]]] = {}

    def note(version: str | None, kind: str, code: int) -> None:
        if version is not None:
            found.setdefault(version, {"added": [], "deprecated": [], "retired": []})
            found[version][kind].append(code)

    for e in spec.codes:
        note(e.introduced, "added", e.code)
        note(e.deprecated.since if e.deprecated else None, "deprecated", e.code)
    for r in spec.retired:
        note(r.since, "retired", r.code)
    ordered = sorted(found, key=lambda v: (_version_key(v), v), reverse=True)
    return tuple(
        Release(v, *(tuple(sorted(found[v][kind])) for kind in ("added", "deprecated", "retired")))
        for v in ordered
    )
