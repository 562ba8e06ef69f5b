"""Stage output: the tree written all at once (an exchange, or two renames), under a lock,
with the umask's permissions and nothing outside it; and the comparison's trimmed diff,
which gives difflib's answer where lines are unique."""

from __future__ import annotations

import difflib
import errno
import os
import random
import re
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import generator.output.write
from generator.output.compare import common_run, unified_diff
from support import tree_bytes


@pytest.mark.parametrize("path", ["../escaped.txt", "/tmp/escaped.txt", "a/../../escaped.txt"])
def test_write_tree_refuses_an_escaping_path_before_writing_anything(
    path: str, project: Path
) -> None:
    before = tree_bytes(project)
    with pytest.raises(ValueError):
        generator.output.write.write_tree(
            project / "generated", {"docs/ok.md": "ok\n", path: "escaped\n"}
        )
    assert tree_bytes(project) == before
    assert not (project / "escaped.txt").exists()


def test_the_old_and_new_trees_are_exchanged_in_one_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "generated"
    generator.output.write.write_tree(root, {"a.txt": "one\n"})
    calls: list[str] = []
    real = generator.output.write._exchange

    def spy(a: Path, b: Path) -> bool:
        calls.append(b.name)
        done = real(a, b)
        assert done, "renameat2(RENAME_EXCHANGE) is refused on this filesystem"
        return done

    monkeypatch.setattr(generator.output.write, "_exchange", spy)
    monkeypatch.setattr(os, "rename", lambda *a: pytest.fail("renamed instead of exchanging"))
    written = generator.output.write.write_tree(root, {"a.txt": "two\n", "b.txt": "new\n"})
    assert calls == ["generated"]
    assert (written.created, written.changed, written.removed) == (["b.txt"], ["a.txt"], [])
    assert tree_bytes(root) == {"a.txt": b"two\n", "b.txt": b"new\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated"]


@pytest.mark.parametrize("err", [errno.EINVAL, errno.ENOSYS])
def test_a_refused_exchange_falls_back_to_two_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int
) -> None:
    class FakeLibc:
        @staticmethod
        def renameat2(*args: object) -> int:
            import ctypes

            ctypes.set_errno(err)
            return -1

    root = tmp_path / "generated"
    generator.output.write.write_tree(root, {"a.txt": "one\n"})
    monkeypatch.setattr(generator.output.write.ctypes, "CDLL", lambda *a, **k: FakeLibc())
    monkeypatch.setattr(generator.output.write.ctypes, "get_errno", lambda: err)
    generator.output.write.write_tree(root, {"a.txt": "two\n"})
    assert tree_bytes(root) == {"a.txt": b"two\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated"]


def test_no_libc_symbol_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "generated"
    generator.output.write.write_tree(root, {"a.txt": "one\n"})
    monkeypatch.setattr(generator.output.write.ctypes, "CDLL", lambda *a, **k: object())
    generator.output.write.write_tree(root, {"a.txt": "two\n"})
    assert tree_bytes(root) == {"a.txt": b"two\n"}


def test_leftovers_of_a_killed_run_are_removed_by_the_next(tmp_path: Path) -> None:
    root = tmp_path / "generated"
    generator.output.write.write_tree(root, {"a.txt": "one\n"})
    for name in (".generated.old-123", ".generated.new-456"):
        (tmp_path / name / "x").mkdir(parents=True)
    (tmp_path / ".other.new-1").mkdir()  # not ours
    generator.output.write.write_tree(root, {"a.txt": "two\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.new-1", "generated"]


def test_the_lock_is_held_while_writing(tmp_path: Path) -> None:
    root = tmp_path / "generated"
    order: list[str] = []
    with generator.output.write.locked(tmp_path):
        t = threading.Thread(
            target=lambda: (
                generator.output.write.write_tree(root, {"a": "1\n"}),
                order.append("write"),
            )
        )
        t.start()
        t.join(0.5)
        order.append("released")
    t.join(10)
    assert order == ["released", "write"]


def test_the_new_tree_gets_the_permissions_the_umask_gives(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        generator.output.write.write_tree(tmp_path / "generated", {"a/b.txt": "x\n"})
    finally:
        os.umask(old)
    assert (tmp_path / "generated").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "generated" / "a").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "generated" / "a" / "b.txt").stat().st_mode & 0o777 == 0o644


def _apply(a: list[str], patch: str) -> list[str]:
    """Apply a unified diff to `a`, checking every context and removed line."""
    out: list[str] = []
    at = 0
    lines = patch.splitlines(keepends=True)[2:]
    i = 0
    while i < len(lines):
        m = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@\n", lines[i])
        assert m, lines[i]
        start = int(m.group(1)) - (0 if m.group(2) == "0" else 1)
        out += a[at:start]
        at = start
        i += 1
        while i < len(lines) and not lines[i].startswith("@@"):
            tag, line = lines[i][0], lines[i][1:]
            if tag in " -":
                assert a[at] == line
                at += 1
            if tag in " +":
                out.append(line)
            i += 1
    return out + a[at:]


def test_the_trimmed_diff_applies_and_equals_difflib_where_lines_are_unique() -> None:
    rng = random.Random(5)
    for trial in range(1500):
        unique = trial % 2 == 0
        a = [
            (f"line {i}\n" if unique else rng.choice("abc") + "\n")
            for i in range(rng.randrange(80))
        ]
        b = list(a)
        for _ in range(rng.randrange(1, 5)):
            at = rng.randrange(len(b) + 1)
            kind = rng.randrange(3)
            if kind == 0 or not b:
                b.insert(at, f"new {rng.random()}\n" if unique else rng.choice("abz") + "\n")
            elif kind == 1:
                del b[min(at, len(b) - 1)]
            else:
                b[min(at, len(b) - 1)] = f"changed {rng.random()}\n"
        mine = unified_diff(a, b, "old", "new")
        assert (mine == "") == (a == b)
        if mine:
            assert _apply(a, mine) == b, (a, b, mine)
        if unique:
            assert mine == "".join(difflib.unified_diff(a, b, "old", "new"))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from("ab\n"), max_size=12), st.lists(st.sampled_from("ab\n"), max_size=12)
)
def test_common_run_is_the_loop_it_replaces(a: list[str], b: list[str]) -> None:
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) and tail < len(b) and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    assert common_run(a, b) == head
    assert common_run(a, b, tail=True) == tail
