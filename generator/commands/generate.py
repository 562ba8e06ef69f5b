"""`errspec generate`: replace the output directory with the outputs, all at once."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..diagnostics import safe
from ..exits import Exit
from ..output.write import write_tree
from ..project import check_out
from .produce import outputs, project_of


def run(args: argparse.Namespace) -> Exit:
    """Replace the output directory with the outputs, all at once; list what changed."""
    project = project_of(args)
    files = outputs(project).files
    out = check_out(project, set(files))
    written = write_tree(out, files)
    done = (
        ("created", written.created),
        ("changed", written.changed),
        ("removed", written.removed),
    )
    for label, paths in done:
        for path in paths:
            print(f"  {label} {_shown(project.out, path)}")
    summary = ", ".join(f"{len(paths)} {label}" for label, paths in done if paths)
    print(
        f"errspec: {project.out}/: {summary + ', ' if summary else ''}{written.unchanged} unchanged"
    )
    return Exit.OK


def _shown(out: Path, rel: str) -> str:
    return safe(f"{out}/{rel}")
