"""`errspec validate`: everything `generate` checks, without writing anything: the spec, the API
surface against it and every target rendered in memory (through the same cache as `generate`
and `check`). Warnings never fail it."""

from __future__ import annotations

import argparse
import sys

from ..diagnostics import print_diagnostics, safe
from ..exits import Exit
from ..outputs import Outputs
from ..pipeline import check_spec
from ..read import read_text
from .produce import outputs, project_of


def run(args: argparse.Namespace) -> Exit:
    """0 when `generate` would succeed (warnings printed), 2 with every problem when not.

    Without --openapi and with no openapi.yaml beside the spec, only the spec is checked, and
    validate says so: `generate` needs a surface and would refuse to run."""
    project = project_of(args)
    alone = args.openapi is None and not project.openapi.exists()
    if alone:
        spec = check_spec(read_text(project.spec, str(project.spec)), str(project.spec)).spec
        made = Outputs({}, (), len(spec.codes), len(spec.categories))
    else:
        made = outputs(project)
    print_diagnostics(list(made.warnings), "warning", args.format)
    if alone:
        print(
            f"errspec: no {safe(str(project.openapi))} beside the spec: checked the spec alone;"
            " `generate` needs the API surface (pass --openapi PATH)",
            file=sys.stderr,
        )
    what = "the spec alone" if alone else f"with {project.openapi} and every target"
    warned = f"; {len(made.warnings)} warning(s)" if made.warnings else ""
    print(
        safe(
            f"{project.spec}: valid ({made.codes} codes, {made.categories} categories),"
            f" {what}{warned}"
        ),
        file=sys.stdout if args.format == "text" else sys.stderr,
    )
    return Exit.OK
