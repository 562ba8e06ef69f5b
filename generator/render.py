"""Rendering: every target of the table from the Spec, with the one Jinja environment."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2

from .filters import FILTERS
from .resources import TEMPLATES
from .targets import Target


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
