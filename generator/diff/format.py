"""How `errspec diff` prints its findings: text, json, github (annotations) or markdown
(a release-notes section)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from ..diagnostics import safe, workflow_command
from ..load import Positions
from ..model import Spec
from ..render import render_template
from .finding import SEVERITIES, Finding
from .release import next_release

_ANNOTATIONS = {"error": "error", "warning": "warning", "info": "notice"}
_NOTES = ("breaking", "added", "changed", "retired")  # the release notes' sections, in order


@dataclass(frozen=True)
class Report:
    """Everything one run of `errspec diff` says."""

    findings: list[Finding]
    old: Spec
    new: Spec
    positions: Positions  # of the new spec, where the findings' paths point
    spec: str
    against: str
    bump: str
    fail_on: str
    failed: bool
    package_files: list[str] = field(default_factory=list)  # SDK package files that change

    def counts(self) -> dict[str, int]:
        """Findings per severity."""
        return {s: sum(f.severity == s for f in self.findings) for s in SEVERITIES}

    def verdict(self) -> str:
        """The closing line: the tally, what was compared and whether --fail-on is reached."""
        counts = self.counts()
        tally = ", ".join(
            f"{counts[s]} {s}" + ("s" if counts[s] != 1 and s != "info" else "") for s in SEVERITIES
        )
        verdict = "fails" if self.failed else "passes"
        return safe(f"errspec: {tally} against {self.against}; {verdict} --fail-on {self.fail_on}")

    def release_line(self) -> str:
        """What the changes ask of `release`."""
        was, now = self.old.release, self.new.release
        if self.bump == "none":
            what = "docs only" if self.findings else "no changes"
            return f"errspec: {what}: no release needed (release {was} → {now})"
        wanted = next_release(was, self.bump)
        return f"errspec: these changes need a {self.bump} release bump ({was} → {wanted} at least; spec says {now})"


def text(report: Report) -> str:
    """One line per finding, then what the release needs and the verdict."""
    lines = [str(f) for f in report.findings]
    return "\n".join([*lines, report.release_line(), report.verdict()]) + "\n"


def as_json(report: Report) -> str:
    """The findings and a summary, for machines."""
    keys = ("severity", "code", "name", "rule", "message", "old", "new")
    summary = {
        **report.counts(),
        "fail_on": report.fail_on,
        "failed": report.failed,
        "against": report.against,
        "spec": report.spec,
        "bump": report.bump,
        "release": {"old": report.old.release, "new": report.new.release},
        "package_files": report.package_files,
    }
    document = {
        "findings": [
            {key: getattr(f, key) for key in keys} | {"bump": f.bump} for f in report.findings
        ],
        "summary": summary,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def github(report: Report) -> str:
    """One GitHub Actions annotation per finding (error, warning, notice), at the line of the
    code or setting in the new spec where there is one; the verdict as a plain line."""
    lines = []
    for f in report.findings:
        line = 0 if f.path is None else report.positions.at(f.path, "").line
        title = (
            f"errspec diff: {f.code} {f.name}" if f.code is not None else f"errspec diff: {f.name}"
        )
        lines.append(
            workflow_command(
                _ANNOTATIONS[f.severity],
                f.message,
                file=report.spec,
                line=line or None,
                title=title,
            )
        )
    return "\n".join([*lines, report.release_line(), report.verdict()]) + "\n"


def markdown(report: Report) -> str:
    """A release-notes section: breaking changes first, then added, changed, retired."""
    groups = {key: [f for f in report.findings if f.section == key] for key in _NOTES}
    return render_template("cli/diff.md.jinja", report=report, groups=groups)


FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text,
    "json": as_json,
    "github": github,
    "markdown": markdown,
}
