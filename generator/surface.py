"""Stage: the hand-written API surface (spec/openapi.yaml) that the OpenAPI target extends.

Its rules (rules/surface.py) run first; this stage turns the checked document into the
operations that list error codes, each with the error responses those codes make.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from .load import Document, parse
from .model import ErrorEntry, Spec
from .read import Source

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
# components.schemas that the OpenAPI target adds; the surface must not define them.
GENERATED_SCHEMAS = ("ErrorCode", "SuccessEnvelope", "ErrorEnvelope", "WebSocketEnvelope")


@dataclass(frozen=True)
class Response:
    """One error response of an operation: an HTTP status and the codes sent with it, in the
    spec's order."""

    status: int
    """The HTTP status."""
    entries: tuple[ErrorEntry, ...]
    """The codes sent with it, in the spec's order."""

    @property
    def codes(self) -> tuple[int, ...]:
        """The codes sent with this status."""
        return tuple(e.code for e in self.entries)

    @property
    def messages(self) -> tuple[str, ...]:
        """Their wire messages, in the same order."""
        return tuple(e.message for e in self.entries)

    @property
    def retry_after_codes(self) -> tuple[int, ...]:
        """The codes sent with a Retry-After header."""
        return tuple(e.code for e in self.entries if e.retry_after)


@dataclass(frozen=True)
class Operation:
    """One operation of the surface: the codes it lists, and the error responses they make
    (one per HTTP status, ascending). `websocket`: the operation is the WebSocket handshake
    (`x-websocket: true`)."""

    path: str
    """Its route."""
    method: str
    """Its method (get, post, ...)."""
    codes: tuple[int, ...]
    """The codes its x-error-codes lists."""
    responses: tuple[Response, ...] = ()
    """The error responses those codes make, one per status, ascending."""
    websocket: bool = False
    """Whether it is the WebSocket handshake (x-websocket: true)."""


@dataclass(frozen=True)
class Surface:
    """The parsed surface, and the error codes each operation may return. `absent`: the
    project has none (the OpenAPI output then holds the components only)."""

    data: dict[str, Any]
    """The surface as plain data, as written."""
    operations: tuple[Operation, ...]
    """Its operations that list error codes."""
    _by_place: dict[tuple[str, str], Operation] = field(
        default_factory=dict, repr=False, compare=False
    )
    absent: bool = False
    """The project has no surface: the OpenAPI output holds the components alone."""

    def operation(self, route: str, method: str) -> Operation | None:
        """The operation at `route` and `method`, or None when the surface has none there."""
        return self._by_place.get((route, method))


def operations_of(data: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(route, method, operation) of every operation of a surface's plain data."""
    paths = data.get("paths")
    for route, item in (paths if isinstance(paths, dict) else {}).items():
        for method in METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            if isinstance(op, dict):
                yield route, method, op


def responses_of(spec: Spec, codes: list[int]) -> tuple[Response, ...]:
    """The error responses `codes` make, one per HTTP status, ascending; WebSocket-only codes
    have none."""
    listed = set(codes)
    by_status: dict[int, list[ErrorEntry]] = {}
    for entry in spec.codes:
        if entry.code in listed and entry.http_status:
            by_status.setdefault(entry.http_status, []).append(entry)
    return tuple(Response(status, tuple(by_status[status])) for status in sorted(by_status))


def parse_surface(source: Source) -> Document | None:
    """The surface's document; None when the project has no surface."""
    return None if source.absent else parse(source.text(), source.display)


def surface_of(doc: Document | None, spec: Spec) -> Surface:
    """The Surface of a document that passed the surface rules (of none: an absent one)."""
    if doc is None:
        return Surface({}, (), absent=True)
    operations = tuple(
        Operation(
            route,
            method,
            tuple(codes),
            responses_of(spec, codes),
            op.get("x-websocket") is True,
        )
        for route, method, op in operations_of(doc.data)
        for codes in [op.get("x-error-codes", [])]
    )
    return Surface(doc.data, operations, {(op.path, op.method): op for op in operations})
