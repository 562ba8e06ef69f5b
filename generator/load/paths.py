"""Paths into the spec's data, and how a spec author reads them."""

from __future__ import annotations

from typing import Any

JsonPath = tuple[str | int, ...]

MAX_CODE = 999_999  # the schema's bound: a path names no code beyond it


def dotted(path: JsonPath, data: Any = None) -> str:
    """A JSON path written the way a spec author reads it: codes[3].message; given the spec's
    `data`, an entry of codes or retired also shows its code: codes[3] (1004).message."""
    text = ""
    for depth, part in enumerate(path):
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
        if depth == 1 and isinstance(part, int) and path[0] in ("codes", "retired"):
            entries = data.get(path[0]) if isinstance(data, dict) else None
            entry = entries[part] if isinstance(entries, list) and part < len(entries) else None
            code = entry.get("code") if isinstance(entry, dict) else None
            if type(code) is int and 0 <= code <= MAX_CODE:
                text += f" ({code})"
    return text or "the spec"
