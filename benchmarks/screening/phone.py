"""Name screening at the size of a real list, on a slow phone: index size and time to results.

Imports an OFAC SDN file (``sdn.csv``) with ``noimpunity import`` into a scratch repository
(the project's content/, one draft per subject, made buildable by ``benchmarks/real_list.py``:
neutral grounds, the file's date as listing date), builds it, serves it, and opens its search
page in Chromium with the CPU slowed down four times (Chrome DevTools' "mid-tier mobile"
setting).
It reports the size of ``search/names.json`` (raw and gzipped, in total and per 1,000
subjects) and, for a few queries: the time from typing to the first results (the first query
includes downloading and reading the index), and the time of a query once it is loaded.

    .venv/bin/python benchmarks/screening/phone.py PATH/TO/sdn.csv [--keep DIR] [--date YYYY-MM-DD]

Needs the project's environment (Playwright) and a Chromium on the PATH (or
$NOIMPUNITY_BROWSER). A build of 14,000 subjects in both languages takes a few minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/, for real_list
from real_list import RealListError, file_date, scratch_repository

REPO = Path(__file__).resolve().parents[2]
NOIMPUNITY = REPO / ".venv/bin/noimpunity"
QUERIES = ("Hassan", "Mohamed Aly", "Alexandre Michkine", "Kim Jong Un")
CPU_SLOWDOWN = 4


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the output clean."""


def browser_path() -> str:
    for name in (os.environ.get("NOIMPUNITY_BROWSER"), "chromium", "chromium-browser"):
        found = name and shutil.which(name)
        if found:
            return found
    sys.exit("no Chromium found: set NOIMPUNITY_BROWSER")


def measure(site: Path) -> list[tuple[str, float, float]]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_address[1]}/en/search/"
    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 844})
        session = page.context.new_cdp_session(page)
        session.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        done = "#search-status:has-text('candidate'), #search-status:has-text('No close match')"
        for position, query in enumerate(QUERIES):
            if position == 0:
                page.goto(address)
            timing = []
            for text in (query, query + " "):
                page.evaluate("document.querySelector('#search-status').textContent = ''")
                started = time.perf_counter()
                page.fill("#search-query", text)
                page.press("#search-query", "Enter")
                page.wait_for_selector(done, state="attached", timeout=120_000)
                timing.append(time.perf_counter() - started)
            first, again = timing
            timings.append((query, first, again))
        browser.close()
    server.shutdown()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sdn", type=Path, help="an OFAC sdn.csv")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    parser.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        help="the file's date, given as every subject's listing date (default: from its name)",
    )
    args = parser.parse_args()
    listed = args.date or file_date(args.sdn)
    if listed is None:
        parser.error(f"no YYYY-MM-DD date in {args.sdn.name}: give --date")
    with tempfile.TemporaryDirectory(prefix="screening-phone-") as scratch:
        root = args.keep or Path(scratch)
        try:
            count = scratch_repository(args.sdn, root, NOIMPUNITY, listed)
        except RealListError as failure:
            sys.exit(str(failure))
        started = time.perf_counter()
        subprocess.run([str(NOIMPUNITY), "build", "--root", str(root)], check=True)
        built = time.perf_counter() - started
        index = (root / "site" / "search" / "names.json").read_bytes()
        packed = len(gzip.compress(index, 6))
        print(f"## Name screening on {count:,} subjects ({args.sdn.name})\n")
        print(f"- build: {built:.0f} s (both languages, cold)")
        print(f"- search/names.json: {len(index) / 1e6:.2f} MB, {packed / 1e6:.2f} MB gzipped;")
        print(f"  per 1,000 subjects {len(index) / count:.0f} kB, {packed / count:.0f} kB gzipped")
        print(f"\n| query (Chromium, CPU slowed {CPU_SLOWDOWN}×, 390 px) | first results | again |")
        print("| --- | ---: | ---: |")
        for query, first, again in measure(root / "site"):
            print(f"| {query} | {first * 1000:.0f} ms | {again * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
