"""The post-processing step of python/models.py: Pydantic v2 models from the OpenAPI text of
the models' input (datamodel-code-generator).

The options are pinned so that the output depends only on the input text and the
pinned tool version: no timestamp, no tool header (errspec stamps its own), the
builtin formatter (no black/isort warnings; black-stable at 88 columns, tested) with
its settings pinned instead of read from the working directory.
"""

from __future__ import annotations

from typing import Any

import yaml

from .model import PYTHON_LINE_LENGTH
from .resources import PACKAGE as _ROOT

HINTS = "x-datamodel-code-generator"
"""Top-level key of the input document: options for generate() (type_overrides,
import_overrides), kept in the template that writes the input, not in Python."""


def _hints(text: str) -> dict[str, Any]:
    """The generate() options the input document asks for."""
    doc: Any = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # C: 8x faster
    hints = doc.get(HINTS, {}) if isinstance(doc, dict) else {}
    allowed = {"type_overrides", "import_overrides"}
    if not isinstance(hints, dict) or not set(hints) <= allowed:
        raise ValueError(f"{HINTS}: only {sorted(allowed)} may be set")
    return hints


def models_from_openapi(text: str) -> str:
    """The source of a Pydantic v2 module for `components.schemas` of an OpenAPI 3.1 YAML text.

    Fields typed as a union of a known enum and int keep known codes as enum
    members (`union_mode="left_to_right"`) and accept unknown ones as plain ints.
    """
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType, UnionMode
    from datamodel_code_generator.format import Formatter, PythonVersion

    source = generate(
        text,
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_311,
        disable_timestamp=True,
        custom_file_header='"""API envelopes as Pydantic v2 models; their codes are error_codes.ErrorCode."""',
        formatters=[Formatter.BUILTIN],
        # The builtin formatter otherwise takes its line length (and import sections) from the
        # pyproject.toml nearest the working directory: pin both, so the cwd cannot matter.
        builtin_format_line_length=PYTHON_LINE_LENGTH,
        settings_path=_ROOT,
        use_double_quotes=True,
        use_annotated=True,
        field_constraints=True,
        use_schema_description=True,
        use_field_description=True,
        union_mode=UnionMode.left_to_right,
        **_hints(text),
    )
    if not isinstance(source, str):
        raise ValueError("datamodel-code-generator produced several modules; expected one")
    return source + "\n"


# A small input run once by the step worker before its first job, so that the tool's lazy
# imports overlap the rendering too.
_WARM_UP = (
    "openapi: 3.1.0\ninfo: {title: warm-up, version: '0'}\npaths: {}\ncomponents:\n  schemas:\n"
    "    ErrorCode: {type: integer, enum: [0], x-enum-varnames: [SUCCESS]}\n"
)


def warm_up() -> None:
    """Import datamodel-code-generator and run it once on a small input."""
    try:
        models_from_openapi(_WARM_UP)
    except Exception:  # noqa: BLE001 - a real job reports the problem
        pass
