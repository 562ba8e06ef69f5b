"""The parts of the spec as typed, immutable objects: texts, envelopes, categories, codes,
page sections, retired codes, the handler and the page."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Mapping

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
# black's line length, which every generated Python file follows.
PYTHON_LINE_LENGTH = 88
# The TypeScript type of an envelope field, by the spec's field type (`object`: the payload).
_TS_TYPES = {"integer": "number", "string": "string", "object": "T"}


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
    """One field of an envelope."""

    name: str
    type: str
    required: bool
    description: Text
    example: Any = None
    elided: bool = False

    @property
    def ts_type(self) -> str:
        """The field's TypeScript type; the payload is the envelope's type parameter T."""
        return _TS_TYPES[self.type]


@dataclass(frozen=True)
class Envelope:
    """The body every call is answered with, on one transport."""

    id: str
    title: Text
    fields: tuple[Field, ...]

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
    low: int
    high: int
    label: str
    exception: str
    title: Text
    details: bool = True
    index: int = field(default=-1, compare=False, repr=False)  # its place in the spec's list


@dataclass(frozen=True)
class ErrorEntry:
    """One live code."""

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
    index: int = field(default=-1, compare=False, repr=False)  # its place in the spec's list

    @property
    def websocket_only(self) -> bool:
        """True when the code is never sent over HTTP."""
        return "http" not in self.transports


@dataclass(frozen=True)
class Section:
    """One `####` section of the page; several codes may share it."""

    entries: tuple[ErrorEntry, ...]

    @property
    def lead(self) -> ErrorEntry:
        """The code whose texts the section shows."""
        return self.entries[0]

    def heading(self, lang: str) -> str:
        """The section's heading text in `lang`."""
        title: str = (self.lead.section_title or self.lead.meaning)[lang]
        return " / ".join(str(e.code) for e in self.entries) + " - " + title

    def anchor(self, lang: str) -> str:
        """The fragment a GitHub-style Markdown renderer gives the heading."""
        text = self.heading(lang).strip().lower()
        kept = "".join(ch for ch in text if ch in " -_" or unicodedata.category(ch)[0] in "LNM")
        return kept.replace(" ", "-")


@dataclass(frozen=True)
class RetiredCode:
    """A code no longer sent; it is never reused."""

    code: int
    name: str
    reason: Text
    since: str
    index: int = field(default=-1, compare=False, repr=False)  # its place in the spec's list


@dataclass(frozen=True)
class Case:
    """One case of the handler snippets: the codes it handles and what it does."""

    codes: tuple[int, ...]
    action: str
    message: Text
    default_delay: int | None = None


@dataclass(frozen=True)
class Handler:
    """The function the page's snippets show."""

    function: str
    endpoint: str
    cases: tuple[Case, ...]
    default: str
    base_url: str = "https://api.example.com"


@dataclass(frozen=True)
class Command:
    """A WebSocket command."""

    name: str
    description: Text


@dataclass(frozen=True)
class Page:
    """The published page's settings and prose."""

    url: Text
    doc_url_locale: str
    title: Text
    description: Text | None
    intro: Text | None
    closing: Text | None
    colon: Text
    labels: Mapping[str, Text]


@dataclass(frozen=True)
class ExceptionClass:
    """One SDK exception class other than ApiError: what it is raised for."""

    name: str
    docstring: str
    codes: tuple[int, ...]

    @property
    def header_fits(self) -> bool:
        """Whether `class NAME(ApiError):` fits on one line of generated Python."""
        return len(f"class {self.name}(ApiError):") <= PYTHON_LINE_LENGTH


@dataclass(frozen=True)
class Packages:
    """The SDK packages' names: the Python import name and the npm package name."""

    python: str = ""
    npm: str = ""

    @property
    def python_distribution(self) -> str:
        """The Python distribution (wheel) name."""
        return self.python.replace("_", "-")
