"""The `key: plain text  # words` lines of a YAML text: YAML ends a plain scalar before " #",
so the words are a comment, though their author may have meant them as part of the text."""

from __future__ import annotations

import re
from typing import NamedTuple

# `key: plain text  # words` on one line, the text neither quoted nor a block or flow value.
_COMMENT_AFTER_TEXT = re.compile(
    r"^[ \t]*(?:- +)?([\w-]+):[ \t]+([^\s'\"|>{\[&*!#%@`][^\n]*?)[ \t]+#([^\n]*)$", re.M
)


class TrailingComment(NamedTuple):
    """A comment after a plain text: the line, the column of the text, its key, the text
    YAML read and the comment's words."""

    line: int
    col: int
    key: str
    text: str
    comment: str


def trailing_comments(text: str) -> tuple[TrailingComment, ...]:
    """Every comment after a plain text on its line. Only the lines holding a "#" after some
    text are read: a spec has few, and most have none."""
    starts = []
    at = text.find("#")
    while at != -1:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        if text[start:at].strip():
            starts.append(start)
        at = -1 if end == -1 else text.find("#", end)
    found = []
    for start in starts:
        match = _COMMENT_AFTER_TEXT.match(text, start)
        if match is not None:
            key, value, comment = match.groups()
            line = text.count("\n", 0, start) + 1
            found.append(TrailingComment(line, match.start(2) - start + 1, key, value, comment))
    return tuple(found)
