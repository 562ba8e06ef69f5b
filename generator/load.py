"""Stage 1: read the spec file into plain data plus the position of every node.

The data is built straight from the events of PyYAML's C parser, with no node
graph in between (at 10,000 codes the graph alone took about 180 MB), so that
duplicate keys, tags other than the core ones and aliases are refused, and
every value and key can be placed by line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Iterator, Mapping

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from .diagnostics import Diagnostic, SpecError

JsonPath = tuple[str | int, ...]

_CORE_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "map", "seq")
}


def _short(tag: str) -> str:
    """A core tag the way a spec author writes it: !!int."""
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


def dotted(path: JsonPath, data: Any = None) -> str:
    """A JSON path written the way a spec author reads it: codes[3].message; given the spec's
    `data`, an entry of codes or retired also shows its code: codes[3] (1004).message."""
    text = ""
    for depth, part in enumerate(path):
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
        if depth == 1 and isinstance(part, int) and path[0] in ("codes", "retired"):
            entries = data.get(path[0]) if isinstance(data, dict) else None
            entry = entries[part] if isinstance(entries, list) and part < len(entries) else None
            code = entry.get("code") if isinstance(entry, dict) else None
            if type(code) is int and 0 <= code <= MAX_CODE:
                text += f" ({code})"
    return text or "the spec"


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
MAX_CODE = 999_999  # the schema's bound: a path names no code beyond it
_SCALAR_TAGS = {"tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null")}
# Deeper values are refused before anything recurses over them (walker, JSON Schema, templates).
MAX_DEPTH = 24
# YAML allows at most 1024 characters in an implicit key, and the OpenAPI output writes each
# route of the surface (its top-level `paths`) as one.
MAX_KEY = 1024


_COLUMN = 1 << 27  # a line of the largest spec errspec reads is shorter


class _Table(Mapping[JsonPath, tuple[int, int]]):
    """(line, column) by path, stored as one int each: at 10,000 codes, 30 MB less."""

    def __init__(self, packed: dict[JsonPath, int]) -> None:
        self.packed = packed

    def __getitem__(self, path: JsonPath) -> tuple[int, int]:
        return divmod(self.packed[path], _COLUMN)

    def __contains__(self, path: object) -> bool:
        return path in self.packed

    def __iter__(self) -> Iterator[JsonPath]:
        return iter(self.packed)

    def __len__(self) -> int:
        return len(self.packed)


@dataclass(frozen=True)
class Positions:
    """Where each value (and each mapping key) of the spec sits in its file.

    Only a spec with problems needs them, and at 10,000 codes they would take more
    memory than the data: they are found on first use, by walking `text` again.
    """

    file: str
    text: str = field(repr=False, compare=False)

    @cached_property
    def _tables(self) -> tuple[_Table, _Table]:
        return self._record(None)

    def _record(self, only: frozenset[JsonPath] | None) -> tuple[_Table, _Table]:
        loader = _Loader(self.text)
        try:
            builder = _Builder(loader, self.file, record=True, only=only)
            builder.document()
        finally:
            loader.dispose()
        return _Table(builder.values), _Table(builder.keys)

    @property
    def values(self) -> Mapping[JsonPath, tuple[int, int]]:
        """The line and column of each value, by path."""
        return self._tables[0]

    @property
    def keys(self) -> Mapping[JsonPath, tuple[int, int]]:
        """The line and column of each mapping key, by the path of its value."""
        return self._tables[1]

    def at(self, path: JsonPath, message: str, hint: str = "", key: bool = False) -> Diagnostic:
        """A diagnostic placed at `path`, or at its nearest known ancestor."""
        return self._place(self.values, self.keys, path, message, hint, key)

    def at_each(self, requests: list[tuple[JsonPath, str, str]]) -> list[Diagnostic]:
        """at(path, message, hint) for many paths at once. Unless every position is known
        already, only these paths and their ancestors are looked up: thousands of warnings on
        10,000 codes then cost a fraction of the memory of every position."""
        if "_tables" in self.__dict__:
            values, keys = self.values, self.keys
        else:
            values, keys = self._record(
                frozenset(path[:n] for path, _, _ in requests for n in range(len(path) + 1))
            )
        return [
            self._place(values, keys, path, message, hint, False)
            for path, message, hint in requests
        ]

    def _place(
        self,
        values: Mapping[JsonPath, tuple[int, int]],
        keys: Mapping[JsonPath, tuple[int, int]],
        path: JsonPath,
        message: str,
        hint: str,
        key: bool,
    ) -> Diagnostic:
        table = keys if key else values
        probe = tuple(path)
        while probe not in table and probe:
            probe = probe[:-1]
            table = values
        line, col = table.get(probe, (1, 1))
        return Diagnostic(self.file, line, col, message, hint)


@dataclass(frozen=True)
class Scalars:
    """Every string of the data (mapping keys included) and every float, gathered once."""

    strings: list[str]
    floats: list[float]


def scalars(data: Any) -> Scalars:
    """The strings and floats anywhere in plain `data`, in one walk without paths."""
    found = Scalars([], [])
    stack = [data]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is dict:
            found.strings.extend(node.keys())
            stack.extend(node.values())
        elif kind is list:
            stack.extend(node)
        elif kind is str:
            found.strings.append(node)
        elif kind is float:
            found.floats.append(node)
    return found


@dataclass(frozen=True)
class Document:
    """The spec's text, its plain data and the positions of its nodes."""

    data: dict[str, Any]
    positions: Positions

    @cached_property
    def scalars(self) -> Scalars:
        """Every string and float of the data: the schema's fast path and text_is_clean
        both look at all of them, and the walk is done once."""
        return scalars(self.data)


def _with(where: Diagnostic, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(where.file, where.line, where.col, message, hint)


def parse(text: str, display: str) -> Document:
    """Parse YAML text into a Document; raise SpecError on any problem."""
    loader = _Loader(text)
    try:
        builder = _Builder(loader, display)
        found, data = _yaml_errors(builder.document, text, display)
    finally:
        loader.dispose()
    if not found:
        raise SpecError(
            [
                Diagnostic(
                    display,
                    1,
                    1,
                    "the spec is empty",
                    "start from the spec in the errspec README",
                )
            ]
        )
    if builder.problems or builder.aliased:
        raise SpecError(
            builder.problems + (_alias_problems(text, display) if builder.aliased else [])
        )
    if not isinstance(data, dict):
        line, col = builder.root
        kind = {
            list: "a list",
            str: "a string",
            int: "a number",
            float: "a number",
            bool: "a boolean",
        }.get(type(data), "empty")
        raise SpecError(
            [
                Diagnostic(
                    display, line, col, f"the spec must be a mapping at the top level, not {kind}"
                )
            ]
        )
    return Document(data, Positions(display, text))


def _yaml_errors(step: Callable[[], Any], text: str, display: str) -> Any:
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
        raise SpecError([Diagnostic(display, 1, 1, "YAML error: " + " ".join(str(exc).split()))])


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
    if context.startswith("while") and exc.context_mark and start != line:
        context += f" started at line {start}"
    if context:
        problem = f"{context}: {problem}" if "found" in problem else f"{problem} ({context})"
    return line, col, problem, ""


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _alias_problems(text: str, display: str) -> list[Diagnostic]:
    """The first use of each alias anywhere in the text, placed where the alias is written;
    a second pass over the events, run only on failure."""
    events = _Loader(text)
    anchors: dict[str, int] = {}
    problems: dict[str, Diagnostic] = {}
    try:
        while _yaml_errors(events.check_event, text, display):
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


_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_OPENERS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSERS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Builder:
    """Plain data straight from the parser's events, checked the way the walk over a composed
    graph used to be; no node graph is kept. `record` fills `values` and `keys` (Positions)."""

    def __init__(
        self,
        loader: Any,
        display: str,
        record: bool = False,
        only: frozenset[JsonPath] | None = None,
    ) -> None:
        self.loader = loader
        self.get = loader.get_event
        self.display = display
        self.record = record
        self.only = only  # when recording: these paths only, if given
        self.values: dict[JsonPath, int] = {}  # line * _COLUMN + column
        self.keys: dict[JsonPath, int] = {}
        self.problems: list[Diagnostic] = []
        self.anchors: dict[str, Any] = {}  # name -> start mark, as the composer checks them
        self.aliased = False  # the text uses an alias
        self.root: tuple[int, int] = (1, 1)
        self.tags: dict[tuple[str, Any], str] = {}  # resolved implicit tags: keys repeat a lot
        self.scalars: dict[tuple[str, str], Any] = {}  # numbers, booleans, nulls, by tag and text

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
        data = self.node(event, ())
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

    def node(self, event: Any, path: JsonPath) -> Any:
        """The value whose first event is `event`, with its whole subtree consumed."""
        kind = type(event)
        if len(path) > MAX_DEPTH:
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
        if self.record and (self.only is None or path in self.only):
            self.values[path] = (mark.line + 1) * _COLUMN + mark.column + 1
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
            return self._mapping(path)
        items: list[Any] = []
        index = 0
        event = self.get()
        while type(event) is not yaml.SequenceEndEvent:
            item = self.node(event, (*path, index))
            if not self.record:  # recording positions keeps no data: the positions are the point
                items.append(item)
            index += 1
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
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return value  # quoted: the resolver's default, a string
            tag = self._resolve(value, event.implicit)
        if tag == _STR or tag == _TIMESTAMP:
            return value
        if tag not in _CORE_TAGS:
            self._refuse_tag(event.start_mark, tag)
            return None
        if (tag, value) in self.scalars:
            return self.scalars[tag, value]
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        try:
            if tag in _SCALAR_TAGS:  # construct_object would also keep every node in a table
                found = self.scalars[tag, value] = self.loader.yaml_constructors[tag](
                    self.loader, node
                )
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
        if kind is not yaml.ScalarEvent or tag != _STR:
            self._fail(event.start_mark, "mapping keys must be plain strings", "quote the key")
            return None
        key: str = event.value
        return key

    def _route(self, key: str, mark: Any) -> str | None:
        from .filters import yaml_str

        written = len(yaml_str(key))
        if written <= MAX_KEY:
            return key
        self._fail(
            mark,
            f"route is {written} characters long as a YAML key, more than the {MAX_KEY} YAML allows",
            "shorten it",
        )
        return None

    def _mapping(self, path: JsonPath) -> dict[str, Any]:
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
            if key is not None and path == ("paths",):
                key = self._route(key, mark)
            if key is None:
                self._discard(self.get())
            else:
                first[key] = mark.line + 1
                sub = (*path, key)
                if self.record:  # one tuple for both tables
                    if self.only is None or sub in self.only:
                        self.keys[sub] = (mark.line + 1) * _COLUMN + mark.column + 1
                    self.node(self.get(), sub)
                else:
                    result[key] = self.node(self.get(), sub)
            event = self.get()
        return result
