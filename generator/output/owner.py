"""Which output directory errspec may write: one it owns, and nothing it merely guesses is.

`generate --out DIR` replaces DIR as a whole, so errspec refuses anything it does not own:
the project directory or an ancestor, a folder holding the spec, the surface, `.git` or the
templates, a regular file, a non-empty directory without errspec's marker, and a symbolic
link that resolves to another directory inside the project (a pull request could point
`generated` at `docs/`). A symlink to a directory outside the project is written through:
its target is replaced and the link stays. No file's content decides ownership.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..project import Project, Refused
from ..resources import TEMPLATES
from .manifest import MARKER

FIX = "choose a directory errspec owns, such as generated/"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def check_out(project: Project) -> Path:
    """The real output directory; raises Refused when errspec must not write it."""
    given = project.out
    out = Path(os.path.realpath(given))

    def refuse(what: str, hint: str = FIX) -> Refused:
        return Refused(f"--out {given} {what}; {hint}")

    protected = {
        "the project directory": project.root,
        "the spec's directory": project.spec.parent,
        "the OpenAPI surface's directory": project.openapi.parent,
        "the templates": TEMPLATES,
    }
    for label, path in protected.items():
        if _inside(Path(os.path.realpath(path)), out):
            raise refuse(f"would replace {label} ({path})")
    if out.name == ".git" or any(p.name == ".git" for p in out.parents):
        raise refuse("is inside a .git directory")
    if (out / ".git").exists():
        raise refuse("holds a .git directory")
    linked = out != Path(os.path.realpath(given.parent)) / given.name
    if linked and _inside(out, Path(os.path.realpath(project.root))):
        raise refuse(
            f"is a symbolic link to {out}, another directory inside the project",
            "replace the link with a directory, or point --out at the directory itself",
        )
    if out.exists() and not out.is_dir():
        raise refuse("is not a directory", "errspec writes a whole directory; " + FIX)
    if out.is_dir() and any(out.iterdir()) and not _regular(out / MARKER):
        raise refuse(
            f"is a non-empty directory without errspec's marker ({MARKER})",
            "pass an empty or new directory; errspec writes only directories it owns",
        )
    return out
