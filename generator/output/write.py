"""The last stage of `generate`: replace the output directory all at once.

`write_tree` builds the new tree beside the old one and exchanges the two in one step
(Linux `renameat2(RENAME_EXCHANGE)`); where the kernel or filesystem refuses that, or on a
first run, it falls back to two renames, leaving a window of a few microseconds in which the
directory does not exist. Runs hold a lock on the parent directory, so concurrent runs
serialise; leftovers of a killed run are removed by the next one.

Only errspec's own files go: those the previous marker lists with their very bytes
(manifest.py), and bytecode that importing the SDK writes under `__pycache__/`. Anything
else under the directory is kept (hard-linked into the new tree) and reported.
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
from typing import Iterator, Mapping

from ..project import Refused
from ..targets import check_path
from . import manifest
from .tree import Tree, read_at_most, scan

_RENAME_EXCHANGE = 2


@dataclass
class Written:
    """What `write_tree` did, file by file."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: dict[str, str] = field(default_factory=dict)  # path -> why errspec left it
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


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Written:
    """Make `root` hold `files`, replacing the whole directory in one step; of what else is
    there, errspec's own files go and the rest stays.

    `root` must already be checked (owner.check_out). The new tree is written beside the old
    one, with the permissions the umask gives, and exchanged with it; on any failure the old
    tree stays as it was.
    """
    encoded = {check_path(rel): manifest.encoded(text) for rel, text in files.items()}
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
        listed = manifest.read(root) or {}
        for rel in sorted((set(tree.files) | set(tree.odd)) - set(encoded)):
            why = _not_ours(root, rel, tree, listed)
            if why is None:
                written.removed.append(rel)
            else:
                written.kept[rel] = why
        _in_the_way(encoded, written.kept)
        if not (written.created or written.changed or written.removed):
            return written
        staging = root.parent / f".{root.name}.new-{os.getpid()}"
        try:
            os.mkdir(staging, 0o777)
            for rel, data in sorted(encoded.items()):
                path = staging / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                with open(path, "xb") as fh:
                    fh.write(data)
            for rel in written.kept:
                _keep(root / rel, staging / rel)
            _swap(staging, root)
        finally:
            _remove(staging)
        return written


def _not_ours(root: Path, rel: str, tree: Tree, listed: dict[str, str]) -> str | None:
    """None when `rel` is errspec's to remove; else why it stays."""
    parts = rel.split("/")
    if rel in tree.files and "__pycache__" in parts[:-1] and parts[-1].endswith((".pyc", ".pyo")):
        return None  # bytecode that importing the generated SDK wrote
    if rel in tree.odd:
        return f"{tree.odd[rel]}, which errspec never writes"
    if rel not in listed:
        return "errspec did not write it"
    if tree.files[rel] > manifest.MAX_MARKER:
        return "changed since errspec wrote it"
    data = read_at_most(root / rel, manifest.MAX_MARKER)
    if data is None or manifest.digest(data) != listed[rel]:
        return "changed since errspec wrote it"
    return None


def _in_the_way(encoded: dict[str, bytes], kept: dict[str, str]) -> None:
    """Refuse a kept file that stands where an output's folder goes, or the other way round."""
    folders = {
        "/".join(rel.split("/")[:n]) for rel in encoded for n in range(1, rel.count("/") + 1)
    }
    for rel in kept:
        clash = rel in folders or any(out.startswith(rel + "/") for out in encoded)
        below = any(rel.startswith(out + "/") for out in encoded)
        if clash or below:
            raise Refused(
                f"{rel} ({kept[rel]}) stands where errspec writes {'a folder' if clash else 'a file'};"
                " move it out of the output directory"
            )


def _keep(source: Path, target: Path) -> None:
    """Carry `source` into the new tree as it is: the same file (a hard link), or a copy of
    the link it is."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
    else:
        os.link(source, target, follow_symlinks=False)


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
