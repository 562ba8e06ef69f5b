"""The hand-written API surface (spec/openapi.yaml) that the OpenAPI target extends."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import SpecError
from generator.load import parse, read_text
from generator.model import Spec

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@dataclass(frozen=True)
class Operation:
    path: str
    method: str
    codes: tuple[int, ...]


@dataclass(frozen=True)
class Surface:
    """The parsed surface, and the error codes each operation may return."""

    data: dict[str, Any]
    operations: tuple[Operation, ...]


def load_surface(path: Path, display: str, spec: Spec) -> Surface:
    """Parse the surface and check that every x-error-codes entry is a known error code."""
    doc = parse(read_text(path, display), display)
    known = {e.code for e in spec.errors}
    problems = []
    operations = []
    for route, item in (doc.data.get("paths") or {}).items():
        for method in METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            if not isinstance(op, dict):
                continue
            where = ("paths", route, method, "x-error-codes")
            codes = op.get("x-error-codes", [])
            if not isinstance(codes, list) or not all(type(c) is int for c in codes):
                problems.append(doc.positions.at(where, "x-error-codes must be a list of integer codes"))
                continue
            for i, code in enumerate(codes):
                if code not in known:
                    problems.append(doc.positions.at((*where, i), f"x-error-codes names unknown code {code}",
                                                     "add it to spec/errors.yaml or remove it here"))
            operations.append(Operation(route, method, tuple(codes)))
    if problems:
        raise SpecError(problems)
    return Surface(doc.data, tuple(operations))
