"""The `errspec diff` command: load both sides, run every rule, print the findings."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ..exits import Exit
from ..diagnostics import SpecError, safe
from ..pipeline import Checked, check_spec
from ..read import read_text
from .finding import SEVERITIES, Finding
from .format import FORMATS, Report
from .git import Unreadable, commit_of, spec_at
from .packages import changed_package_files
from .release import release_findings, required_bump
from .specs import diff_specs


def load_against(ref: str, spec_path: Path, is_file: bool = False) -> Checked:
    """The validated spec REF names: a git revision of `spec_path`, or (`is_file`) a spec file's
    path, a pipe's (`<(git show REV:spec/errors.yaml)`) or "-" for standard input. The two
    are never guessed from each other: a file never shadows a revision."""
    if is_file:
        return check_spec(read_text(Path(ref), ref, pipes=True), ref)
    text, display = spec_at(ref, spec_path)
    return check_spec(text, display)


def _load(
    load: Callable[[], Checked], ref: str, problems: list[str], is_file: bool = False
) -> Checked | None:
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
        problems.append(safe(f"errspec: cannot read the spec at {ref}: {exc}; {hint}"))
    return None


def _source(args: argparse.Namespace, spec_path: Path) -> str:
    """What `diff` compares with, as it says so: "file PATH" or "REV:PATH (commit SHA)"."""
    if args.against_file is not None:
        return f"file {args.against_file}"
    try:
        _, display = spec_at(args.against, spec_path)
        commit = commit_of(spec_path.absolute().parent, args.against)
        return f"{display} (commit {commit[:12]})"
    except (Unreadable, SpecError):
        return str(args.against)


def run_diff(args: argparse.Namespace) -> int:
    """`errspec diff`: print the findings; 0 when none reaches --fail-on, 1 when one does,
    2 when either spec is invalid or REF cannot be read."""
    spec_path = Path(args.spec)
    ref = args.against if args.against_file is None else args.against_file
    problems: list[str] = []
    new = _load(lambda: check_spec(read_text(spec_path, args.spec), args.spec), args.spec, problems)
    is_file = args.against_file is not None
    old = _load(lambda: load_against(ref, spec_path, is_file), ref, problems, is_file)
    if old is None or new is None or problems:
        for line in problems:
            print(line, file=sys.stderr)
        print(
            safe(f"errspec: cannot compare {args.spec} with {ref}; both must be valid specs"),
            file=sys.stderr,
        )
        return Exit.INVALID
    found = diff_specs(old.spec, new.spec)
    package_files = changed_package_files(old.spec, new.spec)
    # What the release needs comes first: it is the one finding about the whole change.
    release = release_findings(old.spec, new.spec, found, package_files)
    findings = [*sorted(release, key=Finding.sort_key), *found]
    threshold = SEVERITIES.index(args.fail_on)
    failed = any(SEVERITIES.index(f.severity) <= threshold for f in findings)
    report = Report(
        findings=findings,
        old=old.spec,
        new=new.spec,
        positions=new.document.positions,
        spec=args.spec,
        against=_source(args, spec_path),
        bump=required_bump(found, package_files),
        fail_on=args.fail_on,
        failed=failed,
        package_files=package_files,
    )
    sys.stdout.write(FORMATS[args.format](report))
    return Exit.DRIFT if failed else Exit.OK
