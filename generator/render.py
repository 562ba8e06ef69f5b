"""Stage: render targets with Jinja, from the Spec and the API surface.

Every template renders in a sandbox (a project's own templates come from a pull request and
`check` is a security gate): Jinja's ImmutableSandboxedEnvironment, strict (an unknown name
fails loudly, at its template line), whitespace-exact, without autoescape (each output
escapes through its named filters, filters.py). A project's templates override errspec's
own by relative path; the CLI's and the marker's stay errspec's.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
import jinja2.sandbox
from jinja2.exceptions import SecurityError

from .diagnostics import Diagnostic, SpecError
from .filters import FILTERS
from .output.manifest import digest
from .model import entries as model_entries
from .model import spec as model_spec
from .site import model as site_model
from .read import read_text
from . import surface
from .resources import TEMPLATES
from .targets import Target

# What a project's templates may not replace: what errspec itself prints, and its marker.
FIXED = ("cli/", "init/", "marker.jinja")


def _model_types() -> frozenset[type]:
    modules = (model_entries, model_spec, surface, site_model)
    return frozenset(
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == module.__name__
    )


class Sandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox. The public attributes of the model's own frozen objects are
    data and are let through at once; everything else gets the sandbox's full checks (at
    10,000 codes those checks on every attribute would make rendering half again slower)."""

    model = _model_types()

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if type(obj) in self.model and not attr.startswith("_"):
            return True
        return bool(super().is_safe_attribute(obj, attr, value))

    def getattr(self, obj: Any, attribute: str) -> Any:
        # The same answer as the sandbox's for the model's objects (their public attributes
        # are data or their own methods, never str.format), without its detours: a site's
        # 20,000 pages read 90 attributes each.
        if type(obj) in self.model and not attribute.startswith("_"):
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
        return super().getattr(obj, attribute)


class _Loader(jinja2.BaseLoader):
    """The project's templates (text already read, by relative path) before errspec's own."""

    def __init__(self, overrides: tuple[tuple[str, str], ...], folder: str) -> None:
        self.overrides, self.folder = dict(overrides), folder
        self.builtin = jinja2.FileSystemLoader(str(TEMPLATES))

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        if template in self.overrides:
            name = f"{self.folder}/{template}"
            return self.overrides[template], name, lambda: True
        return self.builtin.get_source(environment, template)


@lru_cache(maxsize=8)
def environment(overrides: tuple[tuple[str, str], ...] = (), folder: str = "") -> Sandbox:
    """The Jinja environment for a project's template overrides ((relative path, text) pairs
    from `folder`), or errspec's own templates alone."""
    env = Sandbox(
        loader=_Loader(overrides, folder),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(FILTERS)
    return env


def render_template(name: str, env: Sandbox | None = None, /, **context: Any) -> str:
    """Render one template with the given context; a template's own mistake is a SpecError at
    its file and line."""
    env = env or environment()
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        raise _located(exc, env, name) from None


def header(target: Target, env: Sandbox | None = None) -> str:
    """The target's header line ("" for a file without one)."""
    if target.comment is None:
        return ""
    return render_template("_header.jinja", env, comment=target.comment)


def render(target: Target, spec: Any, surface: Any, env: Sandbox | None = None) -> str:
    """The text of one target. A target with a post-processing step gets its header after
    the step (postprocess); every other one gets it here."""
    body = render_template(target.template, env, spec=spec, surface=surface, **target.context)
    return body if target.post else header(target, env) + body


def _located(exc: jinja2.TemplateError, env: Sandbox, name: str) -> Exception:
    """The template problem as a diagnostic at the template line it happened on: a SpecError
    for a project's own template, the error itself (a bug of errspec's) for errspec's."""
    file, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not isinstance(exc, jinja2.TemplateSyntaxError):
        file, line = _innermost_template(exc)
    loader = env.loader
    folder = loader.folder if isinstance(loader, _Loader) else ""
    if not folder or not file or not str(file).startswith(folder + "/"):
        return exc
    what = {
        jinja2.UndefinedError: "reads something the template context does not have",
        SecurityError: "reaches what templates may not use",
        jinja2.TemplateSyntaxError: "is not valid Jinja",
    }
    kind = next((text for cls, text in what.items() if isinstance(exc, cls)), "failed")
    message = f"the template {kind}: {' '.join(str(exc).split())}"
    hint = "see the template context reference (docs/template-context.md)"
    return SpecError([Diagnostic(str(file), line or 1, 1, message, hint)])


def _innermost_template(exc: BaseException) -> tuple[str | None, int | None]:
    """The last traceback frame that ran template code: its file and line."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".jinja") or "/templates/" in filename:
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


class Overrides(NamedTuple):
    """A project's own templates: the folder as shown, and each file's text by relative
    path, read once."""

    folder: str = ""
    files: tuple[tuple[str, str], ...] = ()

    def digests(self) -> tuple[tuple[str, str], ...]:
        """(relative path, sha256) of each file: what the outputs were rendered from."""
        return tuple((rel, digest(text.encode("utf-8"))) for rel, text in self.files)


def overrides_of(root: str, option: str | None, spec_folder: str | None) -> Overrides:
    """The project's template overrides: --templates, else the spec's `templates` (relative
    to the project folder `root`), else none."""
    if option is None and spec_folder is None:
        return Overrides()
    display = option if option is not None else str(Path(root) / str(spec_folder))
    return Overrides(display, read_overrides(Path(display), display))


def read_overrides(folder: Path, display: str) -> tuple[tuple[str, str], ...]:
    """Every template under a project's `folder`, by relative path, read once; a name that
    overrides no template of errspec's, or one that may not be overridden, is refused."""
    if not folder.is_dir():
        raise SpecError(
            [
                Diagnostic(
                    display, 1, 1, "the templates folder does not exist", "create it, or drop it"
                )
            ]
        )
    found = []
    problems = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
        rel = path.relative_to(folder).as_posix()
        shown = f"{display}/{rel}"
        if path.is_symlink():  # a link in a pull request could read any file of the machine
            problems.append(
                Diagnostic(shown, 1, 1, "a template is a symbolic link", "commit the file itself")
            )
        elif rel.startswith(FIXED):
            problems.append(
                Diagnostic(
                    shown, 1, 1, f"{rel} is errspec's own and cannot be overridden", "remove it"
                )
            )
        elif not (TEMPLATES / rel).is_file():
            known = ", ".join(sorted(builtin_templates()))
            problems.append(
                Diagnostic(
                    shown,
                    1,
                    1,
                    f"{rel} overrides no template of errspec's",
                    f"name one of: {known}",
                )
            )
        else:
            found.append((rel, read_text(path, shown)))
    if problems:
        raise SpecError(problems)
    return tuple(found)


def builtin_templates() -> list[str]:
    """The relative paths of errspec's templates that a project may override."""
    return [
        p.relative_to(TEMPLATES).as_posix()
        for p in TEMPLATES.rglob("*.jinja")
        if not p.relative_to(TEMPLATES).as_posix().startswith(FIXED)
    ]
