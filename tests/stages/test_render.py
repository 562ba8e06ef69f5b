"""Stages render and post-process: the filters each output escapes through, and the target
table's paths. Each filter's shortcut gives what the slower path it replaces gives (black's
code for a double-quoted literal, the YAML emitter's scalars, json.dumps)."""

from __future__ import annotations

import json
from typing import Any

import black
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.filters import py, py_dq
from generator.render import environment
from generator.targets import Target, check_path
from support import BAD_SPEC_BASE, load_spec, render_all
from support import yaml_load

_MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(), st.tuples(st.text()), st.lists(st.text(), max_size=3).map(tuple)))
def test_py_dq_is_the_same_value_and_black_makes_it_the_same_code(value: Any) -> None:
    assert eval(py_dq(value)) == value  # noqa: S307 - a literal we produced
    assert black.format_str(f"x = {py_dq(value)}\n", mode=_MODE) == black.format_str(
        f"x = {py(value)}\n", mode=_MODE
    )


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
    assert written.startswith('"') and yaml_load(written) == value


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


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.text(), json_like, min_size=1, max_size=5)
    | st.lists(json_like, min_size=1, max_size=5)
)
def test_yaml_block_round_trips_any_plain_data(value: Any) -> None:
    template = environment().from_string('{{ value | yaml_block("  ") }}')
    text = "root:\n" + template.render(value=value)
    assert yaml_load(text) == {"root": value}


ESCAPING = [
    "../x",
    "/abs",
    "a/../../b",
    "a\\b",
    "",
    "./a",
    "a/./b",
    "a//b",
    "a/",
    ".",
    "..",
    "x/..",
    "C:x",
    "c:/x",
    "a\x00b",
    "a\nb",
]


@pytest.mark.parametrize("path", ESCAPING)
def test_check_path_refuses_paths_that_are_not_plain_and_inside(path: str) -> None:
    with pytest.raises(ValueError, match="must be a plain relative path inside generated/"):
        check_path(path)


@pytest.mark.parametrize("path", ["a", "docs/errors.zh.md", "a..b/c", "~x/y", "python/__init__.py"])
def test_check_path_accepts_plain_relative_paths(path: str) -> None:
    assert check_path(path) == path


@pytest.mark.parametrize("path", ESCAPING)
def test_render_all_refuses_a_target_outside_generated(path: str) -> None:
    spec = load_spec(BAD_SPEC_BASE)
    rendered: list[str] = []
    ok = Target(
        "snippets",
        "snippets/ok.py",
        template="snippets/handle_error.py.jinja",
        context={"lang": "en"},
    )
    bad = Target(
        "snippets", path, template="snippets/handle_error.py.jinja", context={"lang": "en"}
    )
    with pytest.raises(ValueError, match="must be a plain relative path"):
        rendered.append(str(render_all(spec, targets=(ok, bad))))
    assert rendered == []
