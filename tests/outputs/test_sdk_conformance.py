"""One table of cases, run through every generated SDK: Python, JavaScript and Go must agree.

Each row is an envelope ({body, headers, now}) or a response ({status, text or base64 body,
headers, now}) with the expected outcome, computed from errspec's model of the table's spec
(never by running an SDK), beside hand-written rows for bad bodies and bad headers. The table
is written once as JSON; the Python SDK reads it with json.loads, the JS SDK
(tests/js/run_cases.mjs) with JSON.parse, the Go SDK (tests/go/conformance_test.go) with
encoding/json, so all see exactly the same input. A runner gives one outcome per row, in
order: a row it skipped or could not run is a mismatch.
"""

from __future__ import annotations

import base64
import functools
import json
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from support import (
    GO_ENV,
    GO_TESTS,
    DEPRECATED,
    RETIRED,
    ROOT,
    dump_spec,
    go_module,
    go_tool,
    import_package,
    lifecycle_data,
    node,
    run_errspec,
    run_tool,
    spec_of_data,
)


def table_data() -> dict[str, Any]:
    """The frozen registry with a deprecated code (2002) and a retired one (2003, see
    lifecycle_data), unknown rate-limit and server codes retryable by their category's
    retryable_default, and every SDK package named."""
    data = lifecycle_data()
    for category in data["categories"]:
        if category["id"] in ("rate_limit", "server"):
            category["retryable_default"] = True
    data["packages"] = {**data["packages"], **PACKAGES}
    return data


# The Go package, once the table's spec names one (the Go runner needs it).
PACKAGES: dict[str, Any] = {"go": "example.com/conformance/sdkerrs"}
DATA = table_data()
SPEC = spec_of_data(DATA, "conformance.yaml")


@functools.cache
def generated() -> Path:
    """generated/ of the table's spec (no API surface: the SDKs need none), made once."""
    root = Path(tempfile.mkdtemp(prefix="errspec-conformance-"))
    dump_spec(DATA, root / "spec" / "errors.yaml")
    result = run_errspec("generate", cwd=root, env={"ERRSPEC_CACHE": "0"})
    assert result.code == 0, result.err
    return root / "generated"


exceptions = import_package(generated() / "python", "errspec_conformance_sdk")["exceptions"]
JS_SDK = generated() / "js" / "errors.js"

HEADER = SPEC.retry_after_header
NOW = "1994-11-06T08:49:00Z"
MALFORMED = "Malformed API envelope: expected an object with an integer code"
RAW_LIMIT = 65536
# Codes the hand-written rows rely on (test_the_table_covers_every_kind_of_code checks them).
LIMITED, UNLIMITED, UNKNOWN_IN_RANGE, OUTSIDE = 3001, 3002, 3999, 9999


def raises(
    code: int | None,
    message: str,
    data: Any = None,
    retry_after: int | None = None,
    status: int | None = None,
    raw: str | None = None,
) -> dict[str, Any]:
    """The expected error, from the spec: a live, deprecated or retired code's metadata and
    class; for a code it does not know, its range's class and retryability; for a response
    that is no envelope (code None with a status), the class that status gives."""
    entry = next((e for e in SPEC.codes if e.code == code), None)
    retired = next((r for r in SPEC.retired if r.code == code), None)
    found = None if code is None else SPEC.range_of(code)
    name: str | None = None
    if entry is not None:
        cls, name, retryable = entry.category.exception, entry.name, entry.retryable
    elif code is None:
        cls, retryable = SPEC.response_class(status) if status is not None else ("ApiError", False)
    else:
        cls = found.exception if found else "ApiError"
        name = retired.name if retired else None
        retryable = bool(found and found.retryable and not retired)
    return {
        "raises": {
            "class": cls,
            "code": code,
            "name": name,
            "message": message,
            "data": data,
            "retryable": retryable,
            "retry_after": retry_after,
            "http_status": entry.http_status if entry else None,
            "doc_url": entry.doc_url if entry else SPEC.retired_doc_url if retired else None,
            "status": status,
            "raw": raw,
        }
    }


def registry_message(code: int) -> str:
    """What an envelope without a message says: the spec's message, a retired code's reason,
    or "API error <code>"."""
    retired = next((r for r in SPEC.retired if r.code == code), None)
    if retired is not None:
        return str(retired.reason[SPEC.page.doc_url_locale])
    entry = next((e for e in SPEC.codes if e.code == code), None)
    return entry.message if entry else f"API error {code}"


def case(
    name: str,
    body: Any,
    expected: dict[str, Any],
    headers: dict[str, str] | None = None,
    now: str | None = None,
) -> dict[str, Any]:
    """A row of raise_for_envelope."""
    return {
        "id": name,
        "kind": "envelope",
        "body": body,
        "headers": headers,
        "now": now,
        "expected": expected,
    }


def response(
    name: str,
    status: int,
    body: str | bytes,
    expected: dict[str, Any],
    headers: dict[str, str] | None = None,
    now: str | None = None,
) -> dict[str, Any]:
    """A row of raise_for_response: a text body, or bytes (sent as base64)."""
    row: dict[str, Any] = {"id": name, "kind": "response", "status": status}
    if isinstance(body, bytes):
        row["base64"] = base64.b64encode(body).decode("ascii")
    else:
        row["text"] = body
    return {**row, "headers": headers, "now": now, "expected": expected}


def cut(text: str) -> str:
    """`text` as an error keeps it: at most RAW_LIMIT UTF-8 bytes, no character split."""
    raw = text.encode("utf-8")
    if len(raw) <= RAW_LIMIT:
        return text
    end = RAW_LIMIT
    while raw[end] & 0xC0 == 0x80:
        end -= 1
    return raw[:end].decode("utf-8")


def not_envelope(status: int, text: str, retry_after: int | None = None) -> dict[str, Any]:
    """The expected error of a response whose body is no envelope."""
    message = f"HTTP {status}: the response is not an API envelope"
    return raises(None, message, None, retry_after, status, cut(text))


def limited(
    value: str, retry_after: int | None, now: str | None = NOW, name: str = ""
) -> dict[str, Any]:
    """3001 (Retry-After applies) with `value` as its header."""
    body = {"code": LIMITED, "message": "slow down"}
    return case(
        name or f"3001 Retry-After {value!r}",
        body,
        raises(LIMITED, "slow down", None, retry_after),
        {HEADER: value},
        now,
    )


def code_rows() -> list[dict[str, Any]]:
    """Every live code's example, then each kind of code with and without a message and
    with a Retry-After header, expected from the model."""
    out = []
    for e in SPEC.codes:
        example = dict(e.example)
        expected = (
            {"returns": example.get("data")}
            if e.code == 0
            else raises(e.code, example["message"], example.get("data"))
        )
        out.append(case(f"{e.code} example", example, expected))
    kinds = {
        "deprecated": DEPRECATED,
        "retired": RETIRED,
        "unknown in a retryable range": UNKNOWN_IN_RANGE,
        "unknown in a range": max(c.high for c in SPEC.categories if not c.retryable_default),
        "unknown outside every range": OUTSIDE,
        "unknown negative": -1,
    }
    for kind, code in kinds.items():
        reads = raises(code, "m")["raises"]
        applies = SPEC.entry(code).retry_after if code in SPEC.code_numbers else reads["retryable"]
        out += [
            case(
                f"{kind} {code}",
                {"code": code, "message": "m", "data": [1]},
                raises(code, "m", [1]),
            ),
            case(
                f"{kind} {code} without message",
                {"code": code},
                raises(code, registry_message(code)),
            ),
            case(
                f"{kind} {code} with Retry-After",
                {"code": code, "message": "m"},
                raises(code, "m", None, 7 if applies else None),
                {HEADER: "7"},
            ),
        ]
    return out


def response_rows() -> list[dict[str, Any]]:
    """raise_for_response: envelopes in a response, then bodies that are none (hand-written)."""
    html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    big = "<p>" + "a" * (RAW_LIMIT - 4) + "é" + "b" * 100  # é straddles the limit
    statuses = sorted({e.http_status for e in SPEC.errors if e.http_status} | {504, 418, 200})
    out = [
        response(
            "429 envelope 3001",
            429,
            json.dumps({"code": LIMITED, "message": "slow"}),
            raises(LIMITED, "slow", None, 3, 429),
            {HEADER: "3"},
        ),
        response(
            "429 envelope, unknown in range",
            429,
            '{"code": %d}' % UNKNOWN_IN_RANGE,
            raises(UNKNOWN_IN_RANGE, registry_message(UNKNOWN_IN_RANGE), None, 3, 429),
            {HEADER: "3"},
        ),
        response(
            "200 success envelope",
            200,
            '{"code": 0, "message": "success", "data": {"a": [1]}}',
            {"returns": {"a": [1]}},
        ),
        response(
            "bytes success envelope",
            200,
            '{"code": 0, "data": "é"}'.encode(),
            {"returns": "é"},
        ),
        response(
            "400 envelope from bytes",
            400,
            json.dumps({"code": 2001, "message": "é"}).encode(),
            raises(2001, "é", None, None, 400),
        ),
    ]
    for status in statuses:
        cls, retryable = SPEC.response_class(status)
        out.append(
            response(
                f"{status} HTML page",
                status,
                html,
                not_envelope(status, html, 11 if retryable else None),
                {HEADER: "11"},
            )
        )
    hostile = {
        "empty": "",
        "whitespace": " \n",
        "truncated": '{"code": 3001, "mess',
        "a JSON string": '"oops"',
        "a JSON list": "[0]",
        "null": "null",
        "no code": '{"message": "x"}',
        "code a string": '{"code": "3001"}',
        "NaN code": '{"code": NaN}',
        "BOM before the envelope": "\ufeff" + '{"code": 0}',
        "two envelopes": '{"code": 0}{"code": 0}',
        "over 64 KiB": big,
    }
    for name, text in hostile.items():
        out.append(response(f"502 {name}", 502, text, not_envelope(502, text, 11), {HEADER: "11"}))
    out += [
        response(
            "503 HTML, HTTP-date Retry-After",
            503,
            html,
            not_envelope(503, html, 37),
            {HEADER: "Sun, 06 Nov 1994 08:49:37 GMT"},
            NOW,
        ),
        response("503 HTML, bad Retry-After", 503, html, not_envelope(503, html), {HEADER: "soon"}),
        response("503 HTML without headers", 503, html, not_envelope(503, html)),
        response("404 bytes page", 404, b"Not Found", not_envelope(404, "Not Found")),
    ]
    return out


def build_cases() -> list[dict[str, Any]]:
    """The conformance table."""
    out = code_rows()
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
    return out + response_rows()


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


@pytest.fixture(scope="module")
def go_outcomes(cases_file: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The Go package's outcomes: `go test` runs tests/go/conformance_test.go on the table."""
    work = tmp_path_factory.mktemp("go")
    module = go_module(
        generated() / "go",
        work / "module",
        GO_TESTS / "conformance_test.go",
        GO_TESTS / "typename_test.go",
    )
    outcomes = work / "outcomes.json"
    env = {**GO_ENV, "ERRSPEC_CASES": str(cases_file), "ERRSPEC_OUTCOMES": str(outcomes)}
    proc = run_tool([go_tool(), "test", "-count=1", "./..."], cwd=module, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = json.loads(outcomes.read_text(encoding="utf-8"))
    assert len(found) == len(CASES)
    return list(found)


def error_outcome(err: Any) -> dict[str, Any]:
    return {
        "raises": {
            "class": type(err).__name__,
            "code": err.code,
            "name": err.code_name,
            "message": err.message,
            "data": err.data,
            "retryable": err.retryable,
            "retry_after": err.retry_after,
            "http_status": err.http_status,
            "doc_url": err.doc_url,
            "status": err.status,
            "raw": err.raw,
        }
    }


def python_outcome(c: dict[str, Any]) -> dict[str, Any]:
    now = None if c["now"] is None else datetime.fromisoformat(c["now"])
    try:
        if c["kind"] == "envelope":
            data = exceptions.raise_for_envelope(c["body"], c["headers"], now=now)
        elif c["kind"] == "response":
            body = base64.b64decode(c["base64"]) if "base64" in c else c["text"]
            data = exceptions.raise_for_response(c["status"], body, c["headers"], now=now)
        else:
            return {"skipped": c["kind"]}
        return {"returns": data}
    except exceptions.ApiError as err:
        return error_outcome(err)


def test_the_table_covers_every_kind_of_code() -> None:
    assert len(set(IDS)) == len(IDS)
    assert {c["body"]["code"] for c in CASES[: len(SPEC.codes)]} == {e.code for e in SPEC.codes}
    assert SPEC.entry(LIMITED).retry_after and not SPEC.entry(UNLIMITED).retry_after
    assert SPEC.entry(DEPRECATED).deprecated is not None
    assert RETIRED in {r.code for r in SPEC.retired}
    in_range = SPEC.range_of(UNKNOWN_IN_RANGE)
    assert in_range is not None and in_range.retryable and UNKNOWN_IN_RANGE not in SPEC.code_numbers
    assert SPEC.range_of(OUTSIDE) is None and SPEC.server_category is not None
    assert {c["kind"] for c in CASES} == {"envelope", "response"}


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


@pytest.mark.slow  # go
@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_go_sdk(go_outcomes: list[dict[str, Any]], index: int) -> None:
    assert go_outcomes[index] == CASES[index]["expected"]
