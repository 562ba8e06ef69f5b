"""`errspec generate`: replace the output directory with the outputs, all at once."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..diagnostics import safe
from ..exits import Exit
from ..output.owner import check_out
from ..output.write import write_tree
from .produce import outputs, project_of, report


def run(args: argparse.Namespace) -> Exit:
    """Replace the output directory with the outputs, all at once; list what changed, and
    what it kept because errspec did not write it."""
    project = project_of(args)
    made = outputs(project)
    report(made, args.format, counted=True)
    written = write_tree(check_out(project), made.files)
    done = (
        ("created", written.created),
        ("changed", written.changed),
        ("removed", written.removed),
    )
    for label, paths in done:
        for path in paths:
            print(f"  {label} {_shown(project.out, path)}")
    for path, why in written.kept.items():
        print(f"  kept {_shown(project.out, path)}: {why}; remove it yourself if it may go")
    counts = [f"{len(paths)} {label}" for label, paths in done if paths]
    counts += [f"{len(written.kept)} kept"] if written.kept else []
    summary = ", ".join(counts)
    print(
        f"errspec: {project.out}/: {summary + ', ' if summary else ''}{written.unchanged} unchanged"
    )
    return Exit.OK


def _shown(out: Path, rel: str) -> str:
    return safe(f"{out}/{rel}")
