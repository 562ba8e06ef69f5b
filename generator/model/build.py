"""Stage: the frozen Spec, built from data that passed the schema and the rules."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping
from urllib.parse import quote

from .entries import (
    Case,
    Category,
    Command,
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


def _envelope(id: str, raw: Mapping[str, Any]) -> Envelope:
    fields = tuple(
        Field(
            f["name"],
            f["type"],
            f["required"],
            Text.of(f["description"]),
            f.get("example"),
            f.get("elided", False),
        )
        for f in raw["fields"]
    )
    return Envelope(id, Text.of(raw["title"]), fields)


def _group(entries: tuple[ErrorEntry, ...]) -> tuple[Section, ...]:
    groups: dict[int, list[ErrorEntry]] = {}
    for e in entries:
        groups.setdefault(e.shares_section_with or e.code, []).append(e)
    return tuple(Section(tuple(g)) for g in groups.values())


def build_spec(data: Mapping[str, Any]) -> Spec:
    """Turn schema-valid, rule-checked data into a Spec."""
    t = Text.of
    page_raw = data["page"]
    page = Page(
        url=t(page_raw["url"]),
        doc_url_locale=page_raw["doc_url_locale"],
        title=t(page_raw["title"]),
        description=Text.maybe(page_raw.get("description")),
        intro=Text.maybe(page_raw.get("intro")),
        closing=Text.maybe(page_raw.get("closing")),
        colon=t(page_raw["colon"]),
        labels={k: t(v) for k, v in page_raw["labels"].items()},
    )
    http_env = _envelope("http", data["envelopes"]["http"])
    ws_raw = data["envelopes"].get("websocket")
    ws_env = None if ws_raw is None else _envelope("websocket", ws_raw)
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
        )
        for i, c in enumerate(data["categories"])
    )
    by_id = {c.id: c for c in categories}
    entries = []
    for index, raw in sorted(enumerate(data["codes"]), key=lambda item: item[1]["code"]):
        env = ws_env if "http" not in raw["transports"] and ws_env else http_env
        example = {name: raw["example"][name] for name in env.names if name in raw["example"]}
        entries.append(
            ErrorEntry(
                code=raw["code"],
                name=raw["name"],
                category=by_id[raw["category"]],
                message=raw["message"],
                transports=tuple(raw["transports"]),
                meaning=t(raw["meaning"]),
                example=example,
                http_status=raw.get("http_status"),
                retryable=raw.get("retryable", False),
                retry_after=raw.get("retry_after", False),
                shares_section_with=raw.get("shares_section_with"),
                suggestion=Text.maybe(raw.get("suggestion")),
                section_title=Text.maybe(raw.get("section_title")),
                causes=Text.maybe(raw.get("causes")),
                solution=Text.maybe(raw.get("solution")),
                notes=Text.maybe(raw.get("notes")),
                index=index,
            )
        )
    codes, sections = _sections_and_doc_urls(page, categories, entries)
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
        locales=tuple(data["locales"]),
        release=data["release"],
        packages=Packages(**data.get("packages", {})),
        outputs=tuple(data.get("outputs", GROUPS)),
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
            RetiredCode(r["code"], r["name"], t(r["reason"]), str(r["since"]), index=i)
            for i, r in sorted(enumerate(data.get("retired", [])), key=lambda item: item[1]["code"])
        ),
        handler=handler,
        _sections=sections,
        _by_code={e.code: e for e in codes},
    )


def _sections_and_doc_urls(
    page: Page, categories: tuple[Category, ...], entries: list[ErrorEntry]
) -> tuple[tuple[ErrorEntry, ...], dict[str, tuple[Section, ...]]]:
    """Every entry with the URL of its page section in the doc URL locale (the bare page for
    codes without one), and each category's sections."""
    lang = page.doc_url_locale
    by_category: dict[str, list[ErrorEntry]] = {c.id: [] for c in categories}
    for e in entries:
        by_category[e.category.id].append(e)
    grouped = {cid: _group(tuple(es)) for cid, es in by_category.items()}
    anchors = {
        e.code: section.anchor(lang)
        for c in categories
        if c.details
        for section in grouped[c.id]
        for e in section.entries
    }
    urls = {
        e.code: replace(
            e, doc_url=page.url[lang] + ("#" + quote(anchors[e.code]) if e.code in anchors else "")
        )
        for e in entries
    }
    sections = {
        cid: tuple(Section(tuple(urls[e.code] for e in s.entries)) for s in secs)
        for cid, secs in grouped.items()
    }
    return tuple(urls[e.code] for e in entries), sections
