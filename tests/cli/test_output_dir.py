"""The output directory through `generate` and `check`, on the frozen registry: written all at
once or not at all, only where errspec owns it, and compared with the outputs byte for byte,
whatever the tree holds. (The writing and comparing themselves: tests/stages/test_output.py.)"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import generator.cli
import generator.output.write
import generator.postprocess
from generator.workers import Step
from generator.cache import _digest
from support import FROZEN, PEAK_KIB, ROOT, copy_project, run_errspec, run_python, tree_bytes
from support import user_env
from support import without_warnings


def _edit_spec(project: Path) -> Path:
    """Change one message, so that every target must be rendered anew."""
    spec = project / "spec" / "errors.yaml"
    text = spec.read_text(encoding="utf-8")
    old = re.search(r"^    message: (.+)$", text, re.M)
    assert old, "the spec has no code message to edit"
    spec.write_text(text.replace(old.group(0), old.group(0) + " (edited)", 1), encoding="utf-8")
    return spec


def _generate(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    spec = _edit_spec(project)
    code = generator.cli.main(
        ["generate", "--spec", str(spec), "--out", str(project / "generated")]
    )
    return code, capsys.readouterr().err


@pytest.fixture
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERRSPEC_CACHE", "0")
    monkeypatch.setenv("ERRSPEC_WORKERS", "0")  # steps patched here must run in this process


def _unchanged(project: Path, before: dict[str, bytes]) -> None:
    assert tree_bytes(project / "generated") == before
    assert sorted(p.name for p in project.iterdir()) == ["generated", "spec"]


# --- failures after the spec was accepted -------------------------------------------------------


def test_a_failing_postprocess_step_leaves_generated_untouched(
    project: Path,
    no_cache: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    calls: list[str] = []

    def explode(text: str) -> str:
        calls.append(text)
        raise RuntimeError("datamodel exploded\non two lines")

    monkeypatch.setitem(generator.postprocess.STEPS, "datamodel", Step(explode, lambda: None))
    before = tree_bytes(project / "generated")
    code, err = _generate(project, capsys)
    assert calls, "the step was never reached: the test did not fail late"
    assert code == 3  # a bug, not bad input
    assert without_warnings(err).startswith(
        "errspec: internal error: RuntimeError: 'datamodel exploded on two lines'"
    )
    assert without_warnings(err).count("\n") == 1
    _unchanged(project, before)


def test_a_postprocess_step_failing_in_its_worker_leaves_generated_untouched(
    project: Path,
    no_cache: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The same failure on the production path: the step runs in a forked worker, which
    inherits the patched step; its error comes back as text."""
    monkeypatch.delenv("ERRSPEC_WORKERS")

    def explode(text: str) -> str:
        raise RuntimeError(f"datamodel exploded in process {os.getpid()}")

    monkeypatch.setitem(generator.postprocess.STEPS, "datamodel", Step(explode, lambda: None))
    before = tree_bytes(project / "generated")
    code, err = _generate(project, capsys)
    assert code == 3
    failed = re.search(r"datamodel exploded in process (\d+)", err)
    assert failed, err
    assert int(failed.group(1)) != os.getpid(), "the step ran in this process, not in a worker"
    _unchanged(project, before)


@pytest.mark.parametrize(
    "failing_call, exchange",
    [(1, True), (1, False), (2, False)],  # an exchange is one call
    ids=["1-True", "1-False", "2-False"],
)
def test_a_failing_directory_swap_leaves_the_old_tree(
    exchange: bool,
    failing_call: int,
    project: Path,
    no_cache: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without RENAME_EXCHANGE, call 1 moves generated/ aside, call 2 moves the new tree in;
    either may fail. With it, the exchange itself may fail."""
    real_rename = os.rename
    calls: list[tuple[str, str]] = []

    def rename(src: str | Path, dst: str | Path) -> None:
        calls.append((str(src), str(dst)))
        if len(calls) == failing_call:
            raise OSError(errno.EIO, "simulated I/O error", str(src))
        real_rename(src, dst)

    def failing_exchange(a: Path, b: Path) -> bool:
        raise OSError(errno.EIO, "simulated I/O error", str(a))

    if exchange:
        monkeypatch.setattr(generator.output.write, "_exchange", failing_exchange)
    else:
        monkeypatch.setattr(generator.output.write, "_exchange", lambda a, b: False)
        monkeypatch.setattr(os, "rename", rename)
    before = tree_bytes(project / "generated")
    code, err = _generate(project, capsys)
    assert exchange or len(calls) >= failing_call
    assert code == 4
    assert "simulated I/O error; nothing was changed" in err
    _unchanged(project, before)


def test_a_full_disk_leaves_generated_untouched(
    project: Path,
    no_cache: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import builtins

    real_open = builtins.open
    written: list[str] = []

    def full_open(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if "x" in mode and ".generated.new-" in str(file):
            written.append(str(file))
            if len(written) == 3:
                raise OSError(errno.ENOSPC, "No space left on device", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", full_open)
    before = tree_bytes(project / "generated")
    code, err = _generate(project, capsys)
    assert len(written) == 3
    assert code == 4 and "No space left on device; nothing was changed" in err
    _unchanged(project, before)


# --- the exchange, the lock, leftovers -----------------------------------------------------------


def test_concurrent_generates_serialise_and_end_with_a_correct_tree(project: Path) -> None:
    env = user_env(PYTHONPATH=str(ROOT), ERRSPEC_CACHE="0")
    _edit_spec(project)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "generator", "generate"],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    for p in procs:
        assert p.wait(timeout=300) == 0, p.stderr.read() if p.stderr else ""
    assert run_errspec("check", cwd=project, env={"ERRSPEC_CACHE": "0"}).code == 0
    assert sorted(p.name for p in project.iterdir()) == ["generated", "spec"]


# --- --out only replaces what errspec owns -------------------------------------------------------


@pytest.fixture
def git_project(tmp_path: Path, frozen_tree: Path) -> Path:
    """A copy of the frozen project, committed in a git repository of its own."""
    project = copy_project(frozen_tree, tmp_path / "proj")
    (project / "notes.txt").write_text("mine\n", encoding="utf-8")
    (project / ".gitignore").write_text("__pycache__/\n*.pyc\n", encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "init"], cwd=project, check=True)
    return project


@pytest.mark.parametrize(
    "out, why",
    [
        (".", "would replace the project directory"),
        ("..", "would replace the project directory"),
        ("spec", "would replace the spec's directory"),
        (".git", "inside a .git directory"),
        ("notes.txt", "is not a directory"),
        ("foreign", "non-empty directory without errspec's marker"),
    ],
)
def test_out_refuses_what_errspec_does_not_own(
    tmp_path: Path, git_project: Path, out: str, why: str
) -> None:
    project = git_project
    (project / "foreign").mkdir()
    (project / "foreign" / "keep.txt").write_text("precious\n", encoding="utf-8")
    before = tree_bytes(tmp_path)
    result = run_errspec("generate", "--out", out, cwd=project, env={"ERRSPEC_CACHE": "0"})
    assert result.code == 2, result.out + result.err
    assert why in result.err and "choose" in result.err or "pass an empty" in result.err
    assert without_warnings(result.err).count("\n") == 1
    assert tree_bytes(tmp_path) == before


def test_out_refuses_the_templates(tmp_path: Path) -> None:
    result = run_errspec(
        "generate",
        "--spec",
        str(FROZEN / "errors.yaml"),
        "--out",
        str(ROOT / "templates"),
        cwd=tmp_path,
    )
    assert result.code == 2 and "would replace the templates" in result.err


def test_a_symlinked_output_directory_is_written_through(tmp_path: Path, git_project: Path) -> None:
    project = git_project
    real = tmp_path / "elsewhere"
    shutil.move(project / "generated", real)
    (project / "generated").symlink_to(real)
    _edit_spec(project)
    assert run_errspec("generate", cwd=project, env={"ERRSPEC_CACHE": "0"}).code == 0
    assert (project / "generated").is_symlink()
    assert run_errspec("check", cwd=project, env={"ERRSPEC_CACHE": "0"}).code == 0


# --- check proves the tree, whatever it holds ----------------------------------------------------


def test_a_hand_edit_with_a_forged_header_is_drift_for_check_and_generate(project: Path) -> None:
    target = project / "generated" / "python" / "exceptions.py"
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = lines[0].rstrip("\n") + " (input 0123456789abcdef, output 0123456789abcdef)\n"
    target.write_text("".join(lines) + "import os; os.system('echo pwned')\n", encoding="utf-8")
    for env in ({"ERRSPEC_CACHE": "0"}, {"ERRSPEC_CACHE": str(project / "cache")}):
        result = run_errspec("check", cwd=project, env=env)
        assert result.code == 1 and "python/exceptions.py: differs" in result.out
    result = run_errspec("generate", cwd=project, env={"ERRSPEC_CACHE": "0"})
    assert result.code == 0 and "changed generated/python/exceptions.py" in result.out
    assert "pwned" not in target.read_text(encoding="utf-8")


def test_a_cache_planted_in_the_tree_is_never_read(project: Path) -> None:
    planted = project / ".errspec-cache"
    planted.mkdir()
    (planted / "outputs-x.pickle").write_bytes(b"cos\nsystem\n(S'touch PWNED'\ntR.")
    target = project / "generated" / "python" / "exceptions.py"
    target.write_text(target.read_text(encoding="utf-8") + "# tampered\n", encoding="utf-8")
    cache = project / "usercache"
    for env in ({}, {"ERRSPEC_CACHE": str(cache)}, {"CI": "true"}):
        assert run_errspec("check", cwd=project, env=env).code == 1
    assert not (project / "PWNED").exists()


def test_a_poisoned_user_cache_entry_is_ignored_in_ci(project: Path, tmp_path: Path) -> None:
    """With CI set, check builds everything itself: a cache restored into CI cannot vouch."""
    home = tmp_path.parent / f"{tmp_path.name}-home"  # outside the project, which is tmp_path
    env = {"XDG_CACHE_HOME": str(home), "ERRSPEC_CACHE": "", "CI": ""}  # a developer machine
    assert run_errspec("check", cwd=project, env=env).code == 0  # stores an entry
    entries = list((home / "errspec").glob("outputs-*.json"))
    assert len(entries) == 1
    target = project / "generated" / "python" / "exceptions.py"
    target.write_text(target.read_text(encoding="utf-8") + "# tampered\n", encoding="utf-8")
    entry = json.loads(entries[0].read_text(encoding="utf-8"))
    entry["outputs"]["files"]["python/exceptions.py"] = target.read_text(encoding="utf-8")
    entry["digest"] = _digest(entry["outputs"])
    entries[0].write_text(json.dumps(entry), encoding="utf-8")
    assert run_errspec("check", cwd=project, env={**env, "CI": "true"}).code == 1


def test_a_committed_pyc_is_drift_but_bytecode_from_an_import_is_not(
    tmp_path: Path, git_project: Path
) -> None:
    project = git_project
    subprocess.run(  # a Python process that imports the SDK writes bytecode beside it
        [sys.executable, "-c", "import python.exceptions"],
        cwd=project / "generated",
        env=user_env(PYTHONPATH=str(project / "generated")),
        check=True,
    )
    pycache = project / "generated" / "python" / "__pycache__"
    assert any(pycache.iterdir()), "importing wrote no bytecode"
    result = run_errspec("check", cwd=project, env={"ERRSPEC_CACHE": "0"})
    assert result.code == 0, result.out
    pyc = next(pycache.iterdir())
    subprocess.run(["git", "add", "-f", str(pyc)], cwd=project, check=True)
    result = run_errspec("check", cwd=project, env={"ERRSPEC_CACHE": "0"})
    assert result.code == 1
    assert f"python/__pycache__/{pyc.name}: is not produced by any target (stale)" in result.out
    result = run_errspec("generate", cwd=project, env={"ERRSPEC_CACHE": "0"})
    assert result.code == 0 and "removed" in result.out


def test_an_untracked_unignored_file_is_stale(tmp_path: Path, git_project: Path) -> None:
    project = git_project
    (project / "generated" / "docs" / "notes.md").write_text("hand-written\n", encoding="utf-8")
    result = run_errspec("check", cwd=project, env={"ERRSPEC_CACHE": "0"})
    assert result.code == 1 and "docs/notes.md: is not produced by any target (stale)" in result.out


def test_a_symlink_in_place_of_a_generated_file_is_drift(project: Path) -> None:
    target = project / "generated" / "python" / "exceptions.py"
    copy = project / "elsewhere.txt"
    shutil.copy(target, copy)
    target.unlink()
    target.symlink_to(copy)
    result = run_errspec("check", cwd=project, env={"ERRSPEC_CACHE": "0"})
    assert result.code == 1 and "python/exceptions.py: is a symbolic link" in result.out


def test_a_huge_stray_file_is_never_read(project: Path) -> None:
    huge = project / "generated" / "huge.bin"
    with open(huge, "wb") as fh:
        fh.truncate(3 << 30)  # sparse: 3 GB that take no disk
    code = f"import generator.cli; c = generator.cli.main(['check']); print(c, {PEAK_KIB})"
    proc = run_python(code, cwd=project, env={"ERRSPEC_CACHE": "0", "ERRSPEC_WORKERS": "0"})
    exit_code, rss_kib = map(int, proc.stdout.split()[-2:])
    assert exit_code == 1 and "huge.bin: is not produced by any target (stale)" in proc.stdout
    assert rss_kib < 300 * 1024


def test_a_file_name_cannot_forge_annotations_or_lines(project: Path) -> None:
    name = "x\n::error file=errors.yaml::forged %0A \x1b[31mred"
    (project / "generated" / name).write_text("x\n", encoding="utf-8")
    for fmt in ("text", "github"):
        result = run_errspec("check", "--format", fmt, cwd=project, env={"ERRSPEC_CACHE": "0"})
        assert result.code == 1
        assert "\x1b" not in result.out
        lines = [line for line in result.out.splitlines() if "forged" in line]
        assert len(lines) == 1, result.out
        if fmt == "github":
            assert lines[0].startswith(
                "::error file=generated/x\\n%3A%3Aerror file=errors.yaml%3A%3Aforged %250A \\x1b[31mred,title=errspec drift::"
            )
        else:
            assert lines[0].startswith("generated/x\\n::error")
