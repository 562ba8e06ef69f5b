"""Stage 4: render every target of the table from the Spec, in memory."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any, Callable

import jinja2

from generator.filters import FILTERS
from generator.model import Spec
from generator.targets import TARGETS, Target

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

Existing = Callable[[str], "bytes | None"]


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


def header(comment: str, stamp: str = "") -> str:
    """The one-line "generated, do not edit" header in a file's comment syntax."""
    return render_template("_header.jinja", comment=comment, stamp=stamp)


def check_path(path: str) -> str:
    """A target path, refused unless it stays inside the output directory."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in path or str(pure) != path:
        raise ValueError(f"target path {path!r} must be a plain relative path inside generated/")
    return path


def render_all(spec: Spec, existing: Existing, extra: dict[str, Any] | None = None,
               targets: tuple[Target, ...] = TARGETS) -> dict[str, str]:
    """{path: text} for every target; `existing` gives current files for reuse."""
    from generator.postprocess import stamped

    outputs: dict[str, str] = {}
    context = {"spec": spec, **(extra or {})}
    for target in targets:
        check_path(target.path)
        if target.source is not None:
            body = outputs[target.source]
        else:
            assert target.template is not None, target.path
            body = render_template(target.template, **context, **target.context)
        if target.post is not None:
            assert target.comment is not None, target.path
            outputs[target.path] = stamped(target.post, target.comment, body, existing(target.path))
        elif target.comment is not None:
            outputs[target.path] = header(target.comment) + body
        else:
            outputs[target.path] = body
    return outputs
