"""The site's run: the spec's stages, then one render per row of the site's table.

parse -> schema -> rules -> model -> site facts -> render -> marker
"""

from __future__ import annotations

import itertools
import tempfile
from functools import partial
from pathlib import Path

from ..diagnostics import raise_problems
from ..load import parse
from ..model import build_spec
from ..pipeline import verdict_first
from ..rules import rule_problems
from ..schema import schema_problems
from ..output.manifest import MARKER, entries
from ..read import Inputs
from ..render import Sandbox, environment, overrides_of, render_template
from ..targets import Target
from ..workers import Workers
from .model import Site, site_of
from .targets import site_rows

# Files rendered per task the workers share (a run hands them at most 255 tasks).
CHUNK = 200


def build_site(inputs: Inputs, run: Workers) -> dict[str, str | bytes]:
    """Every file of the site, made from `inputs`, stage by stage, with the marker listing
    them all. The pages are their UTF-8 bytes: at 10,000 codes, half the memory of their
    text (a page naming 中文 in its language switch is two bytes a character as a str).
    `run` should have no steps (Workers({})): the site has no post-processing."""
    document = parse(inputs.spec.text(), inputs.spec.display)  # text -> data + positions
    raise_problems(schema_problems(document))  # the JSON Schema
    rules = run.aside(rule_problems, document)  # the named rules, beside the model
    with verdict_first(rules):  # nothing leaves before their verdict, their problems first
        spec = build_spec(document.data)  # the frozen Spec, every fact computed once
        own = overrides_of(inputs.root, inputs.templates, spec.templates)  # the project's own
        env = environment(own.files, own.folder)  # sandboxed; the project's templates first
        site = site_of(spec)  # the pages, the releases, the search records, the catalog
    # Rendered after the verdict, without the document: its positions are a quarter of the
    # peak memory of a large spec's site, and the rules take a fraction of the render.
    del document, rules
    rows = site_rows(site)  # one row per file
    chunks = [(i, rows[i : i + CHUNK]) for i in range(0, len(rows), CHUNK)]
    with tempfile.TemporaryDirectory(prefix="errspec-site-") as folder:
        task = partial(render_chunk, site=site, env=env, folder=Path(folder))
        sizes = run.map(task, chunks)  # Jinja, in both processes; the bytes go to `folder`
        files: dict[str, str | bytes] = {}
        for (first, chunk), lengths in zip(chunks, sizes):
            data = (Path(folder) / f"{first}.html").read_bytes()
            offsets = itertools.accumulate(lengths, initial=0)
            files.update((row.path, data[a : a + n]) for row, a, n in zip(chunk, offsets, lengths))
    return {**files, MARKER: render_template("marker.jinja", manifest=entries(files))}


def render_chunk(
    item: tuple[int, tuple[Target, ...]], site: Site, folder: Path, env: Sandbox | None = None
) -> list[int]:
    """Render some files of the site, the first being row `item[0]`, into one file of
    `folder` (their bytes one after another); their lengths. The bytes travel through a
    file, not the workers' JSON answer, so that neither process holds a second copy."""
    first, rows = item
    pages = [
        render_template(t.template, env, spec=site.spec, site=site, **t.context).encode("utf-8")
        for t in rows
    ]
    (folder / f"{first}.html").write_bytes(b"".join(pages))
    return [len(page) for page in pages]
