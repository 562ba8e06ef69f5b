"""Names a category's exception class may not take: the generated SDKs define, import or use
them at the top of the modules that also declare the exception classes.

tests/test_validate_generate.py re-derives the list from generated outputs (Python by `ast`,
JavaScript and TypeScript declarations by a tokenizer), so a template that starts using a new
name fails the suite until the name is added here.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..load import Document

# Python: what exceptions.py, error_codes.py and models.py (datamodel-code-generator) define
# or import. JavaScript: what errors.js defines and the globals it uses. TypeScript: the type
# names errors.d.ts declares, its type parameters and the global types it uses. Go: the
# exported names of the Go package (its types and functions share one namespace).
RESERVED = frozenset("""
    Annotated Any BaseModel Field IntEnum Iterable Literal Mapping NamedTuple Protocol TypeGuard UTC
    ErrorCode ErrorEnvelope HttpEnvelope SuccessEnvelope WebSocketEnvelope
    ERRORS MONTH MONTHS TIME
    Array BigInt Boolean Date Error JSON Map Math Number Object Promise Proxy RangeError Reflect
    RegExp Set String Symbol TypeError globalThis
    ApiErrorOptions ErrorCategory ErrorClass ErrorCodeValue ErrorInfo ErrorName HeadersLike
    RaiseOptions Transport Readonly Record C T
    ArrayBuffer ArrayBufferView RANGES RETIRED TextDecoder TextEncoder Uint8Array
    APIError Info MalformedEnvelope ParseRetryAfter RaiseForEnvelope RaiseForEnvelopeAt
    RaiseForResponse RaiseForResponseAt RawLimit RetiredCodes RetryAfterHeader RetryAfterSeconds
""".split())

# The base class: a category may use it directly (the success category does).
BASE_CLASS = "ApiError"


def exception_names_are_usable(doc: Document) -> Iterator[Diagnostic]:
    """A category's exception class must not shadow a Python builtin or a name the SDKs use."""
    for i, cat in enumerate(doc.data["categories"]):
        name = cat["exception"]
        if name != BASE_CLASS and (name in RESERVED or hasattr(builtins, name)):
            yield doc.positions.at(
                ("categories", i, "exception"),
                f'exception name "{name}" clashes with a name the generated SDKs use',
                f'pick another, e.g. "{cat["id"].title().replace("_", "")}Error"',
            )
