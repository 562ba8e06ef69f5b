"""Stage 2: check the plain data against spec/errors.schema.json."""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic
from generator.load import Document, dotted

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "spec" / "errors.schema.json"

_TYPE_NAMES = {
    str: "string", bool: "boolean", int: "integer", float: "number",
    list: "list", dict: "mapping", type(None): "null",
}


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def schema_problems(doc: Document) -> list[Diagnostic]:
    """Every place where the document breaks the JSON Schema."""
    problems: list[Diagnostic] = []
    for error in _validator().iter_errors(doc.data):
        problems.extend(_explain(doc, error))
    return problems



def _kind(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _explain(doc: Document, error: Any) -> list[Diagnostic]:
    path = tuple(error.absolute_path)
    where = dotted(path)
    at = doc.positions.at
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        known = sorted(error.schema.get("properties", {}))
        out = []
        for key in sorted(set(error.instance) - set(known)):
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f'did you mean "{close[0]}"?' if close else f"allowed keys: {', '.join(known)}"
            out.append(at((*path, key), f'unknown key "{key}" in {where}', hint, key=True))
        if out:
            return out
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return [at(path, f'{where}: missing required key "{missing}"', f'add "{missing}:"')]
    if kind == "type":
        wanted = error.validator_value
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        hint = "remove the quotes" if isinstance(error.instance, str) and wanted in ("integer", "number") else ""
        return [at(path, f"{where}: expected {wanted}, got {_kind(error.instance)} {json.dumps(error.instance, ensure_ascii=False, default=str)[:60]}", hint)]
    if kind == "enum":
        choices = ", ".join(json.dumps(v) for v in error.validator_value)
        return [at(path, f"{where}: {json.dumps(error.instance, ensure_ascii=False, default=str)[:60]} is not one of {choices}")]
    if kind == "pattern":
        return [at(path, f"{where}: {json.dumps(error.instance, ensure_ascii=False)[:60]} does not match {error.validator_value}")]
    if kind == "minLength":
        return [at(path, f"{where}: must not be empty")]
    return [at(path, f"{where}: {error.message}")]
