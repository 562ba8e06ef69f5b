"""The files of a spec's SDK packages, as this errspec renders them: what `diff` compares to
decide whether a release is needed at all (a docs-only change needs none)."""

from __future__ import annotations

from dataclasses import replace

from ..model import Spec
from ..render import environment, render
from ..surface import surface_of
from ..targets import wanted

PACKAGE_GROUPS = ("python", "js", "go")


def package_files(spec: Spec, release: str | None = None) -> dict[str, str]:
    """{path: text} of the spec's selected SDK packages, rendered with `release` (default the
    spec's own), so that two specs compare by what else their packages hold. A step's input
    stands for its output: the same input gives the same file."""
    if release is not None:
        spec = replace(spec, release=release)
    rows = [t for t in wanted(spec) if t.group in PACKAGE_GROUPS]
    absent = surface_of(None, spec)
    return {t.path: render(t, spec, absent, environment()) for t in rows}


def changed_package_files(old: Spec, new: Spec) -> list[str]:
    """The package files that differ between `old` and `new` (both at new's release)."""
    before, after = package_files(old, new.release), package_files(new)
    return sorted(
        path for path in before.keys() | after.keys() if before.get(path) != after.get(path)
    )
