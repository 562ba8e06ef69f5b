"""The `errspec` command line: validate, generate, check, site, serve, explain, diff.

`main(argv)` parses the arguments, runs the command (commands/) and turns every error into
its exit code (exits.py); `entry()`, the console script, also sets the process's policy.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import os
import sys
from typing import Sequence

from . import __version__
from .diagnostics import SpecError, print_diagnostics, safe
from .exits import Exit
from .project import Refused
from .read import MAX_SPEC_BYTES


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="errspec", description="Generate and check every error artefact from spec/errors.yaml."
    )
    parser.add_argument(
        "--version", action="version", version=f"errspec {__version__}", help="print the version"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument(
            "--project",
            default=".",
            help="the project directory; the other paths default inside it (default: %(default)s)",
        )
        p.add_argument("--spec", help="the registry (default: PROJECT/spec/errors.yaml)")
        return p

    p = command(
        "validate",
        "check the spec, the API surface and every target (nothing is written);"
        " exit 0 when `generate` would succeed, 2 when not",
    )
    p.add_argument(
        "--openapi", help="hand-written API surface (default: openapi.yaml beside the spec)"
    )
    p.add_argument(
        "--out", help="output directory whose files are reused (default: PROJECT/generated)"
    )
    p.add_argument(
        "--templates",
        metavar="DIR",
        help="a folder whose templates override errspec's own (default: the spec's `templates`)",
    )
    p.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text, or github: problems as workflow annotations at their file, line and column",
    )
    for name, help in (
        ("generate", "write every target under the output directory, all at once"),
        ("check", "exit 1 when the output directory differs from what the spec produces"),
    ):
        p = command(name, help)
        p.add_argument("--out", help="output directory (default: PROJECT/generated)")
        p.add_argument(
            "--openapi", help="hand-written API surface (default: openapi.yaml beside the spec)"
        )
        p.add_argument(
            "--format",
            choices=("text", "github"),
            default="text",
            help="github: problems and warnings as workflow annotations (default: text)",
        )
        p.add_argument(
            "--templates",
            metavar="DIR",
            help="a folder whose templates override errspec's own (default: the spec's"
            " `templates`, if any)",
        )
        if name == "check":
            p.add_argument(
                "--no-warnings",
                action="store_true",
                help="leave the spec's warnings out (a step before, such as validate, showed them)",
            )
    p = sub.add_parser(
        "init",
        help="scaffold a working registry: an example spec, an API surface, CI and the outputs",
        description="scaffold a working registry: an example spec, an API surface, CI and the"
        " outputs; refuses a folder that already holds any of its files",
    )
    p.add_argument(
        "dir", nargs="?", default=".", help="the registry's folder (default: %(default)s)"
    )
    p.add_argument(
        "--locales",
        default="en",
        help="comma-separated locales (default: %(default)s); errspec has example texts in en"
        " and zh, and any other shows the first of those until it has its own",
    )
    p.add_argument(
        "--websocket", action="store_true", help="describe a WebSocket API too (default: HTTP only)"
    )
    for name, help in (
        (
            "site",
            "build the static reference site (a page per code and locale, search, errors.json)",
        ),
        ("serve", "preview the site on 127.0.0.1, rebuilt and reloaded as the spec changes"),
    ):
        p = command(name, help)
        p.add_argument(
            "--templates",
            metavar="DIR",
            help="a folder whose templates override errspec's own (default: the spec's"
            " `templates`, if any)",
        )
        if name == "site":
            p.add_argument("--out", help="the site's directory (default: PROJECT/_site)")
        else:
            p.add_argument("--port", type=int, default=8000, help="the port (default: %(default)s)")
    p = command("explain", "print the documentation of one code, live or retired")
    p.add_argument("code", help="the error code (3001) or its name (RATE_LIMIT_EXCEEDED)")
    p.add_argument("--lang", help="locale of the text (default: the spec's first locale)")
    p = command("diff", "report breaking changes against another version of the spec")
    against = p.add_mutually_exclusive_group(required=True)
    against.add_argument(
        "--against",
        metavar="REV",
        help="a git revision (HEAD, main, a commit): compare with the spec it holds",
    )
    against.add_argument(
        "--against-file", metavar="PATH", help="compare with another spec file instead"
    )
    p.add_argument(
        "--out",
        help="output directory whose SDK files are compared with REV's"
        " (default: PROJECT/generated)",
    )
    p.add_argument(
        "--format",
        choices=("text", "json", "github", "markdown"),
        default="text",
        help="text; json; github (workflow annotations); markdown (release notes)",
    )
    p.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default="error",
        help="exit 1 when a finding of this severity or worse is found (default: error)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one errspec command; returns its exit code (see generator.exits)."""
    args = _parser().parse_args(argv)
    try:
        # One module per command, imported only when chosen: a cache-hit `check` must not
        # import the stages (README, "Determinism and speed").
        command = importlib.import_module(f".commands.{args.command}", __package__)
        return int(command.run(args))
    except SpecError as exc:
        fmt = getattr(args, "format", "text")
        github = fmt == "github" and args.command != "diff"
        print_diagnostics(exc.diagnostics, "error", "github" if github else "text")
        written = "; nothing was written" if args.command in ("generate", "site") else ""
        where = " in the input" if github else ""
        print(f"errspec: {len(exc.diagnostics)} problem(s){where}{written}", file=sys.stderr)
        return Exit.INVALID
    except Refused as exc:
        print(f"errspec: {safe(str(exc))}", file=sys.stderr)
        return Exit.INVALID
    except MemoryError:
        print(
            "errspec: out of memory: the input needs more memory than this machine gives"
            f" errspec (inputs are at most {MAX_SPEC_BYTES >> 20} MiB each); nothing was"
            " changed",
            file=sys.stderr,
        )
        return Exit.INVALID
    except OSError as exc:
        name = exc.filename if exc.filename is not None else ""
        print(
            f"errspec: cannot write {safe(str(name))}: {exc.strerror or exc}; nothing was changed",
            file=sys.stderr,
        )
        return Exit.IO
    except Exception as exc:  # noqa: BLE001 - a bug: one line and its own exit code
        if os.environ.get("ERRSPEC_DEBUG"):
            import traceback  # only for a bug: it costs a twentieth of a cache-hit check

            traceback.print_exc()
        detail = safe(" ".join(str(exc).split()))
        print(
            f"errspec: internal error: {type(exc).__name__}: {detail!r}; this is a bug in"
            " errspec, please report it (ERRSPEC_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return Exit.BUG


# Collections of the youngest generation only every 50,000 allocations, full ones rarely: a
# run allocates millions of objects that live to its end (the parsed spec), and walking them
# again and again cost several times the parse of a large spec; what Jinja leaves in cycles
# is still collected.
_GC_THRESHOLDS = (50_000, 20, 100)


def entry() -> None:
    """The `errspec` console script (and `python -m generator`): the process's policy, then
    one command."""
    gc.set_threshold(*_GC_THRESHOLDS)
    for stream in (sys.stdout, sys.stderr):  # what the terminal cannot show is escaped
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    raise SystemExit(main())
