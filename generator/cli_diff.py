"""``noimpunity diff``: the Markdown summary of what a change adds, amends or lifts."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.build import today_utc
from generator.cli_options import root_option
from generator.git import GitError


@click.command("diff")
@click.argument("base", required=False)
@click.argument("head", required=False)
@root_option("Repository (a git working tree).")
def diff_command(base: str | None, head: str | None, root: Path) -> None:
    """Summarise, as Markdown for a pull request, the records and pages changed between two
    git revisions (default: the merge base with main, and the working tree).

    The summary ends with the validation of HEAD; the exit status is 0 even when HEAD has
    errors (run `noimpunity validate` to fail a check). Exit status 2: git cannot give the two
    revisions (not a repository, unknown revision, merge base missing from a shallow clone).
    """
    try:
        from generator.diff import diff_summary  # noqa: PLC0415 - keeps `build` quick to start

        summary = diff_summary(root, base, head, today=today_utc())
    except GitError as failure:
        click.echo(f"error: {failure}", err=True)
        sys.exit(2)
    click.echo(summary, nl=False)
