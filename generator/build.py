"""Orchestration, top to bottom: read and validate -> plan -> produce what changed -> publish.

Every file of the site is planned with a fingerprint of what it depends on (keys.py); the
publisher (write.py) tells which files the previous builds already hold, and only the others
are produced (produce.py). A build whose inputs are all unchanged stops after reading them,
before even importing the renderer. With ``cache=False`` nothing is reused.

Nothing is lost: the site is published only whole, after checking that every subject record
has its page in every language (a bug that drops one stops the build, as an internal error).
A file that cannot be written (a full disk, a folder without permission, a file where a folder
should be) fails the build with one ``WriteError`` naming it; the previous site stays. A cache
folder that cannot be written only costs time: the build warns and runs without the cache.
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import os
import sys
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator import urls
from generator.cache import Store, folder_for
from generator.errors import BuildError, Location, Problem
from generator.fingerprint import FileIndex, input_digest, sources_digest
from generator.git import head_commit
from generator.write import IncompleteError, Planned, Publisher

if TYPE_CHECKING:
    from generator.model import Site, Subject, Tombstone
    from generator.render import PagePlan

# Called as work advances: (what, done, total); the CLI draws a progress bar with it.
Progress = Callable[[str, int, int], None]
# Told what the build works around without failing (an unwritable cache); prints on stderr by
# default.
Warn = Callable[[str], None]
# Subjects named at most in a problem's message (a broken planner may lose them all).
NAMED = 10


class InternalError(BuildError):
    """A bug of the generator found before publishing (a subject without its page)."""


class WriteError(Exception):
    """A file of the build could not be written: nothing was published."""

    def __init__(self, what: str, published: bool) -> None:
        kept = "the previous site is unchanged" if published else "no site was published"
        super().__init__(f"{what} ({kept})")


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
    root: Path,
    *,
    strict: bool = False,
    today: dt.date | None = None,
    store: Store | None = None,
    index: FileIndex | None = None,
) -> tuple[Site, list[Problem]]:
    """Read and validate ``root``: the site and its warnings, or BuildError with all problems."""
    from generator.repository import read_site  # noqa: PLC0415 - kept off the no-change path

    site, problems = read_site(root, today or today_utc(), store, index)
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
    warn: Warn | None = None,
) -> BuildResult:
    """Build the site of the repository at ``root`` into ``output``.

    On any problem (or any warning when ``strict``) nothing is written and ``output`` keeps the
    previous build; so it does when the build is interrupted, or fails to write (``WriteError``).
    """
    started = time.perf_counter()
    # The model is large and acyclic: the cyclic garbage collector would only rescan it, again
    # and again, while the build allocates.
    collecting = gc.isenabled()
    gc.disable()
    # Files 0644 and folders 0755 whatever the caller's umask: the site is the same everywhere.
    umask = os.umask(0o022)
    try:
        return _build(
            root, output, templates, strict, today, cache, progress, warn or _stderr, started
        )
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
    warn: Warn,
    started: float,
) -> BuildResult:
    today = today or today_utc()
    templates = templates or templates_for(root)
    check_output(output)
    folder = usable_cache(folder_for(root), warn) if cache else None
    try:
        publisher = Publisher(output, folder / "trees" if folder else None)
    except OSError as failure:
        raise WriteError(describe(failure, output, None), output.is_dir()) from failure
    try:
        return _build_into(
            publisher, root, templates, strict, today, folder, progress, warn, started
        )
    except OSError as failure:
        publisher.abandon()
        published = publisher.target.is_dir()
        raise WriteError(describe(failure, output, publisher, folder), published) from failure


def _build_into(
    publisher: Publisher,
    root: Path,
    templates: Path,
    strict: bool,
    today: dt.date,
    folder: Path | None,
    progress: Progress | None,
    warn: Warn,
    started: float,
) -> BuildResult:
    revision = head_commit(root)
    index = FileIndex(folder / "inputs.pickle" if folder else None)
    sources = sources_digest(root, templates, index)
    fingerprint = input_digest(root, sources, today, strict, revision, index)
    _after_publishing(index.save, warn)  # what it learnt holds whatever the build does next
    remembered = publisher.remembered(fingerprint)
    if remembered is not None:  # same inputs as the published site, which is intact
        problems, records, pages = remembered
        files = len(publisher.current)
        seconds = time.perf_counter() - started
        return BuildResult(problems, records, pages, files, 0, records, seconds, unchanged=True)

    import jinja2  # noqa: PLC0415 - what follows is only imported by builds with work to do

    from generator import produce  # noqa: PLC0415

    records_store = Store.open(folder, "records")
    site, problems = load_repository(
        root, strict=strict, today=today, store=records_store, index=index
    )
    try:
        plan = produce.plan_build(site, templates, sources, revision, folder, root)
        site, plans, planned = plan.site, plan.pages, plan.planned
        check_subject_pages(site, planned)
        memo = (fingerprint, problems, _count_records(site), _count_pages(plans))
        if publisher.unchanged(planned):
            _after_publishing(lambda: publisher.remember(memo), warn)
            return _result(site, problems, plans, planned, 0, records_store, started, True)
        needed = publisher.prepare(planned)
        written = produce.produce(plan, needed, publisher, revision, folder, progress)
        publisher.publish(planned, memo)
    except jinja2.TemplateError as failure:
        publisher.abandon()
        raise BuildError([produce.template_problem(failure, root, templates)]) from failure
    except IncompleteError as failure:
        publisher.abandon()
        raise InternalError(unwritten_problems(site, failure.missing)) from failure
    except BaseException:
        publisher.abandon()
        raise
    _after_publishing(records_store.save, warn)
    return _result(site, problems, plans, planned, written, records_store, started, False)


def _after_publishing(save: Callable[[], None], warn: Warn) -> None:
    """Save to the cache once the site is settled: a failure then only costs the next build."""
    try:
        save()
    except OSError as failure:
        warn(f"warning: the build cache was not saved: {_reason(failure)}")


# -- where the build writes ------------------------------------------------------------------


def check_output(output: Path) -> None:
    """Fail at once, before reading anything, when a file stands where ``output`` or one of
    its folders should be."""
    if output.exists() and not output.is_dir():
        raise WriteError(f"cannot write {output}: it is a file, not a folder", False)
    for folder in output.parents:
        if folder.exists():
            if not folder.is_dir():
                raise WriteError(f"cannot write {output}: {folder} is a file, not a folder", False)
            return


def usable_cache(folder: Path, warn: Warn) -> Path | None:
    """The build cache ``folder``, or None (after a warning) when it cannot be written there.

    A build never fails for its cache: without it every file is produced, which takes longer,
    and the spare copy of the site is not kept.
    """
    if folder.exists() and not folder.is_dir():
        reason = "it is a file, not a folder"
    else:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            places = [folder, *(path for path in folder.iterdir() if path.is_dir())]
        except OSError as failure:
            same = filename_of(failure) == str(folder)
            reason = str(failure.strerror) if same else _reason(failure)
        else:
            unwritable = [path for path in places if not os.access(path, os.W_OK | os.X_OK)]
            if not unwritable:
                return folder
            place = unwritable[0]
            reason = "not writable" if place == folder else f"{place} is not writable"
    warn(f"warning: cannot use the build cache {folder}: {reason}; building without it")
    return None


def describe(
    failure: OSError, output: Path, publisher: Publisher | None, cache: Path | None = None
) -> str:
    """What could not be done, naming the file as the user knows it: a file of the spare tree
    (where the new site is assembled) by its place in ``output``."""
    reason = failure.strerror or str(failure)
    name = filename_of(failure)
    if name is None:
        return f"the build failed: {reason}"
    path = Path(name)
    if publisher is not None and path.is_relative_to(publisher.spare):
        spare = output.parent / publisher.spare.name
        if path == publisher.spare:
            return f"cannot create {spare}, where the new {output} is assembled: {reason}"
        inside = path.relative_to(publisher.spare)
        if failure.errno in {errno.EACCES, errno.EPERM}:  # the spare copy's own permissions
            where = f"{spare / inside} (the copy of {output} where the new site is assembled)"
            return f"cannot write {where}: {reason}"
        return f"cannot write {output / inside}: {reason}"
    target, absolute = output.resolve(), path.resolve()
    written = [target, *([cache.resolve()] if cache else [])]
    if absolute in target.parents or any(absolute.is_relative_to(place) for place in written):
        return f"cannot write {path}: {reason}"
    return f"{path}: {reason}"  # not one of the build's own files (a template, git)


def filename_of(failure: OSError, second: bool = False) -> str | None:
    """The (first or second) file an OSError names, as text."""
    name = failure.filename2 if second else failure.filename
    if name is None:
        return None
    return os.fsdecode(name) if isinstance(name, str | bytes) else str(name)


def _reason(failure: OSError) -> str:
    name = filename_of(failure)
    return f"{name}: {failure.strerror or failure}" if name else str(failure.strerror or failure)


def _stderr(text: str) -> None:
    sys.stderr.write(text + "\n")


# -- subjects in = subject pages out ---------------------------------------------------------


def check_subject_pages(site: Site, planned: list[Planned]) -> None:
    """Every subject record (withdrawn ones too) has its page in every language among the
    planned files, and every subject page its record; else ``InternalError``. Set operations
    only: cheap for 50,000 subjects."""
    paths = {item.path for item in planned}
    problems = []
    for lang in site.config.languages:
        records = _subject_pages(site, lang)
        prefix = urls.subjects(lang)
        pages = {p for p in paths if p.startswith(prefix) and p.count("/") == prefix.count("/") + 1}
        if pages == records.keys():
            continue
        lost = [records[path] for path in records.keys() - pages]
        extra = sorted(pages - records.keys())
        count = f"{len(records)} subject records but {len(pages)} {lang} subject pages planned"
        if lost:
            problems.append(_lost_pages(lost, f"{count}; no page for"))
        if extra:
            where = Location(extra[0])
            problems.append(
                Problem(where, "page-count", "", f"{count}; no record for {_names(extra)}", _HINT)
            )
    if problems:
        raise InternalError(problems)


def unwritten_problems(site: Site, missing: Collection[str]) -> list[Problem]:
    """Planned files the spare tree lacks when it is to be published, as problems: subjects
    whose page was not written, then the other files."""
    absent = set(missing)
    problems = []
    subject_pages: set[str] = set()
    for lang in site.config.languages:
        records = _subject_pages(site, lang)
        subject_pages |= records.keys()
        lost = [record for path, record in records.items() if path in absent]
        if lost:
            written = len(records) - len(lost)
            count = f"{len(records)} subject records but {written} {lang} subject pages written"
            problems.append(_lost_pages(lost, f"{count}; no page for"))
    others = sorted(absent - subject_pages)
    if others:
        message = f"internal error: planned but not written: {_names(others)}"
        problems.append(Problem(Location(others[0]), "unwritten-file", "", message, _HINT))
    return problems


_HINT = "a bug of noimpunity, please report it"


def _subject_pages(site: Site, lang: str) -> dict[str, Subject | Tombstone]:
    """The page file of every subject record in ``lang``, with its record."""
    records: list[Subject | Tombstone] = [*site.subjects, *site.tombstones]
    return {urls.file_of(urls.subject(lang, record.id)): record for record in records}


def _lost_pages(lost: list[Subject | Tombstone], message: str) -> Problem:
    lost = sorted(lost, key=lambda record: record.id)
    where = Location(lost[0].origin.path)
    text = f"internal error: {message} {_names([record.id for record in lost])}"
    return Problem(where, "page-count", "", text, _HINT)


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMED])
    return shown if len(names) <= NAMED else f"{shown} and {len(names) - NAMED} more"


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
