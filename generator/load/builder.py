"""Plain data straight from the events of PyYAML's C parser, with no node graph in between
(for a large spec the graph alone takes more memory than everything else). Duplicate keys,
tags other than the core ones, aliases and merge keys are refused. The position of every
node is kept, one int each in event order (`marks`: the root value, then each mapping key
followed by its value, each list item in turn); the data mirrors that order, so a walk over
the data finds the mark of any path (Positions)."""

from __future__ import annotations

import json
import math
import re
from array import array
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

__all__ = ["COLUMN", "MAX_DEPTH", "Builder", "Loader"]

from ..diagnostics import Diagnostic

_CORE_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "map", "seq")
}
_SCALAR_TAGS = {"tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null")}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NULL = "tag:yaml.org,2002:null"
# Deeper values are refused before anything recurses over them (walker, JSON Schema, templates).
MAX_DEPTH = 24
COLUMN = 1 << 27  # positions are packed as line * COLUMN + column; no line of a spec is longer


def _short(tag: str) -> str:
    """A core tag the way a spec author writes it: !!int."""
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


# YAML 1.2's core schema, the spec's format: how a plain scalar reads (yaml.org/spec/1.2.2,
# 10.3.2). PyYAML reads YAML 1.1, where 01751, 16:41 and 1_001 are 1001 and yes/on are true.
_CORE_12 = (
    ("null", re.compile(r"~|null|Null|NULL|")),
    ("bool", re.compile(r"true|True|TRUE|false|False|FALSE")),
    ("int", re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")),
    (
        "float",
        re.compile(
            r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
        ),
    ),
)
_WORDS_12 = frozenset("null Null NULL true True TRUE false False FALSE".split())
_NUMBER_STARTS = "0123456789-+.~"  # what else YAML 1.2 may read as other than text starts so


def _read_12(value: str) -> tuple[str, Any]:
    """(kind, value) of a plain scalar read by YAML 1.2's core schema: null, bool, int,
    float or str."""
    if value and value not in _WORDS_12 and value[0] not in _NUMBER_STARTS:
        return "str", value
    for kind, pattern in _CORE_12:
        if pattern.fullmatch(value):
            break
    else:
        return "str", value
    if kind == "null":
        return kind, None
    if kind == "bool":
        return kind, value.lower() == "true"
    if kind == "int":
        if value.startswith(("0o", "0x")):
            return kind, int(value[2:], 8 if value[1] == "o" else 16)
        return kind, int(value)
    special = value.lstrip("+-").lower()
    if special in (".inf", ".nan"):
        return kind, float(value.replace(".", "", 1))
    return kind, float(value)


def _same(a: Any, b: Any) -> bool:
    """Equal values of the same type (nan equals nan; True is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def _written(value: Any) -> str:
    """`value` the way YAML writes it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _reading(value: Any) -> str:
    if isinstance(value, str):
        return "text"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {_written(value)}"
    return f"the number {value!r}"


def _disagreement(value: str, read_11: Any, read_12: Any) -> tuple[str, str]:
    """What a plain scalar that YAML 1.1 and YAML 1.2 read differently means, and the fix."""
    message = (
        f"{value!r} reads as {_reading(read_11)} in YAML 1.1 but as {_reading(read_12)} in"
        " YAML 1.2, the spec's format"
    )
    if isinstance(read_12, str):
        what = "boolean" if isinstance(read_11, bool) else "number"
        hint = f"write {_written(read_11)} for the {what}, or put it in quotes for the text"
    elif isinstance(read_11, str):
        what = "boolean" if isinstance(read_12, bool) else "number"
        hint = f"put it in quotes for the text, or write {_written(read_12)} for the {what}"
    else:
        hint = f"write {_written(read_11)} or {_written(read_12)}, whichever you mean"
    return message, hint


_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_OPENERS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSERS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _no_colon(key: Any, value: Any) -> bool:
    """Whether a flow mapping's `key` event has no ": " after it: its value is the empty
    scalar the parser makes up, right where the key ends."""
    return (
        type(value) is yaml.ScalarEvent
        and value.value == ""
        and value.implicit[0]
        and value.start_mark is not None
        and value.start_mark.index == key.end_mark.index
    )


class Builder:
    """Plain data straight from the parser's events, checked the way the walk over a composed
    graph used to be; no node graph is kept."""

    def __init__(
        self,
        loader: Any,
        display: str,
    ) -> None:
        self.loader = loader
        self.get = loader.get_event
        self.display = display
        self.marks = array("q")  # line * COLUMN + column of every node, in event order
        self.problems: list[Diagnostic] = []
        self.anchors: dict[str, Any] = {}  # name -> start mark, as the composer checks them
        self.aliased = False  # the text uses an alias
        self.root: tuple[int, int] = (1, 1)
        self.tags: dict[tuple[str, Any], str] = {}  # resolved implicit tags: keys repeat a lot
        self.scalars: dict[tuple[str, str], Any] = {}  # numbers, booleans, nulls, by tag and text
        self.texts_12: dict[str, bool] = {}  # plain scalars YAML 1.2 reads as text, or not

    def _resolve(self, value: str, implicit: Any) -> str:
        """The tag PyYAML's resolver gives a plain scalar (it depends on nothing else)."""
        found = self.tags.get((value, implicit))
        if found is None:
            found = self.tags[value, implicit] = self.loader.resolve(
                yaml.ScalarNode, value, implicit
            )
        return found

    def document(self) -> tuple[bool, Any]:
        """(False, None) for an empty stream, else (True, the single document's data)."""
        self.get()  # StreamStartEvent
        if self.loader.check_event(yaml.StreamEndEvent):
            return False, None
        self.get()  # DocumentStartEvent
        event = self.get()
        mark = event.start_mark
        self.root = (mark.line + 1, mark.column + 1)
        data = self.node(event, 0)
        self.get()  # DocumentEndEvent
        if not self.loader.check_event(yaml.StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                mark,
                "but found another document",
                self.get().start_mark,
            )
        return True, data

    def _fail(self, mark: Any, message: str, hint: str = "") -> None:
        self.problems.append(
            Diagnostic(self.display, mark.line + 1, mark.column + 1, message, hint)
        )

    def _anchor(self, event: Any) -> None:
        """Register an anchor, or check an alias's, as the composer would."""
        anchor, mark = event.anchor, event.start_mark
        if type(event) is yaml.AliasEvent:
            if anchor not in self.anchors:
                raise yaml.composer.ComposerError(None, None, "found undefined alias", mark)
        elif anchor in self.anchors:
            raise yaml.composer.ComposerError(
                "found duplicate anchor; first occurrence",
                self.anchors[anchor],
                "second occurrence",
                mark,
            )
        else:
            self.anchors[anchor] = mark

    def _skip(self, event: Any) -> None:
        """Consume the rest of the node that `event` starts, unread but for anchors and aliases
        (the anchor on `event` itself is the caller's)."""
        depth = 1 if isinstance(event, _OPENERS) else 0
        while depth:
            event = self.get()
            if getattr(event, "anchor", None) is not None:
                self._anchor(event)
            if isinstance(event, _OPENERS):
                depth += 1
            elif isinstance(event, _CLOSERS):
                depth -= 1

    def _discard(self, event: Any) -> None:
        if event.anchor is not None:
            self._anchor(event)
        self._skip(event)

    def node(self, event: Any, depth: int) -> Any:
        """The value at `depth` whose first event is `event`, with its whole subtree consumed."""
        kind = type(event)
        if depth > MAX_DEPTH:
            self._discard(event)
            where = self.anchors[event.anchor] if kind is yaml.AliasEvent else event.start_mark
            self._fail(
                where, f"values are nested more than {MAX_DEPTH} levels deep", "flatten the value"
            )
            return None
        if event.anchor is not None:
            self._anchor(event)
            if kind is yaml.AliasEvent:
                self.aliased = True
                return None
        mark = event.start_mark
        self.marks.append((mark.line + 1) * COLUMN + mark.column + 1)
        tag = event.tag
        if kind is yaml.ScalarEvent:
            return self._scalar(event, tag)
        if tag is None or tag == "!":
            tag = "tag:yaml.org,2002:" + ("map" if kind is yaml.MappingStartEvent else "seq")
        if tag not in _CORE_TAGS:
            self._skip(event)
            self._refuse_tag(mark, tag)
            return None
        if kind is yaml.MappingStartEvent:
            return self._mapping(depth, event.flow_style)
        items: list[Any] = []
        event = self.get()
        while type(event) is not yaml.SequenceEndEvent:
            items.append(self.node(event, depth + 1))
            event = self.get()
        return items

    def _refuse_tag(self, mark: Any, tag: str) -> None:
        self._fail(
            mark,
            f"tag {_short(tag)} is not allowed",
            "remove the tag; the spec holds plain data only",
        )

    def _scalar(self, event: Any, tag: str | None) -> Any:
        value = event.value
        plain = False
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return value  # quoted: the resolver's default, a string
            tag = self._resolve(value, event.implicit)
            plain = True
        if tag == _STR or tag == _TIMESTAMP:
            if plain and (value in _WORDS_12 or value[:1] in _NUMBER_STARTS):
                if not self._text_12(value):
                    return self._as_12(event, value, value)
            return value
        if tag not in _CORE_TAGS:
            self._refuse_tag(event.start_mark, tag)
            return None
        if (tag, value) in self.scalars:
            return self.scalars[tag, value]
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        try:
            if tag in _SCALAR_TAGS:  # construct_object would also keep every node in a table
                found = self.loader.yaml_constructors[tag](self.loader, node)
                if plain:
                    found = self._as_12(event, value, found)
                    if found is None and tag != _NULL:
                        return None  # refused: each place is reported
                self.scalars[tag, value] = found
                return found
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self._fail(event.start_mark, f"invalid value: {getattr(exc, 'problem', exc)}")
            return None
        except (ValueError, TypeError, OverflowError):  # an explicit tag on a value it cannot take
            self._fail(
                event.start_mark, f"{value!r} is not a valid {_short(tag)}", "remove the tag"
            )
            return None

    def _as_12(self, event: Any, value: str, read_11: Any) -> Any:
        """The plain scalar `value` as YAML 1.2 reads it, when YAML 1.1 (PyYAML) reads it the
        same; otherwise refused (None): readers of the spec would disagree on it."""
        read_12 = _read_12(value)[1]
        if _same(read_11, read_12):
            return read_12
        self._fail(event.start_mark, *_disagreement(value, read_11, read_12))
        return None

    def _key(self, event: Any) -> str | None:
        """The key that `event` starts, or None (reported, and its subtree consumed)."""
        kind = type(event)
        if event.anchor is not None:
            self._anchor(event)
            if kind is yaml.AliasEvent:
                self.aliased = True
                return None
        tag = event.tag
        if kind is yaml.ScalarEvent and (tag is None or tag == "!"):
            tag = _STR
            if event.implicit[0]:
                tag = self._resolve(event.value, event.implicit)
        if kind is not yaml.ScalarEvent:
            self._skip(event)
        if tag == _MERGE:
            self._fail(
                event.start_mark,
                "YAML merge keys (<<) are not allowed",
                "write the keys out in full",
            )
            return None
        plain = kind is yaml.ScalarEvent and event.tag in (None, "!") and event.implicit[0]
        if (
            kind is not yaml.ScalarEvent
            or tag != _STR
            or (plain and not self._text_12(event.value))
        ):
            self._fail(event.start_mark, "mapping keys must be plain strings", "quote the key")
            return None
        key: str = event.value
        return key

    def _text_12(self, value: str) -> bool:
        """Whether YAML 1.2 reads the plain scalar `value` as text (keys repeat: cached)."""
        found = self.texts_12.get(value)
        if found is None:
            found = self.texts_12[value] = _read_12(value)[0] == "str"
        return found

    def _comma_split(self, mark: Any, key: str, before: dict[str, Any]) -> None:
        """A key without ": " in a { } mapping: a comma in an unquoted text split it there."""
        texts = [(k, v) for k, v in before.items() if isinstance(v, str)]
        hint = 'write "key: value", or put a text that holds a comma in double quotes'
        if texts:
            last, text = texts[-1]
            hint = f"put the text in double quotes: {last}: {json.dumps(f'{text}, {key}', ensure_ascii=False)}"
        self._fail(
            mark,
            f'"{key}" has no value: a comma in an unquoted text inside {{ }} ends the text,'
            " and what follows becomes a key",
            hint,
        )

    def _mapping(self, depth: int, flow: bool = False) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first: dict[str, int] = {}
        event = self.get()
        while type(event) is not yaml.MappingEndEvent:
            key: str | None
            if (  # the usual key, a plain string, read without the checks of _key
                type(event) is yaml.ScalarEvent
                and event.anchor is None
                and event.tag is None
                and event.implicit[0]
                and self._resolve(event.value, event.implicit) == _STR
                and event.value[:1] not in _NUMBER_STARTS
            ):
                key = event.value
            else:
                key = self._key(event)
            mark = event.start_mark
            if key is not None and key in first:
                self._fail(
                    mark,
                    f'duplicate key "{key}" (first at line {first[key]})',
                    "remove one of them",
                )
                key = None
            if key is None:
                self._discard(self.get())
            else:
                first[key] = mark.line + 1
                self.marks.append((mark.line + 1) * COLUMN + mark.column + 1)
                value = self.get()
                if flow and _no_colon(event, value):
                    self._comma_split(mark, key, result)
                result[key] = self.node(value, depth + 1)
            event = self.get()
        return result
