"""`errspec serve`: the site on 127.0.0.1, with the reload script that only it injects; a spec
edit is picked up within 2 s, a spec with problems shows them on the page (escaped, at
FILE:LINE:COL) and the server keeps running; Ctrl-C exits 0."""

from __future__ import annotations

import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from support import FROZEN, serving, site_data, spec_of_data, write_project


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def until(condition, seconds: float = 2.0) -> float:  # type: ignore[no-untyped-def]
    """Seconds until `condition()` held; fails after `seconds`."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > seconds:
            pytest.fail(f"not within {seconds} s")
        time.sleep(0.05)
    return time.monotonic() - start


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    spec_path = write_project(site_data(), tmp_path / "p", FROZEN / "openapi.yaml")
    with serving(tmp_path / "p", tmp_path) as (base, proc):
        yield base, spec_path, proc


def test_serve_rebuilds_shows_problems_and_stops_on_ctrl_c(served) -> None:  # type: ignore[no-untyped-def]
    base, spec_path, proc = served
    spec = spec_of_data(site_data())
    code = spec.errors[0]
    lang = spec.locales[0]
    status, page = get(f"{base}/{lang}/errors/{code.code}/")
    assert status == 200 and code.name in page and "/__errspec/version" in page
    assert not (spec_path.parent.parent / "_site").exists()  # nothing written
    status, _ = get(f"{base}/{lang}/errors/{code.code}")
    assert status == 200  # redirected to the folder

    text = spec_path.read_text(encoding="utf-8")
    renamed = "RENAMED_" + code.name
    spec_path.write_text(
        text.replace(f"name: {code.name}\n", f"name: {renamed}\n", 1), encoding="utf-8"
    )
    until(lambda: renamed in get(f"{base}/{lang}/errors/{code.code}/")[1])

    broken = text.replace("version: 1\n", "version: 1\n<bogus>: 1\n", 1)
    spec_path.write_text(broken, encoding="utf-8")
    until(lambda: get(f"{base}/{lang}/")[0] == 500)
    status, page = get(f"{base}/{lang}/")
    line = broken.splitlines().index("<bogus>: 1") + 1
    assert re.search(rf"errors\.yaml:{line}:1: [^\n]*&quot;&lt;bogus&gt;&quot;", page), page
    assert "<bogus>" not in page
    assert proc.poll() is None  # still serving

    spec_path.write_text(text, encoding="utf-8")
    until(lambda: get(f"{base}/{lang}/")[0] == 200)

    proc.send_signal(signal.SIGINT)
    assert proc.wait(10) == 0
    assert proc.stderr is not None and "stopped" in proc.stderr.read()
