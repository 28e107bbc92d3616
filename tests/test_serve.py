"""The preview server: pages get the reload script, the event stream announces rebuilds."""

from __future__ import annotations

import functools
import http.client
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.serve import EVENTS, RELOAD_SCRIPT, TAG, Generations, PreviewHandler


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[int, Generations, Path]]:
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "en/index.html").write_text("<html><head><title>x</title></head><body></body>")
    (site / "static.css").write_text("body {}")
    generations = Generations()
    handler = functools.partial(PreviewHandler, generations, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], generations, site
    server.shutdown()
    server.server_close()


def get(port: int, path: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.getheader("Content-Type") or "", response.read()


def test_pages_get_the_reload_script_but_the_files_do_not(
    preview: tuple[int, Generations, Path],
) -> None:
    port, _, site = preview
    status, kind, body = get(port, "/en/")
    assert status == 200 and kind.startswith("text/html")
    assert body == b"<html><head><title>x</title>" + TAG + b"</head><body></body>"
    assert TAG.decode() not in (site / "en/index.html").read_text()
    assert get(port, "/static.css")[2] == b"body {}"
    status, kind, script = get(port, RELOAD_SCRIPT)
    assert (status, kind) == (200, "text/javascript; charset=utf-8")
    assert b"EventSource" in script and EVENTS.encode() in script


def test_the_event_stream_announces_each_rebuild(preview: tuple[int, Generations, Path]) -> None:
    port, generations, _ = preview
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", EVENTS)
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    assert response.fp.readline() == b"retry: 1000\n"
    assert response.fp.readline() == b"\n"
    generations.advance()
    assert response.fp.readline() == b"event: reload\n"
    assert response.fp.readline() == b"data: 1\n"
    connection.close()
