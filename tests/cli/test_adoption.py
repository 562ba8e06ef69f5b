"""A second API team's registry: optional parts absent, not faked; chosen output groups; the
project's own templates, sandboxed, checked, cached by their bytes; one fixed header text."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from generator.reference import reference, undocumented
from support import ROOT, dump_spec, import_package, run_errspec, tree_bytes, yaml_load


def http_only(**changes: Any) -> dict[str, Any]:
    """A small HTTP-only registry: no WebSocket parts, no handler, no page prose, one locale."""
    data: dict[str, Any] = {
        "version": 1,
        "locales": ["en"],
        "release": "0.1.0",
        "packages": {"python": "acme_errors", "npm": "@acme/errors"},
        "page": {
            "url": {"en": "https://docs.acme.test/errors"},
            "doc_url_locale": "en",
            "title": {"en": "Acme API errors"},
            "colon": {"en": ": "},
            "labels": {
                key: {"en": key.replace("_", " ").capitalize()}
                for key in (
                    "response_format quick_reference column_code column_meaning"
                    " column_suggestion details causes solution examples retired"
                    " retired_since reason"
                ).split()
            },
        },
        "envelopes": {
            "http": {
                "title": {"en": "HTTP API"},
                "fields": [
                    {
                        "name": "code",
                        "type": "integer",
                        "required": True,
                        "example": 0,
                        "description": {"en": "Error code"},
                    },
                    {
                        "name": "message",
                        "type": "string",
                        "required": True,
                        "example": "ok",
                        "description": {"en": "Message"},
                    },
                ],
            }
        },
        "http": {"api_key_header": "X-API-Key", "retry_after_header": "Retry-After"},
        "categories": [
            {
                "id": "success",
                "range": [0, 0],
                "label": "0",
                "details": False,
                "exception": "ApiError",
                "title": {"en": "Success"},
            },
            {
                "id": "client",
                "range": [1000, 1999],
                "label": "1xxx",
                "exception": "ClientError",
                "title": {"en": "Client errors"},
            },
        ],
        "codes": [
            {
                "code": 0,
                "name": "OK",
                "category": "success",
                "message": "ok",
                "http_status": 200,
                "transports": ["http"],
                "meaning": {"en": "Success"},
                "example": {"code": 0, "message": "ok"},
            },
            {
                "code": 1001,
                "name": "BAD_KEY",
                "category": "client",
                "message": "Bad key",
                "http_status": 401,
                "transports": ["http"],
                "meaning": {"en": "The key is wrong"},
                "example": {"code": 1001, "message": "Bad key"},
            },
        ],
    }
    data.update(changes)
    return data


def _project(tmp_path: Path, **changes: Any) -> Path:
    root = tmp_path / "acme"
    dump_spec(http_only(**changes), root / "spec" / "errors.yaml")
    return root


def test_an_http_only_registry_without_surface_handler_or_prose(tmp_path: Path) -> None:
    root = _project(tmp_path)
    validated = run_errspec("validate", cwd=root)
    assert validated.code == 0, validated.err
    assert validated.err.count("note:") == 1 and "warning" not in validated.err
    assert run_errspec("generate", cwd=root).code == 0
    files = tree_bytes(root / "generated")
    assert not any(p.startswith("snippets/") for p in files)  # no handler, no snippets
    text = "\n".join(data.decode("utf-8") for data in files.values())
    assert not re.search(r"(?i)websocket|\bcmd\b", text)
    page = files["docs/errors.en.md"].decode("utf-8")
    assert "\n\n\n" not in page and "description:" not in page
    assert "## Examples" not in page and "### HTTP API" in page
    openapi = yaml_load(files["openapi.yaml"].decode("utf-8"))
    assert openapi["paths"] == {} and "WebSocketEnvelope" not in openapi["components"]["schemas"]
    sdk = import_package(root / "generated" / "python", "acme_errors")
    assert sdk["error_codes"].ErrorCode.BAD_KEY.transports == ("http",)
    assert run_errspec("check", cwd=root).code == 0


def test_an_http_only_registry_may_leave_the_transports_out(tmp_path: Path) -> None:
    """Without WebSocket parts a code is carried over HTTP: writing it changes no output."""
    written = _project(tmp_path / "written")
    data = http_only()
    for raw in data["codes"]:
        del raw["transports"]
    implied = tmp_path / "implied"
    dump_spec(data, implied / "spec" / "errors.yaml")
    for root in (written, implied):
        result = run_errspec("generate", cwd=root)
        assert result.code == 0, result.err
    assert tree_bytes(implied / "generated") == tree_bytes(written / "generated")
    assert run_errspec("check", cwd=implied).code == 0


def test_websocket_codes_need_the_websocket_parts(tmp_path: Path) -> None:
    data = http_only()
    data["codes"][1]["transports"] = ["http", "websocket"]
    root = tmp_path / "acme"
    dump_spec(data, root / "spec" / "errors.yaml")
    result = run_errspec("validate", cwd=root)
    assert result.code == 2
    assert "code 1001 is sent over websocket, but the API has no WebSocket parts" in result.err


def test_only_the_selected_output_groups_are_written_and_judged(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert run_errspec("generate", cwd=root).code == 0
    dump_spec(http_only(outputs=["docs", "python"]), root / "spec" / "errors.yaml")
    result = run_errspec("generate", cwd=root)
    assert result.code == 0, result.err
    assert "removed generated/js/errors.js" in result.out  # errspec's, unchanged: its to remove
    groups = {path.split("/")[0] for path in tree_bytes(root / "generated")}
    assert groups == {".errspec-output", "docs", "python"}
    assert run_errspec("check", cwd=root).code == 0
    (root / "generated" / "js").mkdir()
    (root / "generated" / "js" / "errors.js").write_text("// stale\n", encoding="utf-8")
    result = run_errspec("check", cwd=root)
    assert (
        result.code == 1 and "generated/js/errors.js: is not produced by any target" in result.out
    )


def test_a_selected_sdk_needs_its_package_name(tmp_path: Path) -> None:
    root = _project(tmp_path, packages={"python": "acme_errors"})
    result = run_errspec("validate", cwd=root)
    assert result.code == 2 and "the js output needs packages.npm" in result.err
    dump_spec(
        http_only(packages={"python": "acme_errors"}, outputs=["python"]),
        root / "spec" / "errors.yaml",
    )
    assert run_errspec("validate", cwd=root).code == 0


def _override(root: Path, rel: str, text: str, folder: str = "templates") -> Path:
    path = root / folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


PAGE = "{% for e in spec.codes %}\n{{ e.code }}: {{ e.meaning[lang] }}\n{% endfor %}\n"


def test_a_project_template_overrides_errspecs_and_check_renders_with_it(tmp_path: Path) -> None:
    root = _project(tmp_path, templates="templates")
    override = _override(root, "docs/errors.md.jinja", PAGE)
    env = {"ERRSPEC_CACHE": str(tmp_path / "cache")}
    assert run_errspec("generate", cwd=root, env=env).code == 0
    page = (root / "generated" / "docs" / "errors.en.md").read_text(encoding="utf-8")
    assert page == "0: Success\n1001: The key is wrong\n"
    assert run_errspec("check", cwd=root, env=env).code == 0  # a cache hit
    override.write_text(PAGE.replace(": ", " = "), encoding="utf-8")
    result = run_errspec("check", cwd=root, env=env)  # not regenerated: drift, cache or not
    assert result.code == 1 and "generated/docs/errors.en.md: differs" in result.out
    assert run_errspec("generate", cwd=root, env=env).code == 0
    assert run_errspec("check", cwd=root, env=env).code == 0


def test_the_command_line_folder_wins_over_the_spec(tmp_path: Path) -> None:
    root = _project(tmp_path, templates="templates")
    _override(root, "docs/errors.md.jinja", PAGE)
    _override(root, "docs/errors.md.jinja", "only {{ spec.codes | length }}\n", folder="other")
    assert run_errspec("generate", "--templates", str(root / "other"), cwd=root).code == 0
    assert (root / "generated" / "docs" / "errors.en.md").read_text(encoding="utf-8") == "only 2\n"


@pytest.mark.parametrize(
    "rel, why",
    [
        ("docs/errors.mdx.jinja", "overrides no template of errspec's"),
        ("cli/explain.txt.jinja", "is errspec's own and cannot be overridden"),
        ("marker.jinja", "is errspec's own and cannot be overridden"),
    ],
)
def test_an_override_of_nothing_or_of_errspecs_own_is_refused(
    tmp_path: Path, rel: str, why: str
) -> None:
    root = _project(tmp_path, templates="templates")
    _override(root, rel, "x\n")
    result = run_errspec("generate", cwd=root)
    assert result.code == 2 and why in result.err
    assert not (root / "generated").exists()


def test_a_template_that_is_a_link_is_refused(tmp_path: Path) -> None:
    """A pull request's link could put any file of the CI machine into the outputs."""
    root = _project(tmp_path, templates="templates")
    (root / "templates" / "docs").mkdir(parents=True)
    os.symlink("/etc/hostname", root / "templates" / "docs" / "errors.md.jinja")
    result = run_errspec("generate", cwd=root)
    assert result.code == 2 and "a template is a symbolic link" in result.err


@pytest.mark.parametrize(
    "expression",
    [
        "cycler.__init__.__globals__.os.system('touch PWNED')",
        "spec.__class__.__mro__",
        "spec.codes.__class__.__subclasses__()",
        "joiner.__init__.__globals__",
        "spec.page.labels.update(x=1)",
        "lipsum.__globals__['os']",
        "(spec.codes | list).append(1)",
    ],
)
def test_a_template_cannot_reach_out_of_its_sandbox(tmp_path: Path, expression: str) -> None:
    root = _project(tmp_path, templates="templates")
    _override(root, "docs/errors.md.jinja", "before\n{{ " + expression + " }}\n")
    result = run_errspec("generate", cwd=root)
    assert result.code == 2, result
    assert "templates/docs/errors.md.jinja:2:1:" in result.err
    assert (
        "reaches what templates may not use" in result.err or "context does not have" in result.err
    )
    assert not (root / "PWNED").exists() and not (root / "generated").exists()


def test_a_template_reading_an_unknown_field_fails_at_its_file_and_line(tmp_path: Path) -> None:
    root = _project(tmp_path, templates="templates")
    _override(root, "docs/errors.md.jinja", "a\nb\n{{ spec.codes[0].mesage }}\n")
    result = run_errspec("validate", cwd=root)
    assert result.code == 2
    assert (
        "templates/docs/errors.md.jinja:3:1: the template reads something the template"
        in result.err
    )
    assert "'mesage'" in result.err and "docs/template-context.md" in result.err


def test_a_template_syntax_error_is_located(tmp_path: Path) -> None:
    root = _project(tmp_path, templates="templates")
    _override(root, "docs/errors.md.jinja", "ok\n{% for x in %}\n")
    result = run_errspec("validate", cwd=root)
    assert (
        result.code == 2
        and "templates/docs/errors.md.jinja:2:1: the template is not valid" in result.err
    )


def test_every_header_says_run_errspec_generate_wherever_it_runs(tmp_path: Path) -> None:
    root = _project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert (
        run_errspec(
            "generate", "--project", str(root), "--out", str(tmp_path / "o"), cwd=elsewhere
        ).code
        == 0
    )
    for rel, data in tree_bytes(tmp_path / "o").items():
        first = data.decode("utf-8").splitlines()[0] if data else ""
        if "generated by errspec" in first:
            assert first.endswith("do not edit; run `errspec generate`"), rel
            assert "make" not in first


def test_the_template_context_reference_is_complete_and_current() -> None:
    assert undocumented() == []
    assert (ROOT / "docs" / "template-context.md").read_text(encoding="utf-8") == reference()
