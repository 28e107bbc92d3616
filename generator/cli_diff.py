"""``noimpunity diff``: the Markdown summary of what a change adds, amends or lifts."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("diff")
@click.argument("base", required=False)
@click.argument("head", required=False)
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="Repository (a git working tree).",
)
def diff_command(base: str | None, head: str | None, root: Path) -> None:
    """Summarise, as Markdown for a pull request, the records and pages changed between two
    git revisions (default: the merge base with main, and the working tree)."""
    raise click.ClickException("not implemented yet")
