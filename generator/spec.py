"""The spec's stages up to the model: load -> schema -> rules -> model.

The rules and the model's build both need only the schema-valid document, so with a
worker the rules run in a child while the model builds (and, in the pipeline, while the
targets render). Their verdict is a `Verdict`: whatever is made from the Spec is used only
once it is in, and its problems come before any other error.
"""

from __future__ import annotations

import gc
import json
from dataclasses import astuple
from pathlib import Path

from .diagnostics import Diagnostic, SpecError
from .load import Document, parse
from .model import Spec, build
from .postprocess import Job, Workers
from .read import read_text
from .rules import rule_problems
from .schema import schema_problems


class Verdict:
    """The rules' problems, judged beside the model. `confirm()` waits for them and raises
    them; `with verdict:` confirms on the way out, before any error raised inside (which a
    problem the rules found may explain)."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def confirm(self) -> None:
        """Raise SpecError with the rules' problems, if they found any."""
        problems = [Diagnostic(*fields) for fields in json.loads(self.job.result())]
        if problems:
            raise SpecError(problems)

    def __enter__(self) -> Verdict:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is None or issubclass(kind, Exception):  # not on Ctrl-C: no wait for a child
            self.confirm()


def _judge(document: Document) -> str:
    return json.dumps([astuple(problem) for problem in rule_problems(document)])


def started(
    text: str, display: str, workers: Workers | None = None
) -> tuple[Document, Spec, Verdict]:
    """Parse `text`, check it against the JSON Schema, start the rules (in a child when
    `workers` has processes, else at once) and build the Spec. Use the Spec only under its
    Verdict. Raises SpecError for the parse and the schema, and for the rules when the build
    fails (they explain it)."""
    # The parse allocates millions of objects that all live to the end; the collections
    # they would trigger cost several times the parse itself (5x at 10,000 codes).
    paused = gc.isenabled()
    gc.disable()
    try:
        document = parse(text, display)
        problems = schema_problems(document)
        if problems:
            raise SpecError(problems)
        verdict = Verdict((workers or Workers.inline()).aside(lambda: _judge(document)))
        try:
            spec = build(document.data)
        except Exception:
            verdict.confirm()
            raise
        return document, spec, verdict
    finally:
        if paused:
            gc.enable()


def checked(text: str, display: str) -> tuple[Document, Spec]:
    """The parsed document and the validated Spec; raises SpecError listing every problem."""
    document, spec, verdict = started(text, display)
    verdict.confirm()
    return document, spec


def parse_and_validate(text: str, display: str) -> Spec:
    """Parse `text`, check it against the JSON Schema and the rules, build the Spec.

    Raises SpecError listing every problem found.
    """
    return checked(text, display)[1]


def start_spec(path: Path, workers: Workers) -> tuple[Spec, Verdict]:
    """The Spec in the file `path`, its rules judged beside it (see `started`)."""
    _, spec, verdict = started(read_text(path, str(path)), str(path), workers)
    return spec, verdict


def load_spec(path: Path, display: str | None = None) -> Spec:
    """The validated Spec in the file `path`; raises SpecError listing every problem."""
    return load_checked(path, display)[1]


def load_checked(path: Path, display: str | None = None) -> tuple[Document, Spec]:
    """load_spec, with the parsed document."""
    display = display or str(path)
    return checked(read_text(path, display), display)
