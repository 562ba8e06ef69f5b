"""The generated Python SDK of the frozen registry, imported in this process: exceptions,
models, retired codes, and what regenerating it changes. (Its typing and formatting under
mypy and black: tests/toolchain/test_generated_code.py; the live registry's SDK against its
spec: tests/registry/.)"""

from __future__ import annotations

import json
import pickle
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pydantic
import pytest

from support import (
    yaml_load,
    FROZEN,
    envelope_kind,
    frozen_data,
    frozen_generated,
    import_package,
    load_spec,
    published_examples,
    run_errspec,
    run_errspec_process,
    unknown_code,
)

SPEC = load_spec(FROZEN / "errors.yaml")
# The SDK of the frozen registry: these tests name its codes and texts.
SDK_DIR = frozen_generated() / "generated" / "python"
SDK = import_package(SDK_DIR, "errspec_test_sdk")
exceptions, models, error_codes = SDK["exceptions"], SDK["models"], SDK["error_codes"]


# --- exceptions -------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", SPEC.codes, ids=lambda e: str(e.code))
def test_raise_for_envelope_for_every_code(entry: Any) -> None:
    body = {**entry.example, "data": {"echo": entry.code}}
    headers = {"Retry-After": "7"}
    if entry.code == 0:
        assert exceptions.raise_for_envelope(body, headers) == {"echo": 0}
        return
    with pytest.raises(exceptions.ApiError) as info:
        exceptions.raise_for_envelope(body, headers)
    err = info.value
    assert type(err).__name__ == entry.category.exception
    assert type(err) is getattr(exceptions, entry.category.exception)
    assert (err.code, err.message, err.data) == (
        entry.code,
        entry.example["message"],
        {"echo": entry.code},
    )
    assert (err.http_status, err.doc_url, err.retryable) == (
        entry.http_status,
        entry.doc_url,
        entry.retryable,
    )
    assert err.error_code is error_codes.ErrorCode(entry.code) and err.error_code.name == entry.name
    assert err.retry_after == (7 if entry.retry_after else None)
    assert type(err.retry_after) is (int if entry.retry_after else type(None))
    assert str(err) == f"[{entry.code}] {entry.example['message']}"


def test_every_category_but_success_has_its_own_class() -> None:
    for category in SPEC.categories:
        cls = getattr(exceptions, category.exception)
        assert issubclass(cls, exceptions.ApiError) and issubclass(cls, Exception)
        assert (cls is exceptions.ApiError) == (category.id == "success")


def test_3001_is_retryable_after_the_header_and_3002_is_not() -> None:
    headers = {"retry-after": "30"}
    with pytest.raises(exceptions.RateLimitError) as first:
        exceptions.raise_for_envelope({"code": 3001, "message": "Rate limit exceeded"}, headers)
    with pytest.raises(exceptions.RateLimitError) as second:
        exceptions.raise_for_envelope({"code": 3002, "message": "Quota exhausted"}, headers)
    assert first.value.http_status == second.value.http_status == 429
    assert (first.value.retryable, first.value.retry_after) == (True, 30)
    assert (second.value.retryable, second.value.retry_after) == (False, None)


def test_3001_without_a_usable_header_has_no_retry_after() -> None:
    for headers in (
        None,
        {},
        {"Retry-After": ""},
        {"Retry-After": "soon"},
        {"Retry-After": "1.5"},
        {"Retry-After": "-3"},
        {"Retry-After": "9" * 5000},
        {"X-Other": "5"},
    ):
        with pytest.raises(exceptions.RateLimitError) as info:
            exceptions.raise_for_envelope({"code": 3001, "message": "Rate limit exceeded"}, headers)
        assert info.value.retry_after is None, headers


def test_retry_after_accepts_seconds_and_http_dates_case_insensitively() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    seconds = exceptions.retry_after_seconds
    assert seconds({"RETRY-AFTER": " 12 "}, now) == 12
    assert seconds({"retry-after": "0"}, now) == 0
    assert seconds({"Retry-After": "Thu, 01 Jan 2026 12:01:30 GMT"}, now) == 90
    assert seconds({"Retry-After": "Thursday, 01-Jan-26 12:01:30 GMT"}, now) == 90
    assert seconds({"Retry-After": "Thu Jan  1 12:01:30 2026"}, now) == 90
    assert seconds({"Retry-After": "Wed, 31 Dec 2025 12:00:00 GMT"}, now) == 0
    assert seconds({"Retry-After": "Thu, 99 Foo 2026"}, now) is None
    assert seconds({"Retry-After": "٣"}, now) is None
    assert exceptions.RETRY_AFTER_HEADER == SPEC.retry_after_header


def test_retry_after_is_whole_seconds_rounded_up() -> None:
    parse = exceptions.parse_retry_after
    date = "Thu, 01 Jan 2026 12:00:10 GMT"
    assert parse(date, datetime(2026, 1, 1, 12, 0, 9, 1, tzinfo=timezone.utc)) == 1
    assert parse(date, datetime(2026, 1, 1, 12, 0, 9, 999_999, tzinfo=timezone.utc)) == 1
    assert parse(date, datetime(2026, 1, 1, 12, 0, 0, 500_000, tzinfo=timezone.utc)) == 10
    assert parse(date, datetime(2026, 1, 1, 12, 0, 10, 1, tzinfo=timezone.utc)) == 0
    assert parse(date, datetime(2026, 1, 1, 12, 0, 0)) == 10  # a naive `now` is UTC
    assert type(parse("7")) is int and type(parse(date)) is int


def test_http_dates_are_parsed_strictly() -> None:
    """Only the three RFC 9110 forms; email.utils would accept every one of these."""
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    for value in (
        "Thu, 01 Jan 2026 13:00:00 +0100",
        "Thu, 01 Jan 2026 13:00:00 UTC",
        "Thu, 1 Jan 2026 13:00:00 GMT",
        "01 Jan 2026 13:00:00 GMT",
        "Thu, 01 Jan 2026 13:00 GMT",
        "thu, 01 jan 2026 13:00:00 gmt",
        "Thu, 01 Jan 2026 13:00:00 GMT\n",
        "Thu, ٠١ Jan 2026 13:00:00 GMT",
        "Thu, 29 Feb 2026 13:00:00 GMT",
        "Thu, 01 Jan 2026 24:00:00 GMT",
    ):
        assert exceptions.parse_retry_after(value, now) is None, value


def range_class(code: int) -> Any:
    """The class the spec's ranges give an unknown code (ApiError outside every range)."""
    found = SPEC.range_of(code)
    return getattr(exceptions, found.exception) if found else exceptions.ApiError


def test_unknown_codes_raise_their_range_class() -> None:
    for code in (9999, 3999, 1999, 1, -1):
        assert SPEC.range_of(code) is None or code not in SPEC.code_numbers
        with pytest.raises(exceptions.ApiError) as info:
            exceptions.raise_for_envelope(
                {"code": code, "message": "new", "data": {"x": 1}}, {"Retry-After": "5"}
            )
        err = info.value
        found = SPEC.range_of(code)
        assert type(err) is range_class(code)
        assert type(err.code) is int and err.code == code
        assert (err.code, err.message, err.data, err.code_name) == (code, "new", {"x": 1}, None)
        retryable = bool(found and found.retryable)
        assert (err.http_status, err.doc_url, err.retryable, err.retry_after, err.error_code) == (
            None,
            None,
            retryable,
            5 if retryable else None,
            None,
        )


def test_a_known_code_is_its_enum_member() -> None:
    entry = retry_after_entry()
    with pytest.raises(exceptions.ApiError) as info:
        exceptions.raise_for_envelope({"code": entry.code})
    assert info.value.code is error_codes.ErrorCode(entry.code) == entry.code
    assert info.value.code_name == entry.name
    assert info.value.error_code is info.value.code


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        "oops",
        3,
        {},
        {"message": "no code"},
        {"code": "1001"},
        {"code": True},
        {"code": None},
        {"code": 1001.5},
        {"code": float("nan")},
        {"code": 2**53},
    ],
)
def test_a_body_that_is_no_envelope_raises_api_error(body: Any) -> None:
    with pytest.raises(exceptions.ApiError) as info:
        exceptions.raise_for_envelope(body)
    assert type(info.value) is exceptions.ApiError and info.value.code is None
    assert info.value.data is body
    assert info.value.message == exceptions.MALFORMED_ENVELOPE == str(info.value)


def retry_after_entry() -> Any:
    """A code whose Retry-After header applies, from the spec."""
    return next(e for e in SPEC.errors if e.retry_after and "http" in e.transports)


def header_objects(name: str, value: str) -> list[Any]:
    """The same header as the HTTP clients people use hand it over."""
    import email.parser
    import http.client

    import httpx
    import requests.structures

    message = email.parser.Parser(_class=http.client.HTTPMessage).parsestr(
        f"{name}: {value}\r\nContent-Type: application/json\r\n\r\n"
    )
    return [
        {name: value},
        requests.structures.CaseInsensitiveDict({name: value}),
        httpx.Headers({name: value}),
        message,
    ]


@pytest.mark.parametrize("spelling", ["Retry-After", "RETRY-AFTER", "retry-after"])
def test_headers_of_any_client_give_the_retry_delay(spelling: str) -> None:
    entry = retry_after_entry()
    for headers in header_objects(spelling, "12"):
        with pytest.raises(exceptions.ApiError) as info:
            exceptions.raise_for_envelope({"code": entry.code, "message": "m"}, headers)
        assert info.value.retry_after == 12, type(headers)


def test_an_envelope_model_or_an_enum_code_is_an_envelope() -> None:
    entry = retry_after_entry()
    member = error_codes.ErrorCode(entry.code)
    for body in (
        models.ErrorEnvelope.model_validate({"code": entry.code, "message": "m", "data": [1]}),
        {"code": member, "message": "m", "data": [1]},
    ):
        with pytest.raises(exceptions.ApiError) as info:
            exceptions.raise_for_envelope(body, {"Retry-After": "3"})
        assert type(info.value) is getattr(exceptions, entry.category.exception)
        assert info.value.code is member
        assert (info.value.message, info.value.data, info.value.retry_after) == ("m", [1], 3)
    success = models.SuccessEnvelope.model_validate({"code": 0, "message": "ok", "data": {"a": 1}})
    assert exceptions.raise_for_envelope(success) == {"a": 1}
    assert exceptions.raise_for_envelope({"code": error_codes.ErrorCode(0), "data": 5}) == 5
    unknown = models.ErrorEnvelope.model_validate({"code": unknown_code(SPEC), "message": "new"})
    with pytest.raises(exceptions.ApiError) as info:
        exceptions.raise_for_envelope(unknown)
    assert type(info.value) is range_class(unknown_code(SPEC))
    assert info.value.code == unknown_code(SPEC)


def test_an_integral_float_code_is_that_code() -> None:
    """JSON has one number type: 1001.0 is 1001, as JSON.parse in the JavaScript SDK sees it."""
    with pytest.raises(exceptions.AuthenticationError) as info:
        exceptions.raise_for_envelope({"code": 1001.0, "message": "m"})
    assert info.value.code is error_codes.ErrorCode(1001)


def test_missing_message_falls_back_to_the_registry_message() -> None:
    with pytest.raises(exceptions.AuthenticationError) as info:
        exceptions.raise_for_envelope({"code": 1001})
    assert info.value.message == "Invalid or expired token"
    with pytest.raises(exceptions.ApiError) as unknown:
        exceptions.raise_for_envelope({"code": 7777, "message": None})
    assert unknown.value.message == "API error 7777"
    assert str(unknown.value) == "[7777] API error 7777"


def test_errors_survive_pickling() -> None:
    with pytest.raises(exceptions.RateLimitError) as info:
        exceptions.raise_for_envelope(
            {"code": 3001, "message": "slow", "data": {"n": 1}}, {"Retry-After": "4"}
        )
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is exceptions.RateLimitError and str(copy) == str(info.value)
    assert vars(copy) == vars(info.value) and copy.retry_after == 4


def test_success_returns_data_and_none_without_data() -> None:
    assert exceptions.raise_for_envelope({"code": 0, "message": "success", "data": [1, 2]}) == [
        1,
        2,
    ]
    assert exceptions.raise_for_envelope({"code": 0, "message": "success"}) is None


def test_websocket_messages_raise_too() -> None:
    with pytest.raises(exceptions.WebSocketError) as info:
        exceptions.raise_for_envelope(dict(SPEC.entry(4003).example))
    assert info.value.data == {
        "channel": "depth",
        "suggestion": "Use HTTP API /v1/market/depth for current depth data",
    }
    assert info.value.http_status is None


# --- models -----------------------------------------------------------------------------------


def test_models_use_the_one_error_code_enum_with_its_metadata() -> None:
    assert models.ErrorCode is error_codes.ErrorCode
    live = [m for m in error_codes.ErrorCode if not m.deprecated]
    assert [(m.name, m.value) for m in live] == [(e.name, e.code) for e in SPEC.codes]
    for e in SPEC.codes:
        parsed = models.ErrorEnvelope.model_validate({"code": e.code, "message": e.message}).code
        assert parsed is error_codes.ErrorCode(e.code)
        assert (parsed.retryable, parsed.http_status) == (e.retryable, e.http_status)


def envelope_model(body: dict[str, Any]) -> type[pydantic.BaseModel]:
    model: type[pydantic.BaseModel] = getattr(models, envelope_kind(SPEC, body))
    return model


def assert_valid(body: dict[str, Any]) -> None:
    model = envelope_model(body)
    parsed = model.model_validate(body)
    assert set(body) <= set(model.model_fields), (body, model)
    assert parsed.model_dump(mode="json", exclude_unset=True) == body


def test_every_published_json_example_validates_against_the_models() -> None:
    examples = published_examples()
    assert len(examples) == 2 + len(
        [s for c in SPEC.categories if c.details for s in SPEC.sections(c)]
    )
    kinds = [envelope_model(body).__name__ for body in examples]
    assert kinds[:2] == ["SuccessEnvelope", "WebSocketEnvelope"]
    assert {body["code"] for body, kind in zip(examples, kinds) if kind == "WebSocketEnvelope"} >= {
        3004,
        4001,
        4002,
        4003,
    }
    for body in examples:
        assert_valid(body)


def test_every_registry_example_validates_against_the_models() -> None:
    for raw in frozen_data()["codes"]:
        assert_valid(raw["example"])


def test_every_openapi_response_example_validates_against_error_envelope() -> None:

    doc = yaml_load((SDK_DIR.parent / "openapi.yaml").read_text(encoding="utf-8"))
    count = 0
    for item in doc["paths"].values():
        for op in item.values():
            for response in op["responses"].values():
                for example in (
                    response.get("content", {})
                    .get("application/json", {})
                    .get("examples", {})
                    .values()
                ):
                    models.ErrorEnvelope.model_validate(example["value"])
                    count += 1
    assert count > 40


@pytest.mark.parametrize("model_name", ["ErrorEnvelope", "WebSocketEnvelope"])
def test_models_parse_a_code_the_api_adds_later(model_name: str) -> None:
    model = getattr(models, model_name)
    parsed = model.model_validate({"code": unknown_code(SPEC), "message": "new"})
    assert type(parsed.code) is int and parsed.code == unknown_code(SPEC)
    assert parsed.model_dump(mode="json", exclude_unset=True) == {
        "code": unknown_code(SPEC),
        "message": "new",
    }
    known = SPEC.errors[0]
    assert type(model.model_validate({"code": known.code, "message": "x"}).code) is (
        error_codes.ErrorCode
    )


@pytest.mark.parametrize("data", [None, 0, "text", [1, 2], {"k": {"n": [None]}}])
def test_models_take_any_json_as_data(data: Any) -> None:
    body = {"code": SPEC.errors[0].code, "message": "m", "data": data}
    assert models.ErrorEnvelope.model_validate(body).data == data
    assert models.SuccessEnvelope.model_validate({**body, "code": 0}).data == data
    assert models.ErrorEnvelope.model_validate({"code": 1, "message": "m"}).data is None


def test_models_refuse_what_the_api_never_sends() -> None:
    with pytest.raises(pydantic.ValidationError):
        models.ErrorEnvelope.model_validate({"code": "code", "message": "text code"})
    with pytest.raises(pydantic.ValidationError):
        models.ErrorEnvelope.model_validate({"code": 1001.5, "message": "fraction"})
    with pytest.raises(pydantic.ValidationError):
        models.SuccessEnvelope.model_validate({"code": 1001, "message": "Invalid or expired token"})
    with pytest.raises(pydantic.ValidationError):
        models.WebSocketEnvelope.model_validate({"cmd": "ping", "code": 0})
    assert (
        models.WebSocketEnvelope.model_validate(
            {"cmd": "unknown", "code": 4001, "message": "x"}
        ).cmd
        == "unknown"
    )


# --- typing and formatting ----------------------------------------------------------------------


def test_retired_codes_stay_deprecated_enum_members(variant_out: Path) -> None:
    sdk = import_package(variant_out / "python", "errspec_variant_sdk")
    m, x = sdk["error_codes"], sdk["exceptions"]
    member = m.ErrorCode.INVALID_TIME_RANGE
    with pytest.raises(x.ApiError) as info:
        x.raise_for_envelope({"code": 2003, "message": "old"})
    e = info.value
    raised = [type(e).__name__, e.code, e.retryable]
    found = [
        int(member),
        member.deprecated,
        member.http_status,
        m.RETIRED_CODES,
        raised,
        m.ErrorCode.INVALID_API_KEY.deprecated,
    ]
    assert json.loads(json.dumps(found)) == [
        2003,
        True,
        None,
        {"2003": "INVALID_TIME_RANGE"},
        ["InvalidRequestError", 2003, False],  # the class of its range
        False,
    ]
    js = (variant_out / "js" / "errors.d.ts").read_text(encoding="utf-8")
    assert "@deprecated" in js and '"INVALID_TIME_RANGE": 2003' in js


# --- regeneration ---------------------------------------------------------------------------------


def test_models_do_not_depend_on_the_working_directory(tmp_path: Path) -> None:
    """datamodel-code-generator reads the nearest pyproject.toml unless its settings are pinned
    (a process started there: nothing read in this one can stand in for it)."""
    (tmp_path / "pyproject.toml").write_text(
        "[tool.black]\nline-length = 60\n[tool.isort]\nknown_first_party = ['pydantic']\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_errspec_process(
        "generate", "--spec", str(FROZEN / "errors.yaml"), "--out", str(out), cwd=tmp_path
    )
    assert result.code == 0, result.err
    assert (out / "python" / "models.py").read_bytes() == (SDK_DIR / "models.py").read_bytes()


def test_hand_edit_of_models_is_drift(project: Path) -> None:
    target = project / "generated" / "python" / "models.py"
    text = target.read_text(encoding="utf-8")
    line = "    message: str\n"
    assert line in text
    target.write_text(text.replace(line, "    message: bytes\n"), encoding="utf-8")
    result = run_errspec("check", cwd=project)
    assert result.code == 1
    assert "generated/python/models.py: differs" in result.out
    assert "+" + line.rstrip("\n") in result.out


def test_surface_change_reaches_the_models(project: Path) -> None:
    spec = project / "spec" / "errors.yaml"
    assert spec.read_text(encoding="utf-8").count("en: Response payload}") == 1
    spec.write_text(
        spec.read_text(encoding="utf-8").replace(
            "description: {zh: 业务数据, en: Response payload}",
            "description: {zh: 业务数据, en: Payload of the call}",
        ),
        encoding="utf-8",
    )
    result = run_errspec("check", cwd=project)
    assert result.code == 1
    assert "generated/openapi.yaml: differs" in result.out
    assert "generated/python/models.py: differs" in result.out
    assert "+    Payload of the call" in result.out
