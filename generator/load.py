"""Stage 1: read the spec file into plain data plus the position of every node.

PyYAML's C parser composes the node graph; the graph is then walked here rather
than handed to a constructor, so that duplicate keys, tags other than the core
ones and aliases are refused, and every value and key keeps its line and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from generator.diagnostics import Diagnostic, SpecError

JsonPath = tuple[str | int, ...]

_CORE_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq")
}

def dotted(path: JsonPath) -> str:
    """A JSON path written the way a spec author reads it: codes[3].message."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the spec"


_TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass(frozen=True)
class Positions:
    """Where each value (and each mapping key) of the spec sits in its file."""

    file: str
    values: dict[JsonPath, tuple[int, int]]
    keys: dict[JsonPath, tuple[int, int]]

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
        raise SpecError([_with(where, "is a directory, not a spec file", "pass the path of errors.yaml")])
    except FileNotFoundError:
        raise SpecError([_with(where, "no such file", "check the --spec path")])
    except OSError as exc:
        raise SpecError([_with(where, f"cannot read: {exc.strerror}")])
    if raw.startswith(b"\xef\xbb\xbf"):
        raise SpecError([_with(where, "file starts with a UTF-8 byte order mark", "save it as UTF-8 without BOM")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError([Diagnostic(display, line, col, f"invalid UTF-8 byte 0x{raw[exc.start]:02x}", "save the file as UTF-8")])


def _with(where: Diagnostic, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(where.file, where.line, where.col, message, hint)


def parse(text: str, display: str) -> Document:
    """Parse YAML text into a Document; raise SpecError on any problem."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{exc.context}: {problem}" if "found" in problem else f"{problem} ({exc.context})"
        raise SpecError([Diagnostic(display, line, col, f"YAML syntax error: {problem}")])
    except yaml.YAMLError as exc:
        raise SpecError([Diagnostic(display, 1, 1, f"YAML error: {exc}")])
    if node is None:
        loader.dispose()
        raise SpecError([Diagnostic(display, 1, 1, "the spec is empty", "start from the spec in the errspec README")])
    walker = _Walker(loader, display)
    try:
        data = walker.build(node, ())
    finally:
        loader.dispose()
    if walker.problems:
        raise SpecError(walker.problems)
    if not isinstance(data, dict):
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise SpecError([Diagnostic(display, line, col, f"the spec must be a mapping at the top level, not {kind}")])
    return Document(data, Positions(display, walker.values, walker.keys))


class _Walker:
    def __init__(self, loader: Any, display: str) -> None:
        self.loader = loader
        self.display = display
        self.values: dict[JsonPath, tuple[int, int]] = {}
        self.keys: dict[JsonPath, tuple[int, int]] = {}
        self.problems: list[Diagnostic] = []
        self.seen: set[int] = set()

    def _mark(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _fail(self, node: yaml.Node, message: str, hint: str = "") -> None:
        self.problems.append(Diagnostic(self.display, *self._mark(node), message, hint))

    def build(self, node: yaml.Node, path: JsonPath) -> Any:
        if id(node) in self.seen:
            self._fail(node, "YAML anchors and aliases are not allowed", "write the value out in full")
            return None
        self.seen.add(id(node))
        self.values[path] = self._mark(node)
        if node.tag == _TIMESTAMP and isinstance(node, yaml.ScalarNode):
            return node.value
        if node.tag not in _CORE_TAGS:
            self._fail(node, f"tag {node.tag} is not allowed", "remove the tag; the spec holds plain data only")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self._fail(node, f"invalid value: {getattr(exc, 'problem', exc)}")
            return None

    def _mapping(self, node: yaml.MappingNode, path: JsonPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                self._fail(key_node, "mapping keys must be plain strings", "quote the key")
                continue
            key = key_node.value
            here = self._mark(key_node)
            if key in first:
                self._fail(key_node, f'duplicate key "{key}" (first at line {first[key][0]})', "remove one of them")
                continue
            first[key] = here
            self.keys[(*path, key)] = here
            result[key] = self.build(value_node, (*path, key))
        return result
