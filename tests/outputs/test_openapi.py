"""generated/openapi.yaml of the frozen registry: the hand-written surface plus error responses
and envelope schemas; the surface may not write what errspec generates."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from generator.diagnostics import SpecError
from generator.render import render_template
from generator.surface import GENERATED_SCHEMAS
from support import FROZEN, frozen_data, frozen_generated, load_spec, load_surface, spec_of_data
from support import yaml_load

SPEC = load_spec(FROZEN / "errors.yaml")
SURFACE_PATH = FROZEN / "openapi.yaml"
SURFACE = yaml_load(SURFACE_PATH.read_text(encoding="utf-8"))
DOC = yaml_load((frozen_generated() / "generated" / "openapi.yaml").read_text(encoding="utf-8"))
ENVELOPE_REF = "#/components/schemas/ErrorEnvelope"


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (route, method, op)
        for route, item in doc["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "x-error-codes" in op
    ]


def generated_statuses(codes: list[int]) -> dict[str, list[int]]:
    """{status: [codes]} for the codes that have an HTTP status."""
    out: dict[str, list[int]] = {}
    for entry in SPEC.codes:
        if entry.code in codes and entry.http_status is not None:
            out.setdefault(str(entry.http_status), []).append(entry.code)
    return out


def test_generated_openapi_is_valid_openapi_31() -> None:
    validate(DOC)
    assert DOC["openapi"].startswith("3.1")


def test_every_operation_gets_exactly_the_statuses_of_its_codes() -> None:
    assert len(operations(DOC)) == 6
    for route, method, op in operations(DOC):
        surface_responses = SURFACE["paths"][route][method]["responses"]
        expected = generated_statuses(op["x-error-codes"])
        assert set(op["responses"]) == set(surface_responses) | set(expected), (route, method)
        for status, codes in expected.items():
            response = op["responses"][status]
            content = response["content"]["application/json"]
            assert content["schema"] == {"$ref": ENVELOPE_REF}
            assert list(content["examples"]) == [SPEC.entry(c).name for c in codes]
            for code in codes:
                example = content["examples"][SPEC.entry(code).name]
                assert example == {
                    "summary": SPEC.entry(code).message,
                    "value": dict(SPEC.entry(code).example),
                }
            retry = any(SPEC.entry(c).retry_after for c in codes)
            headers = response.get("headers", {})
            assert (SPEC.retry_after_header in headers) == retry
            if retry:
                assert headers[SPEC.retry_after_header]["schema"]["type"] == "integer"


def test_websocket_only_codes_never_become_http_responses() -> None:
    ws_only = {e.code for e in SPEC.codes if e.websocket_only}
    assert ws_only == {3004, 4001, 4002, 4003, 4004}
    for _, _, op in operations(DOC):
        for response in op["responses"].values():
            for example in (
                response.get("content", {}).get("application/json", {}).get("examples", {}).values()
            ):
                assert example["value"]["code"] not in ws_only


def test_websocket_operation_gets_handshake_errors() -> None:
    ws = DOC["paths"][SPEC.websocket_path]["get"]
    assert ws["x-websocket"] is True
    assert set(ws["responses"]) == {"101", "401", "403", "429", "500", "503"}
    assert ws["responses"]["429"]["description"].startswith("WebSocket handshake rejected")
    assert list(ws["responses"]["429"]["content"]["application/json"]["examples"]) == [
        "RATE_LIMIT_EXCEEDED",
        "QUOTA_EXHAUSTED",
        "CONNECTION_LIMIT_EXCEEDED",
    ]


def test_429_carries_retry_after_because_of_3001_only() -> None:
    ticker = DOC["paths"]["/v1/market/ticker/{symbol}"]["get"]["responses"]
    assert "Retry-After" in ticker["429"]["headers"]
    assert "3001" in ticker["429"]["headers"]["Retry-After"]["description"]
    assert all(
        "headers" not in ticker[s] for s in ("400", "401", "403", "404", "500", "502", "503")
    )


def test_the_surface_is_kept_verbatim() -> None:
    """Removing what the generator adds gives back spec/openapi.yaml exactly (x-error-codes kept)."""
    stripped = copy.deepcopy(DOC)
    for route, method, op in operations(stripped):
        for status in generated_statuses(op["x-error-codes"]):
            del op["responses"][status]
    for name in GENERATED_SCHEMAS:
        del stripped["components"]["schemas"][name]
    del stripped["components"]["schemas"]
    assert stripped == SURFACE


def test_components_come_from_the_spec() -> None:
    schemas = DOC["components"]["schemas"]
    error_code = schemas["ErrorCode"]
    assert error_code["enum"] == [e.code for e in SPEC.codes] and 0 in error_code["enum"]
    assert error_code["x-enum-varnames"] == [e.name for e in SPEC.codes]
    assert error_code["x-enum-descriptions"] == [e.message for e in SPEC.codes]
    assert schemas["SuccessEnvelope"]["properties"]["code"] == {
        "type": "integer",
        "const": 0,
        "description": "Error code; 0 means success",
    }
    for name, envelope in (
        ("ErrorEnvelope", SPEC.http_envelope),
        ("WebSocketEnvelope", SPEC.websocket_envelope),
    ):
        schema = schemas[name]
        assert list(schema["properties"]) == list(envelope.names)
        assert schema["required"] == [f.name for f in envelope.fields if f.required]
        # anyOf, not oneOf: a known code matches both branches; an unknown one the integer.
        assert schema["properties"]["code"]["anyOf"] == [
            {"$ref": "#/components/schemas/ErrorCode"},
            {"type": "integer"},
        ]
        assert "type" not in schema["properties"]["data"]  # any JSON value, null included
        for f in envelope.fields:
            assert (
                schema["properties"][f.name]["description"]
                == f.description[SPEC.page.doc_url_locale]
            )
    cmd = schemas["WebSocketEnvelope"]["properties"]["cmd"]
    assert "enum" not in cmd and cmd["examples"] == [c.name for c in SPEC.commands]


HOSTILE = [
    "Bad: \"q\" 's' # no {a: b} [c] & *x !t % @ `",
    "yes",
    "null",
    "0x10",
    "- item",
    "? k",
    "=",
    "<<",
    "",
    " lead",
    "trail ",
    "多语言：冒号",
    "\\back\\slash",
    "3.10",
    "~",
]


def test_hostile_strings_cannot_break_the_yaml(tmp_path: Path) -> None:
    data = frozen_data()
    entry = next(c for c in data["codes"] if c["code"] == 3001)
    entry["message"] = entry["example"]["message"] = HOSTILE[0]
    data["envelopes"]["http"]["fields"][1]["description"]["en"] = HOSTILE[0]
    spec = spec_of_data(data, "e.yaml")
    surface_data = yaml_load(SURFACE_PATH.read_text(encoding="utf-8"))
    surface_data["info"]["description"] = "\n".join(HOSTILE) + "\n\ttab\r\n"
    surface_data["info"]["x-hostile"] = {s: [s, {s: s}] for s in HOSTILE}
    op = surface_data["paths"]["/v1/market/ticker/{symbol}"]["get"]
    op["summary"] = HOSTILE[0]
    (tmp_path / "openapi.yaml").write_text(
        yaml.safe_dump(surface_data, allow_unicode=True), encoding="utf-8"
    )
    surface = load_surface(tmp_path / "openapi.yaml", "openapi.yaml", spec)
    doc = yaml_load(render_template("openapi.yaml.jinja", spec=spec, surface=surface))
    validate(doc)
    assert doc["info"] == surface_data["info"]
    assert doc["paths"]["/v1/market/ticker/{symbol}"]["get"]["summary"] == HOSTILE[0]
    example = doc["paths"]["/v1/market/ticker/{symbol}"]["get"]["responses"]["429"]["content"][
        "application/json"
    ]
    assert example["examples"]["RATE_LIMIT_EXCEEDED"] == {
        "summary": HOSTILE[0],
        "value": {"code": 3001, "message": HOSTILE[0]},
    }
    assert (
        doc["components"]["schemas"]["ErrorEnvelope"]["properties"]["message"]["description"]
        == HOSTILE[0]
    )


def test_surface_may_not_write_generated_responses(tmp_path: Path) -> None:
    text = SURFACE_PATH.read_text(encoding="utf-8").replace(
        '        "200":\n          description: The latest ticker.',
        '        "401":\n          description: hand-written\n        "200":\n          description: The latest ticker.',
        1,
    )
    (tmp_path / "openapi.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_surface(tmp_path / "openapi.yaml", "openapi.yaml", SPEC)
    assert "response 401 is generated from x-error-codes; remove it here" in str(info.value)


def test_surface_may_not_define_generated_schemas(tmp_path: Path) -> None:
    text = (
        SURFACE_PATH.read_text(encoding="utf-8")
        + "  schemas:\n    ErrorEnvelope:\n      type: object\n"
    )
    (tmp_path / "openapi.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_surface(tmp_path / "openapi.yaml", "openapi.yaml", SPEC)
    assert "schema ErrorEnvelope is generated by errspec" in str(info.value)


def test_surface_without_components_still_gets_the_schemas(tmp_path: Path) -> None:
    surface_data = yaml_load(SURFACE_PATH.read_text(encoding="utf-8"))
    del surface_data["components"]
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(surface_data), encoding="utf-8")
    surface = load_surface(tmp_path / "openapi.yaml", "openapi.yaml", SPEC)
    doc = yaml_load(render_template("openapi.yaml.jinja", spec=SPEC, surface=surface))
    assert sorted(doc["components"]) == ["schemas"]
    assert sorted(doc["components"]["schemas"]) == sorted(GENERATED_SCHEMAS)
