"""The project's outputs: from the user's cache when its inputs are unchanged, else built by
the pipeline in worker processes."""

from __future__ import annotations

import argparse
import sys

from .. import cache
from ..diagnostics import print_diagnostics, safe
from ..outputs import Outputs
from ..project import Project
from ..read import Inputs, read_inputs


def project_of(args: argparse.Namespace) -> Project:
    """The project the arguments name."""
    return Project.at(
        args.project,
        args.spec,
        getattr(args, "openapi", None),
        getattr(args, "out", None),
        getattr(args, "templates", None),
    )


def report(made: Outputs, fmt: str, counted: bool = False) -> None:
    """Print the spec's warnings (each once, at its place) and notes; with `counted`, a line
    that counts the warnings."""
    print_diagnostics(list(made.warnings), "warning", fmt)
    for note in made.notes:
        print(safe(f"errspec: note: {note}"), file=sys.stderr)
    if counted and made.warnings:
        print(f"errspec: {len(made.warnings)} warning(s) in the spec", file=sys.stderr)


def outputs(project: Project) -> Outputs:
    """The project's outputs: from the cache, or built by the pipeline in worker processes."""
    return cache.outputs(read_inputs(project), _build, project)


def _build(inputs: Inputs) -> Outputs:
    # The stages are imported here, not at the top: a cache-hit `check` runs none of them,
    # and importing them costs more than the whole check (README, "Determinism and speed").
    from ..pipeline import build
    from ..postprocess import STEPS
    from ..workers import Workers

    with Workers(STEPS) as run:
        return build(inputs, run)
