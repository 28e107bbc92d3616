"""The downloads stage: the registry of the files under data/, and the writing of those a build
needs.

``DOWNLOADS`` is the one list of the downloads: each file's name, media type, producer and the
sentence the data page says of it. The plan fingerprints the files it names (plan.py), the data
page lists them (templates/data.html), and index.json and SHA256SUMS list what their producers
made. A registered file that no producer makes, or a file made that is not registered, stops the
build with an internal error naming it, before anything is published.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from generator import parallel
from generator.cache import Store
from generator.errors import InternalError, Location, Problem
from generator.export.data import (
    DATA,
    Fragment,
    Produced,
    Sources,
    fragment,
    ftm_entities,
    index_json,
    sanctions_csv,
    sha256sums,
    subject_files,
    subjects_csv,
    subjects_json,
)
from generator.export.schema import schema_text
from generator.fingerprint import code_version, digest, object_digest
from generator.i18n import N_
from generator.model import Site
from generator.publish import Publisher

# What a download's content depends on, and so what its fingerprint covers (plan.py):
LIST = "list"  # every record, their history and the source revision
SUBJECT = "subject"  # one file per subject: its record and history, the revision, the count
CHECKSUMS = "checksums"  # the other downloads


@dataclass(frozen=True, slots=True)
class Download:
    """One entry of the registry."""

    name: str  # under data/; a folder (ending in "/") holds one <id>.json per subject
    media_type: str
    produce: Callable[[Sources], Iterator[Produced]]
    description: str  # what the data page says of it (a message of the catalog)
    covers: str = LIST

    def paths(self, site: Site) -> list[str]:
        """The files of the site this entry stands for."""
        if self.name.endswith("/"):
            return [f"{DATA}/{self.name}{subject.id}.json" for subject in site.subjects]
        return [f"{DATA}/{self.name}"]


def json_schema(sources: Sources) -> Iterator[Produced]:
    yield f"{DATA}/designation.schema.json", iter([schema_text().encode("utf-8")])


# In the order of the data page.
DOWNLOADS = (
    Download(
        name="subjects.json",
        media_type="application/json",
        produce=subjects_json,
        description=N_("Every subject with all its fields, its sanctions and their status (JSON)."),
    ),
    Download(
        name="subjects.csv",
        media_type="text/csv",
        produce=subjects_csv,
        description=N_(
            "One row per subject: names, dates of birth, countries, authorities, dates of"
            " listing, status (CSV)."
        ),
    ),
    Download(
        name="sanctions.csv",
        media_type="text/csv",
        produce=sanctions_csv,
        description=N_(
            "One row per sanction: subject, authority, programme, entry, dates listed, lifted,"
            " expiring and renewed, measures, legal act (CSV)."
        ),
    ),
    Download(
        name="subjects/",
        media_type="application/json",
        produce=subject_files,
        description=N_(
            "One JSON file per subject, named after its permanent identifier, e.g."
            " subjects/gosniiokht.json."
        ),
        covers=SUBJECT,
    ),
    Download(
        name="subjects.ftm.json",
        media_type="application/json",
        produce=ftm_entities,
        description=N_(
            "Every subject and sanction as FollowTheMoney entities, one per line, as"
            " OpenSanctions-style tools read them."
        ),
    ),
    Download(
        name="designation.schema.json",
        media_type="application/schema+json",
        produce=json_schema,
        description=N_("The JSON Schema of a record as the coordinators write it."),
    ),
    Download(
        name="index.json",
        media_type="application/json",
        produce=index_json,
        description=N_("The list of files with their size and SHA-256 checksum (JSON)."),
        covers=CHECKSUMS,
    ),
    Download(
        name="SHA256SUMS",
        media_type="text/plain",
        produce=sha256sums,
        description=N_("The same checksums, for sha256sum --check."),
        covers=CHECKSUMS,
    ),
)


def data_page_rows() -> list[tuple[str, str, str]]:
    """The data page's table: each download's name, description (translated there) and media
    type (for its Dataset metadata)."""
    return [(item.name, item.description, item.media_type) for item in DOWNLOADS]


def write_downloads(
    site: Site, revision: str | None, store: Store | None, wanted: set[str], publisher: Publisher
) -> dict[str, tuple[int, str]]:
    """Write the wanted downloads under data/ as they are made; return every download's size
    and SHA-256 by path (for the data page).

    Every download is measured, written or not; the checksum files come last, from the
    measures of the others.
    """
    sources = Sources(site, revision, export_fragments(site, store))
    registered = {path: download for download in DOWNLOADS for path in download.paths(site)}
    made: dict[str, tuple[int, str]] = {}
    for last in (False, True):
        for download in DOWNLOADS:
            if (download.covers == CHECKSUMS) != last:
                continue
            for path, chunks in download.produce(sources):
                if registered.get(path) is not download:
                    raise InternalError([_problem(path, "unregistered-file", "not registered")])
                if path in wanted:
                    size, sha256 = publisher.write_chunks(path, chunks)
                else:
                    size, sha256 = measure(chunks)
                made[path] = size, sha256
                if not last:
                    sources.measured.append((path, size, sha256))
    missing = sorted(registered.keys() - made)
    if missing:
        raise InternalError([_problem(path, "unwritten-file", "not written") for path in missing])
    return made


def _problem(path: str, code: str, what: str) -> Problem:
    message = f"internal error: a download {what} in downloads.DOWNLOADS: {path}"
    return Problem(Location(path), code, "", message, "a bug of noimpunity, please report it")


def export_fragments(site: Site, store: Store | None) -> list[Fragment]:
    """Each subject's share of the downloads, computed once per version of its record (kept in
    ``store``), in parallel when many are missing."""
    common = digest(code_version(), object_digest((site.config, site.participants, site.as_of)))
    history = site.history or {}
    keys = [
        digest(common, site.fingerprints.get(subject.id, ""), subject.id,
               repr(history.get(subject.id)))
        if site.fingerprints.get(subject.id) else ""
        for subject in site.subjects
    ]  # fmt: skip
    found: list[Fragment | None] = [store.get(key) if store and key else None for key in keys]
    missing = [number for number, part in enumerate(found) if part is None]
    made = parallel.run(_fragments, missing, site)
    for number, part in zip(missing, made, strict=True):
        found[number] = part
        if store is not None and keys[number]:
            store.put(keys[number], part)
    return [part for part in found if part is not None]


def measure(chunks: Iterable[bytes]) -> tuple[int, str]:
    """Size and SHA-256 of a download that is not written."""
    state, size = hashlib.sha256(), 0
    for chunk in chunks:
        state.update(chunk)
        size += len(chunk)
    return size, state.hexdigest()


def _fragments(site: Site, numbers: Sequence[int]) -> list[Fragment]:
    return [fragment(site, site.subjects[number]) for number in numbers]
