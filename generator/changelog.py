"""The change log of the list, from the records' own dates: listings, renewals, liftings and
expiries, newest first; and the model's last step, each record's history from git.

Listings, renewals, liftings and expiries come from the records' own dates; amendments (a
record changed after it was first published) come from the git history when the build runs at
the top of a git tree. Every change of a sanction names its authority and legal act.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.cache import Store
from generator.fingerprint import digest
from generator.git import record_history
from generator.model import RecordHistory, Sanction, Site, Subject

KINDS = ("listed", "renewed", "lifted", "expired", "amended")


def with_history(site: Site, root: Path, revision: str | None, folder: Path | None) -> Site:
    """The site with each record's history from git (git.record_history), which the change log,
    the pages and the downloads show; computed once per commit (kept in the cache ``folder``)."""
    store = Store.open(folder, "history")
    history: dict[str, RecordHistory] | None
    if revision is None:
        history = record_history(root)
    else:
        history = store.remember(digest(revision), lambda: record_history(root))
    store.save()
    return dataclasses.replace(site, history=history)


@dataclass(frozen=True, slots=True)
class Change:
    date: dt.date
    kind: str  # one of KINDS
    subject: Subject
    sanction: Sanction | None = None  # None for an amendment of the record

    @property
    def key(self) -> str:
        """A stable identifier of the change, for the feed's entry ids."""
        sanction = self.sanction
        act = f"{sanction.authority}/{sanction.listed}" if sanction else "record"
        return f"{self.subject.id}/{act}/{self.kind}/{self.date}"


def sanction_changes(subject: Subject, sanction: Sanction, day: dt.date) -> Iterator[Change]:
    yield Change(sanction.listed, "listed", subject, sanction)
    for renewal in sanction.renewed:
        yield Change(renewal.earliest(), "renewed", subject, sanction)
    if sanction.lifted is not None and sanction.lifted <= day:
        yield Change(sanction.lifted, "lifted", subject, sanction)
    elif sanction.status_on(day) == "expired" and sanction.expires is not None:
        yield Change(sanction.expires.latest(), "expired", subject, sanction)


def changes(site: Site) -> list[Change]:
    """Every change up to the build date, newest first (ties in a stable order)."""
    return newest_first(change for subject in site.subjects for change in _of(site, subject))


def subject_changes(site: Site, subject: Subject) -> list[Change]:
    """The changes of one subject up to the build date, newest first (its own feed)."""
    return newest_first(_of(site, subject))


def _of(site: Site, subject: Subject) -> Iterator[Change]:
    for sanction in subject.sanctions:
        for change in sanction_changes(subject, sanction, site.as_of):
            if change.date <= site.as_of:
                yield change
    history = (site.history or {}).get(subject.id)
    for day in history.amended if history else ():
        yield Change(day, "amended", subject)


def newest_first(found: Iterable[Change]) -> list[Change]:
    return sorted(found, key=lambda c: (-c.date.toordinal(), c.subject.sort_key, c.key))
