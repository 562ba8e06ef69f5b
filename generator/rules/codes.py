"""Rules on the registry itself: codes, names, categories, examples, locales, retired codes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..load import Document, dotted
from ..locales import coverage, texts_of as own_texts_of
from ..model import transports_of
from ..words import EXPLAIN, LABELS, built_in, needed, parts_of
from .common import codes_of, first_seen, texts_of, where


def unique_codes(doc: Document) -> Iterator[Diagnostic]:
    yield from first_seen(doc, "codes", "code", "code")


def unique_names(doc: Document) -> Iterator[Diagnostic]:
    yield from first_seen(doc, "codes", "name", "name")


def unique_categories(doc: Document) -> Iterator[Diagnostic]:
    yield from first_seen(doc, "categories", "id", "category id")


def category_ranges_are_disjoint(doc: Document) -> Iterator[Diagnostic]:
    spans: list[tuple[int, int, str]] = []
    for i, cat in enumerate(doc.data["categories"]):
        low, high = cat["range"]
        if low > high:
            yield doc.positions.at(
                ("categories", i, "range"),
                f"range [{low}, {high}] is empty",
                "write the lower bound first",
            )
            continue
        for other_low, other_high, other in spans:
            if low <= other_high and other_low <= high:
                yield doc.positions.at(
                    ("categories", i, "range"),
                    f'range [{low}, {high}] overlaps category "{other}" [{other_low}, {other_high}]',
                    "make category ranges disjoint",
                )
        spans.append((low, high, cat["id"]))


def code_in_category_range(doc: Document) -> Iterator[Diagnostic]:
    cats = {c["id"]: c for c in doc.data["categories"]}
    for path, raw in codes_of(doc):
        cat = cats.get(raw["category"])
        if cat is None:
            close = difflib.get_close_matches(raw["category"], list(cats), n=1)
            hint = (
                f'did you mean "{close[0]}"?' if close else f"known categories: {', '.join(cats)}"
            )
            yield doc.positions.at(
                (*path, "category"), f'unknown category "{raw["category"]}"', hint
            )
            continue
        low, high = cat["range"]
        if not low <= raw["code"] <= high:
            yield doc.positions.at(
                (*path, "code"),
                f'code {raw["code"]} is in category "{cat["id"]}" ({low}-{high})',
                "move it or change its category",
            )


def http_status_matches_transports(doc: Document) -> Iterator[Diagnostic]:
    for path, raw in codes_of(doc):
        has_status = "http_status" in raw
        transports = transports_of(raw)
        if "http" not in transports and has_status:
            yield doc.positions.at(
                (*path, "http_status"),
                f'code {raw["code"]} is WebSocket-only but has an http_status',
                'remove http_status, or add "http" to transports',
            )
        if "http" in transports and not has_status:
            yield doc.positions.at(
                path,
                f'code {raw["code"]} is sent over HTTP but has no http_status',
                "add http_status",
            )


def retry_after_needs_retryable(doc: Document) -> Iterator[Diagnostic]:
    for path, raw in codes_of(doc):
        if raw.get("retry_after") and not raw.get("retryable"):
            yield doc.positions.at(
                (*path, "retry_after"),
                f'code {raw["code"]} has retry_after but is not retryable',
                "set retryable: true, or drop retry_after",
            )
        if raw.get("retry_after") and "http" not in transports_of(raw):
            yield doc.positions.at(
                (*path, "retry_after"),
                f'code {raw["code"]} has retry_after but is not sent over HTTP',
                "Retry-After is an HTTP header; drop retry_after",
            )


def example_matches_entry(doc: Document) -> Iterator[Diagnostic]:
    envelopes = doc.data["envelopes"]
    for path, raw in codes_of(doc):
        example = raw["example"]
        if example["code"] != raw["code"]:
            yield doc.positions.at(
                (*path, "example", "code"),
                f'example code {example["code"]} differs from the entry\'s code {raw["code"]}',
                f'set it to {raw["code"]}',
            )
        env_id = "http" if "http" in transports_of(raw) else "websocket"
        if env_id not in envelopes:
            continue  # websocket_parts_go_together reports it
        names = [f["name"] for f in envelopes[env_id]["fields"]]
        for key in example:
            if key not in names:
                yield doc.positions.at(
                    (*path, "example", key),
                    f'example key "{key}" is not a field of the {env_id} envelope',
                    f"allowed: {', '.join(names)}",
                    key=True,
                )


def locales_are_complete(doc: Document) -> Iterator[Diagnostic]:
    """Every text is in every locale, or in the fallback locale; said once per locale."""
    locales = list(doc.data["locales"])
    fallback = doc.data.get("fallback")
    for path, text in texts_of(doc):
        for lang in text:
            if lang not in locales:
                close = difflib.get_close_matches(lang, locales, n=1, cutoff=0.5)
                hint = (
                    f"did you mean {close[0]}?" if close else f"add {lang} to locales, or remove it"
                )
                yield doc.positions.at(
                    (*path, lang),
                    f'{dotted(path)} has text for "{lang}", which is not in locales',
                    hint,
                    key=True,
                )
    for path, text in own_texts_of(doc.data):
        if fallback in locales and fallback not in text:
            yield doc.positions.at(
                path,
                f'{where(doc, path)} has no "{fallback}" text, and {fallback} is the fallback',
                f"add {fallback}: …; the fallback locale has every text",
            )
    if fallback is not None and fallback not in locales:
        yield doc.positions.at(
            ("fallback",),
            f'fallback "{fallback}" is not one of the locales',
            f"use one of: {', '.join(locales)}",
        )
    if fallback is None:
        for i, found in enumerate(coverage(doc.data)):
            if found.missing:
                yield doc.positions.at(
                    ("locales", i),
                    f"{found.lang} has {found.translated} of {found.total} texts; missing:"
                    f" {found.missing_fields()}",
                    f"add the {found.lang} texts, or set `fallback:` to a locale that has every"
                    " text, whose texts the others then show",
                )
    if doc.data["page"]["doc_url_locale"] not in locales:
        yield doc.positions.at(
            ("page", "doc_url_locale"),
            "doc_url_locale is not one of the locales",
            f"use one of: {', '.join(locales)}",
        )


def words_are_complete(doc: Document) -> Iterator[Diagnostic]:
    """Every fixed word the outputs show exists in every locale: written in the spec, known to
    errspec (en, zh), or the fallback locale's."""
    fallback = doc.data.get("fallback")
    page = doc.data["page"]
    written = {
        "labels": page.get("labels") or {},
        "colon": {"colon": page["colon"]} if "colon" in page else {},
        "words": doc.data.get("words") or {},
    }
    keys = {"labels": LABELS, "colon": ("colon",), "words": EXPLAIN}
    parts = parts_of(doc.data)
    for i, lang in enumerate(doc.data["locales"]):
        missing = [
            f"{'page.' if kind != 'words' else ''}{kind}.{key}".replace("colon.colon", "colon")
            for kind, names in keys.items()
            for key in names
            if needed(kind, key, parts)
            and not any(
                (written[kind].get(key) or {}).get(each) or built_in(kind, key, each)
                for each in (lang, fallback)
                if each is not None
            )
        ]
        if missing:
            shown = ", ".join(missing[:3]) + (
                f" and {len(missing) - 3} more" if len(missing) > 3 else ""
            )
            yield doc.positions.at(
                ("locales", i),
                f"errspec has no words of its own for {lang}, and the spec writes none of: {shown}",
                f"write them under page.labels and words in {lang}, or set `fallback:` to a"
                " locale errspec knows (en, zh)",
            )


def sections_are_shared_sensibly(doc: Document) -> Iterator[Diagnostic]:
    by_code = {raw["code"]: raw for _, raw in codes_of(doc)}
    for path, raw in codes_of(doc):
        target = raw.get("shares_section_with")
        if target is None:
            continue
        lead = by_code.get(target)
        spot = (*path, "shares_section_with")
        if lead is None:
            yield doc.positions.at(spot, f"shares_section_with names unknown code {target}")
        elif lead.get("shares_section_with") is not None or target >= raw["code"]:
            yield doc.positions.at(
                spot,
                f"code {raw['code']} must share the section of a lower code that leads its own",
                "point at the first code of the section",
            )
        elif lead["category"] != raw["category"]:
            yield doc.positions.at(
                spot, f"code {raw['code']} shares a section with {target} of another category"
            )


def retired_codes_are_never_reused(doc: Document) -> Iterator[Diagnostic]:
    live_codes = {raw["code"]: path for path, raw in codes_of(doc)}
    live_names = {raw["name"]: path for path, raw in codes_of(doc)}
    for i, old in enumerate(doc.data.get("retired") or []):
        if old["code"] in live_codes:
            yield doc.positions.at(
                (*live_codes[old["code"]], "code"),
                f'code {old["code"]} was retired ({old["name"]}, since {old["since"]}) and cannot be reused',
                "pick an unused code",
            )
        if old["name"] in live_names:
            yield doc.positions.at(
                (*live_names[old["name"]], "name"),
                f'name {old["name"]} belonged to retired code {old["code"]} and cannot be reused',
                "pick another name",
            )
    yield from first_seen(doc, "retired", "code", "retired code")


def websocket_parts_go_together(doc: Document) -> Iterator[Diagnostic]:
    """A WebSocket API has both its section (path, commands) and its envelope; an HTTP-only
    API has neither, and no code sent over WebSocket."""
    has_section = "websocket" in doc.data
    has_envelope = "websocket" in doc.data["envelopes"]
    if has_section and not has_envelope:
        yield doc.positions.at(
            ("websocket",),
            "the spec has a websocket section but no envelopes.websocket",
            "add envelopes.websocket (its message fields), or remove websocket for an HTTP-only API",
            key=True,
        )
    elif has_envelope and not has_section:
        yield doc.positions.at(
            ("envelopes", "websocket"),
            "the spec has envelopes.websocket but no websocket section",
            "add websocket (path, api_key_param, commands), or remove envelopes.websocket",
            key=True,
        )
    if has_section and has_envelope:
        return
    for path, raw in codes_of(doc):
        if "websocket" in transports_of(raw):
            yield doc.positions.at(
                (*path, "transports"),
                f"code {raw['code']} is sent over websocket, but the API has no WebSocket parts",
                'remove "websocket" from its transports, or describe the WebSocket API'
                " (websocket and envelopes.websocket)",
            )


def transports_are_named_with_websocket(doc: Document) -> Iterator[Diagnostic]:
    """In an API with WebSocket parts every code names its transports: none is assumed."""
    if "websocket" not in doc.data:
        return
    for path, raw in codes_of(doc):
        if "transports" not in raw:
            yield doc.positions.at(
                path,
                f"code {raw['code']} names no transports, and the API has WebSocket parts",
                "add transports: [http], [websocket] or [http, websocket]",
            )


# The package name each SDK output group is published under.
_PACKAGE_OF_GROUP = {"python": "python", "js": "npm", "go": "go"}


def selected_sdks_have_packages(doc: Document) -> Iterator[Diagnostic]:
    """Every selected SDK output group is named in packages (go is selected by default only
    when packages.go is set)."""
    groups = doc.data.get("outputs") or ["python", "js"]
    packages = doc.data.get("packages") or {}
    for group, key in _PACKAGE_OF_GROUP.items():
        if group in groups and key not in packages:
            yield doc.positions.at(
                ("packages",) if "packages" in doc.data else ("release",),
                f"the {group} output needs packages.{key}, the name its package is published under",
                f"add packages: {{{key}: …}}, or leave {group} out of outputs",
                key="packages" in doc.data,
            )


def replacements_are_live_codes(doc: Document) -> Iterator[Diagnostic]:
    """A deprecated or retired code's replacement is a live code, and not itself deprecated
    or the code it replaces."""
    live = {raw["code"]: raw for _, raw in codes_of(doc)}
    retired = {old["code"]: old["since"] for old in doc.data.get("retired") or []}
    places = [
        ((*path, "deprecated", "replacement"), raw["code"], raw["deprecated"].get("replacement"))
        for path, raw in codes_of(doc)
        if "deprecated" in raw
    ] + [
        (("retired", i, "replacement"), old["code"], old.get("replacement"))
        for i, old in enumerate(doc.data.get("retired") or [])
    ]
    for path, code, replacement in places:
        if replacement is None:
            continue
        if replacement in retired:
            problem = f"is retired (since {retired[replacement]})"
        elif replacement not in live:
            problem = "is no code of the spec"
        elif replacement == code:
            problem = "is the code itself"
        elif "deprecated" in live[replacement]:
            problem = "is deprecated itself"
        else:
            continue
        yield doc.positions.at(
            path,
            f"code {code}'s replacement {replacement} {problem}",
            "name a live code that is not deprecated, or drop the replacement",
        )


# Go's keywords and predeclared names a package may not take (the package would not compile,
# or would shadow what its own code uses), and "main", which is no library.
_GO_UNUSABLE = frozenset(
    "break case chan const continue default defer else fallthrough for func go goto if import"
    " interface map package range return select struct switch type var main any bool byte error"
    " int string true false nil len make new append".split()
)


def go_module_path_is_usable(doc: Document) -> Iterator[Diagnostic]:
    """packages.go names a Go package: no major version suffix (errspec adds /vN from
    release 2 on) and a last element that makes a usable package name."""
    path = (doc.data.get("packages") or {}).get("go")
    if not isinstance(path, str) or not path:
        return
    last = path.rsplit("/", 1)[-1]
    name = "".join(ch for ch in last.lower() if ch.isascii() and ch.isalnum())
    if re.fullmatch(r"v[0-9]+", last):
        yield doc.positions.at(
            ("packages", "go"),
            f"packages.go ends in the major version {last}; errspec adds /vN itself from release 2 on",
            f"write {path.rsplit('/', 1)[0]!r}",
        )
    elif name in _GO_UNUSABLE:
        yield doc.positions.at(
            ("packages", "go"),
            f"the Go package would be called {name!r}, which Go reserves",
            f"end packages.go in another name, e.g. {path + 'errors'!r}",
        )
