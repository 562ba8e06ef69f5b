"""Rendering: every target of the table from the Spec, with the one Jinja environment;
post-processed targets go through their step (in the worker, when there is one)."""

from __future__ import annotations

from functools import lru_cache, partial
from typing import Any

import jinja2

from .filters import FILTERS
from .model import Spec
from .postprocess import Workers
from .resources import TEMPLATES
from .surface import Surface
from .targets import TARGETS, Target, expand


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one Jinja environment: strict, and whitespace-exact."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(FILTERS)
    return env


def render_template(name: str, **context: Any) -> str:
    """Render one template with the given context."""
    return environment().get_template(name).render(**context)


def render(target: Target, **context: Any) -> str:
    """The text of one target (before post-processing), its header line included."""
    body = render_template(target.template, **context, **target.context)
    if target.comment is None or target.post is not None:
        return body
    return render_template("_header.jinja", comment=target.comment) + body


def with_header(target: Target, body: str) -> str:
    """A post-processed target's text: its header line, then the step's output."""
    assert target.comment is not None, target.path
    return render_template("_header.jinja", comment=target.comment) + body


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
    # Post-processed targets first: their steps run in the worker while the rest renders,
    # shared between this process and a child.
    jobs = {t.path: workers.start(t.post, render(t, **context)) for t in targets if t.post}
    plain = [t for t in targets if not t.post]
    texts = workers.share([partial(render, t, **context) for t in plain])
    files = {t.path: text for t, text in zip(plain, texts)}
    files |= {t.path: with_header(t, jobs[t.path].result()) for t in targets if t.post}
    return {t.path: files[t.path] for t in targets}
