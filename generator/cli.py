"""The `errspec` command line: validate, generate, check, explain, diff."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path
from typing import Callable, Sequence

from . import __version__
from .diagnostics import SpecError, safe, workflow_command
from .exits import Exit
from .project import Project, Refused

FIX = "errspec generate"
TITLE = "errspec drift"


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
        if name == "check":
            p.add_argument(
                "--format",
                choices=("text", "github"),
                default="text",
                help="github: workflow-command annotations for GitHub Actions (default: text)",
            )
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
        return int(_COMMANDS[args.command](args))
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        written = "; nothing was written" if args.command == "generate" else ""
        print(f"errspec: {len(exc.diagnostics)} problem(s){written}", file=sys.stderr)
        return Exit.INVALID
    except Refused as exc:
        print(f"errspec: {safe(str(exc))}", file=sys.stderr)
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
            traceback.print_exc()
        detail = safe(" ".join(str(exc).split()))
        print(
            f"errspec: internal error: {type(exc).__name__}: {detail!r}; this is a bug in"
            " errspec, please report it (ERRSPEC_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return Exit.BUG


def _project(args: argparse.Namespace) -> Project:
    return Project.at(
        args.project, args.spec, getattr(args, "openapi", None), getattr(args, "out", None)
    )


def _validate(args: argparse.Namespace) -> Exit:
    from .validate import run_validate

    return Exit(run_validate(_project(args), args.openapi is not None, args.format))


def _generate(args: argparse.Namespace) -> Exit:
    from .output import write_tree
    from .pipeline import outputs
    from .project import check_out

    project = _project(args)
    files = outputs(project)
    out = check_out(project, set(files))
    written = write_tree(out, files)
    for label, paths in (
        ("created", written.created),
        ("changed", written.changed),
        ("removed", written.removed),
    ):
        for path in paths:
            print(f"  {label} {_shown(project.out, path)}")
    summary = ", ".join(
        f"{len(paths)} {label}"
        for label, paths in (
            ("created", written.created),
            ("changed", written.changed),
            ("removed", written.removed),
        )
        if paths
    )
    print(
        f"errspec: {project.out}/: {summary + ', ' if summary else ''}{written.unchanged} unchanged"
    )
    return Exit.OK


def _shown(out: Path, rel: str) -> str:
    return safe(f"{out}/{rel}")


def _check(args: argparse.Namespace) -> Exit:
    from .output import compare_tree
    from .pipeline import outputs

    project = _project(args)
    drift = compare_tree(project.out, outputs(project), str(project.out))
    if not drift:
        print(f"errspec: {safe(str(project.out))}/ is in sync with {safe(str(project.spec))}")
        return Exit.OK
    problems = (
        [(p, "differs from what the spec produces", drift.first_line[p]) for p in drift.changed]
        + [(p, "is missing", 0) for p in drift.missing]
        + [(p, "is not produced by any target (stale)", 0) for p in drift.stale]
        + [(p, f"is {what}, not a generated file", 0) for p, what in drift.odd.items()]
    )
    for rel, what, line in sorted(problems):
        path = f"{project.out}/{rel}"
        if args.format == "github":
            print(
                workflow_command(
                    "error", f"{path} {what}; run `{FIX}`", file=path, line=line, title=TITLE
                )
            )
        else:
            print(f"{safe(path)}: {what}")
    if args.format == "text":
        for rel in drift.changed:
            sys.stdout.write(drift.diffs.get(rel, ""))
    print(
        f"errspec: {safe(str(project.out))}/ is out of date; run `{FIX}` and commit the result",
        file=sys.stderr,
    )
    return Exit.DRIFT


def _explain(args: argparse.Namespace) -> Exit:
    from .explain import explain
    from .spec import load_spec

    text, code = explain(load_spec(_project(args).spec), args.code, args.lang)
    (sys.stdout if code == Exit.OK else sys.stderr).write(text)
    return Exit(code)


def _diff(args: argparse.Namespace) -> Exit:
    from .diff import run_diff

    project = _project(args)
    args.spec, args.out = str(project.spec), str(project.out)
    return Exit(run_diff(args))


_COMMANDS: dict[str, Callable[[argparse.Namespace], Exit]] = {
    "validate": _validate,
    "generate": _generate,
    "check": _check,
    "explain": _explain,
    "diff": _diff,
}
