"""The Go package as errspec renders it, without running Go (tests/toolchain/test_go_toolchain.py runs
gofmt, go vet and go test on it): generated only when packages.go names it, its module path
following Go's major-version rule, standard library only, for Go 1.19."""

from __future__ import annotations

import re
from pathlib import Path

from support import frozen_data, problems_of, render_all, run_errspec, spec_of_data, targets_of
from support import dump_spec, setting

GO_MODULE = "example.com/team/teamerrs"


def with_go(release: str = "1.0.0") -> dict:
    data = frozen_data()
    setting(("packages", "go"), GO_MODULE)(data)
    data["release"] = release
    return data


def go_files(data: dict) -> dict[str, str]:
    spec = spec_of_data(data)
    return {p: t for p, t in render_all(spec, targets=targets_of(spec, "go/")).items()}


def test_the_go_package_is_made_only_when_packages_go_names_it() -> None:
    without = spec_of_data(frozen_data())
    assert "go" not in without.outputs
    assert "go" in spec_of_data(with_go()).outputs
    assert sorted(go_files(with_go())) == ["go/codes.go", "go/errors.go", "go/go.mod"]
    data = frozen_data()
    data["outputs"] = ["docs", "go"]
    (problem,) = problems_of(data)
    assert "the go output needs packages.go" in problem


def test_the_module_path_ends_in_the_major_version_from_2_on() -> None:
    module = re.compile(r"(?m)^module (\S+)$")
    assert module.findall(go_files(with_go("1.4.0"))["go/go.mod"]) == [GO_MODULE]
    assert module.findall(go_files(with_go("2.0.0"))["go/go.mod"]) == [f"{GO_MODULE}/v2"]
    assert spec_of_data(with_go("13.1.0")).go_module == GO_MODULE + "/v13"
    assert spec_of_data(with_go()).go_package == "teamerrs"


def test_diff_reports_the_import_path_a_major_release_moves(tmp_path: Path) -> None:
    old = dump_spec(with_go("1.0.0"), tmp_path / "old" / "errors.yaml")
    data = with_go("2.0.0")
    data["codes"] = [c for c in data["codes"] if c["code"] != 3004]  # a major change
    data["handler"]["cases"] = [
        dict(case, codes=[c for c in case["codes"] if c != 3004])
        for case in data["handler"]["cases"]
    ]
    new = dump_spec(data, tmp_path / "new" / "errors.yaml")
    result = run_errspec("diff", "--against-file", str(old), "--spec", str(new))
    assert f"Go import path {GO_MODULE} → {GO_MODULE}/v2" in result.out


def test_go_1_19_and_the_standard_library_only() -> None:
    files = go_files(with_go())
    assert re.search(r"(?m)^go 1\.19$", files["go/go.mod"])
    assert "require" not in files["go/go.mod"]
    for path in ("go/codes.go", "go/errors.go"):
        block = re.search(r'(?ms)^import (?:"[^"]+"$|\(.*?^\))', files[path])
        assert block is not None, path
        imports = re.findall(r'"([^"]+)"', block.group(0))
        assert imports and all("." not in i for i in imports), imports
        assert not {"slices", "maps", "cmp"} & set(imports)
        assert not re.search(r"\b(min|max)\(", files[path]), path  # builtins since Go 1.21


def test_a_go_path_with_its_own_major_version_or_a_reserved_name_is_refused() -> None:
    data = frozen_data()
    data["packages"]["go"] = "example.com/team/errs/v2"
    (problem,) = problems_of(data)
    assert "ends in the major version v2" in problem and "'example.com/team/errs'" in problem
    data["packages"]["go"] = "example.com/team/type"
    (problem,) = problems_of(data)
    assert "would be called 'type'" in problem
