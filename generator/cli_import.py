"""``noimpunity import``: draft records from an official list file.

Exit status: 0 the file was read (drafts written, or all already recorded), 1 the file is not
a list of the kind named, 2 a usage error (unknown filter, missing --authority, no record
matching the filters). Notices print on stderr as ``FILE:ROW: warning[import-...] field:
message``, then a one-line summary; the files written print on stdout.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from generator.cli_options import root_option
from generator.importers import SOURCES, ImportFileError, ImportUsageError, run_import


@contextlib.contextmanager
def reading_list(file: Path) -> Iterator[None]:
    """A list file that is not of its kind, or cannot be read: one line, exit status 1."""
    try:
        yield
    except ImportFileError as failure:
        click.echo(f"error: {failure}", err=True)
        sys.exit(1)
    except OSError as failure:
        click.echo(f"error: {failure.strerror or failure}: {failure.filename or file}", err=True)
        sys.exit(1)


def _filters_help() -> str:
    lines = [
        "\b",
        "Filters (--filter KEY=VALUE; repeat a key or give VALUE1,VALUE2 for",
        "alternatives; different keys must all match):",
    ]
    for source in SOURCES.values():
        lines.append(f"  {source.name}:")
        lines.extend(f"    {key.name:<8} {key.help}" for key in source.filter_keys)
    return "\n".join(lines)


@click.command("import", epilog=_filters_help())
@click.argument("source", type=click.Choice(list(SOURCES)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@root_option("Repository whose designations/ receives the drafts.")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="KEY=VALUE",
    help="Import only the records that match (see the keys below); repeatable.",
)
@click.option(
    "--authority",
    metavar="CODE",
    help="un-xml only (required): the participant that applies the UN listing, e.g. EU.",
)
def import_command(
    source: str, file: Path, root: Path, filters: tuple[str, ...], authority: str | None
) -> None:
    """Turn the records of an official list into draft records (never overwriting any).

    SOURCE is eu-csv (an EU annex as CSV), ofac-csv (OFAC's sdn.csv) or un-xml (the UN
    Consolidated List). Each draft gets the fields the list gives, one sanction entry and
    placeholder grounds: write the grounds in your own words (never copy the statement of
    reasons), fill in what the warnings list, then run `noimpunity validate`. A subject
    already recorded is skipped; an id taken by another subject gets the birth year or -2.
    """
    with reading_list(file):
        try:
            report = run_import(source, file, root, filters, authority)
        except ImportUsageError as refusal:
            raise click.UsageError(str(refusal)) from None
    for notice in report.notices:
        click.echo(notice.format(), err=True)
    for path in report.written:
        click.echo(f"wrote {path.relative_to(root).as_posix()}")
    click.echo(report.summary(), err=True)
