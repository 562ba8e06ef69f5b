"""`errspec validate`: everything `generate` checks, without writing anything.

The spec (schema and rules), the API surface (spec/openapi.yaml) against it, and every target
rendered in memory (through the same cache as `generate` and `check`, so an unchanged input set
costs only the cache look-up). The spec is read and parsed once, for all three. Warnings (what
the OpenAPI would leave out) never fail it.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from .exits import Exit
from .diagnostics import Diagnostic, SpecError, safe, workflow_command
from .project import Project


def annotation(level: str, diagnostic: Diagnostic) -> str:
    """A diagnostic as a GitHub Actions annotation at its file, line and column."""
    return workflow_command(
        level,
        f"{diagnostic.message}; {diagnostic.hint}" if diagnostic.hint else diagnostic.message,
        file=diagnostic.file,
        line=diagnostic.line or None,
        col=diagnostic.col or None,
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


def run_validate(project: Project, explicit_openapi: bool, fmt: str) -> int:
    """0 when `generate` would succeed (warnings printed), 2 with every problem when not.

    Without --openapi and with no openapi.yaml beside the spec, only the spec is checked, and
    validate says so: `generate` needs a surface and would refuse to run."""
    from .pipeline import Loaded, outputs
    from .rules.openapi import warnings_of
    from .spec import load_checked
    from .surface import load_surface

    spec_path, openapi = project.spec, project.openapi
    alone = not explicit_openapi and not openapi.exists()
    warnings: list[Diagnostic] = []
    try:
        document, spec = load_checked(spec_path)
        if not alone:
            surface = load_surface(openapi, str(openapi), spec)
            warnings = warnings_of(document, surface)  # what the OpenAPI would leave out
            made_from = (document.positions.text.encode(), surface.text.encode())
            del document  # its positions are no longer needed while the targets render
            outputs(project, Loaded(spec, surface, made_from))
    except SpecError as exc:
        if fmt != "github":
            raise
        report(exc.diagnostics, "error", fmt)
        print(f"errspec: {len(exc.diagnostics)} problem(s) in the input", file=sys.stderr)
        return Exit.INVALID
    report(warnings, "warning", fmt)
    if alone:
        print(
            f"errspec: no {safe(str(openapi))} beside the spec: checked the spec alone;"
            " `generate` needs the API surface (pass --openapi PATH)",
            file=sys.stderr,
        )
    what = "the spec alone" if alone else f"with {openapi} and every target"
    print(
        safe(
            f"{spec_path}: valid ({len(spec.codes)} codes, {len(spec.categories)} categories),"
            f" {what}" + (f"; {len(warnings)} warning(s)" if warnings else "")
        ),
        file=sys.stdout if fmt == "text" else sys.stderr,
    )
    return Exit.OK
