"""The live registry's handler snippets run as written, against a scripted server: what each
must do with each response comes from the spec's handler cases (Python in this process, the
JavaScript snippet under node)."""

from __future__ import annotations

import contextlib
import http.server
import io
import json
import re
import threading
from pathlib import Path
from typing import Any

import pytest

from generator.filters import camel
from support import JS_TESTS, LIVE_OUT, LIVE_SPEC, load_spec, node, run_tool

pytestmark = pytest.mark.live

SPEC = load_spec(LIVE_SPEC)


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
    for page in ("<html><body><h1>502 Bad Gateway</h1></body></html>", "", '{"code": 0, "da'):
        gateway = {"status": 502, "text": page, "headers": {}}
        out.append({"responses": [gateway], "threw": "HTTP 502", "requests": 1})
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
    return LIVE_OUT / "snippets" / f"handle_error.{lang}.{ext}"


@pytest.mark.slow  # node
@pytest.mark.parametrize("lang", SPEC.locales)
def test_js_snippet_works_as_written(lang: str) -> None:
    request = {
        "file": str(snippet_file(lang, "js")),
        "function": camel(SPEC.handler.function),
        "apiKey": API_KEY,
        "calls": [{"args": [SYMBOL], "responses": s["responses"]} for s in scenarios(lang)],
    }
    proc = run_tool(
        [node(), "--experimental-vm-modules", "--no-warnings", JS_TESTS / "run_snippet.mjs"],
        input=json.dumps(request),
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
        payload = r["text"].encode() if "text" in r else json.dumps(r["body"]).encode()
        self.send_response(r["status"])
        self.send_header("Content-Type", "text/html" if "text" in r else "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in r["headers"].items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.mark.parametrize("lang", SPEC.locales)
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
                except Exception as error:  # the snippet raises RuntimeError
                    result["threw"] = str(error)
            result["logs"] = out.getvalue().splitlines()
            result["requested"] = server.requested
            check(scenario, result, 1, lang)
    finally:
        server.shutdown()
        server.server_close()
