"""Each semantic rule and schema check, one bad spec at a time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import dump_spec, load_frozen_data
from generator.diagnostics import SpecError
from generator.rules import RULES
from stages import spec_of as parse_and_validate

Mutation = Callable[[dict[str, Any]], None]


def code(data: dict[str, Any], number: int) -> dict[str, Any]:
    return next(c for c in data["codes"] if c["code"] == number)


def _set(path: tuple[Any, ...], value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return mutate


# rule name -> (mutation, expected message fragment, expected hint fragment)
RULE_CASES: dict[str, tuple[Mutation, str, str]] = {
    "exception_names_are_usable": (
        lambda d: d["categories"][3].update(exception="TimeoutError"),
        'exception name "TimeoutError" clashes with a name the generated SDKs use',
        'e.g. "RateLimitError"',
    ),
    "unique_codes": (
        lambda d: code(d, 1002).update(code=1001),
        "duplicate code 1001 (first at line",
        "choose another code",
    ),
    "unique_names": (
        lambda d: code(d, 1002).update(name="INVALID_API_KEY"),
        "duplicate name 'INVALID_API_KEY'",
        "",
    ),
    "unique_categories": (
        lambda d: d["categories"][2].update(id="authentication"),
        "duplicate category id 'authentication'",
        "",
    ),
    "category_ranges_are_disjoint": (
        lambda d: d["categories"][2].update(range=[1500, 2999]),
        'overlaps category "authentication"',
        "disjoint",
    ),
    "code_in_category_range": (
        lambda d: code(d, 2004).update(category="rate_limit"),
        'code 2004 is in category "rate_limit" (3000-3999)',
        "move it or change its category",
    ),
    "http_status_matches_transports": (
        lambda d: code(d, 4001).update(http_status=400),
        "code 4001 is WebSocket-only but has an http_status",
        "remove http_status",
    ),
    "retry_after_needs_retryable": (
        lambda d: code(d, 3002).update(retry_after=True),
        "code 3002 has retry_after but is not retryable",
        "retryable: true",
    ),
    "example_matches_entry": (
        lambda d: code(d, 3001)["example"].update(code=3002),
        "example code 3002 differs from the entry's code 3001",
        "set it to 3001",
    ),
    "locales_are_complete": (
        lambda d: code(d, 2003)["causes"].pop("en"),
        'codes[7] (2003).causes has no "en" text',
        "add en:",
    ),
    "sections_are_shared_sensibly": (
        lambda d: code(d, 4004).update(shares_section_with=4999),
        "shares_section_with names unknown code 4999",
        "",
    ),
    "retired_codes_are_never_reused": (
        lambda d: d.update(
            retired=[
                {
                    "code": 2004,
                    "name": "OLD_LIMIT",
                    "reason": {"zh": "旧", "en": "old"},
                    "since": "v2",
                }
            ]
        ),
        "code 2004 was retired (OLD_LIMIT, since v2) and cannot be reused",
        "pick an unused code",
    ),
    "handler_cases_are_consistent": (
        lambda d: d["handler"]["cases"][0]["codes"].append(9999),
        "handler case names unknown code 9999",
        "",
    ),
    "http_status_is_an_error": (
        lambda d: code(d, 3001).update(http_status=200),
        "code 3001 has http_status 200, which is not an error status (only code 0 may be 2xx)",
        "use a 4xx status for a client error or a 5xx status",
    ),
    "retry_case_codes_are_retryable": (
        lambda d: d["handler"]["cases"][2]["codes"].append(3002),
        "handler retry case lists code 3002, which is not retryable",
        "set retryable: true on code 3002, or move it to a raise case",
    ),
    "text_is_clean": (
        lambda d: code(d, 1001).update(message="Invalid\ntoken"),
        "codes[1].message contains a line break at offset 7",
        "use a list",
    ),
    "text_is_trimmed": (
        lambda d: code(d, 1001)["meaning"].update(en="API key is invalid "),
        "codes[1] (1001).meaning.en ends with whitespace (U+0020)",
        "remove it",
    ),
    "handler_names_are_usable": (
        lambda d: d["handler"].update(function="print"),
        'handler.function "print" is a name the snippets use themselves',
        "rename it",
    ),
    "handler_has_one_retry_case": (
        lambda d: d["handler"]["cases"][0].update(action="retry", default_delay=1),
        "handler case 2 is a second retry case",
        "list its codes in the retry case (handler.cases[0])",
    ),
    "prose_stays_inline": (
        lambda d: code(d, 1003).update(notes={"zh": "# 注意", "en": "# Note"}),
        'codes[3] (1003).notes.zh starts with "# 注", which Markdown reads as a heading',
        'escape the marker with a backslash: "\\# 注意"',
    ),
}


def problems_of(data: dict[str, Any], tmp_path: Path) -> list[str]:
    path = dump_spec(data, tmp_path / "errors.yaml")
    try:
        parse_and_validate(path.read_text(encoding="utf-8"), "spec/errors.yaml")
    except SpecError as exc:
        return [str(d) for d in exc.diagnostics]
    return []


def test_every_rule_has_a_case() -> None:
    assert sorted(rule.__name__ for rule in RULES) == sorted(RULE_CASES)


@pytest.mark.parametrize("rule", sorted(RULE_CASES))
def test_rule_reports_its_violation_with_position_and_fix(rule: str, tmp_path: Path) -> None:
    mutate, message, hint = RULE_CASES[rule]
    data = load_frozen_data()
    mutate(data)
    problems = problems_of(data, tmp_path)
    matching = [p for p in problems if message in p]
    assert matching, problems
    assert all(p.startswith("spec/errors.yaml:") and p.split(":")[1].isdigit() for p in matching)
    assert hint in matching[0]


def test_real_spec_has_no_problems(tmp_path: Path) -> None:
    assert problems_of(load_frozen_data(), tmp_path) == []


SCHEMA_CASES = [
    (_set(("codes", 1, "nmae"), "X"), 'unknown key "nmae" in codes[1]', 'did you mean "name"?'),
    (
        _set(("codes", 1, "code"), "1001"),
        'codes[1].code: expected integer, got string "1001"',
        "remove the quotes",
    ),
    (
        _set(("codes", 1, "http_status"), "four hundred"),
        'codes[1] (1001).http_status: expected integer, got string "four hundred"',
        "write a whole number, without quotes",
    ),
    (
        lambda d: d["codes"][1].pop("message"),
        'codes[1] (1001): missing required key "message"',
        'add "message:"',
    ),
    (
        _set(("codes", 1, "transports"), ["http", "smoke"]),
        'codes[1] (1001).transports[1]: "smoke" is not one of "http", "websocket"',
        "",
    ),
    (
        _set(("codes", 1, "name"), "invalidApiKey"),
        'codes[1] (1001).name: "invalidApiKey" does not match',
        'write it in UPPER_SNAKE case: "INVALID_API_KEY"',
    ),
    (
        _set(("page", "tilte"), {"zh": "x", "en": "x"}),
        'unknown key "tilte" in page',
        'did you mean "title"?',
    ),
]


@pytest.mark.parametrize("mutate,message,hint", SCHEMA_CASES)
def test_schema_problems_are_explained(
    mutate: Mutation, message: str, hint: str, tmp_path: Path
) -> None:
    data = load_frozen_data()
    mutate(data)
    problems = problems_of(data, tmp_path)
    matching = [p for p in problems if message in p]
    assert matching, problems
    assert hint in matching[0]


def test_unknown_key_points_at_the_key(tmp_path: Path) -> None:
    spec = tmp_path / "errors.yaml"
    text = (Path(__file__).parent.parent / "spec" / "errors.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    name: QUOTA_EXHAUSTED\n", "    name: QUOTA_EXHAUSTED\n    retryabel: false\n"
    )
    spec.write_text(text, encoding="utf-8")
    line = text.split("\n").index("    retryabel: false") + 1
    with pytest.raises(SpecError) as info:
        parse_and_validate(text, "spec/errors.yaml")
    assert str(info.value.diagnostics[0]).startswith(
        f'spec/errors.yaml:{line}:5: unknown key "retryabel"'
    )
    assert 'did you mean "retryable"?' in str(info.value)


def test_only_code_0_may_answer_2xx(tmp_path: Path) -> None:
    data = load_frozen_data()
    assert code(data, 0)["http_status"] == 200
    assert problems_of(data, tmp_path) == []
    code(data, 5000).update(http_status=302)
    [problem] = problems_of(data, tmp_path)
    assert "code 5000 has http_status 302, which is not an error status" in problem


def test_a_handler_case_naming_a_retired_code_says_since_when(tmp_path: Path) -> None:
    data = load_frozen_data()
    data["codes"] = [raw for raw in data["codes"] if raw["code"] != 2002]
    data["retired"] = [
        {"code": 2002, "name": "SYMBOL_NOT_FOUND", "reason": {"zh": "x", "en": "x"}, "since": "v2"}
    ]
    [problem] = problems_of(data, tmp_path)
    _, line, col, text = problem.split(":", 3)
    assert line.isdigit() and col.isdigit()
    assert text == (
        " handler case names code 2002, retired in v2;"
        " remove it from the case (and the case, when it has no other code)"
    )
