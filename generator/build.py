"""Orchestration, top to bottom: read and validate -> plan -> produce what changed -> publish.

Every file of the site is planned with a fingerprint of what it depends on (keys.py); the
publisher (publish.py) tells which files the previous builds already hold, and only the others
are produced (produce.py). A build whose inputs are all unchanged stops after reading them,
before even importing the renderer. With ``cache=False`` nothing is reused.

Nothing is lost: the site is published only whole, after checking that every subject record
has its page in every language (a bug that drops one stops the build, as an internal error).
A file that cannot be written (a full disk, a folder without permission, a file where a folder
should be) fails the build with one ``WriteError`` naming it; the previous site stays. A cache
folder that cannot be written only costs time: the build warns and runs without the cache.

One build at a time writes an output folder (lock.py): a second one waits a few seconds, then
stops with ``BuildRunningError``. What is published was read whole: an input file that changes
while the build runs (a record being saved) stops it before publishing, naming the file
(``changed-during-build``), for the pages would show a half-written record.
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

from generator import lock, urls
from generator.cache import Store, folder_for
from generator.errors import BuildError, Location, Problem
from generator.fingerprint import (
    RACY_NS,
    FileIndex,
    Stat,
    file_digest,
    input_digest,
    sources_digest,
    tree_files,
)
from generator.git import head_commit
from generator.layout import CONTENT, DESIGNATIONS, templates_for
from generator.publish import IncompleteError, Planned, Publisher

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


class InputsChangedError(BuildError):
    """Input files changed while the build read them: nothing was published."""


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
    with take_turn(output):
        try:
            publisher = Publisher(output, folder / "trees" if folder else None)
        except OSError as failure:
            raise WriteError(describe(failure, output, None), output.is_dir()) from failure
        inputs = Inputs(folder / "inputs.pickle" if folder else None, root, templates)
        try:
            return _build_into(
                publisher, inputs, root, templates, strict, today, folder, progress, warn, started
            )
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
            raise WriteError(describe(failure, output, publisher, folder), published) from failure


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


def _build_into(
    publisher: Publisher,
    inputs: Inputs,
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
    sources = sources_digest(root, templates, inputs)
    fingerprint = input_digest(root, sources, today, strict, revision, inputs)
    inputs.complete = True
    _after_publishing(inputs.save, warn)  # what it learnt holds whatever the build does next
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
        root, strict=strict, today=today, store=records_store, index=inputs
    )
    try:
        plan = produce.plan_build(site, templates, sources, revision, folder, root)
        site, plans, planned = plan.site, plan.pages, plan.planned
        check_subject_pages(site, planned)
        memo = (fingerprint, problems, _count_records(site), _count_pages(plans))
        if publisher.unchanged(planned):
            inputs.check()  # the memo is true of the inputs as they were fingerprinted
            _after_publishing(lambda: publisher.remember(memo), warn)
            return _result(site, problems, plans, planned, 0, records_store, started, True)
        needed = publisher.prepare(planned)
        written = produce.produce(plan, needed, publisher, revision, folder, progress)
        inputs.check()
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


# -- inputs that change while they are read --------------------------------------------------


class Inputs(FileIndex):
    """The build's index of its input files (content/, designations/, the templates), which
    also keeps what the build first saw of each: its ``stat`` and digest.

    Each file is first seen when the inputs are fingerprinted, before anything reads it for the
    site; if every file still has that ``stat`` when the site is complete (``check``), nothing
    changed in between, so what was read is what the fingerprint describes. Any write changes a
    file's change time (or its size), so a record saved during the build shows; a file last
    changed just before the build started (as git would say, "racily clean") is read again and
    its bytes compared. Hidden files are left out: the build never reads them, and an editor
    writes its swap files there.
    """

    def __init__(self, path: Path | None, root: Path, templates: Path) -> None:
        super().__init__(path)
        self.started_ns = time.time_ns()
        self.seen: dict[str, tuple[Stat, bytes]] = {}
        self.complete = False  # every input was fingerprinted
        self.folders = {
            str(templates): shown_path(templates, root),
            str(root / CONTENT): CONTENT,
            str(root / DESIGNATIONS): DESIGNATIONS,
        }

    def digest(self, path: str) -> bytes:
        content = super().digest(path)
        if path not in self.seen:  # FileIndex.digest leaves the stat it read in the entry
            self.seen[path] = (self.entries[path][0], content)
        return content

    def check(self) -> None:
        """``InputsChangedError`` when an input changed, appeared or disappeared."""
        changed = self.changes()
        if changed:
            raise InputsChangedError(changed)

    def changes(self) -> list[Problem]:
        """The input files changed since they were first seen, as problems (once all are seen)."""
        if not self.complete:
            return []
        found: list[tuple[str, str]] = []
        for folder, label in self.folders.items():
            prefix = f"{folder}/"
            now = {name for name in tree_files(folder, "") if not _hidden(name)}
            seen = {path.removeprefix(prefix) for path in self.seen if path.startswith(prefix)}
            for name in sorted(now | {name for name in seen if not _hidden(name)}):
                what = self._compare(prefix + name, name in now, name in seen)
                if what:
                    found.append((f"{label}/{name}", what))
        return changed_problems(found)

    def explain(self, failure: OSError) -> list[Problem]:
        """Problems for an OSError met while reading: the inputs that changed, when the error is
        about one of them (a file deleted between being listed and being read)."""
        name = filename_of(failure)
        folder = next((f for f in self.folders if name and name.startswith(f"{f}/")), None)
        if name is None or folder is None:
            return []
        if self.complete:
            return self.changes()
        if isinstance(failure, FileNotFoundError):
            label = f"{self.folders[folder]}/{name.removeprefix(f'{folder}/')}"
            return changed_problems([(label, "disappeared")])
        return []

    def _compare(self, path: str, exists: bool, seen: bool) -> str:
        """How the file at ``path`` changed since it was first seen ("" when it did not)."""
        if not seen:
            return "appeared"
        if not exists:
            return "disappeared"
        stat, content = self.seen[path]
        try:
            info = os.stat(path)  # noqa: PTH116 - as in FileIndex.digest
        except FileNotFoundError:
            return "disappeared"
        now = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
        if now != stat:
            return "changed"
        if max(info.st_mtime_ns, info.st_ctime_ns) >= self.started_ns - RACY_NS:
            with open(path, "rb") as handle:  # noqa: PTH123 - as in fingerprint._read
                if bytes.fromhex(file_digest(handle.read())) != content:
                    return "changed"
        return ""


def changed_problems(found: list[tuple[str, str]]) -> list[Problem]:
    """``changed-during-build`` problems for (file, how it changed): the first ``NAMED`` files,
    then how many more."""
    named = [(path, f"{_CHANGES[what]}; nothing was published") for path, what in found[:NAMED]]
    if len(found) > NAMED:
        more = f"and {len(found) - NAMED} more input files changed; nothing was published"
        named.append((found[NAMED][0], more))
    return [
        Problem(Location(path), "changed-during-build", "", message, _AGAIN)
        for path, message in named
    ]


_CHANGES = {
    "changed": "changed while the build read it",
    "appeared": "appeared while the build read the repository",
    "disappeared": "disappeared while the build read it",
}
_AGAIN = "build again"


def shown_path(path: Path, root: Path) -> str:
    """``path`` relative to the repository when it is inside it, as problems name files."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _hidden(name: str) -> bool:
    return any(part.startswith(".") for part in name.split("/"))


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
