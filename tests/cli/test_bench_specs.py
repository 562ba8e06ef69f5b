"""The benchmark's synthetic registries stay valid as the rules grow, and use every field."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import ROOT, frozen_data, run_errspec


@pytest.fixture
def synth(monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.syspath_prepend(str(ROOT))
    import bench.synth

    return bench.synth


def test_a_synthetic_registry_is_valid_and_generates(synth: object, tmp_path: Path) -> None:
    spec = synth.write_workspace(tmp_path, 150)  # type: ignore[attr-defined]
    env = {"ERRSPEC_CACHE": "0"}
    result = run_errspec("validate", "--spec", str(spec), env=env)
    assert result.code == 0, result.err
    assert "(150 codes" in result.out
    out = tmp_path / "generated"
    assert run_errspec("generate", "--spec", str(spec), "--out", str(out), env=env).code == 0
    assert run_errspec("check", "--spec", str(spec), "--out", str(out), env=env).code == 0
    synth.change_one_message(spec)  # type: ignore[attr-defined]
    changed = run_errspec("check", "--spec", str(spec), "--out", str(out), env=env)
    assert changed.code == 1, changed.err
    assert "python/error_codes.py: differs" in changed.out


def test_synthetic_codes_use_every_optional_field_in_every_locale(synth: object) -> None:
    data = synth.synthetic_spec(400)  # type: ignore[attr-defined]
    real = frozen_data()
    assert (
        data["codes"][: len(real["codes"])] == real["codes"]
    )  # x-error-codes of the surface still resolve
    extra = data["codes"][len(real["codes"]) :]
    fields = set().union(*(raw.keys() for raw in extra))
    assert fields >= {
        "http_status",
        "retryable",
        "retry_after",
        "shares_section_with",
        "suggestion",
        "section_title",
        "causes",
        "solution",
        "notes",
    }
    for raw in extra:
        for key in ("meaning", "suggestion", "section_title", "causes", "solution", "notes"):
            if key in raw:
                assert set(raw[key]) == set(data["locales"])
    assert any("data" in raw["example"] for raw in extra)
    assert len({raw["category"] for raw in extra}) > 1
