"""Every diagnostic is escaped, on every command and format, and every user error or resource
limit exits 2 with what to do; a revision name git could read two ways is refused."""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import FROZEN, ROOT, run_errspec
from support import git

FORGED = re.compile(r"^::(error|warning|notice)[^\n]*forged", re.M)


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "spec").mkdir(parents=True)
    for name in ("errors.yaml", "openapi.yaml"):
        shutil.copy(FROZEN / name, repo / "spec" / name)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "registry")
    return repo


@pytest.mark.parametrize("fmt", ["text", "github", "json", "markdown"])
def test_a_revision_name_cannot_forge_an_annotation(tmp_path: Path, fmt: str) -> None:
    """Case 8: `diff --against "$(printf 'HEAD\\n::error file=README.md::forged')"`."""
    repo = _repo(tmp_path)
    rev = "HEAD\n::error file=README.md::forged"
    result = run_errspec("diff", "--against", rev, "--format", fmt, cwd=repo)
    assert result.code == 2, result
    assert not FORGED.search(result.out) and not FORGED.search(result.err)
    assert "HEAD\\n::error" in result.err


def test_an_explain_code_of_5000_digits_is_a_user_error(tmp_path: Path) -> None:
    result = run_errspec("explain", "9" * 5000, "--spec", str(FROZEN / "errors.yaml"))
    assert result.code == 2, result
    assert "unknown error code 9999" in result.err and len(result.err) < 400


def test_a_terminal_that_cannot_show_the_text_gets_escapes(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "explain",
            "3001",
            "--lang",
            "zh",
            "--spec",
            str(FROZEN / "errors.yaml"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.isascii() and b"\\u8bf7\\u6c42" in proc.stdout


def test_running_out_of_memory_is_a_user_error(tmp_path: Path) -> None:
    """A resource limit exits 2 naming it, never 3 (a bug)."""
    sys.path.insert(0, str(ROOT))
    from bench.synth import write_workspace

    write_workspace(tmp_path / "big", 10_000)  # about 130 MB more than errspec's start
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ERRSPEC_CACHE": "0", "ERRSPEC_WORKERS": "0"}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import generator.pipeline; print(open('/proc/self/status').read())",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    start = int(re.search(r"VmPeak:\s+(\d+) kB", probe).group(1)) << 10  # type: ignore[union-attr]
    cap = start + (40 << 20)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate"],
        cwd=tmp_path / "big",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "out of memory" in proc.stderr and "64 MiB" in proc.stderr
    assert not (tmp_path / "big" / "generated").exists()


def test_a_spec_blob_over_64_mib_at_the_revision_is_refused(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    spec = repo / "spec" / "errors.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text + ("# " + "x" * 1022 + "\n") * (65 << 10), encoding="utf-8")
    git(repo, "commit", "-qam", "a huge spec")
    spec.write_text(text, encoding="utf-8")
    result = run_errspec("diff", "--against", "HEAD", cwd=repo)
    assert result.code == 2, result
    assert "more than the 64 MiB errspec reads" in result.err


def _branches(repo: Path) -> tuple[str, str]:
    """origin/main at the first commit (the base), a breaking change on top (HEAD)."""
    base = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-ref", "refs/remotes/origin/main", base)
    spec = repo / "spec" / "errors.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("http_status: 401", "http_status: 400", 1),
        encoding="utf-8",
    )
    git(repo, "commit", "-qam", "breaking: 1001 is now 400")
    return base, git(repo, "rev-parse", "HEAD").strip()


def test_a_tag_named_like_the_base_branch_is_refused_as_ambiguous(tmp_path: Path) -> None:
    """Case 3: a pushed tag `origin/main` would make the pull request its own base."""
    repo = _repo(tmp_path)
    base, head = _branches(repo)
    assert run_errspec("diff", "--against", "origin/main", cwd=repo).code == 1  # breaking
    git(repo, "tag", "origin/main", head)
    result = run_errspec("diff", "--against", "origin/main", cwd=repo)
    assert result.code == 2, result
    assert "ambiguous" in result.err and "refs/tags/origin/main" in result.err
    full = run_errspec("diff", "--against", "refs/remotes/origin/main", cwd=repo)
    assert full.code == 1 and "http_status 401 → 400" in full.out


def test_make_breaking_compares_with_the_branch_not_a_tag_named_like_it(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    shutil.copy(ROOT / "Makefile", repo / "Makefile")
    git(repo, "add", "Makefile")
    git(repo, "commit", "-qm", "makefile")
    base, head = _branches(repo)
    git(repo, "tag", "origin/main", head)
    proc = subprocess.run(
        ["make", "-s", "breaking-base"], cwd=repo, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert f"merge base {base}" in proc.stdout
