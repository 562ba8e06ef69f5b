"""Stage parse: YAML text -> data and positions, in one pass over libyaml's events.

The shortcuts give the answer of the slower path they replace: positions found on demand
equal those of PyYAML's composed node graph, scalars read directly equal what PyYAML
constructs, and parsing gives the garbage collector back. (Plain-word YAML errors and the
bad-spec corpus run through the CLI: tests/cli/test_bad_specs.py, test_hostile_input.py.)
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diagnostics import SpecError
from generator.load import parse
from support import FROZEN, bad_spec_texts, dump_spec, frozen_data, spec_of

SPEC = FROZEN / "errors.yaml"


def _composed_positions(text: str) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """Positions of values and keys read off PyYAML's composed node graph (no aliases here)."""
    values: dict[Any, Any] = {}
    keys: dict[Any, Any] = {}

    def walk(node: yaml.Node, path: tuple[str | int, ...]) -> None:
        values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                keys[(*path, key.value)] = (key.start_mark.line + 1, key.start_mark.column + 1)
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    walk(yaml.compose(text, Loader=yaml.CSafeLoader), ())
    return values, keys


def test_positions_found_on_demand_equal_those_of_the_composed_graph() -> None:
    checked = 0
    for raw in [SPEC.read_bytes(), *bad_spec_texts()]:
        try:
            text = raw.decode("utf-8")
            doc = parse(text, "spec.yaml")
        except (SpecError, UnicodeDecodeError, RecursionError):
            continue
        assert "_tables" not in doc.positions.__dict__  # nothing walked twice yet
        assert (doc.positions.values, doc.positions.keys) == _composed_positions(text)
        checked += 1
    assert checked > 5
    lines = SPEC.read_text(encoding="utf-8").splitlines()
    doc = parse(SPEC.read_text(encoding="utf-8"), "spec/errors.yaml")
    second = frozen_data()["codes"][1]["code"]
    assert doc.positions.values[("codes", 1, "code")] == (
        lines.index(f"  - code: {second}") + 1,
        11,
    )


def test_scalars_read_directly_equal_what_pyyaml_constructs() -> None:
    text = (
        "ints: [0, -5, +3, 0x1A, 0, 1000, 685230]\n"
        "floats: [1.5, -0.5e+3, .inf, -.Inf, 6.8523015e+5, 685.23015e+03]\n"
        "bools: [True, false, true, FALSE, y, n]\n"
        "nulls: [~, null, Null, ]\n"
        "strings: ['0x1A', \"yes\", plain text, '', \"\\t\\u00e9\", !!str 123, 1.2.3]\n"
        "tagged: [!!int '42', !!float '1', !!bool 'true', !!null '']\n"
        "nested: {a: {b: [1, {c: d}]}}\n"
    )
    data = parse(text, "scalars.yaml").data
    assert data == yaml.load(text, Loader=yaml.CSafeLoader)
    assert [type(v) for v in data["ints"]] == [int] * 7
    nan = parse("x: .nan\n", "nan.yaml").data["x"]
    assert nan != nan


def test_parsing_gives_the_collector_back(tmp_path: Path) -> None:
    assert gc.isenabled()
    spec_of(SPEC.read_text(encoding="utf-8"), "spec/errors.yaml")
    assert gc.isenabled()
    data = frozen_data()
    data["codes"][1]["http_status"] = "401"
    with pytest.raises(SpecError):
        spec_of(dump_spec(data, tmp_path / "bad.yaml").read_text(encoding="utf-8"), "bad.yaml")
    assert gc.isenabled()


def test_positions_of_a_few_paths_equal_those_of_every_path() -> None:
    text = SPEC.read_text(encoding="utf-8")
    every = parse(text, "spec/errors.yaml").positions
    paths: list[tuple[Any, ...]] = [p for p in every.values][::7] + [
        ("codes", 10_000, "code"),  # not in the spec: its nearest ancestor
        ("nowhere",),
    ]
    requests = [(path, f"at {path}", "hint") for path in paths]
    few = parse(text, "spec/errors.yaml").positions
    assert few.at_each(requests) == [every.at(path, m, h) for path, m, h in requests]
    assert "_tables" not in few.__dict__  # only the asked paths were looked up
