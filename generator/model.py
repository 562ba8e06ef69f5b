"""The spec as typed, immutable objects: what every template reads."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Mapping
from urllib.parse import quote

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


@dataclass(frozen=True)
class Text:
    """A text in every configured locale."""

    values: tuple[tuple[str, Any], ...]

    def __getitem__(self, lang: str) -> Any:
        """The text in `lang`: a string, or a tuple of strings for list-valued prose."""
        for key, value in self.values:
            if key == lang:
                return value
        raise KeyError(lang)

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> "Text":
        """A required localized field."""
        return cls(tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in raw.items()))

    @classmethod
    def maybe(cls, raw: Mapping[str, Any] | None) -> "Text | None":
        """An optional localized field."""
        return None if raw is None else cls.of(raw)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: Text
    example: Any = None
    elided: bool = False


@dataclass(frozen=True)
class Envelope:
    id: str
    title: Text
    fields: tuple[Field, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


@dataclass(frozen=True)
class Category:
    id: str
    low: int
    high: int
    label: str
    exception: str
    title: Text
    details: bool = True


@dataclass(frozen=True)
class ErrorEntry:
    code: int
    name: str
    category: Category
    message: str
    transports: tuple[str, ...]
    meaning: Text
    example: Mapping[str, Any]
    doc_url: str = ""
    http_status: int | None = None
    retryable: bool = False
    retry_after: bool = False
    shares_section_with: int | None = None
    suggestion: Text | None = None
    section_title: Text | None = None
    causes: Text | None = None
    solution: Text | None = None
    notes: Text | None = None

    @property
    def websocket_only(self) -> bool:
        return "http" not in self.transports


@dataclass(frozen=True)
class Section:
    """One `####` section of the page; several codes may share it."""

    entries: tuple[ErrorEntry, ...]

    @property
    def lead(self) -> ErrorEntry:
        return self.entries[0]

    def heading(self, lang: str) -> str:
        title: str = (self.lead.section_title or self.lead.meaning)[lang]
        return " / ".join(str(e.code) for e in self.entries) + " - " + title

    def anchor(self, lang: str) -> str:
        """The fragment a GitHub-style Markdown renderer gives the heading."""
        text = self.heading(lang).strip().lower()
        kept = "".join(ch for ch in text if ch in " -_" or unicodedata.category(ch)[0] in "LNM")
        return kept.replace(" ", "-")


@dataclass(frozen=True)
class RetiredCode:
    code: int
    name: str
    reason: Text
    since: str


@dataclass(frozen=True)
class Case:
    codes: tuple[int, ...]
    action: str
    message: Text
    default_delay: int | None = None


@dataclass(frozen=True)
class Handler:
    function: str
    endpoint: str
    cases: tuple[Case, ...]
    default: str
    base_url: str = "https://api.example.com"


@dataclass(frozen=True)
class Command:
    name: str
    description: Text


@dataclass(frozen=True)
class Page:
    url: Text
    doc_url_locale: str
    title: Text
    description: Text
    intro: Text
    closing: Text
    colon: Text
    labels: Mapping[str, Text]


@dataclass(frozen=True)
class ExceptionClass:
    """One SDK exception class other than ApiError: what it is raised for."""

    name: str
    docstring: str
    codes: tuple[int, ...]


@dataclass(frozen=True)
class Packages:
    """The SDK packages' names: the Python import name and the npm package name."""

    python: str
    npm: str

    @property
    def python_distribution(self) -> str:
        """The Python distribution (wheel) name."""
        return self.python.replace("_", "-")


@dataclass(frozen=True)
class Spec:
    """The whole registry, validated."""

    locales: tuple[str, ...]
    release: str
    packages: Packages
    page: Page
    http_envelope: Envelope
    websocket_envelope: Envelope
    websocket_path: str
    api_key_param: str
    commands: tuple[Command, ...]
    api_key_header: str
    retry_after_header: str
    categories: tuple[Category, ...]
    codes: tuple[ErrorEntry, ...]
    retired: tuple[RetiredCode, ...]
    handler: Handler
    _sections: Mapping[str, tuple[Section, ...]] = field(default_factory=dict)
    _by_code: Mapping[int, ErrorEntry] = field(default_factory=dict)

    @property
    def errors(self) -> tuple[ErrorEntry, ...]:
        """Every code but success."""
        return tuple(e for e in self.codes if e.code != 0)

    def entry(self, code: int) -> ErrorEntry:
        """The entry of `code`; KeyError when the spec has none."""
        return self._by_code[code]

    def in_category(self, category: Category) -> tuple[ErrorEntry, ...]:
        """The category's codes, in order."""
        return tuple(e for e in self.codes if e.category.id == category.id)

    def sections(self, category: Category) -> tuple[Section, ...]:
        """The category's page sections, in order."""
        return self._sections.get(category.id, ())

    @cached_property
    def exception_classes(self) -> tuple[ExceptionClass, ...]:
        """Every exception class but ApiError, in category order, with the codes it is raised
        for; the docstring is the first category's title and label in the doc URL locale."""
        lang = self.page.doc_url_locale
        firsts: dict[str, Category] = {}
        codes: dict[str, list[int]] = {}
        for c in self.categories:
            if c.exception != "ApiError":
                firsts.setdefault(c.exception, c)
                codes.setdefault(c.exception, [])
        for e in self.codes:
            if e.category.exception in codes:
                codes[e.category.exception].append(e.code)
        return tuple(
            ExceptionClass(name, f"{c.title[lang]} (codes {c.label}).", tuple(codes[name]))
            for name, c in firsts.items()
        )

    def envelope_for(self, entry: ErrorEntry) -> Envelope:
        """The envelope that carries `entry`: WebSocket-only codes travel in the WebSocket one."""
        return self.websocket_envelope if entry.websocket_only else self.http_envelope


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


def build(data: Mapping[str, Any]) -> Spec:
    """Turn schema-valid, rule-checked data into a Spec."""
    t = Text.of
    page_raw = data["page"]
    page = Page(
        url=t(page_raw["url"]),
        doc_url_locale=page_raw["doc_url_locale"],
        title=t(page_raw["title"]),
        description=t(page_raw["description"]),
        intro=t(page_raw["intro"]),
        closing=t(page_raw["closing"]),
        colon=t(page_raw["colon"]),
        labels={k: t(v) for k, v in page_raw["labels"].items()},
    )
    http_env = _envelope("http", data["envelopes"]["http"])
    ws_env = _envelope("websocket", data["envelopes"]["websocket"])
    categories = tuple(
        Category(
            c["id"],
            c["range"][0],
            c["range"][1],
            c["label"],
            c["exception"],
            t(c["title"]),
            c.get("details", True),
        )
        for c in data["categories"]
    )
    by_id = {c.id: c for c in categories}
    entries = []
    for raw in sorted(data["codes"], key=lambda r: r["code"]):
        env = ws_env if "http" not in raw["transports"] else http_env
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
            )
        )
    codes, sections = _sections_and_doc_urls(page, categories, entries)
    ws = data["websocket"]
    handler_raw = data["handler"]
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
        packages=Packages(**data["packages"]),
        page=page,
        http_envelope=http_env,
        websocket_envelope=ws_env,
        websocket_path=ws["path"],
        api_key_param=ws["api_key_param"],
        commands=tuple(Command(c["name"], t(c["description"])) for c in ws["commands"]),
        api_key_header=data["http"]["api_key_header"],
        retry_after_header=data["http"]["retry_after_header"],
        categories=categories,
        codes=codes,
        retired=tuple(
            RetiredCode(r["code"], r["name"], t(r["reason"]), str(r["since"]))
            for r in sorted(data.get("retired", []), key=lambda r: r["code"])
        ),
        handler=handler,
        _sections=sections,
        _by_code={e.code: e for e in codes},
    )


def _sections_and_doc_urls(
    page: Page, categories: tuple[Category, ...], entries: list[ErrorEntry]
) -> tuple[tuple[ErrorEntry, ...], dict[str, tuple[Section, ...]]]:
    """Every entry with the URL of its page section (the bare page for codes without one),
    and each category's sections."""
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
