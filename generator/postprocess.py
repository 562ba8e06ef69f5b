"""Stage: the steps that run on a rendered text after Jinja, and the directory's marker.

One step today: datamodel-code-generator turns the models' OpenAPI input into
`python/models.py` (generator/datamodel.py). A step runs through the run it is given: in the
step worker, whose tool is imported while the other stages run, or in this process.
"""

from __future__ import annotations

from collections.abc import Sequence

from .datamodel import models_from_openapi, warm_up
from .output.manifest import MARKER, entries
from .render import Sandbox, header, render_template
from .targets import Target
from .workers import Step, Workers

STEPS: dict[str, Step] = {
    "datamodel": Step(run=models_from_openapi, warm_up=warm_up),
}


def postprocess(
    targets: Sequence[Target], texts: Sequence[str], run: Workers, env: Sandbox | None = None
) -> dict[str, str]:
    """{path: file text}: each target's rendered text, or (with its header line) what its step
    makes of it."""
    jobs = {t.path: run.step(t.post, text) for t, text in zip(targets, texts) if t.post}
    return {
        t.path: header(t, env) + jobs[t.path].result() if t.post else text
        for t, text in zip(targets, texts)
    }


def manifested(files: dict[str, str]) -> dict[str, str]:
    """The files, and the marker of their directory listing each with its digest."""
    return {**files, MARKER: render_template("marker.jinja", manifest=entries(files))}
