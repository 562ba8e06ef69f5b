"""`check` judges what git serves (clones, `git archive`, raw URLs), not only the working tree:
every output must be in the index as it is on disk, with no attribute that rewrites it on
checkout or export and no flag that hides it, and nothing else may be tracked there."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from support import FROZEN, run_errspec
from support import git

EXCEPTIONS = "generated/python/exceptions.py"
ERROR_CODES = "generated/python/error_codes.py"


def _repo(tmp_path: Path, edit: str = "") -> Path:
    """A registry repository with the frozen spec (its first wire message prefixed by
    `edit`), generated and committed: in sync."""
    repo = tmp_path / "repo"
    (repo / "spec").mkdir(parents=True)
    for name in ("errors.yaml", "openapi.yaml"):
        shutil.copy(FROZEN / name, repo / "spec" / name)
    if edit:
        spec = repo / "spec" / "errors.yaml"
        text = spec.read_text(encoding="utf-8")
        spec.write_text(text.replace("    message: ", f"    message: {edit}", 1), encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    assert run_errspec("generate", cwd=repo).code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "registry")
    assert run_errspec("check", cwd=repo).code == 0
    return repo


def _check(repo: Path, **env: str) -> tuple[int, str]:
    result = run_errspec("check", cwd=repo, env={"CI": "1", "ERRSPEC_CACHE": "", **env})
    return result.code, result.out + result.err


def _archived(repo: Path, path: str) -> bytes | None:
    """`path` as `git archive HEAD` serves it; None when the archive leaves it out."""
    data = subprocess.run(
        ["git", "archive", "--format=tar", "HEAD"], cwd=repo, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        try:
            member = tar.extractfile(path)
        except KeyError:
            return None
        return member.read() if member else None


def test_an_export_subst_attribute_is_drift(tmp_path: Path) -> None:
    """Case 1: with `export-subst`, a wire message holding $Format:%s$ becomes the commit
    subject in `git archive` (code, run on import); check names the attribute."""
    repo = _repo(tmp_path, edit="$Format:%s$ ")
    (repo / ".gitattributes").write_text("generated/** export-subst\n", encoding="utf-8")
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-qm", "__import__('os').system('touch PWNED')")
    served = _archived(repo, ERROR_CODES)
    assert served is not None and b"__import__" in served  # what SDK builds would get
    code, out = _check(repo)
    assert code == 1, out
    assert f"{ERROR_CODES}: has the git attribute export-subst" in out


def test_an_export_ignore_attribute_is_drift(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / ".gitattributes").write_text(
        "generated/python/exceptions.py export-ignore\n", encoding="utf-8"
    )
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-qm", "attributes")
    assert _archived(repo, EXCEPTIONS) is None
    code, out = _check(repo)
    assert code == 1 and f"{EXCEPTIONS}: has the git attribute export-ignore" in out


@pytest.mark.parametrize(
    "attribute",
    ["working-tree-encoding=ISO-8859-1", "eol=crlf", "filter=lfs", "ident", "text eol=crlf"],
)
def test_attributes_that_rewrite_outputs_are_drift(tmp_path: Path, attribute: str) -> None:
    repo = _repo(tmp_path)
    (repo / ".gitattributes").write_text(f"*.py {attribute}\n", encoding="utf-8")
    git(repo, "add", ".gitattributes")
    code, out = _check(repo)
    assert code == 1, out
    name = attribute.split()[-1]
    assert f"{EXCEPTIONS}: has the git attribute {name}" in out


def test_a_working_tree_encoding_makes_the_committed_blob_differ(tmp_path: Path) -> None:
    """The blob git stores is not the file on disk: drift even once the attribute is gone
    from the index again, as long as the mojibake blob stays committed."""
    repo = _repo(tmp_path)
    (repo / ".gitattributes").write_text(
        "*.md working-tree-encoding=ISO-8859-1\n", encoding="utf-8"
    )
    git(repo, "add", ".gitattributes")
    git(repo, "add", "--renormalize", "generated")
    git(repo, "rm", "-q", "--cached", ".gitattributes")
    (repo / ".gitattributes").unlink()
    code, out = _check(repo)
    assert code == 1 and "generated/docs/errors.zh.md: not staged" in out


@pytest.mark.parametrize("attributes", ["* text=auto\n", "* text eol=lf\n", "*.py -text\n"])
def test_attributes_that_keep_lf_outputs_as_they_are_are_fine(
    tmp_path: Path, attributes: str
) -> None:
    repo = _repo(tmp_path)
    (repo / ".gitattributes").write_text(attributes, encoding="utf-8")
    git(repo, "add", ".gitattributes")
    code, out = _check(repo)
    assert code == 0, out


def test_a_gitlink_under_the_output_directory_is_drift(tmp_path: Path) -> None:
    """Case 2: a submodule entry where the SDK lives."""
    repo = _repo(tmp_path)
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{head},generated/python/vendor")
    code, out = _check(repo)
    assert code == 1 and "generated/python/vendor: is a git submodule (gitlink)" in out


def test_a_tracked_output_left_out_by_a_sparse_checkout_is_drift(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    git(repo, "sparse-checkout", "set", "--no-cone", "/*", f"!/{EXCEPTIONS}")
    assert not (repo / EXCEPTIONS).exists()
    code, out = _check(repo)
    assert code == 1 and f"{EXCEPTIONS}: is missing" in out
    assert "skip-worktree" in out


def test_a_deleted_file_flagged_skip_worktree_is_drift(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    git(repo, "update-index", "--skip-worktree", EXCEPTIONS)
    (repo / EXCEPTIONS).unlink()
    assert git(repo, "status", "--porcelain") == ""  # git itself sees nothing
    code, out = _check(repo)
    assert code == 1 and f"{EXCEPTIONS}: is missing" in out
    assert f"{EXCEPTIONS}: is marked skip-worktree" in out


def test_an_assume_unchanged_file_is_drift(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    git(repo, "update-index", "--assume-unchanged", EXCEPTIONS)
    code, out = _check(repo)
    assert code == 1 and f"{EXCEPTIONS}: is marked assume-unchanged" in out


def test_a_tracked_extra_absent_from_disk_is_drift(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "generated" / "python" / "extra.py").write_text("x = 1\n", encoding="utf-8")
    git(repo, "add", "generated")
    (repo / "generated" / "python" / "extra.py").unlink()
    code, out = _check(repo)
    assert code == 1 and "generated/python/extra.py: is not produced by any target" in out


def test_a_correct_file_that_is_not_staged_is_drift(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    spec = repo / "spec" / "errors.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("    message: ", "    message: A ", 1),
        encoding="utf-8",
    )
    git(repo, "add", "spec")
    assert run_errspec("generate", cwd=repo).code == 0
    code, out = _check(repo)
    assert code == 1
    assert f"{ERROR_CODES}: not staged: git add {ERROR_CODES}" in out
    assert "errspec generate" not in out  # the outputs are right: only git add is missing
    git(repo, "add", "generated")
    assert _check(repo)[0] == 0


def test_a_checkout_with_autocrlf_is_in_sync(tmp_path: Path) -> None:
    """Case 6: Git for Windows' default; the working tree has CRLF, git serves LF."""
    repo = _repo(tmp_path)
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "-c", "core.autocrlf=true", "clone", "-q", str(repo), str(clone)], check=True
    )
    git(clone, "config", "core.autocrlf", "true")
    assert b"\r\n" in (clone / EXCEPTIONS).read_bytes()
    code, out = _check(clone)
    assert code == 0, out
    (clone / EXCEPTIONS).write_bytes((clone / EXCEPTIONS).read_bytes() + b"# edited\r\n")
    code, out = _check(clone)
    assert code == 1 and f"{EXCEPTIONS}: differs" in out


def test_outside_git_the_working_tree_is_judged_as_before(tmp_path: Path) -> None:
    project = tmp_path / "plain"
    (project / "spec").mkdir(parents=True)
    for name in ("errors.yaml", "openapi.yaml"):
        shutil.copy(FROZEN / name, project / "spec" / name)
    assert run_errspec("generate", cwd=project).code == 0
    assert _check(project)[0] == 0
    (project / "generated" / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, out = _check(project)
    assert code == 1 and "generated/notes.txt: is not produced by any target (stale)" in out


def test_the_diff_of_a_changed_file_shows_its_bytes_escaped(tmp_path: Path) -> None:
    """Case 8: a hand edit holding ESC and other controls never reaches the terminal raw."""
    repo = _repo(tmp_path)
    target = repo / EXCEPTIONS
    target.write_bytes(target.read_bytes() + b"\x1b[2J\x1b]0;owned\x07\tx\n")
    code, out = _check(repo)
    assert code == 1
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b[2J\\x1b]0;owned\\x07\tx" in out


def _plant_entry(repo: Path, cache: Path) -> None:
    """A cache filled by a clean check and moved to `cache`, then the SDK tampered with and
    the entry forged to match the tampered tree, both committed, as a pull request could."""
    filled = repo.parent / "filled"
    assert run_errspec("check", cwd=repo, env={"ERRSPEC_CACHE": str(filled), "CI": ""}).code == 0
    shutil.copytree(filled, cache)
    (entry,) = cache.glob("outputs-*.json")
    tampered = (repo / EXCEPTIONS).read_text(encoding="utf-8") + "import os  # injected\n"
    (repo / EXCEPTIONS).write_text(tampered, encoding="utf-8")
    import json

    from generator.cache import _digest

    data = json.loads(entry.read_text(encoding="utf-8"))
    data["outputs"]["files"]["python/exceptions.py"] = tampered
    data["digest"] = _digest(data["outputs"])
    entry.write_text(json.dumps(data), encoding="utf-8")
    git(repo, "add", "-A", "-f")
    git(repo, "commit", "-qm", "a pull request")


def test_a_cache_inside_the_repository_is_refused(tmp_path: Path) -> None:
    """Case 4: ERRSPEC_CACHE pointing into the repository, with an entry the PR committed."""
    repo = _repo(tmp_path)
    cache = repo / "tools" / "cache"
    _plant_entry(repo, cache)
    result = run_errspec("check", cwd=repo, env={"CI": "1", "ERRSPEC_CACHE": str(cache)})
    assert result.code == 1, result
    assert f"{EXCEPTIONS}: differs" in result.out
    assert "not using the cache" in result.err and "running uncached" in result.err


def test_an_xdg_cache_inside_the_project_is_refused(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _plant_entry(repo, repo / "xdg" / "errspec")
    env = {"CI": "", "ERRSPEC_CACHE": "", "XDG_CACHE_HOME": str(repo / "xdg")}
    result = run_errspec("check", cwd=repo, env=env)
    assert result.code == 1 and "not using the cache" in result.err


def test_a_cache_in_the_output_directory_is_refused(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    outside = tmp_path / "out"
    assert run_errspec("generate", "--out", str(outside), cwd=repo).code == 0
    cache = outside / "cache"
    result = run_errspec(
        "check", "--out", str(outside), cwd=repo, env={"ERRSPEC_CACHE": str(cache), "CI": ""}
    )
    assert "not using the cache" in result.err
