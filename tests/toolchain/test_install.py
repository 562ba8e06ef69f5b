"""errspec as users install it: a wheel built from this checkout, installed (not editable) into a
fresh virtual environment without network, run from outside the checkout on a project laid out
like this one. The wheels of its dependencies come from .venv/wheelhouse (see the Makefile)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from support import ROOT, WHEELHOUSE, copy_project, tree_bytes

pytestmark = pytest.mark.slow  # a wheel built by pip, a venv
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "generator", "templates")


def _run(
    *cmd: str | Path, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **(env or {})}
    full.pop("PYTHONDONTWRITEBYTECODE", None)
    full.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=full, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ directory of a fresh venv with errspec installed from a wheel."""
    if not any(WHEELHOUSE.glob("*.whl")):
        pytest.fail(f"{WHEELHOUSE} holds no wheels; run `make install`")
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, src / name)
    (src / "spec").mkdir()
    shutil.copy(ROOT / "spec" / "errors.schema.json", src / "spec")
    built = _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "-w",
        tmp / "dist",
        src,
        cwd=tmp,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp / "dist").glob("errspec-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "errspec/templates/openapi.yaml.jinja" in names
    assert "errspec/errors.schema.json" in names
    assert not [
        n for n in names if n.startswith("generator/")
    ], "the wheel installs a generic top-level name"
    venv = tmp / "venv"
    assert _run(sys.executable, "-m", "venv", venv, cwd=tmp).returncode == 0
    done = _run(
        venv / "bin" / "python",
        "-m",
        "pip",
        "install",
        "-q",
        "--no-index",
        "--find-links",
        WHEELHOUSE,
        wheel,
        cwd=tmp,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return venv / "bin"


@pytest.fixture
def elsewhere(tmp_path: Path, frozen_tree: Path) -> Path:
    """A registry project (the frozen one) outside the checkout, and an empty cwd beside it."""
    project = copy_project(frozen_tree, tmp_path / "registry")
    (tmp_path / "cwd").mkdir()
    return project


def _site_packages(bin: Path) -> dict[str, int]:
    lib = next((bin.parent / "lib").glob("python3*")) / "site-packages"
    return {
        str(p.relative_to(lib)): p.stat().st_size
        for p in lib.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_every_command_works_from_another_directory(
    installed: Path, elsewhere: Path, tmp_path: Path
) -> None:
    cwd = tmp_path / "cwd"
    env = {
        "XDG_CACHE_HOME": str(tmp_path / "xdg"),
        "ERRSPEC_CACHE": "",
        "CI": "",
    }  # a developer machine
    before = _site_packages(installed)
    errspec = installed / "errspec"
    project = ["--project", str(elsewhere)]
    result = _run(errspec, "validate", *project, cwd=cwd, env=env)
    assert result.returncode == 0 and "valid" in result.stdout, result.stderr
    result = _run(errspec, "check", *project, cwd=cwd, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    committed = tree_bytes(elsewhere / "generated")
    shutil.rmtree(elsewhere / "generated")
    result = _run(errspec, "generate", *project, cwd=cwd, env=env)
    assert result.returncode == 0, result.stderr
    assert tree_bytes(elsewhere / "generated") == committed
    result = _run(errspec, "explain", "0", *project, cwd=cwd, env=env)
    assert result.returncode == 0, result.stderr
    result = _run(installed / "python", "-m", "errspec", "--version", cwd=cwd, env=env)
    assert result.returncode == 0 and result.stdout.startswith("errspec ")
    assert _site_packages(installed) == before, "a run wrote into site-packages"
    assert list(
        (tmp_path / "xdg" / "errspec").glob("outputs-*.json")
    ), "no cache entry in the user's cache"
    assert sorted(p.name for p in cwd.iterdir()) == []


def test_the_installed_tool_uses_its_packaged_templates(
    installed: Path, elsewhere: Path, tmp_path: Path
) -> None:
    code = "import errspec.resources as r; print(r.TEMPLATES); print(r.SCHEMA)"
    result = _run(installed / "python", "-c", code, cwd=tmp_path)
    templates, schema = result.stdout.split()
    assert "site-packages/errspec" in templates and "site-packages/errspec" in schema
    assert Path(templates).is_dir() and Path(schema).is_file()
