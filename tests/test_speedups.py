"""Each small speed-up gives the answer of the slower path it replaces: double-quoted Python
literals, inlined schema references, the control-character pre-filter, the trimmed diff,
positions found on demand, direct scalar construction, the paused garbage collector."""

from __future__ import annotations

import difflib
import gc
import json
import random
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import black
import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, SPEC, dump_spec, load_spec_data
from test_bad_specs import PATCHES
from generator.diagnostics import SpecError
from generator.filters import py, py_dq
from generator.load import parse
from generator.output.compare import unified_diff
from generator.rules import UNCLEAN
from generator.schema import SCHEMA_PATH, inline_refs
from stages import spec_of as parse_and_validate

# The bad-spec corpus as texts: its files and its patches of the minimal spec.
BAD_TEXTS = [p.read_bytes() for p in sorted((ROOT / "tests" / "bad_specs").glob("*.yaml"))] + [
    patch.apply() for patch in PATCHES
]


# --- the small speed-ups -------------------------------------------------------------------------------

_MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(), st.tuples(st.text()), st.lists(st.text(), max_size=3).map(tuple)))
def test_py_dq_is_the_same_value_and_black_makes_it_the_same_code(value: Any) -> None:
    assert eval(py_dq(value)) == value  # noqa: S307 - a literal we produced
    assert black.format_str(f"x = {py_dq(value)}\n", mode=_MODE) == black.format_str(
        f"x = {py(value)}\n", mode=_MODE
    )


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
    samples = [load_spec_data()] + _mutations(load_spec_data(), random.Random(3))
    for raw in BAD_TEXTS:
        try:
            samples.append(yaml.safe_load(raw.decode("utf-8")))
        except (yaml.YAMLError, UnicodeDecodeError, RecursionError, ValueError):
            pass
    found = 0
    for data in samples:
        expected = _errors(original, data)
        assert _errors(inlined, data) == expected
        found += len(expected)
    assert found > 500  # the samples do break the schema, in many ways


def test_the_control_character_prefilter_matches_exactly_what_the_rule_refuses() -> None:
    refused = {
        chr(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) in ("Cc", "Cs") or chr(c) in "\u2028\u2029"
    }
    matched = {chr(c) for c in range(sys.maxunicode + 1) if UNCLEAN.search(chr(c))}
    assert matched == refused


def _apply(a: list[str], patch: str) -> list[str]:
    """Apply a unified diff to `a`, checking every context and removed line."""
    out: list[str] = []
    at = 0
    lines = patch.splitlines(keepends=True)[2:]
    i = 0
    while i < len(lines):
        m = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@\n", lines[i])
        assert m, lines[i]
        start = int(m.group(1)) - (0 if m.group(2) == "0" else 1)
        out += a[at:start]
        at = start
        i += 1
        while i < len(lines) and not lines[i].startswith("@@"):
            tag, line = lines[i][0], lines[i][1:]
            if tag in " -":
                assert a[at] == line
                at += 1
            if tag in " +":
                out.append(line)
            i += 1
    return out + a[at:]


def test_the_trimmed_diff_applies_and_equals_difflib_where_lines_are_unique() -> None:
    rng = random.Random(5)
    for trial in range(1500):
        unique = trial % 2 == 0
        a = [
            (f"line {i}\n" if unique else rng.choice("abc") + "\n")
            for i in range(rng.randrange(80))
        ]
        b = list(a)
        for _ in range(rng.randrange(1, 5)):
            at = rng.randrange(len(b) + 1)
            kind = rng.randrange(3)
            if kind == 0 or not b:
                b.insert(at, f"new {rng.random()}\n" if unique else rng.choice("abz") + "\n")
            elif kind == 1:
                del b[min(at, len(b) - 1)]
            else:
                b[min(at, len(b) - 1)] = f"changed {rng.random()}\n"
        mine = unified_diff(a, b, "old", "new")
        assert (mine == "") == (a == b)
        if mine:
            assert _apply(a, mine) == b, (a, b, mine)
        if unique:
            assert mine == "".join(difflib.unified_diff(a, b, "old", "new"))


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
    for raw in [SPEC.read_bytes(), *BAD_TEXTS]:
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
    second = load_spec_data()["codes"][1]["code"]
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
    parse_and_validate(SPEC.read_text(encoding="utf-8"), "spec/errors.yaml")
    assert gc.isenabled()
    data = load_spec_data()
    data["codes"][1]["http_status"] = "401"
    with pytest.raises(SpecError):
        parse_and_validate(
            dump_spec(data, tmp_path / "bad.yaml").read_text(encoding="utf-8"), "bad.yaml"
        )
    assert gc.isenabled()


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.from_regex(r"[A-Za-z/][A-Za-z0-9_./ (),'\"{}-]{0,12}", fullmatch=True),
        st.sampled_from(
            [
                "y",
                "N",
                "Yes",
                "off",
                "True",
                "null",
                "NULL",
                "a b",
                "x/y",
                "v1.2",
                "/v1/{id}",
                'Bad (ref "1")',
                "a, b",
                "No",
                "/",
            ]
        ),
    )
)
def test_yaml_str_of_simple_words_is_what_the_emitter_writes(value: str) -> None:
    from generator.filters import emitted_yaml_str, yaml_str

    assert yaml_str(value) == emitted_yaml_str(value)


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


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=10), st.sampled_from([": ", " #"]), st.text(max_size=10))
def test_a_string_yaml_never_writes_plain_goes_straight_to_double_quotes(
    before: str, mark: str, after: str
) -> None:
    from generator.filters import emitted_yaml_str

    value = before + mark + after
    emitted = yaml.safe_dump(value, allow_unicode=True, width=1 << 30)
    assert emitted.startswith(("'", '"')) or "\n" in emitted.removesuffix("\n...\n").rstrip("\n")
    written = emitted_yaml_str(value)
    assert written.startswith('"') and yaml.safe_load(written) == value


JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text() | st.integers() | st.booleans(), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=500, deadline=None)
@given(JSON_LIKE)
def test_json_block_is_json_dumps_with_an_indent_of_two(value: Any) -> None:
    from generator.filters import json_block

    assert json_block(value) == json.dumps(value, ensure_ascii=False, indent=2)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from("ab\n"), max_size=12), st.lists(st.sampled_from("ab\n"), max_size=12)
)
def test_common_run_is_the_loop_it_replaces(a: list[str], b: list[str]) -> None:
    from generator.output.compare import common_run

    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) and tail < len(b) and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    assert common_run(a, b) == head
    assert common_run(a, b, tail=True) == tail
