"""What `errspec diff` asks of the spec's `release`. A release is needed only when a file of
an SDK package changes (packages.py: both sides rendered by this errspec): a docs-only change
needs none. Its size is the largest bump of the findings (each rule declares its own,
rules.py), at least a patch; a release raised by less is a finding of its own.
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


RELEASE_NOT_RAISED = DiffRule("release_not_raised", "error", "none", "none", _nothing)


def required_bump(findings: Iterable[Finding], package_files: list[str]) -> str:
    """The smallest bump the changes need: none unless a package file changed; then the
    largest bump of the findings, at least a patch."""
    if not package_files:
        return "none"
    return BUMPS[max([BUMPS.index("patch"), *(BUMPS.index(f.bump) for f in findings)])]


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
    old: Spec, new: Spec, findings: list[Finding], package_files: list[str]
) -> Iterator[Finding]:
    """A finding when `release` went down, or up by less than the changes need."""
    needed = required_bump(findings, package_files)
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
        changed = ", ".join(package_files[:3]) + (", …" if len(package_files) > 3 else "")
        yield RELEASE_NOT_RAISED.stamp(
            about(
                "release",
                f"release {old.release} → {new.release}, but these changes need a {needed} bump;"
                f" set release: {wanted} (package files change: {changed})",
                old.release,
                new.release,
            )
        )
