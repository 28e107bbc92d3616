"""Subjects in = subject pages out: the check that stops a build losing a record's page.

Before publishing, every subject record (withdrawn ones too) must have its page in every
language among the planned files, and every planned file must have been written; else the
build stops with an ``InternalError`` naming the records, for a page that silently went
missing would be a record silently dropped from the list.
"""

from __future__ import annotations

from collections.abc import Collection

from generator import urls
from generator.errors import InternalError, Location, Problem
from generator.model import Site, Subject, Tombstone
from generator.publish import Planned

PAGE = "/index.html"
# Subjects named at most in a problem's message (a broken planner may lose them all).
NAMED = 10


def check_subject_pages(site: Site, planned: list[Planned]) -> None:
    """Every subject record (withdrawn ones too) has its page in every language among the
    planned files, and every subject page its record; else ``InternalError``. Set operations
    only: cheap for 50,000 subjects."""
    paths = {item.path for item in planned}
    problems = []
    for lang in site.config.languages:
        records = _subject_pages(site, lang)
        prefix = urls.subjects(lang)
        depth = prefix.count("/") + 1  # en/designations/<id>/index.html, not its feed.xml
        pages = {
            p for p in paths if p.startswith(prefix) and p.count("/") == depth and p.endswith(PAGE)
        }
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
