"""The target table: the one place that lists every generated file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class Target:
    """One file under generated/.

    `template` renders it; `post` names a post-processing step (see postprocess);
    `comment` is the comment leader of its header line, None for no header;
    `source` names another target whose output is this one's input instead of a
    template (datamodel-code-generator reads the generated OpenAPI).
    """

    path: str
    template: str | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    post: str | None = None
    comment: str | None = "#"
    source: str | None = None


TARGETS: tuple[Target, ...] = (
    Target("docs/errors.zh.md", "docs/errors.md.jinja", {"lang": "zh"}, comment=None),
    Target("docs/errors.en.md", "docs/errors.md.jinja", {"lang": "en"}, comment=None),
    Target(
        "snippets/handle_error.js", "snippets/handle_error.js.jinja", {"lang": "zh"}, comment="//"
    ),
    Target("snippets/handle_error.py", "snippets/handle_error.py.jinja", {"lang": "zh"}),
    Target(
        "snippets/handle_error.en.js",
        "snippets/handle_error.js.jinja",
        {"lang": "en"},
        comment="//",
    ),
    Target("snippets/handle_error.en.py", "snippets/handle_error.py.jinja", {"lang": "en"}),
    Target("js/errors.js", "js/errors.js.jinja", comment="//"),
    Target("js/errors.d.ts", "js/errors.d.ts.jinja", comment="//"),
    Target("js/package.json", "js/package.json.jinja", comment=None),
    Target("python/error_codes.py", "python/error_codes.py.jinja"),
    Target("openapi.yaml", "openapi.yaml.jinja"),
    Target("python/__init__.py", "python/__init__.py.jinja"),
    Target("python/exceptions.py", "python/exceptions.py.jinja"),
    Target("python/models.py", "python/models.openapi.yaml.jinja", post="datamodel"),
    Target("python/pyproject.toml", "python/pyproject.toml.jinja"),
    Target("python/py.typed", "python/py.typed.jinja", comment=None),
)
