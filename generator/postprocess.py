"""Stage 5: expensive post-processing (black, datamodel-code-generator), skipped when unchanged.

A post-processed file's header records a hash of the step's input (the rendered
text plus the tool's version) and a hash of the step's output. When the input is
unchanged and the file's body still matches its output hash, the file is reused
as is; a hand edit breaks the output hash, so the step runs again and the
difference shows.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path
from typing import Callable

BLACK_LINE_LENGTH = 88
BLACK_TARGET = "PY311"


def _black(text: str) -> str:
    import black
    from black.mode import Mode, TargetVersion

    mode = Mode(target_versions={TargetVersion[BLACK_TARGET]}, line_length=BLACK_LINE_LENGTH)
    return black.format_str(text, mode=mode)


def _datamodel(text: str) -> str:
    from .models import models_from_openapi

    return models_from_openapi(text)


STEPS: dict[str, tuple[str, Callable[[str], str]]] = {
    "black": ("black", _black),
    "datamodel": ("datamodel-code-generator", _datamodel),
}


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:16]


def _settings(step: str) -> str:
    """What, besides the tool version, decides the step's output for a given input."""
    if step == "black":
        return f"{BLACK_TARGET} {BLACK_LINE_LENGTH}"
    return (Path(__file__).resolve().parent / "models.py").read_text(encoding="utf-8")


def step_input_hash(step: str, text: str) -> str:
    """The hash recorded for `text` entering `step` at the installed tool version and settings."""
    package, _ = STEPS[step]
    return _digest(step, version(package), _settings(step), text)


def stamped(step: str, comment: str, body: str, existing: bytes | None) -> str:
    """The post-processed file: header with hashes, then the step's output."""
    return stamping(step, comment, body, existing)()


def stamping(step: str, comment: str, body: str, existing: bytes | None) -> Callable[[], str]:
    """`stamped`, with the step started in its worker when one runs (see generator.workers):
    returns the function that gives the file."""
    from .render import header
    from .workers import run

    input_hash = step_input_hash(step, body)
    if existing is not None:
        reused = _reuse(existing, comment, input_hash)
        if reused is not None:
            return lambda: reused
    pending = run(step, body)

    def finish() -> str:
        output = pending()
        return header(comment, stamp=f"(input {input_hash}, output {_digest(output)})") + output

    return finish


def _reuse(existing: bytes, comment: str, input_hash: str) -> str | None:
    from .render import header

    try:
        text = existing.decode("utf-8")
    except UnicodeDecodeError:
        return None
    _, sep, rest = text.partition("\n")
    expected = header(comment, stamp=f"(input {input_hash}, output {_digest(rest)})")
    return text if sep and text.startswith(expected) else None
