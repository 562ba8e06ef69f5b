"""Every shortcut of the fast path gives the answer of the path it replaces.

The output cache and the spec cache (stale, foreign, damaged entries; every input
that must invalidate them), the post-processing workers, and the small speed-ups:
double-quoted Python literals, inlined schema references, the control-character
pre-filter, the trimmed diff, positions found on demand, direct scalar
construction, the paused garbage collector.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
import json
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import black
import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import generator.postprocess
from conftest import GENERATED, ROOT, SPEC, dump_spec, load_spec_data, run_errspec, tree_bytes
from generator import cache, workers
from generator.diagnostics import SpecError
from generator.filters import py, py_dq
from generator.load import parse
from generator.output import unified_diff
from generator.rules import UNCLEAN
from generator.schema import SCHEMA_PATH, inline_refs
from generator.spec import load_spec, parse_and_validate

BAD_SPECS = sorted((ROOT / "tests" / "bad_specs").glob("*.yaml"))


# --- a copy of the project, whose templates, generator and schema a test may edit -------------------


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """generator/, templates/, spec/, generated/ and pyproject.toml, with a cache of their own."""
    proj = tmp_path / "proj"
    for name in ("generator", "templates", "spec", "generated"):
        shutil.copytree(ROOT / name, proj / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", proj / "pyproject.toml")
    return proj


def _cli(proj: Path, *args: str, **env: str) -> tuple[int, str]:
    result = run_errspec(
        *args, cwd=proj, env={"PYTHONPATH": str(proj), "ERRSPEC_CACHE": str(proj / "cache"), **env}
    )
    return result.code, result.out + result.err


def _entries(proj: Path, kind: str) -> list[Path]:
    return sorted((proj / "cache").glob(f"{kind}-*.pickle"))


def test_the_copy_runs_its_own_generator(copy: Path) -> None:
    where = subprocess.run(
        [sys.executable, "-c", "import generator; print(generator.__file__)"],
        cwd=copy,
        env={**os.environ, "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
    )
    assert where.stdout.strip() == str(copy / "generator" / "__init__.py")


def test_a_cache_hit_still_compares_with_the_files_on_disk(copy: Path) -> None:
    assert _cli(copy, "check")[0] == 0
    assert _entries(copy, "outputs") and _entries(copy, "spec")
    assert _cli(copy, "check")[0] == 0  # from the cache
    page = copy / "generated" / "docs" / "errors.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "hand edit\n", encoding="utf-8")
    code, out = _cli(copy, "check")
    assert code == 1 and "generated/docs/errors.en.md: differs" in out and "\n-hand edit\n" in out


@pytest.mark.parametrize(
    "edit", ["template", "partial", "generator", "schema", "pyproject", "spec", "surface"]
)
def test_every_input_invalidates_the_caches(copy: Path, edit: str) -> None:
    assert _cli(copy, "check")[0] == 0  # both caches now hold the current outputs
    edits = {  # file, text in it, replacement: each changes what is generated (or, for the
        # schema, makes the spec invalid: a cached Spec must not be used)
        "template": (
            "templates/docs/errors.md.jinja",
            "{{ spec.page.closing[lang] }}",
            "{{ spec.page.closing[lang] }}!",
        ),
        "partial": (
            "templates/snippets/_handler.py.jinja",
            "def ",
            "def  ",
        ),  # reached through {% include %}
        "generator": ("generator/filters.py", "indent=2", "indent=3"),
        "schema": ("spec/errors.schema.json", '"minLength": 1}', '"minLength": 1, "maxLength": 5}'),
        "pyproject": (
            "pyproject.toml",
            "[project]",
            "# edited\n[project]",
        ),  # datamodel-code-generator reads it
        "spec": ("spec/errors.yaml", "    message: ", "    message: edited "),
        "surface": ("spec/openapi.yaml", "summary: ", "summary: edited "),
    }
    path, old, new = edits[edit]
    text = (copy / path).read_text(encoding="utf-8")
    assert old in text, f"{path} no longer contains {old!r}: update this test"
    (copy / path).write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out = _cli(copy, "check")
    if edit == "schema":
        assert code == 2 and "codes[" in out, out
    elif edit == "pyproject":
        assert code == 0  # no output changes, but it was a miss: a new entry was stored
        assert len(_entries(copy, "outputs")) == 2
    else:
        assert code == 1, out
        assert _cli(copy, "generate")[0] == 0
        assert _cli(copy, "check")[0] == 0
        assert tree_bytes(copy / "generated") != tree_bytes(GENERATED)


def test_an_invalid_spec_is_never_cached(copy: Path) -> None:
    spec = copy / "spec" / "errors.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("http_status: 401", "http_status: 4011", 1),
        encoding="utf-8",
    )
    for _ in range(2):
        code, out = _cli(copy, "check")
        assert code == 2 and "4011" in out
    assert not _entries(copy, "outputs") and not _entries(copy, "spec")


def _damage(path: Path, how: str, rng: random.Random) -> None:
    data = path.read_bytes()
    if how == "garbage":
        path.write_bytes(b"not a pickle")
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "flipped":
        at = rng.randrange(len(data))
        path.write_bytes(data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :])
    elif how == "foreign":  # a well-formed entry, for another key
        key, _, payload = pickle.loads(data)
        files = (
            {rel: "WRONG" for rel in pickle.loads(payload)}
            if path.name.startswith("outputs")
            else None
        )
        other = pickle.dumps(files)
        path.write_bytes(pickle.dumps(("0" * 64, hashlib.sha256(other).hexdigest(), other)))
    elif how == "unhashed":  # right key, content changed without its hash
        key, digest, payload = pickle.loads(data)
        files = pickle.loads(payload)
        if isinstance(files, dict):
            files = {rel: "WRONG" for rel in files}
        path.write_bytes(pickle.dumps((key, digest, pickle.dumps(files))))


@pytest.mark.parametrize("how", ["garbage", "empty", "truncated", "flipped", "foreign", "unhashed"])
def test_a_damaged_cache_entry_changes_nothing(copy: Path, how: str) -> None:
    assert _cli(copy, "check")[0] == 0
    rng = random.Random(how)
    for entry in _entries(copy, "outputs") + _entries(copy, "spec"):
        _damage(entry, how, rng)
    assert _cli(copy, "check")[0] == 0
    for entry in _entries(copy, "outputs") + _entries(copy, "spec"):
        _damage(entry, how, rng)
    shutil.rmtree(copy / "generated")
    assert _cli(copy, "generate")[0] == 0
    assert tree_bytes(copy / "generated") == tree_bytes(GENERATED)


# --- the same, in process: every damaged byte, races, pruning -----------------------------------------


@pytest.fixture
def cache_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ERRSPEC_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_no_flipped_byte_of_an_output_entry_is_believed(cache_in: Path) -> None:
    files = {"a.txt": "alpha\n" * 50, "b/c.py": "x = 1\n"}
    cache.store_outputs("k" * 64, files)
    (entry,) = cache_in.glob("outputs-*.pickle")
    data = entry.read_bytes()
    for at in range(len(data)):
        entry.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :])
        assert cache.load_outputs("k" * 64) in (None, files), at
    entry.write_bytes(data)
    assert cache.load_outputs("k" * 64) == files


def test_no_flipped_byte_of_a_spec_entry_is_believed(cache_in: Path) -> None:
    fresh = parse_and_validate(SPEC.read_text(encoding="utf-8"), "spec/errors.yaml")
    assert load_spec(SPEC) == fresh  # stores it
    (entry,) = cache_in.glob("spec-*.pickle")
    data = entry.read_bytes()
    for at in random.Random(1).sample(range(len(data)), 300):
        entry.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :])
        assert load_spec(SPEC) == fresh, at
        entry.write_bytes(data)


def test_an_input_edited_during_a_run_is_not_stored(cache_in: Path, tmp_path: Path) -> None:
    spec, surface = tmp_path / "errors.yaml", tmp_path / "openapi.yaml"
    spec.write_text("a", encoding="utf-8")
    surface.write_text("b", encoding="utf-8")
    before = cache.outputs_key(b"a", b"b")

    def produce() -> dict[str, str]:
        spec.write_text("edited", encoding="utf-8")
        return {"x": "made from a"}

    assert cache.cached_outputs(spec, surface, produce) == {"x": "made from a"}
    assert cache.load_outputs(before) is None
    assert cache.load_outputs(cache.outputs_key(b"edited", b"b")) is None


def test_without_a_cache_every_run_produces(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ERRSPEC_CACHE", "0")
    calls = []
    for _ in range(2):
        cache.cached_outputs(SPEC, ROOT / "spec" / "openapi.yaml", lambda: calls.append(1) or {})  # type: ignore[func-returns-value]
    assert calls == [1, 1]


def test_old_output_entries_are_pruned(cache_in: Path) -> None:
    keys = [f"{i:032d}" * 2 for i in range(cache.KEEP + 3)]
    for i, key in enumerate(keys):
        cache.store_outputs(key, {"f": str(i)})
        os.utime(cache_in / f"outputs-{key[:32]}.pickle", ns=(i * 10**9, i * 10**9))
    assert len(list(cache_in.glob("outputs-*.pickle"))) == cache.KEEP
    assert [cache.load_outputs(key) for key in keys] == [None] * 3 + [
        {"f": str(i)} for i in range(3, len(keys))
    ]


def test_installed_tools_are_part_of_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    key = cache.outputs_key(b"s", b"o")
    monkeypatch.setattr(cache, "distributions", lambda: ["black-99.0.dist-info"])
    assert cache.outputs_key(b"s", b"o") != key
    assert cache.outputs_key(b"s", b"o") != cache.outputs_key(b"s", b"o2")


# --- post-processing workers ---------------------------------------------------------------------------


def _generate(out: Path, spec: Path, **env: str) -> dict[str, bytes]:
    result = run_errspec(
        "generate", "--spec", str(spec), "--out", str(out), env={"ERRSPEC_CACHE": "0", **env}
    )
    assert result.code == 0, result.err
    return tree_bytes(out)


def test_workers_and_the_plain_pipeline_write_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    from bench.synth import write_workspace

    with_workers = _generate(tmp_path / "a", SPEC)
    assert (
        with_workers
        == _generate(tmp_path / "b", SPEC, ERRSPEC_WORKERS="0")
        == tree_bytes(GENERATED)
    )
    big = write_workspace(tmp_path / "big", 300)
    assert _generate(tmp_path / "c", big) == _generate(tmp_path / "d", big, ERRSPEC_WORKERS="0")


@pytest.fixture
def step(monkeypatch: pytest.MonkeyPatch) -> Any:
    def install(function: Any) -> None:
        monkeypatch.setitem(generator.postprocess.STEPS, "black", ("black", function))

    return install


def test_each_result_comes_back_to_its_job(step: Any) -> None:
    step(lambda text: text[::-1] * 2)
    texts = [f"job {i} " * (i * 20000) for i in range(5)]  # the largest do not fit in a pipe
    with workers.post_workers(["black"]):
        assert workers._active, "no worker started"
        pending = [workers.run("black", text) for text in texts]
        results = [get() for get in reversed(pending)]
    assert results == [text[::-1] * 2 for text in reversed(texts)]


def test_a_step_error_is_raised_by_the_caller(step: Any) -> None:
    def fail(text: str) -> str:
        raise ValueError(f"cannot format {text!r}\nsecond line")

    step(fail)
    with workers.post_workers(["black"]):
        get = workers.run("black", "x = (")
        with pytest.raises(ValueError, match=r"cannot format 'x = \('\nsecond line"):
            get()


def test_an_error_that_cannot_travel_is_still_an_error(step: Any) -> None:
    class Local(Exception):
        pass

    def fail(text: str) -> str:
        raise Local("local failure")

    step(fail)
    with workers.post_workers(["black"]):
        with pytest.raises(RuntimeError, match="Local: local failure"):
            workers.run("black", "x")()


@pytest.mark.parametrize("when", ["warm-up", "job"])
def test_a_dying_worker_is_an_error_not_a_result(step: Any, when: str) -> None:
    step(lambda text: os._exit(3) if when == "warm-up" or text == "die" else text)
    with workers.post_workers(["black"]):
        if when == "warm-up":  # wait until it is gone (without reaping it)
            os.waitid(os.P_PID, workers._active["black"].pid, os.WEXITED | os.WNOWAIT)
        with pytest.raises(RuntimeError, match="exited without finishing"):
            workers.run("black", "die")()


def test_workers_leave_no_process_and_no_file(
    step: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    step(lambda text: text)
    with pytest.raises(KeyError):
        with workers.post_workers(["black", "datamodel"]):
            assert workers.run("black", "x")() == "x"
            raise KeyError("the caller fails")
    assert not workers._active
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_without_workers_steps_run_in_process(step: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERRSPEC_WORKERS", "0")
    seen: list[int] = []
    step(lambda text: seen.append(os.getpid()) or text)  # type: ignore[func-returns-value]
    with workers.post_workers(["black"]):
        assert workers.run("black", "y")() == "y"
    assert seen == [os.getpid()]


# --- the small speed-ups -------------------------------------------------------------------------------

_MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(), st.tuples(st.text()), st.lists(st.text(), max_size=3).map(tuple)))
def test_py_dq_is_the_same_value_and_black_makes_it_the_same_code(value: Any) -> None:
    assert eval(py_dq(value)) == value  # noqa: S307 - a literal we produced
    assert black.format_str(f"x = {py_dq(value)}\n", mode=_MODE) == black.format_str(
        f"x = {py(value)}\n", mode=_MODE
    )


def _mutations(data: dict[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    """Variants of `data`, each with one node replaced, removed or extended."""
    paths: list[tuple[Any, ...]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        paths.append(path)
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node) if isinstance(node, list) else ()
        )
        for key, child in items:
            walk(child, (*path, key))

    walk(data, ())
    variants = []
    for path in rng.sample(paths[1:], min(60, len(paths) - 1)):
        replacement: Any
        for replacement in (12345, "x", None, [], {"unknown": 1}, "", -1, 1.5, True, Ellipsis):
            copy = json.loads(json.dumps(data))
            parent = copy
            for part in path[:-1]:
                parent = parent[part]
            if replacement is Ellipsis:
                del parent[path[-1]]
            else:
                parent[path[-1]] = replacement
            variants.append(copy)
    return variants


def _errors(validator: Any, data: Any) -> list[str]:
    """What schema.py reads of each error (a subschema itself differs: its references are inlined)."""
    return sorted(
        json.dumps(
            [
                list(e.absolute_path),
                e.validator,
                e.message,
                sorted(e.schema.get("properties", {})),
                (
                    e.validator_value
                    if e.validator in ("type", "enum", "pattern", "required")
                    else None
                ),
            ]
        )
        for e in validator.iter_errors(data)
    )


def test_inlined_schema_references_give_the_same_errors() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    original = jsonschema.Draft202012Validator(schema)
    inlined = jsonschema.Draft202012Validator(inline_refs(schema))
    outside = {k: v for k, v in inline_refs(schema).items() if k != "$defs"}
    assert json.dumps(outside).count("$ref") < json.dumps(schema).count("$ref") // 4
    samples = [load_spec_data()] + _mutations(load_spec_data(), random.Random(3))
    for path in BAD_SPECS:
        try:
            samples.append(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, UnicodeDecodeError, RecursionError, ValueError):
            pass
    found = 0
    for data in samples:
        expected = _errors(original, data)
        assert _errors(inlined, data) == expected
        found += len(expected)
    assert found > 500  # the samples do break the schema, in many ways


def test_the_control_character_prefilter_matches_exactly_what_the_rule_refuses() -> None:
    refused = {
        chr(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) in ("Cc", "Cs") or chr(c) in "\u2028\u2029"
    }
    matched = {chr(c) for c in range(sys.maxunicode + 1) if UNCLEAN.search(chr(c))}
    assert matched == refused


def _apply(a: list[str], patch: str) -> list[str]:
    """Apply a unified diff to `a`, checking every context and removed line."""
    out: list[str] = []
    at = 0
    lines = patch.splitlines(keepends=True)[2:]
    i = 0
    while i < len(lines):
        m = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@\n", lines[i])
        assert m, lines[i]
        start = int(m.group(1)) - (0 if m.group(2) == "0" else 1)
        out += a[at:start]
        at = start
        i += 1
        while i < len(lines) and not lines[i].startswith("@@"):
            tag, line = lines[i][0], lines[i][1:]
            if tag in " -":
                assert a[at] == line
                at += 1
            if tag in " +":
                out.append(line)
            i += 1
    return out + a[at:]


def test_the_trimmed_diff_applies_and_equals_difflib_where_lines_are_unique() -> None:
    rng = random.Random(5)
    for trial in range(1500):
        unique = trial % 2 == 0
        a = [
            (f"line {i}\n" if unique else rng.choice("abc") + "\n")
            for i in range(rng.randrange(80))
        ]
        b = list(a)
        for _ in range(rng.randrange(1, 5)):
            at = rng.randrange(len(b) + 1)
            kind = rng.randrange(3)
            if kind == 0 or not b:
                b.insert(at, f"new {rng.random()}\n" if unique else rng.choice("abz") + "\n")
            elif kind == 1:
                del b[min(at, len(b) - 1)]
            else:
                b[min(at, len(b) - 1)] = f"changed {rng.random()}\n"
        mine = unified_diff(a, b, "old", "new")
        assert (mine == "") == (a == b)
        if mine:
            assert _apply(a, mine) == b, (a, b, mine)
        if unique:
            assert mine == "".join(difflib.unified_diff(a, b, "old", "new"))


def _composed_positions(text: str) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """Positions of values and keys read off PyYAML's composed node graph (no aliases here)."""
    values: dict[Any, Any] = {}
    keys: dict[Any, Any] = {}

    def walk(node: yaml.Node, path: tuple[str | int, ...]) -> None:
        values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                keys[(*path, key.value)] = (key.start_mark.line + 1, key.start_mark.column + 1)
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    walk(yaml.compose(text, Loader=yaml.CSafeLoader), ())
    return values, keys


def test_positions_found_on_demand_equal_those_of_the_composed_graph() -> None:
    checked = 0
    for path in [SPEC, *BAD_SPECS]:
        try:
            text = path.read_text(encoding="utf-8")
            doc = parse(text, path.name)
        except (SpecError, UnicodeDecodeError, RecursionError):
            continue
        assert "_tables" not in doc.positions.__dict__  # nothing walked twice yet
        assert (doc.positions.values, doc.positions.keys) == _composed_positions(text)
        checked += 1
    assert checked > 5
    lines = SPEC.read_text(encoding="utf-8").splitlines()
    doc = parse(SPEC.read_text(encoding="utf-8"), "spec/errors.yaml")
    assert doc.positions.values[("codes", 1, "code")] == (lines.index("  - code: 1001") + 1, 11)


def test_scalars_read_directly_equal_what_pyyaml_constructs() -> None:
    text = (
        "ints: [0, -5, +3, 0x1A, 017, 1_000, 190:20:30]\n"
        "floats: [1.5, -0.5e3, .inf, -.Inf, 6.8523015e+5, 685.230_15e+03]\n"
        "bools: [yes, No, true, FALSE, on, Off, y, n]\n"
        "nulls: [~, null, Null, ]\n"
        "strings: ['0x1A', \"yes\", plain text, '', \"\\t\\u00e9\", !!str 123, 1.2.3]\n"
        "tagged: [!!int '42', !!float '1', !!bool 'true', !!null '']\n"
        "nested: {a: {b: [1, {c: d}]}}\n"
    )
    data = parse(text, "scalars.yaml").data
    assert data == yaml.load(text, Loader=yaml.CSafeLoader)
    assert [type(v) for v in data["ints"]] == [int] * 7
    nan = parse("x: .nan\n", "nan.yaml").data["x"]
    assert nan != nan


def test_parsing_gives_the_collector_back(tmp_path: Path) -> None:
    assert gc.isenabled()
    parse_and_validate(SPEC.read_text(encoding="utf-8"), "spec/errors.yaml")
    assert gc.isenabled()
    data = load_spec_data()
    data["codes"][1]["http_status"] = "401"
    with pytest.raises(SpecError):
        parse_and_validate(
            dump_spec(data, tmp_path / "bad.yaml").read_text(encoding="utf-8"), "bad.yaml"
        )
    assert gc.isenabled()
