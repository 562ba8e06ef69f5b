"""The pipeline's stages called one by one, for tests that look at one stage's result."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import yaml

from generator.load import parse
from generator.load.builder import _read_12
from generator.model import Spec
from generator.pipeline import check_spec
from generator.postprocess import STEPS, postprocess
from generator.read import read_text
from generator.render import render
from generator.rules.surface import surface_problems
from generator.diagnostics import raise_problems
from generator.surface import Surface, surface_of
from generator.targets import TARGETS, Target, expand
from generator.workers import Workers


class Yaml12Dumper(yaml.SafeDumper):
    """PyYAML's dumper, quoting every string that YAML 1.2 would read as something else
    (PyYAML, a YAML 1.1 emitter, writes 1e3, 0o17 or 08 plain): what people who write their
    spec with PyYAML have to do too."""


def _str_12(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if _read_12(value)[0] != "str" else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


Yaml12Dumper.add_representer(str, _str_12)


def yaml_text(data: Any, **options: Any) -> str:
    """`data` as YAML that YAML 1.1 and 1.2 read alike (see Yaml12Dumper)."""
    return yaml.dump(data, Dumper=Yaml12Dumper, **options)


def load_spec(path: Path, display: str | None = None) -> Spec:
    """The validated Spec in the file `path`; raises SpecError listing every problem."""
    display = display or str(path)
    return check_spec(read_text(path, display), display).spec


def spec_of(text: str, display: str = "spec.yaml") -> Spec:
    """The validated Spec of a YAML text; raises SpecError listing every problem."""
    return check_spec(text, display).spec


def load_surface(path: Path, display: str, spec: Spec) -> Surface:
    """The API surface in the file `path`, checked against `spec`."""
    doc = parse(read_text(path, display), display)
    raise_problems(surface_problems(doc, spec))
    return surface_of(doc, spec)


def render_all(
    spec: Spec, surface: Surface | None = None, targets: tuple[Target, ...] | None = None
) -> dict[str, str]:
    """render -> post-process, in this process: {path: text} of `targets` (default: all)."""
    rows = expand(TARGETS if targets is None else targets, spec.locales)
    texts = [render(t, spec=spec, surface=surface) for t in rows]  # type: ignore[arg-type]
    return postprocess(rows, texts, Workers.inline(STEPS))


def git(repo: Path, *args: str, **kw: object) -> str:
    """git's output in `repo`, with a fixed identity; raises when git fails."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    proc = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True, **kw  # type: ignore[call-overload]
    )
    return str(proc.stdout)
