"""Machine-readable downloads under data/: JSON and CSV of the list, one JSON per subject, and
checksums (index.json with sizes and SHA-256, SHA256SUMS). Each function that makes files is
the producer of one entry of the registry (downloads.py).

Language-neutral: names as written, grounds per language, dates in ISO 8601, vocabularies as
their codes. CSV files are UTF-8 with a byte-order mark (so that spreadsheet software reads the
Cyrillic and Arabic names correctly) and RFC 4180 quoting with CRLF line ends.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from generator import urls
from generator.dates import PartialDate
from generator.export import ftm
from generator.fields import EXPORT_ORDER, SUBJECT_FIELDS, Field, Kind
from generator.model import Sanction, Site, Subject
from generator.spreadsheet import inert

FORMAT_VERSION = 1
DATA = "data"
# subjects.csv: the fields that declare a column (fields.SUBJECT_FIELDS), then computed values.
COMPUTED_COLUMNS = ("countries", "authorities", "first_listed", "last_listed", "status", "url")
SUBJECT_COLUMNS = (*(spec.csv for spec in SUBJECT_FIELDS if spec.csv), *COMPUTED_COLUMNS)
SANCTION_COLUMNS = (
    "subject_id", "subject_name", "authority", "program", "entry", "listed", "lifted",
    "expires", "renewed", "measures", "reference", "url", "status",
)  # fmt: skip


def subject_url(site: Site, subject: Subject) -> str:
    return site.config.base_url + urls.subject(site.config.languages[0], subject.id)


def sanction_data(sanction: Sanction, day: dt.date) -> dict[str, Any]:
    return {
        "authority": sanction.authority,
        "program": sanction.program,
        "entry": sanction.entry,
        "listed": sanction.listed.isoformat(),
        "lifted": sanction.lifted.isoformat() if sanction.lifted else None,
        "expires": sanction.expires.iso() if sanction.expires else None,
        "not_renewed": sanction.not_renewed,
        "renewed": [renewal.iso() for renewal in sanction.renewed],
        "measures": list(sanction.measures),
        "reference": sanction.reference,
        "url": sanction.url,
        "status": sanction.status_on(day),
    }


def subject_data(site: Site, subject: Subject) -> dict[str, Any]:
    """Every field of a subject (fields.EXPORT_ORDER), its sanctions with their status, its
    status, history and dates of listing (first in the listing part), and its pages."""
    data: dict[str, Any] = {}
    for spec in EXPORT_ORDER:
        if spec.part == "listing" and "status" not in data:
            data["status"] = subject.status_on(site.as_of)
            data.update(_history(site, subject))
            data["first_listed"] = subject.first_listed.isoformat()
            data["last_listed"] = subject.last_listed.isoformat()
        if spec.name == "sanctions":
            data["sanctions"] = [sanction_data(item, site.as_of) for item in subject.sanctions]
        else:
            data[spec.name] = _field_data(spec, subject[spec.name])
    data["pages"] = {
        lang: site.config.base_url + urls.subject(lang, subject.id)
        for lang in site.config.languages
    }
    return data


def _field_data(spec: Field, value: Any) -> Any:
    """A field's value in JSON: records as objects of their fields, several values as a list,
    texts per language by language."""
    if spec.kind is Kind.LOCALIZED:
        return dict(sorted(value.items()))
    if spec.many:
        return [_item_data(spec, item) for item in value]
    return _item_data(spec, value)


def _item_data(spec: Field, value: Any) -> Any:
    if spec.kind is Kind.RECORD:
        return {sub.name: _item_data(sub, getattr(value, sub.name)) for sub in spec.fields}
    return _plain(value)


def _plain(value: Any) -> Any:
    """A value as JSON gives it: dates in ISO 8601, the rest as it is."""
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _history(site: Site, subject: Subject) -> dict[str, str | None]:
    """First publication and last change of the record (from git; null when unknown)."""
    history = (site.history or {}).get(subject.id)
    return {
        "first_published": history.first.isoformat() if history else None,
        "last_changed": history.last.isoformat() if history else None,
    }


def _json(document: Any) -> bytes:
    return (_json_text(document) + "\n").encode()


def _json_text(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False)


def _nested(text: bytes, level: int) -> bytes:
    """JSON text as it reads when nested ``level`` levels deep in an indented document."""
    return text.replace(b"\n", b"\n" + b"  " * level)


def _csv_text(columns: tuple[str, ...], rows: Iterator[dict[str, str]], header: bool) -> str:
    """CSV lines; a cell a spreadsheet would run as a formula starts with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    if header:
        writer.writeheader()
    writer.writerows({key: inert(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


@dataclass(frozen=True)
class Fragment:
    """A subject's share of every download, computed once per record version (and cached)."""

    # Kept as UTF-8 (half the memory of text with Cyrillic or Arabic in it)
    data: bytes  # its JSON object, indented as at the top level
    subject_row: bytes  # its line of subjects.csv
    sanction_rows: bytes  # its lines of sanctions.csv
    ftm: bytes  # its FollowTheMoney entities, as JSON lines


def fragment(site: Site, subject: Subject) -> Fragment:
    row = _csv_text(SUBJECT_COLUMNS, iter([_subject_row(site, subject)]), False)
    return Fragment(
        data=_json_text(subject_data(site, subject)).encode(),
        subject_row=row.encode(),
        sanction_rows=_csv_text(SANCTION_COLUMNS, _sanction_rows(site, subject), False).encode(),
        ftm=ftm.subject_lines(site, subject).encode(),
    )


def _subject_row(site: Site, subject: Subject) -> dict[str, str]:
    row = {spec.csv: _csv_cell(spec, subject[spec.name]) for spec in SUBJECT_FIELDS if spec.csv}
    return {
        **row,
        "countries": "; ".join(subject.countries),
        "authorities": "; ".join(subject.authorities),
        "first_listed": subject.first_listed.isoformat(),
        "last_listed": subject.last_listed.isoformat(),
        "status": subject.status_on(site.as_of),
        "url": subject_url(site, subject),
    }


def _csv_cell(spec: Field, value: Any) -> str:
    """A field in one cell: several values joined by "; ", a record by its main value."""
    values = tuple(value) if spec.many else (value,)
    if spec.shorthand:  # records that may be written as one value (aliases: their names)
        values = tuple(getattr(item, spec.shorthand) for item in values)
    return "; ".join("" if item is None else str(_plain(item)) for item in values)


def _sanction_rows(site: Site, subject: Subject) -> Iterator[dict[str, str]]:
    for sanction in subject.sanctions:
        data = sanction_data(sanction, site.as_of)
        yield {
            "subject_id": subject.id,
            "subject_name": subject.name,
            **{key: _cell(data[key]) for key in SANCTION_COLUMNS[2:]},
        }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


# A file as it is produced: its path under the site and its bytes, in pieces (the whole list
# as JSON is hundreds of megabytes at 50,000 records: it is never held in memory at once).
Produced = tuple[str, Iterator[bytes]]


@dataclass(frozen=True, slots=True)
class Sources:
    """What the downloads are made of. ``fragments`` are the subjects' shares, in the order of
    ``site.subjects``; ``measured`` is each other download's (path, size, SHA-256), which only
    the checksum files read."""

    site: Site
    revision: str | None
    fragments: list[Fragment]
    measured: list[tuple[str, int, str]] = field(default_factory=list)

    @property
    def opening(self) -> str:
        """The header every JSON document of the list starts with, open for one more key.

        The documents are put together from the fragments as text, byte for byte what
        serialising them whole would give.
        """
        header = {
            "format_version": FORMAT_VERSION,
            "source_revision": self.revision,
            "statuses_as_of": self.site.as_of.isoformat(),
            "history": "git" if self.site.history is not None else "records only",
            "count": len(self.site.subjects),
        }
        return _json_text(header)[:-2] + ",\n"  # without its closing "\n}"


def subjects_json(sources: Sources) -> Iterator[Produced]:
    yield f"{DATA}/subjects.json", _list_document(sources.opening, sources.fragments)


def subjects_csv(sources: Sources) -> Iterator[Produced]:
    header = _csv_text(SUBJECT_COLUMNS, iter(()), True)
    rows = (part.subject_row for part in sources.fragments)
    yield f"{DATA}/subjects.csv", _csv_document(header, rows)


def sanctions_csv(sources: Sources) -> Iterator[Produced]:
    header = _csv_text(SANCTION_COLUMNS, iter(()), True)
    rows = (part.sanction_rows for part in sources.fragments)
    yield f"{DATA}/sanctions.csv", _csv_document(header, rows)


def subject_files(sources: Sources) -> Iterator[Produced]:
    """One JSON file per subject: the header, then the subject."""
    start = f'{sources.opening}  "subject": '.encode()
    for subject, part in zip(sources.site.subjects, sources.fragments, strict=True):
        yield f"{DATA}/subjects/{subject.id}.json", iter([start, _nested(part.data, 1), b"\n}\n"])


def ftm_entities(sources: Sources) -> Iterator[Produced]:
    yield f"{DATA}/subjects.ftm.json", (part.ftm for part in sources.fragments)


def _list_document(opening: str, fragments: list[Fragment]) -> Iterator[bytes]:
    if not fragments:
        yield f'{opening}  "subjects": []\n}}\n'.encode()
        return
    yield f'{opening}  "subjects": [\n'.encode()
    for number, part in enumerate(fragments):
        yield (b",\n    " if number else b"    ") + _nested(part.data, 2)
    yield b"\n  ]\n}\n"


def _csv_document(header: str, rows: Iterator[bytes]) -> Iterator[bytes]:
    yield ("\ufeff" + header).encode("utf-8")
    yield from rows


def _checksums(sources: Sources) -> list[dict[str, Any]]:
    return [
        {"path": path.removeprefix(f"{DATA}/"), "size": size, "sha256": sha256}
        for path, size, sha256 in sorted(sources.measured)
    ]


def index_json(sources: Sources) -> Iterator[Produced]:
    """The other downloads with their size and SHA-256."""
    document = {"format_version": FORMAT_VERSION, "files": _checksums(sources)}
    yield f"{DATA}/index.json", iter([_json(document)])


def sha256sums(sources: Sources) -> Iterator[Produced]:
    """The same checksums, as ``sha256sum --check`` reads them."""
    sums = "".join(f"{entry['sha256']}  {entry['path']}\n" for entry in _checksums(sources))
    yield f"{DATA}/SHA256SUMS", iter([sums.encode()])
