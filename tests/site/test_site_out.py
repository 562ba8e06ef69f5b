"""`errspec site --out`: it refuses what `generate --out` refuses, and of an existing site it
removes only what its marker lists with those very bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import build_site_of, run_errspec, site_data, write_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    from support import FROZEN

    write_project(site_data(), tmp_path / "p", FROZEN / "openapi.yaml")
    return tmp_path / "p"


@pytest.mark.parametrize("where", [".", "spec", "full"])
def test_site_refuses_what_generate_refuses(project: Path, where: str) -> None:
    if where == "full":
        (project / "full").mkdir()
        (project / "full" / "notes.txt").write_text("mine", encoding="utf-8")
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    out = str(project / where)
    site = run_errspec("site", "--project", str(project), "--out", out)
    generate = run_errspec("generate", "--project", str(project), "--out", out)
    assert site.code == generate.code == 2, site.err
    refusal = [line for line in generate.err.splitlines() if line.startswith("errspec: --out")]
    assert refusal and site.err.splitlines() == refusal
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_a_rebuild_keeps_what_errspec_did_not_write(project: Path) -> None:
    data = site_data()
    build_site_of(data, project)
    site = project / "_site"
    (site / "mine.txt").write_text("mine", encoding="utf-8")
    listed = next(site.glob("*/errors/*/index.html"))
    listed.write_text("edited", encoding="utf-8")  # changed since errspec wrote it
    retired = data["retired"][0]["code"]
    data["retired"] = []  # its pages leave the site
    write_project(data, project / "again")
    (project / "spec" / "errors.yaml").write_text(
        (project / "again" / "spec" / "errors.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = run_errspec("site", "--project", str(project))
    assert result.code == 0, result.err
    assert (site / "mine.txt").read_text(encoding="utf-8") == "mine"
    assert "kept" in result.out and "mine.txt" in result.out
    assert not list(site.glob(f"*/errors/{retired}/index.html"))
    if listed.parent.name != str(retired):
        assert listed.read_text(encoding="utf-8") != "edited"  # an output: rewritten
