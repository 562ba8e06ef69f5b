"""A code's life in the outputs: introduced, deprecated (still sent, with a reason and a
replacement), retired (with the code sent instead). Every output says it its own way: the
pages, explain, the Python enum, the JS metadata and the .d.ts (judged by TypeScript's own
deprecation check); the fixed words it needs are needed only by a spec that uses them."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.words import BUILT_IN
from support import (
    DEPRECATED,
    FROZEN,
    JS_TESTS,
    REPLACEMENT,
    RETIRED,
    SENT_INSTEAD,
    dump_spec,
    frozen_data,
    import_package,
    lifecycle_data,
    node,
    problems_of,
    run_errspec,
    run_tool,
    table_cells,
)

DATA = lifecycle_data()
NAMES = {raw["code"]: raw["name"] for raw in [*DATA["codes"], *DATA["retired"]]}
REASON = next(raw for raw in DATA["codes"] if raw["code"] == DEPRECATED)["deprecated"]["reason"]


@pytest.fixture(scope="module")
def lifecycle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """generated/ of the lifecycle spec."""
    root = tmp_path_factory.mktemp("lifecycle")
    spec = dump_spec(DATA, root / "errors.yaml")
    shutil.copy(FROZEN / "openapi.yaml", root / "openapi.yaml")
    result = run_errspec("generate", "--spec", str(spec), "--out", str(root / "out"))
    assert result.code == 0, result.err
    return root


def section_of(page: str, code: int) -> str:
    """The page's text from the heading of `code`'s section to the next heading."""
    lines = page.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"#### {code}"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("#"))
    return "\n".join(lines[start:end])


@pytest.mark.parametrize("lang", DATA["locales"])
def test_the_page_says_since_when_why_and_what_instead(lifecycle: Path, lang: str) -> None:
    page = (lifecycle / "out" / "docs" / f"errors.{lang}.md").read_text(encoding="utf-8")
    labels = BUILT_IN[lang]["labels"]
    colon = BUILT_IN[lang]["colon"]["colon"]
    quoted = [
        line.removeprefix("> ").removesuffix("<br>")
        for line in section_of(page, DEPRECATED).split("\n")
        if line.startswith(">")
    ]
    assert quoted == [
        f"**{labels['deprecated_since']}**{colon}1.4.0",
        f"**{labels['reason']}**{colon}{REASON[lang]}",
        f"**{labels['use_instead']}**{colon}{REPLACEMENT} `{NAMES[REPLACEMENT]}`",
    ]
    for code in (REPLACEMENT, SENT_INSTEAD):  # codes in good standing say nothing of it
        assert ">" not in "".join(line[:1] for line in section_of(page, code).split("\n"))
    rows = [table_cells(line) for line in page.split("\n") if line.startswith(f"| {RETIRED} ")]
    assert rows == [
        [
            f"{RETIRED} `{NAMES[RETIRED]}`",
            "1.5.0",
            DATA["retired"][0]["reason"][lang],
            f"{SENT_INSTEAD} `{NAMES[SENT_INSTEAD]}`",
        ]
    ]
    header = next(line for line in page.split("\n") if labels["retired_since"] in line)
    assert table_cells(header)[-1] == labels["use_instead"]


@pytest.mark.parametrize("lang", DATA["locales"])
def test_explain_says_it_too(lifecycle: Path, lang: str) -> None:
    spec = ("--spec", str(lifecycle / "errors.yaml"), "--lang", lang)
    labels, colon = BUILT_IN[lang]["labels"], BUILT_IN[lang]["colon"]["colon"]
    deprecated = run_errspec("explain", str(DEPRECATED), *spec)
    assert deprecated.code == 0, deprecated.err
    lines = deprecated.out.split("\n")
    assert f"{labels['deprecated_since']}{colon}1.4.0" in lines
    assert f"{labels['use_instead']}{colon}{REPLACEMENT} {NAMES[REPLACEMENT]}" in lines
    retired = run_errspec("explain", NAMES[RETIRED], *spec)
    assert f"{labels['use_instead']}{colon}{SENT_INSTEAD} {NAMES[SENT_INSTEAD]}" in retired.out
    good = run_errspec("explain", str(REPLACEMENT), *spec)
    assert labels["deprecated_since"] not in good.out


def test_the_python_enum_marks_deprecated_and_retired_members(lifecycle: Path) -> None:
    sdk = import_package(lifecycle / "out" / "python", "errspec_lifecycle_sdk")
    code = sdk["error_codes"].ErrorCode
    found = {
        n: (code(n).deprecated, code(n).retired, code(n).info.deprecated)
        for n in (DEPRECATED, REPLACEMENT, RETIRED, SENT_INSTEAD)
    }
    assert found == {
        DEPRECATED: (True, False, True),
        REPLACEMENT: (False, False, False),
        RETIRED: (True, True, True),
        SENT_INSTEAD: (False, False, False),
    }
    source = (lifecycle / "out" / "python" / "error_codes.py").read_text(encoding="utf-8")
    assert f"Deprecated since 1.4.0; use {NAMES[REPLACEMENT]} instead." in source


def test_the_js_metadata_marks_deprecated_codes(lifecycle: Path) -> None:
    errors_js = (lifecycle / "out" / "js" / "errors.js").as_uri()
    script = (
        f"const m = await import({json.dumps(errors_js)});\n"
        "const codes = process.argv.slice(1).map(Number);\n"
        "console.log(JSON.stringify(codes.map((c) => [c, m.errorInfo(c)?.deprecated ?? null])));\n"
    )
    proc = run_tool(
        [node(), "--input-type=module", "-e", script, "--", *map(str, NAMES)], timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    found = dict(json.loads(proc.stdout))
    # A retired code keeps its metadata, deprecated, as in the Python SDK (RETIRED_CODES names it).
    expected = {c: c in (DEPRECATED, RETIRED) for c in NAMES}
    assert {int(k): v for k, v in found.items()} == expected


@pytest.mark.slow  # typescript
def test_typescript_reports_the_deprecated_names(lifecycle: Path) -> None:
    usage = lifecycle / "usage.mts"
    errors_js = (lifecycle / "out" / "js" / "errors.js").as_posix()
    names = list(NAMES.values())
    usage.write_text(
        f"import {{ ErrorCode }} from {json.dumps(errors_js)};\n"
        + "".join(f"export const v{i} = ErrorCode.{name};\n" for i, name in enumerate(names)),
        encoding="utf-8",
    )
    proc = run_tool([node(), str(JS_TESTS / "deprecations.mjs"), str(usage)], timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    reported = {names[line - 2]: text for line, text in json.loads(proc.stdout)}
    assert sorted(reported) == sorted([NAMES[DEPRECATED], NAMES[RETIRED]])
    assert all("is deprecated" in text for text in reported.values()), reported


def test_a_locale_needs_the_lifecycle_words_only_when_a_code_uses_them() -> None:
    """A locale errspec has no words for, its spec writing every word the outputs show: the
    words for deprecation become needed when a code is deprecated, not before."""
    data = frozen_data()
    data["retired"] = []
    data["locales"].append("ja")
    for texts in _texts(data):
        texts["ja"] = copy.deepcopy(texts["en"])
    en = BUILT_IN["en"]
    shown = ("retired", "retired_since", "reason", "deprecated_since", "use_instead")
    data["page"]["labels"] = {k: {"ja": v} for k, v in en["labels"].items() if k not in shown}
    data["page"]["colon"] = {"ja": ": "}
    data["words"] = {
        k: {"ja": v} for k, v in en["words"].items() if k not in ("retired_since", "never_reused")
    }
    assert problems_of(data) == []
    data["codes"][7]["deprecated"] = {
        "since": "1.4.0",
        "reason": {"zh": "旧", "en": "old", "ja": "古い"},
    }
    problems = problems_of(data)
    assert len(problems) == 1 and "page.labels.deprecated_since" in problems[0], problems
    assert "page.labels.reason" in problems[0]


def _texts(data: Any) -> list[dict[str, Any]]:
    """Every {locale: text} mapping of spec data (those with an en text)."""
    found: list[dict[str, Any]] = []
    if isinstance(data, dict):
        if "en" in data and "zh" in data:
            found.append(data)
        for value in data.values():
            found += _texts(value)
    elif isinstance(data, list):
        for value in data:
            found += _texts(value)
    return found
