"""Load, validate and build the spec, with a content-addressed cache.

The cache key covers the spec's bytes, the JSON Schema, the source of every
stage that decides the result and the installed distributions, so a stale entry
can never be picked up; an entry also holds a hash of its content, so an
unreadable or damaged entry is treated as a miss.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from generator.cache import cache_dir, distributions
from generator.diagnostics import SpecError
from generator.model import Spec

_PACKAGE = Path(__file__).resolve().parent
_STAGES = ("load.py", "schema.py", "rules.py", "model.py", "spec.py", "diagnostics.py")


def _key(text: str) -> str:
    from generator.schema import SCHEMA_PATH

    digest = hashlib.sha256(text.encode("utf-8"))
    digest.update(SCHEMA_PATH.read_bytes())
    for name in _STAGES:
        digest.update((_PACKAGE / name).read_bytes())
    digest.update("\n".join(distributions()).encode())  # PyYAML and jsonschema decide too
    return digest.hexdigest()


def _cached(key: str) -> Spec | None:
    directory = cache_dir()
    if directory is None:
        return None
    try:
        with open(directory / f"spec-{key[:32]}.pickle", "rb") as fh:
            stored_key, digest, payload = pickle.load(fh)
        if stored_key != key or hashlib.sha256(payload).hexdigest() != digest:
            return None  # foreign or damaged
        spec = pickle.loads(payload)
    except Exception:
        return None
    return spec if isinstance(spec, Spec) else None


def _store(key: str, spec: Spec) -> None:
    directory = cache_dir()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        payload = pickle.dumps(spec, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(
                (key, hashlib.sha256(payload).hexdigest(), payload),
                fh,
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        os.replace(tmp, directory / f"spec-{key[:32]}.pickle")
    except OSError:
        pass


def parse_and_validate(text: str, display: str) -> Spec:
    """Every stage, uncached: parse, schema, rules, build. Raises SpecError."""
    from generator.load import parse
    from generator.model import build
    from generator.rules import rule_problems
    from generator.schema import schema_problems

    # The parse allocates millions of objects that live until the end; the collections that
    # they trigger would cost several times the parse itself (5x at 10,000 codes).
    paused = gc.isenabled()
    gc.disable()
    try:
        doc = parse(text, display)
        problems = schema_problems(doc)
        if not problems:
            problems = rule_problems(doc)
        if problems:
            raise SpecError(problems)
        return build(doc.data)
    finally:
        if paused:
            gc.enable()


def load_spec(path: Path, display: str | None = None) -> Spec:
    """The validated Spec in `path`; raises SpecError listing every problem."""
    from generator.load import read_text

    display = display or str(path)
    text = read_text(path, display)
    key = _key(text)
    spec = _cached(key)
    if spec is None:
        spec = parse_and_validate(text, display)
        _store(key, spec)
    return spec
