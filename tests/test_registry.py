"""Invariants of the real registry: whatever codes spec/errors.yaml holds, every code reaches
every output it belongs in, and every example is a valid envelope.

Expectations come from the spec itself (generator.spec.load_spec, the model) and the outputs
are read back by the tools that consume them (a Markdown block parser, the generated Python
package, node, tsc, jsonschema, openapi-spec-validator); nothing here re-implements a
template. A docs-team edit (add, reword or retire a code) keeps these green.

ERRSPEC_PROJECT=DIR runs them on another project (DIR/spec, DIR/generated), as
tests/test_docs_team_scenario.py does on a scratch copy.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate

import markdown_blocks
from conftest import ROOT, run_errspec
from generator.model import ErrorEntry
from generator.render import environment
from stages import load_spec
from stages import load_surface

PROJECT = Path(os.environ.get("ERRSPEC_PROJECT", ROOT)).resolve()
OUT = PROJECT / "generated"
SPEC_PATH = PROJECT / "spec" / "errors.yaml"
SPEC = load_spec(SPEC_PATH)
SURFACE = load_surface(PROJECT / "spec" / "openapi.yaml", "spec/openapi.yaml", SPEC)
OPENAPI = yaml.safe_load((OUT / "openapi.yaml").read_text(encoding="utf-8"))
JS_TESTS = ROOT / "tests" / "js"
ENTRIES = [pytest.param(e, id=str(e.code)) for e in SPEC.codes]


def test_the_project_validates_and_check_is_in_sync() -> None:
    validated = run_errspec("validate", "--spec", str(SPEC_PATH), cwd=PROJECT)
    assert validated.code == 0, validated.err
    assert f"valid ({len(SPEC.codes)} codes, {len(SPEC.categories)} categories)" in validated.out
    checked = run_errspec("check", cwd=PROJECT)
    assert checked.code == 0, checked.out + checked.err


# --- pages ----------------------------------------------------------------------------------


def page_blocks(lang: str) -> list[markdown_blocks.Block]:
    return markdown_blocks.parse((OUT / "docs" / f"errors.{lang}.md").read_text(encoding="utf-8"))


def table_after(blocks: list[markdown_blocks.Block], heading: str) -> list[list[str]]:
    """The rows of the first table after the heading `heading`."""
    at = blocks.index(next(b for b in blocks if b[0] == "heading" and b[2] == heading))
    return next(b for b in blocks[at:] if b[0] == "table")[2]


@pytest.mark.parametrize("lang", SPEC.locales)
def test_every_code_is_in_the_quick_reference(lang: str) -> None:
    rows = table_after(page_blocks(lang), SPEC.page.labels["quick_reference"][lang])
    assert [row[0] for row in rows] == [str(e.code) for e in SPEC.codes]


@pytest.mark.parametrize("lang", SPEC.locales)
def test_every_detailed_code_has_its_section_and_example(lang: str) -> None:
    blocks = page_blocks(lang)
    start = blocks.index(("heading", 2, SPEC.page.labels["details"][lang]))
    end = next(i for i, b in enumerate(blocks) if i > start and b[:2] == ("heading", 2))
    blocks = blocks[start:end]
    headings = [b[2] for b in blocks if b[0] == "heading" and b[1] == 4]
    examples = [json.loads(b[2]) for b in blocks if b[0] == "code" and b[1] == "json"]
    sections = [s for c in SPEC.categories if c.details for s in SPEC.sections(c)]
    assert headings == [s.heading(lang) for s in sections]
    for section in sections:
        assert str(section.lead.code) in section.heading(lang)
        assert dict(section.lead.example) in examples, section.lead.code
    detailed = {e.code for s in sections for e in s.entries}
    assert detailed == {e.code for e in SPEC.codes if e.category.details}


@pytest.mark.parametrize("lang", SPEC.locales)
def test_retired_codes_are_listed_and_nowhere_else(lang: str) -> None:
    blocks = page_blocks(lang)
    headings = [b[2] for b in blocks if b[0] == "heading"]
    retired_heading = SPEC.page.labels["retired"][lang]
    if not SPEC.retired:
        assert retired_heading not in headings
        return
    rows = table_after(blocks, retired_heading)
    assert [(row[0].split()[0], row[1]) for row in rows] == [
        (str(r.code), r.since) for r in SPEC.retired
    ]
    for row, retired in zip(rows, SPEC.retired):
        assert retired.name in row[0] and retired.reason[lang] in row[2]
    for retired in SPEC.retired:
        assert not any(h.startswith(f"{retired.code} ") for h in headings)


# --- Python SDK -----------------------------------------------------------------------------


def python_sdk() -> dict[str, ModuleType]:
    """generated/python of the project, imported as a package of its own (writing no
    __pycache__/ into the project's generated/)."""
    name = "errspec_registry_sdk"
    writes, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        if name not in sys.modules:
            found = importlib.util.spec_from_file_location(
                name,
                OUT / "python" / "__init__.py",
                submodule_search_locations=[str(OUT / "python")],
            )
            assert found is not None and found.loader is not None
            package = importlib.util.module_from_spec(found)
            sys.modules[name] = package
            found.loader.exec_module(package)
        return {
            m: importlib.import_module(f"{name}.{m}")
            for m in ("error_codes", "exceptions", "models")
        }
    finally:
        sys.dont_write_bytecode = writes


def test_the_python_enum_has_every_code_with_its_metadata() -> None:
    error_codes = python_sdk()["error_codes"]
    members = {m.name: m for m in error_codes.ErrorCode}
    live = [name for name, m in members.items() if not m.deprecated]
    assert live == [e.name for e in SPEC.codes]
    # Retired codes stay as deprecated members, so consumer code that names them compiles.
    assert {members[r.name].value for r in SPEC.retired if r.name in members} <= {
        r.code for r in SPEC.retired
    }
    assert [m.name for m in members.values() if m.deprecated] == sorted(
        (r.name for r in SPEC.retired), key=lambda n: {r.name: r.code for r in SPEC.retired}[n]
    )
    for entry in SPEC.codes:
        member = members[entry.name]
        assert (
            member.value,
            member.message,
            member.category,
            member.http_status,
            tuple(member.transports),
            member.retryable,
            member.retry_after,
            member.doc_url,
        ) == (
            entry.code,
            entry.message,
            entry.category.id,
            entry.http_status,
            entry.transports,
            entry.retryable,
            entry.retry_after,
            entry.doc_url,
        )
    assert error_codes.RETIRED_CODES == {r.code: r.name for r in SPEC.retired}


@pytest.mark.parametrize("entry", ENTRIES)
def test_python_raises_the_category_exception_for_every_example(entry: ErrorEntry) -> None:
    exceptions = python_sdk()["exceptions"]
    body = dict(entry.example)
    if entry.code == 0:
        assert exceptions.raise_for_envelope(body) == body.get("data")
        return
    with pytest.raises(exceptions.ApiError) as info:
        exceptions.raise_for_envelope(body)
    assert type(info.value).__name__ == entry.category.exception
    assert (info.value.code, info.value.message) == (entry.code, body["message"])
    assert (info.value.http_status, info.value.doc_url) == (entry.http_status, entry.doc_url)


@pytest.mark.parametrize("retired", [pytest.param(r, id=str(r.code)) for r in SPEC.retired])
def test_a_retired_code_is_unknown_to_the_python_sdk(retired: Any) -> None:
    exceptions = python_sdk()["exceptions"]
    with pytest.raises(exceptions.ApiError) as info:
        exceptions.raise_for_envelope({"code": retired.code, "message": "old"})
    assert type(info.value) is exceptions.ApiError and info.value.http_status is None


# --- OpenAPI --------------------------------------------------------------------------------


def test_the_openapi_document_is_valid_and_enumerates_every_code() -> None:
    validate(OPENAPI)
    error_code = OPENAPI["components"]["schemas"]["ErrorCode"]
    assert error_code["enum"] == [e.code for e in SPEC.codes]
    assert error_code["x-enum-varnames"] == [e.name for e in SPEC.codes]


@pytest.mark.parametrize(
    "operation", [pytest.param(o, id=f"{o.method} {o.path}") for o in SURFACE.operations]
)
def test_every_operation_responds_with_its_codes_examples(operation: Any) -> None:
    responses = OPENAPI["paths"][operation.path][operation.method]["responses"]
    listed = [SPEC.entry(c) for c in operation.codes if SPEC.entry(c).http_status]
    statuses = {str(e.http_status) for e in listed}
    generated = {s for s, r in responses.items() if "ErrorEnvelope" in json.dumps(r)}
    assert generated == statuses
    for status in statuses:
        response = responses[status]
        examples = response["content"]["application/json"]["examples"]
        here = [e for e in listed if str(e.http_status) == status]
        assert [x["value"] for x in examples.values()] == [dict(e.example) for e in here]
        assert ("Retry-After" in response.get("headers", {})) == any(e.retry_after for e in here)


@pytest.mark.parametrize("entry", ENTRIES)
def test_every_example_validates_against_its_envelope(entry: ErrorEntry) -> None:
    schema = "WebSocketEnvelope" if entry.websocket_only else "ErrorEnvelope"
    if entry.code == 0:
        schema = "SuccessEnvelope"
    root = {"$ref": f"#/components/schemas/{schema}", "components": OPENAPI["components"]}
    jsonschema.validate(dict(entry.example), root)
    getattr(python_sdk()["models"], schema).model_validate(dict(entry.example))
    assert entry.example["code"] == entry.code
    fields = SPEC.envelope_for(entry).names
    assert set(entry.example) <= set(fields)


# --- JavaScript SDK and its types -----------------------------------------------------------


def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.fail("node is not on PATH; install Node 20 (CI does: .ci/run)")
    return found


def test_the_js_module_has_every_code_with_its_metadata() -> None:
    proc = subprocess.run(
        [node(), str(JS_TESTS / "registry_probe.mjs"), (OUT / "js" / "errors.js").as_uri()],
        capture_output=True,
        text=True,
        check=True,
    )
    probe = json.loads(proc.stdout)
    assert list(probe["errors"]) == [str(e.code) for e in SPEC.codes]
    for entry in SPEC.codes:
        info = probe["errors"][str(entry.code)]
        assert info == {
            "name": entry.name,
            "code": entry.code,
            "message": entry.message,
            "category": entry.category.id,
            "httpStatus": entry.http_status,
            "transports": list(entry.transports),
            "retryable": entry.retryable,
            "retryAfter": entry.retry_after,
            "docUrl": entry.doc_url,
        }
        assert probe["classes"][str(entry.code)] == entry.category.exception
    assert probe["retired"] == {str(r.code): r.name for r in SPEC.retired}


def subclasses() -> list[dict[str, Any]]:
    """The categories with an exception class of their own, and their codes."""
    out = []
    for category in SPEC.categories:
        codes = [e.code for e in SPEC.in_category(category)]
        if codes and category.exception != "ApiError":
            out.append({"id": category.id, "exception": category.exception, "codes": codes})
    return out


def test_the_type_declarations_know_every_code(tmp_path: Path) -> None:
    """A usage file rendered from the spec's codes type-checks against errors.d.ts; retired
    and unknown codes are type errors (each marked @ts-expect-error, so tsc fails if not)."""
    taken = {e.code for e in SPEC.codes} | {r.code for r in SPEC.retired}
    usage = environment().from_string((JS_TESTS / "registry_usage.ts.jinja").read_text("utf-8"))
    (tmp_path / "usage.ts").write_text(
        usage.render(
            spec=SPEC,
            classes=subclasses(),
            module=(OUT / "js" / "errors.js").as_posix(),
            unknown=max(taken) + 1,
        ),
        encoding="utf-8",
    )
    config = json.loads((JS_TESTS / "tsconfig.json").read_text(encoding="utf-8"))
    config["files"] = ["usage.ts"]
    (tmp_path / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    (tmp_path / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    tsc = ROOT / "node_modules" / ".bin" / "tsc"
    proc = subprocess.run(
        [str(tsc), "-p", str(tmp_path / "tsconfig.json"), "--noEmit"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
