"""What is under an output directory, read without trusting it: entries by kind, files read
at most to a bound, and which extra paths git tracks or ignores."""

from __future__ import annotations

import os
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path


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


def read_at_most(path: Path, limit: int) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read(limit)
    except OSError:
        return None


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
