"""Problems found in a spec, reported compiler-style as FILE:LINE:COL: message."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place; `line` and `col` are 1-based, 0 when unknown."""

    file: str
    line: int
    col: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.col}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text


class SpecError(Exception):
    """Raised with every diagnostic found; the spec cannot be used."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(set(diagnostics))
        super().__init__("\n".join(map(str, self.diagnostics)))


_GITHUB_DATA = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_GITHUB_PROPERTY = {**_GITHUB_DATA, ":": "%3A", ",": "%2C"}


def _github_escape(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(char, char) for char in text)


def workflow_command(command: str, message: str, **properties: str | int) -> str:
    """One GitHub Actions workflow command, `::error file=F,line=L::message`, with the message
    and every property escaped by GitHub's rules, so that no input can end the command or start
    another. Properties whose value is "" or 0 are left out."""
    fields = ",".join(
        f"{name}={_github_escape(str(value), _GITHUB_PROPERTY)}"
        for name, value in properties.items()
        if value not in ("", 0)
    )
    head = f"::{command} {fields}" if fields else f"::{command}"
    return f"{head}::{_github_escape(message, _GITHUB_DATA)}"
