"""A cache of finished outputs, in the user's cache directory, holding data only.

When nothing an output is made from has changed, the outputs are known. The key
hashes the spec and the surface, errspec's own code, templates and JSON Schema,
the Python version and the versions of the libraries that shape the outputs.
An entry is JSON (`{"key", "digest", "files"}`), written atomically after a
successful run and verified before use: a wrong key, a wrong digest or anything
unreadable is a miss. The entry only saves the work of producing the outputs:
`check` still compares every byte of the tree with them.

The directory is `$ERRSPEC_CACHE`, else `$XDG_CACHE_HOME/errspec`, else
`~/.cache/errspec`. errspec uses it only when it is a real directory (not a
symlink) owned by the user and marked with errspec's CACHEDIR.TAG; it creates it
so. `ERRSPEC_CACHE=0` turns the cache off, and so does `CI` (a CI cache can be
restored from another branch), unless `ERRSPEC_CACHE` names a directory.

This module is on the hot path of `check`: it imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import Callable

from .resources import PACKAGE, SCHEMA, TEMPLATES

KEEP = 8  # output entries kept; older ones are removed when a new one is stored
TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# errspec's cache: safe to delete.\n"
# Libraries whose version can change the outputs.
LIBRARIES = (
    "jinja2",
    "pyyaml",
    "jsonschema",
    "jsonschema-rs",
    "datamodel-code-generator",
    "pydantic",
)


def cache_dir() -> Path | None:
    """The cache directory to use, or None when caching is off."""
    setting = os.environ.get("ERRSPEC_CACHE", "")
    if setting == "0" or (not setting and os.environ.get("CI")):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "errspec"


def _owned(directory: Path, create: bool) -> bool:
    """True when `directory` is errspec's: a real directory of this user with our tag."""
    try:
        info = directory.lstat()
    except FileNotFoundError:
        if not create:
            return False
        try:
            directory.mkdir(parents=True, mode=0o700)
            (directory / "CACHEDIR.TAG").write_text(TAG, encoding="utf-8")
        except OSError:
            return False
        return True
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        return False
    try:
        return (directory / "CACHEDIR.TAG").read_text(encoding="utf-8") == TAG
    except (OSError, UnicodeDecodeError):
        return False


def _files(root: Path) -> list[Path]:
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found += [Path(folder, n) for n in sorted(names) if not n.endswith((".pyc", ".pyo"))]
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_versions() -> dict[str, str]:
    """{normalized name: version} of the distributions on sys.path, the first of each name,
    as importlib.metadata finds them; read off the `NAME-VERSION.dist-info` folder names,
    because importing importlib.metadata alone costs a fifth of a cache-hit `check`."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if folder.endswith(".dist-info"):
                name, _, release = folder.removesuffix(".dist-info").partition("-")
                found.setdefault(_normal(name), release)
    return found


def tool_fingerprint() -> bytes:
    """Everything besides the project's inputs that decides the outputs."""
    digest = hashlib.sha256()
    for path in _files(PACKAGE) + _files(TEMPLATES) + [SCHEMA]:
        data = path.read_bytes()
        digest.update(f"{path.name}\0{len(data)}\0".encode())
        digest.update(data)
    found = installed_versions()
    for name in LIBRARIES:
        digest.update(f"{name}={found.get(_normal(name), 'none')}\0".encode())
    digest.update(sys.version.encode())
    return digest.digest()


def outputs_key(*inputs: bytes) -> str:
    """The key of the outputs made from `inputs` (spec, surface) by this errspec."""
    digest = hashlib.sha256(tool_fingerprint())
    for data in inputs:
        digest.update(f"{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _digest(files: dict[str, str]) -> str:
    canonical = json.dumps(files, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _entry(directory: Path, key: str) -> Path:
    return directory / f"outputs-{key}.json"


def load(key: str) -> dict[str, str] | None:
    """The outputs stored under `key`, or None."""
    directory = cache_dir()
    if directory is None or not _owned(directory, create=False):
        return None
    try:
        with open(_entry(directory, key), encoding="utf-8") as fh:
            entry = json.load(fh)
        files = entry["files"]
        if (
            entry["key"] != key
            or not isinstance(files, dict)
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items())
            or entry["digest"] != _digest(files)
        ):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return files


def store(key: str, files: dict[str, str]) -> None:
    """Store `files` under `key` atomically; keep the KEEP newest entries. Never raises."""
    directory = cache_dir()
    if directory is None or not _owned(directory, create=True):
        return
    target = _entry(directory, key)
    tmp = directory / f".{target.name}.{os.getpid()}.tmp"
    try:
        with open(tmp, "x", encoding="utf-8") as fh:
            json.dump(
                {"key": key, "digest": _digest(files), "files": files}, fh, ensure_ascii=False
            )
        os.replace(tmp, target)
    except (OSError, ValueError):
        tmp.unlink(missing_ok=True)
        return
    try:
        entries = sorted(
            (p for p in directory.glob("outputs-*.json") if p.is_file() and not p.is_symlink()),
            key=lambda p: p.stat().st_mtime_ns,
            reverse=True,
        )
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def cached(
    inputs: Callable[[], tuple[bytes, ...]], produce: Callable[[], dict[str, str]]
) -> dict[str, str]:
    """The outputs: from the cache when an entry matches `inputs()`, else `produce()` (stored).

    When the inputs cannot be read, `produce` runs uncached, so that it reports the problem.
    """
    if cache_dir() is None:
        return produce()
    try:
        key = outputs_key(*inputs())
    except Exception:  # noqa: BLE001 - unreadable or refused: produce() reports it, in order
        return produce()
    files = load(key)
    if files is None:
        files = produce()
        try:
            unchanged = outputs_key(*inputs()) == key
        except Exception:  # noqa: BLE001 - gone or changed since: never store
            unchanged = False
        if unchanged:  # inputs edited while `produce` ran must not be stored under the old key
            store(key, files)
    return files
