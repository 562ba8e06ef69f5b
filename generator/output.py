"""The last stage: replace the output directory all at once, or compare it with the outputs.

`write_tree` builds the new tree beside the old one and exchanges the two in one
step (Linux `renameat2(RENAME_EXCHANGE)`); where the kernel or filesystem refuses
that, or on a first run, it falls back to two renames, leaving a window of a few
microseconds in which the directory does not exist. Runs hold a lock on the parent
directory, so concurrent runs serialise; leftovers of a killed run are removed by
the next one.

`compare_tree` reads each file at most to its expected size (plus one byte): a
stray file is never read, and a huge one costs nothing. Files that no target
produces are drift when git tracks them (or when there is no git to ask); files
that git ignores and does not track (bytecode, editor files) are noise.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import stat
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .targets import check_path

_DIFF_LIMIT = 4 << 20  # a file larger than this is reported changed, without a diff
_RENAME_EXCHANGE = 2


@dataclass
class Tree:
    """What is under an output directory: regular files by POSIX path, and anything else."""

    files: dict[str, int] = field(default_factory=dict)  # path -> size
    odd: dict[str, str] = field(default_factory=dict)  # path -> what it is instead of a file


def scan(root: Path) -> Tree:
    """Every entry under `root`, without reading any file."""
    tree = Tree()
    if not root.is_dir():
        return tree
    for folder, dirs, names in os.walk(root):
        for name in sorted(dirs + names):
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            info = path.lstat()
            if stat.S_ISREG(info.st_mode):
                tree.files[rel] = info.st_size
            elif stat.S_ISLNK(info.st_mode):
                tree.odd[rel] = "a symbolic link"
                if name in dirs:
                    dirs.remove(name)
            elif not stat.S_ISDIR(info.st_mode):
                tree.odd[rel] = "not a regular file"
    return tree


@dataclass
class Drift:
    """How the output directory differs from the outputs."""

    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    odd: dict[str, str] = field(default_factory=dict)
    noise: list[str] = field(default_factory=list)  # untracked, git-ignored: not drift
    diffs: dict[str, str] = field(default_factory=dict)
    first_line: dict[str, int] = field(default_factory=dict)  # first differing line, 1-based

    def __bool__(self) -> bool:
        return bool(self.changed or self.missing or self.stale or self.odd)


def _read_at_most(path: Path, limit: int) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read(limit)
    except OSError:
        return None


def compare_tree(root: Path, files: dict[str, str], label: str) -> Drift:
    """Compare `files` with the tree under `root`; `label` prefixes the paths in diffs."""
    tree = scan(root)
    drift = Drift()
    for rel, text in sorted(files.items()):
        want = text.encode("utf-8")
        if rel in tree.odd:
            drift.odd[rel] = tree.odd[rel]
            continue
        if rel not in tree.files:
            drift.missing.append(rel)
            continue
        have = None if tree.files[rel] != len(want) else _read_at_most(root / rel, len(want) + 1)
        if have == want:
            continue
        drift.changed.append(rel)
        if tree.files[rel] <= _DIFF_LIMIT:
            old = (_read_at_most(root / rel, _DIFF_LIMIT) or b"").decode("utf-8", "replace")
            a, b = old.splitlines(keepends=True), text.splitlines(keepends=True)
            head = common_run(a, b)
            drift.first_line[rel] = head + 1
            drift.diffs[rel] = unified_diff(
                a, b, f"{label}/{rel} (on disk)", f"{label}/{rel} (from spec)", head=head
            )
        else:
            drift.first_line[rel] = 1
    extra = sorted(set(tree.files) - set(files)) + sorted(set(tree.odd) - set(files))
    tracked, ignored = git_status(root, extra)
    for rel in extra:
        if rel in tracked or rel not in ignored:
            if rel in tree.odd:
                drift.odd[rel] = tree.odd[rel]
            else:
                drift.stale.append(rel)
        else:
            drift.noise.append(rel)
    drift.odd = dict(sorted(drift.odd.items()))
    return drift


def common_run(a: list[str], b: list[str], tail: bool = False) -> int:
    """How many leading (or trailing) lines `a` and `b` share: compared a block of lines at a
    time (in C), then line by line in the first block that differs. A plain loop over the
    100,000 equal lines of a page took a third of a second."""
    if tail:
        a, b = a[::-1], b[::-1]
    shared, size, block = 0, min(len(a), len(b)), 1024
    while shared + block <= size and a[shared : shared + block] == b[shared : shared + block]:
        shared += block
    while shared < size and a[shared] == b[shared]:
        shared += 1
    return shared


def git_status(root: Path, paths: list[str]) -> tuple[set[str], set[str]]:
    """Which of `paths` (relative to `root`) git tracks, and which it ignores.

    Outside a git work tree nothing is ignored: every extra file counts as drift.
    """
    if not paths:
        return set(), set()
    data = "".join(p + "\0" for p in paths).encode("utf-8", "surrogateescape")

    def git(*args: str) -> set[str] | None:
        try:
            proc = subprocess.run(
                ["git", *args], cwd=root, input=data, capture_output=True, timeout=60
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        if proc.returncode not in (0, 1):
            return None
        return {p.decode("utf-8", "surrogateescape") for p in proc.stdout.split(b"\0") if p}

    listed = git("ls-files", "-z", "--", ".")  # every tracked file under root, relative to it
    if listed is None:
        return set(), set()
    tracked = listed & set(paths)
    ignored = git("check-ignore", "-z", "--no-index", "--stdin") or set()
    return tracked, ignored - tracked


def unified_diff(
    a: list[str], b: list[str], fromfile: str, tofile: str, n: int = 3, head: int | None = None
) -> str:
    """difflib.unified_diff, as one string, with the common head and tail set aside first.

    A large generated file usually differs in a few lines: matching its 100,000
    identical ones first took difflib seconds. The hunks are numbered as in the
    whole files, and every hunk applies to `a` to give `b`.
    """
    import difflib

    head = common_run(a, b) if head is None else head  # the lines both begin with
    tail = common_run(a[head:], b[head:], tail=True)
    lo = max(0, head - n)
    a_mid, b_mid = a[lo : len(a) - max(0, tail - n)], b[lo : len(b) - max(0, tail - n)]
    out: list[str] = []
    for group in difflib.SequenceMatcher(None, a_mid, b_mid).get_grouped_opcodes(n):
        if not out:
            out += [f"--- {fromfile}\n", f"+++ {tofile}\n"]
        first, last = group[0], group[-1]
        out.append(
            f"@@ -{_range(lo + first[1], lo + last[2])} +{_range(lo + first[3], lo + last[4])} @@\n"
        )
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [" " + line for line in a_mid[i1:i2]]
                continue
            if tag in ("replace", "delete"):
                out += ["-" + line for line in a_mid[i1:i2]]
            if tag in ("replace", "insert"):
                out += ["+" + line for line in b_mid[j1:j2]]
    return "".join(out)


def _range(start: int, stop: int) -> str:
    """A hunk's line range, written as difflib writes it."""
    beginning, length = start + 1, stop - start
    if length == 1:
        return f"{beginning}"
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


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
            elif tree.files[rel] != len(data) or _read_at_most(root / rel, len(data) + 1) != data:
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
