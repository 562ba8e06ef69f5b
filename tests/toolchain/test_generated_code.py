"""The generated code under the tools that judge code: mypy --strict on the live registry's
Python SDK, black at its defaults on the frozen registry's SDK and on a variant's (long names,
quotes, a retired code): the templates render black-stable Python with no black on the hot
path. (The consumer matrix: test_consumers_python.py, test_consumers_js.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import LIVE_OUT, ROOT, run_tool

pytestmark = pytest.mark.slow  # mypy and black on generated code


@pytest.mark.live
def test_the_live_sdk_passes_mypy_strict(tmp_path: Path) -> None:
    proc = run_tool(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", tmp_path / "cache", "python"],
        cwd=LIVE_OUT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def black_check(directory: Path) -> subprocess.CompletedProcess[str]:
    """black --check at black's defaults for generated code (88 columns, py311)."""
    files = sorted(str(p) for p in directory.glob("*.py"))
    assert len(files) >= 4, files
    return run_tool(
        [sys.executable, "-m", "black", "--config", os.devnull, "--check", "--diff"]
        + ["--line-length", "88", "--target-version", "py311", *files],
        timeout=300,
    )


def test_generated_python_is_black_stable(frozen_tree: Path) -> None:
    proc = black_check(frozen_tree / "generated" / "python")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_generated_python_of_a_fixture_spec_is_black_stable(variant_out: Path) -> None:
    proc = black_check(variant_out / "python")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_make_lint_judges_every_generated_python_file() -> None:
    """`make lint` runs black over the SDK's files themselves: handed the folder, black skipped
    them all (pyproject.toml's extend-exclude) and said "No Python files are present"."""
    files = sorted((ROOT / "generated" / "python").glob("*.py"))
    proc = run_tool(["make", "-s", "lint-generated"], cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{len(files)} files would be left unchanged." in proc.stderr, proc.stderr
