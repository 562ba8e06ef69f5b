"""What git serves for the output directory: each tracked path's index entry, the flags that
hide a file from git's view, and the attributes that rewrite a file on checkout or export.

SDK builds consume what git serves (clones, `git archive`, raw URLs), not a working tree, so
`check` judges the index too (compare.py). Two git calls for a tree in sync: `ls-files` and
`check-attr`; more only for what is already drift or extra.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from typing import NamedTuple

# Attributes under which checkout or `git archive` does not serve the blob's bytes as they are.
_REWRITING = ("export-subst", "export-ignore", "filter", "working-tree-encoding", "ident", "eol")
_GITLINK, _SYMLINK = "160000", "120000"
# Without these, git reads the user's and the system's configuration; with them only the
# repository's own (a clone has no other).
_PLAIN_GIT = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_OPTIONAL_LOCKS": "0",
}


class Entry(NamedTuple):
    """One path of the index: its mode, its blob, and what hides it from git's view."""

    mode: str
    oid: str
    flags: tuple[str, ...] = ()  # "skip-worktree", "assume-unchanged", "unmerged"


class GitView:
    """The index under the output directory (paths relative to it), and the attributes that
    would rewrite a path's bytes."""

    def __init__(self, anchor: Path, prefix: str) -> None:
        self.anchor = anchor  # where git runs: the output directory, or its nearest parent
        self.prefix = prefix  # the output directory relative to the anchor ("" when it is)
        self.entries: dict[str, Entry] = {}
        self.rewriting: dict[str, list[str]] = {}  # path -> "attr" or "attr=value"

    def blob_id(self, data: bytes) -> str:
        """The id git gives a blob holding `data`, in the repository's object format."""
        sha256 = any(len(e.oid) == 64 for e in self.entries.values())
        digest = hashlib.sha256() if sha256 else hashlib.sha1()
        digest.update(b"blob %d\0" % len(data))
        digest.update(data)
        return digest.hexdigest()

    def stored_as(self, rels: list[str]) -> dict[str, str]:
        """The blob id `git add` would store for each working-tree file (after the repository's
        line-ending conversion): a file git would check out again as it is is faithful."""
        if not rels:
            return {}
        top = _git(self.anchor, "rev-parse", "--show-toplevel")
        if top is None:
            return {}
        root = Path(os.fsdecode(top).strip())
        full = [os.path.relpath(self.anchor / self.prefix / rel, root) for rel in rels]
        found = _git(root, "hash-object", "--stdin-paths", data="".join(p + "\n" for p in full))
        ids = os.fsdecode(found or b"").split()
        return dict(zip(rels, ids)) if len(ids) == len(rels) else {}

    def ignored(self, rels: list[str]) -> set[str]:
        """Which of `rels` git ignores (and does not track)."""
        found = _git(self.anchor, "check-ignore", "-z", "--no-index", "--stdin", data=self._z(rels))
        return {self._rel(p) for p in _fields(found)} - set(self.entries)

    def _z(self, rels: list[str]) -> str:
        return "".join(os.path.join(self.prefix, rel) + "\0" for rel in rels)

    def _rel(self, path: str) -> str:
        return os.path.relpath(path, self.prefix) if self.prefix else path


def _git(cwd: Path, *args: str, data: str | None = None, served: bool = False) -> bytes | None:
    """git's stdout, or None when git is missing, fails or the folder is in no work tree.
    `served`: as a clone would see the repository, without the user's or the system's
    configuration and attributes."""
    env = {**os.environ, **_PLAIN_GIT} if served else None
    head = ["git", "-c", "core.attributesFile=/dev/null"] if served else ["git"]
    try:
        proc = subprocess.run(
            [*head, *args],
            cwd=cwd,
            input=None if data is None else os.fsencode(data),
            capture_output=True,
            timeout=60,
            env=env,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


def _fields(out: bytes | None) -> list[str]:
    return [os.fsdecode(p) for p in (out or b"").split(b"\0") if p]


def _anchor(out: Path) -> tuple[Path, str]:
    here = out
    while not here.is_dir() and here != here.parent:
        here = here.parent
    return here, "" if here == out else os.path.relpath(out, here)


def view(out: Path, paths: list[str]) -> GitView | None:
    """What git serves under `out` for its tracked paths and for `paths` (relative to `out`);
    None when `out` is in no git work tree (then only the working tree can be judged)."""
    anchor, prefix = _anchor(out)
    listed = _git(anchor, "ls-files", "-z", "-s", "-t", "-v", "--", prefix or ".", served=True)
    if listed is None:
        return None
    found = GitView(anchor, prefix)
    for record in _fields(listed):
        info, _, path = record.partition("\t")
        tag, mode, oid, stage = info.split(" ")
        flags = []
        if tag.upper() == "S":
            flags.append("skip-worktree")
        if tag.islower():
            flags.append("assume-unchanged")
        if stage != "0":
            flags.append("unmerged")
        rel = found._rel(path)
        previous = found.entries.get(rel)
        found.entries[rel] = Entry(mode, oid, tuple(flags) or (previous.flags if previous else ()))
    asked = sorted(set(paths) | set(found.entries))
    attrs = _git(
        anchor,
        "check-attr",
        "-z",
        "--cached",
        "--stdin",
        *_REWRITING,
        data=found._z(asked),
        served=True,
    )
    values = _fields(attrs)
    for path, name, value in zip(values[0::3], values[1::3], values[2::3]):
        if _rewrites(name, value):
            found.rewriting.setdefault(found._rel(path), []).append(
                name if value == "set" else f"{name}={value}"
            )
    return found


def _rewrites(name: str, value: str) -> bool:
    """Whether attribute `name` with `value` changes a LF-only file on checkout or export."""
    if value in ("unspecified", "unset"):
        return False
    if name == "eol":
        return value != "lf"
    return True


def special(entry: Entry) -> str | None:
    """What a tracked path is when git does not serve it as a file: a submodule or a link."""
    if entry.mode == _GITLINK:
        return "a git submodule (gitlink)"
    if entry.mode == _SYMLINK:
        return "a symbolic link in git"
    return None
