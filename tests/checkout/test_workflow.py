"""The GitHub Actions example (docs/github-workflow.yml): it parses, checks out the full history,
and every command it runs is one the README documents and this checkout accepts."""

from __future__ import annotations

import re
import shlex
import subprocess

import yaml

from generator.cli import _parser
from support import ROOT

WORKFLOW = ROOT / "docs" / "github-workflow.yml"
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def steps() -> list[dict]:
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert set(document) >= {"name", True, "jobs"}  # PyYAML reads the key `on` as True
    [job] = document["jobs"].values()
    return list(job["steps"])


def runs() -> list[str]:
    return [step["run"] for step in steps() if "run" in step]


def test_the_checkout_has_the_whole_history() -> None:
    checkout = next(s for s in steps() if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0


def test_every_command_is_in_the_readme() -> None:
    for command in runs():
        assert f"    {command}\n" in README, command


def words(command: str) -> list[str]:
    """The words of a command, without what the shell adds around it."""
    command = re.sub(r'"\$\(git merge-base [^)]*\)"', "REV", command)
    command = command.split(" >> ")[0]
    return shlex.split(command)


def test_every_errspec_command_parses_and_every_make_target_exists() -> None:
    targets = subprocess.run(
        ["make", "-pn", "-f", str(ROOT / "Makefile")], capture_output=True, text=True, cwd=ROOT
    ).stdout
    seen = set()
    for command in runs():
        argv = words(command)
        if argv[0] == ".venv/bin/errspec":
            args = _parser().parse_args(argv[1:])
            seen.add(args.command)
        else:
            assert argv[0] == "make", command
            for word in argv[1:]:
                if "=" in word:
                    assert re.search(rf"^{word.split('=')[0]} \?=", MAKEFILE, re.M), word
                else:
                    assert re.search(rf"^{word}:", targets, re.M), word
                    seen.add(word)
    assert seen >= {"install", "validate", "check", "breaking", "diff"}
