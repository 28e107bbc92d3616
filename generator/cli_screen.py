"""``noimpunity screen``: is a name on the list? The search page's method, offline.

Exit status: 0 no name has a candidate at the threshold, 1 at least one has (or the records
have errors), 2 a usage error (no name, a file that cannot be read).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click

from generator import urls
from generator.build import load_repository
from generator.cli import print_problems
from generator.cli_options import root_option
from generator.errors import BuildError
from generator.screening.index import screener
from generator.screening.normalise import rules
from generator.screening.report import Screening, as_csv, as_json, as_text

WRITERS = {"text": as_text, "csv": as_csv, "json": as_json}


def names_in(path: Path) -> list[str]:
    """The names of a CSV file: its ``name`` column if the header has one, else the first."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as failure:
        raise click.UsageError(f"cannot read {path}: {failure}") from None
    rows = [row for row in csv.reader(text.splitlines()) if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    column = header.index("name") if "name" in header else 0
    body = rows[1:] if "name" in header else rows
    return [row[column].strip() for row in body if len(row) > column and row[column].strip()]


@click.command("screen")
@click.argument("names", nargs=-1)
@click.option(
    "--file",
    "names_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A CSV file of names: its 'name' column, or its first column without one.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.5, 1.0),
    default=lambda: rules()["threshold"],
    show_default="0.8",
    help="The least score shown (lower finds more, and more unrelated names).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(WRITERS)),
    default="text",
    show_default=True,
)
@root_option("Repository whose records are screened.")
def screen_command(
    names: tuple[str, ...],
    names_file: Path | None,
    threshold: float,
    output_format: str,
    root: Path,
) -> None:
    """Screen NAMES (or the names of --file) against the records: each candidate with its
    band (exact, strong, possible), score, the name or identifier that matched, and what tells
    two namesakes apart (type, birth dates, nationalities), or "no close match".

    Names match in any case, accents, word order, script or common transliteration;
    identifiers (passports, INN, registration numbers) exactly. The method is documented in
    generator/screening/score.py and is the one the search page uses.
    """
    queries = [*names, *(names_in(names_file) if names_file else [])]
    if not queries:
        raise click.UsageError("give one or more names, or --file")
    try:
        site, _warnings = load_repository(root)
    except BuildError as failure:
        print_problems(failure.problems)
        sys.exit(1)
    found = screener(site)
    results = [
        Screening(query, threshold, tuple(found.screen(query, threshold))) for query in queries
    ]
    list_url = site.config.base_url + urls.subjects(site.config.languages[0])
    click.echo(WRITERS[output_format](results, list_url), nl=False)
    sys.exit(1 if any(result.matches for result in results) else 0)
