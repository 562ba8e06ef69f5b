"""The generated Go package under Go's own tools, offline (GOPROXY=off): gofmt finds nothing
to change, go vet nothing to report, and go test runs an errors.As / errors.Is consumer;
the live registry's package and one of a spec with long names and a major release. (The
conformance table through the Go package: tests/outputs/test_sdk_conformance.py.) A missing
Go fails: CI installs it (.ci/run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import GO_ENV, GO_TESTS, LIVE_OUT, dump_spec, frozen_data, go_module, go_tool
from support import ok, run_errspec, run_tool

pytestmark = pytest.mark.slow  # go


def variant(tmp_path: Path) -> Path:
    """generated/go of a spec at release 3.1.0 with a long exception name and a retired and a
    deprecated code."""
    data = frozen_data()
    data["release"] = "3.1.0"
    data["packages"]["go"] = "example.com/variant/varianterrs"
    long_name = "Very" * 40 + "LongError"
    for c in data["categories"]:
        if c["id"] == "websocket":
            c["exception"] = long_name
    dump_spec(data, tmp_path / "spec" / "errors.yaml")
    result = run_errspec("generate", cwd=tmp_path, env={"ERRSPEC_CACHE": "0"})
    assert result.code == 0, result.err
    return tmp_path / "generated" / "go"


@pytest.fixture(params=["live", "variant"])
def package(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "live":
        if not (LIVE_OUT / "go").is_dir():
            pytest.fail("the live spec names no Go package (packages.go)")
        return LIVE_OUT / "go"
    return variant(tmp_path / "project")


def test_gofmt_finds_nothing_to_change(package: Path) -> None:
    assert ok(run_tool([str(Path(go_tool()).parent / "gofmt"), "-l", "."], cwd=package)) == ""


def test_go_vet_and_a_consumer_test_pass(package: Path, tmp_path: Path) -> None:
    module = go_module(package, tmp_path / "module", GO_TESTS / "consumer_test.go")
    ok(run_tool([go_tool(), "vet", "./..."], cwd=module, env=GO_ENV))
    out = ok(run_tool([go_tool(), "test", "-count=1", "-v", "./..."], cwd=module, env=GO_ENV))
    assert "--- PASS: TestConsumer" in out
