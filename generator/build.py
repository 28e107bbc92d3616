"""Orchestration, top to bottom: read and validate -> render -> write. Nothing else lives here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.errors import BuildError, Location, Problem
from generator.export import ftm
from generator.export.data import data_files
from generator.export.schema import schema_text
from generator.export.sitemap import sitemap_files
from generator.git import head_commit, record_history
from generator.model import Site
from generator.render import Output, render_site
from generator.repository import read_site
from generator.search import search_files
from generator.write import write_site


@dataclass(frozen=True, slots=True)
class BuildResult:
    site: Site
    problems: list[Problem]  # warnings only: errors stop the build
    files: int
    seconds: float


# The templates of this source checkout, used for repositories that have none of their own
# (such as the test sites).
DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def templates_for(root: Path) -> Path:
    own = root / "templates"
    return own if own.is_dir() else DEFAULT_TEMPLATES


def template_problem(failure: jinja2.TemplateError, root: Path, templates: Path) -> Problem:
    """A template that does not compile or render, as a located problem."""
    name = getattr(failure, "filename", None) or ""
    line = getattr(failure, "lineno", None) or 0
    if not name:  # a rendering error: Jinja puts the template's line in the traceback
        frames = [
            f for f in traceback.extract_tb(failure.__traceback__) if f.filename.endswith(".html")
        ]
        if frames:
            name, line = frames[-1].filename, frames[-1].lineno or 0
    path = (templates / name) if name else templates
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    return Problem(Location(shown, line, 1 if line else 0), "template", "", str(failure.message))


def export_files(site: Site, revision: str | None) -> list[Output]:
    """The language-neutral downloads under data/, with their checksums."""
    extra = [Output("data/designation.schema.json", schema_text().encode("utf-8"))]
    if ftm.available():  # the optional extra `ftm`, which make installs
        lines, dropped = ftm.ftm_lines(site)
        if dropped:  # FtM would lose these values: stop rather than publish without them
            raise BuildError(dropped)
        extra.append(Output("data/subjects.ftm.json", lines))
    return data_files(site, revision, extra)


def today_utc() -> dt.date:
    """The build's date: from ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def load_repository(
    root: Path, *, strict: bool = False, today: dt.date | None = None
) -> tuple[Site, list[Problem]]:
    """Read and validate ``root``: the site and its warnings, or BuildError with all problems."""
    site, problems = read_site(root, today or today_utc())
    if site is None or (strict and problems):
        raise BuildError(problems)
    return site, problems


def build_site(
    root: Path,
    output: Path,
    *,
    templates: Path | None = None,
    strict: bool = False,
    today: dt.date | None = None,
) -> BuildResult:
    """Build the site of the repository at ``root`` into ``output``.

    On any problem (or any warning when ``strict``) nothing is written and ``output`` keeps the
    previous build.
    """
    started = time.perf_counter()
    site, problems = load_repository(root, strict=strict, today=today)
    site = dataclasses.replace(site, history=record_history(root))
    templates = templates or templates_for(root)
    try:
        pages = list(render_site(site, templates))
        outputs = itertools.chain(
            pages,
            export_files(site, head_commit(root)),
            sitemap_files(site, [page.path for page in pages]),
            search_files(site),
        )
        files = write_site(outputs, templates / "static", output)
    except jinja2.TemplateError as failure:
        raise BuildError([template_problem(failure, root, templates)]) from failure
    return BuildResult(site, problems, files, time.perf_counter() - started)
