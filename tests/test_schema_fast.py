"""The JSON Schema stage judges valid specs with jsonschema-rs and explains invalid ones with
jsonschema: its fast "valid" must never let through what jsonschema refuses.

The property test swaps one value of the minimal fixture for values chosen where the two
libraries could differ (integral floats, bools, huge ints, trailing newlines, non-ASCII digits,
lone surrogates, nested data) and checks the implication on every example.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from generator import schema
from generator.load import parse

FIXTURE = ROOT / "tests" / "fixtures" / "minimal" / "errors.yaml"


def _base() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
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
