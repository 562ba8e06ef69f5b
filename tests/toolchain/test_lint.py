"""errspec's own code under the tools `make lint` runs: mypy --strict on generator/ and black
(with the project's settings) on generator/, tests/ and bench/."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from support import ROOT, run_tool

pytestmark = pytest.mark.slow  # mypy and black


def test_generator_passes_mypy_strict(tmp_path: Path) -> None:
    proc = run_tool(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", tmp_path / "cache", "generator"],
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_code_is_black_formatted() -> None:
    proc = run_tool(
        [sys.executable, "-m", "black", "--check", "generator", "tests", "bench"],
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
