"""A cache of finished outputs, in the user's cache directory, holding data only; it wraps
the pipeline from outside (`outputs`).

When nothing an output is made from has changed, the outputs are known. The key
hashes the spec and the surface (the bytes the build read), errspec's own code,
templates and JSON Schema, the Python version and the versions of the libraries that
shape the outputs. An entry is JSON (`{"key", "digest", "outputs"}`), written
atomically after a successful run and verified before use: a wrong key, a wrong
digest or anything unreadable is a miss. The entry only saves the work of producing
the outputs: `check` still compares every byte of the tree with them.

The directory is `$ERRSPEC_CACHE`, else `$XDG_CACHE_HOME/errspec`, else
`~/.cache/errspec`. errspec uses it only when it is a real directory (not a
symlink) owned by the user and marked with errspec's CACHEDIR.TAG; it creates it
so. It is never inside the project, the git work tree holding the spec, or the
output directory, whatever the environment says: entries there could be committed
by a pull request, so such a cache is refused with a note and the run is uncached.
`ERRSPEC_CACHE=0` turns the cache off, and so does `CI` (a CI cache can be
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

from .diagnostics import safe
from .outputs import Outputs
from .project import Project
from .read import Inputs
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


def _digest(data: dict[str, object]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _entry(directory: Path, key: str) -> Path:
    return directory / f"outputs-{key}.json"


def load(key: str) -> Outputs | None:
    """The outputs stored under `key`, or None."""
    directory = cache_dir()
    if directory is None or not _owned(directory, create=False):
        return None
    try:
        with open(_entry(directory, key), encoding="utf-8") as fh:
            entry = json.load(fh)
        data = entry["outputs"]
        if entry["key"] != key or not isinstance(data, dict) or entry["digest"] != _digest(data):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Outputs.from_data(data)


def store(key: str, outputs: Outputs) -> None:
    """Store `outputs` under `key` atomically; keep the KEEP newest entries. Never raises."""
    directory = cache_dir()
    if directory is None or not _owned(directory, create=True):
        return
    target = _entry(directory, key)
    tmp = directory / f".{target.name}.{os.getpid()}.tmp"
    data = outputs.to_data()
    try:
        with open(tmp, "x", encoding="utf-8") as fh:
            json.dump(
                {"key": key, "digest": _digest(data), "outputs": data}, fh, ensure_ascii=False
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


def _work_tree(folder: Path) -> Path | None:
    """The git work tree holding `folder` (the nearest folder with a `.git`), if any."""
    for here in (folder, *folder.parents):
        if (here / ".git").exists():
            return here
    return None


def refused(directory: Path, project: Project) -> Path | None:
    """The folder of the project that `directory` lies in, when it lies in one: the project,
    the git work tree holding the spec, or the output directory."""
    real = Path(os.path.realpath(directory))
    spec_folder = Path(os.path.realpath(project.spec.parent))
    for folder in (project.root, _work_tree(spec_folder), project.out):
        if folder is None:
            continue
        owner = Path(os.path.realpath(folder))
        if real == owner or owner in real.parents:
            return folder
    return None


def outputs(
    inputs: Inputs, produce: Callable[[Inputs], Outputs], project: Project | None = None
) -> Outputs:
    """The outputs of `inputs`: from the cache when an entry matches them, else `produce`d
    (and stored under the key of exactly the bytes it was made from). When an input could not
    be read, `produce` runs uncached, so that it reports the problem in stage order; so it
    does when the cache lies inside `project` (with a note)."""
    contents = inputs.contents()
    directory = cache_dir()
    if directory is not None and project is not None:
        inside = refused(directory, project)
        if inside is not None:
            print(
                f"errspec: note: not using the cache {safe(str(directory))}: it is inside"
                f" {safe(str(inside))}, where a commit could plant entries; running uncached"
                " (set ERRSPEC_CACHE to a folder outside the project)",
                file=sys.stderr,
            )
            directory = None
    if directory is None or contents is None:
        return produce(inputs)
    key = outputs_key(*contents)
    found = load(key)
    if found is not None and not _same_templates(found):
        found = None
    if found is None:
        found = produce(inputs)
        store(key, found)
    return found


def _same_templates(found: Outputs) -> bool:
    """Whether the project's template folder still holds exactly the files, with the bytes,
    the outputs were rendered from (no folder: nothing to compare)."""
    if not found.templates:
        return True
    folder = Path(found.templates)
    try:
        now = tuple(
            (path.relative_to(folder).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        )
    except OSError:
        return False
    return now == found.template_digests
