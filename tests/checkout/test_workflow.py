"""The CI errspec ships for a registry repository (docs/github-workflow.yml, the composite
action.yml, and what `init` writes): made from one set of templates, installing errspec
pinned by hash and nothing from the pull request, every errspec command one the CLI takes."""

from __future__ import annotations

import re
import shlex

import pytest
import yaml

from generator.cli import _parser
from generator.commands.init import ci_files
from support import ROOT

# What the environment gives the commands, as GitHub would set it.
VALUES = {"$ERRSPEC_PROJECT": ".", "$ERRSPEC_FAIL_ON": "error", "$base": "HEAD"}
FILES = {"workflow": ROOT / "docs" / "github-workflow.yml", "action": ROOT / "action.yml"}


def steps(kind: str) -> list[dict]:
    document = yaml.safe_load(FILES[kind].read_text(encoding="utf-8"))
    if kind == "action":
        assert document["runs"]["using"] == "composite"
        return list(document["runs"]["steps"])
    assert set(document) >= {"name", True, "jobs"}  # PyYAML reads the key `on` as True
    [job] = document["jobs"].values()
    return list(job["steps"])


@pytest.mark.parametrize("kind", sorted(FILES))
def test_the_committed_file_is_what_the_templates_make(kind: str) -> None:
    assert (
        FILES[kind].read_text(encoding="utf-8") == ci_files("")[kind]
    ), f"{FILES[kind].name} is not what templates/init/ makes: run `make ci-files`"


def test_the_workflow_checks_out_the_whole_history() -> None:
    checkout = next(
        s for s in steps("workflow") if s.get("uses", "").startswith("actions/checkout@")
    )
    assert checkout["with"]["fetch-depth"] == 0


@pytest.mark.parametrize("kind", sorted(FILES))
def test_nothing_of_the_checkout_is_installed_or_run(kind: str) -> None:
    scripts = "\n".join(step["run"] for step in steps(kind) if "run" in step)
    scripts = re.sub(r"(?m)^\s*#.*$", "", scripts)  # what the comments say is not run
    assert not re.search(r"\bmake\b|\.venv|pip install (-e )?\.|pyproject|setup\.py", scripts)
    assert "--require-hashes" in scripts and "[0-9a-f]{40}" in scripts
    assert "${{" not in scripts  # values come in through the environment, never pasted


@pytest.mark.parametrize("kind", sorted(FILES))
def test_the_base_is_named_by_its_full_ref(kind: str) -> None:
    scripts = [step["run"] for step in steps(kind) if "run" in step and "diff" in step["run"]]
    assert scripts and all('"refs/remotes/origin/$GITHUB_BASE_REF"' in s for s in scripts)


@pytest.mark.parametrize("kind", sorted(FILES))
def test_every_errspec_command_parses(kind: str) -> None:
    seen = set()
    for step in steps(kind):
        for line in step.get("run", "").splitlines():
            line = line.split(" >> ")[0].split(" || ")[0].strip()
            for name, value in VALUES.items():
                line = line.replace(name, value)
            if line.startswith("errspec "):
                args = _parser().parse_args(shlex.split(line)[1:])
                seen.add(args.command)
    assert seen == {"validate", "check", "diff"}
