"""One consumer script per SDK (tests/consumers/), run as a user would run it against the live
registry's package: each catches the rate-limit error of a code its SDK does not know yet and
reads its retry delay; all three print the same line."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from support import GO_ENV, LIVE_OUT, LIVE_SPEC, TESTS, go_tool, load_spec, node, ok, run_tool

pytestmark = [pytest.mark.slow, pytest.mark.live]  # node, go

SPEC = load_spec(LIVE_SPEC)
SCRIPTS = TESTS / "consumers"
EXPECTED = "rate limited by unknown code 3999: retryable=true, retry in 12 s\n"


def test_the_scripts_rely_on_what_the_spec_says() -> None:
    found = SPEC.range_of(3999)
    assert found is not None and found.exception == "RateLimitError" and found.retryable
    assert 3999 not in SPEC.code_numbers
    assert SPEC.packages.python == "market_data_errors"
    assert SPEC.packages.npm == "@market-data/errors"
    assert SPEC.go_module == "example.com/market-data/mderrors"


def test_python(tmp_path: Path) -> None:
    shutil.copytree(LIVE_OUT / "python", tmp_path / SPEC.packages.python)
    proc = run_tool([sys.executable, SCRIPTS / "rate_limit.py"], env={"PYTHONPATH": str(tmp_path)})
    assert ok(proc).lower() == EXPECTED.lower()  # Python prints True


def test_javascript(tmp_path: Path) -> None:
    shutil.copytree(LIVE_OUT / "js", tmp_path / "node_modules" / SPEC.packages.npm)
    shutil.copy(SCRIPTS / "rate_limit.mjs", tmp_path / "rate_limit.mjs")
    assert ok(run_tool([node(), tmp_path / "rate_limit.mjs"], cwd=tmp_path)) == EXPECTED


def test_go(tmp_path: Path) -> None:
    shutil.copy(SCRIPTS / "rate_limit.go", tmp_path / "main.go")
    (tmp_path / "go.mod").write_text(
        f"module consumer\n\ngo 1.19\n\nrequire {SPEC.go_module} v0.0.0\n\n"
        f"replace {SPEC.go_module} => {LIVE_OUT / 'go'}\n",
        encoding="utf-8",
    )
    assert ok(run_tool([go_tool(), "run", "."], cwd=tmp_path, env=GO_ENV)) == EXPECTED
