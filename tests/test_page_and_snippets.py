"""The published page regenerates identically; the snippets behave as the spec says."""

from __future__ import annotations

import yaml

import contextlib
import io
import json
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from conftest import FROZEN, GENERATED, ROOT, dump_spec, load_frozen_data
from generator.diagnostics import SpecError
from generator.model import Spec
from generator.pipeline import render_all
from generator.spec import load_spec, parse_and_validate
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
    rendered = render_all(spec, lambda _: None, targets=page_targets)
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
    assert 'codes[9].notes (code 3001) has no "en" text' in str(info.value)


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


# What each example response must do, derived from the handler section of the spec.
def expected_outcome(
    body: dict[str, Any], headers: dict[str, str], symbol: str, lang: str
) -> tuple[str, str]:
    if body["code"] == 0:
        return "returned", json.dumps(body["data"], sort_keys=True)
    for case in SPEC.handler.cases:
        if body["code"] in case.codes:
            values = {
                "symbol": symbol,
                "retry_after": headers.get(SPEC.retry_after_header, str(case.default_delay)),
            }
            text = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], case.message[lang])
            return ("logged" if case.action == "retry" else "threw"), text
    return "threw", body["message"]


def calls() -> list[tuple[dict[str, Any], dict[str, str]]]:
    out = [(dict(e.example), {}) for e in SPEC.codes]
    out.append((dict(SPEC.entry(3001).example), {SPEC.retry_after_header: "17"}))
    return out


def snippet_file(lang: str, ext: str) -> Path:
    return GENERATED / "snippets" / f"handle_error.{lang}.{ext}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_js_snippet_behaves_as_documented(lang: str) -> None:
    request = {
        "file": str(snippet_file(lang, "js")),
        "function": "fetchTicker",
        "calls": [
            {"args": ["BTC|USD"], "body": body, "headers": headers} for body, headers in calls()
        ],
    }
    proc = subprocess.run(
        ["node", str(ROOT / "tests" / "js" / "run_snippet.mjs")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
    )
    results = json.loads(proc.stdout)
    for (body, headers), result in zip(calls(), results, strict=True):
        kind, text = expected_outcome(body, headers, "BTC|USD", lang)
        assert result["requested"] == [
            {"url": "/v1/market/ticker/BTC|USD", "headers": {"X-API-Key": "test-key"}}
        ]
        if kind == "returned":
            assert json.dumps(result["returned"], sort_keys=True) == text
        elif kind == "threw":
            assert result["threw"] == text, body
        else:
            assert (
                result["logs"] == [text]
                and result["threw"] is None
                and result["returned"] == "<undefined>"
            )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_python_snippet_behaves_as_documented(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    requested: list[tuple[str, dict[str, str]]] = []
    fake = types.ModuleType("requests")
    monkeypatch.setitem(sys.modules, "requests", fake)
    namespace: dict[str, Any] = {}
    exec(
        compile(snippet_file(lang, "py").read_text(encoding="utf-8"), "snippet", "exec"), namespace
    )
    for body, headers in calls():
        response = types.SimpleNamespace(json=lambda body=body: body, headers=dict(headers))
        fake.get = lambda url, headers, response=response: requested.append((url, headers)) or response  # type: ignore[attr-defined]
        kind, text = expected_outcome(body, headers, "BTC|USD", lang)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            if kind == "returned":
                assert json.dumps(namespace["fetch_ticker"]("BTC|USD", "k"), sort_keys=True) == text
            elif kind == "threw":
                with pytest.raises(Exception) as info:
                    namespace["fetch_ticker"]("BTC|USD", "k")
                assert str(info.value) == text
            else:
                # The published snippet logs, then reads data['data'], which a 3001 body lacks.
                with pytest.raises(KeyError, match="data"):
                    namespace["fetch_ticker"]("BTC|USD", "k")
        assert out.getvalue() == (text + "\n" if kind == "logged" else "")
        assert requested.pop() == ("/v1/market/ticker/BTC|USD", {"X-API-Key": "k"})
