"""How well name screening finds listed subjects, on a set kept apart from its tuning.

The queries in ``evaluation.json`` were written by hand from the records in ``designations/``
(misspellings, other transliterations, other scripts, reversed order, partial names, reformatted
identifiers) and from well-known or made-up names that are not listed. They are kept apart from
the tuning vectors in ``tests/screening/vectors.json``: nothing in ``generator/screening`` was
adjusted to this set, so its figures are an honest estimate rather than a fit.

Each query is screened at the default threshold and a Markdown report is printed: per kind, how
often the expected subject comes first, is in the top five, or is absent; for unlisted names, how
many raise any match. Every miss is shown with its top three results.

    .venv/bin/python benchmarks/screening/evaluate.py [SET.json]

``holdout.json`` is a second set, written later by someone who had not seen the method either.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.read import read_site  # noqa: E402
from generator.screening.index import screener  # noqa: E402
from generator.screening.score import Match, Screener  # noqa: E402

SET = Path(__file__).with_name("evaluation.json")
AS_OF = dt.date(2026, 12, 3)
KINDS = (
    "misspelling",
    "transliteration",
    "other-script",
    "reversed-order",
    "partial",
    "identifier",
    "extra-words",
)
UNLISTED = "unlisted"


@dataclass(frozen=True)
class Result:
    query: str
    expect: str | None
    kind: str
    matches: list[Match]
    below: Match | None  # the expected subject's best match under the threshold, if any

    @property
    def rank(self) -> int | None:
        """1-based position of the expected subject, None when it is absent."""
        ids = [match.entry.id for match in self.matches]
        return ids.index(self.expect) + 1 if self.expect in ids else None


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def show(match: Match) -> str:
    return f"{match.entry.name} (`{match.entry.id}`) {match.score:.3f} {match.band}"


def evaluate(screen: Screener, item: dict[str, str | None]) -> Result:
    query, expect, kind = str(item["query"]), item["expect"], str(item["kind"])
    matches = screen.screen(query)
    below = None
    if expect is not None and expect not in {match.entry.id for match in matches}:
        below = next((m for m in screen.screen(query, 0.0) if m.entry.id == expect), None)
    return Result(query, expect, kind, matches, below)


def pct(part: int, whole: int) -> str:
    return f"{part} ({100 * part / whole:.0f} %)" if whole else "0"


def report(results: list[Result], name: str = SET.name) -> None:
    out("# Screening evaluation")
    out()
    out(f"{len(results)} queries from `{name}`, default threshold, records as of {AS_OF}.")
    out()
    out("| kind | queries | right subject first | in top five | not found |")
    out("| --- | ---: | ---: | ---: | ---: |")
    listed = [r for r in results if r.kind != UNLISTED]
    for kind in (*KINDS, "all listed"):
        group = listed if kind == "all listed" else [r for r in listed if r.kind == kind]
        first = sum(r.rank == 1 for r in group)
        top5 = sum(r.rank is not None and r.rank <= 5 for r in group)
        absent = sum(r.rank is None for r in group)
        n = len(group)
        out(f"| {kind} | {n} | {pct(first, n)} | {pct(top5, n)} | {pct(absent, n)} |")
    out()

    unlisted = [r for r in results if r.kind == UNLISTED]
    false = [r for r in unlisted if r.matches]
    out(f"## Unlisted names: {pct(len(false), len(unlisted))} of {len(unlisted)} raise a match")
    out()
    if false:
        out("| query | matches | top match |")
        out("| --- | ---: | --- |")
        for r in false:
            out(f"| {r.query} | {len(r.matches)} | {show(r.matches[0])} |")
        out()

    misses = [r for r in listed if r.rank != 1]
    out(f"## Misses: {len(misses)} listed queries without the right subject first")
    out()
    for r in misses:
        where = "absent" if r.rank is None else f"rank {r.rank}"
        out(f"- **{r.query}** ({r.kind}), expected `{r.expect}`: {where}")
        if r.rank is None:
            under = f"{r.below.score:.3f} on {r.below.matched!r}" if r.below else "not a candidate"
            out(f"  - under the threshold: {under}")
        for match in r.matches[:3]:
            out(f"  - {show(match)}, matched {match.matched!r} by {match.by}")
        if not r.matches:
            out("  - no match at all")


def main() -> None:
    chosen = Path(sys.argv[1]) if len(sys.argv) > 1 else SET
    site, problems = read_site(ROOT, AS_OF)
    if site is None:
        raise SystemExit(f"the records cannot be read: {problems}")
    screen = screener(site)
    items: list[dict[str, str | None]] = json.loads(chosen.read_text(encoding="utf-8"))
    unknown = sorted({str(i["kind"]) for i in items} - {*KINDS, UNLISTED})
    if unknown:
        raise SystemExit(f"unknown kinds in {chosen.name}: {', '.join(unknown)}")
    ids = {subject.id for subject in site.subjects}
    missing = sorted({str(i["expect"]) for i in items if i["expect"]} - ids)
    if missing:
        raise SystemExit(f"expected subjects not in the records: {', '.join(missing)}")
    report([evaluate(screen, item) for item in items], chosen.name)


if __name__ == "__main__":
    main()
