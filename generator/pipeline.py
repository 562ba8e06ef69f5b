"""The pipeline: one function runs every stage, in order.

    parse -> schema -> rules -> model -> surface -> render -> post-process

`build` returns every output file's text, with the spec's warnings; the commands write the
files (`generate`) or compare them with the output directory (`check`), and `validate`
runs it to prove that both would succeed. Each stage is a plain function of the previous
stage's result, and problems are raised between stages. How the stages run is the `run`
handed in (workers.py): the rules beside the model and the renders, the renders shared by
two processes, the post-processing step in a worker that loaded its tool meanwhile; or all
of it in this process. The cache wraps `build` from outside (cache.outputs).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Iterator

from .diagnostics import Diagnostic, raise_problems
from .load import Document, parse
from .model import Spec, build_spec
from .outputs import Outputs
from .postprocess import manifested, postprocess
from .read import Inputs
from .render import environment, overrides_of, render
from .rules import notes_of, rule_problems, warnings_of
from .rules.surface import surface_problems
from .schema import schema_problems
from .surface import parse_surface, surface_of
from .targets import wanted
from .workers import Pending, Workers


def build(inputs: Inputs, run: Workers) -> Outputs:
    """Every output of the project, made from `inputs`, stage by stage."""
    document = parse(inputs.spec.text(), inputs.spec.display)  # text -> data + positions
    raise_problems(schema_problems(document))  # the JSON Schema
    rules = run.aside(rule_problems, document)  # the named rules, beside what follows
    with verdict_first(rules):  # nothing leaves before their verdict, their problems first
        spec = build_spec(document.data)  # the frozen Spec, every fact computed once
        own = overrides_of(inputs.root, inputs.templates, spec.templates)  # read once
        env = environment(own.files, own.folder)  # sandboxed; the project's templates first
        api = parse_surface(inputs.surface)  # the hand-written API surface, if there is one
        raise_problems(surface_problems(api, spec))  # its rules, against the spec
        surface = surface_of(api, spec)  # its operations and their error responses
        warnings = run.aside(warnings_of, document, surface)  # what never fails a run
        del document  # read by nothing below: its data and positions, a fifth of the peak
        targets = wanted(spec)  # the rows of the target table this spec makes
        texts = run.map(partial(render, spec=spec, surface=surface, env=env), targets)  # Jinja
        files = postprocess(targets, texts, run, env)  # the steps that run after Jinja
        files = manifested(files)  # the marker lists every output with its digest
    notes = notes_of(spec, inputs.spec.display, surface, inputs.surface.display)
    used = "" if surface.absent else inputs.surface.display
    return Outputs(
        files,
        tuple(warnings.result()),
        len(spec.codes),
        len(spec.categories),
        notes,
        used,
        own.folder,
        own.digests(),
    )


@contextmanager
def verdict_first(rules: Pending[list[Diagnostic]]) -> Iterator[None]:
    """Run the block under the rules' verdict: their problems are raised before anything the
    block made leaves it, and before any error the block raised (a problem they found may
    explain it). Ctrl-C does not wait for them. A verdict already in (a run in this
    process) is raised at once."""
    if rules.ready():
        raise_problems(rules.result())
    try:
        yield
    except Exception:
        raise_problems(rules.result())
        raise
    raise_problems(rules.result())


@dataclass(frozen=True)
class Checked:
    """A spec that passed every check, and the document it was built from."""

    document: Document
    spec: Spec


def check_spec(text: str, display: str) -> Checked:
    """The spec's stages alone (parse -> schema -> rules -> model), for the commands that read
    a spec but make no output: explain and diff. Raises SpecError with every problem."""
    document = parse(text, display)
    raise_problems(schema_problems(document))
    raise_problems(rule_problems(document))
    return Checked(document, build_spec(document.data))
