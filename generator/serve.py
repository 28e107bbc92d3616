"""A preview server for coordinators: build, serve on localhost, rebuild when a file changes.

Rebuilds are incremental (the build cache keeps every unchanged file) and the open pages reload
themselves: the server adds one script to every HTML page it sends (never to the files of the
site), which listens to a server-sent event stream and reloads the page after each successful
rebuild. A failed rebuild prints its problems and keeps serving the last good site; until a
first build succeeds there is no site, and every address answers 503 with a page listing the
problems (or saying that the first build is running).

The server is reachable from every page the coordinator's browser opens, so it trusts no
request: it answers only to its loopback names (a page of another site reaching it through DNS
rebinding names that site in ``Host``), and a malformed path gets a 400, never a traceback
(serve_requests.py). The port is checked and bound before the first build; SIGTERM and SIGHUP
stop it as Ctrl-C does, removing its scratch folder.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import html
import http.server
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from http import HTTPStatus
from pathlib import Path
from types import FrameType
from typing import IO, Any

import click
import watchfiles

from generator.build import WriteError, build_site
from generator.errors import BuildError, Problem, sort_problems, summarise
from generator.layout import CONTENT, DESIGNATIONS, TEMPLATES
from generator.serve_requests import TargetError, allowed_hosts, parse_target

WATCHED = (CONTENT, DESIGNATIONS, TEMPLATES)
HOST = "127.0.0.1"
# The preview's own addresses, outside the site's tree.
RELOAD_SCRIPT = "/_preview/reload.js"
EVENTS = "/_preview/events"
SCRIPT = (
    'new EventSource("' + EVENTS + '").addEventListener("reload", () => location.reload());\n'
).encode()
TAG = f'<script src="{RELOAD_SCRIPT}" defer></script>'.encode()
# How often an idle event stream is pinged (a closed tab then ends its thread).
PING_SECONDS = 15
# Signals that stop the server as Ctrl-C does: the scratch folder is removed on the way out.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

# The error page runs only the reload script, loaded from this server.
ERROR_PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
ERROR_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} - noimpunity serve</title>
{tag}
</head>
<body>
<h1>{title}</h1>
<p>{advice}</p>
{problems}</body>
</html>
"""


class ServeError(click.ClickException):
    """The server cannot start (its port is taken): one ``error:`` line, as the CLI prints."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", file=file, err=file is None)


class Generations:
    """Counts changes to what is served; event streams wait for the count to change.

    Until a build succeeds there is no site: every page is an error page showing ``problems``,
    the lines the terminal printed for the last failed build (none while the first one runs).
    """

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()
        self.built = False
        self.problems: tuple[str, ...] = ()

    def advance(self) -> None:
        """A build succeeded: its site is served from now on, and open pages reload."""
        with self.changed:
            self.built = True
            self.count += 1
            self.changed.notify_all()

    def failed(self, problems: Sequence[str]) -> bool:
        """A build failed; whether a last good site is still served.

        Before any success the error pages change to list ``problems``, and reload.
        """
        with self.changed:
            if not self.built:
                self.problems = tuple(problems)
                self.count += 1
                self.changed.notify_all()
            return self.built

    def served(self) -> tuple[bool, tuple[str, ...]]:
        """Whether a site is served and, if not, the problems its error pages list."""
        with self.changed:
            return self.built, self.problems

    def wait_after(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.count != seen, timeout)
            return self.count


def serve_site(
    root: Path, *, port: int, strict: bool, on_problems: Callable[[list[Problem]], None]
) -> None:
    """Serve the site of ``root`` on 127.0.0.1:``port`` (0: any free port), rebuilt whenever a
    watched file changes, until Ctrl-C, SIGTERM or SIGHUP.

    The port is checked and taken before the first build, which can take a while: a bad or busy
    port is told at once (``click.BadParameter``, ``ServeError``). Whatever stops the server,
    the scratch folder holding the site is removed.
    """
    check_port(port)
    generations = Generations()
    with (
        contextlib.suppress(KeyboardInterrupt),
        stopped_by_signals(),
        tempfile.TemporaryDirectory(prefix="noimpunity-serve-") as scratch,
    ):
        output = Path(scratch) / "site"
        handler = functools.partial(PreviewHandler, generations, directory=str(output))
        with serving(listen(port, handler)) as address:
            rebuild(root, output, strict, generations, on_problems)
            click.echo(f"serving http://{address}/  (Ctrl-C to stop)")
            paths = [root / name for name in WATCHED if (root / name).exists()]
            for _changes in watchfiles.watch(*paths):
                rebuild(root, output, strict, generations, on_problems)


def rebuild(
    root: Path,
    output: Path,
    strict: bool,
    generations: Generations,
    on_problems: Callable[[list[Problem]], None],
) -> None:
    """Build into ``output``; print what failed, and show it on the pages if no site is served."""
    try:
        result = build_site(root, output, strict=strict)
    except BuildError as failure:
        on_problems(failure.problems)
        lines = problem_lines(failure.problems)
        if not any(problem.is_error for problem in failure.problems):
            lines.append("stopped: --strict makes warnings fatal")
            click.echo(lines[-1], err=True)
        report_failure(generations, lines)
        return
    except WriteError as failure:  # a full disk: the last good site, if any, is still there
        click.echo(f"error: {failure}", err=True)
        report_failure(generations, [f"error: {failure}"])
        return
    on_problems(result.problems)
    click.echo(result.summary(output))
    generations.advance()


def problem_lines(problems: list[Problem]) -> list[str]:
    """The problems as the terminal shows them (``print_problems``), for the error pages."""
    return [problem.format() for problem in sort_problems(problems)] + [summarise(problems)]


def report_failure(generations: Generations, lines: list[str]) -> None:
    if generations.failed(lines):
        click.echo("build failed; still serving the last good site", err=True)
    else:
        click.echo(
            "build failed; no site to serve yet: every page shows these problems until a build"
            " succeeds",
            err=True,
        )


def check_port(port: int) -> None:
    """Refuse a port number that cannot be, as a usage error (before any build)."""
    if not 0 <= port <= 65535:
        raise click.BadParameter(
            f"{port} is not a port number (1 to 65535, or 0 for any free port).",
            ctx=click.get_current_context(silent=True),
            param_hint="'--port'",
        )


def listen(port: int, handler: Callable[..., PreviewHandler]) -> PreviewServer:
    """A server bound to 127.0.0.1:``port``, or ServeError saying why it cannot be."""
    try:
        return PreviewServer((HOST, port), handler)
    except OSError as failure:
        if failure.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} is in use (another server listens on it: stop it, or choose"
                " another port with --port)"
            ) from None
        reason = failure.strerror or str(failure)
        raise ServeError(f"cannot listen on {HOST}:{port}: {reason}") from None


@contextlib.contextmanager
def serving(server: PreviewServer) -> Iterator[str]:
    """Answer requests on a thread while the block runs (it is given ``host:port``); then stop
    and close the socket."""
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP (and SIGINT) into KeyboardInterrupt while the block runs, so that
    a server stopped by its terminal closing or by ``kill`` cleans up as on Ctrl-C; the handlers
    in place before are restored after.

    After the first such signal the others are ignored: a second Ctrl-C must not interrupt the
    removal of the scratch folder. A signal ignored from the start stays ignored (``nohup``
    ignores SIGHUP so that the server outlives its terminal). Only the main thread may set
    handlers; elsewhere (a test calling ``serve_site`` from a thread) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {
        number: handler
        for number in STOP_SIGNALS
        # None: a handler set outside Python, which could not be put back.
        if (handler := signal.getsignal(number)) not in (signal.SIG_IGN, None)
    }

    def stop(number: int, frame: FrameType | None) -> None:
        for each in previous:
            signal.signal(each, signal.SIG_IGN)
        raise KeyboardInterrupt

    try:
        for number in previous:
            signal.signal(number, stop)
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class PreviewServer(http.server.ThreadingHTTPServer):
    """The HTTP server: one thread per connection; a failed request is one line, never a
    traceback in the terminal kept for build messages."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        failure = sys.exc_info()[1]
        if isinstance(failure, ConnectionError):  # the browser hung up: nothing to tell
            return
        click.echo(f"error: a request failed: {failure!r}", err=True)


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site, with the reload script added to HTML pages and the event stream."""

    def __init__(self, generations: Generations, *args: object, **kwargs: object) -> None:
        self.generations = generations
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        self._answer(super().do_GET)

    def do_HEAD(self) -> None:
        self._answer(super().do_HEAD)

    def _answer(self, serve_file: Callable[[], None]) -> None:
        if self._refused_host():
            return
        try:
            target = parse_target(self.path)
        except TargetError as bad:
            self._send_line(HTTPStatus.BAD_REQUEST, str(bad))
            return
        built, problems = self.generations.served()
        file = Path(self.directory).joinpath(*target.names)
        if target.path == RELOAD_SCRIPT:
            self._send(SCRIPT, "text/javascript; charset=utf-8")
        elif target.path == EVENTS:
            self._stream_events()
        elif not built:
            self._send_error_page(problems)
        elif target.names and not target.slash and file.is_dir():
            self._redirect(target.with_slash())
        elif (page := self._page(file, target.slash)) is not None:
            self._send(page, "text/html; charset=utf-8")
        else:
            serve_file()

    def _refused_host(self) -> bool:
        """Refuse a request not addressed to this server by a loopback name and its port, as a
        page of another site reaching it through DNS rebinding would be; whether it was."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            self._send_line(HTTPStatus.BAD_REQUEST, "a request needs one Host header")
            return True
        bound, port = self.connection.getsockname()[:2]
        if hosts[0].strip().lower() in allowed_hosts(bound, port):
            return False
        self._send_line(
            HTTPStatus.MISDIRECTED_REQUEST,
            f"this preview server answers only to http://localhost:{port}/ and"
            f" http://127.0.0.1:{port}/ (the request named another host or port)",
        )
        return True

    def _page(self, file: Path, slash: bool) -> bytes | None:
        """An HTML page of the site with the reload script added, or None (a file asked for as a
        folder, ``/en/index.html/``, is left to the file server: not found)."""
        if file.is_dir():
            file /= "index.html"
        elif slash:
            return None
        if file.suffix != ".html" or not file.is_file():
            return None
        try:
            html_bytes = file.read_bytes()
        except OSError:  # removed or unreadable since: the file server answers
            return None
        head = html_bytes.find(b"</head>")
        return html_bytes[:head] + TAG + html_bytes[head:] if head >= 0 else html_bytes

    def _send(
        self,
        body: bytes,
        content_type: str,
        status: HTTPStatus = HTTPStatus.OK,
        headers: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_line(self, status: HTTPStatus, line: str) -> None:
        self._send(
            f"{status.value} {status.phrase}: {line}\n".encode(),
            "text/plain; charset=utf-8",
            status,
            [("X-Content-Type-Options", "nosniff"), ("Connection", "close")],
        )
        self.close_connection = True

    def _send_error_page(self, problems: Sequence[str]) -> None:
        self._send(
            error_page(problems),
            "text/html; charset=utf-8",
            HTTPStatus.SERVICE_UNAVAILABLE,
            [("Content-Security-Policy", ERROR_PAGE_POLICY)],
        )

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _stream_events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command == "HEAD":
            return
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


def error_page(problems: Sequence[str]) -> bytes:
    """The page of every address before a build succeeds: the problems of the last build,
    escaped (they quote the records), or that the first build is running."""
    if not problems:
        title, advice, listed = "The site is being built", "This page reloads when it is done.", ""
    else:
        title = "The site could not be built"
        advice = "Fix these problems: this page reloads when a build succeeds."
        listed = "<pre>" + "".join(html.escape(line) + "\n" for line in problems) + "</pre>\n"
    page = ERROR_PAGE.format(title=title, tag=TAG.decode(), advice=advice, problems=listed)
    return page.encode()
