"""`errspec serve`: the site on 127.0.0.1, rebuilt when an input changes, for the docs team.

The inputs (the spec, the API surface, the project's templates and errspec's own) are polled;
a change rebuilds the site in memory and bumps its version, which the page each browser has
open polls (a script `serve` injects into every HTML page it serves, and only then) to reload
itself. While the spec has problems, every page shows them, each at its FILE:LINE:COL with
its fix; the server keeps running.
"""

from __future__ import annotations

import http.server
import os
import threading
from pathlib import Path
from typing import Callable, Iterator

import yaml

from ..diagnostics import SpecError
from ..output.manifest import encoded
from ..postprocess import STEPS
from ..project import Project
from ..read import read_inputs
from ..render import render_template
from ..resources import TEMPLATES
from ..workers import Workers
from .build import build_site

VERSION = "/__errspec/version"
POLL_SECONDS = 0.3
RELOAD_MS = 300
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
}


class Live:
    """The site as last built (or the problems that stopped the build) and its version."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.files: dict[str, str | bytes] = {}
        self.problems: list[str] = []
        self.version = 0
        self.templates_folder: str | None = None
        self.lock = threading.Lock()
        self.stamp = self.inputs_stamp()
        self.rebuild()

    def watched(self) -> Iterator[Path]:
        """Every file a build reads: the spec's folder (the spec, the surface beside it), the
        surface, the templates (--templates or the spec's `templates:`, and errspec's own)."""
        yield self.project.openapi
        folders = [self.project.spec.parent, TEMPLATES]
        if self.project.templates:
            folders.append(Path(self.project.templates))
        elif self.templates_folder:
            folders.append(self.project.root / self.templates_folder)
        for folder in folders:
            if folder.is_dir():
                yield from sorted(p for p in folder.rglob("*") if p.is_file())

    def inputs_stamp(self) -> tuple[tuple[str, int, int], ...]:
        """(path, mtime, size) of every watched file: a change of any is a rebuild."""
        found = []
        for path in self.watched():
            try:
                st = path.stat()
                found.append((str(path), st.st_mtime_ns, st.st_size))
            except OSError:
                found.append((str(path), -1, -1))
        return tuple(found)

    def rebuild(self) -> None:
        """Build the site again; on problems keep them to show instead."""
        try:
            inputs = read_inputs(self.project)
            files = build_site(inputs, Workers.inline(STEPS))
            problems: list[str] = []
            self.templates_folder = templates_named(inputs.spec.text())
        except SpecError as exc:
            files, problems = {}, [str(d) for d in exc.diagnostics]
        with self.lock:
            self.files, self.problems = files, problems
            self.version += 1

    def watch(self, stop: threading.Event, said: Callable[[str], None]) -> None:
        """Poll the inputs until `stop`; rebuild on a change."""
        while not stop.wait(POLL_SECONDS):
            stamp = self.inputs_stamp()
            if stamp != self.stamp:
                self.stamp = stamp
                self.rebuild()
                said(
                    f"errspec: {len(self.problems)} problem(s) in the spec"
                    if self.problems
                    else f"errspec: rebuilt ({len(self.files) - 1} files)"
                )

    def respond(self, path: str) -> tuple[int, str, bytes, str]:
        """(status, content type, body, redirect) for a GET of `path`."""
        with self.lock:
            files, problems, version = self.files, self.problems, self.version
        if path == VERSION:
            return 200, "text/plain; charset=utf-8", str(version).encode(), ""
        rel = path.lstrip("/")
        if problems:
            page = render_template("cli/serve_error.html.jinja", problems=problems)
            return 500, _TYPES[".html"], self.inject(page, version), ""
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        elif rel not in files and rel + "/index.html" in files:
            return 301, "", b"", path + "/"
        if rel not in files or rel == ".errspec-output":
            return 404, _TYPES[".html"], self.inject(_text(files.get("404.html", b"")), version), ""
        kind = _TYPES.get(os.path.splitext(rel)[1], "application/octet-stream")
        body = files[rel]
        if rel.endswith(".html"):
            return 200, kind, self.inject(_text(body), version), ""
        return 200, kind, encoded(body), ""

    def inject(self, page: str, version: int) -> bytes:
        """The page with the reload script before </body>."""
        script = render_template(
            "cli/serve_reload.html.jinja",
            version=str(version),
            endpoint=VERSION,
            interval=RELOAD_MS,
        )
        head, sep, tail = page.rpartition("</body>")
        return ((head + script + sep + tail) if sep else page + script).encode("utf-8")


def _text(data: str | bytes) -> str:
    return data.decode("utf-8") if isinstance(data, bytes) else data


def templates_named(text: str) -> str | None:
    """The `templates:` folder a valid spec names, if any (watched for changes)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    found = data.get("templates") if isinstance(data, dict) else None
    return found if isinstance(found, str) else None


def handler_for(live: Live) -> type[http.server.BaseHTTPRequestHandler]:
    """The request handler serving `live`."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.answer(body=True)

        def do_HEAD(self) -> None:  # noqa: N802 - http.server's name
            self.answer(body=False)

        def answer(self, body: bool) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            status, kind, data, location = live.respond(path)
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            if kind:
                self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if body:
                self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the terminal shows rebuilds and problems

    return Handler


def serve(project: Project, port: int, said: Callable[[str], None]) -> None:
    """Serve the site on 127.0.0.1:`port` until Ctrl-C."""
    live = Live(project)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler_for(live))
    server.daemon_threads = True
    stop = threading.Event()
    watcher = threading.Thread(target=live.watch, args=(stop, said), daemon=True)
    watcher.start()
    said(f"errspec: serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    if live.problems:
        said(f"errspec: {len(live.problems)} problem(s) in the spec")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        said("errspec: stopped")
    finally:
        stop.set()
        server.server_close()
