"""What the tests share: where things are, the two ways to run errspec, small spec factories,
the pipeline's stages called one by one, and the readers of what errspec writes.

Test modules import from here and never from each other; conftest.py holds the fixtures.

Two projects matter. The *live* project is the registry this checkout ships (spec/ and
generated/), or the project that `ERRSPEC_TEST_PROJECT=DIR` names: the tests marked `live`
read it, and every expectation they have is computed from its spec. Everything else runs on
a fixture: tests/fixtures/published/ (the registry frozen when it reproduced the published
page: its codes and texts never move) or tests/fixtures/minimal/ (a small registry).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterator

import pytest
import yaml

from generator import cli
from generator.diagnostics import SpecError, raise_problems
from generator.load import parse
from generator.load.builder import _read_12 as read_12
from generator.model import Spec
from generator.pipeline import check_spec
from generator.postprocess import STEPS, postprocess
from generator.read import read_text
from generator.render import render
from generator.rules.surface import surface_problems
from generator.surface import Surface, surface_of
from generator.targets import TARGETS, Target, expand
from generator.workers import Workers

# --- where things are ---------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
FIXTURES = TESTS / "fixtures"
# The registry as it stood when it reproduced the published page (fixtures/published/README.md).
FROZEN = FIXTURES / "published"
PUBLISHED_PAGE = FIXTURES / "published-error-codes.zh.md"
MINIMAL = FIXTURES / "minimal"
JS_TESTS = TESTS / "js"
GO_TESTS = TESTS / "go"
NODE_BIN = ROOT / "node_modules" / ".bin"
WHEELHOUSE = ROOT / ".venv" / "wheelhouse"  # pydantic and errspec's dependencies (make install)

# The live project: this checkout's registry, or the project ERRSPEC_TEST_PROJECT names.
LIVE = Path(os.environ.get("ERRSPEC_TEST_PROJECT") or ROOT).resolve()
LIVE_SPEC = LIVE / "spec" / "errors.yaml"
LIVE_SURFACE = LIVE / "spec" / "openapi.yaml"
LIVE_OUT = LIVE / "generated"


def copy_project(source: Path, target: Path) -> Path:
    """`target` with spec/ and generated/ of the project `source` (no bytecode)."""
    shutil.copytree(source / "spec", target / "spec")
    if (source / "generated").is_dir():
        shutil.copytree(
            source / "generated", target / "generated", ignore=shutil.ignore_patterns("__pycache__")
        )
    return target


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes (bytecode that imports write left out)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


# --- running errspec ----------------------------------------------------------------------


@dataclass
class Result:
    code: int
    out: str
    err: str


# Read when Python starts, or by a process errspec forks: a test that sets one of these must
# run errspec in a process of its own (run_errspec_process).
PROCESS_ONLY = frozenset(
    {"PYTHONPATH", "PYTHONHASHSEED", "PYTHONDONTWRITEBYTECODE", "LC_ALL", "LANG", "TZ"}
)


def run_errspec(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Result:
    """`errspec ARGS`, run in this process as a fresh process would run it: `cli.main(ARGS)`
    with its own stdout and stderr, in `cwd`, with `env` over this process's environment
    (restored afterwards), a cache directory of its own unless `env` names ERRSPEC_CACHE,
    and no worker processes (ERRSPEC_WORKERS=0: nothing forks the test process). argparse's
    SystemExit becomes its code.

    The stages' module caches (the Jinja environment, the JSON Schema validators) hold for
    the checkout's templates and schema: a test that edits errspec itself, or sets what a
    process reads only at its start (PROCESS_ONLY), uses run_errspec_process."""
    env = dict(env or {})
    refused = sorted(env.keys() & PROCESS_ONLY)
    assert not refused, f"{refused} are read at a process's start: use run_errspec_process"
    assert env.get("ERRSPEC_WORKERS", "0") == "0", "workers fork: use run_errspec_process"
    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    with tempfile.TemporaryDirectory(prefix="errspec-run-") as scratch:
        env.setdefault("ERRSPEC_CACHE", os.path.join(scratch, "cache"))
        env["ERRSPEC_WORKERS"] = "0"
        streams = sys.stdout, sys.stderr
        try:
            os.environ.update(env)
            os.chdir(cwd)
            sys.stdout, sys.stderr = out, err
            try:
                code = cli.main(list(args))
            except SystemExit as exc:  # argparse: --help, --version, a usage error
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        finally:
            sys.stdout, sys.stderr = streams
            os.chdir(saved_cwd)
            os.environ.clear()
            os.environ.update(saved_env)
    return Result(code, out.getvalue(), err.getvalue())


_WARNING_LINE = re.compile(
    r"^(?:[^\n]*:\d+:\d+: warning: [^\n]*|errspec: \d+ warning\(s\) in the spec|errspec: note: [^\n]*)\n",
    re.M,
)


def without_warnings(text: str) -> str:
    """`text` without the spec's warnings, their count and the notes that generate and check
    print before what they do."""
    return _WARNING_LINE.sub("", text)


def user_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell: this one with bytecode writing on, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **extra}


def run_errspec_process(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float = 300
) -> Result:
    """`python -m generator ARGS` in a fresh process (bytecode on, as on users' machines), for
    what only a process shows: exit codes of a crash, workers and fork, bytecode, environment
    read at start, signals, concurrency, an edited copy of errspec (PYTHONPATH in `env`). A
    cache directory of its own unless `env` names ERRSPEC_CACHE."""
    with tempfile.TemporaryDirectory(prefix="errspec-run-") as scratch:
        full = user_env(
            **{
                "PYTHONPATH": str(ROOT),
                "ERRSPEC_CACHE": os.path.join(scratch, "cache"),
                **(env or {}),
            }
        )
        proc = subprocess.run(
            [sys.executable, "-m", "generator", *args],
            cwd=cwd,
            env=full,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    return Result(proc.returncode, proc.stdout, proc.stderr)


# A probe's own peak RSS in KiB, as a Python expression: VmHWM of /proc/self/status, since
# ru_maxrss carries the parent's peak over fork and exec (pytest may have grown large).
PEAK_KIB = (
    "int(__import__('re').search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))"
)


def run_python(
    code: str, cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`python -c CODE` with this checkout importable, for what only a process of its own can
    measure (its peak memory) or show."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=user_env(**{"PYTHONPATH": str(ROOT), **(env or {})}),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_tool(
    args: list[str | Path],
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    input: str | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """A toolchain command (node, tsc, npm, mypy...) as a user's shell runs it, offline: no
    telemetry, no update checks, no network for pip and npm."""
    quiet = {
        "PIP_NO_INDEX": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "NO_UPDATE_NOTIFIER": "1",
        "NPM_CONFIG_UPDATE_NOTIFIER": "false",
        "NPM_CONFIG_AUDIT": "false",
        "NPM_CONFIG_FUND": "false",
        "NPM_CONFIG_OFFLINE": "true",
        "DO_NOT_TRACK": "1",
        "REDOCLY_TELEMETRY": "off",
        "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
        "SCARF_ANALYTICS": "false",
    }
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=user_env(**{**quiet, **(env or {})}),
        input=input,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def ok(proc: subprocess.CompletedProcess[str]) -> str:
    """The output of a command that must succeed."""
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def node() -> str:
    """The node executable; CI installs it, so its absence is a failure, not a skip."""
    found = shutil.which("node")
    if found is None:
        pytest.fail("node is not on PATH; install Node 20 (CI does: .ci/run)")
    return found


def go_tool() -> str:
    """The go executable; CI installs it (.ci/run), so its absence is a failure, not a skip."""
    found = shutil.which("go")
    if found is None:
        pytest.fail(
            "go is not on PATH; install Go 1.19+ (Debian: apt-get install golang; CI does: .ci/run)"
        )
    return found


# Go offline, with the toolchain installed: no module proxy, no toolchain download.
GO_ENV = {"GOPROXY": "off", "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local", "GOTELEMETRY": "off"}


def go_module(package: Path, target: Path, *tests: Path) -> Path:
    """A copy of a generated Go package at `target`, with test files (ERRSPEC_MODULE and
    ERRSPEC_PACKAGE in them replaced by the package's module path and name)."""
    shutil.copytree(package, target, ignore=shutil.ignore_patterns(".errspec-output"))
    module = (target / "go.mod").read_text(encoding="utf-8").split("module ", 1)[1].split()[0]
    name = re.search(r"(?m)^package (\w+)$", (target / "codes.go").read_text(encoding="utf-8"))
    assert name is not None
    for test in tests:
        text = test.read_text(encoding="utf-8").replace("ERRSPEC_MODULE", module)
        text = text.replace("ERRSPEC_PACKAGE", name.group(1))
        (target / test.name).write_text(text, encoding="utf-8")
    return target


def node_tool(name: str) -> str:
    """A tool of package.json (tsc, eslint, prism...); missing is a failure, not a skip."""
    path = NODE_BIN / name
    if not path.exists():
        pytest.fail(f"node_modules/.bin/{name} is missing; run `make install` (npm ci)")
    return str(path)


def run_pytest(
    *args: str, project: Path, timeout: float = 1800
) -> subprocess.CompletedProcess[str]:
    """This suite's tests in a pytest of their own, with the live project at `project`."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env=user_env(ERRSPEC_TEST_PROJECT=str(project)),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --- spec data and its factories ----------------------------------------------------------


def yaml_load(text: str) -> Any:
    """yaml.safe_load through libyaml: the same data, ten times faster."""
    return yaml.load(text, Loader=yaml.CSafeLoader)


def load_data(path: Path) -> dict[str, Any]:
    """A spec file as plain data, to derive variants from."""
    data: dict[str, Any] = yaml_load(path.read_text(encoding="utf-8"))
    return data


def frozen_data() -> dict[str, Any]:
    """The frozen published registry as plain data."""
    return load_data(FROZEN / "errors.yaml")


def minimal_data() -> dict[str, Any]:
    """The minimal registry (tests/fixtures/minimal) as plain data."""
    return load_data(MINIMAL / "errors.yaml")


def live_data() -> dict[str, Any]:
    """The live spec as plain data."""
    return load_data(LIVE_SPEC)


class Yaml12Dumper(yaml.SafeDumper):
    """PyYAML's dumper, quoting every string that YAML 1.2 would read as something else
    (PyYAML, a YAML 1.1 emitter, writes 1e3, 0o17 or 08 plain): what people who write their
    spec with PyYAML have to do too."""


def _str_12(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if read_12(value)[0] != "str" else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


Yaml12Dumper.add_representer(str, _str_12)


def yaml_text(data: Any, **options: Any) -> str:
    """`data` as YAML that YAML 1.1 and 1.2 read alike (see Yaml12Dumper)."""
    return yaml.dump(data, Dumper=Yaml12Dumper, **options)


def dump_spec(data: dict[str, Any], path: Path) -> Path:
    """Write spec data as YAML."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml_text(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_project(
    data: dict[str, Any], folder: Path, surface: Path = MINIMAL / "openapi.yaml"
) -> Path:
    """folder/spec/errors.yaml from `data`, with `surface` beside it; the spec's path."""
    (folder / "spec").mkdir(parents=True)
    shutil.copy(surface, folder / "spec" / "openapi.yaml")
    return dump_spec(data, folder / "spec" / "errors.yaml")


def localized(text: str, locales: tuple[str, ...] = ("zh", "en")) -> dict[str, str]:
    """One text in every locale."""
    return {lang: text for lang in locales}


def code_entry(code: int = 3005, **overrides: Any) -> dict[str, Any]:
    """A code of `codes:` as a person writes it (in the frozen registry's categories by
    default); `overrides` replace or add keys, and a None value removes one."""
    message = overrides.get("message", f"Error {code}")
    entry: dict[str, Any] = {
        "code": code,
        "name": f"ERROR_{code}",
        "category": "rate_limit",
        "message": message,
        "http_status": 400,
        "transports": ["http"],
        "meaning": localized(message),
        "example": {"code": code, "message": message},
    }
    entry.update(overrides)
    return {key: value for key, value in entry.items() if value is not None}


def retired_entry(code: int, name: str, **overrides: Any) -> dict[str, Any]:
    """An entry of `retired:`."""
    entry = {"code": code, "name": name, "reason": localized("Retired"), "since": "2.0.0"}
    entry.update(overrides)
    return entry


def category_entry(cid: str, low: int, high: int, **overrides: Any) -> dict[str, Any]:
    """An entry of `categories:`."""
    entry = {
        "id": cid,
        "range": [low, high],
        "label": f"{low // 1000}xxx",
        "exception": "".join(part.title() for part in cid.split("_")) + "Error",
        "title": localized(cid.replace("_", " ").title()),
    }
    entry.update(overrides)
    return entry


DEPRECATED, REPLACEMENT, RETIRED, SENT_INSTEAD = 2002, 2001, 2003, 2004


def lifecycle_data() -> dict[str, Any]:
    """The frozen registry with 2002 deprecated for 2001, 2003 retired for 2004, and 2004
    saying when it appeared."""
    data = frozen_data()
    codes = {raw["code"]: raw for raw in data["codes"]}
    codes[DEPRECATED]["deprecated"] = {
        "since": "1.4.0",
        "reason": {"zh": "参数校验已合并", "en": "The parameter checks were merged"},
        "replacement": REPLACEMENT,
    }
    codes[SENT_INSTEAD]["introduced"] = "1.2.0"
    retired = codes[RETIRED]
    data["codes"].remove(retired)
    data["handler"]["cases"] = [
        dict(case, codes=[c for c in case["codes"] if c != RETIRED])
        for case in data["handler"]["cases"]
    ]
    data["handler"]["cases"] = [case for case in data["handler"]["cases"] if case["codes"]]
    data["retired"] = [
        retired_entry(
            RETIRED,
            retired["name"],
            since="1.5.0",
            reason={"zh": "已由 2004 取代", "en": "Replaced by 2004"},
            replacement=SENT_INSTEAD,
        )
    ]
    return data


def entry_of(data: dict[str, Any], code: int) -> dict[str, Any]:
    """The raw entry of `code` in spec data."""
    return next(raw for raw in data["codes"] if raw["code"] == code)


def localized_texts(value: Any, locales: list[str], partial: bool = False) -> list[dict[str, Any]]:
    """Every localized text of spec data: each mapping whose keys are exactly the locales
    (`partial`: some of them, as in a spec with a fallback)."""
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        keys = set(value)
        if value and (keys <= set(locales) if partial else keys == set(locales)):
            found.append(value)
        else:
            for item in value.values():
                found += localized_texts(item, locales, partial)
    elif isinstance(value, list):
        for item in value:
            found += localized_texts(item, locales, partial)
    return found


# --- the pipeline's stages, one by one ----------------------------------------------------


def load_spec(path: Path, display: str | None = None) -> Spec:
    """The validated Spec in the file `path`; raises SpecError listing every problem."""
    display = display or str(path)
    return check_spec(read_text(path, display), display).spec


def spec_of(text: str, display: str = "spec.yaml") -> Spec:
    """The validated Spec of a YAML text; raises SpecError listing every problem."""
    return check_spec(text, display).spec


def spec_of_data(data: dict[str, Any], display: str = "spec.yaml") -> Spec:
    """The validated Spec of spec data, as the YAML file it dumps to."""
    return spec_of(yaml_text(data, allow_unicode=True, sort_keys=False), display)


def problems_of(data: dict[str, Any], display: str = "spec/errors.yaml") -> list[str]:
    """Every problem the spec's stages find in spec data, as printed ([] when it is valid)."""
    try:
        spec_of_data(data, display)
    except SpecError as exc:
        return [str(d) for d in exc.diagnostics]
    return []


def setting(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation of spec data: the value at `path` becomes `value`."""

    def mutate(data: dict[str, Any]) -> None:
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return mutate


def load_surface(path: Path, display: str, spec: Spec) -> Surface:
    """The API surface in the file `path`, checked against `spec`."""
    doc = parse(read_text(path, display), display)
    raise_problems(surface_problems(doc, spec))
    return surface_of(doc, spec)


def targets_of(spec: Spec, prefix: str = "") -> tuple[Target, ...]:
    """The target table with one row per locale of `spec`, the paths under `prefix`."""
    return tuple(t for t in expand(TARGETS, spec.locales) if t.path.startswith(prefix))


def render_all(
    spec: Spec, surface: Surface | None = None, targets: tuple[Target, ...] | None = None
) -> dict[str, str]:
    """render -> post-process, in this process: {path: text} of `targets` (default: all)."""
    rows = expand(TARGETS if targets is None else targets, spec.locales)
    texts = [render(t, spec=spec, surface=surface) for t in rows]  # type: ignore[arg-type]
    return postprocess(rows, texts, Workers.inline(STEPS))


def import_package(folder: Path, name: str) -> dict[str, ModuleType]:
    """A generated Python SDK folder imported as the package `name` (once), as a vendored copy
    would be, writing no bytecode into it: its error_codes, exceptions and models."""
    writes, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        if name not in sys.modules:
            found = importlib.util.spec_from_file_location(
                name, folder / "__init__.py", submodule_search_locations=[str(folder)]
            )
            assert found is not None and found.loader is not None
            package = importlib.util.module_from_spec(found)
            sys.modules[name] = package
            found.loader.exec_module(package)
        return {
            m: importlib.import_module(f"{name}.{m}")
            for m in ("error_codes", "exceptions", "models")
        }
    finally:
        sys.dont_write_bytecode = writes


@contextlib.contextmanager
def environ(**values: str | None) -> Iterator[None]:
    """os.environ with `values` set (None: unset), restored afterwards."""
    saved = {key: os.environ.get(key) for key in values}
    try:
        for key, value in values.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# --- envelope bodies ----------------------------------------------------------------------


def published_examples() -> list[dict[str, Any]]:
    """Every ```json block of the published page, `{ ... }` placeholders replaced by {}."""
    blocks = re.findall(r"```json\n(.*?)```", PUBLISHED_PAGE.read_text(encoding="utf-8"), re.S)
    return [json.loads(block.replace("{ ... }", "{}")) for block in blocks]


def unknown_code(spec: Spec) -> int:
    """A code this SDK version does not know (the API may add it later)."""
    return max([e.code for e in spec.codes] + [r.code for r in spec.retired]) + 1


def envelope_kind(spec: Spec, body: dict[str, Any]) -> str:
    """The schema a body is an instance of: SuccessEnvelope, ErrorEnvelope or WebSocketEnvelope."""
    websocket_only = {e.code for e in spec.codes if e.websocket_only}
    if "cmd" in body or body["code"] in websocket_only:
        return "WebSocketEnvelope"
    return "SuccessEnvelope" if body["code"] == 0 else "ErrorEnvelope"


# --- the docs team's everyday edit --------------------------------------------------------
# Made as a person makes it, by editing the text of spec/ (issue 23): add code 3005 (HTTP 413,
# zh and en texts) and list it in one operation's x-error-codes, reword 1001's wire message,
# retire 2003 the README's way (its entry moves to `retired` with `{code, name, reason,
# since}`, and it leaves every x-error-codes), and raise `release` as `errspec diff` asks.
# Every edit checks that its anchor text exists, so a spec that moved fails loudly instead
# of silently making no edit; run on the frozen registry, whose text never moves.


@dataclass(frozen=True)
class DocsTeamEdit:
    new_code: int = 3005
    new_name: str = "REQUEST_TOO_LARGE"
    new_status: int = 413
    new_code_after: int = 3004  # the entry the new one follows in the YAML
    new_code_operation: str = "/v1/market/depth"
    reworded: int = 1001
    new_message: str = "Invalid, expired or revoked token"
    retired: int = 2003
    since: str = "2.0.0"
    # What `errspec diff` asks for: retiring 2003 takes a member from the SDKs' ErrorCode.
    release: str = "2.0.0"

    def new_code_yaml(self) -> str:
        """The new code's entry, written as the entries around it are."""
        entry = code_entry(
            self.new_code,
            name=self.new_name,
            category="rate_limit",
            message="Request too large",
            http_status=self.new_status,
            meaning={"zh": "请求体过大", "en": "Request too large"},
            suggestion={"zh": "缩小请求范围", "en": "Ask for less data per request"},
            solution={
                "zh": "减少单次请求的数据量，分多次请求。",
                "en": "Ask for less data per request, and split large queries.",
            },
        )
        text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1 << 30)
        return "".join(f"  {line}\n" for line in text.splitlines()) + "\n"

    def retired_yaml(self, name: str) -> str:
        return (
            "retired:\n"
            f"  - code: {self.retired}\n"
            f"    name: {name}\n"
            "    reason:\n"
            "      zh: 时间范围参数已移除。\n"
            "      en: The time range parameters were removed.\n"
            f'    since: "{self.since}"\n'
        )

    def edit_errors(self, text: str) -> str:
        """spec/errors.yaml after the edit."""
        block = _code_block(text, self.reworded)
        old = re.search(r"^    message: (.*)$", block.group(0), re.M)
        if old is None:
            raise AssertionError(f"docs-team edit: no message for code {self.reworded}")
        reworded = (
            block.group(0)
            .replace(old.group(0), f"    message: {self.new_message}")
            .replace(f"message: {old.group(1)}}}", f"message: {json.dumps(self.new_message)}}}")
        )
        text = text[: block.start()] + reworded + text[block.end() :]

        retired = _code_block(text, self.retired)
        name = re.search(r"^    name: (\S+)$", retired.group(0), re.M)
        assert name is not None
        text = text[: retired.start()] + text[retired.end() :]
        text = _replace_once(text, "retired: []\n", self.retired_yaml(name.group(1)))

        after = _code_block(text, self.new_code_after)
        text = text[: after.end()] + self.new_code_yaml() + text[after.end() :]
        return re.sub(r"^release: .*$", f"release: {self.release}", text, count=1, flags=re.M)

    def edit_openapi(self, text: str) -> str:
        """spec/openapi.yaml: the new code listed in one operation's x-error-codes, the retired
        one in none."""
        lists = re.compile(r"x-error-codes: \[(.*)\]")
        target = lists.search(text, text.index(f"  {self.new_code_operation}:"))
        assert target is not None

        def edited(found: re.Match[str]) -> str:
            listed = {int(c) for c in found.group(1).split(",")} - {self.retired}
            if found.start() == target.start():
                listed.add(self.new_code)
            return f"x-error-codes: [{', '.join(map(str, sorted(listed)))}]"

        return lists.sub(edited, text)

    def apply(self, project: Path) -> None:
        """Make the edit in project/spec/ (errors.yaml and openapi.yaml)."""
        for name, edit in (("errors.yaml", self.edit_errors), ("openapi.yaml", self.edit_openapi)):
            path = project / "spec" / name
            path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")


DOCS_TEAM_EDIT = DocsTeamEdit()


def _replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise AssertionError(f"docs-team edit: expected {old!r} exactly once")
    return text.replace(old, new)


def _code_block(text: str, code: int) -> re.Match[str]:
    """The `  - code: N` item of `codes:` with its trailing blank line."""
    found = re.search(rf"^  - code: {code}\n(?:(?!  - |\S).*\n|\n)*", text, re.M)
    if found is None:
        raise AssertionError(f"docs-team edit: no entry for code {code}")
    return found


# --- the bad-spec corpus -----------------------------------------------------------------
# Most bad specs are one small patch of tests/bad_specs/_minimal_valid.yaml: the text
# replaced, its replacement, and the exact diagnostics, LINE:COL included, in the order
# errspec prints them. Files that are not a variant of it (an empty file, a bare list...)
# stay in tests/bad_specs/ with their `# expect: LINE:COL: message; hint` lines.

BAD_SPECS = TESTS / "bad_specs"
BAD_SPEC_BASE = BAD_SPECS / "_minimal_valid.yaml"


@dataclass(frozen=True)
class BadSpecPatch:
    """_minimal_valid.yaml with each `old` text (found exactly once) replaced by `new`."""

    name: str
    why: str
    edits: list[tuple[str, str]]
    expected: list[str]

    def apply(self) -> bytes:
        text = BAD_SPEC_BASE.read_text(encoding="utf-8")
        for old, new in self.edits:
            assert text.count(old) == 1, f"{self.name}: {old!r} is not in the base exactly once"
            text = text.replace(old, new)
        return text.encode("utf-8")


BAD_SPEC_PATCHES = [
    BadSpecPatch(
        "websocket_api_code_without_transports",
        "An API with WebSocket parts: a code that names no transports is not assumed HTTP's.",
        [
            (
                "    http_status: 401\n    transports: [http]\n",
                "    http_status: 401\n",
            )
        ],
        [
            "56:5: code 1001 names no transports, and the API has WebSocket parts;"
            " add transports: [http], [websocket] or [http, websocket]"
        ],
    ),
    BadSpecPatch(
        "comma_in_flow_text",
        "An unquoted comma in a { } text: the rest became a key with no value.",
        [
            (
                "    meaning: {en: The API key is invalid}\n",
                "    meaning: {en: The API key is invalid, disabled or expired}\n",
            )
        ],
        [
            '62:43: "disabled or expired" has no value: a comma in an unquoted text inside { }'
            " ends the text, and what follows becomes a key; put the text in double quotes:"
            ' en: "The API key is invalid, disabled or expired"'
        ],
    ),
    BadSpecPatch(
        "colon_in_flow_text",
        'An unquoted ": " in a { } text ends it.',
        [
            (
                "    meaning: {en: The API key is invalid}\n",
                "    meaning: {en: Note: the key is invalid}\n",
            )
        ],
        [
            '62:23: YAML syntax error: a ": " inside a text in { } ends the text there; put the'
            ' text in double quotes: en: "Note: the key is invalid"'
        ],
    ),
    BadSpecPatch(
        "hash_in_flow_text",
        'An unquoted " #" in a { } text starts a comment: the mapping is never closed.',
        [
            (
                "    meaning: {en: The API key is invalid}\n",
                "    meaning: {en: The API key is #invalid}\n",
            )
        ],
        [
            '62:34: YAML syntax error: this { mapping } is not closed: " #" in it starts a'
            " comment, which drops the rest of the line; put the text that holds"
            ' "#" in double quotes'
        ],
    ),
    BadSpecPatch(
        "empty_flow_value",
        "A key of a { } text with nothing after its colon.",
        [("    meaning: {en: The API key is invalid}\n", "    meaning: {en: }\n")],
        [
            "62:19: codes[1] (1001).meaning.en: has no value; expected string; write the value"
            " after the colon, or remove the key"
        ],
    ),
    BadSpecPatch(
        "alias_of_key",
        'An alias of a mapping key, used as a value: it would read as the string "message".',
        [
            ("    message: ok\n", "    &m message: ok\n"),
            ("    message: Invalid key\n", "    message: *m\n"),
        ],
        [
            "59:14: YAML alias *m (anchor &m at line 51) is not allowed; write the value out in full",
        ],
    ),
    BadSpecPatch(
        "alias_reuse",
        "An anchor and an alias, the way an author would share an example.",
        [
            ("    example: {code: 0, message: ok}\n", "    example: &ok {code: 0, message: ok}\n"),
            ("    example: {code: 3001, message: Too many requests}\n", "    example: *ok\n"),
        ],
        [
            "72:14: YAML alias *ok (anchor &ok at line 55) is not allowed; write the value out in full",
        ],
    ),
    BadSpecPatch(
        "bad_explicit_int",
        "An explicit tag on a value it cannot take: a message, not a traceback.",
        [
            ("version: 1\n", "version: !!int abc\n"),
        ],
        [
            "2:10: 'abc' is not a valid !!int; remove the tag",
        ],
    ),
    BadSpecPatch(
        "code_out_of_range",
        "A code outside its category's range.",
        [
            ("    category: limit\n", "    category: auth\n"),
        ],
        [
            '65:11: code 3001 is in category "auth" (1000-1999); move it or change its category',
        ],
    ),
    BadSpecPatch(
        "control_escape",
        "A control character written as an escape in a double-quoted string.",
        [
            ("    message: Invalid key\n", '    message: "Invalid\\u0007key"\n'),
        ],
        [
            "59:14: codes[1].message contains control character U+0007 at offset 7; remove it",
        ],
    ),
    BadSpecPatch(
        "deep_nesting",
        "Example data nested deeper than the loader allows.",
        [
            (
                "    example: {code: 3001, message: Too many requests}\n",
                "    example: {code: 3001, message: Too many requests, data: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n",
            ),
        ],
        [
            "72:82: values are nested more than 24 levels deep; flatten the value",
        ],
    ),
    BadSpecPatch(
        "duplicate_code",
        "Two entries with the same code.",
        [
            (
                "handler:\n",
                "  - code: 1001\n    name: EXPIRED_KEY\n    category: auth\n    message: Expired key\n    http_status: 401\n    transports: [http]\n    meaning: {en: The API key has expired}\n    suggestion: {en: Check the API key}\n    example: {code: 1001, message: Expired key}\nhandler:\n",
            ),
        ],
        [
            "73:11: duplicate code 1001 (first at line 56); choose another code for one of them",
        ],
    ),
    BadSpecPatch(
        "duplicate_key",
        "The same key twice in one mapping.",
        [
            (
                "    example: {code: 1001, message: Invalid key}\n",
                "    message: Invalid API key\n    example: {code: 1001, message: Invalid key}\n",
            ),
        ],
        [
            '64:5: duplicate key "message" (first at line 59); remove one of them',
        ],
    ),
    BadSpecPatch(
        "duplicate_name",
        "Two entries with the same name.",
        [
            (
                "handler:\n",
                "  - code: 1002\n    name: INVALID_KEY\n    category: auth\n    message: Invalid key\n    http_status: 401\n    transports: [http]\n    meaning: {en: The API key has expired}\n    suggestion: {en: Check the API key}\n    example: {code: 1002, message: Invalid key}\nhandler:\n",
            ),
        ],
        [
            "74:11: duplicate name 'INVALID_KEY' (first at line 57); choose another name for one of them",
        ],
    ),
    BadSpecPatch(
        "huge_code",
        "A code far beyond the allowed maximum.",
        [
            ("  - code: 3001\n", "  - code: 300000000000000000000000001\n"),
        ],
        [
            "65:11: codes[2].code: 300000000000000000000000001 is out of range; use a value from 0 to 999999",
        ],
    ),
    BadSpecPatch(
        "line_break",
        "A block scalar: texts are single lines.",
        [
            (
                "    meaning: {en: The API key is invalid}\n",
                "    meaning:\n      en: |\n        The API key\n        is invalid\n",
            ),
        ],
        [
            "63:11: codes[1].meaning.en contains a line break at offset 11; texts are single lines; use a list for several items",
        ],
    ),
    BadSpecPatch(
        "merge_key",
        "A YAML merge key.",
        [
            (
                "    example: {code: 3001, message: Too many requests}\n",
                "    example:\n      <<: {code: 3001}\n      message: Too many requests\n",
            ),
        ],
        [
            "73:7: YAML merge keys (<<) are not allowed; write the keys out in full",
        ],
    ),
    BadSpecPatch(
        "missing_locale",
        "A text in a locale the spec does not declare, and not in the one it does.",
        [
            ("    meaning: {en: Too many requests}\n", "    meaning: {fr: Trop de requêtes}\n"),
        ],
        [
            "3:11: en has 20 of 21 texts; missing: codes[2] (3001).meaning; add the en texts, or"
            " set `fallback:` to a locale that has every text, whose texts the others then show",
            '71:15: codes[2].meaning has text for "fr", which is not in locales; add fr to locales, or remove it',
        ],
    ),
    BadSpecPatch(
        "missing_required",
        "An entry without its meaning.",
        [
            ("    meaning: {en: Too many requests}\n", ""),
        ],
        [
            '65:5: codes[2] (3001): missing required key "meaning"; add "meaning:"',
        ],
    ),
    BadSpecPatch(
        "nan_in_example",
        "A non-finite number in example data.",
        [
            (
                "    example: {code: 3001, message: Too many requests}\n",
                "    example: {code: 3001, message: Too many requests, data: {wait: .nan}}\n",
            ),
        ],
        [
            "72:68: codes[2].example.data.wait: nan is not a JSON number; use a finite number",
        ],
    ),
    BadSpecPatch(
        "non_string_key",
        "A mapping key that YAML reads as a number.",
        [
            (
                "    example: {code: 3001, message: Too many requests}\n",
                "    example: {code: 3001, message: Too many requests, data: {1: one}}\n",
            ),
        ],
        [
            "72:62: mapping keys must be plain strings; quote the key",
        ],
    ),
    BadSpecPatch(
        "other_tags",
        "Non-core tags: binary, set and an application tag.",
        [
            ("  path: /ws\n", "  path: !local /ws\n"),
            ("    message: Invalid key\n", "    message: !!binary aGVsbG8=\n"),
            ("    message: Too many requests\n", "    message: !!set {a, b}\n"),
        ],
        [
            "38:9: tag !local is not allowed; remove the tag; the spec holds plain data only",
            "59:14: tag !!binary is not allowed; remove the tag; the spec holds plain data only",
            "68:14: tag !!set is not allowed; remove the tag; the spec holds plain data only",
        ],
    ),
    BadSpecPatch(
        "python_tag",
        "PyYAML's python/object tags must never construct anything.",
        [
            (
                "    message: Invalid key\n",
                '    message: !!python/object/apply:os.system ["echo pwned"]\n',
            ),
        ],
        [
            "59:14: tag !!python/object/apply:os.system is not allowed; remove the tag; the spec holds plain data only",
        ],
    ),
    BadSpecPatch(
        "unknown_field",
        "A misspelt key: reported with the closest known key, plus the missing one.",
        [
            ("    message: Invalid key\n", "    mesage: Invalid key\n"),
        ],
        [
            '56:5: codes[1] (1001): missing required key "message"; add "message:"',
            '59:5: unknown key "mesage" in codes[1] (1001); did you mean "message"?',
        ],
    ),
    BadSpecPatch(
        "wrong_type",
        "A code written as a string.",
        [
            ("  - code: 1001\n", '  - code: "1001"\n'),
        ],
        [
            '56:11: codes[1].code: expected integer, got string "1001"; remove the quotes',
        ],
    ),
    BadSpecPatch(
        "yaml_bad_indent",
        "A key indented one space too far.",
        [
            ("    message: Invalid key\n", "     message: Invalid key\n"),
        ],
        [
            '59:13: YAML syntax error: unexpected ": ": this line is indented deeper than the key above it, or a value contains ": "; line it up with the keys above it, or put the value in quotes',
        ],
    ),
    BadSpecPatch(
        "yaml_tab_indent",
        "A tab used for indentation.",
        [
            ("    category: auth\n", "\tcategory: auth\n"),
        ],
        [
            "58:1: YAML syntax error: a tab is used for indentation; YAML indents with spaces only; replace the tab with spaces",
        ],
    ),
    BadSpecPatch(
        "yaml_unclosed_bracket",
        "A flow sequence that is never closed.",
        [
            (
                "    transports: [http]\n    meaning: {en: The API key is invalid}\n",
                "    transports: [http\n    meaning: {en: The API key is invalid}\n",
            ),
        ],
        [
            "62:12: YAML syntax error: the [ list ] opened at line 61 is not closed, or a comma is missing in it; close it with ], or add the comma",
        ],
    ),
]


def bad_spec_texts() -> list[bytes]:
    """The bad-spec corpus as texts: its files and its patches of the minimal spec."""
    files = [p.read_bytes() for p in sorted(BAD_SPECS.glob("*.yaml"))]
    return files + [patch.apply() for patch in BAD_SPEC_PATCHES]


# --- the pages read back as Markdown blocks -----------------------------------------------
# A GitHub-flavoured Markdown *block* parser, for the subset of structure errspec's pages use.
#
# It reads a page back the way GitHub/CommonMark split it into blocks, leaving inline
# content as source text (the spec's texts are inline Markdown on purpose: `code` spans).
# So a text survives the page when the block it was put in is the block that comes back,
# holding exactly that text. Written from the CommonMark 0.31 and GFM specs, not from
# errspec's code:
#
# - ATX headings: content stripped of spaces/tabs and of an optional closing run of `#`
#   that is the whole content or follows a space or tab (CommonMark 4.2).
# - Fenced code: ``` or ~~~ (3+), closed by a fence of the same character at least as long,
#   indented at most 3 spaces (4.5).
# - Tables: a header row, a delimiter row, then rows up to a blank line; a cell ends at a
#   `|` not preceded by a backslash, is trimmed, and `\|` becomes `|` (GFM 4.10; cmark-gfm
#   absorbs a backslash-preceded pipe whatever precedes the backslash).
# - Bullet lists of `-`/`+`/`*` items; an item whose content would itself open a block (or is
#   a GFM task checkbox) is reported as such. Paragraphs: lines up to a blank line or a line
#   that can interrupt a paragraph, stripped of spaces and tabs (4.8).
# - Anything else that opens a block at a line start (block quote, ordered list, HTML block,
#   link reference definition, thematic break) is reported by kind, so a page that grew one
#   where a paragraph was expected fails the comparison.

Block = tuple[Any, ...]

ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
THEMATIC = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
BULLET = re.compile(r"^ {0,3}([-+*])(?:[ \t]+(.*)|)$")
ORDERED = re.compile(r"^ {0,3}([0-9]{1,9})([.)])(?:[ \t]+(.*)|)$")
QUOTE = re.compile(r"^ {0,3}>")
DELIMITER_ROW = re.compile(r"^\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?$")
LINK_DEFINITION = re.compile(r"^ {0,3}\[(?:[^\\\[\]]|\\.)+\]:")
TASK = re.compile(r"^\[[ xX]\](?:[ \t]|$)")
HTML_TYPE_1_TO_5 = re.compile(
    r"^ {0,3}(?:<(?:script|pre|style|textarea)(?:[ \t>]|$)|<!--|<\?|<![A-Za-z]|<!\[CDATA\[)",
    re.IGNORECASE,
)
BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|"
    "div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|hr|html|"
    "iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|"
    "table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
HTML_TYPE_6 = re.compile(rf"^ {{0,3}}</?(?:{BLOCK_TAGS})(?:[ \t>]|/>|$)", re.IGNORECASE)
_ATTRIBUTE = (
    r"""[ \t]+[A-Za-z_:][A-Za-z0-9_.:-]*(?:[ \t]*=[ \t]*(?:[^ \t"'=<>`]+|'[^']*'|"[^"]*"))?"""
)
HTML_TYPE_7 = re.compile(
    rf"^ {{0,3}}(?:<[A-Za-z][A-Za-z0-9-]*(?:{_ATTRIBUTE})*[ \t]*/?>|</[A-Za-z][A-Za-z0-9-]*[ \t]*>)[ \t]*$"
)


def block_opened_by(line: str, in_paragraph: bool = False) -> str | None:
    """The kind of block `line` opens, or None for paragraph text.

    With `in_paragraph`, only the kinds that may interrupt a paragraph count.
    """
    if FENCE.match(line) and not ("`" in line.lstrip(" `") and line.lstrip().startswith("`")):
        return "fence"
    if ATX.match(line):
        return "heading"
    if THEMATIC.match(line):
        return "hr"
    bullet = BULLET.match(line)
    if bullet and not (in_paragraph and not (bullet.group(2) or "").strip()):
        return "bullet"
    ordered = ORDERED.match(line)
    if ordered and not (
        in_paragraph and (ordered.group(1) != "1" or not (ordered.group(3) or "").strip())
    ):
        return "ordered"
    if QUOTE.match(line):
        return "quote"
    if HTML_TYPE_1_TO_5.match(line) or HTML_TYPE_6.match(line):
        return "html"
    if not in_paragraph and HTML_TYPE_7.match(line):
        return "html"
    if not in_paragraph and LINK_DEFINITION.match(line):
        return "link definition"
    return None


def heading_text(raw: str) -> str:
    """ATX heading content: trimmed, without its optional closing sequence."""
    text = raw.strip(" \t")
    stripped = text.rstrip("#")
    if stripped != text and (stripped == "" or stripped[-1] in " \t"):
        text = stripped.rstrip(" \t")
    return text


def table_cells(row: str) -> list[str]:
    """The cells of a GFM table row: split on unescaped pipes, trimmed, `\\|` unescaped."""
    body = row.strip(" \t")
    body = body[1:] if body.startswith("|") else body
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [cell.strip(" \t").replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", body)]


def _list_item(content: str) -> Block:
    if TASK.match(content):
        return ("task item", content)
    kind = block_opened_by(content)
    return ("item", content) if kind is None else (f"{kind} in item", content)


def markdown_blocks(text: str) -> list[Block]:
    """The blocks of a page: ("front", data), ("heading", level, text), ("code", info, body),
    ("table", header, rows), ("list", items), ("para", text), ("hr",), or (kind, line)."""
    lines = text.split("\n")
    blocks: list[Block] = []
    i = 0
    if lines and lines[0] == "---":
        end = lines.index("---", 1)
        blocks.append(("front", yaml_load("\n".join(lines[1:end]))))
        i = end + 1
    while i < len(lines):
        line = lines[i]
        if not line.strip(" \t"):
            i += 1
            continue
        kind = block_opened_by(line)
        if kind == "fence":
            match = FENCE.match(line)
            assert match is not None
            fence = match.group(2)
            closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
            body = []
            i += 1
            while i < len(lines) and not closing.match(lines[i]):
                body.append(lines[i])
                i += 1
            blocks.append(("code", match.group(3).strip(" \t"), "\n".join(body)))
            i += 1
        elif kind == "heading":
            match = ATX.match(line)
            assert match is not None
            blocks.append(("heading", len(match.group(1)), heading_text(match.group(2) or "")))
            i += 1
        elif kind == "hr":
            blocks.append(("hr",))
            i += 1
        elif kind == "bullet":
            marker = BULLET.match(line).group(1)  # type: ignore[union-attr]
            items = []
            while i < len(lines):
                match = BULLET.match(lines[i])
                if match and match.group(1) == marker and not THEMATIC.match(lines[i]):
                    items.append(_list_item((match.group(2) or "").strip(" \t")))
                    i += 1
                elif (
                    not lines[i].strip(" \t")
                    and i + 1 < len(lines)
                    and (BULLET.match(lines[i + 1]) or [None, None])[1] == marker
                ):
                    i += 1  # a blank line between items of one (loose) list
                else:
                    break
            blocks.append(("list", items))
        elif kind is not None:
            blocks.append((kind, line))
            i += 1
        elif (
            line.lstrip(" ").startswith("|")
            and i + 1 < len(lines)
            and DELIMITER_ROW.match(lines[i + 1].strip(" \t"))
        ):
            header, rows = table_cells(line), []
            i += 2
            while i < len(lines) and lines[i].strip(" \t") and block_opened_by(lines[i]) is None:
                rows.append(table_cells(lines[i]))
                i += 1
            blocks.append(("table", header, rows))
        else:
            paragraph = [line]
            i += 1
            while (
                i < len(lines)
                and lines[i].strip(" \t")
                and block_opened_by(lines[i], in_paragraph=True) is None
            ):
                if re.match(r"^ {0,3}(?:=+|-+)[ \t]*$", lines[i]):
                    blocks.append(("setext heading", "\n".join(paragraph)))
                    paragraph = []
                    i += 1
                    break
                paragraph.append(lines[i])
                i += 1
            if paragraph:
                blocks.append(("para", "\n".join(paragraph).strip(" \t")))
    return blocks


# --- the frozen registry, generated once per run --------------------------------------------


@functools.cache
def frozen_generated() -> Path:
    """A directory with spec/ of the frozen published registry and the generated/ errspec
    makes from it, made once per test run (modules that import its SDK at import time use it
    directly; tests take the `frozen_tree` fixture)."""
    root = Path(tempfile.mkdtemp(prefix="errspec-frozen-"))
    (root / "spec").mkdir()
    for name in ("errors.yaml", "openapi.yaml"):
        shutil.copy(FROZEN / name, root / "spec" / name)
    result = run_errspec("generate", cwd=root, env={"ERRSPEC_CACHE": "0"})
    assert result.code == 0, result.err
    return root


def git(repo: Path, *args: str, **kw: Any) -> str:
    """git's output in `repo`, with a fixed identity; raises when git fails."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    proc = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True, **kw
    )
    return str(proc.stdout)


# --- the reference site (errspec site) ------------------------------------------------------


def site_data(fallback_locale: str | None = None) -> dict[str, Any]:
    """The frozen registry with a code's whole life on it, for the site: every code introduced
    in 1.0.0 but the last, introduced in 1.1.0; the second error code deprecated in 1.1.0 for
    the first; a retired code (a free number of the first error category) replaced by the
    first. `fallback_locale`: one more locale with texts of its own for the first code only,
    falling back to en."""
    data = frozen_data()
    errors = [raw for raw in data["codes"] if raw["code"] != 0]
    first, second = errors[0], errors[1]
    for raw in data["codes"]:
        raw["introduced"] = "1.0.0"
    data["codes"][-1]["introduced"] = "1.1.0"
    second["deprecated"] = {
        "since": "1.1.0",
        "reason": localized("Superseded"),
        "replacement": first["code"],
    }
    category = next(c for c in data["categories"] if c["id"] == first["category"])
    used = {raw["code"] for raw in data["codes"]}
    free = next(n for n in range(category["range"][0], category["range"][1] + 1) if n not in used)
    data["retired"] = [retired_entry(free, "OLD_" + first["name"], replacement=first["code"])]
    if fallback_locale:
        data["locales"] = [*data["locales"], fallback_locale]
        data["fallback"] = "en"
        first["meaning"][fallback_locale] = "Bedeutung " + str(first["code"])
        data["page"]["url"][fallback_locale] = f"https://docs.example.com/{fallback_locale}/errors"
        data["page"]["title"][fallback_locale] = "Fehlercodes"
    return data


def build_site_of(data: dict[str, Any], folder: Path, *args: str) -> dict[str, str]:
    """`errspec site` on a project of `data` under `folder`: {path: text} of the site it
    wrote (folder/_site) but its marker; the command must succeed."""
    if not (folder / "spec" / "errors.yaml").exists():
        write_project(data, folder, FROZEN / "openapi.yaml")
    result = run_errspec("site", "--project", str(folder), *args)
    assert result.code == 0, result.out + result.err
    out = folder / "_site"
    return {
        rel: data.decode("utf-8")
        for rel, data in tree_bytes(out).items()
        if rel != ".errspec-output"
    }


# Screenshots and reports of the site's browser tests: one folder per test run (build/ is
# git-ignored), kept as the run's artifact.
SITE_ARTIFACTS = ROOT / "build" / "test-artifacts" / "site"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package (.ci/run installs it)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    """Debian's chromium; CI installs it, so its absence is a failure, not a skip."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing; apt-get install -y chromium (CI does: .ci/run)")
    return str(CHROMIUM)


@contextlib.contextmanager
def static_server(root: Path) -> Iterator[str]:
    """`root` served over HTTP on 127.0.0.1 (a free port) as a static host serves it; the
    base URL, without a trailing slash."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def serving(project: Path, scratch: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`errspec serve --port 0` on `project` in a process of its own: (its base URL, the
    process, whose stderr is still to read); killed at the end if it still runs."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--project", str(project), "--port", "0"],
        cwd=ROOT,
        env=user_env(PYTHONPATH=str(ROOT), ERRSPEC_CACHE=str(scratch / "cache")),
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    try:
        assert found, line
        yield f"http://127.0.0.1:{found[1]}", proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
