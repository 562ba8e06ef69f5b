"""The generate/check pipeline end to end: golden tree, drift, atomicity, determinism, CLI."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import FROZEN, GENERATED, dump_spec, load_frozen_data, run_errspec, tree_bytes
from stages import load_spec

LOCATED = re.compile(r"^[^:\n]+:\d+:\d+: .+", re.M)


def test_generate_into_empty_dir_reproduces_the_committed_tree(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_errspec("generate", "--out", str(out))
    assert result.code == 0, result.err
    assert tree_bytes(out) == tree_bytes(GENERATED)


def test_check_passes_on_main() -> None:
    result = run_errspec("check")
    assert result.code == 0, result.out + result.err
    assert "in sync" in result.out


def test_changed_message_is_drift_naming_the_file(frozen_project: Path) -> None:
    project = frozen_project
    spec = project / "spec" / "errors.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace(
            "message: Quota exhausted", "message: Quota used up"
        ),
        encoding="utf-8",
    )
    result = run_errspec("check", cwd=project)
    assert result.code == 1
    assert "generated/python/error_codes.py: differs" in result.out
    assert '+        "Quota used up",' in result.out
    assert "errspec generate" in result.err


def test_extra_file_is_stale_drift(project: Path) -> None:
    (project / "generated" / "docs" / "notes.md").write_text("hand-written\n", encoding="utf-8")
    result = run_errspec("check", cwd=project)
    assert result.code == 1
    assert "generated/docs/notes.md: is not produced by any target (stale)" in result.out


def test_missing_file_is_drift(project: Path) -> None:
    (project / "generated" / "snippets" / "handle_error.zh.py").unlink()
    result = run_errspec("check", cwd=project)
    assert result.code == 1
    assert "generated/snippets/handle_error.zh.py: is missing" in result.out


def test_hand_edit_of_a_generated_file_is_drift(frozen_project: Path) -> None:
    project = frozen_project
    target = project / "generated" / "docs" / "errors.en.md"
    target.write_text(
        target.read_text(encoding="utf-8").replace("Rate limit", "Rate-limit", 1), encoding="utf-8"
    )
    result = run_errspec("check", cwd=project)
    assert result.code == 1 and "generated/docs/errors.en.md: differs" in result.out


def test_hand_edit_of_a_black_formatted_file_is_drift(project: Path) -> None:
    target = project / "generated" / "python" / "error_codes.py"
    target.write_text(target.read_text(encoding="utf-8") + "\n# sneaky\n", encoding="utf-8")
    result = run_errspec("check", cwd=project)
    assert result.code == 1 and "generated/python/error_codes.py: differs" in result.out


def test_github_format_emits_annotations(project: Path) -> None:
    (project / "generated" / "stray.txt").write_text("x\n", encoding="utf-8")
    result = run_errspec("check", "--format", "github", cwd=project)
    assert result.code == 1
    assert result.out.startswith("::error file=generated/stray.txt,")


def test_generate_fixes_drift_and_keeps_files_it_did_not_write(project: Path) -> None:
    (project / "generated" / "stray.txt").write_text("x\n", encoding="utf-8")
    (project / "generated" / "docs" / "errors.zh.md").write_text("edited\n", encoding="utf-8")
    result = run_errspec("generate", cwd=project)
    assert result.code == 0
    assert "kept generated/stray.txt: errspec did not write it" in result.out
    assert tree_bytes(project / "generated") == {**tree_bytes(GENERATED), "stray.txt": b"x\n"}
    assert run_errspec("check", cwd=project).code == 1  # the stray is still drift
    (project / "generated" / "stray.txt").unlink()
    assert run_errspec("check", cwd=project).code == 0


def test_broken_spec_exits_2_with_position_and_writes_nothing(frozen_project: Path) -> None:
    project = frozen_project
    spec = project / "spec" / "errors.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(
        text.replace("    http_status: 404\n", "    http_status: 404\n    http_status: 410\n"),
        encoding="utf-8",
    )
    line = text.split("\n").index("    http_status: 404") + 2
    (project / "generated" / "docs" / "errors.en.md").write_text("hand-edited\n", encoding="utf-8")
    before = tree_bytes(project / "generated")
    result = run_errspec("generate", cwd=project)
    assert result.code == 2
    assert (
        f'spec/errors.yaml:{line}:5: duplicate key "http_status" (first at line {line - 1})'
        in result.err
    )
    assert tree_bytes(project / "generated") == before


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    data = load_frozen_data()
    data["codes"][1]["code"] = 2999
    data["codes"][2]["name"] = data["codes"][3]["name"]
    result = run_errspec("validate", "--spec", str(dump_spec(data, tmp_path / "errors.yaml")))
    assert result.code == 2
    located = LOCATED.findall(result.err)
    assert any('code 2999 is in category "authentication"' in line for line in located)
    assert any("duplicate name 'IP_NOT_WHITELISTED'" in line for line in located)


def test_output_is_identical_across_hash_seeds_locales_and_timezones(tmp_path: Path) -> None:
    trees = []
    for i, env in enumerate(
        (
            {"PYTHONHASHSEED": "1", "LC_ALL": "C", "TZ": "UTC"},
            {
                "PYTHONHASHSEED": "4242",
                "LC_ALL": "C.UTF-8",
                "LANG": "zh_CN.UTF-8",
                "TZ": "Asia/Shanghai",
                "ERRSPEC_CACHE": "0",
            },
        )
    ):
        out = tmp_path / f"out{i}"
        assert run_errspec("generate", "--out", str(out), env=env).code == 0
        trees.append(tree_bytes(out))
    assert trees[0] == trees[1] == tree_bytes(GENERATED)


def test_validate_accepts_the_real_spec() -> None:
    spec = load_spec(GENERATED.parent / "spec" / "errors.yaml")
    result = run_errspec("validate")
    assert result.code == 0 and f"valid ({len(spec.codes)} codes" in result.out


def test_explain_prints_documentation_in_the_requested_language() -> None:
    frozen = ("--spec", str(FROZEN / "errors.yaml"))
    en = run_errspec("explain", "3001", "--lang", "en", *frozen)
    assert en.code == 0
    assert en.out.startswith("3001 RATE_LIMIT_EXCEEDED — Rate limit exceeded\n")
    assert "retryable    yes, after the Retry-After header" in en.out
    assert "  - Use WebSocket subscriptions instead of polling" in en.out
    zh = run_errspec("explain", "3001", "--lang", "zh", *frozen)
    assert "降低请求频率" in zh.out and "429" in zh.out


def test_explain_unknown_code_suggests_nearest() -> None:
    frozen = ("--spec", str(FROZEN / "errors.yaml"))
    result = run_errspec("explain", "3009", *frozen)
    assert result.code == 2
    assert "unknown error code 3009; nearest: 3004" in result.err
    assert run_errspec("explain", "abc", *frozen).code == 2
    assert run_errspec("explain", "1001", "--lang", "fr", *frozen).code == 2


def test_generated_files_carry_the_header() -> None:
    from stages import load_spec
    from generator.targets import TARGETS, expand

    files = tree_bytes(GENERATED)
    for target in expand(TARGETS, load_spec(GENERATED.parent / "spec" / "errors.yaml").locales):
        first = files[target.path].decode("utf-8").split("\n", 1)[0]
        header = "generated by errspec from spec/errors.yaml — do not edit; run `make generate`"
        if target.comment is not None:
            assert first == f"{target.comment} {header}", target.path


def test_check_reports_a_spec_change_in_a_post_processed_file(frozen_project: Path) -> None:
    project = frozen_project
    # check starts its black worker on demand, only for the drift.
    spec = project / "spec" / "errors.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("name: QUOTA_EXHAUSTED", "name: QUOTA_USED_UP"),
        encoding="utf-8",
    )
    result = run_errspec("check", cwd=project, env={"ERRSPEC_CACHE": "0"})
    assert result.code == 1
    assert "generated/python/error_codes.py: differs" in result.out
    assert "+    QUOTA_USED_UP = 3002" in result.out
