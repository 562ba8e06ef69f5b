"""What a diff rule is and what it finds.

Each rule is declared once (rules.py): its name, purpose (the check's docstring), severity,
release bump and release-notes section, and the check that finds its changes. A check only
says what changed; the rule gives every finding its severity, bump and section, and the diff
places it at its line of the new spec.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from ..diagnostics import safe
from ..load import JsonPath
from ..model import ErrorEntry, RetiredCode, Spec

SEVERITIES = ("error", "warning", "info")
BUMPS = ("none", "patch", "minor", "major")
SECTIONS = ("breaking", "added", "changed", "retired", "none")


@dataclass(frozen=True)
class Finding:
    """One change between the old and the new spec; `code` is None unless it is about one code.
    `path` is where the new spec says what changed (None when it is gone from it)."""

    severity: str
    code: int | None
    name: str
    message: str
    old: Any = None
    new: Any = None
    rule: str = ""
    bump: str = "none"
    section: str = "none"
    path: JsonPath | None = None
    field: str = ""  # the field of the code the finding is about, to place it on its line

    def sort_key(self) -> tuple[int, int, str, str]:
        """Severity first, then code (spec-wide changes before codes), then rule and message."""
        code = -1 if self.code is None else self.code
        return SEVERITIES.index(self.severity), code, self.rule, self.message

    def __str__(self) -> str:
        subject = self.name if self.code is None else f"{self.code} {self.name}"
        return safe(f"{self.severity}: {subject}: {self.message}")


Check = Callable[[Spec, Spec], Iterator[Finding]]


@dataclass(frozen=True)
class DiffRule:
    """One kind of change: what it is called, how bad it is, the release it needs, where the
    release notes list it, and the check that finds it."""

    name: str
    severity: str
    bump: str
    section: str
    check: Check
    field: str = ""  # the code's field it looks at, where the spec says what changed

    @property
    def purpose(self) -> str:
        """What the rule looks for: its check's docstring."""
        return (self.check.__doc__ or "").strip()

    def findings(self, old: Spec, new: Spec) -> Iterator[Finding]:
        """Every change this rule finds, with its severity, bump and section."""
        for found in self.check(old, new):
            yield self.stamp(found)

    def stamp(self, found: Finding) -> Finding:
        """`found` as a finding of this rule: its severity, name, bump and section."""
        return replace(
            found,
            severity=self.severity,
            rule=self.name,
            bump=self.bump,
            section=self.section,
            field=self.field,
        )


def change(code: int | None, name: str, message: str, old: Any = None, new: Any = None) -> Finding:
    """What a check yields: the rule gives it the rest."""
    return Finding("info", code, name, message, old, new)


def on(entry: ErrorEntry | RetiredCode, message: str, old: Any = None, new: Any = None) -> Finding:
    """A change of one live or retired code."""
    return change(entry.code, entry.name, message, old, new)


def about(subject: str, message: str, old: Any = None, new: Any = None) -> Finding:
    """A change of something many codes share: "category rate_limit", "page", "http"."""
    return change(None, subject, message, old, new)


def quoted(text: str) -> str:
    """`text` in double quotes, as JSON writes it."""
    return json.dumps(text, ensure_ascii=False)
