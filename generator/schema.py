"""Stage: check the spec's plain data against its JSON Schema (spec/errors.schema.json).

A valid spec is judged by jsonschema-rs; anything it does not call valid goes to jsonschema,
which gives both the verdict and the diagnostics (see `fast_valid`)."""

from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from typing import Any

from .diagnostics import Diagnostic
from .load import Document, dotted
from .resources import SCHEMA

SCHEMA_PATH = SCHEMA

_TYPE_NAMES = {
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    list: "list",
    dict: "mapping",
    type(None): "null",
}


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    base = jsonschema.Draft202012Validator
    # JSON Schema counts 1001.0 as an integer; the SDKs would print it as "1001.0" and
    # Python's dict lookups would mix 1001 and 1001.0, so an integer here is an int.
    strict = base.TYPE_CHECKER.redefine("integer", _is_int)
    extended = jsonschema.validators.extend(base, type_checker=strict)  # type: ignore[no-untyped-call]
    return extended(inline_refs(schema))


def _is_int(checker: Any, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


_SUBSCHEMA = {
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
}
_SUBSCHEMA_LISTS = {"allOf", "anyOf", "oneOf", "prefixItems"}
_SUBSCHEMA_MAPS = {"properties", "patternProperties", "dependentSchemas"}


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with each `{"$ref": "#/$defs/NAME"}` replaced by NAME's definition, except
    where that would recurse. Same verdicts and errors; but jsonschema no longer resolves a
    reference at every node, which was 40% of the validation time."""
    defs = schema.get("$defs", {})

    def inline(node: Any, seen: frozenset[str]) -> Any:
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if len(node) == 1 and isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            return inline(defs[name], seen | {name}) if name in defs and name not in seen else node
        out = {}
        for key, value in node.items():
            if key in _SUBSCHEMA:
                value = inline(value, seen)
            elif key in _SUBSCHEMA_LISTS and isinstance(value, list):
                value = [inline(item, seen) for item in value]
            elif key in _SUBSCHEMA_MAPS and isinstance(value, dict):
                value = {name: inline(item, seen) for name, item in value.items()}
            out[key] = value
        return out

    inlined: dict[str, Any] = inline(schema, frozenset())
    return inlined


@lru_cache(maxsize=1)
def _fast() -> Any:
    import jsonschema_rs

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema_rs.Draft202012Validator(schema)


def fast_valid(data: Any) -> bool:
    """True when jsonschema-rs finds `data` valid and may be trusted to (100x faster).

    Its "valid" means valid here too: the two differ only on floats (1001.0 is an integer
    to JSON Schema, not to errspec, so a document with a float goes the slow way) and on
    what neither can read (a lone surrogate, a huge int: an exception, so the slow way).
    The schema's patterns use ASCII classes, where Rust's regex and Python's re agree but
    for `$` before a final newline, which only Python accepts. Anything else, and every
    verdict of "invalid", goes to the jsonschema path, which explains each problem.
    """
    return not has_float(data) and _judged_valid(data)


def has_float(data: Any) -> bool:
    """True when a float sits anywhere in plain `data`."""
    stack = [data]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is dict:
            stack.extend(node.values())
        elif kind is list:
            stack.extend(node)
        elif kind is float:
            return True
    return False


def _judged_valid(data: Any) -> bool:
    try:
        return bool(_fast().is_valid(data))
    except Exception:  # noqa: BLE001 - whatever it cannot take, the slow path judges
        return False


def schema_problems(doc: Document) -> list[Diagnostic]:
    """Every place where the document breaks the JSON Schema."""
    if fast_valid(doc.data):
        return []
    problems: list[Diagnostic] = []
    for error in _validator().iter_errors(doc.data):
        problems.extend(_explain(doc, error))
    return problems


def _reads_as(text: str, kind: type) -> bool:
    """True when `text` without its quotes is a valid `kind` (int or float)."""
    try:
        kind(text)
    except ValueError:
        return False
    return True


def _kind(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _explain(doc: Document, error: Any) -> list[Diagnostic]:
    path = tuple(error.absolute_path)
    where = dotted(path, doc.data)
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
        hint = ""
        if isinstance(error.instance, str) and wanted in ("integer", "number"):
            hint = (
                "remove the quotes"
                if _reads_as(error.instance, int if wanted == "integer" else float)
                else f"write {'a whole number' if wanted == 'integer' else 'a number'}, without quotes"
            )
        elif isinstance(error.instance, float) and error.instance.is_integer():
            hint = f"write {int(error.instance)}, without a decimal point"
        elif error.instance is None:
            return [
                at(
                    path,
                    f"{where}: has no value; expected {wanted}",
                    "write the value after the colon, or remove the key",
                )
            ]
        return [
            at(
                path,
                f"{where}: expected {wanted}, got {_kind(error.instance)} {json.dumps(error.instance, ensure_ascii=False, default=str)[:60]}",
                hint,
            )
        ]
    if kind == "enum":
        choices = ", ".join(json.dumps(v) for v in error.validator_value)
        return [
            at(
                path,
                f"{where}: {json.dumps(error.instance, ensure_ascii=False, default=str)[:60]} is not one of {choices}",
            )
        ]
    if kind == "pattern":
        return [
            at(
                path,
                f"{where}: {json.dumps(error.instance, ensure_ascii=False)[:60]} does not match {error.validator_value}",
                _pattern_hint(error.instance, error.validator_value),
            )
        ]
    if kind == "maxLength":
        return [
            at(
                path,
                f"{where}: is {len(error.instance)} characters long, more than {error.validator_value}",
                "shorten it",
            )
        ]
    if kind == "minLength":
        return [at(path, f"{where}: must not be empty")]
    if kind in ("minimum", "maximum"):
        low, high = error.schema.get("minimum"), error.schema.get("maximum")
        allowed = (
            f"from {low} to {high}"
            if low is not None and high is not None
            else f"{kind} {error.validator_value}"
        )
        return [at(path, f"{where}: {error.instance} is out of range", f"use a value {allowed}")]
    return [at(path, f"{where}: {error.message}")]


_CASES = ((str.upper, "UPPER_SNAKE"), (str.lower, "lower_snake"))


def snake(text: str) -> str:
    """`text` split into words at case changes and punctuation, joined by underscores:
    "invalidAPIKey v2" -> "invalid_API_Key_v_2"."""
    return "_".join(re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", text))


def _pattern_hint(value: Any, pattern: str) -> str:
    """For a name written in the wrong case, the name in the case the pattern wants."""
    if not isinstance(value, str):
        return ""
    for case, name in _CASES:
        candidate = case(snake(value))
        if candidate != value and re.fullmatch(pattern, candidate):
            return f'write it in {name} case: "{candidate}"'
    return ""
