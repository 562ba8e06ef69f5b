"""Reading the project's inputs: regular files, at most MAX_SPEC_BYTES, in UTF-8.

Each input is read once (`read_inputs`): the cache key hashes those bytes and the stages
parse them, so a file edited during a run can never be stored under another key. Light on
purpose: a cache-hit `check` reads its inputs through here and imports nothing heavy.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from .diagnostics import Diagnostic, SpecError
from .project import Project

# A spec (or API surface) larger than this is refused before it is read: the real registry is
# far below 1 MiB, and 10,000 codes take about 12 MiB.
MAX_SPEC_BYTES = 64 * 1024 * 1024

_NOT_REGULAR = (
    (stat.S_ISDIR, "is a directory, not a spec file", "pass the path of errors.yaml"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a spec file", "pass the path of a regular file"),
    (stat.S_ISCHR, "is a character device, not a spec file", "pass the path of a regular file"),
    (stat.S_ISBLK, "is a block device, not a spec file", "pass the path of a regular file"),
    (stat.S_ISSOCK, "is a socket, not a spec file", "pass the path of a regular file"),
)


def _refuse_special(mode: int, where: Diagnostic, pipes: bool = False) -> None:
    if pipes and stat.S_ISFIFO(mode):
        return
    for test, message, hint in _NOT_REGULAR:
        if test(mode):
            raise SpecError([_with(where, message, hint)])
    if not stat.S_ISREG(mode):
        raise SpecError([_with(where, "is not a regular file", "pass the path of errors.yaml")])


def _too_large(where: Diagnostic) -> SpecError:
    return SpecError(
        [
            _with(
                where,
                f"is larger than {MAX_SPEC_BYTES // (1024 * 1024)} MiB, the most errspec reads",
                "split the registry, or pass the right file",
            )
        ]
    )


def read_bytes_bounded(path: Path, display: str, pipes: bool = False) -> bytes:
    """The bytes of the regular file at `path`, at most MAX_SPEC_BYTES of them. A directory, a
    FIFO, a device or a socket is refused before it is opened, so nothing blocks on a pipe
    with no writer; the file is opened non-blocking and checked again, in case it was swapped.
    With `pipes` (a file the user names to be read once, such as `--against-file <(git show
    …)`), a pipe is read too, blocking until its writer closes it, and "-" is standard input."""
    where = Diagnostic(display, 1, 1, "")
    blocking = 0 if pipes else os.O_NONBLOCK
    try:
        if pipes and str(path) == "-":
            fd = os.dup(0)
        else:
            _refuse_special(os.stat(path).st_mode, where, pipes)
            fd = os.open(path, os.O_RDONLY | blocking | os.O_CLOEXEC | os.O_NOCTTY)
    except FileNotFoundError:
        raise SpecError([_with(where, "no such file", "check the path")])
    except OSError as exc:
        raise SpecError([_with(where, f"cannot read: {exc.strerror}")])
    try:
        info = os.fstat(fd)
        _refuse_special(info.st_mode, where, pipes)
        if info.st_size > MAX_SPEC_BYTES:
            raise _too_large(where)
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 20):  # the file may have grown since fstat
            size += len(chunk)
            if size > MAX_SPEC_BYTES:
                raise _too_large(where)
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise SpecError([_with(where, f"cannot read: {exc.strerror}")])
    finally:
        os.close(fd)


def read_text(path: Path, display: str, pipes: bool = False) -> str:
    """The file's text, refusing what is not a readable UTF-8 regular file (or, with `pipes`,
    pipe) of at most MAX_SPEC_BYTES."""
    return decode(read_bytes_bounded(path, display, pipes), display)


def decode(raw: bytes, display: str) -> str:
    """The UTF-8 text of an input's bytes (without a byte order mark)."""
    where = Diagnostic(display, 1, 1, "")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise SpecError(
            [
                _with(
                    where,
                    "file starts with a UTF-8 byte order mark",
                    "save it as UTF-8 without BOM",
                )
            ]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError(
            [
                Diagnostic(
                    display,
                    line,
                    col,
                    f"invalid UTF-8 byte 0x{raw[exc.start]:02x}",
                    "save the file as UTF-8",
                )
            ]
        )


class Source(NamedTuple):
    """One input file as it was read: its bytes, or why it could not be read (raised by the
    stage that needs it, so that problems come in stage order); `absent` for an optional
    input the project does not have."""

    display: str
    data: bytes | None
    error: SpecError | None = None
    absent: bool = False

    def text(self) -> str:
        """The input's text; raises SpecError when it could not be read or decoded."""
        if self.data is None:
            raise self.error or SpecError([])
        return decode(self.data, self.display)


def read_source(path: Path, display: str, optional: bool = False) -> Source:
    """The input at `path`, read once and bounded; an `optional` one may be absent."""
    if optional and not os.path.lexists(path):
        return Source(display, None, absent=True)
    try:
        return Source(display, read_bytes_bounded(path, display))
    except SpecError as exc:
        return Source(display, None, exc)


class Inputs(NamedTuple):
    """Everything a build reads from the project, read once: the outputs are made from
    exactly these bytes, and cached under them. The project's template overrides are read
    by the build (the spec may name their folder) and recorded with the outputs."""

    spec: Source
    surface: Source
    root: str = "."  # the project folder, which a spec's `templates:` is relative to
    templates: str | None = None  # --templates, which wins over the spec's

    def contents(self) -> tuple[bytes, ...] | None:
        """What the outputs are made from, input by input (an absent one told apart from an
        empty one), or None when one could not be read."""
        parts = [b"templates:" + os.fsencode(self.templates or "")]
        for source in (self.spec, self.surface):
            if source.absent:
                parts.append(b"absent")
            elif source.data is None:
                return None
            else:
                parts.append(b"file:" + source.data)
        return tuple(parts)


def read_inputs(project: Project) -> Inputs:
    """The project's spec and API surface, each read once."""
    return Inputs(
        spec=read_source(project.spec, str(project.spec)),
        surface=read_source(
            project.openapi, str(project.openapi), optional=not project.given_openapi
        ),
        root=str(project.root),
        templates=project.templates,
    )


def _with(where: Diagnostic, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(where.file, where.line, where.col, message, hint)
