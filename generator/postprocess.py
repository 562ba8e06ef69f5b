"""Post-processing: the steps that run on a rendered text after Jinja, and the worker
processes that spread the work over the machine's cores.

datamodel-code-generator turns the models' OpenAPI input into `models.py`. A step
runs in the calling process, or in a worker process (`Workers`) so that its start-up
and its work overlap with validating and rendering the spec. `Workers.share` runs a
list of tasks (the renders) in this process and a child forked for them; `Workers.aside`
runs one task (the rules) in a child while this process goes on.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import itertools
import json
import os
import select
import shutil
import signal
import tempfile
from pathlib import Path
from typing import IO, Callable, Protocol, Sequence

from .models import models_from_openapi

STEPS: dict[str, Callable[[str], str]] = {
    "datamodel": models_from_openapi,
}
# Run once by a worker that has no job yet once the tool is imported, so that the tool's lazy
# imports overlap the rendering too.
_WARM_UP = (
    "openapi: 3.1.0\ninfo: {title: warm-up, version: '0'}\npaths: {}\ncomponents:\n  schemas:\n"
    "    ErrorCode: {type: integer, enum: [0], x-enum-varnames: [SUCCESS]}\n"
)


class Job(Protocol):
    def result(self) -> str: ...


class _Done:
    def __init__(self, text: str) -> None:
        self.text = text

    def result(self) -> str:
        return self.text


def run_step(step: str, text: str) -> str:
    """Run one step on `text` in this process."""
    return STEPS[step](text)


def _serve(folder: Path, jobs: IO[str], results: IO[str]) -> None:
    """The worker's loop: warm up, then run each job named on `jobs`, answering on `results`."""
    gc.freeze()  # what it inherited is never collected
    importlib.import_module("datamodel_code_generator")  # most of the tool's start-up
    if not select.select([jobs], [], [], 0)[0]:  # no job yet: run one, for its lazy imports
        try:
            models_from_openapi(_WARM_UP)
        except Exception:  # noqa: BLE001 - a real job reports the problem
            pass
    for line in jobs:
        step, name = line.split()
        job = folder / name
        try:
            answer = {"output": run_step(step, job.read_text(encoding="utf-8"))}
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the caller
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        job.with_suffix(".json").write_text(json.dumps(answer), encoding="utf-8")
        results.write(line)
        results.flush()


class _Remote:
    def __init__(self, workers: "Workers", step: str, name: str) -> None:
        self.workers, self.step, self.name = workers, step, name

    def result(self) -> str:
        answer = self.workers.answer(self.name)
        if "error" in answer:
            raise RuntimeError(f"{self.step} failed: {answer['error']}")
        return str(answer["output"])


class _Child:
    """A forked child's pid and the file of its answer."""

    def __init__(self, pid: int, answer: Path) -> None:
        self.pid, self.answer, self.reaped = pid, answer, False

    def collect(self) -> dict[int, str]:
        """Wait for the child (once); its results by task index (none if it died)."""
        if not self.reaped:
            os.waitpid(self.pid, 0)
            self.reaped = True
        try:
            found = json.loads(self.answer.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {int(index): str(text) for index, text in found.items()}


class _Aside:
    def __init__(self, child: _Child, task: Callable[[], str]) -> None:
        self.child, self.task = child, task

    def result(self) -> str:
        found = self.child.collect()
        return found[0] if 0 in found else self.task()


class Workers:
    """Start steps in one worker process, forked at once (while this process is small) so
    that its tool's import overlaps validation and rendering; or inline, with
    ERRSPEC_WORKERS=0 or without fork. Use as a context manager.
    """

    def __init__(self, fork: bool = True) -> None:
        self.pid = 0
        self.done: set[str] = set()
        self.children = itertools.count()
        self.forked: list[_Child] = []
        if not fork or os.environ.get("ERRSPEC_WORKERS") == "0" or not hasattr(os, "fork"):
            return
        self.folder = Path(tempfile.mkdtemp(prefix="errspec-"))
        jobs_r, jobs_w = os.pipe()
        results_r, results_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: serve jobs, never return into the caller's code
            try:
                os.close(jobs_w)
                os.close(results_r)
                _serve(self.folder, os.fdopen(jobs_r), os.fdopen(results_w, "w"))
            finally:
                os._exit(0)
        os.close(jobs_r)
        os.close(results_w)
        self.pid = pid
        self.jobs: IO[str] = os.fdopen(jobs_w, "w")
        self.results: IO[str] = os.fdopen(results_r)

    @classmethod
    def inline(cls) -> "Workers":
        """Steps run in this process."""
        return cls(fork=False)

    def start(self, step: str, text: str) -> Job:
        """Run `step` on `text`; the job's `result()` gives the output or raises the error."""
        if not self.pid:
            return _Done(run_step(step, text))
        name = f"{len(self.done) + len(os.listdir(self.folder))}.in"
        (self.folder / name).write_text(text, encoding="utf-8")
        self.jobs.write(f"{step} {name}\n")
        self.jobs.flush()
        return _Remote(self, step, name)

    def share(self, tasks: Sequence[Callable[[], str]]) -> list[str]:
        """The tasks' results, in order: run by this process and by a child forked now (so it
        has everything loaded so far), each taking the next task whenever it is free. A task
        that fails in the child is run again here, so its exception is the caller's.
        Inline (no worker process), the tasks run here one after the other."""
        if not self.pid or len(tasks) < 2:
            return [task() for task in tasks]
        queue_r, queue_w = os.pipe()
        os.write(queue_w, bytes(range(len(tasks))))  # one byte per task: at most 255 of them
        os.close(queue_w)

        def take(results: dict[int, str]) -> None:
            while index := os.read(queue_r, 1):
                results[index[0]] = tasks[index[0]]()

        mine: dict[int, str] = {}
        child = self._fork(take)
        try:
            take(mine)
        finally:
            os.close(queue_r)
            results = child.collect() | mine
        return [results[i] if i in results else tasks[i]() for i in range(len(tasks))]

    def aside(self, task: Callable[[], str]) -> Job:
        """Run `task` in a child forked now, while this process goes on; inline, run it now.
        If it fails there, `result()` runs it again here, so its exception is the caller's."""
        if not self.pid:
            return _Done(task())

        def run(results: dict[int, str]) -> None:
            results[0] = task()

        return _Aside(self._fork(run), task)

    def _fork(self, work: Callable[[dict[int, str]], None]) -> "_Child":
        """A child that runs `work` on a dict of results by task index, and answers with what
        it filled: all of it, or what was done before a task failed."""
        answer = self.folder / f"child-{next(self.children)}.json"
        pid = os.fork()
        if pid == 0:
            done: dict[int, str] = {}
            try:
                gc.freeze()
                work(done)
            except Exception:  # noqa: BLE001 - the caller runs the rest again, and raises
                pass
            finally:
                try:
                    answer.write_text(json.dumps(done), encoding="utf-8")
                finally:
                    os._exit(0)
        self.forked.append(_Child(pid, answer))
        return self.forked[-1]

    def answer(self, name: str) -> dict[str, str]:
        while name not in self.done:
            line = self.results.readline()
            if not line:
                raise RuntimeError("the post-processing worker exited without an answer")
            self.done.add(line.split()[1])
        answer: dict[str, str] = json.loads(
            (self.folder / name).with_suffix(".json").read_text(encoding="utf-8")
        )
        return answer

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc: object) -> None:
        for child in self.forked:  # not collected: the caller failed before it needed them
            if not child.reaped:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.pid, signal.SIGKILL)
                child.collect()
        if self.pid:
            self.jobs.close()
            self.results.close()
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            shutil.rmtree(self.folder, ignore_errors=True)
