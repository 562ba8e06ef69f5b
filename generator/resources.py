"""Where errspec finds the files it ships: its templates and the spec's JSON Schema.

An installed wheel carries them inside the package (`errspec/templates/`,
`errspec/errors.schema.json`, copied there by setup.py); run from a checkout,
errspec uses the checkout's own `templates/` and `spec/errors.schema.json`.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
_INSTALLED = (PACKAGE / "templates").is_dir()

TEMPLATES = PACKAGE / "templates" if _INSTALLED else PACKAGE.parent / "templates"
SCHEMA = (
    PACKAGE / "errors.schema.json" if _INSTALLED else PACKAGE.parent / "spec" / "errors.schema.json"
)
