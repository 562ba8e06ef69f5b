"""Stage: render targets with Jinja, from the Spec and the API surface.

One environment for every template: strict (an unknown name fails loudly), whitespace-exact,
no autoescape (each output escapes through its named filters, filters.py).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2

from .filters import FILTERS
from .model import Spec
from .resources import TEMPLATES
from .surface import Surface
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


def header(target: Target) -> str:
    """The target's header line ("" for a file without one)."""
    if target.comment is None:
        return ""
    return render_template("_header.jinja", comment=target.comment)


def render(target: Target, spec: Spec, surface: Surface) -> str:
    """The text of one target. A target with a post-processing step gets its header after
    the step (postprocess); every other one gets it here."""
    body = render_template(target.template, spec=spec, surface=surface, **target.context)
    return body if target.post else header(target) + body
