"""`errspec diff --against REF`: what changed since another version of the spec, and how badly.

The rules live in generator/diff_rules.py (single codes, envelopes) and
generator/diff_spec_rules.py (categories, retired list, page, WebSocket, HTTP, handler);
this module loads both sides, runs every rule and prints the findings.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .exits import Exit
from .diagnostics import Diagnostic, SpecError
from .diff_rules import CODE_RULES, SEVERITIES, Finding, Rule
from .diff_release import release_findings, required_bump
from .diff_spec_rules import SPEC_RULES
from .model import Spec
from .spec import load_spec, parse_and_validate

__all__ = [
    "SEVERITIES",
    "Finding",
    "RULES",
    "diff_specs",
    "load_against",
    "run_diff",
    "sdk_changes",
]

SDK_PARTS = ("python/", "js/")

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


def _repo_path(where: Path) -> str:
    """The path of folder `where` inside its git work tree ("" at the top, else "dir/")."""
    return _git(where, "rev-parse", "--show-prefix").decode("utf-8").strip()


def _spec_at(rev: str, spec_path: Path) -> tuple[str, str]:
    """(text, display) of `spec_path` as git revision `rev` holds it."""
    if rev.startswith("-") or not rev.strip():
        raise Unreadable("not a git revision")
    where = spec_path.absolute().parent
    display = f"{rev}:{_repo_path(where)}{spec_path.name}"
    raw = _git(where, "show", display)
    try:
        return raw.decode("utf-8"), display
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SpecError([Diagnostic(display, line, 1, "invalid UTF-8", "save the file as UTF-8")])


def load_against(ref: str, spec_path: Path, is_file: bool = False) -> Spec:
    """The validated spec REF names: a git revision of `spec_path`, or (`is_file`) a spec file's
    path. The two are never guessed from each other: a file never shadows a revision."""
    if is_file:
        if not Path(ref).is_file():
            raise Unreadable("no such file")
        return load_spec(Path(ref), ref)
    text, display = _spec_at(ref, spec_path)
    return parse_and_validate(text, display)


def sdk_changes(rev: str, out: Path, parts: tuple[str, ...] = SDK_PARTS) -> list[str]:
    """The generated SDK files (under `out`/python and `out`/js) that differ between git
    revision `rev` and the working tree; [] when `rev` holds no generated SDK."""
    where = out.absolute()
    if not where.is_dir():
        return []
    prefix = _repo_path(where)
    roots = [f"{prefix}{part}" for part in parts]
    listed = _git(where, "ls-tree", "-r", "--name-only", "--full-tree", rev, "--", *roots)
    before = set(listed.decode("utf-8").splitlines())
    if not before:
        return []
    now = _git(where, "ls-files", "--cached", "--others", "--exclude-standard", "--full-name")
    top = Path(_git(where, "rev-parse", "--show-toplevel").decode("utf-8").strip())
    after = {
        name
        for name in now.decode("utf-8").splitlines()
        if any(name.startswith(root) for root in roots)
        and "__pycache__" not in name.split("/")
        and (top / name).is_file()
    }
    changed = []
    for name in sorted(before | after):
        old = _git(where, "show", f"{rev}:{name}") if name in before else None
        new = (top / name).read_bytes() if name in after else None
        if old != new:
            changed.append(name)
    return changed


def _load(
    load: Callable[[], Spec], ref: str, problems: list[str], is_file: bool = False
) -> Spec | None:
    try:
        return load()
    except SpecError as exc:
        problems.extend(map(str, exc.diagnostics))
    except Unreadable as exc:
        if is_file:
            hint = "--against-file takes the path of a spec file"
        elif Path(ref).is_file():
            hint = f"--against takes a git revision; to compare with the file, use --against-file {ref}"
        else:
            hint = "pass a git revision (HEAD, main, a commit) to --against, or a spec file to --against-file"
        problems.append(f"errspec: cannot read the spec at {ref}: {exc}; {hint}")
    return None


def _source(args: argparse.Namespace, spec_path: Path) -> str:
    """What `diff` compares with, as it says so: "file PATH" or "REV:PATH (commit SHA)"."""
    if args.against_file is not None:
        return f"file {args.against_file}"
    try:
        _, display = _spec_at(args.against, spec_path)
        commit = _git(spec_path.absolute().parent, "rev-parse", "--verify", "-q", args.against)
        return f"{display} (commit {commit.decode().strip()[:12]})"
    except (Unreadable, SpecError):
        return str(args.against)


def run_diff(args: argparse.Namespace) -> int:
    """`errspec diff`: print the findings; 0 when none reaches --fail-on, 1 when one does,
    2 when either spec is invalid or REF cannot be read."""
    from .diff_format import FORMATS, Report

    spec_path = Path(args.spec)
    ref = args.against if args.against_file is None else args.against_file
    problems: list[str] = []
    new = _load(lambda: load_spec(spec_path, args.spec), args.spec, problems)
    is_file = args.against_file is not None
    old = _load(lambda: load_against(ref, spec_path, is_file), ref, problems, is_file)
    sdk_files: list[str] = []
    if old is not None and new is not None and args.against_file is None:
        try:
            sdk_files = sdk_changes(args.against, Path(args.out))
        except Unreadable as exc:
            problems.append(f"errspec: cannot compare the generated SDK with {ref}: {exc}")
    if old is None or new is None or problems:
        for line in problems:
            print(line, file=sys.stderr)
        print(
            f"errspec: cannot compare {args.spec} with {ref}; both must be valid specs",
            file=sys.stderr,
        )
        return Exit.INVALID
    found = diff_specs(old, new)
    # What the release needs comes first: it is the one finding about the whole change.
    findings = [*sorted(release_findings(old, new, found, sdk_files), key=Finding.sort_key), *found]
    threshold = SEVERITIES.index(args.fail_on)
    failed = any(SEVERITIES.index(f.severity) <= threshold for f in findings)
    report = Report(
        findings=findings,
        old=old,
        new=new,
        spec=args.spec,
        against=_source(args, spec_path),
        bump=required_bump(found, bool(sdk_files)),
        fail_on=args.fail_on,
        failed=failed,
        sdk_files=sdk_files,
    )
    sys.stdout.write(FORMATS[args.format](report))
    return Exit.DRIFT if failed else Exit.OK
