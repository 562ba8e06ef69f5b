"""`errspec site`: build the static reference site into its directory (default `_site/`),
all at once, as `generate` writes its outputs: the same refusals, and only the files the
site's marker lists are ever removed."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..diagnostics import safe
from ..exits import Exit
from ..output.owner import check_out
from ..output.write import write_tree
from ..project import Project
from ..read import read_inputs
from ..site.build import build_site
from ..workers import Workers

DEFAULT_OUT = "_site"


def site_project(args: argparse.Namespace) -> Project:
    """The project the arguments name, writing the site's directory."""
    out = args.out if args.out else str(Path(args.project) / DEFAULT_OUT)
    return Project.at(args.project, args.spec, None, out, getattr(args, "templates", None))


def run(args: argparse.Namespace) -> Exit:
    """Replace the site's directory with the site; say what changed."""
    project = site_project(args)
    out = check_out(project)
    with Workers({}) as workers:  # no post-processing step: no tool to warm up
        files = build_site(read_inputs(project), workers)
    written = write_tree(out, files)
    counts = {
        "created": len(written.created),
        "changed": len(written.changed),
        "removed": len(written.removed),
    }
    for path, why in written.kept.items():
        print(f"  kept {safe(f'{project.out}/{path}')}: {why}; remove it yourself if it may go")
    summary = ", ".join(f"{n} {label}" for label, n in counts.items() if n)
    kept = f", {len(written.kept)} kept" if written.kept else ""
    print(
        f"errspec: {safe(str(project.out))}/: {len(files) - 1} files"
        f" ({summary + ', ' if summary else ''}{written.unchanged} unchanged{kept})"
    )
    return Exit.OK
