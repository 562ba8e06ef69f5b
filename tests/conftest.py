"""Shared helpers: the project root, a scratch copy of the project, the CLI."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from stages import yaml_text
from hypothesis import settings

# CI runs the property tests on a fixed sequence of examples (HYPOTHESIS_PROFILE=ci), so a
# red build always reproduces; locally they explore new examples on every run.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# As on users' machines: bytecode is written (this sandbox sets PYTHONDONTWRITEBYTECODE).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
# The suite's runs cache in a directory of their own, not in the user's cache.
os.environ.setdefault("ERRSPEC_CACHE", tempfile.mkdtemp(prefix="errspec-test-cache-"))

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "errors.yaml"
GENERATED = ROOT / "generated"
# The registry as it stood when it reproduced the published page; frozen, so that toolchain
# tests have a realistic spec whose content never moves (tests/fixtures/published/README.md).
FROZEN = ROOT / "tests" / "fixtures" / "published"


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_errspec(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Result:
    """Run `python -m generator ARGS` in a fresh process."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def load_spec_data() -> dict:
    """The real spec as plain data, to derive variants from."""
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


def load_frozen_data() -> dict:
    """The frozen published registry as plain data, to derive variants from."""
    return yaml.safe_load((FROZEN / "errors.yaml").read_text(encoding="utf-8"))


def dump_spec(data: dict, path: Path) -> Path:
    """Write spec data as YAML."""
    path.write_text(yaml_text(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of spec/ and generated/, to run the CLI in."""
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    shutil.copytree(GENERATED, tmp_path / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


@functools.lru_cache(maxsize=None)
def frozen_generated() -> Path:
    """A directory with spec/ of the frozen published registry and the generated/ errspec makes
    from it, made once per test run (modules that import the generated SDK at import time use
    it directly; tests take the `frozen_tree` fixture)."""
    root = Path(tempfile.mkdtemp(prefix="errspec-frozen-"))
    (root / "spec").mkdir()
    for name in ("errors.yaml", "openapi.yaml"):
        shutil.copy(FROZEN / name, root / "spec" / name)
    result = run_errspec("generate", cwd=root, env={"ERRSPEC_CACHE": "0"})
    assert result.code == 0, result.err
    return root


@pytest.fixture(scope="session")
def frozen_tree() -> Path:
    """spec/ of the frozen published registry and the generated/ errspec makes from it."""
    return frozen_generated()


@pytest.fixture
def frozen_project(frozen_tree: Path, tmp_path: Path) -> Path:
    """A scratch project of the frozen registry, in sync, to run the CLI in: toolchain tests
    that name codes and texts use it, so that a registry edit never changes their outcome."""
    shutil.copytree(frozen_tree / "spec", tmp_path / "spec")
    shutil.copytree(frozen_tree / "generated", tmp_path / "generated")
    return tmp_path


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes (bytecode that imports write left out)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }
