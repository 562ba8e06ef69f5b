"""`errspec explain` as a person uses it: by code or name, in every locale of the spec, with the
page of that locale; and the CLI's --version and help texts. On the live registry every
expectation comes from its spec; the rest runs on the frozen registry."""

from __future__ import annotations

import argparse
import re
import unicodedata
from pathlib import Path

import pytest

from generator import __version__
from generator.cli import _parser
from generator.words import BUILT_IN

PHRASES = {lang: words["words"] for lang, words in BUILT_IN.items()}
from support import (
    FROZEN,
    LIVE,
    LIVE_SPEC,
    dump_spec,
    frozen_data,
    load_spec,
    retired_entry,
    run_errspec,
)

REAL = load_spec(LIVE_SPEC)
FROZEN_SPEC = load_spec(FROZEN / "errors.yaml")
ON_FROZEN = ("--spec", str(FROZEN / "errors.yaml"))


@pytest.mark.live
@pytest.mark.parametrize("lang", REAL.locales)
def test_explain_by_name_equals_explain_by_code(lang: str) -> None:
    for entry in REAL.codes:
        by_code = run_errspec("explain", str(entry.code), "--lang", lang, cwd=LIVE)
        by_name = run_errspec("explain", entry.name.lower(), "--lang", lang, cwd=LIVE)
        assert by_code.code == by_name.code == 0, by_code.err + by_name.err
        assert by_code.out == by_name.out
        assert by_code.out.startswith(f"{entry.code} {entry.name} — {entry.meaning[lang]}\n")


@pytest.mark.live
@pytest.mark.parametrize("lang", REAL.locales)
def test_explain_links_the_page_of_its_locale(lang: str) -> None:
    for entry in REAL.codes:
        out = run_errspec("explain", str(entry.code), "--lang", lang, cwd=LIVE).out
        url = out.rstrip("\n").splitlines()[-1]
        assert url.startswith(REAL.page.url[lang]), url
        if lang == REAL.page.doc_url_locale:
            assert url == entry.doc_url


def test_zh_output_has_no_english_labels() -> None:
    entry = next(e for e in FROZEN_SPEC.codes if e.retry_after)
    out = run_errspec("explain", str(entry.code), "--lang", "zh", *ON_FROZEN).out
    for key, word in PHRASES["en"].items():
        if key != "after_header":
            assert not re.search(rf"(?m)^  {re.escape(word)}\b", out), word
    assert "retryable" not in out and "after the" not in out
    assert PHRASES["zh"]["retryable"] in out
    assert FROZEN_SPEC.page.labels["solution"]["zh"] in out


def test_zh_labels_line_up_on_screen() -> None:
    out = run_errspec("explain", "3001", "--lang", "zh", *ON_FROZEN).out
    lines = [line for line in out.splitlines()[2:7]]

    def columns(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    starts = {
        columns(line[: line.index(value)])
        for line, value in zip(lines, ["Rate", "rate_limit", "429", "http", "是"])
    }
    assert len(starts) == 1, lines


def test_retired_code_in_chinese(tmp_path: Path) -> None:
    data = frozen_data()
    data["codes"] = [raw for raw in data["codes"] if raw["code"] != 2003]
    data["retired"] = [
        retired_entry(
            2003, "INVALID_TIME_RANGE", reason={"zh": "已合并", "en": "Merged"}, since="v2"
        )
    ]
    spec = dump_spec(data, tmp_path / "errors.yaml")
    result = run_errspec("explain", "INVALID_TIME_RANGE", "--lang", "zh", "--spec", str(spec))
    assert result.code == 0, result.err
    assert (
        result.out.splitlines()[0]
        == f"2003 INVALID_TIME_RANGE — {PHRASES['zh']['retired_since']} v2"
    )
    assert PHRASES["zh"]["never_reused"] in result.out


def test_unknown_code_suggests_its_category_first() -> None:
    # 1999 is in the authentication range: its codes come first, though 2001 is nearer.
    home = [e for e in FROZEN_SPEC.codes if e.category.low <= 1999 <= e.category.high]
    expected = sorted(home, key=lambda e: abs(e.code - 1999))[:3]
    result = run_errspec("explain", "1999", *ON_FROZEN)
    assert result.code == 2
    assert result.err == (
        f"errspec: unknown error code 1999; nearest: {', '.join(str(e.code) for e in expected)}\n"
    )


def test_unknown_name_suggests_close_names() -> None:
    result = run_errspec("explain", "RATE_LIMIT_EXCEDED", *ON_FROZEN)
    assert result.code == 2
    assert "nearest: RATE_LIMIT_EXCEEDED" in result.err


def test_version() -> None:
    result = run_errspec("--version")
    assert (result.code, result.out) == (0, f"errspec {__version__}\n")


def test_every_option_has_help_text() -> None:
    parser = _parser()
    missing = []
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in [("errspec", parser), *subparsers.choices.items()]:
        for action in sub._actions:
            if not isinstance(action, argparse._SubParsersAction) and not action.help:
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert missing == []


def test_explain_prints_documentation_in_the_requested_language() -> None:
    frozen = ON_FROZEN
    en = run_errspec("explain", "3001", "--lang", "en", *frozen)
    assert en.code == 0
    assert en.out.startswith("3001 RATE_LIMIT_EXCEEDED — Rate limit exceeded\n")
    assert "retryable    yes, after the Retry-After header" in en.out
    assert "  - Use WebSocket subscriptions instead of polling" in en.out
    zh = run_errspec("explain", "3001", "--lang", "zh", *frozen)
    assert "降低请求频率" in zh.out and "429" in zh.out


def test_explain_unknown_code_suggests_nearest() -> None:
    frozen = ON_FROZEN
    result = run_errspec("explain", "3009", *frozen)
    assert result.code == 2
    assert "unknown error code 3009; nearest: 3004" in result.err
    assert run_errspec("explain", "abc", *frozen).code == 2
    assert run_errspec("explain", "1001", "--lang", "fr", *frozen).code == 2
