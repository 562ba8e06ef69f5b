"""YAML's own errors in plain words: where a syntax error is, what it means, how to fix it."""

from __future__ import annotations

import json
from typing import Any, Callable

import yaml

from ..diagnostics import Diagnostic, SpecError
from .builder import Loader


def yaml_errors(step: Callable[[], Any], text: str, display: str) -> Any:
    """Run one PyYAML step, turning its exceptions into a one-line SpecError."""
    try:
        return step()
    except yaml.reader.ReaderError as exc:
        # libyaml reports a byte offset into the UTF-8 text.
        line, col = _line_col(
            text, len(text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))
        )
        raise SpecError(
            [
                Diagnostic(
                    display,
                    line,
                    col,
                    f"the file contains U+{exc.character:04X}, which YAML does not allow",
                    "remove it, or write it as an escape in a double-quoted string",
                )
            ]
        )
    except yaml.MarkedYAMLError as exc:
        line, col, message, hint = _syntax_error(exc, text)
        raise SpecError([Diagnostic(display, line, col, f"YAML syntax error: {message}", hint)])
    except yaml.YAMLError as exc:
        message = "YAML error: " + " ".join(str(exc).split())
        raise SpecError([Diagnostic(display, 1, 1, message, "write the spec as plain YAML")])


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str, str]:
    """Where a YAML syntax error is, what it means in plain words, and how to fix it."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem, context = exc.problem or "invalid YAML", exc.context or ""
    start = exc.context_mark.line + 1 if exc.context_mark else line
    opened = "on this line" if start == line else f"at line {start}"
    offset = mark.index if mark else -1
    char = text[offset] if 0 <= offset < len(text) else ""
    if "tab" in problem or (char == "\t" and "cannot start any token" in problem):
        return (
            line,
            col,
            "a tab is used for indentation; YAML indents with spaces only",
            ("replace the tab with spaces"),
        )
    if "cannot start any token" in problem:
        return line, col, f"a plain value cannot start with {char!r}", "put the value in quotes"
    if "mapping values are not allowed" in problem:
        return (
            line,
            col,
            (
                'unexpected ": ": this line is indented deeper than the key above it,'
                ' or a value contains ": "'
            ),
            "line it up with the keys above it, or put the value in quotes",
        )
    if "expected '-' indicator" in problem:
        return (
            line,
            col,
            (f"this line breaks the list started {opened}: it is not indented like the item above"),
            'line it up with the keys of the item above, or start a new item with "- "',
        )
    if "could not find expected ':'" in problem and exc.context_mark:
        key = exc.context_mark
        return (
            key.line + 1,
            key.column + 1,
            'this key has no ": " after it',
            ("write `key: value`, with a space after the colon"),
        )
    if "expected ',' or '}'" in problem:
        found = _flow_text_problem(text, exc, offset, char)
        if found is not None:
            return found
    for close, kind in (("]", "[ list ]"), ("}", "{ mapping }")):
        if f"expected ',' or '{close}'" in problem:
            return (
                line,
                col,
                (f"the {kind} opened {opened} is not closed, or a comma is missing in it"),
                f"close it with {close}, or add the comma",
            )
    if "end of stream" in problem and "quoted scalar" in context:
        return (
            line,
            col,
            f"the quoted string opened {opened} is never closed",
            ("add the closing quote"),
        )
    if "expected key" in problem or "expected <block end>" in problem:
        return (
            line,
            col,
            (
                f"this line does not fit the mapping started {opened}:"
                " its indentation is off, or a quote above is not closed"
            ),
            "line the key up with the keys above it, using spaces",
        )
    if "another document" in problem:
        return (
            line,
            col,
            "the file holds a second YAML document",
            ("remove it: a spec is one YAML document"),
        )
    if "unknown escape character" in problem:
        return (
            line,
            col,
            f"unknown escape {text[offset:offset + 2]} in a double-quoted string",
            ("write \\\\ for a backslash, or use single quotes"),
        )
    if "invalid Unicode character escape code" in problem:
        return (
            line,
            col,
            "this escape is not a Unicode character (a lone surrogate such as \\ud800)",
            "write the character itself, or the escape of a whole character",
        )
    if "maximum nesting depth" in problem:
        return (
            line,
            col,
            "brackets are nested too deeply for YAML to read",
            "flatten the value: a spec nests a few levels at most",
        )
    if context.startswith("while") and exc.context_mark and start != line:
        context += f" started at line {start}"
    if context:
        problem = f"{context}: {problem}" if "found" in problem else f"{problem} ({context})"
    return line, col, problem, "check the quotes, brackets and indentation at this point"


def _flow_text_problem(
    text: str, exc: yaml.MarkedYAMLError, offset: int, char: str
) -> tuple[int, int, str, str] | None:
    """A { } mapping broken by an unquoted text: ": " inside it ends the text, " #" starts a
    comment that drops the rest of the line. None when it is neither."""
    mark = exc.problem_mark
    assert mark is not None
    start = max(text.rfind("{", 0, offset), text.rfind(",", 0, offset)) + 1
    before = text[start:offset]
    if char == ":" and "\n" not in before and ": " in before:  # key: text: more
        stops = (text.find(",", offset), text.find("}", offset), text.find("\n", offset))
        end = min([i for i in stops if i >= 0] or [len(text)])
        key, _, value = text[start:end].strip().partition(": ")
        quoted = f"{key}: {json.dumps(value, ensure_ascii=False)}"
        return (
            mark.line + 1,
            mark.column + 1,
            'a ": " inside a text in { } ends the text there',
            f"put the text in double quotes: {quoted}",
        )
    context = exc.context_mark
    if context is not None and context.line != mark.line:
        line_end = text.find("\n", context.index)
        opening = text[context.index : line_end if line_end >= 0 else len(text)]
        if " #" in opening:
            return (
                context.line + 1,
                context.column + 2 + opening.index(" #"),
                'this { mapping } is not closed: " #" in it starts a comment, which drops'
                " the rest of the line",
                'put the text that holds "#" in double quotes',
            )
    return None


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def alias_problems(text: str, display: str) -> list[Diagnostic]:
    """The first use of each alias anywhere in the text, placed where the alias is written;
    a second pass over the events, run only on failure."""
    events = Loader(text)
    anchors: dict[str, int] = {}
    problems: dict[str, Diagnostic] = {}
    try:
        while yaml_errors(events.check_event, text, display):
            event = events.get_event()
            anchor = getattr(event, "anchor", None)
            mark = getattr(event, "start_mark", None)
            if anchor is None or mark is None:
                continue
            if not isinstance(event, yaml.AliasEvent):
                anchors[anchor] = mark.line + 1
            elif anchor not in problems:
                first = (
                    f" (anchor &{anchor} at line {anchors[anchor]})" if anchor in anchors else ""
                )
                problems[anchor] = Diagnostic(
                    display,
                    mark.line + 1,
                    mark.column + 1,
                    f"YAML alias *{anchor}{first} is not allowed",
                    "write the value out in full",
                )
    finally:
        events.dispose()
    return list(problems.values())
