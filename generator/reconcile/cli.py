"""``noimpunity reconcile``: the records against an official list file, as Markdown or JSON.

Exit status: 0 the records and the file agree (nothing new to report), 1 they do not (or the
records or reconcile.yaml have errors, printed as ``file:line:col: error[code] field:
message``, or the file is not a list of the kind named), 2 a usage error (no --authority for
un-xml, an authority that is not a participant, a file that does not exist).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from generator.build import today_utc
from generator.cli import print_problems
from generator.cli_import import reading_list
from generator.cli_options import root_option
from generator.errors import BuildError
from generator.importers import SOURCES
from generator.reconcile import ReconcileUsageError, reconcile
from generator.reconcile.markdown import render_markdown


@click.command("reconcile")
@click.argument("source", type=click.Choice(list(SOURCES)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--authority",
    metavar="CODE",
    help="The participant whose sanctions the file gives  [default: EU for eu-csv, US for"
    " ofac-csv; required for un-xml]",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["md", "json"]),
    default="md",
    show_default=True,
    help="md: Markdown for a pull request or an issue; json: one document for tools.",
)
@click.option(
    "--date",
    "file_date",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The file's date (the day it was downloaded); without it the report says it is unknown.",
)
@root_option("Repository to read (holds designations/ and reconcile.yaml).")
def reconcile_command(
    source: str,
    file: Path,
    authority: str | None,
    output_format: str,
    file_date: dt.datetime | None,
    root: Path,
) -> None:
    """Compare the records with an official list file: what the records lack, what is to be
    lifted, which fields differ, and which entries of the chemical-weapons scope have no record.

    SOURCE is eu-csv (an EU annex as CSV), ofac-csv (OFAC's sdn.csv) or un-xml (the UN
    Consolidated List). Known, deliberate differences and the scope of each kind of file are
    set in reconcile.yaml at the top of the repository; the report leaves those differences
    out, counts them, and lists the ones that no longer occur. Exit status 0 when there is
    nothing new to report, 1 when there is.
    """
    with reading_list(file):
        try:
            report = reconcile(
                source,
                file,
                root,
                today=today_utc(),
                authority=authority,
                file_date=file_date.date() if file_date else None,
            )
        except ReconcileUsageError as refusal:
            raise click.UsageError(str(refusal)) from None
        except BuildError as failure:
            print_problems(failure.problems)
            sys.exit(1)
    click.echo(report.json() if output_format == "json" else render_markdown(report), nl=False)
    sys.exit(0 if report.agrees else 1)
