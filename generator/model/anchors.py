"""The Markdown renderers a page is published with, and the fragment each gives a heading.

One slug function per renderer, as its source does it; where the renderer reads an explicit
heading id (`#### 3001 - … {#code-3001}`), the page writes one, so that a code's link
depends only on the code and not on its (translated, retitled) heading.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable


def github_slug(heading: str) -> str:
    """GitHub's (and github-slugger's): lower case, every character but letters, marks,
    numbers, spaces, "-" and "_" dropped, spaces made "-"."""
    text = heading.strip().lower()
    kept = "".join(ch for ch in text if ch in " -_" or unicodedata.category(ch)[0] in "LNM")
    return kept.replace(" ", "-")


_VP_CONTROL = re.compile(r"[\u0000-\u001f]")
_VP_SPECIAL = re.compile(r"[\s~`!@#$%^&*()\-_+=\[\]{}|\\;:\"'“”‘’<>,.?/]+")
_VP_COMBINING = re.compile(r"[\u0300-\u036f]")


def vitepress_slug(heading: str) -> str:
    """VitePress's (@mdit-vue/shared slugify): NFKD, combining marks and controls dropped,
    every run of punctuation and space one "-", none at either end, "_" before a leading
    digit, lower case."""
    text = _VP_COMBINING.sub("", unicodedata.normalize("NFKD", heading))
    text = _VP_SPECIAL.sub("-", _VP_CONTROL.sub("", text))
    text = re.sub(r"-{2,}", "-", text).strip("-")
    return re.sub(r"^(\d)", r"_\1", text).lower()


def mkdocs_slug(heading: str) -> str:
    """Python-Markdown's toc slugify, MkDocs' default: NFKD to ASCII (CJK text is dropped),
    what is not a word character, space or "-" dropped, runs of "-" and space one "-"."""
    text = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


@dataclass(frozen=True)
class Renderer:
    """A Markdown renderer a page can be published with."""

    name: str
    """Its name in `page.renderer`."""
    slug: Callable[[str], str]
    """The fragment it gives a heading without an explicit id."""
    explicit_ids: bool
    """Whether it reads `{#id}` at the end of a heading as the heading's id."""
    own_h1: bool
    """Whether the page must carry its title as an h1 (the renderer shows none of its own)."""


RENDERERS: dict[str, Renderer] = {
    r.name: r
    for r in (
        Renderer("github", github_slug, explicit_ids=False, own_h1=False),
        Renderer("vitepress", vitepress_slug, explicit_ids=True, own_h1=True),
        Renderer("mkdocs", mkdocs_slug, explicit_ids=True, own_h1=False),
        Renderer("docusaurus", github_slug, explicit_ids=True, own_h1=False),
    )
}
DEFAULT = "github"


def code_id(code: int) -> str:
    """The explicit heading id of the section a code leads: the code alone decides it."""
    return f"code-{code}"
