"""The spec is YAML 1.2 (core schema): a plain scalar that YAML 1.1 (PyYAML) reads otherwise
is refused at its place with a fix, never reinterpreted; what both read alike is read so."""

from __future__ import annotations

import pytest

from generator.diagnostics import SpecError
from generator.load import parse

# value -> (YAML 1.1's reading, YAML 1.2's reading)
DISAGREE = {
    "01751": (1001, 1751),  # octal in 1.1
    "16:41": (1001, "16:41"),  # base 60 in 1.1
    "1_001": (1001, "1_001"),
    "0b11": (3, "0b11"),
    "yes": (True, "yes"),
    "on": (True, "on"),
    "Off": (False, "Off"),
    "NO": (False, "NO"),
    "0o17": ("0o17", 15),
    "1e3": ("1e3", 1000.0),
    "+.5": ("+.5", 0.5),
    "1_000.5": (1000.5, "1_000.5"),
}
AGREE = {
    "1001": 1001,
    "-5": -5,
    "+3": 3,
    "0x1A": 26,
    "1.5": 1.5,
    "6.85e+5": 685000.0,
    ".inf": float("inf"),
    "true": True,
    "False": False,
    "~": None,
    "null": None,
    "y": "y",
    "n": "n",
    "2001-12-14": "2001-12-14",
    "1.2.3": "1.2.3",
    "plain text": "plain text",
}


@pytest.mark.parametrize("value", sorted(DISAGREE))
def test_a_scalar_yaml_1_1_reads_otherwise_is_refused_at_its_place(value: str) -> None:
    read_11, read_12 = DISAGREE[value]
    with pytest.raises(SpecError) as raised:
        parse(f"codes:\n  - code: {value}\n    x: [1, {value}]\n", "spec.yaml")
    places = [(d.line, d.col) for d in raised.value.diagnostics]
    assert places == [(2, 11), (3, 12)]
    problem = raised.value.diagnostics[0]
    assert f"{value!r} reads as" in problem.message and "YAML 1.2" in problem.message
    assert "quotes" in problem.hint or "whichever" in problem.hint
    shown = {True: "true", False: "false"}.get(read_11, read_11)  # type: ignore[call-overload]
    if not isinstance(read_11, str):
        assert f"write {shown}" in problem.hint


@pytest.mark.parametrize("value", sorted(AGREE))
def test_a_scalar_both_versions_read_alike_is_read_so(value: str) -> None:
    assert parse(f"a: {value}\n", "spec.yaml").data == {"a": AGREE[value]}


def test_quoted_it_is_text() -> None:
    data = parse("".join(f"k{i}: '{v}'\n" for i, v in enumerate(DISAGREE)), "s.yaml").data
    assert list(data.values()) == list(DISAGREE)


@pytest.mark.parametrize("key", ["on", "yes", "0o17", "1e3", "true"])
def test_a_key_either_version_reads_as_no_text_is_refused(key: str) -> None:
    with pytest.raises(SpecError) as raised:
        parse(f"a: 1\n{key}: 2\n", "spec.yaml")
    (problem,) = raised.value.diagnostics
    assert (problem.line, problem.col) == (2, 1)
    assert problem.hint == "quote the key"
