"""A GitHub-flavoured Markdown *block* parser, for the subset of structure errspec's pages use.

It reads a page back the way GitHub/CommonMark split it into blocks, leaving inline
content as source text (the spec's texts are inline Markdown on purpose: `code` spans).
So a text survives the page when the block it was put in is the block that comes back,
holding exactly that text. Written from the CommonMark 0.31 and GFM specs, not from
errspec's code:

- ATX headings: content stripped of spaces/tabs and of an optional closing run of `#`
  that is the whole content or follows a space or tab (CommonMark 4.2).
- Fenced code: ``` or ~~~ (3+), closed by a fence of the same character at least as long,
  indented at most 3 spaces (4.5).
- Tables: a header row, a delimiter row, then rows up to a blank line; a cell ends at a
  `|` not preceded by a backslash, is trimmed, and `\\|` becomes `|` (GFM 4.10; cmark-gfm
  absorbs a backslash-preceded pipe whatever precedes the backslash).
- Bullet lists of `-`/`+`/`*` items; an item whose content would itself open a block (or is
  a GFM task checkbox) is reported as such. Paragraphs: lines up to a blank line or a line
  that can interrupt a paragraph, stripped of spaces and tabs (4.8).
- Anything else that opens a block at a line start (block quote, ordered list, HTML block,
  link reference definition, thematic break) is reported by kind, so a page that grew one
  where a paragraph was expected fails the comparison.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

Block = tuple[Any, ...]

ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
THEMATIC = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
BULLET = re.compile(r"^ {0,3}([-+*])(?:[ \t]+(.*)|)$")
ORDERED = re.compile(r"^ {0,3}([0-9]{1,9})([.)])(?:[ \t]+(.*)|)$")
QUOTE = re.compile(r"^ {0,3}>")
DELIMITER_ROW = re.compile(r"^\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?$")
LINK_DEFINITION = re.compile(r"^ {0,3}\[(?:[^\\\[\]]|\\.)+\]:")
TASK = re.compile(r"^\[[ xX]\](?:[ \t]|$)")
HTML_TYPE_1_TO_5 = re.compile(
    r"^ {0,3}(?:<(?:script|pre|style|textarea)(?:[ \t>]|$)|<!--|<\?|<![A-Za-z]|<!\[CDATA\[)",
    re.IGNORECASE,
)
BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|"
    "div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|hr|html|"
    "iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|"
    "table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
HTML_TYPE_6 = re.compile(rf"^ {{0,3}}</?(?:{BLOCK_TAGS})(?:[ \t>]|/>|$)", re.IGNORECASE)
_ATTRIBUTE = (
    r"""[ \t]+[A-Za-z_:][A-Za-z0-9_.:-]*(?:[ \t]*=[ \t]*(?:[^ \t"'=<>`]+|'[^']*'|"[^"]*"))?"""
)
HTML_TYPE_7 = re.compile(
    rf"^ {{0,3}}(?:<[A-Za-z][A-Za-z0-9-]*(?:{_ATTRIBUTE})*[ \t]*/?>|</[A-Za-z][A-Za-z0-9-]*[ \t]*>)[ \t]*$"
)


def opens(line: str, in_paragraph: bool = False) -> str | None:
    """The kind of block `line` opens, or None for paragraph text.

    With `in_paragraph`, only the kinds that may interrupt a paragraph count.
    """
    if FENCE.match(line) and not ("`" in line.lstrip(" `") and line.lstrip().startswith("`")):
        return "fence"
    if ATX.match(line):
        return "heading"
    if THEMATIC.match(line):
        return "hr"
    bullet = BULLET.match(line)
    if bullet and not (in_paragraph and not (bullet.group(2) or "").strip()):
        return "bullet"
    ordered = ORDERED.match(line)
    if ordered and not (
        in_paragraph and (ordered.group(1) != "1" or not (ordered.group(3) or "").strip())
    ):
        return "ordered"
    if QUOTE.match(line):
        return "quote"
    if HTML_TYPE_1_TO_5.match(line) or HTML_TYPE_6.match(line):
        return "html"
    if not in_paragraph and HTML_TYPE_7.match(line):
        return "html"
    if not in_paragraph and LINK_DEFINITION.match(line):
        return "link definition"
    return None


def heading_text(raw: str) -> str:
    """ATX heading content: trimmed, without its optional closing sequence."""
    text = raw.strip(" \t")
    stripped = text.rstrip("#")
    if stripped != text and (stripped == "" or stripped[-1] in " \t"):
        text = stripped.rstrip(" \t")
    return text


def cells(row: str) -> list[str]:
    """The cells of a GFM table row: split on unescaped pipes, trimmed, `\\|` unescaped."""
    body = row.strip(" \t")
    body = body[1:] if body.startswith("|") else body
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [cell.strip(" \t").replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", body)]


def _item(content: str) -> Block:
    if TASK.match(content):
        return ("task item", content)
    kind = opens(content)
    return ("item", content) if kind is None else (f"{kind} in item", content)


def parse(text: str) -> list[Block]:
    """The blocks of a page: ("front", data), ("heading", level, text), ("code", info, body),
    ("table", header, rows), ("list", items), ("para", text), ("hr",), or (kind, line)."""
    lines = text.split("\n")
    blocks: list[Block] = []
    i = 0
    if lines and lines[0] == "---":
        end = lines.index("---", 1)
        blocks.append(("front", yaml.safe_load("\n".join(lines[1:end]))))
        i = end + 1
    while i < len(lines):
        line = lines[i]
        if not line.strip(" \t"):
            i += 1
            continue
        kind = opens(line)
        if kind == "fence":
            match = FENCE.match(line)
            assert match is not None
            fence = match.group(2)
            closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
            body = []
            i += 1
            while i < len(lines) and not closing.match(lines[i]):
                body.append(lines[i])
                i += 1
            blocks.append(("code", match.group(3).strip(" \t"), "\n".join(body)))
            i += 1
        elif kind == "heading":
            match = ATX.match(line)
            assert match is not None
            blocks.append(("heading", len(match.group(1)), heading_text(match.group(2) or "")))
            i += 1
        elif kind == "hr":
            blocks.append(("hr",))
            i += 1
        elif kind == "bullet":
            marker = BULLET.match(line).group(1)  # type: ignore[union-attr]
            items = []
            while i < len(lines):
                match = BULLET.match(lines[i])
                if match and match.group(1) == marker and not THEMATIC.match(lines[i]):
                    items.append(_item((match.group(2) or "").strip(" \t")))
                    i += 1
                elif (
                    not lines[i].strip(" \t")
                    and i + 1 < len(lines)
                    and (BULLET.match(lines[i + 1]) or [None, None])[1] == marker
                ):
                    i += 1  # a blank line between items of one (loose) list
                else:
                    break
            blocks.append(("list", items))
        elif kind is not None:
            blocks.append((kind, line))
            i += 1
        elif (
            line.lstrip(" ").startswith("|")
            and i + 1 < len(lines)
            and DELIMITER_ROW.match(lines[i + 1].strip(" \t"))
        ):
            header, rows = cells(line), []
            i += 2
            while i < len(lines) and lines[i].strip(" \t") and opens(lines[i]) is None:
                rows.append(cells(lines[i]))
                i += 1
            blocks.append(("table", header, rows))
        else:
            paragraph = [line]
            i += 1
            while (
                i < len(lines)
                and lines[i].strip(" \t")
                and opens(lines[i], in_paragraph=True) is None
            ):
                if re.match(r"^ {0,3}(?:=+|-+)[ \t]*$", lines[i]):
                    blocks.append(("setext heading", "\n".join(paragraph)))
                    paragraph = []
                    i += 1
                    break
                paragraph.append(lines[i])
                i += 1
            if paragraph:
                blocks.append(("para", "\n".join(paragraph).strip(" \t")))
    return blocks
