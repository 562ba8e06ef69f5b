"""Warnings: what the outputs would show wrongly or leave out, though every output can still be
generated. They do not stop `generate`; `validate` prints them at their spec line."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from ..diagnostics import Diagnostic
from ..load import Document, JsonPath
from ..model import Spec, transports_of
from ..surface import Operation, Surface
from .common import codes_of

Found = tuple[JsonPath, str, str]  # where, what, how to fix it: placed by warnings_of


def example_message_is_the_wire_message(doc: Document, surface: Surface) -> Iterator[Found]:
    """The page's example shows what the server sends, unless the spec says it differs."""
    for path, raw in codes_of(doc):
        shown = raw["example"]["message"]
        if shown == raw["message"] or raw.get("example_message_differs"):
            continue
        yield (
            (*path, "example", "message"),
            f"code {raw['code']}: the example's message {shown!r} differs from the wire message"
            f" {raw['message']!r}",
            f"set it to {raw['message']!r}, or add `example_message_differs: true` to the code"
            " when the example deliberately shows more",
        )


def http_codes_are_listed(doc: Document, surface: Surface) -> Iterator[Found]:
    """An HTTP code that no operation lists in x-error-codes gets no response in the OpenAPI
    (said once, as a note, when there is no surface at all)."""
    if surface.absent:
        return
    listed = {code for op in surface.operations for code in op.codes}
    category = {raw["code"]: raw["category"] for _, raw in codes_of(doc)}
    kin: dict[str, list[Operation]] = {}  # the operations listing codes of each category
    for op in surface.operations:
        for cid in dict.fromkeys(category[c] for c in op.codes if c in category):
            kin.setdefault(cid, []).append(op)
    for path, raw in codes_of(doc):
        code = raw["code"]
        if code == 0 or "http" not in transports_of(raw) or code in listed:
            continue
        candidates = kin.get(raw["category"]) or list(surface.operations)
        names = ", ".join(f"{op.method.upper()} {op.path}" for op in candidates[:4])
        more = ", …" if len(candidates) > 4 else ""
        hint = f"add {code} to the x-error-codes of the operations that can return it" + (
            f" (e.g. {names}{more})" if names else ""
        )
        yield (
            (*path, "code"),
            f"code {code} (HTTP {raw.get('http_status')}) is listed in no operation's"
            " x-error-codes, so the OpenAPI document never shows it",
            hint,
        )


def lists_align_across_locales(doc: Document, surface: Surface) -> Iterator[Found]:
    """A list-valued text (causes, solution) says the same number of things in each locale."""
    for path, raw in codes_of(doc):
        for key in ("causes", "solution"):
            lengths = {
                lang: len(value) if isinstance(value, list) else 1
                for lang, value in (raw.get(key) or {}).items()
            }
            if len(set(lengths.values())) > 1:
                shown = " and ".join(f"{n} in {lang}" for lang, n in lengths.items())
                yield (
                    (*path, key),
                    f"code {raw['code']}: {key} has {shown}",
                    "give every locale the same items, in the same order",
                )


def comments_cut_no_text(doc: Document) -> Iterator[Diagnostic]:
    """A locale's text or a wire message followed by " #" on its line loses what follows: YAML
    reads it as a comment, although the author may have meant the "#" as part of the text."""
    keys = {*doc.data["locales"], "message"}
    for line, col, key, value, comment in doc.comments:
        if key not in keys:
            continue
        yield Diagnostic(
            doc.positions.file,
            line,
            col,
            f'{key}: the text ends before " #": YAML reads "#{comment}" as a comment, so'
            f" the text is {value!r}",
            "if the # belongs to the text, put it in double quotes:"
            f" {key}: {json.dumps(f'{value} #{comment}', ensure_ascii=False)}; else move the"
            " comment to a line of its own",
        )


Warning = Callable[[Document, Surface], Iterator[Found]]

WARNINGS: tuple[Warning, ...] = (
    example_message_is_the_wire_message,
    http_codes_are_listed,
    lists_align_across_locales,
)


def warnings_of(doc: Document, surface: Surface) -> list[Diagnostic]:
    """Every warning on the spec `doc` with the API surface `surface`, at its position."""
    found = [problem for warning in WARNINGS for problem in warning(doc, surface)]
    return sorted(doc.positions.at_each(found) + list(comments_cut_no_text(doc)))


def notes_of(
    spec: Spec, spec_display: str, surface: Surface, surface_display: str
) -> tuple[str, ...]:
    """What the outputs leave out because the project lacks a part, and which locales show
    the fallback's texts; said once each."""
    notes = []
    if surface.absent and "openapi" in spec.outputs:
        notes.append(
            f"no {surface_display} beside {spec_display}: the OpenAPI document has the"
            " components only (paths: {}); add the API surface to document its operations"
            " and their error responses"
        )
    for found in spec.coverage:
        if found.missing:
            notes.append(
                f"{found.lang}: {found.translated} of {found.total} texts,"
                f" {len(found.missing)} use {spec.fallback} ({found.missing_fields()})"
            )
    return tuple(notes)
