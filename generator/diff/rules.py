"""Every rule of `errspec diff`, declared once: name, severity, release bump, release-notes
section and check (buf's shape: one check per rule, one row per rule).

Severity: `error` breaks clients, `warning` may break some, `info` changes only what people
read. Bump: what the change does to the generated SDKs as well as to the wire; removing an
enum member (a code removed or retired) or an exception class is major, a new code,
category, command or field is minor, a text is a patch.
"""

from __future__ import annotations

from . import codes as c
from . import spec_wide as s
from .finding import DiffRule

R = DiffRule

RULES: tuple[DiffRule, ...] = (
    # single codes
    R("code_removed", "error", "major", "breaking", c.code_removed),
    R("name_moved", "error", "major", "breaking", c.name_moved),
    R("code_renamed", "error", "major", "breaking", c.code_renamed, "name"),
    R("http_status_changed", "error", "major", "breaking", c.http_status_changed, "http_status"),
    R("category_changed", "error", "major", "breaking", c.category_changed, "category"),
    R("transport_removed", "error", "major", "breaking", c.transport_removed, "transports"),
    R("retired_code_reused", "error", "major", "breaking", c.retired_code_reused),
    R("message_changed", "warning", "patch", "changed", c.message_changed, "message"),
    R("retryable_turned_off", "warning", "minor", "changed", c.retryable_turned_off, "retryable"),
    R("retry_after_dropped", "warning", "minor", "changed", c.retry_after_dropped, "retry_after"),
    R("doc_url_changed", "warning", "patch", "changed", c.doc_url_changed),
    R("code_added", "info", "minor", "added", c.code_added),
    R("code_retired", "info", "major", "retired", c.code_retired),
    R("code_deprecated", "info", "minor", "changed", c.code_deprecated, "deprecated"),
    R("code_undeprecated", "info", "minor", "changed", c.code_undeprecated),
    R("replacement_changed", "info", "patch", "changed", c.replacement_changed),
    R("transport_added", "info", "minor", "added", c.transport_added, "transports"),
    R("retryable_turned_on", "info", "minor", "changed", c.retryable_turned_on, "retryable"),
    R("retry_after_added", "info", "minor", "changed", c.retry_after_added, "retry_after"),
    R("texts_changed", "info", "patch", "changed", c.texts_changed),
    R("example_changed", "info", "patch", "changed", c.example_changed, "example"),
    # the envelopes
    R("envelope_field_removed", "warning", "minor", "changed", c.envelope_field_removed),
    R(
        "envelope_field_made_required",
        "warning",
        "minor",
        "changed",
        c.envelope_field_made_required,
    ),
    R(
        "envelope_field_made_optional",
        "warning",
        "minor",
        "changed",
        c.envelope_field_made_optional,
    ),
    R("envelope_field_type_changed", "warning", "minor", "changed", c.envelope_field_type_changed),
    R("envelope_field_added", "info", "minor", "added", c.envelope_field_added),
    # categories and retired codes
    R("category_exception_renamed", "error", "major", "breaking", s.category_exception_renamed),
    R("category_removed", "error", "major", "breaking", s.category_removed),
    R("exception_class_removed", "warning", "major", "breaking", s.exception_class_removed),
    R("empty_category_removed", "info", "patch", "changed", s.empty_category_removed),
    R("category_added", "info", "minor", "added", s.category_added),
    R("category_text_changed", "info", "patch", "changed", s.category_text_changed),
    R(
        "category_retryable_default_changed",
        "info",
        "minor",
        "changed",
        s.category_retryable_default_changed,
    ),
    R("retired_name_changed", "error", "major", "breaking", s.retired_name_changed),
    R("retired_text_changed", "info", "patch", "changed", s.retired_text_changed),
    # locales
    R("locale_added", "info", "patch", "added", s.locale_added),
    R("locale_removed", "warning", "patch", "changed", s.locale_removed),
    # settings many codes share
    R("page_url_changed", "warning", "patch", "changed", s.page_url_changed),
    R("other_page_url_changed", "info", "patch", "changed", s.other_page_url_changed),
    R("handler_changed", "info", "patch", "changed", s.handler_changed),
    R("websocket_removed", "error", "major", "breaking", s.websocket_removed),
    R("websocket_added", "info", "minor", "added", s.websocket_added),
    R("websocket_command_removed", "error", "major", "breaking", s.websocket_command_removed),
    R("websocket_command_added", "info", "minor", "added", s.websocket_command_added),
    R("websocket_endpoint_changed", "error", "major", "breaking", s.websocket_endpoint_changed),
    R("http_header_changed", "error", "major", "breaking", s.http_header_changed),
    R("go_module_path_changed", "warning", "major", "breaking", s.go_module_path_changed),
)
