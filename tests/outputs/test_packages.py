"""The SDK packages' metadata as errspec renders it (the publishing tools judge it in
tests/toolchain/test_publish.py): READMEs made from names and ranges alone, so a docs edit
stays docs only; license and classifiers from packages, written as a name or as an object;
publishConfig.access public for a scoped npm name."""

from __future__ import annotations

import json
import tomllib

from support import frozen_data, localized_texts, render_all, spec_of_data, targets_of

READMES = ("python/README.md", "js/README.md")


def package_files(data: dict) -> dict[str, str]:
    spec = spec_of_data(data)
    rows = targets_of(spec, "python/") + targets_of(spec, "js/")
    return render_all(spec, targets=tuple(t for t in rows if t.path != "python/models.py"))


def test_the_readmes_hold_no_per_locale_text() -> None:
    data = frozen_data()
    before = package_files(data)
    url = dict(data["page"]["url"])  # where the SDKs' doc_url points: not a docs-only edit
    for text in localized_texts(data, data["locales"]):
        for lang in text:
            if isinstance(text[lang], str):
                text[lang] = text[lang] + " (edited)"
    data["page"]["url"] = url
    after = package_files(data)
    for path in READMES:
        assert before[path] == after[path], path
        assert "(edited)" not in after[path]


def test_the_readmes_name_every_range_and_class() -> None:
    spec = spec_of_data(frozen_data())
    files = package_files(frozen_data())
    for path in READMES:
        for r in spec.code_ranges:
            assert f"`{r.exception}`" in files[path] and f"`{r.category}`" in files[path]


def test_packages_take_a_name_or_an_object_with_license_and_classifiers() -> None:
    data = frozen_data()
    plain = package_files(data)
    project = tomllib.loads(plain["python/pyproject.toml"])["project"]
    assert "license" not in project and project["readme"] == "README.md"
    assert "license" not in json.loads(plain["js/package.json"])
    data["packages"]["python"] = {
        "name": data["packages"]["python"],
        "license": "Apache-2.0",
        "classifiers": ["Intended Audience :: Developers"],
    }
    data["packages"]["npm"] = {"name": "plain-errors", "license": "Apache-2.0"}
    files = package_files(data)
    project = tomllib.loads(files["python/pyproject.toml"])["project"]
    assert project["license"] == "Apache-2.0"
    assert "Intended Audience :: Developers" in project["classifiers"]
    manifest = json.loads(files["js/package.json"])
    assert manifest["license"] == "Apache-2.0" and manifest["name"] == "plain-errors"
    assert "publishConfig" not in manifest  # an unscoped name is public anyway
    assert json.loads(plain["js/package.json"])["publishConfig"] == {"access": "public"}
