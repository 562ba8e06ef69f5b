"""`errspec validate`: everything `generate` checks, without writing anything.

The spec (schema and rules), the API surface (spec/openapi.yaml) against it, and every target
rendered in memory (through the same cache as `generate` and `check`, so an unchanged input set
costs only the cache look-up). Warnings (what the OpenAPI would leave out) never fail it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .diagnostics import Diagnostic, SpecError, workflow_command

EXIT_OK, EXIT_INVALID = 0, 2


def annotation(level: str, diagnostic: Diagnostic) -> str:
    """A diagnostic as a GitHub Actions annotation at its file, line and column."""
    return workflow_command(
        level,
        f"{diagnostic.message}; {diagnostic.hint}" if diagnostic.hint else diagnostic.message,
        file=diagnostic.file,
        line=diagnostic.line,
        col=diagnostic.col,
        title=f"errspec {level}",
    )


def report(diagnostics: list[Diagnostic], level: str, fmt: str) -> None:
    """Print diagnostics to stderr as text, or to stdout as annotations."""
    for diagnostic in diagnostics:
        if fmt == "github":
            print(annotation(level, diagnostic))
        elif level == "warning":
            print(replace(diagnostic, message=f"warning: {diagnostic.message}"), file=sys.stderr)
        else:
            print(diagnostic, file=sys.stderr)


def surface_warnings(spec_path: Path, display: str, openapi: Path) -> list[Diagnostic]:
    """What the merged OpenAPI document would leave out (see generator/rules/openapi.py)."""
    from .load import parse, read_text
    from .rules.openapi import warnings_of
    from .spec import load_spec
    from .surface import load_surface

    spec = load_spec(spec_path, display)
    surface = load_surface(openapi, str(openapi), spec)
    doc = parse(read_text(spec_path, display), display)
    return warnings_of(doc, surface)


def run_validate(args: argparse.Namespace, render: Callable[[], object]) -> int:
    """0 when `generate` would succeed (warnings printed), 2 with every problem when not.

    Without --openapi and with no openapi.yaml beside the spec, only the spec is checked, and
    validate says so: `generate` needs a surface and would refuse to run."""
    from .spec import load_spec

    spec_path = Path(args.spec)
    openapi = Path(args.openapi) if args.openapi else spec_path.parent / "openapi.yaml"
    alone = args.openapi is None and not openapi.exists()
    warnings: list[Diagnostic] = []
    try:
        spec = load_spec(spec_path, args.spec)
        if not alone:
            warnings = surface_warnings(spec_path, args.spec, openapi)
            render()
    except SpecError as exc:
        if args.format != "github":
            raise
        report(exc.diagnostics, "error", args.format)
        print(f"errspec: {len(exc.diagnostics)} problem(s) in the input", file=sys.stderr)
        return EXIT_INVALID
    report(warnings, "warning", args.format)
    if alone:
        print(
            f"errspec: no {openapi} beside the spec: checked the spec alone;"
            " `generate` needs the API surface (pass --openapi PATH)",
            file=sys.stderr,
        )
    what = "the spec alone" if alone else f"with {openapi} and every target"
    print(
        f"{args.spec}: valid ({len(spec.codes)} codes, {len(spec.categories)} categories), {what}"
        + (f"; {len(warnings)} warning(s)" if warnings else ""),
        file=sys.stdout if args.format == "text" else sys.stderr,
    )
    return EXIT_OK
