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


def escape(text: str) -> str:
    """`text` safe to print on one terminal line: control and format characters escaped."""
    out = []
    for ch in text:
        point = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif point < 0x20 or 0x7F <= point < 0xA0:
            out.append(f"\\x{point:02x}")
        elif point in (0x2028, 0x2029) or 0x202A <= point <= 0x202E or 0x2066 <= point <= 0x2069:
            out.append(f"\\u{point:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(
    level: str,
    message: str,
    file: str | None = None,
    line: int | None = None,
    col: int | None = None,
    title: str | None = None,
) -> str:
    """A GitHub Actions workflow command (`::error file=…,line=…::message`), escaped by
    GitHub's rules: data escapes % CR LF, properties also `:` and `,`."""
    props = [
        f"{name}={_gh_property(escape(str(value)))}"
        for name, value in (("file", file), ("line", line), ("col", col), ("title", title))
        if value is not None
    ]
    return (
        f"::{level} {','.join(props)}::{_gh_data(escape(message))}"
        if props
        else f"::{level}::{_gh_data(escape(message))}"
    )
