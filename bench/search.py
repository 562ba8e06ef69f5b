"""The index's search at scale, in Chromium: the time from a keystroke's input event to the
filtered rows being rendered (the next frame), over 20 keystrokes on the 10k site's index."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from support import CHROMIUM_ARGS, chromium, static_server  # noqa: E402

KEYSTROKES = 20
# Types the query one character at a time, each keystroke timed to the frame that shows it.
TYPE = """async (query) => {
  const input = document.getElementById("q");
  const times = [];
  for (let i = 0; i < query.length; i++) {
    input.value = query.slice(0, i + 1);
    const start = performance.now();
    input.dispatchEvent(new Event("input", {bubbles: true}));
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    times.push(performance.now() - start);
  }
  return times;
}"""


def keystroke_ms(site: Path, lang: str, query: str) -> list[float]:
    """Milliseconds per keystroke of typing `query` (its first 20 characters) on the index of
    the site built in `site`."""
    from playwright.sync_api import sync_playwright

    with static_server(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/{lang}/", wait_until="load")
        page.wait_for_selector("#search:not([hidden])")
        times: list[float] = page.evaluate(TYPE, query[:KEYSTROKES].ljust(KEYSTROKES, " "))
        browser.close()
    return times


def median_keystroke_ms(site: Path, lang: str, query: str) -> float:
    """The median of `keystroke_ms`."""
    return statistics.median(keystroke_ms(site, lang, query))


if __name__ == "__main__":
    found = keystroke_ms(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
    print(f"median {statistics.median(found):.1f} ms, max {max(found):.1f} ms: {found}")
