"""The Python SDK as its consumers meet it: a wheel installed offline into a fresh venv,
typical consumer code under mypy --strict and pyright --strict, ruff on the package, and a
client that openapi-python-client generates from generated/openapi.yaml parsing real bodies.

On the frozen registry, whose published bodies these tests feed; ruff also judges the live
registry's package. Every tool is pinned (pyproject `test` extra, package.json); nothing
reaches the network.
"""

from __future__ import annotations

import importlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from support import (
    yaml_load,
    FROZEN,
    LIVE_OUT,
    WHEELHOUSE as WHEELS,
    envelope_kind,
    frozen_generated,
    load_spec,
    node_tool,
    ok,
    published_examples,
    run_tool,
    unknown_code,
)

pytestmark = pytest.mark.slow  # a venv, pip, mypy, pyright, ruff, openapi-python-client

SPEC = load_spec(FROZEN / "errors.yaml")
GENERATED = frozen_generated() / "generated"
BIN = Path(sys.executable).parent
PACKAGE = SPEC.packages.python


def run(args: list[Any], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_tool(args, cwd=cwd or Path.cwd())


def consumer_source() -> str:
    """Typical consumer code, naming codes of today's spec."""
    retry = next(e for e in SPEC.errors if e.retry_after)
    success = SPEC.entry(0)
    return f'''"""Consumer code: checked by mypy --strict and pyright --strict."""

from __future__ import annotations

from http.client import HTTPMessage
from typing import Any

import requests

from {PACKAGE} import (
    ApiError,
    ErrorCode,
    ErrorEnvelope,
    {retry.category.exception},
    raise_for_envelope,
    raise_for_response,
)
from {PACKAGE}.exceptions import ApiError as SameApiError


def describe(code: int) -> str:
    known = ErrorCode.lookup(code)
    if known is None:
        return f"unknown {{code}}"
    member = ErrorCode(code)
    if code == ErrorCode.{retry.name}:
        return f"wait ({{member.retry_after}}, {{ErrorCode.{retry.name}.retryable}})"
    return f"{{member.name}}: {{member.message}} {{member.http_status}} {{member.doc_url}}"


def handle(body: dict[str, Any], headers: HTTPMessage) -> object:
    envelope = ErrorEnvelope.model_validate(body)
    try:
        return raise_for_envelope(envelope, headers)
    except ApiError as error:
        if error.code == ErrorCode.{retry.name} and error.retry_after is not None:
            return error.retry_after
        raise


def handle_plain(payload: dict[str, object], headers: dict[str, str]) -> object:
    return raise_for_envelope({{"code": ErrorCode.{success.name}, "data": payload}}, headers)


def handle_response(response: requests.Response) -> object:
    return raise_for_envelope(response.json(), response.headers)


def handle_any_response(response: requests.Response) -> int | None:
    """A proxy's HTML page, an unknown code of the range: all land in the classes."""
    assert SameApiError is ApiError
    try:
        raise_for_response(response.status_code, response.content, response.headers)
    except {retry.category.exception} as error:
        known: ErrorCode | int | None = error.code
        name: str | None = error.code_name
        status: int | None = error.status
        raw: str | None = error.raw
        print(known, name, status, raw)
        return error.retry_after if error.retryable else None
    return None
'''


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from generated/python (a copy: the build leaves files behind)."""
    work = tmp_path_factory.mktemp("wheel")
    shutil.copytree(GENERATED / "python", work / "src")
    ok(
        run(
            [sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps"]
            + ["--no-index", "-q", "-w", str(work / "dist"), str(work / "src")]
        )
    )
    (built,) = (work / "dist").glob("*.whl")
    return built


@pytest.fixture(scope="session")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the SDK's wheel and pydantic only, installed without network."""
    assert any(WHEELS.glob("pydantic-*.whl")), "run `make install`: it fetches pydantic's wheels"
    root = tmp_path_factory.mktemp("venv") / "venv"
    ok(run([sys.executable, "-m", "venv", str(root)]))
    python = root / "bin" / "python"
    ok(
        run(
            [str(python), "-m", "pip", "install", "-q", "--no-index"]
            + ["--find-links", str(WHEELS), str(wheel)]
        )
    )
    return root


def test_the_wheel_carries_the_spec_name_version_and_typing_marker(wheel: Path) -> None:
    import zipfile

    assert wheel.name.startswith(f"{PACKAGE}-{SPEC.release}-")
    names = zipfile.ZipFile(wheel).namelist()
    for module in ("__init__.py", "error_codes.py", "exceptions.py", "models.py", "py.typed"):
        assert f"{PACKAGE}/{module}" in names
    assert not any(n.endswith("pyproject.toml") for n in names)
    metadata = zipfile.ZipFile(wheel).read(f"{PACKAGE}-{SPEC.release}.dist-info/METADATA")
    assert f"Name: {SPEC.packages.python_distribution}" in metadata.decode()


def test_the_installed_package_imports_by_name_with_only_pydantic(venv: Path) -> None:
    python = str(venv / "bin" / "python")
    listing = json.loads(ok(run([python, "-m", "pip", "list", "--format", "json"])))
    installed = {d["name"].lower().replace("_", "-") for d in listing}
    assert installed - {"pip", "setuptools"} == {
        SPEC.packages.python_distribution,
        "pydantic",
        "pydantic-core",
        "annotated-types",
        "typing-extensions",
        "typing-inspection",
    }
    probe = f"""
import json
from {PACKAGE} import error_codes, exceptions, models
envelope = models.ErrorEnvelope.model_validate({{"code": {unknown_code(SPEC)}, "message": "new"}})
try:
    exceptions.raise_for_envelope(envelope)
except exceptions.ApiError as error:
    print(json.dumps([type(error).__name__, error.code, models.ErrorCode is error_codes.ErrorCode]))
"""
    out = ok(run([python, "-c", probe], cwd=venv))
    cls = SPEC.range_exception(unknown_code(SPEC))  # the class of its range, if any
    assert json.loads(out) == [cls, unknown_code(SPEC), True]


@pytest.fixture(scope="session")
def consumer(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Consumer code beside the SDK as the wheel installs it (unpacked: same files)."""
    import zipfile

    root = tmp_path_factory.mktemp("consumer")
    zipfile.ZipFile(wheel).extractall(root / "site")
    (root / "consumer.py").write_text(consumer_source(), encoding="utf-8")
    (root / "pyrightconfig.json").write_text(
        json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.11", "extraPaths": ["site"]}),
        encoding="utf-8",
    )
    return root / "consumer.py"


def test_consumer_code_and_the_package_pass_mypy_strict(consumer: Path) -> None:
    site = consumer.parent / "site"
    proc = run_tool(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", consumer, site / PACKAGE],
        cwd=consumer.parent,
        env={"MYPYPATH": str(site)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_consumer_code_and_the_package_pass_pyright_strict(consumer: Path) -> None:
    proc = run(
        [node_tool("pyright"), "--pythonpath", sys.executable, "--outputjson"]
        + [str(consumer), str(consumer.parent / "site" / PACKAGE)],
        cwd=consumer.parent,
    )
    report = json.loads(proc.stdout)
    problems = [
        f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']}"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    assert problems == [] and proc.returncode == 0, "\n".join(problems)
    assert report["summary"]["filesAnalyzed"] >= 5


@pytest.mark.parametrize(
    "out",
    [
        pytest.param(GENERATED, id="frozen"),
        pytest.param(LIVE_OUT, id="live", marks=pytest.mark.live),
    ],
)
def test_the_package_passes_ruff(tmp_path: Path, out: Path) -> None:
    copy = tmp_path / PACKAGE
    shutil.copytree(out / "python", copy, ignore=shutil.ignore_patterns("__pycache__"))
    for module in copy.glob("*.py"):
        # The post-processing stamp on a header line is errspec's, not the SDK's code.
        text = module.read_text(encoding="utf-8")
        module.write_text(re.sub(r"(?m)\A(#.*?) \(input \w+, output \w+\)$", r"\1", text))
    proc = run(
        [str(BIN / "ruff"), "check", "--isolated", "--no-cache", "--target-version", "py311"]
        + ["--select", "E,F,W,B,UP", "--output-format", "concise", str(copy)]
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    "out",
    [
        pytest.param(GENERATED, id="frozen"),
        pytest.param(LIVE_OUT, id="live", marks=pytest.mark.live),
    ],
)
def test_the_snippets_pass_ruff_default_rules(out: Path) -> None:
    snippets = sorted((out / "snippets").glob("*.py"))
    assert snippets
    proc = run(
        [str(BIN / "ruff"), "check", "--isolated", "--no-cache", "--target-version", "py311"]
        + ["--output-format", "concise", *map(str, snippets)]
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- openapi-python-client -------------------------------------------------------------------


@pytest.fixture(scope="session")
def client_package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The client openapi-python-client generates, imported."""
    root = tmp_path_factory.mktemp("opc")
    out = root / "market_api_client"
    ok(
        run(
            [str(BIN / "openapi-python-client"), "generate", "--meta", "none"]
            + ["--path", str(GENERATED / "openapi.yaml"), "--output-path", str(out)],
            cwd=root,
        )
    )
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module("market_api_client")
    finally:
        sys.path.remove(str(root))


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    doc = yaml_load((GENERATED / "openapi.yaml").read_text(encoding="utf-8"))
    return [
        (path, method, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if not op.get("x-websocket")
    ]


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def call(client_package: Any, op: dict[str, Any], status: int, body: Any) -> Any:
    """Call `op` through the generated client over a mocked transport answering `body`."""
    import httpx

    tag = op["tags"][0]
    module = importlib.import_module(f"market_api_client.api.{tag}.{snake(op['operationId'])}")
    transport = httpx.MockTransport(lambda request: httpx.Response(status, json=body))
    client = client_package.Client(
        base_url="http://api.invalid", httpx_args={"transport": transport}
    )
    args = {
        p["name"]: "x" if p["schema"].get("type") == "string" else 1
        for p in op.get("parameters", [])
        if p.get("required")
    }
    return module.sync(client=client, **args)


def test_the_generated_client_parses_every_error_example_and_unknown_codes(
    client_package: Any,
) -> None:
    models = importlib.import_module("market_api_client.models")
    count = 0
    for _, _, op in operations():
        for status, response in op["responses"].items():
            examples = response.get("content", {}).get("application/json", {}).get("examples", {})
            for example in examples.values():
                body = example["value"]
                unknown = {"code": unknown_code(SPEC), "message": "n"}
                for variant in (body, {**body, "data": None}, unknown):
                    parsed = call(client_package, op, int(status), variant)
                    assert isinstance(parsed, models.ErrorEnvelope), (op["operationId"], variant)
                    assert int(parsed.code) == variant["code"]
                    assert parsed.message == variant["message"]
                    assert parsed.to_dict() == variant
                    count += 1
    assert count >= 3 * sum(1 for e in SPEC.errors if e.http_status)


def test_the_generated_client_parses_the_published_examples(client_package: Any) -> None:
    models = importlib.import_module("market_api_client.models")
    for body in published_examples():
        parsed = getattr(models, envelope_kind(SPEC, body)).from_dict(body)
        assert parsed.to_dict() == body
    assert models.SuccessEnvelope.from_dict({"code": 0, "message": "ok", "data": None}).data is None
