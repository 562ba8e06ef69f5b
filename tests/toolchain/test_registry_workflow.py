"""A second team's registry, as it would live on GitHub: errspec installed from its wheel into a
fresh venv (nothing else), `errspec init` in a git repository outside this checkout, and
every `run:` step of the workflow init wrote (and of action.yml) run with bash the way GitHub
runs them, on pull requests: a compatible one passes; a breaking one, one that plants a
Makefile or a tag named origin/main, and one whose template reaches out of the sandbox fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from support import ROOT, WHEELHOUSE, git

pytestmark = pytest.mark.slow  # a wheel, a venv, pip, git repositories
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "generator", "templates")
TIMES: dict[str, float] = {}
TIMES_RECORD = ROOT / "build" / "test-artifacts" / "registry-workflow" / "times.txt"


def _run(
    *cmd: str | Path, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")
    }
    full.update(env or {})
    return subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=full, capture_output=True, text=True, timeout=900
    )


def _timed(
    label: str, *cmd: str | Path, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    start = time.monotonic()
    done = _run(*cmd, cwd=cwd, env=env)
    TIMES[label] = time.monotonic() - start
    return done


@pytest.fixture(scope="module")
def user(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ of a fresh venv holding errspec, installed from its wheel and nothing else."""
    tmp = tmp_path_factory.mktemp("user")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, src / name)
    (src / "spec").mkdir()
    shutil.copy(ROOT / "spec" / "errors.schema.json", src / "spec")
    built = _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "-w",
        tmp / "dist",
        src,
        cwd=tmp,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp / "dist").glob("errspec-*.whl")
    assert _run(sys.executable, "-m", "venv", tmp / "venv", cwd=tmp).returncode == 0
    pip = (
        tmp / "venv" / "bin" / "python",
        "-m",
        "pip",
        "install",
        "-q",
        "--no-index",
        "--find-links",
        WHEELHOUSE,
    )
    done = _timed("pip install the wheel", *pip, wheel, cwd=tmp)
    assert done.returncode == 0, done.stderr
    return tmp / "venv" / "bin"


@pytest.fixture(scope="module")
def remote(user: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A bare repository holding main: a registry that `errspec init` made, as committed."""
    tmp = tmp_path_factory.mktemp("registry")
    bare = tmp / "remote.git"
    git(tmp, "init", "-q", "--bare", "-b", "main", str(bare))
    work = tmp / "work"
    git(tmp, "clone", "-q", str(bare), str(work))
    made = _timed("errspec init", user / "errspec", "init", ".", cwd=work)
    assert made.returncode == 0, made.stdout + made.stderr
    for command in ("validate", "check"):
        done = _timed(f"errspec {command}", user / "errspec", command, cwd=work)
        assert done.returncode == 0, done.stdout + done.stderr
    git(work, "commit", "-qm", "errspec init")
    git(work, "push", "-q", "origin", "main")
    yield bare
    # What the README's quick start cost, each command and workflow step: a record for the
    # reader, no speed goal (those are make bench's).
    TIMES_RECORD.parent.mkdir(parents=True, exist_ok=True)
    TIMES_RECORD.write_text(
        "".join(f"{label}: {seconds:.2f} s\n" for label, seconds in TIMES.items()),
        encoding="utf-8",
    )


def _pull_request(remote: Path, user: Path, name: str, change: Any) -> Path:
    """A branch off main with `change` made by a person with errspec (regenerated and
    committed), pushed; then a CI checkout of it: a full clone of the remote. Made once per
    name, whichever test asks first (the tests run in any order)."""
    checkout = remote.parent / f"ci-{name}"
    if checkout.exists():
        return checkout
    work = remote.parent / f"pr-{name}"
    git(remote.parent, "clone", "-q", str(remote), str(work))
    git(work, "checkout", "-qb", name)
    change(work, user)
    git(work, "add", "-A")
    git(work, "commit", "-qm", name, "--allow-empty")
    git(work, "push", "-q", "origin", name)
    git(remote.parent, "clone", "-q", "--branch", name, str(remote), str(checkout))
    return checkout


def _edit_spec(work: Path, old: str, new: str) -> None:
    spec = work / "spec" / "errors.yaml"
    text = spec.read_text(encoding="utf-8")
    assert old in text, old
    spec.write_text(text.replace(old, new, 1), encoding="utf-8")


def _regenerate(work: Path, user: Path) -> None:
    done = _run(user / "errspec", "generate", cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr


def compatible(work: Path, user: Path) -> None:
    _edit_spec(work, "release: 0.1.0", "release: 0.2.0")
    _edit_spec(
        work,
        "# Codes no longer sent",
        "  - code: 1003\n    name: NOT_FOUND\n    category: request\n    message: Not found\n"
        "    http_status: 404\n    transports: [http]\n    meaning: {en: The item does not exist}\n"
        "    example: {code: 1003, message: Not found}\n\n# Codes no longer sent",
    )
    _regenerate(work, user)


def breaking(work: Path, user: Path) -> None:
    _edit_spec(work, "    http_status: 401", "    http_status: 400")
    _edit_spec(work, "release: 0.1.0", "release: 1.0.0")
    _regenerate(work, user)


def makefile(work: Path, user: Path) -> None:
    """A breaking change, and a Makefile whose `install` would put an errspec that always says
    "in sync" first on the PATH."""
    breaking(work, user)
    (work / "Makefile").write_text(
        "install:\n\tmkdir -p .venv/bin && printf '#!/bin/sh\\necho in sync\\n' > .venv/bin/errspec"
        " && chmod +x .venv/bin/errspec\n",
        encoding="utf-8",
    )


def tag(work: Path, user: Path) -> None:
    """A breaking change, and a tag named like the base branch at the pull request itself."""
    breaking(work, user)
    git(work, "add", "-A")
    git(work, "commit", "-qm", "breaking")
    git(work, "tag", "origin/main")
    git(work, "push", "-q", "origin", "origin/main")


def template(work: Path, user: Path) -> None:
    """An override that tries to run a command through Jinja's globals, and hand-written
    outputs that it could not have generated."""
    _edit_spec(work, "release: 0.1.0", "release: 0.1.0\ntemplates: templates")
    page = work / "templates" / "docs" / "errors.md.jinja"
    page.parent.mkdir(parents=True)
    page.write_text(
        "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}\n", encoding="utf-8"
    )


def _expression(value: str, inputs: dict[str, str]) -> str:
    """GitHub's ${{ }} for the forms errspec's CI files use: vars (none set), inputs."""

    def one(match: re.Match[str]) -> str:
        body = match.group(1).strip()
        if body.startswith("inputs."):
            return inputs[body.removeprefix("inputs.")]
        found = re.fullmatch(r"vars\.\w+ \|\| '(.*)'", body)
        assert found, body
        return found.group(1)

    return re.sub(r"\$\{\{(.*?)\}\}", one, value)


def run_steps(
    checkout: Path, steps: list[dict[str, Any]], env: dict[str, str], inputs: dict[str, str]
) -> list[tuple[str, int, str]]:
    """Each step's (name, exit code, output), run as GitHub runs a job's `run:` steps on a
    pull request: bash -e, one by one, the job's failure skipping what is not always()."""
    runner = checkout.parent / f"{checkout.name}-runner"
    runner.mkdir()
    path_file, summary = runner / "path", runner / "summary"
    path_file.touch()
    base = {
        "PATH": os.path.dirname(os.path.realpath(sys.executable)) + ":/usr/bin:/bin",
        "HOME": str(runner),
        "GITHUB_BASE_REF": "main",
        "GITHUB_EVENT_NAME": "pull_request",
        "RUNNER_TEMP": str(runner),
        "GITHUB_PATH": str(path_file),
        "GITHUB_STEP_SUMMARY": str(summary),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(WHEELHOUSE),
        "CI": "true",
        **{k: _expression(str(v), inputs) for k, v in env.items()},
    }
    results: list[tuple[str, int, str]] = []
    failed = False
    for step in steps:
        if "run" not in step:
            continue
        condition = step.get("if", "")
        if failed and "always()" not in condition:
            continue
        extra = {k: _expression(str(v), inputs) for k, v in (step.get("env") or {}).items()}
        added = [line for line in path_file.read_text().splitlines() if line]
        environment = {**base, **extra, "PATH": ":".join([*reversed(added), base["PATH"]])}
        start = time.monotonic()
        proc = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=checkout,
            env=environment,
            capture_output=True,
            text=True,
            timeout=900,
        )
        TIMES[f"step: {step['name']}"] = time.monotonic() - start
        results.append((step["name"], proc.returncode, proc.stdout + proc.stderr))
        failed = failed or proc.returncode != 0
    return results


def workflow(checkout: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    document = yaml.safe_load(
        (checkout / ".github" / "workflows" / "errspec.yml").read_text(encoding="utf-8")
    )
    [job] = document["jobs"].values()
    return job["steps"], document["env"]


def action(source: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
    document = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return document["runs"]["steps"], {}


def _source(checkout: Path) -> str:
    _, env = workflow(checkout)
    return _expression(env["ERRSPEC_SOURCE"], {})


def _annotation_at(output: str, pattern: str, checkout: Path) -> None:
    line = next(
        i
        for i, text in enumerate(
            (checkout / "spec" / "errors.yaml").read_text(encoding="utf-8").splitlines(), 1
        )
        if re.search(pattern, text)
    )
    assert f"::error file=spec/errors.yaml,line={line}," in output, output


def test_init_wrote_a_workflow_pinned_to_the_wheel_by_hash(remote: Path, user: Path) -> None:
    checkout = _pull_request(remote, user, "compatible", compatible)
    source = _source(checkout)
    assert re.fullmatch(r"file://.*/errspec-[^/]*\.whl#sha256=[0-9a-f]{64}", source), source


@pytest.mark.parametrize("kind", ["workflow", "action"])
def test_a_compatible_pull_request_passes(remote: Path, user: Path, kind: str) -> None:
    checkout = _pull_request(remote, user, "compatible", compatible)
    source = _source(checkout)
    steps, env = workflow(checkout) if kind == "workflow" else action(source)
    inputs = {"source": source, "project": ".", "fail-on": "error"}
    results = run_steps(checkout, steps, env, inputs)
    assert [code for _, code, _ in results] == [0] * 5, results
    assert "### Added" in (checkout.parent / f"{checkout.name}-runner" / "summary").read_text()
    shutil.rmtree(checkout.parent / f"{checkout.name}-runner")


@pytest.mark.parametrize(
    "name, change", [("breaking", breaking), ("makefile", makefile), ("planted-tag", tag)]
)
def test_a_breaking_pull_request_fails_with_an_annotation_at_the_spec_line(
    remote: Path, user: Path, name: str, change: Any
) -> None:
    checkout = _pull_request(remote, user, name, change)
    steps, env = workflow(checkout)
    results = run_steps(checkout, steps, env, {})
    by_name = {step: (code, out) for step, code, out in results}
    code, out = by_name["Breaking changes against the merge base"]
    assert code == 1, results
    _annotation_at(out, r"^\s+http_status: 400", checkout)
    assert "in sync" not in by_name["Install errspec, pinned by hash"][1]
    assert not (checkout / ".venv").exists()  # the Makefile never ran
    summary = (checkout.parent / f"{checkout.name}-runner" / "summary").read_text()
    assert "### Breaking changes" in summary  # the release notes, written also when failing


def test_a_template_that_reaches_out_of_the_sandbox_fails_the_gate(
    remote: Path, user: Path
) -> None:
    checkout = _pull_request(remote, user, "template", template)
    steps, env = workflow(checkout)
    results = run_steps(checkout, steps, env, {})
    by_name = {step: (code, out) for step, code, out in results}
    code, out = by_name["Validate the spec, the API surface and every output"]
    assert code == 2 and "reaches what templates may not use" in out, results
    assert "::error file=templates/docs/errors.md.jinja,line=1" in out
    assert not list(checkout.parent.rglob("PWNED"))
