"""The parts of the spec as typed, immutable objects: texts, envelopes, categories, codes,
page sections, retired codes, the handler and the page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from .anchors import DEFAULT, RENDERERS, code_id

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
# black's line length, which every generated Python file follows.
PYTHON_LINE_LENGTH = 88
# The TypeScript type of an envelope field, by the spec's field type (`object`: the payload).
_TS_TYPES = {"integer": "number", "string": "string", "object": "T"}


@dataclass(frozen=True)
class Text:
    """A text in every configured locale."""

    values: tuple[tuple[str, Any], ...]
    """(locale, text) pairs; read a locale's text as text[lang], a string or (list-valued prose) a tuple of strings."""
    fallbacks: frozenset[str] = frozenset()
    """The locales whose text is the fallback locale's (the spec has none of their own)."""

    def falls_back(self, lang: str) -> bool:
        """Whether the text in `lang` is the fallback locale's."""
        return lang in self.fallbacks

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
    """One field of an envelope."""

    name: str
    """The field's name in the envelope."""
    type: str
    """integer, string or object (the payload)."""
    required: bool
    """Whether every envelope carries it."""
    description: Text
    """What the field holds, per locale."""
    example: Any = None
    """The value shown in the page's response format (None for none)."""
    elided: bool = False
    """Shown as { ... } in the response format."""

    @property
    def ts_type(self) -> str:
        """The field's TypeScript type; the payload is the envelope's type parameter T."""
        return _TS_TYPES[self.type]


@dataclass(frozen=True)
class Envelope:
    """The body every call is answered with, on one transport."""

    id: str
    """http or websocket."""
    title: Text
    """The envelope's heading on the page, per locale."""
    fields: tuple[Field, ...]
    """Its fields, in order."""

    @property
    def names(self) -> tuple[str, ...]:
        """Every field's name, in order."""
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        """The names of the required fields, in order."""
        return tuple(f.name for f in self.fields if f.required)

    def field(self, name: str) -> Field:
        """The field called `name`; KeyError when the envelope has none."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class Category:
    """A range of codes, with the SDK exception class raised for them."""

    id: str
    """The category's id, as codes name it."""
    low: int
    """The first code of its range."""
    high: int
    """The last code of its range."""
    label: str
    """How the page labels the range (1xxx)."""
    exception: str
    """The SDK exception class raised for its codes."""
    title: Text
    """Its heading on the page, per locale."""
    details: bool = True
    """Whether the page has a details section for it."""
    index: int = field(default=-1, compare=False, repr=False)
    """Its place in the spec's list of categories."""
    retryable_default: bool = False
    """Whether a code of its range that the SDKs do not know is retryable (and reads Retry-After)."""


@dataclass(frozen=True)
class Deprecation:
    """A code still sent but on its way out."""

    since: str
    """The release it was deprecated in."""
    reason: Text
    """Why, per locale."""
    replacement: int | None = None
    """The live code to use instead, or None."""


@dataclass(frozen=True)
class ErrorEntry:
    """One live code."""

    code: int
    """The code."""
    name: str
    """Its UPPER_SNAKE name (the SDKs' enum member)."""
    category: Category
    """Its category."""
    message: str
    """The wire message the API sends with it."""
    transports: tuple[str, ...]
    """The transports that carry it: http, websocket."""
    meaning: Text
    """What it means, per locale."""
    example: Mapping[str, Any]
    """The envelope shown on the page for it (fields of its envelope only)."""
    doc_url: str = ""
    """The URL of its section of the page, in the doc URL locale."""
    http_status: int | None = None
    """The HTTP status sent with it; None when it is never sent over HTTP."""
    retryable: bool = False
    """Whether the same call may succeed when retried."""
    retry_after: bool = False
    """Whether the Retry-After header gives the wait."""
    shares_section_with: int | None = None
    """The code whose page section it shares, or None."""
    suggestion: Text | None = None
    """What to do, per locale (the quick reference's column), or None."""
    section_title: Text | None = None
    """The heading of its page section, per locale, instead of its meaning; or None."""
    causes: Text | None = None
    """Why it happens, per locale, or None."""
    solution: Text | None = None
    """How to fix it, per locale, or None."""
    notes: Text | None = None
    """A note for the page, per locale, or None."""
    introduced: str | None = None
    """The release it first appeared in, or None when the spec does not say."""
    deprecated: Deprecation | None = None
    """Since when, why and for what it is on its way out; None for a code in good standing."""
    index: int = field(default=-1, compare=False, repr=False)
    """Its place in the spec's list of codes."""

    @property
    def websocket_only(self) -> bool:
        """True when the code is never sent over HTTP."""
        return "http" not in self.transports


@dataclass(frozen=True)
class Section:
    """One `####` section of the page; several codes may share it."""

    entries: tuple[ErrorEntry, ...]
    """The codes the section describes; the first leads it."""
    renderer: str = DEFAULT
    """The Markdown renderer the page is published with (page.renderer)."""

    @property
    def codes(self) -> tuple[int, ...]:
        """The codes the section describes, in order."""
        return tuple(e.code for e in self.entries)

    @property
    def lead(self) -> ErrorEntry:
        """The code whose texts the section shows."""
        return self.entries[0]

    def heading(self, lang: str) -> str:
        """The section's heading text in `lang`."""
        title: str = (self.lead.section_title or self.lead.meaning)[lang]
        return " / ".join(str(e.code) for e in self.entries) + " - " + title

    @property
    def heading_id(self) -> str:
        """The explicit id the page writes after the heading ({#code-3001}); "" for a
        renderer that reads none (its slug of the heading is the anchor)."""
        return code_id(self.lead.code) if RENDERERS[self.renderer].explicit_ids else ""

    def anchor(self, lang: str) -> str:
        """The fragment the page's renderer gives the heading: its explicit id, else the
        renderer's slug of the heading text."""
        return self.heading_id or RENDERERS[self.renderer].slug(self.heading(lang))


@dataclass(frozen=True)
class RetiredCode:
    """A code no longer sent; it is never reused."""

    code: int
    """The code, never to be reused."""
    name: str
    """Its name, never to be reused."""
    reason: Text
    """Why it was retired, per locale."""
    since: str
    """The release it was retired in."""
    replacement: int | None = None
    """The live code sent instead, or None."""
    index: int = field(default=-1, compare=False, repr=False)
    """Its place in the spec's list of retired codes."""


@dataclass(frozen=True)
class Case:
    """One case of the handler snippets: the codes it handles and what it does."""

    codes: tuple[int, ...]
    """The codes the case handles."""
    action: str
    """raise or retry."""
    message: Text
    """What the snippet says, per locale, with {placeholders}."""
    default_delay: int | None = None
    """Seconds a retry waits without a Retry-After header; None for raise."""


@dataclass(frozen=True)
class Handler:
    """The function the page's snippets show."""

    function: str
    """The snippet function's name (snake_case; camelCase in JavaScript)."""
    endpoint: str
    """The path the snippet calls, with {placeholders}."""
    cases: tuple[Case, ...]
    """The cases, in order."""
    default: str
    """What the snippet does with any other code."""
    base_url: str = "https://api.example.com"
    """Where the snippet's requests go by default."""


@dataclass(frozen=True)
class Command:
    """A WebSocket command."""

    name: str
    """The WebSocket command."""
    description: Text
    """What it does, per locale."""


@dataclass(frozen=True)
class Page:
    """The published page's settings and prose."""

    url: Text
    """The page's URL, per locale."""
    doc_url_locale: str
    """The locale every doc_url points to."""
    title: Text
    """The page's title, per locale."""
    description: Text | None
    """Its description (front matter), per locale, or None."""
    intro: Text | None
    """Its opening paragraph, per locale, or None."""
    closing: Text | None
    """Its closing line, per locale, or None."""
    colon: Text
    """What follows a bold label, per locale."""
    labels: Mapping[str, Text]
    """The page's fixed words by key (causes, solution, ...), per locale."""
    renderer: str = DEFAULT
    """The Markdown renderer the page is published with: github, vitepress, mkdocs, docusaurus."""

    @property
    def own_h1(self) -> bool:
        """Whether the page carries its title as an h1 (its renderer shows none)."""
        return RENDERERS[self.renderer].own_h1


@dataclass(frozen=True)
class ExceptionClass:
    """One SDK exception class other than ApiError: what it is raised for."""

    name: str
    """The class name."""
    docstring: str
    """Its docstring: the first category's title and label."""
    codes: tuple[int, ...]
    """The codes it is raised for."""

    @property
    def header_fits(self) -> bool:
        """Whether `class NAME(ApiError):` fits on one line of generated Python."""
        return len(f"class {self.name}(ApiError):") <= PYTHON_LINE_LENGTH


@dataclass(frozen=True)
class CodeRange:
    """A category's range as the SDKs classify codes they do not know."""

    low: int
    """The first code of the range."""
    high: int
    """The last code of the range."""
    category: str
    """The category's id."""
    exception: str
    """The class raised for a code of the range (ApiError for the success category)."""
    retryable: bool
    """Whether an unknown code of the range is retryable and reads Retry-After."""


@dataclass(frozen=True)
class StatusClass:
    """The class a response that is not an envelope raises, by its HTTP status."""

    status: int
    """An HTTP status some codes are sent with."""
    exception: str
    """The class of the only category whose codes use that status."""
    retryable: bool
    """The category's retryable_default."""


@dataclass(frozen=True)
class Packages:
    """The SDK packages' names: the Python import name and the npm package name."""

    python: str = ""
    """The Python package's import name ("" when the spec names none)."""
    npm: str = ""
    """The npm package's name ("" when the spec names none)."""
    go: str = ""
    """The Go module's path before its major version suffix ("" when the spec names none)."""
    license: str = ""
    """The packages' SPDX license expression ("" when the spec names none)."""
    classifiers: tuple[str, ...] = ()
    """The Python package's trove classifiers."""

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> "Packages":
        """The packages of the spec: each a name, or an object with its name and metadata."""
        python, npm = raw.get("python", ""), raw.get("npm", "")
        py = python if isinstance(python, Mapping) else {"name": python}
        js = npm if isinstance(npm, Mapping) else {"name": npm}
        return cls(
            python=py["name"],
            npm=js["name"],
            go=raw.get("go", ""),
            license=py.get("license") or js.get("license") or "",
            classifiers=tuple(py.get("classifiers", ())),
        )

    @property
    def python_distribution(self) -> str:
        """The Python distribution (wheel) name."""
        return self.python.replace("_", "-")
