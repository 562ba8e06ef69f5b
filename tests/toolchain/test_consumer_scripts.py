"""One consumer script per SDK (tests/consumers/), run as a user would run it: each catches the
rate-limit error of a code its SDK does not know yet and reads its retry delay; all three print
the same line. They run against the packages of the frozen registry with its rate-limit codes
retryable by default and the live registry's Go module path (the names the scripts import,
which the live registry uses too)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from support import GO_ENV, TESTS, dump_spec, frozen_data, go_tool, node, ok, run_errspec
from support import run_tool, spec_of_data

pytestmark = pytest.mark.slow  # node, go

SCRIPTS = TESTS / "consumers"
EXPECTED = "rate limited by unknown code 3999: retryable=true, retry in 12 s\n"


def consumer_data() -> dict:
    data = frozen_data()
    data["packages"]["go"] = "example.com/market-data/mderrors"
    for category in data["categories"]:
        if category["id"] == "rate_limit":
            category["retryable_default"] = True
    return data


SPEC = spec_of_data(consumer_data())


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("consumer-project")
    dump_spec(consumer_data(), root / "spec" / "errors.yaml")
    result = run_errspec("generate", cwd=root, env={"ERRSPEC_CACHE": "0"})
    assert result.code == 0, result.err
    return root / "generated"


def test_the_scripts_rely_on_what_the_spec_says() -> None:
    found = SPEC.range_of(3999)
    assert found is not None and found.exception == "RateLimitError" and found.retryable
    assert 3999 not in SPEC.code_numbers
    assert SPEC.packages.python == "market_data_errors"
    assert SPEC.packages.npm == "@market-data/errors"
    assert SPEC.go_module == "example.com/market-data/mderrors"


def test_python(out: Path, tmp_path: Path) -> None:
    shutil.copytree(out / "python", tmp_path / SPEC.packages.python)
    proc = run_tool([sys.executable, SCRIPTS / "rate_limit.py"], env={"PYTHONPATH": str(tmp_path)})
    assert ok(proc).lower() == EXPECTED.lower()  # Python prints True


def test_javascript(out: Path, tmp_path: Path) -> None:
    shutil.copytree(out / "js", tmp_path / "node_modules" / SPEC.packages.npm)
    shutil.copy(SCRIPTS / "rate_limit.mjs", tmp_path / "rate_limit.mjs")
    assert ok(run_tool([node(), tmp_path / "rate_limit.mjs"], cwd=tmp_path)) == EXPECTED


def test_go(out: Path, tmp_path: Path) -> None:
    shutil.copy(SCRIPTS / "rate_limit.go", tmp_path / "main.go")
    (tmp_path / "go.mod").write_text(
        f"module consumer\n\ngo 1.19\n\nrequire {SPEC.go_module} v0.0.0\n\n"
        f"replace {SPEC.go_module} => {out / 'go'}\n",
        encoding="utf-8",
    )
    assert ok(run_tool([go_tool(), "run", "."], cwd=tmp_path, env=GO_ENV)) == EXPECTED
