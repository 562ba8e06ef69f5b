"""`errspec check`: does the output directory hold exactly what the spec produces?

On the hot path of every pull request: with the outputs cached, it imports none of the
stages."""

from __future__ import annotations

import argparse
import sys

from ..diagnostics import safe, workflow_command
from ..exits import Exit
from ..output.compare import compare_tree
from .produce import outputs, project_of, report

FIX = "errspec generate"
TITLE = "errspec drift"


def run(args: argparse.Namespace) -> Exit:
    """0 when the output directory holds exactly the outputs (as git serves them too), 1
    (with what differs) when not."""
    project = project_of(args)
    made = outputs(project)
    if not args.no_warnings:
        report(made, args.format, counted=True)
    drift = compare_tree(project.out, made.files, str(project.out))
    if not drift:
        print(f"errspec: {safe(str(project.out))}/ is in sync with {safe(str(project.spec))}")
        return Exit.OK
    out = project.out
    problems = (
        [
            (p, "differs from what the spec produces", FIX, drift.first_line[p])
            for p in drift.changed
        ]
        + [(p, "is missing", FIX, 0) for p in drift.missing]
        + [(p, "is not produced by any target (stale)", FIX, 0) for p in drift.stale]
        + [(p, f"is {what}, not a generated file", FIX, 0) for p, what in drift.odd.items()]
        + [(p, f"not staged: git add {out}/{p}", "", 0) for p in drift.unstaged]
        + [(p, what, _unserved_fix(what, f"{out}/{p}"), 0) for p, what in drift.unserved.items()]
    )
    for rel, what, fix, line in sorted(problems):
        path = f"{out}/{rel}"
        if args.format == "github":
            message = f"{path} {what}" + (f"; run `{fix}`" if fix else "")
            print(workflow_command("error", message, file=path, line=line, title=TITLE))
        else:
            print(f"{safe(path)}: {safe(what)}" + (f"; {safe(fix)}" if fix and fix != FIX else ""))
    if args.format == "text":
        for rel in drift.changed:
            sys.stdout.write(shown_diff(drift.diffs.get(rel, "")))
    unstaged_only = not (
        drift.changed or drift.missing or drift.stale or drift.odd or drift.unserved
    )
    ending = (
        "is not staged; git add it and commit"
        if unstaged_only
        else f"is out of date; run `{FIX}` and commit the result"
    )
    print(f"errspec: {safe(str(out))}/ {ending}", file=sys.stderr)
    return Exit.DRIFT


def _unserved_fix(what: str, path: str) -> str:
    if "skip-worktree" in what or "assume-unchanged" in what:
        return f"git update-index --no-skip-worktree --no-assume-unchanged {path}"
    if "attribute" in what:
        return "remove the attribute from .gitattributes for generated files"
    return f"git rm --cached {path}, then {FIX}"


def shown_diff(diff: str) -> str:
    """A unified diff for the terminal: each line's text escaped (a file on disk may hold
    anything), tabs kept."""
    return "\n".join(safe(line, tabs=True) for line in diff.split("\n"))
