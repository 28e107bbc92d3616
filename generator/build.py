"""Orchestration, top to bottom: read and validate -> plan -> produce what changed -> publish.

Every file of the site is planned with a fingerprint of what it depends on (keys.py); the
publisher (write.py) tells which files the previous builds already hold, and only the others
are produced (produce.py). A build whose inputs are all unchanged stops after reading them,
before even importing the renderer. With ``cache=False`` nothing is reused.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cache import Store, folder_for
from generator.errors import BuildError, Problem
from generator.fingerprint import input_digest
from generator.git import head_commit
from generator.write import Planned, Publisher

if TYPE_CHECKING:
    from generator.model import Site
    from generator.render import PagePlan

# Called as work advances: (what, done, total); the CLI draws a progress bar with it.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class BuildResult:
    problems: list[Problem]  # warnings only: errors stop the build
    records: int  # subjects and withdrawn records read
    pages: int  # HTML pages of the site
    files: int  # every file of the site
    written: int  # files produced by this build (the others were already right)
    cache_hits: int  # records read from the cache
    seconds: float
    unchanged: bool = False  # nothing to do: the published site was already this one

    def summary(self, target: Path) -> str:
        """The closing line of a build: what was read and written, and how long it took."""
        if self.unchanged:
            return (
                f"nothing changed: {target} is up to date ({self.records} records, "
                f"{self.pages} pages) [{self.seconds:.2f} s]"
            )
        return (
            f"built {self.pages} pages ({self.files} files, {self.written} written) "
            f"from {self.records} records, {self.cache_hits} from the cache "
            f"[{self.seconds:.2f} s] -> {target}"
        )


# The templates of this source checkout, used for repositories that have none of their own
# (such as the test sites).
DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def templates_for(root: Path) -> Path:
    own = root / "templates"
    return own if own.is_dir() else DEFAULT_TEMPLATES


def today_utc() -> dt.date:
    """The build's date: from ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def load_repository(
    root: Path, *, strict: bool = False, today: dt.date | None = None, store: Store | None = None
) -> tuple[Site, list[Problem]]:
    """Read and validate ``root``: the site and its warnings, or BuildError with all problems."""
    from generator.repository import read_site  # noqa: PLC0415 - kept off the no-change path

    site, problems = read_site(root, today or today_utc(), store)
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
    cache: bool = True,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the site of the repository at ``root`` into ``output``.

    On any problem (or any warning when ``strict``) nothing is written and ``output`` keeps the
    previous build; so it does when the build is interrupted.
    """
    started = time.perf_counter()
    # The model is large and acyclic: the cyclic garbage collector would only rescan it, again
    # and again, while the build allocates.
    collecting = gc.isenabled()
    gc.disable()
    # Files 0644 and folders 0755 whatever the caller's umask: the site is the same everywhere.
    umask = os.umask(0o022)
    try:
        return _build(root, output, templates, strict, today, cache, progress, started)
    finally:
        os.umask(umask)
        if collecting:
            gc.enable()


def _build(
    root: Path,
    output: Path,
    templates: Path | None,
    strict: bool,
    today: dt.date | None,
    cache: bool,
    progress: Progress | None,
    started: float,
) -> BuildResult:
    today = today or today_utc()
    templates = templates or templates_for(root)
    folder = folder_for(root) if cache else None
    publisher = Publisher(output, folder / "trees" if folder else None)
    revision = head_commit(root)
    fingerprint = input_digest(root, templates, today, strict, revision)
    remembered = publisher.remembered(fingerprint)
    if remembered is not None:  # same inputs as the published site, which is intact
        problems, records, pages = remembered
        files = len(publisher.current)
        seconds = time.perf_counter() - started
        return BuildResult(problems, records, pages, files, 0, records, seconds, unchanged=True)

    import jinja2  # noqa: PLC0415 - what follows is only imported by builds with work to do

    from generator import produce  # noqa: PLC0415

    records_store = Store(folder, "records")
    site, problems = load_repository(root, strict=strict, today=today, store=records_store)
    try:
        plan = produce.plan_build(site, templates, root, revision, folder)
        site, plans, planned = plan.site, plan.pages, plan.planned
        memo = (fingerprint, problems, _count_records(site), _count_pages(plans))
        if publisher.unchanged(planned):
            publisher.remember(memo)
            return _result(site, problems, plans, planned, 0, records_store, started, True)
        needed = publisher.prepare(planned)
        written = produce.produce(plan, needed, publisher, revision, folder, progress)
    except jinja2.TemplateError as failure:
        publisher.abandon()
        raise BuildError([produce.template_problem(failure, root, templates)]) from failure
    except BaseException:
        publisher.abandon()
        raise
    publisher.publish(planned, memo)
    records_store.save()
    return _result(site, problems, plans, planned, written, records_store, started, False)


def _result(
    site: Site,
    problems: list[Problem],
    plans: list[PagePlan],
    planned: list[Planned],
    written: int,
    store: Store,
    started: float,
    unchanged: bool,
) -> BuildResult:
    seconds = time.perf_counter() - started
    return BuildResult(
        problems,
        _count_records(site),
        _count_pages(plans),
        len(planned),
        written,
        store.hits,
        seconds,
        unchanged,
    )


def _count_records(site: Site) -> int:
    return len(site.subjects) + len(site.tombstones)


def _count_pages(plans: list[PagePlan]) -> int:
    return sum(1 for plan in plans if plan.template.endswith(".html"))
