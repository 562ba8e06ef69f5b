"""A cache of finished outputs, keyed by everything the outputs are made from.

`generate` and `check` spend nearly all their time validating the spec, rendering
and post-processing. When nothing they read has changed, the outputs are known:
the key hashes the spec and the surface, every other project file the generator
reads (JSON Schema, pyproject.toml), the source of the whole generator package,
every template, the Python version and the installed distributions (names and
versions). An entry is written only after a successful run, so a hit also means
the spec was valid. An entry holds its key and a hash of its content: an
unreadable, damaged or foreign entry is a miss.

This module is imported on the hot path of `check`: it imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
# Project files, besides generator/ and templates/, that can change what is generated.
PROJECT_FILES = ("spec/errors.schema.json", "pyproject.toml")
KEEP = 4  # output entries kept; older ones are removed when a new one is stored


def cache_dir() -> Path | None:
    """Where parsed specs and outputs are cached; ERRSPEC_CACHE=0 turns caching off."""
    setting = os.environ.get("ERRSPEC_CACHE", "")
    if setting == "0":
        return None
    return Path(setting) if setting else ROOT / ".errspec-cache"


def source_files(root: Path, suffix: str) -> list[Path]:
    """Files under `root` ending in `suffix`, in a fixed order, bytecode caches left out."""
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found += [Path(folder, name) for name in sorted(names) if name.endswith(suffix)]
    return found


def distributions() -> list[str]:
    """The installed distributions, by directory name (which carries the version)."""
    names: set[str] = set()
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")) and os.path.isdir(entry):
            names.update(n for n in os.listdir(entry) if n.endswith((".dist-info", ".egg-info")))
    return sorted(names)


def outputs_key(spec: bytes, surface: bytes) -> str:
    """The hash of every input of the outputs, given the spec's and the surface's bytes."""
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    add("spec", spec)
    add("surface", surface)
    for rel in PROJECT_FILES:
        path = ROOT / rel
        add(rel, path.read_bytes() if path.is_file() else b"\0missing")
    for path in source_files(ROOT / "generator", ".py") + source_files(ROOT / "templates", ""):
        add(path.relative_to(ROOT).as_posix(), path.read_bytes())
    add("python", sys.version.encode())
    add("distributions", "\n".join(distributions()).encode())
    return digest.hexdigest()


def _entry(directory: Path, kind: str, key: str) -> Path:
    return directory / f"{kind}-{key[:32]}.pickle"


def load_entry(kind: str, key: str, valid: Callable[[Any], bool]) -> Any:
    """The value stored under (`kind`, `key`), or None: no cache, no entry, or an unusable one.

    `valid` must accept the unpickled value; an entry whose key or content hash does not
    match is foreign or damaged and counts as a miss.
    """
    directory = cache_dir()
    if directory is None:
        return None
    try:
        with open(_entry(directory, kind, key), "rb") as fh:
            stored_key, digest, payload = pickle.load(fh)
        if stored_key != key or hashlib.sha256(payload).hexdigest() != digest:
            return None
        value = pickle.loads(payload)
    except Exception:
        return None
    return value if valid(value) else None


def store_entry(kind: str, key: str, value: Any, keep: int | None = None) -> None:
    """Store `value` under (`kind`, `key`) atomically; keep only the `keep` newest of `kind`."""
    directory = cache_dir()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(
                (key, hashlib.sha256(payload).hexdigest(), payload),
                fh,
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        os.replace(tmp, _entry(directory, kind, key))
        if keep is not None:
            entries = sorted(
                directory.glob(f"{kind}-*.pickle"),
                key=lambda p: p.stat().st_mtime_ns,
                reverse=True,
            )
            for old in entries[keep:]:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def _is_files(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def load_outputs(key: str) -> dict[str, str] | None:
    """The outputs stored under `key`, or None."""
    files: dict[str, str] | None = load_entry("outputs", key, _is_files)
    return files


def store_outputs(key: str, files: dict[str, str]) -> None:
    """Store `files` under `key`, keeping the KEEP most recent output entries."""
    store_entry("outputs", key, dict(files), keep=KEEP)


def cached_outputs(
    spec: Path, surface: Path, produce: Callable[[], dict[str, str]]
) -> dict[str, str]:
    """The outputs for `spec` and `surface`: from the cache, else from `produce()` (then stored).

    When either file cannot be read, `produce` runs uncached, so that it reports the problem.
    """
    if cache_dir() is None:
        return produce()
    try:
        key = outputs_key(spec.read_bytes(), surface.read_bytes())
    except OSError:
        return produce()
    files = load_outputs(key)
    if files is None:
        files = produce()
        try:
            unchanged = outputs_key(spec.read_bytes(), surface.read_bytes()) == key
        except OSError:
            unchanged = False
        if unchanged:  # an input edited while `produce` ran must not be stored under the old key
            store_outputs(key, files)
    return files
