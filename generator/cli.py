"""The ``noimpunity`` command line: parses options, calls the core, maps problems to exit codes.

Exit status: 0 success, 1 the data has errors (or warnings with ``--strict``), 2 usage error,
3 internal error (a bug: ``--debug`` shows the traceback). A file that cannot be written (a full
disk, a folder without permission) is one line, ``error: cannot write PATH: REASON (the previous
site is unchanged)``, and exit 1.
Problems print as ``path:line:col: severity[code] field: message`` on stderr, sorted, then a
one-line summary. Tracebacks appear only with ``--debug``.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import gc
import importlib
import json
import sys
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import click

from generator.build import Progress, WriteError, build_site, load_repository
from generator.cli_options import root_option
from generator.errors import BuildError, InternalError, Problem, sort_problems, summarise
from generator.fields import SUBJECT_TYPES
from generator.layout import OUTPUT
from generator.model import Site
from generator.publish import filename_of

F = TypeVar("F", bound=Callable[..., Any])


def common_options(function: F) -> F:
    options = [
        root_option("Repository to read (holds content/ and designations/)."),
        click.option("--strict", is_flag=True, help="Treat warnings as errors (CI does)."),
        click.option("--debug", is_flag=True, help="Show a traceback on unexpected failures."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


FORMATS = ("text", "github", "json")


def removed_ids(root: Path, revision: str, site: Site) -> list[Problem]:
    """Records of ``revision`` that vanished; a revision git does not know is a usage error."""
    from generator.git import GitError  # noqa: PLC0415 - only --against needs git
    from generator.tombstones import check_against  # noqa: PLC0415

    try:
        return check_against(root, revision, site)
    except GitError as failure:
        raise click.UsageError(str(failure)) from None


def print_problems(problems: list[Problem], output_format: str = "text") -> None:
    """Print problems: text on stderr, GitHub annotations or JSON on stdout."""
    ordered = sort_problems(problems)
    if output_format == "json":
        errors = sum(1 for p in ordered if p.is_error)
        document = {
            "problems": [p.as_dict() for p in ordered],
            "errors": errors,
            "warnings": len(ordered) - errors,
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    for problem in ordered:
        if output_format == "github":
            click.echo(problem.github())
        else:
            click.echo(problem.format(), err=True)
    if problems:
        click.echo(summarise(problems), err=True)


def handle_failures(function: F) -> F:
    """Turn data problems into exit 1 and unexpected exceptions into a short message."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except click.ClickException:
            raise  # usage errors: click prints them and exits 2
        except BuildError as failure:
            print_problems(failure.problems, kwargs.get("output_format", "text"))
            if not any(p.is_error for p in failure.problems):
                click.echo("stopped: --strict makes warnings fatal", err=True)
            sys.exit(3 if isinstance(failure, InternalError) else 1)
        except WriteError as failure:
            if kwargs.get("debug"):
                raise
            click.echo(f"error: {failure}", err=True)
            sys.exit(1)
        except OSError as failure:
            if kwargs.get("debug"):
                raise
            click.echo(f"error: {os_error(failure)}", err=True)
            sys.exit(1)
        except Exception as failure:
            if kwargs.get("debug"):
                raise
            click.echo(
                f"internal error: {failure!r} (run again with --debug for details)", err=True
            )
            sys.exit(3)

    return wrapper  # type: ignore[return-value]


def os_error(failure: OSError) -> str:
    """``PATH: REASON`` (``PATH -> OTHER: REASON`` for a rename), or the reason alone."""
    reason = failure.strerror or str(failure)
    path, other = filename_of(failure), filename_of(failure, second=True)
    if path is None:
        return reason
    return f"{path} -> {other}: {reason}" if other else f"{path}: {reason}"


class LazyGroup(click.Group):
    """Commands defined in their own modules are imported when used (or listed), so that
    ``build`` does not pay for the importers' start-up."""

    LAZY: ClassVar[dict[str, tuple[str, str]]] = {
        "diff": ("generator.cli_diff", "diff_command"),
        "import": ("generator.cli_import", "import_command"),
        "reconcile": ("generator.reconcile.cli", "reconcile_command"),
        "screen": ("generator.cli_screen", "screen_command"),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.LAZY])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.LAZY:
            module, name = self.LAZY[cmd_name]
            command: click.Command = getattr(importlib.import_module(module), name)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="noimpunity")
def main() -> None:
    """Build and check the website of the International Partnership against Impunity
    for the Use of Chemical Weapons from its records."""
    # At exit Python collects garbage once more, scanning every object still alive: the model
    # the build cache keeps for a next build in the same process (``serve``). Frozen, they are
    # not scanned: 1.3 s less at the end of a build of 10,000 records.
    atexit.register(gc.freeze)


@main.command()
@common_options
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the site  [default: ROOT/site]",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Reuse nothing from earlier builds (ROOT/.cache and the spare copy of the site).",
)
@handle_failures
def build(
    root: Path, output: Path | None, strict: bool, debug: bool, quiet: bool, no_cache: bool
) -> None:
    """Validate every record and page, then write the site.

    Only files whose inputs changed are produced; the new site is assembled beside the old one
    and swapped into place when complete: a failed build leaves the previous site untouched.
    """
    target = output or root / OUTPUT
    with progress_bar(enabled=not quiet) as progress:
        result = build_site(root, target, strict=strict, cache=not no_cache, progress=progress)
    print_problems(result.problems)
    if not quiet:
        click.echo(result.summary(target))


@contextlib.contextmanager
def progress_bar(*, enabled: bool) -> Iterator[Progress | None]:
    """A progress bar on stderr for builds that last over a second, when it is a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm  # type: ignore[import-untyped]  # noqa: PLC0415 - interactive only

    bars: dict[str, Any] = {}

    def advance(what: str, done: int, total: int) -> None:
        bar = bars.get(what)
        if bar is None:
            bar = bars[what] = tqdm(total=total, desc=what, unit="", delay=1.0, leave=False)
        bar.update(done - bar.n)

    try:
        yield advance
    finally:
        for bar in bars.values():
            bar.close()


@main.command()
@common_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: lines on stderr; github: GitHub Actions annotations; json: one JSON document.",
)
@click.option(
    "--against",
    metavar="REV",
    help="Also check that every record published at this git revision still has its file.",
)
@handle_failures
def validate(
    root: Path, strict: bool, debug: bool, output_format: str, against: str | None
) -> None:
    """Check every record and page without writing anything."""
    site, problems = load_repository(root, strict=strict)
    if against:
        problems = [*problems, *removed_ids(root, against, site)]
        if any(problem.is_error for problem in problems):
            raise BuildError(problems)
    print_problems(problems, output_format)
    if output_format == "json":
        return
    click.echo(
        f"ok: {len(site.subjects)} records, {len(site.participants)} participants, "
        f"{len(site.pages)} pages"
    )


@main.command()
@common_options
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port on 127.0.0.1 (0: any free port).",
)
@handle_failures
def serve(root: Path, strict: bool, debug: bool, port: int) -> None:
    """Build, serve the site on http://127.0.0.1:PORT/ and rebuild when a file changes."""
    from generator.serve import serve_site  # noqa: PLC0415 - only this command needs it

    serve_site(root, port=port, strict=strict, on_problems=print_problems)


@main.command("new")
@click.argument("subject_type", metavar="TYPE", type=click.Choice(SUBJECT_TYPES))
@click.argument("name")
@root_option("Repository to write into.")
@click.option("--id", "record_id", help="Id (and file name) to use instead of one made from NAME.")
@click.option("--authority", help="Code of the participant that imposed the sanction, e.g. FR.")
@click.option(
    "--listed", type=click.DateTime(["%Y-%m-%d"]), help="Date of the legal act, YYYY-MM-DD."
)
@click.option("--reference", help="The legal act, as cited officially.")
def new(
    subject_type: str,
    name: str,
    root: Path,
    record_id: str | None,
    authority: str | None,
    listed: dt.datetime | None,
    reference: str | None,
) -> None:
    """Write designations/<id>.yaml for a new subject: a skeleton with every field explained.

    TYPE is person, entity, group or government. The id is made from NAME (in ASCII); an
    existing record is never overwritten. What only you can fill in is left as "TODO:" and
    listed below; `noimpunity validate` reports it until it is done.
    """
    from generator.new import ScaffoldError, scaffold_record  # noqa: PLC0415

    try:
        made = scaffold_record(
            root,
            subject_type,
            name,
            record_id=record_id,
            authority=authority,
            listed=listed.date() if listed else None,
            reference=reference,
        )
    except ScaffoldError as refusal:
        raise click.ClickException(str(refusal)) from None
    click.echo(f"wrote {made.path.relative_to(root).as_posix()}")
    click.echo("fill in: " + ", ".join(made.to_fill))
    click.echo("then run: noimpunity validate")


@main.command()
def schema() -> None:
    """Print the JSON Schema of a designation record (draft 2020-12).

    The same schema is committed as schema/designation.schema.json (editors use it to validate
    and complete records) and published with the site's downloads.
    """
    from generator.export.schema import schema_text  # noqa: PLC0415 - only this command needs it

    click.echo(schema_text(), nl=False)
