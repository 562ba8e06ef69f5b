"""The whole registry, validated, with every fact the templates read computed once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping
from urllib.parse import quote

from ..locales import Coverage
from .entries import (
    Category,
    CodeRange,
    Command,
    Envelope,
    ErrorEntry,
    ExceptionClass,
    Handler,
    Packages,
    Page,
    RetiredCode,
    Section,
    StatusClass,
    Text,
)

# The output groups, in the order the README lists them; go is written only for a spec that
# names packages.go, unless `outputs` says otherwise.
GROUPS = ("docs", "python", "js", "openapi", "snippets", "go")


@dataclass(frozen=True)
class Spec:
    """The whole registry, validated. An HTTP-only API has no WebSocket parts (envelope,
    path, key parameter, commands); a spec without a handler has no snippets."""

    locales: tuple[str, ...]
    """The spec's locales, the first the default."""
    fallback: str | None
    """The locale whose text a locale without one shows; None when every text is in every locale."""
    words: Mapping[str, Text]
    """The explain screen's fixed words by key, per locale."""
    coverage: tuple[Coverage, ...]
    """How many of the spec's texts each locale has (the rest show the fallback's)."""
    release: str
    """The SDK packages' version."""
    packages: Packages
    """The SDK packages' names."""
    outputs: tuple[str, ...]
    """The output groups it generates (of GROUPS)."""
    templates: str | None
    """The project's folder of template overrides, or None."""
    page: Page
    """The published page's settings and prose."""
    http_envelope: Envelope
    """The HTTP response envelope."""
    websocket_envelope: Envelope | None
    """The WebSocket message envelope; None for an HTTP-only API."""
    websocket_path: str | None
    """The WebSocket endpoint's path; None for an HTTP-only API."""
    api_key_param: str | None
    """The WebSocket URL's API key parameter; None for an HTTP-only API."""
    commands: tuple[Command, ...]
    """The WebSocket commands (none for an HTTP-only API)."""
    api_key_header: str
    """The HTTP header that carries the API key."""
    retry_after_header: str
    """The HTTP header that says how long to wait."""
    categories: tuple[Category, ...]
    """The categories, in order."""
    codes: tuple[ErrorEntry, ...]
    """Every live code, by code."""
    retired: tuple[RetiredCode, ...]
    """The retired codes, by code."""
    handler: Handler | None
    """The snippets' handler; None when the spec has none."""
    site_url: str | None = None
    """The reference site's address (`site.url`, no trailing "/"); when set, every doc URL
    is the code's page there. None when the spec has none."""
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
        """The URL of the entry's page on the site in `lang` when the spec has one, else of its
        section on the page in `lang` (the bare page when it has none); `entry.doc_url` is
        this in the doc URL locale."""
        if lang == self.page.doc_url_locale:
            return entry.doc_url
        if self.site_url is not None:
            return f"{self.site_url}/{lang}/errors/{entry.code}/"
        page = str(self.page.url[lang])
        if not entry.category.details:
            return page
        for section in self.sections(entry.category):
            if entry in section.entries:
                return page + "#" + quote(section.anchor(lang))
        return page

    def envelope_for(self, entry: ErrorEntry) -> Envelope:
        """The envelope that carries `entry`: WebSocket-only codes travel in the WebSocket one."""
        if entry.websocket_only and self.websocket_envelope is not None:
            return self.websocket_envelope
        return self.http_envelope

    @property
    def envelopes(self) -> tuple[Envelope, ...]:
        """The envelopes of the API's transports: HTTP's, and WebSocket's when it has one."""
        return (self.http_envelope,) + (
            (self.websocket_envelope,) if self.websocket_envelope is not None else ()
        )

    @property
    def transports(self) -> tuple[str, ...]:
        """The transports the API answers on: ("http",) or ("http", "websocket")."""
        return tuple(envelope.id for envelope in self.envelopes)

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

    @property
    def retired_replaced(self) -> bool:
        """Whether some retired code names the live code sent instead."""
        return any(r.replacement is not None for r in self.retired)

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

    @cached_property
    def code_ranges(self) -> tuple[CodeRange, ...]:
        """Every category's range, by its first code: the class and retryability an SDK gives
        a code it does not know (outside every range: ApiError, not retryable)."""
        return tuple(
            CodeRange(c.low, c.high, c.id, c.exception, c.retryable_default)
            for c in sorted(self.categories, key=lambda c: c.low)
        )

    def range_of(self, code: int) -> CodeRange | None:
        """The range `code` lies in, or None."""
        return next((r for r in self.code_ranges if r.low <= code <= r.high), None)

    @cached_property
    def server_category(self) -> Category | None:
        """The category a 5xx response that is not an envelope belongs to: the first whose
        codes sent over HTTP all have a 5xx status (None when no category is such)."""
        for c in self.categories:
            statuses = [e.http_status for e in self.in_category(c) if e.http_status is not None]
            if statuses and all(s >= 500 for s in statuses):
                return c
        return None

    @cached_property
    def status_classes(self) -> tuple[StatusClass, ...]:
        """The class of a response that is not an envelope, per HTTP status that the codes of
        a single category use (by status); any other 5xx takes `server_category`'s, any other
        status ApiError."""
        owners: dict[int, set[str]] = {}
        for e in self.errors:
            if e.http_status is not None:
                owners.setdefault(e.http_status, set()).add(e.category.id)
        by_id = {c.id: c for c in self.categories}
        rows = []
        for status, ids in sorted(owners.items()):
            if len(ids) == 1:
                owner = by_id[next(iter(ids))]
                rows.append(StatusClass(status, owner.exception, owner.retryable_default))
        return tuple(rows)

    def response_class(self, status: int) -> tuple[str, bool]:
        """(class, retryable) of a response with `status` whose body is not an envelope."""
        for row in self.status_classes:
            if row.status == status:
                return row.exception, row.retryable
        server = self.server_category
        if server is not None and 500 <= status <= 599:
            return server.exception, server.retryable_default
        return "ApiError", False

    @property
    def envelope_models(self) -> tuple[str, ...]:
        """The names of the Pydantic envelope models (and of the envelope types of the JS SDK)."""
        ws = ("WebSocketEnvelope",) if self.websocket_envelope is not None else ()
        return ("SuccessEnvelope", "ErrorEnvelope") + ws

    @cached_property
    def python_exports(self) -> tuple[str, ...]:
        """Every name the Python package's __init__ exports (its __all__), in order."""
        return (
            ("RETIRED_CODES", "ErrorCode", "ErrorInfo", "RAW_LIMIT", "ApiError")
            + tuple(c.name for c in self.exception_classes)
            + ("parse_retry_after", "raise_for_envelope", "raise_for_response")
            + self.envelope_models
        )

    @property
    def retired_doc_url(self) -> str:
        """The doc_url of a retired code: the page (in the doc URL locale), which lists it."""
        return str(self.page.url[self.page.doc_url_locale])

    @property
    def go_module(self) -> str:
        """The Go module path: packages.go, with /vN for a release of major version N >= 2
        (Go's import compatibility rule)."""
        major = int(self.release.split(".")[0])
        return self.packages.go + (f"/v{major}" if major >= 2 else "")

    @property
    def go_package(self) -> str:
        """The Go package name: the last element of packages.go, letters and digits only."""
        last = self.packages.go.rsplit("/", 1)[-1].lower()
        return "".join(ch for ch in last if ch.isascii() and ch.isalnum())

    def exception_index(self, name: str) -> int:
        """The place of an exception class among `exception_classes`, from 1; 0 for ApiError."""
        for i, cls in enumerate(self.exception_classes, 1):
            if cls.name == name:
                return i
        return 0

    def range_exception(self, code: int) -> str:
        """The class of the range `code` lies in (ApiError outside every range)."""
        found = self.range_of(code)
        return found.exception if found else "ApiError"

    @cached_property
    def go_codes(self) -> tuple[tuple[ErrorEntry, str, int], ...]:
        """Every live code for the Go package: (entry, its constant's name, the index of its
        class in `exception_classes`, from 1; 0 for ApiError)."""
        index = {cls.name: i for i, cls in enumerate(self.exception_classes, 1)}
        return tuple(
            (e, "Code" + _go_name(e.name), index.get(e.category.exception, 0)) for e in self.codes
        )


def _go_name(name: str) -> str:
    """RATE_LIMIT_EXCEEDED -> RateLimitExceeded (filters.go_name, which templates use)."""
    return "".join(part[:1].upper() + part[1:].lower() for part in name.split("_"))
