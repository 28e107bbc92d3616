"""Name screening at the size of a real list, on a slow phone: index size and time to results.

Imports an OFAC SDN file (``sdn.csv``) with ``noimpunity import`` into a scratch repository
(the project's content/, one draft per subject; the drafts' placeholder grounds are replaced by
a neutral sentence so that the site builds), builds it, serves it, and opens its search page
in Chromium with the CPU slowed down four times (Chrome DevTools' "mid-tier mobile" setting).
It reports the size of ``search/names.json`` (raw and gzipped, in total and per 1,000
subjects) and, for a few queries: the time from typing to the first results (the first query
includes downloading and reading the index), and the time of a query once it is loaded.

    .venv/bin/python benchmarks/screening/phone.py PATH/TO/sdn.csv [--keep DIR]

Needs the project's environment (Playwright) and a Chromium on the PATH (or
$NOIMPUNITY_BROWSER). A build of 14,000 subjects in both languages takes a few minutes.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[2]
NOIMPUNITY = REPO / ".venv/bin/noimpunity"
QUERIES = ("Hassan", "Mohamed Aly", "Alexandre Michkine", "Kim Jong Un")
PLACEHOLDER = re.compile(r"^  (en|fr): 'TODO:.*'$", re.M)
CPU_SLOWDOWN = 4
FILE_DATE = "2024-05-03"  # stands for the listing date OFAC's CSV does not give
CONTACT_FIELDS = ("phone:", "email:", "website:")


def scratch_repository(sdn: Path, root: Path) -> int:
    shutil.copytree(REPO / "content", root / "content")
    (root / "designations").mkdir()
    done = subprocess.run(
        [str(NOIMPUNITY), "import", "ofac-csv", str(sdn), "--root", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        sys.exit(f"import failed: {done.stderr}")
    drafts = sorted((root / "designations").glob("*.yaml"))
    for draft in drafts:
        draft.write_text(buildable(draft.read_text("utf-8")), "utf-8")
    return len(drafts)


def buildable(text: str) -> str:
    """A draft the site builds from: neutral grounds, the file's date where OFAC gives no date
    and a generic reference where the programme has none; contact fields (which drafts leave
    for a coordinator to correct) left out."""
    text = PLACEHOLDER.sub(r"  \1: Imported for a benchmark.", text)
    lines: list[str] = []
    skipping = False
    for line in text.splitlines():
        if skipping and line.startswith("  "):
            continue
        skipping = line.startswith(CONTACT_FIELDS)
        if skipping:
            continue
        lines.append(line)
        if line == "  - authority: US" and "listed:" not in text:
            lines.append(f"    listed: {FILE_DATE}")
            if "reference:" not in text:
                lines.append("    reference: OFAC SDN list")
    return "\n".join(lines) + "\n"


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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="screening-phone-") as scratch:
        root = args.keep or Path(scratch)
        count = scratch_repository(args.sdn, root)
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
