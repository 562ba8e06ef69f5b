"""`validate` exit 0 means `generate` exit 0, and every output then loads in the tool that
consumes it (Python import, node import, tsc, YAML).

The property test varies a small valid registry (tests/fixtures/minimal/) where the gaps were:
exception names, code names and numbers, HTTP statuses, texts, envelope fields. Examples that
`validate` refuses prove nothing and are skipped; the others are generated one by one and
loaded in one batch per tool. The reserved exception names are re-derived from the outputs, so
a template that starts using a new name reopens no hole.
"""

from __future__ import annotations

import ast
import builtins
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.diagnostics import SpecError
from generator.rules.reserved import BASE_CLASS, RESERVED
from support import (
    yaml_load,
    JS_TESTS,
    minimal_data,
    node as node_executable,
    node_tool,
    run_errspec,
    run_tool,
    spec_of,
)
from support import write_project as _write_project

EXCEPTION = re.compile(r"^[A-Z][A-Za-z0-9]*$")  # the schema's pattern for exception names


def _base() -> dict[str, Any]:
    return minimal_data()


# -- the identifiers the outputs use ------------------------------------------------------

_JS_TOKEN = re.compile(
    r"""//[^\n]*|/\*.*?\*/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`|\$\{|[{}]"""
    r"""|[A-Za-z_$][A-Za-z0-9_$]*|.""",
    re.S,
)
_TEMPLATE_TEXT = re.compile(r"(?:[^`\\$]|\\.|\$(?!\{))*", re.S)


def python_identifiers(source: str) -> set[str]:
    """Every name a Python module defines, imports, binds or reads."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


def js_identifiers(source: str) -> set[str]:
    """Every identifier of JavaScript or TypeScript source, outside comments and strings
    (the code inside a template literal's `${…}` included)."""
    names: set[str] = set()
    depths: list[int] = []  # brace depth outside each open `${`
    depth = pos = 0

    def template_text(pos: int) -> int:
        """Skip template text from `pos`; inside a new `${`, or past the closing backtick."""
        nonlocal depth
        pos = _TEMPLATE_TEXT.match(source, pos).end()  # type: ignore[union-attr]
        if source.startswith("${", pos):
            depths.append(depth)
            depth = 0
            return pos + 2
        return pos + 1

    while pos < len(source):
        token = _JS_TOKEN.match(source, pos).group()  # type: ignore[union-attr]
        pos += len(token)
        if token == "`":
            pos = template_text(pos)
        elif token == "{":
            depth += 1
        elif token == "}" and depth == 0 and depths:
            depth = depths.pop()
            pos = template_text(pos)
        elif token == "}":
            depth -= 1
        elif token[0].isalpha() or token[0] in "_$":
            names.add(token)
    return names


def test_js_identifiers_skip_comments_and_strings_but_read_template_code() -> None:
    source = (
        "// Foo\n/* Bar */ const A = \"Baz\" + 'Qux' + `Text ${B + `In ${C}`} More ${{ D: 1 }.D}`;"
        "\nclass E extends F {}"
    )
    assert js_identifiers(source) == {"const", "A", "B", "C", "D", "class", "E", "extends", "F"}


def output_identifiers(out: Path) -> set[str]:
    """The identifiers of every Python, JavaScript and TypeScript output under `out`."""
    names: set[str] = set()
    for path in sorted(out.rglob("*")):
        if path.suffix == ".py":
            names |= python_identifiers(path.read_text(encoding="utf-8"))
        elif path.name.endswith((".js", ".d.ts")):
            names |= js_identifiers(path.read_text(encoding="utf-8"))
    return names


def _strings_of(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings_of(item)
    elif isinstance(value, str):
        yield value


def test_the_reserved_list_covers_every_name_the_outputs_use(tmp_path: Path) -> None:
    """Each identifier of the outputs that an exception name could take, and that the spec
    did not put there, is reserved (or a Python builtin, which the rule also refuses)."""
    spec = _write_project(_base(), tmp_path)
    result = run_errspec("generate", "--spec", str(spec), "--out", "out", cwd=tmp_path)
    assert result.code == 0, result
    from_spec = set(_strings_of(_base()))
    usable = {name for name in output_identifiers(tmp_path / "out") if EXCEPTION.match(name)}
    unreserved = usable - from_spec - RESERVED - {BASE_CLASS} - set(dir(builtins))
    assert not unreserved, f"add to generator/rules/reserved.py RESERVED: {sorted(unreserved)}"


@pytest.mark.parametrize(
    "name", ["Mapping", "Any", "RegExp", "MONTHS", "Record", "ErrorInfo", "BaseModel", "Field"]
)
def test_an_exception_name_the_sdks_use_is_refused(tmp_path: Path, name: str) -> None:
    data = _base()
    data["categories"][1]["exception"] = name
    result = run_errspec("validate", "--spec", str(_write_project(data, tmp_path)))
    assert result.code == 2, result
    assert f'exception name "{name}" clashes with a name the generated SDKs use' in result.err


@pytest.mark.parametrize(
    "edit, where, hint",
    [
        (("codes", 1, "code"), "codes[1].code", "write 1001, without a decimal point"),
        (
            ("codes", 1, "http_status"),
            "codes[1] (1001).http_status",
            "write 401, without a decimal point",
        ),
        (("codes", 1, "example", "code"), "codes[1] (1001).example.code", "write 1001,"),
    ],
)
def test_a_float_where_an_integer_belongs_is_refused(
    tmp_path: Path, edit: tuple[Any, ...], where: str, hint: str
) -> None:
    data = _base()
    parent = data
    for part in edit[:-1]:
        parent = parent[part]
    parent[edit[-1]] = float(parent[edit[-1]])
    result = run_errspec("validate", "--spec", str(_write_project(data, tmp_path)))
    assert result.code == 2, result
    assert f"{where}: expected integer, got number" in result.err and hint in result.err


@pytest.mark.parametrize("length, refused", [(1024, False), (1025, True), (1100, True)])
def test_a_route_too_long_for_a_yaml_key_is_refused(
    tmp_path: Path, length: int, refused: bool
) -> None:
    """The OpenAPI output writes each route as an implicit YAML key: at most 1024 characters."""
    spec = _write_project(_base(), tmp_path)
    surface = spec.parent / "openapi.yaml"
    route = "/" + "r" * (length - 1)
    text = surface.read_text(encoding="utf-8")
    surface.write_text(
        text.replace("\npaths:\n", f"\npaths:\n  ? {route}\n  : get: {{responses: {{}}}}\n"),
        encoding="utf-8",
    )
    result = run_errspec("generate", "--spec", str(spec), "--out", "out", cwd=tmp_path)
    assert "internal error" not in result.err
    if refused:
        assert result.code == 2, result
        assert f"route is {length} characters long as a YAML key, more than the 1024" in result.err
    else:
        assert result.code == 0, result
        doc = yaml_load((tmp_path / "out" / "openapi.yaml").read_text(encoding="utf-8"))
        assert route in doc["paths"]


def test_a_name_too_long_for_the_outputs_is_refused(tmp_path: Path) -> None:
    data = _base()
    data["codes"][1]["name"] = "INVALID_" + "K" * 1100
    result = run_errspec("validate", "--spec", str(_write_project(data, tmp_path)))
    assert result.code == 2, result
    assert "codes[1] (1001).name: is 1108 characters long, more than 200; shorten it" in result.err


# -- the property --------------------------------------------------------------------------

_CAMEL = st.from_regex(r"[A-Z][A-Za-z0-9]{0,11}", fullmatch=True)
# Mostly free names; now and then one the SDKs use (validate must refuse those, never crash).
_EXCEPTIONS = st.one_of(
    _CAMEL,
    _CAMEL,
    _CAMEL,
    st.sampled_from(sorted(RESERVED) + ["ValueError", "Exception", BASE_CLASS]),
)
_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=24
).map(str.strip)
_IDENTIFIER = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)


@st.composite
def variants(draw: st.DrawFn) -> dict[str, Any]:
    """The fixture registry with what templates turn into code varied."""
    data = _base()
    auth, limit = data["categories"][1], data["categories"][2]
    auth["exception"] = draw(_EXCEPTIONS)
    limit["exception"] = draw(_EXCEPTIONS)
    auth["id"] = draw(st.sampled_from(["auth", "a", "error_code", "class", "default"]))
    entry = data["codes"][1]
    entry["category"] = auth["id"]
    entry["name"] = draw(st.from_regex(r"[A-Z][A-Z0-9]{0,10}(_[A-Z0-9]{1,6}){0,3}", fullmatch=True))
    entry["http_status"] = draw(st.integers(400, 599))  # only code 0 may have a non-error status
    entry["message"] = draw(_TEXT)
    entry["meaning"] = {"zh": draw(_TEXT), "en": draw(_TEXT)}
    entry["example"]["message"] = entry["message"]
    entry["retryable"] = draw(st.booleans())
    if entry["retryable"]:
        entry["retry_after"] = draw(st.booleans())
    if draw(st.booleans()):
        field = {
            "name": draw(_IDENTIFIER),
            "type": draw(st.sampled_from(["integer", "string", "object"])),
            "required": False,
            "description": {"zh": draw(_TEXT), "en": draw(_TEXT)},
        }
        data["envelopes"]["http"]["fields"].append(field)
    return data


def _validates(data: dict[str, Any]) -> bool:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    try:
        spec_of(text, "errors.yaml")
    except SpecError:
        return False
    return True


def _generate(spec: Path, out: Path) -> tuple[int, str]:
    result = run_errspec("generate", "--spec", str(spec), "--out", str(out))
    return result.code, result.err


_PYTHON_CHECK = """
import glob, importlib.util, json, sys
for i, (folder, exceptions) in enumerate(json.loads(sys.argv[1])):
    name = f"out{i}"
    spec = importlib.util.spec_from_file_location(
        name, f"{folder}/python/__init__.py", submodule_search_locations=[f"{folder}/python"]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    module = importlib.import_module(f"{name}.exceptions")
    importlib.import_module(f"{name}.models")
    for code, cls in exceptions.items():
        try:
            module.raise_for_envelope({"code": int(code), "message": "m"})
        except module.ApiError as error:
            assert type(error).__name__ == cls, (folder, code, type(error), cls)
        else:
            raise AssertionError((folder, code))
    for path in glob.glob(f"{folder}/snippets/handle_error.*.py"):
        compile(open(path, encoding="utf-8").read(), path, "exec")
print(len(json.loads(sys.argv[1])))
"""

_NODE_CHECK = """
const cases = JSON.parse(process.argv[1]);
for (const [folder, exceptions] of cases) {
  const sdk = await import(new URL(`file://${folder}/js/errors.js`).href);
  for (const [code, cls] of Object.entries(exceptions)) {
    try { sdk.raiseForEnvelope({ code: Number(code), message: "m" }); throw new Error("no throw"); }
    catch (e) { if (e.constructor.name !== cls) throw new Error(`${folder} ${code}: ${e.constructor.name} != ${cls}`); }
  }
}
console.log(cases.length);
"""


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=variants())
@example(data=_base())  # the fixture itself: at least one registry that validates
def _property(data: dict[str, Any], batch: list[tuple[Path, dict[str, Any]]], root: Path) -> None:
    if not _validates(data):
        return  # validate refuses it: nothing to prove
    folder = root / f"case{len(batch)}"
    spec = _write_project(data, folder)
    code, err = _generate(spec, folder / "out")
    assert code == 0, f"validate says valid, generate fails:\n{err}"
    doc = yaml_load((folder / "out" / "openapi.yaml").read_text(encoding="utf-8"))
    assert doc["components"]["schemas"]["ErrorCode"]["enum"]
    batch.append((folder / "out", data))


def test_validate_0_means_generate_0(tmp_path: Path) -> None:
    """The property alone, in this process; every output loading in its tool is the next test."""
    batch: list[tuple[Path, dict[str, Any]]] = []
    _property(batch=batch, root=tmp_path)
    assert batch, "no example was valid: the strategies need fixing"


@pytest.mark.slow  # python, black, node and tsc load every example's outputs
def test_validate_0_means_generate_0_and_every_output_loads(tmp_path: Path) -> None:
    batch: list[tuple[Path, dict[str, Any]]] = []
    _property(batch=batch, root=tmp_path)
    assert batch, "no example was valid: the strategies need fixing"
    cases = []
    for out, data in batch:
        categories = {c["id"]: c["exception"] for c in data["categories"]}
        exceptions = {str(e["code"]): categories[e["category"]] for e in data["codes"] if e["code"]}
        cases.append((str(out), exceptions))
    argument = json.dumps(cases)
    python = run_tool([sys.executable, "-c", _PYTHON_CHECK, argument])
    assert python.returncode == 0, python.stderr
    # Templates render black-stable Python (black is not on the hot path): any registry.
    files = [str(p) for out, _ in batch for p in sorted((out / "python").glob("*.py"))]
    black = run_tool(
        [sys.executable, "-m", "black", "--config", os.devnull, "--check", "--line-length", "88"]
        + ["--target-version", "py311", *files]
    )
    assert black.returncode == 0, black.stderr
    loaded = run_tool([node_executable(), "--input-type=module", "-e", _NODE_CHECK, argument])
    assert loaded.returncode == 0, loaded.stderr
    # One tsc run over every example's declarations.
    usages = []
    for i, (out, data) in enumerate(batch):
        names = sorted({c["exception"] for c in data["categories"]} - {BASE_CLASS})
        usage = out / "usage.ts"
        usage.write_text(
            f'import {{ ApiError, {", ".join(names)} }} from "./js/errors.js";\n'
            + "".join(
                f"declare const e{j}: {n};\nexport const a{j}: ApiError = e{j};\n"
                for j, n in enumerate(names)
            ),
            encoding="utf-8",
        )
        (out / "package.json").write_text('{"type": "module"}', encoding="utf-8")
        usages.append(str(usage))
    config = json.loads((JS_TESTS / "tsconfig.json").read_text(encoding="utf-8"))
    config["files"] = usages
    (tmp_path / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    tsc = run_tool([node_tool("tsc"), "-p", tmp_path / "tsconfig.json"])
    assert tsc.returncode == 0, tsc.stdout
