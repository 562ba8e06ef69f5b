"""Post-processing steps (black, datamodel-code-generator) in worker processes.

`post_workers()` forks one worker per step that the target table uses, at the
start of a run while the process is still small. Each worker imports its tool at
once, so the imports overlap with loading and rendering the spec in the main
process, and each job overlaps with the rendering of the other targets. `check`,
which expects to reuse every post-processed file, asks for lazy workers instead:
each forks on its step's first job, so an in-sync check starts none. A job's
text and result travel through files in a private temporary directory; the pipes
carry only job numbers, so neither side can block the other. An exception in a
step is re-raised in the main process; a worker that dies is an error.

Without fork (or with ERRSPEC_WORKERS=0) every step runs in the calling process,
and `run` gives the same result, only later.
"""

from __future__ import annotations

import gc
import importlib
import os
import pickle
import shutil
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Callable, Iterator

_active: dict[str, "_Worker"] = {}
# Lazy mode: steps whose worker forks on its first job, and the folder for their files.
_deferred: set[str] = set()
_folder: list[Path] = []
# The tools build large trees (black: millions of nodes at 10,000 codes); collecting less
# often saves a third of their time at the same peak memory.
_TOOL_GC_THRESHOLDS = (50_000, 50, 1000)
# Run once by a worker before its first job, to import and set up its tool.
_WARM_UP = {
    "black": "x = (1,)\n",
    "datamodel": (
        "openapi: 3.1.0\ninfo: {title: warm-up, version: '0'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    ErrorCode: {type: integer, enum: [0], x-enum-varnames: [SUCCESS]}\n"
        "    Envelope:\n      type: object\n      required: [code]\n"
        "      properties: {code: {$ref: '#/components/schemas/ErrorCode'}, message: {type: string}}\n"
    ),
}


class _Worker:
    def __init__(self, step: str, folder: Path) -> None:
        self.step, self.folder = step, folder
        self.sent = 0
        self.done: set[int] = set()
        jobs_r, jobs_w = os.pipe()
        results_r, results_w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            for fd in (jobs_r, jobs_w, results_r, results_w):
                os.close(fd)
            raise
        if pid == 0:  # the worker: serve jobs, never return into the caller's code
            try:
                os.close(jobs_w)
                os.close(results_r)
                for other in _active.values():
                    os.close(other.jobs.fileno())
                    os.close(other.results.fileno())
                _serve(step, folder, os.fdopen(jobs_r, "r"), os.fdopen(results_w, "w"))
            finally:
                os._exit(0)
        os.close(jobs_r)
        os.close(results_w)
        self.pid = pid
        self.jobs: IO[str] = os.fdopen(jobs_w, "w")
        self.results: IO[str] = os.fdopen(results_r, "r")

    def submit(self, text: str) -> Callable[[], str]:
        self.sent += 1
        job = self.sent
        (self.folder / f"{self.step}-{job}.in").write_text(text, encoding="utf-8")
        try:
            self.jobs.write(f"{job}\n")
            self.jobs.flush()
        except BrokenPipeError:  # it died already; result() says so
            pass
        return lambda: self.result(job)

    def result(self, job: int) -> str:
        while job not in self.done:
            line = self.results.readline()
            if not line:
                raise RuntimeError(
                    f"the {self.step} worker (pid {self.pid}) exited without finishing its job"
                )
            self.done.add(int(line))
        base = self.folder / f"{self.step}-{job}"
        error = base.with_suffix(".err")
        if error.exists():
            raise pickle.loads(error.read_bytes())
        return base.with_suffix(".out").read_text(encoding="utf-8")

    def stop(self) -> None:
        for pipe in (self.jobs, self.results):
            try:
                pipe.close()
            except OSError:  # a job line left unread by a dead worker
                pass
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)


def _serve(step: str, folder: Path, jobs: IO[str], results: IO[str]) -> None:
    from .postprocess import STEPS

    gc.freeze()  # what it inherited (the whole spec, when forked late) is never collected
    gc.set_threshold(*_TOOL_GC_THRESHOLDS)
    try:
        if step in _WARM_UP:
            STEPS[step][1](_WARM_UP[step])
        else:
            importlib.import_module(STEPS[step][0].replace("-", "_"))
    except Exception:
        pass  # a real job reports the problem
    for line in jobs:
        base = folder / f"{step}-{int(line)}"
        try:
            output = STEPS[step][1](base.with_suffix(".in").read_text(encoding="utf-8"))
            base.with_suffix(".out").write_text(output, encoding="utf-8")
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the caller
            try:
                data = pickle.dumps(exc)
                pickle.loads(data)
            except Exception:
                data = pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))
            base.with_suffix(".err").write_bytes(data)
        results.write(line)
        results.flush()


def _used_steps() -> list[str]:
    from .targets import TARGETS

    return sorted({t.post for t in TARGETS if t.post is not None})


@contextmanager
def post_workers(steps: list[str] | None = None, lazy: bool = False) -> Iterator[None]:
    """Within this block, `run` sends each step's jobs to a worker of its own.

    Workers fork on entry, or with `lazy` on their step's first job: a run that turns
    out to reuse every post-processed file then starts none.
    """
    if _active or _deferred or not hasattr(os, "fork") or os.environ.get("ERRSPEC_WORKERS") == "0":
        yield
        return
    folder = Path(tempfile.mkdtemp(prefix="errspec-post-"))
    _folder.append(folder)
    try:
        for step in _used_steps() if steps is None else steps:
            if lazy:
                _deferred.add(step)
            else:
                _start(step, folder)
        yield
    finally:
        workers = list(_active.values())
        _active.clear()
        _deferred.clear()
        _folder.clear()
        for worker in workers:
            worker.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _start(step: str, folder: Path) -> None:
    try:
        _active[step] = _Worker(step, folder)
    except OSError:  # no process or pipe to spare: this step runs in the caller
        pass


def run(step: str, text: str) -> Callable[[], str]:
    """Start `step` on `text`; the returned function gives its output (or raises its error)."""
    if step in _deferred:
        _deferred.discard(step)
        _start(step, _folder[0])
    worker = _active.get(step)
    if worker is not None:
        return worker.submit(text)
    from .postprocess import STEPS

    before = gc.get_threshold()
    gc.freeze()  # what it inherited (the whole spec, when forked late) is never collected
    gc.set_threshold(*_TOOL_GC_THRESHOLDS)
    try:
        output = STEPS[step][1](text)
    finally:
        gc.set_threshold(*before)
    return lambda: output
