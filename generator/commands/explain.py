"""`errspec explain CODE|NAME`: one code's documentation in the terminal."""

from __future__ import annotations

import argparse
import sys

from ..exits import Exit
from ..explain import explain as explained
from ..pipeline import check_spec
from ..read import read_text
from .produce import project_of


def run(args: argparse.Namespace) -> Exit:
    """One code's documentation, live or retired; 2 for an unknown code or locale."""
    spec_path = project_of(args).spec
    spec = check_spec(read_text(spec_path, str(spec_path)), str(spec_path)).spec
    text, code = explained(spec, args.code, args.lang)
    (sys.stdout if code == Exit.OK else sys.stderr).write(text)
    return Exit(code)
