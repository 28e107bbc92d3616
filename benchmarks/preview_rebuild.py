"""Rebuild times as `noimpunity serve` sees them: one process, builds after each edit.

The CLI pays Python's start-up and every import on each run; the preview server pays them once,
so its rebuilds after an edit are what a coordinator waits for. This script builds a generated
repository once (not counted), then times `build_site` after each of `--runs` edits of one
record's English grounds (the same edit as run.py's "one record changed"; the first one, which
brings words new to the full-text index, is reported apart), then once with nothing changed,
and prints the medians (with ``--json FILE``, writes every time there too: run.py's `serve`
scenario reads them).

    python3 benchmarks/preview_rebuild.py benchmarks/_work/rec-10000 --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from generator.build import build_site

from run import amended, chosen_record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", type=Path, help="a repository written by gen_records.py")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write every time measured to this file")
    options = parser.parse_args()
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    scratch = Path(tempfile.mkdtemp(prefix="noimpunity-preview-", dir=base))
    os.environ["NOIMPUNITY_CACHE_DIR"] = str(scratch / "cache")
    output = scratch / "site"
    record = chosen_record(options.repo)
    original = record.read_bytes()
    try:
        build_site(options.repo, output)  # the first build, as serve starts with
        edits = []
        for run in range(1 + options.runs):  # the first edit brings new words (run.py)
            record.write_text(amended(original.decode("utf-8"), run + 1), encoding="utf-8")
            started = time.perf_counter()
            result = build_site(options.repo, output)
            edits.append(time.perf_counter() - started)
            assert result.written > 0
        first = edits.pop(0)
        started = time.perf_counter()
        assert build_site(options.repo, output).unchanged
        unchanged = time.perf_counter() - started
    finally:
        record.write_bytes(original)
        shutil.rmtree(scratch, ignore_errors=True)
    if options.json:
        times = {"edits": edits, "first": first, "unchanged": unchanged}
        options.json.write_text(json.dumps(times), encoding="utf-8")
    print(
        f"preview rebuild after one record changed: median {statistics.median(edits):.2f} s "
        f"over {len(edits)} edits; the first edit (new words for the full-text index): "
        f"{first:.2f} s; nothing changed: {unchanged:.2f} s"
    )


if __name__ == "__main__":
    main()
