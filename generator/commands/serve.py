"""`errspec serve`: the reference site on 127.0.0.1, rebuilt and reloaded as its inputs
change; Ctrl-C stops it."""

from __future__ import annotations

import argparse
import signal
import sys

from ..diagnostics import safe
from ..exits import Exit
from ..project import Project
from ..site.serve import serve


def run(args: argparse.Namespace) -> Exit:
    """Serve until Ctrl-C, then exit 0."""
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even if inherited ignored
    project = Project.at(args.project, args.spec, None, None, args.templates)
    serve(project, args.port, lambda line: print(safe(line), file=sys.stderr, flush=True))
    return Exit.OK
