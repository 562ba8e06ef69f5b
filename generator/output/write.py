"""The last stage of `generate`: replace the output directory all at once.

`write_tree` builds the new tree beside the old one and exchanges the two in one step
(Linux `renameat2(RENAME_EXCHANGE)`); where the kernel or filesystem refuses that, or on a
first run, it falls back to two renames, leaving a window of a few microseconds in which the
directory does not exist. Runs hold a lock on the parent directory, so concurrent runs
serialise; leftovers of a killed run are removed by the next one.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..targets import check_path
from .tree import read_at_most, scan

_RENAME_EXCHANGE = 2


@dataclass
class Written:
    """What `write_tree` did, file by file."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    def __bool__(self) -> bool:
        return bool(self.created or self.changed or self.removed)


@contextmanager
def locked(parent: Path) -> Iterator[None]:
    """Hold an exclusive lock on `parent` (flock on the directory itself: no lock file)."""
    fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _leftovers(root: Path) -> list[Path]:
    prefixes = (f".{root.name}.new-", f".{root.name}.old-")
    return [p for p in root.parent.iterdir() if p.name.startswith(prefixes)]


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot (then nothing happened)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def write_tree(root: Path, files: dict[str, str]) -> Written:
    """Make `root` hold exactly `files`, replacing the whole directory in one step.

    `root` must already be checked (project.check_out). The new tree is written beside
    the old one, with the permissions the umask gives, and exchanged with it; on any
    failure the old tree stays as it was.
    """
    encoded = {check_path(rel): text.encode("utf-8") for rel, text in files.items()}
    root.parent.mkdir(parents=True, exist_ok=True)
    with locked(root.parent):
        for leftover in _leftovers(root):
            _remove(leftover)
        tree = scan(root)
        written = Written()
        for rel, data in sorted(encoded.items()):
            if rel not in tree.files:
                written.created.append(rel)
            elif tree.files[rel] != len(data) or read_at_most(root / rel, len(data) + 1) != data:
                written.changed.append(rel)
            else:
                written.unchanged += 1
        written.removed = sorted((set(tree.files) | set(tree.odd)) - set(encoded))
        if not written:
            return written
        staging = root.parent / f".{root.name}.new-{os.getpid()}"
        try:
            os.mkdir(staging, 0o777)
            for rel, data in sorted(encoded.items()):
                path = staging / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                with open(path, "xb") as fh:
                    fh.write(data)
            _swap(staging, root)
        finally:
            _remove(staging)
        return written


def _swap(staging: Path, root: Path) -> None:
    """Put `staging` at `root`; what was at `root` ends up at `staging`, then goes."""
    if root.exists() and _exchange(staging, root):
        return
    if not root.exists():
        os.rename(staging, root)
        return
    old = root.parent / f".{root.name}.old-{os.getpid()}"
    os.rename(root, old)
    try:
        os.rename(staging, root)
    except OSError:
        os.rename(old, root)
        raise
    os.rename(old, staging)  # removed by the caller with the rest of the staging tree
