"""Stage 4: render every target of the table from the Spec, in memory."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Callable

import jinja2

from .filters import FILTERS
from .model import Spec
from .targets import TARGETS, Target

from .resources import TEMPLATES

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
    if (
        pure.is_absolute()
        or ".." in pure.parts
        or not pure.parts
        or "\\" in path
        or str(pure) != path
        or PureWindowsPath(path).drive
        or any(ch < " " or ch == "\x7f" for ch in path)
    ):
        raise ValueError(f"target path {path!r} must be a plain relative path inside generated/")
    return path


def render_all(
    spec: Spec,
    existing: Existing,
    extra: dict[str, Any] | None = None,
    targets: tuple[Target, ...] = TARGETS,
) -> dict[str, str]:
    """{path: text} for every target; `existing` gives current files for reuse.

    Post-processed targets (and their sources) are rendered first, so that their
    steps run in the workers (generator.workers) while the rest is rendered.
    """
    from .postprocess import stamping

    for target in targets:
        check_path(target.path)
    sources = {t.source for t in targets if t.source is not None}
    first = [t for t in targets if t.post is not None or t.path in sources]
    outputs: dict[str, str] = {}
    pending: dict[str, Callable[[], str]] = {}
    context = {"spec": spec, **(extra or {})}
    for target in first + [t for t in targets if t not in first]:
        if target.source is not None:
            if target.source in pending:
                outputs[target.source] = pending.pop(target.source)()
            body = outputs[target.source]
        else:
            assert target.template is not None, target.path
            body = render_template(target.template, **context, **target.context)
        if target.post is not None:
            assert target.comment is not None, target.path
            pending[target.path] = stamping(
                target.post, target.comment, body, existing(target.path)
            )
        elif target.comment is not None:
            outputs[target.path] = header(target.comment) + body
        else:
            outputs[target.path] = body
    for path, finish in pending.items():
        outputs[path] = finish()
    return {t.path: outputs[t.path] for t in targets}
