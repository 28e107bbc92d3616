"""A preview server for coordinators: build, serve on localhost, rebuild when a file changes.

Rebuilds are incremental (the build cache keeps every unchanged file) and the open pages reload
themselves: the server adds one script to every HTML page it sends (never to the files of the
site), which listens to a server-sent event stream and reloads the page after each successful
rebuild. A failed rebuild prints its problems and keeps serving the last good site.
"""

from __future__ import annotations

import functools
import http.server
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import click
import watchfiles

from generator.build import WriteError, build_site
from generator.errors import BuildError, Problem

WATCHED = ("content", "designations", "templates")
# The preview's own addresses, outside the site's tree.
RELOAD_SCRIPT = "/_preview/reload.js"
EVENTS = "/_preview/events"
SCRIPT = (
    'new EventSource("' + EVENTS + '").addEventListener("reload", () => location.reload());\n'
).encode()
TAG = f'<script src="{RELOAD_SCRIPT}" defer></script>'.encode()
# How often an idle event stream is pinged (a closed tab then ends its thread).
PING_SECONDS = 15


class Generations:
    """Counts successful builds; event streams wait for the count to change."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def advance(self) -> None:
        with self.changed:
            self.count += 1
            self.changed.notify_all()

    def wait_after(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.count != seen, timeout)
            return self.count


def serve_site(
    root: Path, *, port: int, strict: bool, on_problems: Callable[[list[Problem]], None]
) -> None:
    generations = Generations()
    with tempfile.TemporaryDirectory(prefix="noimpunity-serve-") as scratch:
        output = Path(scratch) / "site"

        def rebuild() -> None:
            try:
                result = build_site(root, output, strict=strict)
            except BuildError as failure:
                on_problems(failure.problems)
                click.echo("build failed; still serving the last good site", err=True)
                return
            except WriteError as failure:  # a full disk: the last good site is still there
                click.echo(f"error: {failure}", err=True)
                click.echo("build failed; still serving the last good site", err=True)
                return
            on_problems(result.problems)
            click.echo(result.summary(output))
            generations.advance()

        rebuild()
        handler = functools.partial(PreviewHandler, generations, directory=str(output))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        click.echo(f"serving http://127.0.0.1:{port}/  (Ctrl-C to stop)")
        paths = [root / name for name in WATCHED if (root / name).exists()]
        try:
            for _changes in watchfiles.watch(*paths):
                rebuild()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site, with the reload script added to HTML pages and the event stream."""

    def __init__(self, generations: Generations, *args: object, **kwargs: object) -> None:
        self.generations = generations
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == RELOAD_SCRIPT:
            self._send(SCRIPT, "text/javascript; charset=utf-8")
        elif path == EVENTS:
            self._stream_events()
        elif (page := self._page(path)) is not None:
            self._send(page, "text/html; charset=utf-8")
        else:
            super().do_GET()

    def _page(self, path: str) -> bytes | None:
        """An HTML page of the site with the reload script added, or None."""
        file = Path(self.translate_path(path))
        if file.is_dir():
            file /= "index.html"
        if file.suffix != ".html" or not file.is_file():
            return None
        html = file.read_bytes()
        head = html.find(b"</head>")
        return html[:head] + TAG + html[head:] if head >= 0 else html

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _stream_events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = self.generations.count
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while True:
                now = self.generations.wait_after(seen, PING_SECONDS)
                message = f"event: reload\ndata: {now}\n\n" if now != seen else ": ping\n\n"
                seen = now
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, format: str, *args: object) -> None:
        """Keep the terminal for build messages."""
