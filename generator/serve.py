"""A preview server for coordinators: build, serve on localhost, rebuild when a file changes.

A failed rebuild prints its problems and keeps serving the last good site.
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

from generator.build import build_site
from generator.errors import BuildError, Problem

WATCHED = ("content", "designations", "templates")


def serve_site(
    root: Path, *, port: int, strict: bool, on_problems: Callable[[list[Problem]], None]
) -> None:
    with tempfile.TemporaryDirectory(prefix="noimpunity-serve-") as scratch:
        output = Path(scratch) / "site"

        def rebuild() -> None:
            try:
                result = build_site(root, output, strict=strict)
            except BuildError as failure:
                on_problems(failure.problems)
                click.echo("build failed; still serving the last good site", err=True)
                return
            on_problems(result.problems)
            click.echo(f"built {result.files} files in {result.seconds:.2f} s")

        rebuild()
        handler = functools.partial(_QuietHandler, directory=str(output))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the terminal for build messages."""
