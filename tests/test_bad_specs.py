"""Bad and adversarial spec files: each is refused with exit 2 and compiler-style diagnostics,
and `generate` leaves generated/ byte-identical, however late the failure happens.

The corpus is tests/bad_specs/: each file carries its expected diagnostics as
`# expect: LINE:COL: message; hint` lines (one per diagnostic, in the order errspec
prints them). Cases that cannot be a tidy text file (bytes that are not UTF-8, a BOM,
raw control characters, deep nesting, a directory, a missing path) are built below.
The semantic cases are `_minimal_valid.yaml` with one defect each.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import generator.cli
import generator.output
import generator.postprocess
from conftest import ROOT, run_errspec, tree_bytes
from generator.render import check_path, render_all
from generator.spec import load_spec
from generator.targets import Target

CORPUS = ROOT / "tests" / "bad_specs"
BASE = CORPUS / "_minimal_valid.yaml"
DIAGNOSTIC = re.compile(
    r"^(?P<file>.+?):(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*): (?P<message>.+)$"
)
SUMMARY = re.compile(r"^errspec: [1-9][0-9]* problem\(s\); nothing was written$")


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
FILES = sorted(p.name for p in CORPUS.glob("*.yaml") if not p.name.startswith("_"))
CASES = [*FILES, *sorted(BUILT), "a_directory", "a_missing_path"]


def materialize(case: str, tmp: Path) -> tuple[Path, list[str]]:
    """The spec path for `case` and the diagnostics it must produce (without the file name)."""
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
        "yaml_unclosed_bracket.yaml",
        "duplicate_key.yaml",
        "duplicate_code.yaml",
        "duplicate_name.yaml",
        "code_out_of_range.yaml",
        "unknown_field.yaml",
        "wrong_type.yaml",
        "missing_required.yaml",
        "missing_locale.yaml",
        "python_tag.yaml",
        "other_tags.yaml",
        "alias_bomb.yaml",
        "empty.yaml",
        "top_level_list.yaml",
        "latin1_byte",
        "bom",
        "a_directory",
        "a_missing_path",
    }
    assert wanted <= set(CASES)


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


# --- failures after the spec was accepted -------------------------------------------------


def _edit_spec(project: Path) -> Path:
    """Change one message, so that every Python target must be rendered (and formatted) anew."""
    spec = project / "spec" / "errors.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(
        text.replace("message: Invalid or expired token", "message: Invalid or expired API key", 1),
        encoding="utf-8",
    )
    return spec


def _generate(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    spec = _edit_spec(project)
    code = generator.cli.main(
        ["generate", "--spec", str(spec), "--out", str(project / "generated")]
    )
    return code, capsys.readouterr().err


@pytest.fixture
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERRSPEC_CACHE", "0")
    monkeypatch.setenv("ERRSPEC_WORKERS", "0")  # steps patched here must run in this process


def test_a_failing_postprocess_step_leaves_generated_untouched(
    project: Path,
    no_cache: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    calls: list[str] = []

    def explode(text: str) -> str:
        calls.append(text)
        raise RuntimeError("datamodel exploded\non two lines")

    step = ("datamodel-code-generator", explode)
    monkeypatch.setitem(generator.postprocess.STEPS, "datamodel", step)
    before = tree_bytes(project / "generated")
    code, err = _generate(project, capsys)
    assert calls, "the step was never reached: the test did not fail late"
    assert code == 2
    assert err == "errspec: internal error: RuntimeError: datamodel exploded on two lines\n"
    assert tree_bytes(project / "generated") == before
    assert sorted(p.name for p in project.iterdir()) == ["generated", "spec"]


def test_a_postprocess_step_failing_in_its_worker_leaves_generated_untouched(
    project: Path,
    no_cache: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The same failure on the production path: the step runs in a forked worker
    (generator.workers), which inherits the patched step; its exception comes back pickled."""
    monkeypatch.delenv("ERRSPEC_WORKERS")

    def explode(text: str) -> str:
        raise RuntimeError(f"datamodel exploded in process {os.getpid()}")

    step = ("datamodel-code-generator", explode)
    monkeypatch.setitem(generator.postprocess.STEPS, "datamodel", step)
    before = tree_bytes(project / "generated")
    code, err = _generate(project, capsys)
    assert code == 2
    failed = re.fullmatch(
        r"errspec: internal error: RuntimeError: datamodel exploded in process (\d+)\n", err
    )
    assert failed, err
    assert int(failed.group(1)) != os.getpid(), "the step ran in this process, not in a worker"
    assert tree_bytes(project / "generated") == before
    assert sorted(p.name for p in project.iterdir()) == ["generated", "spec"]


@pytest.mark.parametrize("failing_call", [1, 2])
def test_a_failing_directory_swap_leaves_the_old_tree(
    failing_call: int,
    project: Path,
    no_cache: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Call 1 moves generated/ aside, call 2 moves the new tree in; either may fail."""
    real_rename = os.rename
    calls: list[tuple[str, str]] = []

    def rename(src: str | Path, dst: str | Path) -> None:
        calls.append((str(src), str(dst)))
        if len(calls) == failing_call:
            raise OSError(errno.EIO, "simulated I/O error")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)  # generator.output calls os.rename
    before = tree_bytes(project / "generated")
    code, err = _generate(project, capsys)
    assert len(calls) >= failing_call
    assert code == 2
    assert err == "errspec: internal error: OSError: [Errno 5] simulated I/O error\n"
    assert tree_bytes(project / "generated") == before
    assert sorted(p.name for p in project.iterdir()) == ["generated", "spec"]


def test_a_failing_file_write_leaves_generated_untouched(
    project: Path,
    no_cache: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real_write = Path.write_bytes
    written: list[Path] = []

    def write_bytes(self: Path, data: bytes) -> int:
        if ".generated.new-" in str(self):
            written.append(self)
            if len(written) == 3:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    before = tree_bytes(project / "generated")
    code, err = _generate(project, capsys)
    assert len(written) == 3
    assert (code, err) == (
        2,
        "errspec: internal error: OSError: [Errno 28] No space left on device\n",
    )
    assert tree_bytes(project / "generated") == before
    assert sorted(p.name for p in project.iterdir()) == ["generated", "spec"]


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
    ok = Target("snippets/ok.py", template="snippets/handle_error.py.jinja", context={"lang": "en"})
    bad = Target(path, template="snippets/handle_error.py.jinja", context={"lang": "en"})
    with pytest.raises(ValueError, match="must be a plain relative path"):
        rendered.append(str(render_all(spec, lambda p: None, targets=(ok, bad))))
    assert rendered == []


@pytest.mark.parametrize("path", ["../escaped.txt", "/tmp/escaped.txt", "a/../../escaped.txt"])
def test_write_tree_refuses_an_escaping_path_before_writing_anything(
    path: str, project: Path
) -> None:
    before = tree_bytes(project)
    with pytest.raises(ValueError):
        generator.output.write_tree(
            project / "generated", {"docs/ok.md": "ok\n", path: "escaped\n"}
        )
    assert tree_bytes(project) == before
    assert not (project / "escaped.txt").exists()
