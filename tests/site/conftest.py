"""The browser the site's slow tests share: Debian's chromium, driven by Playwright."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from support import CHROMIUM_ARGS, chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless (a missing one fails: support.chromium)."""
    from playwright.sync_api import sync_playwright  # only the slow tests load the driver

    path = chromium()
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
