"""One table of envelope cases, run through both generated SDKs: Python and JavaScript must agree.

Each case is {body, headers, now} with the expected outcome, built from the spec (never from an
SDK) and written once as JSON; the Python SDK reads that file with json.loads and the JS SDK
(tests/js/run_cases.mjs) with JSON.parse, so both see exactly the same input.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from support import FROZEN, ROOT, frozen_generated, import_package, load_spec, node, run_tool

SPEC = load_spec(FROZEN / "errors.yaml")
SDK_DIR = frozen_generated() / "generated" / "python"  # the frozen registry's SDKs
exceptions = import_package(SDK_DIR, "errspec_test_sdk")["exceptions"]
JS_SDK = SDK_DIR.parent / "js" / "errors.js"

HEADER = SPEC.retry_after_header
NOW = "1994-11-06T08:49:00Z"
MALFORMED = "Malformed API envelope: expected an object with an integer code"


def raises(
    code: int | None, message: str, data: Any = None, retry_after: int | None = None
) -> dict:
    """The expected error: the spec's metadata for a known code, none for any other."""
    entry = next((e for e in SPEC.codes if e.code == code), None)
    return {
        "raises": {
            "class": entry.category.exception if entry else "ApiError",
            "code": code,
            "message": message,
            "data": data,
            "retryable": entry.retryable if entry else False,
            "retry_after": retry_after,
            "http_status": entry.http_status if entry else None,
            "doc_url": entry.doc_url if entry else None,
        }
    }


def case(
    name: str,
    body: Any,
    expected: dict,
    headers: dict[str, str] | None = None,
    now: str | None = None,
) -> dict[str, Any]:
    return {"id": name, "body": body, "headers": headers, "now": now, "expected": expected}


def limited(
    value: str, retry_after: int | None, now: str | None = NOW, name: str = ""
) -> dict[str, Any]:
    """3001 (Retry-After applies) with `value` as its header."""
    body = {"code": 3001, "message": "slow down"}
    return case(
        name or f"3001 Retry-After {value!r}",
        body,
        raises(3001, "slow down", None, retry_after),
        {HEADER: value},
        now,
    )


def build_cases() -> list[dict[str, Any]]:
    """The conformance table."""
    out = []
    for e in SPEC.codes:
        example = dict(e.example)
        expected = (
            {"returns": example.get("data")}
            if e.code == 0
            else raises(e.code, example["message"], example.get("data"))
        )
        out.append(case(f"{e.code} example", example, expected))
    out += [
        limited("17", 17),
        limited(" 17\t", 17),
        limited("0", 0),
        limited("9007199254740991", 9007199254740991),
        limited("Sun, 06 Nov 1994 08:49:37 GMT", 37),
        limited("Sunday, 06-Nov-94 08:49:37 GMT", 37),
        limited("Sun Nov  6 08:49:37 1994", 37),
        case(
            "3001 partial seconds round up",
            {"code": 3001, "message": "m"},
            raises(3001, "m", None, 1),
            {HEADER: "Sun, 06 Nov 1994 08:49:37 GMT"},
            "1994-11-06T08:49:36.100Z",
        ),
        limited("Sun, 06 Nov 1994 08:48:00 GMT", 0),
        limited("Sun, 06 Nov 1994 08:49:37 GMT", 0, now=None, name="3001 past date, real clock"),
        limited("Sun, 06 Nov 1994 08:49:60 GMT", 59),
        case(
            "3001 two-digit year 50+ years ahead is last century",
            {"code": 3001, "message": "m"},
            raises(3001, "m", None, 0),
            {HEADER: "Thursday, 01-Jan-81 00:00:00 GMT"},
            "2030-01-01T00:00:00Z",
        ),
        case(
            "3001 two-digit year within 50 years",
            {"code": 3001, "message": "m"},
            raises(3001, "m", None, 10),
            {HEADER: "Tuesday, 01-Jan-30 00:00:10 GMT"},
            "2030-01-01T00:00:00Z",
        ),
        case(
            "3001 lower-case header name",
            {"code": 3001, "message": "m"},
            raises(3001, "m", None, 5),
            {HEADER.lower(): "5"},
        ),
    ]
    garbage = [
        "",
        "soon",
        "-1",
        "1.5",
        "1e3",
        "0x10",
        "+5",
        "30 seconds",
        "٣",
        "9007199254740992",
        "99999999999999999999",
        "Sun, 06 Nov 1994 08:49:37 +0000",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "06 Nov 1994 08:49:37 GMT",
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 0000 08:49:37 GMT",
        "1994-11-06T08:49:37Z",
        "Sun, 06 Nov 1994 08:49:37 GMT\n",
    ]
    out += [limited(value, None) for value in garbage]
    out += [
        case(
            "3002 ignores Retry-After",
            {"code": 3002, "message": "Quota exhausted"},
            raises(3002, "Quota exhausted"),
            {HEADER: "120"},
        ),
        case(
            "3002 ignores an HTTP-date",
            {"code": 3002, "message": "q"},
            raises(3002, "q"),
            {HEADER: "Sun, 06 Nov 1994 08:49:37 GMT"},
            NOW,
        ),
        case("3001 without headers", {"code": 3001, "message": "m"}, raises(3001, "m")),
        case(
            "unknown code 9999",
            {"code": 9999, "message": "new", "data": {"x": 1}},
            raises(9999, "new", {"x": 1}),
            {HEADER: "5"},
        ),
        case("unknown code without message", {"code": 9999}, raises(9999, "API error 9999")),
        case(
            "unknown code, message not a string",
            {"code": 9999, "message": {"text": "x"}},
            raises(9999, "API error 9999"),
        ),
        case("negative unknown code", {"code": -1}, raises(-1, "API error -1")),
        case("known code without message", {"code": 1001}, raises(1001, SPEC.entry(1001).message)),
        case(
            "known code, message null",
            {"code": 2002, "message": None},
            raises(2002, SPEC.entry(2002).message),
        ),
        case("empty message is kept", {"code": 2002, "message": ""}, raises(2002, "")),
        case(
            "code 1001.0 is the JSON number 1001",
            {"code": 1001.0, "message": "m"},
            raises(1001, "m"),
        ),
        case(
            "code 0 returns data",
            {"code": 0, "message": "success", "data": [1, {"a": None}]},
            {"returns": [1, {"a": None}]},
            {HEADER: "5"},
        ),
        case("code 0 without data", {"code": 0, "message": "success"}, {"returns": None}),
        case("code 0 with data null", {"code": 0, "data": None}, {"returns": None}),
    ]
    malformed: list[Any] = [
        [],
        [0],
        [{"code": 0}],
        "oops",
        "",
        3,
        0,
        True,
        None,
        {},
        {"message": "no code"},
        {"code": "1001", "data": {"k": 1}},
        {"code": True},
        {"code": False},
        {"code": None},
        {"code": 1.5},
        {"code": [0]},
        {"code": {"n": 1}},
        {"code": 9007199254740992},
        {"code": -9007199254740992},
    ]
    out += [
        case(f"malformed {json.dumps(body)}", body, raises(None, MALFORMED, body), {HEADER: "5"})
        for body in malformed
    ]
    return out


CASES = build_cases()
IDS = [c["id"] for c in CASES]


@pytest.fixture(scope="module")
def cases_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("conformance") / "sdk_cases.json"
    path.write_text(json.dumps(CASES, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def loaded(cases_file: Path) -> list[dict[str, Any]]:
    """The cases as JSON gives them back (1001.0 stays a float, as a Python client sees it)."""
    return list(json.loads(cases_file.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def js_outcomes(cases_file: Path) -> list[dict[str, Any]]:
    proc = run_tool([node(), "tests/js/run_cases.mjs", cases_file, JS_SDK.as_uri()], cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    outcomes = json.loads(proc.stdout)
    assert len(outcomes) == len(CASES)
    return list(outcomes)


def python_outcome(c: dict[str, Any]) -> dict[str, Any]:
    now = None if c["now"] is None else datetime.fromisoformat(c["now"])
    try:
        return {"returns": exceptions.raise_for_envelope(c["body"], c["headers"], now=now)}
    except exceptions.ApiError as err:
        return {
            "raises": {
                "class": type(err).__name__,
                "code": err.code,
                "message": err.message,
                "data": err.data,
                "retryable": err.retryable,
                "retry_after": err.retry_after,
                "http_status": err.http_status,
                "doc_url": err.doc_url,
            }
        }


def test_the_table_covers_every_code_and_the_hostile_cases() -> None:
    assert len(set(IDS)) == len(IDS)
    assert {c["body"]["code"] for c in CASES[: len(SPEC.codes)]} == {e.code for e in SPEC.codes}
    assert SPEC.entry(3001).retry_after and not SPEC.entry(3002).retry_after
    assert not any(e.code == 9999 for e in SPEC.codes)


@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_python_sdk(loaded: list[dict[str, Any]], index: int) -> None:
    c = loaded[index]
    outcome = python_outcome(c)
    assert outcome == c["expected"]
    if "raises" in outcome:
        # No float where the table has an int: retry_after is whole seconds.
        assert type(outcome["raises"]["retry_after"]) in (int, type(None))


@pytest.mark.slow  # node
@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_js_sdk(js_outcomes: list[dict[str, Any]], index: int) -> None:
    assert js_outcomes[index] == CASES[index]["expected"]
