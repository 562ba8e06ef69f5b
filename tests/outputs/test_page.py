"""The pages as the renderer writes them, on the frozen registry: the zh page reproduces the
published page, the en page has its shape, a missing translation is refused, a new code
appears without template changes, shared sections share their doc_url. (The live registry's
pages and snippets: tests/registry/.)"""

from __future__ import annotations

import re

import pytest

from generator.diagnostics import SpecError
from support import (
    FROZEN,
    PUBLISHED_PAGE as PUBLISHED,
    code_entry,
    frozen_data,
    load_spec,
    render_all,
    spec_of_data,
    targets_of,
)

FROZEN_SPEC = load_spec(FROZEN / "errors.yaml")
CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


def strip_line_ends(text: str) -> str:
    return "\n".join(line.rstrip(" ") for line in text.split("\n"))


def frozen_pages() -> dict[str, str]:
    """The pages of the frozen published registry, rendered with today's templates."""
    spec = FROZEN_SPEC
    rendered = render_all(spec, targets=targets_of(spec, "docs/"))
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


def test_every_page_comes_from_one_template() -> None:
    pages = targets_of(FROZEN_SPEC, "docs/errors.")
    assert {t.template for t in pages} == {"docs/errors.md.jinja"}
    assert sorted(t.context["lang"] for t in pages) == sorted(FROZEN_SPEC.locales)


def test_missing_translation_fails_naming_the_field() -> None:
    data = frozen_data()
    del next(c for c in data["codes"] if c["code"] == 3001)["notes"]["en"]
    with pytest.raises(SpecError) as info:
        spec_of_data(data, "errors.yaml")
    (problem,) = info.value.diagnostics
    assert (
        problem.message.startswith("en has ")
        and "missing: codes[9] (3001).notes" in problem.message
    )
    assert "set `fallback:`" in problem.hint


def test_new_code_appears_in_table_and_details_without_template_changes() -> None:
    data = frozen_data()
    data["codes"].append(
        code_entry(
            3005,
            name="BURST_LIMIT_EXCEEDED",
            category="rate_limit",
            message="Burst limit exceeded",
            http_status=429,
            retryable=True,
            meaning={"zh": "突发请求超限", "en": "Burst limit exceeded"},
            suggestion={"zh": "平滑请求", "en": "Smooth out your requests"},
            solution={"zh": "降低突发请求量。", "en": "Send fewer requests at once."},
        )
    )
    spec = spec_of_data(data, "e.yaml")
    zh = render_all(spec, targets=targets_of(spec, "docs/"))["docs/errors.zh.md"]
    assert (
        "| 3004 | 订阅数超限 | 取消部分订阅 |\n| 3005 | 突发请求超限 | 平滑请求 |\n| 4001 |" in zh
    )
    rate_limit = zh.split("### 限流错误 (3xxx)")[1].split("### WebSocket 错误")[0]
    assert '#### 3005 - 突发请求超限\n\n```json\n{\n  "code": 3005,' in rate_limit
    assert rate_limit.index("#### 3004") < rate_limit.index("#### 3005")


def test_shared_sections_share_a_doc_url_and_anchors_follow_github() -> None:
    spec = FROZEN_SPEC
    assert spec.entry(4004).doc_url == spec.entry(4003).doc_url
    assert spec.entry(4004).doc_url.endswith("#4003--4004---subscriptions-temporarily-unavailable")
    assert spec.entry(1001).doc_url.endswith("#1001---api-key-is-invalid-or-expired")


# --- the handler snippets, run as written against a local HTTP server ---------------------------
