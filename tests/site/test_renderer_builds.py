"""Every doc_url of the live registry lands on its heading when the page is published with
VitePress or MkDocs Material (both pinned: package.json, the test extra), in every locale:
the page is built with the renderer named in `page.renderer`, served on 127.0.0.1, opened in
Chromium at the doc_url's fragment, and the element whose id is the decoded fragment is the
heading of the code's section. The same pages made for `github` are built beside them, to
show what the renderer's own anchors would miss. The table goes to
build/test-artifacts/site/anchors.md."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import pytest

from support import (
    NODE_BIN,
    ROOT,
    SITE_ARTIFACTS,
    live_data,
    render_all,
    run_tool,
    spec_of_data,
    static_server,
    targets_of,
)

pytestmark = pytest.mark.slow

MKDOCS_YML = """site_name: errors
theme:
  name: material
  font: false
markdown_extensions:
  - attr_list
  - tables
  - toc
"""


def pages(renderer: str) -> tuple[Any, dict[str, str]]:
    """The live spec published with `renderer`, and its page per locale."""
    data = live_data()
    data["page"]["renderer"] = renderer
    data.pop("site", None)  # the page's own anchors, not the site's pages
    spec = spec_of_data(data)
    files = render_all(spec, targets=tuple(t for t in targets_of(spec) if t.group == "docs"))
    return spec, {lang: files[f"docs/errors.{lang}.md"] for lang in spec.locales}


def build_vitepress(folder: Path) -> Path:
    vitepress = NODE_BIN / "vitepress"
    if not vitepress.exists():
        pytest.fail("node_modules/.bin/vitepress is missing; run `make install` (npm ci)")
    (folder / "node_modules").symlink_to(ROOT / "node_modules")
    proc = run_tool([vitepress, "build", "docs"], cwd=folder, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return folder / "docs" / ".vitepress" / "dist"


def build_mkdocs(folder: Path) -> Path:
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent))
    if mkdocs is None:
        pytest.fail("mkdocs is missing; install errspec's test extra (make install)")
    (folder / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    proc = run_tool(
        [mkdocs, "build", "-q", "--strict"], cwd=folder, env={"NO_MKDOCS_2_WARNING": "1"}
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return folder / "site"


BUILDERS = {
    "vitepress": (build_vitepress, "{lang}/errors.html"),
    "mkdocs": (build_mkdocs, "{lang}/errors/"),
}


LANDS = """() => {
  const el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  return el ? [el.tagName, el.textContent] : null;
}"""


@pytest.mark.parametrize("renderer", sorted(BUILDERS))
def test_every_doc_url_lands_on_its_heading(renderer: str, browser: Any, tmp_path: Path) -> None:
    build, layout = BUILDERS[renderer]
    made = {}
    for name in (renderer, "github"):  # github: the anchors the page had before page.renderer
        spec, texts = pages(name)
        made[name] = spec
        for lang, text in texts.items():
            path = tmp_path / "docs" / ("" if name == renderer else "github") / lang / "errors.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    out = build(tmp_path)
    rows, missed = [], []
    with static_server(out) as base:
        context = browser.new_context()
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if urlsplit(route.request.url).netloc == urlsplit(base).netloc
                else route.abort()
            ),
        )
        page = context.new_page()
        for name, spec in made.items():
            prefix = "" if name == renderer else "github/"
            for lang in spec.locales:
                landed = total = 0
                local = f"{base}/{prefix}{layout.format(lang=lang)}"
                for e in spec.codes:
                    if not e.category.details:
                        continue
                    total += 1
                    fragment = urlsplit(spec.doc_url(e, lang)).fragment
                    page.goto(f"{local}#{fragment}", wait_until="load")
                    found = page.evaluate(LANDS)
                    if found and found[0] == "H4" and str(e.code) in found[1]:
                        landed += 1
                    elif name == renderer:
                        missed.append(f"{lang} {e.code} #{fragment}: {found}")
                rows.append((name, lang, landed, total))
        context.close()
    SITE_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    table = [f"| {renderer} built, anchors of | locale | landed / total |", "|---|---|---:|"]
    table += [f"| page.renderer: {n} | {lang} | {a} / {t} |" for n, lang, a, t in rows]
    (SITE_ARTIFACTS / f"anchors.{renderer}.md").write_text(
        "\n".join(table) + "\n", encoding="utf-8"
    )
    assert missed == []
    assert all(a == t and t > 0 for n, _, a, t in rows if n == renderer)
