"""``noimpunity import``: draft records from an official list file."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("import")
@click.argument("source", type=click.Choice(["eu-csv", "ofac-csv", "un-xml"]))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="Repository whose designations/ receives the drafts.",
)
def import_command(source: str, file: Path, root: Path) -> None:
    """Turn the records of an official list into draft records (never overwriting any)."""
    raise click.ClickException("not implemented yet")
