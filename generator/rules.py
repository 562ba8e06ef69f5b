"""Stage 3: semantic rules the JSON Schema cannot express.

Each rule is a small function named after the invariant it guards. It reads the
schema-valid data and yields a diagnostic, with the fix, for every violation.
"""

from __future__ import annotations

import difflib
import keyword
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from generator.diagnostics import Diagnostic
from generator.filters import camel
from generator.load import Document, JsonPath, dotted
from generator.model import PLACEHOLDER

Rule = Callable[[Document], Iterator[Diagnostic]]

_CODE_TEXTS = ("meaning", "suggestion", "section_title", "causes", "solution", "notes")
_PAGE_TEXTS = ("url", "title", "description", "intro", "closing", "colon")


def _codes(doc: Document) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    for i, raw in enumerate(doc.data["codes"]):
        yield ("codes", i), raw


def _first_seen(doc: Document, section: str, key: str, what: str) -> Iterator[Diagnostic]:
    first: dict[Any, int] = {}
    for i, raw in enumerate(doc.data.get(section) or []):
        value = raw[key]
        if value in first:
            line = doc.positions.values.get((section, first[value], key), (0, 0))[0]
            yield doc.positions.at(
                (section, i, key),
                f"duplicate {what} {value!r} (first at line {line})",
                f"give this {what} a value of its own",
            )
        else:
            first[value] = i


def unique_codes(doc: Document) -> Iterator[Diagnostic]:
    yield from _first_seen(doc, "codes", "code", "code")


def unique_names(doc: Document) -> Iterator[Diagnostic]:
    yield from _first_seen(doc, "codes", "name", "name")


def unique_categories(doc: Document) -> Iterator[Diagnostic]:
    yield from _first_seen(doc, "categories", "id", "category id")


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
    for path, raw in _codes(doc):
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
    for path, raw in _codes(doc):
        has_status = "http_status" in raw
        if "http" not in raw["transports"] and has_status:
            yield doc.positions.at(
                (*path, "http_status"),
                f'code {raw["code"]} is WebSocket-only but has an http_status',
                'remove http_status, or add "http" to transports',
            )
        if "http" in raw["transports"] and not has_status:
            yield doc.positions.at(
                path,
                f'code {raw["code"]} is sent over HTTP but has no http_status',
                "add http_status",
            )


def retry_after_needs_retryable(doc: Document) -> Iterator[Diagnostic]:
    for path, raw in _codes(doc):
        if raw.get("retry_after") and not raw.get("retryable"):
            yield doc.positions.at(
                (*path, "retry_after"),
                f'code {raw["code"]} has retry_after but is not retryable',
                "set retryable: true, or drop retry_after",
            )
        if raw.get("retry_after") and "http" not in raw["transports"]:
            yield doc.positions.at(
                (*path, "retry_after"),
                f'code {raw["code"]} has retry_after but is not sent over HTTP',
                "Retry-After is an HTTP header; drop retry_after",
            )


def example_matches_entry(doc: Document) -> Iterator[Diagnostic]:
    envelopes = doc.data["envelopes"]
    for path, raw in _codes(doc):
        example = raw["example"]
        if example["code"] != raw["code"]:
            yield doc.positions.at(
                (*path, "example", "code"),
                f'example code {example["code"]} differs from the entry\'s code {raw["code"]}',
                f'set it to {raw["code"]}',
            )
        env_id = "http" if "http" in raw["transports"] else "websocket"
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
    locales = list(doc.data["locales"])
    for path, text in _texts(doc):
        for lang in locales:
            if lang not in text:
                yield doc.positions.at(
                    path, f'{_where(doc, path)} has no "{lang}" text', f"add {lang}: …"
                )
        for lang in text:
            if lang not in locales:
                yield doc.positions.at(
                    (*path, lang),
                    f'{dotted(path)} has text for "{lang}", which is not in locales',
                    f"add {lang} to locales or remove it",
                    key=True,
                )
    if doc.data["page"]["doc_url_locale"] not in locales:
        yield doc.positions.at(
            ("page", "doc_url_locale"),
            "doc_url_locale is not one of the locales",
            f"use one of: {', '.join(locales)}",
        )


def sections_are_shared_sensibly(doc: Document) -> Iterator[Diagnostic]:
    by_code = {raw["code"]: raw for _, raw in _codes(doc)}
    for path, raw in _codes(doc):
        target = raw.get("shares_section_with")
        if target is None:
            continue
        lead = by_code.get(target)
        where = (*path, "shares_section_with")
        if lead is None:
            yield doc.positions.at(where, f"shares_section_with names unknown code {target}")
        elif lead.get("shares_section_with") is not None or target >= raw["code"]:
            yield doc.positions.at(
                where,
                f"code {raw['code']} must share the section of a lower code that leads its own",
                "point at the first code of the section",
            )
        elif lead["category"] != raw["category"]:
            yield doc.positions.at(
                where, f"code {raw['code']} shares a section with {target} of another category"
            )


def retired_codes_are_never_reused(doc: Document) -> Iterator[Diagnostic]:
    live_codes = {raw["code"]: path for path, raw in _codes(doc)}
    live_names = {raw["name"]: path for path, raw in _codes(doc)}
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
    yield from _first_seen(doc, "retired", "code", "retired code")


def handler_cases_are_consistent(doc: Document) -> Iterator[Diagnostic]:
    live = {raw["code"] for _, raw in _codes(doc)}
    handler = doc.data["handler"]
    known_vars = set(PLACEHOLDER.findall(handler["endpoint"]))
    seen: set[int] = set()
    for i, case in enumerate(handler["cases"]):
        path = ("handler", "cases", i)
        for j, code in enumerate(case["codes"]):
            if code not in live:
                yield doc.positions.at(
                    (*path, "codes", j), f"handler case names unknown code {code}"
                )
            elif code in seen:
                yield doc.positions.at(
                    (*path, "codes", j), f"code {code} is handled by two cases", "keep it in one"
                )
            seen.add(code)
        allowed = known_vars | ({"retry_after"} if case["action"] == "retry" else set())
        for lang, text in case["message"].items():
            for name in PLACEHOLDER.findall(text):
                if name not in allowed:
                    yield doc.positions.at(
                        (*path, "message", lang),
                        f'unknown placeholder "{{{name}}}"',
                        f"use one of: {', '.join(sorted(allowed))}",
                    )
        if case["action"] == "retry" and "default_delay" not in case:
            yield doc.positions.at(
                path, "a retry case needs default_delay", "add default_delay: 60"
            )


# Names the snippets declare or call themselves (Python, then JavaScript after camelCase); a
# handler function or endpoint placeholder called like one would shadow it or not compile.
_SNIPPET_NAMES = frozenset(
    {
        "requests",
        "response",
        "data",
        "api_key",
        "retry_after",
        "print",
        "Exception",
        "fetch",
        "console",
        "Error",
        "API_KEY",
        "retryAfter",
        "apiKey",
    }
)
_PYTHON_KEYWORDS = frozenset(keyword.kwlist)
_JS_RESERVED = frozenset(
    (
        "await break case catch class const continue debugger default delete do else enum export extends false "
        "finally for function if implements import in instanceof interface let new null package private protected "
        "public return static super switch this throw true try typeof var void while with yield arguments eval"
    ).split()
)


def handler_names_are_usable(doc: Document) -> Iterator[Diagnostic]:
    """The handler function and the endpoint placeholders become identifiers in both snippets."""
    handler = doc.data["handler"]
    names = [
        (f'handler.function "{handler["function"]}"', handler["function"], ("handler", "function"))
    ]
    names += [
        (f'handler.endpoint placeholder "{{{name}}}"', name, ("handler", "endpoint"))
        for name in PLACEHOLDER.findall(handler["endpoint"])
    ]
    seen: dict[str, str] = {}
    for what, name, path in names:
        js_name = camel(name)
        if name in _PYTHON_KEYWORDS or js_name in _JS_RESERVED:
            problem = (
                f"is a reserved word in {'Python' if name in _PYTHON_KEYWORDS else 'JavaScript'}"
            )
        elif not re.match(r"[A-Za-z_$]", js_name):
            problem = f"gives no JavaScript name (camelCase: {js_name!r})"
        elif name in _SNIPPET_NAMES or js_name in _SNIPPET_NAMES:
            problem = "is a name the snippets use themselves"
        elif js_name in seen:
            problem = (
                "appears twice"
                if seen[js_name] == what
                else f"has the same JavaScript name, {js_name}, as {seen[js_name]}"
            )
        else:
            seen[js_name] = what
            continue
        yield doc.positions.at(path, f"{what} {problem}", "rename it")


def handler_has_one_retry_case(doc: Document) -> Iterator[Diagnostic]:
    """The JavaScript snippet declares retryAfter once per switch; several retry cases cannot share it."""
    retries = [
        i for i, case in enumerate(doc.data["handler"]["cases"]) if case["action"] == "retry"
    ]
    for i in retries[1:]:
        yield doc.positions.at(
            ("handler", "cases", i, "action"),
            f"handler case {i} is a second retry case",
            f"list its codes in the retry case (handler.cases[{retries[0]}]) instead",
        )


# Every character text_is_clean refuses (categories Cc and Cs are fixed by Unicode's stability
# policy): one regex search per string instead of a category lookup per character.
UNCLEAN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")


def text_is_clean(doc: Document) -> Iterator[Diagnostic]:
    """Control characters, lone surrogates and non-finite numbers are refused everywhere."""
    for path, value in _leaves(doc.data, ()):
        if isinstance(value, float) and not math.isfinite(value):
            yield doc.positions.at(
                path, f"{dotted(path)}: {value} is not a JSON number", "use a finite number"
            )
        if not isinstance(value, str) or not UNCLEAN.search(value):
            continue
        for offset, ch in enumerate(value):
            category = unicodedata.category(ch)
            if category == "Cc" or category == "Cs" or ch in "\u2028\u2029":
                what = (
                    "a line break"
                    if ch in "\n\r\u2028\u2029"
                    else f"control character U+{ord(ch):04X}"
                )
                yield doc.positions.at(
                    path,
                    f"{dotted(path)} contains {what} at offset {offset}",
                    (
                        "texts are single lines; use a list for several items"
                        if what == "a line break"
                        else "remove it"
                    ),
                )
                break


def text_is_trimmed(doc: Document) -> Iterator[Diagnostic]:
    """Texts must not start or end with whitespace: Markdown trims it from cells, headings and
    paragraphs, so the page and the SDKs would disagree. page.colon is a separator and exempt."""
    singles: list[tuple[JsonPath, Any]] = [
        (("codes", i, "message"), raw["message"]) for i, raw in enumerate(doc.data["codes"])
    ]
    singles += [
        (("categories", i, "label"), cat["label"]) for i, cat in enumerate(doc.data["categories"])
    ]
    singles += [
        (("retired", i, "since"), old["since"])
        for i, old in enumerate(doc.data.get("retired") or [])
    ]
    for path, text in _texts(doc):
        if path != ("page", "colon"):
            singles += _strings(text, path)
    for path, value in singles:
        if isinstance(value, str) and value != value.strip():
            edge, ch = ("starts", value[0]) if value[0].isspace() else ("ends", value[-1])
            if unicodedata.category(ch) == "Cc" or ch in "\u2028\u2029":
                continue  # text_is_clean reports it
            yield doc.positions.at(
                path,
                f"{_where(doc, path)} {edge} with whitespace (U+{ord(ch):04X})",
                "remove it; Markdown would drop it from the page",
            )


# Markdown constructs that a line opens when it starts with them, and a text that starts a
# line of the page (a paragraph, a list item) must not: it would become that construct.
_HORIZONTAL_RULE = r"[-*_][-*_ \t]*$"
_BLOCK_STARTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (what, re.compile(pattern))
    for what, pattern in (
        ("a horizontal rule", _HORIZONTAL_RULE),
        ("a heading", r"#{1,6}(?:[ \t]|$)"),
        ("a code fence", r"```|~~~"),
        ("a block quote", r">"),
        ("a list item", r"[-+*](?:[ \t]|$)"),
        ("a numbered list item", r"[0-9]{1,9}[.)](?:[ \t]|$)"),
        ("an HTML block", r"<[A-Za-z/!?]"),
        ("a link reference definition", r"\[[^\]]*\]:"),
        ("a task list checkbox", r"\[[ xX]\](?:[ \t]|$)"),
    )
)


def markdown_block(text: str) -> str | None:
    """What a Markdown line starting with `text` opens instead of a paragraph, or None."""
    for what, pattern in _BLOCK_STARTS:
        if pattern.match(text):
            return what
    return None


def prose_stays_inline(doc: Document) -> Iterator[Diagnostic]:
    """Paragraph texts of the page (intro, closing, notes, causes, solution) and its labels are
    inline Markdown: one starting with "# ", "- ", "1. ", "```", "<div" ... would turn into a heading,
    a list, a code block ... and break the page around it."""
    page = doc.data["page"]
    prose: list[JsonPath] = [("page", "intro"), ("page", "closing")]
    for path, raw in _codes(doc):
        prose += [(*path, key) for key in ("notes", "causes", "solution") if key in raw]
    for path in prose:
        for where, text in _strings(_get(doc.data, path), path):
            what = markdown_block(text)
            if what is not None:
                digits = re.match(r"[0-9]*", text)
                cut = digits.end() if digits else 0
                escaped = text[:cut] + "\\" + text[cut : cut + 12]
                yield doc.positions.at(
                    where,
                    f'{_where(doc, where)} starts with "{text[:cut + 3]}", which Markdown reads as {what}',
                    f'reword it, or escape the marker with a backslash: "{escaped}"',
                )
    for key, text in page["labels"].items():
        for where, label in _strings(text, ("page", "labels", key)):
            if re.match(_HORIZONTAL_RULE, label):
                yield doc.positions.at(
                    where,
                    f"{dotted(where)} is only {label!r}, which Markdown reads as a horizontal rule",
                    "use a word",
                )


# Names the generated SDK modules define themselves, and JavaScript globals they use.
_SDK_NAMES = frozenset("""
    ErrorCode ERRORS RETRY_AFTER_HEADER ErrorEnvelope SuccessEnvelope WebSocketEnvelope
    HttpEnvelope Error TypeError RangeError Object Date Number String JSON Math Map Set
    Promise Symbol Array Boolean BigInt Reflect Proxy globalThis
""".split())


def exception_names_are_usable(doc: Document) -> Iterator[Diagnostic]:
    """A category's exception class must not shadow a builtin or a name the SDKs define."""
    import builtins

    for i, cat in enumerate(doc.data["categories"]):
        name = cat["exception"]
        if name != "ApiError" and (name in _SDK_NAMES or hasattr(builtins, name)):
            yield doc.positions.at(
                ("categories", i, "exception"),
                f'exception name "{name}" clashes with a name the generated SDKs use',
                f'pick another, e.g. "{cat["id"].title().replace("_", "")}Error"',
            )


RULES: tuple[Rule, ...] = (
    unique_codes,
    unique_names,
    unique_categories,
    category_ranges_are_disjoint,
    code_in_category_range,
    http_status_matches_transports,
    retry_after_needs_retryable,
    example_matches_entry,
    locales_are_complete,
    sections_are_shared_sensibly,
    retired_codes_are_never_reused,
    handler_cases_are_consistent,
    text_is_clean,
    text_is_trimmed,
    prose_stays_inline,
    handler_names_are_usable,
    handler_has_one_retry_case,
    exception_names_are_usable,
)


def rule_problems(doc: Document) -> list[Diagnostic]:
    """Every violation of every rule."""
    return [problem for rule in RULES for problem in rule(doc)]


def _texts(doc: Document) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    data = doc.data
    page = data["page"]
    for key in _PAGE_TEXTS:
        yield ("page", key), page[key]
    for key, text in page["labels"].items():
        yield ("page", "labels", key), text
    for env_id, env in data["envelopes"].items():
        yield ("envelopes", env_id, "title"), env["title"]
        for i, f in enumerate(env["fields"]):
            yield ("envelopes", env_id, "fields", i, "description"), f["description"]
    for i, command in enumerate(data["websocket"]["commands"]):
        yield ("websocket", "commands", i, "description"), command["description"]
    for i, cat in enumerate(data["categories"]):
        yield ("categories", i, "title"), cat["title"]
    for path, raw in _codes(doc):
        for key in _CODE_TEXTS:
            if key in raw:
                yield (*path, key), raw[key]
    for i, old in enumerate(data.get("retired") or []):
        yield ("retired", i, "reason"), old["reason"]
    for i, case in enumerate(data["handler"]["cases"]):
        yield ("handler", "cases", i, "message"), case["message"]


def _where(doc: Document, path: JsonPath) -> str:
    """A dotted path, naming the code for paths inside codes[]."""
    if len(path) > 1 and path[0] == "codes" and isinstance(path[1], int):
        return f"{dotted(path)} (code {doc.data['codes'][path[1]]['code']})"
    return dotted(path)


def _leaves(value: Any, path: JsonPath) -> Iterator[tuple[JsonPath, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), key
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, (*path, i))
    else:
        yield path, value


def _get(data: Any, path: JsonPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _strings(text: Any, path: JsonPath) -> list[tuple[JsonPath, str]]:
    """(path, string) of each locale of a text; list items (causes, solution) one by one."""
    out: list[tuple[JsonPath, str]] = []
    for lang, value in text.items() if isinstance(text, dict) else ():
        if isinstance(value, list):
            out += [
                ((*path, lang, i), item) for i, item in enumerate(value) if isinstance(item, str)
            ]
        elif isinstance(value, str):
            out.append(((*path, lang), value))
    return out
