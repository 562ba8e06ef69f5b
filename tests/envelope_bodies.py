"""Envelope bodies the consumer tests feed to every SDK and generator: the published page's
JSON examples and a code no SDK version knows, derived from the spec."""

from __future__ import annotations

import json
import re
from typing import Any

from conftest import ROOT
from generator.model import Spec

PUBLISHED = ROOT / "tests" / "fixtures" / "published-error-codes.zh.md"


def published_examples() -> list[dict[str, Any]]:
    """Every ```json block of the published page, `{ ... }` placeholders replaced by {}."""
    blocks = re.findall(r"```json\n(.*?)```", PUBLISHED.read_text(encoding="utf-8"), re.S)
    return [json.loads(block.replace("{ ... }", "{}")) for block in blocks]


def unknown_code(spec: Spec) -> int:
    """A code this SDK version does not know (the API may add it later)."""
    return max(e.code for e in spec.codes) + 1


def envelope_kind(spec: Spec, body: dict[str, Any]) -> str:
    """The schema a body is an instance of: SuccessEnvelope, ErrorEnvelope or WebSocketEnvelope."""
    websocket_only = {e.code for e in spec.codes if e.websocket_only}
    if "cmd" in body or body["code"] in websocket_only:
        return "WebSocketEnvelope"
    return "SuccessEnvelope" if body["code"] == 0 else "ErrorEnvelope"
