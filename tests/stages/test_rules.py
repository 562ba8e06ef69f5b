"""Stage rules: each named rule, one bad spec at a time, reports its violation at its place
with its fix."""

from __future__ import annotations

import sys
import unicodedata
import copy
from collections.abc import Callable
from typing import Any

import pytest

from generator.rules import RULES, UNCLEAN
from support import entry_of as code
from support import frozen_data, localized_texts, problems_of, retired_entry

Mutation = Callable[[dict[str, Any]], None]


def _only_in_a_locale_errspec_does_not_know(data: dict[str, Any]) -> None:
    """Every text in fr (copied from en) and no other locale, the page's words left out."""
    for text in localized_texts(data, ["zh", "en"]):
        english = copy.deepcopy(text["en"])
        text.clear()
        text["fr"] = english
    data["locales"] = ["fr"]
    data["page"]["doc_url_locale"] = "fr"
    data["page"].pop("labels")
    data["page"].pop("colon")


# rule name -> (mutation, expected message fragment, expected hint fragment)
RULE_CASES: dict[str, tuple[Mutation, str, str]] = {
    "exception_names_are_usable": (
        lambda d: d["categories"][3].update(exception="TimeoutError"),
        'exception name "TimeoutError" clashes with a name the generated SDKs use',
        'e.g. "RateLimitError"',
    ),
    "websocket_parts_go_together": (
        lambda d: d["envelopes"].pop("websocket"),
        "the spec has a websocket section but no envelopes.websocket",
        "remove websocket for an HTTP-only API",
    ),
    "transports_are_named_with_websocket": (
        lambda d: code(d, 1001).pop("transports"),
        "code 1001 names no transports, and the API has WebSocket parts",
        "add transports: [http], [websocket] or [http, websocket]",
    ),
    "selected_sdks_have_packages": (
        lambda d: d["packages"].pop("npm"),
        "the js output needs packages.npm",
        "or leave js out of outputs",
    ),
    "go_module_path_is_usable": (
        lambda d: d["packages"].update(go="example.com/team/errs/v3"),
        "packages.go ends in the major version v3",
        "write 'example.com/team/errs'",
    ),
    "replacements_are_live_codes": (
        lambda d: code(d, 3002).update(
            deprecated={
                "since": "1.1.0",
                "reason": {"zh": "合并", "en": "Merged"},
                "replacement": 3999,
            }
        ),
        "code 3002's replacement 3999 is no code of the spec",
        "name a live code that is not deprecated",
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
        "missing: codes[7] (2003).causes",
        "add the en texts, or set `fallback:`",
    ),
    "words_are_complete": (
        lambda d: _only_in_a_locale_errspec_does_not_know(d),
        "errspec has no words of its own for fr, and the spec writes none of: page.labels.",
        "or set `fallback:` to a locale errspec knows",
    ),
    "sections_are_shared_sensibly": (
        lambda d: code(d, 4004).update(shares_section_with=4999),
        "shares_section_with names unknown code 4999",
        "",
    ),
    "retired_codes_are_never_reused": (
        lambda d: d.update(
            retired=[retired_entry(2004, "OLD_LIMIT", reason={"zh": "旧", "en": "old"}, since="v2")]
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


def test_every_rule_has_a_case() -> None:
    assert sorted(rule.__name__ for rule in RULES) == sorted(RULE_CASES)


@pytest.mark.parametrize("rule", sorted(RULE_CASES))
def test_rule_reports_its_violation_with_position_and_fix(rule: str) -> None:
    mutate, message, hint = RULE_CASES[rule]
    data = frozen_data()
    mutate(data)
    problems = problems_of(data)
    matching = [p for p in problems if message in p]
    assert matching, problems
    assert all(p.startswith("spec/errors.yaml:") and p.split(":")[1].isdigit() for p in matching)
    assert hint in matching[0]


def test_the_frozen_spec_has_no_problems() -> None:
    assert problems_of(frozen_data()) == []


def test_only_code_0_may_answer_2xx() -> None:
    data = frozen_data()
    assert code(data, 0)["http_status"] == 200
    assert problems_of(data) == []
    code(data, 5000).update(http_status=302)
    [problem] = problems_of(data)
    assert "code 5000 has http_status 302, which is not an error status" in problem


def test_a_handler_case_naming_a_retired_code_says_since_when() -> None:
    data = frozen_data()
    data["codes"] = [raw for raw in data["codes"] if raw["code"] != 2002]
    data["retired"] = [retired_entry(2002, "SYMBOL_NOT_FOUND", since="v2")]
    [problem] = problems_of(data)
    _, line, col, text = problem.split(":", 3)
    assert line.isdigit() and col.isdigit()
    assert text == (
        " handler case names code 2002, retired in v2;"
        " remove it from the case (and the case, when it has no other code)"
    )


def test_the_control_character_prefilter_matches_exactly_what_the_rule_refuses() -> None:
    refused = {
        chr(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) in ("Cc", "Cs") or chr(c) in "\u2028\u2029"
    }
    matched = {chr(c) for c in range(sys.maxunicode + 1) if UNCLEAN.search(chr(c))}
    assert matched == refused
