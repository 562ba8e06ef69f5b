"""`generate` and `check` end to end, on the frozen registry: drift of every kind named by its
file, generate fixes it, a broken spec writes nothing and every problem is reported, output
bytes that depend on no hash seed, locale or timezone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support import dump_spec, frozen_data, run_errspec, run_errspec_process, tree_bytes

LOCATED = re.compile(r"^[^:\n]+:\d+:\d+: .+", re.M)


def test_changed_message_is_drift_naming_the_file(project: Path) -> None:
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


def test_hand_edit_of_a_generated_file_is_drift(project: Path) -> None:
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
    errors = [line for line in result.out.splitlines() if line.startswith("::error")]
    assert errors and errors[0].startswith("::error file=generated/stray.txt,")


def test_generate_fixes_drift_and_keeps_files_it_did_not_write(project: Path) -> None:
    committed = tree_bytes(project / "generated")
    (project / "generated" / "stray.txt").write_text("x\n", encoding="utf-8")
    (project / "generated" / "docs" / "errors.zh.md").write_text("edited\n", encoding="utf-8")
    result = run_errspec("generate", cwd=project)
    assert result.code == 0
    assert "kept generated/stray.txt: errspec did not write it" in result.out
    assert tree_bytes(project / "generated") == {**committed, "stray.txt": b"x\n"}
    assert run_errspec("check", cwd=project).code == 1  # the stray is still drift
    (project / "generated" / "stray.txt").unlink()
    assert run_errspec("check", cwd=project).code == 0


def test_broken_spec_exits_2_with_position_and_writes_nothing(project: Path) -> None:
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
    data = frozen_data()
    data["codes"][1]["code"] = 2999
    data["codes"][2]["name"] = data["codes"][3]["name"]
    result = run_errspec("validate", "--spec", str(dump_spec(data, tmp_path / "errors.yaml")))
    assert result.code == 2
    located = LOCATED.findall(result.err)
    assert any('code 2999 is in category "authentication"' in line for line in located)
    assert any("duplicate name 'IP_NOT_WHITELISTED'" in line for line in located)


def test_output_is_identical_across_hash_seeds_locales_and_timezones(
    tmp_path: Path, frozen_tree: Path
) -> None:
    """Processes of their own: the hash seed, the locale and the timezone are read at start."""
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
        result = run_errspec_process("generate", "--out", str(out), cwd=frozen_tree, env=env)
        assert result.code == 0, result.err
        trees.append(tree_bytes(out))
    assert trees[0] == trees[1] == tree_bytes(frozen_tree / "generated")


def test_check_reports_a_spec_change_in_a_post_processed_file(project: Path) -> None:
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


def _at(text: str, line_text: str, column_of: str) -> tuple[int, int]:
    """The 1-based line of `line_text` in `text` and the column of `column_of` on it."""
    lines = text.splitlines()
    assert lines.count(line_text) == 1, line_text
    line = lines.index(line_text)
    return line + 1, lines[line].index(column_of) + 1


def _annotations(out: str) -> list[tuple[dict[str, str], str]]:
    """The ::error workflow commands printed: (properties, message) each."""
    found = []
    for command in out.splitlines():
        assert command.startswith("::error "), command
        head, _, message = command.removeprefix("::error ").partition("::")
        found.append((dict(item.split("=", 1) for item in head.split(",")), message))
    return found


@pytest.mark.parametrize("command", ["validate", "check", "generate"])
def test_spec_problems_are_annotations_at_their_file_line_and_column(
    project: Path, command: str
) -> None:
    """Every command that reads the spec shows each of its problems as an annotation at the
    spec's line and column, as `validate` does: the GitHub check step points at the line."""
    spec = project / "spec" / "errors.yaml"
    text = spec.read_text(encoding="utf-8")
    text = text.replace(
        "    name: QUOTA_EXHAUSTED\n", "    name: QUOTA_EXHAUSTED\n    retryabel: false\n"
    )
    text = text.replace("    http_status: 404\n", '    http_status: "404"\n')
    spec.write_text(text, encoding="utf-8")
    expected = [
        (_at(text, "    retryabel: false", "retryabel"), 'unknown key "retryabel"'),
        (_at(text, '    http_status: "404"', '"404"'), "expected integer, got string"),
    ]
    result = run_errspec(command, "--format", "github", cwd=project)
    assert result.code == 2, result.out + result.err
    found = _annotations(result.out)
    assert len(found) == len(expected), result.out
    for (properties, message), ((line, col), words) in zip(
        sorted(found, key=lambda f: int(f[0]["line"])), sorted(expected)
    ):
        assert properties == {
            "file": "spec/errors.yaml",
            "line": str(line),
            "col": str(col),
            "title": "errspec error",
        }
        assert words in message, message
    written = "; nothing was written" if command == "generate" else ""
    assert result.err == f"errspec: 2 problem(s) in the input{written}\n"


@pytest.mark.parametrize("command", ["validate", "check", "generate"])
def test_surface_problems_are_annotations_at_the_surfaces_line(project: Path, command: str) -> None:
    surface = project / "spec" / "openapi.yaml"
    text = surface.read_text(encoding="utf-8")
    old = "      x-error-codes: [1001, 1002, 1003, 3001, 5000]\n"
    assert text.count(old) == 1
    text = text.replace(old, "      x-error-codes: [1001, 9999]\n")
    surface.write_text(text, encoding="utf-8")
    line, col = _at(text, "      x-error-codes: [1001, 9999]", "9999")
    result = run_errspec(command, "--format", "github", cwd=project)
    assert result.code == 2, result.out + result.err
    [(properties, message)] = _annotations(result.out)
    assert properties == {
        "file": "spec/openapi.yaml",
        "line": str(line),
        "col": str(col),
        "title": "errspec error",
    }
    assert message.startswith("x-error-codes names unknown code 9999"), message
