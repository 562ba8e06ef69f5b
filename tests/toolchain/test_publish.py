"""The SDK packages as they would be published, judged by the tools registries use, offline:
`python -m build --no-isolation` makes a wheel and an sdist that pass `twine check --strict`,
`check-wheel-contents` and `validate-pyproject`; `npm publish --dry-run` packs the npm package
with its README and nothing to warn about but the missing login, and `publint --strict` finds
nothing. The live registry's packages (an object form of packages.python, a license) and the
frozen registry's (plain names)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from support import LIVE_OUT, frozen_generated, node_tool, ok, run_tool

pytestmark = pytest.mark.slow  # build, twine, npm, publint
BIN_DIR = Path(sys.executable).parent

TREES = [
    pytest.param(LIVE_OUT, id="live", marks=pytest.mark.live),
    pytest.param(frozen_generated() / "generated", id="frozen"),
]


@pytest.mark.parametrize("out", TREES)
def test_the_python_package_builds_and_passes_the_publishing_checks(
    out: Path, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    shutil.copytree(out / "python", src, ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path / "dist"
    ok(run_tool([sys.executable, "-m", "build", "--no-isolation", "-o", dist, src]))
    built = sorted(p.name for p in dist.iterdir())
    assert sorted(name.rsplit(".", 1)[-1] for name in built) == ["gz", "whl"], built
    ok(run_tool([BIN_DIR / "twine", "check", "--strict", *sorted(dist.iterdir())]))
    ok(run_tool([BIN_DIR / "check-wheel-contents", *dist.glob("*.whl")]))
    ok(run_tool([BIN_DIR / "validate-pyproject", src / "pyproject.toml"]))


@pytest.mark.parametrize("out", TREES)
def test_the_npm_package_publishes_cleanly(out: Path, tmp_path: Path) -> None:
    package = tmp_path / "package"
    shutil.copytree(out / "js", package)
    proc = run_tool(["npm", "publish", "--dry-run"], cwd=package)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    warnings = [
        line
        for line in proc.stderr.splitlines()
        if line.startswith("npm warn") and "requires you to be logged in" not in line
    ]
    assert warnings == []
    assert "README.md" in proc.stderr
    out_text = ok(run_tool([node_tool("publint"), "--strict", "."], cwd=package))
    assert "All good" in out_text, out_text
