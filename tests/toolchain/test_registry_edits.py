"""The registry evolves and CI stays green: edits made through the documented flow, each on a
copy of a project, then `generate`, `validate`, `check`, and the tests marked live run against
the copy (ERRSPEC_TEST_PROJECT, in a pytest of their own), all green.

- The docs team's everyday pull request (issue 23, support.DOCS_TEAM_EDIT), made as a person
  makes it, by editing the text of the frozen registry's spec/: add 3005 (HTTP 413, listed in
  an operation's x-error-codes), reword 1001's wire message, retire 2003, release 2.0.0; and
  `errspec diff` reports exactly those changes.
- Edits of the live registry whatever its shape (issue 20), computed from its spec: add a
  third locale with every text filled, remove it again, add a category with codes, add,
  reword and retire codes, reorder the codes, make the API HTTP-only.
Processes run with bytecode writing on, as on users' machines.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from generator.words import BUILT_IN

from support import (
    DOCS_TEAM_EDIT as EDIT,
    LIVE,
    category_entry,
    code_entry,
    copy_project,
    dump_spec,
    load_data,
    localized_texts,
    retired_entry,
    run_errspec,
    run_errspec_process,
    run_pytest,
    tree_bytes,
)

pytestmark = pytest.mark.slow  # a pytest of its own, with toolchain tests, on every copy

EXPECTED_FINDINGS = {
    ("warning", "message_changed", EDIT.reworded),
    ("info", "example_changed", EDIT.reworded),
    ("info", "code_retired", EDIT.retired),
    ("info", "code_added", EDIT.new_code),
}
SUMMARY = re.compile(r"(\d+) passed(, \d+ deselected)? in [0-9.]+s( \(\d+:\d\d:\d\d\))?")


# The frozen registry's hand-written surface predates the operation descriptions that
# spectral:oas asks for: the docs team's edit of it is judged by every other live test.
SPECTRAL = "tests/toolchain/test_consumers_js.py::test_spectral_oas_finds_nothing"


def assert_live_tests_pass(project: Path, *deselected: str, options: tuple[str, ...] = ()) -> str:
    """Every test marked live (but `deselected`) passes with the live project at `project`,
    pytest run with `options`; none fails or skips. Returns pytest's output."""
    skip = [f"--deselect={test}" for test in deselected]
    proc = run_pytest("-m", "live", *skip, *options, project=project)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    summary = proc.stdout.strip().splitlines()[-1].strip("= ")  # quiet or not
    found = SUMMARY.fullmatch(summary)
    assert found and int(found.group(1)) > 50, summary
    return proc.stdout


def regenerate_and_check(project: Path, changes: bool = True) -> None:
    """`generate` (changing generated/ when the edit `changes` outputs), then `validate` and
    `check` pass, as the docs team runs them."""
    before = tree_bytes(project / "generated")
    generated = run_errspec_process("generate", cwd=project)
    assert generated.code == 0, generated.out + generated.err
    assert (tree_bytes(project / "generated") != before) == changes
    validated = run_errspec_process("validate", cwd=project)
    assert validated.code == 0, validated.err
    checked = run_errspec_process("check", cwd=project)
    assert checked.code == 0, checked.out + checked.err
    assert "in sync" in checked.out


# --- the docs team's pull request (issue 23) -------------------------------------------------


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory, frozen_tree: Path) -> tuple[Path, Path]:
    """(scratch project after the edit and `generate`, the original spec file): the frozen
    published registry, in sync, so that the edit's anchors are always there."""
    root = tmp_path_factory.mktemp("docs-team")
    project = copy_project(frozen_tree, root / "project")
    original = root / "original" / "errors.yaml"
    original.parent.mkdir()
    shutil.copy(frozen_tree / "spec" / "errors.yaml", original)
    EDIT.apply(project)
    regenerate_and_check(project)
    return project, original


def test_the_edit_is_what_the_docs_team_makes(edited: tuple[Path, Path]) -> None:
    project, original = edited
    text = (project / "spec" / "errors.yaml").read_text(encoding="utf-8")
    live, retired = text.split("\nretired:")
    assert f"  - code: {EDIT.new_code}\n" in live
    assert f"  - code: {EDIT.retired}\n" in retired
    assert f"  - code: {EDIT.retired}\n" not in live
    assert f"    message: {EDIT.new_message}\n" in text
    assert f"message: {json.dumps(EDIT.new_message)}}}" in text  # quoted in the flow mapping
    assert f"release: {EDIT.release}\n" in text
    assert f", {EDIT.new_code}," in (project / "spec" / "openapi.yaml").read_text("utf-8")
    assert original.read_text(encoding="utf-8") != text


# The same edited tree twice: in order, then shuffled (pytest-randomly, one fixed seed, so a
# failure repeats) after the first run left its bytecode and outputs behind: a test that
# leans on order, on another test's leftovers or on a first run fails one of the two.
SHUFFLED = ("-o", "addopts=--strict-markers", "-p", "randomly", "--randomly-seed=23")


@pytest.mark.parametrize("order", [(), SHUFFLED], ids=["in-order", "shuffled"])
def test_the_live_tests_pass_on_the_edited_project(
    edited: tuple[Path, Path], order: tuple[str, ...]
) -> None:
    out = assert_live_tests_pass(edited[0], SPECTRAL, options=order)
    assert ("Using --randomly-seed=23" in out) == (order == SHUFFLED), out[:500]


def test_diff_reports_exactly_the_changes_at_their_severities(edited: tuple[Path, Path]) -> None:
    project, original = edited
    result = run_errspec("diff", "--against-file", str(original), "--format", "json", cwd=project)
    assert result.code == 0, result.out + result.err
    report = json.loads(result.out)
    found = {(f["severity"], f["rule"], f["code"]) for f in report["findings"]}
    assert found == EXPECTED_FINDINGS
    assert len(report["findings"]) == len(EXPECTED_FINDINGS)
    # The reworded message is a warning: a gate on warnings stops the pull request.
    strict = run_errspec(
        "diff", "--against-file", str(original), "--fail-on", "warning", cwd=project
    )
    assert strict.code == 1, strict.out + strict.err
    assert "0 errors, 1 warning, 3 info" in strict.out


# --- the live registry, whatever its shape (issue 20) ----------------------------------------

Edit = Callable[[dict[str, Any], dict[str, Any]], None]  # (spec data, surface data)


def add_locale(data: dict[str, Any], surface: dict[str, Any], lang: str = "ja") -> None:
    """A third locale with every text filled, made from the texts of the doc_url locale."""
    source = data["page"]["doc_url_locale"]
    for texts in localized_texts(data, data["locales"]):
        value = texts[source]
        texts[lang] = (
            [f"[{lang}] {v}" for v in value] if isinstance(value, list) else f"[{lang}] {value}"
        )
    data["page"]["url"][lang] = data["page"]["url"][source].rstrip("/") + f"/{lang}"
    data["page"]["colon"][lang] = data["page"]["colon"][source]
    # errspec has no words of its own for the new locale: the spec writes explain's.
    words = data.setdefault("words", {})
    for key, word in BUILT_IN[source]["words"].items():
        words.setdefault(key, {})[lang] = f"[{lang}] {word}"
    data["locales"].append(lang)


def add_half_translated_locale(data: dict[str, Any], surface: dict[str, Any]) -> None:
    """A fourth-script locale (Korean) with only the page's title and each code's meaning, the
    rest shown in a fallback locale, and none of errspec's fixed words of its own."""
    lang = next(f"k{c}" for c in "oabcdefghij" if f"k{c}" not in data["locales"])
    data["fallback"] = data.get("fallback") or data["page"]["doc_url_locale"]
    data["page"]["title"][lang] = f"오류 코드 ({lang})"
    data["page"]["url"][lang] = data["page"]["url"][data["fallback"]].rstrip("/") + f"/{lang}"
    for raw in data["codes"]:
        raw["meaning"][lang] = f"{raw['meaning'][data['fallback']]} ({lang}: 의미)"
    data["locales"].append(lang)


def remove_locale(data: dict[str, Any], surface: dict[str, Any], lang: str = "ja") -> None:
    for texts in localized_texts(data, data["locales"]):
        del texts[lang]
    for key, word in list(data.get("words", {}).items()):
        word.pop(lang, None)
        if not word:
            del data["words"][key]
    if data.get("words") == {}:
        del data["words"]
    data["locales"].remove(lang)


def add_then_remove_locale(data: dict[str, Any], surface: dict[str, Any]) -> None:
    add_locale(data, surface)
    remove_locale(data, surface)


def operations(surface: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        op
        for item in surface["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "x-error-codes" in op
    ]


def bump_major(data: dict[str, Any]) -> None:
    major = int(str(data["release"]).split(".")[0])
    data["release"] = f"{major + 1}.0.0"


def taken(data: dict[str, Any]) -> set[int]:
    return {raw["code"] for raw in data["codes"]} | {r["code"] for r in data["retired"]}


def new_code(
    data: dict[str, Any], category: dict[str, Any], name: str, status: int
) -> dict[str, Any]:
    """A code of `category` at its first free number, with every text in every locale."""
    low, high = category["range"]
    number = next(n for n in range(max(low, 1), high + 1) if n not in taken(data))
    message = f"{name.replace('_', ' ').capitalize()}"
    return code_entry(
        number,
        name=name,
        category=category["id"],
        message=message,
        http_status=status,
        meaning={lang: f"{message} ({lang})" for lang in data["locales"]},
        suggestion={lang: f"Try again later ({lang})" for lang in data["locales"]},
    )


def add_category_with_codes(data: dict[str, Any], surface: dict[str, Any]) -> None:
    ids = {c["id"] for c in data["categories"]}
    cid = next(f"billing{i or ''}" for i in range(100) if f"billing{i or ''}" not in ids)
    low = (max(c["range"][1] for c in data["categories"]) // 1000 + 1) * 1000
    exceptions = {c["exception"] for c in data["categories"]}
    exception = next(
        f"Billing{i or ''}Error" for i in range(100) if f"Billing{i or ''}Error" not in exceptions
    )
    category = category_entry(
        cid,
        low,
        low + 999,
        exception=exception,
        title={lang: f"Billing ({lang})" for lang in data["locales"]},
    )
    data["categories"].append(category)
    added = [new_code(data, category, "PAYMENT_REQUIRED", 402)]
    data["codes"].append(added[0])
    added.append(new_code(data, category, "PLAN_CONFLICT", 409))
    data["codes"].append(added[1])
    operations(surface)[0]["x-error-codes"] += [raw["code"] for raw in added]
    data["release"] = re.sub(
        r"^(\d+)\.(\d+)\..*$", lambda m: f"{m[1]}.{int(m[2]) + 1}.0", str(data["release"])
    )


def add_reword_and_retire_codes(data: dict[str, Any], surface: dict[str, Any]) -> None:
    errors = [raw for raw in data["codes"] if raw["code"] != 0]
    # Add: a code in the category with the most codes, listed where a code of it is.
    home = max(data["categories"], key=lambda c: sum(raw["category"] == c["id"] for raw in errors))
    sibling = next(
        raw for raw in errors if raw["category"] == home["id"] and raw.get("http_status")
    )
    added = new_code(data, home, "ADDED_BY_THE_DOCS_TEAM", sibling["http_status"])
    data["codes"].append(added)
    for op in operations(surface):
        if sibling["code"] in op["x-error-codes"]:
            op["x-error-codes"].append(added["code"])
    # Reword: the first error's wire message (and its example's) and its meaning.
    reworded = errors[0]
    if reworded["example"].get("message") == reworded["message"]:
        reworded["example"]["message"] += ", reworded"
    reworded["message"] += ", reworded"
    reworded["meaning"] = {lang: f"{text} (reworded)" for lang, text in reworded["meaning"].items()}
    # Retire: the last error no handler case, shared section or the rewording involves.
    handled = {code for case in data["handler"]["cases"] for code in case["codes"]}
    shared = {raw.get("shares_section_with") for raw in data["codes"]}
    retired = next(
        raw
        for raw in reversed(errors)
        if raw["code"] not in handled | shared and raw is not reworded
    )
    data["codes"].remove(retired)
    bump_major(data)
    reason = {lang: f"Retired in this test ({lang})" for lang in data["locales"]}
    data["retired"].append(
        retired_entry(retired["code"], retired["name"], reason=reason, since=data["release"])
    )
    for op in operations(surface):
        op["x-error-codes"] = [c for c in op["x-error-codes"] if c != retired["code"]]


def reorder_codes(data: dict[str, Any], surface: dict[str, Any]) -> None:
    data["codes"].reverse()


def drop_websocket(data: dict[str, Any], surface: dict[str, Any]) -> None:
    """The API drops its WebSocket: the WebSocket-only codes retire, every other code stays on
    HTTP alone, the surface loses its WebSocket operations. (An HTTP-only registry already is
    what this makes; then it adds a code, so that the run still changes something.)"""
    if "websocket" not in data:
        data["codes"].append(new_code(data, data["categories"][-1], "ADDED_TO_HTTP_ONLY", 500))
        return
    del data["websocket"]
    data["envelopes"].pop("websocket", None)
    gone = [raw for raw in data["codes"] if raw["transports"] == ["websocket"]]
    bump_major(data)
    for raw in gone:
        data["codes"].remove(raw)
        reason = {lang: f"The WebSocket API is gone ({lang})" for lang in data["locales"]}
        data["retired"].append(
            retired_entry(raw["code"], raw["name"], reason=reason, since=data["release"])
        )
    numbers = {raw["code"] for raw in gone}
    for raw in data["codes"]:
        raw["transports"] = ["http"]
        if raw.get("shares_section_with") in numbers:
            del raw["shares_section_with"]
    cases = data.get("handler", {}).get("cases", [])
    for case in cases:
        case["codes"] = [code for code in case["codes"] if code not in numbers]
    if "handler" in data:
        data["handler"]["cases"] = [case for case in cases if case["codes"]]
    for path, item in list(surface["paths"].items()):
        if any(isinstance(op, dict) and op.get("x-websocket") for op in item.values()):
            del surface["paths"][path]
    used = {
        t
        for item in surface["paths"].values()
        for op in item.values()
        if isinstance(op, dict)
        for t in op.get("tags", [])
    }
    surface["tags"] = [tag for tag in surface.get("tags", []) if tag["name"] in used]
    for op in operations(surface):
        op["x-error-codes"] = [code for code in op["x-error-codes"] if code not in numbers]


EDITS: dict[str, Edit] = {
    "add a locale": add_locale,
    "add a locale, then remove it": add_then_remove_locale,
    "add a half-translated locale with a fallback": add_half_translated_locale,
    "add a category with codes": add_category_with_codes,
    "add, reword and retire codes": add_reword_and_retire_codes,
    "reorder the codes": reorder_codes,
    "make the API HTTP-only": drop_websocket,
}


# Not marked live itself: the pytest it starts runs the tests marked live.
@pytest.mark.parametrize("name", EDITS)
def test_the_live_tests_pass_after_a_documented_edit(name: str, tmp_path: Path) -> None:
    project = copy_project(LIVE, tmp_path / "project")
    spec, surface_path = project / "spec" / "errors.yaml", project / "spec" / "openapi.yaml"
    data, surface = load_data(spec), load_data(surface_path)
    before = copy.deepcopy(data)
    EDITS[name](data, surface)
    round_trip = name == "add a locale, then remove it"  # back to the same data
    assert (data == before) == round_trip
    dump_spec(data, spec)
    surface_path.write_text(yaml.safe_dump(surface, allow_unicode=True, sort_keys=False), "utf-8")
    regenerate_and_check(project, changes=not round_trip and name != "reorder the codes")
    assert_live_tests_pass(project)
