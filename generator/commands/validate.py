"""`errspec validate`: everything `generate` checks, without writing anything: the spec, the API
surface against it and every target rendered in memory (through the same cache as `generate`
and `check`). Warnings never fail it."""

from __future__ import annotations

import argparse
import sys

from ..diagnostics import safe
from ..exits import Exit
from .produce import outputs, project_of, report


def run(args: argparse.Namespace) -> Exit:
    """0 when `generate` would succeed (warnings and notes printed), 2 with every problem
    when not."""
    project = project_of(args)
    made = outputs(project)
    report(made, args.format)
    surface = made.surface or "no API surface"
    print(
        safe(
            f"{project.spec}: valid ({made.codes} codes, {made.categories} categories),"
            f" with {surface} and every target"
            + (f"; {len(made.warnings)} warning(s)" if made.warnings else "")
        ),
        file=sys.stdout if args.format == "text" else sys.stderr,
    )
    return Exit.OK
