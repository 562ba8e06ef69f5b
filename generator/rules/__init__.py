"""Stage: the semantic rules the JSON Schema cannot express.

Each rule is a small function named after the invariant it guards. It reads the
schema-valid data and yields a diagnostic, with the fix, for every violation. One module
per subject: codes.py (codes, names, categories, examples, locales, retired codes), text.py,
handler.py, wire.py, reserved.py (names the SDKs use); surface.py holds the rules on the
API surface and warnings.py what never fails a run but is printed (warnings).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..diagnostics import Diagnostic
from ..load import Document
from .handler import (
    handler_cases_are_consistent,
    handler_has_one_retry_case,
    handler_names_are_usable,
)
from .codes import (
    category_ranges_are_disjoint,
    code_in_category_range,
    example_matches_entry,
    go_module_path_is_usable,
    http_status_matches_transports,
    locales_are_complete,
    retired_codes_are_never_reused,
    retry_after_needs_retryable,
    replacements_are_live_codes,
    sections_are_shared_sensibly,
    selected_sdks_have_packages,
    transports_are_named_with_websocket,
    unique_categories,
    unique_codes,
    unique_names,
    websocket_parts_go_together,
    words_are_complete,
)
from .reserved import exception_names_are_usable
from .wire import (
    http_status_is_an_error,
    retry_case_codes_are_retryable,
)
from .text import (
    UNCLEAN,
    markdown_block,
    prose_stays_inline,
    text_is_clean,
    text_is_trimmed,
)
from .warnings import WARNINGS, notes_of, warnings_of

Rule = Callable[[Document], Iterator[Diagnostic]]

__all__ = [
    "RULES",
    "UNCLEAN",
    "WARNINGS",
    "Rule",
    "markdown_block",
    "notes_of",
    "rule_problems",
    "warnings_of",
]

RULES: tuple[Rule, ...] = (
    unique_codes,
    unique_names,
    unique_categories,
    websocket_parts_go_together,
    transports_are_named_with_websocket,
    selected_sdks_have_packages,
    go_module_path_is_usable,
    category_ranges_are_disjoint,
    code_in_category_range,
    http_status_matches_transports,
    retry_after_needs_retryable,
    example_matches_entry,
    locales_are_complete,
    words_are_complete,
    sections_are_shared_sensibly,
    retired_codes_are_never_reused,
    replacements_are_live_codes,
    handler_cases_are_consistent,
    text_is_clean,
    text_is_trimmed,
    prose_stays_inline,
    handler_names_are_usable,
    handler_has_one_retry_case,
    exception_names_are_usable,
    http_status_is_an_error,
    retry_case_codes_are_retryable,
)


def rule_problems(doc: Document) -> list[Diagnostic]:
    """Every violation of every rule."""
    return [problem for rule in RULES for problem in rule(doc)]
