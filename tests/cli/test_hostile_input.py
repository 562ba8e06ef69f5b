"""Input that tries to turn errspec against its user: diagnostics that forge lines or drive the
terminal, GitHub annotations forged from file names, spec paths that block or exhaust memory.

Every diagnostic is printed escaped; every `--spec`/`--openapi` that is not a regular file of
at most MAX_SPEC_BYTES is refused at once with exit 2."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostic, annotation, safe, workflow_command
from generator.read import MAX_SPEC_BYTES
from support import FROZEN, MINIMAL as MINIMAL_DIR, ROOT, run_errspec, run_errspec_process

SPEC = FROZEN / "errors.yaml"

# What a hostile string may carry: line ends, a terminal colour, a forged annotation, a
# GitHub-encoded newline, bidi override, Unicode line separator, DEL and a C1 control.
HOSTILE = "a\nb\rc\x1b[31md::error file=x::forged%0Ae\u202ef\u2028g\x7fh\x85i"
ESCAPED = "a\\nb\\rc\\x1b[31md::error file=x::forged%0Ae\\u202ef\\u2028g\\x7fh\\x85i"
DIAGNOSTIC = re.compile(r"^.+?:[1-9][0-9]*:[1-9][0-9]*: .+$")
SUMMARY = re.compile(r"^errspec: [1-9][0-9]* problem\(s\)(; nothing was written)?$")
NO_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _assert_safe_lines(text: str) -> list[str]:
    """Every line printed is a diagnostic or the summary, and carries no unsafe character."""
    lines = text.splitlines()
    assert lines, "nothing printed"
    for line in lines:
        assert not NO_UNSAFE.search(line), repr(line)
        assert DIAGNOSTIC.match(line) or SUMMARY.match(line), repr(line)
        assert not line.startswith("::"), repr(line)
    return lines


def test_safe_escapes_every_character_that_could_forge_a_line_or_drive_a_terminal() -> None:
    assert safe(HOSTILE) == ESCAPED
    assert safe("API 错误码说明: ok «é» 🚀 \\n") == "API 错误码说明: ok «é» 🚀 \\n"
    for char in "\x00\t\x0b\x0c\x1b\x7f\x80\x9b\u200b\u200e\u202a\u2066\u2069\u2028\u2029\ufeff":
        escaped = safe(char)
        assert escaped.startswith("\\") and escaped.isascii(), (char, escaped)


def test_a_diagnostic_prints_on_one_line_with_its_input_escaped() -> None:
    diagnostic = Diagnostic(f"spec/{HOSTILE}.yaml", 3, 4, f'unknown key "{HOSTILE}"', HOSTILE)
    assert str(diagnostic) == f'spec/{ESCAPED}.yaml:3:4: unknown key "{ESCAPED}"; {ESCAPED}'
    assert diagnostic.message == f'unknown key "{HOSTILE}"'  # the data keeps the raw text


def _github_unescape(text: str) -> str:
    """What the GitHub runner makes of an escaped data or property value."""
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def test_workflow_command_escapes_data_and_properties_by_githubs_rules() -> None:
    line = workflow_command(
        "error", f"msg {HOSTILE}", file=f"f,{HOSTILE}", line=3, col=0, title="t"
    )
    assert "\n" not in line and "\r" not in line and not NO_UNSAFE.search(line)
    head, _, data = line.partition("::")[2].partition("::")
    assert head.startswith("error ")
    properties = dict(item.split("=", 1) for item in head.removeprefix("error ").split(","))
    assert properties.keys() == {"file", "line", "title"}  # col 0: unknown, left out
    assert _github_unescape(properties["file"]) == f"f,{ESCAPED}"
    assert _github_unescape(data) == f"msg {ESCAPED}"
    # The runner never sees a "%0A" it would turn into a new line.
    assert "forged%250A" in data and "forged%250A" in properties["file"]
    diagnostic = Diagnostic("a:b.yaml", 2, 5, "bad", "fix")
    assert (
        annotation("error", diagnostic)
        == "::error file=a%3Ab.yaml,line=2,col=5,title=errspec error::bad; fix"
    )


def _spec_text() -> str:
    return SPEC.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "insert",
    [
        # An unknown key: reported by the JSON Schema stage, the key quoted in the message.
        '"k\\n{forged}:1:1: forged \\r\\e[31m::error file=x::y %0A \\u202e\\u2028": 1\n',
        # A tag, percent-encoded so that PyYAML decodes it to control characters.
        "tagged: !e%0A%1B%5B31m%0D x\n",
    ],
    ids=["key", "tag"],
)
def test_keys_and_tags_from_the_spec_are_printed_escaped(tmp_path: Path, insert: str) -> None:
    spec = tmp_path / "errors.yaml"
    text = _spec_text()
    assert text.count("\nversion: 1\n") == 1
    spec.write_text(text.replace("\nversion: 1\n", "\nversion: 1\n" + insert, 1), "utf-8")
    insert = insert.replace("{forged}", str(spec))
    result = run_errspec("validate", "--spec", str(spec))
    assert result.code == 2, result
    lines = _assert_safe_lines(result.err)
    assert any("\\n" in line and "\\x1b[31m" in line for line in lines), lines


def test_a_spec_file_name_cannot_forge_a_diagnostic(tmp_path: Path) -> None:
    folder = tmp_path / f"x\n{HOSTILE}:1:1: forged"
    folder.mkdir()
    spec = folder / "errors.yaml"
    assert _spec_text().count("version: 1\n") == 1
    spec.write_text(_spec_text().replace("version: 1\n", "version: one\n", 1), "utf-8")
    result = run_errspec("validate", "--spec", str(spec))
    assert result.code == 2, result
    line, _summary = _assert_safe_lines(result.err)
    assert ESCAPED in line and "version" in line


def test_check_github_annotations_of_a_stray_file_cannot_be_forged(tmp_path: Path) -> None:
    """A stray file named with a newline, an `::error` command and a GitHub-encoded newline
    yields one annotation, whose file property and message decode back to its escaped name."""
    shutil.copytree(FROZEN, tmp_path / "spec", ignore=shutil.ignore_patterns("*.md"))
    assert run_errspec("generate", cwd=tmp_path).code == 0
    name = "stray\n::error file=README.md,line=1::forged%0A::warning::x\x1b[31m.md"
    (tmp_path / "generated" / name).write_text("x", "utf-8")
    result = run_errspec("check", "--format", "github", cwd=tmp_path)
    assert result.code == 1, result
    lines = result.out.splitlines()
    assert lines and not any(NO_UNSAFE.search(line) for line in lines), lines
    commands = [line for line in lines if line.startswith("::error")]  # warnings come first
    assert len(commands) == 1, lines
    head, _, data = commands[0].removeprefix("::error ").partition("::")
    properties = dict(item.split("=", 1) for item in head.split(","))
    assert _github_unescape(properties["file"]) == f"generated/{safe(name)}"
    assert _github_unescape(data).startswith(f"generated/{safe(name)} is not produced")
    text = run_errspec("check", cwd=tmp_path)
    assert text.code == 1 and f"generated/{safe(name)}: is not produced" in text.out, text


# -- bounded reads ------------------------------------------------------------------------


def _refused_at_once(*args: str, cwd: Path = ROOT) -> str:
    """A process of its own: a read that blocks or never ends would hang the test run."""
    started = time.monotonic()
    result = run_errspec_process(*args, cwd=cwd, timeout=120)
    assert time.monotonic() - started < 60, "blocked"
    assert result.code == 2, result
    _assert_safe_lines(result.err)
    return result.err


def test_a_fifo_spec_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "errors.yaml"
    os.mkfifo(fifo)  # no writer: a plain open() would wait for ever
    err = _refused_at_once("validate", "--spec", str(fifo))
    assert "is a named pipe (FIFO), not a spec file" in err


def test_a_fifo_openapi_is_refused_without_blocking(tmp_path: Path) -> None:
    shutil.copytree(FROZEN, tmp_path / "spec", ignore=shutil.ignore_patterns("*.md"))
    fifo = tmp_path / "surface.yaml"
    os.mkfifo(fifo)
    err = _refused_at_once("generate", "--openapi", str(fifo), "--out", "out", cwd=tmp_path)
    assert f"{fifo}:1:1: is a named pipe (FIFO)" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused(device: str) -> None:
    assert os.path.exists(device), f"no {device} on this machine"
    assert "is a character device, not a spec file" in _refused_at_once(
        "validate", "--spec", device
    )


def test_a_spec_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    spec = tmp_path / "errors.yaml"
    with spec.open("wb") as out:  # sparse: costs no disk
        out.truncate(MAX_SPEC_BYTES + 1)
    err = _refused_at_once("validate", "--spec", str(spec))
    assert f"is larger than {MAX_SPEC_BYTES // 2**20} MiB" in err


def test_the_readme_states_the_size_limit() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    spec_section = readme.split("## The spec", 1)[1].split("\n## ", 1)[0]
    assert f"{MAX_SPEC_BYTES // 2**20} MiB" in spec_section


# -- plain words ---------------------------------------------------------------------------

MINIMAL = MINIMAL_DIR / "errors.yaml"


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "  doc_url_locale: en",
            "\tdoc_url_locale: en",
            "a tab is used for indentation; YAML indents with spaces only; "
            "replace the tab with spaces",
        ),
        (
            "    category: auth\n",
            "    category auth\n",
            'this key has no ": " after it; write `key: value`, with a space after the colon',
        ),
        (
            "locales: [zh, en]",
            "locales: [zh, en",
            "the [ list ] opened at line 3 is not closed, or a comma is missing in it; "
            "close it with ], or add the comma",
        ),
        (
            "title: {zh: Errors, en: Errors}",
            "title: {zh: Errors, en: Errors",
            "the { mapping } opened at line 7 is not closed",
        ),
        (
            "    name: INVALID_KEY",
            "   name: INVALID_KEY",
            "this line breaks the list started at line 48: it is not indented like the item above",
        ),
        ("message: Invalid key", "message: @Invalid key", "a plain value cannot start with '@'"),
        ("message: Invalid key", 'message: "Invalid \\q key"', "unknown escape \\q"),
    ],
    ids=["tab", "no colon", "open list", "open mapping", "indentation", "at sign", "escape"],
)
def test_yaml_syntax_errors_say_what_to_fix_in_plain_words(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    spec = tmp_path / "errors.yaml"
    text = MINIMAL.read_text(encoding="utf-8")
    assert old in text
    spec.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_errspec("validate", "--spec", str(spec))
    assert result.code == 2, result
    line, _summary = _assert_safe_lines(result.err)
    assert f": YAML syntax error: {expected}" in line, line


@pytest.mark.parametrize(
    "name, fixed",
    [("invalidApiKey", "INVALID_API_KEY"), ("Rate limit-exceeded", "RATE_LIMIT_EXCEEDED")],
)
def test_a_bad_name_suggests_its_upper_snake_form(tmp_path: Path, name: str, fixed: str) -> None:
    spec = tmp_path / "errors.yaml"
    text = MINIMAL.read_text(encoding="utf-8")
    spec.write_text(text.replace("name: INVALID_KEY", f'name: "{name}"', 1), encoding="utf-8")
    result = run_errspec("validate", "--spec", str(spec))
    assert result.code == 2, result
    assert f'codes[1] (1001).name: "{name}" does not match' in result.err
    assert f'write it in UPPER_SNAKE case: "{fixed}"' in result.err
