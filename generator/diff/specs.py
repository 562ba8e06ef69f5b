"""Every diff rule on two specs, each finding placed where the new spec says what changed."""

from __future__ import annotations

from dataclasses import replace

from ..load import JsonPath
from ..model import Spec
from .finding import Finding
from .rules import RULES

# Where findings about spec-wide settings point in the spec.
_SUBJECTS: dict[str, JsonPath] = {
    "release": ("release",),
    "locales": ("locales",),
    "page": ("page", "url"),
    "handler": ("handler",),
    "websocket": ("websocket",),
    "http": ("http",),
    "http envelope": ("envelopes", "http"),
    "websocket envelope": ("envelopes", "websocket"),
}


def diff_specs(old: Spec, new: Spec) -> list[Finding]:
    """Every finding of every rule, placed in the new spec, in the order they are reported."""
    found = [rule_finding for rule in RULES for rule_finding in rule.findings(old, new)]
    return sorted((placed(f, new) for f in found), key=Finding.sort_key)


def placed(finding: Finding, new: Spec) -> Finding:
    """`finding` with the path of what it is about in `new`: the code's entry (live or
    retired), its category, or the setting it names; None when `new` has none of them."""
    return replace(finding, path=_path(finding, new))


def _path(finding: Finding, new: Spec) -> JsonPath | None:
    if finding.code is not None:
        for entry in new.codes:
            if entry.code == finding.code:
                return ("codes", entry.index, finding.field or "code")
        for retired in new.retired:
            if retired.code == finding.code:
                return ("retired", retired.index, "code")
        return None
    for category in new.categories:
        if finding.name == f"category {category.id}":
            return ("categories", category.index, "id")
    return _SUBJECTS.get(finding.name)
