"""What `errspec diff` asks of the spec's `release`: the smallest semver bump the changes need.

A change is judged by what it does to the generated SDKs as well as to the wire: removing an
enum member (a code removed or retired) or an exception class is major, a new code, category,
command or field is minor, a text is a patch. A change of the generated SDK code with no change
of the spec (a template change) needs at least a patch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .diff_rules import Finding
from .model import Spec

BUMPS = ("none", "patch", "minor", "major")

# Rules whose bump is not the one their severity gives (error major, warning minor, info patch).
_RULE_BUMPS = {
    "code_retired": "major",  # the SDKs' ErrorCode loses a member
    "code_added": "minor",
    "category_added": "minor",
    "websocket_command_added": "minor",
    "envelope_field_added": "minor",
    "transport_added": "minor",
    "retryable_changed": "minor",
    "retry_after_changed": "minor",
    "message_changed": "patch",
    "doc_url_changed": "patch",
    "page_url_changed": "patch",
    "sdk_code_changed": "patch",
    "release_not_raised": "none",  # about the release itself, not a change
}
_SEVERITY_BUMPS = {"error": "major", "warning": "minor", "info": "patch"}
_SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


def bump_of(finding: Finding) -> str:
    """The smallest release bump one finding needs."""
    if finding.rule == "category_removed" and "no longer define" in finding.message:
        return "major"  # an exception class disappears from the SDKs
    return _RULE_BUMPS.get(finding.rule, _SEVERITY_BUMPS[finding.severity])


def required_bump(findings: Iterable[Finding], sdk_changed: bool = False) -> str:
    """The smallest bump that covers every finding (and a change of the generated SDK code)."""
    ranks = [BUMPS.index(bump_of(f)) for f in findings] + [1 if sdk_changed else 0]
    return BUMPS[max(ranks)]


def version(text: str) -> tuple[int, int, int] | None:
    """(major, minor, patch) of a semver string, or None when it is not one."""
    match = _SEMVER.match(text)
    return None if match is None else (int(match[1]), int(match[2]), int(match[3]))


def applied_bump(old: str, new: str) -> str | None:
    """The bump from release `old` to `new`: none, patch, minor or major; None when lowered or
    not semver."""
    was, now = version(old), version(new)
    if was is None or now is None or now < was:
        return None
    if now == was:
        return "none"
    for part, bump in zip(range(3), ("major", "minor", "patch")):
        if now[part] != was[part]:
            return bump
    return "none"


def next_release(old: str, bump: str) -> str:
    """`old` raised by `bump`."""
    parts = version(old) or (0, 0, 0)
    if bump == "major":
        return f"{parts[0] + 1}.0.0"
    if bump == "minor":
        return f"{parts[0]}.{parts[1] + 1}.0"
    if bump == "patch":
        return f"{parts[0]}.{parts[1]}.{parts[2] + 1}"
    return old


def release_findings(
    old: Spec, new: Spec, findings: list[Finding], sdk_files: list[str]
) -> Iterator[Finding]:
    """A finding when the generated SDK code changed with no change of the spec, and one when
    `release` was raised by less than the changes need."""
    if sdk_files and not findings:
        listed = ", ".join(sdk_files[:5]) + (", …" if len(sdk_files) > 5 else "")
        yield Finding(
            "info",
            None,
            "sdk",
            f"generated SDK code changed without a change of the spec (a template change):"
            f" {listed}",
            rule="sdk_code_changed",
        )
    needed = required_bump(findings, bool(sdk_files))
    applied = applied_bump(old.release, new.release)
    if applied is None:
        yield Finding(
            "error",
            None,
            "release",
            f"release {old.release} → {new.release} is lower; releases only go up",
            old.release,
            new.release,
            rule="release_not_raised",
        )
    elif BUMPS.index(applied) < BUMPS.index(needed):
        wanted = next_release(old.release, needed)
        yield Finding(
            "error",
            None,
            "release",
            f"release {old.release} → {new.release}, but these changes need a {needed} bump;"
            f" set release: {wanted}",
            old.release,
            new.release,
            rule="release_not_raised",
        )
