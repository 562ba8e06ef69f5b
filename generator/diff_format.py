"""How `errspec diff` prints its findings: text, json, github (annotations) or markdown
(a release-notes section)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from pathlib import Path

from .diagnostics import workflow_command
from .diff_release import bump_of, next_release
from .diff_rules import SEVERITIES, Finding
from .load import JsonPath, parse
from .read import read_text
from .model import Spec

_ANNOTATIONS = {"error": "error", "warning": "warning", "info": "notice"}
# Release-notes sections, in order, and the rules whose findings go to the added/retired ones.
_ADDED = frozenset(
    {
        "code_added",
        "category_added",
        "websocket_command_added",
        "envelope_field_added",
        "transport_added",
    }
)
_RETIRED = frozenset({"code_retired"})


@dataclass(frozen=True)
class Report:
    """Everything one run of `errspec diff` says."""

    findings: list[Finding]
    old: Spec
    new: Spec
    spec: str
    against: str
    bump: str
    fail_on: str
    failed: bool
    sdk_files: list[str] = field(default_factory=list)

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
        return f"errspec: {tally} against {self.against}; {verdict} --fail-on {self.fail_on}"

    def release_line(self) -> str:
        """What the changes ask of `release`."""
        was, now = self.old.release, self.new.release
        if self.bump == "none":
            return f"errspec: no release bump needed (release {was} → {now})"
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
        "sdk_files": report.sdk_files,
    }
    document = {
        "findings": [
            {key: getattr(f, key) for key in keys} | {"bump": bump_of(f)} for f in report.findings
        ],
        "summary": summary,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def github(report: Report) -> str:
    """One GitHub Actions annotation per finding (error, warning, notice), at the line of the
    code or setting in the new spec where there is one; the verdict as a plain line."""
    where = _locator(report.spec)
    lines = []
    for f in report.findings:
        line = where(f)
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


# Where findings about spec-wide settings point in the spec file.
_SUBJECTS: dict[str, JsonPath] = {
    "release": ("release",),
    "page": ("page", "url"),
    "handler": ("handler",),
    "websocket": ("websocket",),
    "http": ("http",),
    "http envelope": ("envelopes", "http"),
    "websocket envelope": ("envelopes", "websocket"),
}


def _locator(spec: str) -> Callable[[Finding], int]:
    """finding -> line of the new spec it is about (0 when none): its code's entry (live or
    retired), its category, or the setting it names."""
    doc = parse(read_text(Path(spec), spec), spec)
    paths: dict[object, JsonPath] = {}
    for section in ("codes", "retired"):
        for i, raw in enumerate(doc.data.get(section) or []):
            paths[raw["code"]] = (section, i, "code")
    for i, cat in enumerate(doc.data["categories"]):
        paths[f"category {cat['id']}"] = ("categories", i, "id")

    def line(finding: Finding) -> int:
        path = paths.get(finding.code if finding.code is not None else finding.name)
        path = path or _SUBJECTS.get(finding.name)
        return 0 if path is None else doc.positions.at(path, "").line

    return line


def markdown(report: Report) -> str:
    """A release-notes section: breaking changes first, then added, changed, retired."""
    from .render import render_template

    groups: dict[str, list[Finding]] = {"breaking": [], "added": [], "changed": [], "retired": []}
    for f in report.findings:
        if f.rule == "release_not_raised":
            continue
        if bump_of(f) == "major" and f.rule not in _RETIRED:
            groups["breaking"].append(f)
        elif f.rule in _ADDED:
            groups["added"].append(f)
        elif f.rule in _RETIRED:
            groups["retired"].append(f)
        else:
            groups["changed"].append(f)
    return render_template("cli/diff.md.jinja", report=report, groups=groups)


FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text,
    "json": as_json,
    "github": github,
    "markdown": markdown,
}
