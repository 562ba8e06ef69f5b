"""What is under an output directory, read without trusting it: entries by kind, and files
read at most to a bound."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class Tree:
    """What is under an output directory: regular files by POSIX path, and anything else."""

    def __init__(self) -> None:
        self.files: dict[str, int] = {}  # path -> size
        self.odd: dict[str, str] = {}  # path -> what it is instead of a file


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
    """At most `limit` bytes of the file at `path`; None when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            return fh.read(limit)
    except OSError:
        return None
