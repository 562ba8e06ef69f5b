"""The JavaScript SDK and the OpenAPI document as their consumers meet them: `npm pack` and a
scratch project that installs the tarball and imports it by name (Node and tsc),
@arethetypeswrong/cli, eslint's recommended config, openapi-typescript then tsc --strict on
typed bodies, and Spectral (spectral:oas) and Redocly (recommended) with the committed
rulesets (.spectral.yaml, redocly.yaml).

On the frozen registry, whose published bodies these tests feed; the linters also judge the
live registry's outputs. Every tool is pinned in package.json; no network, no telemetry, no
update checks.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from support import (
    FROZEN,
    JS_TESTS,
    LIVE_OUT,
    ROOT,
    envelope_kind,
    frozen_generated,
    load_spec,
    node,
    node_tool as tool,
    ok,
    published_examples,
    run_tool,
    unknown_code,
)

pytestmark = pytest.mark.slow  # npm, node, tsc, attw, eslint, openapi-typescript, spectral, redocly

SPEC = load_spec(FROZEN / "errors.yaml")
GENERATED = frozen_generated() / "generated"
NPM_NAME = SPEC.packages.npm
TREES = [
    pytest.param(GENERATED, id="frozen"),
    pytest.param(LIVE_OUT, id="live", marks=pytest.mark.live),
]


def run(args: list[Any], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return run_tool(args, cwd=cwd)


# --- the npm package --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def tarball(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack")
    packed = json.loads(
        ok(run(["npm", "pack", "--json", "--pack-destination", str(out), str(GENERATED / "js")]))
    )
    assert packed[0]["name"] == NPM_NAME and packed[0]["version"] == SPEC.release
    assert {f["path"] for f in packed[0]["files"]} == {
        "package.json",
        "errors.js",
        "errors.d.ts",
        "README.md",
    }
    return out / packed[0]["filename"]


@pytest.fixture(scope="session")
def scratch(tarball: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project that installs the tarball, as a user's would."""
    root = tmp_path_factory.mktemp("scratch")
    (root / "package.json").write_text(
        json.dumps({"name": "scratch", "private": True, "type": "module"}), encoding="utf-8"
    )
    ok(run(["npm", "install", "--offline", "--no-audit", "--no-fund", str(tarball)], cwd=root))
    return root


def test_a_scratch_project_imports_the_package_by_name_in_node(scratch: Path) -> None:
    retry = next(e for e in SPEC.errors if e.retry_after)
    (scratch / "main.js").write_text(
        f"""import {{ ErrorCode, ApiError, raiseForEnvelope }} from {json.dumps(NPM_NAME)};
const out = [];
for (const code of [ErrorCode.{retry.name}, {unknown_code(SPEC)}]) {{
  try {{
    raiseForEnvelope({{ code, message: "m", data: null }}, {{ "retry-after": "5" }});
  }} catch (e) {{
    out.push([e instanceof ApiError, e.name, e.code, e.retryAfter]);
  }}
}}
console.log(JSON.stringify(out));
""",
        encoding="utf-8",
    )
    out = json.loads(ok(run([node(), "main.js"], cwd=scratch)))
    assert out == [
        [True, retry.category.exception, retry.code, 5],
        [True, SPEC.range_exception(unknown_code(SPEC)), unknown_code(SPEC), None],
    ]


def test_a_scratch_project_type_checks_against_the_package(scratch: Path) -> None:
    retry = next(e for e in SPEC.errors if e.retry_after)
    (scratch / "usage.ts").write_text(
        f"""import {{ ErrorCode, ApiError, errorInfo, raiseForEnvelope }} from {json.dumps(NPM_NAME)};
import type {{ HttpEnvelope }} from {json.dumps(NPM_NAME)};

export function handle(body: HttpEnvelope<{{ price: string }}>, headers: Headers): string {{
  try {{
    return raiseForEnvelope(body, headers).price;
  }} catch (e) {{
    if (e instanceof ApiError && e.code === ErrorCode.{retry.name}) return String(e.retryAfter);
    throw e;
  }}
}}
export const info = errorInfo({unknown_code(SPEC)});
""",
        encoding="utf-8",
    )
    (scratch / "tsconfig.json").write_text(
        json.dumps(
            {
                "compilerOptions": {
                    "strict": True,
                    "noEmit": True,
                    "target": "es2022",
                    "lib": ["es2022", "dom"],
                    "module": "nodenext",
                    "moduleResolution": "nodenext",
                    "types": [],
                },
                "files": ["usage.ts"],
            }
        ),
        encoding="utf-8",
    )
    ok(run([tool("tsc"), "-p", "tsconfig.json"], cwd=scratch))


def test_are_the_types_wrong_passes(tarball: Path) -> None:
    proc = run([tool("attw"), str(tarball), "--profile", "esm-only", "--format", "ascii"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("out", TREES)
def test_eslint_recommended_passes_on_the_module(out: Path) -> None:
    proc = run(  # from the module's folder: eslint ignores files outside its working directory
        [tool("eslint"), "--config", JS_TESTS / "eslint.config.mjs", "--max-warnings", "0"]
        + ["errors.js"],
        cwd=out / "js",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("out", TREES)
def test_eslint_recommended_passes_on_the_snippets(out: Path) -> None:
    snippets = sorted(p.name for p in (out / "snippets").glob("*.js"))
    assert snippets
    proc = run(
        [tool("eslint"), "--config", JS_TESTS / "eslint.config.mjs", "--max-warnings", "0"]
        + snippets,
        cwd=out / "snippets",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- the OpenAPI document ---------------------------------------------------------------------


@pytest.mark.live  # the frozen surface predates the descriptions spectral:oas asks for
def test_spectral_oas_finds_nothing() -> None:
    proc = run(
        [tool("spectral"), "lint", "--ruleset", ".spectral.yaml", "--format", "json"]
        + ["--fail-severity", "hint", "--quiet", LIVE_OUT / "openapi.yaml"]
    )
    results = json.loads(proc.stdout or "[]")
    assert results == [] and proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("out", TREES)
def test_redocly_recommended_finds_nothing(out: Path) -> None:
    proc = run(
        [tool("redocly"), "lint", "--config", "redocly.yaml", "--format", "json"]
        + [out / "openapi.yaml"]
    )
    report = json.loads(proc.stdout)
    assert report["totals"] == {"errors": 0, "warnings": 0, "ignored": 0}, report["problems"]
    assert proc.returncode == 0


def test_openapi_typescript_types_accept_every_published_body(tmp_path: Path) -> None:
    ok(run([tool("openapi-typescript"), GENERATED / "openapi.yaml", "-o", tmp_path / "api.ts"]))
    bodies = [(envelope_kind(SPEC, body), body) for body in published_examples()]
    error = next(e for e in SPEC.errors if not e.websocket_only)
    bodies += [
        ("ErrorEnvelope", {"code": error.code, "message": error.message, "data": None}),
        ("ErrorEnvelope", {"code": unknown_code(SPEC), "message": "new"}),
        ("WebSocketEnvelope", {"cmd": "ping", "code": unknown_code(SPEC), "message": "new"}),
        ("SuccessEnvelope", {"code": 0, "message": "success", "data": None}),
    ]
    ticker = '"/v1/market/ticker/{symbol}"'
    lines = [
        'import type { components, paths } from "./api.js";',
        'type S = components["schemas"];',
        f'type Ticker = paths[{ticker}]["get"]["responses"][200]["content"]["application/json"];',
        'export const ticker: Ticker = { code: 0, message: "success", data: '
        '{ symbol: "BTCUSDT", price: "43250.50", timestamp: 1767225600000 } };',
    ]
    lines += [
        f"export const body{i}: S[{json.dumps(kind)}] = {json.dumps(body, ensure_ascii=False)};"
        for i, (kind, body) in enumerate(bodies)
    ]
    (tmp_path / "bodies.ts").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "tsconfig.json").write_text(
        json.dumps(
            {
                "compilerOptions": {
                    "strict": True,
                    "noEmit": True,
                    "target": "es2022",
                    "module": "nodenext",
                    "moduleResolution": "nodenext",
                    "types": [],
                    "exactOptionalPropertyTypes": True,
                },
                "files": ["bodies.ts"],
            }
        ),
        encoding="utf-8",
    )
    ok(run([tool("tsc"), "-p", "tsconfig.json"], cwd=tmp_path))
