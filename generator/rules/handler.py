"""Rules on the handler section, from which the page's snippets are generated."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..filters import camel
from ..load import Document
from ..model import PLACEHOLDER
from .common import codes_of, handler_of


def handler_cases_are_consistent(doc: Document) -> Iterator[Diagnostic]:
    live = {raw["code"] for _, raw in codes_of(doc)}
    retired = {old["code"]: old["since"] for old in doc.data.get("retired") or []}
    handler = handler_of(doc)
    known_vars = set(PLACEHOLDER.findall(handler["endpoint"]))
    seen: set[int] = set()
    for i, case in enumerate(handler["cases"]):
        path = ("handler", "cases", i)
        for j, code in enumerate(case["codes"]):
            if code in retired:
                yield doc.positions.at(
                    (*path, "codes", j),
                    f"handler case names code {code}, retired in {retired[code]}",
                    "remove it from the case (and the case, when it has no other code)",
                )
            elif code not in live:
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


# Every name the snippets bind or read themselves (Python; JavaScript, camelCase): a handler
# function or placeholder called like one would shadow it, recurse or not compile.
# tests/outputs/test_snippet_names.py derives these from the rendered snippets.
_PYTHON_NAMES = frozenset(
    "os time requests BASE_URL API_KEY MAX_RETRIES attempt range response data header"
    " retry_after int print sleep Exception RuntimeError ValueError".split()
)
_JS_NAMES = frozenset(
    "BASE_URL API_KEY MAX_RETRIES process sleep ms Promise resolve setTimeout wait attempt"
    " response fetch data header retryAfter Number console Error".split()
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
    if "handler" not in doc.data:
        return
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
        elif name in _PYTHON_NAMES or js_name in _JS_NAMES:
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
    retries = [i for i, case in enumerate(handler_of(doc)["cases"]) if case["action"] == "retry"]
    for i in retries[1:]:
        yield doc.positions.at(
            ("handler", "cases", i, "action"),
            f"handler case {i} is a second retry case",
            f"list its codes in the retry case (handler.cases[{retries[0]}]) instead",
        )
