"""Stage schema: the JSON Schema judges valid specs with jsonschema-rs and explains invalid ones
with jsonschema: its fast "valid" must never let through what jsonschema refuses, the inlined
references give the same errors, and each problem is explained with its fix.

The property test swaps one value of the minimal fixture for values chosen where the two
libraries could differ (integral floats, bools, huge ints, trailing newlines, non-ASCII digits,
lone surrogates, nested data) and checks the implication on every example.
"""

from __future__ import annotations

import copy
import json
import random
from typing import Any, Callable

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import schema
from generator.diagnostics import SpecError
from generator.load import parse
from generator.schema import SCHEMA_PATH, inline_refs
from support import (
    yaml_load,
    FROZEN,
    MINIMAL,
    bad_spec_texts,
    frozen_data,
    problems_of,
    setting,
    spec_of,
)

FIXTURE = MINIMAL / "errors.yaml"


def _base() -> dict[str, Any]:
    data: dict[str, Any] = yaml_load(FIXTURE.read_text(encoding="utf-8"))
    return data


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    out = copy.deepcopy(data)
    node = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return out


def _slow_valid(data: Any) -> bool:
    return bool(schema._validator().is_valid(data))


PATHS = _paths(_base())
TRICKY_TEXT = st.sampled_from(
    ["ok", "ok\n", "OK_NAME\n", "١٢٣", "Ａ", "a" * 65, "", "\ud800", "/x", "0.1.0\n", "zh"]
)
SCALARS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1001, 999_999, 1_000_000, True, False, None]),
    st.floats(allow_nan=False) | st.sampled_from([1001.0, 0.0, 2.0]),
    TRICKY_TEXT,
    st.text(max_size=8),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TRICKY_TEXT, inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), value=VALUES)
def test_fast_valid_implies_jsonschema_valid(path: tuple[Any, ...], value: Any) -> None:
    data = _replace(_base(), path, value)
    if schema.fast_valid(data):
        assert _slow_valid(data), (path, value)


@pytest.mark.parametrize(
    "path, value",
    [
        (("codes", 0, "code"), 1001.0),  # an integer to JSON Schema, not to errspec
        (("codes", 0, "code"), 2**80),  # beyond what jsonschema-rs reads
        (("codes", 0, "name"), "BAD\ud800"),  # a lone surrogate
    ],
)
def test_what_jsonschema_rs_cannot_judge_goes_the_slow_way(
    path: tuple[Any, ...], value: Any
) -> None:
    data = _replace(_base(), path, value)
    assert not schema.fast_valid(data)
    assert not _slow_valid(data)


def test_a_valid_spec_is_judged_without_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("jsonschema ran on a valid spec")

    monkeypatch.setattr(schema, "_validator", refuse)
    text = FIXTURE.read_text(encoding="utf-8")
    assert schema.schema_problems(parse(text, str(FIXTURE))) == []


def test_a_trailing_newline_goes_to_jsonschema_for_the_verdict() -> None:
    # Python's `$` matches before a final newline, Rust's does not: jsonschema decides, and
    # schema_problems reports exactly what it finds.
    data = _replace(_base(), ("codes", 0, "category"), _base()["codes"][0]["category"] + "\n")
    assert not schema.fast_valid(data)
    text = yaml.safe_dump(data, allow_unicode=True)
    problems = schema.schema_problems(parse(text, "errors.yaml"))
    assert (problems == []) == _slow_valid(data)


# --- the inlined references -----------------------------------------------------------------


def _mutations(data: dict[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    """Variants of `data`, each with one node replaced, removed or extended."""
    paths: list[tuple[Any, ...]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        paths.append(path)
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node) if isinstance(node, list) else ()
        )
        for key, child in items:
            walk(child, (*path, key))

    walk(data, ())
    variants = []
    for path in rng.sample(paths[1:], min(60, len(paths) - 1)):
        replacement: Any
        for replacement in (12345, "x", None, [], {"unknown": 1}, "", -1, 1.5, True, Ellipsis):
            copy = json.loads(json.dumps(data))
            parent = copy
            for part in path[:-1]:
                parent = parent[part]
            if replacement is Ellipsis:
                del parent[path[-1]]
            else:
                parent[path[-1]] = replacement
            variants.append(copy)
    return variants


def _errors(validator: Any, data: Any) -> list[str]:
    """What schema.py reads of each error (a subschema itself differs: its references are inlined)."""
    return sorted(
        json.dumps(
            [
                list(e.absolute_path),
                e.validator,
                e.message,
                sorted(e.schema.get("properties", {})),
                (
                    e.validator_value
                    if e.validator in ("type", "enum", "pattern", "required")
                    else None
                ),
            ]
        )
        for e in validator.iter_errors(data)
    )


def test_inlined_schema_references_give_the_same_errors() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    original = jsonschema.Draft202012Validator(schema)
    inlined = jsonschema.Draft202012Validator(inline_refs(schema))
    outside = {k: v for k, v in inline_refs(schema).items() if k != "$defs"}
    assert json.dumps(outside).count("$ref") < json.dumps(schema).count("$ref") // 4
    samples = [frozen_data()] + _mutations(frozen_data(), random.Random(3))
    for raw in bad_spec_texts():
        try:
            samples.append(yaml_load(raw.decode("utf-8")))
        except (yaml.YAMLError, UnicodeDecodeError, RecursionError, ValueError):
            pass
    found = 0
    for data in samples:
        expected = _errors(original, data)
        assert _errors(inlined, data) == expected
        found += len(expected)
    assert found > 500  # the samples do break the schema, in many ways


# --- each problem explained ----------------------------------------------------------------


SCHEMA_CASES = [
    (setting(("codes", 1, "nmae"), "X"), 'unknown key "nmae" in codes[1]', 'did you mean "name"?'),
    (
        setting(("codes", 1, "code"), "1001"),
        'codes[1].code: expected integer, got string "1001"',
        "remove the quotes",
    ),
    (
        setting(("codes", 1, "http_status"), "four hundred"),
        'codes[1] (1001).http_status: expected integer, got string "four hundred"',
        "write a whole number, without quotes",
    ),
    (
        lambda d: d["codes"][1].pop("message"),
        'codes[1] (1001): missing required key "message"',
        'add "message:"',
    ),
    (
        setting(("codes", 1, "transports"), ["http", "smoke"]),
        'codes[1] (1001).transports[1]: "smoke" is not one of "http", "websocket"',
        "",
    ),
    (
        setting(("codes", 1, "name"), "invalidApiKey"),
        'codes[1] (1001).name: "invalidApiKey" does not match',
        'write it in UPPER_SNAKE case: "INVALID_API_KEY"',
    ),
    (
        setting(("page", "tilte"), {"zh": "x", "en": "x"}),
        'unknown key "tilte" in page',
        'did you mean "title"?',
    ),
]


@pytest.mark.parametrize("mutate,message,hint", SCHEMA_CASES)
def test_schema_problems_are_explained(
    mutate: Callable[[dict[str, Any]], None], message: str, hint: str
) -> None:
    data = frozen_data()
    mutate(data)
    problems = problems_of(data)
    matching = [p for p in problems if message in p]
    assert matching, problems
    assert hint in matching[0]


def test_unknown_key_points_at_the_key() -> None:
    text = (FROZEN / "errors.yaml").read_text(encoding="utf-8")
    assert text.count("    name: QUOTA_EXHAUSTED\n") == 1
    text = text.replace(
        "    name: QUOTA_EXHAUSTED\n", "    name: QUOTA_EXHAUSTED\n    retryabel: false\n"
    )
    line = text.split("\n").index("    retryabel: false") + 1
    with pytest.raises(SpecError) as info:
        spec_of(text, "spec/errors.yaml")
    assert str(info.value.diagnostics[0]).startswith(
        f'spec/errors.yaml:{line}:5: unknown key "retryabel"'
    )
    assert 'did you mean "retryable"?' in str(info.value)
