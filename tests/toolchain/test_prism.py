"""Both SDKs over real HTTP: Prism (pinned in package.json) mocks generated/openapi.yaml on a
free loopback port; every operation is asked for each of its error examples
(`Prefer: code=..., example=...`) and for its success, with `requests` and with `fetch`.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from support import (
    yaml_load,
    FROZEN,
    JS_TESTS,
    frozen_generated,
    import_package,
    load_spec,
    node,
    node_tool,
    run_tool,
    user_env,
)

pytestmark = pytest.mark.slow  # Prism, node

# The frozen registry and its outputs, and its Python SDK imported.
SPEC = load_spec(FROZEN / "errors.yaml")
GENERATED = frozen_generated() / "generated"
exceptions = import_package(GENERATED / "python", "errspec_test_sdk")["exceptions"]
DOC = yaml_load((GENERATED / "openapi.yaml").read_text(encoding="utf-8"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    prism = node_tool("prism")
    port = free_port()
    log = tmp_path_factory.mktemp("prism") / "prism.log"
    env = user_env(SCARF_ANALYTICS="false", DO_NOT_TRACK="1", NO_UPDATE_NOTIFIER="1")
    with log.open("w") as out:
        proc = subprocess.Popen(
            [prism, "mock", str(GENERATED / "openapi.yaml"), "-h", "127.0.0.1"] + ["-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("Prism did not start:\n" + log.read_text(encoding="utf-8"))
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def url_of(path: str, op: dict[str, Any]) -> str:
    query = []
    for p in op.get("parameters", []):
        if p["in"] == "path":
            path = path.replace("{" + p["name"] + "}", "BTCUSDT")
        elif p["in"] == "query" and p.get("required"):
            query.append(f"{p['name']}=BTCUSDT")
    return path + ("?" + "&".join(query) if query else "")


def build_cases() -> list[dict[str, Any]]:
    """One request per operation and error example, plus each operation's success."""
    cases = []
    api_key = {SPEC.api_key_header: "test-key"}
    for path, item in DOC["paths"].items():
        for method, op in item.items():
            for status, response in op["responses"].items():
                examples = response.get("content", {}).get("application/json", {}).get("examples")
                header = response.get("headers", {}).get(SPEC.retry_after_header, {})
                for name, example in (examples or {}).items():
                    cases.append(
                        {
                            "operation": op["operationId"],
                            "method": method.upper(),
                            "path": url_of(path, op),
                            "headers": {**api_key, "Prefer": f"code={status}, example={name}"},
                            "status": int(status),
                            "body": example["value"],
                            "retry_after_example": header.get("example"),
                        }
                    )
            if "200" in op["responses"]:
                cases.append(
                    {
                        "operation": op["operationId"],
                        "method": method.upper(),
                        "path": url_of(path, op),
                        "headers": api_key,
                        "status": 200,
                        "body": None,
                    }
                )
    return cases


CASES = build_cases()


def expected(case: dict[str, Any]) -> dict[str, Any]:
    """What the SDKs must raise for a case: derived from the spec, not from the response."""
    if case["body"] is None:
        return {"status": 200}
    entry = SPEC.entry(case["body"]["code"])
    return {
        "status": case["status"],
        "name": entry.category.exception,
        "code": entry.code,
        "message": case["body"]["message"],
        # The document's Retry-After example, for the codes whose header applies.
        "retryAfter": case["retry_after_example"] if entry.retry_after else None,
    }


def test_every_operation_and_error_example_is_covered() -> None:
    errors = [c for c in CASES if c["body"] is not None]
    for c in errors:
        if SPEC.entry(c["body"]["code"]).retry_after:
            # A realistic wait: Prism sends the example; without one it would send 0.
            assert isinstance(c["retry_after_example"], int) and c["retry_after_example"] > 0
    for path, item in DOC["paths"].items():
        for method, op in item.items():
            listed = {e.code for e in SPEC.codes if e.code in op["x-error-codes"] and e.http_status}
            asked = {c["body"]["code"] for c in errors if c["operation"] == op["operationId"]}
            assert asked == listed, op["operationId"]


def test_python_sdk_over_http(prism: str) -> None:
    seen = []
    for case in CASES:
        response = requests.request(
            case["method"], prism + case["path"], headers=case["headers"], timeout=30
        )
        outcome: dict[str, Any] = {"status": response.status_code}
        try:
            data = exceptions.raise_for_envelope(response.json(), response.headers)
            assert isinstance(data, dict) and data, (case, data)
        except exceptions.ApiError as error:
            outcome.update(
                name=type(error).__name__,
                code=error.code,
                message=error.message,
                retryAfter=error.retry_after,
            )
        seen.append(outcome)
    assert seen == [expected(c) for c in CASES]


def test_js_sdk_over_http(prism: str, tmp_path: Path) -> None:
    cases = [
        {"url": prism + c["path"], "method": c["method"], "headers": c["headers"]} for c in CASES
    ]
    (tmp_path / "cases.json").write_text(json.dumps(cases), encoding="utf-8")
    proc = run_tool(
        [
            node(),
            JS_TESTS / "http_cases.mjs",
            tmp_path / "cases.json",
            GENERATED / "js" / "errors.js",
        ],
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    outcomes = json.loads(proc.stdout)
    for outcome in outcomes:
        returned = outcome.pop("returned", None)
        if outcome["status"] == 200:
            assert isinstance(returned, dict) and returned
    assert outcomes == [expected(c) for c in CASES]
