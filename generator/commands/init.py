"""`errspec init [DIR]`: a working registry in minutes.

It writes a small, commented example spec (one category, two codes, HTTP only unless
--websocket; texts in en and zh, any other locale showing the first one's until it has its
own), an API surface with one operation, the CI workflow, a pre-commit configuration, a
.gitignore and the generated outputs, then stages them when DIR is in a git work tree. It
refuses a folder that holds a spec or any file it would write, and then writes nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from importlib import metadata
from pathlib import Path

from ..diagnostics import safe
from ..exits import Exit
from ..model.spec import GROUPS
from ..output.owner import check_out
from ..output.write import write_tree
from ..project import Project, Refused
from ..render import render_template
from .produce import outputs

# What errspec has example texts in.
KNOWN = ("en", "zh")
LOCALE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]+)*")
WORKFLOW = ".github/workflows/errspec.yml"


def install_source() -> str:
    """errspec as the running one was installed, pinned by hash: its wheel's URL with
    #sha256=, or git+URL@commit; "" when that is not known (an editable install, a checkout)."""
    try:
        recorded = metadata.distribution("errspec").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return ""
    try:
        found = json.loads(recorded or "{}")
    except ValueError:
        return ""
    url = found.get("url", "")
    sha256 = (found.get("archive_info") or {}).get("hashes", {}).get("sha256", "")
    commit = (found.get("vcs_info") or {}).get("commit_id", "")
    if url.endswith(".whl") and re.fullmatch(r"[0-9a-f]{64}", sha256):
        return f"{url}#sha256={sha256}"
    if (found.get("vcs_info") or {}).get("vcs") == "git" and re.fullmatch(r"[0-9a-f]{40}", commit):
        return f"git+{url}@{commit}"
    return ""


def ci_files(source: str, project: str = ".") -> dict[str, str]:
    """The workflow and the composite action, for an errspec pinned at `source`."""
    return {
        "workflow": render_template("init/workflow.yml.jinja", source=source, project=project),
        "action": render_template("init/action.yml.jinja"),
    }


def scaffold(root: Path, locales: list[str], websocket: bool, source: str) -> dict[str, str]:
    """{path: text} of the files `init` writes under `root` (the outputs aside)."""
    slug = re.sub(r"[^a-z0-9]+", "_", root.resolve().name.lower()).strip("_") or "api"
    if not slug[0].isalpha():
        slug = "api_" + slug
    name = slug.replace("_", " ").title()
    context = {
        "name": name,
        "locales": locales,
        "fallback": locales[0] if any(lang not in KNOWN for lang in locales) else None,
        "python": f"{slug}_errors"[:64],
        "npm": f"{slug.replace('_', '-')}-errors"[:64],
        "urls": {lang: f"https://docs.example.com/{lang}/errors" for lang in locales},
        "transports": ["http", "websocket"] if websocket else ["http"],
        "websocket": websocket,
        "groups": GROUPS,
    }
    return {
        "spec/errors.yaml": render_template("init/errors.yaml.jinja", **context),
        "spec/openapi.yaml": render_template("init/openapi.yaml.jinja", **context),
        WORKFLOW: ci_files(source)["workflow"],
        ".pre-commit-config.yaml": render_template("init/pre-commit-config.yaml.jinja"),
        ".gitignore": render_template("init/gitignore.jinja"),
    }


def _locales(text: str) -> list[str]:
    found = [part.strip() for part in text.split(",") if part.strip()]
    bad = [lang for lang in found if not LOCALE.fullmatch(lang)]
    if not found or bad:
        raise Refused(
            f"--locales {safe(text)}: {', '.join(map(safe, bad)) or 'none'} is no locale;"
            " name locales like en,zh or pt-BR, separated by commas"
        )
    known = [lang for lang in found if lang in KNOWN]
    return known[:1] + [lang for lang in found if lang not in known[:1]] if known else found


def run(args: argparse.Namespace) -> Exit:
    """Scaffold a registry in DIR; exit 2 (nothing written) when DIR holds any of its files."""
    root = Path(args.dir)
    locales = _locales(args.locales)
    if not any(lang in KNOWN for lang in locales):
        raise Refused(
            f"--locales {safe(args.locales)}: errspec has example texts in {', '.join(KNOWN)}"
            " only; name one of them too, and the others show its texts until they have theirs"
        )
    source = install_source()
    files = scaffold(root, locales, args.websocket, source)
    taken = [
        rel for rel in [*files, "generated"] if (root / rel).exists() or (root / rel).is_symlink()
    ]
    if taken:
        raise Refused(
            f"{safe(str(root))} already holds {', '.join(taken)}; init writes only into a"
            " folder without a registry, and wrote nothing"
        )
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    project = Project.at(str(root))
    written = write_tree(check_out(project), outputs(project).files)
    staged = _stage(root, [*files, "generated"])
    for rel in [*files, *(f"generated/{p}" for p in written.created)]:
        print(f"  created {safe(str(root / rel))}")
    print(f"errspec: a registry in {safe(str(root))}/" + ("; staged in git" if staged else ""))
    print("  next: edit spec/errors.yaml, then `errspec generate` and `errspec check`")
    if not source:
        print(
            f"  note: set ERRSPEC_SOURCE in {WORKFLOW} (or as a repository variable) to errspec"
            " pinned by hash: a wheel URL ending in .whl#sha256=<64 hex>, or"
            " git+<URL>@<40-hex commit>"
        )
    return Exit.OK


def _stage(root: Path, paths: list[str]) -> bool:
    """`git add` what init wrote, when `root` is in a git work tree (check judges the index)."""
    try:
        inside = subprocess.run(
            ["git", "rev-parse", "--is-inside-work-tree"], cwd=root, capture_output=True, timeout=60
        )
        if inside.returncode != 0:
            return False
        subprocess.run(
            ["git", "add", "--", *paths], cwd=root, check=True, capture_output=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return True
