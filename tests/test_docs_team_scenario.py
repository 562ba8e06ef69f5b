"""The docs team's everyday pull request, end to end, as a user runs it.

In a scratch copy of the project (spec/ and generated/), tests/docs_team.py makes the edit:
add 3005 (HTTP 413, zh and en texts, listed in an operation's x-error-codes), reword 1001's
message and its example, retire 2003 the README's way, raise `release`. Then `errspec
generate`, `errspec check`, the registry tests (tests/test_registry.py, pointed at the scratch
copy with ERRSPEC_PROJECT; not the whole suite) and `errspec diff --against` the original spec
behave as the user expects. Processes run with bytecode writing on, as on users' machines.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import docs_team
from conftest import ROOT, run_errspec, tree_bytes

EXPECTED_FINDINGS = {
    ("warning", "message_changed", docs_team.REWORDED),
    ("info", "example_changed", docs_team.REWORDED),
    ("info", "code_retired", docs_team.RETIRED),
    ("info", "code_added", docs_team.NEW_CODE),
}


def user_env() -> dict[str, str]:
    """The environment of a user's shell: bytecode writing on."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory, frozen_tree: Path) -> tuple[Path, Path]:
    """(scratch project after the edit and `generate`, the original spec file).

    The project is the frozen published registry (tests/fixtures/published), in sync: the
    scenario is the same whatever the real registry holds by the time it runs."""
    root = tmp_path_factory.mktemp("docs-team")
    project = root / "project"
    shutil.copytree(frozen_tree / "spec", project / "spec")
    shutil.copytree(frozen_tree / "generated", project / "generated")
    original = root / "original" / "errors.yaml"
    original.parent.mkdir()
    shutil.copy(frozen_tree / "spec" / "errors.yaml", original)
    docs_team.apply(project)
    before = tree_bytes(project / "generated")
    result = run_errspec("generate", cwd=project, env=user_env())
    assert result.code == 0, result.out + result.err
    assert tree_bytes(project / "generated") != before
    return project, original


def test_the_edit_is_what_the_docs_team_makes(edited: tuple[Path, Path]) -> None:
    project, original = edited
    text = (project / "spec" / "errors.yaml").read_text(encoding="utf-8")
    assert f"  - code: {docs_team.NEW_CODE}\n" in text
    assert f"  - code: {docs_team.RETIRED}\n" in text.split("\nretired:")[1]
    assert f"  - code: {docs_team.RETIRED}\n" not in text.split("\nretired:")[0]
    assert f"message: {docs_team.NEW_MESSAGE}\n" in text
    assert f"release: {docs_team.NEW_RELEASE}\n" in text
    assert f", {docs_team.NEW_CODE}," in (project / "spec" / "openapi.yaml").read_text("utf-8")
    assert original.read_text(encoding="utf-8") != text


def test_validate_and_check_pass(edited: tuple[Path, Path]) -> None:
    project, _ = edited
    validated = run_errspec("validate", cwd=project, env=user_env())
    assert validated.code == 0, validated.err
    checked = run_errspec("check", cwd=project, env=user_env())
    assert checked.code == 0, checked.out + checked.err
    assert "in sync" in checked.out


def test_the_registry_tests_pass_on_the_edited_project(edited: tuple[Path, Path]) -> None:
    project, _ = edited
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-o", "addopts=", "-q", "-p", "no:cacheprovider"]
        + [str(ROOT / "tests" / "test_registry.py")],
        cwd=ROOT,
        env={**user_env(), "ERRSPEC_PROJECT": str(project)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    summary = proc.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ passed in [0-9.]+s", summary), summary


def test_diff_reports_exactly_the_changes_at_their_severities(edited: tuple[Path, Path]) -> None:
    project, original = edited
    result = run_errspec(
        "diff", "--against-file", str(original), "--format", "json", cwd=project, env=user_env()
    )
    assert result.code == 0, result.out + result.err
    report = json.loads(result.out)
    found = {(f["severity"], f["rule"], f["code"]) for f in report["findings"]}
    assert found == EXPECTED_FINDINGS
    assert len(report["findings"]) == len(EXPECTED_FINDINGS)
    # The reworded message is a warning: a gate on warnings stops the pull request.
    strict = run_errspec(
        "diff", "--against-file", str(original), "--fail-on", "warning", cwd=project, env=user_env()
    )
    assert strict.code == 1, strict.out + strict.err
    assert "0 errors, 1 warning, 3 info" in strict.out
