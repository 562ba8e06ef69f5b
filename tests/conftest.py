"""The suite's fixtures and settings; what the tests share besides fixtures is in support.py."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from support import (
    FROZEN,
    copy_project,
    dump_spec,
    frozen_data,
    frozen_generated,
    retired_entry,
    run_errspec,
)

# CI runs the property tests on a fixed sequence of examples (HYPOTHESIS_PROFILE=ci), so a
# red build always reproduces; locally they explore new examples on every run.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# As on users' machines: bytecode is written (this sandbox sets PYTHONDONTWRITEBYTECODE).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
# What the suite runs caches in a directory of its own, never in the user's cache.
os.environ["ERRSPEC_CACHE"] = tempfile.mkdtemp(prefix="errspec-test-cache-")


@pytest.fixture(scope="session")
def frozen_tree() -> Path:
    """spec/ of the frozen published registry and the generated/ errspec makes from it."""
    return frozen_generated()


@pytest.fixture
def project(frozen_tree: Path, tmp_path: Path) -> Path:
    """A scratch project of the frozen registry, in sync, to run the CLI in: its codes and
    texts never move, so a registry edit never changes a test's outcome."""
    return copy_project(frozen_tree, tmp_path)


@pytest.fixture(scope="session")
def variant_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """generated/ of a fixture spec: long names and messages, quotes, a retired code (2003)."""
    tmp_path = tmp_path_factory.mktemp("variant")
    data = frozen_data()
    data["codes"][1]["message"] = 'Token "quoted" ' + "x" * 90
    data["categories"][1]["exception"] = "A" * 70 + "Error"
    retired = next(raw for raw in data["codes"] if raw["code"] == 2003)
    data["codes"].remove(retired)
    data["retired"] = [
        retired_entry(2003, retired["name"], since="0.9.0", reason={"zh": "旧", "en": "old"})
    ]
    spec = dump_spec(data, tmp_path / "errors.yaml")
    shutil.copy(FROZEN / "openapi.yaml", tmp_path / "openapi.yaml")
    result = run_errspec("generate", "--spec", str(spec), "--out", str(tmp_path / "out"))
    assert result.code == 0, result.err
    return tmp_path / "out"
