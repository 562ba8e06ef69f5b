"""Pydantic v2 models from the generated OpenAPI document (datamodel-code-generator).

The options are pinned so that the output depends only on the input text and the
pinned tool version: no timestamp, no tool header (errspec stamps its own), the
builtin formatter (no black/isort warnings; black-stable at 88 columns, tested) with
its settings pinned instead of read from the working directory.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

LINE_LENGTH = 88  # black's, as for every other generated Python file
from .resources import PACKAGE as _ROOT

_MEMBER = re.compile(r"^    ([A-Za-z_][A-Za-z0-9_]*) = (-?\d+)$", re.M)


def _expected_members(text: str) -> dict[str, int]:
    """{name: value} that the ErrorCode schema asks for via x-enum-varnames."""
    doc: Any = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # C: 8x faster
    schema = doc["components"]["schemas"]["ErrorCode"]
    values, names = schema["enum"], schema["x-enum-varnames"]
    if len(values) != len(names) or len(set(names)) != len(names):
        raise ValueError("ErrorCode: x-enum-varnames must name every enum value exactly once")
    return dict(zip(names, values))


def _error_code_members(source: str) -> dict[str, int]:
    """{name: value} of the generated `class ErrorCode(IntEnum)`."""
    body = source.split("class ErrorCode(IntEnum):", 1)[1].split("\nclass ", 1)[0]
    return {name: int(value) for name, value in _MEMBER.findall(body)}


def models_from_openapi(text: str) -> str:
    """The source of a Pydantic v2 module for `components.schemas` of an OpenAPI 3.1 YAML text.

    datamodel-code-generator renames enum members silently (integer_1001, A_1,
    class_); the ErrorCode members are checked against x-enum-varnames, and a
    mismatch raises ValueError instead of producing a module with wrong names.
    """
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import Formatter, PythonVersion

    source = generate(
        text,
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_311,
        disable_timestamp=True,
        custom_file_header='"""API envelopes and error codes as Pydantic v2 models."""',
        formatters=[Formatter.BUILTIN],
        # The builtin formatter otherwise takes its line length (and import sections) from the
        # pyproject.toml nearest the working directory: pin both, so the cwd cannot matter.
        builtin_format_line_length=LINE_LENGTH,
        settings_path=_ROOT,
        use_double_quotes=True,
        use_annotated=True,
        field_constraints=True,
        use_schema_description=True,
        use_field_description=True,
    )
    if not isinstance(source, str):
        raise ValueError("datamodel-code-generator produced several modules; expected one")
    expected = _expected_members(text)
    if _error_code_members(source) != expected:
        raise ValueError(f"ErrorCode members differ from x-enum-varnames: {sorted(expected)}")
    return source + "\n"
