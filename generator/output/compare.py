"""The last stage of `check`: compare the outputs with the output directory.

Each file is read at most to its expected size (plus one byte): a stray file is never read,
and a huge one costs nothing. Files that no target produces are drift when git tracks them
(or when there is no git to ask); files that git ignores and does not track (bytecode,
editor files) are noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .tree import git_status, read_at_most, scan

_DIFF_LIMIT = 4 << 20  # a file larger than this is reported changed, without a diff


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
        have = None if tree.files[rel] != len(want) else read_at_most(root / rel, len(want) + 1)
        if have == want:
            continue
        drift.changed.append(rel)
        if tree.files[rel] <= _DIFF_LIMIT:
            old = (read_at_most(root / rel, _DIFF_LIMIT) or b"").decode("utf-8", "replace")
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
