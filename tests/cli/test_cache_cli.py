"""The output cache through the commands: a hit still compares every byte, every input of
the outputs changes the key (errspec's own code and templates included), an invalid spec is
never cached, a damaged entry is a miss, and no run writes into the project or the package.
Tests that edit errspec run its copy in a process of their own."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from support import ROOT, copy_project, run_errspec, run_errspec_process


@pytest.fixture
def copy(tmp_path: Path, frozen_tree: Path) -> Path:
    """generator/, templates/ and the spec's schema of this checkout, with spec/ and
    generated/ of the frozen registry: a project whose errspec a test may edit (so errspec
    runs in a process of its own, with PYTHONPATH at the copy)."""
    proj = copy_project(frozen_tree, tmp_path / "proj")
    for name in ("generator", "templates"):
        shutil.copytree(ROOT / name, proj / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "spec" / "errors.schema.json", proj / "spec")
    return proj


def _cli(proj: Path, *args: str, **env: str) -> tuple[int, str]:
    """errspec of the copy, on the copy, with the copy's cache directory."""
    result = run_errspec_process(
        *args,
        cwd=proj,
        env={
            "PYTHONPATH": str(proj),
            "ERRSPEC_CACHE": str(proj.parent / f"{proj.name}-cache"),
            **env,
        },
    )
    return result.code, result.out + result.err


def _in_process(proj: Path, *args: str) -> tuple[int, str]:
    """errspec of this checkout on the project `proj`, with the project's cache directory."""
    result = run_errspec(
        *args, cwd=proj, env={"ERRSPEC_CACHE": str(proj.parent / f"{proj.name}-cache")}
    )
    return result.code, result.out + result.err


def _entries(proj: Path) -> list[Path]:
    return sorted((proj.parent / f"{proj.name}-cache").glob("outputs-*.json"))


def test_a_hit_still_compares_every_byte(project: Path) -> None:
    assert _in_process(project, "check")[0] == 0
    assert len(_entries(project)) == 1
    page = project / "generated" / "docs" / "errors.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "x\n", encoding="utf-8")
    code, out = _in_process(project, "check")
    assert code == 1 and "docs/errors.en.md: differs" in out


@pytest.mark.parametrize(
    "edit",
    [
        "spec/errors.yaml",
        "spec/openapi.yaml",
        "templates/_header.jinja",
        "generator/filters.py",
        "spec/errors.schema.json",
    ],
)
def test_every_input_changes_the_key(copy: Path, edit: str) -> None:
    assert _cli(copy, "check")[0] == 0
    path = copy / edit
    text = path.read_text(encoding="utf-8")
    if edit.endswith(".jinja"):
        path.write_text(text.replace("do not edit", "DO NOT EDIT"), encoding="utf-8")
    elif edit.endswith(".json"):
        path.write_text(
            text.replace('"title": "errspec error registry"', '"title": "x"'), encoding="utf-8"
        )
    else:
        path.write_text(text + "\n# edited\n", encoding="utf-8")
    code, out = _cli(copy, "check")
    if edit.endswith(".jinja"):
        assert code == 1 and "DO NOT EDIT" in out
    else:
        assert code == 0, out
    assert len(_entries(copy)) == 2


def test_an_invalid_spec_is_never_cached(project: Path) -> None:
    spec = project / "spec" / "errors.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("version: 1", "version: 7"), encoding="utf-8"
    )
    assert _in_process(project, "check")[0] == 2
    assert _entries(project) == []


@pytest.mark.parametrize("how", ["truncate", "flip", "wrong key", "not json", "directory"])
def test_a_damaged_entry_is_a_miss(project: Path, how: str) -> None:
    assert _in_process(project, "check")[0] == 0
    (entry,) = _entries(project)
    data = entry.read_bytes()
    if how == "truncate":
        entry.write_bytes(data[: len(data) // 2])
    elif how == "flip":
        at = data.index(b"do not edit")
        entry.write_bytes(data[:at] + b"DO" + data[at + 2 :])
    elif how == "wrong key":
        doc = json.loads(data)
        doc["key"] = "0" * 64
        entry.write_text(json.dumps(doc), encoding="utf-8")
    elif how == "not json":
        entry.write_bytes(b"\x80\x04K\x01.")  # a pickle
    else:
        entry.unlink()
        entry.mkdir()
    assert _in_process(project, "check")[0] == 0


def test_no_run_writes_into_the_project_or_the_package(copy: Path, tmp_path: Path) -> None:
    env = {
        "XDG_CACHE_HOME": str(tmp_path / "xdg"),
        "ERRSPEC_CACHE": "",
        "CI": "",
    }  # a developer machine
    before = sorted(p.relative_to(copy) for p in copy.rglob("*") if "__pycache__" not in p.parts)
    assert _cli(copy, "check", **env)[0] == 0
    assert _cli(copy, "generate", **env)[0] == 0
    after = sorted(p.relative_to(copy) for p in copy.rglob("*") if "__pycache__" not in p.parts)
    assert after == before
    assert list((tmp_path / "xdg" / "errspec").glob("outputs-*.json"))
