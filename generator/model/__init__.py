"""Stage: the spec as typed, immutable objects, every fact computed once; what templates read.

entries.py  the parts: texts, envelopes, categories, codes, sections, the handler, the page
spec.py     the whole registry and the facts computed from it
build.py    building it from data that passed the schema and the rules
"""

from .build import build_spec, transports_of
from .entries import (
    PLACEHOLDER,
    PYTHON_LINE_LENGTH,
    Case,
    Category,
    CodeRange,
    Command,
    Deprecation,
    Envelope,
    ErrorEntry,
    ExceptionClass,
    Field,
    Handler,
    Packages,
    Page,
    RetiredCode,
    Section,
    StatusClass,
    Text,
)
from .spec import Spec

__all__ = [
    "transports_of",
    "PLACEHOLDER",
    "PYTHON_LINE_LENGTH",
    "Case",
    "Category",
    "CodeRange",
    "Command",
    "Deprecation",
    "Envelope",
    "ErrorEntry",
    "ExceptionClass",
    "Field",
    "Handler",
    "Packages",
    "Page",
    "RetiredCode",
    "Section",
    "Spec",
    "StatusClass",
    "Text",
    "build_spec",
]
