"""The build, top to bottom: read -> check -> model -> plan -> render -> downloads -> search
index -> publish (``_run_stages``), each stage a module named after its job:

    read.py (load.py, validate.py)    content/ and designations/ -> model objects (model.py)
    checks.py                         rules across records
    changelog.py                      the model completed with each record's history from git
    plan.py                           every file of the site with the fingerprint of its inputs
    render.py                         the pages that changed, rendered by worker processes
    downloads.py                      the files under data/ that changed, from their registry
    search.py                         the search index (made while planning, written here)
    publish.py                        the spare tree brought up to date and swapped in

The publisher tells which files the previous builds already hold; only the others are made. A
build whose inputs are all unchanged stops after fingerprinting them, before even importing the
renderer. With ``cache=False`` nothing is reused.

Nothing is lost: the site is published only whole, after checking that every subject record
has its page in every language (completeness.py; a bug that drops one stops the build, as an
internal error). A file that cannot be written (a full disk, a folder without permission, a
file where a folder should be) fails the build with one ``WriteError`` naming it; the previous
site stays. A cache folder that cannot be written only costs time: the build warns and runs
without the cache.

One build at a time writes an output folder (lock.py): a second one waits a few seconds, then
stops with ``BuildRunningError``. What is published was read whole (inputs.py): an input file
that changes while the build runs stops it before publishing (``changed-during-build``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import gc
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator import lock, urls
from generator.cache import Store, folder_for
from generator.errors import BuildError, InternalError, Problem
from generator.fingerprint import input_digest, sources_digest
from generator.git import commit_day, head_commit
from generator.inputs import Inputs, InputsChangedError
from generator.layout import templates_for
from generator.publish import IncompleteError, Publisher, filename_of

if TYPE_CHECKING:
    from generator.model import Site
    from generator.plan import Plan

# Called as work advances: (what, done, total); the CLI draws a progress bar with it.
Progress = Callable[[str, int, int], None]
# Told what the build works around without failing (an unwritable cache); prints on stderr by
# default.
Warn = Callable[[str], None]
DATA = "data/"  # the downloads' folder in the site (downloads.py)


class WriteError(Exception):
    """A file of the build could not be written: nothing was published."""

    def __init__(self, what: str, published: bool) -> None:
        kept = "the previous site is unchanged" if published else "no site was published"
        super().__init__(f"{what} ({kept})")


class BuildRunningError(WriteError):
    """Another build holds the output folder (lock.py): this one did nothing. A WriteError, so
    that the command line and the preview server say it in one line, as they do a full disk."""

    def __init__(self, holder: lock.Holder | None) -> None:
        Exception.__init__(self, f"another build is running ({holder or 'pid unknown'})")
        self.holder = holder


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


@dataclass(frozen=True, slots=True)
class Job:
    """A build as asked for, its options settled: what every stage may need to know."""

    root: Path
    output: Path
    templates: Path
    strict: bool
    today: dt.date
    cache: Path | None  # the build cache's folder; None: nothing is reused
    progress: Progress | None
    warn: Warn
    started: float  # time.perf_counter() when the build began


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
    index: Inputs | None = None,
) -> tuple[Site, list[Problem]]:
    """Read and validate ``root``: the site and its warnings, or BuildError with all problems."""
    from generator.read import read_site  # noqa: PLC0415 - kept off the no-change path

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
        warn = warn or _stderr
        check_output(output)
        folder = usable_cache(folder_for(root), warn) if cache else None
        templates = templates or templates_for(root)
        job = Job(
            root=root,
            output=output,
            templates=templates,
            strict=strict,
            today=today or today_utc(),
            cache=folder,
            progress=progress,
            warn=warn,
            started=started,
        )
        with take_turn(output):
            publisher = open_publisher(output, folder)
            inputs = Inputs(folder / "inputs.pickle" if folder else None, root, templates)
            with _explained(job, inputs, publisher):
                return _run_stages(job, inputs, publisher)
    finally:
        os.umask(umask)
        if collecting:
            gc.enable()


def _run_stages(job: Job, inputs: Inputs, publisher: Publisher) -> BuildResult:
    """The stages in order, once the output folder is this build's."""
    # Fingerprint every input: a build whose inputs are those of the published site stops here.
    revision = head_commit(job.root)
    sources = sources_digest(job.root, job.templates, inputs)
    fingerprint = input_digest(job.root, sources, job.today, job.strict, revision, inputs)
    inputs.complete = True
    _after_publishing(inputs.save, job.warn)  # what it learnt holds whatever the build does next
    remembered = publisher.remembered(fingerprint)
    if remembered is not None:  # same inputs as the published site, which is intact
        problems, records, pages = remembered
        seconds = time.perf_counter() - job.started
        count = len(publisher.current)
        return BuildResult(problems, records, pages, count, 0, records, seconds, unchanged=True)

    # Only builds with work to do import the stages below (and Jinja, Babel, Pagefind).
    from generator import downloads, plan, render  # noqa: PLC0415
    from generator.changelog import with_history  # noqa: PLC0415
    from generator.completeness import check_subject_pages  # noqa: PLC0415 - it imports the model

    records = Store.open(job.cache, "records")
    site, problems = load_repository(  # read, check
        job.root, strict=job.strict, today=job.today, store=records, index=inputs
    )
    with _abandoned_on_failure(job, publisher, site):
        site = with_history(site, job.root, revision, job.cache)  # model
        committed = commit_day(job.root, revision) if revision else None
        context = plan.Context(job.templates, sources, revision, job.cache, committed)
        files = plan.plan_site(site, context)  # plan
        check_subject_pages(files.site, files.planned)
        memo = (fingerprint, problems, _count_records(files.site), _count_pages(files))
        if publisher.unchanged(files.planned):
            inputs.check()  # the memo is true of the inputs as they were fingerprinted
            _after_publishing(lambda: publisher.remember(memo), job.warn)
            return _result(files, problems, 0, records, job, unchanged=True)
        wanted = {item.path for item in publisher.prepare(files.planned)}
        pages = [page for page in files.pages if urls.file_of(page.path) in wanted]
        late = [page for page in pages if page.template in render.LATE_TEMPLATES]
        early = [page for page in pages if page.template not in render.LATE_TEMPLATES]
        written = render.render_pages(files.renderer, early, publisher.staging, job.progress)
        if late or any(path.startswith(DATA) for path in wanted):
            exports = Store.open(job.cache, "exports")
            measured = downloads.write_downloads(files.site, revision, exports, wanted, publisher)
            exports.save()
            late = [dataclasses.replace(page, context={"downloads": measured}) for page in late]
            written += render.render_into((files.renderer, publisher.staging), late)[0]
        write_generated(files, wanted, publisher)  # the search index, the sitemap, static files
        inputs.check()
        publisher.publish(files.planned, memo)
    _after_publishing(records.save, job.warn)
    return _result(files, problems, written + publisher.written, records, job, unchanged=False)


def write_generated(files: Plan, wanted: set[str], publisher: Publisher) -> None:
    """The wanted files made while planning (search index, static files), and the sitemap."""
    from generator.export.sitemap import sitemap_files  # noqa: PLC0415 - as the stages above

    made = dict(files.generated)
    if wanted & {"sitemap.xml", "robots.txt"}:
        paths = [urls.file_of(page.path) for page in files.pages]
        made = {**{item.path: item.data for item in sitemap_files(files.site, paths)}, **made}
    for path, data in made.items():
        if path in wanted:
            publisher.write(path, data)


def open_publisher(output: Path, cache: Path | None) -> Publisher:
    """The publisher of ``output``; its spare trees' manifests are kept in the cache."""
    try:
        return Publisher(output, cache / "trees" if cache else None)
    except OSError as failure:
        raise WriteError(describe(failure, output, None), output.is_dir()) from failure


@contextlib.contextmanager
def _explained(job: Job, inputs: Inputs, publisher: Publisher) -> Iterator[None]:
    """Failures said as the user should hear them: problems that may come of an input changed
    meanwhile name it too, and a file that cannot be written is a ``WriteError`` naming it."""
    try:
        yield
    except InputsChangedError:
        raise
    except BuildError as failure:  # the problems may come of a half-written file
        changed = inputs.changes()
        if not changed:
            raise
        kind = InternalError if isinstance(failure, InternalError) else BuildError
        raise kind([*changed, *failure.problems]) from failure
    except OSError as failure:
        publisher.abandon()
        changed = inputs.explain(failure)
        if changed:  # a file deleted as it was read
            raise InputsChangedError(changed) from failure
        published = publisher.target.is_dir()
        raise WriteError(
            describe(failure, job.output, publisher, job.cache), published
        ) from failure


@contextlib.contextmanager
def _abandoned_on_failure(job: Job, publisher: Publisher, site: Site) -> Iterator[None]:
    """From planning to publishing, any failure drops the half-built spare tree (publish.py); a
    template's error and a planned file left unwritten become problems."""
    import jinja2  # noqa: PLC0415 - only builds with work to do import it

    from generator.completeness import unwritten_problems  # noqa: PLC0415 - as jinja2
    from generator.render import template_problem  # noqa: PLC0415 - as jinja2

    try:
        yield
    except jinja2.TemplateError as failure:
        publisher.abandon()
        raise BuildError([template_problem(failure, job.root, job.templates)]) from failure
    except IncompleteError as failure:
        publisher.abandon()
        raise InternalError(unwritten_problems(site, failure.missing)) from failure
    except BaseException:
        publisher.abandon()
        raise


def take_turn(output: Path) -> lock.Lock:
    """The lock of ``output`` (lock.py), once the build holding it is done: after a few seconds
    of waiting, ``BuildRunningError``; a lock file that cannot be made is a ``WriteError``."""
    try:
        return lock.acquire(output)
    except lock.BusyError as busy:
        raise BuildRunningError(busy.holder) from None
    except OSError as failure:
        path, reason = lock.lock_path(output), failure.strerror or str(failure)
        name = filename_of(failure)
        what = f"{name}: {reason}" if name and name != str(path) else reason
        message = f"cannot create {path}, where builds of {output} take turns: {what}"
        raise WriteError(message, output.is_dir()) from failure


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


def _reason(failure: OSError) -> str:
    name = filename_of(failure)
    return f"{name}: {failure.strerror or failure}" if name else str(failure.strerror or failure)


def _stderr(text: str) -> None:
    sys.stderr.write(text + "\n")


# -- what the build says it did ------------------------------------------------------------


def _result(
    files: Plan, problems: list[Problem], written: int, store: Store, job: Job, unchanged: bool
) -> BuildResult:
    seconds = time.perf_counter() - job.started
    records, pages = _count_records(files.site), _count_pages(files)
    return BuildResult(
        problems, records, pages, len(files.planned), written, store.hits, seconds, unchanged
    )


def _count_records(site: Site) -> int:
    return len(site.subjects) + len(site.tombstones)


def _count_pages(files: Plan) -> int:
    return sum(1 for page in files.pages if page.template.endswith(".html"))
