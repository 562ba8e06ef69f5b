"""The marker of an output directory, `.errspec-output`: it says that errspec writes the
directory, and lists every file the last `generate` wrote with the sha256 of its bytes.

`generate` removes only files the previous marker lists with those very bytes (and bytecode
that importing the SDK writes under `__pycache__/`): a file it did not write, or one changed
since, is kept and reported. The lines are `sha256sum`'s: `cd generated && sha256sum -c
--ignore-missing .errspec-output` checks them by hand.
"""

from __future__ import annotations

import hashlib
import re
import stat
from pathlib import Path
from typing import Mapping

MARKER = ".errspec-output"
MAX_MARKER = 64 << 20  # a marker is read at most this far
_LINE = re.compile(r"([0-9a-f]{64})  (\S.*)")


def digest(data: bytes) -> str:
    """The sha256 of `data`, as the manifest lists it."""
    return hashlib.sha256(data).hexdigest()


def encoded(text: str | bytes) -> bytes:
    """A file's bytes: text as UTF-8 (a large output may already be its bytes)."""
    return text if isinstance(text, bytes) else text.encode("utf-8")


def entries(files: Mapping[str, str | bytes]) -> list[tuple[str, str]]:
    """(digest, path) of every output but the marker, by path."""
    return [(digest(encoded(files[path])), path) for path in sorted(files) if path != MARKER]


def read(root: Path) -> dict[str, str] | None:
    """{path: digest} of the marker under `root`; {} for a marker from before manifests;
    None when `root` holds no marker (a regular file)."""
    path = root / MARKER
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        with open(path, "rb") as fh:
            text = fh.read(MAX_MARKER).decode("utf-8", "replace")
    except OSError:
        return None
    listed = {}
    for line in text.splitlines():
        found = _LINE.fullmatch(line)
        if found:
            listed[found[2]] = found[1]
    return listed
