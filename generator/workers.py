"""How the pipeline's stages run: in this process, or spread over worker processes.

`build` takes a run and uses it one line per stage: `run.aside(task, *args)` starts a task
beside what follows (the rules, in a child forked then), `run.map(task, items)` shares a list
of tasks between this process and a child (the renders), `run.step(name, text)` hands a
post-processing step to the worker forked at the start, whose tool is imported while this
process validates and renders. `Workers.inline(steps)` (or ERRSPEC_WORKERS=0) runs
everything here, in the plain stage order. Results cross processes as JSON (text, lists,
mappings and Diagnostics), through files in a private temporary folder.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import json
import os
import select
import shutil
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Generic, Mapping, Protocol, Sequence, TypeVar

from .diagnostics import Diagnostic

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Pending(Protocol[T_co]):
    """A result that may still be being made."""

    def result(self) -> T_co:
        """The result, once it is there; raises what making it raised."""
        ...

    def ready(self) -> bool:
        """True when the result is known without waiting."""
        ...


@dataclass(frozen=True)
class Step:
    """A post-processing step: `run` turns a text into another; `warm_up` loads its tool."""

    run: Callable[[str], str]
    warm_up: Callable[[], None]


def _tagged(value: Any) -> Any:
    """`value` as JSON data, each Diagnostic (a tuple, which JSON would make a list) tagged."""
    if isinstance(value, Diagnostic):
        return {"diagnostic": list(value)}
    if isinstance(value, (list, tuple)):
        return [_tagged(item) for item in value]
    if isinstance(value, dict):
        return {key: _tagged(item) for key, item in value.items()}
    return value


def _decode(value: dict[str, Any]) -> Any:
    return Diagnostic(*value["diagnostic"]) if set(value) == {"diagnostic"} else value


def _dumps(value: Any) -> str:
    return json.dumps(_tagged(value))


def _loads(text: str) -> Any:
    return json.loads(text, object_hook=_decode)


class _Done(Generic[T]):
    def __init__(self, value: T) -> None:
        self.value = value

    def result(self) -> T:
        return self.value

    def ready(self) -> bool:
        return True


def _serve(steps: Mapping[str, Step], folder: Path, jobs: IO[str], results: IO[str]) -> None:
    """The step worker's loop: warm up, then run each job named on `jobs`, answering on
    `results`."""
    gc.freeze()  # what it inherited is never collected
    if not select.select([jobs], [], [], 0)[0]:  # no job yet: load the tools meanwhile
        for step in steps.values():
            step.warm_up()
    for line in jobs:
        name, job = line.split()
        path = folder / job
        try:
            answer = {"output": steps[name].run(path.read_text(encoding="utf-8"))}
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the caller
            answer = {"error": f"{type(exc).__name__}: {exc}", "kind": type(exc).__name__}
        path.with_suffix(".json").write_text(json.dumps(answer), encoding="utf-8")
        results.write(line)
        results.flush()


class _Remote:
    def __init__(self, workers: Workers, step: str, job: str) -> None:
        self.workers, self.step, self.job = workers, step, job

    def result(self) -> str:
        answer = self.workers.answer(self.job)
        if answer.get("kind") == "MemoryError":
            raise MemoryError(f"{self.step} ran out of memory")
        if "error" in answer:
            raise RuntimeError(f"{self.step} failed: {answer['error']}")
        return str(answer["output"])

    def ready(self) -> bool:
        return False


class _Child:
    """A forked child's pid and the file of its answer."""

    def __init__(self, pid: int, answer: Path) -> None:
        self.pid, self.answer, self.reaped = pid, answer, False

    def collect(self) -> dict[int, Any]:
        """Wait for the child (once); its results by task index (none if it died)."""
        if not self.reaped:
            os.waitpid(self.pid, 0)
            self.reaped = True
        try:
            found = _loads(self.answer.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {int(index): value for index, value in found.items()}


class _Aside(Generic[T]):
    def __init__(self, child: _Child, task: Callable[[], T]) -> None:
        self.child, self.task = child, task

    def result(self) -> T:
        found = self.child.collect()
        return found[0] if 0 in found else self.task()

    def ready(self) -> bool:
        return False


class Workers:
    """A run spread over worker processes; use as a context manager. The step worker is
    forked at once (while this process is small), so that its tool's import overlaps
    validation and rendering. Inline (ERRSPEC_WORKERS=0, or no fork), everything runs here.
    """

    def __init__(self, steps: Mapping[str, Step], fork: bool = True) -> None:
        self.steps = steps
        self.pid = 0
        self.done: set[str] = set()
        self.children = itertools.count()
        self.jobs_sent = itertools.count()
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
                _serve(steps, self.folder, os.fdopen(jobs_r), os.fdopen(results_w, "w"))
            finally:
                os._exit(0)
        os.close(jobs_r)
        os.close(results_w)
        self.pid = pid
        self.jobs: IO[str] = os.fdopen(jobs_w, "w")
        self.results: IO[str] = os.fdopen(results_r)

    @classmethod
    def inline(cls, steps: Mapping[str, Step]) -> Workers:
        """A run that does everything in this process, in order."""
        return cls(steps, fork=False)

    def step(self, name: str, text: str) -> Pending[str]:
        """Run the post-processing step `name` on `text`, in the step worker."""
        if not self.pid:
            return _Done(self.steps[name].run(text))
        job = f"{next(self.jobs_sent)}.in"
        (self.folder / job).write_text(text, encoding="utf-8")
        self.jobs.write(f"{name} {job}\n")
        self.jobs.flush()
        return _Remote(self, name, job)

    def map(self, task: Callable[[Any], T], items: Sequence[Any]) -> list[T]:
        """[task(item) for item in items], shared by this process and a child forked now (so
        it has everything loaded so far), each taking the next item whenever it is free. An
        item that fails in the child is done again here, so its exception is the caller's."""
        if not self.pid or len(items) < 2:
            return [task(item) for item in items]
        queue_r, queue_w = os.pipe()
        os.write(queue_w, bytes(range(len(items))))  # one byte per item: at most 255 of them
        os.close(queue_w)

        def take(results: dict[int, Any]) -> None:
            while index := os.read(queue_r, 1):
                results[index[0]] = task(items[index[0]])

        mine: dict[int, Any] = {}
        child = self._fork(take)
        try:
            take(mine)
        finally:
            os.close(queue_r)
            results = child.collect() | mine
        return [results[i] if i in results else task(items[i]) for i in range(len(items))]

    def aside(self, task: Callable[..., T], *args: Any) -> Pending[T]:
        """task(*args), in a child forked now while this process goes on (inline: now). If it
        fails there, `result()` runs it again here, so its exception is the caller's."""
        if not self.pid:
            return _Done(task(*args))

        def run(results: dict[int, Any]) -> None:
            results[0] = task(*args)

        return _Aside(self._fork(run), lambda: task(*args))

    def _fork(self, work: Callable[[dict[int, Any]], None]) -> _Child:
        """A child that runs `work` on a dict of results by task index, and answers with what
        it filled: all of it, or what was done before a task failed."""
        answer = self.folder / f"child-{next(self.children)}.json"
        pid = os.fork()
        if pid == 0:
            done: dict[int, Any] = {}
            try:
                gc.freeze()
                work(done)
            except Exception:  # noqa: BLE001 - the caller runs the rest again, and raises
                pass
            finally:
                try:
                    answer.write_text(_dumps(done), encoding="utf-8")
                finally:
                    os._exit(0)
        self.forked.append(_Child(pid, answer))
        return self.forked[-1]

    def answer(self, job: str) -> dict[str, str]:
        """The step worker's answer to `job`, once it has sent it."""
        while job not in self.done:
            line = self.results.readline()
            if not line:
                raise RuntimeError("the post-processing worker exited without an answer")
            self.done.add(line.split()[1])
        answer: dict[str, str] = json.loads(
            (self.folder / job).with_suffix(".json").read_text(encoding="utf-8")
        )
        return answer

    def __enter__(self) -> Workers:
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
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            shutil.rmtree(self.folder, ignore_errors=True)
