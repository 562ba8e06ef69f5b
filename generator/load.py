"""Stage 1: read the spec file into plain data plus the position of every node.

PyYAML's C parser composes the node graph; the graph is then walked here rather
than handed to a constructor, so that duplicate keys, tags other than the core
ones and aliases are refused, and every value and key keeps its line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from generator.diagnostics import Diagnostic, SpecError

JsonPath = tuple[str | int, ...]

_CORE_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "map", "seq")
}


def dotted(path: JsonPath) -> str:
    """A JSON path written the way a spec author reads it: codes[3].message."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the spec"


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SCALAR_TAGS = {"tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null")}
# Deeper values are refused before anything recurses over them (walker, JSON Schema, templates).
MAX_DEPTH = 24


@dataclass(frozen=True)
class Positions:
    """Where each value (and each mapping key) of the spec sits in its file.

    Only a spec with problems needs them, and at 10,000 codes they would take more
    memory than the data: they are found on first use, by walking `text` again.
    """

    file: str
    text: str = field(repr=False, compare=False)

    @cached_property
    def _tables(self) -> tuple[dict[JsonPath, tuple[int, int]], dict[JsonPath, tuple[int, int]]]:
        loader = _Loader(self.text)
        try:
            walker = _Walker(loader, self.file, record=True)
            walker.build(loader.get_single_node(), ())  # type: ignore[arg-type]  # parsed before
        finally:
            loader.dispose()
        return walker.values, walker.keys

    @property
    def values(self) -> dict[JsonPath, tuple[int, int]]:
        """The line and column of each value, by path."""
        return self._tables[0]

    @property
    def keys(self) -> dict[JsonPath, tuple[int, int]]:
        """The line and column of each mapping key, by the path of its value."""
        return self._tables[1]

    def at(self, path: JsonPath, message: str, hint: str = "", key: bool = False) -> Diagnostic:
        """A diagnostic placed at `path`, or at its nearest known ancestor."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe not in table and probe:
            probe = probe[:-1]
            table = self.values
        line, col = table.get(probe, (1, 1))
        return Diagnostic(self.file, line, col, message, hint)


@dataclass(frozen=True)
class Document:
    """The spec's text, its plain data and the positions of its nodes."""

    data: dict[str, Any]
    positions: Positions


def read_text(path: Path, display: str) -> str:
    """The spec file's text, refusing what is not a readable UTF-8 file."""
    where = Diagnostic(display, 1, 1, "")
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise SpecError(
            [_with(where, "is a directory, not a spec file", "pass the path of errors.yaml")]
        )
    except FileNotFoundError:
        raise SpecError([_with(where, "no such file", "check the --spec path")])
    except OSError as exc:
        raise SpecError([_with(where, f"cannot read: {exc.strerror}")])
    if raw.startswith(b"\xef\xbb\xbf"):
        raise SpecError(
            [
                _with(
                    where,
                    "file starts with a UTF-8 byte order mark",
                    "save it as UTF-8 without BOM",
                )
            ]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError(
            [
                Diagnostic(
                    display,
                    line,
                    col,
                    f"invalid UTF-8 byte 0x{raw[exc.start]:02x}",
                    "save the file as UTF-8",
                )
            ]
        )


def _with(where: Diagnostic, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(where.file, where.line, where.col, message, hint)


def parse(text: str, display: str) -> Document:
    """Parse YAML text into a Document; raise SpecError on any problem."""
    loader = _Loader(text)
    try:
        node = _yaml_errors(loader.get_single_node, text, display)
        if node is None:
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
        walker = _Walker(loader, display)
        data = walker.build(node, ())
    finally:
        loader.dispose()
    if walker.problems or walker.aliased:
        raise SpecError(
            walker.problems + (_alias_problems(text, display) if walker.aliased else [])
        )
    if not isinstance(data, dict):
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
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
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        context = exc.context or ""
        if context.startswith("while") and exc.context_mark and exc.context_mark.line + 1 != line:
            context += f" started at line {exc.context_mark.line + 1}"
        if context:
            problem = f"{context}: {problem}" if "found" in problem else f"{problem} ({context})"
        hint = next((fix for words, fix in _SYNTAX_HINTS if words in problem), "")
        raise SpecError([Diagnostic(display, line, col, f"YAML syntax error: {problem}", hint)])
    except yaml.YAMLError as exc:
        raise SpecError([Diagnostic(display, 1, 1, "YAML error: " + " ".join(str(exc).split()))])


_SYNTAX_HINTS = (
    ("tab", "indent with spaces, not tabs"),
    (
        "mapping values are not allowed",
        'check this line\'s indentation, or quote a value that contains ": "',
    ),
    ("expected ',' or ']'", "close the [ list ]"),
    ("expected ',' or '}'", "close the { mapping }"),
    ("another document", "remove the second document: a spec is one YAML document"),
)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _alias_problems(text: str, display: str) -> list[Diagnostic]:
    """The first use of each alias, found in the event stream so that it is placed where the
    alias is written (a composed graph only knows where its anchor is); run only on failure."""
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


class _Walker:
    def __init__(self, loader: Any, display: str, record: bool = False) -> None:
        self.loader = loader
        self.display = display
        self.record = record  # fill `values` and `keys` (see Positions)
        self.values: dict[JsonPath, tuple[int, int]] = {}
        self.keys: dict[JsonPath, tuple[int, int]] = {}
        self.problems: list[Diagnostic] = []
        self.seen: set[int] = set()
        self.aliased = False  # a node was reached twice: the text uses an alias

    def _mark(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _fail(self, node: yaml.Node, message: str, hint: str = "") -> None:
        self.problems.append(Diagnostic(self.display, *self._mark(node), message, hint))

    def build(self, node: yaml.Node, path: JsonPath) -> Any:
        if len(path) > MAX_DEPTH:
            self._fail(
                node, f"values are nested more than {MAX_DEPTH} levels deep", "flatten the value"
            )
            return None
        if id(node) in self.seen:
            self.aliased = True
            return None
        self.seen.add(id(node))
        if self.record:
            self.values[path] = self._mark(node)
        if node.tag == _TIMESTAMP and isinstance(node, yaml.ScalarNode):
            return node.value
        if node.tag not in _CORE_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
            self._fail(
                node, f"tag {tag} is not allowed", "remove the tag; the spec holds plain data only"
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            if node.tag in _SCALAR_TAGS:  # construct_object would also keep every node in a table
                return self.loader.yaml_constructors[node.tag](self.loader, node)
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self._fail(node, f"invalid value: {getattr(exc, 'problem', exc)}")
            return None

    def _mapping(self, node: yaml.MappingNode, path: JsonPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(
                    key_node, "YAML merge keys (<<) are not allowed", "write the keys out in full"
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                self._fail(key_node, "mapping keys must be plain strings", "quote the key")
                continue
            key = key_node.value
            here = self._mark(key_node)
            if key in first:
                self._fail(
                    key_node,
                    f'duplicate key "{key}" (first at line {first[key][0]})',
                    "remove one of them",
                )
                continue
            first[key] = here
            if self.record:
                self.keys[(*path, key)] = here
            result[key] = self.build(value_node, (*path, key))
        return result
