"""`errspec diff --against REF`: what changed since another version of the spec, and how badly.

The rules live in generator/diff_rules.py (single codes, envelopes) and
generator/diff_spec_rules.py (categories, retired list, page, WebSocket, HTTP, handler);
this module loads both sides, runs every rule and prints the findings.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .diagnostics import Diagnostic, SpecError
from .diff_rules import CODE_RULES, SEVERITIES, Finding, Rule
from .diff_spec_rules import SPEC_RULES
from .model import Spec
from .spec import load_spec, parse_and_validate

__all__ = ["SEVERITIES", "Finding", "RULES", "diff_specs", "load_against", "run_diff"]

EXIT_OK, EXIT_BREAKING, EXIT_INVALID = 0, 1, 2
RULES: tuple[Rule, ...] = (*CODE_RULES, *SPEC_RULES)


class Unreadable(Exception):
    """REF names neither a spec file nor a git revision that holds the spec."""


def diff_specs(old: Spec, new: Spec) -> list[Finding]:
    """Every finding of every rule, in the order they are reported."""
    found = [replace(f, rule=rule.__name__) for rule in RULES for f in rule(old, new)]
    return sorted(found, key=Finding.sort_key)


def _git(where: Path, *args: str) -> bytes:
    try:
        proc = subprocess.run(
            ["git", "--no-pager", *args], cwd=where, capture_output=True, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unreadable(f"cannot run git in {where}: {exc}") from None
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise Unreadable("; ".join(lines) or f"git {args[0]} failed")
    return proc.stdout


def load_against(ref: str, spec_path: Path) -> Spec:
    """The validated spec REF names: a spec file's path, or a git revision of `spec_path`."""
    if Path(ref).is_file():
        return load_spec(Path(ref), ref)
    if ref.startswith("-") or not ref.strip():
        raise Unreadable("no such file, and not a git revision")
    where = spec_path.absolute().parent
    prefix = _git(where, "rev-parse", "--show-prefix").decode("utf-8").strip()
    display = f"{ref}:{prefix}{spec_path.name}"
    raw = _git(where, "show", display)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SpecError([Diagnostic(display, line, 1, "invalid UTF-8", "save the file as UTF-8")])
    return parse_and_validate(text, display)


def _load(load: Callable[[], Spec], ref: str, problems: list[str]) -> Spec | None:
    try:
        return load()
    except SpecError as exc:
        problems.extend(map(str, exc.diagnostics))
    except Unreadable as exc:
        problems.append(
            f"errspec: cannot read the spec at {ref}: {exc}; pass a git revision"
            " (HEAD, main, a commit) or the path of a spec file"
        )
    return None


def run_diff(args: argparse.Namespace) -> int:
    """`errspec diff`: print the findings; 0 when none reaches --fail-on, 1 when one does,
    2 when either spec is invalid or REF cannot be read."""
    spec_path = Path(args.spec)
    problems: list[str] = []
    new = _load(lambda: load_spec(spec_path, args.spec), args.spec, problems)
    old = _load(lambda: load_against(args.against, spec_path), args.against, problems)
    if old is None or new is None:
        for line in problems:
            print(line, file=sys.stderr)
        print(
            f"errspec: cannot compare {args.spec} with {args.against}; both must be valid specs",
            file=sys.stderr,
        )
        return EXIT_INVALID
    findings = diff_specs(old, new)
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    threshold = SEVERITIES.index(args.fail_on)
    failed = any(SEVERITIES.index(f.severity) <= threshold for f in findings)
    if args.format == "json":
        summary = {
            **counts,
            "fail_on": args.fail_on,
            "failed": failed,
            "against": args.against,
            "spec": args.spec,
        }
        keys = ("severity", "code", "name", "rule", "message", "old", "new")
        document = {
            "findings": [{key: getattr(f, key) for key in keys} for f in findings],
            "summary": summary,
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            print(finding)
        tally = ", ".join(
            f"{counts[s]} {s}" + ("s" if counts[s] != 1 and s != "info" else "") for s in SEVERITIES
        )
        verdict = "fails" if failed else "passes"
        print(f"errspec: {tally} against {args.against}; {verdict} --fail-on {args.fail_on}")
    return EXIT_BREAKING if failed else EXIT_OK
