"""Reconcile: the records of designations/ against an official list file -> a ``Report``.

The file is read by the importer of its kind (``generator.importers``), the records by the
site's own reader; each official entry is matched to the records (``match``), compared field
by field (``compare``), and the entries without a record are sorted into the
chemical-weapons scope or out of it (``scope``). Known, deliberate differences and the scope
come from ``reconcile.yaml`` (``known``). Nothing is written; the command prints the report
as Markdown or JSON (``markdown``, ``report``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from generator.errors import BuildError
from generator.importers import (
    AUTHORITY_NEEDED,
    SOURCES,
    ImportFileError,
    authority_problem,
)
from generator.importers.draft import UNSUPPORTED, parse_filters
from generator.model import Sanction, Site, Subject
from generator.read import read_site
from generator.reconcile.compare import FIELDS, Difference, compare
from generator.reconcile.known import KnownDifference, Settings, read_settings
from generator.reconcile.match import BY_ENTRY, Match, RecordIndex, Scope
from generator.reconcile.official import OfficialEntry, entry_key, official_entries
from generator.reconcile.report import MissingSanction, Report, ToLift, Unrecorded
from generator.reconcile.scope import ScopeRules, Subjects, in_scope

__all__ = ["DEFAULT_AUTHORITY", "ReconcileUsageError", "Report", "reconcile"]

# The authority of each kind of file, as `noimpunity import` writes it; the UN is no participant.
DEFAULT_AUTHORITY = {"eu-csv": "EU", "ofac-csv": "US"}
# Kinds of file whose sanctions are told apart by programme (see match.Scope).
BY_PROGRAM = frozenset({"eu-csv", "un-xml"})
# Statuses of a sanction that still claim it (lifted or known to have expired do not).
ENDED = frozenset({"lifted", "expired"})


class ReconcileUsageError(Exception):
    """The options do not suit the file: a missing or unknown authority."""


def reconcile(
    source: str,
    path: Path,
    root: Path,
    *,
    today: dt.date,
    authority: str | None = None,
    file_date: dt.date | None = None,
) -> Report:
    """Compare the records under ``root`` with the list file ``path`` of kind ``source``.

    Statuses are taken on the file's date when it is given, else ``today``. Raises
    ReconcileUsageError for options that do not suit, BuildError when the records or
    reconcile.yaml have errors, ImportFileError when the file is not a list of that kind.
    """
    authority = choose_authority(source, root, authority)
    site, settings = read_records(root, today)
    entries, left_out = read_list(source, path, authority)
    scope = Scope.of(
        authority, entries, by_program=source in BY_PROGRAM, unmarked=source in DEFAULT_AUTHORITY
    )
    index = RecordIndex.of(site.subjects, authority)
    matches = [found for official in entries for found in index.match(official)]
    day = file_date or today
    missing, differences, known, stale = apply_known(
        settings.known, authority, matches, *compare_matches(matches, scope, day)
    )
    matched = {id(found.official) for found in matches}
    unmatched = [official for official in entries if id(official) not in matched]
    unrecorded = unrecorded_in_scope(unmatched, site, settings.scope[source])
    return Report(
        source=source,
        file=path.name,
        date=file_date,
        authority=authority,
        entries=len(entries),
        left_out=left_out,
        matched=len(entries) - len(unmatched),
        out_of_scope=len(unmatched) - len(unrecorded),
        missing=tuple(missing),
        to_lift=tuple(to_lift(site.subjects, matches, entries, scope, day)),
        differences=tuple(differences),
        unrecorded=tuple(unrecorded),
        known=known,
        stale=tuple(stale),
    )


def read_list(source: str, path: Path, authority: str) -> tuple[list[OfficialEntry], int]:
    """The persons and entities of the file, read by its importer, and how many records of
    other kinds (vessels, aircraft) it left out."""
    kind = SOURCES[source]
    parsed = kind.parse(path, parse_filters((), kind.filter_keys), authority)
    if parsed.total == 0:
        raise ImportFileError(f"{path}: holds no records")
    left_out = sum(1 for notice in parsed.notices if notice.code == UNSUPPORTED)
    return official_entries(parsed.drafts), left_out


def unrecorded_in_scope(
    unmatched: Sequence[OfficialEntry], site: Site, rules: ScopeRules
) -> list[Unrecorded]:
    """(d) The entries without a record that belong to the chemical-weapons list."""
    subjects = Subjects.of(site.subjects, rules)
    return [
        Unrecorded(official, why)
        for official in unmatched
        if (why := in_scope(official, rules, subjects))
    ]


def choose_authority(source: str, root: Path, authority: str | None) -> str:
    """The authority given, else the one of the file's kind; it must be a participant."""
    if source not in SOURCES:
        raise ReconcileUsageError(f"unknown source {source!r}; use one of {', '.join(SOURCES)}")
    chosen = authority or DEFAULT_AUTHORITY.get(source)
    if chosen is None:
        raise ReconcileUsageError(AUTHORITY_NEEDED)
    problem = authority_problem(root, chosen)
    if problem:
        raise ReconcileUsageError(problem)
    return chosen


def read_records(root: Path, today: dt.date) -> tuple[Site, Settings]:
    """The records and reconcile.yaml; BuildError with their errors when either has any."""
    site, problems = read_site(root, today)
    settings, found = read_settings(root, site, today)
    errors = [problem for problem in (*problems, *found) if problem.is_error]
    if site is None or errors:
        raise BuildError(errors or problems)
    return site, settings


def active(sanction: Sanction, day: dt.date) -> bool:
    """Listed by ``day`` and neither lifted nor known to have expired by then (a file older
    than a listing cannot hold its entry)."""
    return sanction.listed <= day and sanction.status_on(day) not in ENDED


def compare_matches(
    matches: Sequence[Match], scope: Scope, day: dt.date
) -> tuple[list[MissingSanction], list[Difference]]:
    """(a) the matched entries whose record lacks the sanction; (c) every field difference."""
    missing: list[MissingSanction] = []
    differences: list[Difference] = []
    for found in matches:
        sanctions = scope.sanctions(found.record)
        held = tuple(sanction.entry or "" for sanction in sanctions if active(sanction, day))
        if not held:
            note = ended_note(sanctions, day)
            missing.append(MissingSanction(found.official, found.record.id, found.by, note))
        differences += compare(found.official, found.record, held or None)
    order = {name: n for n, name in enumerate(FIELDS)}
    differences.sort(key=lambda d: (d.record, order[d.field], d.label, d.official))
    return missing, differences


def ended_note(sanctions: Sequence[Sanction], day: dt.date) -> str:
    """What became of the record's sanctions of the list, when it had any."""
    notes = []
    for sanction in sanctions:
        if sanction.listed > day:
            notes.append(f"ours was listed on {sanction.listed}, after the file")
        elif sanction.lifted is not None and sanction.lifted <= day:
            notes.append(f"ours was lifted on {sanction.lifted}")
        else:
            notes.append(f"ours expired on {sanction.expires}")
    return "; ".join(notes)


def to_lift(
    records: Sequence[Subject],
    matches: Sequence[Match],
    entries: Sequence[OfficialEntry],
    scope: Scope,
    day: dt.date,
) -> list[ToLift]:
    """(b) Sanctions in force whose entry the file no longer holds.

    A record the file matched under another number is left to (c), where the two numbers are
    shown side by side; a sanction without entry number counts as held while its record
    matches an entry.
    """
    held = {entry_key(official.entry) for official in entries if official.entry}
    matched = {found.record.id for found in matches}
    renumbered = {found.record.id for found in matches if found.by != BY_ENTRY}
    found: list[ToLift] = []
    for record in sorted(records, key=lambda subject: subject.id):
        for sanction in scope.sanctions(record):
            if not active(sanction, day):
                continue
            if sanction.entry and (entry_key(sanction.entry) in held or record.id in renumbered):
                continue
            if not sanction.entry and record.id in matched:
                continue
            found.append(
                ToLift(record.id, record.name, sanction.entry, sanction.program, sanction.listed)
            )
    return found


def apply_known(
    known: Sequence[KnownDifference],
    authority: str,
    matches: Sequence[Match],
    missing: Sequence[MissingSanction],
    differences: Sequence[Difference],
) -> tuple[list[MissingSanction], list[Difference], int, list[KnownDifference]]:
    """Leave out what a known difference covers; those about a record the file matched that
    cover nothing are stale (known differences of records it did not match are not judged)."""
    relevant = [item for item in known if item.authority == authority]
    used: set[int] = set()

    def is_known(difference: Difference) -> bool:
        covering = [n for n, item in enumerate(relevant) if item.covers(difference, authority)]
        used.update(covering)
        return bool(covering)

    new_missing = [item for item in missing if not is_known(as_difference(item))]
    new_differences = [item for item in differences if not is_known(item)]
    matched = {found.record.id for found in matches}
    stale = [item for n, item in enumerate(relevant) if n not in used and item.id in matched]
    left_out = len(missing) - len(new_missing) + len(differences) - len(new_differences)
    return new_missing, new_differences, left_out, stale


def as_difference(item: MissingSanction) -> Difference:
    """An entry of (a) as a known difference names it: field ``sanction``, its entry."""
    entry = item.official.entry
    return Difference(item.record, item.official.label, entry, "sanction", (entry,), ())
