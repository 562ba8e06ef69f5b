"""Where each value and key of a parsed file sits: line and column by JSON path.

The parse keeps one packed int per node, in event order (builder.py); the data mirrors that
order, so walking the data finds the mark of any path, without reading the text again.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterator, Mapping

from ..diagnostics import Diagnostic
from .builder import COLUMN
from .paths import JsonPath


class _Table(Mapping[JsonPath, tuple[int, int]]):
    """(line, column) by path, stored as one int each (line * COLUMN + column)."""

    def __init__(self, packed: dict[JsonPath, int]) -> None:
        self.packed = packed

    def __getitem__(self, path: JsonPath) -> tuple[int, int]:
        return divmod(self.packed[path], COLUMN)

    def __contains__(self, path: object) -> bool:
        return path in self.packed

    def __iter__(self) -> Iterator[JsonPath]:
        return iter(self.packed)

    def __len__(self) -> int:
        return len(self.packed)


def _size(value: Any) -> int:
    """How many marks `value` took: itself, then each key and value below it."""
    kind = type(value)
    if kind is dict:
        return 1 + sum(1 + _size(item) for item in value.values())
    if kind is list:
        return 1 + sum(_size(item) for item in value)
    return 1


class _Finder:
    """One walk over the data, in event order, filling the tables for the paths asked for
    (every path when `wanted` is None); subtrees holding none of them are only counted."""

    def __init__(self, marks: array[int], wanted: frozenset[JsonPath] | None) -> None:
        self.marks, self.wanted = marks, wanted
        self.on_the_way = (
            None if wanted is None else frozenset(p[:n] for p in wanted for n in range(len(p)))
        )
        self.index = 0
        self.values: dict[JsonPath, int] = {}
        self.keys: dict[JsonPath, int] = {}

    def visit(self, value: Any, path: JsonPath) -> None:
        if self.wanted is None or path in self.wanted:
            self.values[path] = self.marks[self.index]
        if self.on_the_way is not None and path not in self.on_the_way:
            self.index += _size(value)
            return
        self.index += 1
        if type(value) is dict:
            for key, item in value.items():
                sub = (*path, key)
                if self.wanted is None or sub in self.wanted:
                    self.keys[sub] = self.marks[self.index]
                self.index += 1
                self.visit(item, sub)
        elif type(value) is list:
            for i, item in enumerate(value):
                self.visit(item, (*path, i))


@dataclass(frozen=True)
class Positions:
    """Where each value (and each mapping key) of the file sits."""

    file: str
    data: Any = field(repr=False, compare=False)
    marks: array[int] = field(repr=False, compare=False)

    @cached_property
    def _tables(self) -> tuple[_Table, _Table]:
        return self._find(None)

    def _find(self, wanted: frozenset[JsonPath] | None) -> tuple[_Table, _Table]:
        finder = _Finder(self.marks, wanted)
        finder.visit(self.data, ())
        return _Table(finder.values), _Table(finder.keys)

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
        """at(path, message, hint) for many paths at once, in one walk that keeps only these
        paths and their ancestors (thousands of warnings need no table of every position)."""
        if "_tables" in self.__dict__:
            values, keys = self.values, self.keys
        else:
            values, keys = self._find(
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
