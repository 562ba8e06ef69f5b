"""The pipeline: one function runs every stage, in order.

    load -> schema -> rules -> model -> surface -> render -> post-process

`build` returns every output file's text; the commands write it (`generate`) or
compare it with the output directory (`check`). The cache and the worker process
wrap it from outside (`outputs`); nothing in the project tree decides whether a
stage runs.

The stages are imported when `build` runs, not with this module: `check` on a
cache hit runs none of them, and importing them costs more than the whole check.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import cache
from .project import Project
from .read import read_bytes_bounded

if TYPE_CHECKING:
    from .model import Spec
    from .postprocess import Workers
    from .surface import Surface


@dataclass(frozen=True)
class Loaded:
    """The spec and the surface as a caller already loaded them, with the bytes they were
    made from: the outputs made from them are cached under exactly these bytes."""

    spec: Spec
    surface: Surface
    inputs: tuple[bytes, bytes]


def build(project: Project, workers: Workers, loaded: Loaded | None = None) -> dict[str, str]:
    """Every output file's text, made from the project's spec and surface (or `loaded`).

    What the spec stage loaded is left frozen for the collector (gc.freeze): a command runs
    one build, and walking those objects again cost 0.1 s at 10,000 codes while rendering,
    and more at exit (unfreezing afterwards measured 0.5 s slower)."""
    from .render import render_all
    from .spec import start_spec
    from .surface import load_surface
    from .targets import TARGETS

    if loaded is not None:
        return render_all(loaded.spec, loaded.surface, TARGETS, workers)
    # load -> schema -> model, the rules judged beside them (in a child, with workers) while
    # the surface loads and the targets render: nothing leaves before their verdict is in,
    # and their problems come before any other error.
    spec, verdict = start_spec(project.spec, workers)
    gc.freeze()
    with verdict:
        surface = load_surface(project.openapi, str(project.openapi), spec)
        return render_all(spec, surface, TARGETS, workers)  # render -> post-process


def outputs(project: Project, loaded: Loaded | None = None) -> dict[str, str]:
    """`build`, from the user's cache when every input is unchanged, in a worker otherwise."""

    def produce() -> dict[str, str]:
        from .postprocess import Workers

        with Workers() as workers:
            return build(project, workers, loaded)

    def inputs() -> tuple[bytes, ...]:  # bounded reads: a bad input is reported, as uncached
        if loaded is not None:
            return loaded.inputs
        return tuple(read_bytes_bounded(p, str(p)) for p in (project.spec, project.openapi))

    return cache.cached(inputs, produce)
