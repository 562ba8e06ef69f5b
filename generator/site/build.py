"""The site's run: the spec's stages, then one render per row of the site's table.

parse -> schema -> rules -> model -> site facts -> render -> marker
"""

from __future__ import annotations

from functools import partial

from ..pipeline import check_spec
from ..postprocess import manifested
from ..read import Inputs
from ..render import Sandbox, environment, overrides_of, render_template
from ..targets import Target
from ..workers import Workers
from .model import Site, site_of
from .targets import site_rows

# Files rendered per task the workers share (a run hands them at most 255 tasks).
CHUNK = 200


def build_site(inputs: Inputs, run: Workers) -> dict[str, str]:
    """Every file of the site, made from `inputs`, stage by stage, with the marker listing
    them all."""
    spec = check_spec(inputs.spec.text(), inputs.spec.display).spec  # parse -> rules -> model
    own = overrides_of(inputs.root, inputs.templates, spec.templates)  # the project's own
    env = environment(own.files, own.folder)  # sandboxed; the project's templates first
    site = site_of(spec)  # the pages, the releases, the search records, the catalog
    rows = site_rows(site)  # one row per file
    chunks = [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]
    texts = run.map(partial(render_chunk, site=site, env=env), chunks)  # Jinja
    return manifested(
        {row.path: text for chunk, done in zip(chunks, texts) for row, text in zip(chunk, done)}
    )


def render_chunk(rows: tuple[Target, ...], site: Site, env: Sandbox | None = None) -> list[str]:
    """The texts of some files of the site."""
    return [render_template(t.template, env, spec=site.spec, site=site, **t.context) for t in rows]
