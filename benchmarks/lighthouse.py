"""Lighthouse at phone size on the page types readers land on: home, the list, a subject's page
and the search page with a query, in both languages, on a built site.

    python3 benchmarks/lighthouse.py                      # the repository's site, built here
    python3 benchmarks/lighthouse.py --site PATH/TO/site  # any built site (a 14,000-subject one)

Lighthouse (npm, pinned below) is installed into benchmarks/_work/lighthouse the first time;
it drives the system's Chromium (CHROME_PATH, else `chromium` on the PATH). The site is served
on a free local port. Prints a Markdown table of the four categories' scores and exits with 1
when one is under --min (95 by default).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
TOOL = HERE / "_work" / "lighthouse"
VERSION = "12.8.2"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def lighthouse() -> Path:
    """The Lighthouse command, installed at VERSION on first use."""
    command = TOOL / "node_modules" / ".bin" / "lighthouse"
    if not command.exists():
        TOOL.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(TOOL), "--no-audit", "--no-fund",
             f"lighthouse@{VERSION}"],
            check=True,
        )  # fmt: skip
    return command


def pages(site: Path) -> list[str]:
    """Home, the list, the first subject's page and a search for its first name, in English,
    and the same in French when the site has it."""
    subject = next(
        path.parent
        for path in sorted((site / "en" / "designations").glob("*/index.html"))
        if path.parent.name != "page"
    )
    title = (subject / "index.html").read_text("utf-8").split("<h1>", 1)[1].split("<", 1)[0]
    query = title.split()[0]
    found = []
    for lang in ("en", "fr"):
        if (site / lang).is_dir():
            found += [f"{lang}/", f"{lang}/designations/", f"{lang}/designations/{subject.name}/",
                      f"{lang}/search/?q={query}"]  # fmt: skip
    return found


def scores(command: Path, address: str) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "chromium"
        subprocess.run(
            [str(command), address, "--quiet", "--output=json", f"--output-path={report}",
             "--form-factor=mobile", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
            check=True,
            env={**os.environ, "CHROME_PATH": chrome},
        )  # fmt: skip
        found = json.loads(report.read_text("utf-8"))["categories"]
    return {name: round((found[name]["score"] or 0) * 100) for name in CATEGORIES}


def built_repository(scratch: Path) -> Path:
    site = scratch / "site"
    noimpunity = REPOSITORY / ".venv" / "bin" / "noimpunity"
    subprocess.run(
        [str(noimpunity), "build", "--root", str(REPOSITORY), "-o", str(site), "--quiet",
         "--no-cache"],
        check=True,
    )  # fmt: skip
    return site


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the repository)")
    parser.add_argument("--min", type=int, default=95, help="the least score accepted")
    options = parser.parse_args()
    command = lighthouse()
    with tempfile.TemporaryDirectory() as scratch:
        site = options.site or built_repository(Path(scratch))
        rows = ["| page | " + " | ".join(CATEGORIES) + " |", "|---|" + "---:|" * len(CATEGORIES)]
        low = []
        with served(site) as base:
            for page in pages(site):
                found = scores(command, base + page)
                rows.append(f"| `{page}` | " + " | ".join(str(found[c]) for c in CATEGORIES) + " |")
                low += [f"{page} {name} {value}" for name, value in found.items()
                        if value < options.min]  # fmt: skip
    sys.stdout.write("\n".join(rows) + "\n")
    if low:
        sys.stderr.write(f"under {options.min}: {', '.join(low)}\n")
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
