"""The output cache (cache.py, around the pipeline): in the user's cache directory, data only,
verified before use, keyed by everything the outputs are made from. Through the commands:
tests/cli/test_cache_cli.py."""

from __future__ import annotations

import json
import shutil
from typing import Any
from pathlib import Path

import pytest

from generator import cache
from generator.outputs import Outputs
from generator.project import Project
from generator.read import Inputs, read_inputs
from support import FROZEN


def test_no_flipped_byte_of_an_entry_is_believed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ERRSPEC_CACHE", str(tmp_path / "c"))
    cache.store("k" * 64, Outputs({"a.txt": "alpha\n", "b/c.py": "x = 1\n"}))
    (entry,) = (tmp_path / "c").glob("outputs-*.json")
    good = entry.read_bytes()
    assert cache.load("k" * 64) == Outputs({"a.txt": "alpha\n", "b/c.py": "x = 1\n"})
    for i in range(len(good)):
        entry.write_bytes(good[:i] + bytes([good[i] ^ 0x01]) + good[i + 1 :])
        assert cache.load("k" * 64) in (None, Outputs({"a.txt": "alpha\n", "b/c.py": "x = 1\n"})), i
        # a flip that still parses to the same data (e.g. in white space) is harmless


def test_a_directory_that_is_not_errspecs_is_neither_used_nor_pruned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "outputs-old.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("ERRSPEC_CACHE", str(foreign))
    for i in range(cache.KEEP + 2):
        cache.store(f"{i:064d}", Outputs({"a": "b"}))
    assert sorted(p.name for p in foreign.iterdir()) == ["outputs-old.json"]


def test_a_symlinked_cache_directory_is_not_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real"
    monkeypatch.setenv("ERRSPEC_CACHE", str(real))
    cache.store("1" * 64, Outputs({"a": "b"}))  # creates and tags it
    link = tmp_path / "link"
    link.symlink_to(real)
    monkeypatch.setenv("ERRSPEC_CACHE", str(link))
    cache.store("2" * 64, Outputs({"a": "b"}))
    assert cache.load("1" * 64) is None
    assert len(list(real.glob("outputs-*.json"))) == 1


def test_old_entries_are_pruned_and_no_temp_file_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ERRSPEC_CACHE", str(tmp_path / "c"))
    for i in range(cache.KEEP + 3):
        cache.store(f"{i:064d}", Outputs({"a": str(i)}))
    names = sorted(p.name for p in (tmp_path / "c").iterdir())
    assert len(names) == cache.KEEP + 1 and "CACHEDIR.TAG" in names


def test_a_full_disk_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERRSPEC_CACHE", str(tmp_path / "c"))
    cache.store("1" * 64, Outputs({"a": "b"}))

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(json, "dump", full)
    cache.store("2" * 64, Outputs({"a": "b"}))
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == [
        "CACHEDIR.TAG",
        f"outputs-{'1' * 64}.json",
    ]


def test_ci_turns_the_cache_off_unless_a_directory_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("ERRSPEC_CACHE", raising=False)
    assert cache.cache_dir() is None
    monkeypatch.setenv("ERRSPEC_CACHE", str(tmp_path))
    assert cache.cache_dir() == tmp_path
    monkeypatch.setenv("ERRSPEC_CACHE", "0")
    assert cache.cache_dir() is None


def test_the_default_is_the_users_cache_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("CI", "ERRSPEC_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "errspec"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "errspec"


def test_outputs_are_stored_under_the_bytes_they_were_made_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The inputs are read once: a spec edited during a run never gets that run's outputs."""
    monkeypatch.setenv("ERRSPEC_CACHE", str(tmp_path / "c"))
    (tmp_path / "spec").mkdir()
    spec, surface = tmp_path / "spec" / "errors.yaml", tmp_path / "spec" / "openapi.yaml"
    spec.write_bytes(b"one")
    surface.write_bytes(b"surface")
    project = Project.at(str(tmp_path))

    def made_from(inputs: Inputs) -> Outputs:
        assert inputs.spec.data is not None
        return Outputs({"a": "made from " + inputs.spec.data.decode()})

    def edited_meanwhile(inputs: Inputs) -> Outputs:
        spec.write_bytes(b"two")
        return made_from(inputs)

    assert cache.outputs(read_inputs(project), edited_meanwhile).files == {"a": "made from one"}
    assert cache.outputs(read_inputs(project), made_from).files == {"a": "made from two"}
    spec.write_bytes(b"one")

    def never(inputs: Inputs) -> Outputs:
        raise AssertionError("a hit was expected")

    assert cache.outputs(read_inputs(project), never).files == {"a": "made from one"}


def test_installed_library_versions_are_part_of_the_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = cache.outputs_key(b"spec")
    (tmp_path / "Jinja2-999.0.dist-info").mkdir()  # found first, as importlib.metadata would
    monkeypatch.syspath_prepend(str(tmp_path))
    assert cache.installed_versions()["jinja2"] == "999.0"
    assert cache.outputs_key(b"spec") != before


def test_library_versions_are_those_importlib_metadata_reports() -> None:
    from importlib.metadata import version

    found = cache.installed_versions()
    assert {name: found.get(cache._normal(name)) for name in cache.LIBRARIES} == {
        name: version(name) for name in cache.LIBRARIES
    }


def test_a_spec_changed_and_changed_back_during_a_run_stores_only_what_was_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A -> B -> A during one generate: the outputs are made from the bytes read once (A) and
    stored under A's key; a later check of A finds A's outputs, never B's."""
    import generator.pipeline
    from generator.cli import main

    project = tmp_path / "p"
    shutil.copytree(FROZEN, project / "spec", ignore=shutil.ignore_patterns("README.md"))
    spec = project / "spec" / "errors.yaml"
    a = spec.read_text(encoding="utf-8")
    b = a.replace("    message: ", "    message: B ", 1)
    monkeypatch.setenv("ERRSPEC_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("ERRSPEC_WORKERS", "0")
    monkeypatch.delenv("CI", raising=False)
    real = generator.pipeline.build_spec

    def edited_meanwhile(data: Any) -> Any:
        spec.write_text(b, encoding="utf-8")  # A -> B while the build runs ...
        built = real(data)
        spec.write_text(a, encoding="utf-8")  # ... and back to A before it ends
        return built

    monkeypatch.setattr(generator.pipeline, "build_spec", edited_meanwhile)
    monkeypatch.chdir(project)
    assert main(["generate"]) == 0
    monkeypatch.setattr(generator.pipeline, "build_spec", real)
    assert main(["check"]) == 0  # A's outputs, from the cache, match A's tree
    spec.write_text(b, encoding="utf-8")
    assert main(["check"]) == 1  # B is another key: built, and it differs from A's tree
