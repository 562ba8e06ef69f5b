"""The whole registry, validated, with every fact the templates read computed once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping
from urllib.parse import quote

from .entries import (
    Category,
    Command,
    Envelope,
    ErrorEntry,
    ExceptionClass,
    Handler,
    Packages,
    Page,
    RetiredCode,
    Section,
)


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

    def doc_url(self, entry: ErrorEntry, lang: str) -> str:
        """The URL of the entry's section on the page in `lang` (the bare page when it has
        none); `entry.doc_url` is this in the doc URL locale."""
        if lang == self.page.doc_url_locale:
            return entry.doc_url
        page = str(self.page.url[lang])
        if not entry.category.details:
            return page
        for section in self.sections(entry.category):
            if entry in section.entries:
                return page + "#" + quote(section.anchor(lang))
        return page

    def envelope_for(self, entry: ErrorEntry) -> Envelope:
        """The envelope that carries `entry`: WebSocket-only codes travel in the WebSocket one."""
        return self.websocket_envelope if entry.websocket_only else self.http_envelope

    @cached_property
    def code_numbers(self) -> tuple[int, ...]:
        """Every live code, in order: the members of ErrorCode."""
        return tuple(e.code for e in self.codes)

    @cached_property
    def code_names(self) -> tuple[str, ...]:
        """The names of `code_numbers`, in the same order."""
        return tuple(e.name for e in self.codes)

    @cached_property
    def code_messages(self) -> tuple[str, ...]:
        """The wire messages of `code_numbers`, in the same order."""
        return tuple(e.message for e in self.codes)

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
