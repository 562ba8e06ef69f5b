"""Stage: the frozen Spec, built from data that passed the schema and the rules."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping
from urllib.parse import quote

from ..locales import coverage
from ..words import EXPLAIN, LABELS, built_in, needed, parts_of

from .anchors import DEFAULT
from .entries import (
    Case,
    Category,
    Command,
    Deprecation,
    Envelope,
    ErrorEntry,
    Field,
    Handler,
    Packages,
    Page,
    RetiredCode,
    Section,
    Text,
)
from .spec import GROUPS, Spec


class Localizer:
    """Texts in every locale of the spec: the spec's own, else (with a fallback locale) the
    fallback's; fixed words also from errspec's own for the locales it knows (words.py)."""

    def __init__(self, locales: tuple[str, ...], fallback: str | None) -> None:
        self.locales, self.fallback = locales, fallback

    def text(self, raw: Mapping[str, Any]) -> Text:
        """A localized field of the spec (the rules made sure every locale has a text, or
        the fallback does)."""
        values, fallbacks = [], []
        for lang in self.locales:
            value = raw.get(lang)
            if value is None:
                assert self.fallback is not None, lang
                fallbacks.append(lang)
                value = raw[self.fallback]
            values.append((lang, tuple(value) if isinstance(value, list) else value))
        return Text(tuple(values), frozenset(fallbacks))

    def maybe(self, raw: Mapping[str, Any] | None) -> Text | None:
        """An optional localized field."""
        return None if raw is None else self.text(raw)

    def word(self, kind: str, key: str, raw: Mapping[str, Any] | None) -> Text:
        """A fixed word: the spec's, else errspec's own in that locale, else the fallback's."""
        raw = raw or {}
        values, fallbacks = [], []
        for lang in self.locales:
            found = raw.get(lang) or built_in(kind, key, lang)
            if found is None and self.fallback is not None:
                found = raw.get(self.fallback) or built_in(kind, key, self.fallback)
                fallbacks.append(lang)
            if found is None:
                raise KeyError(f"{kind}.{key}[{lang}]")  # words_are_complete reports it
            values.append((lang, found))
        return Text(tuple(values), frozenset(fallbacks))

    def words(
        self, kind: str, keys: tuple[str, ...], written: Mapping[str, Any], parts: frozenset[str]
    ) -> dict[str, Text]:
        """The fixed words `keys` of `kind`: every one the outputs of a spec with `parts` show,
        and each other one that exists in every locale."""
        found = {}
        for key in keys:
            try:
                found[key] = self.word(kind, key, written.get(key))
            except KeyError:
                if needed(kind, key, parts):
                    raise
        return found


def _envelope(id: str, raw: Mapping[str, Any], loc: Localizer) -> Envelope:
    fields = tuple(
        Field(
            f["name"],
            f["type"],
            f["required"],
            loc.text(f["description"]),
            f.get("example"),
            f.get("elided", False),
        )
        for f in raw["fields"]
    )
    return Envelope(id, loc.text(raw["title"]), fields)


def _deprecation(raw: Mapping[str, Any] | None, loc: Localizer) -> Deprecation | None:
    if raw is None:
        return None
    return Deprecation(str(raw["since"]), loc.text(raw["reason"]), raw.get("replacement"))


def _group(entries: tuple[ErrorEntry, ...], renderer: str) -> tuple[Section, ...]:
    groups: dict[int, list[ErrorEntry]] = {}
    for e in entries:
        groups.setdefault(e.shares_section_with or e.code, []).append(e)
    return tuple(Section(tuple(g), renderer) for g in groups.values())


def transports_of(raw: Mapping[str, Any]) -> tuple[str, ...]:
    """A code's transports: as its entry names them, HTTP alone when it names none (only an
    API without WebSocket may leave them out: rules.transports_are_named_with_websocket)."""
    return tuple(raw.get("transports", ("http",)))


def build_spec(data: Mapping[str, Any]) -> Spec:
    """Turn schema-valid, rule-checked data into a Spec."""
    locales = tuple(data["locales"])
    loc = Localizer(locales, data.get("fallback"))
    parts = parts_of(data)
    t, maybe = loc.text, loc.maybe
    page_raw = data["page"]
    page = Page(
        url=t(page_raw["url"]),
        doc_url_locale=page_raw["doc_url_locale"],
        title=t(page_raw["title"]),
        description=maybe(page_raw.get("description")),
        intro=maybe(page_raw.get("intro")),
        closing=maybe(page_raw.get("closing")),
        colon=loc.word("colon", "colon", page_raw.get("colon")),
        labels=loc.words("labels", LABELS, page_raw.get("labels") or {}, parts),
        renderer=page_raw.get("renderer", DEFAULT),
    )
    site_url = (data.get("site") or {}).get("url")
    http_env = _envelope("http", data["envelopes"]["http"], loc)
    ws_raw = data["envelopes"].get("websocket")
    ws_env = None if ws_raw is None else _envelope("websocket", ws_raw, loc)
    categories = tuple(
        Category(
            c["id"],
            c["range"][0],
            c["range"][1],
            c["label"],
            c["exception"],
            t(c["title"]),
            c.get("details", True),
            index=i,
            retryable_default=c.get("retryable_default", False),
        )
        for i, c in enumerate(data["categories"])
    )
    by_id = {c.id: c for c in categories}
    entries = []
    for index, raw in sorted(enumerate(data["codes"]), key=lambda item: item[1]["code"]):
        transports = transports_of(raw)
        env = ws_env if "http" not in transports and ws_env else http_env
        example = {name: raw["example"][name] for name in env.names if name in raw["example"]}
        entries.append(
            ErrorEntry(
                code=raw["code"],
                name=raw["name"],
                category=by_id[raw["category"]],
                message=raw["message"],
                transports=transports,
                meaning=t(raw["meaning"]),
                example=example,
                http_status=raw.get("http_status"),
                retryable=raw.get("retryable", False),
                retry_after=raw.get("retry_after", False),
                shares_section_with=raw.get("shares_section_with"),
                suggestion=maybe(raw.get("suggestion")),
                section_title=maybe(raw.get("section_title")),
                causes=maybe(raw.get("causes")),
                solution=maybe(raw.get("solution")),
                notes=maybe(raw.get("notes")),
                introduced=raw.get("introduced"),
                deprecated=_deprecation(raw.get("deprecated"), loc),
                index=index,
            )
        )
    codes, sections = _sections_and_doc_urls(page, categories, entries, site_url)
    ws = data.get("websocket")
    handler_raw = data.get("handler")
    handler = None
    if handler_raw is not None:
        handler = Handler(
            handler_raw["function"],
            handler_raw["endpoint"],
            tuple(
                Case(tuple(c["codes"]), c["action"], t(c["message"]), c.get("default_delay"))
                for c in handler_raw["cases"]
            ),
            handler_raw["default"],
            handler_raw.get("base_url", Handler.base_url),
        )
    return Spec(
        locales=locales,
        fallback=data.get("fallback"),
        coverage=coverage(data),
        words=loc.words("words", EXPLAIN, data.get("words") or {}, parts),
        release=data["release"],
        packages=Packages.of(data.get("packages", {})),
        outputs=tuple(
            data.get(
                "outputs", [g for g in GROUPS if g != "go" or data.get("packages", {}).get("go")]
            )
        ),
        templates=data.get("templates"),
        page=page,
        http_envelope=http_env,
        websocket_envelope=ws_env,
        websocket_path=None if ws is None else ws["path"],
        api_key_param=None if ws is None else ws["api_key_param"],
        commands=(
            ()
            if ws is None
            else tuple(Command(c["name"], t(c["description"])) for c in ws["commands"])
        ),
        api_key_header=data["http"]["api_key_header"],
        retry_after_header=data["http"]["retry_after_header"],
        categories=categories,
        codes=codes,
        retired=tuple(
            RetiredCode(
                r["code"], r["name"], t(r["reason"]), str(r["since"]), r.get("replacement"), index=i
            )
            for i, r in sorted(enumerate(data.get("retired", [])), key=lambda item: item[1]["code"])
        ),
        handler=handler,
        site_url=site_url,
        _sections=sections,
        _by_code={e.code: e for e in codes},
    )


def _sections_and_doc_urls(
    page: Page,
    categories: tuple[Category, ...],
    entries: list[ErrorEntry],
    site_url: str | None = None,
) -> tuple[tuple[ErrorEntry, ...], dict[str, tuple[Section, ...]]]:
    """Every entry with its doc URL in the doc URL locale: its page on the site when the spec
    has one (`site.url`), else its page section (the bare page for codes without one); and
    each category's sections."""
    lang = page.doc_url_locale
    by_category: dict[str, list[ErrorEntry]] = {c.id: [] for c in categories}
    for e in entries:
        by_category[e.category.id].append(e)
    grouped = {cid: _group(tuple(es), page.renderer) for cid, es in by_category.items()}
    anchors = {
        e.code: section.anchor(lang)
        for c in categories
        if c.details
        for section in grouped[c.id]
        for e in section.entries
    }

    def url(e: ErrorEntry) -> str:
        if site_url is not None:
            return site_page(site_url, lang, e.code)
        return str(page.url[lang]) + ("#" + quote(anchors[e.code]) if e.code in anchors else "")

    urls = {e.code: replace(e, doc_url=url(e)) for e in entries}
    sections = {
        cid: tuple(Section(tuple(urls[e.code] for e in s.entries), s.renderer) for s in secs)
        for cid, secs in grouped.items()
    }
    return tuple(urls[e.code] for e in entries), sections


def site_page(site_url: str, lang: str, code: int) -> str:
    """The URL of a code's page on the site, in `lang`."""
    return f"{site_url}/{lang}/errors/{code}/"
