"""`errspec check`: does the output directory hold exactly what the spec produces?

On the hot path of every pull request: with the outputs cached, it imports none of the
stages."""

from __future__ import annotations

import argparse
import sys

from ..diagnostics import safe, workflow_command
from ..exits import Exit
from ..output.compare import compare_tree
from .produce import outputs, project_of

FIX = "errspec generate"
TITLE = "errspec drift"


def run(args: argparse.Namespace) -> Exit:
    """0 when the output directory holds exactly the outputs, 1 (with what differs) when not."""
    project = project_of(args)
    drift = compare_tree(project.out, outputs(project).files, str(project.out))
    if not drift:
        print(f"errspec: {safe(str(project.out))}/ is in sync with {safe(str(project.spec))}")
        return Exit.OK
    problems = (
        [(p, "differs from what the spec produces", drift.first_line[p]) for p in drift.changed]
        + [(p, "is missing", 0) for p in drift.missing]
        + [(p, "is not produced by any target (stale)", 0) for p in drift.stale]
        + [(p, f"is {what}, not a generated file", 0) for p, what in drift.odd.items()]
    )
    for rel, what, line in sorted(problems):
        path = f"{project.out}/{rel}"
        if args.format == "github":
            print(
                workflow_command(
                    "error", f"{path} {what}; run `{FIX}`", file=path, line=line, title=TITLE
                )
            )
        else:
            print(f"{safe(path)}: {what}")
    if args.format == "text":
        for rel in drift.changed:
            sys.stdout.write(drift.diffs.get(rel, ""))
    print(
        f"errspec: {safe(str(project.out))}/ is out of date; run `{FIX}` and commit the result",
        file=sys.stderr,
    )
    return Exit.DRIFT
