"""The pipeline: one function runs every stage, in order.

    load -> schema -> rules -> model -> surface -> render -> post-process

`build` returns every output file's text; the commands write it (`generate`) or
compare it with the output directory (`check`). The cache and the worker process
wrap it from outside (`outputs`); nothing in the project tree decides whether a
stage runs.
"""

from __future__ import annotations

from . import cache
from .load import read_bytes_bounded
from .postprocess import Workers
from .project import Project
from .render import render, with_header
from .model import Spec
from .spec import load_spec
from .surface import Surface, load_surface
from .targets import TARGETS, Target, expand


def build(project: Project, workers: Workers) -> dict[str, str]:
    """Every output file's text, made from the project's spec and surface."""
    spec = load_spec(project.spec)  # load -> schema -> rules -> model
    surface = load_surface(project.openapi, str(project.openapi), spec)
    return render_all(spec, surface, TARGETS, workers)


def render_all(
    spec: Spec,
    surface: Surface | None = None,
    targets: tuple[Target, ...] | None = None,
    workers: Workers | None = None,
) -> dict[str, str]:
    """render -> post-process: {path: text} of every target (default: the whole table)."""
    targets = expand(TARGETS if targets is None else targets, spec.locales)
    workers = workers or Workers.inline()
    context = {"spec": spec, "surface": surface}
    # Post-processed targets first: their steps run in the worker while the rest renders.
    jobs = {t.path: workers.start(t.post, render(t, **context)) for t in targets if t.post}
    files = {t.path: render(t, **context) for t in targets if not t.post}
    files |= {t.path: with_header(t, jobs[t.path].result()) for t in targets if t.post}
    return {t.path: files[t.path] for t in targets}


def outputs(project: Project) -> dict[str, str]:
    """`build`, from the user's cache when every input is unchanged, in a worker otherwise."""

    def produce() -> dict[str, str]:
        with Workers() as workers:
            return build(project, workers)

    def inputs() -> tuple[bytes, ...]:  # bounded reads: a bad input is reported, as uncached
        return tuple(read_bytes_bounded(p, str(p)) for p in (project.spec, project.openapi))

    return cache.cached(inputs, produce)
