"""``noimpunity screen``'s output: one block (text), row (CSV) or object (JSON) per name."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.screening.score import Match
from generator.spreadsheet import inert

CSV_COLUMNS = (
    "query",
    "rank",
    "band",
    "score",
    "id",
    "name",
    "matched",
    "matched_by",
    "type",
    "born",
    "nationality",
    "authorities",
    "status",
    "url",
)


@dataclass(frozen=True, slots=True)
class Screening:
    """The candidates found for one name."""

    query: str
    threshold: float
    matches: tuple[Match, ...]


def as_text(results: Sequence[Screening], list_url: str) -> str:
    lines: list[str] = []
    for result in results:
        count = len(result.matches)
        if not count:
            lines.append(f"{result.query!r}: no close match (threshold {result.threshold:.2f})")
            continue
        lines.append(f"{result.query!r}: {count} candidate{'s' if count > 1 else ''}")
        for match in result.matches:
            entry = match.entry
            facts = [entry.type, *(f"born {date}" for date in entry.born), *entry.nationality]
            lines.append(
                f"  {match.band:<8} {match.score:.2f}  {entry.name} ({entry.id})"
                f" — {', '.join(facts)}; {', '.join(entry.authorities)}; {entry.status}"
            )
            if match.matched != entry.name:
                lines.append(f"{'':14}matched {match.by}: {match.matched}")
            lines.append(f"{'':14}{list_url}{entry_path(entry.id)}")
    return "\n".join(lines) + "\n"


def as_rows(results: Sequence[Screening], list_url: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for result in results:
        if not result.matches:
            rows.append({"query": result.query, "band": "none"})
        for rank, match in enumerate(result.matches, 1):
            entry = match.entry
            rows.append(
                {
                    "query": result.query,
                    "rank": rank,
                    "band": match.band,
                    "score": f"{match.score:.3f}",
                    "id": entry.id,
                    "name": entry.name,
                    "matched": match.matched,
                    "matched_by": match.by,
                    "type": entry.type,
                    "born": "; ".join(entry.born),
                    "nationality": "; ".join(entry.nationality),
                    "authorities": "; ".join(entry.authorities),
                    "status": entry.status,
                    "url": list_url + entry_path(entry.id),
                }
            )
    return rows


def as_csv(results: Sequence[Screening], list_url: str) -> str:
    """CSV for a spreadsheet; cells that a spreadsheet would run as a formula are quoted."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in as_rows(results, list_url):
        writer.writerow({k: inert(v) if isinstance(v, str) else v for k, v in row.items()})
    return out.getvalue()


def as_json(results: Sequence[Screening], list_url: str) -> str:
    data = [
        {
            "query": result.query,
            "threshold": result.threshold,
            "candidates": [
                {key: value for key, value in row.items() if key != "query"}
                for row in as_rows([result], list_url)
                if row["band"] != "none"
            ],
        }
        for result in results
    ]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def entry_path(subject_id: str) -> str:
    """Appended to the address of the list (``…/en/designations/``): the subject's page."""
    return f"{subject_id}/"
