"""Bad and adversarial spec files: each is refused with exit 2 and compiler-style diagnostics
(`FILE:LINE:COL: what is wrong; how to fix it`), and `generate` leaves generated/
byte-identical, however late the failure happens.

Most cases are one small patch of tests/bad_specs/_minimal_valid.yaml (PATCHES below: the
text replaced, its replacement, and the exact diagnostics, LINE:COL included, in the order
errspec prints them). Files that are not a variant of it (an empty file, a bare list...) stay
in tests/bad_specs/ with their `# expect: LINE:COL: message; hint` lines. Cases that cannot be
a tidy text (bytes that are not UTF-8, a BOM, raw control characters, deep nesting, a
directory, a missing path) are built below.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, run_errspec, tree_bytes
from stages import render_all
from generator.targets import check_path
from stages import load_spec
from generator.targets import Target

CORPUS = ROOT / "tests" / "bad_specs"
BASE = CORPUS / "_minimal_valid.yaml"
DIAGNOSTIC = re.compile(
    r"^(?P<file>.+?):(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*): (?P<message>.+)$"
)
# A diagnostic's fix: the text after the first "; ", which must say something.
HINT = re.compile(r"^[^;]+?; (?P<hint>\S.*)$")
SUMMARY = re.compile(r"^errspec: [1-9][0-9]* problem\(s\)(; nothing was written)?$")


@dataclass(frozen=True)
class Patch:
    """_minimal_valid.yaml with each `old` text (found exactly once) replaced by `new`."""

    name: str
    why: str
    edits: list[tuple[str, str]]
    expected: list[str]

    def apply(self) -> bytes:
        text = BASE.read_text(encoding="utf-8")
        for old, new in self.edits:
            assert text.count(old) == 1, f"{self.name}: {old!r} is not in the base exactly once"
            text = text.replace(old, new)
        return text.encode("utf-8")


PATCHES = [
    Patch(
        "alias_of_key",
        'An alias of a mapping key, used as a value: it would read as the string "message".',
        [
            ("    message: ok\n", "    &m message: ok\n"),
            ("    message: Invalid key\n", "    message: *m\n"),
        ],
        [
            "59:14: YAML alias *m (anchor &m at line 51) is not allowed; write the value out in full",
        ],
    ),
    Patch(
        "alias_reuse",
        "An anchor and an alias, the way an author would share an example.",
        [
            ("    example: {code: 0, message: ok}\n", "    example: &ok {code: 0, message: ok}\n"),
            ("    example: {code: 3001, message: Too many requests}\n", "    example: *ok\n"),
        ],
        [
            "72:14: YAML alias *ok (anchor &ok at line 55) is not allowed; write the value out in full",
        ],
    ),
    Patch(
        "bad_explicit_int",
        "An explicit tag on a value it cannot take: a message, not a traceback.",
        [
            ("version: 1\n", "version: !!int abc\n"),
        ],
        [
            "2:10: 'abc' is not a valid !!int; remove the tag",
        ],
    ),
    Patch(
        "code_out_of_range",
        "A code outside its category's range.",
        [
            ("    category: limit\n", "    category: auth\n"),
        ],
        [
            '65:11: code 3001 is in category "auth" (1000-1999); move it or change its category',
        ],
    ),
    Patch(
        "control_escape",
        "A control character written as an escape in a double-quoted string.",
        [
            ("    message: Invalid key\n", '    message: "Invalid\\u0007key"\n'),
        ],
        [
            "59:14: codes[1].message contains control character U+0007 at offset 7; remove it",
        ],
    ),
    Patch(
        "deep_nesting",
        "Example data nested deeper than the loader allows.",
        [
            (
                "    example: {code: 3001, message: Too many requests}\n",
                "    example: {code: 3001, message: Too many requests, data: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n",
            ),
        ],
        [
            "72:82: values are nested more than 24 levels deep; flatten the value",
        ],
    ),
    Patch(
        "duplicate_code",
        "Two entries with the same code.",
        [
            (
                "handler:\n",
                "  - code: 1001\n    name: EXPIRED_KEY\n    category: auth\n    message: Expired key\n    http_status: 401\n    transports: [http]\n    meaning: {en: The API key has expired}\n    suggestion: {en: Check the API key}\n    example: {code: 1001, message: Expired key}\nhandler:\n",
            ),
        ],
        [
            "73:11: duplicate code 1001 (first at line 56); choose another code for one of them",
        ],
    ),
    Patch(
        "duplicate_key",
        "The same key twice in one mapping.",
        [
            (
                "    example: {code: 1001, message: Invalid key}\n",
                "    message: Invalid API key\n    example: {code: 1001, message: Invalid key}\n",
            ),
        ],
        [
            '64:5: duplicate key "message" (first at line 59); remove one of them',
        ],
    ),
    Patch(
        "duplicate_name",
        "Two entries with the same name.",
        [
            (
                "handler:\n",
                "  - code: 1002\n    name: INVALID_KEY\n    category: auth\n    message: Invalid key\n    http_status: 401\n    transports: [http]\n    meaning: {en: The API key has expired}\n    suggestion: {en: Check the API key}\n    example: {code: 1002, message: Invalid key}\nhandler:\n",
            ),
        ],
        [
            "74:11: duplicate name 'INVALID_KEY' (first at line 57); choose another name for one of them",
        ],
    ),
    Patch(
        "huge_code",
        "A code far beyond the allowed maximum.",
        [
            ("  - code: 3001\n", "  - code: 300000000000000000000000001\n"),
        ],
        [
            "65:11: codes[2].code: 300000000000000000000000001 is out of range; use a value from 0 to 999999",
        ],
    ),
    Patch(
        "line_break",
        "A block scalar: texts are single lines.",
        [
            (
                "    meaning: {en: The API key is invalid}\n",
                "    meaning:\n      en: |\n        The API key\n        is invalid\n",
            ),
        ],
        [
            "63:11: codes[1].meaning.en contains a line break at offset 11; texts are single lines; use a list for several items",
        ],
    ),
    Patch(
        "merge_key",
        "A YAML merge key.",
        [
            (
                "    example: {code: 3001, message: Too many requests}\n",
                "    example:\n      <<: {code: 3001}\n      message: Too many requests\n",
            ),
        ],
        [
            "73:7: YAML merge keys (<<) are not allowed; write the keys out in full",
        ],
    ),
    Patch(
        "missing_locale",
        "A text in a locale the spec does not declare, and not in the one it does.",
        [
            ("    meaning: {en: Too many requests}\n", "    meaning: {fr: Trop de requêtes}\n"),
        ],
        [
            '71:14: codes[2] (3001).meaning has no "en" text; add en: …',
            '71:15: codes[2].meaning has text for "fr", which is not in locales; add fr to locales or remove it',
        ],
    ),
    Patch(
        "missing_required",
        "An entry without its meaning.",
        [
            ("    meaning: {en: Too many requests}\n", ""),
        ],
        [
            '65:5: codes[2] (3001): missing required key "meaning"; add "meaning:"',
        ],
    ),
    Patch(
        "nan_in_example",
        "A non-finite number in example data.",
        [
            (
                "    example: {code: 3001, message: Too many requests}\n",
                "    example: {code: 3001, message: Too many requests, data: {wait: .nan}}\n",
            ),
        ],
        [
            "72:68: codes[2].example.data.wait: nan is not a JSON number; use a finite number",
        ],
    ),
    Patch(
        "non_string_key",
        "A mapping key that YAML reads as a number.",
        [
            (
                "    example: {code: 3001, message: Too many requests}\n",
                "    example: {code: 3001, message: Too many requests, data: {1: one}}\n",
            ),
        ],
        [
            "72:62: mapping keys must be plain strings; quote the key",
        ],
    ),
    Patch(
        "other_tags",
        "Non-core tags: binary, set and an application tag.",
        [
            ("  path: /ws\n", "  path: !local /ws\n"),
            ("    message: Invalid key\n", "    message: !!binary aGVsbG8=\n"),
            ("    message: Too many requests\n", "    message: !!set {a, b}\n"),
        ],
        [
            "38:9: tag !local is not allowed; remove the tag; the spec holds plain data only",
            "59:14: tag !!binary is not allowed; remove the tag; the spec holds plain data only",
            "68:14: tag !!set is not allowed; remove the tag; the spec holds plain data only",
        ],
    ),
    Patch(
        "python_tag",
        "PyYAML's python/object tags must never construct anything.",
        [
            (
                "    message: Invalid key\n",
                '    message: !!python/object/apply:os.system ["echo pwned"]\n',
            ),
        ],
        [
            "59:14: tag !!python/object/apply:os.system is not allowed; remove the tag; the spec holds plain data only",
        ],
    ),
    Patch(
        "unknown_field",
        "A misspelt key: reported with the closest known key, plus the missing one.",
        [
            ("    message: Invalid key\n", "    mesage: Invalid key\n"),
        ],
        [
            '56:5: codes[1] (1001): missing required key "message"; add "message:"',
            '59:5: unknown key "mesage" in codes[1] (1001); did you mean "message"?',
        ],
    ),
    Patch(
        "wrong_type",
        "A code written as a string.",
        [
            ("  - code: 1001\n", '  - code: "1001"\n'),
        ],
        [
            '56:11: codes[1].code: expected integer, got string "1001"; remove the quotes',
        ],
    ),
    Patch(
        "yaml_bad_indent",
        "A key indented one space too far.",
        [
            ("    message: Invalid key\n", "     message: Invalid key\n"),
        ],
        [
            '59:13: YAML syntax error: unexpected ": ": this line is indented deeper than the key above it, or a value contains ": "; line it up with the keys above it, or put the value in quotes',
        ],
    ),
    Patch(
        "yaml_tab_indent",
        "A tab used for indentation.",
        [
            ("    category: auth\n", "\tcategory: auth\n"),
        ],
        [
            "58:1: YAML syntax error: a tab is used for indentation; YAML indents with spaces only; replace the tab with spaces",
        ],
    ),
    Patch(
        "yaml_unclosed_bracket",
        "A flow sequence that is never closed.",
        [
            (
                "    transports: [http]\n    meaning: {en: The API key is invalid}\n",
                "    transports: [http\n    meaning: {en: The API key is invalid}\n",
            ),
        ],
        [
            "62:12: YAML syntax error: the [ list ] opened at line 61 is not closed, or a comma is missing in it; close it with ], or add the comma",
        ],
    ),
]


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
        ["2:1003: YAML syntax error: exceeded maximum nesting depth (while increasing flow level)"],
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
        return tmp / "nope" / "errors.yaml", ["1:1: no such file; check the --spec path"]
    path = CORPUS / case
    if case == "empty.yaml":
        assert path.read_bytes() == b""
        return path, ["1:1: the spec is empty; start from the spec in the errspec README"]
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
def test_each_patch_is_one_small_defect_of_the_valid_base(patch: Patch) -> None:
    """Every patch changes the base where it says, and only a few lines of it."""
    base = BASE.read_text(encoding="utf-8").splitlines()
    patched = patch.apply().decode("utf-8").splitlines()
    assert patched != base
    changed = sum(1 for old, new in patch.edits for _ in (old + new).splitlines())
    assert changed <= 12, f"{patch.name} is not a small patch"
    assert patch.why and patch.expected


# Cases whose diagnostic does not say how to fix it yet (issue 11: every diagnostic names a
# fix; YAML syntax errors say in plain words what to fix). Strict: fixing one turns this red,
# and the case is then removed from here.
WITHOUT_A_FIX = {"top_level_list.yaml", "top_level_scalar.yaml", "flow_nesting_5000"}


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c,
            marks=(
                [pytest.mark.xfail(strict=True, reason="diagnostic names no fix")]
                if c in WITHOUT_A_FIX
                else []
            ),
        )
        for c in CASES
    ],
)
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
        "import resource, sys\n"
        "from generator.cli import main\n"
        f"code = main(['validate', '--spec', {str(bomb)!r}])\n"
        "print(code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    code, max_rss_kib = map(int, proc.stdout.split())
    assert code == 2
    assert "YAML alias *l0 (anchor &l0 at line 1) is not allowed" in proc.stderr
    assert proc.stderr.count("\n") == 13  # one diagnostic per anchor, then the summary
    assert max_rss_kib < 256 * 1024, f"{max_rss_kib} KiB"


# --- output paths ---------------------------------------------------------------------------

ESCAPING = [
    "../x",
    "/abs",
    "a/../../b",
    "a\\b",
    "",
    "./a",
    "a/./b",
    "a//b",
    "a/",
    ".",
    "..",
    "x/..",
    "C:x",
    "c:/x",
    "a\x00b",
    "a\nb",
]


@pytest.mark.parametrize("path", ESCAPING)
def test_check_path_refuses_paths_that_are_not_plain_and_inside(path: str) -> None:
    with pytest.raises(ValueError, match="must be a plain relative path inside generated/"):
        check_path(path)


@pytest.mark.parametrize("path", ["a", "docs/errors.zh.md", "a..b/c", "~x/y", "python/__init__.py"])
def test_check_path_accepts_plain_relative_paths(path: str) -> None:
    assert check_path(path) == path


@pytest.mark.parametrize("path", ESCAPING)
def test_render_all_refuses_a_target_outside_generated(path: str) -> None:
    spec = load_spec(BASE)
    rendered: list[str] = []
    ok = Target("snippets", "snippets/ok.py", template="snippets/handle_error.py.jinja", context={"lang": "en"})
    bad = Target("snippets", path, template="snippets/handle_error.py.jinja", context={"lang": "en"})
    with pytest.raises(ValueError, match="must be a plain relative path"):
        rendered.append(str(render_all(spec, targets=(ok, bad))))
    assert rendered == []
