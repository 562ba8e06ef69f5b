"""Bad and adversarial spec files: each is refused with exit 2 and compiler-style diagnostics
(`FILE:LINE:COL: what is wrong; how to fix it`), and `generate` leaves generated/
byte-identical, however late the failure happens.

Most cases are one small patch of tests/bad_specs/_minimal_valid.yaml (BAD_SPEC_PATCHES in
support.py: the text replaced, its replacement, and the exact diagnostics, LINE:COL included,
in the order errspec prints them). Files that are not a variant of it (an empty file, a bare
list...) stay in tests/bad_specs/ with their `# expect: LINE:COL: message; hint` lines. Cases
that cannot be a tidy text (bytes that are not UTF-8, a BOM, raw control characters, deep
nesting, a directory, a missing path) are built below.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support import (
    BAD_SPEC_BASE as BASE,
    BAD_SPEC_PATCHES as PATCHES,
    BAD_SPECS as CORPUS,
    PEAK_KIB,
    BadSpecPatch,
    run_errspec,
    run_python,
    tree_bytes,
)

DIAGNOSTIC = re.compile(
    r"^(?P<file>.+?):(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*): (?P<message>.+)$"
)
# A diagnostic's fix: the text after the first "; ", which must say something.
HINT = re.compile(r"^[^;]+?; (?P<hint>\S.*)$")
SUMMARY = re.compile(r"^errspec: [1-9][0-9]* problem\(s\)(; nothing was written)?$")


def _expected_in(path: Path) -> list[str]:
    return [
        line.removeprefix("# expect: ")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect: ")
    ]


def _base_with(old: str, new: bytes) -> tuple[bytes, int, int]:
    """The base spec with `old` replaced by `new`; the 1-based line and column where `new` starts."""
    text = BASE.read_text(encoding="utf-8")
    at = text.index(old)
    line = text.count("\n", 0, at) + 1
    col = at - text.rfind("\n", 0, at)
    return text[:at].encode() + new + text[at + len(old) :].encode(), line, col


def _built_cases() -> dict[str, tuple[bytes, list[str]]]:
    """Cases written as bytes; expected diagnostics computed from where the defect was put."""
    cases: dict[str, tuple[bytes, list[str]]] = {}
    data, line, col = _base_with("The API key is invalid", b"The API key is \xe9nvalid")
    cases["latin1_byte"] = (
        data,
        [f"{line}:{col + 15}: invalid UTF-8 byte 0xe9; save the file as UTF-8"],
    )
    cases["utf16"] = (
        "version: 1\n".encode("utf-16"),
        ["1:1: invalid UTF-8 byte 0xff; save the file as UTF-8"],
    )
    cases["bom"] = (
        b"\xef\xbb\xbf" + BASE.read_bytes(),
        ["1:1: file starts with a UTF-8 byte order mark; save it as UTF-8 without BOM"],
    )
    hint = "remove it, or write it as an escape in a double-quoted string"
    for name, raw in (
        ("raw_nul", b"\x00"),
        ("raw_escape", b"\x1b"),
        ("raw_nonchar", "\ufffe".encode()),
    ):
        data, line, col = _base_with("Invalid key\n", b"Invalid" + raw + b"key\n")
        code = ord(raw.decode())
        cases[name] = (
            data,
            [
                f"{line}:{col + 7}: the file contains U+{code:04X}, which YAML does not allow; {hint}"
            ],
        )
    deep = b"version: 1\nx: " + b"[" * 5000 + b"]" * 5000 + b"\n"
    cases["flow_nesting_5000"] = (
        deep,
        [
            "2:1003: YAML syntax error: brackets are nested too deeply for YAML to read;"
            " flatten the value: a spec nests a few levels at most"
        ],
    )
    deep = b"version: 1\nx: " + b"[" * 900 + b"]" * 900 + b"\n"
    cases["flow_nesting_900"] = (
        deep,
        ["2:28: values are nested more than 24 levels deep; flatten the value"],
    )
    return cases


BUILT = _built_cases()
PATCHED = {p.name: p for p in PATCHES}
FILES = sorted(p.name for p in CORPUS.glob("*.yaml") if not p.name.startswith("_"))
CASES = [*FILES, *PATCHED, *sorted(BUILT), "a_directory", "a_missing_path"]


def materialize(case: str, tmp: Path) -> tuple[Path, list[str]]:
    """The spec path for `case` and the diagnostics it must produce (without the file name)."""
    if case in PATCHED:
        path = tmp / f"{case}.yaml"
        path.write_bytes(PATCHED[case].apply())
        return path, PATCHED[case].expected
    if case in BUILT:
        data, expected = BUILT[case]
        path = tmp / f"{case}.yaml"
        path.write_bytes(data)
        return path, expected
    if case == "a_directory":
        (tmp / "errors.yaml").mkdir()
        return tmp / "errors.yaml", [
            "1:1: is a directory, not a spec file; pass the path of errors.yaml"
        ]
    if case == "a_missing_path":
        return tmp / "nope" / "errors.yaml", ["1:1: no such file; check the path"]
    path = CORPUS / case
    if case == "empty.yaml":
        assert path.read_bytes() == b""
        return path, ["1:1: the spec is empty; `errspec init` writes an example to start from"]
    expected = _expected_in(path)
    assert expected, f"{case} has no '# expect:' line"
    return path, expected


def assert_refused(code: int, err: str, display: str, expected: list[str]) -> None:
    """Exit 2; exactly the expected diagnostics, one line each, then the summary; no traceback."""
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[:-1] == [f"{display}:{e}" for e in expected]
    assert SUMMARY.match(lines[-1]), lines[-1]
    for line in lines[:-1]:
        assert DIAGNOSTIC.match(line), line


def test_the_corpus_base_is_valid() -> None:
    result = run_errspec("validate", "--spec", str(BASE))
    assert result.code == 0, result.err


def test_the_corpus_covers_the_issue() -> None:
    wanted = {
        "yaml_unclosed_bracket",
        "duplicate_key",
        "duplicate_code",
        "duplicate_name",
        "code_out_of_range",
        "unknown_field",
        "wrong_type",
        "missing_required",
        "missing_locale",
        "python_tag",
        "other_tags",
        "alias_bomb.yaml",
        "empty.yaml",
        "top_level_list.yaml",
        "latin1_byte",
        "bom",
        "a_directory",
        "a_missing_path",
    }
    assert wanted <= set(CASES)
    assert len(CASES) == len(set(CASES))


@pytest.mark.parametrize("patch", PATCHES, ids=[p.name for p in PATCHES])
def test_each_patch_is_one_small_defect_of_the_valid_base(patch: BadSpecPatch) -> None:
    """Every patch changes the base where it says, and only a few lines of it."""
    base = BASE.read_text(encoding="utf-8").splitlines()
    patched = patch.apply().decode("utf-8").splitlines()
    assert patched != base
    changed = sum(1 for old, new in patch.edits for _ in (old + new).splitlines())
    assert changed <= 12, f"{patch.name} is not a small patch"
    assert patch.why and patch.expected


# Every diagnostic names a fix (issue 11), YAML syntax errors in plain words.
@pytest.mark.parametrize("case", CASES)
def test_every_diagnostic_says_how_to_fix_it(case: str, tmp_path: Path) -> None:
    path, expected = materialize(case, tmp_path)
    for diagnostic in expected:
        located = DIAGNOSTIC.match(f"{path}:{diagnostic}")
        assert located is not None, diagnostic
        fixed = HINT.match(located.group("message"))
        assert fixed is not None and fixed.group("hint").strip(), f"no fix in {diagnostic!r}"


@pytest.mark.parametrize("case", CASES)
def test_validate_refuses_it_naming_the_place_and_the_fix(case: str, tmp_path: Path) -> None:
    path, expected = materialize(case, tmp_path)
    result = run_errspec("validate", "--spec", str(path))
    assert_refused(result.code, result.err, str(path), expected)
    assert result.out == ""


@pytest.mark.parametrize("case", CASES)
def test_generate_refuses_it_and_leaves_generated_untouched(
    case: str, project: Path, tmp_path: Path
) -> None:
    path, expected = materialize(case, tmp_path)
    before = tree_bytes(project)
    result = run_errspec("generate", "--spec", str(path), "--out", "generated", cwd=project)
    assert_refused(result.code, result.err, str(path), expected)
    assert tree_bytes(project) == before  # generated/, spec/ and no staging directories left behind


def test_alias_bomb_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """Twelve levels of twenty aliases: 20**12 strings if anything expanded them."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 20) + "]" for i in range(1, 13)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    probe = (
        "from generator.cli import main\n"
        f"code = main(['validate', '--spec', {str(bomb)!r}])\n"
        f"print(code, {PEAK_KIB})\n"
    )
    proc = run_python(probe)  # its own process, its own peak
    code, max_rss_kib = map(int, proc.stdout.split())
    assert code == 2
    assert "YAML alias *l0 (anchor &l0 at line 1) is not allowed" in proc.stderr
    assert proc.stderr.count("\n") == 13  # one diagnostic per anchor, then the summary
    assert max_rss_kib < 256 * 1024, f"{max_rss_kib} KiB"


# --- output paths ---------------------------------------------------------------------------
