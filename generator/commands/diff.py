"""`errspec diff`: what changed against another version of the spec, and the release it needs."""

from __future__ import annotations

import argparse

from ..diff import run_diff
from ..exits import Exit
from .produce import project_of


def run(args: argparse.Namespace) -> Exit:
    """What changed against another version of the spec, and the release it needs."""
    project = project_of(args)
    args.spec, args.out = str(project.spec), str(project.out)
    return Exit(run_diff(args))
