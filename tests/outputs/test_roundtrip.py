"""Hostile input: every output carries every free text of the spec exactly, whatever Unicode it holds.

The property: for any spec the validator accepts, each generated output, read back the way its
consumer reads it, gives exactly the strings that went into the spec (every expected text is
taken from the data that was dumped to YAML, never from errspec's model):

- python/error_codes.py, python/exceptions.py: imported (after black): ErrorCode.X.message and
  doc_url, each category exception's docstring.
- snippets/*.py: executed with a fake `requests`; snippets/*.js: run in node with a fake fetch.
  Each handler case raises (or prints) its message with the {placeholders} filled in.
- js/errors.js: imported in node: ERRORS[code].message and docUrl.
- openapi.yaml: yaml.safe_load: enum descriptions, envelope and field descriptions, examples.
- docs/errors.*.md: read back into blocks by support.markdown_blocks (a GFM block parser):
  front matter, headings, the quick-reference and retired tables (cells split on unescaped
  `|`, `\\|` unescaped), JSON code blocks (json.loads), paragraphs, list items, code blocks.
  The page must come back block for block, every text where it was put.
- js/errors.d.ts, js/package.json, python/__init__.py, python/pyproject.toml, python/py.typed
  hold no text this test varies: they must not change.
- python/models.py: datamodel-code-generator takes ~1 s a run, so it has its own property
  test with fewer examples (test_models_carry_every_text).
CHECKERS maps each target path to its checker; test_every_target_has_a_checker fails when a
target is added without one. Each test runs twice: the checkers that read back in this process
("in-process"), and those that need node ("node", marked slow).

Texts are drawn from st.text() over every character the validator accepts, mixed with and glued
to hand-picked nasty strings (NASTY): quotes, backslashes, </script>, ${x}, {{ x }}, {% x %}, */,
pipes, backticks, bidi controls, zero-width joiners, astral characters, 10 000-character text,
YAML-significant (yes, null, 1e3, - x, : x, #x, &a, *a, !tag) and Markdown-significant strings.

Rejected instead of round-tripped (each tested below: class 1 through the CLI, exit 2 and
FILE:LINE:COL; every class in-process, at the text's own place):
1. Line breaks (LF, CR, U+2028, U+2029), NUL, TAB and every other control character, and lone
   surrogates: rule text_is_clean. Texts are single lines (lists hold several items): a line
   break would end a table row, a heading or a list item of the page; control characters are
   invisible or unprintable in every output, and YAML itself cannot hold a lone surrogate.
2. Whitespace at either end of a text: rule text_is_trimmed. Markdown strips it from cells,
   headings and paragraphs, so the page would differ from the SDKs. page.colon (a separator)
   and example payloads (wire data) are exempt and do round-trip with their spaces.
3. A paragraph text (intro, closing, notes, causes, solution) that starts with a Markdown block
   marker ("# ", "- ", "1. ", "> ", "```", "<div", "[x]: ", "[ ] ", or only -*_), and a label made
   only of -*_: rule prose_stays_inline. The text would become a heading, a list, a code block…
   and take the page after it along. Inline Markdown (`code`, *emphasis*, <b>) is the author's
   and passes through as written; the same strings are fine in cells and headings.
4. A {placeholder} in a handler message that the snippet has no variable for: rule
   handler_cases_are_consistent. A lowercase {name} is always a placeholder (there is no
   escape); "{Name}", "{ name }" and "${name}" around a known one are literal text.
5. A handler function or endpoint placeholder that is a Python keyword, a JavaScript reserved
   word, a name the snippets use (data, response, fetch, print, retry_after…), has no JavaScript
   name (_, _1) or camelCases like another one (a_b, a__b): rule handler_names_are_usable; and a
   second retry case (the JS snippet declares retryAfter once): rule handler_has_one_retry_case.
   Both used to produce snippets that do not compile (test_snippets_run_whatever_…).
Fixed in the generator instead: md_heading (filters.py: a heading ending in "#" gets a closing
" #" for Markdown to strip instead of the text's own); yaml_str (filters.py) quotes strings that a
YAML 1.2 reader takes for numbers or booleans (1e3, 0o17, 08, y); yaml_block writes a mapping key
longer than YAML's 1024-character limit for implicit keys in the explicit "? key" form.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import importlib
import inspect
import io
import os
import json
import re
import subprocess
import sys
import tempfile
import types
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.diagnostics import SpecError
from generator.filters import camel
from generator.load import MAX_DEPTH, dotted
from generator.model import PLACEHOLDER, Spec
from generator.rules import markdown_block
from generator.targets import TARGETS as TABLE
from generator.targets import expand
from support import Block, FROZEN, frozen_data as load_frozen_data, load_surface, markdown_blocks
from support import yaml_load, yaml_text
from support import node as node_executable
from support import render_all, retired_entry, run_errspec, spec_of as parse_and_validate

# The table with one row per locale of the frozen registry.
TARGETS = expand(TABLE, load_frozen_data()["locales"])

# Variants of the frozen published registry: the codes and texts named here never move.
SPEC = FROZEN / "errors.yaml"
SURFACE = FROZEN / "openapi.yaml"
SLOW = {"python/models.py": "datamodel-code-generator takes ~1 s; see test_models_carry_every_text"}
FAST_TARGETS = tuple(t for t in TARGETS if t.path not in SLOW)
MODEL_TARGETS = tuple(
    t for t in TARGETS if t.path in ("openapi.yaml", "python/models.py", "python/error_codes.py")
)
SELECTED_CODES = (1001, 1003, 2002, 3001, 4003, 4004, 5000)
SYMBOL = (
    "B\\T`C${x}{symbol}'\"</script>"  # the snippet's runtime argument: interpolated, never escaped
)
RUN = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NASTY = [
    '"',
    "'",
    '"""',
    "'''",
    "`",
    "```",
    "~~~",
    "\\",
    "\\\\",
    "\\'",
    '\\"',
    "\\n",
    "\\u0041",
    "\\N{DASH}",
    "\\|",
    "a\\",
    "</script>",
    "<script>alert(1)</script>",
    "<!--",
    "-->",
    "${x}",
    "${",
    "{{ x }}",
    "{% x %}",
    "{# x #}",
    "{x}",
    "{}",
    "{",
    "}",
    "%s",
    "%(x)s",
    "*/",
    "/*",
    "//",
    "#!",
    "|",
    "||",
    "a | b",
    "a\\|b",
    "\u202e",
    "\u200f",
    "\u200d",
    "\u200b",
    "\ufeff",
    "\u00a0",
    "\u3000",
    "😀",
    "👩\u200d👩\u200d👧",
    "\U0010fffd",
    "\U0001d54f",
    "é",
    "e\u0301",
    "İ",
    "ß",
    "Σ",
    "x" * 10_000,
    " ",
    "  ",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "null",
    "~",
    "true",
    "True",
    "1e3",
    "1E3",
    "0o17",
    "0x1F",
    "08",
    ".5",
    "+1",
    ".inf",
    ".nan",
    "12:30",
    "2020-01-01",
    "- x",
    "-",
    ": x",
    ":",
    "? x",
    "#x",
    "# x",
    "#",
    "C#",
    "a #",
    "##",
    "&a",
    "*a",
    "!tag",
    "!!python/object:os.system",
    "%YAML 1.1",
    "---",
    "...",
    "@x",
    "[x]",
    "[x]: /u",
    "[ ] x",
    "*",
    "**",
    "***",
    "_",
    "__init__",
    "* * *",
    "1. x",
    "1) x",
    "> x",
    "+ x",
    "= x",
    "===",
    "<div>",
    "<b>x</b>",
    "&amp;",
    "&#124;",
    "[a](b)",
    "![a](b)",
    "<https://x>",
    "<<",
    "=",
    "'; DROP TABLE x; --",
]


def _clean(ch: str) -> bool:
    return ch not in "\u2028\u2029"


VALID_CHAR = st.characters(exclude_categories=("Cc", "Cs")).filter(_clean)
PIECE = st.one_of(st.sampled_from(NASTY), st.text(VALID_CHAR, min_size=1, max_size=20))
GLUED = st.lists(PIECE, min_size=1, max_size=3).map("".join)
TEXT = GLUED.map(str.strip).filter(bool)
PROSE = TEXT.filter(lambda s: markdown_block(s) is None)
LABEL = TEXT.filter(lambda s: markdown_block(s) != "a horizontal rule")
JSON_VALUE = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        GLUED,
        st.just(""),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(GLUED, st.just("")), inner, max_size=3),
    ),
    max_leaves=8,
)


def handler_text(allowed: frozenset[str]) -> st.SearchStrategy[str]:
    """A handler message whose placeholders are all variables the snippet has."""
    holes = [f"{{{name}}}" for name in sorted(allowed)] + [
        f"${{{name}}}" for name in sorted(allowed)
    ]
    glued = st.lists(st.one_of(PIECE, st.sampled_from(holes)), min_size=1, max_size=4).map("".join)
    return glued.map(str.strip).filter(lambda s: bool(s) and set(PLACEHOLDER.findall(s)) <= allowed)


# --- the spec under test ------------------------------------------------------------------


def base_data() -> dict[str, Any]:
    """The frozen registry, plus a retired code so that the retired table is rendered too."""
    data = load_frozen_data()
    data["retired"] = [
        retired_entry(
            1999, "OLD_TOKEN", reason={"zh": "旧的令牌", "en": "Old tokens"}, since="v1.2"
        )
    ]
    return data


def get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def put(data: Any, path: tuple[Any, ...], value: Any) -> None:
    get(data, path[:-1])[path[-1]] = value


def code_path(data: dict[str, Any], code: int, *rest: Any) -> tuple[Any, ...]:
    """The data path of `rest` inside the entry of `code`."""
    return ("codes", next(i for i, c in enumerate(data["codes"]) if c["code"] == code), *rest)


Slot = tuple[tuple[Any, ...], str]  # (path in the data, kind)


def slots(data: dict[str, Any]) -> list[Slot]:
    """Every free-text place of the spec, with its kind: text, prose, label, colon, wire, json, handler:<vars>."""
    out: list[Slot] = []

    def localized(path: tuple[Any, ...], kind: str) -> None:
        for lang in data["locales"]:
            value = get(data, (*path, lang))
            if isinstance(value, list):
                out.extend(((*path, lang, i), kind) for i in range(len(value)))
            else:
                out.append(((*path, lang), kind))

    for key in ("url", "title", "description"):
        localized(("page", key), "text")
    for key in ("intro", "closing"):
        localized(("page", key), "prose")
    localized(("page", "colon"), "colon")
    for key in data["page"]["labels"]:
        localized(("page", "labels", key), "label")
    for env_id, env in data["envelopes"].items():
        localized(("envelopes", env_id, "title"), "text")
        for i, f in enumerate(env["fields"]):
            localized(("envelopes", env_id, "fields", i, "description"), "text")
            if f["type"] == "string" and "example" in f:
                out.append((("envelopes", env_id, "fields", i, "example"), "wire"))
    for i, _ in enumerate(data["websocket"]["commands"]):
        localized(("websocket", "commands", i, "description"), "text")
    for i, _ in enumerate(data["categories"]):
        localized(("categories", i, "title"), "text")
        out.append((("categories", i, "label"), "text"))
    for i, raw in enumerate(data["codes"]):
        if raw["code"] not in SELECTED_CODES:
            continue
        out.append((("codes", i, "message"), "text"))
        for key in ("meaning", "suggestion", "section_title"):
            if key in raw:
                localized(("codes", i, key), "text")
        for key in ("notes", "causes", "solution"):
            if key in raw:
                localized(("codes", i, key), "prose")
        for key in ("message", "cmd"):
            if key in raw["example"]:
                out.append((("codes", i, "example", key), "wire"))
        out.append((("codes", i, "example", "data"), "json"))
    for i, _ in enumerate(data["retired"]):
        localized(("retired", i, "reason"), "text")
        out.append((("retired", i, "since"), "text"))
    endpoint_vars = set(PLACEHOLDER.findall(data["handler"]["endpoint"]))
    for i, case in enumerate(data["handler"]["cases"]):
        names = endpoint_vars | ({"retry_after"} if case["action"] == "retry" else set())
        localized(("handler", "cases", i, "message"), "handler:" + ",".join(sorted(names)))
    return out


def strategy(kind: str) -> st.SearchStrategy[Any]:
    if kind.startswith("handler:"):
        return handler_text(frozenset(kind.removeprefix("handler:").split(",")))
    return {
        "text": TEXT,
        "prose": PROSE,
        "label": LABEL,
        "colon": GLUED,
        "wire": GLUED,
        "json": JSON_VALUE,
    }[kind]


def spec_text(data: dict[str, Any], ascii_only: bool = False) -> str:
    """The YAML file of `data`. PyYAML writes NEL, U+2028 and U+2029 raw when it may write
    Unicode, and reads them back as line breaks; `ascii_only` escapes them (and the rest)."""
    return yaml_text(data, allow_unicode=not ascii_only, sort_keys=False, width=1 << 30)


def render(
    data: dict[str, Any], targets: tuple[Any, ...] = FAST_TARGETS
) -> tuple[Spec, dict[str, str]]:
    """Validate the data as the YAML file it dumps to, and render `targets` in memory."""
    spec = parse_and_validate(spec_text(data), "hostile.yaml")
    surface = load_surface(SURFACE, "spec/openapi.yaml", spec)
    return spec, render_all(spec, surface, targets=targets)


# --- checkers -------------------------------------------------------------------------------


@dataclass
class Ctx:
    """One rendered spec: the data that went in, the model, the outputs, a scratch directory."""

    data: dict[str, Any]
    spec: Spec
    outputs: dict[str, str]
    tmp: Path
    _node: dict[str, Any] | None = field(default=None, repr=False)

    def raw(self, code: int) -> dict[str, Any]:
        return next(c for c in self.data["codes"] if c["code"] == code)

    @property
    def lang(self) -> str:
        return str(self.data["page"]["doc_url_locale"])

    def node(self) -> dict[str, Any]:
        """What node reads back from every JavaScript output (one process per spec)."""
        if self._node is None:
            self._node = run_node(self)
        return self._node


def fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def snippet_targets(suffix: str) -> dict[str, str]:
    """{target path: lang} of the snippet targets of one language (.py or .js)."""
    return {
        t.path: t.context["lang"]
        for t in TARGETS
        if t.path.startswith("snippets/") and t.path.endswith(suffix)
    }


def arguments(data: dict[str, Any]) -> dict[str, str]:
    """The value the snippets are called with for each endpoint placeholder, in order."""
    return {
        name: SYMBOL if name == "symbol" else f"{SYMBOL}:{name}"
        for name in PLACEHOLDER.findall(data["handler"]["endpoint"])
    }


def expected_calls(ctx: Ctx, lang: str) -> list[dict[str, Any]]:
    """For each handler case (and one unhandled code): the codes the server sends in turn
    (a retry case is answered by success on the retry) and what must come out."""
    calls = []
    for case in ctx.data["handler"]["cases"]:
        values = {**arguments(ctx.data), "retry_after": str(case.get("default_delay"))}
        message = fill(case["message"][lang], values)
        retry = case["action"] == "retry"
        calls.append(
            {
                "code": case["codes"][0],
                "codes": [case["codes"][0], 0] if retry else [case["codes"][0]],
                "raised": None if retry else message,
                "printed": [message] if retry else [],
            }
        )
    calls.append({"code": 5000, "codes": [5000], "raised": "server says", "printed": []})
    return calls


class FakeResponse:
    def __init__(self, code: int) -> None:
        self.code = code
        self.headers: dict[str, str] = {}

    def json(self) -> dict[str, Any]:
        return {"code": self.code, "message": "server says", "data": None}


def check_python_snippet(ctx: Ctx, path: str) -> None:
    lang = snippet_targets(".py")[path]
    endpoint = ctx.data["handler"]["endpoint"]
    for call in expected_calls(ctx, lang):
        requested: list[tuple[str, dict[str, str]]] = []

        def get_(
            url: str, headers: dict[str, str], codes: list[int] = call["codes"]
        ) -> FakeResponse:
            requested.append((url, headers))
            return FakeResponse(codes[min(len(requested), len(codes)) - 1])

        fake = types.ModuleType("requests")
        fake.get = get_  # type: ignore[attr-defined]
        namespace: dict[str, Any] = {}
        printed = io.StringIO()
        raised = None
        saved = sys.modules.get("requests")
        saved_env = {k: os.environ.get(k) for k in ("API_BASE_URL", "API_KEY")}
        sys.modules["requests"] = fake
        os.environ.update(API_BASE_URL="", API_KEY="KEY")
        try:
            exec(compile(ctx.outputs[path], path, "exec"), namespace)
            with contextlib.redirect_stdout(printed):
                function = namespace[ctx.data["handler"]["function"]]
                function(*arguments(ctx.data).values(), sleep=lambda seconds: None)
        except Exception as exc:  # the snippet raises RuntimeError by design
            raised = str(exc)
        finally:
            if saved is not None:
                sys.modules["requests"] = saved
            else:  # the fake must not stay behind for the tests that import requests
                sys.modules.pop("requests", None)
            for key, value in saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        assert raised == call["raised"]
        assert printed.getvalue().splitlines() == call["printed"]
        assert requested == [
            (fill(endpoint, arguments(ctx.data)), {ctx.data["http"]["api_key_header"]: "KEY"})
        ] * len(call["codes"])


def check_js_snippet(ctx: Ctx, path: str) -> None:
    lang = snippet_targets(".js")[path]
    got = ctx.node()["snippets"][path]
    endpoint = fill(ctx.data["handler"]["endpoint"], arguments(ctx.data))
    for call, result in zip(expected_calls(ctx, lang), got, strict=True):
        assert result["thrown"] == call["raised"]
        assert result["logs"] == call["printed"]
        assert result["requested"] == [
            {"url": endpoint, "headers": {ctx.data["http"]["api_key_header"]: "KEY"}}
        ] * len(call["codes"])


def check_errors_js(ctx: Ctx, path: str) -> None:
    errors = ctx.node()["errors"]
    assert sorted(errors, key=int) == [str(e.code) for e in ctx.spec.codes]
    for e in ctx.spec.codes:
        got = errors[str(e.code)]
        assert got["message"] == ctx.raw(e.code)["message"]
        assert got["name"] == e.name
        assert got["docUrl"] == e.doc_url and got["docUrl"].startswith(
            ctx.data["page"]["url"][ctx.lang]
        )


def import_sdk(ctx: Ctx) -> dict[str, types.ModuleType]:
    """generated python/ as a fresh package (models.py, and the __init__ that imports it, excepted)."""
    name = f"hostile_{uuid.uuid4().hex}"
    package = ctx.tmp / name
    package.mkdir()
    for rel, text in ctx.outputs.items():
        if rel.startswith("python/") and rel not in ("python/models.py", "python/__init__.py"):
            (package / rel.removeprefix("python/")).write_text(text, encoding="utf-8")
    (package / "__init__.py").write_text("", encoding="utf-8")  # it imports models
    sys.path.insert(0, str(ctx.tmp))
    try:
        return {m: importlib.import_module(f"{name}.{m}") for m in ("error_codes", "exceptions")}
    finally:
        sys.path.remove(str(ctx.tmp))
        for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            del sys.modules[key]


def check_error_codes_py(ctx: Ctx, path: str) -> None:
    codes = import_sdk(ctx)["error_codes"].ErrorCode
    assert [m.value for m in codes if not m.deprecated] == [e.code for e in ctx.spec.codes]
    for r in ctx.spec.retired:
        # Retired codes stay as deprecated members; their message is the retirement reason.
        assert codes[r.name].value == r.code and codes[r.name].deprecated
        assert codes[r.name].message == r.reason[ctx.spec.page.doc_url_locale]
    for e in ctx.spec.codes:
        member = codes[e.name]
        assert member.message == ctx.raw(e.code)["message"]
        assert member.doc_url == e.doc_url and member.doc_url.startswith(
            ctx.data["page"]["url"][ctx.lang]
        )


def check_exceptions_py(ctx: Ctx, path: str) -> None:
    exceptions = import_sdk(ctx)["exceptions"]
    seen = {"ApiError"}
    for cat in ctx.data["categories"]:
        if cat["exception"] in seen:
            continue
        seen.add(cat["exception"])
        assert (
            getattr(exceptions, cat["exception"]).__doc__
            == f"{cat['title'][ctx.lang]} (codes {cat['label']})."
        )


def envelope_schemas(data: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(schema name, its envelope in `data`, the same envelope in the base data)."""
    envelopes, base = data["envelopes"], base_data()["envelopes"]
    return [
        ("SuccessEnvelope", envelopes["http"], base["http"]),
        ("ErrorEnvelope", envelopes["http"], base["http"]),
        ("WebSocketEnvelope", envelopes["websocket"], base["websocket"]),
    ]


def check_openapi(ctx: Ctx, path: str) -> None:
    doc = yaml_load(ctx.outputs[path])
    base = yaml_load(baseline()[path])
    lang, http = ctx.lang, ctx.data["envelopes"]["http"]
    schemas, base_schemas = doc["components"]["schemas"], base["components"]["schemas"]
    code_field = next(f for f in http["fields"] if f["name"] == "code")
    assert schemas["ErrorCode"]["description"] == code_field["description"][lang]
    assert schemas["ErrorCode"]["x-enum-descriptions"] == [
        ctx.raw(e.code)["message"] for e in ctx.spec.codes
    ]
    for name, env, base_env in envelope_schemas(ctx.data):
        title, base_title = env["title"][lang], base_env["title"][lang]
        assert schemas[name]["description"] == title + base_schemas[name][
            "description"
        ].removeprefix(base_title)
        for f in env["fields"]:
            assert schemas[name]["properties"][f["name"]]["description"] == f["description"][lang]
            if (
                name == "SuccessEnvelope"
                and f["name"] != "code"
                and not f.get("elided")
                and "example" in f
            ):
                assert schemas[name]["properties"][f["name"]]["examples"] == [f["example"]]
    for route, item in doc["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or "x-error-codes" not in op:
                continue
            for code in op["x-error-codes"]:
                e, raw = ctx.spec.entry(code), ctx.raw(code)
                if e.http_status is None:
                    continue
                response = op["responses"][str(e.http_status)]
                example = response["content"]["application/json"]["examples"][e.name]
                assert example == {"summary": raw["message"], "value": raw["example"]}, (
                    route,
                    method,
                    code,
                )
                group = [
                    ctx.raw(c)["message"]
                    for c in (x.code for x in ctx.spec.codes)
                    if c in op["x-error-codes"] and ctx.spec.entry(c).http_status == e.http_status
                ]
                assert response["description"].endswith(": " + "; ".join(group))


def expected_page(ctx: Ctx, lang: str) -> list[Block]:
    """The blocks of the page, every text taken from the data that went in."""
    data, spec = ctx.data, ctx.spec
    page, labels = data["page"], {k: v[lang] for k, v in data["page"]["labels"].items()}
    colon = page["colon"][lang]
    out: list[Block] = [
        ("front", {"title": page["title"][lang], "description": page["description"][lang]}),
        ("para", page["intro"][lang]),
        ("hr",),
        ("heading", 2, labels["response_format"]),
    ]
    for env in (data["envelopes"]["http"], data["envelopes"]["websocket"]):
        fields = {f["name"]: None if f.get("elided") else f.get("example") for f in env["fields"]}
        out += [("heading", 3, env["title"][lang]), ("json", fields)]
    out += [
        ("hr",),
        ("heading", 2, labels["quick_reference"]),
        (
            "table",
            [labels["column_code"], labels["column_meaning"], labels["column_suggestion"]],
            [
                [
                    str(e.code),
                    ctx.raw(e.code)["meaning"][lang],
                    ctx.raw(e.code)["suggestion"][lang] if "suggestion" in ctx.raw(e.code) else "-",
                ]
                for e in spec.codes
            ],
        ),
        ("hr",),
        ("heading", 2, labels["details"]),
    ]
    for category, raw_cat in zip(spec.categories, data["categories"], strict=True):
        if not category.details:
            continue
        out.append(("heading", 3, f"{raw_cat['title'][lang]} ({raw_cat['label']})"))
        for section in spec.sections(category):
            lead = ctx.raw(section.lead.code)
            title = (lead.get("section_title") or lead["meaning"])[lang]
            out += [
                ("heading", 4, " / ".join(str(e.code) for e in section.entries) + " - " + title),
                ("json", lead["example"]),
            ]
            for key, label in (("causes", "causes"), ("notes", None), ("solution", "solution")):
                value = lead.get(key, {}).get(lang)
                if value is None:
                    continue
                if label is None:
                    out.append(("para", value))
                elif isinstance(value, str):
                    out.append(("para", f"**{labels[label]}**{colon}{value}"))
                else:
                    out += [
                        ("para", f"**{labels[label]}**{colon}".rstrip(" \t")),
                        ("list", [("item", v) for v in value]),
                    ]
        out.append(("hr",))
    if data.get("retired"):
        out += [
            ("heading", 2, labels["retired"]),
            (
                "table",
                [labels["column_code"], labels["retired_since"], labels["reason"]],
                [
                    [f"{r['code']} `{r['name']}`", r["since"], r["reason"][lang]]
                    for r in sorted(data["retired"], key=lambda r: r["code"])
                ],
            ),
            ("hr",),
        ]
    snippet = {
        suffix: next(p for p, lg in snippet_targets(suffix).items() if lg == lang)
        for suffix in (".js", ".py")
    }
    out += [
        ("heading", 2, labels["examples"]),
        ("heading", 3, "JavaScript"),
        ("code", "javascript", snippet_body(ctx, snippet[".js"])),
        ("heading", 3, "Python"),
        ("code", "python", snippet_body(ctx, snippet[".py"])),
        ("hr",),
        ("para", f"*{page['closing'][lang]}*"),
    ]
    return out


def snippet_body(ctx: Ctx, path: str) -> str:
    return ctx.outputs[path].split("\n", 1)[1].rstrip("\n")


ELIDED = re.compile(r'^(\s*".*": )\{ \.\.\. \}(,?)$', re.M)


def read_page(text: str) -> list[Block]:
    """The page's blocks, with JSON code blocks parsed (`{ ... }` elisions read as null)."""
    blocks = markdown_blocks(text)
    return [
        ("json", json.loads(ELIDED.sub(r"\1null\2", b[2]))) if b[:2] == ("code", "json") else b
        for b in blocks
    ]


def check_page(ctx: Ctx, path: str) -> None:
    lang = next(t.context["lang"] for t in TARGETS if t.path == path)
    got, want = read_page(ctx.outputs[path]), expected_page(ctx, lang)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"block {i} of {path}"
    assert len(got) == len(want)


def check_unchanged(ctx: Ctx, path: str) -> None:
    """Outputs that hold no spec text must not change whatever the texts are."""
    assert ctx.outputs[path] == baseline()[path]


GO_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def check_go_codes(ctx: Ctx, path: str) -> None:
    """Each code's row of the Go metadata table holds its name, message and doc_url: the Go
    literals the `go` filter writes are JSON's (\\", \\\\, \\uXXXX), so json.loads reads them."""
    text = ctx.outputs[path]
    for e in ctx.spec.codes:
        row = next(line for line in text.split("\n") if line.startswith(f"\t{{{e.code}, "))
        literals = [json.loads(m) for m in GO_STRING.findall(row)]
        assert literals[:2] == [e.name, ctx.raw(e.code)["message"]]
        assert literals[-1] == e.doc_url
    assert "\ufeff" not in text


def check_readme(ctx: Ctx, path: str) -> None:
    """A package README holds no spec text but the page's URL (in the doc URL locale)."""
    assert f"<{ctx.spec.page.url[ctx.spec.page.doc_url_locale]}>" in ctx.outputs[path]


def check_go_errors(ctx: Ctx, path: str) -> None:
    """Every exception class is a Go type; the one-line comments hold no line break."""
    text = ctx.outputs[path]
    for cls in ctx.spec.exception_classes:
        assert f"\ntype {cls.name} struct {{\n\t*APIError\n}}\n" in text
    assert "\ufeff" not in text


CHECKERS: dict[str, Callable[[Ctx, str], None]] = {
    **{t.path: check_page for t in TARGETS if t.path.startswith("docs/errors.")},
    **{p: check_python_snippet for p in snippet_targets(".py")},
    **{p: check_js_snippet for p in snippet_targets(".js")},
    "js/errors.js": check_errors_js,
    "js/errors.d.ts": check_unchanged,
    "js/package.json": check_unchanged,
    "python/pyproject.toml": check_unchanged,
    "python/py.typed": check_unchanged,
    "python/error_codes.py": check_error_codes_py,
    "python/exceptions.py": check_exceptions_py,
    "python/__init__.py": check_unchanged,
    "openapi.yaml": check_openapi,
    ".errspec-output": check_unchanged,
    "go/go.mod": check_unchanged,
    "python/README.md": check_readme,
    "js/README.md": check_readme,
    "go/codes.go": check_go_codes,
    "go/errors.go": check_go_errors,
}

NODE_RUNNER = r"""
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = { errors: null, snippets: {} };
if (job.errorsJs) {
  const mod = await import(pathToFileURL(job.errorsJs).href);
  out.errors = Object.fromEntries(Object.entries(mod.ERRORS).map(
    ([code, info]) => [code, { name: info.name, message: info.message, docUrl: info.docUrl }]));
}
// The snippets are ES modules that read process.env when imported and fetch and console when
// called: the fakes stand in for those globals during each call.
Object.assign(process.env, { API_BASE_URL: "", API_KEY: "KEY" });
const realFetch = globalThis.fetch;
const realConsole = globalThis.console;
for (const snippet of job.snippets) {
  // A data: URL is always an ES module, wherever the file lies.
  const source = readFileSync(snippet.file, "utf8");
  const mod = await import(`data:text/javascript,${encodeURIComponent(source)}`);
  const results = [];
  for (const codes of snippet.codes) {
    const logs = [];
    const requested = [];
    let thrown = null;
    globalThis.fetch = async (url, init) => {
      requested.push({ url, headers: init.headers });
      const code = codes[Math.min(requested.length, codes.length) - 1];
      return { json: async () => ({ code, message: "server says", data: null }), headers: { get: () => null } };
    };
    globalThis.console = { log: (...args) => logs.push(args.map(String).join(" ")) };
    try {
      await mod[snippet.function](...snippet.args, async () => {});
    } catch (error) {
      thrown = String(error.message);
    } finally {
      globalThis.fetch = realFetch;
      globalThis.console = realConsole;
    }
    results.push({ thrown, logs, requested });
  }
  out.snippets[snippet.path] = results;
}
process.stdout.write(JSON.stringify(out));
"""


def run_node(ctx: Ctx) -> dict[str, Any]:
    node = node_executable()
    out_dir = ctx.tmp / "generated"
    for rel, text in ctx.outputs.items():
        (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (out_dir / rel).write_text(text, encoding="utf-8")
    handler = ctx.data["handler"]
    snippets = [
        {
            "path": p,
            "file": str(out_dir / p),
            "function": camel(handler["function"]),
            "args": list(arguments(ctx.data).values()),
            "codes": [c["codes"] for c in expected_calls(ctx, lang)],
        }
        for p, lang in snippet_targets(".js").items()
        if p in ctx.outputs
    ]
    job = {
        "errorsJs": str(out_dir / "js" / "errors.js") if "js/errors.js" in ctx.outputs else None,
        "snippets": snippets,
    }
    (ctx.tmp / "job.json").write_text(json.dumps(job), encoding="utf-8")
    (ctx.tmp / "runner.mjs").write_text(NODE_RUNNER, encoding="utf-8")
    proc = subprocess.run(
        [node, str(ctx.tmp / "runner.mjs"), str(ctx.tmp / "job.json")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


@cache
def baseline() -> dict[str, str]:
    return render(base_data())[1]


@contextlib.contextmanager
def rendered(data: dict[str, Any], targets: tuple[Any, ...] = FAST_TARGETS) -> Iterator[Ctx]:
    spec, outputs = render(data, targets)
    with tempfile.TemporaryDirectory(prefix="errspec-hostile-") as tmp:
        yield Ctx(data, spec, outputs, Path(tmp))


# The checkers that read an output back in node; the others read it back in this process.
IN_NODE = (check_js_snippet, check_errors_js)
PARTS = [
    pytest.param(False, id="in-process"),
    pytest.param(True, id="node", marks=pytest.mark.slow),
]


def check_outputs(ctx: Ctx, in_node: bool) -> None:
    """Run the checkers of one part (in node, or in this process) on every output."""
    for path in sorted(ctx.outputs):
        if (CHECKERS[path] in IN_NODE) == in_node:
            CHECKERS[path](ctx, path)


def check_all(data: dict[str, Any], in_node: bool) -> None:
    with rendered(data) as ctx:
        check_outputs(ctx, in_node)


# --- the tests ------------------------------------------------------------------------------


def test_every_target_has_a_checker() -> None:
    unchecked = [t.path for t in TARGETS if t.path not in CHECKERS and t.path not in SLOW]
    assert unchecked == [], "add a round-trip checker for these targets to CHECKERS"


@pytest.mark.parametrize("in_node", PARTS)
def test_the_checkers_accept_the_frozen_spec(in_node: bool) -> None:
    check_all(base_data(), in_node)


ROTATIONS = 4


def nasty_values(kind: str) -> list[Any]:
    """The nasty strings as values a place of `kind` accepts."""
    stripped = [s.strip() for s in NASTY if s.strip()]
    if kind == "json":
        return [{s: [s, 1e300, -0.0, None, True, 2**64, {}]} for s in NASTY]
    if kind in ("colon", "wire"):
        return NASTY
    if kind == "prose":
        return [s if markdown_block(s) is None else "x" + s for s in stripped]
    if kind == "label":
        return [s if markdown_block(s) != "a horizontal rule" else "x" + s for s in stripped]
    if kind.startswith("handler:"):
        # A lowercase {name} is always a placeholder (there is no escape); "{X}" stays literal text.
        return [PLACEHOLDER.sub(lambda m: "{" + m.group(1).upper() + "}", s) for s in stripped]
    return stripped


@pytest.mark.parametrize("in_node", PARTS)
def test_nasty_strings_round_trip_in_every_place(in_node: bool) -> None:
    """Deterministic: over a few rotations every nasty string lands in every kind of place,
    several glued together where a kind has few places; each JSON payload holds them all."""
    data = base_data()
    by_kind: dict[str, list[tuple[Any, ...]]] = {}
    for path, kind in slots(data):
        by_kind.setdefault(kind, []).append(path)
    for rotation in range(ROTATIONS):
        hostile = copy.deepcopy(data)
        for kind, paths in by_kind.items():
            values = nasty_values(kind)
            per_place = -(-len(values) // (len(paths) * ROTATIONS))
            for j, path in enumerate(paths):
                first = (rotation * len(paths) + j) * per_place
                chunk = [values[(first + n) % len(values)] for n in range(per_place)]
                if kind == "json":
                    value: Any = {k: v for item in chunk for k, v in item.items()}
                else:
                    value = " ".join(chunk) if kind not in ("colon", "wire") else "".join(chunk)
                if kind.startswith("handler:"):
                    value += " {" + kind.removeprefix("handler:").split(",")[-1] + "}"
                put(hostile, path, value)
        check_all(hostile, in_node)


def nested(levels: int) -> Any:
    """A value whose leaf sits `levels` containers deep, alternating mappings and lists."""
    value: Any = "bottom"
    for level in range(levels):
        value = {"k": value} if level % 2 else [value]
    return value


@pytest.mark.parametrize("in_node", PARTS)
def test_the_deepest_example_data_the_loader_accepts_renders_everywhere(in_node: bool) -> None:
    data = base_data()
    at = ("codes", 1, "example", "data")
    put(data, at, nested(MAX_DEPTH - len(at)))
    check_all(data, in_node)
    put(data, at, nested(MAX_DEPTH - len(at) + 1))
    with pytest.raises(SpecError, match=f"nested more than {MAX_DEPTH} levels deep"):
        render(data)


@pytest.mark.parametrize("in_node", PARTS)
@RUN
@given(st.data())
def test_every_output_round_trips_every_text(in_node: bool, draw: st.DataObject) -> None:
    data = base_data()
    for path, kind in slots(data):
        put(data, path, draw.draw(strategy(kind), label=dotted(path)))
    check_all(data, in_node)


UNUSABLE = [
    "class",
    "def",
    "import",
    "new",
    "delete",
    "default",
    "let",
    "await",
    "data",
    "response",
    "requests",
    "retry_after",
    "sleep",
    "wait",
    "range",
    "int",
    "attempt",
    "header",
    "set_timeout",
    "fetch",
    "print",
    "console",
    "_",
    "_1",
    "a__b",
    "a_b",
]
IDENTIFIER = st.integers(0, 3).flatmap(
    lambda i: (
        st.sampled_from(UNUSABLE)
        if i == 0
        else st.from_regex(r"[a-z_][a-z0-9_]{0,7}", fullmatch=True)
    )
)
SNIPPETS = tuple(t for t in TARGETS if t.path.startswith("snippets/"))


@pytest.mark.parametrize("in_node", PARTS)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    function=IDENTIFIER.filter(lambda s: s[0] != "_" and not s[0].isdigit()),
    names=st.lists(IDENTIFIER, min_size=0, max_size=3, unique=True),
)
def test_snippets_run_whatever_the_handler_and_its_placeholders_are_called(
    in_node: bool, function: str, names: list[str]
) -> None:
    """A name the snippets cannot use is refused (handler_names_are_usable); any other runs."""
    data = base_data()
    handler = data["handler"]
    handler["function"] = function
    handler["endpoint"] = "/v1/" + "/".join(f"{{{name}}}" for name in names)
    for case in handler["cases"]:
        case["message"] = {
            lang: text + "".join(f" {{{name}}}" for name in names)
            for lang, text in case["message"].items()
            if isinstance(text, str)
        }
        for lang in case["message"]:
            case["message"][lang] = PLACEHOLDER.sub(
                lambda m: (
                    m.group(0)
                    if m.group(1) in names
                    or (m.group(1) == "retry_after" and case["action"] == "retry")
                    else m.group(1)
                ),
                case["message"][lang],
            )
    try:
        spec, outputs = render(data, SNIPPETS)
    except SpecError as exc:
        assert all(
            d.message.startswith(("handler.function", "handler.endpoint")) for d in exc.diagnostics
        ), str(exc)
        assume(False)
    with tempfile.TemporaryDirectory(prefix="errspec-hostile-") as tmp:
        check_outputs(Ctx(data, spec, outputs, Path(tmp)), in_node)


@pytest.mark.parametrize("name", UNUSABLE[:-1])  # a_b is fine alone; a__b next to it is not
def test_an_unusable_handler_name_is_refused(name: str) -> None:
    data = base_data()
    data["handler"]["endpoint"] = "/v1/{a_b}/{" + name + "}"
    data["handler"]["cases"][1]["message"] = {"zh": "无", "en": "none"}
    with pytest.raises(SpecError) as info:
        render(data, SNIPPETS)
    assert [d.message.split(" ")[:3] for d in info.value.diagnostics] == [
        ["handler.endpoint", "placeholder", f'"{{{name}}}"']
    ]
    assert all(d.hint == "rename it" for d in info.value.diagnostics)


def test_a_second_retry_case_is_refused() -> None:
    data = base_data()
    data["handler"]["cases"].append(
        {
            "codes": [5000],
            "action": "retry",
            "default_delay": 5,
            "message": {"zh": "稍后 {retry_after}", "en": "later {retry_after}"},
        }
    )
    with pytest.raises(
        SpecError, match="handler case 3 is a second retry case; list its codes in the retry case"
    ):
        render(data, SNIPPETS)


# --- python/models.py (slow) ------------------------------------------------------------------


def docstrings(source: str) -> dict[str, dict[str, str]]:
    """{class: {"": class docstring, attribute: the string literal right after it}}."""
    found: dict[str, dict[str, str]] = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        docs = found.setdefault(
            node.name, {"": inspect.cleandoc(ast.get_docstring(node, clean=False) or "")}
        )
        for before, after in zip(node.body, node.body[1:]):
            target = (
                before.target
                if isinstance(before, ast.AnnAssign)
                else (before.targets[0] if isinstance(before, ast.Assign) else None)
            )
            if (
                isinstance(target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
            ):
                docs[target.id] = inspect.cleandoc(str(after.value.value))
    return found


def check_models(ctx: Ctx) -> None:
    source = ctx.outputs["python/models.py"]
    docs = docstrings(source)
    lang, http = ctx.lang, ctx.data["envelopes"]["http"]
    # The models use error_codes.ErrorCode (its texts: check_error_codes_py).
    assert "ErrorCode" not in docs and "from .error_codes import ErrorCode" in source
    base = docstrings(baseline_models())
    for name, env, base_env in envelope_schemas(ctx.data):
        title, base_title = env["title"][lang], base_env["title"][lang]
        assert docs[name][""] == title + base[name][""].removeprefix(base_title)
        for f in env["fields"]:
            assert docs[name][f["name"]] == f["description"][lang]
    name = f"hostile_models_{uuid.uuid4().hex}"
    (ctx.tmp / name).mkdir()
    for rel in ("python/models.py", "python/error_codes.py"):
        (ctx.tmp / name / rel.removeprefix("python/")).write_text(
            ctx.outputs[rel], encoding="utf-8"
        )
    sys.path.insert(0, str(ctx.tmp))
    try:
        module = importlib.import_module(f"{name}.models")
    finally:
        sys.path.remove(str(ctx.tmp))
        for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            del sys.modules[key]
    for f in http["fields"]:
        if f["name"] != "code" and not f.get("elided") and "example" in f:
            assert module.SuccessEnvelope.model_fields[f["name"]].examples == [f["example"]]


@cache
def baseline_models() -> str:
    return render(base_data(), MODEL_TARGETS)[1]["python/models.py"]


def test_the_models_checker_accepts_the_frozen_spec() -> None:
    with rendered(base_data(), MODEL_TARGETS) as ctx:
        check_models(ctx)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_models_carry_every_text(draw: st.DataObject) -> None:
    data = base_data()
    for path, kind in slots(data):
        if kind in ("text", "wire") and path[0] in ("codes", "envelopes"):
            put(data, path, draw.draw(strategy(kind), label=dotted(path)))
    with rendered(data, MODEL_TARGETS) as ctx:
        check_models(ctx)


# --- what is rejected instead -------------------------------------------------------------------

ESCAPED = {  # a YAML double-quoted escape -> how errspec names the character
    "\\n": "a line break",
    "\\r": "a line break",
    "\\L": "a line break",
    "\\P": "a line break",
    "\\0": "control character U+0000",
    "\\t": "control character U+0009",
    "\\e": "control character U+001B",
    "\\x7f": "control character U+007F",
    "\\N": "control character U+0085",
}


@pytest.mark.parametrize("escape", sorted(ESCAPED))
def test_line_breaks_and_control_characters_exit_2_at_their_place(
    escape: str, tmp_path: Path
) -> None:
    text = SPEC.read_text(encoding="utf-8")
    old = "    message: Invalid or expired token\n"
    line = text[: text.index(old)].count("\n") + 1
    path = tmp_path / "errors.yaml"
    path.write_text(
        text.replace(old, f'    message: "Invalid{escape}token"\n', 1), encoding="utf-8"
    )
    result = run_errspec("validate", "--spec", str(path))
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        f"{path}:{line}:14: codes[1].message contains {ESCAPED[escape]} at offset 7; "
        + (
            "texts are single lines; use a list for several items"
            if ESCAPED[escape] == "a line break"
            else "remove it"
        )
    )


def test_a_lone_surrogate_is_refused_by_the_yaml_parser(tmp_path: Path) -> None:
    """libyaml refuses the escape itself; text_is_clean would refuse the character after it."""
    text = SPEC.read_text(encoding="utf-8")
    old = "    message: Invalid or expired token\n"
    line = text[: text.index(old)].count("\n") + 1
    path = tmp_path / "errors.yaml"
    path.write_text(text.replace(old, '    message: "Invalid\\ud800token"\n', 1), encoding="utf-8")
    result = run_errspec("validate", "--spec", str(path))
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        f"{path}:{line}:24: YAML syntax error: this escape is not a Unicode character (a lone"
        r" surrogate such as \ud800); write the character itself, or the escape of a whole"
        " character"
    )


BAD_CHARACTERS = ["\n", "\r", "\u2028", "\u2029", "\x00", "\t", "\x1b", "\x7f", "\x85", "\x9f"]


@RUN
@given(st.data())
def test_every_text_refuses_what_cannot_round_trip(draw: st.DataObject) -> None:
    """A bad character anywhere, or edge whitespace in a trimmed text, is refused at that text."""
    data = base_data()
    path, kind = draw.draw(
        st.sampled_from([s for s in slots(data) if s[1] != "json"]), label="slot"
    )
    value = get(data, path)
    trimmed = kind not in ("colon", "wire")
    how = draw.draw(
        st.sampled_from(["inside", "leading", "trailing"] if trimmed else ["inside"]), label="how"
    )
    if how == "inside":
        bad = draw.draw(st.sampled_from(BAD_CHARACTERS), label="character")
        value = value[:1] + bad + value[1:]
        phrase = "contains"
    else:
        space = draw.draw(st.sampled_from([" ", "\u00a0", "\u3000", "\u2003"]), label="space")
        value = space + value if how == "leading" else value + space
        phrase = "starts with whitespace" if how == "leading" else "ends with whitespace"
    put(data, path, value)
    with pytest.raises(SpecError) as info:
        parse_and_validate(spec_text(data, ascii_only=True), "hostile.yaml")
    wheres = (dotted(path) + " ", dotted(path, data) + " ")
    assert any(
        d.message.startswith(wheres) for d in info.value.diagnostics if phrase in d.message
    ), [str(d) for d in info.value.diagnostics]
    assert all(d.line > 1 and d.col >= 1 for d in info.value.diagnostics)


BLOCK_MARKERS = {
    "# Note": "a heading",
    "- a": "a list item",
    "* a": "a list item",
    "+ a": "a list item",
    "1. a": "a numbered list item",
    "2) a": "a numbered list item",
    "> a": "a block quote",
    "```": "a code fence",
    "~~~ a": "a code fence",
    "<div>a</div>": "an HTML block",
    "<!-- a": "an HTML block",
    "[a]: /b": "a link reference definition",
    "[ ] a": "a task list checkbox",
    "***": "a horizontal rule",
    "- - -": "a horizontal rule",
    "_": "a horizontal rule",
}


@pytest.mark.parametrize("text", sorted(BLOCK_MARKERS))
@pytest.mark.parametrize(
    "where",
    [
        ("page", "intro", "en"),
        ("page", "closing", "zh"),
        (1001, "causes", "en", 0),
        (3001, "notes", "en"),
        (2001, "solution", "zh"),
        (3001, "solution", "en", 1),
    ],
)
def test_a_paragraph_text_opening_a_markdown_block_is_refused(
    text: str, where: tuple[Any, ...]
) -> None:
    data = base_data()
    where = code_path(data, *where) if isinstance(where[0], int) else where
    put(data, where, text)
    with pytest.raises(SpecError) as info:
        parse_and_validate(spec_text(data), "hostile.yaml")
    messages = [d.message for d in info.value.diagnostics]
    assert len(messages) == 1
    assert messages[0].startswith((dotted(where), dotted(where, data))) and messages[0].endswith(
        f"which Markdown reads as {BLOCK_MARKERS[text]}"
    )


@pytest.mark.parametrize("in_node", PARTS)
@pytest.mark.parametrize("text", sorted(BLOCK_MARKERS))
def test_the_same_markers_are_fine_in_cells_and_headings(text: str, in_node: bool) -> None:
    data = base_data()
    for path in (
        code_path(data, 1001, "meaning", "en"),
        code_path(data, 1001, "suggestion", "zh"),
        code_path(data, 4003, "section_title", "en"),
        code_path(data, 4004, "meaning", "zh"),
        ("categories", 1, "title", "en"),
        ("envelopes", "http", "title", "zh"),
    ):
        put(data, path, text)
    check_all(data, in_node)
