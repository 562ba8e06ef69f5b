"""The run (workers.py): the post-processing worker, the child the rules run in and the shared
renders, forked processes whose results and errors come back to their jobs, and that leave
nothing behind; with ERRSPEC_WORKERS=0, everything in this process."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import pytest

import generator.postprocess
from generator.diagnostics import SpecError
from generator.load import parse
from generator.model import build_spec
from generator.pipeline import build
from generator.postprocess import STEPS
from generator.project import Project
from generator.read import read_inputs
from generator.schema import schema_problems
from generator.workers import Step
from generator.workers import Workers as _Workers
from support import (
    BAD_SPEC_PATCHES,
    FROZEN,
    MINIMAL,
    load_spec,
    run_errspec_process,
    tree_bytes,
)


def Workers() -> _Workers:  # noqa: N802 - reads like the class it makes
    return _Workers(STEPS)


@pytest.fixture
def step(monkeypatch: pytest.MonkeyPatch) -> Callable[[Any], None]:
    def install(function: Any) -> None:
        monkeypatch.setitem(generator.postprocess.STEPS, "test", Step(function, lambda: None))

    return install


def test_each_result_comes_back_to_its_job(step: Callable[[Any], None]) -> None:
    step(lambda text: text[::-1] * 2)
    texts = [f"job {i} " * (i * 20000) for i in range(5)]  # the largest do not fit in a pipe
    with Workers() as workers:
        assert workers.pid, "no worker started"
        jobs = [workers.step("test", text) for text in texts]
        results = [job.result() for job in reversed(jobs)]
    assert results == [text[::-1] * 2 for text in reversed(texts)]


def test_a_step_error_is_raised_by_the_caller(step: Callable[[Any], None]) -> None:
    def fail(text: str) -> str:
        raise ValueError(f"cannot format {text!r}")

    step(fail)
    with Workers() as workers:
        with pytest.raises(RuntimeError, match=r"test failed: ValueError: cannot format 'x = \('"):
            workers.step("test", "x = (").result()


def test_a_dying_worker_is_an_error_not_a_result(step: Callable[[Any], None]) -> None:
    step(lambda text: os._exit(3))
    with Workers() as workers:
        with pytest.raises(RuntimeError, match="exited without an answer"):
            workers.step("test", "die").result()


def test_workers_leave_no_process_and_no_file(
    step: Callable[[Any], None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    step(lambda text: text)
    with pytest.raises(KeyError):
        with Workers() as workers:
            assert workers.step("test", "x").result() == "x"
            raise KeyError("the caller fails")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_without_workers_steps_run_in_process(
    step: Callable[[Any], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ERRSPEC_WORKERS", "0")
    seen: list[int] = []
    step(lambda text: seen.append(os.getpid()) or text)
    with Workers() as workers:
        assert workers.step("test", "y").result() == "y"
    assert seen == [os.getpid()]


def test_workers_and_the_plain_pipeline_write_the_same_files(
    tmp_path: Path, frozen_tree: Path
) -> None:
    trees = []
    for workers in ("1", "0"):  # a process of its own: the workers fork it
        out = tmp_path / f"out{workers}"
        result = run_errspec_process(
            "generate",
            "--spec",
            str(FROZEN / "errors.yaml"),
            "--out",
            str(out),
            env={"ERRSPEC_CACHE": "0", "ERRSPEC_WORKERS": workers},
        )
        assert result.code == 0, result.err
        trees.append(tree_bytes(out))
    assert trees[0] == trees[1] == tree_bytes(frozen_tree / "generated")


def test_shared_tasks_run_in_two_processes_and_come_back_in_order(tmp_path: Path) -> None:
    """Until the other process has run a task, a task in this one waits for it (a minute at
    most): both take tasks from the pipe, however long the fork of a large pytest takes."""
    parent = os.getpid()

    def run(i: int) -> str:
        if os.getpid() != parent:
            (tmp_path / str(os.getpid())).touch()
        deadline = time.monotonic() + 60
        while os.getpid() == parent and not any(tmp_path.iterdir()):
            assert time.monotonic() < deadline, "the other process took no task"
            time.sleep(0.01)
        return f"{i}:{os.getpid()}:" + "x" * (i * 50_000)

    tasks = [lambda i=i: run(i) for i in range(12)]
    with Workers() as workers:
        results = workers.map(lambda task: task(), tasks)
    assert [r.split(":")[0] for r in results] == [str(i) for i in range(12)]
    assert [len(r.split(":")[2]) for r in results] == [i * 50_000 for i in range(12)]
    assert len({r.split(":")[1] for r in results}) == 2, "one process did every task"


def test_a_task_failing_in_the_child_raises_its_own_error_here() -> None:
    parent = os.getpid()

    def fails_in_child() -> str:
        if os.getpid() != parent:
            raise ValueError("child")
        raise KeyError("the real error, raised again here")

    slow = [lambda: str(sum(range(3_000_000)))] * 3
    with Workers() as workers:
        with pytest.raises(KeyError, match="raised again here"):
            workers.map(lambda task: task(), [*slow, fails_in_child, *slow])


def test_without_workers_shared_tasks_run_here_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERRSPEC_WORKERS", "0")
    with Workers() as workers:
        assert (
            workers.map(lambda task: task(), [lambda: str(os.getpid())] * 3)
            == [str(os.getpid())] * 3
        )


def _rule_breaking_specs() -> list[tuple[str, bytes]]:
    """The bad-spec patches that pass the JSON Schema and break a rule."""
    found = []
    for patch in BAD_SPEC_PATCHES:
        text = patch.apply()
        try:
            document = parse(text.decode("utf-8"), "x")
        except Exception:  # noqa: BLE001 - refused before the rules
            continue
        if not schema_problems(document):
            found.append((patch.name, text))
    return found


@pytest.mark.parametrize("name, text", _rule_breaking_specs())
def test_rules_judged_in_a_child_give_what_the_serial_run_gives(
    name: str, text: bytes, tmp_path: Path
) -> None:
    """With a worker, the rules run in a child beside the model and the renders; their
    diagnostics are the serial run's, and a build that fails on what they refuse (a missing
    locale: KeyError in the model) gives way to them. Nothing is returned before them."""
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    (spec_dir / "errors.yaml").write_bytes(text)
    shutil.copy(MINIMAL / "openapi.yaml", spec_dir / "openapi.yaml")
    with pytest.raises(SpecError) as serial:
        load_spec(spec_dir / "errors.yaml")
    project = Project.at(str(tmp_path))
    with Workers() as workers:
        with pytest.raises(SpecError) as beside:
            build(read_inputs(project), workers)
        assert workers.forked, "the rules did not run in a child"
    assert beside.value.diagnostics == serial.value.diagnostics


def test_the_rule_breaking_specs_include_one_the_model_cannot_build() -> None:
    failures = 0
    for _, text in _rule_breaking_specs():
        try:
            build_spec(parse(text.decode("utf-8"), "x").data)
        except Exception:  # noqa: BLE001 - what the test above needs
            failures += 1
    assert failures
