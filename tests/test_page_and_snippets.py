"""The published page regenerates identically; the snippets behave as the spec says."""

from __future__ import annotations

import yaml

import contextlib
import http.server
import io
import json
import re
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from conftest import FROZEN, GENERATED, ROOT, dump_spec, load_frozen_data
from generator.diagnostics import SpecError
from generator.filters import camel
from generator.model import Spec
from stages import render_all
from stages import load_spec, spec_of as parse_and_validate
from generator.targets import TARGETS as TABLE
from generator.targets import expand

# The table with one row per locale of the real spec.
TARGETS = expand(
    TABLE, yaml.safe_load((ROOT / "spec" / "errors.yaml").read_text(encoding="utf-8"))["locales"]
)

PUBLISHED = ROOT / "tests" / "fixtures" / "published-error-codes.zh.md"
SPEC: Spec = load_spec(ROOT / "spec" / "errors.yaml")
CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


def strip_line_ends(text: str) -> str:
    return "\n".join(line.rstrip(" ") for line in text.split("\n"))


def frozen_pages() -> dict[str, str]:
    """The pages of the frozen published registry, rendered with today's templates."""
    spec = load_spec(FROZEN / "errors.yaml")
    page_targets = tuple(t for t in TARGETS if t.path.startswith("docs/"))
    rendered = render_all(spec, targets=page_targets)
    return {lang: rendered[f"docs/errors.{lang}.md"] for lang in spec.locales}


# The handler section's two code blocks: the snippets, whose code may change (issue "SDK
# outputs that real consumers accept"); everything else on the page is the published text.
SNIPPET_BLOCK = re.compile(r"^```(javascript|python)\n.*?^```$", re.M | re.S)


def without_snippets(page: str) -> tuple[str, list[str]]:
    """The page with each snippet block's body cut out, and the blocks' languages."""
    return SNIPPET_BLOCK.sub(r"```\1 (snippet)", page), SNIPPET_BLOCK.findall(page)


def test_the_frozen_registry_reproduces_the_published_page_outside_the_snippets() -> None:
    """Equal, modulo the trailing spaces on the published page's blank lines, everywhere
    but inside the two snippet code blocks (which the generated page embeds verbatim from
    generated/snippets/, tested below)."""
    zh = frozen_pages()["zh"]
    published = strip_line_ends(PUBLISHED.read_text(encoding="utf-8"))
    assert zh == strip_line_ends(zh), "the generated page has trailing spaces"
    page, languages = without_snippets(zh)
    expected, published_languages = without_snippets(published)
    assert languages == published_languages == ["javascript", "python"]
    assert page == expected


def test_only_the_snippet_blocks_are_exempt() -> None:
    """The comparison above cannot miss a change outside the snippet blocks."""
    published = strip_line_ends(PUBLISHED.read_text(encoding="utf-8"))
    inside = published.replace("throw new Error", "throw new TypeError", 1)
    outside = published.replace("订阅数超限", "订阅超限", 1)
    assert inside != published and outside != published
    assert without_snippets(inside)[0] == without_snippets(published)[0]
    assert without_snippets(outside)[0] != without_snippets(published)[0]


def test_en_page_has_the_same_shape_and_no_chinese() -> None:
    pages = frozen_pages()
    zh, en = pages["zh"].split("\n"), pages["en"].split("\n")
    assert len(zh) == len(en)
    shape = lambda lines: [
        re.match(r"^(#+ |\| |- |```|---$|\*\*|\{|\}|$)?", line).group(0) for line in lines
    ]  # noqa: E731
    assert shape(zh) == shape(en)
    assert CJK.findall("\n".join(en)) == []
    assert "#### 4003 / 4004 - Subscriptions temporarily unavailable" in en


@pytest.mark.parametrize("lang", [lang for lang in SPEC.locales if lang != "zh"])
def test_the_registry_pages_in_other_locales_have_no_chinese(lang: str) -> None:
    page = (GENERATED / "docs" / f"errors.{lang}.md").read_text(encoding="utf-8")
    assert CJK.findall(page) == []


def test_both_pages_come_from_one_template() -> None:
    pages = [t for t in TARGETS if t.path.startswith("docs/errors.")]
    assert {t.template for t in pages} == {"docs/errors.md.jinja"}
    assert sorted(t.context["lang"] for t in pages) == sorted(SPEC.locales)


def test_missing_translation_fails_naming_the_field(tmp_path: Path) -> None:
    data = load_frozen_data()
    del next(c for c in data["codes"] if c["code"] == 3001)["notes"]["en"]
    with pytest.raises(SpecError) as info:
        parse_and_validate(
            dump_spec(data, tmp_path / "e.yaml").read_text(encoding="utf-8"), "errors.yaml"
        )
    assert 'codes[9] (3001).notes has no "en" text' in str(info.value)


def test_new_code_appears_in_table_and_details_without_template_changes(tmp_path: Path) -> None:
    data = load_frozen_data()
    data["codes"].append(
        {
            "code": 3005,
            "name": "BURST_LIMIT_EXCEEDED",
            "category": "rate_limit",
            "message": "Burst limit exceeded",
            "http_status": 429,
            "transports": ["http"],
            "retryable": True,
            "meaning": {"zh": "突发请求超限", "en": "Burst limit exceeded"},
            "suggestion": {"zh": "平滑请求", "en": "Smooth out your requests"},
            "solution": {"zh": "降低突发请求量。", "en": "Send fewer requests at once."},
            "example": {"code": 3005, "message": "Burst limit exceeded"},
        }
    )
    spec = parse_and_validate(
        dump_spec(data, tmp_path / "e.yaml").read_text(encoding="utf-8"), "e.yaml"
    )
    page_targets = tuple(t for t in TARGETS if t.path.startswith("docs/"))
    zh = render_all(spec, targets=page_targets)["docs/errors.zh.md"]
    assert (
        "| 3004 | 订阅数超限 | 取消部分订阅 |\n| 3005 | 突发请求超限 | 平滑请求 |\n| 4001 |" in zh
    )
    rate_limit = zh.split("### 限流错误 (3xxx)")[1].split("### WebSocket 错误")[0]
    assert '#### 3005 - 突发请求超限\n\n```json\n{\n  "code": 3005,' in rate_limit
    assert rate_limit.index("#### 3004") < rate_limit.index("#### 3005")


def test_every_section_has_a_unique_anchor_and_doc_urls_point_at_them() -> None:
    lang = SPEC.page.doc_url_locale
    page = (GENERATED / "docs" / f"errors.{lang}.md").read_text(encoding="utf-8")
    anchors = []
    for category in SPEC.categories:
        for section in SPEC.sections(category):
            if category.details:
                assert f"#### {section.heading(lang)}\n" in page
                anchors.append(section.anchor(lang))
                for entry in section.entries:
                    assert entry.doc_url == SPEC.page.url[lang] + "#" + section.anchor(lang)
    assert anchors and len(anchors) == len(set(anchors))


def test_shared_sections_share_a_doc_url_and_anchors_follow_github() -> None:
    spec = load_spec(FROZEN / "errors.yaml")
    assert spec.entry(4004).doc_url == spec.entry(4003).doc_url
    assert spec.entry(4004).doc_url.endswith("#4003--4004---subscriptions-temporarily-unavailable")
    assert spec.entry(1001).doc_url.endswith("#1001---api-key-is-invalid-or-expired")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_embeds_the_standalone_snippets(lang: str) -> None:
    page = (GENERATED / "docs" / f"errors.{lang}.md").read_text(encoding="utf-8")
    for ext, fence in (("js", "javascript"), ("py", "python")):
        standalone = (GENERATED / "snippets" / f"handle_error.{lang}.{ext}").read_text(
            encoding="utf-8"
        )
        body = standalone.split("\n", 1)[1]
        assert f"```{fence}\n{body}```\n" in page


# --- the handler snippets, run as written against a local HTTP server ---------------------------

SYMBOL = "BTCUSDT"
API_KEY = "test-key"
MESSAGE = re.compile(r"\{(\w+)\}")


def case_text(case: Any, lang: str, retry_after: int | None = None) -> str:
    values = {"symbol": SYMBOL, "retry_after": str(retry_after)}
    return MESSAGE.sub(lambda m: values[m.group(1)], case.message[lang])


def error_body(code: int) -> dict[str, Any]:
    return dict(SPEC.entry(code).example)


def scenarios(lang: str) -> list[dict[str, Any]]:
    """Scripted responses and what the snippet must do with them, from the handler spec."""
    header = SPEC.retry_after_header
    data = {"symbol": SYMBOL, "price": "43250.50"}
    success = {
        "status": 200,
        "body": {"code": 0, "message": "success", "data": data},
        "headers": {},
    }
    out: list[dict[str, Any]] = [{"responses": [success], "returned": data, "requests": 1}]
    handled = set()
    for case in SPEC.handler.cases:
        for code in case.codes:
            handled.add(code)
            body = error_body(code)
            status = SPEC.entry(code).http_status or 400
            if case.action == "raise":
                out.append(
                    {
                        "responses": [{"status": status, "body": body, "headers": {}}],
                        "threw": case_text(case, lang),
                        "requests": 1,
                    }
                )
                continue
            for given, delay in (("2", 2), (None, case.default_delay)):
                first = {
                    "status": status,
                    "body": body,
                    "headers": {header: given} if given else {},
                }
                out.append(
                    {
                        "responses": [first, success],
                        "returned": data,
                        "logs": [case_text(case, lang, delay)],
                        "waits": [delay],
                        "requests": 2,
                    }
                )
            forever = {"status": status, "body": body, "headers": {header: "1"}}
            out.append({"responses": [forever], "threw": body["message"], "retries_bounded": True})
    for e in SPEC.errors:
        if e.code not in handled:
            body = error_body(e.code)
            response = {"status": e.http_status or 400, "body": body, "headers": {}}
            out.append({"responses": [response], "threw": body["message"], "requests": 1})
    return out


def check(scenario: dict[str, Any], result: dict[str, Any], wait_unit: int, lang: str) -> None:
    path = MESSAGE.sub(SYMBOL, SPEC.handler.endpoint)
    requested = result["requested"]
    assert requested and all(r == {"url": path, "apiKey": API_KEY} for r in requested)
    if "returned" in scenario:
        assert result["threw"] is None and result["returned"] == scenario["returned"]
    else:
        assert result["threw"] == scenario["threw"], scenario
    if scenario.get("retries_bounded"):
        retry = next(c for c in SPEC.handler.cases if c.action == "retry")
        assert 2 <= len(requested) <= 10
        assert result["waits"] == [wait_unit] * (len(requested) - 1)
        assert result["logs"] == [case_text(retry, lang, 1)] * (len(requested) - 1)
        return
    assert len(requested) == scenario["requests"]
    assert result["waits"] == [w * wait_unit for w in scenario.get("waits", [])]
    assert result["logs"] == scenario.get("logs", [])


def snippet_file(lang: str, ext: str) -> Path:
    return GENERATED / "snippets" / f"handle_error.{lang}.{ext}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_js_snippet_works_as_written(lang: str) -> None:
    request = {
        "file": str(snippet_file(lang, "js")),
        "function": camel(SPEC.handler.function),
        "apiKey": API_KEY,
        "calls": [{"args": [SYMBOL], "responses": s["responses"]} for s in scenarios(lang)],
    }
    proc = subprocess.run(
        ["node", str(ROOT / "tests" / "js" / "run_snippet.mjs")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    for scenario, result in zip(scenarios(lang), results, strict=True):
        check(scenario, result, 1000, lang)


class ScriptedServer(http.server.ThreadingHTTPServer):
    responses: list[dict[str, Any]] = []
    requested: list[dict[str, Any]] = []


class ScriptedHandler(http.server.BaseHTTPRequestHandler):
    server: ScriptedServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        server = self.server
        server.requested.append({"url": self.path, "apiKey": self.headers.get("X-API-Key")})
        r = server.responses[min(len(server.requested), len(server.responses)) - 1]
        payload = json.dumps(r["body"]).encode()
        self.send_response(r["status"])
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in r["headers"].items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_python_snippet_works_as_written(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    server = ScriptedServer(("127.0.0.1", 0), ScriptedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("API_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}")
        monkeypatch.setenv("API_KEY", API_KEY)
        namespace: dict[str, Any] = {"__name__": "snippet"}
        source = snippet_file(lang, "py").read_text(encoding="utf-8")
        exec(compile(source, "snippet", "exec"), namespace)
        function = namespace[SPEC.handler.function]
        for scenario in scenarios(lang):
            server.responses, server.requested = scenario["responses"], []
            waits: list[int] = []
            result: dict[str, Any] = {"threw": None, "waits": waits}
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                try:
                    result["returned"] = function(SYMBOL, sleep=waits.append)
                except Exception as error:  # the snippet raises plain Exception
                    result["threw"] = str(error)
            result["logs"] = out.getvalue().splitlines()
            result["requested"] = server.requested
            check(scenario, result, 1, lang)
    finally:
        server.shutdown()
        server.server_close()
