"""Stage 6: replace generated/ all at once, or compare it with what would be written."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under `root`, by POSIX path relative to it."""
    if not root.is_dir():
        return {}
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def existing_reader(root: Path) -> Callable[[str], bytes | None]:
    """A function giving the current bytes of one generated file, or None."""
    from .render import check_path

    def read(rel: str) -> bytes | None:
        try:
            return (root / check_path(rel)).read_bytes()
        except OSError:
            return None

    return read


def write_tree(root: Path, files: dict[str, str]) -> bool:
    """Make `root` hold exactly `files`, swapping the whole directory in one step.

    The new tree is written beside the old one and renamed into place; if that
    fails, the old tree is put back. Returns False when nothing had to change.
    """
    from .render import check_path

    encoded = {check_path(rel): text.encode("utf-8") for rel, text in files.items()}
    if read_tree(root) == encoded:
        return False
    root = root.absolute()
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.new-", dir=root.parent))
    try:
        for rel, data in sorted(encoded.items()):
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        old = None
        if root.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{root.name}.old-", dir=root.parent))
            os.rmdir(old)
            os.rename(root, old)
        try:
            os.rename(staging, root)
        except OSError:
            if old is not None:
                os.rename(old, root)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return True


@dataclass
class Drift:
    """How generated/ differs from what the spec produces."""

    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    diffs: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.changed or self.missing or self.stale)


def compare_tree(root: Path, files: dict[str, str], label: str) -> Drift:
    """Compare `files` with the tree under `root`; `label` prefixes diff paths."""
    current = read_tree(root)
    drift = Drift()
    for rel, text in sorted(files.items()):
        if rel not in current:
            drift.missing.append(rel)
            continue
        want = text.encode("utf-8")
        if current[rel] != want:
            drift.changed.append(rel)
            have = current[rel].decode("utf-8", errors="replace")
            drift.diffs[rel] = unified_diff(
                have.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"{label}/{rel} (on disk)",
                f"{label}/{rel} (from spec)",
            )
    drift.stale = sorted(set(current) - set(files))
    return drift


def unified_diff(a: list[str], b: list[str], fromfile: str, tofile: str, n: int = 3) -> str:
    """difflib.unified_diff, as one string, with the common head and tail set aside first.

    A large generated file usually differs in a few lines: matching its 100,000
    identical ones first took difflib seconds. The hunks are numbered as in the
    whole files, and every hunk applies to `a` to give `b`.
    """
    import difflib

    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
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
