"""The named escaping filters: the only way a spec string reaches an output.

Python literals go through `repr`, JavaScript through `json.dumps`, YAML through
PyYAML's emitter, Markdown table cells through `md_cell`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Callable

import yaml

from .model import PLACEHOLDER
from .site.markup import FILTERS as SITE_FILTERS


def py(value: Any) -> str:
    """A Python literal for a str, int, bool, None, or a list/dict of those."""
    return repr(value)


def py_dq(value: Any) -> str:
    """`py`, with strings in double quotes where that needs no more escapes: the form black
    writes, so that a generated Python file is black's own text without running black."""
    if isinstance(value, (tuple, list)):
        items = [py_dq(item) for item in value]
        if isinstance(value, list):
            return "[" + ", ".join(items) + "]"
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    text = repr(value)
    if isinstance(value, str) and text.startswith("'") and '"' not in value:
        return '"' + text[1:-1] + '"'
    return text


def js(value: Any) -> str:
    """A JavaScript literal (JSON is a subset of ES2019 expressions)."""
    return json.dumps(value, ensure_ascii=False)


def toml(value: Any) -> str:
    """A TOML value for a str, int, bool or a list of those (JSON's forms are TOML's)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def js_squote(text: str) -> str:
    """A single-quoted JavaScript string literal."""
    body = json.dumps(text, ensure_ascii=False)[1:-1].replace('\\"', '"').replace("'", "\\'")
    return f"'{body}'"


def _split(text: str) -> list[tuple[bool, str]]:
    """[(is_placeholder, text)] for a text with {name} placeholders."""
    parts: list[tuple[bool, str]] = []
    pos = 0
    for match in PLACEHOLDER.finditer(text):
        parts.append((False, text[pos : match.start()]))
        parts.append((True, match.group(1)))
        pos = match.end()
    parts.append((False, text[pos:]))
    return [p for p in parts if p[1]]


def py_fstring(text: str) -> str:
    """A Python f-string literal; {name} placeholders become expressions."""
    if not any(is_var for is_var, _ in _split(text)):
        return repr(text)
    inner = "".join(
        "{" + part + "}" if is_var else part.replace("{", "{{").replace("}", "}}")
        for is_var, part in _split(text)
    )
    return "f" + repr(inner)


def js_template(text: str) -> str:
    """A JavaScript template literal; {snake_name} placeholders become ${camelName}."""
    out = []
    for is_var, part in _split(text):
        if is_var:
            out.append("${" + camel(part) + "}")
        else:
            escaped = json.dumps(part, ensure_ascii=False)[1:-1]
            out.append(escaped.replace("`", "\\`").replace("$", "\\$"))
    return "`" + "".join(out) + "`"


def js_text(text: str) -> str:
    """A template literal when the text has placeholders, else a quoted string."""
    if any(is_var for is_var, _ in _split(text)):
        return js_template(text)
    return js_squote(text)


def placeholders(text: str) -> list[str]:
    """The {name} placeholders of a text, in order."""
    return PLACEHOLDER.findall(text)


def camel(name: str) -> str:
    """snake_case to camelCase, for JavaScript identifiers."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def comment(text: str) -> str:
    """Text for inside a JavaScript comment (// or /* */): every line break (which ends a //
    comment, U+2028 included) becomes a space, and "*/" cannot close a /* */ one."""
    return " ".join(str(text).splitlines()).replace("*/", "* /")


def md_cell(text: str) -> str:
    """Text for a Markdown table cell: a pipe would end the cell."""
    return text.replace("|", "\\|")


def md_heading(text: str) -> str:
    """Text for an ATX heading: Markdown strips a trailing run of "#" as the heading's
    closing sequence, so a text ending in "#" gets an explicit closing " #" to strip instead."""
    return text + " #" if text.endswith("#") else text


_MD_PUNCTUATION = re.compile(r"([\\`*_\[\]<>|~#])")


def md_text(text: str) -> str:
    """Inline Markdown that shows `text` literally: every character that could start emphasis,
    code, a link, HTML or a table cell is backslash-escaped."""
    return _MD_PUNCTUATION.sub(r"\\\1", str(text))


def json_block(value: Any) -> str:
    """Pretty JSON, as shown in the page's code blocks: json.dumps(indent=2) to the byte,
    written here because with an indent json.dumps runs its pure-Python encoder, a third
    of the time of the pages at 10,000 codes."""
    out: list[str] = []
    _json(value, "\n", out)
    return "".join(out)


def _json(value: Any, newline: str, out: list[str]) -> None:
    if isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
        inner = newline + "  "
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            out.append(("," if index else "") + inner + json.dumps(key, ensure_ascii=False) + ": ")
            _json(item, inner, out)
        out.append(newline + "}")
    elif isinstance(value, list) and value:
        inner = newline + "  "
        out.append("[")
        for index, item in enumerate(value):
            out.append(("," if index else "") + inner)
            _json(item, inner, out)
        out.append(newline + "]")
    elif isinstance(value, (dict, list)) and value:  # keys json.dumps converts: its own way
        out.append(json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline))
    else:
        out.append(json.dumps(value, ensure_ascii=False))


# Strings PyYAML (YAML 1.1) reads back as strings, but a YAML 1.2 reader (or a 1.1 reader
# that knows y/n) takes for a number or a boolean: 1e3, 0o17, 08, +.5, y.
_NOT_PLAIN = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|[yYnN]"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)


# Words, numbers and paths that every YAML reader takes for the same string: written as they are,
# without asking PyYAML's emitter (the slow path below gives the same text; tested).
_SIMPLE = re.compile(r"[A-Za-z/][A-Za-z0-9_./(),'\"{}-]*(?: [A-Za-z0-9_./(),'\"{}-]+)*")
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def yaml_str(value: Any) -> str:
    """A YAML flow scalar: plain when that reads back the same, else double-quoted."""
    if isinstance(value, str) and _SIMPLE.fullmatch(value) and value.lower() not in _YAML11_WORDS:
        return value
    return emitted_yaml_str(value)


def emitted_yaml_str(value: Any) -> str:
    """yaml_str, as PyYAML's emitter writes it."""
    if isinstance(value, float):  # JSON's 1e+100 reads back as a string in YAML 1.1
        return yaml.safe_dump(value).removesuffix("\n...\n")
    if not isinstance(value, str):
        return json.dumps(value)
    if ": " in value or " #" in value:  # never plain: straight to the quoted form
        return _double_quoted(value)
    plain = yaml.safe_dump(value, allow_unicode=True, width=1 << 30)
    if plain.endswith("\n...\n"):
        plain = plain[: -len("\n...\n")]
    plain = plain.rstrip("\n")
    if (
        "\n" not in plain
        and not plain.startswith(("'", '"'))
        and yaml.safe_load(plain) == value
        and not _NOT_PLAIN.fullmatch(value)
    ):
        return plain
    return _double_quoted(value)


def _double_quoted(value: str) -> str:
    quoted = yaml.safe_dump(value, default_style='"', allow_unicode=False, width=1 << 30)
    return quoted.rstrip("\n").removesuffix("\n...")


# YAML caps an implicit key at 1024 characters; a longer key takes the explicit "? key" form.
_LONG_KEY = 1000


def yaml_block(value: Any, pad: str = "", lead: str | None = None) -> str:
    """Block YAML for plain data (mappings, lists, scalars), each key and scalar through
    yaml_str, so no string can break the document. Every line ends in a newline and starts
    with `pad`; `lead`, when given, replaces it on the first line (for "- " items)."""
    out: list[str] = []
    _block(value, pad, lead, out)
    return "".join(out)


def _is_leaf(item: Any) -> bool:
    return not isinstance(item, (Mapping, list, tuple)) or len(item) == 0


def _leaf(item: Any) -> str:
    if isinstance(item, Mapping):
        return "{}"
    return "[]" if isinstance(item, (list, tuple)) else yaml_str(item)


def _block(value: Any, pad: str, lead: str | None, out: list[str]) -> None:
    mapping = isinstance(value, Mapping)
    for index, item in enumerate(value.items() if mapping else value):
        first = lead if index == 0 and lead is not None else pad
        if mapping:
            key, item = yaml_str(item[0]), item[1]
            out.append(f"{first}? {key}\n{pad}:" if len(key) > _LONG_KEY else f"{first}{key}:")
            if _is_leaf(item):
                out.append(f" {_leaf(item)}\n")
            else:
                out.append("\n")
                _block(item, pad + "  ", None, out)
        elif _is_leaf(item):
            out.append(f"{first}- {_leaf(item)}\n")
        else:
            _block(item, pad + "  ", first + "- ", out)


# What ends a plain scalar in YAML's flow context ({a: b, c: [d]}), or makes it something else.
_FLOW_UNSAFE = re.compile(r"[,\[\]{}#]|: |^[-?:&*!|>'\"%@`]")


def yaml_flow(value: Any) -> str:
    """Flow YAML for plain data, as a person writes it ({en: Text, zh: 文本}); a string that
    flow context would read otherwise is double-quoted."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{yaml_flow(k)}: {yaml_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_flow(item) for item in value) + "]"
    text = yaml_str(value)
    if isinstance(value, str) and not text.startswith('"') and _FLOW_UNSAFE.search(text):
        return _double_quoted(value)
    return text


def pick(mapping: Mapping[str, Any], keys: Any) -> dict[str, Any]:
    """The items of `mapping` whose key is one of `keys`, in the order of `keys`."""
    return {key: mapping[key] for key in keys if key in mapping}


# What a Go interpreted string literal cannot hold raw: the quote, the backslash, controls,
# and U+FEFF (Go source may not contain it outside the first position).
_GO_ESCAPED = re.compile('["\\\\\x00-\x1f\x7f\ufeff]')


def _go_escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    return "\\" + ch if ch in '"\\' else f"\\u{ord(ch):04x}"


def go(value: Any) -> str:
    """A Go literal for a str, int, bool or None (nil): strings are interpreted literals with
    every character Go source may not hold raw (controls, U+FEFF) escaped, in forms JSON
    reads the same (\\", \\\\, \\uXXXX)."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + _GO_ESCAPED.sub(_go_escape, str(value)) + '"'


def go_name(name: str) -> str:
    """An UPPER_SNAKE name as an exported Go identifier: RATE_LIMIT_EXCEEDED -> RateLimitExceeded."""
    return "".join(part[:1].upper() + part[1:].lower() for part in name.split("_"))


def go_comment(text: str) -> str:
    """Text for a Go // comment: one line, no U+FEFF (Go source may not hold it)."""
    return " ".join(str(text).split()).replace("\ufeff", "\\ufeff")


FILTERS: dict[str, Callable[..., Any]] = {
    **SITE_FILTERS,
    "go": go,
    "go_name": go_name,
    "go_comment": go_comment,
    "py": py,
    "py_dq": py_dq,
    "py_fstring": py_fstring,
    "js": js,
    "js_squote": js_squote,
    "toml": toml,
    "js_template": js_template,
    "js_text": js_text,
    "camel": camel,
    "placeholders": placeholders,
    "comment": comment,
    "md_cell": md_cell,
    "md_heading": md_heading,
    "md_text": md_text,
    "json_block": json_block,
    "yaml_str": yaml_str,
    "yaml_block": yaml_block,
    "yaml_flow": yaml_flow,
    "pick": pick,
}
