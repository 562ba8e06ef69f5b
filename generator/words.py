"""The fixed words errspec knows in a few locales: the page's labels and the explain screen's.

A spec may write any of them (`page.labels`, `page.colon`, `words`) for any locale; where it
does not, a locale errspec knows gets these, and another locale its fallback's. No word of a
locale's outputs comes from anywhere else.
"""

from __future__ import annotations

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


def built_in(kind: str, key: str, lang: str) -> str | None:
    """errspec's own word `key` of `kind` (labels, colon, words) in `lang`, if it has one."""
    return BUILT_IN.get(lang, {}).get(kind, {}).get(key)
