"""What `errspec diff` asks of the spec's `release`: the smallest semver bump that covers
every finding (each rule declares its bump, rules.py), and the two findings about the
release itself: SDK code that changed with no change of the spec (a template change needs at
least a patch), and a release raised by less than the changes need.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..model import Spec
from .finding import BUMPS, DiffRule, Finding, about

_SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


def _nothing(old: Spec, new: Spec) -> Iterator[Finding]:
    """Found from the other findings, not from the two specs (release_findings)."""
    return iter(())


SDK_CODE_CHANGED = DiffRule("sdk_code_changed", "info", "patch", "changed", _nothing)
RELEASE_NOT_RAISED = DiffRule("release_not_raised", "error", "none", "none", _nothing)


def required_bump(findings: Iterable[Finding], sdk_changed: bool = False) -> str:
    """The smallest bump that covers every finding (and a change of the generated SDK code)."""
    ranks = [BUMPS.index(f.bump) for f in findings]
    ranks.append(BUMPS.index(SDK_CODE_CHANGED.bump) if sdk_changed else 0)
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
        yield SDK_CODE_CHANGED.stamp(
            about(
                "sdk",
                "generated SDK code changed without a change of the spec (a template change):"
                f" {listed}",
            )
        )
    needed = required_bump(findings, bool(sdk_files))
    applied = applied_bump(old.release, new.release)
    if applied is None:
        yield RELEASE_NOT_RAISED.stamp(
            about(
                "release",
                f"release {old.release} → {new.release} is lower; releases only go up",
                old.release,
                new.release,
            )
        )
    elif BUMPS.index(applied) < BUMPS.index(needed):
        wanted = next_release(old.release, needed)
        yield RELEASE_NOT_RAISED.stamp(
            about(
                "release",
                f"release {old.release} → {new.release}, but these changes need a {needed} bump;"
                f" set release: {wanted}",
                old.release,
                new.release,
            )
        )
