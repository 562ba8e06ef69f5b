"""Where a project keeps its inputs and outputs.

A project is laid out like errspec's own repository: `spec/errors.yaml`,
`spec/openapi.yaml` beside it, outputs in `generated/`. Every path can be given on
the command line; defaults are taken relative to `--project` (the current directory).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class Refused(Exception):
    """errspec will not write the directory given as --out."""


class Project(NamedTuple):
    """The files one errspec run reads and the directory it writes."""

    root: Path
    spec: Path
    openapi: Path
    out: Path
    given_openapi: bool = False  # named on the command line: then it must exist
    templates: str | None = None  # --templates: the project's template overrides

    @classmethod
    def at(
        cls,
        root: str = ".",
        spec: str | None = None,
        openapi: str | None = None,
        out: str | None = None,
        templates: str | None = None,
    ) -> "Project":
        """The project in `root`, with explicit paths (relative to the current directory) winning."""
        base = Path(root)
        spec_path = Path(spec) if spec else base / "spec" / "errors.yaml"
        return cls(
            root=base,
            spec=spec_path,
            openapi=Path(openapi) if openapi else spec_path.parent / "openapi.yaml",
            out=Path(out) if out else base / "generated",
            given_openapi=openapi is not None,
            templates=templates,
        )
