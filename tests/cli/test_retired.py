"""Retired codes: never reused, explained by `explain`, listed on the pages only when any exist,
and exposed by both SDKs as RETIRED_CODES (empty when there are none)."""

from __future__ import annotations

import copy
import datetime
import json
import re
import sys
from pathlib import Path

import pytest

from generator.words import BUILT_IN

PHRASES = {lang: words["words"] for lang, words in BUILT_IN.items()}
from support import FROZEN, dump_spec, frozen_data, node, ok, retired_entry, run_errspec, run_tool

# `project` is a scratch project of the frozen registry: these tests name its codes.
REASON = {"zh": "时间范围参数已合并到 2001", "en": "Time range problems are reported as 2001"}


def retired_spec(keep_live: bool = False, **retired: object) -> dict:
    """The real spec with 2003 retired; `since` is an unquoted YAML date, as people write it."""
    data = frozen_data()
    if not keep_live:
        data["codes"] = [raw for raw in data["codes"] if raw["code"] != 2003]
    entry = retired_entry(
        2003, "INVALID_TIME_RANGE", reason=dict(REASON), since=datetime.date(2024, 6, 1)
    )
    data["retired"].append({**entry, **retired})
    return data


def position(text: str, line_pattern: str, value: str) -> str:
    """LINE:COL of `value` on the first line matching `line_pattern`."""
    for number, line in enumerate(text.splitlines(), 1):
        if re.fullmatch(line_pattern, line):
            return f"{number}:{line.index(value) + 1}"
    raise AssertionError(line_pattern)


def test_a_properly_retired_code_validates(tmp_path: Path) -> None:
    spec = dump_spec(retired_spec(), tmp_path / "errors.yaml")
    assert "\n  since: 2024-06-01\n" in spec.read_text(encoding="utf-8")
    result = run_errspec("validate", "--spec", str(spec))
    assert result.code == 0, result.err


def test_a_retired_code_cannot_stay_live(tmp_path: Path) -> None:
    spec = dump_spec(retired_spec(keep_live=True), tmp_path / "errors.yaml")
    result = run_errspec("validate", "--spec", str(spec))
    assert result.code == 2
    where = position(spec.read_text(encoding="utf-8"), r"- code: 2003", "2003")
    assert result.err.splitlines()[0] == (
        f"{spec}:{where}: code 2003 was retired (INVALID_TIME_RANGE, since 2024-06-01)"
        " and cannot be reused; pick an unused code"
    )


def test_a_retired_name_cannot_be_reused(tmp_path: Path) -> None:
    data = retired_spec(code=2099, name="QUOTA_EXHAUSTED")
    spec = dump_spec(data, tmp_path / "errors.yaml")
    result = run_errspec("validate", "--spec", str(spec))
    assert result.code == 2
    where = position(spec.read_text(encoding="utf-8"), r"  name: QUOTA_EXHAUSTED", "QUOTA")
    assert (
        f"{spec}:{where}: name QUOTA_EXHAUSTED belonged to retired code 2099 and cannot be"
        " reused; pick another name" in result.err.splitlines()
    )


def test_a_code_is_retired_once(tmp_path: Path) -> None:
    data = retired_spec()
    data["retired"].append({**copy.deepcopy(data["retired"][0]), "name": "OLD_TIME_RANGE"})
    spec = dump_spec(data, tmp_path / "errors.yaml")
    result = run_errspec("validate", "--spec", str(spec))
    assert result.code == 2
    assert re.search(r":\d+:\d+: duplicate retired code 2003 \(first at line \d+\)", result.err)


@pytest.mark.parametrize(
    ("lang", "reason"), [("zh", "原因：" + REASON["zh"]), ("en", "Reason: " + REASON["en"])]
)
def test_explain_says_a_code_is_retired_and_why(tmp_path: Path, lang: str, reason: str) -> None:
    spec = dump_spec(retired_spec(), tmp_path / "errors.yaml")
    result = run_errspec("explain", "2003", "--lang", lang, "--spec", str(spec))
    assert result.code == 0, result.err
    phrases = PHRASES[lang]
    assert result.out == (
        f"2003 INVALID_TIME_RANGE — {phrases['retired_since']} 2024-06-01\n\n"
        f"{reason}\n\n"
        f"{phrases['never_reused']}\n"
    )


def test_explain_of_a_live_code_is_unchanged_by_retiring_another(tmp_path: Path) -> None:
    spec = dump_spec(retired_spec(), tmp_path / "errors.yaml")
    retired = run_errspec("explain", "2004", "--spec", str(spec))
    real = run_errspec("explain", "2004", "--spec", str(FROZEN / "errors.yaml"))
    assert (retired.code, retired.out) == (0, real.out)


def test_pages_list_retired_codes_in_a_short_section(project: Path) -> None:
    dump_spec(retired_spec(), project / "spec" / "errors.yaml")
    result = run_errspec("generate", cwd=project)
    assert result.code == 0, result.err
    zh = (project / "generated" / "docs" / "errors.zh.md").read_text(encoding="utf-8")
    assert (
        "---\n\n## 已停用的错误码\n\n"
        "| 错误码 | 停用版本 | 原因 |\n|--------|------|----------|\n"
        "| 2003 `INVALID_TIME_RANGE` | 2024-06-01 | 时间范围参数已合并到 2001 |\n\n"
        "---\n\n## 错误处理示例\n"
    ) in zh
    assert "| 2003 |" not in zh and "#### 2003" not in zh
    en = (project / "generated" / "docs" / "errors.en.md").read_text(encoding="utf-8")
    assert "## Retired error codes\n\n| Code | Retired since | Reason |\n" in en
    assert (
        "| 2003 `INVALID_TIME_RANGE` | 2024-06-01 | Time range problems are reported as 2001 |"
        in en
    )


def test_pages_of_a_registry_without_retired_codes_have_no_retired_section(
    project: Path,
) -> None:
    assert frozen_data()["retired"] == []
    zh = (project / "generated" / "docs" / "errors.zh.md").read_text(encoding="utf-8")
    en = (project / "generated" / "docs" / "errors.en.md").read_text(encoding="utf-8")
    assert "已停用" not in zh and "停用版本" not in zh
    assert "Retired" not in en


def sdk_retired_codes(generated: Path) -> tuple[object, object]:
    """RETIRED_CODES as the generated Python and JavaScript SDKs under `generated` expose them."""
    probe = "import json, python.error_codes as m; print(json.dumps(list(m.RETIRED_CODES.items())))"
    python = ok(run_tool([sys.executable, "-c", probe], cwd=generated, timeout=60))
    script = (
        "const m = await import(process.argv[1]);"
        "console.log(JSON.stringify([Object.isFrozen(m.RETIRED_CODES), m.RETIRED_CODES]));"
    )
    js = ok(
        run_tool(
            [
                node(),
                "--input-type=module",
                "-e",
                script,
                (generated / "js" / "errors.js").as_uri(),
            ],
            timeout=60,
        )
    )
    return json.loads(python), json.loads(js)


@pytest.mark.slow  # python and node import the generated SDKs
def test_both_sdks_expose_the_retired_codes(project: Path) -> None:
    dump_spec(retired_spec(), project / "spec" / "errors.yaml")
    result = run_errspec("generate", cwd=project)
    assert result.code == 0, result.err
    python, js = sdk_retired_codes(project / "generated")
    assert python == [[2003, "INVALID_TIME_RANGE"]]
    assert js == [True, {"2003": "INVALID_TIME_RANGE"}]
    dts = (project / "generated" / "js" / "errors.d.ts").read_text(encoding="utf-8")
    assert "export declare const RETIRED_CODES: Readonly<Record<number, string>>;" in dts


@pytest.mark.slow  # python and node import the generated SDKs
def test_both_sdks_expose_an_empty_retired_table_when_none_exist(project: Path) -> None:
    assert frozen_data()["retired"] == []
    assert sdk_retired_codes(project / "generated") == ([], [True, {}])
