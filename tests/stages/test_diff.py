"""Stage diff: every rule on a before/after pair of the frozen registry (diff_specs); then
`errspec diff` end to end: its formats, --fail-on, exit codes, git revisions, the release."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.diff import diff_specs
from generator.diff.rules import RULES as DIFF_RULES
from support import (
    FROZEN,
    ROOT,
    category_entry,
    code_entry,
    dump_spec,
    frozen_data,
    load_spec,
    retired_entry,
    run_errspec,
    setting,
)

Mutation = Callable[[dict], None] | None


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERRSPEC_CACHE", "0")


def entry(data: dict, code: int) -> dict[str, Any]:
    return next(raw for raw in data["codes"] if raw["code"] == code)


def variant(mutate: Mutation) -> dict:
    data = frozen_data()
    if mutate is not None:
        mutate(data)
    return data


def retire(data: dict, code: int = 2003) -> None:
    data["codes"].remove(entry(data, code))
    data["retired"].append(
        retired_entry(
            code,
            "INVALID_TIME_RANGE" if code == 2003 else f"CODE_{code}",
            reason={"zh": "已合并到 2001", "en": "Merged into 2001"},
            since="2024-06-01",
        )
    )


def remove(code: int) -> Callable[[dict], None]:
    return lambda data: data["codes"].remove(entry(data, code))


def set_(code: int, **changes: Any) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        raw = entry(data, code)
        for key, value in changes.items():
            if value is None:
                raw.pop(key, None)
            else:
                raw[key] = value

    return mutate


def add_2005(name: str = "ORDER_TOO_LARGE") -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        data["codes"].append(
            code_entry(
                2005,
                name=name,
                category="invalid_request",
                message="Order too large",
                meaning={"zh": "订单过大", "en": "Order too large"},
            )
        )

    return mutate


def move_name(data: dict) -> None:
    remove(2003)(data)
    add_2005("INVALID_TIME_RANGE")(data)


def split_category(data: dict) -> None:
    cats = data["categories"]
    cats[2]["range"] = [2000, 2003]
    cats.insert(
        3,
        category_entry("limits", 2004, 2999, label="20xx", title={"zh": "限制", "en": "Limits"}),
    )
    entry(data, 2004)["category"] = "limits"


def field(env: str, name: str, **changes: Any) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        fields = data["envelopes"][env]["fields"]
        target = next(f for f in fields if f["name"] == name)
        if changes.get("removed"):
            fields.remove(target)
        target.update({k: v for k, v in changes.items() if k != "removed"})

    return mutate


def drop_http_data(data: dict) -> None:
    field("http", "data", removed=True)(data)
    del entry(data, 0)["example"]["data"]


def add_http_field(data: dict) -> None:
    data["envelopes"]["http"]["fields"].append(
        {
            "name": "request_id",
            "type": "string",
            "required": False,
            "example": "r-1",
            "description": {"zh": "请求编号", "en": "Request id"},
        }
    )


def both(*mutations: Callable[[dict], None]) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        for m in mutations:
            m(data)

    return mutate


def category(cid: str, **changes: Any) -> Callable[[dict], None]:
    return lambda data: next(c for c in data["categories"] if c["id"] == cid).update(changes)


def legacy_category(with_code: bool, exception: str = "LegacyError") -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        data["categories"].append(
            category_entry(
                "legacy",
                6000,
                6999,
                exception=exception,
                title={"zh": "旧错误", "en": "Legacy errors"},
            )
        )
        if with_code:
            data["codes"].append(
                code_entry(
                    6001,
                    name="LEGACY_FAILURE",
                    category="legacy",
                    message="Legacy failure",
                    http_status=500,
                    meaning={"zh": "旧接口失败", "en": "Legacy failure"},
                )
            )

    return mutate


def legacy_retired(data: dict) -> None:
    data["retired"].append(
        retired_entry(
            6001,
            "LEGACY_FAILURE",
            reason={"zh": "旧接口下线", "en": "The legacy API is gone"},
            since="2024-06-01",
        )
    )


def retired_as(**changes: Any) -> Callable[[dict], None]:
    """2003 retired, then its retired entry edited: name, since, or `reason_en`."""

    def mutate(data: dict) -> None:
        retire(data)
        retired = data["retired"][-1]
        if "reason_en" in changes:
            retired["reason"]["en"] = changes.pop("reason_en")
        retired.update(changes)

    return mutate


def section(data: dict, key: str, **changes: Any) -> None:
    data[key].update(changes)


def page(**changes: Any) -> Callable[[dict], None]:
    return lambda data: section(data, "page", **changes)


def page_url(lang: str, url: str) -> Callable[[dict], None]:
    return lambda data: data["page"]["url"].update({lang: url})


def websocket(**changes: Any) -> Callable[[dict], None]:
    return lambda data: section(data, "websocket", **changes)


def http(**changes: Any) -> Callable[[dict], None]:
    return lambda data: section(data, "http", **changes)


def handler(**changes: Any) -> Callable[[dict], None]:
    return lambda data: section(data, "handler", **changes)


def drop_ping(data: dict) -> None:
    data["websocket"]["commands"] = [
        c for c in data["websocket"]["commands"] if c["name"] != "ping"
    ]


def add_auth_command(data: dict) -> None:
    data["websocket"]["commands"].append(
        {"name": "auth", "description": {"zh": "认证", "en": "Authenticate"}}
    )


def handler_case_message(data: dict) -> None:
    data["handler"]["cases"][0]["message"]["en"] = "Check your API key"


def deprecate(code: int = 2003, replacement: int | None = 2001) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        entry(data, code)["deprecated"] = {
            "since": "2.1.0",
            "reason": {"zh": "请改用新码", "en": "Use the newer code"},
            **({} if replacement is None else {"replacement": replacement}),
        }

    return mutate


def add_locale(data: dict) -> None:
    data["locales"].append("ja")
    data["fallback"] = "en"


def http_only(data: dict) -> None:
    """The frozen registry without its WebSocket: its WebSocket-only codes go, the rest HTTP."""
    data.pop("websocket")
    data["envelopes"].pop("websocket")
    data["codes"] = [raw for raw in data["codes"] if raw["transports"] != ["websocket"]]
    for raw in data["codes"]:
        raw["transports"] = ["http"]
    live = {raw["code"] for raw in data["codes"]}
    cases = data["handler"]["cases"]
    for case in cases:
        case["codes"] = [code for code in case["codes"] if code in live]
    data["handler"]["cases"] = [case for case in cases if case["codes"]]


def websocket_findings(severity: str, rules: tuple[str, str, str]) -> set:
    """What dropping (or adding) the frozen registry's WebSocket reports, by http_only: the
    transport, every code on both transports, every WebSocket-only code (and its commands)."""
    data = frozen_data()
    whole, transport, code = rules
    found = {(severity, None, whole)}
    for raw in data["codes"]:
        both = raw["transports"] == ["http", "websocket"]
        only = raw["transports"] == ["websocket"]
        found |= {(severity, raw["code"], transport)} if both else set()
        found |= {(severity, raw["code"], code)} if only else set()
    return found


RULE_CASES: dict[str, tuple[Mutation, Mutation, set[tuple[str, int | None, str]]]] = {
    "unchanged": (None, None, set()),
    "code deprecated": (None, deprecate(), {("info", 2003, "code_deprecated")}),
    "code undeprecated": (deprecate(), None, {("info", 2003, "code_undeprecated")}),
    "replacement changed": (
        deprecate(),
        deprecate(replacement=2002),
        {("info", 2003, "replacement_changed")},
    ),
    "replacement dropped": (
        deprecate(),
        deprecate(replacement=None),
        {("info", 2003, "replacement_changed")},
    ),
    "retired replacement named": (
        retire,
        retired_as(replacement=2001),
        {("info", 2003, "replacement_changed")},
    ),
    "deprecated code retired": (
        deprecate(),
        retired_as(replacement=2001),
        {("info", 2003, "code_retired")},
    ),
    "deprecated code retired, its replacement forgotten": (
        deprecate(),
        retire,
        {("info", 2003, "code_retired"), ("info", 2003, "replacement_changed")},
    ),
    "introduced release written": (None, set_(2003, introduced="1.0.0"), set()),
    "locale added": (None, add_locale, {("info", None, "locale_added")}),
    "locale removed": (add_locale, None, {("warning", None, "locale_removed")}),
    "websocket removed": (
        None,
        http_only,
        websocket_findings("error", ("websocket_removed", "transport_removed", "code_removed")),
    ),
    "websocket added": (
        http_only,
        None,
        websocket_findings("info", ("websocket_added", "transport_added", "code_added"))
        | {("info", None, "websocket_command_added")},
    ),
    "code removed": (None, remove(2003), {("error", 2003, "code_removed")}),
    "code retired": (None, retire, {("info", 2003, "code_retired")}),
    "name moved": (
        None,
        move_name,
        {
            ("error", 2003, "code_removed"),
            ("error", 2005, "name_moved"),
            ("info", 2005, "code_added"),
        },
    ),
    "code renamed": (None, set_(2004, name="TOO_MANY_ITEMS"), {("error", 2004, "code_renamed")}),
    "http_status": (None, set_(2004, http_status=422), {("error", 2004, "http_status_changed")}),
    "category": (
        None,
        split_category,
        {("error", 2004, "category_changed"), ("info", None, "category_added")},
    ),
    "transport removed": (
        None,
        set_(2001, transports=["http"]),
        {("error", 2001, "transport_removed")},
    ),
    "transport added": (
        None,
        set_(2003, transports=["http", "websocket"]),
        {("info", 2003, "transport_added")},
    ),
    "retired code live again": (retire, None, {("error", 2003, "retired_code_reused")}),
    "retired code dropped": (retire, remove(2003), {("error", 2003, "retired_code_reused")}),
    "message": (None, set_(2004, message="Too many items"), {("warning", 2004, "message_changed")}),
    "retryable off": (
        None,
        set_(5000, retryable=False),
        {("warning", 5000, "retryable_turned_off")},
    ),
    "retryable on": (None, set_(2004, retryable=True), {("info", 2004, "retryable_turned_on")}),
    "retry_after dropped": (
        None,
        set_(3001, retry_after=None),
        {("warning", 3001, "retry_after_dropped")},
    ),
    "retry_after added": (
        None,
        set_(3002, retryable=True, retry_after=True),
        {("info", 3002, "retryable_turned_on"), ("info", 3002, "retry_after_added")},
    ),
    "envelope field removed": (
        None,
        drop_http_data,
        {("warning", None, "envelope_field_removed"), ("info", 0, "example_changed")},
    ),
    "envelope field made required": (
        None,
        field("websocket", "cmd", required=True),
        {("warning", None, "envelope_field_made_required")},
    ),
    "envelope field made optional": (
        None,
        field("http", "message", required=False),
        {("warning", None, "envelope_field_made_optional")},
    ),
    "envelope field type": (
        None,
        field("websocket", "cmd", type="integer", example=1),
        {("warning", None, "envelope_field_type_changed")},
    ),
    "envelope field added": (None, add_http_field, {("info", None, "envelope_field_added")}),
    "code added": (None, add_2005(), {("info", 2005, "code_added")}),
    "texts": (
        None,
        set_(2004, meaning={"zh": "数量超限", "en": "Requested item count too large"}),
        {("info", 2004, "texts_changed")},
    ),
    "texts in the doc_url locale move the anchor": (
        None,
        set_(2004, meaning={"zh": "数量超限", "en": "Too many items"}),
        {("info", 2004, "texts_changed"), ("warning", 2004, "doc_url_changed")},
    ),
    "example": (
        None,
        set_(2004, example={"code": 2004, "message": "Request limit exceeded: 1000"}),
        {("info", 2004, "example_changed")},
    ),
    "category exception renamed": (
        None,
        category("rate_limit", exception="ThrottleError"),
        {("error", None, "category_exception_renamed")},
    ),
    "category removed with codes": (
        legacy_category(with_code=True),
        legacy_retired,
        {("error", None, "category_removed"), ("info", 6001, "code_retired")},
    ),
    "empty category removed": (
        legacy_category(with_code=False),
        None,
        {("warning", None, "exception_class_removed")},
    ),
    "empty category removed, its exception kept": (
        legacy_category(with_code=False, exception="ServerError"),
        None,
        {("info", None, "empty_category_removed")},
    ),
    "category added": (None, legacy_category(False), {("info", None, "category_added")}),
    "category label and title": (
        None,
        category("rate_limit", label="3XXX", title={"zh": "限流", "en": "Rate limits"}),
        {("info", None, "category_text_changed")},
    ),
    "go import path": (
        setting(("packages", "go"), "example.com/team/errs"),
        setting(("packages", "go"), "example.com/other/errs"),
        {("warning", None, "go_module_path_changed")},
    ),
    "category retryable default": (
        None,
        category("rate_limit", retryable_default=True),
        {("info", None, "category_retryable_default_changed")},
    ),
    "retired name changed": (
        retire,
        retired_as(name="OLD_TIME_RANGE"),
        {("error", 2003, "retired_name_changed")},
    ),
    "retired under another name": (
        None,
        retired_as(name="OLD_TIME_RANGE"),
        {("error", 2003, "retired_name_changed"), ("info", 2003, "code_retired")},
    ),
    "retired reason and since": (
        retire,
        retired_as(reason_en="Use 2001", since="2024-07-01"),
        {("info", 2003, "retired_text_changed")},
    ),
    "section shared": (
        None,
        set_(2004, shares_section_with=2003),
        {("warning", 2003, "doc_url_changed"), ("warning", 2004, "doc_url_changed")},
    ),
    "section title": (
        None,
        set_(4003, section_title={"zh": "订阅暂不可用", "en": "Subscriptions unavailable"}),
        {
            ("info", 4003, "texts_changed"),
            ("warning", 4003, "doc_url_changed"),
            ("warning", 4004, "doc_url_changed"),
        },
    ),
    "page url": (
        None,
        page_url("en", "https://docs.example.com/en/api/errors"),
        {("warning", None, "page_url_changed")},
    ),
    "page url, other locale": (
        None,
        page_url("zh", "https://docs.example.com/zh/api/errors"),
        {("info", None, "other_page_url_changed")},
    ),
    "doc_url_locale": (None, page(doc_url_locale="zh"), {("warning", None, "page_url_changed")}),
    "handler": (
        None,
        both(handler(function="get_ticker"), handler_case_message),
        {("info", None, "handler_changed")},
    ),
    "websocket command removed": (None, drop_ping, {("error", None, "websocket_command_removed")}),
    "websocket command added": (
        None,
        add_auth_command,
        {("info", None, "websocket_command_added")},
    ),
    "websocket path": (
        None,
        websocket(path="/v2/ws"),
        {("error", None, "websocket_endpoint_changed")},
    ),
    "api key header": (
        None,
        http(api_key_header="X-Api-Token"),
        {("error", None, "http_header_changed")},
    ),
    "retry-after header": (
        None,
        http(retry_after_header="X-Retry-After"),
        {("error", None, "http_header_changed")},
    ),
}


def findings(tmp_path: Path, before: Mutation, after: Mutation) -> list:
    old = load_spec(dump_spec(variant(before), tmp_path / "old.yaml"))
    new = load_spec(dump_spec(variant(after), tmp_path / "new.yaml"))
    return diff_specs(old, new)


@pytest.mark.parametrize("case", list(RULE_CASES))
def test_each_rule_reports_exactly_its_change(tmp_path: Path, case: str) -> None:
    before, after, expected = RULE_CASES[case]
    found = findings(tmp_path, before, after)
    assert {(f.severity, f.code, f.rule) for f in found} == expected


def test_every_rule_has_a_case() -> None:
    """Each rule of the table is shown firing by some case (here or, for the release and
    package rules that need both sides rendered, by the tests named after them)."""
    fired = {rule for _, _, expected in RULE_CASES.values() for _, _, rule in expected}
    elsewhere = {"release_not_raised", "release_lowered"}
    assert {rule.name for rule in DIFF_RULES} - fired - elsewhere == set()


def test_text_findings_name_locale_and_kind(tmp_path: Path) -> None:
    after = set_(
        2004,
        meaning={"zh": "数量超限", "en": "Requested item count too large"},
        suggestion=None,
        notes={"zh": "最大 1000", "en": "At most 1000"},
    )
    found = findings(tmp_path, None, after)
    assert [f.message for f in found] == [
        "meaning[zh] changed",
        "notes[en] added",
        "notes[zh] added",
        "suggestion[en] removed",
        "suggestion[zh] removed",
    ]
    meaning = found[0]
    assert (meaning.old, meaning.new) == ("请求数量超限", "数量超限")


def test_swapped_names_are_renames_and_moves(tmp_path: Path) -> None:
    def swap(data: dict) -> None:
        a, b = entry(data, 2003), entry(data, 2004)
        a["name"], b["name"] = b["name"], a["name"]

    found = findings(tmp_path, None, swap)
    assert {(f.code, f.rule) for f in found} == {
        (2003, "code_renamed"),
        (2004, "code_renamed"),
        (2003, "name_moved"),
        (2004, "name_moved"),
    }
    assert all(f.severity == "error" for f in found)


def test_spec_wide_findings_carry_old_and_new(tmp_path: Path) -> None:
    after = both(
        retired_as(reason_en="Use 2001"),
        handler_case_message,
        category("rate_limit", title={"zh": "限流错误", "en": "Rate limits"}),
        page_url("zh", "https://docs.example.com/zh/api/errors"),
    )
    found = findings(tmp_path, retire, after)
    assert [(f.name, f.message, f.old, f.new) for f in found] == [
        ("category rate_limit", "title[en] changed", "Rate limit errors", "Rate limits"),
        ("handler", "case for codes 1001, 1002 changed", None, None),
        (
            "page",
            "url[zh] https://docs.example.com/zh/api/error-codes"
            " → https://docs.example.com/zh/api/errors",
            "https://docs.example.com/zh/api/error-codes",
            "https://docs.example.com/zh/api/errors",
        ),
        ("INVALID_TIME_RANGE", "reason[en] changed", "Merged into 2001", "Use 2001"),
    ]
    assert all(f.severity == "info" for f in found)


# --- the command line ------------------------------------------------------------------------

BREAKING = both(remove(2003), set_(2004, http_status=422, message="Too many items"), add_2005())


def raised(data: dict) -> dict:
    """`data` with a release that covers any change, so that only the rules under test speak."""
    data["release"] = "9.0.0"
    return data


def pair(tmp_path: Path, after: Mutation, before: Mutation = None) -> tuple[str, str]:
    old = dump_spec(variant(before), tmp_path / "old.yaml")
    new = dump_spec(raised(variant(after)), tmp_path / "new.yaml")
    return str(old), str(new)


def test_text_output_is_sorted_with_a_summary(tmp_path: Path) -> None:
    old, new = pair(tmp_path, BREAKING)
    result = run_errspec("diff", "--against-file", old, "--spec", new)
    assert result.code == 1, result.err
    assert result.out.splitlines() == [
        "error: 2003 INVALID_TIME_RANGE: removed; move it to `retired` with a reason so it is never"
        " reused",
        "error: 2004 REQUEST_LIMIT_EXCEEDED: http_status 400 → 422",
        'warning: 2004 REQUEST_LIMIT_EXCEEDED: message "Request limit exceeded" → "Too many items"',
        "info: 2005 ORDER_TOO_LARGE: added",
        "errspec: these changes need a major release bump (1.0.0 → 2.0.0 at least; spec says 9.0.0)",
        f"errspec: 2 errors, 1 warning, 1 info against file {old}; fails --fail-on error",
    ]
    assert result.err == ""


def test_json_output_for_machines(tmp_path: Path) -> None:
    old, new = pair(tmp_path, BREAKING)
    result = run_errspec("diff", "--against-file", old, "--spec", new, "--format", "json")
    assert result.code == 1, result.err
    document = json.loads(result.out)
    assert set(document) == {"findings", "summary"}
    assert [(f["severity"], f["code"], f["rule"]) for f in document["findings"]] == [
        ("error", 2003, "code_removed"),
        ("error", 2004, "http_status_changed"),
        ("warning", 2004, "message_changed"),
        ("info", 2005, "code_added"),
    ]
    status = document["findings"][1]
    assert list(status) == ["severity", "code", "name", "rule", "message", "old", "new", "bump"]
    assert status == {
        "severity": "error",
        "code": 2004,
        "name": "REQUEST_LIMIT_EXCEEDED",
        "rule": "http_status_changed",
        "message": "http_status 400 → 422",
        "old": 400,
        "new": 422,
        "bump": "major",
    }
    assert document["summary"] == {
        "error": 2,
        "warning": 1,
        "info": 1,
        "fail_on": "error",
        "failed": True,
        "against": f"file {old}",
        "spec": new,
        "bump": "major",
        "release": {"old": "1.0.0", "new": "9.0.0"},
        "package_files": [
            "js/errors.d.ts",
            "js/errors.js",
            "python/error_codes.py",
            "python/exceptions.py",
        ],
    }


def test_json_output_of_envelope_and_text_changes(tmp_path: Path) -> None:
    old, new = pair(tmp_path, both(drop_http_data, set_(2004, meaning={"zh": "超限", "en": "x"})))
    result = run_errspec(
        "diff", "--against-file", old, "--spec", new, "--format", "json", "--fail-on", "info"
    )
    assert result.code == 1
    first = json.loads(result.out)["findings"][0]
    assert first == {
        "severity": "warning",
        "code": None,
        "name": "http envelope",
        "rule": "envelope_field_removed",
        "message": "field data removed",
        "old": "data",
        "new": None,
        "bump": "minor",
    }
    last = json.loads(result.out)["findings"][-1]
    assert (last["message"], last["old"], last["new"]) == (
        "meaning[zh] changed",
        "请求数量超限",
        "超限",
    )
    assert '"new": "超限"' in result.out


SPEC_WIDE = both(
    category("rate_limit", exception="ThrottleError"),
    page_url("en", "https://docs.example.com/en/api/errors"),
    set_(2002, shares_section_with=2001),
    drop_ping,
    http(api_key_header="X-Api-Token"),
)


def test_spec_wide_findings_in_both_formats(tmp_path: Path) -> None:
    old, new = pair(tmp_path, SPEC_WIDE)
    result = run_errspec("diff", "--against-file", old, "--spec", new)
    assert result.code == 1, result.err
    was, now = (
        "https://docs.example.com/en/api/error-codes",
        "https://docs.example.com/en/api/errors",
    )
    assert result.out.splitlines() == [
        "error: category rate_limit: exception RateLimitError → ThrottleError; SDK code that"
        " catches RateLimitError no longer catches its codes",
        "error: http: api_key_header X-API-Key → X-Api-Token; clients send or read the old header",
        "error: websocket: command ping removed; clients that send it get errors",
        f"warning: page: url[en] {was} → {now}; every doc_url changes; links to the old page break",
        f"warning: 2001 INVALID_PARAMETER: doc_url {was}#2001---invalid-parameter →"
        f" {now}#2001--2002---invalid-parameter; links to the old section break",
        f"warning: 2002 SYMBOL_NOT_FOUND: doc_url {was}#2002---symbol-not-found →"
        f" {now}#2001--2002---invalid-parameter; links to the old section break",
        "errspec: these changes need a major release bump (1.0.0 → 2.0.0 at least; spec says 9.0.0)",
        f"errspec: 3 errors, 3 warnings, 0 info against file {old}; fails --fail-on error",
    ]
    result = run_errspec("diff", "--against-file", old, "--spec", new, "--format", "json")
    assert result.code == 1, result.err
    document = json.loads(result.out)
    assert [(f["severity"], f["code"], f["name"], f["rule"]) for f in document["findings"]] == [
        ("error", None, "category rate_limit", "category_exception_renamed"),
        ("error", None, "http", "http_header_changed"),
        ("error", None, "websocket", "websocket_command_removed"),
        ("warning", None, "page", "page_url_changed"),
        ("warning", 2001, "INVALID_PARAMETER", "doc_url_changed"),
        ("warning", 2002, "SYMBOL_NOT_FOUND", "doc_url_changed"),
    ]
    moved = document["findings"][-1]
    assert (moved["old"], moved["new"]) == (
        load_spec(Path(old)).entry(2002).doc_url,
        load_spec(Path(new)).entry(2002).doc_url,
    )
    assert document["findings"][0]["old"] == "RateLimitError"
    assert document["summary"]["warning"] == 3


LEVELS = {
    "error": set_(2004, http_status=422),
    "warning": set_(2004, message="Too many items"),
    "info": set_(2004, meaning={"zh": "超限", "en": "Requested item count too large"}),
    "none": None,
}


@pytest.mark.parametrize(
    ("change", "fail_on", "exit_code"),
    [
        ("error", "error", 1),
        ("error", "warning", 1),
        ("error", "info", 1),
        ("warning", "error", 0),
        ("warning", "warning", 1),
        ("warning", "info", 1),
        ("info", "error", 0),
        ("info", "warning", 0),
        ("info", "info", 1),
        ("none", "info", 0),
    ],
)
def test_fail_on_levels(tmp_path: Path, change: str, fail_on: str, exit_code: int) -> None:
    old, new = pair(tmp_path, LEVELS[change])
    result = run_errspec("diff", "--against-file", old, "--spec", new, "--fail-on", fail_on)
    assert result.code == exit_code, result.out + result.err
    verdict = "fails" if exit_code else "passes"
    assert result.out.splitlines()[-1].endswith(f"; {verdict} --fail-on {fail_on}")


def duplicate_2004(data: dict) -> None:
    entry(data, 2003)["code"] = 2004


@pytest.mark.parametrize("side", ["old", "new"])
def test_an_invalid_spec_on_either_side_exits_2(tmp_path: Path, side: str) -> None:
    old, new = pair(
        tmp_path,
        duplicate_2004 if side == "new" else None,
        duplicate_2004 if side == "old" else None,
    )
    bad = new if side == "new" else old
    result = run_errspec("diff", "--against-file", old, "--spec", new)
    assert result.code == 2
    assert result.out == ""
    assert re.search(
        rf"^{re.escape(bad)}:\d+:\d+: duplicate code 2004 \(first at line \d+\)", result.err, re.M
    ), result.err
    assert "both must be valid specs" in result.err


@pytest.mark.parametrize("ref", ["no-such-revision", "missing/errors.yaml", "--output=x", ""])
def test_an_unreadable_ref_exits_2(tmp_path: Path, ref: str) -> None:
    _, new = pair(tmp_path, None)
    result = run_errspec("diff", f"--against={ref}", "--spec", new, cwd=tmp_path)
    assert result.code == 2
    assert result.out == ""
    assert f"errspec: cannot read the spec at {ref}: " in result.err


# --- git revisions -----------------------------------------------------------------------------

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A throwaway git repository holding a copy of spec/, committed once on main."""
    if shutil.which("git") is None:
        pytest.fail("git is not installed")
    root = tmp_path / "repo"
    shutil.copytree(FROZEN, root / "spec")
    git(root, "init", "-q")
    git(root, "add", "spec")
    git(root, "commit", "-q", "-m", "spec")
    return root


def test_git_head_unchanged_is_clean(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")[:12]
    result = run_errspec("diff", "--against", "HEAD", "--spec", "spec/errors.yaml", cwd=repo)
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "errspec: no changes: no release needed (release 1.0.0 → 1.0.0)",
        f"errspec: 0 errors, 0 warnings, 0 info against HEAD:spec/errors.yaml (commit {head});"
        " passes --fail-on error",
    ]


@pytest.mark.parametrize("where", ["root", "spec dir", "outside"])
def test_git_head_against_working_tree(repo: Path, where: str) -> None:
    dump_spec(raised(variant(set_(2004, http_status=422))), repo / "spec" / "errors.yaml")
    cwd, spec = {
        "root": (repo, "spec/errors.yaml"),
        "spec dir": (repo / "spec", "errors.yaml"),
        "outside": (repo.parent, "repo/spec/errors.yaml"),
    }[where]
    result = run_errspec("diff", "--against", "HEAD", "--spec", spec, cwd=cwd)
    assert result.code == 1, result.err
    assert result.out.splitlines()[0] == "error: 2004 REQUEST_LIMIT_EXCEEDED: http_status 400 → 422"


def test_git_older_revision(repo: Path) -> None:
    dump_spec(raised(variant(retire)), repo / "spec" / "errors.yaml")
    git(repo, "commit", "-q", "-am", "retire 2003")
    result = run_errspec(
        "diff", "--against", "HEAD~1", "--spec", "spec/errors.yaml", "--format", "json", cwd=repo
    )
    assert result.code == 0, result.err
    [finding] = json.loads(result.out)["findings"]
    assert finding["rule"] == "code_retired" and finding["code"] == 2003
    assert finding["message"] == "moved to the retired list (since 2024-06-01)"


def test_git_invalid_spec_at_revision_is_named_by_revision(repo: Path) -> None:
    dump_spec(variant(duplicate_2004), repo / "spec" / "errors.yaml")
    git(repo, "commit", "-q", "-am", "broken")
    shutil.copy(FROZEN / "errors.yaml", repo / "spec" / "errors.yaml")
    result = run_errspec("diff", "--against", "HEAD", "--spec", "spec/errors.yaml", cwd=repo)
    assert result.code == 2
    assert re.search(
        r"^HEAD:spec/errors.yaml:\d+:\d+: duplicate code 2004", result.err, re.M
    ), result.err


def test_git_revision_without_the_spec_exits_2(repo: Path) -> None:
    (repo / "README").write_text("x\n")
    git(repo, "add", "README")
    git(repo, "commit", "-q", "-m", "readme")
    git(repo, "rm", "-q", "-r", "--cached", "spec")
    git(repo, "commit", "-q", "-m", "untrack spec")
    result = run_errspec("diff", "--against", "HEAD", "--spec", "spec/errors.yaml", cwd=repo)
    assert result.code == 2
    assert "errspec: cannot read the spec at HEAD: " in result.err
    assert "spec/errors.yaml" in result.err


def test_outside_a_git_repository_exits_2(tmp_path: Path) -> None:
    shutil.copytree(FROZEN, tmp_path / "spec")
    result = run_errspec("diff", "--against", "HEAD", "--spec", "spec/errors.yaml", cwd=tmp_path)
    assert result.code == 2
    assert "errspec: cannot read the spec at HEAD: " in result.err


def make_base(repo: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("make") is None:
        pytest.fail("make is not installed")
    return subprocess.run(
        ["make", "-s", "-f", str(ROOT / "Makefile"), "breaking-base"],
        cwd=repo,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
    )


def test_make_breaking_base_is_the_merge_base_with_main(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    dump_spec(raised(variant(add_2005())), repo / "spec" / "errors.yaml")
    git(repo, "commit", "-q", "-am", "add 2005")
    base = git(repo, "rev-parse", "main")
    result = make_base(repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"make breaking: comparing with the merge base {base}"
    diff = run_errspec("diff", "--against", base, cwd=repo)
    assert diff.code == 0, diff.err
    assert diff.out.splitlines()[0] == "info: 2005 ORDER_TOO_LARGE: added"


def test_make_breaking_fails_without_a_main_branch(repo: Path) -> None:
    git(repo, "branch", "-q", "-m", "main", "feature")
    result = make_base(repo)
    assert result.returncode == 2
    assert "no merge base with origin/main or main" in result.stderr
    assert "fetch-depth: 0" in result.stderr


def test_make_breaking_fails_in_a_shallow_clone(repo: Path, tmp_path: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    dump_spec(raised(variant(add_2005())), repo / "spec" / "errors.yaml")
    git(repo, "commit", "-q", "-am", "add 2005")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", repo.as_uri(), str(clone))
    result = make_base(clone)
    assert result.returncode == 2, result.stdout
    assert "shallow clone" in result.stderr


# --- REV and PATH are separate options ----------------------------------------------------------


def test_a_file_never_shadows_a_revision(repo: Path) -> None:
    """A file named like the revision (here `main`) is not read by --against; the revision is."""
    dump_spec(raised(variant(add_2005())), repo / "spec" / "errors.yaml")
    dump_spec(variant(remove(2003)), repo / "main")
    result = run_errspec("diff", "--against", "main", cwd=repo)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "info: 2005 ORDER_TOO_LARGE: added"
    assert " against main:spec/errors.yaml (commit " in result.out.splitlines()[-1]
    from_file = run_errspec("diff", "--against-file", "main", cwd=repo)
    assert "info: 2003 INVALID_TIME_RANGE: added" in from_file.out.splitlines()
    assert from_file.out.splitlines()[-1].split(";")[0].endswith(" against file main")


def test_against_a_file_path_says_to_use_against_file(repo: Path) -> None:
    result = run_errspec("diff", "--against", "spec/errors.yaml", cwd=repo)
    assert result.code == 2
    assert "use --against-file spec/errors.yaml" in result.err


@pytest.mark.parametrize("how", ["process substitution", "standard input"])
def test_against_file_reads_a_pipe(repo: Path, how: str) -> None:
    """`--against-file <(git show main:spec/errors.yaml)` and `git show … | … --against-file -`:
    the old spec through a pipe, as bash passes it (/dev/fd/N), bounded like a file."""
    data = frozen_data()
    entry(data, 2003)["message"] = "Reworded"
    dump_spec(data, repo / "spec" / "errors.yaml")
    show = "git show HEAD:spec/errors.yaml"
    diff = f"{shlex.quote(sys.executable)} -m generator diff --spec spec/errors.yaml"
    command = (
        f"{diff} --against-file <({show})"
        if how == "process substitution"
        else f"{show} | {diff} --against-file -"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ERRSPEC_CACHE": "0"}
    proc = subprocess.run(
        ["bash", "-c", command], cwd=repo, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1, proc.stderr  # a reworded message asks for a release
    assert (
        'warning: 2003 INVALID_TIME_RANGE: message "Invalid time range" → "Reworded"' in proc.stdout
    )
    too_big = subprocess.run(
        ["bash", "-c", f"head -c {65 * 1024 * 1024} /dev/zero | {diff} --against-file -"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert too_big.returncode == 2
    assert "-:1:1: is larger than 64 MiB, the most errspec reads" in too_big.stderr


def test_against_and_against_file_exclude_each_other(repo: Path) -> None:
    result = run_errspec("diff", "--against", "HEAD", "--against-file", "x.yaml", cwd=repo)
    assert result.code == 2
    assert "not allowed with argument" in result.err


# --- the release ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "release", "needed"),
    [
        (remove(2003), "1.1.0", "major"),
        (retire, "1.9.9", "major"),
        (category("rate_limit", exception="ThrottleError"), "1.1.0", "major"),
        (add_2005(), "1.0.1", "minor"),
        (drop_http_data, "1.0.1", "minor"),
        (set_(2004, meaning={"zh": "超限", "en": "x"}), "1.0.0", "patch"),
        (set_(2004, message="Too many items"), "1.0.0", "patch"),
    ],
)
def test_release_raised_by_less_than_needed_fails(
    tmp_path: Path, change: Callable[[dict], None], release: str, needed: str
) -> None:
    old = dump_spec(variant(None), tmp_path / "old.yaml")
    data = variant(change)
    data["release"] = release
    new = dump_spec(data, tmp_path / "new.yaml")
    result = run_errspec("diff", "--against-file", str(old), "--spec", str(new))
    assert result.code == 1, result.out + result.err
    assert result.out.splitlines()[0].startswith(
        f"error: release: release 1.0.0 → {release}, but these changes need a {needed} bump;"
    )
    enough = {"major": "2.0.0", "minor": "1.1.0", "patch": "1.0.1"}[needed]
    data["release"] = enough
    dump_spec(data, Path(new))
    result = run_errspec("diff", "--against-file", str(old), "--spec", str(new), "--format", "json")
    document = json.loads(result.out)
    assert "release_not_raised" not in [f["rule"] for f in document["findings"]]
    assert document["summary"]["bump"] == needed


def test_a_lowered_release_fails(tmp_path: Path) -> None:
    old = dump_spec(variant(None), tmp_path / "old.yaml")
    data = variant(None)
    data["release"] = "0.9.0"
    new = dump_spec(data, tmp_path / "new.yaml")
    result = run_errspec("diff", "--against-file", str(old), "--spec", str(new))
    assert result.code == 1
    assert "error: release: release 1.0.0 → 0.9.0 is lower; releases only go up" in result.out


def test_a_docs_only_change_needs_no_release(tmp_path: Path) -> None:
    """Texts of the page and the snippets are in no package file: no release, whatever the
    rules say of them."""
    old = dump_spec(variant(None), tmp_path / "old.yaml")
    data = variant(None)
    entry(data, 2004)["solution"] = {"zh": "只改文档。", "en": "Only the docs change."}
    data["handler"]["cases"][0]["message"]["en"] = "Check your key"
    new = dump_spec(data, tmp_path / "new.yaml")
    result = run_errspec("diff", "--against-file", str(old), "--spec", str(new), "--format", "json")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["summary"]["bump"] == "none" and document["summary"]["package_files"] == []
    assert {f["rule"] for f in document["findings"]} == {"texts_changed", "handler_changed"}
    text = run_errspec("diff", "--against-file", str(old), "--spec", str(new))
    assert "errspec: docs only: no release needed (release 1.0.0 → 1.0.0)" in text.out


def test_a_package_change_no_rule_explains_needs_a_patch(tmp_path: Path) -> None:
    old = dump_spec(variant(None), tmp_path / "old.yaml")
    data = variant(None)
    data["packages"]["npm"] = "@market-data/errors-sdk"
    new = dump_spec(data, tmp_path / "new.yaml")
    result = run_errspec("diff", "--against-file", str(old), "--spec", str(new))
    assert result.code == 1
    assert result.out.splitlines()[0].startswith(
        "error: release: release 1.0.0 → 1.0.0, but these changes need a patch bump;"
        " set release: 1.0.1 (package files change: js/README.md, js/package.json)"
    )


def test_an_added_locale_is_one_finding_with_its_text_count(tmp_path: Path) -> None:
    old = dump_spec(variant(None), tmp_path / "old.yaml")
    data = variant(None)
    data["locales"].append("ja")
    data["fallback"] = "en"
    data["codes"][1]["meaning"]["ja"] = "無効なキー"
    new = dump_spec(data, tmp_path / "new.yaml")
    result = run_errspec("diff", "--against-file", str(old), "--spec", str(new), "--format", "json")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    (added,) = document["findings"]
    assert (added["rule"], added["severity"]) == ("locale_added", "info")
    assert (
        added["message"].startswith("locale ja added (1 of ")
        and document["summary"]["bump"] == "none"
    )
    back = run_errspec("diff", "--against-file", str(new), "--spec", str(old), "--format", "json")
    (removed,) = json.loads(back.out)["findings"]
    assert (removed["rule"], removed["severity"]) == ("locale_removed", "warning")


def test_a_moved_doc_url_says_how_to_keep_the_old_one(tmp_path: Path) -> None:
    old = dump_spec(variant(None), tmp_path / "old.yaml")
    data = variant(None)
    entry(data, 2004)["meaning"]["en"] = "Too many items requested"
    new = dump_spec(data, tmp_path / "new.yaml")
    result = run_errspec("diff", "--against-file", str(old), "--spec", str(new))
    lines = [line for line in result.out.splitlines() if "doc_url " in line]
    assert len(lines) == 1, result.out
    (line,) = lines
    assert "#2004---requested-item-count-too-large → " in line
    assert (
        'to keep it, give code 2004 section_title: {en: "Requested item count too large"}' in line
    )


# --- formats -------------------------------------------------------------------------------------


def test_github_format_annotates_the_spec_lines(tmp_path: Path) -> None:
    old, new = pair(tmp_path, BREAKING)
    result = run_errspec("diff", "--against-file", old, "--spec", new, "--format", "github")
    assert result.code == 1
    lines = result.out.splitlines()
    text = Path(new).read_text(encoding="utf-8").splitlines()
    entry_2004 = next(i for i, t in enumerate(text, 1) if t.strip() == "- code: 2004")
    # the line of the field that changed, within the code's entry
    line_2004 = next(i for i, t in enumerate(text, 1) if i > entry_2004 and "http_status:" in t)
    assert lines[1] == (
        f"::error file={new},line={line_2004},title=errspec diff%3A 2004 REQUEST_LIMIT_EXCEEDED"
        "::http_status 400 → 422"
    )
    assert lines[0].startswith(
        f"::error file={new},title=errspec diff%3A 2003 INVALID_TIME_RANGE::"
    )
    assert lines[3].startswith("::notice file=")
    assert lines[-1].startswith("errspec: 2 errors, 1 warning, 1 info against file ")


def test_markdown_format_is_release_notes(tmp_path: Path) -> None:
    old, new = pair(
        tmp_path,
        both(
            retire, add_2005(), set_(2004, message="Too *many* items"), http(api_key_header="X-Key")
        ),
    )
    result = run_errspec("diff", "--against-file", old, "--spec", new, "--format", "markdown")
    assert result.code == 1
    assert result.out.splitlines() == [
        "## 9.0.0 (from 1.0.0)",
        "",
        "Needs a **major** release (1.0.0 → 9.0.0).",
        "",
        "### Breaking changes",
        "",
        "- **http**: api\\_key\\_header X-API-Key → X-Key; clients send or read the old header",
        "",
        "### Added",
        "",
        "- **2005 `ORDER_TOO_LARGE`**: added",
        "",
        "### Changed",
        "",
        '- **2004 `REQUEST_LIMIT_EXCEEDED`**: message "Request limit exceeded" → "Too \\*many\\*'
        ' items" (warning)',
        "",
        "### Retired",
        "",
        "- **2003 `INVALID_TIME_RANGE`**: moved to the retired list (since 2024-06-01);"
        " the SDKs' `ErrorCode` no longer has it",
    ]


def test_handler_cases_are_named_by_their_codes(tmp_path: Path) -> None:
    """Removing the 2002 case once read "case 2 (codes 3001) changed": cases were paired by index."""

    def drop_2002_case(data: dict) -> None:
        data["handler"]["cases"] = [c for c in data["handler"]["cases"] if c["codes"] != [2002]]

    def merge_into_first(data: dict) -> None:
        drop_2002_case(data)
        data["handler"]["cases"][0]["codes"].append(2002)

    def add_5000(data: dict) -> None:
        data["handler"]["cases"].append(
            {
                "codes": [5000],
                "action": "raise",
                "message": {"zh": "服务错误", "en": "Server error"},
            }
        )

    assert [f.message for f in findings(tmp_path, None, drop_2002_case)] == [
        "case for code 2002 removed"
    ]
    assert [f.message for f in findings(tmp_path, None, merge_into_first)] == [
        "case for code 2002 removed",
        "case for codes 1001, 1002 → codes 1001, 1002, 2002 changed",
    ]
    assert [f.message for f in findings(tmp_path, None, add_5000)] == ["case for code 5000 added"]
