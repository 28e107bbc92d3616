"""Compare the HTML pages that noimpunity and the benchmark's Hugo site build from the same records.

    python benchmarks/compare_pages.py [--size 1000]
    python benchmarks/compare_pages.py --noimpunity-out DIR --hugo-out DIR

Builds the generated repository benchmarks/_work/rec-N with both tools (or takes two existing
output directories), then prints the number of HTML pages of each, grouped by kind, and the
symmetric difference of the two sets of paths. Exit status 1 when the sets differ.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import run

# One pattern per kind of page: the part of the path that varies becomes "*".
GROUPS = [
    (re.compile(r"^(\w+/)(designations|authorities|cases|news)/[^/]+/index\.html$"), r"\1\2/*/"),
    (re.compile(r"^(\w+/browse/\w+)/[^/]+/index\.html$"), r"\1/*/"),
]


def html_pages(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*.html")}


def group_of(path: str) -> str:
    for pattern, replacement in GROUPS:
        if pattern.match(path):
            return pattern.sub(replacement, path)
    return path


def build_both(size: int, folder: Path) -> tuple[Path, Path]:
    """Build rec-N with each tool into ``folder``; the two output directories."""
    args = run.parse_arguments(["--sizes", str(size)])
    setup = run.make_setup(args)
    repo = run.prepare_repository(setup, size)
    ours, theirs = folder / "noimpunity", folder / "hugo"
    run.log(f"building {repo.name} with noimpunity")
    run.noimpunity_build(setup, repo, ours)
    run.log(f"building {repo.name} with Hugo")
    run.hugo_build(setup, run.hugo_config(repo, setup.as_of), theirs)
    return ours, theirs


def report(ours: Path, theirs: Path) -> bool:
    """Print the comparison; True when both tools built the same set of HTML paths."""
    pages_ours, pages_theirs = html_pages(ours), html_pages(theirs)
    groups_ours = Counter(group_of(path) for path in pages_ours)
    groups_theirs = Counter(group_of(path) for path in pages_theirs)
    print(f"HTML pages: noimpunity {len(pages_ours):,}, Hugo {len(pages_theirs):,}")
    print()
    print("| page | noimpunity | Hugo |")
    print("|---|---:|---:|")
    for group in sorted(set(groups_ours) | set(groups_theirs)):
        print(f"| `{group}` | {groups_ours[group]:,} | {groups_theirs[group]:,} |")
    only_ours = sorted(pages_ours - pages_theirs)
    only_theirs = sorted(pages_theirs - pages_ours)
    print()
    print(f"Only in noimpunity's output ({len(only_ours)}):")
    for path in only_ours:
        print(f"  {path}")
    print(f"Only in Hugo's output ({len(only_theirs)}):")
    for path in only_theirs:
        print(f"  {path}")
    return not only_ours and not only_theirs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="number of records (default 1000)")
    parser.add_argument("--noimpunity-out", type=Path, help="an existing noimpunity output")
    parser.add_argument("--hugo-out", type=Path, help="an existing Hugo output")
    args = parser.parse_args(argv)
    if (args.noimpunity_out is None) != (args.hugo_out is None):
        parser.error("give both --noimpunity-out and --hugo-out, or neither")
    if args.noimpunity_out:
        return 0 if report(args.noimpunity_out, args.hugo_out) else 1
    run.WORK.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="compare-", dir=run.WORK) as folder:
        try:
            ours, theirs = build_both(args.size, Path(folder))
        except run.BenchmarkError as failure:
            run.log(f"error: {failure}")
            return 1
        return 0 if report(ours, theirs) else 1


if __name__ == "__main__":
    sys.exit(main())
