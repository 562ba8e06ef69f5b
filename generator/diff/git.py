"""What `errspec diff --against REV` reads from git: the spec at a revision, named without
ambiguity and read at most MAX_SPEC_BYTES far."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ..diagnostics import Diagnostic, SpecError
from ..read import MAX_SPEC_BYTES


class Unreadable(Exception):
    """REF names neither a spec file nor a git revision that holds the spec."""


def git(where: Path, *args: str) -> bytes:
    """git's output for `args`, run in `where`; Unreadable with git's message when it fails."""
    try:
        proc = subprocess.run(
            ["git", "--no-pager", *args], cwd=where, capture_output=True, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unreadable(f"cannot run git in {where}: {exc}") from None
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise Unreadable("; ".join(lines) or f"git {args[0]} failed")
    return proc.stdout


def repo_path(where: Path) -> str:
    """The path of folder `where` inside its git work tree ("" at the top, else "dir/")."""
    return git(where, "rev-parse", "--show-prefix").decode("utf-8").strip()


# Where git looks a revision name up, in this order (gitrevisions(7)); a name found in two is
# ambiguous: a tag called origin/main would win over the branch it mimics.
_REF_PLACES = (
    "refs/{}",
    "refs/tags/{}",
    "refs/heads/{}",
    "refs/remotes/{}",
    "refs/remotes/{}/HEAD",
)


def commit_of(where: Path, rev: str) -> str:
    """The commit `rev` names, refused when the name is ambiguous (two refs, or a ref and an
    abbreviated commit id)."""
    if rev.startswith("-") or not rev.strip():
        raise Unreadable("not a git revision")
    listed = git(
        where, "for-each-ref", "--format=%(refname)", *(p.format(rev) for p in _REF_PLACES)
    )
    found = [r for r in os.fsdecode(listed).split() if r in {p.format(rev) for p in _REF_PLACES}]
    if rev.startswith("refs/"):
        found = [r for r in found if r == rev]
    try:
        proc = subprocess.run(
            [
                "git",
                "-c",
                "core.warnAmbiguousRefs=true",
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                f"{rev}^{{commit}}",
            ],
            cwd=where,
            capture_output=True,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unreadable(f"cannot run git in {where}: {exc}") from None
    if len(found) > 1 or b"ambiguous" in proc.stderr:
        names = " and ".join(found) or "a ref and an abbreviated commit id"
        raise Unreadable(
            f"the revision name is ambiguous: it names {names}; pass a full ref name such as"
            f" {found[-1] if found else 'refs/remotes/origin/main'}, or a 40-hex commit"
        )
    if proc.returncode != 0:
        raise Unreadable("unknown revision, or not a commit")
    return proc.stdout.decode("ascii").strip()


def spec_at(rev: str, spec_path: Path) -> tuple[str, str]:
    """(text, display) of `spec_path` as git revision `rev` holds it, at most
    MAX_SPEC_BYTES of it."""
    where = spec_path.absolute().parent
    commit = commit_of(where, rev)
    path = f"{repo_path(where)}{spec_path.name}"
    display = f"{rev}:{path}"
    size = git(where, "cat-file", "-s", f"{commit}:{path}").strip()
    if int(size or b"0") > MAX_SPEC_BYTES:
        raise Unreadable(
            f"{path} is {int(size):,} bytes at that revision, more than the"
            f" {MAX_SPEC_BYTES // (1 << 20)} MiB errspec reads"
        )
    raw = git(where, "cat-file", "blob", f"{commit}:{path}")
    try:
        return raw.decode("utf-8"), display
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SpecError([Diagnostic(display, line, 1, "invalid UTF-8", "save the file as UTF-8")])
