"""The fixed words errspec knows in a few locales: the page's labels and the explain screen's.

A spec may write any of them (`page.labels`, `page.colon`, `words`) for any locale; where it
does not, a locale errspec knows gets these, and another locale its fallback's. No word of a
locale's outputs comes from anywhere else.
"""

from __future__ import annotations

from typing import Any, Mapping

LABELS = (
    "response_format",
    "quick_reference",
    "column_code",
    "column_meaning",
    "column_suggestion",
    "details",
    "causes",
    "solution",
    "examples",
    "retired",
    "retired_since",
    "reason",
    "deprecated_since",
    "use_instead",
)
# The explain screen's words; {header} is the Retry-After header's name.
EXPLAIN = (
    "message",
    "category",
    "http_status",
    "websocket_only",
    "transports",
    "retryable",
    "yes",
    "no",
    "after_header",
    "retired_since",
    "never_reused",
)

BUILT_IN: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "labels": {
            "response_format": "Response format",
            "quick_reference": "Error code quick reference",
            "column_code": "Code",
            "column_meaning": "Meaning",
            "column_suggestion": "What to do",
            "details": "Details",
            "causes": "Causes",
            "solution": "Solution",
            "examples": "Error handling examples",
            "retired": "Retired error codes",
            "retired_since": "Retired since",
            "reason": "Reason",
            "deprecated_since": "Deprecated since",
            "use_instead": "Use instead",
        },
        "colon": {"colon": ": "},
        "words": {
            "message": "message",
            "category": "category",
            "http_status": "http status",
            "websocket_only": "none (WebSocket only)",
            "transports": "transports",
            "retryable": "retryable",
            "yes": "yes",
            "no": "no",
            "after_header": ", after the {header} header",
            "retired_since": "retired since",
            "never_reused": "This code is no longer sent and will never be reused.",
        },
    },
    "zh": {
        "labels": {
            "response_format": "响应格式",
            "quick_reference": "错误码速查表",
            "column_code": "错误码",
            "column_meaning": "含义",
            "column_suggestion": "处理建议",
            "details": "详细说明",
            "causes": "原因",
            "solution": "解决",
            "examples": "错误处理示例",
            "retired": "已停用的错误码",
            "retired_since": "停用版本",
            "reason": "原因",
            "deprecated_since": "弃用版本",
            "use_instead": "替代错误码",
        },
        "colon": {"colon": "："},
        "words": {
            "message": "消息",
            "category": "类别",
            "http_status": "HTTP 状态",
            "websocket_only": "无（仅 WebSocket）",
            "transports": "传输方式",
            "retryable": "可重试",
            "yes": "是",
            "no": "否",
            "after_header": "（按 {header} 头等待后重试）",
            "retired_since": "停用版本",
            "never_reused": "此错误码已不再返回，且永不复用。",
        },
    },
}


# Words shown only for some parts of a spec (see parts_of); a spec without them needs none of
# these words, so a locale stays complete when errspec learns a word for a part it does not use.
SHOWN_FOR: dict[tuple[str, str], frozenset[str]] = {
    ("labels", "retired"): frozenset({"retired"}),
    ("labels", "retired_since"): frozenset({"retired"}),
    ("labels", "reason"): frozenset({"retired", "deprecated"}),
    ("labels", "deprecated_since"): frozenset({"deprecated"}),
    ("labels", "use_instead"): frozenset({"deprecated", "replaced"}),
    ("words", "retired_since"): frozenset({"retired"}),
    ("words", "never_reused"): frozenset({"retired"}),
}


def parts_of(data: Mapping[str, Any]) -> frozenset[str]:
    """The optional parts schema-valid spec data has, of those SHOWN_FOR names."""
    retired = data.get("retired") or ()
    found = {
        "retired": bool(retired),
        "deprecated": any("deprecated" in raw for raw in data["codes"]),
        "replaced": any("replacement" in raw for raw in retired),
    }
    return frozenset(part for part, present in found.items() if present)


def needed(kind: str, key: str, parts: frozenset[str]) -> bool:
    """Whether the outputs of a spec with `parts` show word `key` of `kind`."""
    shown_for = SHOWN_FOR.get((kind, key))
    return shown_for is None or not shown_for.isdisjoint(parts)


def built_in(kind: str, key: str, lang: str) -> str | None:
    """errspec's own word `key` of `kind` (labels, colon, words) in `lang`, if it has one."""
    return BUILT_IN.get(lang, {}).get(kind, {}).get(key)
