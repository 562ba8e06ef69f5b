"""Problems found in a spec, reported compiler-style as FILE:LINE:COL: message.

Whatever comes from the input (keys, values, tags, file names) reaches a terminal or a CI log
through here, so it is shown escaped: a character that could end the line, move the cursor,
drive the terminal or reorder the text is written as a Python escape (`\\n`, `\\x1b`, `\\u2028`).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# Categories that are never printed as they are: controls (Cc: C0, DEL, C1), formats (Cf: bidi
# overrides and isolates, zero-width characters, BOM), line and paragraph separators (Zl, Zp),
# surrogates and unassigned code points.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


@lru_cache(maxsize=4096)
def _escape_char(char: str) -> str:
    if unicodedata.category(char) not in _UNSAFE_CATEGORIES:
        return char
    return repr(char)[1:-1]


_MAYBE_UNSAFE = re.compile(r"[^\x20-\x7e]")


def safe(text: str, tabs: bool = False) -> str:
    """`text` with every control, format or separator character escaped, so that it prints on
    one line and cannot drive the terminal: "a\\nb\\x1b[31m" -> 'a\\\\nb\\\\x1b[31m'. With `tabs`,
    a tab stays a tab."""
    return _MAYBE_UNSAFE.sub(
        lambda m: m.group() if tabs and m.group() == "\t" else _escape_char(m.group()), text
    )


_GITHUB_DATA = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_GITHUB_PROPERTY = {**_GITHUB_DATA, ":": "%3A", ",": "%2C"}


def _github_escape(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(char, char) for char in safe(text))


def workflow_command(command: str, message: str, **properties: str | int | None) -> str:
    """One GitHub Actions workflow command, `::error file=F,line=L::message`, with the message
    and every property escaped by GitHub's rules (after `safe`), so that no input can end the
    command or start another. Properties whose value is "", 0 or None are left out."""
    fields = ",".join(
        f"{name}={_github_escape(str(value), _GITHUB_PROPERTY)}"
        for name, value in properties.items()
        if value not in ("", 0, None)
    )
    head = f"::{command} {fields}" if fields else f"::{command}"
    return f"{head}::{_github_escape(message, _GITHUB_DATA)}"


class Diagnostic(NamedTuple):
    """One problem at one place; `line` and `col` are 1-based, 0 when unknown.

    The fields hold the raw text; every way of printing it (`str`, `annotation`) escapes it."""

    file: str
    line: int
    col: int
    message: str
    hint: str = ""

    def text(self) -> str:
        """The problem and its fix, unescaped: "what is wrong; how to fix it"."""
        return f"{self.message}; {self.hint}" if self.hint else self.message

    def __str__(self) -> str:
        return safe(f"{self.file}:{self.line}:{self.col}: {self.text()}")


class SpecError(Exception):
    """Raised with every diagnostic found; the spec cannot be used."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(set(diagnostics))
        super().__init__("\n".join(map(str, self.diagnostics)))


def raise_problems(problems: list[Diagnostic]) -> None:
    """Raise SpecError with `problems`, if there are any."""
    if problems:
        raise SpecError(problems)


def annotation(level: str, diagnostic: Diagnostic) -> str:
    """A diagnostic as a GitHub Actions annotation (`error`, `warning`) at its file, line and
    column: the one renderer every command uses for `--format github`."""
    return workflow_command(
        level,
        diagnostic.text(),
        file=diagnostic.file,
        line=diagnostic.line or None,
        col=diagnostic.col or None,
        title=f"errspec {level}",
    )


def print_diagnostics(diagnostics: list[Diagnostic], level: str, fmt: str) -> None:
    """Print diagnostics of one `level` (error, warning): as text to stderr (warnings marked
    so), or with `fmt` github as annotations to stdout."""
    for diagnostic in diagnostics:
        if fmt == "github":
            print(annotation(level, diagnostic))
        elif level == "warning":
            print(diagnostic._replace(message=f"warning: {diagnostic.message}"), file=sys.stderr)
        else:
            print(diagnostic, file=sys.stderr)
