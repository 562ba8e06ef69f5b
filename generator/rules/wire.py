"""Rules on what a code promises on the wire: its HTTP status, its example, its retry case."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..load import Document
from .common import codes_of, handler_of


def http_status_is_an_error(doc: Document) -> Iterator[Diagnostic]:
    """Only code 0 (success) may answer with a 2xx (or any non-error) status."""
    for path, raw in codes_of(doc):
        status = raw.get("http_status")
        if status is None or raw["code"] == 0 or status >= 400:
            continue
        yield doc.positions.at(
            (*path, "http_status"),
            f"code {raw['code']} has http_status {status}, which is not an error status"
            " (only code 0 may be 2xx)",
            "use a 4xx status for a client error or a 5xx status for a server error",
        )


def retry_case_codes_are_retryable(doc: Document) -> Iterator[Diagnostic]:
    """The snippets retry the codes of a retry case; the SDKs say whether a code is retryable.
    The two must agree."""
    retryable = {raw["code"]: bool(raw.get("retryable")) for _, raw in codes_of(doc)}
    for i, case in enumerate(handler_of(doc)["cases"]):
        if case["action"] != "retry":
            continue
        for j, code in enumerate(case["codes"]):
            if retryable.get(code) is False:
                yield doc.positions.at(
                    ("handler", "cases", i, "codes", j),
                    f"handler retry case lists code {code}, which is not retryable",
                    f"set retryable: true on code {code}, or move it to a raise case",
                )
