"""The JavaScript SDK: generated/js/errors.js runs under `node --test`; errors.d.ts passes tsc."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from support import FROZEN, JS_TESTS, ROOT, frozen_data as load_frozen_data, load_spec
from support import node, node_tool, render_all, run_tool, spec_of_data, targets_of

pytestmark = pytest.mark.slow  # node, tsc


@pytest.fixture
def frozen_js(frozen_tree: Path, tmp_path: Path) -> Path:
    """tests/js beside the generated/ of the frozen registry (the imports are relative), so that
    these toolchain tests do not move when the real registry does (tests/test_registry.py
    checks the real registry's .d.ts against its own codes)."""
    shutil.copytree(frozen_tree / "generated", tmp_path / "generated")
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")  # typescript, for dts.test
    shutil.copytree(
        JS_TESTS, tmp_path / "tests" / "js", ignore=shutil.ignore_patterns("node_modules")
    )
    return tmp_path


def tsc() -> str:
    return node_tool("tsc")


def write_spec_fixture(path: Path) -> Path:
    """The spec's codes, as the JS tests expect them, written as JSON."""
    spec = load_spec(FROZEN / "errors.yaml")
    data = {
        "retry_after_header": spec.retry_after_header,
        "categories": [
            {
                "id": c.id,
                "exception": c.exception,
                "low": c.low,
                "high": c.high,
                "retryable_default": c.retryable_default,
            }
            for c in spec.categories
        ],
        "codes": [
            {
                "code": e.code,
                "name": e.name,
                "message": e.message,
                "category": e.category.id,
                "exception": e.category.exception,
                "http_status": e.http_status,
                "transports": list(e.transports),
                "retryable": e.retryable,
                "retry_after": e.retry_after,
                "doc_url": e.doc_url,
                "deprecated": e.deprecated is not None,
                "example": dict(e.example),
            }
            for e in spec.codes
        ],
        "retired": [{"code": r.code, "name": r.name} for r in spec.retired],
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_tool(list(args), env=env, timeout=300)


def test_node_suite_passes(frozen_js: Path) -> None:
    fixture = write_spec_fixture(frozen_js / "spec.json")
    proc = run(
        [node(), "--test", "--test-reporter=tap", str(frozen_js / "tests" / "js")],
        env={"ERRSPEC_JS_FIXTURE": str(fixture)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Both test files ran, and nothing was skipped or left as a todo.
    assert re.search(r"^# fail 0$", proc.stdout, re.M), proc.stdout
    assert re.search(r"^# (skipped|todo) [1-9]", proc.stdout, re.M) is None, proc.stdout
    assert int(re.search(r"^# pass (\d+)$", proc.stdout, re.M).group(1)) >= 20  # type: ignore[union-attr]


def test_usage_type_checks(frozen_js: Path) -> None:
    proc = run(
        [tsc(), "-p", str(frozen_js / "tests" / "js" / "tsconfig.json"), "--noEmit", "--strict"]
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""


# Each line is wrong in exactly one way; tsc must report that line with that code.
BAD_USAGE = {
    "const a: 3002 = ErrorCode.RATE_LIMIT_EXCEEDED;": "TS2322",
    "ErrorCode.RATE_LIMIT_EXCEEDED = 3001;": "TS2540",
    "ErrorCode.NO_SUCH_CODE;": "TS2339",
    "const b: 3001 | 3002 | 3003 | 3004 = new ApiError(3001).code;": "TS2322",
    "const c: string = raiseForEnvelope<number>({});": "TS2322",
    'const d: ErrorName = "NO_SUCH_NAME";': "TS2322",
    'new RateLimitError("1001");': "TS2345",
    "const e: WebSocketEnvelope = { code: 0 };": "TS2741",
    'const f: HttpEnvelope = { code: 0, message: "x", cmd: "ping" };': "TS2353",
    "errorInfo(3001).retryAfter = false;": "TS2540",
    'const g: number = parseRetryAfter("1");': "TS2322",
    "const h: ErrorCodeValue = 3005;": "TS2322",
    "const i: ErrorInfo<3001> = ERRORS[3002];": "TS2322",
    'RETIRED_CODES[2003] = "X";': "TS2542",
    "raiseForEnvelope({}, null, { now: new Date() });": "TS2769",
}


def test_type_errors_are_reported(tmp_path: Path, frozen_js: Path) -> None:
    """tsc really checks against errors.d.ts: each deliberate mistake fails on its own line."""
    errors_js = frozen_js / "generated" / "js" / "errors.js"
    config = json.loads((JS_TESTS / "tsconfig.json").read_text(encoding="utf-8"))
    config["files"] = ["bad.ts"]
    (tmp_path / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    (tmp_path / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    header = (
        "import { ApiError, ERRORS, ErrorCode, RETIRED_CODES, RateLimitError, errorInfo,\n"
        "  parseRetryAfter, raiseForEnvelope } from " + json.dumps(errors_js.as_posix()) + ";\n"
        "import type { ErrorCodeValue, ErrorInfo, ErrorName, HttpEnvelope, WebSocketEnvelope }\n"
        "  from " + json.dumps(errors_js.as_posix()) + ";\n"
    )
    first = header.count("\n") + 1
    (tmp_path / "bad.ts").write_text(header + "\n".join(BAD_USAGE) + "\n", encoding="utf-8")

    proc = run([tsc(), "-p", str(tmp_path / "tsconfig.json"), "--noEmit", "--strict"])

    assert proc.returncode != 0
    reported = {
        int(m.group(1)): m.group(2)
        for m in re.finditer(r"^(?:.*/)?bad\.ts\((\d+),\d+\): error (TS\d+)", proc.stdout, re.M)
    }
    expected = {first + i: code for i, code in enumerate(BAD_USAGE.values())}
    assert reported == expected, proc.stdout
    assert proc.stdout.count(": error TS") == len(BAD_USAGE), proc.stdout


TRICKY = "He said \"hi\" \\ `${x}` */ </script> 'q' — 中文 \U0001f600"


def test_variant_spec_renders_working_js(tmp_path: Path) -> None:
    """Quotes and escapes survive; shared exceptions give one class; Retry-After follows the spec."""
    data = load_frozen_data()
    by_id = {c["id"]: c for c in data["categories"]}
    by_id["websocket"]["exception"] = "ServerError"  # two categories, one class
    by_id["invalid_request"]["exception"] = "ApiError"  # mapped to the base class
    for code in data["codes"]:
        if code["code"] == 2001:
            code["message"] = TRICKY
            code["example"]["message"] = TRICKY
        if code["code"] == 5002:
            code["retry_after"] = True  # a server error that carries Retry-After
    spec = spec_of_data(data, "variant")
    for path, text in render_all(spec, targets=targets_of(spec, "js/")).items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    script = """
        const sdk = await import(process.argv[1]);
        const caught = (body, headers) => { try { sdk.raiseForEnvelope(body, headers); } catch (e) { return e; } };
        const out = (e) => ({ cls: e.constructor.name, name: e.name, message: e.message, retryAfter: e.retryAfter });
        console.log(JSON.stringify({
          classes: Object.keys(sdk).filter((k) => Object.getPrototypeOf(sdk[k]) === sdk.ApiError).sort(),
          message: sdk.ERRORS[2001].message,
          e2001: out(caught({ code: 2001, message: sdk.ERRORS[2001].message })),
          e4001: out(caught({ code: 4001, message: "m" }, { "retry-after": "9" })),
          e5002: out(caught({ code: 5002, message: "m" }, { "retry-after": "9" })),
        }));
    """
    proc = run(
        [node(), "--input-type=module", "-e", script, (tmp_path / "js" / "errors.js").as_uri()]
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["classes"] == ["AuthenticationError", "RateLimitError", "ServerError"]
    assert result["message"] == TRICKY
    assert result["e2001"] == {
        "cls": "ApiError",
        "name": "ApiError",
        "message": TRICKY,
        "retryAfter": None,
    }
    assert result["e4001"] == {
        "cls": "ServerError",
        "name": "ServerError",
        "message": "m",
        "retryAfter": None,
    }
    assert result["e5002"] == {
        "cls": "ServerError",
        "name": "ServerError",
        "message": "m",
        "retryAfter": 9,
    }

    (tmp_path / "usage.ts").write_text(
        'import { ServerError } from "./js/errors.js";\n'
        "declare const e: ServerError;\n"
        "export const code: number | null = e.code;\n",
        encoding="utf-8",
    )
    (tmp_path / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    config = json.loads((JS_TESTS / "tsconfig.json").read_text(encoding="utf-8"))
    config["files"] = ["usage.ts"]
    (tmp_path / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    proc = run([tsc(), "-p", str(tmp_path / "tsconfig.json"), "--noEmit", "--strict"])
    assert proc.returncode == 0, proc.stdout


def test_errors_js_itself_passes_tsc_check_js_strict(tmp_path: Path, frozen_js: Path) -> None:
    """errors.js is typed by its JSDoc: tsc --checkJs --strict judges the module itself, not
    only errors.d.ts (which is left out here)."""
    shutil.copy(frozen_js / "generated" / "js" / "errors.js", tmp_path / "errors.js")
    (tmp_path / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    proc = run(
        [tsc(), "--checkJs", "--allowJs", "--strict", "--noEmit", "--target", "es2022"]
        + ["--module", "nodenext", "--lib", "es2022,dom", str(tmp_path / "errors.js")]
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
