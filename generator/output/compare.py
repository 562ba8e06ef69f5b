"""The last stage of `check`: compare the outputs with the output directory, and with what
git serves from it.

Each file is read at most to its expected size (plus one byte): a stray file is never read,
and a huge one costs nothing. In a git work tree, every output must also be in the index as
it is on disk (what clones, `git archive` and raw URLs serve), with no attribute that
rewrites it on checkout or export, and no flag that hides it from git; a working-tree file
that git would check out again byte for byte (a CRLF checkout with core.autocrlf) is in
sync. Files that no target produces are drift when git tracks them (or when there is no git
to ask); files that git ignores and does not track (bytecode, editor files) are noise.
"""

from __future__ import annotations

from pathlib import Path

from . import gitview
from .tree import Tree, read_at_most, scan

_DIFF_LIMIT = 4 << 20  # a file larger than this is reported changed, without a diff


class Drift:
    """How the output directory differs from the outputs."""

    def __init__(self) -> None:
        self.changed: list[str] = []
        self.missing: list[str] = []
        self.stale: list[str] = []
        self.odd: dict[str, str] = {}
        self.unstaged: list[str] = []  # right on disk, not so in git's index
        self.unserved: dict[str, str] = {}  # what git would not serve as it is
        self.noise: list[str] = []  # untracked, git-ignored: not drift
        self.diffs: dict[str, str] = {}
        self.first_line: dict[str, int] = {}  # first differing line, 1-based

    def __bool__(self) -> bool:
        return bool(
            self.changed or self.missing or self.stale or self.odd or self.unstaged or self.unserved
        )


def compare_tree(root: Path, files: dict[str, str], label: str) -> Drift:
    """Compare `files` with the tree under `root` and with what git serves from it; `label`
    prefixes the paths in diffs."""
    tree = scan(root)
    git = gitview.view(root, sorted(set(files) | set(tree.files) | set(tree.odd)))
    drift = Drift()
    wanted = {rel: text.encode("utf-8") for rel, text in files.items()}
    on_disk: set[str] = set()  # produced files whose bytes on disk are the outputs'
    for rel, want in sorted(wanted.items()):
        if rel in tree.odd:
            drift.odd[rel] = tree.odd[rel]
        elif rel not in tree.files:
            drift.missing.append(rel)
        elif tree.files[rel] == len(want) and read_at_most(root / rel, len(want) + 1) == want:
            on_disk.add(rel)
        else:
            drift.changed.append(rel)
    if git is not None:
        _judge_git(git, wanted, on_disk, drift)
    for rel in drift.changed:
        _explain(root, rel, files[rel], label, drift)
    _extras(tree, files, git, drift)
    drift.odd = dict(sorted(drift.odd.items()))
    return drift


def _judge_git(
    git: gitview.GitView, wanted: dict[str, bytes], on_disk: set[str], drift: Drift
) -> None:
    """Judge each output as git serves it; a changed file git would check out again as it
    is (a CRLF working tree) is not drift."""
    ids = {rel: git.blob_id(data) for rel, data in wanted.items()}
    faithful = git.stored_as(
        [r for r in drift.changed if r in git.entries and git.entries[r].oid == ids[r]]
    )
    for rel in list(drift.changed):
        if faithful.get(rel) == ids[rel]:
            drift.changed.remove(rel)
            on_disk.add(rel)
    for rel in sorted(wanted):
        entry = git.entries.get(rel)
        rewriting = git.rewriting.get(rel)
        if entry is not None and gitview.special(entry):
            drift.unserved[rel] = f"is {gitview.special(entry)}, not a generated file"
        elif entry is not None and entry.flags:
            drift.unserved[rel] = f"is marked {' and '.join(entry.flags)} in git's index"
        elif rewriting:
            drift.unserved[rel] = (
                f"has the git attribute {', '.join(rewriting)}, which rewrites it on checkout or"
                " export"
            )
        elif rel in on_disk and (entry is None or entry.oid != ids[rel]):
            drift.unstaged.append(rel)


def _explain(root: Path, rel: str, text: str, label: str, drift: Drift) -> None:
    """The first differing line of a changed file, and a unified diff when it is not huge."""
    size = (root / rel).stat().st_size
    if size > _DIFF_LIMIT:
        drift.first_line[rel] = 1
        return
    old = (read_at_most(root / rel, _DIFF_LIMIT) or b"").decode("utf-8", "replace")
    a, b = old.splitlines(keepends=True), text.splitlines(keepends=True)
    head = common_run(a, b)
    drift.first_line[rel] = head + 1
    drift.diffs[rel] = unified_diff(
        a, b, f"{label}/{rel} (on disk)", f"{label}/{rel} (from spec)", head=head
    )


def _extras(tree: Tree, files: dict[str, str], git: gitview.GitView | None, drift: Drift) -> None:
    """Files that no target produces: drift when git tracks them or does not ignore them."""
    on_disk = set(tree.files) | set(tree.odd)
    tracked = set(git.entries) if git is not None else set()
    extra = sorted((on_disk | tracked) - set(files))
    untracked = [rel for rel in extra if rel not in tracked]
    ignored = git.ignored(untracked) if git is not None and untracked else set()
    for rel in extra:
        entry = git.entries.get(rel) if git is not None else None
        if entry is not None and gitview.special(entry):
            drift.odd[rel] = f"{gitview.special(entry)}"
        elif rel in tree.odd and rel not in ignored:
            drift.odd[rel] = tree.odd[rel]
        elif rel in ignored:
            drift.noise.append(rel)
        else:
            drift.stale.append(rel)


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
