"""The target table: the one place that lists every generated file (but the directory's
marker, which lists them all: postprocess.manifested)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from .model import Spec

LOCALE = "{lang}"  # in a path: one target per locale of the spec


@dataclass(frozen=True)
class Target:
    """One file under the output directory.

    `group` is the output group the spec selects it by (`outputs`); `template` renders it,
    with `context` added; a path holding `{lang}` stands for one file per locale of the
    spec. `post` names a post-processing step (postprocess.STEPS) that turns the rendered
    text into the file; `comment` is the comment leader of the file's header line, None for
    no header.
    """

    group: str
    path: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    post: str | None = None
    comment: str | None = "#"


TARGETS: tuple[Target, ...] = (
    Target("docs", "docs/errors.{lang}.md", "docs/errors.md.jinja", comment=None),
    Target("python", "python/__init__.py", "python/__init__.py.jinja"),
    Target("python", "python/error_codes.py", "python/error_codes.py.jinja"),
    Target("python", "python/exceptions.py", "python/exceptions.py.jinja"),
    Target("python", "python/models.py", "python/models.openapi.yaml.jinja", post="datamodel"),
    Target("python", "python/py.typed", "python/py.typed.jinja", comment=None),
    Target("python", "python/pyproject.toml", "python/pyproject.toml.jinja"),
    Target("python", "python/README.md", "python/README.md.jinja", comment=None),
    Target("js", "js/errors.js", "js/errors.js.jinja", comment="//"),
    Target("js", "js/errors.d.ts", "js/errors.d.ts.jinja", comment="//"),
    Target("js", "js/package.json", "js/package.json.jinja", comment=None),
    Target("js", "js/README.md", "js/README.md.jinja", comment=None),
    Target("openapi", "openapi.yaml", "openapi.yaml.jinja"),
    Target("go", "go/go.mod", "go/go.mod.jinja", comment="//"),
    Target("go", "go/codes.go", "go/codes.go.jinja", comment="//"),
    Target("go", "go/errors.go", "go/errors.go.jinja", comment="//"),
    Target(
        "snippets",
        "snippets/handle_error.{lang}.js",
        "snippets/handle_error.js.jinja",
        comment="//",
    ),
    Target("snippets", "snippets/handle_error.{lang}.py", "snippets/handle_error.py.jinja"),
)


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


def expand(targets: tuple[Target, ...], locales: tuple[str, ...]) -> tuple[Target, ...]:
    """The table with every `{lang}` row made one row per locale; every path checked."""
    rows = []
    for t in targets:
        if LOCALE in t.path:
            rows += [
                replace(t, path=t.path.replace(LOCALE, lang), context={**t.context, "lang": lang})
                for lang in locales
            ]
        else:
            rows.append(t)
    for row in rows:
        check_path(row.path)
    return tuple(rows)


def wanted(spec: Spec) -> tuple[Target, ...]:
    """The rows `spec` makes: one per locale where a path says so, of its selected output
    groups, and only of the parts it has (the snippets need a handler)."""
    groups = set(spec.outputs) - ({"snippets"} if spec.handler is None else set())
    return tuple(t for t in expand(TARGETS, spec.locales) if t.group in groups)
