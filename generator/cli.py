"""The `errspec` command line: validate, generate, check, explain, diff."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from .model import Spec

EXIT_OK, EXIT_DRIFT, EXIT_INVALID = 0, 1, 2
FIX = "make generate"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="errspec", description="Generate and check every error artefact from spec/errors.yaml."
    )
    from . import __version__

    parser.add_argument(
        "--version", action="version", version=f"errspec {__version__}", help="print the version"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument(
            "--spec", default="spec/errors.yaml", help="the registry (default: %(default)s)"
        )
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
        "--out",
        default="generated",
        help="output directory whose files are reused (default: %(default)s)",
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
        p.add_argument("--out", default="generated", help="output directory (default: %(default)s)")
        p.add_argument(
            "--openapi", help="hand-written API surface (default: openapi.yaml beside the spec)"
        )
        if name == "check":
            p.add_argument(
                "--format",
                choices=("text", "github"),
                default="text",
                help="text, or github: drift as workflow annotations",
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
        default="generated",
        help="output directory whose SDK files are compared with REV's (default: %(default)s)",
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
        help="exit 1 when a finding is this severe or worse (default: %(default)s)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one errspec command; returns the exit code."""
    args = _parser().parse_args(argv)
    from .diagnostics import SpecError

    try:
        return _COMMANDS[args.command](args)
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        print(f"errspec: {len(exc.diagnostics)} problem(s); nothing was written", file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:
        # A bug or an I/O failure: one line, not a traceback. Outputs are swapped in at
        # once, so nothing was half written.
        detail = " ".join(str(exc).split())
        print(f"errspec: internal error: {type(exc).__name__}: {detail}", file=sys.stderr)
        return EXIT_INVALID


def _spec(args: argparse.Namespace) -> Spec:
    from .spec import load_spec

    return load_spec(Path(args.spec), args.spec)


def _render(args: argparse.Namespace, eager_workers: bool = True) -> dict[str, str]:
    from .cache import cached_outputs

    openapi = Path(args.openapi) if args.openapi else Path(args.spec).parent / "openapi.yaml"
    return cached_outputs(
        Path(args.spec), openapi, lambda: _render_fresh(args, openapi, eager_workers)
    )


def _render_fresh(args: argparse.Namespace, openapi: Path, eager: bool) -> dict[str, str]:
    from .workers import post_workers

    # First: eager workers fork from a process that is still small.
    with post_workers(lazy=not eager):
        from .output import existing_reader
        from .render import render_all
        from .surface import load_surface

        spec = _spec(args)
        surface = load_surface(openapi, str(openapi), spec)
        return render_all(spec, existing_reader(Path(args.out)), {"surface": surface})


def _validate(args: argparse.Namespace) -> int:
    from .validate import run_validate

    return run_validate(args, lambda: _render(args, eager_workers=False))


def _generate(args: argparse.Namespace) -> int:
    from .output import write_tree

    files = _render(args)
    changed = write_tree(Path(args.out), files)
    print(f"errspec: {'wrote' if changed else 'unchanged'} {len(files)} files in {args.out}/")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .output import compare_tree

    # Usually in sync: every post-processing step is reused, so workers start only when needed.
    drift = compare_tree(Path(args.out), _render(args, eager_workers=False), args.out)
    if not drift:
        print(f"errspec: {args.out}/ is in sync with {args.spec}")
        return EXIT_OK
    problems = (
        [(p, "differs from what the spec produces") for p in drift.changed]
        + [(p, "is missing") for p in drift.missing]
        + [(p, "is not produced by any target (stale)") for p in drift.stale]
    )
    for rel, what in sorted(problems):
        path = f"{args.out}/{rel}"
        if args.format == "github":
            print(f"::error file={path},title=errspec drift::{path} {what}; run `{FIX}`")
        else:
            print(f"{path}: {what}")
    if args.format == "text":
        for rel in drift.changed:
            sys.stdout.write(drift.diffs[rel])
    print(
        f"errspec: {args.out}/ is out of date; run `{FIX}` and commit the result", file=sys.stderr
    )
    return EXIT_DRIFT


def _explain(args: argparse.Namespace) -> int:
    from .explain import explain

    text, code = explain(_spec(args), args.code, args.lang)
    (sys.stdout if code == EXIT_OK else sys.stderr).write(text)
    return code


def _diff(args: argparse.Namespace) -> int:
    from .diff import run_diff

    return run_diff(args)


_COMMANDS = {
    "validate": _validate,
    "generate": _generate,
    "check": _check,
    "explain": _explain,
    "diff": _diff,
}
