"""The preview server: pages get the reload script, the event stream announces rebuilds, and no
request (a hostile page's, a fuzzer's) gets anything but a short answer: no traceback, no file
outside the site, nothing for a page that reached it through DNS rebinding.

The handler is tested on a server in this process; what needs the whole command (a port taken
before the first build, signals, the first build failing) runs ``noimpunity serve``.
"""

from __future__ import annotations

import functools
import http.client
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pytest
from click.testing import CliRunner

from generator import serve
from generator.cli import main
from generator.serve import (
    EVENTS,
    RELOAD_SCRIPT,
    TAG,
    Generations,
    PreviewHandler,
    PreviewServer,
    stopped_by_signals,
)
from generator.serve_requests import allowed_hosts
from tests.conftest import MINIMAL

COMMAND = Path(sys.executable).parent / "noimpunity"
# Every wait is bounded; these are the bounds, not how long the tests take.
TIMEOUT = 30.0
POLL = 0.02
RECORD = "designations/alexander-mishkin.yaml"
SERVING = re.compile(r"^serving http://127\.0\.0\.1:(\d+)/", re.MULTILINE)


@dataclass(frozen=True)
class Preview:
    port: int
    generations: Generations
    site: Path


@pytest.fixture
def unbuilt(tmp_path: Path) -> Iterator[Preview]:
    """A server before its first build has succeeded, over a small site."""
    site = tmp_path / "site"
    (site / "en/designations/x").mkdir(parents=True)
    (site / "en/index.html").write_text("<html><head><title>x</title></head><body></body>")
    (site / "en/designations/x/index.html").write_text("<html><head></head><body>x</body>")
    (site / "static.css").write_text("body {}")
    generations = Generations()
    handler = functools.partial(PreviewHandler, generations, directory=str(site))
    server = PreviewServer(("127.0.0.1", 0), handler)
    # Shutting down waits for the poll: the default half a second, at every test's end.
    threading.Thread(target=server.serve_forever, args=(POLL,), daemon=True).start()
    yield Preview(server.server_address[1], generations, site)
    server.shutdown()
    server.server_close()


@pytest.fixture
def preview(unbuilt: Preview) -> Preview:
    """The server once a build has succeeded."""
    unbuilt.generations.advance()
    return unbuilt


def get(
    port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    response.read()  # cached by the response: .read() again gives nothing, so keep the body
    return response


def body(port: int, path: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.getheader("Content-Type") or "", response.read()


def raw(port: int, request: bytes) -> tuple[int, bytes, bytes]:
    """Send bytes as they are (http.client refuses to send a malformed request); the status,
    the headers and the body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as connection:
        connection.sendall(request)
        answer = receive(connection, lambda received: False)
    head, _, content = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), head, content


def receive(connection: socket.socket, enough: Callable[[bytes], bool]) -> bytes:
    """What the server sends until it closes the connection or ``enough`` of it came; within
    TIMEOUT in all (an event stream, pinged, would never time out a read)."""
    deadline = time.monotonic() + TIMEOUT
    received = b""
    while not enough(received):
        left = deadline - time.monotonic()
        assert left > 0, f"no end to the answer after {TIMEOUT} s: {received[:200]!r}"
        connection.settimeout(left)
        chunk = connection.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def raw_get(port: int, target: bytes, host: bytes | None = None) -> tuple[int, bytes, bytes]:
    host_line = b"Host: " + (f"127.0.0.1:{port}".encode() if host is None else host) + b"\r\n"
    return raw(port, b"GET " + target + b" HTTP/1.1\r\n" + host_line + b"\r\n")


def test_pages_get_the_reload_script_but_the_files_do_not(preview: Preview) -> None:
    port, site = preview.port, preview.site
    status, kind, page = body(port, "/en/")
    assert status == 200 and kind.startswith("text/html")
    assert page == b"<html><head><title>x</title>" + TAG + b"</head><body></body>"
    assert TAG.decode() not in (site / "en/index.html").read_text()
    assert body(port, "/static.css")[2] == b"body {}"
    status, kind, script = body(port, RELOAD_SCRIPT)
    assert (status, kind) == (200, "text/javascript; charset=utf-8")
    assert b"EventSource" in script and EVENTS.encode() in script


def test_head_answers_as_get_without_the_body(preview: Preview) -> None:
    _, _, page = body(preview.port, "/en/")
    response = get(preview.port, "/en/", method="HEAD")
    assert response.status == 200
    assert response.getheader("Content-Length") == str(len(page))


def test_the_event_stream_announces_each_rebuild(preview: Preview) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=TIMEOUT)
    connection.request("GET", EVENTS)
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    assert response.fp.readline() == b"retry: 1000\n"
    assert response.fp.readline() == b"\n"
    preview.generations.advance()
    assert response.fp.readline() == b"event: reload\n"
    assert response.fp.readline() == b"data: 2\n"  # the fixture's build was the first
    connection.close()


# --- 1. malformed paths: 400, one line, no traceback -------------------------------------------

MALFORMED = {
    "nul": b"/%00",
    "nul-in-folder": b"/en/%00/index.html",
    "raw-nul": b"/\x00",
    "encoded-line-break": b"/en/%0d%0aSet-Cookie:%20x=1",
    "bad-escape": b"/%zz",
    "short-escape": b"/en/%4",
    "lone-percent": b"/%",
    "not-utf-8": b"/%ff",
    "truncated-utf-8": b"/%c3",
    "dot-dot": b"/../../../../etc/passwd",
    "dot-dot-inside": b"/en/../../etc/passwd",
    "encoded-dot-dot": b"/%2e%2e/%2E%2E/etc/passwd",
    "dot-dot-within-site": b"/en/../static.css",
    "dot": b"/./en/",
    "overlong-path": b"/" + b"a/" * 1100,
    "overlong-name": b"/" + b"a" * 256,
    "absolute-form": b"http://127.0.0.1/en/",
    "fragment": b"/en/#top",
    "raw-non-ascii": "/é".encode(),
}


@pytest.mark.parametrize("target", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_paths_get_400_and_no_traceback(
    preview: Preview, target: bytes, capfd: pytest.CaptureFixture[str]
) -> None:
    status, head, content = raw_get(preview.port, target)
    assert status == 400
    assert b"Content-Type: text/plain; charset=utf-8" in head
    assert content.startswith(b"400 Bad Request: ") and content.count(b"\n") == 1
    assert body(preview.port, "/en/")[0] == 200  # the server still answers
    assert capfd.readouterr().err == ""


def test_well_formed_paths_are_read_as_before(preview: Preview) -> None:
    assert body(preview.port, "/en/%69ndex.html")[0] == 200  # an encoded letter
    assert body(preview.port, "/en//index.html")[0] == 200
    assert body(preview.port, "/en/index.html?q=%zz&x=..")[0] == 200  # the query is not a path
    assert body(preview.port, "/no/such/page/")[0] == 404
    assert body(preview.port, "/en/index.html/")[0] == 404
    assert body(preview.port, "/static.css/")[0] == 404
    assert body(preview.port, "/" + "a" * 255)[0] == 404


def test_a_request_that_fails_is_one_line_not_a_traceback(
    preview: Preview, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: PreviewHandler, file: Path, slash: bool) -> bytes | None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(PreviewHandler, "_page", broken)
    with pytest.raises(http.client.RemoteDisconnected):
        get(preview.port, "/en/")
    err = capfd.readouterr().err
    assert err == "error: a request failed: RuntimeError('a bug')\n"


# --- 2. a folder without its slash: 301 to the folder ------------------------------------------


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/en", "/en/"),
        ("/en/designations/x", "/en/designations/x/"),
        ("/en/designations/x?q=a%20b&n=1", "/en/designations/x/?q=a%20b&n=1"),
        ("//en", "/en/"),  # never //en/, an address on another host
        ("/en//designations/%78", "/en/designations/x/"),
    ],
)
def test_a_folder_without_its_slash_is_redirected(
    preview: Preview, target: str, location: str
) -> None:
    for method in ("GET", "HEAD"):
        response = get(preview.port, target, method=method)
        assert response.status == 301
        assert response.getheader("Location") == location
    status, _, page = body(preview.port, location)
    assert status == 200 and TAG in page


def test_files_and_folders_with_their_slash_are_not_redirected(preview: Preview) -> None:
    for path in ("/", "/en/", "/en/designations/x/", "/en/index.html", "/static.css"):
        assert get(preview.port, path).status == 200, path


# --- 3. only requests addressed to the loopback names, with the port --------------------------

ALLOWED_HOSTS = ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "LocalHost:{port}"]
REFUSED_HOSTS = [
    "evil.example",
    "evil.example:{port}",
    "localhost.evil.example:{port}",
    "localhost:{port}.evil.example",
    "127.0.0.1:{port}@evil.example",
    "localhost.:{port}",
    "127.0.0.2:{port}",
    "[::ffff:127.0.0.1]:{port}",
    "0.0.0.0:{port}",
    "127.0.0.1",  # port 80
    "localhost:1",
    "localhost:0{port}",
    "",
]


@pytest.mark.parametrize("host", ALLOWED_HOSTS)
def test_loopback_names_with_the_port_are_answered(preview: Preview, host: str) -> None:
    response = get(preview.port, "/en/", {"Host": host.format(port=preview.port)})
    assert response.status == 200


@pytest.mark.parametrize("path", ["/en/", "/static.css", "/en", RELOAD_SCRIPT, EVENTS, "/%00"])
@pytest.mark.parametrize("host", REFUSED_HOSTS)
def test_other_hosts_are_refused(preview: Preview, host: str, path: str) -> None:
    status, head, content = raw_get(
        preview.port, path.encode(), host.format(port=preview.port).encode()
    )
    assert status == 421
    assert b"Content-Type: text/plain; charset=utf-8" in head
    assert content.count(b"\n") == 1
    assert f"http://localhost:{preview.port}/".encode() in content


def test_a_request_without_one_host_is_refused(preview: Preview) -> None:
    for request in (
        b"GET /en/ HTTP/1.0\r\n\r\n",
        b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nHost: evil.example\r\n\r\n" % preview.port,
    ):
        status, _, content = raw(preview.port, request)
        assert status == 400
        assert content == b"400 Bad Request: a request needs one Host header\n"


def test_the_allowed_hosts_follow_the_address_and_port() -> None:
    assert allowed_hosts("127.0.0.1", 8000) == {"localhost:8000", "127.0.0.1:8000", "[::1]:8000"}
    assert allowed_hosts("::1", 80) == {
        *("localhost", "127.0.0.1", "[::1]"),
        *("localhost:80", "127.0.0.1:80", "[::1]:80"),
    }
    assert "192.168.1.5:8000" in allowed_hosts("192.168.1.5", 8000)


# --- 4. the port: checked and taken before the first build -------------------------------------


@pytest.fixture
def no_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Fail the test if a build starts; the scratch folders go under the returned folder."""

    def build(*args: object, **kwargs: object) -> None:
        raise AssertionError("built before checking the port")

    monkeypatch.setattr(serve, "build_site", build)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return scratch


@pytest.mark.parametrize("port", ["70000", "65536", "-1"])
def test_a_bad_port_is_a_usage_error_before_any_build(no_build: Path, port: str) -> None:
    result = CliRunner().invoke(main, ["serve", "--root", str(MINIMAL), "--port", port])
    assert result.exit_code == 2
    assert "Usage: " in result.stderr
    assert f"Error: Invalid value for '--port': {port} is not" in result.stderr
    assert result.stdout == ""
    assert list(no_build.iterdir()) == []


def test_a_port_in_use_is_one_line_before_any_build(no_build: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--root", str(MINIMAL), "--port", str(port)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: port {port} is in use (")
    assert result.stderr.count("\n") == 1 and result.stderr.endswith(")\n")
    assert result.stdout == ""
    assert list(no_build.iterdir()) == []


# --- 5 and 6: the whole command ----------------------------------------------------------------


class Server:
    """``noimpunity serve --port 0`` in a process, its scratch folders in ``tmp``."""

    def __init__(self, root: Path, tmp: Path) -> None:
        self.tmp = tmp
        tmp.mkdir()
        self.out, self.err = tmp.parent / "stdout", tmp.parent / "stderr"
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.process = subprocess.Popen(
                [COMMAND, "serve", "--root", root, "--port", "0"],
                env={**os.environ, "TMPDIR": str(tmp)},
                stdout=out,
                stderr=err,
            )
        self.port = self._wait_for_port()

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if found := SERVING.search(self.out.read_text("utf-8")):
                return int(found[1])
            assert self.process.poll() is None, self.err.read_text("utf-8")
            time.sleep(POLL)
        raise AssertionError("the server did not start")

    def stop(self, number: int = signal.SIGTERM) -> int:
        self.process.send_signal(number)
        return self.process.wait(timeout=TIMEOUT)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[[Path], Server]]:
    servers: list[Server] = []

    def run(root: Path) -> Server:
        servers.append(Server(root, tmp_path / f"tmp{len(servers)}"))
        return servers[-1]

    yield run
    for server in servers:
        server.kill()


@pytest.mark.parametrize(
    "number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["TERM", "HUP", "INT"]
)
def test_a_stopped_server_removes_its_folder(
    start: Callable[[Path], Server], minimal_copy: Path, number: int
) -> None:
    if signal.getsignal(number) is signal.SIG_IGN:
        pytest.skip("this process ignores the signal: so would the server, as under nohup")
    server = start(minimal_copy)
    assert [path.name[:17] for path in server.tmp.iterdir()] == ["noimpunity-serve-"]
    assert body(server.port, "/en/")[0] == 200
    assert raw_get(server.port, b"/%00")[0] == 400
    assert server.stop(number) == 0
    assert list(server.tmp.iterdir()) == []
    assert "Traceback" not in server.err.read_text("utf-8")


def test_the_stop_signals_are_turned_into_ctrl_c_then_restored() -> None:
    def mine(number: int, frame: FrameType | None) -> None:
        raise AssertionError("the handler in place before ran")

    before = {number: signal.signal(number, mine) for number in serve.STOP_SIGNALS}
    try:
        for number in (signal.SIGTERM, signal.SIGHUP):
            with pytest.raises(KeyboardInterrupt), stopped_by_signals():
                assert signal.getsignal(number) is not mine
                signal.raise_signal(number)
            for each in serve.STOP_SIGNALS:
                assert signal.getsignal(each) is mine
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def test_a_signal_ignored_from_the_start_stays_ignored() -> None:
    before = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with stopped_by_signals():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            signal.raise_signal(signal.SIGHUP)
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, before)


def events(port: int) -> socket.socket:
    """An open event stream, its headers read."""
    stream = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    stream.sendall(f"GET {EVENTS} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    assert b"retry: 1000\n\n" in receive(stream, lambda received: b"retry: 1000\n\n" in received)
    return stream


def reloaded(stream: socket.socket, seconds: float) -> bool:
    """Whether the stream announced a reload within ``seconds``."""
    deadline = time.monotonic() + seconds
    received = b""
    while (left := deadline - time.monotonic()) > 0:
        if select.select([stream], [], [], left)[0]:
            chunk = stream.recv(4096)
            if not chunk:
                return False
            received += chunk
            if b"event: reload\n" in received:
                return True
    return False


def test_before_a_good_build_every_page_lists_the_problems(
    start: Callable[[Path], Server], minimal_copy: Path
) -> None:
    record = minimal_copy / RECORD
    good = record.read_text("utf-8")
    record.write_text(good.replace("nationality: [RU]", 'nationality: ["<b>&x"]'), "utf-8")
    server = start(minimal_copy)
    terminal = server.err.read_text("utf-8")
    assert f"{RECORD}:9:15: error[invalid-country] nationality[0]: '<b>&x' is not" in terminal
    assert "build failed; no site to serve yet" in terminal
    assert "last good site" not in terminal
    for path in ("/", "/en/", "/en", "/static/style.css", "/no/such/page"):
        response = get(server.port, path)
        assert response.status == 503, path
    status, kind, page = body(server.port, "/en/")
    assert kind == "text/html; charset=utf-8"
    assert b"&#x27;&lt;b&gt;&amp;x&#x27; is not" in page and b"<b>" not in page
    assert b"1 error, 0 warnings" in page and TAG in page

    stream = events(server.port)
    # The watcher starts just after the line that gave the port: a change made before it was
    # watching is missed, so the fix is written again until a build announces itself.
    for _attempt in range(int(TIMEOUT)):
        record.write_text(good, "utf-8")
        if reloaded(stream, 1.0):
            break
    stream.close()
    status, _, page = body(server.port, "/en/")
    assert status == 200 and TAG in page
    assert server.stop() == 0
    assert "Traceback" not in server.err.read_text("utf-8")


def test_a_failed_build_after_a_good_one_keeps_the_site(preview: Preview) -> None:
    assert preview.generations.failed(["x.yaml: error[bad] no"]) is True
    assert body(preview.port, "/en/")[0] == 200


def test_pages_say_the_first_build_is_running(unbuilt: Preview) -> None:
    status, kind, page = body(unbuilt.port, "/en/")
    assert (status, kind) == (503, "text/html; charset=utf-8")
    assert b"being built" in page and TAG in page and b"<pre>" not in page
    assert body(unbuilt.port, RELOAD_SCRIPT)[0] == 200
    assert unbuilt.generations.failed(["a.yaml:1:1: error[x] <script>&"]) is False
    for path in ("/en/", "/static.css", "/en", "/nothing"):
        response = get(unbuilt.port, path)
        assert response.status == 503
        assert response.getheader("Content-Security-Policy", "").startswith("default-src 'none'")
    page = body(unbuilt.port, "/static.css")[2]
    assert b"<pre>a.yaml:1:1: error[x] &lt;script&gt;&amp;\n</pre>" in page
